"""The team summary table (rich and Markdown): one row per athlete, worst first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cramplog.team import TeamRow

if TYPE_CHECKING:
    from rich.console import RenderableType

COLUMNS = ("athlete", "sessions", "CTL 4 wk → now", "worst finding", "W/C/I", "cramps", "goal")


def counts_text(row: TeamRow) -> str:
    c = row.counts
    return f"{c.get('warning', 0)}/{c.get('caution', 0)}/{c.get('info', 0)}"


def worst_text(row: TeamRow) -> str:
    if row.error is not None:
        return ""
    if not row.worst:
        return "none"
    return f"{row.worst} ({row.worst_severity})"


def team_renderable(rows: Sequence[TeamRow], window: str = "") -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from cramplog.render.table import SEVERITY_STYLE

    title = f"Team summary: {len(rows)} athlete(s)"
    if window:
        title += f", {window}"
    table = Table(title=title, title_justify="left", expand=True)
    for col in COLUMNS:
        if col in ("worst finding", "goal"):
            table.add_column(col, ratio=1)
        else:
            right = col in ("sessions", "cramps")
            table.add_column(col, justify="right" if right else "left", no_wrap=col != "athlete")
    for r in rows:
        if r.error is not None:
            table.add_row(r.athlete, "–", "", Text("not analysed", style="bold red"), "", "", "")
            continue
        table.add_row(
            athlete_text(r),
            str(r.sessions if r.sessions is not None else "–"),
            r.trend,
            Text(worst_text(r), style=SEVERITY_STYLE.get(r.worst_severity or "", "")),
            counts_text(r),
            str(r.cramps if r.cramps is not None else "–"),
            Text(r.goal),
        )
    errors = [r for r in rows if r.error is not None]
    if not errors:
        return table
    lines = [Text(f"not analysed: {r.athlete}: {r.error}", style="red") for r in errors]
    return Group(table, *lines)


def athlete_text(row: TeamRow) -> str:
    if row.files_failed:
        return f"{row.athlete} ({row.files_failed} file(s) failed)"
    return row.athlete


def team_markdown(rows: Sequence[TeamRow], window: str = "") -> str:
    from cramplog.render.markdown import md_cell

    title = f"## Team summary ({len(rows)} athletes{', ' + window if window else ''})"
    lines = [title, "", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        if r.error is not None:
            cells = [r.athlete, f"**error: {md_cell(r.error)}**", "", "", "", "", ""]
            lines.append(
                "| "
                + " | ".join(md_cell(cells[0]) if i == 0 else c for i, c in enumerate(cells))
                + " |"
            )
            continue
        cells = [
            athlete_text(r),
            str(r.sessions if r.sessions is not None else "–"),
            r.trend,
            worst_text(r),
            counts_text(r),
            str(r.cramps if r.cramps is not None else "–"),
            r.goal,
        ]
        lines.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
    lines.append("")
    lines.append("W/C/I: warning / caution / info findings in the window.")
    return "\n".join(lines) + "\n"
