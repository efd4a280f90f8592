"""The store's cache of each athlete's analysis outcome (issue 8: a warm ``cramplog analyze``).

A cached outcome renders byte for byte like a computed one in every format; every write to
what an outcome depends on (sessions, their sources, cramps, the profile), another
``--since``, another analysis day or other code makes the next run compute afresh; a store
opened read-only never writes the cache; an unreadable row is a miss; the warm path
imports neither pandas nor numpy.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from test_cli_analyze import START, add_athlete, make_run

from cramplog.cli.app import run
from cramplog.model import CrampEvent, Goal
from cramplog.store import SCHEMA_VERSION, Store

SAMPLE_LOGS = Path(__file__).resolve().parents[1] / "sample_logs"
ALEX = SAMPLE_LOGS / "alex"
TEAM = SAMPLE_LOGS / "team"
DEV = TEAM / "dev"  # a manual log and two FIT files: small, quick to analyse
DEV_NAME = "Dev Raman"
DEV_TODAY = "2026-07-01"  # three days after Dev's last session: a live log
FORMATS = ("table", "json", "csv", "markdown", "junit")


class Calls:
    """How often the analysis really ran (``session.analyze_stored``)."""

    def __init__(self) -> None:
        self.n = 0

    def since(self, before: int) -> int:
        return self.n - before


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    import cramplog.analysis.stored

    counter = Calls()
    real = cramplog.analysis.stored.analyze_stored

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        counter.n += 1
        return real(*a, **k)

    monkeypatch.setattr(cramplog.analysis.stored, "analyze_stored", counting)
    return counter


@pytest.fixture
def dev(tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of Dev's folder (so a test can add files), with the day pinned."""
    monkeypatch.setenv("CRAMPLOG_TODAY", DEV_TODAY)
    folder = tmp_path / "dev"
    shutil.copytree(DEV, folder)
    return folder


def analyze(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = run(["analyze", *args])
    out, err = capsys.readouterr()
    assert code == 0, err  # no --fail-on here: "never", whatever was found (cached or not)
    return out


def computes(calls: Calls, action: Callable[[], str]) -> tuple[int, str]:
    """(analyses run, output) of one command."""
    before = calls.n
    out = action()
    return calls.since(before), out


def clear_cache(db: Path) -> None:
    con = sqlite3.connect(db)
    with con:
        con.execute("DELETE FROM outcomes")
    con.close()


def cached_today(db: Path) -> str:
    """The analysis day of the (single) cached outcome."""
    con = sqlite3.connect(db)
    try:
        (payload,) = con.execute("SELECT payload FROM outcomes").fetchone()
    finally:
        con.close()
    return str(json.loads(zlib.decompress(payload))["overview"]["today"])


def cache_rows(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute("SELECT COUNT(*) FROM outcomes").fetchone()[0])
    finally:
        con.close()


# -- cold == warm, byte for byte -------------------------------------------------------------


def _cold_then_warm(
    folder: Path, db: Path, fmt: str, capsys: pytest.CaptureFixture[str], calls: Calls
) -> None:
    import cramplog.analysis.stored

    clear_cache(db)
    args = (str(folder), "--format", fmt, "--db", str(db))
    n, cold = computes(calls, lambda: analyze(capsys, *args))
    assert n >= 1
    assert cache_rows(db) == n  # one row per athlete analysed

    def refuse(*a, **k):  # type: ignore[no-untyped-def]
        raise AssertionError("the warm run analysed instead of reading the cache")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cramplog.analysis.stored, "analyze_stored", refuse)
        warm = analyze(capsys, *args)
    assert warm == cold


@pytest.fixture(scope="module")
def alex_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("alex") / "store.sqlite"
    assert run(["import", str(ALEX), "--db", str(db)]) == 0
    return db


@pytest.fixture(scope="module")
def team_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("team") / "store.sqlite"
    assert run(["import", *(str(p) for p in sorted(TEAM.iterdir())), "--db", str(db)]) == 0
    return db


@pytest.mark.parametrize("fmt", FORMATS)
def test_alex_cached_output_is_the_computed_output(
    alex_db: Path, fmt: str, capsys, calls: Calls, monkeypatch
) -> None:
    monkeypatch.setenv("CRAMPLOG_TODAY", "2026-07-01")
    _cold_then_warm(ALEX, alex_db, fmt, capsys, calls)


