"""Small HTML pieces the report's sections share: values and evidence as text, severity
badges, chart legends and figures, a session's one-line label, findings in table order.
Every text goes through ``esc``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from cramplog.render.svg_axes import esc

SEVERITY_ORDER = {"info": 0, "caution": 1, "warning": 2}


def fmt_value(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        if not math.isfinite(v):
            return "–"
        if abs(v) >= 100:
            return f"{v:,.0f}"
        return f"{v:.2f}".rstrip("0").rstrip(".")
    if isinstance(v, list | tuple):
        return ", ".join(fmt_value(x) for x in v)
    if isinstance(v, dict):
        return "; ".join(f"{k}: {fmt_value(x)}" for k, x in v.items())
    if isinstance(v, date | datetime):
        return v.isoformat()
    return str(v)


def evidence_dl(evidence: Any) -> str:
    if not evidence:
        return ""
    if not isinstance(evidence, dict):
        return esc(fmt_value(evidence))
    items = "".join(
        f"<dt>{esc(str(k).replace('_', ' '))}</dt><dd>{esc(fmt_value(v))}</dd>"
        for k, v in evidence.items()
    )
    return f'<dl class="evidence">{items}</dl>'


def evidence_text(evidence: Any) -> str:
    if isinstance(evidence, dict):
        return "\n".join(f"{k}: {fmt_value(v)}" for k, v in evidence.items())
    return fmt_value(evidence) if evidence else ""


def badge(severity: str | None, text: str | None = None) -> str:
    sev = severity or "unknown"
    return f'<span class="badge sev-{esc(sev)}">{esc(text or sev)}</span>'


def legend(items: Sequence[tuple[str, str]]) -> str:
    lis = "".join(f'<li><i class="k-{esc(k)}"></i>{esc(text)}</li>' for k, text in items)
    return f'<ul class="legend">{lis}</ul>'


def figure(chart_id: str, caption: str, svg: str, legend: str = "", note: str = "") -> str:
    note_html = f'<p class="note">{esc(note)}</p>' if note else ""
    return (
        f'<figure id="fig-{esc(chart_id)}"><figcaption>{esc(caption)}</figcaption>'
        f"{svg}{legend}{note_html}</figure>"
    )


def session_label(f: Any) -> str:
    parts = [f.local_date.isoformat(), str(getattr(f, "sport", "")).replace("_", " ")]
    if getattr(f, "is_race", False):
        parts.append("race")
    if f.distance_m:
        parts.append(f"{f.distance_m / 1000:.1f} km")
    return " ".join(p for p in parts if p)


def sorted_findings(findings: Sequence[Any]) -> list[Any]:
    return sorted(findings, key=lambda f: (f.date, f.rule, -SEVERITY_ORDER.get(f.severity, 0)))
