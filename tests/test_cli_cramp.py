"""``cramplog cramp …`` through ``run([...])``: exit codes, stdout and stderr apart."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cramplog.model import Activity, Profile
from cramplog.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "cramps"
MADRID = ZoneInfo("Europe/Madrid")
DENVER = ZoneInfo("America/Denver")


def snapshot(db: Path) -> list[tuple]:
    """Everything a failed command must leave alone."""
    if not db.exists():
        return []
    con = sqlite3.connect(db)
    try:
        rows = [("athlete", *r) for r in con.execute("SELECT * FROM athletes ORDER BY id")]
        rows += [("cramp", *r) for r in con.execute("SELECT * FROM cramps ORDER BY id")]
        return rows
    finally:
        con.close()


def setup_athlete(db: Path, name: str = "ana", tz: str = "Europe/Madrid") -> None:
    with Store(db) as store:
        store.set_profile(Profile(name=name, timezone=tz))


def add_run(
    db: Path, start_local: datetime, minutes: float, km: float, athlete: str = "ana"
) -> int:
    act = Activity(
        sport="running",
        start=start_local.astimezone(timezone.utc),
        elapsed_s=minutes * 60,
        distance_m=km * 1000,
        hr_max=180,
    )
    with Store(db) as store:
        store.add_file(athlete, f"sha-{start_local.isoformat()}", "run.fit", "fit", 100, [act])
        return next(a.id for a in store.activities(athlete) if a.start == act.start)  # type: ignore[return-value]


def stored(db: Path, athlete: str = "ana") -> list:
    with Store(db) as store:
        return store.cramps(athlete)


# -- add -----------------------------------------------------------------------------------


def test_add_links_to_the_session_it_happened_in(db_path: Path, cli) -> None:
    setup_athlete(db_path)
    run_id = add_run(db_path, datetime(2026, 5, 3, 18, 2, tzinfo=MADRID), 120, 21.1)
    code, out, err = cli(
        "cramp", "add", "--muscle", "calf", "--side", "left", "--severity", "3",
        "--timing", "during", "--when", "2026-05-03 18:40", "--notes", "hot day",
    )  # fmt: skip
    assert (code, out) == (0, "")
    assert err.strip() == (
        "Logged calf cramp (left, severity 3) at 2026-05-03 18:40, "
        "during the 18:02 run of 21.1 km (id 1)."
    )
    [ev] = stored(db_path)
    assert ev.when == datetime(2026, 5, 3, 18, 40, tzinfo=MADRID)
    assert (ev.muscle, ev.side, ev.severity, ev.timing, ev.notes) == (
        "calf", "left", 3, "during", "hot day",
    )  # fmt: skip
    code, out, _ = cli("cramp", "list", "--format", "json")
    assert json.loads(out)[0]["session"]["id"] == run_id


def test_add_synonyms_and_after_message(db_path: Path, cli) -> None:
    setup_athlete(db_path)
    add_run(db_path, datetime(2026, 5, 3, 7, 30, tzinfo=MADRID), 50, 10.0)
    code, out, err = cli(
        "cramp", "add", "-m", "inner thigh", "--side", "R", "-w", "2026-05-03 10:00"
    )
    assert (code, out) == (0, "")
    assert (
        "Logged adductor cramp (right) at 2026-05-03 10:00, after the 07:30 run of 10.0 km" in err
    )


def test_add_date_only_and_night(db_path: Path, cli) -> None:
    setup_athlete(db_path)
    add_run(db_path, datetime(2026, 5, 3, 7, 30, tzinfo=MADRID), 50, 10.0)
    code, _, err = cli("cramp", "add", "-m", "hammy", "-w", "2026-05-03", "-t", "night")
    assert code == 0
    assert "Logged hamstring cramp on 2026-05-03, a night cramp, not linked to a session" in err
    code, _, err = cli("cramp", "add", "-m", "calf", "-w", "2026-05-03")
    assert code == 0
    assert "on the day of the 2026-05-03 07:30 run of 10.0 km" in err
    [a, b] = stored(db_path)
    assert a.date_only and b.date_only


def test_add_twice_reports_already_logged(db_path: Path, cli) -> None:
    setup_athlete(db_path)
    args = ["cramp", "add", "-m", "calf", "-w", "2026-05-03 18:40", "--severity", "2"]
    cli(*args)
    before = snapshot(db_path)
    code, out, err = cli(*args)
    assert (code, out) == (0, "")
    assert "already logged" in err.lower() and "(id 1)" in err
    # the same instant written another way (with its UTC offset) is the same cramp
    code, _, err = cli("cramp", "add", "-m", "calves", "-w", "2026-05-03T16:40Z")
    assert code == 0 and "already logged" in err.lower()
    assert snapshot(db_path) == before


def test_add_defaults_to_now_in_the_profile_zone(db_path: Path, cli) -> None:
    setup_athlete(db_path, tz="America/Denver")
    before = datetime.now(timezone.utc)
    code, _, err = cli("cramp", "add", "-m", "calf")
    after = datetime.now(timezone.utc)
    assert code == 0
    [ev] = stored(db_path)
    assert before - timedelta(minutes=1) <= ev.when <= after
    assert ev.when.utcoffset() == datetime.now(DENVER).utcoffset()
    assert not ev.date_only


def test_add_when_during_means_now_about_the_session_just_finished(db_path: Path, cli) -> None:
    setup_athlete(db_path)
    start = (datetime.now(timezone.utc) - timedelta(hours=2)).replace(second=0, microsecond=0)
    add_run(db_path, start.astimezone(MADRID), 90, 12.0)
    code, out, err = cli("cramp", "add", "-m", "calf", "--when", "during")
    assert (code, out) == (0, "")
    shown = start.astimezone(MADRID).strftime("%H:%M")
    # (the session's date is shown too when it started the day before)
    assert re.search(rf"during the (\d{{4}}-\d\d-\d\d )?{shown} run of 12\.0 km", err), err
    [ev] = stored(db_path)
    assert ev.timing == "during"
    assert abs((ev.when - datetime.now(timezone.utc)).total_seconds()) < 120


def test_add_relative_when_without_profile_uses_the_system_zone(
    db_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    code, _, err = cli("cramp", "add", "-m", "calf", "-w", "2h ago", "--athlete", "kim")
    assert code == 0, err
    [ev] = stored(db_path, "kim")
    assert ev.when.utcoffset() == timedelta(hours=9)
    expected = datetime.now(timezone.utc) - timedelta(hours=2)
    assert abs((ev.when - expected).total_seconds()) < 120


def test_add_athlete_rules(db_path: Path, cli) -> None:
    code, out, err = cli("cramp", "add", "-m", "calf", "-w", "2026-05-03", code=2)
    assert code == 2 and out == ""
    assert "--athlete NAME" in err and len(err.strip().splitlines()) == 1
    assert snapshot(db_path) == []
    # an empty store: --athlete names the first athlete
    cli("cramp", "add", "-m", "calf", "-w", "2026-05-03", "-a", "ana")
    # one athlete: --athlete may be omitted
    cli("cramp", "add", "-m", "foot", "-w", "2026-05-04")
    assert [e.muscle for e in stored(db_path)] == ["calf", "foot"]
    setup_athlete(db_path, name="ben")
    before = snapshot(db_path)
    code, _, err = cli("cramp", "add", "-m", "calf", "-w", "2026-05-05", code=2)
    assert code == 2 and "choose one with --athlete" in err
    # a typo'd name in a store with athletes is an error, not a new athlete
    code, _, err = cli("cramp", "add", "-m", "calf", "-w", "2026-05-05", "-a", "anna", code=2)
    assert code == 2 and "no athlete named 'anna'" in err
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-m", "calff"], "unknown muscle 'calff'; did you mean 'calf'? accepted: calf, hamstring"),
        (["-m", "elbow"], "accepted: calf, hamstring, quadriceps, adductor, hip_flexor"),
        (["-m", "calf", "--severity", "9"], "severity must be 1–5 (got 9)"),
        (["-m", "calf", "--severity", "0"], "severity must be 1–5 (got 0)"),
        (["-m", "calf", "--severity", "bad"], "severity must be 1–5"),
        (["-m", "calf", "-w", "xyz"], "--when: cannot read 'xyz'; use e.g. 2026-05-03 18:30"),
        (["-m", "calf", "-w", "2099-01-01 10:00"], "--when: 2099-01-01 10:00 is in the future"),
        (["-m", "calf", "-w", "2099-01-01"], "--when: 2099-01-01 is in the future"),
        (["-m", "calf", "-t", "morning"], "timing must be one of during, after, night, rest"),
        (["-m", "calf", "--side", "up"], "side must be one of left, right, both (got 'up')"),
    ],
)
def test_add_bad_input(db_path: Path, cli, args: list[str], message: str) -> None:
    setup_athlete(db_path)
    cli("cramp", "add", "-m", "calf", "-w", "2026-05-01")
    before = snapshot(db_path)
    code, out, err = cli("cramp", "add", *args, code=2)
    assert code == 2
    assert out == ""
    assert err.startswith("cramplog: error: ")
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(db_path) == before


def test_add_without_muscle_is_a_usage_error(db_path: Path, cli) -> None:
    setup_athlete(db_path)
    code, out, err = cli("cramp", "add", code=2)
    assert code == 2 and out == ""
    assert "--muscle" in err


# -- list ----------------------------------------------------------------------------------


def test_list_json_csv_table(db_path: Path, cli, tmp_path: Path) -> None:
    setup_athlete(db_path)
    run_id = add_run(db_path, datetime(2026, 5, 3, 18, 0, tzinfo=MADRID), 90, 15.0)
    cli("cramp", "add", "-m", "calf", "-w", "2026-05-03 18:30", "-t", "during",
        "--notes", "=HYPERLINK(1)", "--severity", "4", "--side", "both")  # fmt: skip
    cli("cramp", "add", "-m", "quads", "-w", "2026-05-04", "-t", "rest")

    code, out, err = cli("cramp", "list", "--format", "json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert rows == [
        {
            "id": 1,
            "when": "2026-05-03T18:30+02:00",
            "muscle": "calf",
            "side": "both",
            "severity": 4,
            "timing": "during",
            "notes": "=HYPERLINK(1)",
            "session": {
                "id": run_id,
                "start": "2026-05-03T18:00:00+02:00",
                "sport": "running",
                "distance_m": 15000.0,
                "sources": ["run.fit"],
            },
        },
        {
            "id": 2,
            "when": "2026-05-04",
            "muscle": "quadriceps",
            "side": None,
            "severity": None,
            "timing": "rest",
            "notes": None,
            "session": None,
        },
    ]

    code, out, err = cli("cramp", "list", "-f", "csv")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert (
        lines[0]
        == "id,when,muscle,side,severity,timing,notes,session_id,session_start,session_sport"
    )
    assert lines[1] == (
        f"1,2026-05-03T18:30+02:00,calf,both,4,during,'=HYPERLINK(1),{run_id},"
        "2026-05-03T18:00:00+02:00,running"
    )
    assert lines[2] == "2,2026-05-04,quadriceps,,,rest,,,,"

    code, out, err = cli("cramp", "list")
    assert (code, err) == (0, "")
    assert "ana: 2 cramp(s)" in out
    assert "quadriceps" in out and "2026-05-03 18:00 running 15.0 km" in out

    target = tmp_path / "out" / "cramps.json"
    code, out, _ = cli("cramp", "list", "-f", "json", "-o", str(target))
    assert (code, out) == (0, "")
    assert json.loads(target.read_text())[1]["muscle"] == "quadriceps"


def test_list_links_a_late_cramp_after_an_evening_run_in_denver(db_path: Path, cli) -> None:
    setup_athlete(db_path, tz="America/Denver")
    # 19:30 MST on 15 January is 02:30 UTC on the 16th
    evening = add_run(db_path, datetime(2026, 1, 15, 19, 30, tzinfo=DENVER), 70, 14.0)
    add_run(db_path, datetime(2026, 1, 16, 7, 0, tzinfo=DENVER), 45, 8.0)
    code, _, err = cli("cramp", "add", "-m", "calf", "-w", "2026-01-15 23:30", "-t", "after")
    assert code == 0
    assert "at 2026-01-15 23:30, after the 19:30 run of 14.0 km" in err
    code, _, err = cli("cramp", "add", "-m", "foot", "-w", "2026-01-15", "-t", "after")
    assert code == 0 and "after the 2026-01-15 19:30 run" in err
    code, out, _ = cli("cramp", "list", "-f", "json")
    rows = json.loads(out)
    assert [r["when"] for r in rows] == ["2026-01-15", "2026-01-15T23:30-07:00"]
    assert [r["session"]["id"] for r in rows] == [evening, evening]
    assert rows[1]["session"]["start"] == "2026-01-15T19:30:00-07:00"


def test_list_needs_a_store(tmp_path: Path, cli) -> None:
    code, out, err = cli("cramp", "list", "--db", str(tmp_path / "none.sqlite"), code=2)
    assert code == 2 and out == ""
    assert "no cramplog store" in err


# -- remove --------------------------------------------------------------------------------


def test_remove(db_path: Path, cli) -> None:
    setup_athlete(db_path)
    cli("cramp", "add", "-m", "calf", "-w", "2026-05-03 08:00")
    cli("cramp", "add", "-m", "foot", "-w", "2026-05-03 09:00")
    code, out, err = cli("cramp", "remove", "1")
    assert (code, out) == (0, "")
    assert "Removed calf cramp at 2026-05-03 08:00 (id 1)." in err
    assert [e.id for e in stored(db_path)] == [2]
    before = snapshot(db_path)
    code, out, err = cli("cramp", "remove", "99", code=2)
    assert (code, out) == (2, "")
    assert err.strip() == "cramplog: error: no cramp with id 99; see 'cramplog cramp list'"
    code, _, err = cli("cramp", "remove", "2", "--athlete", "ben", code=2)
    assert code == 2 and "belongs to 'ana'" in err
    code, _, err = cli("cramp", "remove", "two", code=2)
    assert code == 2
    assert snapshot(db_path) == before


def test_remove_needs_a_store(tmp_path: Path, cli) -> None:
    missing = tmp_path / "none.sqlite"
    r = cli("cramp", "remove", "1", "--db", str(missing), code=2)
    assert r.out == "" and r.err.startswith("cramplog: error: no cramplog store at")
    assert not missing.exists()


# -- import / export -----------------------------------------------------------------------


def test_import_and_reimport(db_path: Path, cli) -> None:
    setup_athlete(db_path)
    good = str(FIXTURES / "good.csv")
    code, out, err = cli("cramp", "import", good)
    assert (code, out) == (0, "")
    assert err.strip() == "good.csv: 4 added, 0 already known, 0 skipped (ana)"
    code, _, err = cli("cramp", "import", good)
    assert err.strip() == "good.csv: 0 added, 4 already known, 0 skipped (ana)"
    assert len(stored(db_path)) == 4


def test_import_bad_row_stores_nothing(db_path: Path, cli) -> None:
    setup_athlete(db_path)
    cli("cramp", "add", "-m", "calf", "-w", "2026-05-01")
    before = snapshot(db_path)
    code, out, err = cli("cramp", "import", str(FIXTURES / "bad_row.csv"), code=2)
    assert (code, out) == (2, "")
    assert err.strip() == "cramplog: error: bad_row.csv: row 7: severity must be 1–5 (got 9)"
    assert snapshot(db_path) == before

    code, out, err = cli("cramp", "import", str(FIXTURES / "bad_row.csv"), "--skip-bad-rows")
    assert (code, out) == (0, "")
    lines = err.strip().splitlines()
    assert lines == [
        "warning: bad_row.csv: row 7: severity must be 1–5 (got 9) (skipped)",
        "bad_row.csv: 6 added, 0 already known, 1 skipped (ana)",
    ]
    assert len(stored(db_path)) == 7


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing_muscle.csv", "missing_muscle.csv: missing required column 'muscle'"),
        ("nope.csv", "cannot read"),
    ],
)
def test_import_bad_files(db_path: Path, cli, name: str, message: str) -> None:
    setup_athlete(db_path)
    before = snapshot(db_path)
    code, out, err = cli("cramp", "import", str(FIXTURES / name), code=2)
    assert (code, out) == (2, "")
    assert message in err and len(err.strip().splitlines()) == 1
    assert snapshot(db_path) == before


def test_export_then_reimport_adds_nothing(db_path: Path, cli, tmp_path: Path) -> None:
    setup_athlete(db_path)
    cli("cramp", "import", str(FIXTURES / "good.csv"))
    cli("cramp", "add", "-m", "calf", "-w", "2026-05-07 19:00", "--notes", "-2 °C, ice")
    code, out, err = cli("cramp", "export")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "when,muscle,side,severity,timing,notes"
    assert "'-2 °C, ice" in out
    assert len(out.splitlines()) == 6
    exported = tmp_path / "cramps.csv"
    code, out, err = cli("cramp", "export", "-o", str(exported))
    assert (code, out) == (0, "")
    assert "Wrote 5 cramp(s) of ana" in err
    before = snapshot(db_path)
    code, _, err = cli("cramp", "import", str(exported))
    assert code == 0
    assert "0 added, 5 already known" in err
    assert snapshot(db_path) == before

    # into a fresh store: the same events, field for field
    _, listed_before, _ = cli("cramp", "list", "-f", "json")
    other = tmp_path / "other.sqlite"
    setup_athlete(other)
    code, _, err = cli("cramp", "import", str(exported), "--db", str(other))
    assert code == 0 and "5 added" in err
    _, listed_after, _ = cli("cramp", "list", "-f", "json", "--db", str(other))
    assert json.loads(listed_after) == json.loads(listed_before)


@pytest.mark.parametrize("command", ["add", "list", "remove", "import", "export"])
def test_every_command_has_help_with_an_example(cli, command: str) -> None:
    code, out, _ = cli("cramp", command, "--help")
    assert code == 0
    assert "Example: cramplog cramp" in " ".join(out.split())
