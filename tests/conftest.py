"""Shared test fixtures. Tests that use ../shared/realdata skip cleanly when it is absent
(a user's clone does not have it)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import settings

# Property tests: no per-example deadline (a 2-core CI machine is slow and shared), and in
# CI a fixed example sequence, so a run is repeatable; locally they keep exploring.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parents[1]
SAMPLE_LOGS = REPO / "sample_logs"


def _find_realdata() -> Path | None:
    env = os.environ.get("CRAMPLOG_REALDATA")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "realdata")
    for c in candidates:
        if c.is_dir():
            return c
    return None


REALDATA = _find_realdata()
# In CI on the development workspace (``CI`` set and ../shared/realdata there) the real-file
# tests must run on every file: a missing or unreadable folder is a failure, not a skip.
REALDATA_REQUIRED = bool(os.environ.get("CI")) and (REPO.parent / "shared" / "realdata").is_dir()


def realdata_manifest(sub: str) -> list[str]:
    """The file names SOURCES.md lists under realdata/<sub> (its "## <sub>/<name>" headings);
    empty when the folder is absent."""
    if REALDATA is None or not (REALDATA / "SOURCES.md").is_file():
        return []
    text = (REALDATA / "SOURCES.md").read_text(encoding="utf-8")
    return sorted(
        line[3:].strip().split("/", 1)[1]
        for line in text.splitlines()
        if line.startswith(f"## {sub}/")
    )


@pytest.fixture(scope="session")
def realdata() -> Path:
    """The folder of real device files; skips the test when it is not there."""
    if REALDATA is None:
        assert not REALDATA_REQUIRED, "CI: ../shared/realdata exists but was not found"
        pytest.skip("../shared/realdata is not present (only in the development workspace)")
    return REALDATA


def realdata_files(sub: str, *patterns: str) -> list[Path]:
    """Files under realdata/<sub> for parametrizing; empty when the folder is absent."""
    if REALDATA is None or not (REALDATA / sub).is_dir():
        return []
    out: list[Path] = []
    for pat in patterns:
        out.extend(sorted((REALDATA / sub).glob(pat)))
    return out


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh store path; CRAMPLOG_DB points at it so CLI calls use it too."""
    p = tmp_path / "store.sqlite"
    monkeypatch.setenv("CRAMPLOG_DB", str(p))
    return p


class CliResult(NamedTuple):
    """What one ``cramplog`` call did: exit code, stdout and stderr (apart, from capsys)."""

    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


CliCall = Callable[..., CliResult]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliCall:
    """``cli(*args, code=0)`` runs ``cramplog ARGS`` in-process (``cli.app.run``) and checks
    the exit code (``code=None``: the test checks it); returns a ``CliResult``, which also
    unpacks as ``(code, out, err)``."""
    from cramplog.cli.app import run

    def call(*args: str, code: int | None = 0) -> CliResult:
        capsys.readouterr()
        got = int(run(list(args)))
        out, err = capsys.readouterr()
        if code is not None:
            assert got == code, f"cramplog {' '.join(args)}: exit {got}, not {code}\n{err}"
        return CliResult(got, out, err)

    return call


@pytest.fixture(scope="session")
def alex_season(tmp_path_factory: pytest.TempPathFactory):
    """The sample season imported into a fresh store: (AthleteData, features, HR bounds,
    analysis day). Skips when sample_logs/alex is not there."""
    alex = SAMPLE_LOGS / "alex"
    if not alex.is_dir():
        pytest.skip("sample_logs/alex is not there")
    from cramplog.analysis.stored import analysis_day, load_athlete, session_features
    from cramplog.cli.app import run as cli_run
    from cramplog.features.compute import estimate_hr_bounds
    from cramplog.features.key import rounded_bounds
    from cramplog.store import Store

    db = tmp_path_factory.mktemp("alex_season") / "store.sqlite"
    assert cli_run(["import", str(alex), "--db", str(db)]) == 0
    store = Store(db)
    data = load_athlete(store, "Alex Moreno")
    hr = rounded_bounds(estimate_hr_bounds(data.profile, data.activities))
    feats, _ = session_features(store, data.profile, data.activities, hr)
    tz = data.profile.tzinfo()
    today = analysis_day(None, max(a.local_date(tz) for a in data.activities))
    return data, feats, hr, today
