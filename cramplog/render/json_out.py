"""``--format json``: ``{"schema_version": 1, "generated_by": …, "athletes": […]}``.

Each ``athletes`` entry is ``AthleteAnalysis.to_dict`` (findings, one per rule and day: rule,
name, date, severity, session, evidence, grade, message, sources; and episodes, the findings
of one rule on days at most three apart told once: rule, name, start, end, days, severity,
grade, message, evidence, peak_day, findings, sessions — see ``analysis.episodes``).

``schema_version`` changes only when a key changes meaning or goes away; additions keep it
(``episodes`` was one: the per-day ``findings`` are exactly as before). Athletes who could not be analysed are listed
under ``errors`` as ``{"athlete", "error"}`` so the ``athletes`` entries keep one shape.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from cramplog import __version__

if TYPE_CHECKING:
    from cramplog.analysis.outcome import AthleteOutcome

SCHEMA_VERSION = 1


def report_document(
    outcomes: Sequence[AthleteOutcome], *, since: date | None = None
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_by": f"cramplog {__version__}",
        "since": since.isoformat() if since else None,
        "athletes": [o.report for o in outcomes if o.report is not None],
        "errors": [{"athlete": o.athlete, "error": o.error} for o in outcomes if not o.ok],
    }


def render_json(outcomes: Sequence[AthleteOutcome], *, since: date | None = None) -> str:
    doc = report_document(outcomes, since=since)
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n"
