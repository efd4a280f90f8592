"""cramplog benchmark suite: a season and a squad, cold and warm, against fitparse/gpxpy.

Run from the repository root (the venv's python, cramplog installed)::

    python benchmarks/run.py                      # the full suite (corpora cached in /tmp)
    python benchmarks/run.py --quick              # seconds: tiny corpus, for the smoke test
    python benchmarks/run.py --json out.json --profile

Corpora come from ``cramplog.samplegen`` and are generated once into ``--cache`` (default
``/tmp/cramplog-bench``), keyed by athletes, years, seed and a digest of the generator's
source. The runner-year is ``athlete_000`` of the squad corpus (the same files the generator
writes for ``--athletes 1``).

Every CLI measurement is a subprocess (interpreter start included) on a fresh store; wall time
is what the targets are about, CPU time (user + sys of the process and its workers, from
``wait4``) is printed next to it because it barely moves with the machine's load. The load
average is recorded at the start and the end: on a shared machine, read wall times with it.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import decade  # benchmarks/decade.py, next to this script

REPO = Path(__file__).resolve().parents[1]
SCHEMA_VERSION = 1
DEFAULT_CACHE = Path(os.environ.get("CRAMPLOG_BENCH_CACHE", "/tmp/cramplog-bench"))
CORPUS_START = date(2025, 1, 6)  # cramplog.samplegen.corpus starts every runner here

# The targets of issue 8 (this machine: 2 cores).
TARGETS: dict[str, tuple[str, float, str]] = {
    # key: (what, limit, "max" = measured must be <= limit, "min" = >= limit)
    "cold_year_wall_s": ("one runner-year cold import+analyze, wall s", 3.0, "max"),
    "speedup_vs_reference": ("speedup over fitparse/gpxpy parsing alone, ×", 50.0, "min"),
    "warm_year_wall_s": ("warm analyze of the year, wall s", 1.0, "max"),
    "help_wall_s": ("cramplog --help, wall s", 0.150, "max"),
    "cold_year_peak_rss_mb": ("peak RSS of the cold year (largest process), MB", 300.0, "max"),
    "squad_cold_wall_s": ("20-athlete squad-year cold, wall s", 60.0, "max"),
    # The runner-year has ~1 M FIT records: a watch recording every second.
    "dense_cold_wall_s": ("runner-year recorded every second, cold, wall s", 3.0, "max"),
    "dense_speedup": ("the same, speedup over fitparse/gpxpy alone, ×", 50.0, "min"),
}
HEAVY_MODULES = ("pandas", "numpy", "fitparse", "gpxpy", "scipy")


# --------------------------------------------------------------------------- small helpers


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def median(xs: Sequence[float]) -> float | None:
    return statistics.median(xs) if xs else None


def loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def git(*args: str) -> str | None:
    try:
        res = subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout.strip()


def cramplog_cmd() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m cramplog``."""
    script = Path(sys.executable).with_name("cramplog")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "cramplog"]


# --------------------------------------------------------------------------- child processes


@dataclass
class ChildRun:
    """One subprocess: wall time, CPU of it and its (reaped) workers, memory, exit code."""

    wall_s: float
    cpu_s: float
    maxrss_mb: float  # the largest single process (ru_maxrss, as /usr/bin/time -v shows)
    tree_peak_rss_mb: float | None  # peak of the summed RSS of the process tree (sampled)
    returncode: int
    stderr: str
    hwm_mb: float | None = None  # the largest VmHWM of any one process of the tree (sampled)

    def as_dict(self) -> dict[str, Any]:
        return {
            "wall_s": round(self.wall_s, 4),
            "cpu_s": round(self.cpu_s, 4),
            "maxrss_mb": round(self.maxrss_mb, 1),
            "tree_peak_rss_mb": (
                round(self.tree_peak_rss_mb, 1) if self.tree_peak_rss_mb is not None else None
            ),
            "returncode": self.returncode,
            "hwm_mb": round(self.hwm_mb, 1) if self.hwm_mb is not None else None,
        }


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
    except OSError:
        pass
    return out


def _hwm_kb(pid: int) -> int:
    """VmHWM: the peak RSS of ``pid`` since its exec. Unlike ``ru_maxrss`` it does not carry the
    RSS of the benchmark process it was forked from (Linux keeps the larger across exec)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _tree_rss_bytes(root: int, hwm: list[int] | None = None) -> int:
    """Summed RSS of ``root`` and its descendants; with ``hwm``, keep the largest VmHWM (KB)
    of any one of them in ``hwm[0]``."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    todo = [root]
    seen: set[int] = set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
        if hwm is not None:
            hwm[0] = max(hwm[0], _hwm_kb(pid))
        todo.extend(_children(pid))
    return total


