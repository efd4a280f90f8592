"""The ``cramplog`` command: builds the typer app from the command modules and maps every
error to one stderr line and an exit code, in this one place.

Exit codes: 0 ok, 1 a finding at or above ``--fail-on``, 2 usage or input error, 130 Ctrl-C.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from cramplog import __version__
from cramplog.cli import (
    activities_cmd,
    analyze_cmd,
    cramp_cmd,
    import_cmd,
    profile_cmd,
    report_cmd,
)

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
) -> None:
    """cramplog: training patterns before your cramps."""


for _module in (import_cmd, activities_cmd, cramp_cmd, profile_cmd, analyze_cmd, report_cmd):
    _module.register(app)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit code (no ``sys.exit``): tests use this."""
    from cramplog.errors import CramplogError

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = app(args=args, prog_name="cramplog", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("cramplog: interrupted\n")
        return 130
    except typer.TyperException as exc:
        show = getattr(exc, "show", None)
        if callable(show):
            show()  # typer's usage message: "Usage: …", "Error: …"
        else:
            sys.stderr.write(f"cramplog: error: {exc}\n")
        return int(getattr(exc, "exit_code", 2))
    except CramplogError as exc:
        sys.stderr.write(f"cramplog: error: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("cramplog: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    if isinstance(result, int):
        return result
    return 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
