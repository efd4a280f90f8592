"""``cramplog analyze``: import (when given paths), analyse one athlete or a squad, and report
in the chosen format; the exit code tells a script whether anything reached ``--fail-on``."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cramplog.cli.common import AthleteOpt, DbOpt, OutputOpt, err_console, format_option, open_store
from cramplog.cli.exit_status import ExitStatus, FailOn, exit_status
from cramplog.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from cramplog.analysis.batch import Since
    from cramplog.analysis.outcome import AthleteOutcome
    from cramplog.importer.athletes import AthleteImport
    from cramplog.importer.pipeline import ImportOutcome
    from cramplog.store import Store

HELP = (
    "Flag the training patterns linked to muscle cramps, and relate them to your cramps.\n\n"
    "With PATHs, imports them first (files already imported are skipped by content). Each "
    "PATH is one athlete's folder; a team folder whose subfolders each hold an athlete.toml "
    "stands for those subfolders. Without PATHs, analyses the store's athlete (--athlete, the "
    "only one, or all of them with a team summary).\n\n"
    "Exit codes: 0 ok; 1 a finding at or above --fail-on; 2 usage or input error (or no "
    "athlete could be analysed).\n\n"
    "Examples:\n\n"
    "  cramplog analyze ~/exports/me\n\n"
    "  cramplog analyze ~/exports/me --all\n\n"
    "  cramplog analyze team/ --since 14d\n\n"
    "  cramplog analyze team/ --since 14d --format junit -o cramplog.xml --fail-on warning"
)


@dataclass(frozen=True)
class View:
    """How the report is shown beyond its format."""

    summary: bool  # --summary
    csv_rows: str  # --csv-rows
    everything: bool  # --all
    today: date  # the real day (an ended log is analysed as of its last day)


class CsvRows(str, Enum):
    findings = "findings"
    episodes = "episodes"


class AnalyzeFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    junit = "junit"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("analyze", help=HELP)(analyze_command)


def analyze_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Athlete folders or files to import first (or a team folder).",
            show_default=False,
        ),
    ] = None,
    athlete: AthleteOpt = None,
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            help="A file listing one athlete folder per line (# comments allowed).",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Report findings and cramps from this day on: 14d, 8w or a date "
            "(earlier history still feeds the baselines). A look-back counts back from the "
            "day the analysis is as of: today, or the log's last day when it ended more than "
            "14 days ago.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[AnalyzeFormat, format_option()] = AnalyzeFormat.table,
    output: OutputOpt = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding at or above this severity is reported. JUnit marks "
            "episodes whose peak is at or above it as failures (with 'never': warning).",
        ),
    ] = FailOn.never,
    summary: Annotated[
        bool, typer.Option("--summary", help="Only the team summary (one row per athlete).")
    ] = False,
    csv_rows: Annotated[
        CsvRows,
        typer.Option(
            "--csv-rows",
            help="With --format csv: one row per finding (a rule on one day) or per episode "
            "(a rule's findings on days at most 3 apart, told once).",
        ),
    ] = CsvRows.findings,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="With the table format: every episode, cramp and association of the period "
            "and the goal assessments (the default fits one screen and says what it left out).",
        ),
    ] = False,
    db: DbOpt = None,
) -> ExitStatus:
    from cramplog.analysis.batch import since_arg as since_spec
    from cramplog.importer.athletes import AthleteImport, athlete_folders
    from cramplog.journal.since import default_today

    today = default_today()
    since_arg = since_spec(since, today)  # checked now; a look-back counts per athlete
    console = err_console()
    folders = athlete_folders(paths or [], roster)
    if athlete is not None and len(folders) > 1:
        raise UsageError(
            "--athlete names one athlete, but several folders were given; "
            "each folder's athlete.toml (or its name) names its athlete"
        )
    # without PATHs the outcome cache is read, not written; the feature cache still is
    with open_store(db, create=bool(folders)) as store:
        if folders:
            imported = _import(store, folders, athlete, console)
            names = imported.names
        else:
            imported = AthleteImport()
            names = _stored_names(store, athlete)
        outcomes = _analyze(store, names, imported, since_arg, today)
    view = View(summary=summary, csv_rows=csv_rows.value, everything=show_all, today=today)
    return _report(outcomes, fmt, output, fail_on, view, console)


# -- which athletes ------------------------------------------------------------------------


def _stored_names(store: Store, athlete: str | None) -> list[str]:
    from cramplog.cli.common import resolve_athlete

    names = store.athletes()
    if athlete is not None or len(names) <= 1:
        return [resolve_athlete(store, athlete)]
    return names


def _import(
    store: Store, folders: list[Path], athlete: str | None, console: Console
) -> AthleteImport:
    """Each folder imported on its own (importer.athletes), with its summary on stderr."""
    from cramplog.cli.import_cmd import print_import_summary, run_import
    from cramplog.importer.athletes import import_athletes

    def said(name: str, message: str) -> None:
        # one folder: the analysis's own error says the same, once
        if len(folders) > 1:
            console.print(f"cramplog: {name}: {message}", markup=False)

    def summary(report: ImportOutcome) -> None:
        if report.imported_files or report.failed or report.cramps_added:
            print_import_summary(report, console)

    return import_athletes(
        store,
        folders,
        athlete,
        run=lambda st, paths, who, pool: run_import(st, paths, who, console, pool),
        on_error=said,
        on_outcome=summary,
    )


def _analyze(
    store: Store,
    names: list[str],
    imported: AthleteImport,
    since: Since,
    today: date,
) -> list[AthleteOutcome]:
    from cramplog.analysis.squad import squad_outcomes

    return squad_outcomes(store, names, imported, since=since, today=today)


# -- output --------------------------------------------------------------------------------


def _report(
    outcomes: list[AthleteOutcome],
    fmt: AnalyzeFormat,
    output: Path | None,
    fail_on: FailOn,
    view: View,
    console: Console,
) -> ExitStatus:
    from cramplog.analysis.squad import failed_outcomes
    from cramplog.cli.common import write_output

    for o in failed_outcomes(outcomes):  # raises InputError when no athlete was analysed
        console.print(f"cramplog: warning: {o.athlete}: {o.error}", markup=False)
    ok = [o for o in outcomes if o.ok]

    text = _render(outcomes, fmt, output, fail_on, view)
    write_output(text, output)

    severities = (f["severity"] for o in ok for f in (o.report or {}).get("findings", []))
    return exit_status(severities, fail_on)


def _render(
    outcomes: list[AthleteOutcome],
    fmt: AnalyzeFormat,
    output: Path | None,
    fail_on: FailOn,
    view: View,
) -> str:
    from cramplog.analysis.team import common_since, window_label

    since = common_since(outcomes)
    if fmt is AnalyzeFormat.json:
        from cramplog.render.json_out import render_json

        return render_json(outcomes, since=since)
    if fmt is AnalyzeFormat.csv:
        from cramplog.render.csv_out import render_csv

        return render_csv(outcomes, rows=view.csv_rows)
    if fmt is AnalyzeFormat.junit:
        from cramplog.render.junit import render_junit

        level = "warning" if fail_on is FailOn.never else fail_on.value
        return render_junit(outcomes, fail_level=level)

    from cramplog.analysis.team import team_rows

    summary = view.summary
    team = team_rows(outcomes) if (len(outcomes) > 1 or summary) else None
    window = window_label(outcomes, view.today)
    if fmt is AnalyzeFormat.markdown:
        from cramplog.render.markdown import render_markdown

        return render_markdown(outcomes, team=team, window=window, summary_only=summary)
    from cramplog.render.table import DEFAULT_WIDTH, render_table

    width, color = DEFAULT_WIDTH, False
    if output is None and sys.stdout.isatty():
        import shutil

        width = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
        color = not os.environ.get("NO_COLOR")
    return render_table(
        outcomes,
        team=team,
        window=window,
        summary_only=summary,
        width=width,
        color=color,
        everything=view.everything,
        today=view.today,
    )
