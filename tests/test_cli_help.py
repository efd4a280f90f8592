"""Every command has help with an example, and ``--help`` stays light and fast to start."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cramplog.cli.app import app, run


def _commands() -> list[list[str]]:
    import typer.main

    group = typer.main.get_command(app)
    out: list[list[str]] = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(cmd, "commands", None)
        if sub:
            out.extend([name, s] for s in sub)
        else:
            out.append([name])
    return out


def test_there_are_commands():
    names = {c[0] for c in _commands()}
    assert {"import", "activities"} <= names


@pytest.mark.parametrize("cmd", _commands(), ids=lambda c: " ".join(c))
def test_every_command_has_help_with_an_example(cmd, capsys):
    assert run([*cmd, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage:" in out
    assert "cramplog " + cmd[0] in out.replace("\n", " ") or "Example" in out
    assert "Example" in out


def test_help_imports_no_heavy_library():
    code = (
        "import sys\n"
        "from cramplog.cli.app import run\n"
        "run(['--help'])\n"
        "heavy = [m for m in ('pandas', 'numpy', 'fitparse', 'gpxpy', 'scipy') if m in sys.modules]\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stderr.strip() == "[]"


def test_version(capsys):
    from cramplog import __version__

    assert run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"cramplog {__version__}"


def test_traceback_shows_the_whole_error(tmp_path, capsys, monkeypatch):
    missing = str(tmp_path / "none.sqlite")
    monkeypatch.delenv("CRAMPLOG_TRACEBACK", raising=False)
    assert run(["activities", "--db", missing]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cramplog: error: no cramplog store at") and "Traceback" not in err
    assert run(["--traceback", "activities", "--db", missing]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert "cramplog.errors.StoreError: no cramplog store at" in err
    monkeypatch.setenv("CRAMPLOG_TRACEBACK", "1")
    assert run(["activities", "--db", missing]) == 2
    assert "Traceback (most recent call last):" in capsys.readouterr().err
    monkeypatch.setenv("CRAMPLOG_TRACEBACK", "0")
    assert run(["activities", "--db", missing]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_traceback_is_in_the_help(capsys):
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    assert "--traceback" in out and "CRAMPLOG_TRACEBACK" in out
