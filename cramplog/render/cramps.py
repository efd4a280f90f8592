"""Rendering of an athlete's cramp list (``cramplog cramp list``): rows, JSON, CSV, table."""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any

from cramplog.model import Activity, CrampEvent

CSV_COLUMNS = ("id", "when", "muscle", "side", "severity", "timing", "notes")


def _session_json(act: Activity | None, tz: tzinfo) -> dict[str, Any] | None:
    if act is None:
        return None
    return {
        "id": act.id,
        "start": act.local_start(tz).isoformat(),
        "sport": act.sport,
        "distance_m": None if act.distance_m is None else round(act.distance_m, 1),
        "sources": list(act.sources),
    }


def cramp_rows(
    events: list[CrampEvent], acts: dict[int, Activity], tz: tzinfo
) -> list[dict[str, Any]]:
    """One JSON-safe dict per cramp, with the session it is linked to (or None)."""
    from cramplog.journal.cramps import when_text

    return [
        {
            "id": ev.id,
            "when": when_text(ev),
            "muscle": ev.muscle,
            "side": ev.side,
            "severity": ev.severity,
            "timing": ev.timing,
            "notes": ev.notes,
            "session": _session_json(acts.get(ev.activity_id or -1), tz),
        }
        for ev in events
    ]


def cramps_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False)


def cramps_csv(rows: list[dict[str, Any]]) -> str:
    import csv
    import io

    from cramplog.csvsafe import safe_cell

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, "session_id", "session_start", "session_sport"])
    for r in rows:
        s = r["session"] or {}
        values = [r[c] for c in CSV_COLUMNS] + [s.get("id"), s.get("start"), s.get("sport")]
        writer.writerow(["" if v is None else safe_cell(v) for v in values])
    return buf.getvalue()


def cramps_table(
    rows: list[dict[str, Any]], events: list[CrampEvent], acts: dict[int, Activity], name: str
) -> str:
    import io

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{name}: {len(rows)} cramp(s)", title_justify="left")
    for col in ("id", "when", "muscle", "side", "sev", "timing", "session", "notes"):
        table.add_column(col, justify="right" if col in ("id", "sev") else "left")
    for r, ev in zip(rows, events, strict=True):
        act = acts.get(ev.activity_id or -1)
        session = "–"
        if act is not None:
            km = f" {act.distance_m / 1000:.1f} km" if act.distance_m else ""
            session = f"{r['session']['start'][:16].replace('T', ' ')} {act.sport}{km}"
        table.add_row(
            str(r["id"]),
            r["when"][:16].replace("T", " "),
            r["muscle"],
            r["side"] or "–",
            "–" if r["severity"] is None else str(r["severity"]),
            r["timing"] or "–",
            session,
            r["notes"] or "",
        )
    buf = io.StringIO()
    Console(file=buf, width=120, force_terminal=False, color_system=None).print(table)
    return buf.getvalue()
