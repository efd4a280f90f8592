"""Garmin Connect ``Activities.csv`` (the "Export CSV" button of the activity list).

Recognised by ``Activity Type`` + ``Date`` (or the localized names below). Columns read,
all others ignored:

========================= ========================================================
cramplog field            Garmin column (English; German / French / Spanish)
========================= ========================================================
sport                     Activity Type; Aktivitätstyp; Type d'activité; Tipo de actividad
start (local, naive)      Date; Datum; Date; Fecha
title                     Title; Titel; Titre; Título
distance_m                Distance; Distanz; Distance; Distancia
elapsed_s                 Elapsed Time (else Time / Activity Time); Verstrichene Zeit
                          (else Zeit); Temps écoulé (else Durée); Tiempo transcurrido
                          (else Tiempo)
moving_s                  Moving Time; Zeit in Bewegung; Temps de déplacement;
                          Tiempo en movimiento
hr_avg / hr_max           Avg HR / Max HR; Ø HF, Ø Herzfrequenz / Max. HF, Maximale
                          Herzfrequenz; Fréquence cardiaque moyenne / maximale;
                          Frecuencia cardiaca media / máxima, FC media / FC máxima
ascent_m / descent_m      Total Ascent / Total Descent (older: Elev Gain / Elev Loss);
                          Positiver / Negativer Höhenunterschied, Anstieg / Abstieg
                          gesamt; Ascension / Descente totale; Ascenso / Descenso total
temp_min_c / temp_max_c   Min Temp / Max Temp; Min. Temp. / Max. Temp.; Température
                          minimale / maximale; Temperatura mínima / máxima
========================= ========================================================

Units: Garmin writes the units of the account's display settings and does not say which.
Distances are read as kilometres, metres climbed and °C, unless the header names the unit
(``Distance (mi)``) or the caller passes ``units="mi"`` (statute account: miles, feet, °F).
Swims are the exception: Garmin writes pool and open-water distances in metres (yards for
statute accounts), so a swim distance of 10 or more is read in metres (yards).

``Date`` is local wall time without a zone: the activity's ``start`` is returned naive, with
``utc_offset_s`` None, and the importer localizes it with the athlete's profile zone.
``--`` is missing, and so is a Min/Max Temp of exactly 0 (what Garmin writes when no
sensor read a temperature; a real reading of exactly 0.0 °C is lost, a known trade-off). ``"1,234"`` is a thousands separator; ``'-12`` (Excel's text quote) is -12.
Numbers follow the account's locale even in a comma-separated file (``"24,61"``,
``"1.850"``); the first rows decide whether the file uses a decimal comma.
"""

from __future__ import annotations

import re
from typing import Any

from cramplog.ingest.csv_values import (
    M_PER_FT,
    M_PER_MI,
    M_PER_YD,
    DialectState,
    RowError,
    cell,
    f_to_c,
    in_range,
    split_aware,
    to_datetime,
    to_seconds,
    to_sport,
)
from cramplog.model import Activity

ALIASES: dict[str, tuple[str, ...]] = {
    "type": ("activity type", "aktivitätstyp", "type d'activité", "tipo de actividad"),
    "date": ("date", "datum", "fecha"),
    "title": ("title", "titel", "titre", "título"),
    "distance": ("distance", "distanz", "distancia"),
    "time": ("time", "activity time", "zeit", "durée", "tiempo"),
    "elapsed": ("elapsed time", "verstrichene zeit", "temps écoulé", "tiempo transcurrido"),
    "moving": (
        "moving time",
        "zeit in bewegung",
        "temps de déplacement",
        "tiempo en movimiento",
    ),
    "hr_avg": (
        "avg hr",
        "ø hf",
        "ø herzfrequenz",
        "fréquence cardiaque moyenne",
        "frecuencia cardiaca media",
        "fc media",
    ),
    "hr_max": (
        "max hr",
        "max. hf",
        "maximale herzfrequenz",
        "fréquence cardiaque maximale",
        "frecuencia cardiaca máxima",
        "fc máxima",
    ),
    "ascent": (
        "total ascent",
        "elev gain",
        "elevation gain",
        "positiver höhenunterschied",
        "anstieg gesamt",
        "ascension totale",
        "ascenso total",
    ),
    "descent": (
        "total descent",
        "elev loss",
        "elevation loss",
        "negativer höhenunterschied",
        "abstieg gesamt",
        "descente totale",
        "descenso total",
    ),
    "temp_min": ("min temp", "min. temp.", "température minimale", "temperatura mínima"),
    "temp_max": ("max temp", "max. temp.", "température maximale", "temperatura máxima"),
}
_BY_KEY = {alias: field for field, names in ALIASES.items() for alias in names}
_UNIT = re.compile(r"^(.*?)\s*\(([^()]*)\)$")


