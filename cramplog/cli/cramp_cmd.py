"""``cramplog cramp``: log, list, remove, import and export cramp events."""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cramplog.cli.common import (
    AthleteOpt,
    DbOpt,
    FormatOpt,
    OutputFormat,
    OutputOpt,
    err_console,
    open_store,
    resolve_athlete,
    write_output,
)
from cramplog.cli.exit_status import ExitStatus
from cramplog.errors import InputError, UsageError

if TYPE_CHECKING:
    from cramplog.model import Activity, CrampEvent
    from cramplog.store import Store

cramp_app = typer.Typer(
    name="cramp",
    help=(
        "Log the cramps you felt, and keep them next to your sessions.\n\n"
        "Example: cramplog cramp add --muscle calf --side left --severity 3 --timing during"
    ),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``cramp`` command group to the app."""
    app.add_typer(cramp_app, name="cramp")


# -- helpers -------------------------------------------------------------------------------


def say(message: str) -> None:
    """One message line on stderr, printed as written (no markup, no emoji codes)."""
    err_console().print(message, markup=False, emoji=False)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def athlete_for_write(store: Store, athlete: str | None) -> str:
    """The athlete an entry goes to: the named one, or the only one; in an empty store
    ``--athlete NAME`` names the first athlete (created when the entry is stored)."""
    if athlete is not None and not store.athletes():
        name = athlete.strip()
        if not name:
            raise UsageError("--athlete: the name is empty")
        return name
    if athlete is None and not store.athletes():
        raise UsageError("the store has no athletes yet; name one with --athlete NAME")
    return resolve_athlete(store, athlete)


def athlete_tz(store: Store, name: str) -> tzinfo:
    """The athlete's profile zone, else the system's local zone."""
    from cramplog.journal.whenparse import local_zone

    profile = store.get_profile(name)
    if profile is not None and profile.timezone:
        return profile.tzinfo()
    return local_zone()


def _when_shown(ev: CrampEvent) -> str:
    from cramplog.journal.whenparse import format_local

    return ev.when.date().isoformat() if ev.date_only else format_local(ev.when)


def _describe(ev: CrampEvent) -> str:
    details = [
        d for d in (ev.side, None if ev.severity is None else f"severity {ev.severity}") if d
    ]
    extra = f" ({', '.join(details)})" if details else ""
    at = "on" if ev.date_only else "at"
    return f"{ev.muscle} cramp{extra} {at} {_when_shown(ev)}"


_NOUNS = {
    "running": "run",
    "trail_running": "trail run",
    "treadmill": "treadmill run",
    "track_running": "track run",
    "cycling": "ride",
    "swimming": "swim",
    "walking": "walk",
    "hiking": "hike",
    "rowing": "row",
    "strength": "strength session",
}


def _session_text(act: Activity, ev: CrampEvent, tz: tzinfo) -> str:
    local = act.local_start(tz)
    shown = local.strftime("%H:%M")
    if ev.date_only or local.date() != ev.when.date():
        shown = local.strftime("%Y-%m-%d %H:%M")
    km = f" of {act.distance_m / 1000:.1f} km" if act.distance_m else ""
    return f"the {shown} {_NOUNS.get(act.sport, 'session')}{km}"


def _link_text(ev: CrampEvent, act: Activity | None, tz: tzinfo) -> str:
    from cramplog.journal.cramps import AFTER_WINDOW, relation

    if ev.timing in ("night", "rest"):
        return f"a {ev.timing} cramp, not linked to a session"
    if act is None:
        if ev.date_only:
            return "no session that day"
        hours = int(AFTER_WINDOW.total_seconds() // 3600)
        return f"no session at that time or in the {hours} h before"
    return f"{relation(ev, act)} {_session_text(act, ev, tz)}"


def _find_same(ev: CrampEvent, existing: list[CrampEvent]) -> CrampEvent | None:
    from cramplog.journal.cramps import same_event

    return next((old for old in existing if same_event(ev, old)), None)


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


# -- commands ------------------------------------------------------------------------------


@cramp_app.command(
    "add",
    help=(
        "Log one cramp. --when defaults to now, in the athlete's time zone.\n\n"
        "--when takes 2026-05-03 18:40, 2026-05-03 (a day), 'yesterday 19:30', 'today 7:15', "
        "'19:30', '2h ago', '90 min ago', '3 days ago', 'monday 18:00' (the latest Monday); "
        "--when during (or after) means now, about the session just finished.\n\n"
        "Muscles: calf, hamstring, quadriceps, adductor, hip_flexor, tibialis_anterior, foot, "
        "glute, other (also quads, hammy, inner thigh, shin, arch, toes, glutes …).\n\n"
        "Example: cramplog cramp add --muscle calf --side left --severity 3 --timing during "
        "--when '2h ago'"
    ),
)
def add_command(
    muscle: Annotated[str, typer.Option("--muscle", "-m", help="Muscle that cramped.")],
    when: Annotated[
        str | None,
        typer.Option("--when", "-w", help="When it happened (default: now).", show_default=False),
    ] = None,
    side: Annotated[
        str | None, typer.Option("--side", "-s", help="left, right or both.", show_default=False)
    ] = None,
    severity: Annotated[
        str | None,
        typer.Option("--severity", help="1 (a twinge) to 5 (stopped me).", show_default=False),
    ] = None,
    timing: Annotated[
        str | None,
        typer.Option("--timing", "-t", help="during, after, night or rest.", show_default=False),
    ] = None,
    notes: Annotated[
        str | None, typer.Option("--notes", help="Free text.", show_default=False)
    ] = None,
    athlete: AthleteOpt = None,
    db: DbOpt = None,
) -> int:
    from cramplog.journal.cramps import TIMING_SYNONYMS, link_event, validate_event
    from cramplog.journal.whenparse import parse_when

    now = _now()
    word = TIMING_SYNONYMS.get((when or "").strip().lower())
    if word is not None and (timing is None or TIMING_SYNONYMS.get(timing.strip().lower()) == word):
        # --when during / after: logged now, about the latest session
        when, timing = None, word
    with open_store(db) as store:
        name = athlete_for_write(store, athlete)
        tz = athlete_tz(store, name)
        at, date_only = parse_when(when if when is not None else "now", now=now, tz=tz)
        ev = validate_event(
            when=at,
            date_only=date_only,
            muscle=muscle,
            side=side,
            severity=severity,
            timing=timing,
            notes=notes,
            now=now,
            athlete=name,
        )
        same = _find_same(ev, store.cramps(name))
        if same is not None:
            err_console().print(f"Already logged: {_describe(same)} (id {same.id}); nothing added.")
            return ExitStatus.OK
        added, _known = store.add_cramps(name, [ev])
        if not added:
            say(f"Already logged: {_describe(ev)}; nothing added.")
            return ExitStatus.OK
        act = link_event(ev, store.activities(name), tz)
    say(f"Logged {_describe(ev)}, {_link_text(ev, act, tz)} (id {ev.id}).")
    return ExitStatus.OK


def _listed(store: Store, name: str) -> tuple[list[CrampEvent], dict[int, Activity], tzinfo]:
    from cramplog.journal.cramps import link_cramps

    tz = athlete_tz(store, name)
    events = store.cramps(name)
    acts = store.activities(name)
    link_cramps(events, acts, tz)
    return events, {a.id: a for a in acts if a.id is not None}, tz


@cramp_app.command(
    "list",
    help=(
        "List an athlete's cramps with the session each one is linked to.\n\n"
        "Example: cramplog cramp list --format json -o cramps.json"
    ),
)
def list_command(
    athlete: AthleteOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    db: DbOpt = None,
) -> int:
    with open_store(db, readonly=True) as store:
        name = resolve_athlete(store, athlete)
        events, acts, tz = _listed(store, name)
    from cramplog.render.cramps import cramp_rows, cramps_csv, cramps_json, cramps_table

    rows = cramp_rows(events, acts, tz)
    if fmt is OutputFormat.json:
        write_output(cramps_json(rows), output)
    elif fmt is OutputFormat.csv:
        write_output(cramps_csv(rows), output)
    else:
        write_output(cramps_table(rows, events, acts, name), output)
    return ExitStatus.OK


@cramp_app.command(
    "remove",
    help="Remove one logged cramp by its id (see cramp list).\n\nExample: cramplog cramp remove 4",
)
def remove_command(
    cramp_id: Annotated[int, typer.Argument(metavar="ID", help="The cramp's id.")],
    athlete: AthleteOpt = None,
    db: DbOpt = None,
) -> int:
    with open_store(db, create=False) as store:
        ev = store.cramp(cramp_id)
        if ev is None:
            raise InputError(f"no cramp with id {cramp_id}; see 'cramplog cramp list'")
        if athlete is not None and ev.athlete != athlete:
            raise InputError(f"cramp {cramp_id} belongs to {ev.athlete!r}, not {athlete!r}")
        store.remove_cramp(cramp_id)
    say(f"Removed {_describe(ev)} (id {cramp_id}).")
    return ExitStatus.OK


@cramp_app.command(
    "import",
    help=(
        "Import cramps from a cramps.csv: columns when, muscle (required), side, severity, "
        "timing, notes. Nothing is stored when a row is bad, unless --skip-bad-rows; row "
        "numbers count the header as row 1. Cramps already logged are not doubled.\n\n"
        "Example: cramplog cramp import ~/exports/me/cramps.csv"
    ),
)
def import_command(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help="The cramps.csv to read.")],
    athlete: AthleteOpt = None,
    skip_bad_rows: Annotated[
        bool,
        typer.Option("--skip-bad-rows", help="Skip rows that cannot be read (and say which)."),
    ] = False,
    db: DbOpt = None,
) -> int:
    from cramplog.journal.cramps import parse_cramps_csv

    data = _read_file(file)
    now = _now()
    with open_store(db) as store:
        name = athlete_for_write(store, athlete)
        tz = athlete_tz(store, name)
        events, warnings = parse_cramps_csv(
            data, file.name, tz, now=now, skip_bad_rows=skip_bad_rows
        )
        for ev in events:
            ev.athlete = name
        existing = store.cramps(name)
        new = [ev for ev in events if _find_same(ev, existing) is None]
        added, known = store.add_cramps(name, new) if new else (0, 0)
    known += len(events) - len(new)
    for w in warnings:
        say(f"warning: {w}")
    skipped = sum(1 for w in warnings if w.endswith("(skipped)"))
    say(f"{file.name}: {added} added, {known} already known, {skipped} skipped ({name})")
    return ExitStatus.OK


@cramp_app.command(
    "export",
    help=(
        "Write an athlete's cramps as cramps.csv (importing it again adds nothing).\n\n"
        "Example: cramplog cramp export -o ~/exports/me/cramps.csv"
    ),
)
def export_command(
    athlete: AthleteOpt = None,
    output: OutputOpt = None,
    db: DbOpt = None,
) -> int:
    from cramplog.journal.cramps import write_cramps_csv

    with open_store(db, readonly=True) as store:
        name = resolve_athlete(store, athlete)
        events = store.cramps(name)
    write_output(write_cramps_csv(events), output)
    if output is not None:
        say(f"Wrote {len(events)} cramp(s) of {name} to {output}")
    return ExitStatus.OK
