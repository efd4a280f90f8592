"""``cramplog import``: read exports into the local store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cramplog.cli.common import AthleteOpt, DbOpt, err_console, open_store
from cramplog.cli.exit_status import ExitStatus

if TYPE_CHECKING:
    from rich.console import Console

    from cramplog.importer.pipeline import ImportOutcome
    from cramplog.importer.pool import ParsePool
    from cramplog.store import Store


def register(app: typer.Typer) -> None:
    app.command(
        "import",
        help=(
            "Import FIT, GPX, TCX and CSV files, folders, .gz and .zip exports into the store.\n\n"
            "Each PATH is one athlete's files: the athlete is --athlete, else [athlete].name in "
            "the folder's athlete.toml, else the folder's name. A cramps.csv in the folder is "
            "imported too. Files already imported are recognised by content and skipped.\n\n"
            "Examples:\n\n"
            "  cramplog import ~/exports/strava_export.zip --athlete me\n\n"
            "  cramplog import sample_logs/alex"
        ),
    )(import_command)


def import_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Files, folders or .zip exports.", show_default=False)
    ],
    athlete: AthleteOpt = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 2 if any file could not be read.")
    ] = False,
    db: DbOpt = None,
) -> int:
    console = err_console()
    with open_store(db) as store:
        report = run_import(store, paths, athlete, console)
    print_import_summary(report, console)
    if not report.anything_readable and (report.failed or report.files_seen == 0):
        return ExitStatus.ERROR
    if strict and report.failed:
        return ExitStatus.ERROR
    return ExitStatus.OK


def run_import(
    store: Store,
    paths: list[Path],
    athlete: str | None,
    console: Console,
    pool: ParsePool | None = None,
) -> ImportOutcome:
    """Import with a progress bar on stderr when it is a terminal. ``pool``: parse workers
    to share with other imports (a squad's folders); one for this call when None."""
    from cramplog.importer.pipeline import import_paths

    if not console.is_terminal:
        return import_paths(store, paths, athlete=athlete, pool=pool)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("import", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return import_paths(store, paths, athlete=athlete, progress=tick, pool=pool)


def print_import_summary(report: ImportOutcome, console: Console) -> None:
    who = ", ".join(report.athletes)
    if report.files_seen == 0 and not report.failed:
        console.print(f"No files found for {who}.")
        return
    parts = [
        f"{report.imported_files} file(s) imported ({report.activities_added} new session(s))",
    ]
    if report.merged:
        parts.append(f"{report.merged} duplicate session(s) merged")
    if report.known:
        parts.append(f"{report.known} already known")
    if report.skipped_unknown:
        parts.append(f"{report.skipped_unknown} skipped (not an activity file)")
    if report.failed:
        parts.append(f"{len(report.failed)} failed")
    if report.cramps_added or report.cramps_known or report.cramps_removed:
        cramp_text = f"cramps: {report.cramps_added} added, {report.cramps_known} already logged"
        if report.cramps_removed:
            cramp_text += f", {report.cramps_removed} removed (no longer in cramps.csv)"
        parts.append(cramp_text)
    cramps_changed = report.cramps_added or report.cramps_removed
    if report.imported_files == 0 and report.known and not report.failed and not cramps_changed:
        console.print(f"{who}: nothing new; {report.known} file(s) already imported.")
    else:
        console.print(f"{who}: " + "; ".join(parts) + ".")
    for name, reason in report.failed:
        console.print(f"  failed: {name}: {reason}", markup=False)
    for name, warning in report.warnings[:20]:
        console.print(f"  partly read: {name}: {warning}", markup=False)
    if len(report.warnings) > 20:
        console.print(f"  … and {len(report.warnings) - 20} more partly read file(s)")