def split_unit(key: str) -> tuple[str, str | None]:
    """``"distance (mi)"`` → ``("distance", "mi")``; a key without brackets → ``(key, None)``."""
    m = _UNIT.match(key)
    if m and m.group(1) in _BY_KEY:
        return m.group(1), m.group(2).strip().lstrip("°")
    return key, None


def make_reader(keys: list[str], ctx: DialectState) -> Any:
    """A row reader when the header is a Garmin Connect activity list, else None."""
    idx: dict[str, int] = {}
    units: dict[str, str | None] = {}
    for i, key in enumerate(keys):
        base, unit = split_unit(key)
        name = _BY_KEY.get(base)
        if name is not None and name not in idx:
            idx[name] = i
            units[name] = unit
    if "type" not in idx or "date" not in idx:
        return None

    statute = ctx.miles
    dist_unit = units.get("distance") or ("mi" if statute else "km")
    dist_factor = {"mi": M_PER_MI, "m": 1.0}.get(dist_unit, 1000.0)
    swim_factor = M_PER_YD if dist_unit == "mi" or units.get("distance") == "yd" else 1.0
    elev_unit = units.get("ascent") or units.get("descent") or ("ft" if statute else "m")
    elev_factor = M_PER_FT if elev_unit == "ft" else 1.0
    temp_unit = units.get("temp_min") or units.get("temp_max") or ("F" if statute else "C")
    fahrenheit = temp_unit.upper() == "F"
    g = idx.get
    i_elapsed = g("elapsed")
    i_time = g("time")

    def elev(row: list[str], key: str) -> float | None:
        value = ctx.num(row, g(key), key)
        return in_range(ctx, None if value is None else value * elev_factor, 0, 20000, key)

    def temp(row: list[str], key: str) -> float | None:
        value = ctx.num(row, g(key), key)
        if value == 0:  # Garmin's "no reading" (real exports: Min Temp 80.6, Max Temp 0)
            return None
        value = f_to_c(value) if fahrenheit else value
        return in_range(ctx, value, -60, 60, key)

    def read(row: list[str], ctx: DialectState) -> Activity:
        try:
            start = to_datetime(cell(row, idx["date"]))
        except ValueError as exc:
            raise RowError(f"Date: {exc}") from None
        if start is None:
            raise RowError("Date is empty")
        start, offset = split_aware(start)
        sport = to_sport(cell(row, idx["type"]))

        elapsed = None
        for col in (i_elapsed, i_time):
            try:
                elapsed = to_seconds(cell(row, col), ctx.decimal_comma)
            except ValueError as exc:
                ctx.warn(f"{'Elapsed Time' if col == i_elapsed else 'Time'}: {exc}")
                continue
            if elapsed is not None:
                if elapsed < 0:
                    raise RowError(f"negative duration {cell(row, col).strip()!r}")
                break

        distance = None
        try:
            value = ctx.num_strict(row, g("distance"))
        except ValueError as exc:
            ctx.warn(f"Distance: {exc}; left empty")
            value = None
        if value is not None:
            if value < 0:
                raise RowError(f"negative distance {value:g}")
            if sport == "swimming" and units.get("distance") is None and value >= 10:
                distance = value * swim_factor
            else:
                distance = value * dist_factor

        t_min, t_max = temp(row, "temp_min"), temp(row, "temp_max")
        return Activity(
            sport=sport,
            start=start,
            utc_offset_s=offset,
            elapsed_s=elapsed,
            moving_s=ctx.secs(row, g("moving"), "Moving Time"),
            distance_m=distance,
            ascent_m=elev(row, "ascent"),
            descent_m=elev(row, "descent"),
            hr_avg=in_range(ctx, ctx.num(row, g("hr_avg"), "Avg HR"), 20, 260, "Avg HR"),
            hr_max=in_range(ctx, ctx.num(row, g("hr_max"), "Max HR"), 20, 260, "Max HR"),
            temp_min_c=t_min,
            temp_max_c=t_max,
            title=ctx.text(row, g("title")),
        )

    return read


# Garmin writes numbers in the account's locale even in a comma-separated file ("24,61"):
# csvfile looks at the first rows to decide.
SNIFF_DECIMAL_COMMA = True
