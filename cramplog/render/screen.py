"""The one-screen terminal report, ``cramplog analyze``'s default: per athlete a short header,
what is open now (episodes touching the log's last 14 days and the next goal), the episodes of
the last 12 weeks, what came before each cramp, the personal associations that matter, and
then the disclaimer; for a team, the summary and what is open for each athlete.

It fits 80 lines at 100 columns for any history length: every block has a cap, each episode
is one line (long messages end in "…"), and every cut says what it left out and how to see
it (``--all``, ``--since``, ``--athlete``). Rule ids stay in every line for grep.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from cramplog.analysis.team import trend_text
from cramplog.render.episode_text import (
    OPEN_DAYS,
    RECENT_WEEKS,
    as_of,
    association_text,
    associations_that_matter,
    before_cramp,
    cramp_day,
    episode_names,
    goal_gaps_text,
    left_out_text,
    most_serious,
    open_episodes,
    recent_episodes,
    rule_label,
    rule_names,
    span_text,
)
from cramplog.render.report_text import (
    WINDOW_LABELS,
    cramp_session_text,
    cramp_text,
    goal_header,
    hr_text,
    local_time,
    period_text,
    sessions_text,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

    from cramplog.analysis.outcome import AthleteOutcome

# Caps per block (lines of episodes, cramps, associations).
OPEN_MAX = 5
RECENT_MAX = 10
CRAMPS_MAX = 3
ASSOC_MAX = 3
# The team view: athletes and episodes per athlete in "open now".
TEAM_OPEN_ATHLETES = 8
TEAM_OPEN_EACH = 2
PLAN_MAX = 4  # plan steps on the one screen
SEVERITY_STYLE = {"warning": "bold red", "caution": "yellow", "info": "cyan"}


def _text(s: str, style: str = "") -> Any:
    from rich.text import Text

    return Text(s, style=style)


def _line(s: str, style: str = "") -> Any:
    """One line that never wraps (cut with "…" at the width; a grid cell, since a bare
    ``Text`` printed by the console wraps whatever its ``no_wrap``)."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(expand=True)
    grid.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
    grid.add_row(Text(s, style=style))
    return grid


def _indented(text: str, indent: int, style: str = "") -> Any:
    """``text`` wrapped under an indent of ``indent`` columns."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(expand=True)
    grid.add_column(width=indent, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row("", Text(text, style=style))
    return grid


def episode_grid(episodes: Sequence[dict[str, Any]], indent: int = 2) -> RenderableType:
    """One line per episode: days, rule, severity, flagged days, the evidence grade, the
    peak's message (cut at the width; --all shows it whole)."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
    for e in episodes:
        n = e.get("days", 1)
        grid.add_row(
            " " * indent + span_text(e),
            rule_label(e),
            Text(e["severity"], style=SEVERITY_STYLE.get(e["severity"], "")),
            f"{n} d",
            e["grade"],
            Text(e["message"], no_wrap=True, overflow="ellipsis"),
        )
    return grid


def header_renderables(outcome: AthleteOutcome, today: date | None) -> list[RenderableType]:
    """Period (and the day the analysis is as of), sessions and load, episode counts."""
    ov = outcome.overview
    report = outcome.report or {}
    day = ov.get("today")
    period = period_text(ov)
    if day and today is not None and day < today.isoformat():
        period += f"; as of {day}, the log's last day (it has ended)"
    elif day:
        period += f"; as of {day}"
    ep = ov.get("episode_counts") or {}
    n_find = len(report.get("findings", []))
    n_days = len({f["date"] for f in report.get("findings", [])})
    out = [
        _line(f"period    {period}"),
        _line(f"sessions  {sessions_text(ov)} · {trend_text(ov)}"),
        _line(f"heart     {hr_text(ov)}"),
        _line(
            f"episodes  {ep.get('warning', 0)} warning, {ep.get('caution', 0)} caution, "
            f"{ep.get('info', 0)} info ({n_find} findings on {n_days} days)"
        ),
    ]
    return out