@pytest.mark.parametrize("fmt", FORMATS)
def test_team_cached_output_is_the_computed_output(
    team_db: Path, fmt: str, capsys, calls: Calls, monkeypatch
) -> None:
    monkeypatch.setenv("CRAMPLOG_TODAY", "2026-07-01")
    _cold_then_warm(TEAM, team_db, fmt, capsys, calls)


def test_team_summary_and_since_cached_output_is_the_computed_output(
    team_db: Path, capsys, calls: Calls, monkeypatch
) -> None:
    monkeypatch.setenv("CRAMPLOG_TODAY", "2026-07-01")
    _cold_then_warm(TEAM, team_db, "table", capsys, calls)  # fills the cache for no --since
    import cramplog.analysis.stored

    args = (str(TEAM), "--since", "14d", "--summary", "--db", str(team_db))
    n, cold = computes(calls, lambda: analyze(capsys, *args))
    assert n == 4  # another window: every athlete again
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cramplog.analysis.stored, "analyze_stored", None)  # would fail if called
        assert analyze(capsys, *args) == cold


def test_cached_outcome_is_flagged_and_equal(team_db: Path) -> None:
    from cramplog.analysis.batch import analyze_many

    with Store(team_db) as store:
        names = store.athletes()
        clear_cache(team_db)
        fresh = analyze_many(store, names, today=date(2026, 7, 1), cache=True)
        again = analyze_many(store, names, today=date(2026, 7, 1), cache=True)
        plain = analyze_many(store, names, today=date(2026, 7, 1))
    assert not any(o.cached for o in fresh) and all(o.cached for o in again)
    assert not any(o.cached for o in plain)  # without cache=True: computed, as before
    for a, b in zip(fresh, again, strict=True):
        assert (a.athlete, a.report, a.overview, a.error) == (b.athlete, b.report, b.overview, None)
        assert b.stats.key == a.stats.key and b.stats.computed == 0


def test_worker_processes_write_the_cache_per_athlete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cramplog.analysis.batch
    from cramplog.analysis.batch import analyze_many

    db = tmp_path / "squad.sqlite"
    with Store(db) as store:
        for i in range(4):
            add_athlete(store, f"r{i}", spike_km=16.0 if i % 2 else None, days=28)
    monkeypatch.setattr(cramplog.analysis.batch, "POOL_MIN_SESSIONS", 0)
    today = date(2026, 4, 27)
    with Store(db, readonly=True) as store:  # workers open it read-only too: no rows
        analyze_many(store, store.athletes(), today=today, workers=2, cache=True)
    assert cache_rows(db) == 0
    with Store(db) as store:
        names = store.athletes()
        pooled = analyze_many(store, names, today=today, workers=2, cache=True)
        assert cache_rows(db) == 4
        with Store(db) as other:
            other.add_cramps("r1", [CrampEvent(when=START + timedelta(days=3), muscle="calf")])
        again = analyze_many(store, names, today=today, workers=2, cache=True)
    assert [o.cached for o in pooled] == [False] * 4
    assert [o.cached for o in again] == [True, False, True, True]  # only r1 recomputed
    assert [o.athlete for o in again] == names
    assert len(again[1].report["cramps"]) == len(pooled[1].report["cramps"]) + 1  # type: ignore[index]


# -- the warm path stays light ----------------------------------------------------------------


