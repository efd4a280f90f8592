"""``cramplog report``: one self-contained HTML file with charts, per athlete or for a team."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cramplog.cli.common import AthleteOpt, DbOpt, OutputOpt, err_console, open_store, write_output
from cramplog.cli.exit_status import ExitStatus

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console

    from cramplog.analysis.athlete import AthleteAnalysis
    from cramplog.analysis.team import TeamRow
    from cramplog.store import Store

SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="Show findings, cramps and charts from this day on: 14d, 8w or 2026-04-01 "
        "(the numbers still use the whole history).",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command(
        "report",
        help=(
            "Write an HTML report with charts: load with CTL/ATL/TSB, the ACWR band, weekly "
            "volume and descent, heat, findings on a timeline, cramps marked on every chart, "
            "goal readiness.\n\n"
            "One file, no network: it opens in any browser and can be mailed as is. With PATHs "
            "the files are imported first (as in 'cramplog analyze'); without, the store's "
            "athlete (--athlete, or every athlete when the store holds several) is reported. "
            "Several athletes make a team report that opens with a summary table.\n\n"
            "Examples:\n\n"
            "  cramplog report sample_logs/alex -o alex.html\n\n"
            "  cramplog report team/ --since 8w -o team.html"
        ),
    )(report_command)


def report_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Athlete folders, files or .zip exports to import first (optional).",
            show_default=False,
        ),
    ] = None,
    athlete: AthleteOpt = None,
    since: SinceOpt = None,
    output: OutputOpt = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Page title.", show_default=False)
    ] = None,
    db: DbOpt = None,
) -> int:
    from cramplog.journal.since import default_today, parse_since
    from cramplog.render.html import render_html

    console = err_console()
    today = default_today()
    since_day = parse_since(since, today) if since is not None else None
    with open_store(db) as store:
        names = _athletes(store, paths, athlete, console)
        reports, team = _analyse(store, names, since_day, today)
    if not reports:
        for row in team:
            console.print(f"cramplog: {row.athlete}: {row.error}", markup=False)
        return ExitStatus.ERROR
    html = render_html(reports, team=team if len(names) > 1 else None, since=since_day, title=title)
    write_output(html, output)
    if output is not None:
        size = len(html.encode("utf-8"))
        who = reports[0].athlete if len(reports) == 1 else f"{len(reports)} athletes"
        console.print(f"Wrote {output} ({size / 1024:.0f} KiB, {who}).", markup=False)
    for row in team:
        if row.error is not None:
            console.print(f"  not in the report: {row.athlete}: {row.error}", markup=False)
    return ExitStatus.OK


def _athletes(
    store: Store, paths: list[Path] | None, athlete: str | None, console: Console
) -> list[str]:
    """Import PATHs (team folders expand to their athletes) or pick from the store."""
    from cramplog.cli.common import resolve_athlete
    from cramplog.cli.import_cmd import print_import_summary, run_import
    from cramplog.errors import UsageError
    from cramplog.importer.roster import athlete_dirs

    if paths:
        expanded = [p for path in paths for p in athlete_dirs(path)]
        report = run_import(store, expanded, athlete, console)
        print_import_summary(report, console)
        if not report.anything_readable and (report.failed or report.files_seen == 0):
            raise UsageError("nothing readable to report on")
        return list(report.athletes)
    if athlete is not None:
        return [resolve_athlete(store, athlete)]
    names = store.athletes()
    if not names:
        raise UsageError("the store has no athletes yet; give a PATH or run 'cramplog import PATH'")
    return names


def _analyse(
    store: Store, names: list[str], since: date | None, today: date
) -> tuple[list[AthleteAnalysis], list[TeamRow]]:
    """Each athlete analysed (features through the store's cache); failures become team rows
    with an error instead of stopping the report."""
    from cramplog.analysis.outcome import AthleteOutcome, overview
    from cramplog.analysis.stored import analyze_stored
    from cramplog.analysis.team import team_rows
    from cramplog.errors import CramplogError

    reports: list[AthleteAnalysis] = []
    outcomes: list[AthleteOutcome] = []
    for name in names:
        try:
            result = analyze_stored(store, name, since=since, today=today)
        except CramplogError as exc:
            outcomes.append(AthleteOutcome(athlete=name, error=str(exc)))
            continue
        rep = result.report
        reports.append(rep)
        outcomes.append(
            AthleteOutcome(
                athlete=name,
                report=rep.to_dict(result.activities_by_id),
                overview=overview(rep, since, result.as_of or today),
                stats=result.stats,
            )
        )
    return reports, team_rows(outcomes)
