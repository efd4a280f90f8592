"""Every change a person makes reaches the journal beside the store: ``cramp add / remove /
import``, ``profile set / import`` (goals too), and an athlete folder's cramps.csv and
athlete.toml read by ``import`` and ``analyze PATH``. The journal is read back here with the
ordinary readers of cramps.csv and athlete.toml, and compared with what the test typed."""

from __future__ import annotations

import csv
import errno
import io
import shutil
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from conftest import SAMPLE_LOGS, CliCall

from cramplog.journal.cramps import parse_cramps_csv
from cramplog.journal.profile import load_profile_toml
from cramplog.model import Goal, Profile
from cramplog.store import Store

LATER = datetime(2100, 1, 1, tzinfo=timezone.utc)
NAME = "Ana María"  # not a plain folder name: the journal folder gets a safe one

FOLDER_TOML = """[athlete]
name = "Ana María"
sex = "female"
hr_max = 188
timezone = "Europe/Madrid"

[thresholds]
"CR01.warning" = 1.4
"""
FOLDER_CRAMPS = """when,muscle,side,severity,timing,notes
2026-01-08T19:00,calf,left,2,after,from the folder
2026-01-10 09:30,hamstring,,,,
"""


def athlete_folder(tmp_path: Path) -> Path:
    """An export folder: 3 sample FIT files, an athlete.toml and a cramps.csv."""
    folder = tmp_path / "exports" / "ana"
    folder.mkdir(parents=True)
    for f in sorted((SAMPLE_LOGS / "alex" / "fit").glob("2026-01-*"))[:3]:
        shutil.copy(f, folder / f.name)
    (folder / "athlete.toml").write_text(FOLDER_TOML, encoding="utf-8")
    (folder / "cramps.csv").write_text(FOLDER_CRAMPS, encoding="utf-8")
    return folder


def journal_folder(db: Path) -> Path:
    """The one athlete folder in the journal (found by looking, not by the module's rule)."""
    root = db.parent / (db.name + ".journal")
    found = [d for d in root.iterdir() if d.is_dir()]
    assert len(found) == 1, found
    return found[0]


