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


def _write_year(args: tuple[int, Path, int, int]) -> list[Any]:
    from cramplog.samplegen.decade import decade_spec, write_year

    seed, out, lo, hi = args
    return write_year(decade_spec(seed), out, lo, hi)


def ensure_decade(cache: Path, seed: int, jobs: int) -> Path:
    """The decade's athlete folder, generated once into ``cache`` (years written in parallel)."""
    from cramplog.samplegen.decade import decade_spec, write_head, year_slices

    name = f"decade-s{seed}-{_digest()}"
    root = cache / name
    marker = root / ".complete.json"
    if marker.is_file():
        log(f"corpus {name}: cached")
        return root / "decade"
    partial = cache / (name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    spec = decade_spec(seed)
    log(f"corpus {name}: generating {len(spec.plans)} sessions with {jobs} job(s)")
    t0 = time.perf_counter()
    tasks = [(seed, partial, lo, hi) for lo, hi in year_slices(spec)]
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

    from cramplog.ingest.gpx import parse_gpx
    from cramplog.ingest.gpx_elements import read_tracks
    from cramplog.ingest.xmlsafe import decode_xml

    out: dict[str, Any] = {}
    for layout, files in gpx_files(folder).items():
        chosen = [p for p in files if not p.name.endswith(".gz")][:per_layout]
        blobs = [p.read_bytes() for p in chosen]
        texts = [decode_xml(b, "x", "GPX") for b in blobs]
        points = sum(len(s) for t in texts for s in read_tracks(t, "x", []))
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
        }
        log(f"layout {layout}: ×{out[layout]['speedup_best']} over gpxpy (best), "
            f"×{out[layout]['speedup_median']} (median)")  # fmt: skip
    return out


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