# Only junit imports numpy, through cramplog.rules (its rule catalogue); the other formats
# render a cached outcome from plain data.
@pytest.mark.parametrize(
    ("formats", "absent"),
    [
        (
            ("json", "csv", "table", "markdown"),
            ("pandas", "numpy", "scipy", "fitparse", "cramplog.analysis.athlete"),
        ),
        (("junit",), ("pandas", "scipy", "fitparse", "cramplog.analysis.athlete")),
    ],
    ids=["text-formats", "junit"],
)
def test_warm_run_imports_no_heavy_library(
    dev: Path, db_path: Path, capsys, formats: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    from cramplog.analysis.outcome_key import code_fingerprint

    # the files of a working tree change under a long test run: stamp them as they are now
    code_fingerprint.cache_clear()
    analyze(capsys, str(dev))  # cold: computes and caches
    code = (
        "import contextlib, io, sys\n"
        "from cramplog.cli.app import run\n"
        f"for fmt in {formats!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        f"        assert run(['analyze', {str(dev)!r}, '-f', fmt]) == 0\n"
        f"sys.stderr.write(repr([m for m in {absent!r} if m in sys.modules]))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stderr.strip() == "[]"


# -- every change recomputes, and gives the fresh answer ----------------------------------------


def assert_fresh(capsys, db: Path, args: tuple[str, ...], out: str) -> None:
    """``out`` is what a run with an empty cache prints now."""
    clear_cache(db)
    assert analyze(capsys, *args) == out


def test_warm_run_reads_the_cache(dev: Path, db_path: Path, capsys, calls: Calls) -> None:
    args = (str(dev), "-f", "json")
    assert computes(calls, lambda: analyze(capsys, *args))[0] == 1
    n, out = computes(calls, lambda: analyze(capsys, *args))
    assert n == 0
    assert_fresh(capsys, db_path, args, out)


def test_a_new_file_recomputes(dev: Path, db_path: Path, capsys, calls: Calls) -> None:
    late = dev / "fit" / "2026-06-28_run.fit.gz"
    held = dev.parent / late.name
    late.rename(held)
    args = (str(dev), "-f", "json")
    _, before = computes(calls, lambda: analyze(capsys, *args))
    held.rename(late)
    n, after = computes(calls, lambda: analyze(capsys, *args))
    assert n == 1
    assert json.loads(after)["athletes"][0]["sessions"] == (
        json.loads(before)["athletes"][0]["sessions"] + 1
    )
    assert_fresh(capsys, db_path, args, after)


def test_a_changed_log_file_recomputes(dev: Path, db_path: Path, capsys, calls: Calls) -> None:
    args = (str(dev), "-f", "json")
    _, before = computes(calls, lambda: analyze(capsys, *args))
    log = dev / "manual_log.csv"
    log.write_text(
        log.read_text() + "2026-06-27 06:00,running,01:30:00,16.00,40,40,160,175,31,8,,no\n"
    )
    n, after = computes(calls, lambda: analyze(capsys, *args))
    assert n == 1 and after != before
    assert_fresh(capsys, db_path, args, after)


def test_cramp_add_and_remove_recompute(dev: Path, db_path: Path, capsys, calls: Calls) -> None:
    args = (str(dev), "-f", "json")
    _, before = computes(calls, lambda: analyze(capsys, *args))
    assert run(["cramp", "add", "-m", "calf", "-w", "2026-06-28 07:30", "-t", "during"]) == 0
    capsys.readouterr()
    n, added = computes(calls, lambda: analyze(capsys, *args))
    assert n == 1
    cramps = json.loads(added)["athletes"][0]["cramps"]
    assert len(cramps) == len(json.loads(before)["athletes"][0]["cramps"]) + 1
    assert_fresh(capsys, db_path, args, added)

    with Store(db_path) as store:
        (ev,) = [c for c in store.cramps(DEV_NAME) if c.muscle == "calf"]
    assert run(["cramp", "remove", str(ev.id)]) == 0
    capsys.readouterr()
    n, removed = computes(calls, lambda: analyze(capsys, *args))
    assert n == 1 and removed == before
    assert_fresh(capsys, db_path, args, removed)


def test_cramps_csv_sync_recomputes(dev: Path, db_path: Path, capsys, calls: Calls) -> None:
    args = (str(dev), "-f", "json")
    _, before = computes(calls, lambda: analyze(capsys, *args))
    sheet = dev / "cramps.csv"
    header = "when,muscle,side,severity,timing,notes\n"
    sheet.write_text(header + "2026-06-28T07:30,calf,left,3,during,\n2026-06-21T21:00,foot,,2,,\n")
    n, two = computes(calls, lambda: analyze(capsys, *args))
    assert n == 1 and len(json.loads(two)["athletes"][0]["cramps"]) == 2
    assert_fresh(capsys, db_path, args, two)
    sheet.write_text(header + "2026-06-21T21:00,foot,,2,,\n")  # one deleted in the sheet
    n, one = computes(calls, lambda: analyze(capsys, *args))
    assert n == 1 and len(json.loads(one)["athletes"][0]["cramps"]) == 1
    assert_fresh(capsys, db_path, args, one)
    assert computes(calls, lambda: analyze(capsys, *args)) == (0, one)  # re-synced, unchanged
    assert before != one


@pytest.mark.parametrize(
    ("change", "shows"),
    [
        (["--hr-max", "200"], "200"),
        (["--timezone", "America/New_York"], None),  # recomputed; the table looks the same
        (
            ["--goal-name", "Hill 30", "--goal-date", "2026-07-20", "--goal-distance-km", "30"],
            "Hill 30",
        ),
    ],
    ids=["hr-max", "timezone", "goal"],
)
def test_profile_set_recomputes(
    dev: Path, db_path: Path, capsys, calls: Calls, change: list[str], shows: str | None
) -> None:
    args = (str(dev), "-f", "table")  # shows heart rate and goal readiness
    _, before = computes(calls, lambda: analyze(capsys, *args))
    assert run(["profile", "set", *change]) == 0
    capsys.readouterr()
    n, after = computes(calls, lambda: analyze(capsys, *args))
    assert n == 1
    if shows is not None:
        assert shows in after and shows not in before
    assert_fresh(capsys, db_path, args, after)


def test_since_is_part_of_the_key(dev: Path, db_path: Path, capsys, calls: Calls) -> None:
    whole = (str(dev), "-f", "json")
    window = (*whole, "--since", "7d")
    _, all_of_it = computes(calls, lambda: analyze(capsys, *whole))
    n, recent = computes(calls, lambda: analyze(capsys, *window))
    assert n == 1 and recent != all_of_it
    assert computes(calls, lambda: analyze(capsys, *window)) == (0, recent)
    assert_fresh(capsys, db_path, window, recent)
    assert computes(calls, lambda: analyze(capsys, *whole)) == (1, all_of_it)


def test_the_analysis_day_is_part_of_the_key(
    dev: Path, db_path: Path, capsys, calls: Calls, monkeypatch
) -> None:
    args = (str(dev), "-f", "markdown")
    computes(calls, lambda: analyze(capsys, *args))
    assert cached_today(db_path) == DEV_TODAY
    monkeypatch.setenv("CRAMPLOG_TODAY", "2026-07-05")  # a live log: "now" moves
    n, day5 = computes(calls, lambda: analyze(capsys, *args))
    assert n == 1 and cached_today(db_path) == "2026-07-05"
    assert_fresh(capsys, db_path, args, day5)
    # long after the log ended, the analysis speaks for its last day whatever today is
    monkeypatch.setenv("CRAMPLOG_TODAY", "2026-11-01")
    n, ended = computes(calls, lambda: analyze(capsys, *args))
    assert n == 1 and cached_today(db_path) == "2026-06-28"
    monkeypatch.setenv("CRAMPLOG_TODAY", "2026-12-24")
    assert computes(calls, lambda: analyze(capsys, *args)) == (0, ended)
    assert_fresh(capsys, db_path, args, ended)


def test_other_code_recomputes(dev: Path, db_path: Path, capsys, calls: Calls, monkeypatch):
    import cramplog.analysis.outcome_key

    args = (str(dev), "-f", "json")
    _, before = computes(calls, lambda: analyze(capsys, *args))
    monkeypatch.setattr(
        cramplog.analysis.outcome_key, "code_fingerprint", lambda: "edited checkout"
    )
    assert computes(calls, lambda: analyze(capsys, *args)) == (1, before)
    assert computes(calls, lambda: analyze(capsys, *args)) == (0, before)


def test_code_fingerprint_follows_the_files(tmp_path: Path) -> None:
    import os

    from cramplog.analysis.outcome_key import code_fingerprint, tree_stamp

    (tmp_path / "pkg" / "__pycache__").mkdir(parents=True)
    mod = tmp_path / "pkg" / "features.py"
    mod.write_text("FEATURES_VERSION = 2\n")
    (tmp_path / "pkg" / "__pycache__" / "x.py").write_text("")
    (tmp_path / "pkg" / "notes.txt").write_text("")
    first = tree_stamp(tmp_path)
    assert first == [f"{os.path.join('pkg', 'features.py')} 21 {mod.stat().st_mtime_ns}"]
    mod.write_text("FEATURES_VERSION = 3\n")  # same size: the mtime tells
    os.utime(mod, ns=(mod.stat().st_atime_ns, mod.stat().st_mtime_ns + 1_000_000))
    assert tree_stamp(tmp_path) != first
    fp = code_fingerprint()
    assert len(fp) == 64 and fp == code_fingerprint()  # once per process
    import cramplog

    root = Path(cramplog.__file__).resolve().parent
    assert any(s.startswith(os.path.join("features", "compute.py") + " ") for s in tree_stamp(root))


# -- the digest: every write path changes it, derived data does not -------------------------


@pytest.fixture
def ana(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "ana.sqlite")
    add_athlete(store, "ana", days=20)
    yield store
    store.close()


def digest(store: Store, name: str = "ana") -> str:
    inputs = store.outcome_inputs(name)
    assert inputs is not None
    return inputs.digest


def _first(store: Store):  # type: ignore[no-untyped-def]
    return store.activities("ana")[0]


def _insert(store: Store) -> None:
    store.add_file("ana", "new", "new.fit", "fit", 1, [make_run(START + timedelta(days=25), 5.0)])


def _merge_richer(store: Store) -> None:
    a = make_run(START + timedelta(seconds=30), 8.0)  # the first run again, from a FIT file
    store.add_file("ana", "first-fit", "first.fit", "fit", 1, [a])


def _merge_fill(store: Store) -> None:
    a = make_run(START, 8.0)
    a.stream = None
    a.temp_avg_c = 24.0  # a column the stored copy lacks
    store.add_file("ana", "first-csv", "log.csv", "csv", 1, [a])


def _merge_same(store: Store) -> None:
    a = make_run(START, 8.0)
    a.stream = None
    store.add_file("ana", "first-again", "again.csv", "csv", 1, [a])  # only a new source


def _merge_stream(store: Store) -> None:
    # a session stored without a stream gains one from a file of the same format
    a = make_run(START + timedelta(days=22), 6.0)
    a.stream = None
    store.add_file("ana", "bare", "bare.fit", "fit", 1, [a])
    before = digest(store)
    b = make_run(START + timedelta(days=22), 6.0)
    store.add_file("ana", "full", "full.fit", "fit", 1, [b])
    assert digest(store) != before


def _cramp_add(store: Store) -> None:
    store.add_cramps("ana", [CrampEvent(when=START + timedelta(days=4, hours=1), muscle="foot")])


def _cramp_remove(store: Store) -> None:
    store.remove_cramp(store.cramps("ana")[0].id or 0)


def _sync_add(store: Store) -> None:
    ev = CrampEvent(when=START + timedelta(days=6, hours=1), muscle="calf")
    store.sync_cramps_file("ana", "cramps.csv", [ev])


def _profile(field: str, value: object) -> Callable[[Store], None]:
    def change(store: Store) -> None:
        prof = store.get_profile("ana")
        assert prof is not None
        setattr(prof, field, value)
        store.set_profile(prof)

    return change


WRITES: dict[str, Callable[[Store], None]] = {
    "add_file insert": _insert,
    "add_file merge, richer format": _merge_richer,
    "add_file merge, gap filled": _merge_fill,
    "add_file merge, new source only": _merge_same,
    "add_file merge, stream added": _merge_stream,
    "add_cramps": _cramp_add,
    "remove_cramp": _cramp_remove,
    "sync_cramps_file": _sync_add,
    "set_profile hr_max": _profile("hr_max", 185.0),
    "set_profile sex": _profile("sex", "male"),
    "set_profile timezone": _profile("timezone", "Asia/Tokyo"),
    "set_profile thresholds": _profile("thresholds", {"heat_c": 20.0}),
    "set_profile goals": _profile("goals", [Goal(name="G", date=date(2026, 6, 1))]),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_path_changes_the_digest(ana: Store, write: Callable[[Store], None]) -> None:
    if write is _merge_richer:
        # store the first run as a GPX so the FIT copy outranks it
        first = _first(ana)
        ana.conn.execute("UPDATE activities SET source_format = 'gpx' WHERE id = ?", (first.id,))
    before = digest(ana)
    write(ana)
    assert digest(ana) != before


def test_sync_removing_a_cramp_changes_the_digest(ana: Store) -> None:
    ev = CrampEvent(when=START + timedelta(days=6, hours=1), muscle="calf")
    ana.sync_cramps_file("ana", "cramps.csv", [ev])
    before = digest(ana)
    assert ana.sync_cramps_file("ana", "cramps.csv", [])[2] == 1
    assert digest(ana) != before


def test_what_leaves_the_outcome_alone_leaves_the_digest_alone(ana: Store) -> None:
    before = digest(ana)
    ids = [a.id for a in ana.activities("ana") if a.id is not None]
    ana.put_features({i: {"load": 1.0} for i in ids}, "other-key")  # the feature cache
    ana.add_file("ana", "empty", "empty.gpx", "gpx", 1, [], status="failed", message="bad")
    prof = ana.get_profile("ana")
    assert prof is not None
    ana.set_profile(prof)  # the same profile again (an import re-reads athlete.toml)
    assert ana.add_cramps("ana", ana.cramps("ana")) == (0, 2)  # known cramps
    add_athlete(ana, "bea", days=6)  # another athlete
    assert digest(ana) == before


# Columns the digest leaves out on purpose: derived from the others (the feature cache).
DERIVED = {("activities", "features"), ("activities", "features_key")}


@pytest.mark.parametrize("table", ["athletes", "activities", "activity_sources", "cramps"])
def test_every_stored_column_is_in_the_digest(ana: Store, table: str) -> None:
    """A column added to these tables must be digested or listed in DERIVED."""
    cols = [r[1] for r in ana.conn.execute(f"PRAGMA table_info({table})")]
    assert cols
    for col in cols:
        if (table, col) in DERIVED or col in ("id", "athlete_id", "activity_id"):
            continue
        name = ana.athletes()[0]
        before = digest(ana, name)
        rowid = ana.conn.execute(f"SELECT rowid FROM {table} ORDER BY rowid LIMIT 1").fetchone()[0]
        old = ana.conn.execute(f"SELECT {col} FROM {table} WHERE rowid = ?", (rowid,)).fetchone()[0]
        new: object
        if col == "stream":
            new = old + b"\0"
        elif col == "profile":
            doc = json.loads(old)
            doc["hr_rest"] = 51.0
            new = json.dumps(doc)
        elif col == "start_utc":
            new = old.replace("2026-", "2025-")
        elif (table, col) == ("athletes", "name"):
            new = name = f"{old} renamed"
        elif old is None or isinstance(old, int | float):
            new = (old or 0) + 1
        else:
            new = f"{old}x"
        ana.conn.execute(f"UPDATE {table} SET {col} = ? WHERE rowid = ?", (new, rowid))
        assert digest(ana, name) != before, f"{table}.{col} is not in the digest"


def test_the_digest_takes_milliseconds(ana: Store) -> None:
    import time

    year = [make_run(START - timedelta(days=i + 1), 5.0) for i in range(300)]
    for a in year:
        a.stream = None
    ana.add_file("ana", "year", "year.csv", "csv", 1, year)
    assert ana.count_activities("ana") > 300
    digest(ana)
    t0 = time.perf_counter()
    for _ in range(5):
        digest(ana)
    assert (time.perf_counter() - t0) / 5 < 0.05  # measured: ~3 ms for a runner-year


def test_last_day_is_the_latest_local_day(ana: Store) -> None:
    from cramplog.analysis.stored import load_athlete

    inputs = ana.outcome_inputs("ana")
    data = load_athlete(ana, "ana", with_streams=False)
    tz = data.profile.tzinfo()
    assert inputs is not None
    assert inputs.last_day == max(a.local_date(tz) for a in data.activities)
    # the latest start (local 22 March, west of UTC) is not on the latest local day (23 March,
    # a session eight hours earlier far east of UTC)
    west = make_run(datetime(2026, 3, 23, 9, 0, tzinfo=timezone.utc), 5.0)
    west.utc_offset_s = -10 * 3600
    east = make_run(datetime(2026, 3, 23, 1, 0, tzinfo=timezone.utc), 5.0)
    east.utc_offset_s = 13 * 3600
    ana.add_file("ana", "travel", "travel.fit", "fit", 1, [west, east])
    data = load_athlete(ana, "ana", with_streams=False)
    inputs = ana.outcome_inputs("ana")
    assert inputs is not None
    assert inputs.last_day == max(a.local_date(tz) for a in data.activities) == date(2026, 3, 23)
    assert ana.outcome_inputs("nobody") is None


# -- writing never fails the command ----------------------------------------------------------


def test_read_only_store_reads_but_never_writes(dev: Path, db_path: Path, capsys, calls) -> None:
    analyze(capsys, str(dev), "-f", "json")  # import (and cache)
    clear_cache(db_path)
    n, out = computes(calls, lambda: analyze(capsys, "-f", "json"))  # no PATH: read-only
    assert n == 1 and cache_rows(db_path) == 0
    analyze(capsys, str(dev), "-f", "json")  # writable: caches
    assert computes(calls, lambda: analyze(capsys, "-f", "json")) == (0, out)


def test_undecodable_row_is_recomputed(dev: Path, db_path: Path, capsys, calls: Calls) -> None:
    args = (str(dev), "-f", "json")
    _, out = computes(calls, lambda: analyze(capsys, *args))
    con = sqlite3.connect(db_path)
    for bad in (b"not zlib", zlib.compress(b"{not json"), zlib.compress(b"[1, 2]"),
                zlib.compress(b'{"report": 1, "overview": {}}')):  # fmt: skip
        with con:
            con.execute("UPDATE outcomes SET payload = ?", (bad,))
        assert computes(calls, lambda: analyze(capsys, *args)) == (1, out)
    con.close()
    assert computes(calls, lambda: analyze(capsys, *args)) == (0, out)  # rewritten


def test_a_row_with_a_foreign_severity_or_status_is_recomputed(
    dev: Path, db_path: Path, capsys, calls: Calls
) -> None:
    args = (str(dev), "-f", "json")
    _, out = computes(calls, lambda: analyze(capsys, *args))
    con = sqlite3.connect(db_path)
    (good,) = con.execute("SELECT payload FROM outcomes").fetchone()

    def spoilt(edit: Callable[[dict], None]) -> bytes:
        d = json.loads(zlib.decompress(good))
        edit(d)
        return zlib.compress(json.dumps(d).encode())

    def finding(d: dict) -> None:
        d["report"]["findings"].append({"rule": "CR01", "severity": "severe"})

    def status(d: dict) -> None:
        a = {"rule": "CR05", "status": "fine", "severity": None}
        d["report"]["goal"] = {"worst_severity": None, "assessments": [a]}

    def count(d: dict) -> None:
        d["overview"]["counts"]["critical"] = 0

    for edit in (finding, status, count):
        with con:
            con.execute("UPDATE outcomes SET payload = ?", (spoilt(edit),))
        assert computes(calls, lambda: analyze(capsys, *args)) == (1, out)
    con.close()


def test_a_store_that_refuses_the_write_is_no_error(dev: Path, db_path: Path, capsys) -> None:
    args = (str(dev), "-f", "json")
    out = analyze(capsys, *args)
    clear_cache(db_path)
    con = sqlite3.connect(db_path)
    with con:
        con.execute(
            "CREATE TRIGGER no_cache BEFORE INSERT ON outcomes"
            " BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
        )
    con.close()
    assert analyze(capsys, *args) == out
    assert cache_rows(db_path) == 0


def test_only_what_round_trips_is_stored(ana: Store) -> None:
    inputs = ana.outcome_inputs("ana")
    assert inputs is not None
    assert ana.put_outcome("ana", "k", {"a": [1, 2.5, None, "x", {"b": float("nan")}]})
    assert ana.cached_outcome("ana", "k") is not None
    assert ana.cached_outcome("ana", "other") is None
    for doc in ({"a": (1, 2)}, {"a": date(2026, 1, 1)}, {1: "int key"}, {"a": {3}}):
        assert not ana.put_outcome("ana", "k2", doc)
    assert ana.cached_outcome("ana", "k2") is None


def test_inputs_changed_during_the_analysis_are_not_cached(
    dev: Path, db_path: Path, capsys, monkeypatch
) -> None:
    import cramplog.analysis.stored

    real = cramplog.analysis.stored.analyze_stored

    def meddling(store, name, **k):  # type: ignore[no-untyped-def]
        result = real(store, name, **k)
        when = datetime(2026, 6, 20, 7, 0, tzinfo=timezone(timedelta(hours=5, minutes=30)))
        store.add_cramps(name, [CrampEvent(when=when, muscle="calf")])  # another process
        return result

    monkeypatch.setattr(cramplog.analysis.stored, "analyze_stored", meddling)
    analyze(capsys, str(dev), "-f", "json")
    assert cache_rows(db_path) == 0


# -- the schema -------------------------------------------------------------------------------


def test_a_version_2_store_gains_the_outcome_table_in_place(tmp_path: Path) -> None:
    p = tmp_path / "v2.sqlite"
    with Store(p) as st:
        add_athlete(st, "ana", days=6)
        n = st.count_activities("ana")
    con = sqlite3.connect(p)
    with con:
        con.execute("DROP TABLE outcomes")
        con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    with Store(p) as st:
        v = st.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
        assert int(v) == SCHEMA_VERSION == 5
        assert st.count_activities("ana") == n and len(st.cramps("ana")) == 2
        assert st.put_outcome("ana", "k", {"report": {}, "overview": {}})
        assert st.cached_outcome("ana", "k") == {"report": {}, "overview": {}}