def journal_cramps(db: Path) -> list[tuple[object, ...]]:
    """The journal's cramps as typed: (local time, muscle, side, severity, timing, notes)."""
    data = (journal_folder(db) / "cramps.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    # the ordinary reader accepts the file as it is
    events, warnings = parse_cramps_csv(data, "cramps.csv", timezone.utc, now=LATER)
    assert warnings == [] and len(events) == len(rows)
    return sorted(_row(r) for r in rows)


def _row(r: dict[str, str]) -> tuple[object, ...]:
    when = r["when"][:16].replace("T", " ")  # the local wall time as written
    notes = r["notes"][1:] if r["notes"][:2] in ("'=", "'+", "'-", "'@") else r["notes"]
    return (when, r["muscle"], r["side"], r["severity"], r["timing"], notes)


def store_cramps(db: Path, name: str = NAME) -> list[tuple[object, ...]]:
    with Store(db, readonly=True) as store:
        evs = store.cramps(name)
    return sorted(
        (
            ev.when.date().isoformat() if ev.date_only else ev.when.strftime("%Y-%m-%d %H:%M"),
            ev.muscle,
            ev.side or "",
            "" if ev.severity is None else str(ev.severity),
            ev.timing or "",
            ev.notes or "",
        )
        for ev in evs
    )


def journal_profile(db: Path) -> Profile:
    data = (journal_folder(db) / "athlete.toml").read_bytes()
    warnings: list[str] = []
    profile = load_profile_toml(data, "athlete.toml", default_name="?", warnings=warnings)
    assert warnings == []
    return profile


# What the test types, by hand (times are Madrid wall times).
FROM_FOLDER = [
    ("2026-01-08 19:00", "calf", "left", "2", "after", "from the folder"),
    ("2026-01-10 09:30", "hamstring", "", "", "", ""),
]
ADDED = [
    ("2026-05-03 18:40", "calf", "left", "3", "during", "km 22, =walked it off"),
    ("2026-05-10", "quadriceps", "", "2", "", ""),
]
IMPORTED_CSV = (
    "when,muscle,side,severity,timing,notes\n"
    '2026-05-20 07:15,foot,right,1,night,"arch, ""woke me"""\n'
    "2026-01-08 19:00,calf,left,2,after,from the folder\n"  # already there: not doubled
)
IMPORTED = [("2026-05-20 07:15", "foot", "right", "1", "night", 'arch, "woke me"')]
GOAL = Goal(
    name="Trail 50",
    date=date(2026, 6, 14),
    sport="trail_running",
    distance_km=50.0,
    descent_m=2800.0,
    temperature_c=27.0,
    target_time_s=6.5 * 3600,
)
PROFILE = Profile(
    name=NAME,
    sex="female",
    hr_max=190.0,
    hr_rest=50.0,
    timezone="Europe/Madrid",
    goals=[GOAL],
    thresholds={"CR01.warning": 1.4},
)


def type_everything(cli: CliCall, tmp_path: Path) -> list[tuple[object, ...]]:
    """Import a folder, set the profile and a goal, add, import and remove cramps; returns
    the cramps that should be kept (with PROFILE, what a person entered)."""
    folder = athlete_folder(tmp_path)
    cli("import", str(folder))
    cli("profile", "set", "--hr-max", "190", "--hr-rest", "50")
    cli("profile", "set", "--goal-name", "Trail 50", "--goal-date", "2026-06-14",
        "--goal-sport", "trail_running", "--goal-distance-km", "50", "--goal-descent-m", "2800",
        "--goal-temperature-c", "27", "--goal-target-time", "06:30:00")  # fmt: skip
    cli("cramp", "add", "--muscle", "calf", "--when", "2026-05-03 18:40", "--side", "left",
        "--severity", "3", "--timing", "during", "--notes", "km 22, =walked it off")  # fmt: skip
    cli("cramp", "add", "--muscle", "quads", "--when", "2026-05-10", "--severity", "2")
    cli("cramp", "add", "--muscle", "glute", "--when", "2026-05-11 10:00")
    csv_file = tmp_path / "more.csv"
    csv_file.write_text(IMPORTED_CSV, encoding="utf-8")
    cli("cramp", "import", str(csv_file))
    out = cli("cramp", "list", "--format", "json").json
    glute = next(r["id"] for r in out if r["muscle"] == "glute")
    cli("cramp", "remove", str(glute))
    return sorted(FROM_FOLDER + ADDED + IMPORTED)


def test_every_typed_change_reaches_the_journal(
    cli: CliCall, db_path: Path, tmp_path: Path
) -> None:
    want = type_everything(cli, tmp_path)
    assert journal_cramps(db_path) == want
    assert store_cramps(db_path) == want
    assert journal_profile(db_path) == PROFILE
    imports = (journal_folder(db_path) / "imports.txt").read_text().splitlines()
    assert str((tmp_path / "exports" / "ana").resolve()) in imports


def test_each_command_writes_its_change(cli: CliCall, db_path: Path, tmp_path: Path) -> None:
    cli("profile", "set", "--athlete", "bo", "--timezone", "Europe/Madrid")
    assert journal_profile(db_path) == Profile(name="bo", timezone="Europe/Madrid")
    assert journal_cramps(db_path) == []
    cli("cramp", "add", "--muscle", "calf", "--when", "2026-05-03 18:40")
    assert journal_cramps(db_path) == [("2026-05-03 18:40", "calf", "", "", "", "")]
    cli("profile", "set", "--remove-goal", "x", code=2)  # refused: the journal is unchanged
    assert journal_profile(db_path) == Profile(name="bo", timezone="Europe/Madrid")
    toml = tmp_path / "athlete.toml"
    toml.write_text('[athlete]\nname = "bo"\nhr_max = 181\n\n[[goal]]\ndate = 2026-09-01\n')
    cli("profile", "import", str(toml))
    assert journal_profile(db_path) == Profile(
        name="bo", hr_max=181.0, goals=[Goal(name="goal 2026-09-01", date=date(2026, 9, 1))]
    )
    cli("cramp", "remove", "1")
    assert journal_cramps(db_path) == []


def test_a_folders_cramps_csv_edited_and_imported_again_is_followed(
    cli: CliCall, db_path: Path, tmp_path: Path
) -> None:
    folder = athlete_folder(tmp_path)
    cli("analyze", str(folder), "--format", "json")  # analyze PATH imports it too
    assert journal_cramps(db_path) == sorted(FROM_FOLDER)
    (folder / "cramps.csv").write_text(FOLDER_CRAMPS.splitlines()[0] + "\n2026-02-01,foot,,,,\n")
    cli("import", str(folder))
    assert journal_cramps(db_path) == [("2026-02-01", "foot", "", "", "", "")]
    assert journal_cramps(db_path) == store_cramps(db_path)


def test_the_journal_is_edited_by_hand_and_read_back_by_the_import_commands(
    cli: CliCall, db_path: Path, tmp_path: Path
) -> None:
    want = type_everything(cli, tmp_path)
    folder = journal_folder(db_path)
    with (folder / "cramps.csv").open("a", encoding="utf-8") as f:
        f.write("2026-06-01 06:00,adductor,both,4,during,typed by hand\n")
    text = (folder / "athlete.toml").read_text().replace("hr_rest = 50", "hr_rest = 47")
    (folder / "athlete.toml").write_text(text)
    assert cli("store", "check", code=2).out.count("\n") == 2  # one line per disagreement
    cli("cramp", "import", str(folder / "cramps.csv"))
    cli("profile", "import", str(folder / "athlete.toml"))
    hand = ("2026-06-01 06:00", "adductor", "both", "4", "during", "typed by hand")
    assert store_cramps(db_path) == sorted([*want, hand])
    assert journal_cramps(db_path) == store_cramps(db_path)
    with Store(db_path, readonly=True) as store:
        assert store.get_profile(NAME) == Profile(**{**PROFILE.__dict__, "hr_rest": 47.0})
    cli("store", "check")


def test_a_store_from_before_the_journal_gets_one_when_next_opened(
    db_path: Path, cli: CliCall
) -> None:
    with Store(db_path, journal=False) as store:  # as an older cramplog left it
        store.set_profile(Profile(name="old", sex="male", hr_max=180.0))
    con = sqlite3.connect(db_path)
    con.execute(
        "INSERT INTO cramps (athlete_id, when_local, when_utc, muscle) "
        "VALUES (1, '2026-04-01T10:00', '2026-04-01T10:00:00+00:00', 'calf')"
    )
    con.commit()
    con.close()
    assert not (db_path.parent / (db_path.name + ".journal")).exists()
    cli("store", "check", code=2)  # "no journal": says what to run
    cli("cramp", "list")  # read-only: writes nothing
    assert not (db_path.parent / (db_path.name + ".journal")).exists()
    cli("store", "journal")
    assert journal_profile(db_path) == Profile(name="old", sex="male", hr_max=180.0)
    assert journal_cramps(db_path) == [("2026-04-01 10:00", "calf", "", "", "", "")]
    cli("store", "check")


@pytest.mark.parametrize("fails", ["write", "fsync", "replace"])
def test_a_full_disk_refuses_the_change_in_one_line_and_loses_nothing(
    cli: CliCall, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: str
) -> None:
    from cramplog.journal import files

    want = type_everything(cli, tmp_path)
    folder = journal_folder(db_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def full(*args: object, **kwargs: object) -> object:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(files.os, fails, full)
        for args in (
            ("cramp", "add", "--muscle", "calf", "--when", "2026-06-02 10:00"),
            ("profile", "set", "--hr-max", "185"),
            ("profile", "set", "--goal-name", "Trail 50", "--goal-distance-km", "52"),
        ):
            err = cli(*args, code=2).err
            assert err.count("\n") == 1
            assert "No space left on device" in err and "nothing was stored" in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no temp file left
    assert store_cramps(db_path) == want  # the store did not take the change either
    assert journal_profile(db_path) == PROFILE
    cli("store", "check")


def test_a_deleted_store_with_a_journal_is_refused_not_started_afresh(
    cli: CliCall, db_path: Path, tmp_path: Path
) -> None:
    type_everything(cli, tmp_path)
    journal = {p: p.read_bytes() for p in journal_folder(db_path).iterdir()}
    db_path.unlink()
    for args in (("cramp", "add", "--muscle", "calf"), ("cramp", "list"), ("import", "x")):
        err = cli(*args, code=2).err
        assert err.count("\n") == 1 and "cramplog store rebuild" in err
    assert not db_path.exists()
    assert {p: p.read_bytes() for p in journal} == journal


def test_a_full_store_file_refuses_in_one_line_and_the_journal_keeps_still(
    cli: CliCall, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own "database or disk is full" (the store may grow by no page)."""
    want = type_everything(cli, tmp_path)
    folder = journal_folder(db_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = sqlite3.connect

    def capped(*args: object, **kwargs: object) -> sqlite3.Connection:
        con = real(*args, **kwargs)  # type: ignore[arg-type]
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return con

    rows = "".join(f"2026-04-{d:02d} 07:{m:02d},calf,,,,{'x' * 200}\n" for d in range(1, 29)
                   for m in range(60))  # fmt: skip
    big = tmp_path / "big.csv"
    big.write_text("when,muscle,side,severity,timing,notes\n" + rows, encoding="utf-8")
    with monkeypatch.context() as m:
        m.setattr(sqlite3, "connect", capped)
        err = cli("cramp", "import", str(big), code=2).err
    assert err.count("\n") == 1 and "full" in err and "nothing was stored" in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert store_cramps(db_path) == want
    cli("store", "check")
