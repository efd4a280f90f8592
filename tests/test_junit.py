"""JUnit XML: well-formed whatever the text, one suite per athlete, one case per rule,
failures at or above the level, errors for athletes who could not be analysed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from cramplog.analysis.outcome import AthleteOutcome
from cramplog.render.junit import render_junit, rule_catalogue

NASTY = "a <b> & \"c\" 'd' ]]> \x00\x07 \ud7ff end"


def _finding(
    rule: str, name: str, severity: str, message: str = "msg", end: str = "2026-04-27"
) -> dict:
    """An episode as the report carries it (hand-built: one day unless ``end`` says)."""
    start = "2026-04-27"
    days = (int(end[-2:]) - int(start[-2:])) + 1
    return {
        "rule": rule,
        "name": name,
        "start": start,
        "end": end,
        "days": days,
        "peak_day": start,
        "findings": days,
        "severity": severity,
        "sessions": [
            {"start": "2026-04-27T07:00:00+00:00", "sport": "running", "sources": []},
        ],
        "evidence": {"ratio": 2.0, "note": NASTY},
        "grade": "weak",
        "message": message,
    }


def _outcome(name: str, episodes: list[dict]) -> AthleteOutcome:
    return AthleteOutcome(
        athlete=name, report={"athlete": name, "findings": [], "episodes": episodes}
    )


def test_rule_catalogue_is_cr01_to_cr11() -> None:
    ids = [rid for rid, _ in rule_catalogue()]
    assert ids == [f"CR{i:02d}" for i in range(1, 12)]


@pytest.mark.parametrize(("level", "failing"), [("warning", 2), ("caution", 3)])
def test_counts_and_levels(level: str, failing: int) -> None:
    findings = [
        _finding("CR01", "session_spike", "warning", NASTY),
        _finding("CR01", "session_spike", "warning"),
        _finding("CR03", "monotony", "caution"),
        _finding("CR10", "duration_exposure", "warning"),
        _finding("CR11", "long_hot_session", "info"),
    ]
    outcomes = [
        _outcome('x<&">y', findings),
        _outcome("quiet", []),
        AthleteOutcome(athlete="broken", error="no sessions for broken; import files first"),
    ]
    root = ET.fromstring(render_junit(outcomes, fail_level=level).encode())
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ['x<&">y', "quiet", "broken"]
    first = suites[0]
    assert first.get("tests") == "11"
    assert first.get("failures") == str(failing)
    cases = first.findall("testcase")
    assert [c.get("name") for c in cases][:3] == [
        "CR01 session_spike",
        "CR02 acute_chronic_load",
        "CR03 monotony",
    ]
    assert {c.get("classname") for c in cases} == {'cramplog.x<&">y'}
    cr01 = cases[0].findall("failure")
    assert len(cr01) == 2  # one per episode
    assert cr01[0].get("message", "").startswith('a <b> & "c"')
    assert "\x00" not in cr01[0].get("message", "")
    assert "severity: warning" in (cr01[0].text or "")
    assert "grade: weak" in (cr01[0].text or "")
    assert cases[10].find("failure") is None  # info is never a failure here
    assert suites[1].get("failures") == "0" and suites[1].get("tests") == "11"
    broken = suites[2]
    assert broken.get("errors") == "1" and broken.get("tests") == "1"
    assert broken.find("testcase/error") is not None
    assert root.get("tests") == "23"
    assert root.get("failures") == str(failing)
    assert root.get("errors") == "1"


def test_an_episode_of_many_days_is_one_failure_naming_its_span() -> None:
    long = _finding("CR02", "acute_chronic_load", "warning", "ACWR 1.8", end="2026-04-30")
    root = ET.fromstring(render_junit([_outcome("ana", [long])]).encode())
    fails = root.findall("testsuite/testcase/failure")
    assert len(fails) == 1
    text = fails[0].text or ""
    assert "dates: 2026-04-27 … 2026-04-30 (4 flagged days" in text
    assert "session: running 2026-04-27T07:00:00+00:00" in text
    assert root.get("failures") == "1"
