"""Imports of a long history (issue 17): a warm run opens no unchanged file (the store keeps
each file's size, times and inode), any change makes the file be read again, and the parse
pool holds a bounded number of files in flight whatever the history's length."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

import cramplog.importer.pool as parsepool
from cramplog.importer.pipeline import import_paths
from cramplog.ingest import walk
from cramplog.store import Store, filestats

ALEX = Path(__file__).resolve().parents[1] / "sample_logs" / "alex"
OLD = time.time() - 3600.0  # an hour ago: well past the racy window


def _folder(tmp_path: Path, n_fit: int = 6, n_gpx: int = 3) -> Path:
    folder = tmp_path / "runner"
    # the activity files (the goal's course, canyon_rim_50k.gpx, sits at the folder's top)
    files = sorted(ALEX.rglob("*.fit"))[:n_fit] + sorted(ALEX.glob("*/*.gpx"))[:n_gpx]
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    for p in folder.iterdir():
        os.utime(p, (OLD, OLD))
    return folder


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The files here were copied a moment ago (their change time is now); trust them."""
    monkeypatch.setattr(filestats, "RACY_S", 0.0)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files an import opens."""
    opened: list[str] = []
    real = walk.Entry.read

    def spy(self: walk.Entry) -> bytes:
        opened.append(self.name)
        return real(self)

    monkeypatch.setattr(walk.Entry, "read", spy)
    return opened


def test_a_warm_import_opens_no_unchanged_file(tmp_path: Path, reads: list[str]) -> None:
    folder = _folder(tmp_path)
    with Store(tmp_path / "s.sqlite") as st:
        first = import_paths(st, [folder], athlete="x", workers=1)
        assert len(reads) == 9 and first.imported_files == 9
        reads.clear()
        second = import_paths(st, [folder], athlete="x", workers=1)
    assert reads == []
    assert (second.known, second.imported_files) == (9, 0)


def test_a_changed_file_is_read_again(tmp_path: Path, reads: list[str]) -> None:
    folder = _folder(tmp_path)
    with Store(tmp_path / "s.sqlite") as st:
        import_paths(st, [folder], athlete="x", workers=1)
        victim = sorted(folder.glob("*.gpx"))[0]
        # same size and same modification time, other bytes: the change time still moves
        data = bytearray(victim.read_bytes())
        i = data.index(b"<name>") + 6
        data[i] = ord("Z") if data[i] != ord("Z") else ord("Y")
        victim.write_bytes(bytes(data))
        os.utime(victim, (OLD, OLD))
        touched = sorted(folder.glob("*.fit"))[0]
        os.utime(touched, (OLD - 60, OLD - 60))  # same bytes, other time: read, then known
        reads.clear()
        rep = import_paths(st, [folder], athlete="x", workers=1)
    assert sorted(reads) == sorted([victim.name, touched.name])
    assert rep.known == 8 and rep.imported_files == 1


def test_a_file_changed_just_now_is_not_trusted_next_time(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    monkeypatch.setattr(filestats, "RACY_S", 0.5)
    time.sleep(0.6)  # the copies settle
    fresh = sorted(folder.glob("*.fit"))[1]
    os.utime(fresh, None)  # modified now: inside the racy window
    with Store(tmp_path / "s.sqlite") as st:
        import_paths(st, [folder], athlete="x", workers=1)
        reads.clear()
        import_paths(st, [folder], athlete="x", workers=1)
    assert reads == [fresh.name]


def test_a_read_only_store_records_nothing(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    db = tmp_path / "s.sqlite"
    with Store(db) as st:
        import_paths(st, [folder], athlete="x", workers=1)
    with Store(db, readonly=True) as st:
        st.set_file_stats("x", [("/elsewhere/a.fit", (1, 2, 3, 4), "0" * 64)])
    con = sqlite3.connect(db)
    paths = [r[0] for r in con.execute("SELECT path FROM file_stats")]
    con.close()
    assert len(paths) == 9 and "/elsewhere/a.fit" not in paths


def test_the_pool_keeps_a_bounded_number_of_files_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, n_fit=20, n_gpx=4)
    monkeypatch.setattr(parsepool, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(parsepool, "POOL_MIN_BYTES", 1)
    monkeypatch.setattr(parsepool, "AHEAD", 2)
    in_flight: list[int] = []
    drawn = [0]
    yielded = [0]
    real_imap = parsepool.ParsePool.imap

    def counting(self, items):  # type: ignore[no-untyped-def]
        def counted():  # type: ignore[no-untyped-def]
            for it in items:
                drawn[0] += 1
                in_flight.append(drawn[0] - yielded[0])
                yield it

        for out in real_imap(self, counted()):
            yielded[0] += 1
            yield out

    monkeypatch.setattr(parsepool.ParsePool, "imap", counting)
    with Store(tmp_path / "s.sqlite") as st:
        rep = import_paths(st, [folder], athlete="x", workers=2)
    assert rep.imported_files == 24
    assert drawn[0] == 24
    # 2 workers x AHEAD 2: never more than 4 files read and not yet stored
    assert max(in_flight) == 4


def test_a_version_3_store_gains_the_file_stats_table(tmp_path: Path) -> None:
    folder = _folder(tmp_path, n_fit=2, n_gpx=0)
    db = tmp_path / "v3.sqlite"
    with Store(db) as st:
        import_paths(st, [folder], athlete="x", workers=1)
    con = sqlite3.connect(db)
    with con:
        con.execute("DROP TABLE file_stats")
        con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    with Store(db) as st:
        rep = import_paths(st, [folder], athlete="x", workers=1)
        assert rep.known == 2
        assert len(st.file_stats("x")) == 2
