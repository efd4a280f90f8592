"""The Python API stays out of the CLI's way: ``import cramplog`` imports neither the API nor
pandas, the API's names load on first use, a warm ``cramplog analyze`` imports neither, and
pandas arrives only with the first DataFrame. And the API is typed for a caller (mypy)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "sample_logs" / "team" / "dev"


def loaded_after(
    code: str, modules: tuple[str, ...], env: dict[str, str] | None = None
) -> list[str]:
    """Which of ``modules`` are imported after running ``code`` in a fresh interpreter."""
    probe = (
        code
        + f"\nimport sys\nsys.stderr.write(repr([m for m in {modules!r} if m in sys.modules]))\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return list(ast.literal_eval(res.stderr.strip().splitlines()[-1]))


HEAVY = ("cramplog.api", "pandas", "numpy")


def test_import_cramplog_loads_no_api() -> None:
    assert loaded_after("import cramplog; cramplog.__version__", HEAVY) == []


def test_the_api_loads_on_first_use_without_pandas() -> None:
    code = "import cramplog; cramplog.analyze; cramplog.open_store; cramplog.CramplogError"
    assert loaded_after(code, HEAVY) == ["cramplog.api"]


def test_unknown_names_are_attribute_errors() -> None:
    import cramplog

    with pytest.raises(AttributeError, match="no attribute 'analyse'"):
        cramplog.analyse  # noqa: B018
    assert {"analyze", "open_store", "Analysis", "CramplogError"} <= set(dir(cramplog))


def test_the_stub_declares_what_getattr_hands_out() -> None:
    import cramplog

    tree = ast.parse((REPO / "cramplog" / "__init__.pyi").read_text(encoding="utf-8"))
    declared = {a.asname for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
    lazy = set(cramplog._LAZY)  # type: ignore[attr-defined]
    assert declared == lazy
    for name in lazy:
        assert getattr(cramplog, name) is getattr(cramplog.api, name)  # type: ignore[attr-defined]


@pytest.fixture
def dev(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "dev"
    shutil.copytree(DEV, folder)
    env = {"CRAMPLOG_DB": str(tmp_path / "store.sqlite"), "CRAMPLOG_TODAY": "2026-07-01"}
    return folder, env


def test_a_warm_cli_analysis_imports_neither_the_api_nor_pandas(dev) -> None:  # type: ignore[no-untyped-def]
    folder, env = dev
    cli = (
        "import contextlib, io\n"
        "from cramplog.cli.app import run\n"
        "for fmt in ('json', 'table'):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        f"        assert run(['analyze', {str(folder)!r}, '-f', fmt]) == 0\n"
    )
    # cold: computes and caches (numpy for the analysis); warm: neither pandas nor the API
    assert loaded_after(cli, ("pandas", "cramplog.api"), env) == []
    assert loaded_after(cli, ("pandas", "numpy", "cramplog.api"), env) == []


def test_pandas_arrives_with_the_first_dataframe(dev) -> None:  # type: ignore[no-untyped-def]
    folder, env = dev
    warm = f"import cramplog\nr = cramplog.analyze({str(folder)!r})\nr.to_dict(); r.goal('Dev Raman')\n"
    loaded_after(warm, (), env)  # cold run: fills the outcome cache
    assert loaded_after(warm, ("pandas", "numpy"), env) == []
    assert loaded_after(warm + "r.findings\n", ("pandas",), env) == ["pandas"]


def test_a_caller_is_type_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The typed caller passes mypy; a wrong call fails it (the names are not ``Any``)."""
    mypy = pytest.importorskip("mypy.api")
    monkeypatch.setenv("MYPYPATH", str(REPO))
    good = REPO / "tests" / "typing" / "api_caller.py"
    bad = tmp_path / "bad_caller.py"
    bad.write_text(
        "import cramplog\nr = cramplog.analyze(athlete=3)\nn: int = r.athletes\n",
        encoding="utf-8",
    )
    out, _, code = mypy.run(["--cache-dir", os.devnull, str(good)])
    assert code == 0, out
    out, _, code = mypy.run(["--cache-dir", os.devnull, str(bad)])
    assert code == 1
    assert '"athlete" to "analyze" has incompatible type "int"' in out
    assert 'expression has type "list[str]", variable has type "int"' in out
