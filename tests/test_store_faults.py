"""Faults the store meets, and what a person typed afterwards: pages overwritten, the file cut
short, deleted, replaced with garbage, made read-only. In every case each command that meets
the damage says so in one stderr line and exit 2, naming ``cramplog store rebuild``; the
rebuild brings back every cramp and profile field typed before the fault, none doubled, and
moves the damaged file aside rather than deleting it. (A full disk: test_store_journal.py; a
SIGKILL during a journal write: test_journal_kill.py.)"""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CliCall
from test_store_journal import NAME, PROFILE, journal_folder, store_cramps, type_everything

from cramplog.store import Store

PAGE = 4096


def overwrite_pages(db: Path) -> None:
    """Every page but the first (the header and the schema) overwritten with random bytes."""
    rng = random.Random(18)
    size = db.stat().st_size
    with db.open("r+b") as f:
        f.seek(PAGE)
        f.write(rng.randbytes(size - PAGE))


def overwrite_tables(db: Path) -> None:
    """The first pages of the cramps and activities tables overwritten; the schema and the
    athletes stay readable, so the store opens and the damage is met half-way through."""
    con = sqlite3.connect(db)
    roots = [
        r
        for (r,) in con.execute(
            "SELECT rootpage FROM sqlite_master WHERE name IN "
            "('cramps', 'activities', 'activities_by_start')"
        )
    ]
    con.close()
    rng = random.Random(3)
    with db.open("r+b") as f:
        for root in roots:
            f.seek((root - 1) * PAGE)
            f.write(rng.randbytes(PAGE))