def run_child(
    cmd: Sequence[str], env: dict[str, str], *, sample_rss: bool = True, timeout: float = 3600
) -> ChildRun:
    """Run ``cmd`` with stdout discarded; measure it with ``wait4`` (and /proc sampling)."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(cmd), env=env, stdout=subprocess.DEVNULL, stderr=err)
        peak = [0]
        hwm = [0]
        stop = threading.Event()
        sampler = None
        if sample_rss and Path("/proc/self/statm").exists():

            def sample() -> None:
                while not stop.is_set():
                    peak[0] = max(peak[0], _tree_rss_bytes(proc.pid, hwm))
                    stop.wait(0.02)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
        deadline = time.monotonic() + timeout
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
            time.sleep(0.002)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        if sampler is not None:
            sampler.join()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return ChildRun(
        wall_s=wall,
        cpu_s=ru.ru_utime + ru.ru_stime,
        maxrss_mb=ru.ru_maxrss / 1024,  # KB on Linux
        tree_peak_rss_mb=peak[0] / 2**20 if sampler is not None else None,
        returncode=proc.returncode,
        stderr=stderr,
        hwm_mb=hwm[0] / 1024 if sampler is not None else None,
    )


def _summary(runs: list[ChildRun]) -> dict[str, Any]:
    return {
        "runs": [r.as_dict() for r in runs],
        "wall_s": round(median([r.wall_s for r in runs]) or 0.0, 4),
        "cpu_s": round(median([r.cpu_s for r in runs]) or 0.0, 4),
        "maxrss_mb": round(max((r.maxrss_mb for r in runs), default=0.0), 1),
        "tree_peak_rss_mb": round(max((r.tree_peak_rss_mb or 0.0 for r in runs), default=0.0), 1),
    }


def _check(run: ChildRun, what: str) -> None:
    if run.returncode not in (0, 1):  # 1: findings at or above --fail-on (not used here)
        tail = "\n".join(run.stderr.strip().splitlines()[-15:])
        raise SystemExit(f"{what} failed with exit code {run.returncode}:\n{tail}")


# --------------------------------------------------------------------------- corpora


def samplegen_digest() -> str:
    h = hashlib.sha256()
    src = REPO / "cramplog" / "samplegen"
    for p in sorted(src.glob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:10]


def _write_one(args: tuple[Any, Path]) -> str:
    from cramplog.samplegen.athlete import write_athlete

    spec, out = args
    return str(write_athlete(spec, out))


def ensure_corpus(
    cache: Path, athletes: int, years: float, seed: int, jobs: int, every_second: bool = False
) -> Path:
    """The corpus folder (athlete_000 … athlete_N-1), generated once into ``cache``.
    ``every_second``: points recorded every second instead of every 1-5 s."""
    rec = "-1s" if every_second else ""
    name = f"corpus-a{athletes}-y{years:g}-s{seed}{rec}-{samplegen_digest()}"
    folder = cache / name
    marker = folder / ".complete.json"
    if marker.is_file():
        log(f"corpus {name}: cached")
        return folder
    from cramplog.samplegen.corpus import EVERY_SECOND_S, SMART_RECORDING_S, corpus_specs

    partial = cache / (name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    log(f"corpus {name}: generating {athletes} athlete(s) × {years:g} year(s) with {jobs} job(s)")
    t0 = time.perf_counter()
    specs = corpus_specs(
        athletes, years, seed, EVERY_SECOND_S if every_second else SMART_RECORDING_S
    )
    if jobs > 1 and len(specs) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(jobs, len(specs))) as pool:
            list(pool.map(_write_one, [(s, partial) for s in specs]))
    else:
        for s in specs:
            _write_one((s, partial))
    secs = time.perf_counter() - t0
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    meta = {"athletes": athletes, "years": years, "seed": seed, "every_second": every_second,
            "generated_s": round(secs, 1)}  # fmt: skip
    marker.write_text(json.dumps(meta), encoding="utf-8")
    log(f"corpus {name}: written in {secs:.1f} s")
    return folder


def corpus_stats(folder: Path) -> dict[str, Any]:
    by_fmt: dict[str, int] = {}
    total_bytes = 0
    files = 0
    for p in folder.rglob("*"):
        if not p.is_file() or p.name.startswith("."):
            continue
        files += 1
        total_bytes += p.stat().st_size
        low = p.name.lower().removesuffix(".gz")
        ext = low.rsplit(".", 1)[-1] if "." in low else ""
        key = ext + (".gz" if p.name.lower().endswith(".gz") else "")
        by_fmt[key] = by_fmt.get(key, 0) + 1
    return {"files": files, "bytes": total_bytes, "by_format": dict(sorted(by_fmt.items()))}


def activity_files(folder: Path) -> list[Path]:
    out = []
    for p in sorted(folder.rglob("*")):
        low = p.name.lower().removesuffix(".gz")
        if p.is_file() and (low.endswith(".fit") or low.endswith(".gpx")):
            out.append(p)
    return out


def _read(p: Path) -> bytes:
    data = p.read_bytes()
    return gzip.decompress(data) if p.name.lower().endswith(".gz") else data


# --------------------------------------------------------------------------- the CLI runs


def _env(db: Path, today: date | None) -> dict[str, str]:
    env = dict(os.environ)
    env["CRAMPLOG_DB"] = str(db)
    env["NO_COLOR"] = "1"
    env.pop("CRAMPLOG_TODAY", None)
    if today is not None:
        env["CRAMPLOG_TODAY"] = today.isoformat()
    return env


def compile_package() -> str:
    """Write cramplog's bytecode (.pyc) before timing anything.

    A user's Python writes it on the first run (and ``pip install`` of a wheel at install
    time), so every later run loads it. An editable install has none at first, and where
    ``PYTHONDONTWRITEBYTECODE`` is set (this workplace sets it) it is never written: every
    run would compile ~80 modules from source (measured: --help 0.12-0.23 s instead of
    0.09-0.11 s; a warm analyze ~0.1 s slower).
    The benchmark measures the usual state, and says so in its JSON.
    """
    import compileall

    import cramplog

    root = Path(cramplog.__file__).resolve().parent
    ok = compileall.compile_dir(str(root), quiet=1, force=False)
    return f"compiled {root} ({'ok' if ok else 'with errors'})"


def bench_help(n: int) -> dict[str, Any]:
    env = dict(os.environ)
    python = [run_child([sys.executable, "-c", "pass"], env, sample_rss=False) for _ in range(n)]
    helps = [run_child([*cramplog_cmd(), "--help"], env, sample_rss=False) for _ in range(n)]
    for h in helps:
        _check(h, "cramplog --help")
    code = (
        "import sys\n"
        "from cramplog.cli.app import run\n"
        "run(['--help'])\n"
        f"print(repr([m for m in {HEAVY_MODULES!r} if m in sys.modules]), file=sys.stderr)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    heavy = res.stderr.strip().splitlines()[-1] if res.stderr.strip() else "?"
    return {
        "n": n,
        "wall_s": round(median([r.wall_s for r in helps]) or 0.0, 4),
        "cpu_s": round(median([r.cpu_s for r in helps]) or 0.0, 4),
        "python_startup_wall_s": round(median([r.wall_s for r in python]) or 0.0, 4),
        "python_startup_cpu_s": round(median([r.cpu_s for r in python]) or 0.0, 4),
        "heavy_modules_imported": heavy,
        "runs_wall_s": [round(r.wall_s, 4) for r in helps],
    }


def bench_year(
    folder: Path, workdir: Path, today: date, repeat: int, warm_repeat: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Cold (fresh store) and warm (same store again) ``cramplog analyze FOLDER``."""
    colds: list[ChildRun] = []
    warms: list[ChildRun] = []
    warm_silent = True
    for i in range(repeat):
        db = workdir / f"year-{i}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        # a fresh store: its journal goes too (a store gone with its journal left is refused)
        shutil.rmtree(str(db) + ".journal", ignore_errors=True)
        env = _env(db, today)
        cmd = [*cramplog_cmd(), "analyze", str(folder)]
        cold = run_child(cmd, env)
        _check(cold, "cold analyze")
        colds.append(cold)
        log(f"cold year #{i + 1}: {cold.wall_s:.2f} s wall, {cold.cpu_s:.2f} s CPU")
        for _ in range(warm_repeat):
            warm = run_child(cmd, env)
            _check(warm, "warm analyze")
            warm_silent = warm_silent and not warm.stderr.strip()
            warms.append(warm)
        log(f"warm year: {median([w.wall_s for w in warms[-warm_repeat:]]):.2f} s wall")
    warm_sum = _summary(warms)
    warm_sum["silent"] = warm_silent  # a warm run imports nothing, so it says nothing
    return _summary(colds), warm_sum


