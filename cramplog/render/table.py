"""The terminal report of ``cramplog analyze`` (rich). By default one screen
(``render.screen``): per athlete the header, what is open now, the last 12 weeks' episodes,
what came before the cramps and the associations that matter; for a team the summary and
what is open. With ``everything`` (``--all``): the team summary, then per athlete the
overview, every episode, the cramp timeline, personal associations and goal readiness. Both
end with the disclaimer and the warning signs.

Pure functions of ``AthleteOutcome`` data returning text. Width is fixed by the caller (the
CLI uses the terminal's width, or 100 columns when stdout is not a terminal); colour only
when asked for (and rich itself honours ``NO_COLOR``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from cramplog.analysis.team import trend_text
from cramplog.render.personal_text import personal_intro, rr_text
from cramplog.render.report_text import (
    WINDOW_LABELS,
    athlete_text,
    context_text,
    counts_text,
    cramp_session_text,
    cramp_text,
    goal_header,
    hr_text,
    local_time,
    period_text,
    personal_missing_text,
    sessions_text,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from cramplog.analysis.outcome import AthleteOutcome
    from cramplog.analysis.team import TeamRow

DEFAULT_WIDTH = 100
# Rows of the findings table at most: a decade has thousands of findings, which no one reads
SEVERITY_STYLE = {"warning": "bold red", "caution": "yellow", "info": "cyan"}
# The team summary: under NARROW columns the trend and goal columns are left out.
NARROW = 90
NARROW_DROPS = ("CTL 4 wk → now", "goal")
RICH_COLUMNS = ("athlete", "sess.", "CTL 4 wk → now", "worst finding", "W/C/I", "cramps", "goal")


def make_console(buf: io.StringIO, width: int, color: bool) -> Console:
    from rich.console import Console

    return Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )


# -- rich renderables ----------------------------------------------------------------------


def _severity(sev: str | None) -> Any:
    from rich.text import Text

    if not sev:
        return Text("–")
    return Text(sev, style=SEVERITY_STYLE.get(sev, ""))


def overview_renderable(outcome: AthleteOutcome) -> RenderableType:
    from rich.table import Table

    ov = outcome.overview
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row("athlete", outcome.athlete)
    grid.add_row("period", period_text(ov))
    grid.add_row("sessions", sessions_text(ov))
    grid.add_row("load trend", f"{trend_text(ov)} (now vs {ov.get('trend_days', 28)} days earlier)")
    grid.add_row("heart rate", hr_text(ov))
    counts = ov.get("episode_counts") or {}
    grid.add_row(
        "episodes",
        f"{counts.get('warning', 0)} warning, {counts.get('caution', 0)} caution, "
        f"{counts.get('info', 0)} info",
    )
    return grid


def findings_renderable(report: dict[str, Any]) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    from cramplog.render.episode_text import span_text

    episodes = report.get("episodes", [])
    if not episodes:
        return Text("No findings in this period.")
    n = len(report.get("findings", []))
    table = Table(
        title=f"Episodes ({len(episodes)}, from {n} findings; a rule's findings on days at most "
        "3 apart are one episode, shown at its peak)",
        title_justify="left",
        expand=True,
    )
    table.add_column("days", no_wrap=True)
    table.add_column("rule")
    table.add_column("severity", no_wrap=True)
    table.add_column("grade", no_wrap=True)
    table.add_column("finding at its peak", ratio=1)
    for e in episodes:
        days = e.get("days", 1)
        table.add_row(
            span_text(e) + (f"\n{days} days" if days > 1 else ""),
            f"{e['rule']} {e['name']}",
            _severity(e["severity"]),
            e["grade"],
            Text(e["message"]),
        )
    return table


def cramps_renderable(report: dict[str, Any]) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    cramps = report.get("cramps", [])
    if not cramps:
        return Text("No cramps logged in this period.")
    table = Table(title="Cramp timeline", title_justify="left", expand=True)
    table.add_column("when", no_wrap=True)
    table.add_column("cramp")
    table.add_column("session")
    for label in WINDOW_LABELS.values():
        table.add_column(label)
    for c in cramps:
        ctx = c.get("context", {})
        table.add_row(
            local_time(c.get("when")),
            Text(cramp_text(c)),
            Text(cramp_session_text(c)),
            *(context_text(ctx.get(k, [])) for k in WINDOW_LABELS),
        )
    return table


def personal_renderable(report: dict[str, Any]) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    personal = report.get("personal") or {}
    if not personal.get("shown"):
        return Text(personal_missing_text(personal))
    assoc = personal.get("associations", [])
    if not assoc:
        return Text(
            f"Personal associations ({personal.get('events', 0)} cramps): no rule was seen "
            "often enough around your cramps to test."
        )
    table = Table(
        title=f"Personal associations ({personal_intro(personal)})",
        title_justify="left",
        expand=True,
    )
    for col in ("rule", "window", "cramp sessions", "other sessions", "RR", "p (Holm)"):
        table.add_column(col, justify="left" if col in ("rule", "window") else "right")
    for a in assoc:
        table.add_row(
            a["feature"],
            WINDOW_LABELS.get(a["window"], a["window"]),
            f"{a['case_exposed']}/{a['case_exposed'] + a['case_unexposed']}",
            f"{a['control_exposed']}/{a['control_exposed'] + a['control_unexposed']}",
            rr_text(a),
            f"{a['p_holm']:.3f}",
        )
    return table


def goal_renderable(outcome: AthleteOutcome) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    report = outcome.report or {}
    head = Text("Goal readiness: " + goal_header(report, outcome.overview), style="bold")
    goal = report.get("goal")
    if not goal or not goal.get("assessments"):
        return head
    table = Table(expand=True)
    table.add_column("rule")
    table.add_column("status", no_wrap=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("grade", no_wrap=True)
    table.add_column("assessment", ratio=1)
    for a in goal["assessments"]:
        table.add_row(
            f"{a['rule']} {a['name']}",
            a["status"],
            _severity(a.get("severity")),
            a["grade"],
            Text(a["message"]),
        )
    return Group(head, *course_renderables(goal), table, *plan_renderables(goal))


def course_renderables(goal: dict[str, Any]) -> list[RenderableType]:
    """The course line and its notes, above the readiness table (none without a course)."""
    from rich.text import Text

    from cramplog.render.course_text import course_line, course_notes

    line = course_line(goal)
    out: list[RenderableType] = [Text(line)] if line else []
    return out + [Text(f"note: {n}", style="dim") for n in course_notes(goal)]


def plan_renderables(goal: dict[str, Any]) -> list[RenderableType]:
    """The plan for the weeks left, under the readiness table (none without flagged rules)."""
    from rich.text import Text

    from cramplog.render.course_text import plan_lines

    lines = plan_lines(goal)
    if not lines:
        return []
    out: list[RenderableType] = [Text("Plan for the weeks left", style="bold")]
    return out + [Text(f"• {x}") for x in lines]


def team_renderable(rows: Sequence[TeamRow], window: str = "", width: int = 100) -> RenderableType:
    """The summary table; under ``NARROW`` columns the trend and goal columns are left out."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    title = f"Team summary: {len(rows)} athlete(s)"
    if window:
        title += f", {window}"
    title += " (W/C/I: episodes)"
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


