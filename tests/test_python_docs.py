"""docs/python.md runs as a doctest, and examples/squad.py runs on the sample team.

The plotting steps run where matplotlib is installed (the test extra installs it; they use
the non-interactive Agg backend) and are skipped by the example itself where it is not."""

from __future__ import annotations

import csv
import doctest
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEAM = REPO / "sample_logs" / "team"
# any day more than two weeks after the sample season: the analysis speaks for its last day
LATER = "2026-12-01"


def test_docs_python_md_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("CRAMPLOG_TODAY", LATER)
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testfile(
        str(REPO / "docs" / "python.md"), module_relative=False, optionflags=flags, report=True
    )
    assert result.attempted >= 20
    assert result.failed == 0


def cramps_logged(folder: Path) -> int:
    path = folder / "cramps.csv"
    if not path.exists():
        return 0
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for row in csv.DictReader(f) if any(row.values()))


def test_squad_example_runs_on_the_team(tmp_path: Path) -> None:
    chart = tmp_path / "descent.png"
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "CRAMPLOG_TODAY": LATER, "PYTHONPATH": path}
    res = subprocess.run(
        [sys.executable, str(REPO / "examples" / "squad.py"), str(TEAM),
         "--db", str(tmp_path / "store.sqlite"), "--plot", str(chart)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    totals = res.stdout.split("Warnings and cramps per athlete:")[1].strip().splitlines()
    assert totals[0].split() == ["km", "descent_m", "warnings", "cramps"]
    rows = {" ".join(line.split()[:-4]): line.split() for line in totals[2:]}
    expected = {}
    for folder in sorted(p for p in TEAM.iterdir() if p.is_dir()):
        name = next(
            line.split("=", 1)[1].strip().strip('"')
            for line in (folder / "athlete.toml").read_text(encoding="utf-8").splitlines()
            if line.startswith("name")
        )
        expected[name] = cramps_logged(folder)
    assert {name: int(r[-1]) for name, r in rows.items()} == expected
    if importlib.util.find_spec("matplotlib") is not None:
        assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert "matplotlib is not installed" in res.stderr and not chart.exists()