def bench_squad(team: Path, workdir: Path, today: date, repeat: int) -> dict[str, Any]:
    runs = []
    for i in range(repeat):
        db = workdir / f"squad-{i}.sqlite"
        cold = run_child([*cramplog_cmd(), "analyze", str(team)], _env(db, today))
        _check(cold, "squad analyze")
        runs.append(cold)
        log(f"squad cold #{i + 1}: {cold.wall_s:.2f} s wall, {cold.cpu_s:.2f} s CPU")
    return _summary(runs)


# --------------------------------------------------------------------------- parsing alone


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - t0, time.process_time() - c0, out


def _fitparse_records(data: bytes) -> int:
    import fitparse

    n = 0
    for m in fitparse.FitFile(data).get_messages():
        n += m.name == "record"
    return n


def _gpxpy_points(text: str) -> int:
    import gpxpy

    doc = gpxpy.parse(text)
    return sum(len(s.points) for t in doc.tracks for s in t.segments)


def bench_reference(folder: Path, fraction: float) -> dict[str, Any]:
    """Every FIT decoded fully with fitparse ``get_messages()``, every GPX with gpxpy.parse
    (gunzip included, one process): what a tool built on those libraries alone pays.

    With ``fraction`` < 1, every k-th file is parsed and the time scaled up by bytes."""
    import fitparse  # noqa: F401 - imported before timing
    import gpxpy  # noqa: F401

    files = activity_files(folder)
    step = max(1, round(1 / fraction)) if fraction < 1 else 1
    chosen = files[::step]
    wall = cpu = 0.0
    records = points = 0
    for p in chosen:
        t0, c0 = time.perf_counter(), time.process_time()
        data = _read(p)
        if p.name.lower().removesuffix(".gz").endswith(".fit"):
            records += _fitparse_records(data)
        else:
            points += _gpxpy_points(data.decode("utf-8-sig"))
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
    all_bytes = sum(p.stat().st_size for p in files)
    chosen_bytes = sum(p.stat().st_size for p in chosen) or 1
    scale = all_bytes / chosen_bytes
    return {
        "files": len(files),
        "files_parsed": len(chosen),
        "extrapolated": step > 1,
        "wall_s": round(wall * scale, 3),
        "cpu_s": round(cpu * scale, 3),
        "fit_records": round(records * scale),
        "gpx_points": round(points * scale),
    }


