"""benchmarks/run.py runs end to end on a tiny corpus (``--quick``) and writes its result JSON.

Times are not asserted (the machine is shared); only that every part ran and reported.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REALDATA, REPO

SCRIPT = REPO / "benchmarks" / "run.py"


def _tiny_realdata(dest: Path) -> Path:
    """One small real FIT, GPX and TCX file (when ../shared/realdata is there), else an empty tree."""
    for sub, name in (
        ("fit", "dtcooper_python-fitpars__garmin-fenix-5-run.fit"),
        ("gpx", "tkrajina_gpxpy__Mojstrovka.gpx"),
        ("tcx", "GoldenCheeta_GoldenCheetah__10kUNLP2014-Garmin15.tcx"),
    ):
        (dest / sub).mkdir(parents=True, exist_ok=True)
        src = REALDATA / sub / name if REALDATA is not None else None
        if src is not None and src.is_file():
            shutil.copy(src, dest / sub / name)
    return dest


def test_quick_benchmark_writes_its_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    realdata = _tiny_realdata(tmp_path / "realdata")
    cmd = [sys.executable, str(SCRIPT), "--quick", "--cache", str(tmp_path / "cache")]
    cmd += ["--json", str(out), "--help-repeat", "1", "--realdata", str(realdata)]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "runner-year cold import+analyze" in res.stdout

    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema_version"] == 1
    assert doc["errors"] == {}
    assert {"machine", "git", "config", "corpus", "results", "targets", "errors"} <= doc.keys()
    assert doc["config"]["quick"] is True
    assert doc["corpus"]["year"]["files"] > 0

    r = doc["results"]
    parts = {"help", "cold_year", "warm_year", "reference", "squad_cold", "realdata"}
    assert parts | {"dense_cold", "dense_warm", "dense_reference"} <= r.keys()
    for key in ("cold_year", "warm_year", "squad_cold", "dense_cold", "dense_warm"):
        assert {"wall_s", "cpu_s", "maxrss_mb", "runs"} <= r[key].keys()
        assert r[key]["wall_s"] > 0
    assert r["warm_year"]["silent"] is True  # a warm run imports nothing
    assert {"wall_s", "python_startup_wall_s", "heavy_modules_imported"} <= r["help"].keys()
    assert r["help"]["heavy_modules_imported"] == "[]"
    assert r["reference"]["fit_records"] > 0
    # a speedup is the reference's time over cramplog's (rounded to 0.1), not just "positive"
    assert r["speedup_vs_reference"] == round(
        r["reference"]["wall_s"] / r["cold_year"]["wall_s"], 1
    )
    # the every-second year records ~2.5x the points of the smart-recording one
    assert r["dense_reference"]["fit_records"] > 2 * r["reference"]["fit_records"]
    assert r["dense_speedup"] == round(
        r["dense_reference"]["wall_s"] / r["dense_cold"]["wall_s"], 1
    )
    assert r["dense_speedup_cpu"] == round(
        r["dense_reference"]["cpu_s"] / r["dense_cold"]["cpu_s"], 1
    )
    for fmt in ("fit", "gpx", "tcx"):
        assert fmt in r["realdata"]
    assert "fast_records_per_s" in r["realdata"]["fit"]
    assert "gpxpy_points_per_s" in r["realdata"]["gpx"]

    keys = {t["key"] for t in doc["targets"]}
    assert keys == {
        "cold_year_wall_s",
        "speedup_vs_reference",
        "warm_year_wall_s",
        "help_wall_s",
        "cold_year_peak_rss_mb",
        "squad_cold_wall_s",
        "dense_cold_wall_s",
        "dense_speedup",
    }
    assert all(t["measured"] is not None for t in doc["targets"])
    # issue 17: the decade (0.3 years of it here), the GPX layouts, the physical references
    assert {"decade", "gpx_layouts", "physical"} <= r.keys()
    assert r["decade"]["report"]["bytes"] > 0
    assert r["decade"]["warm_silent"] is True
    assert set(r["gpx_layouts"]) == {"strava", "garmin", "apple", "pretty", "single"}
    # the column reader answered for every timed file and read what the element reader reads
    assert all(v["columns_equal_element_reader"] is True for v in r["gpx_layouts"].values())
    assert r["physical"]["expat_no_handlers"]["best_mb_per_s"] > 0
    assert all(t["measured"] is not None for t in doc["targets_17"])
