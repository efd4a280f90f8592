"""``cramplog profile …`` through ``run([...])``."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from cramplog.journal.profile import load_profile_toml
from cramplog.model import Activity, Goal, Profile
from cramplog.store import Store

TOML = """\
[athlete]
name = "ana"
sex = "female"
hr_max = 188
hr_rest = 48
timezone = "Europe/Madrid"

[[goal]]
name = "Trail 50"
date = 2026-06-14
sport = "trail_running"
distance_km = 50.0
descent_m = 2800
temperature_c = 27.0
target_time = "06:30:00"

[thresholds]
"CR01.warning" = 1.4
"""


def snapshot(db: Path) -> list[tuple]:
    if not db.exists():
        return []
    con = sqlite3.connect(db)
    try:
        return list(con.execute("SELECT * FROM athletes ORDER BY id"))
    finally:
        con.close()


def profile_of(db: Path, name: str = "ana") -> Profile | None:
    with Store(db) as store:
        return store.get_profile(name)


def show_json(cli, *extra: str) -> dict:  # type: ignore[no-untyped-def]
    code, out, err = cli("profile", "show", "-f", "json", *extra)
    assert (code, err) == (0, ""), err
    return json.loads(out)


# -- set -----------------------------------------------------------------------------------


def test_set_creates_and_updates(db_path: Path, cli) -> None:
    code, out, err = cli(
        "profile", "set", "--athlete", "ana", "--sex", "Female", "--hr-max", "188",
        "--hr-rest", "48", "--timezone", "Europe/Madrid",
    )  # fmt: skip
    assert (code, out) == (0, "")
    assert err.strip() == (
        "Profile of ana (new athlete): sex female, hr_max 188, hr_rest 48, timezone Europe/Madrid."
    )
    assert profile_of(db_path) == Profile(
        name="ana", sex="female", hr_max=188, hr_rest=48, timezone="Europe/Madrid"
    )
    # one athlete: --athlete may be omitted; only the options given change
    code, _, err = cli("profile", "set", "--hr-max", "190")
    assert code == 0 and "Profile of ana: hr_max 190." in err
    p = profile_of(db_path)
    assert p is not None and (p.hr_max, p.hr_rest, p.sex) == (190, 48, "female")
    code, _, err = cli("profile", "set", "--hr-rest", "none")
    assert code == 0 and "hr_rest cleared" in err
    assert profile_of(db_path).hr_rest is None  # type: ignore[union-attr]


def test_set_goals(db_path: Path, cli) -> None:
    cli("profile", "set", "-a", "ana", "--sex", "male")
    code, _, err = cli(
        "profile", "set", "--goal-name", "Trail 50", "--goal-date", "2026-06-14",
        "--goal-distance-km", "50", "--goal-descent-m", "2800", "--goal-temperature-c", "27",
        "--goal-target-time", "6:30:00", "--goal-sport", "trail_running",
    )  # fmt: skip
    assert code == 0 and "goal 'Trail 50' added" in err
    assert profile_of(db_path).goals == [  # type: ignore[union-attr]
        Goal("Trail 50", date(2026, 6, 14), "trail_running", 50.0, 2800.0, 27.0, 23400.0)
    ]
    # the only goal is changed without naming it
    code, _, err = cli("profile", "set", "--goal-target-time", "06:10:00")
    assert code == 0 and "goal 'Trail 50' updated" in err
    cli("profile", "set", "--goal-name", "Spring 10k", "--goal-date", "2026-03-01",
        "--goal-distance-km", "10")  # fmt: skip
    goals = profile_of(db_path).goals  # type: ignore[union-attr]
    assert [(g.name, g.target_time_s) for g in goals] == [("Spring 10k", None),
                                                          ("Trail 50", 22200.0)]  # fmt: skip
    before = snapshot(db_path)
    code, _, err = cli("profile", "set", "--goal-distance-km", "12", code=2)
    assert code == 2 and "choose one with --goal-name" in err
    code, _, err = cli("profile", "set", "--goal-name", "Autumn", "--goal-distance-km", "5", code=2)
    assert code == 2 and "a new goal needs --goal-date" in err
    code, _, err = cli("profile", "set", "--remove-goal", "nope", code=2)
    assert code == 2 and "no goal named 'nope'" in err
    assert snapshot(db_path) == before
    code, _, err = cli("profile", "set", "--remove-goal", "spring 10K")
    assert code == 0
    assert [g.name for g in profile_of(db_path).goals] == ["Trail 50"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sex", "x"], "--sex: must be one of male, female, unspecified (got 'x')"),
        (["--hr-max", "abc"], "--hr-max: must be a number (got 'abc')"),
        (["--hr-max", "-3"], "--hr-max: must be a heart rate between 1 and 250 bpm"),
        (["--hr-rest", "200"], "--hr-rest: must be below hr_max (188; got 200)"),
        (["--hr-max", "40"], "--hr-max: must be above hr_rest (48; got 40)"),
        (["--timezone", "Europe/Madird"], "--timezone: unknown time zone 'Europe/Madird'"),
        (["--goal-name", "X", "--goal-date", "14/06/2026"], "--goal-date: must be a date"),
        (["--goal-name", "X", "--goal-date", "2026-06-14", "--goal-target-time", "6h"],
         "--goal-target-time: must be a duration hh:mm:ss"),
        (["--goal-name", "X", "--goal-date", "2026-06-14", "--goal-distance-km", "-1"],
         "--goal-distance-km: must be above 0"),
        ([], "nothing to set"),
    ],
)  # fmt: skip
def test_set_bad_values(db_path: Path, cli, args: list[str], message: str) -> None:
    cli("profile", "set", "-a", "ana", "--hr-max", "188", "--hr-rest", "48")
    before = snapshot(db_path)
    code, out, err = cli("profile", "set", *args, code=2)
    assert (code, out) == (2, "")
    assert err.startswith("cramplog: error: ") and message in err, err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(db_path) == before


def test_set_needs_an_athlete_in_an_empty_store(db_path: Path, cli) -> None:
    code, out, err = cli("profile", "set", "--hr-max", "180", code=2)
    assert (code, out) == (2, "")
    assert "--athlete NAME" in err
    assert snapshot(db_path) == []


# -- import --------------------------------------------------------------------------------


def test_import_then_show_every_format(db_path: Path, cli, tmp_path: Path) -> None:
    path = tmp_path / "athlete.toml"
    path.write_text(TOML, encoding="utf-8")
    code, out, err = cli("profile", "import", str(path))
    assert (code, out) == (0, "")
    assert err.strip() == (
        "Profile of ana stored: sex female, HR 188/48, time zone Europe/Madrid, 1 goal(s)."
    )
    expected = load_profile_toml(TOML.encode(), "athlete.toml", default_name="x")
    assert profile_of(db_path) == expected

    doc = show_json(cli)
    assert doc == {
        "name": "ana",
        "sex": "female",
        "hr_max": 188,
        "hr_rest": 48,
        "timezone": "Europe/Madrid",
        "goals": [
            {
                "name": "Trail 50",
                "date": "2026-06-14",
                "sport": "trail_running",
                "distance_km": 50.0,
                "descent_m": 2800,
                "temperature_c": 27.0,
                "target_time": "06:30:00",
                "course": None,
            }
        ],
        "thresholds": {"CR01.warning": 1.4},
        "estimates": None,
    }

    code, out, err = cli("profile", "show", "--format", "toml")
    assert (code, err) == (0, "")
    assert load_profile_toml(out.encode(), "shown.toml", default_name="x") == expected

    code, out, err = cli("profile", "show")
    assert (code, err) == (0, "")
    assert "Profile of ana" in out and "Europe/Madrid" in out and "Trail 50" in out
    assert "06:30:00" in out and "estimate" not in out

    # importing again replaces
    code, _, err = cli("profile", "import", str(path))
    assert code == 0 and "Profile of ana replaced" in err


def test_import_name_from_folder_and_unknown_key_warning(db_path: Path, cli, tmp_path) -> None:
    folder = tmp_path / "bea"
    folder.mkdir()
    path = folder / "athlete.toml"
    path.write_text('[athlete]\nhrmax = 180\nsex = "male"\n', encoding="utf-8")
    code, out, err = cli("profile", "import", str(path))
    assert (code, out) == (0, "")
    assert "warning: athlete.toml [athlete]: ignoring unknown key 'hrmax'" in err
    assert "Profile of bea stored" in err
    assert profile_of(db_path, "bea") == Profile(name="bea", sex="male")


def test_import_athlete_mismatch(db_path: Path, cli, tmp_path: Path) -> None:
    path = tmp_path / "athlete.toml"
    path.write_text(TOML, encoding="utf-8")
    code, out, err = cli("profile", "import", str(path), "--athlete", "bob", code=2)
    assert (code, out) == (2, "")
    assert "is the profile of 'ana', not 'bob'" in err
    assert snapshot(db_path) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[athlete\n", "athlete.toml: not valid TOML"),
        ('[athlete]\nsex = "robot"\n', "athlete.toml: [athlete] sex: must be one of"),
        ("[[goal]]\ndate = 2026-06-14\n[[goal]]\ndate = 'soon'\n",
         "athlete.toml: [goal] 2: date: must be a date"),
        ('[athlete]\ntimezone = "Nowhere/City"\n', "athlete.toml: [athlete] timezone: unknown"),
    ],
)  # fmt: skip
def test_import_malformed(db_path: Path, cli, tmp_path: Path, text: str, message: str) -> None:
    with Store(db_path) as store:
        store.set_profile(Profile(name="ana", hr_max=180))
    before = snapshot(db_path)
    path = tmp_path / "athlete.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = cli("profile", "import", str(path), code=2)
    assert (code, out) == (2, "")
    assert err.startswith(f"cramplog: error: {message}"), err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(db_path) == before


def test_import_missing_file(db_path: Path, cli, tmp_path: Path) -> None:
    code, out, err = cli("profile", "import", str(tmp_path / "none.toml"), code=2)
    assert (code, out) == (2, "")
    assert "cannot read" in err


# -- show with estimates -------------------------------------------------------------------


def test_show_marks_estimates(db_path: Path, cli) -> None:
    with Store(db_path) as store:
        store.set_profile(Profile(name="ana", timezone="Europe/Madrid"))
        acts = [
            Activity(sport="running", start=datetime(2026, 5, d, 8, tzinfo=timezone.utc),
                     elapsed_s=3600, distance_m=10000, hr_max=170 + d)
            for d in range(1, 6)
        ]  # fmt: skip
        store.add_file("ana", "sha", "runs.csv", "csv", 10, acts)
    doc = show_json(cli)
    assert doc["hr_max"] is None and doc["hr_rest"] is None
    est = doc["estimates"]
    assert est is not None and est["note"]
    assert 170 < est["hr_max"] <= 175
    code, out, err = cli("profile", "show")
    assert (code, err) == (0, "")
    assert "(estimate)" in out and "Estimates:" in out
    code, out, err = cli("profile", "show", "-f", "toml")
    assert code == 0
    assert "hr_max" not in out  # estimates are not written into the profile
    assert err.startswith("note: not in the profile, estimated from the data")


def test_show_needs_a_known_athlete(db_path: Path, cli) -> None:
    cli("profile", "set", "-a", "ana", "--sex", "male")
    code, out, err = cli("profile", "show", "--athlete", "zed", code=2)
    assert (code, out) == (2, "")
    assert "no athlete named 'zed'" in err


@pytest.mark.parametrize("command", ["show", "set", "import"])
def test_every_command_has_help_with_an_example(cli, command: str) -> None:
    code, out, _ = cli("profile", command, "--help")
    assert code == 0
    assert "Example: cramplog profile" in " ".join(out.split())