def bench_fast_inprocess(folder: Path) -> dict[str, Any]:
    """cramplog's own adapters on the same files in this one process (no pool, no store)."""
    from cramplog.ingest.fit import decode_fit
    from cramplog.ingest.read import parse_bytes

    files = activity_files(folder)
    blobs = [(p, p.read_bytes()) for p in files]
    wall_parse, cpu_parse, _ = _timed(lambda: [parse_bytes(p.name, d) for p, d in blobs])
    fits = [_read(p) for p, _ in blobs if p.name.lower().removesuffix(".gz").endswith(".fit")]
    decoders: dict[str, int] = {}
    records = 0

    def decode_all() -> None:
        nonlocal records
        for d in fits:
            msgs = decode_fit(d)
            records += len(msgs.record)
            decoders[msgs.decoder] = decoders.get(msgs.decoder, 0) + 1

    wall_dec, cpu_dec, _ = _timed(decode_all)
    return {
        "adapters_wall_s": round(wall_parse, 3),
        "adapters_cpu_s": round(cpu_parse, 3),
        "fit_decode_wall_s": round(wall_dec, 3),
        "fit_decode_cpu_s": round(cpu_dec, 3),
        "fit_records": records,
        "fit_records_per_s": round(records / wall_dec) if wall_dec > 0 else None,
        "fit_decoders": decoders,
    }


# --------------------------------------------------------------------------- real files


def _rate(count: int, secs: float) -> float | None:
    return round(count / secs) if secs > 0 else None


