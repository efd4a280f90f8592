"""A decade of one runner's history (~3,000 sessions over 10 years) for the benchmarks.

The plans are the benchmark corpus's (``corpus.corpus_specs`` with ten years), the formats
rotate through FIT (plain and gzipped) and every GPX layout of ``gpx_layouts`` (one GPX in
five gzipped), so each year holds each layout. Sessions are simulated and written a year at a
time (``write_year``), so the benchmark harness can write the years in parallel; the result
does not depend on how many processes wrote it.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from .athlete import (
    AthleteSpec,
    Done,
    _fit_bytes,
    _stem,
    gzip_bytes,
    simulate_plans,
    strava_name,
)
from .corpus import SMART_RECORDING_S, corpus_specs
from .gpx_layouts import LAYOUTS, layout_gpx
from .plan import Plan
from .tables import ManualRow, athlete_toml, cramps_csv, manual_log_csv

YEARS = 10
# A history that ends in the past: cramplog refuses cramps dated after today.
START = date(2016, 1, 4)
# One format per file session in turn: half FIT, half GPX, every layout in each cycle.
_ROTATION = ("fit", "gpx:garmin", "fitgz", "gpx:strava", "gpx:apple", "fit", "gpx:pretty",
             "fitgz", "gpx:single", "gpx:apple")  # fmt: skip


def decade_spec(seed: int = 0, years: float = YEARS) -> AthleteSpec:
    """The decade's athlete: the corpus runner with ``years`` of plans, formats rotated."""
    spec = corpus_specs(1, float(years), seed, SMART_RECORDING_S, START)[0]
    plans: list[Plan] = []
    k = g = 0
    for p in spec.plans:
        if p.fmt in ("fit", "fitgz", "gpx"):
            fmt = _ROTATION[k % len(_ROTATION)]
            k += 1
            if fmt.startswith("gpx:"):
                g += 1
                if g % 5 == 0:
                    fmt = "gpxgz:" + fmt[4:]
            p = dataclasses.replace(p, fmt=fmt)
        plans.append(p)
    return dataclasses.replace(spec, folder="decade", name="Dana Decade", plans=plans)


def year_slices(spec: AthleteSpec) -> list[tuple[int, int]]:
    """Index ranges of ``spec.plans``, one per calendar year."""
    out: list[tuple[int, int]] = []
    lo = 0
    for i in range(1, len(spec.plans) + 1):
        if i == len(spec.plans) or spec.plans[i].day.year != spec.plans[lo].day.year:
            out.append((lo, i))
            lo = i
    return out


def _write_session(spec: AthleteSpec, d: Done, folder: Path, used: set[str]) -> None:
    fmt = d.plan.fmt
    stem = _stem(d, used)
    if fmt in ("fit", "fitgz"):
        data = _fit_bytes(spec, d)
        (folder / "fit").mkdir(exist_ok=True)
        if fmt == "fitgz":
            (folder / "fit" / f"{stem}.fit.gz").write_bytes(gzip_bytes(data))
        else:
            (folder / "fit" / f"{stem}.fit").write_bytes(data)
        return
    kind, layout = fmt.split(":")
    assert layout in LAYOUTS
    s = d.streams
    assert s.lat is not None and s.lon is not None and s.ele is not None
    data = layout_gpx(layout, name=strava_name(d.local_start, d.plan), t=s.t, lat=s.lat,
                      lon=s.lon, ele=s.ele, hr=s.hr, cad=s.cad, temp=s.temp, speed=s.speed,
                      seed=spec.seed + int(s.t[0]))  # fmt: skip
    sub = folder / "gpx" / layout
    sub.mkdir(parents=True, exist_ok=True)
    if kind == "gpxgz":
        (sub / f"{stem}.gpx.gz").write_bytes(gzip_bytes(data))
    else:
        (sub / f"{stem}.gpx").write_bytes(data)


def write_year(spec: AthleteSpec, out: Path, lo: int, hi: int) -> list[ManualRow]:
    """Simulate and write ``spec.plans[lo:hi]`` into the athlete's folder; returns the rows of
    the sessions logged by hand (for ``manual_log.csv``)."""
    part = dataclasses.replace(spec, plans=spec.plans[lo:hi], seed=spec.seed * 1009 + lo)
    folder = out / spec.folder
    folder.mkdir(parents=True, exist_ok=True)
    manual: list[ManualRow] = []
    used: set[str] = set()
    for d in simulate_plans(part):
        if d.plan.fmt == "manual":
            manual.append(ManualRow.from_session(d.plan, d.local_start, d.streams))
        elif d.plan.route or d.plan.fmt.startswith("fit"):
            _write_session(part, d, folder, used)
    return manual


def write_head(spec: AthleteSpec, out: Path, manual: list[ManualRow]) -> Path:
    """``athlete.toml``, ``manual_log.csv`` and ``cramps.csv`` once the years are written."""
    folder = out / spec.folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "athlete.toml").write_text(
        athlete_toml(spec.name, spec.sex, spec.hr_max, spec.hr_rest, spec.timezone, spec.goals),
        encoding="utf-8",
    )
    if manual:
        manual.sort(key=lambda r: r.start)
        (folder / "manual_log.csv").write_text(manual_log_csv(manual), encoding="utf-8")
    if spec.cramps:
        cramps = sorted(spec.cramps, key=lambda c: c.when)
        (folder / "cramps.csv").write_text(cramps_csv(cramps), encoding="utf-8")
    return folder


def write_decade(out: Path, seed: int = 0, years: float = YEARS) -> Path:
    """The whole decade in this process (the benchmark writes the years in parallel)."""
    spec = decade_spec(seed, years)
    manual: list[ManualRow] = []
    for lo, hi in year_slices(spec):
        manual += write_year(spec, out, lo, hi)
    return write_head(spec, out, manual)
