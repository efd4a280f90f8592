"""Strava ``activities.csv`` from the bulk account export (English or German header).

Recognised by ``Activity Date`` (``Aktivitätsdatum``) with ``Activity ID`` or
``Activity Type``. The header repeats names (``Elapsed Time``, ``Distance``, ``Max Heart
Rate``, ``Relative Effort``, ``Commute``), so columns are read by position:

- ``Distance``: the first one is in the account's unit (km, or mi with ``units="mi"``; swims
  in metres), the second in metres. The metres column wins; the first is the fallback.
- ``Elapsed Time`` and ``Max Heart Rate``: the later (detailed) column wins, the first one
  fills in when it is empty. Times are seconds.
- ``Activity Date`` (``May 9, 2023, 10:09:29 AM``; German ``20.09.2026, 14:12:12``) is UTC:
  ``start`` is aware UTC and ``utc_offset_s`` is None.
- ``Elevation Gain`` / ``Elevation Loss`` (German ``Höhenzunahme`` / ``Höhenunterschied``)
  are metres; ``Average Temperature`` (device) else ``Weather Temperature`` is °C;
  ``Perceived Exertion`` (1–10) is the RPE; ``Competition`` (newer exports) marks a race.

Rows whose ``Filename`` (``activities/1234567890.fit.gz``) is set describe a file that is
in the same export: "the files win; the CSV row only fills gaps". Such rows become
``ParseResult.fills[filename] = {"title", "rpe", "temp_avg_c", "sport", "is_race"}`` (keys
with no value left out) plus ``"activity"``: the row's own session, which the importer
stores only when the named file is not in the export. Rows without a file become
activities.
"""

from __future__ import annotations

from datetime import timezone
from typing import Any

from cramplog.ingest.csv_values import (
    M_PER_MI,
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
from cramplog.model import Activity

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("activity id", "aktivitäts-id"),
    "date": ("activity date", "aktivitätsdatum"),
    "name": ("activity name", "name der aktivität"),
    "type": ("activity type", "aktivitätsart"),
    "elapsed": ("elapsed time", "verstrichene zeit"),
    "moving": ("moving time", "bewegungszeit"),
    "distance": ("distance", "distanz"),
    "hr_max": ("max heart rate", "max. herzfrequenz"),
    "hr_avg": ("average heart rate", "durchschnittliche herzfrequenz"),
    "ascent": ("elevation gain", "höhenzunahme"),
    "descent": ("elevation loss", "höhenunterschied"),
    "temp_max": ("max temperature", "max. temperatur"),
    "temp_avg": ("average temperature", "durchschnittliche temperatur"),
    "weather_temp": ("weather temperature", "wetter: temperatur"),
    "rpe": ("perceived exertion", "gefühlte anstrengung"),
    "filename": ("filename", "dateiname"),
    "competition": ("competition", "wettkampf"),
}
_BY_KEY = {alias: field for field, names in ALIASES.items() for alias in names}