def _best(fn: Callable[[], Any], repeat: int, *, warm: bool = False) -> tuple[float, Any]:
    """Median time of ``repeat`` calls (after one untimed call with ``warm``: the first call
    on fresh bytes pays for the allocator's page faults) and the last result."""
    times = []
    out = fn() if warm else None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def bench_realdata(root: Path, repeat: int, max_bytes: int | None) -> dict[str, Any]:
    """Records (points) per second of each FIT and GPX path on real device files.

    Rates are summed over the files both paths of a pair read (median of ``repeat`` per file).
    """
    from cramplog.ingest.fit import decode_fit
    from cramplog.ingest.fit_fast import FastPathUnsupported, decode_fast
    from cramplog.ingest.xmlsafe import decode_xml

    def pick(sub: str, *exts: str) -> list[Path]:
        d = root / sub
        if not d.is_dir():
            return []
        out = [
            p
            for p in sorted(d.iterdir())
            if p.is_file() and p.name.lower().removesuffix(".gz").endswith(exts)
        ]
        small = [p for p in out if max_bytes is None or p.stat().st_size <= max_bytes]
        # with a size cap, still read the smallest file, so every path runs at least once
        return small or sorted(out, key=lambda p: p.stat().st_size)[:1]

    result: dict[str, Any] = {"root": str(root)}

    def warm_up(files: list[Path], *fns: Callable[[bytes, str], Any]) -> None:
        """One untimed call of each path on the smallest file: lazy imports and caches are
        paid here, not by whichever file happens to come first."""
        for p in sorted(files, key=lambda p: p.stat().st_size)[:1]:
            for fn in fns:
                try:
                    fn(_read(p), p.name)
                except Exception:  # noqa: BLE001 - a warm-up only
                    pass

    # FIT: fast decoder alone, fitparse get_messages() alone, and decode_fit (fast + fallback)
    fit_files = fit_ok = recs = 0
    declined: list[str] = []
    fast_failed: list[str] = []
    fitparse_failed: list[str] = []
    t_fast = t_fitparse = t_auto = 0.0
    warm_up(
        pick("fit", ".fit"),
        lambda d, _n: decode_fast(d),
        lambda d, _n: decode_fit(d),
        lambda d, _n: _fitparse_records(d),
    )
    for p in pick("fit", ".fit"):
        data = _read(p)
        fit_files += 1
        # fitparse last: the garbage it leaves behind would slow whichever path came next
        try:
            tf, _ = _best(partial(decode_fast, data), repeat, warm=True)
        except FastPathUnsupported:
            declined.append(p.name)
            continue
        except Exception:  # noqa: BLE001
            fast_failed.append(p.name)
            continue
        ta, _ = _best(partial(decode_fit, data), repeat, warm=True)
        try:
            tp, n_ref = _best(partial(_fitparse_records, data), repeat)
        except Exception:  # noqa: BLE001 - damaged files: fitparse gives up
            fitparse_failed.append(p.name)
            continue
        fit_ok += 1
        recs += n_ref
        t_fast += tf
        t_fitparse += tp
        t_auto += ta
    result["fit"] = {
        "files": fit_files,
        "both_ok": fit_ok,
        "fast_declined": declined,
        "fast_failed": fast_failed,
        "fitparse_failed": fitparse_failed,
        "records": recs,
        "fast_records_per_s": _rate(recs, t_fast),
        "fitparse_records_per_s": _rate(recs, t_fitparse),
        "decode_fit_records_per_s": _rate(recs, t_auto),
        "fast_speedup": round(t_fitparse / t_fast, 1) if t_fast > 0 else None,
    }

    # GPX: the element reader (gpx_elements), the whole adapter, and gpxpy.parse
    from cramplog.ingest import gpx as gpx_mod
    from cramplog.ingest import gpx_elements

    read_fast: Callable[..., Any] | None = gpx_elements.read_tracks
    gpx_files = gpx_ok = pts = 0
    skipped: list[str] = []
    t_reader = t_adapter = t_gpxpy = 0.0
    warm_up(
        pick("gpx", ".gpx"),
        gpx_mod.parse_gpx,
        lambda d, n: _gpxpy_points(decode_xml(d, n, "GPX")),
    )
    for p in pick("gpx", ".gpx"):
        raw = p.read_bytes()
        gpx_files += 1
        try:
            text = decode_xml(_read(p), p.name, "GPX")
            tg, n = _best(partial(_gpxpy_points, text), repeat)
            ta, _ = _best(partial(gpx_mod.parse_gpx, raw, p.name), repeat, warm=True)
            tr = 0.0
            if read_fast is not None:
                tr, _ = _best(partial(read_fast, text, p.name, []), repeat, warm=True)
        except Exception:  # noqa: BLE001 - no timed points (routes, waypoints) or unreadable
            skipped.append(p.name)
            continue
        if n == 0:
            continue
        gpx_ok += 1
        pts += n
        t_reader += tr
        t_adapter += ta
        t_gpxpy += tg
    result["gpx"] = {
        "files": gpx_files,
        "both_ok": gpx_ok,
        "skipped": skipped,
        "points": pts,
        "fast_reader_points_per_s": _rate(pts, t_reader) if read_fast is not None else None,
        "adapter_points_per_s": _rate(pts, t_adapter),
        "gpxpy_points_per_s": _rate(pts, t_gpxpy),
        "adapter_speedup": round(t_gpxpy / t_adapter, 1) if t_adapter > 0 else None,
    }

    # TCX: the fast adapter only (there is no library reference in the pipeline)
    from cramplog.ingest.tcx import parse_tcx

    tcx_files = tpts = 0
    tcx_failed: list[str] = []
    t_tcx = 0.0
    warm_up(pick("tcx", ".tcx"), parse_tcx)
    for p in pick("tcx", ".tcx"):
        tcx_files += 1
        try:
            tt, res = _best(partial(parse_tcx, p.read_bytes(), p.name), repeat)
        except Exception:  # noqa: BLE001
            tcx_failed.append(p.name)
            continue
        tpts += sum(len(a.stream.t_s) for a in res.activities if a.stream is not None)
        t_tcx += tt
    result["tcx"] = {
        "files": tcx_files,
        "failed": tcx_failed,
        "points": tpts,
        "adapter_points_per_s": _rate(tpts, t_tcx),
    }
    return result


def find_realdata(explicit: Path | None) -> Path | None:
    cands = [explicit] if explicit else []
    if os.environ.get("CRAMPLOG_REALDATA"):
        cands.append(Path(os.environ["CRAMPLOG_REALDATA"]))
    cands.append(REPO.parent / "shared" / "realdata")
    return next((c for c in cands if c is not None and c.is_dir()), None)


# --------------------------------------------------------------------------- profiles


@contextmanager
def _env_var(key: str, value: str) -> Iterator[None]:
    old = os.environ.get(key)
    os.environ[key] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = old


def profile_year(folder: Path, workdir: Path, today: date, top: int) -> dict[str, str]:
    """cProfile of a cold and a warm ``analyze`` in this process, with the worker pool off (so
    every parse shows up; the wall figure is the serial cost, not the pooled one)."""
    import cProfile
    import io
    import pstats

    import cramplog.analysis.batch as session
    import cramplog.importer.pool as parsepool
    from cramplog.cli.app import run

    out: dict[str, str] = {}
    db = workdir / "profile.sqlite"
    saved = (parsepool.POOL_MIN_FILES, session.POOL_MIN_ATHLETES)
    parsepool.POOL_MIN_FILES = session.POOL_MIN_ATHLETES = 10**9
    try:
        with _env_var("CRAMPLOG_DB", str(db)), _env_var("CRAMPLOG_TODAY", today.isoformat()):
            for stage in ("cold", "warm"):
                prof = cProfile.Profile()
                t0 = time.perf_counter()
                prof.enable()
                run(["analyze", str(folder), "-o", os.devnull])
                prof.disable()
                wall = time.perf_counter() - t0
                buf = io.StringIO()
                buf.write(f"{stage}: {wall:.2f} s in one process (pool off)\n")
                st = pstats.Stats(prof, stream=buf)
                st.sort_stats("cumulative").print_stats(top)
                st.sort_stats("tottime").print_stats(top)
                out[stage] = buf.getvalue()
    finally:
        parsepool.POOL_MIN_FILES, session.POOL_MIN_ATHLETES = saved
    return out


