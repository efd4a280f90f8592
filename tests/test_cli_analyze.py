"""``cramplog analyze`` end to end through ``run([...])``: formats, exit codes, errors, the
feature cache, team summaries and broken athletes.

The store is built directly from ``Activity`` objects with numpy streams, so the expected
findings are known: ``ana`` runs 8 km every other day for eight weeks, then 16 km (CR01
session_spike at warning, CR10 duration_exposure) and cramps during it; ``bea`` runs the
same easy pattern without the spike and has no findings.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from cramplog.cli.app import run
from cramplog.model import Activity, CrampEvent, Profile, Stream
from cramplog.store import Store

START = datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)
DAYS = 56
SPIKE_DAY = (START + timedelta(days=DAYS)).date()  # 2026-04-27
TODAY = "2026-04-27"
FINDING_KEYS = {"rule", "name", "date", "severity", "session", "evidence", "grade", "message"}


def make_run(start: datetime, km: float, hr: float = 140.0, pace_s: float = 340.0) -> Activity:
    """A flat run at an even pace, one sample every 10 s, with HR and elevation."""
    dur = km * pace_s
    t = np.arange(0.0, dur + 1.0, 10.0)
    dist = t / pace_s * 1000.0
    rng = np.random.default_rng(int(start.timestamp()) % 10_000)
    stream = Stream(
        t_s=t,
        distance_m=dist,
        elevation_m=100.0 + 2.0 * np.sin(dist / 500.0),
        hr_bpm=hr + rng.normal(0.0, 3.0, len(t)),
        speed_mps=np.full(len(t), 1000.0 / pace_s),
    )
    return Activity(
        sport="running",
        start=start,
        elapsed_s=float(t[-1]),
        moving_s=float(t[-1]),
        distance_m=float(dist[-1]),
        hr_avg=hr,
        title=f"run {start.date()}",
        stream=stream,
    )


def add_athlete(
    store: Store,
    name: str,
    *,
    spike_km: float | None = 16.0,
    cramp: bool = True,
    days: int = DAYS,
    base_km: float = 8.0,
) -> None:
    """Easy ``base_km`` runs every other day for ``days`` days, then (optionally) one long run."""
    store.set_profile(
        Profile(name=name, sex="female", hr_max=190.0, hr_rest=50.0, timezone="Europe/Berlin")
    )
    acts = [make_run(START + timedelta(days=d), base_km) for d in range(0, days, 2)]
    if spike_km is not None:
        acts.append(make_run(START + timedelta(days=days), spike_km))
    for i, a in enumerate(acts):
        store.add_file(name, f"{name}-{i}", f"{name}/{i}.fit", "fit", 1000, [a])
    if cramp and spike_km is not None:
        when = (START + timedelta(days=days, minutes=70)).astimezone(timezone(timedelta(hours=2)))
        night = datetime(2026, 3, 22, 23, 30, tzinfo=timezone(timedelta(hours=1)))
        store.add_cramps(
            name,
            [
                CrampEvent(when=night, muscle="hamstring", timing="night"),
                CrampEvent(when=when, muscle="calf", side="left", severity=3, timing="during"),
            ],
        )


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CRAMPLOG_TODAY", TODAY)
    return TODAY


@pytest.fixture
def one(db_path: Path, today: str) -> Path:
    with Store(db_path) as store:
        add_athlete(store, "ana")
    return db_path


@pytest.fixture
def two(db_path: Path, today: str) -> Path:
    with Store(db_path) as store:
        add_athlete(store, "ana")
        add_athlete(store, "bea", spike_km=None, cramp=False)
    return db_path


def analyze(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["analyze", *args])
    out, err = capsys.readouterr()
    return code, out, err


# -- one athlete ---------------------------------------------------------------------------


def test_table_has_every_section_and_the_disclaimer(one: Path, capsys) -> None:
    from cramplog.render.disclaimer import WARNING_SIGNS

    for args in ((), ("--all",)):
        code, out, err = analyze(capsys, *args)
        assert code == 0, err
        assert "CR01 session_spike" in out
        assert SPIKE_DAY.isoformat() in out
        assert "warning" in out and "weak" in out  # severity and grade
        assert "calf, left," in out
        assert "Personal associations need ≥ 5 logged cramps; 2 so far." in out
        assert "HR max 190 / rest 50 bpm (from the profile)" in out
        assert "No goal in the profile (add a [[goal]] table to athlete.toml" in out
        assert "It is not medical advice" in out
        assert WARNING_SIGNS[0][:40] in " ".join(out.split())
        assert "\x1b[" not in out  # no colour when stdout is not a terminal
        assert max(len(line) for line in out.splitlines()) <= 100
        assert err == ""
        # one screen by default, every section in full with --all
        assert ("Cramp timeline" in out) == bool(args)
        assert ("Before your cramps" in out) == (not args)
        assert ("Open now" in out) == (not args)


def test_json_schema(one: Path, capsys) -> None:
    code, out, _ = analyze(capsys, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["schema_version"] == 1
    assert doc["generated_by"].startswith("cramplog ")
    assert len(doc["athletes"]) == 1 and doc["errors"] == []
    ana = doc["athletes"][0]
    assert ana["athlete"] == "ana"
    assert ana["findings"], "the spike must be reported"
    for f in ana["findings"]:
        assert set(f) >= FINDING_KEYS, f
        assert set(f) - FINDING_KEYS <= {"sources"}
    spike = [f for f in ana["findings"] if f["rule"] == "CR01"]
    assert [(f["date"], f["severity"]) for f in spike] == [(SPIKE_DAY.isoformat(), "warning")]
    assert spike[0]["session"]["sport"] == "running"
    assert spike[0]["grade"] == "weak"
    night, cramp = ana["cramps"]
    assert night["session"] is None and night["timing"] == "night"
    assert cramp["session"] is not None
    assert "CR01" in cramp["context"]["in_session"]


@pytest.mark.parametrize(
    ("fail_on", "athlete", "expected"),
    [
        ("never", "ana", 0),
        ("warning", "ana", 1),
        ("caution", "ana", 1),
        ("warning", "bea", 0),
        ("caution", "bea", 0),
    ],
)
def test_fail_on_exit_codes(two: Path, capsys, fail_on: str, athlete: str, expected: int) -> None:
    code, out, err = analyze(capsys, "--athlete", athlete, "--fail-on", fail_on, "-f", "json")
    assert code == expected, err
    assert json.loads(out)["athletes"][0]["athlete"] == athlete


def add_graded(store: Store, names: list[str]) -> None:
    """One athlete per worst severity, each planted by hand:
    ana: 8 km runs, then 16 km (CR01 ratio 2.0 > 1.30: warning);
    cai: 8 km runs, then 9.4 km (CR01 ratio 1.175, above 1.10 and not above 1.30: caution;
    CR10's duration ratio 1.175 is under its 1.2);
    dan: 45 km runs at 5:40/km, 4 h 15 min each, all alike (CR11 at >= 4 h: info; no spike);
    bea: 8 km runs, nothing else (no finding)."""
    kw: dict[str, dict] = {
        "ana": {},
        "bea": {"spike_km": None, "cramp": False},
        "cai": {"spike_km": 9.4, "cramp": False},
        "dan": {"spike_km": None, "cramp": False, "base_km": 45.0},
    }
    for name in names:
        add_athlete(store, name, **kw[name])


@pytest.fixture
def graded(db_path: Path, today: str) -> Path:
    with Store(db_path) as store:
        add_graded(store, ["ana", "bea", "cai", "dan"])
    return db_path


WORST = {"ana": "warning", "cai": "caution", "dan": "info", "bea": None}


@pytest.mark.parametrize("athlete", sorted(WORST))
def test_graded_athletes_worst_finding(graded: Path, capsys, athlete: str) -> None:
    """The fixture is what it claims: each athlete's worst severity."""
    code, out, err = analyze(capsys, "--athlete", athlete, "-f", "json")
    assert code == 0, err
    sev = [f["severity"] for f in json.loads(out)["athletes"][0]["findings"]]
    order = ["info", "caution", "warning"]
    assert (max(sev, key=order.index) if sev else None) == WORST[athlete], sev


@pytest.mark.parametrize(
    ("athlete", "fail_on", "expected"),
    [
        ("ana", "never", 0),
        ("ana", "caution", 1),
        ("ana", "warning", 1),
        ("cai", "never", 0),
        ("cai", "caution", 1),  # a caution is at or above caution ...
        ("cai", "warning", 0),  # ... but not at or above warning
        ("dan", "never", 0),
        ("dan", "caution", 0),  # an info never fails a run
        ("dan", "warning", 0),
        ("bea", "caution", 0),
    ],
)
def test_fail_on_by_worst_severity(
    graded: Path, capsys, athlete: str, fail_on: str, expected: int
) -> None:
    """--fail-on end to end, one athlete per worst severity (kills ``>= 0`` for the level)."""
    code, _, err = analyze(capsys, "--athlete", athlete, "--fail-on", fail_on, "-f", "json")
    assert code == expected, err


@pytest.mark.parametrize(
    ("athletes", "fail_on", "expected"),
    [
        (["bea", "dan"], "caution", 0),
        (["bea", "cai", "dan"], "warning", 0),
        (["bea", "cai", "dan"], "caution", 1),
        (["ana", "bea", "cai", "dan"], "warning", 1),
    ],
)
def test_fail_on_over_a_team(
    db_path: Path, today: str, capsys, athletes: list[str], fail_on: str, expected: int
) -> None:
    """A squad's exit code is its worst athlete's (JUnit, as CI runs it)."""
    with Store(db_path) as store:
        add_graded(store, athletes)
    code, out, err = analyze(capsys, "--fail-on", fail_on, "--format", "junit")
    assert code == expected, err
    assert out.count("<testsuite ") == len(athletes)


def test_since_limits_findings_and_cramps_but_keeps_baselines(one: Path, capsys) -> None:
    _, out, _ = analyze(capsys, "-f", "json")
    everything = json.loads(out)["athletes"][0]
    code, out, _ = analyze(capsys, "-f", "json", "--since", "2d")
    assert code == 0
    recent = json.loads(out)["athletes"][0]
    assert {f["date"] for f in recent["findings"]} <= {"2026-04-26", "2026-04-27"}
    # the spike is still judged against the whole history
    assert [f for f in recent["findings"] if f["rule"] == "CR01"] == [
        f for f in everything["findings"] if f["rule"] == "CR01"
    ]
    assert len(everything["cramps"]) == 2
    assert [c["muscle"] for c in recent["cramps"]] == ["calf"]
    code, out, _ = analyze(capsys, "-f", "json", "--since", "2026-03-22", "--athlete", "ana")
    assert code == 0
    assert len(json.loads(out)["athletes"][0]["cramps"]) == 2
    code, out, _ = analyze(capsys, "-f", "json", "--since", "2026-03-23")
    assert len(json.loads(out)["athletes"][0]["cramps"]) == 1


@pytest.mark.parametrize("bad", ["fortnight", "14x", "0d", "2026-13-01", "2099-01-01", ""])
def test_bad_since_is_a_usage_error(one: Path, capsys, bad: str) -> None:
    code, out, err = analyze(capsys, "--since", bad)
    assert code == 2
    assert out == ""
    assert err.startswith("cramplog: error: --since")
    assert len(err.strip().splitlines()) == 1


def test_unknown_athlete(one: Path, capsys) -> None:
    code, out, err = analyze(capsys, "--athlete", "zoe")
    assert code == 2 and out == ""
    assert "no athlete named 'zoe'" in err


def test_no_sessions(db_path: Path, today: str, capsys) -> None:
    with Store(db_path) as store:
        store.set_profile(Profile(name="cal"))
    code, out, err = analyze(capsys)
    assert code == 2 and out == ""
    assert err.strip() == "cramplog: error: no sessions for cal; import files first"


def test_no_store(tmp_path: Path, capsys) -> None:
    code, _, err = analyze(capsys, "--db", str(tmp_path / "none.sqlite"))
    assert code == 2 and "import" in err


def test_csv_one_row_per_finding_and_formula_safe(db_path: Path, today: str, capsys) -> None:
    with Store(db_path) as store:
        add_athlete(store, "=HYPERLINK(1)")
    code, out, _ = analyze(capsys, "-f", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    _, js, _ = analyze(capsys, "-f", "json")
    findings = json.loads(js)["athletes"][0]["findings"]
    assert len(rows) == len(findings) > 0
    assert {r["athlete"] for r in rows} == {"'=HYPERLINK(1)"}
    spike = next(r for r in rows if r["rule"] == "CR01")
    assert spike["severity"] == "warning" and spike["grade"] == "weak"
    assert spike["sport"] == "running" and spike["session_start"].startswith("2026-04-27")
    assert json.loads(spike["evidence"])["metric"] == "distance"
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_junit_well_formed_with_correct_counts(two: Path, capsys, tmp_path: Path) -> None:
    out_file = tmp_path / "out" / "cramplog.xml"
    code, out, _ = analyze(capsys, "-f", "junit", "-o", str(out_file))
    assert code == 0 and out == ""
    root = ET.parse(out_file).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["ana", "bea"]
    for s in suites:
        cases = s.findall("testcase")
        assert len(cases) == int(s.get("tests", "-1")) == 11
        assert cases[0].get("name") == "CR01 session_spike"
        assert cases[0].get("classname") == f"cramplog.{s.get('name')}"
        failed = [c for c in cases if c.find("failure") is not None]
        assert len(failed) == int(s.get("failures", "-1"))
    ana_failures = suites[0].findall("testcase/failure")
    assert ana_failures, "the spike is a warning, so a failure under the default level"
    assert all(f.get("type") == "warning" for f in ana_failures)
    assert "date: 2026-04-27" in (ana_failures[0].text or "")
    assert "grade: weak" in (ana_failures[0].text or "")
    assert suites[1].findall("testcase/failure") == []
    assert int(root.get("tests", "0")) == 22
    assert int(root.get("failures", "-1")) == sum(int(s.get("failures", "0")) for s in suites)


def test_markdown_carries_disclaimer_and_grades(one: Path, capsys) -> None:
    code, out, _ = analyze(capsys, "-f", "markdown")
    assert code == 0
    assert out.startswith("# cramplog analysis")
    assert "`CR01 session_spike` **warning** (1 day, evidence: weak)" in out
    assert "**About these results.**" in out and "not medical advice" in out
    assert "| when | cramp | session | in session | 0–7 d | 8–42 d |" in out


# -- the feature cache ---------------------------------------------------------------------


def test_warm_run_computes_no_features(one: Path, capsys, monkeypatch) -> None:
    import cramplog.analysis.athlete
    import cramplog.features.compute

    calls = {"n": 0}
    real = cramplog.features.compute.compute_features

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return real(*a, **k)

    monkeypatch.setattr(cramplog.features.compute, "compute_features", counting)
    monkeypatch.setattr(cramplog.analysis.athlete, "compute_features", counting)
    code, first, _ = analyze(capsys, "-f", "json")
    assert code == 0 and calls["n"] == DAYS // 2 + 1
    calls["n"] = 0
    code, second, _ = analyze(capsys, "-f", "json")
    assert code == 0 and calls["n"] == 0
    assert first == second


def test_profile_change_invalidates_the_cache(one: Path) -> None:
    from cramplog.analysis.stored import analyze_stored

    with Store(one) as store:
        assert analyze_stored(store, "ana").stats.computed == DAYS // 2 + 1
        assert analyze_stored(store, "ana").stats.computed == 0
        prof = store.get_profile("ana")
        assert prof is not None
        prof.hr_max = 185.0
        store.set_profile(prof)
        stats = analyze_stored(store, "ana").stats
        assert stats.computed == DAYS // 2 + 1 and stats.cached == 0


# -- several athletes ----------------------------------------------------------------------


def test_team_summary_worst_first_and_broken_athlete(two: Path, capsys) -> None:
    with Store(two) as store:
        store.set_profile(Profile(name="aaron"))  # no sessions: sorts first by name, must not
    code, out, err = analyze(capsys, "--fail-on", "warning")
    assert code == 1
    summary = out.split("\n\n")[0]
    rows = [line for line in summary.splitlines() if line.startswith("│")]
    names = [r.split("│")[1].strip() for r in rows]
    assert [n for n in names if n] == ["ana", "bea", "aaron"]
    assert "not analysed: aaron: no sessions for aaron" in out
    assert "CR01 session_spike" in rows[0]
    assert "cramplog: warning: aaron: no sessions for aaron" in err
    # one screen: what is open for each athlete, and how to see the rest
    assert out.count("About these results") == 1
    assert "Open now" in out and "--athlete NAME" in out
    assert "Cramp timeline" not in out
    # --all: details follow the summary, one section per athlete, the disclaimer once
    code, out, _ = analyze(capsys, "--all")
    assert code == 0
    assert out.count("About these results") == 1
    assert out.count("Episodes (") == 1 and "No findings in this period." in out
    assert "Cramp timeline" in out


def test_summary_only(two: Path, capsys) -> None:
    code, out, _ = analyze(capsys, "--summary")
    assert code == 0
    assert "Team summary: 2 athlete(s)" in out
    assert "Cramp timeline" not in out
    assert "About these results" in out


def test_all_athletes_broken_exits_2(db_path: Path, today: str, capsys) -> None:
    with Store(db_path) as store:
        store.set_profile(Profile(name="x"))
        store.set_profile(Profile(name="y"))
    code, out, err = analyze(capsys)
    assert code == 2 and out == ""
    assert "no athlete could be analysed" in err


# -- with paths: import first --------------------------------------------------------------


def _gpx(start: datetime, km: float, n: int = 200) -> str:
    pts = []
    for i in range(n):
        t = start + timedelta(seconds=i * km * 340.0 / n)
        lat = 47.0 + i * (km / n) / 111.0
        pts.append(
            f'<trkpt lat="{lat:.6f}" lon="8.000000"><ele>400</ele>'
            f"<time>{t.strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        "<trk><type>running</type><trkseg>" + "".join(pts) + "</trkseg></trk></gpx>"
    )


def _athlete_folder(root: Path, name: str, runs: int = 6, toml: str | None = None) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "athlete.toml").write_text(
        toml if toml is not None else f'[athlete]\nname = "{name}"\ntimezone = "Europe/Berlin"\n'
    )
    for i in range(runs):
        start = START + timedelta(days=2 * i)
        (folder / f"run{i}.gpx").write_text(_gpx(start, 8.0 if i < runs - 1 else 14.0))
    return folder


def test_team_folder_imports_once_and_survives_a_broken_athlete(
    db_path: Path, today: str, tmp_path: Path, capsys
) -> None:
    team = tmp_path / "team"
    _athlete_folder(team, "dora")
    bad = _athlete_folder(team, "emil", runs=0)
    (bad / "watch.fit").write_bytes(b"this is not a FIT file at all")
    _athlete_folder(team, "finn", runs=0, toml="[athlete\nname = broken")
    code, out, err = analyze(capsys, str(team), "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert [a["athlete"] for a in doc["athletes"]] == ["dora"]
    errors = {e["athlete"]: e["error"] for e in doc["errors"]}
    assert set(errors) == {"emil", "finn"}
    assert "no sessions for emil" in errors["emil"] and "1 file(s) failed" in errors["emil"]
    assert "dora: 6 file(s) imported" in err  # the import summary, on stderr
    # second run: nothing new to parse; only the failure is mentioned again
    code, out2, err2 = analyze(capsys, str(team), "-f", "json")
    assert code == 0
    assert "dora:" not in err2
    assert json.loads(out2)["athletes"] == doc["athletes"]


def test_roster(db_path: Path, today: str, tmp_path: Path, capsys) -> None:
    _athlete_folder(tmp_path / "squad", "gina")
    _athlete_folder(tmp_path / "squad", "hugo")
    roster = tmp_path / "roster.txt"
    roster.write_text("# our squad\nsquad/hugo\n\n  squad/gina  # new this year\n")
    code, out, err = analyze(capsys, "--roster", str(roster), "-f", "json")
    assert code == 0, err
    assert [a["athlete"] for a in json.loads(out)["athletes"]] == ["hugo", "gina"]


def test_athlete_option_with_several_folders_is_a_usage_error(
    db_path: Path, tmp_path: Path, capsys
) -> None:
    a = _athlete_folder(tmp_path, "ivy", runs=1)
    b = _athlete_folder(tmp_path, "jon", runs=1)
    code, _, err = analyze(capsys, str(a), str(b), "--athlete", "x")
    assert code == 2 and "--athlete" in err


def test_parse_since() -> None:
    from cramplog.journal.since import parse_since

    today = date(2026, 5, 14)
    assert parse_since("14d", today) == date(2026, 5, 1)
    assert parse_since("1d", today) == today
    assert parse_since("8w", today) == today - timedelta(days=55)
    assert parse_since(" 2 weeks ", today) == date(2026, 5, 1)
    assert parse_since("2026-04-01", today) == date(2026, 4, 1)


# -- the bundled sample season -------------------------------------------------------------

ALEX = Path(__file__).resolve().parents[1] / "sample_logs" / "alex"

# (rule, first day, last day) for each planted episode of sample_logs/README.md
EPISODES = [
    ("CR01", "2026-02-07", "2026-02-07"),
    ("CR02", "2026-03-02", "2026-03-13"),
    ("CR03", "2026-03-02", "2026-03-13"),
    ("CR04", "2026-04-05", "2026-04-05"),
    ("CR06", "2026-04-25", "2026-04-25"),
    ("CR07", "2026-05-16", "2026-05-16"),
    ("CR11", "2026-05-16", "2026-05-16"),
    ("CR08", "2026-06-08", "2026-06-12"),
]


@pytest.fixture(scope="module")
def alex_json(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str, Path]:
    if not ALEX.is_dir():
        pytest.skip("sample_logs/alex is not there")
    db = tmp_path_factory.mktemp("alex") / "store.sqlite"
    code = run(
        [
            "analyze",
            str(ALEX),
            "--format",
            "json",
            "--db",
            str(db),
            "-o",
            str(db.with_suffix(".json")),
        ]
    )
    assert code == 0
    return json.loads(db.with_suffix(".json").read_text()), str(db), db.with_suffix(".json")


@pytest.mark.slow
@pytest.mark.parametrize(("rule", "first", "last"), EPISODES)
def test_sample_season_planted_episodes(alex_json, rule: str, first: str, last: str) -> None:
    doc = alex_json[0]
    (alex,) = doc["athletes"]
    assert alex["athlete"] == "Alex Moreno"
    days = [f["date"] for f in alex["findings"] if f["rule"] == rule]
    assert any(first <= d <= last for d in days), (rule, days)


@pytest.mark.slow
def test_sample_season_warm_run_is_quiet_and_identical(alex_json, capsys) -> None:
    doc, db, _ = alex_json
    code = run(["analyze", str(ALEX), "--format", "json", "--db", db])
    out, err = capsys.readouterr()
    assert code == 0
    assert err == ""  # nothing new imported, nothing failed: no import summary
    assert json.loads(out)["athletes"] == doc["athletes"]
    assert len(doc["athletes"][0]["cramps"]) == 8


def test_a_log_that_ended_long_ago_is_analysed_as_of_its_last_day():
    from datetime import date

    from cramplog.analysis.stored import LOG_ENDED_DAYS, analysis_day

    last = date(2026, 6, 28)
    assert analysis_day(date(2026, 11, 21), last) == last  # months later: the log's end
    assert analysis_day(last.replace(day=30), last) == date(2026, 6, 30)  # a live log: today
    edge = date.fromordinal(last.toordinal() + LOG_ENDED_DAYS)
    assert analysis_day(edge, last) == edge
    assert analysis_day(None, last) == last


# The quiet stretches of sample_logs/README.md: no planted pattern, cool and flat.
QUIET = [("2026-01-12", "2026-02-01"), ("2026-02-16", "2026-03-01"), ("2026-03-16", "2026-03-29")]


@pytest.mark.slow
@pytest.mark.parametrize(("first", "last"), QUIET)
def test_sample_season_quiet_weeks_raise_no_warning(alex_json, first: str, last: str) -> None:
    (alex,) = alex_json[0]["athletes"]
    warnings = [
        (f["date"], f["rule"])
        for f in alex["findings"]
        if first <= f["date"] <= last and f["severity"] == "warning"
    ]
    assert warnings == []
    # and the planted episodes around them are found, so the window is not simply empty
    assert any(f["date"] < first or f["date"] > last for f in alex["findings"])


def test_a_missing_folder_is_one_line_and_exit_2(tmp_path: Path, cli) -> None:
    """Bad input is one line on stderr (what, where), exit 2, nothing on stdout."""
    missing = tmp_path / "no-such-export"
    r = cli("analyze", str(missing), "--db", str(tmp_path / "s.sqlite"), code=2)
    assert r.out == ""
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    assert str(missing) in lines[0] and "no such file or folder" in lines[0]
