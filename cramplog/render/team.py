"""The team summary table (rich and Markdown): one row per athlete, worst first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cramplog.analysis.team import TeamRow

if TYPE_CHECKING:
    from rich.console import RenderableType

COLUMNS = ("athlete", "sessions", "CTL 4 wk → now", "worst finding", "W/C/I", "cramps", "goal")
NARROW = 90
NARROW_DROPS = ("CTL 4 wk → now", "goal")
RICH_COLUMNS = ("athlete", "sess.", "CTL 4 wk → now", "worst finding", "W/C/I", "cramps", "goal")


def counts_text(row: TeamRow) -> str:
    c = row.counts
    return f"{c.get('warning', 0)}/{c.get('caution', 0)}/{c.get('info', 0)}"


def worst_text(row: TeamRow) -> str:
    if row.error is not None:
        return ""
    if not row.worst:
        return "none"
    return f"{row.worst} ({row.worst_severity})"


def team_renderable(rows: Sequence[TeamRow], window: str = "", width: int = 100) -> RenderableType:
    """The summary table; under ``NARROW`` columns the trend and goal columns are left out."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from cramplog.render.table import SEVERITY_STYLE

    title = f"Team summary: {len(rows)} athlete(s)"
    if window:
        title += f", {window}"
    table = Table(title=title, title_justify="left", expand=True)
    # fixed-width figures never wrap; names, the worst rule and the goal fold into the rest
    worst_w = max([len(r.worst or "none") for r in rows] + [len("worst finding")])
    columns = [c for c in RICH_COLUMNS if width >= NARROW or c not in NARROW_DROPS]
    for col in columns:
        if col == "worst finding":
            table.add_column(col, overflow="fold", min_width=min(worst_w, 24))
        elif col in ("athlete", "goal"):
            # the goal takes the width that is left; long names fold rather than being cut
            table.add_column(col, overflow="fold", ratio=1 if col == "goal" else None)
        else:
            right = col in ("sess.", "cramps")
            table.add_column(col, justify="right" if right else "left", no_wrap=True)
    for r in rows:
        if r.error is not None:
            cells: dict[str, Any] = {
                "athlete": r.athlete,
                "sess.": "–",
                "worst finding": Text("not analysed", style="bold red"),
            }
        else:
            style = SEVERITY_STYLE.get(r.worst_severity or "", "")
            cells = {
                "athlete": athlete_text(r),
                "sess.": str(r.sessions if r.sessions is not None else "–"),
                "CTL 4 wk → now": r.trend,
                "worst finding": Text(r.worst or "none", style=style),
                "W/C/I": counts_text(r),
                "cramps": str(r.cramps if r.cramps is not None else "–"),
                "goal": Text(r.goal),
            }
        table.add_row(*(cells.get(c, "") for c in columns))
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