# --------------------------------------------------------------------------- report


def evaluate(results: dict[str, Any]) -> list[dict[str, Any]]:
    measured = {
        "cold_year_wall_s": results.get("cold_year", {}).get("wall_s"),
        "speedup_vs_reference": results.get("speedup_vs_reference"),
        "warm_year_wall_s": results.get("warm_year", {}).get("wall_s"),
        "help_wall_s": results.get("help", {}).get("wall_s"),
        "cold_year_peak_rss_mb": results.get("cold_year", {}).get("maxrss_mb"),
        "squad_cold_wall_s": results.get("squad_cold", {}).get("wall_s"),
        "dense_cold_wall_s": results.get("dense_cold", {}).get("wall_s"),
        "dense_speedup": results.get("dense_speedup"),
    }
    out = []
    for key, (what, limit, kind) in TARGETS.items():
        m = measured.get(key)
        met = None if m is None else (m <= limit if kind == "max" else m >= limit)
        out.append({"key": key, "what": what, "target": limit, "kind": kind, "measured": m,
                    "met": met})  # fmt: skip
    return out


def _fmt(v: Any, nd: int = 2) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def print_table(doc: dict[str, Any]) -> None:
    r = doc["results"]
    m = doc["machine"]
    lines = [
        f"cramplog benchmarks — {m['cpus']} CPU(s), load {m['loadavg_start']} → "
        f"{m['loadavg_end']}, python {m['python']}, commit {doc['git'].get('commit')}",
        "",
        f"{'measure':<58} {'wall':>10} {'CPU':>10} {'target':>10}  ok",
    ]
    targets = {t["key"]: t for t in doc["targets"]}

    def row(label: str, wall: Any, cpu: Any = None, key: str | None = None, nd: int = 2) -> None:
        t = targets.get(key or "")
        tgt = "—"
        ok = ""
        if t:
            tgt = ("≤ " if t["kind"] == "max" else "≥ ") + _fmt(t["target"], nd)
            ok = {True: "yes", False: "NO", None: "?"}[t["met"]]
        lines.append(f"{label:<58} {_fmt(wall, nd):>10} {_fmt(cpu, nd):>10} {tgt:>10}  {ok}")

    h = r.get("help", {})
    if h:
        row("cramplog --help (s, median)", h["wall_s"], h["cpu_s"], "help_wall_s", 3)
        row("  python -c pass, same machine (s, median)", h["python_startup_wall_s"],
            h["python_startup_cpu_s"], nd=3)  # fmt: skip
    cy = r.get("cold_year")
    if cy:
        row("runner-year cold import+analyze (s)", cy["wall_s"], cy["cpu_s"], "cold_year_wall_s")
        row("  peak RSS, largest process (MB)", cy["maxrss_mb"], None, "cold_year_peak_rss_mb", 0)
        row("  peak RSS, process tree summed (MB)", cy["tree_peak_rss_mb"], None, nd=0)
    ref = r.get("reference")
    if ref:
        row("same files, fitparse/gpxpy alone (s)", ref["wall_s"], ref["cpu_s"])
        row("  speedup, wall (×)", r.get("speedup_vs_reference"), r.get("speedup_cpu"),
            "speedup_vs_reference", 1)  # fmt: skip
    fi = r.get("fast_inprocess")
    if fi:
        row("  cramplog adapters on the same files, 1 process (s)", fi["adapters_wall_s"],
            fi["adapters_cpu_s"])  # fmt: skip
    wy = r.get("warm_year")
    if wy:
        row("runner-year warm analyze (s)", wy["wall_s"], wy["cpu_s"], "warm_year_wall_s")
    sq = r.get("squad_cold")
    if sq:
        row(f"squad-year cold, {doc['config']['athletes']} athletes (s)", sq["wall_s"],
            sq["cpu_s"], "squad_cold_wall_s")  # fmt: skip
        row("  peak RSS, largest process (MB)", sq["maxrss_mb"], None, nd=0)
    dc = r.get("dense_cold")
    if dc:
        dref = r.get("dense_reference") or {}
        recs = dref.get("fit_records")
        row(f"runner-year, every second ({_fmt(recs)} FIT records), cold (s)", dc["wall_s"],
            dc["cpu_s"], "dense_cold_wall_s")  # fmt: skip
        row("  peak RSS, largest process (MB)", dc["maxrss_mb"], None, nd=0)
        if dref:
            row("  same files, fitparse/gpxpy alone (s)", dref["wall_s"], dref["cpu_s"])
            row("  speedup, wall (×)", r.get("dense_speedup"), r.get("dense_speedup_cpu"),
                "dense_speedup", 1)  # fmt: skip
        dw = r.get("dense_warm")
        if dw:
            row("  warm analyze (s)", dw["wall_s"], dw["cpu_s"])
    rd = r.get("realdata")
    if rd and rd.get("fit"):
        f, g, t = rd["fit"], rd["gpx"], rd["tcx"]
        lines.append("")
        lines.append(f"real files ({rd['root']}), records or points per second:")
        lines.append(f"  FIT fast decoder  {_fmt(f['fast_records_per_s']):>12}   fitparse "
                     f"{_fmt(f['fitparse_records_per_s']):>10}   decode_fit "
                     f"{_fmt(f['decode_fit_records_per_s']):>10}   ({f['both_ok']} files, "
                     f"{_fmt(f['records'])} records, fast ×{_fmt(f['fast_speedup'], 1)}; "
                     f"declined {len(f['fast_declined'])})")  # fmt: skip
        lines.append(f"  GPX fast reader   {_fmt(g['fast_reader_points_per_s']):>12}   gpxpy    "
                     f"{_fmt(g['gpxpy_points_per_s']):>10}   adapter    "
                     f"{_fmt(g['adapter_points_per_s']):>10}   ({g['both_ok']} files, "
                     f"{_fmt(g['points'])} points, adapter ×{_fmt(g['adapter_speedup'], 1)})")  # fmt: skip
        lines.append(f"  TCX adapter       {_fmt(t['adapter_points_per_s']):>12}   "
                     f"({t['files']} files, {_fmt(t['points'])} points)")  # fmt: skip
    lines.extend(decade.table_17(doc))
    print("\n".join(lines))