def make_reader(keys: list[str], ctx: DialectState) -> Any:
    """A row reader when the header is a Strava activities.csv, else None."""
    pos: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        name = _BY_KEY.get(key)
        if name is not None:
            pos.setdefault(name, []).append(i)
    if "date" not in pos or not ("id" in pos or "type" in pos):
        return None

    def first(name: str) -> int | None:
        return pos[name][0] if name in pos else None

    def later_first(name: str) -> list[int]:
        """Positions of a repeated column, the later (detailed) one first."""
        return list(reversed(pos.get(name, [])))

    i_date = pos["date"][0]
    i_type, i_name, i_file = first("type"), first("name"), first("filename")
    i_moving, i_hr_avg, i_rpe = first("moving"), first("hr_avg"), first("rpe")
    i_ascent, i_descent, i_comp = first("ascent"), first("descent"), first("competition")
    i_temp_max = first("temp_max")
    temp_cols = [i for i in (first("temp_avg"), first("weather_temp")) if i is not None]
    elapsed_cols = later_first("elapsed")
    hr_max_cols = later_first("hr_max")
    dists = pos.get("distance", [])
    metres_col = dists[1] if len(dists) > 1 else None
    account_col = dists[0] if dists else None
    account_factor = M_PER_MI if ctx.miles else 1000.0

    def number(row: list[str], cols: list[int], label: str) -> float | None:
        for col in cols:
            value = ctx.num(row, col, label)
            if value is not None:
                return value
        return None

    def fills_of(row: list[str], sport: str) -> dict[str, Any]:
        out: dict[str, Any] = {"sport": sport}
        title = ctx.text(row, i_name)
        if title is not None:
            out["title"] = title
        rpe = in_range(ctx, ctx.num(row, i_rpe, "Perceived Exertion"), 0, 10, "rpe")
        if rpe is not None:
            out["rpe"] = rpe
        temp = in_range(ctx, number(row, temp_cols, "Temperature"), -60, 60, "temperature")
        if temp is not None:
            out["temp_avg_c"] = temp
        if is_race(row):
            out["is_race"] = True
        return out

    def is_race(row: list[str]) -> bool:
        try:
            return bool(to_bool(cell(row, i_comp)))
        except ValueError as exc:
            ctx.warn(f"Competition: {exc}; read as no")
            return False

    def read(row: list[str], ctx: DialectState) -> Activity | tuple[str, dict[str, Any]]:
        sport = to_sport(cell(row, i_type))
        filename = cell(row, i_file).strip()
        if filename:
            # The file wins; the row's own session is kept as a fallback for an export
            # whose file is missing (the importer stores it only then).
            fills = fills_of(row, sport)
            try:
                fills["activity"] = session(row, sport)
            except RowError:
                pass
            return filename, fills
        return session(row, sport)

    def session(row: list[str], sport: str) -> Activity:
        try:
            start = to_datetime(cell(row, i_date))
        except ValueError as exc:
            raise RowError(f"Activity Date: {exc}") from None
        if start is None:
            raise RowError("Activity Date is empty")
        start = (
            start.replace(tzinfo=timezone.utc) if start.tzinfo is None else split_aware(start)[0]
        )

        elapsed = None
        for col in elapsed_cols:
            try:
                elapsed = to_seconds(cell(row, col), ctx.decimal_comma)
            except ValueError as exc:
                ctx.warn(f"Elapsed Time: {exc}")
                continue
            if elapsed is not None:
                if elapsed < 0:
                    raise RowError(f"negative Elapsed Time {cell(row, col).strip()!r}")
                break

        distance = ctx.num(row, metres_col, "Distance")
        if distance is None:
            value = ctx.num(row, account_col, "Distance")
            if value is not None:
                metres_already = sport == "swimming" and value >= 10
                distance = value if metres_already else value * account_factor
        if distance is not None and distance < 0:
            raise RowError(f"negative Distance {distance:g}")

        fills = fills_of(row, sport)
        return Activity(
            sport=sport,
            start=start,
            utc_offset_s=None,
            elapsed_s=elapsed,
            moving_s=ctx.secs(row, i_moving, "Moving Time"),
            distance_m=distance,
            ascent_m=in_range(ctx, ctx.num(row, i_ascent, "Elevation Gain"), 0, 20000, "ascent"),
            descent_m=in_range(ctx, ctx.num(row, i_descent, "Elevation Loss"), 0, 20000, "descent"),
            hr_avg=in_range(ctx, ctx.num(row, i_hr_avg, "Average Heart Rate"), 20, 260, "hr_avg"),
            hr_max=in_range(ctx, number(row, hr_max_cols, "Max Heart Rate"), 20, 260, "hr_max"),
            temp_avg_c=fills.get("temp_avg_c"),
            temp_max_c=in_range(
                ctx, ctx.num(row, i_temp_max, "Max Temperature"), -60, 60, "temp_max"
            ),
            rpe=fills.get("rpe"),
            title=fills.get("title"),
            is_race=bool(fills.get("is_race", False)),
        )

    return read
