"""The ``cramplog`` command: builds the typer app from the command modules and maps every
error to one stderr line and an exit code, in this one place.

Exit codes (``ExitStatus``): 0 ok, 1 a finding at or above ``--fail-on``, 2 usage or input
error, 130 Ctrl-C. ``--traceback`` (or env CRAMPLOG_TRACEBACK=1) shows an error's full
traceback instead of its one line.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

import typer

from cramplog import __version__
from cramplog.cli import (
    activities_cmd,
    analyze_cmd,
    cramp_cmd,
    import_cmd,
    profile_cmd,
    report_cmd,
    store_cmd,
)
from cramplog.cli.exit_status import ExitStatus

# whether this run shows full tracebacks: set by --traceback, reset by each run()
_show = {"traceback": False}

app = typer.Typer(
    name="cramplog",
    help=(
        "Relate your muscle cramps to the training patterns that came before them.\n\n"
        "Reads FIT, GPX, TCX and CSV exports (folders, .gz and .zip too), stores them locally, "
        "and flags the patterns sports science links to exercise-associated cramps.\n\n"
        "Example: cramplog analyze ~/exports/me"
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cramplog {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    traceback: bool = typer.Option(
        False,
        "--traceback",
        help="On an error, print the full traceback to stderr instead of one line "
        "(also env CRAMPLOG_TRACEBACK=1). Goes before the command.",
    ),
) -> None:
    """cramplog: training patterns before your cramps."""
    _show["traceback"] = traceback or _show["traceback"]


for _module in (
    import_cmd,
    activities_cmd,
    cramp_cmd,
    profile_cmd,
    analyze_cmd,
    report_cmd,
    store_cmd,
):
    _module.register(app)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit code (no ``sys.exit``): tests use this."""
    from cramplog.cli.common import forget_store_path
    from cramplog.errors import CramplogError

    forget_store_path()
    args = list(sys.argv[1:] if argv is None else argv)
    _show["traceback"] = os.environ.get("CRAMPLOG_TRACEBACK", "") not in ("", "0")
    try:
        result = app(args=args, prog_name="cramplog", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("cramplog: interrupted\n")
        return ExitStatus.INTERRUPTED
    except typer.TyperException as exc:
        show = getattr(exc, "show", None)
        if callable(show):
            show()  # typer's usage message: "Usage: …", "Error: …"
        else:
            sys.stderr.write(f"cramplog: error: {exc}\n")
        return int(getattr(exc, "exit_code", 2))
    except CramplogError as exc:
        if _show["traceback"]:
            import traceback

            traceback.print_exc(file=sys.stderr)
        else:
            sys.stderr.write(f"cramplog: error: {exc}\n")
        return exc.exit_code  # ExitStatus.ERROR: the one place errors become exit 2
    except KeyboardInterrupt:
        sys.stderr.write("cramplog: interrupted\n")
        return ExitStatus.INTERRUPTED
    except sqlite3.DatabaseError as exc:
        # a damaged page met half-way through a command (opening the store checks only the
        # schema): the same one line as a store that cannot be opened
        from cramplog.cli.common import opened_store_path
        from cramplog.store.base import damaged_message, is_damage

        if _show["traceback"] or not is_damage(exc):
            raise
        path = opened_store_path() or Path("the store")
        sys.stderr.write(f"cramplog: error: {damaged_message(path, exc)}\n")
        return ExitStatus.ERROR
    except BrokenPipeError:
        return ExitStatus.OK
    # anything else is a bug: it propagates with its full traceback (exit 1 from Python)
    if isinstance(result, int):
        return int(result)
    return ExitStatus.OK


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
