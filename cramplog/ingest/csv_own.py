"""cramplog's own activity CSV.

One row per session; the first line names the columns. Column names are case-insensitive;
spaces, underscores and hyphens are alike, and a unit in brackets joins the name
(``Distance (km)`` is ``distance_km``). Columns cramplog does not know are ignored; if a
column appears twice the first one is used. Separator: comma, semicolon (numbers then use
a decimal comma, ``12,5``) or tab. Encoding: UTF-8 (with or without BOM) or Windows-1252.
An empty cell or ``--`` means "unknown", never zero.

=============== ========= ================================================================
column          required  meaning
=============== ========= ================================================================
start           yes       start in local time: ``2026-03-14 07:30``, ``2026-03-14T07:30:00``,
                          or with a UTC offset ``2026-03-14T07:30:00-07:00`` (``Z`` = UTC).
                          Without an offset the time is read in the athlete's profile time
                          zone. A bare date ``2026-03-14`` means 00:00 local that day.
sport           yes       running, trail_running, treadmill, track_running, cycling,
                          swimming, walking, hiking, rowing, strength, other; synonyms:
                          run, trail, bike, ride, swim, walk, hike, row, gym, weights
                          (an unknown name becomes ``other``, with a warning)
duration        one of    elapsed time: ``1:02:03`` (h:mm:ss), ``45:10`` (mm:ss) or seconds
                duration/ (``3723``)
distance_km     distance  distance in kilometres; or ``distance_m`` (metres) or
                          ``distance_mi`` (miles)
ascent_m                  metres climbed
descent_m                 metres descended
hr_avg                    average heart rate, beats per minute
hr_max                    maximum heart rate, beats per minute
temperature_c             average air temperature, °C
rpe                       perceived exertion, 0–10
title                     free text
race                      yes/no, true/false or 1/0 (empty = no)
=============== ========= ================================================================

Example::

    start,sport,duration,distance_km,descent_m,temperature_c,rpe,race
    2026-03-14 07:30,run,1:02:03,12.4,310,24,6,no

A row without a readable start or sport, with neither duration nor distance, or with a
negative duration or distance is skipped with a warning naming its row (the header is
row 1). A value out of range (``rpe`` 11, ``hr_avg`` 900) only empties that field.
"""

from __future__ import annotations

import re
from typing import Any

from cramplog.ingest.csv_values import (
    M_PER_MI,
    SPORT_NAMES,
    DialectState,
    RowError,
    cell,
    in_range,
    split_aware,
    to_bool,
    to_datetime,
    to_seconds,
    to_sport,
)
from cramplog.model import SPORTS, Activity

COLUMNS = (
    "start",
    "sport",
    "duration",
    "distance_km",
    "distance_m",
    "distance_mi",
    "ascent_m",
    "descent_m",
    "hr_avg",
    "hr_max",
    "temperature_c",
    "rpe",
    "title",
    "race",
)
DISTANCE_FACTORS = {"distance_km": 1000.0, "distance_m": 1.0, "distance_mi": M_PER_MI}


def column_key(header: str) -> str:
    """``"Distance (km)"`` → ``distance_km``; ``"HR avg"`` → ``hr_avg``."""
    return re.sub(r"[^0-9a-z]+", "_", header.lower()).strip("_")


def make_reader(keys: list[str], ctx: DialectState) -> Any:
    """A row reader when the header is cramplog's own (``start`` and ``sport``), else None."""
    idx: dict[str, int] = {}
    for i, k in enumerate(keys):
        key = column_key(k)
        if key not in COLUMNS:
            continue
        if key in idx:
            ctx.warnings.append(f"column {key!r} appears more than once; the first is used")
            continue
        idx[key] = i
    if "start" not in idx or "sport" not in idx:
        return None
    if not any(k in idx for k in ("duration", *DISTANCE_FACTORS)):
        ctx.warnings.append("no duration or distance column: every row will be skipped")
    dist_cols = [(idx[k], f, k) for k, f in DISTANCE_FACTORS.items() if k in idx]
    g = idx.get

    def read(row: list[str], ctx: DialectState) -> Activity:
        try:
            start = to_datetime(cell(row, idx["start"]))
        except ValueError as exc:
            raise RowError(f"start: {exc}") from None
        if start is None:
            raise RowError("start is empty")
        start, offset = split_aware(start)

        sport_text = cell(row, idx["sport"]).strip()
        if not sport_text:
            raise RowError("sport is empty")
        sport = to_sport(sport_text)
        known = sport_text.lower() in SPORT_NAMES or sport_text.lower() in SPORTS
        if sport == "other" and not known:
            ctx.warn(f"sport {sport_text[:40]!r} is not one cramplog knows; read as 'other'")

        duration: float | None = None
        if "duration" in idx:
            try:
                duration = to_seconds(cell(row, idx["duration"]), ctx.decimal_comma)
            except ValueError as exc:
                raise RowError(f"duration: {exc}") from None
            if duration is not None and duration < 0:
                raise RowError(f"negative duration {cell(row, idx['duration']).strip()!r}")
        distance: float | None = None
        for col, factor, label in dist_cols:
            try:
                value = ctx.num_strict(row, col)
            except ValueError as exc:
                raise RowError(f"{label}: {exc}") from None
            if value is not None:
                if value < 0:
                    raise RowError(f"negative {label} {value:g}")
                distance = value * factor
                break
        if duration is None and distance is None:
            raise RowError("neither duration nor distance is given")

        race_text = cell(row, g("race"))
        try:
            is_race = bool(to_bool(race_text))
        except ValueError as exc:
            ctx.warn(f"race: {exc}; read as no")
            is_race = False

        return Activity(
            sport=sport,
            start=start,
            utc_offset_s=offset,
            elapsed_s=duration,
            distance_m=distance,
            ascent_m=in_range(ctx, ctx.num(row, g("ascent_m"), "ascent_m"), 0, 20000, "ascent_m"),
            descent_m=in_range(
                ctx, ctx.num(row, g("descent_m"), "descent_m"), 0, 20000, "descent_m"
            ),
            hr_avg=in_range(ctx, ctx.num(row, g("hr_avg"), "hr_avg"), 20, 260, "hr_avg"),
            hr_max=in_range(ctx, ctx.num(row, g("hr_max"), "hr_max"), 20, 260, "hr_max"),
            temp_avg_c=in_range(
                ctx, ctx.num(row, g("temperature_c"), "temperature_c"), -60, 60, "temperature_c"
            ),
            rpe=in_range(ctx, ctx.num(row, g("rpe"), "rpe"), 0, 10, "rpe"),
            title=ctx.text(row, g("title")),
            is_race=is_race,
        )

    return read


# A spreadsheet saving with commas may still write decimal commas: let csvfile look.
SNIFF_DECIMAL_COMMA = True
