"""The HTML findings table stays bounded over a decade (issue 17): at most FINDINGS_TABLE_MAX
rows, the warnings first whatever their date, then the most recent, with a note of what was
left out."""

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
    return re.findall(r'<tr id="a-f\d+" class="sev-(\w+)"><td>([\d-]+)</td>', html)


def test_small_tables_are_whole() -> None:
    start = date(2030, 1, 1)
    findings = [_finding(start + timedelta(i), "info", "CR01") for i in range(12)]
    html = findings_table(SimpleNamespace(session_features=[]), "a", findings)
    assert len(_rows(html)) == 12
    assert "Left out" not in html


def test_a_decade_of_findings_is_capped_with_a_note() -> None:
    assert FINDINGS_TABLE_MAX == 200
    start = date(2025, 1, 1)
    # 10 warnings in the first ten days, then 250 info findings on the following days
    findings = [_finding(start + timedelta(i), "warning", "CR03") for i in range(10)]
    findings += [_finding(start + timedelta(10 + i), "info", "CR01") for i in range(250)]
    html = findings_table(SimpleNamespace(session_features=[]), "a", findings[::-1])
    rows = _rows(html)
    assert len(rows) == 200
    assert sum(sev == "warning" for sev, _ in rows) == 10  # every warning, though the oldest
    info_days = sorted(d for sev, d in rows if sev == "info")
    # the 190 most recent info findings: days 70..259 after the start
    assert info_days[0] == (start + timedelta(70)).isoformat()
    assert info_days[-1] == (start + timedelta(259)).isoformat()
    assert "shows 200 of 260 findings" in html
    assert "Left out: 60 (CR01 × 60)" in html
    assert (
        f"dated {(start + timedelta(10)).isoformat()} to {(start + timedelta(69)).isoformat()}"
        in html
    )