def open_renderables(outcome: AthleteOutcome, today: date | None = None) -> list[RenderableType]:
    """Episodes touching the log's last 14 days (at most ``OPEN_MAX``) and the next goal."""
    report = outcome.report or {}
    day = as_of(report, outcome.overview)
    opened = open_episodes(report.get("episodes", []), day)
    title = f"Open now (the last {OPEN_DAYS} days, to {day})"
    if day is not None and today is not None and day < today:
        title = f"Open at the end of the log (its last {OPEN_DAYS} days, to {day})"
    out: list[RenderableType] = [_text(title, "bold")]
    cap = OPEN_MAX
    shown = most_serious(opened, cap)
    if shown:
        out.append(episode_grid(shown))
    else:
        out.append(_line("  no episode in these days"))
    left = [e for e in opened if e not in shown]
    if left:
        out.append(_indented(left_out_text(left, "open episodes", "--all"), 2, "dim"))
    out.append(_indented("goal: " + goal_header(report, outcome.overview), 2))
    gaps = goal_gaps_text(report)
    if gaps:
        out.append(_indented(gaps + " (--all: the assessments)", 8))
    out += goal_plan_renderables(report.get("goal"))
    return out


def goal_plan_renderables(goal: dict[str, Any] | None) -> list[RenderableType]:
    """The goal's course in one line and one line per step of its plan (cut at the width;
    ``--all`` and the other formats give each step whole, with its sources)."""
    from cramplog.render.course_text import course_line, short_plan_lines

    out: list[RenderableType] = []
    line = course_line(goal)
    if line:
        out.append(_line("        " + line.replace("Course ", "course ", 1)))
    steps = short_plan_lines(goal)
    if steps:
        out.append(_line("  plan for the weeks left (--all: each step whole, with its sources)"))
        out += [_line(f"        {s}") for s in steps[:PLAN_MAX]]
        if len(steps) > PLAN_MAX:
            out.append(_line(f"        … {len(steps) - PLAN_MAX} more steps: --all", "dim"))
    return out


def recent_renderables(outcome: AthleteOutcome) -> list[RenderableType]:
    report = outcome.report or {}
    episodes = report.get("episodes", [])
    day = as_of(report, outcome.overview)
    recent = recent_episodes(episodes, day)
    n = f"{len(recent)} episode{'s' if len(recent) != 1 else ''}" if recent else "none"
    out: list[RenderableType] = [_text(f"Earlier in the last {RECENT_WEEKS} weeks: {n}", "bold")]
    shown = most_serious(recent, RECENT_MAX)
    if shown:
        out.append(episode_grid(shown))
    left = [e for e in recent if e not in shown]
    if left:
        out.append(_indented(left_out_text(left, "episodes", "--all"), 2, "dim"))
    older = [e for e in episodes if e not in recent and e not in open_episodes(episodes, day)]
    if older:
        how = "--all or --since"
        out.append(_indented(left_out_text(older, "episodes outside these weeks", how), 2, "dim"))
    return out


def cramps_renderables(outcome: AthleteOutcome) -> list[RenderableType]:
    report = outcome.report or {}
    cramps = [c for c in report.get("cramps", []) if cramp_day(c) is not None]
    episodes = report.get("episodes", [])
    if not cramps:
        return [_text("Before your cramps: no cramp logged in this period.", "bold")]
    out: list[RenderableType] = [
        _text(
            f"Before your cramps (episodes in the session and the 42 days before; "
            f"{len(cramps)} cramp{'s' if len(cramps) != 1 else ''})",
            "bold",
        )
    ]
    shown = cramps[-CRAMPS_MAX:]
    for c in shown:
        inside, before = before_cramp(episodes, c)
        out.append(
            _line(f"  {local_time(c.get('when'))} {cramp_text(c)} · {cramp_session_text(c)}")
        )
        if c.get("session"):
            out.append(_indented(f"in session: {episode_names(inside)}", 4))
        out.append(_indented(f"42 days before: {episode_names(before)}", 4))
    if len(cramps) > len(shown):
        n = len(cramps) - len(shown)
        out.append(_line(f"  … {n} earlier cramps not shown: --all (timeline) or --since", "dim"))
    return out


