"""The HTML findings table stays bounded over a decade (issue 17): one row per episode, at most
FINDINGS_TABLE_MAX rows, the warnings first whatever their date, then the most recent, with a
note of what was left out."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

from cramplog.render.html_sections import FINDINGS_TABLE_MAX, findings_table


def _finding(day: date, severity: str, rule: str) -> SimpleNamespace:
    return SimpleNamespace(date=day, rule=rule, name="some_rule", severity=severity,
                           grade="C", message="a pattern", evidence={"km": 1.0},
                           activity_id=None)  # fmt: skip


def _rows(html: str) -> list[str]:
    return re.findall(
        r'<tr id="a-e\d+" class="sev-(\w+)"><td>(?:<span [^>]*></span>)*([\d-]+)', html
    )


def test_small_tables_are_whole() -> None:
    start = date(2030, 1, 1)
    # five days apart: each finding is its own episode (episodes join days at most 3 apart)
    findings = [_finding(start + timedelta(5 * i), "info", "CR01") for i in range(12)]
    html = findings_table(SimpleNamespace(session_features=[]), "a", findings)
    assert len(_rows(html)) == 12
    assert "Left out" not in html


def test_a_decade_of_episodes_is_capped_with_a_note() -> None:
    assert FINDINGS_TABLE_MAX == 200
    start = date(2025, 1, 1)
    # 10 warning episodes, then 250 info episodes, each finding five days after the last
    findings = [_finding(start + timedelta(5 * i), "warning", "CR03") for i in range(10)]
    findings += [_finding(start + timedelta(5 * (10 + i)), "info", "CR01") for i in range(250)]
    html = findings_table(SimpleNamespace(session_features=[]), "a", findings[::-1])
    rows = _rows(html)
    assert len(rows) == 200
    assert sum(sev == "warning" for sev, _ in rows) == 10  # every warning, though the oldest
    info_days = sorted(d for sev, d in rows if sev == "info")
    # the 190 most recent info episodes: the 70th to the 259th finding
    assert info_days[0] == (start + timedelta(5 * 70)).isoformat()
    assert info_days[-1] == (start + timedelta(5 * 259)).isoformat()
    assert "shows 200 of 260 episodes" in html
    assert "Left out: 60 (CR01 × 60)" in html
    first, last = start + timedelta(5 * 10), start + timedelta(5 * 69)
    assert f"dated {first.isoformat()} to {last.isoformat()}" in html


def test_a_decade_of_findings_is_one_timeline_mark_per_rule_and_week() -> None:
    from cramplog.render.html_charts import TIMELINE_MAX_POINTS, timeline_points

    assert TIMELINE_MAX_POINTS == 300
    monday = date(2030, 1, 7)  # a Monday
    # 40 weeks x (3 CR03 findings on Mon/Wed/Fri, the Friday one a warning) + 1 CR01 on Sunday
    findings = []
    for w in range(40):
        start = monday + timedelta(7 * w)
        findings += [_finding(start + timedelta(d), "warning" if d == 4 else "caution", "CR03")
                     for d in (0, 2, 4)]  # fmt: skip
        findings.append(_finding(start + timedelta(6), "info", "CR01"))
    assert len(findings) == 160  # under the limit: one mark each
    assert len(timeline_points(findings, "a")) == 160
    findings = findings * 2  # 320 > 300: grouped
    marks = timeline_points(findings, "a")
    assert len(marks) == 80  # 40 weeks x 2 rules
    cr03 = [m for m in marks if m.row == "CR03"]
    assert all(m.severity == "warning" and m.day.weekday() == 0 for m in cr03)
    assert "6 finding(s)" in cr03[0].title
    # the table has one row per episode: CR03 on Mon/Wed/Fri is one 40-week episode and each
    # Sunday's CR01 its own (41 rows, under the cap), so every mark links to a row
    linked = [m for m in marks if m.anchor is not None]
    assert len(linked) == len(marks)