def run_decade_parts(
    a: argparse.Namespace,
    doc: dict[str, Any],
    results: dict[str, Any],
    workdir: Path,
    part: Callable[[str, Callable[[], None]], None],
) -> None:
    """Issue 17: the decade corpus cold and warm, the GPX layouts, the physical references."""
    if {"decade", "layouts", "physical"} <= set(a.skip):
        return
    years = 0.3 if a.quick else 10.0
    results["decade_years"] = years
    folder = decade.ensure_decade(a.cache, a.seed, a.jobs, years)
    doc["corpus"]["decade"] = corpus_stats(folder)

    def env_for(db: Path) -> dict[str, str]:
        env = _env(db, None)
        env["CRAMPLOG_TODAY"] = decade.DECADE_TODAY
        return env

    def do_decade() -> None:
        results["decade"] = decade.bench_decade(
            folder, workdir, 1 if a.quick else (a.repeat or 3), a.warm_repeat or 3, run_child,
            env_for, cramplog_cmd(),
        )  # fmt: skip

    def do_layouts() -> None:
        results["gpx_layouts"] = decade.bench_layouts(folder, 3 if a.quick else 12,
                                                      1 if a.quick else 5)  # fmt: skip

    def do_physical() -> None:
        results["physical"] = decade.bench_physical(folder, 1 if a.quick else 5)

    part("decade", do_decade)
    part("layouts", do_layouts)
    part("physical", do_physical)


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="corpus cache folder")
    ap.add_argument("--json", type=Path, help="write the results as JSON here")
    ap.add_argument("--quick", action="store_true", help="tiny corpus, one repeat (smoke test)")
    ap.add_argument("--athletes", type=int, help="squad size (default 20; --quick 2)")
    ap.add_argument("--years", type=float, help="years per athlete (default 1; --quick 0.05)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, help="cold runs of the year (default 3; --quick 1)")
    ap.add_argument("--warm-repeat", type=int, help="warm runs after each cold one (default 2)")
    ap.add_argument("--squad-repeat", type=int, default=1)
    ap.add_argument("--help-repeat", type=int, help="--help runs (default 10; --quick 3)")
    ap.add_argument("--reference-fraction", type=float, default=1.0,
                    help="parse this share of the files with fitparse/gpxpy and scale up")  # fmt: skip
    ap.add_argument("--realdata", type=Path, help="real device files (default ../shared/realdata)")
    ap.add_argument("--realdata-repeat", type=int, help="runs per real file (default 3; --quick 1)")
    ap.add_argument("--profile", action="store_true",
                    help="also cProfile a cold and a warm analyze of the year (pool off)")  # fmt: skip
    ap.add_argument("--profile-top", type=int, default=25)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="processes for generating corpora")  # fmt: skip
    ap.add_argument("--skip", action="append", default=[],
                    choices=["help", "year", "reference", "dense", "squad", "profile", "realdata",
                             "decade", "layouts", "physical"],
                    help="leave a part out (repeatable)")  # fmt: skip
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    a = parse_args(argv)
    quick = a.quick
    athletes = a.athletes or (2 if quick else 20)
    years = a.years or (0.05 if quick else 1.0)
    repeat = a.repeat or (1 if quick else 3)
    warm_repeat = a.warm_repeat or (1 if quick else 2)
    help_repeat = a.help_repeat or (3 if quick else 10)
    today = CORPUS_START + timedelta(days=max(int(round(years * 365)), 7))

    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_start": loadavg(),
            "loadavg_end": None,
        },
        "git": {
            "commit": git("rev-parse", "--short", "HEAD"),
            "fitfast_commit": git(
                "log",
                "-1",
                "--format=%h %s",
                "--",
                "cramplog/ingest/fit_fast.py",
                "cramplog/ingest/fit_fast_walk.py",
                "cramplog/ingest/fit_fast_columns.py",
            ),
            "dirty": git("status", "--porcelain", "--", "cramplog"),
        },
        "config": {
            "quick": quick,
            "athletes": athletes,
            "years": years,
            "seed": a.seed,
            "repeat": repeat,
            "warm_repeat": warm_repeat,
            "cache": str(a.cache),
            "today": today.isoformat(),
        },
        "corpus": {},
        "results": {},
        "profiles": {},
    }
    results = doc["results"]
    errors: dict[str, str] = {}
    doc["errors"] = errors
    t_start = time.perf_counter()
    a.cache.mkdir(parents=True, exist_ok=True)

    def save() -> None:
        """Write the JSON after every part, so a failure late in a long run loses nothing."""
        doc["machine"]["loadavg_end"] = loadavg()
        doc["elapsed_s"] = round(time.perf_counter() - t_start, 1)
        doc["targets"] = evaluate(results)
        doc["targets_17"] = decade.evaluate_17(results)
        if a.json:
            a.json.parent.mkdir(parents=True, exist_ok=True)
            a.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")

    def part(name: str, fn: Callable[[], None]) -> None:
        if name in a.skip:
            return
        try:
            fn()
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - report it, run the other parts
            import traceback

            errors[name] = "".join(traceback.format_exception(exc)[-3:]).strip()
            log(f"{name} failed: {errors[name]}")
        save()

    doc["machine"]["bytecode"] = compile_package()
    with tempfile.TemporaryDirectory(prefix="cramplog-bench-") as tmp:
        workdir = Path(tmp)

        def do_help() -> None:
            log("cramplog --help …")
            results["help"] = bench_help(help_repeat)

        part("help", do_help)
        if {"year", "reference", "dense", "squad"} - set(a.skip):
            team = ensure_corpus(a.cache, athletes, years, a.seed, a.jobs)
            year = team / "athlete_000"
            doc["corpus"] = {
                "path": str(team),
                "year": corpus_stats(year),
                "squad": corpus_stats(team),
            }

            def do_year() -> None:
                cold, warm = bench_year(year, workdir, today, repeat, warm_repeat)
                results["cold_year"], results["warm_year"] = cold, warm

            def do_reference() -> None:
                log("the year's files with fitparse/gpxpy alone (slow) …")
                results["reference"] = ref = bench_reference(year, a.reference_fraction)
                results["fast_inprocess"] = bench_fast_inprocess(year)
                cold_wall = results.get("cold_year", {}).get("wall_s")
                cold_cpu = results.get("cold_year", {}).get("cpu_s")
                if cold_wall:
                    results["speedup_vs_reference"] = round(ref["wall_s"] / cold_wall, 1)
                if cold_cpu:
                    results["speedup_cpu"] = round(ref["cpu_s"] / cold_cpu, 1)

            def do_squad() -> None:
                results["squad_cold"] = bench_squad(team, workdir, today, a.squad_repeat)

            def do_profile() -> None:
                log("profiling …")
                doc["profiles"] = profile_year(year, workdir, today, a.profile_top)

            def do_dense() -> None:
                dense = ensure_corpus(a.cache, 1, years, a.seed, a.jobs, every_second=True)
                dense_year = dense / "athlete_000"
                doc["corpus"]["dense"] = corpus_stats(dense_year)
                cold, warm = bench_year(dense_year, workdir, today, repeat, warm_repeat)
                results["dense_cold"], results["dense_warm"] = cold, warm
                log("the every-second year with fitparse/gpxpy alone (slow) …")
                results["dense_reference"] = ref = bench_reference(dense_year, a.reference_fraction)
                results["dense_speedup"] = round(ref["wall_s"] / cold["wall_s"], 1)
                results["dense_speedup_cpu"] = round(ref["cpu_s"] / cold["cpu_s"], 1)

            part("year", do_year)
            part("reference", do_reference)
            part("dense", do_dense)
            part("squad", do_squad)
            if a.profile:
                part("profile", do_profile)

        def do_realdata() -> None:
            root = find_realdata(a.realdata)
            if root is None:
                log("no realdata folder: skipped")
                results["realdata"] = None
                return
            log(f"real files in {root} …")
            results["realdata"] = bench_realdata(
                root, a.realdata_repeat or (1 if quick else 3), 30_000 if quick else None
            )

        part("realdata", do_realdata)
        run_decade_parts(a, doc, results, workdir, part)
    save()
    print_table(doc)
    for stage, text in doc["profiles"].items():
        print(f"\n--- profile: {stage} ---\n{text}")
    for name, text in errors.items():
        print(f"\n--- {name} FAILED ---\n{text}")
    if a.json:
        log(f"wrote {a.json}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
