"""``cramplog store check`` (each problem one line, with what to run) and ``cramplog store
backup`` (a consistent copy while another process writes; never over an existing file unless
--force)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, CliCall
from test_store_journal import store_cramps, type_everything

from cramplog.store import SCHEMA_VERSION, Store


def test_a_healthy_store_checks_ok_and_prints_no_problem(
    cli: CliCall, db_path: Path, tmp_path: Path
) -> None:
    type_everything(cli, tmp_path)
    r = cli("store", "check")
    assert r.out == ""
    assert "ok (1 athlete(s), 5 cramp(s)" in r.err


def _sql(db: Path, *statements: str) -> None:
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = OFF")
    for s in statements:
        con.execute(s)
    con.commit()
    con.close()


@pytest.mark.parametrize(
    ("damage", "expect"),
    [
        (("INSERT INTO cramps (athlete_id, when_local, when_utc, muscle) VALUES "
          "(99, '2026-01-01T10:00', '2026-01-01T09:00:00+00:00', 'calf')",),
         ["1 orphan row(s) in cramps: their athletes row is gone; run 'cramplog store rebuild'"]),
        (("UPDATE meta SET value = '2' WHERE key = 'schema_version'",),
         [f"schema version 2, this cramplog writes {SCHEMA_VERSION}; run any cramplog command that writes"]),
        (("UPDATE meta SET value = '9' WHERE key = 'schema_version'",),
         [f"schema version 9 is newer than this cramplog reads ({SCHEMA_VERSION}); upgrade cramplog"]),
        (("DELETE FROM cramps WHERE muscle = 'foot'",),
         ["cramp(s) in ", "are not in the store; run 'cramplog cramp import "]),
        (("UPDATE cramps SET severity = 5 WHERE muscle = 'foot'",),
         ["0 cramp(s) in the store are not in", "and 1 differ; run 'cramplog store journal'"]),
        (("UPDATE athletes SET profile = NULL",),
         ["the profile differs from", "differs in sex, hr_max, hr_rest, timezone, goals, "
          "thresholds); run 'cramplog profile import "]),
        (("INSERT INTO athletes (name) VALUES ('zoe')",),
         ["athlete 'zoe' has no journal in", "run 'cramplog store journal'"]),
    ],
)  # fmt: skip
def test_each_problem_is_one_line_saying_what_to_run(
    damage: tuple[str, ...], expect: list[str], cli: CliCall, db_path: Path, tmp_path: Path
) -> None:
    type_everything(cli, tmp_path)
    _sql(db_path, *damage)
    r = cli("store", "check", code=2)
    assert r.out.count("\n") == 1, r.out
    for part in expect:
        assert part in r.out
    assert r.err.strip().endswith("1 problem(s)")


def test_a_journal_athlete_missing_from_the_store(
    cli: CliCall, db_path: Path, tmp_path: Path
) -> None:
    type_everything(cli, tmp_path)
    cli("profile", "set", "--athlete", "bo", "--sex", "male")
    _sql(db_path, "DELETE FROM athletes WHERE name = 'bo'")
    r = cli("store", "check", code=2)
    assert r.out == (
        f"athlete 'bo' is in the journal ({db_path}.journal/bo) but not in the store; "
        "run 'cramplog store rebuild'\n"
    )


def test_the_fixes_it_names_do_fix_it(cli: CliCall, db_path: Path, tmp_path: Path) -> None:
    want = type_everything(cli, tmp_path)
    _sql(db_path, "DELETE FROM cramps WHERE muscle = 'foot'")
    line = cli("store", "check", code=2).out.strip()
    command = line.split("run '", 1)[1].rstrip("'")
    assert command.startswith("cramplog cramp import ")
    import shlex

    cli(*shlex.split(command)[1:])
    cli("store", "check")
    assert store_cramps(db_path) == want


# -- backup ----------------------------------------------------------------------------------

WRITER = r"""
import sys
from datetime import datetime, timedelta, timezone
from cramplog.model import Activity
from cramplog.store import Store

t0 = datetime(2026, 1, 1, 7, tzinfo=timezone.utc)
with Store(sys.argv[1]) as st:
    print("ready", flush=True)
    for i in range(100_000):  # two sessions per file, one transaction each
        acts = [Activity(sport="running", start=t0 + timedelta(days=i, hours=h),
                         distance_m=5000.0, elapsed_s=1800.0) for h in (0, 6)]
        st.add_file("ann", f"sha{i}", f"f{i}.fit", "fit", 1, acts)
"""


def test_a_backup_taken_while_another_process_writes_is_consistent(
    cli: CliCall, db_path: Path, tmp_path: Path
) -> None:
    with Store(db_path) as st:
        st.athlete_id("ann")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path)], stdout=subprocess.PIPE, env=env
    )
    counts = []
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        for i in range(6):
            time.sleep(0.15)
            copy = tmp_path / f"backup-{i}.sqlite"
            cli("store", "backup", str(copy))
            con = sqlite3.connect(copy)
            assert [r[0] for r in con.execute("PRAGMA integrity_check")] == ["ok"]
            sessions = con.execute("SELECT COUNT(*) FROM activities").fetchone()[0]
            files = con.execute("SELECT COUNT(*) FROM files").fetchone()[0]
            con.close()
            assert sessions == 2 * files  # never half a file's transaction
            assert not Path(f"{copy}-wal").exists()  # one self-contained file
            counts.append(files)
    finally:
        proc.kill()
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()
    assert counts == sorted(counts) and counts[-1] > counts[0]  # the writer was writing


def test_backup_never_overwrites_unless_forced(cli: CliCall, db_path: Path, tmp_path: Path) -> None:
    with Store(db_path) as st:
        st.athlete_id("ann")
    target = tmp_path / "b.sqlite"
    target.write_bytes(b"precious")
    err = cli("store", "backup", str(target), code=2).err
    assert err.count("\n") == 1 and "--force" in err
    assert target.read_bytes() == b"precious"
    cli("store", "backup", str(target), "--force")
    with Store(target, readonly=True, journal=False) as copy:
        assert copy.athletes() == ["ann"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_backup_of_a_damaged_store_is_one_line_naming_rebuild(
    cli: CliCall, db_path: Path, tmp_path: Path
) -> None:
    db_path.write_bytes(b"not a database at all" * 300)
    target = tmp_path / "b.sqlite"
    err = cli("store", "backup", str(target), code=2).err
    assert err.count("\n") == 1 and "cramplog store rebuild" in err
    assert not target.exists()
