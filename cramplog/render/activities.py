"""Rendering of the stored session list (``cramplog activities``)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from cramplog.model import Activity

COLUMNS = (
    "id",
    "start",
    "local_date",
    "sport",
    "duration_s",
    "moving_s",
    "distance_m",
    "ascent_m",
    "descent_m",
    "hr_avg",
    "hr_max",
    "temp_avg_c",
    "rpe",
    "title",
    "is_race",
    "source_format",
    "sources",
)


def _num(v: float | None, nd: int = 1) -> float | None:
    return None if v is None else round(float(v), nd)


def activity_rows(acts: list[Activity], tz: Any) -> list[dict[str, Any]]:
    """One JSON-safe dict per session; unknown values are None, never 0."""
    rows = []
    for a in acts:
        local = a.local_start(tz)
        rows.append(
            {
                "id": a.id,
                "start": local.isoformat(),
                "local_date": local.date().isoformat(),
                "sport": a.sport,
                "duration_s": _num(a.elapsed_s if a.elapsed_s is not None else a.moving_s),
                "moving_s": _num(a.moving_s),
                "distance_m": _num(a.distance_m),
                "ascent_m": _num(a.ascent_m),
                "descent_m": _num(a.descent_m),
                "hr_avg": _num(a.hr_avg),
                "hr_max": _num(a.hr_max),
                "temp_avg_c": _num(a.temp_avg_c),
                "rpe": _num(a.rpe),
                "title": a.title,
                "is_race": a.is_race,
                "source_format": a.source_format,
                "sources": list(a.sources),
            }
        )
    return rows


def activities_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False, allow_nan=False)


def activities_csv(rows: list[dict[str, Any]]) -> str:
    from cramplog.csvsafe import safe_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        values = [";".join(r[c]) if c == "sources" else r[c] for c in COLUMNS]
        w.writerow(["" if v is None else safe_cell(v) for v in values])
    return buf.getvalue()


def _fmt_duration(s: float | None) -> str:
    if s is None:
        return "–"
    s = int(round(s))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def activities_table(rows: list[dict[str, Any]], athlete: str, width: int = 120) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{athlete}: {len(rows)} session(s)", title_justify="left")
    for col in ("local time", "sport", "duration", "km", "D+ m", "D− m", "HR", "°C", "sources"):
        table.add_column(col, justify="right" if col not in ("sport", "sources") else "left")
    for r in rows:
        table.add_row(
            r["start"][:16].replace("T", " "),
            r["sport"] + (" (race)" if r["is_race"] else ""),
            _fmt_duration(r["duration_s"]),
            "–" if r["distance_m"] is None else f"{r['distance_m'] / 1000:.2f}",
            "–" if r["ascent_m"] is None else f"{r['ascent_m']:.0f}",
            "–" if r["descent_m"] is None else f"{r['descent_m']:.0f}",
            "–" if r["hr_avg"] is None else f"{r['hr_avg']:.0f}",
            "–" if r["temp_avg_c"] is None else f"{r['temp_avg_c']:.0f}",
            ", ".join(s.rsplit("/", 1)[-1] for s in r["sources"]),
        )
    buf = io.StringIO()
    Console(file=buf, width=width, force_terminal=False, color_system=None).print(table)
    return buf.getvalue()
