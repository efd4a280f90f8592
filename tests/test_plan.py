"""Goal readiness against a course file, and the plan for the weeks left: on the sample, on
a goal too close to prepare for, and the bad inputs (misspelt goal keys, missing course)."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from cramplog.errors import InputError
from cramplog.journal.profile import dump_profile_toml, load_profile_toml

ALEX = Path(__file__).resolve().parents[1] / "sample_logs" / "alex"
GOAL_DAY = date(2026, 7, 11)  # Canyon Rim 50K
TAPER = GOAL_DAY - timedelta(days=14)


# -- athlete.toml ----------------------------------------------------------------------------


def test_misspelt_goal_key_is_an_error_naming_the_closest() -> None:
    doc = b'[[goal]]\nname = "T"\ndate = 2026-06-14\ndistnace_km = 42.2\n'
    with pytest.raises(InputError) as exc:
        load_profile_toml(doc, "athlete.toml", default_name="x")
    msg = str(exc.value)
    assert "athlete.toml" in msg and "'distnace_km'" in msg and "'distance_km'" in msg


def test_course_key_round_trips() -> None:
    doc = b'[[goal]]\nname = "T"\ndate = 2026-06-14\ncourse = "t50.gpx"\n'
    p = load_profile_toml(doc, "athlete.toml", default_name="x")
    assert p.goals[0].course == "t50.gpx"
    again = load_profile_toml(dump_profile_toml(p).encode(), "a.toml", default_name="x")
    assert again == p


def test_course_must_be_a_course_format() -> None:
    doc = b'[[goal]]\ndate = 2026-06-14\ncourse = "t50.csv"\n'
    with pytest.raises(InputError, match="course: must be a .gpx, .tcx or .fit"):
        load_profile_toml(doc, "athlete.toml", default_name="x")


# -- the sample ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def alex_store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from cramplog.importer.pipeline import import_paths
    from cramplog.store import Store

    if not ALEX.is_dir():
        pytest.skip("sample_logs/alex is not there")
    store = Store(tmp_path_factory.mktemp("alex") / "store.sqlite")
    report = import_paths(store, [ALEX], workers=1)
    assert report.failed == []  # the course file is not taken for an activity
    return store


def readiness(store, today: date):  # type: ignore[no-untyped-def]
    from cramplog.analysis.stored import analyze_stored

    return analyze_stored(store, "Alex Moreno", today=today).report


def test_sample_readiness_uses_the_course(alex_store) -> None:  # type: ignore[no-untyped-def]
    r = readiness(alex_store, date(2026, 5, 20))
    g = r.goal
    assert g.course is not None and g.course.path.endswith("canyon_rim_50k.gpx")
    # the course's numbers replace the typed ones (50 km, 2,800 m: within 10 %, no note)
    assert g.goal.distance_km == round(g.course.distance_km, 2)
    assert g.goal.descent_m == pytest.approx(g.course.descent_m, abs=0.5)
    assert g.notes == []
    by = {a.rule: a for a in g.assessments}
    assert by["CR06"].evidence["source"] == "course"
    assert by["CR06"].evidence["goal_e10_km"] == pytest.approx(g.course.e10_km)
    # per week as well as per session
    assert (
        by["CR06"].evidence["prior_max_week_descent_m"]
        >= by["CR06"].evidence["prior_max_descent_m"]
    )
    # CR04 / CR10: the climb-adjusted prediction, longer than flat Riegel from the same runs
    assert "ITRA effort km" in by["CR04"].evidence["method"]
    assert by["CR10"].evidence["duration_from"] == "climb-adjusted prediction"


@pytest.mark.parametrize("today", [date(2026, 4, 1), date(2026, 5, 1)])
def test_sample_plan_is_dated_and_safe(alex_store, today: date) -> None:  # type: ignore[no-untyped-def]
    """On 1 April and 1 May (14 and 10 weeks out) the sample's flags each get one dated step. Checked by hand:
    the long runs are ≥ 7 days apart, before the taper, each ≤ +10 % on the longest run of
    the 30 days before (CR01's caution line) and reach 0.75 × the course with 3 runs ≥ 28 km
    (CR05); the descent rides on those runs, each ≤ 1.5 × the largest descent of the 42 days
    before (CR06's line), up to the course's descent ÷ 1.5. And CR01 itself, run over the
    history with the planned runs, stays quiet on them."""
    from cramplog.analysis.plan import PlanStep
    from cramplog.metrics.daily import daily_series
    from cramplog.model import Profile
    from cramplog.rules import RULES, RuleInputs
    from cramplog.thresholds import merge

    r = readiness(alex_store, today)
    steps: list[PlanStep] = r.goal.plan
    flagged = {a.rule for a in r.goal.assessments if a.status == "flag"}
    assert {"CR05", "CR06", "CR07", "CR10"} <= flagged
    by_rule = {s.rule: s for s in steps}
    assert {"CR05", "CR10", "CR06", "CR07"} <= set(by_rule)
    for s in steps:
        assert s.sources and s.grade in ("anecdotal", "weak", "moderate", "strong")
        assert today < s.by <= GOAL_DAY
    hist = [f for f in r.session_features if f.local_date <= today]
    runs = by_rule["CR05"].sessions
    assert by_rule["CR05"].feasible
    assert max(p.distance_km for p in runs) >= 0.75 * r.goal.goal.distance_km
    assert sum(1 for p in runs if p.distance_km >= 28) >= 3
    for i, p in enumerate(runs):
        assert today < p.local_date <= TAPER
        if i:
            assert (p.local_date - runs[i - 1].local_date).days >= 7
        before = [
            f.distance_m
            for f in [h for h in hist if h.family == "running"] + runs[:i]
            if p.local_date - timedelta(days=30) <= f.local_date < p.local_date and f.distance_m
        ]
        assert p.distance_m <= 1.10 * max(before) + 1e-6
    hilly = by_rule["CR06"].sessions
    assert by_rule["CR06"].feasible and {p.local_date for p in hilly} <= {
        p.local_date for p in runs
    }
    for i, p in enumerate(hilly):
        prior = [
            f.descent_m or 0.0
            for f in hist + hilly[:i]
            if p.local_date - timedelta(days=42) <= f.local_date < p.local_date
        ]
        assert p.descent_m <= 1.5 * max(prior + [300 / 1.5]) + 1e-6
    assert hilly[-1].descent_m >= r.goal.course.descent_m / 1.5 - 50
    feats = sorted(hist + runs, key=lambda f: f.start)
    daily = daily_series(feats, today=GOAL_DAY)
    ctx = RuleInputs(feats, daily, Profile("x"), merge({}), GOAL_DAY)
    planned_ids = {p.activity_id for p in runs}
    assert not [f for f in RULES["CR01"].run(ctx) if f.activity_id in planned_ids]
    heat = by_rule["CR07"]
    assert heat.feasible and 5 <= heat.target["sessions"] <= 10
    assert all(GOAL_DAY - timedelta(days=14) <= p.local_date < GOAL_DAY for p in heat.sessions)


def test_goal_too_close_says_so(alex_store) -> None:  # type: ignore[no-untyped-def]
    r = readiness(alex_store, GOAL_DAY - timedelta(days=4))
    steps = {s.rule: s for s in r.goal.plan}
    for rule in ("CR05", "CR10", "CR06", "CR07"):
        assert steps[rule].feasible is False
        assert steps[rule].action.startswith("Too little time")
        assert steps[rule].sessions == [] or rule == "CR07"
    assert not steps["CR07"].sessions


def test_past_goal_has_no_plan(alex_store) -> None:  # type: ignore[no-untyped-def]
    r = readiness(alex_store, GOAL_DAY + timedelta(days=1))
    assert r.goal.as_of == GOAL_DAY - timedelta(days=1)  # "how ready were you"
    assert r.goal.plan == []


# -- through the CLI: JSON, a course without elevation, a missing course, a disagreement ----


def athlete_folder(
    tmp: Path, course: str | None, course_bytes: bytes | None, distance: float
) -> Path:
    folder = tmp / "ana"
    (folder / "fit").mkdir(parents=True)
    for p in sorted((ALEX / "fit").glob("*.fit"))[-40:]:
        shutil.copy(p, folder / "fit" / p.name)
    lines = [
        '[athlete]\nname = "Ana"\nsex = "female"\nhr_max = 188\nhr_rest = 48\n',
        f'[[goal]]\nname = "Hill race"\ndate = 2026-07-11\ndistance_km = {distance}\n',
        "descent_m = 2800\ntemperature_c = 27.0\n",
    ]
    if course:
        lines.append(f'course = "{course}"\n')
    (folder / "athlete.toml").write_text("".join(lines), encoding="utf-8")
    if course and course_bytes is not None:
        (folder / course).write_bytes(course_bytes)
    return folder


def test_json_course_and_plan(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = (ALEX / "canyon_rim_50k.gpx").read_bytes()
    folder = athlete_folder(tmp_path, "rim.gpx", data, 30.0)
    res = cli("analyze", str(folder), "--format", "json", "--db", str(tmp_path / "s.db"), code=None)
    assert res.code in (0, 1), res.err
    doc = res.json
    goal = doc["goal"] if "goal" in doc else doc["athletes"][0]["goal"]
    c = goal["course"]
    assert set(c) >= {"file", "distance_km", "ascent_m", "descent_m", "e10_km", "e15_km",
                      "longest_descent_m"}  # fmt: skip
    assert c["file"].endswith("rim.gpx")
    # 30 km typed, 50 km measured: a note, and the course wins
    assert any("distance_km = 30" in n and "using the course" in n for n in goal["course_notes"])
    assert goal["distance_km"] == pytest.approx(c["distance_km"], abs=1e-9)
    for step in goal["plan"]:
        assert set(step) >= {"rule", "by", "action", "target", "sources"}
        date.fromisoformat(step["by"])
        json.dumps(step["target"])


def test_course_without_elevation(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    pts = "".join(f'<rtept lat="{45 + i * 0.0009:.6f}" lon="7.0"/>' for i in range(300))
    doc = f'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><rte>{pts}</rte></gpx>'
    folder = athlete_folder(tmp_path, "flat.gpx", doc.encode(), 30.0)
    res = cli("analyze", str(folder), "--format", "json", "--db", str(tmp_path / "s.db"), code=None)
    d = res.json
    goal = d["goal"] if "goal" in d else d["athletes"][0]["goal"]
    cr06 = next(a for a in goal["assessments"] if a["rule"] == "CR06")
    assert cr06["status"] == "unknown"
    assert cr06["message"] == "unknown: the course has no elevation"
    assert goal["course"]["descent_m"] is None and goal["course"]["distance_km"] > 29


def test_missing_course_is_exit_2_naming_the_path(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    folder = athlete_folder(tmp_path, "gone.gpx", None, 30.0)
    res = cli("analyze", str(folder), "--db", str(tmp_path / "s.db"), code=2)
    assert res.out == ""
    assert str(folder / "gone.gpx") in res.err
    assert "Traceback" not in res.err


def test_edited_course_is_not_served_from_the_cache(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    folder = athlete_folder(tmp_path, "rim.gpx", (ALEX / "canyon_rim_50k.gpx").read_bytes(), 50.0)
    db = str(tmp_path / "s.db")

    def course() -> dict:  # type: ignore[type-arg]
        d = cli("analyze", str(folder), "--format", "json", "--db", db, code=None).json
        return (d["goal"] if "goal" in d else d["athletes"][0]["goal"])["course"]

    assert course()["descent_m"] > 2000
    pts = "".join(f'<rtept lat="{45 + i * 0.0009:.6f}" lon="7.0"/>' for i in range(300))
    flat = f'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><rte>{pts}</rte></gpx>'
    (folder / "rim.gpx").write_text(flat, encoding="utf-8")
    assert course()["descent_m"] is None


def test_profile_set_goal_course(tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cramplog.store import Store

    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "s.db")
    shutil.copy(ALEX / "canyon_rim_50k.gpx", tmp_path / "rim.gpx")
    cli("profile", "set", "-a", "ana", "--goal-date", "2026-07-11", "--goal-course", "rim.gpx",
        "--db", db)  # fmt: skip
    with Store(Path(db)) as store:
        goal = store.get_profile("ana").goals[0]  # type: ignore[union-attr]
    assert goal.course == str(tmp_path / "rim.gpx")  # stored absolute: it works from anywhere
    res = cli("profile", "set", "-a", "ana", "--goal-course", "nope.gpx", "--db", db, code=2)
    assert "--goal-course" in res.err and str(tmp_path / "nope.gpx") in res.err
    cli("profile", "set", "-a", "ana", "--goal-course", "none", "--db", db)
    with Store(Path(db)) as store:
        assert store.get_profile("ana").goals[0].course is None  # type: ignore[union-attr]