def personal_renderables(outcome: AthleteOutcome) -> list[RenderableType]:
    from cramplog.render.report_text import personal_missing_text

    report = outcome.report or {}
    personal = report.get("personal") or {}
    if not personal.get("shown"):
        return [_text(personal_missing_text(personal))]
    every = personal.get("associations", [])
    rows = associations_that_matter(personal)
    from cramplog.render.personal_text import holm_verdict

    head = (
        f"Personal associations ({personal.get('events', 0)} cramps; hypotheses, not causes; "
        f"{holm_verdict(personal)})"
    )
    out: list[RenderableType] = [_text(head, "bold")]
    names = rule_names(report)
    for a in rows[:ASSOC_MAX]:
        out.append(_indented(association_text(a, names, WINDOW_LABELS), 2))
    if not rows:
        out.append(_line("  none with ≥ 2 cramps exposed or surviving the Holm correction"))
    left = len(every) - min(len(rows), ASSOC_MAX)
    if left > 0:
        out.append(_line(f"  … {left} more associations not shown: --all", "dim"))
    return out


def athlete_screen(outcome: AthleteOutcome, width: int, today: date | None) -> list[RenderableType]:
    from rich.rule import Rule

    from cramplog.render.sparkline import sparkline_lines

    out: list[RenderableType] = [Rule(_text(outcome.athlete, "bold"), align="left")]
    if not outcome.ok:
        return [*out, _text(f"error: {outcome.error}", "bold red")]
    out += header_renderables(outcome, today)
    weekly = outcome.overview.get("weekly")
    lines = sparkline_lines(weekly, width) if weekly else []
    if lines:
        from rich.text import Text

        out.append(Text("\n".join(lines), no_wrap=True, overflow="crop"))
    out += [_text(""), *open_renderables(outcome, today)]
    for block in (recent_renderables, cramps_renderables, personal_renderables):
        out.append(_text(""))
        out += block(outcome)
    return out


def team_open_renderables(outcomes: Sequence[AthleteOutcome]) -> list[RenderableType]:
    """For each analysed athlete with something open: their open episodes, most serious
    first, and the goal line; capped, saying what was left out."""
    out: list[RenderableType] = [
        _text(f"Open now (episodes in each log's last {OPEN_DAYS} days)", "bold")
    ]
    busy = []
    for o in outcomes:
        if not o.ok:
            continue
        report = o.report or {}
        opened = open_episodes(report.get("episodes", []), as_of(report, o.overview))
        if opened:
            busy.append((o, opened))
    if not busy:
        out.append(_line("  nothing open for any athlete"))
    for o, opened in busy[:TEAM_OPEN_ATHLETES]:
        shown = most_serious(opened, TEAM_OPEN_EACH)
        out.append(_line(f"  {o.athlete}"))
        out.append(episode_grid(shown, indent=4))
        if len(opened) > len(shown):
            out.append(_line(f"    … {len(opened) - len(shown)} more open", "dim"))
    if len(busy) > TEAM_OPEN_ATHLETES:
        out.append(_line(f"  … {len(busy) - TEAM_OPEN_ATHLETES} more athletes", "dim"))
    out.append(
        _line(
            "  Each athlete's weeks, cramps and associations: --athlete NAME (one screen) "
            "or --all.",
            "dim",
        )
    )
    return out


def short_disclaimer() -> list[RenderableType]:
    """The disclaimer and every warning sign, compact (no blank line, no heading apart)."""
    from cramplog.render.disclaimer import DISCLAIMER, WARNING_SIGNS

    parts: list[RenderableType] = [_text("About these results: ", "bold") + _text(DISCLAIMER)]
    parts.append(_text("When to get help:", "bold"))
    parts.extend(_text(f"• {w}") for w in WARNING_SIGNS)
    return parts
