"""The decade part of the benchmarks (issue 17): one runner's ten years, GPX layouts, physics.

Used by ``run.py`` (``--skip decade`` / ``--skip layouts`` / ``--skip physical`` leave the parts
out); also runnable alone to generate the corpus: ``python benchmarks/decade.py --cache DIR``.

- ``ensure_decade``: the decade corpus (``cramplog.samplegen.decade``), written once into the
  cache, the years in parallel.
- ``bench_layouts``: per GPX layout, the whole adapter (``parse_gpx``) against ``gpxpy.parse``
  on the same files, in one process; also the element reader alone.
- ``bench_physical``: the physical references on the same GPX bytes: reading the files from
  the page cache (bytes/s), gunzip, and a C XML parser (expat through
  ``xml.etree.ElementTree.iterparse``, and ``xml.parsers.expat`` with no handlers).
- ``report_size``: ``cramplog report`` of the decade as HTML: bytes and wall time.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def _digest() -> str:
    h = hashlib.sha256()
    for p in sorted((REPO / "cramplog" / "samplegen").glob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:10]


def _write_year(args: tuple[int, float, Path, int, int]) -> list[Any]:
    from cramplog.samplegen.decade import decade_spec, write_year

    seed, years, out, lo, hi = args
    return write_year(decade_spec(seed, years), out, lo, hi)


def ensure_decade(cache: Path, seed: int, jobs: int, years: float = 10.0) -> Path:
    """The decade's athlete folder, generated once into ``cache`` (years written in parallel);
    ``years`` < 10 for the smoke test."""
    from cramplog.samplegen.decade import decade_spec, write_head, year_slices

    name = f"decade-s{seed}" + ("" if years == 10 else f"-y{years:g}") + f"-{_digest()}"
    root = cache / name
    marker = root / ".complete.json"
    if marker.is_file():
        log(f"corpus {name}: cached")
        return root / "decade"
    partial = cache / (name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    spec = decade_spec(seed, years)
    log(f"corpus {name}: generating {len(spec.plans)} sessions with {jobs} job(s)")
    t0 = time.perf_counter()
    tasks = [(seed, years, partial, lo, hi) for lo, hi in year_slices(spec)]
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(pool.map(_write_year, tasks))
    else:
        parts = [_write_year(t) for t in tasks]
    write_head(spec, partial, [row for part in parts for row in part])
    secs = time.perf_counter() - t0
    shutil.rmtree(root, ignore_errors=True)
    partial.rename(root)
    marker.write_text(json.dumps({"seed": seed, "generated_s": round(secs, 1)}), encoding="utf-8")
    log(f"corpus {name}: written in {secs:.1f} s")
    return root / "decade"


def gpx_files(folder: Path) -> dict[str, list[Path]]:
    """The decade's GPX files by layout (the sub-folder of ``gpx/``)."""
    out: dict[str, list[Path]] = {}
    for p in sorted((folder / "gpx").rglob("*")):
        if p.is_file():
            out.setdefault(p.parent.name, []).append(p)
    return out


def _read(p: Path) -> bytes:
    data = p.read_bytes()
    return gzip.decompress(data) if p.name.endswith(".gz") else data


