"""Terminal and Markdown renderers on a fixed report: golden files at a fixed width, plus
the properties every human-readable report must have (disclaimer, grades, escaping).

Regenerate the golden files after an intended change with CRAMPLOG_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cramplog.analysis.outcome import AthleteOutcome
from cramplog.analysis.team import team_rows
from cramplog.render.disclaimer import DISCLAIMER, WARNING_SIGNS
from cramplog.render.markdown import md_cell, render_markdown
from cramplog.render.table import render_table

GOLDEN = Path(__file__).parent / "golden"

SESSION = {"start": "2026-04-27T07:00:00+00:00", "sport": "running", "sources": ["a.fit"]}


def outcome(name: str = "ana") -> AthleteOutcome:
    findings = [
        {
            "rule": "CR01",
            "name": "session_spike",
            "date": "2026-04-27",
            "severity": "warning",
            "session": SESSION,
            "evidence": {"ratio": 2.0},
            "grade": "weak",
            "message": "Longest run in 30 days by 100 %: 16.0 km vs 8.0 km",
        },
        {
            "rule": "CR10",
            "name": "duration_exposure",
            "date": "2026-04-27",
            "severity": "caution",
            "session": SESSION,
            "evidence": {},
            "grade": "weak",  # CR10's grade since issue 14
            "message": "Longest time on feet in 6 months by 30 %",
        },
        {
            "rule": "CR03",
            "name": "monotony",
            "date": "2026-04-20",
            "severity": "info",
            "session": None,
            "evidence": {},
            "grade": "weak",
            "message": "Training monotony 1.6 over 7 days",
        },
    ]
    # the episodes these findings form (by hand: each rule on one day here)
    episodes = [
        {
            **{k: f[k] for k in ("rule", "name", "severity", "grade", "message", "evidence")},
            "start": f["date"],
            "end": f["date"],
            "days": 1,
            "peak_day": f["date"],
            "findings": 1,
            "sessions": [f["session"]] if f["session"] else [],
        }
        for f in (findings[2], findings[0], findings[1])
    ]
    cramps = [
        {
            "when": "2026-04-27T10:10:00+02:00",
            "muscle": "calf",
            "side": "left",
            "severity": 3,
            "timing": "during",
            "session": SESSION,
            "context": {"in_session": ["CR01", "CR10"], "days_0_7": ["CR03"], "days_8_42": []},
        }
    ]
    goal = {
        "name": "Canyon 50K",
        "date": "2026-05-20",
        "sport": "running",
        "distance_km": 50.0,
        "as_of": "2026-04-27",
        "days_to_goal": 23,
        "worst_severity": "warning",
        "assessments": [
            {
                "rule": "CR05",
                "name": "long_run_deficit",
                "status": "flag",
                "severity": "warning",
                "grade": "anecdotal",
                "message": "Longest run 16 km is 32 % of 50 km",
                "evidence": {},
                "sources": [],
            },
            {
                "rule": "CR07",
                "name": "heat_unacclimatized",
                "status": "unknown",
                "severity": None,
                "grade": "weak",
                "message": "No expected temperature for the goal",
                "evidence": {},
                "sources": [],
            },
        ],
    }
    report = {
        "athlete": name,
        "first_day": "2026-03-02",
        "last_day": "2026-04-27",
        "sessions": 29,
        "findings": findings,
        "episodes": episodes,
        "cramps": cramps,
        "personal": {"events": 2, "shown": False, "associations": []},
        "goal": goal,
    }
    overview = {
        "athlete": name,
        "first_day": "2026-03-02",
        "last_day": "2026-04-27",
        "since": "2026-04-14",
        "today": "2026-04-27",
        "sessions": 29,
        "sessions_in_window": 7,
        "ctl_now": 30.2,
        "ctl_then": 19.4,
        "trend_days": 28,
        "hr_max": 190.0,
        "hr_rest": 50.0,
        "hr_estimated": False,
        "counts": {"info": 1, "caution": 1, "warning": 1},
        "episode_counts": {"info": 1, "caution": 1, "warning": 1},
        "worst": {"rule": "CR01", "name": "session_spike", "severity": "warning"},
        "cramps_in_window": 1,
        "notes": ["TRIMP coefficients for sex 'female': a = 0.86, b = 1.67"],
    }
    return AthleteOutcome(athlete=name, report=report, overview=overview)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CRAMPLOG_UPDATE_GOLDEN") or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not os.environ.get("CRAMPLOG_UPDATE_GOLDEN"):
            pytest.fail(f"golden file {name} was missing and has been written; check it in")
    assert text == path.read_text(encoding="utf-8")


def test_table_golden() -> None:
    check_golden("analyze_table.txt", render_table([outcome()], width=100))


def test_table_all_golden() -> None:
    check_golden("analyze_table_all.txt", render_table([outcome()], width=100, everything=True))


def test_markdown_golden() -> None:
    check_golden(
        "analyze_markdown.md", render_markdown([outcome()], window="2026-04-14 … 2026-04-27")
    )


def test_team_table_golden() -> None:
    outcomes = [
        AthleteOutcome(athlete="zed", error="no sessions for zed; import files first"),
        outcome("bob"),
        outcome("ana"),
    ]
    outcomes[1].overview["counts"] = {"info": 0, "caution": 0, "warning": 0}
    outcomes[1].overview["worst"] = None
    text = render_table(outcomes, team=team_rows(outcomes), summary_only=True, width=100)
    check_golden("analyze_team_summary.txt", text)


@pytest.mark.parametrize("width", [60, 100, 160])
def test_table_properties(width: int) -> None:
    o = outcome()
    text = render_table([o], width=width)
    flat = " ".join(text.split())
    assert max(len(line) for line in text.splitlines()) <= width
    assert " ".join(DISCLAIMER.split()) in flat
    for sign in WARNING_SIGNS:
        assert " ".join(sign.split()) in flat
    assert text.rstrip().endswith(WARNING_SIGNS[-1].split()[-1])  # the disclaimer ends it
    for grade in {f["grade"] for f in (o.report or {})["findings"]}:  # every finding's grade
        assert grade in text
    assert "\x1b[" not in text


def test_colour_only_when_asked() -> None:
    assert "\x1b[" in render_table([outcome()], width=100, color=True)


def test_personal_shown_and_missing() -> None:
    o = outcome()
    assert "need ≥ 5 logged cramps; 2 so far" in render_table([o], width=100)
    o.report["personal"] = {  # type: ignore[index]
        "events": 6,
        "shown": True,
        "associations": [
            {
                "feature": "CR01",
                "window": "in_session",
                "case_exposed": 4,
                "case_unexposed": 2,
                "control_exposed": 3,
                "control_unexposed": 40,
                "relative_risk": 9.1,
                "p_value": 0.001,
                "p_holm": 0.012,
                "label": "hypothesis",
            }
        ],
    }
    text = render_table([o], width=120)
    assert "hypotheses, not causes" in text and "4/6" in text and "3/43" in text
    md = render_markdown([o])
    assert "| CR01 | in session | 4/6 | 3/43 | 9.1 | 0.012 |" in md


def test_markdown_escapes_file_text() -> None:
    o = outcome("<img src=x onerror=alert(1)>|x")
    md = render_markdown([o])
    assert re.search(r"(?<!\\)<img", md) is None
    assert r"\<img src=x onerror=alert(1)\>\|x" in md
    assert md_cell("a|b\nc*d") == r"a\|b c\*d"
    assert "**About these results.**" in md
    assert md.rstrip().endswith(WARNING_SIGNS[-1])


def test_error_outcome_renders() -> None:
    o = AthleteOutcome(athlete="cal", error="no sessions for cal; import files first")
    assert "error: no sessions for cal" in render_table([o], width=100)
    assert "**error:** no sessions for cal" in render_markdown([o])


@pytest.mark.parametrize("width", [60, 100, 140])
def test_team_summary_fits_the_width(width: int) -> None:
    outcomes = [outcome("ana"), AthleteOutcome(athlete="zed", error="no sessions for zed")]
    text = render_table(outcomes, team=team_rows(outcomes), summary_only=True, width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert "CR01 session_spike" in text and "not analysed: zed: no sessions for zed" in text
    assert ("Canyon 50K" in text) == (width >= 90)


def test_weekly_sparklines_show_where_the_width_allows() -> None:
    o = outcome()
    o.overview["weekly"] = {
        "first_week": "2026-03-02",
        "load": [100.0, 200.0, None, 800.0],
        "descent_m": [50.0, None, 10.0, 400.0],
        "cramps": [0, 1, 0, 0],
    }
    wide = render_table([o], width=100)
    load_line = next(line for line in wide.splitlines() if line.startswith("load/week"))
    # bars scale from zero: 100 and 200 of 800 are low bars; a week with no load is a gap
    assert "▂▃ █" in load_line and "max 800" in load_line
    assert any(line.startswith("cramps") and "·×··" in line for line in wide.splitlines())
    narrow = render_table([o], width=30)
    assert "load/week" not in narrow