def truncate(db: Path) -> None:
    size = db.stat().st_size
    with db.open("r+b") as f:
        f.truncate(size // 3)


def delete(db: Path) -> None:
    db.unlink()


def garbage(db: Path) -> None:
    db.write_bytes(random.Random(7).randbytes(db.stat().st_size))


FAULTS: dict[str, Callable[[Path], None]] = {
    "pages overwritten": overwrite_pages,
    "table pages overwritten": overwrite_tables,
    "truncated": truncate,
    "deleted": delete,
    "garbage": garbage,
}


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("cramplog: error: "), err
    return err


def assert_everything_back(db: Path, want: list[tuple[object, ...]]) -> None:
    assert store_cramps(db) == want  # each cramp, each field, none doubled
    with Store(db, readonly=True) as store:
        assert store.athletes() == [NAME]
        assert store.get_profile(NAME) == PROFILE
        assert len(store.activities(NAME)) == 3  # the folder imported again


def settled(db: Path) -> None:
    """The store's last connection is closed: its WAL is checkpointed into the file."""
    assert db.exists() and not Path(f"{db}-wal").exists()


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_damaged_store_is_named_and_rebuilt_with_nothing_lost(
    fault: Callable[[Path], None], cli: CliCall, db_path: Path, tmp_path: Path
) -> None:
    want = type_everything(cli, tmp_path)
    settled(db_path)
    damaged = db_path.read_bytes()
    fault(db_path)
    after_fault = db_path.read_bytes() if db_path.exists() else None
    journal = {p.name: p.read_bytes() for p in journal_folder(db_path).iterdir()}

    for args in (
        ("cramp", "add", "--muscle", "calf", "--when", "2026-06-02 10:00"),
        ("cramp", "list"),
        ("cramp", "export"),
        ("profile", "set", "--hr-max", "185"),
        ("analyze", "--format", "json"),
    ):
        if fault is overwrite_tables and args[0] == "profile":
            continue  # the athletes table is sound: a profile can still be set
        r = cli(*args, code=2)
        assert r.out == ""
        assert "cramplog store rebuild" in one_line(r.err)
    check = cli("store", "check", code=2)
    assert check.out.count("\n") == 1 and "cramplog store rebuild" in check.out
    # nothing the failed commands did reached the journal (or the file)
    assert {p.name: p.read_bytes() for p in journal_folder(db_path).iterdir()} == journal
    assert (db_path.read_bytes() if db_path.exists() else None) == after_fault

    r = cli("store", "rebuild")
    assert r.out == ""
    assert "could not recover" not in r.err
    assert_everything_back(db_path, want)
    aside = sorted(db_path.parent.glob(db_path.name + ".damaged-*"))
    if fault is delete:
        assert aside == []
    else:
        assert [p.read_bytes() for p in aside if not p.name.endswith(("-wal", "-shm"))] == [
            after_fault
        ]
        assert after_fault != damaged
    cli("store", "check")
    # and the rebuilt store takes new entries, into the journal too
    cli("cramp", "add", "--muscle", "calf", "--when", "2026-06-02 10:00")
    assert len(store_cramps(db_path)) == len(want) + 1
    cli("store", "check")


def test_rebuild_twice_doubles_nothing_and_keeps_both_old_files(
    cli: CliCall, db_path: Path, tmp_path: Path
) -> None:
    want = type_everything(cli, tmp_path)
    cli("store", "rebuild")
    cli("store", "rebuild")
    assert_everything_back(db_path, want)
    aside = db_path.parent.glob(db_path.name + ".damaged-*")
    assert len([p for p in aside if not p.name.endswith(("-wal", "-shm"))]) == 2


def test_a_read_only_store(
    cli: CliCall, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file cannot be written (root ignores permission bits, so SQLite's own read-only
    mode stands in for chmod): every write is one line and exit 2; reading still works."""
    want = type_everything(cli, tmp_path)
    settled(db_path)
    journal = {p.name: p.read_bytes() for p in journal_folder(db_path).iterdir()}
    real = sqlite3.connect

    def read_only(path: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        if isinstance(path, Path) and path == db_path:
            return real(path.resolve().as_uri() + "?mode=ro", *args, uri=True, **kwargs)  # type: ignore[arg-type]
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as m:
        m.setattr(sqlite3, "connect", read_only)
        for args in (
            ("cramp", "add", "--muscle", "calf", "--when", "2026-06-02 10:00"),
            ("profile", "set", "--hr-max", "185"),
            ("cramp", "remove", "1"),
        ):
            err = one_line(cli(*args, code=2).err)
            assert "readonly" in err and "cramplog store rebuild" in err
        assert len(cli("cramp", "list", "--format", "json").json) == len(want)
    assert {p.name: p.read_bytes() for p in journal_folder(db_path).iterdir()} == journal
    assert store_cramps(db_path) == want
    cli("store", "rebuild")
    assert_everything_back(db_path, want)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway")
def test_a_read_only_file(cli: CliCall, db_path: Path, tmp_path: Path) -> None:
    want = type_everything(cli, tmp_path)
    db_path.chmod(0o444)
    err = one_line(cli("cramp", "add", "--muscle", "calf", code=2).err)
    assert "cramplog store rebuild" in err
    cli("store", "rebuild")
    assert_everything_back(db_path, want)


def test_rebuild_from_folders_given_and_what_it_cannot_recover(
    cli: CliCall, db_path: Path, tmp_path: Path
) -> None:
    want = type_everything(cli, tmp_path)
    folder = tmp_path / "exports" / "ana"
    moved = tmp_path / "elsewhere" / "ana"
    moved.parent.mkdir()
    folder.rename(moved)
    garbage(db_path)
    # the journal's folder is gone: the typed entries still come back, the sessions do not
    r = cli("store", "rebuild")
    lost = [line for line in r.err.splitlines() if line.startswith("could not recover")]
    assert len(lost) == 1 and str(folder.resolve()) in lost[0]
    assert store_cramps(db_path) == want
    # given where it is now, the sessions come back too (and the journal learns the place)
    cli("store", "rebuild", str(moved))
    assert_everything_back(db_path, want)
    imports = (journal_folder(db_path) / "imports.txt").read_text()
    assert str(moved.resolve()) in imports


def test_a_journal_row_spoiled_by_hand_is_reported_and_the_rest_recovered(
    cli: CliCall, db_path: Path, tmp_path: Path
) -> None:
    want = type_everything(cli, tmp_path)
    csv_path = journal_folder(db_path) / "cramps.csv"
    with csv_path.open("a", encoding="utf-8") as f:
        f.write("2026-06-01 06:00,elbow,,,,\n")
    kept = csv_path.read_bytes()
    garbage(db_path)
    r = cli("store", "rebuild")
    lost = [line for line in r.err.splitlines() if line.startswith("could not recover")]
    assert len(lost) == 1 and "elbow" in lost[0]
    assert store_cramps(db_path) == want
    assert csv_path.read_bytes() == kept  # left for the person to fix


def test_nothing_to_rebuild_from_is_one_line(cli: CliCall, db_path: Path) -> None:
    err = one_line(cli("store", "rebuild", code=2).err)
    assert "nothing to rebuild" in err