def _best_of(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times, out


def _stats(times: list[float]) -> dict[str, float]:
    return {"best_s": round(min(times), 4), "median_s": round(statistics.median(times), 4)}


def bench_layouts(folder: Path, per_layout: int, repeat: int) -> dict[str, Any]:
    """Per layout: ``parse_gpx`` vs ``gpxpy.parse`` on the first ``per_layout`` files (text
    already decoded for gpxpy, bytes for the adapter; both in this process)."""
    import gpxpy

    from cramplog.ingest import gpx_columns
    from cramplog.ingest.gpx import parse_gpx
    from cramplog.ingest.gpx_elements import read_tracks
    from cramplog.ingest.xmlsafe import decode_xml

    out: dict[str, Any] = {}
    for layout, files in gpx_files(folder).items():
        chosen = [p for p in files if not p.name.endswith(".gz")][:per_layout]
        blobs = [p.read_bytes() for p in chosen]
        texts = [decode_xml(b, "x", "GPX") for b in blobs]
        slow = [read_tracks(t, "x", []) for t in texts]
        points = sum(len(s) for tracks in slow for s in tracks)
        columns = [gpx_columns.scan(b, t) for b, t in zip(blobs, texts, strict=True)]
        equal = all(
            c is not None and _same_tracks(c, e) for c, e in zip(columns, slow, strict=True)
        )
        parse_gpx(blobs[0], "warm-up")
        t_fast, _ = _best_of(lambda bs=blobs: [parse_gpx(b, "x") for b in bs], repeat)
        t_el, _ = _best_of(
            lambda ts=texts: [read_tracks(t, "x", []) for t in ts], max(1, repeat // 2)
        )
        t_ref, _ = _best_of(lambda ts=texts: [gpxpy.parse(t) for t in ts], 1)
        nbytes = sum(map(len, blobs))
        out[layout] = {
            "files": len(chosen),
            "bytes": nbytes,
            "points": points,
            "adapter": _stats(t_fast),
            "element_reader": _stats(t_el),
            "gpxpy_s": round(t_ref[0], 4),
            "speedup_best": round(t_ref[0] / min(t_fast), 1),
            "speedup_median": round(t_ref[0] / statistics.median(t_fast), 1),
            "adapter_mb_per_s": round(nbytes / 2**20 / min(t_fast), 1),
            "columns_equal_element_reader": equal,
        }
        log(f"layout {layout}: ×{out[layout]['speedup_best']} over gpxpy (best), "
            f"×{out[layout]['speedup_median']} (median); column reader equal: {equal}")  # fmt: skip
    return out


def _same_tracks(a: list[Any], b: list[Any]) -> bool:
    """Two readers' tracks hold the same points, value for value (NaN where NaN)."""
    import numpy as np

    keys = ("t", "lat", "lon", "ele", "hr", "cad", "temp", "speed")
    return len(a) == len(b) and all(
        np.array_equal(np.asarray(getattr(x, k), float), np.asarray(getattr(y, k), float),
                       equal_nan=True)
        and (x.title, x.sport, x.offset, x.bad_times) == (y.title, y.sport, y.offset, y.bad_times)
        for x, y in zip(a, b, strict=True) for k in keys
    )  # fmt: skip


def bench_physical(folder: Path, repeat: int) -> dict[str, Any]:
    """Bytes per second: reading the decade's GPX from the page cache, gunzip, expat."""
    import xml.etree.ElementTree as ET
    from xml.parsers import expat

    files = [p for ps in gpx_files(folder).values() for p in ps]
    plain = [p for p in files if not p.name.endswith(".gz")]
    gz = [p for p in files if p.name.endswith(".gz")]
    for p in files:  # into the page cache
        p.read_bytes()
    t_read, blobs = _best_of(lambda: [p.read_bytes() for p in plain], repeat)
    nbytes = sum(map(len, blobs))
    gz_blobs = [p.read_bytes() for p in gz]
    t_gz, unz = _best_of(lambda: [gzip.decompress(b) for b in gz_blobs], repeat)
    sample = blobs[: max(1, len(blobs) // 4)]  # a quarter of the files for the parsers
    sbytes = sum(map(len, sample))

    def iterparse() -> int:
        n = 0
        for b in sample:
            for _ev, el in ET.iterparse(io.BytesIO(b)):
                n += 1
                el.clear()
        return n

    def expat_bare() -> None:
        for b in sample:
            parser = expat.ParserCreate()
            parser.Parse(b, True)

    t_it, _ = _best_of(iterparse, max(1, repeat // 2))
    t_ex, _ = _best_of(expat_bare, repeat)

    def mbs(n: int, times: list[float]) -> dict[str, float]:
        return {"best_mb_per_s": round(n / 2**20 / min(times), 1),
                "median_mb_per_s": round(n / 2**20 / statistics.median(times), 1)}  # fmt: skip

    return {
        "gpx_files": len(plain),
        "gpx_bytes": nbytes,
        "read_page_cache": mbs(nbytes, t_read),
        "gunzip_output": mbs(sum(map(len, unz)), t_gz),
        "parser_sample_bytes": sbytes,
        "expat_no_handlers": mbs(sbytes, t_ex),
        "etree_iterparse": mbs(sbytes, t_it),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description="generate the decade corpus into the cache")
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get(
        "CRAMPLOG_BENCH_CACHE", "/tmp/cramplog-bench")))  # fmt: skip
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    print(ensure_decade(a.cache, a.seed, a.jobs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


# --------------------------------------------------------------------------- run.py parts

DECADE_TODAY = "2026-01-01"  # the decade ends on 2025-12-31

# Issue 17's targets (this machine: 2 cores): key -> (what, limit, "max" | "min").
TARGETS_17: dict[str, tuple[str, float, str]] = {
    "decade_peak_rss_mb": ("decade cold: peak RSS (VmHWM), largest process, MB", 250.0, "max"),
    "decade_warm_wall_s": ("decade warm analyze (nothing new), wall s", 0.5, "max"),
    "decade_cold_per_year_s": ("decade cold, wall s per runner-year", 1.0, "max"),
    "dense_cold_per_year_s": ("runner-year every second, cold, wall s", 1.0, "max"),
    "squad_cold_15_s": ("20-athlete squad-year cold, wall s", 15.0, "max"),
    "gpx_layout_min_speedup": ("GPX adapter over gpxpy, worst layout, ×", 30.0, "min"),
}


def bench_decade(
    folder: Path,
    workdir: Path,
    repeat: int,
    warm_repeat: int,
    run_child: Any,
    env_for: Any,
    cmd: list[str],
) -> dict[str, Any]:
    """Cold (fresh store) and warm ``cramplog analyze`` of the decade, and its HTML report."""
    colds, warms = [], []
    for i in range(repeat):
        db = workdir / f"decade-{i}.sqlite"
        env = env_for(db)
        c = run_child([*cmd, "analyze", str(folder)], env)
        if c.returncode not in (0, 1):
            raise SystemExit(f"decade cold analyze failed: {c.stderr[-2000:]}")
        colds.append(c)
        log(f"decade cold #{i + 1}: {c.wall_s:.2f} s wall, {c.cpu_s:.2f} s CPU, "
            f"{c.maxrss_mb:.0f} MB")  # fmt: skip
        for _ in range(warm_repeat):
            w = run_child([*cmd, "analyze", str(folder)], env, sample_rss=False)
            warms.append(w)
        log(f"decade warm: {statistics.median([w.wall_s for w in warms]):.2f} s wall")
    env = env_for(workdir / "decade-0.sqlite")
    html = workdir / "decade.html"
    reports = [run_child([*cmd, "report", "-o", str(html)], env, sample_rss=False)
               for _ in range(3)]  # fmt: skip
    size = html.stat().st_size if html.is_file() else None

    def summary(runs: list[Any]) -> dict[str, Any]:
        walls = [r.wall_s for r in runs]
        return {
            "runs_wall_s": [round(x, 3) for x in walls],
            "runs_cpu_s": [round(r.cpu_s, 3) for r in runs],
            "best_wall_s": round(min(walls), 3),
            "wall_s": round(statistics.median(walls), 3),
            "cpu_s": round(statistics.median([r.cpu_s for r in runs]), 3),
            "maxrss_mb": round(max(r.maxrss_mb for r in runs), 1),
            "tree_peak_rss_mb": round(max(r.tree_peak_rss_mb or 0.0 for r in runs), 1),
            "hwm_mb": round(max(r.hwm_mb or 0.0 for r in runs), 1),
        }

    return {
        "cold": summary(colds),
        "warm": summary(warms),
        "warm_silent": all(not w.stderr.strip() for w in warms),
        "report": {**summary(reports), "bytes": size},
    }


def evaluate_17(results: dict[str, Any]) -> list[dict[str, Any]]:
    dec = results.get("decade") or {}
    lay = results.get("gpx_layouts") or {}
    dense = results.get("dense_cold") or {}
    squad = results.get("squad_cold") or {}
    years = float(results.get("decade_years") or 10.0)
    measured = {
        "decade_peak_rss_mb": (dec.get("cold") or {}).get("hwm_mb"),
        "decade_warm_wall_s": (dec.get("warm") or {}).get("wall_s"),
        "decade_cold_per_year_s": (
            round(dec["cold"]["wall_s"] / years, 3) if dec.get("cold") else None
        ),
        "dense_cold_per_year_s": dense.get("wall_s"),
        "squad_cold_15_s": squad.get("wall_s"),
        "gpx_layout_min_speedup": (min(v["speedup_median"] for v in lay.values()) if lay else None),
    }
    out = []
    for key, (what, limit, kind) in TARGETS_17.items():
        m = measured[key]
        met = None if m is None else (m <= limit if kind == "max" else m >= limit)
        out.append({"key": key, "what": what, "target": limit, "kind": kind, "measured": m,
                    "met": met})  # fmt: skip
    return out


def table_17(doc: dict[str, Any]) -> list[str]:
    """Lines for run.py's printed table."""
    r = doc["results"]
    lines = ["", "issue 17 — a decade of history:"]
    for t in doc.get("targets_17", []):
        ok = {True: "yes", False: "NO", None: "?"}[t["met"]]
        sign = "≤" if t["kind"] == "max" else "≥"
        lines.append(f"  {t['what']:<52} {t['measured']!s:>10} {sign} {t['target']:<6g} {ok}")
    dec = r.get("decade")
    if dec:
        c, w, rep = dec["cold"], dec["warm"], dec["report"]
        lines.append(f"  decade cold runs (s): {c['runs_wall_s']}  CPU {c['runs_cpu_s']}  "
                     f"tree RSS {c['tree_peak_rss_mb']} MB, ru_maxrss {c['maxrss_mb']} MB "
                     "(includes the benchmark's own RSS, inherited across fork+exec)")  # fmt: skip
        lines.append(f"  decade warm runs (s): {w['runs_wall_s']}  CPU {w['runs_cpu_s']}")
        lines.append(f"  decade HTML report: {rep['bytes']:,} bytes, {rep['runs_wall_s']} s")
    for name, v in (r.get("gpx_layouts") or {}).items():
        lines.append(f"  GPX {name:<7} {v['points']:>7,} pts  adapter {v['adapter']['best_s']:.3f}/"
                     f"{v['adapter']['median_s']:.3f} s  gpxpy {v['gpxpy_s']:.3f} s  "
                     f"×{v['speedup_best']} best, ×{v['speedup_median']} median, "
                     f"{v['adapter_mb_per_s']} MB/s, column reader = element reader: "
                     f"{v.get('columns_equal_element_reader')}")  # fmt: skip
    ph = r.get("physical")
    if ph:
        lines.append(f"  physical: page cache read {ph['read_page_cache']}, gunzip "
                     f"{ph['gunzip_output']}, expat {ph['expat_no_handlers']}, "
                     f"iterparse {ph['etree_iterparse']} (MB/s)")  # fmt: skip
    return lines
