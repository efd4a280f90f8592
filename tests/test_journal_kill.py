"""A process SIGKILLed while it writes the journal leaves the old file or the new one, never a
torn one; and ``cramplog cramp add`` killed at random points loses no cramp it reported
logged, doubles none, and ``store rebuild`` brings back everything the journal holds.

The first test's twin (``test_the_kill_test_catches_an_in_place_write``) runs the same kills
against a writer that writes in place (the mutation: no temp file, no rename) and must see a
torn file: it shows the first test can fail."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from conftest import REPO

from cramplog.journal.cramps import parse_cramps_csv

LATER = datetime(2100, 1, 1, tzinfo=timezone.utc)

WRITER = r"""
import os, sys
from pathlib import Path
from cramplog.journal import files

target, mode = Path(sys.argv[1]), sys.argv[2]
if mode == "inplace":  # the mutation: write the file where it is
    def inplace(path, data):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view[:65536]):]
            os.fsync(fd)
        finally:
            os.close(fd)
    files.write_atomic = inplace
contents = [Path(sys.argv[3]).read_bytes(), Path(sys.argv[4]).read_bytes()]
print("ready", flush=True)
i = 0
while True:
    files._write(target, contents[i % 2])
    i += 1
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def _contents(tmp_path: Path) -> tuple[bytes, bytes]:
    """Two whole cramps.csv files of different lengths (about 1 and 1.5 MB)."""
    header = "when,muscle,side,severity,timing,notes\n"
    a = header + "".join(f"2026-01-01T10:{i % 60:02d}+01:00,calf,left,{i % 5 + 1},,a{i}\n"
                         for i in range(25_000))  # fmt: skip
    b = header + "".join(f"2026-02-01T11:{i % 60:02d}+01:00,foot,,,,b-{i}\n"
                         for i in range(45_000))  # fmt: skip
    (tmp_path / "a").write_text(a)
    (tmp_path / "b").write_text(b)
    return a.encode(), b.encode()


def kill_writers(tmp_path: Path, mode: str, kills: int, *, stop_on_torn: bool) -> list[str]:
    """Start the writer, SIGKILL it after a random delay, look at the file; ``kills`` times.
    Returns what was found each time: "a", "b" or "torn"."""
    a, b = _contents(tmp_path)
    target = tmp_path / "j" / "cramps.csv"
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(a)
    rng = random.Random(18)
    seen: list[str] = []
    for _ in range(kills):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), mode, str(tmp_path / "a"),
             str(tmp_path / "b")],
            stdout=subprocess.PIPE, env=_env(),
        )  # fmt: skip
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.01, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        data = target.read_bytes()
        seen.append("a" if data == a else "b" if data == b else "torn")
        if seen[-1] == "torn" and stop_on_torn:
            break
    return seen


def test_a_killed_journal_write_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    seen = kill_writers(tmp_path, "atomic", 15, stop_on_torn=False)
    assert "torn" not in seen, seen
    assert set(seen) == {"a", "b"}  # the kills did land between writes of both kinds
    data = (tmp_path / "j" / "cramps.csv").read_bytes()
    events, warnings = parse_cramps_csv(data, "cramps.csv", timezone.utc, now=LATER)
    assert warnings == [] and len(events) in (25_000, 45_000)
    # the next write clears the temp files the kills left behind
    from cramplog.journal.files import _write

    _write(tmp_path / "j" / "cramps.csv", b"x")
    assert sorted(os.listdir(tmp_path / "j")) == ["cramps.csv"]


def test_the_kill_test_catches_an_in_place_write(tmp_path: Path) -> None:
    seen = kill_writers(tmp_path, "inplace", 25, stop_on_torn=True)
    assert "torn" in seen, seen


def _add(db: Path, minute: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "cramplog", "cramp", "add", "--athlete", "ana", "--db", str(db),
         "--muscle", "calf", "--when", f"2026-05-01 10:{minute:02d}", "--severity", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(),
    )  # fmt: skip


def test_cramp_add_killed_at_random_points_loses_nothing_it_reported(tmp_path: Path) -> None:
    from cramplog.store import Store

    db = tmp_path / "s.sqlite"
    t0 = time.monotonic()
    first = _add(db, 0)
    assert first.communicate()[1] is not None and first.returncode == 0
    took = time.monotonic() - t0
    logged = {0}
    rng = random.Random(5)
    for minute in range(1, 11):
        proc = _add(db, minute)
        time.sleep(rng.uniform(0.5, 1.1) * took)
        proc.send_signal(signal.SIGKILL)
        if proc.wait() == 0:
            logged.add(minute)
        assert proc.stderr is not None
        proc.stderr.close()
    from cramplog.cli.app import run

    assert run(["store", "rebuild", "--db", str(db)]) == 0
    with Store(db, readonly=True) as store:
        minutes = [ev.when.minute for ev in store.cramps("ana")]
    assert len(logged) < 11, "no kill landed before the command finished"
    assert logged <= set(minutes)  # every cramp it reported logged is there
    assert len(minutes) == len(set(minutes))  # none twice
    assert run(["store", "check", "--db", str(db)]) == 0
