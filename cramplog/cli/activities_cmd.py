"""``cramplog activities``: list the stored sessions."""

from __future__ import annotations

from typing import Any

import typer

from cramplog.cli.common import (
    AthleteOpt,
    DbOpt,
    FormatOpt,
    OutputFormat,
    OutputOpt,
    open_store,
    resolve_athlete,
    write_output,
)


def register(app: typer.Typer) -> None:
    app.command(
        "activities",
        help=(
            "List the stored sessions of an athlete (duplicates merged).\n\n"
            "Example: cramplog activities --athlete alex --format json"
        ),
    )(activities_command)


def activities_command(
    athlete: AthleteOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    db: DbOpt = None,
) -> int:
    with open_store(db, readonly=True) as store:
        name = resolve_athlete(store, athlete)
        profile = store.get_profile(name)
        acts = store.activities(name)
    from cramplog.render.activities import activities_csv, activities_json, activity_rows

    tz = profile.tzinfo() if profile is not None else None
    rows: list[dict[str, Any]] = activity_rows(acts, tz)
    if fmt is OutputFormat.json:
        write_output(activities_json(rows), output)
    elif fmt is OutputFormat.csv:
        write_output(activities_csv(rows), output)
    else:
        from cramplog.render.activities import activities_table

        write_output(activities_table(rows, name), output)
    return 0
