"""``--format csv``: one row per finding, every athlete in one sheet; with
``rows="episodes"`` (``--csv-rows episodes``) one row per episode instead
(``EPISODE_COLUMNS``: its first and last day, flagged days, peak severity and day, the peak's
message and evidence, and the start of every session involved, ``;``-separated).

Every text cell goes through ``safe_cell`` so a title or name from a watch export cannot
run as a spreadsheet formula; evidence is compact JSON in one cell.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cramplog.analysis.outcome import AthleteOutcome

COLUMNS = (
    "athlete",
    "rule",
    "name",
    "date",
    "severity",
    "grade",
    "message",
    "session_start",
    "sport",
    "evidence",
)


EPISODE_COLUMNS = (
    "athlete",
    "rule",
    "name",
    "start",
    "end",
    "days",
    "severity",
    "grade",
    "peak_day",
    "message",
    "session_starts",
    "evidence",
)


def render_csv(outcomes: Sequence[AthleteOutcome], rows: str = "findings") -> str:
    from cramplog.csvsafe import safe_cell

    if rows == "episodes":
        return _episode_csv(outcomes)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for o in outcomes:
        for f in (o.report or {}).get("findings", []):
            session = f.get("session") or {}
            values = (
                o.athlete,
                f["rule"],
                f["name"],
                f["date"],
                f["severity"],
                f["grade"],
                f["message"],
                session.get("start"),
                session.get("sport"),
                json.dumps(f.get("evidence") or {}, separators=(",", ":"), sort_keys=True),
            )
            w.writerow(["" if v is None else safe_cell(v) for v in values])
    return buf.getvalue()


def _episode_csv(outcomes: Sequence[AthleteOutcome]) -> str:
    from cramplog.csvsafe import safe_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(EPISODE_COLUMNS)
    for o in outcomes:
        for e in (o.report or {}).get("episodes", []):
            values = (
                o.athlete,
                e["rule"],
                e["name"],
                e["start"],
                e["end"],
                e["days"],
                e["severity"],
                e["grade"],
                e.get("peak_day"),
                e["message"],
                "; ".join(str(s.get("start")) for s in e.get("sessions") or []),
                json.dumps(e.get("evidence") or {}, separators=(",", ":"), sort_keys=True),
            )
            w.writerow(["" if v is None else safe_cell(v) for v in values])
    return buf.getvalue()