def disclaimer_renderable() -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    from cramplog.render.disclaimer import DISCLAIMER, WARNING_SIGNS

    parts: list[RenderableType] = [Text("About these results", style="bold"), Text(DISCLAIMER)]
    parts.append(Text(""))
    parts.append(Text("When to get help", style="bold"))
    parts.extend(Text(f"• {w}") for w in WARNING_SIGNS)
    return Group(*parts)


def athlete_renderables(
    outcome: AthleteOutcome, width: int = DEFAULT_WIDTH
) -> list[RenderableType]:
    from rich.rule import Rule
    from rich.text import Text

    from cramplog.render.sparkline import sparkline_lines

    out: list[RenderableType] = [Rule(Text(outcome.athlete, style="bold"), align="left")]
    if not outcome.ok:
        out.append(Text(f"error: {outcome.error}", style="bold red"))
        return out
    report = outcome.report or {}
    out.append(overview_renderable(outcome))
    weekly = outcome.overview.get("weekly")
    lines = sparkline_lines(weekly, width) if weekly else []
    if lines:
        out.append(Text(""))
        out.append(Text("\n".join(lines), no_wrap=True, overflow="crop"))
    out.append(Text(""))
    out.append(findings_renderable(report))
    out.append(Text(""))
    out.append(cramps_renderable(report))
    out.append(Text(""))
    out.append(personal_renderable(report))
    out.append(Text(""))
    out.append(goal_renderable(outcome))
    notes = outcome.overview.get("notes") or []
    if notes:
        out.append(Text(""))
        out.append(Text("Notes: " + "; ".join(notes) + ".", style="dim"))
    return out


def render_table(
    outcomes: Sequence[AthleteOutcome],
    *,
    team: Sequence[TeamRow] | None = None,
    window: str = "",
    summary_only: bool = False,
    width: int = DEFAULT_WIDTH,
    color: bool = False,
    everything: bool = False,
    today: date | None = None,
) -> str:
    """The whole terminal report: one screen by default (``render.screen``); with
    ``everything`` the team summary (when given), each athlete's details (unless
    ``summary_only``); the disclaimer once at the end. ``today`` is the real day (an ended
    log is analysed as of its last day, and the header says so)."""
    from rich.text import Text

    from cramplog.render import screen

    buf = io.StringIO()
    console = make_console(buf, width, color)
    if team is not None:
        console.print(team_renderable(team, window, width))
        console.print(Text(""))
    if everything and not summary_only:
        for outcome in outcomes:
            for part in athlete_renderables(outcome, width):
                console.print(part)
            console.print(Text(""))
    if everything or summary_only:
        console.print(disclaimer_renderable())
    else:
        if team is not None and len(outcomes) > 1:
            rank = {r.athlete: i for i, r in enumerate(team)}  # worst first, as the summary
            ordered = sorted(outcomes, key=lambda o: rank.get(o.athlete, len(rank)))
            parts = screen.team_open_renderables(ordered)
        else:
            parts = [p for o in outcomes for p in screen.athlete_screen(o, width, today)]
        for part in [*parts, Text(""), *screen.short_disclaimer()]:
            console.print(part)
    # trailing padding is noise in files and diffs
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"
