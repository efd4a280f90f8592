"""Team summaries: a 20-athlete synthetic squad analysed serially and in worker processes,
rows worst first, one entry per athlete in JSON; the ranking rules on their own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli_analyze import TODAY, add_athlete

from cramplog.analysis.batch import analyze_many
from cramplog.analysis.outcome import AthleteOutcome
from cramplog.analysis.team import TeamRow, goal_text, team_rows, trend_text
from cramplog.cli.app import run
from cramplog.model import SEVERITIES
from cramplog.store import Store

# spike size per athlete: None = no long run; 9.2 km vs 8 km = caution; ≥ 10.5 km = warning
SPIKES = [None, 9.2, 16.0, 11.0, None] * 4


@pytest.fixture(scope="module")
def squad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("squad") / "store.sqlite"
    with Store(db) as store:
        for i, spike in enumerate(SPIKES):
            add_athlete(store, f"runner{i:02d}", spike_km=spike, cramp=i % 3 == 0, days=42)
    return db


def test_twenty_athletes_worst_first(squad: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CRAMPLOG_TODAY", TODAY)
    code = run(["analyze", "--db", str(squad), "--summary", "--fail-on", "warning"])
    out, err = capsys.readouterr()
    assert code == 1, err
    rows = [ln for ln in out.splitlines() if ln.startswith("│") and ln.split("│")[1].strip()]
    names = [ln.split("│")[1].strip() for ln in rows]
    assert sorted(names) == [f"runner{i:02d}" for i in range(20)]
    # no spike: no findings, so last; a 16 km or 11 km spike is a warning, so among the first
    quiet = [f"runner{i:02d}" for i, s in enumerate(SPIKES) if s is None]
    assert sorted(names[-len(quiet) :]) == quiet
    assert {f"runner{i:02d}" for i, s in enumerate(SPIKES) if s == 16.0} <= set(names[:9])
    assert "Cramp timeline" not in out

    code = run(["analyze", "--db", str(squad), "-f", "json"])
    out, _ = capsys.readouterr()
    doc = json.loads(out)
    assert code == 0
    assert [a["athlete"] for a in doc["athletes"]] == [f"runner{i:02d}" for i in range(20)]

    # the summary order is the ranking of what the JSON reports
    def rank(a: dict) -> tuple:
        sev = [SEVERITIES.index(f["severity"]) for f in a["findings"]]
        n = {s: sum(f["severity"] == s for f in a["findings"]) for s in SEVERITIES}
        return (-max(sev, default=-1), -n["warning"], -n["caution"], -n["info"],
                -len(a["cramps"]), a["athlete"])  # fmt: skip

    assert names == [a["athlete"] for a in sorted(doc["athletes"], key=rank)]


def test_worker_processes_give_the_same_result(squad: Path, monkeypatch) -> None:
    import cramplog.analysis.batch
    import cramplog.analysis.stored

    with Store(squad) as store:
        names = store.athletes()
        serial = analyze_many(store, names, workers=1)
        monkeypatch.setattr(cramplog.analysis.batch, "POOL_MIN_SESSIONS", 0)
        parallel = analyze_many(store, names, workers=2)
    assert [o.athlete for o in parallel] == names
    assert [o.report for o in parallel] == [o.report for o in serial]
    assert [o.overview for o in parallel] == [o.overview for o in serial]
    assert all(o.ok for o in parallel)


def _outcome(name: str, counts: dict[str, int], cramps: int = 0) -> AthleteOutcome:
    worst = next((s for s in reversed(SEVERITIES) if counts.get(s)), None)
    return AthleteOutcome(
        athlete=name,
        report={"findings": [], "goal": None},
        overview={
            "counts": counts,
            "worst": {"rule": "CR01", "name": "session_spike", "severity": worst}
            if worst
            else None,
            "cramps_in_window": cramps,
            "sessions_in_window": 3,
            "ctl_now": 30.0,
            "ctl_then": 20.0,
        },
    )


def test_ranking_rules() -> None:
    outcomes = [
        AthleteOutcome(athlete="aa", error="no sessions for aa; import files first"),
        _outcome("quiet", {}),
        _outcome("one-caution", {"caution": 1}),
        _outcome("two-cautions", {"caution": 2}),
        _outcome("warning", {"warning": 1}),
        _outcome("warning+cramp", {"warning": 1}, cramps=1),
        _outcome("info", {"info": 3}),
    ]
    rows = team_rows(outcomes)
    assert [r.athlete for r in rows] == [
        "warning+cramp",
        "warning",
        "two-cautions",
        "one-caution",
        "info",
        "quiet",
        "aa",
    ]
    assert rows[-1].error is not None and rows[-1].sessions is None
    assert rows[0].worst == "CR01 session_spike" and rows[0].worst_severity == "warning"
    assert rows[0].trend == "20 → 30 (+50 %)"
    assert isinstance(rows[0], TeamRow) and rows[0].to_dict()["counts"]["warning"] == 1


def test_trend_and_goal_texts() -> None:
    assert trend_text({"ctl_now": None}) == "–"
    assert trend_text({"ctl_now": 12.4, "ctl_then": None}) == "CTL 12 (no 4-week history)"
    assert trend_text({"ctl_now": 30.0, "ctl_then": 40.0}) == "CTL 40 → 30 (-25 %)"
    goal = {
        "name": "Canyon 50K",
        "date": "2026-07-11",
        "distance_km": 50.0,
        "days_to_goal": 23,
        "assessments": [
            {"status": "flag"},
            {"status": "flag"},
            {"status": "ok"},
            {"status": "unknown"},
        ],
    }
    assert goal_text(goal, "2026-06-18") == "Canyon 50K (50 km) in 23 d: 2 gaps, 1 unknown"
    assert (
        goal_text(goal, "2026-08-01") == "Canyon 50K (50 km), past (2026-07-11): 2 gaps, 1 unknown"
    )
    assert goal_text(None) == "no goal set"
    goal["assessments"] = [{"status": "ok"}]
    assert goal_text(goal, "2026-06-18") == "Canyon 50K (50 km) in 23 d: no gaps found"


def test_a_generated_twenty_athlete_squad_folder(tmp_path: Path, capsys) -> None:
    """Issue 6: the generator's squad (FIT, GPX, CSV, athlete.toml, cramps.csv per athlete)
    imported and analysed from its team folder in one command."""
    from cramplog.samplegen import write_corpus

    folders = write_corpus(tmp_path / "team", athletes=20, years=0.12, seed=3)
    assert len(folders) == 20
    db = tmp_path / "store.sqlite"
    code = run(["analyze", str(tmp_path / "team"), "--db", str(db), "-f", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    assert doc["errors"] == []
    names = [a["athlete"] for a in doc["athletes"]]
    assert len(names) == len(set(names)) == 20
    with Store(db) as store:
        for a in doc["athletes"]:
            assert a["sessions"] == store.count_activities(a["athlete"]) > 0
    assert sum(len(a["cramps"]) for a in doc["athletes"]) >= 1
    code = run(["analyze", str(tmp_path / "team"), "--db", str(db), "--summary"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""  # warm: nothing new to import, nothing to say on stderr
    rows = [ln for ln in out.splitlines() if ln.startswith("│") and ln.split("│")[1].strip()]
    assert len(rows) >= 20  # one row per athlete (long names may fold onto a second line)
    assert {n for n in names if any(n.split()[0] in r for r in rows)} == set(names)


def test_window_label_says_which_day_the_report_is_as_of() -> None:
    from datetime import date

    from cramplog.analysis.team import window_label

    def o(name: str, since: str | None, today: str) -> AthleteOutcome:
        return AthleteOutcome(name, report={}, overview={"since": since, "today": today})

    today = date(2026, 12, 6)
    assert window_label([o("a", None, "2026-12-06")], today) == ""
    assert window_label([o("a", "2026-05-04", "2026-06-28")], today) == (
        "2026-05-04 … 2026-06-28, as of 2026-06-28, the log's last day (it has ended)"
    )
    ended = [o("a", None, "2026-06-28"), o("b", None, "2026-06-27")]
    assert window_label(ended, today) == "as of each log's last day (the logs have ended)"
    mixed = [o("a", "2026-05-04", "2026-06-28"), o("b", "2026-10-11", "2026-12-06")]
    assert "each athlete's analysis day" in window_label(mixed, today)
