"""What every command shares: option types, the store, the athlete, the output streams."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from cramplog.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from cramplog.store import Store


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def format_option() -> Any:
    """``--format`` / ``-f``, declared once; each command annotates it with its own choices
    (``FormatOpt`` for table / json / csv)."""
    return typer.Option("--format", "-f", help="Output format.")


FormatOpt = Annotated[OutputFormat, format_option()]

DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="SQLite store to use (default: the user data dir; env CRAMPLOG_DB).",
        show_default=False,
    ),
]
AthleteOpt = Annotated[
    str | None,
    typer.Option(
        "--athlete",
        "-a",
        help="Athlete name (optional when the store has one).",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the output to this file instead of stdout.",
        show_default=False,
    ),
]


def err_console() -> Console:
    """The stderr console for progress, warnings and errors (honours NO_COLOR)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


# the store this run opened: an SQLite error met later (a damaged page read half-way through
# a command) is reported with its path (cli/app.py)
_opened: list[Path] = []


def note_store_path(path: Path) -> None:
    _opened[:] = [path]


def forget_store_path() -> None:
    _opened.clear()


def opened_store_path() -> Path | None:
    return _opened[0] if _opened else None


def open_store(db: Path | None, *, readonly: bool = False, create: bool = True) -> Store:
    from cramplog.store import Store, default_db_path

    path = db if db is not None else default_db_path()
    note_store_path(path)
    return Store(path, readonly=readonly, create=create)


def resolve_athlete(store: Store, athlete: str | None) -> str:
    """The named athlete, or the only athlete in the store; a clear error otherwise."""
    names = store.athletes()
    if athlete is not None:
        if athlete not in names:
            known = ", ".join(names) if names else "none yet"
            raise UsageError(f"no athlete named {athlete!r} in the store (known: {known})")
        return athlete
    if len(names) == 1:
        return names[0]
    if not names:
        raise UsageError("the store has no athletes yet; run 'cramplog import PATH' first")
    raise UsageError(
        f"the store holds {len(names)} athletes ({', '.join(names)}); choose one with --athlete"
    )


def write_output(text: str, output: Path | None) -> None:
    """Data goes to stdout, or to the --output file."""
    if output is None:
        out: TextIO = sys.stdout
        out.write(text)
        if text and not text.endswith("\n"):
            out.write("\n")
        out.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
