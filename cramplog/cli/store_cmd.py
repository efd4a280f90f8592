"""``cramplog store``: check the store, rebuild it from the journal, back it up, and write
the journal from it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cramplog.cli.common import DbOpt, err_console, open_store
from cramplog.cli.exit_status import ExitStatus

if TYPE_CHECKING:
    from cramplog.importer.rebuild import RebuildOutcome

store_app = typer.Typer(
    name="store",
    help=(
        "Look after the local store. What you type (cramps, profile, goals) is also kept in "
        "plain files beside it, the journal (<store>.journal/<athlete>/cramps.csv, "
        "athlete.toml, imports.txt), so a damaged store can be rebuilt.\n\n"
        "Example: cramplog store check"
    ),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``store`` command group to the app."""
    app.add_typer(store_app, name="store")


def _say(message: str) -> None:
    err_console().print(message, markup=False, emoji=False, highlight=False)


def _path(db: Path | None) -> Path:
    from cramplog.cli.common import note_store_path
    from cramplog.store import default_db_path

    path = db if db is not None else default_db_path()
    note_store_path(path)
    return path


@store_app.command(
    "check",
    help=(
        "Check the store: SQLite's integrity check, the schema version, orphan rows, and that "
        "the store and its journal hold the same cramps and profiles. Writes nothing. Exit 0 "
        "when all is well; 2 with one line per problem (on stdout) saying what to run.\n\n"
        "Example: cramplog store check --db ~/cramplog.sqlite"
    ),
)
def check_command(db: DbOpt = None) -> int:
    from cramplog.store.check import check_store

    path = _path(db)
    found = check_store(path)
    for line in found.problems:
        typer.echo(line)
    if found.problems:
        _say(f"{path}: {len(found.problems)} problem(s)")
        return ExitStatus.ERROR
    _say(f"{path}: ok ({found.athletes} athlete(s), {found.cramps} cramp(s); the journal agrees)")
    return ExitStatus.OK


@store_app.command(
    "rebuild",
    help=(
        "Build a new store from the journal and the export folders: the folders given, else "
        "the ones the journal recorded. The old store is renamed <store>.damaged-<time>, "
        "never deleted. Says on stderr what was recovered and what could not be.\n\n"
        "Example: cramplog store rebuild\n\n"
        "Example: cramplog store rebuild ~/exports/me"
    ),
)
def rebuild_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FOLDER",
            help="Export folders to import (default: the journal's).",
            show_default=False,
        ),
    ] = None,
    db: DbOpt = None,
) -> int:
    from cramplog.importer.rebuild import rebuild_store

    path = _path(db)
    outcome = rebuild_store(path, list(paths) if paths else None)
    _report(path, outcome)
    return ExitStatus.OK


def _report(path: Path, outcome: RebuildOutcome) -> None:
    if outcome.moved_aside is not None:
        _say(f"The old store was moved aside: {outcome.moved_aside}")
    _say(f"Rebuilt {path}:")
    for rec in outcome.athletes.values():
        profile = (
            "profile and goals from the journal"
            if rec.profile_from_journal
            else ("no profile in the journal")
        )
        folders = len(rec.paths)
        _say(
            f"  {rec.name}: {profile}; {rec.cramps_total} cramp(s) "
            f"({rec.cramps_from_journal} only in the journal); {rec.sessions} session(s) from "
            f"{folders} folder(s)"
        )
    if outcome.failed_files:
        _say(f"  {outcome.failed_files} file(s) in the folders could not be read")
    for line in outcome.lost:
        _say(f"could not recover: {line}")
    if not outcome.lost:
        _say("Everything in the journal was recovered.")


@store_app.command(
    "backup",
    help=(
        "Copy the store to FILE with SQLite's online backup: a consistent copy, even while "
        "other cramplog commands run. FILE must not exist unless --force. (The journal is "
        "plain files: copy <store>.journal with it.)\n\n"
        "Example: cramplog store backup ~/backups/cramplog-2026-06-01.sqlite"
    ),
)
def backup_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy.")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    db: DbOpt = None,
) -> int:
    from cramplog.store.backup import backup_store

    path = _path(db)
    size = backup_store(path, file, force=force)
    _say(f"Backed up {path} to {file} ({size / 1e6:.1f} MB).")
    return ExitStatus.OK


@store_app.command(
    "journal",
    help=(
        "Write the journal from the store: each athlete's profile, and every stored cramp "
        "the journal lacks (nothing is removed from it). For stores from before the journal, "
        "or after 'store check' finds cramps only in the store.\n\n"
        "Example: cramplog store journal"
    ),
)
def journal_command(db: DbOpt = None) -> int:
    with open_store(db, create=False) as store:
        names = store.athletes()
        for name in names:
            store.write_journal(name, [])
        root = store.journal.root if store.journal is not None else None
    _say(f"Wrote the journal of {len(names)} athlete(s) to {root}.")
    return ExitStatus.OK
