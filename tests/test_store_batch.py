"""Files stored in batches (``Store.batch``): many files share a transaction, each file a
savepoint in it. A file still lands whole or not at all: one that fails half-way leaves no
row of its own and changes no row that was there, and the files around it land. A batch
that SQLite undoes (a full disk) counts none of its files as imported."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import SAMPLE_LOGS

from cramplog.errors import StoreError
from cramplog.importer.pipeline import import_paths
from cramplog.model import Activity
from cramplog.store import Store

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=timezone.utc)


def run(hour: float, **kw: object) -> Activity:
    start = T0.replace(hour=0) + timedelta(hours=hour)
    return Activity(sport="running", start=start, distance_m=10_000.0, elapsed_s=3000.0, **kw)


def dump(db: Path) -> list[str]:
    """Every row of the store, as SQL (another connection: only what is committed)."""
    con = sqlite3.connect(db)
    try:
        return [line for line in con.iterdump() if line.startswith("INSERT")]
    finally:
        con.close()


def test_a_file_that_fails_half_way_in_a_batch_leaves_no_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.sqlite"
    with Store(db) as st:
        st.add_file("ann", "h0", "old.gpx", "gpx", 1, [run(8, title="kept as it is")])
    before = dump(db)
    real = Store._insert

    def insert(self: Store, aid: int, act: Activity, fmt: str) -> int:
        if act.title == "boom":
            raise StoreError("the disk said no")
        return real(self, aid, act, fmt)

    monkeypatch.setattr(Store, "_insert", insert)
    with Store(db) as st, st.batch() as batch:
        st.add_file("ann", "h1", "a.fit", "fit", 1, [run(10)])
        batch.tick()
        with pytest.raises(StoreError):
            # merges into the stored session (a richer format: it would rewrite its row),
            # adds one, then fails on the third
            st.add_file("ann", "h2", "b.fit", "fit", 1, [run(8), run(12), run(14, title="boom")])
        batch.tick()
        st.add_file("ann", "h3", "c.fit", "fit", 1, [run(16)])
    after = dump(db)
    assert set(before) <= set(after)  # the old session's row and its file, unchanged
    with Store(db) as st:
        acts = st.activities("ann")
        assert [(a.start.hour, a.sources) for a in acts] == [
            (8, ["old.gpx"]),
            (10, ["a.fit"]),
            (16, ["c.fit"]),
        ]
        assert acts[0].title == "kept as it is" and acts[0].source_format == "gpx"
        assert st.known_hashes("ann") == {"h0", "h1", "h3"}


def test_a_batch_commits_on_its_way_and_what_completed_lands_on_an_error(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    with Store(db) as st:
        st.athlete_id("ann")
        with pytest.raises(RuntimeError), st.batch() as batch:
            for i in range(40):
                st.add_file("ann", f"h{i}", f"{i}.fit", "fit", 1, [run(i / 2)])
                if batch.tick() and i < 20:
                    # committed: another connection sees every file so far
                    assert len(dump(db)) >= 3 * (i + 1)
            raise RuntimeError("a bug after the files")
        assert not st.conn.in_transaction
    con = sqlite3.connect(db)  # committed: another connection sees them
    assert con.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 40
    con.close()


def test_a_full_disk_in_a_batch_counts_only_the_files_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite undoes the whole transaction when the store cannot grow: the files of the
    batch since its last commit are reported failed, never counted as imported."""
    folder = tmp_path / "ann"
    folder.mkdir()
    for f in sorted((SAMPLE_LOGS / "alex" / "fit").glob("*.fit"))[:60]:
        shutil.copy(f, folder / f.name)

    def pages(db: Path) -> int:
        con = sqlite3.connect(db)
        try:
            return int(con.execute("PRAGMA page_count").fetchone()[0])
        finally:
            con.close()

    db, scratch = tmp_path / "s.sqlite", tmp_path / "scratch.sqlite"
    for path in (db, scratch):
        with Store(path) as st:
            st.athlete_id("ann")
    empty = pages(db)
    with Store(scratch) as st:  # how many pages the files take
        total = import_paths(st, [folder], athlete="ann", workers=1).imported_files
    cap = empty + (pages(scratch) - empty) * 2 // 5  # room for 2 of 5 files: a batch and some
    real = sqlite3.connect

    def capped(*args: object, **kwargs: object) -> sqlite3.Connection:
        con = real(*args, **kwargs)  # type: ignore[arg-type]
        con.execute(f"PRAGMA max_page_count = {cap}")
        return con

    monkeypatch.setattr(sqlite3, "connect", capped)
    with Store(db) as st:
        out = import_paths(st, [folder], athlete="ann", workers=1)
        stored = st.known_hashes("ann")
    full = [msg for _, msg in out.failed if "full" in msg]
    assert full, out.failed  # the cap was met
    assert 0 < out.imported_files == len(stored)
    assert out.imported_files + len(out.failed) == total
    monkeypatch.setattr(sqlite3, "connect", real)
    with Store(db) as st:  # a re-run without the cap stores the rest
        again = import_paths(st, [folder], athlete="ann", workers=1)
        assert again.imported_files == total - out.imported_files
        assert len(st.known_hashes("ann")) == total
