"""The store after an import is killed (SIGKILL at random points) and when two imports write
to it at once (issue 9): always consistent, a re-run completes it, nothing lost or doubled.

The corpus is the 40 smallest activity files of sample_logs/alex (FIT, .fit.gz, GPX), one
session each. Imports run as ``python -m cramplog import`` subprocesses in their own process
group, so the kill takes the parse workers too.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLE_LOGS
from test_hostile_fit import SLOW

from cramplog.importer.pipeline import import_paths
from cramplog.store import Store

KILLS = 16 if SLOW else 8
SCHEMA_TABLES = ("meta", "athletes", "files", "activities", "activity_sources", "cramps")
SEED = 9


def corpus_files() -> list[Path]:
    files = [
        p
        for p in (SAMPLE_LOGS / "alex").rglob("*")
        if p.is_file() and p.name.endswith((".fit", ".fit.gz", ".gpx"))
    ]
    return sorted(files, key=lambda p: (p.stat().st_size, p.name))[:40]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = corpus_files()
    if len(files) < 40:
        pytest.skip("sample_logs/alex is not present")
    root = tmp_path_factory.mktemp("corpus") / "alex"
    root.mkdir()
    for p in files:
        shutil.copy(p, root / p.name)
    return root


@pytest.fixture(scope="module")
def clean_count(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> int:
    """Sessions a clean, uninterrupted import stores."""
    with Store(tmp_path_factory.mktemp("clean") / "s.sqlite") as store:
        report = import_paths(store, [corpus], athlete="alex", workers=1)
        assert not report.failed
        return store.count_activities()


def start_import(db: Path, *paths: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CRAMPLOG_DB=str(db), NO_COLOR="1")
    return subprocess.Popen(
        [sys.executable, "-m", "cramplog", "import", "--athlete", "alex", *map(str, paths)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill reaches the workers too
    )


def consistency(db: Path) -> dict[str, int]:
    """Assert every invariant the store promises; return counts."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            # killed while the store was being created: the schema lands in one transaction,
            # so there is none yet; the next run creates it (test_an_empty_store_file_...)
            return {"activities": 0, "files": 0}
        assert set(SCHEMA_TABLES) <= tables, "the schema landed whole"

        def one(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        # every activity has a source row
        assert one("SELECT COUNT(*) FROM activities a WHERE NOT EXISTS"
                   " (SELECT 1 FROM activity_sources s WHERE s.activity_id = a.id)") == 0  # fmt: skip
        # every source row names an activity and a stored file of the same athlete
        assert one("SELECT COUNT(*) FROM activity_sources s LEFT JOIN activities a"
                   " ON a.id = s.activity_id WHERE a.id IS NULL") == 0  # fmt: skip
        assert one("SELECT COUNT(*) FROM activity_sources s JOIN activities a ON a.id ="
                   " s.activity_id WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.sha256 ="
                   " s.sha256 AND f.athlete_id = a.athlete_id)") == 0  # fmt: skip
        # every imported activity file has its activities (one session per corpus file)
        assert one("SELECT COUNT(*) FROM files f WHERE f.status != 'failed' AND f.format IN"
                   " ('fit', 'gpx') AND NOT EXISTS (SELECT 1 FROM activity_sources s"
                   " WHERE s.sha256 = f.sha256)") == 0  # fmt: skip
        # nothing doubled
        assert one("SELECT COUNT(*) FROM (SELECT athlete_id, start_epoch FROM activities"
                   " GROUP BY athlete_id, start_epoch HAVING COUNT(*) > 1)") == 0  # fmt: skip
        return {
            "activities": one("SELECT COUNT(*) FROM activities"),
            "files": one("SELECT COUNT(*) FROM files"),
        }
    finally:
        conn.close()


@pytest.fixture(scope="module")
def import_seconds(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> float:
    """Wall time of a clean import subprocess on this machine, now: kills are timed as
    fractions of it, so they land inside the import however fast or loaded the machine is."""
    db = tmp_path_factory.mktemp("timed") / "s.sqlite"
    t0 = time.perf_counter()
    proc = start_import(db, corpus)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    return time.perf_counter() - t0


def test_sigkill_at_random_points_leaves_a_consistent_store(
    corpus: Path, clean_count: int, import_seconds: float, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    delays = [round(rng.uniform(0.05, 1.0) * import_seconds, 3) for _ in range(KILLS)]
    state = {"stores": 1, "before": 0, "mid_import": 0}  # mid_import: kills that left a
    db = tmp_path / "killed-1.sqlite"  # partly imported store
    history: list[tuple[float, int]] = []

    def kill_after(delay: float) -> None:
        nonlocal db
        proc = start_import(db, corpus)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        after = consistency(db)["activities"] if db.exists() else 0
        assert state["before"] <= after <= clean_count, "a kill lost stored sessions"
        history.append((delay, after))
        if state["before"] < after < clean_count:
            state["mid_import"] += 1
        if after == clean_count:  # finished before the kill: go on with an empty store
            state["stores"] += 1
            db = tmp_path / f"killed-{state['stores']}.sqlite"
            after = 0
        state["before"] = after

    for delay in delays:
        kill_after(delay)
    # the writes fill only part of an import (start-up and parsing come first): if no kill
    # has landed among them yet, aim at the later part of the import until one does
    for fraction in (0.6, 0.7, 0.8, 0.9, 0.65, 0.75, 0.85, 0.95, 0.55, 0.5):
        if state["mid_import"]:
            break
        kill_after(round(fraction * import_seconds, 3))
    print(f"(delay s, sessions stored) after each kill: {history}")
    assert state["mid_import"] >= 1, history
    # a re-run completes the last store; another one changes nothing
    for _ in range(2):
        proc = start_import(db, corpus)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
        assert consistency(db)["activities"] == clean_count


def test_two_imports_at_once_lose_and_double_nothing(
    corpus: Path, clean_count: int, tmp_path: Path
) -> None:
    files = sorted(corpus.iterdir())
    a, b = tmp_path / "a" / "alex", tmp_path / "b" / "alex"
    a.mkdir(parents=True)
    b.mkdir(parents=True)
    for p in files[:26]:  # a: files 0-25, b: files 14-39 (12 in both)
        shutil.copy(p, a / p.name)
    for p in files[14:]:
        shutil.copy(p, b / p.name)
    db = tmp_path / "shared.sqlite"
    procs = [start_import(db, a), start_import(db, b)]
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err.decode()
    counts = consistency(db)
    assert counts["activities"] == clean_count
    with Store(db) as store:
        sources = [len(act.sources) for act in store.activities("alex")]
    assert len(sources) == clean_count and all(n >= 1 for n in sources)


def test_an_empty_store_file_left_by_a_kill_is_completed(
    corpus: Path, clean_count: int, tmp_path: Path
) -> None:
    """A kill between creating the file and committing the schema leaves a file with no
    tables; the next import creates the schema and imports everything."""
    db = tmp_path / "empty.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    assert db.exists()
    proc = start_import(db, corpus)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert consistency(db)["activities"] == clean_count
