"""``cramplog analyze`` on one screen: at most 80 lines at 100 columns for the sample season,
the sample team, and a three-year history; every cut says what it left out; the blocks pick
the right episodes at their day boundaries; ``--since`` follows a log that ended long ago;
episodes in JSON and CSV on the sample season."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from cramplog.analysis.outcome import AthleteOutcome
from cramplog.cli.app import run
from cramplog.render.disclaimer import WARNING_SIGNS
from cramplog.render.episode_text import (
    associations_that_matter,
    before_cramp,
    open_episodes,
    recent_episodes,
)
from cramplog.render.table import render_table

SAMPLE = Path(__file__).resolve().parents[1] / "sample_logs"
MAX_LINES = 80
RULES = [f"CR{i:02d}" for i in range(1, 12)]


def ep(rule: str, start: str, end: str | None = None, sev: str = "caution", **kw) -> dict:
    end = end or start
    days = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    return {
        "rule": rule,
        "name": f"name_of_{rule.lower()}",
        "start": start,
        "end": end,
        "days": days,
        "severity": sev,
        "grade": "weak",
        "message": "A long message that says a great deal about what happened " * 3,
        "evidence": {},
        "peak_day": start,
        "findings": days,
        "sessions": kw.get("sessions", []),
    }


def long_history() -> AthleteOutcome:
    """Three years of hand-built plain data: an episode of every rule every few days, a
    cramp a fortnight, dozens of associations, a goal with every rule flagged."""
    first = date(2024, 1, 1)
    episodes = []
    for k in range(3 * 365 // 2):
        day = first + timedelta(days=2 * k)
        sev = ("info", "caution", "warning")[k % 3]
        episodes.append(ep(RULES[k % 11], day.isoformat(), sev=sev))
    last = first + timedelta(days=3 * 365)
    cramps = [
        {
            "when": f"{(first + timedelta(days=14 * i)).isoformat()}T10:00:00+01:00",
            "muscle": "calf",
            "side": "left",
            "severity": 3,
            "timing": "during",
            "session": {"start": f"{(first + timedelta(days=14 * i)).isoformat()}T08:00:00+00:00"},
            "context": {},
        }
        for i in range(3 * 26)
    ]
    assoc = [
        {
            "feature": rule,
            "window": w,
            "case_exposed": 5,
            "case_unexposed": 3,
            "control_exposed": 40,
            "control_unexposed": 300,
            "relative_risk": 3.0,
            "p_value": 0.001,
            "p_holm": 0.01,
            "label": "hypothesis",
        }
        for rule in RULES
        for w in ("in_session", "days_0_7", "days_8_42")
    ]
    goal = {
        "name": "A very long goal race name " * 3,
        "date": (last + timedelta(days=20)).isoformat(),
        "distance_km": 100.0,
        "as_of": last.isoformat(),
        "days_to_goal": 20,
        "worst_severity": "warning",
        "assessments": [
            {
                "rule": r,
                "name": f"name_of_{r.lower()}",
                "status": "flag",
                "severity": "warning",
                "grade": "weak",
                "message": "m",
                "evidence": {},
                "sources": [],
            }
            for r in RULES
        ],  # fmt: skip
    }
    report = {
        "athlete": "Long",
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "findings": [],
        "episodes": episodes,
        "cramps": cramps,
        "personal": {"events": len(cramps), "shown": True, "associations": assoc},
        "goal": goal,
    }
    ov = {
        "athlete": "Long",
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "today": last.isoformat(),
        "sessions": 1500,
        "episode_counts": {"info": 500, "caution": 500, "warning": 500},
        "notes": ["a note " * 40] * 10,
    }
    return AthleteOutcome(athlete="Long", report=report, overview=ov)  # type: ignore[arg-type]


def test_a_three_year_history_fits_one_screen_and_says_what_it_left_out() -> None:
    o = long_history()
    text = render_table([o], width=100)
    lines = text.splitlines()
    assert len(lines) <= MAX_LINES, len(lines)
    assert max(len(line) for line in lines) <= 100
    assert "--all" in text and "--since" in text
    assert "more episodes outside these weeks" in text
    assert "earlier cramps not shown" in text
    assert "more associations not shown: --all" in text
    for sign in WARNING_SIGNS:  # every warning sign, whole
        assert " ".join(sign.split()) in " ".join(text.split())
    # --all shows every episode
    full = render_table([o], width=100, everything=True)
    assert len(full.splitlines()) > 10 * MAX_LINES


def test_blocks_cut_at_their_day_boundaries() -> None:
    day = date(2026, 6, 28)
    eps = [
        ep("CR02", "2026-06-14"),  # 14 days before: outside "open now" (the last 14 days)
        ep("CR03", "2026-06-15"),  # 13 days before: open
        ep("CR08", "2026-06-01", "2026-06-20"),  # reaches into the last 14 days: open
        ep("CR01", "2026-04-06"),  # 12 weeks back, first day (83 days before): recent
        ep("CR04", "2026-04-05"),  # 84 days before: outside
        ep("CR05", "2026-07-01"),  # after the analysis day: neither
    ]
    assert [e["rule"] for e in open_episodes(eps, day)] == ["CR03", "CR08"]
    assert [e["rule"] for e in recent_episodes(eps, day)] == ["CR02", "CR01"]


def test_before_a_cramp_splits_its_session_from_the_42_days_before() -> None:
    start = "2026-06-12T18:40:00+00:00"
    cramp = {"when": "2026-06-12T19:29:00-06:00", "session": {"start": start}}
    eps = [
        ep("CR08", "2026-06-12", sessions=[{"start": start}]),
        ep("CR02", "2026-05-01"),  # 42 days before: in
        ep("CR03", "2026-04-30"),  # 43 days before: out
        ep("CR09", "2026-06-10"),  # the cramp history rule is about cramps: left out
        ep("CR07", "2026-06-13"),  # after the cramp: out
    ]
    inside, before = before_cramp(eps, cramp)
    assert [e["rule"] for e in inside] == ["CR08"]
    assert [e["rule"] for e in before] == ["CR02"]


def test_associations_that_matter() -> None:
    rows = [
        {"feature": "CR01", "case_exposed": 1, "p_holm": 0.5},  # out
        {"feature": "CR02", "case_exposed": 2, "p_holm": 1.0},  # ≥ 2 exposed
        {"feature": "CR03", "case_exposed": 1, "p_holm": 0.04},  # survives Holm
    ]
    kept = associations_that_matter({"associations": rows})
    assert [a["feature"] for a in kept] == ["CR03", "CR02"]


# -- the bundled samples, end to end --------------------------------------------------------


def analyze(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = run(["analyze", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not (SAMPLE / "alex").is_dir():
        pytest.skip("sample_logs is not there")
    tmp = tmp_path_factory.mktemp("screen")
    out = {}
    for name, folder in (("alex", SAMPLE / "alex"), ("team", SAMPLE / "team")):
        db = tmp / f"{name}.sqlite"
        assert (
            run(["analyze", str(folder), "--db", str(db), "-f", "json", "-o", str(tmp / name)]) == 0
        )
        out[name] = db
    return out


@pytest.mark.parametrize("who", ["alex", "team"])
def test_the_samples_fit_one_screen(stores, capsys, monkeypatch, who: str) -> None:
    monkeypatch.setenv("CRAMPLOG_TODAY", "2026-06-30")
    out = analyze(capsys, "--db", str(stores[who]))
    lines = out.splitlines()
    assert len(lines) <= MAX_LINES, len(lines)
    assert max(len(line) for line in lines) <= 100
    assert "Open now" in out
    full = analyze(capsys, "--db", str(stores[who]), "--all")
    assert len(full.splitlines()) > len(lines)


def test_since_counts_back_from_the_day_an_ended_log_is_analysed_as_of(
    stores, capsys, monkeypatch
) -> None:
    # alex's log ends 2026-06-28; five months later 8 weeks still mean its last 8 weeks
    monkeypatch.setenv("CRAMPLOG_TODAY", "2026-12-06")
    doc = json.loads(analyze(capsys, "--db", str(stores["alex"]), "--since", "8w", "-f", "json"))
    assert doc["since"] == "2026-05-04"  # 2026-06-28 minus 55 days: 56 days inclusive
    (alex,) = doc["athletes"]
    assert alex["findings"] and min(f["date"] for f in alex["findings"]) >= "2026-05-04"
    out = analyze(capsys, "--db", str(stores["alex"]), "--since", "8w")
    assert "since 2026-05-04" in out
    assert "as of 2026-06-28, the log's last day" in out
    # a date stays a date
    doc = json.loads(
        analyze(capsys, "--db", str(stores["alex"]), "--since", "2026-06-01", "-f", "json")
    )
    assert doc["since"] == "2026-06-01"


def test_sample_episodes_in_json_and_csv(stores, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CRAMPLOG_TODAY", "2026-06-30")
    doc = json.loads(analyze(capsys, "--db", str(stores["alex"]), "-f", "json"))
    (alex,) = doc["athletes"]
    findings, episodes = alex["findings"], alex["episodes"]
    assert 0 < len(episodes) < len(findings)
    # every finding in exactly one episode of its rule; same-rule episodes > 3 days apart
    for f in findings:
        homes = [
            e for e in episodes if e["rule"] == f["rule"] and e["start"] <= f["date"] <= e["end"]
        ]
        assert len(homes) == 1, f
    assert sum(e["findings"] for e in episodes) == len(findings)
    for rule in {e["rule"] for e in episodes}:
        mine = [e for e in episodes if e["rule"] == rule]
        for a, b in zip(mine, mine[1:], strict=False):
            assert (date.fromisoformat(b["start"]) - date.fromisoformat(a["end"])).days > 3
    keys = {"rule", "name", "start", "end", "days", "severity", "grade", "message", "evidence",
            "sessions"}  # fmt: skip
    assert all(keys <= set(e) for e in episodes)
    # the CR02/CR03 block of March is one episode each, not a dozen days
    march = [e for e in episodes if e["rule"] in ("CR02", "CR03") and e["start"] <= "2026-03-13"
             and e["end"] >= "2026-03-02"]  # fmt: skip
    assert {e["rule"] for e in march} == {"CR02", "CR03"}
    # CSV: one row per finding by default, one per episode on request
    rows = list(
        csv.DictReader(io.StringIO(analyze(capsys, "--db", str(stores["alex"]), "-f", "csv")))
    )
    assert len(rows) == len(findings)
    out = analyze(capsys, "--db", str(stores["alex"]), "-f", "csv", "--csv-rows", "episodes")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(episodes)
    assert [(r["rule"], r["start"], r["end"], int(r["days"])) for r in rows] == [
        (e["rule"], e["start"], e["end"], e["days"]) for e in episodes
    ]
