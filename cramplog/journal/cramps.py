"""Cramp events: reading ``cramps.csv``, checking values, muscle synonyms, and linking each
event to the session it belongs to.

``cramps.csv`` (UTF-8, BOM allowed, header row; ``,`` or ``;`` or tab separated):

=========  ==========================================================  ========
column     values                                                      required
=========  ==========================================================  ========
when       ISO 8601 local date or date-time (``2026-05-03``,            yes
           ``2026-05-03 18:40``, ``2026-05-03T18:40+02:00``)
muscle     calf, hamstring, quadriceps, adductor, hip_flexor,           yes
           tibialis_anterior, foot, glute, other (synonyms accepted)
side       left, right, both                                            no
severity   1–5                                                          no
timing     during, after, night, rest                                   no
notes      free text                                                    no
=========  ==========================================================  ========

Row numbers in messages are spreadsheet rows: the header is row 1.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

from cramplog.errors import InputError
from cramplog.model import MUSCLES, SIDES, TIMINGS, Activity, CrampEvent

CSV_COLUMNS = ("when", "muscle", "side", "severity", "timing", "notes")
REQUIRED_COLUMNS = ("when", "muscle")

# A cramp up to this long after a session ended is linked to it ("after").
AFTER_WINDOW = timedelta(hours=6)
# Clock slack around a session's span for "during".
DURING_SLACK = timedelta(minutes=5)
# Longest notes text kept (a pasted novel is more likely a wrong column than a note).
MAX_NOTES = 2000

MUSCLE_SYNONYMS: dict[str, str] = {
    # calf
    "calf": "calf",
    "calves": "calf",
    "calfs": "calf",
    "calf muscle": "calf",
    "gastrocnemius": "calf",
    "gastroc": "calf",
    "soleus": "calf",
    # hamstring
    "hamstring": "hamstring",
    "hamstrings": "hamstring",
    "hammy": "hamstring",
    "hammies": "hamstring",
    "hams": "hamstring",
    "back of thigh": "hamstring",
    "back thigh": "hamstring",
    "biceps femoris": "hamstring",
    # quadriceps
    "quadriceps": "quadriceps",
    "quadricep": "quadriceps",
    "quads": "quadriceps",
    "quad": "quadriceps",
    "front of thigh": "quadriceps",
    "front thigh": "quadriceps",
    "vastus medialis": "quadriceps",
    # adductor
    "adductor": "adductor",
    "adductors": "adductor",
    "inner thigh": "adductor",
    "inner thighs": "adductor",
    "groin": "adductor",
    # hip flexor
    "hip flexor": "hip_flexor",
    "hip flexors": "hip_flexor",
    "psoas": "hip_flexor",
    "iliopsoas": "hip_flexor",
    # tibialis anterior
    "tibialis anterior": "tibialis_anterior",
    "tibialis": "tibialis_anterior",
    "anterior tibialis": "tibialis_anterior",
    "shin": "tibialis_anterior",
    "shins": "tibialis_anterior",
    # foot
    "foot": "foot",
    "feet": "foot",
    "arch": "foot",
    "arches": "foot",
    "toe": "foot",
    "toes": "foot",
    "sole": "foot",
    # glute
    "glute": "glute",
    "glutes": "glute",
    "gluteus": "glute",
    "gluteus maximus": "glute",
    "buttock": "glute",
    "buttocks": "glute",
    "butt": "glute",
    # other
    "other": "other",
}
assert set(MUSCLE_SYNONYMS.values()) == set(MUSCLES)

SIDE_SYNONYMS = {"left": "left", "l": "left", "right": "right", "r": "right", "both": "both",
                 "b": "both", "bilateral": "both"}  # fmt: skip
TIMING_SYNONYMS = {"during": "during", "after": "after", "post": "after", "night": "night",
                   "nocturnal": "night", "rest": "rest", "at rest": "rest"}  # fmt: skip


def _key(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


def normalize_muscle(text: str) -> str:
    """One of MUSCLES for ``text`` (a name or a common synonym, any case, ``_``/``-``/space
    alike). InputError lists the accepted names and suggests the closest one."""
    key = _key(text)
    found = MUSCLE_SYNONYMS.get(key)
    if found is None and key.endswith(" muscle"):
        found = MUSCLE_SYNONYMS.get(key.removesuffix(" muscle"))
    if found is not None:
        return found
    close = difflib.get_close_matches(key, list(MUSCLE_SYNONYMS), n=1, cutoff=0.6)
    hint = f"did you mean {MUSCLE_SYNONYMS[close[0]]!r}? " if close else ""
    raise InputError(
        f"unknown muscle {text.strip()!r}; {hint}accepted: {', '.join(MUSCLES)} "
        "(also e.g. quads, hammy, inner thigh, hip flexors, shin, arch, toes, glutes)"
    )


def normalize_side(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    found = SIDE_SYNONYMS.get(_key(text))
    if found is None:
        raise InputError(f"side must be one of {', '.join(SIDES)} (got {text.strip()!r})")
    return found


def normalize_timing(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    found = TIMING_SYNONYMS.get(_key(text))
    if found is None:
        raise InputError(f"timing must be one of {', '.join(TIMINGS)} (got {text.strip()!r})")
    return found


def normalize_severity(value: int | float | str | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    shown = value.strip() if isinstance(value, str) else value
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"severity must be 1–5 (got {shown!r})") from None
    if isinstance(value, bool) or not number.is_integer() or not 1 <= number <= 5:
        raise InputError(f"severity must be 1–5 (got {shown})")
    return int(number)


def normalize_notes(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    if len(text) > MAX_NOTES:
        raise InputError(f"notes are longer than {MAX_NOTES} characters ({len(text)})")
    return text


def validate_event(
    *,
    when: datetime,
    muscle: str,
    now: datetime,
    date_only: bool = False,
    side: str | None = None,
    severity: int | float | str | None = None,
    timing: str | None = None,
    notes: str | None = None,
    athlete: str | None = None,
) -> CrampEvent:
    """A checked, normalized CrampEvent; InputError (one line, no location prefix) when a value
    is not acceptable. ``when`` must be aware and not in the future of ``now``; it is kept to
    the minute (the store's key for an event is its local time to the minute)."""
    if when.tzinfo is None or now.tzinfo is None:
        raise ValueError("when and now must be timezone-aware")
    when = when.replace(second=0, microsecond=0)
    if date_only:
        if when.date() > now.astimezone(when.tzinfo).date():
            raise InputError(f"when: {when.date().isoformat()} is in the future")
    elif when > now + timedelta(seconds=60):
        raise InputError(f"when: {when.strftime('%Y-%m-%d %H:%M')} is in the future")
    return CrampEvent(
        when=when,
        muscle=normalize_muscle(muscle),
        side=normalize_side(side),
        severity=normalize_severity(severity),
        timing=normalize_timing(timing),
        notes=normalize_notes(notes),
        date_only=date_only,
        athlete=athlete,
    )


# -- cramps.csv --------------------------------------------------------------------------


def _unquote_cell(text: str) -> str:
    """Undo the spreadsheet-formula guard cramplog's own CSV writers add ('=…, '-…; and
    ''=… for a text that itself starts with '=, as the journal writes it)."""
    rest = text.lstrip("'")
    if len(text) >= 2 and text[0] == "'" and rest[:1] and rest[0] in "=+-@\t\r":
        return text[1:]
    return text


def _sniff_delimiter(first_line: str) -> str:
    if "," in first_line:
        return ","
    if ";" in first_line:
        return ";"
    if "\t" in first_line:
        return "\t"
    return ","


def _read_row(row: list[str], columns: list[str], tz: tzinfo, now: datetime) -> CrampEvent:
    from cramplog.journal.whenparse import parse_iso

    if len(row) > len(columns):
        raise InputError(
            f"{len(row)} cells but the header has {len(columns)} columns "
            "(quote text that contains the separator)"
        )
    cells = {c: _unquote_cell(row[i]) if i < len(row) else "" for i, c in enumerate(columns)}
    when_text = cells["when"].strip()
    if not when_text:
        raise InputError("when is empty")
    parsed = parse_iso(when_text, tz)
    if parsed is None:
        raise InputError(
            f"when: cannot read {when_text!r}; use an ISO date or date-time such as "
            "2026-05-03 or 2026-05-03 18:40"
        )
    if not cells["muscle"].strip():
        raise InputError("muscle is empty")
    when, date_only = parsed
    return validate_event(
        when=when,
        date_only=date_only,
        muscle=cells["muscle"],
        side=cells.get("side"),
        severity=cells.get("severity"),
        timing=cells.get("timing"),
        notes=cells.get("notes"),
        now=now,
    )


def parse_cramps_csv(
    data: bytes, name: str, tz: tzinfo, *, now: datetime, skip_bad_rows: bool = False
) -> tuple[list[CrampEvent], list[str]]:
    """The events of a ``cramps.csv`` and warnings about what was skipped or ignored.

    A bad row raises InputError ``"<name>: row 7: severity must be 1–5 (got 9)"``, or with
    ``skip_bad_rows`` becomes a warning. A missing required column always raises.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8"
        ) from None
    if "\x00" in text:
        raise InputError(f"{name}: not a text file")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    warnings: list[str] = []
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            raise InputError(f"{name}: empty file; the header needs {', '.join(CSV_COLUMNS)}")
        columns = [h.strip().lower() for h in header]
        for req in REQUIRED_COLUMNS:
            if req not in columns:
                raise InputError(
                    f"{name}: missing required column {req!r} "
                    f"(found: {', '.join(c for c in columns if c) or 'none'})"
                )
        dupes = sorted({c for c in columns if c and columns.count(c) > 1})
        if dupes:
            raise InputError(f"{name}: column {dupes[0]!r} appears more than once")
        unknown = [c for c in columns if c not in CSV_COLUMNS]
        if unknown:
            shown = ", ".join(repr(c) for c in unknown)
            warnings.append(f"{name}: ignoring unknown column(s) {shown}")
        events: list[CrampEvent] = []
        for index, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            try:
                events.append(_read_row(row, columns, tz, now))
            except InputError as exc:
                message = f"{name}: row {index}: {exc}"
                if not skip_bad_rows:
                    raise InputError(message) from None
                warnings.append(message + " (skipped)")
    except csv.Error as exc:
        raise InputError(f"{name}: row {reader.line_num}: not valid CSV ({exc})") from None
    return events, warnings


def write_cramps_csv(events: Iterable[CrampEvent]) -> str:
    """``events`` as ``cramps.csv`` text (the contract above); text cells are formula-safe."""
    from cramplog.csvsafe import safe_cell

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for ev in events:
        writer.writerow(
            [
                when_text(ev),
                ev.muscle,
                ev.side or "",
                "" if ev.severity is None else ev.severity,
                ev.timing or "",
                safe_cell(ev.notes or ""),
            ]
        )
    return buf.getvalue()


def when_text(ev: CrampEvent) -> str:
    """ISO 8601: the local date for a date-only event, else the local time with its offset."""
    if ev.date_only:
        return ev.when.date().isoformat()
    return ev.when.isoformat(timespec="minutes")


def same_event(a: CrampEvent, b: CrampEvent) -> bool:
    """Whether two events are one cramp: same muscle and same instant (or same local day for
    date-only events), whatever zone each was written in."""
    if a.muscle != b.muscle or a.date_only != b.date_only:
        return False
    if a.date_only:
        return a.when.date() == b.when.date()
    return abs((a.when - b.when).total_seconds()) < 60


# -- linking -----------------------------------------------------------------------------


def _span(act: Activity) -> tuple[datetime, datetime]:
    return act.start, act.end


def _size(act: Activity) -> float:
    return act.elapsed_s or act.moving_s or (act.distance_m or 0.0) / 3.0


def _containing(when: datetime, acts: list[Activity]) -> Activity | None:
    """The session whose span (with slack) holds ``when``; the closest start when several do."""
    hits = [a for a in acts if a.start - DURING_SLACK <= when <= a.end + DURING_SLACK]
    if not hits:
        return None
    strict = [a for a in hits if a.start <= when <= a.end]
    pool = strict or hits
    return min(pool, key=lambda a: abs((when - a.start).total_seconds()))


def _ended_before(when: datetime, acts: list[Activity]) -> Activity | None:
    """The last session that started before ``when`` and ended at most AFTER_WINDOW before."""
    hits = [a for a in acts if a.start <= when + DURING_SLACK and a.end >= when - AFTER_WINDOW]
    return max(hits, key=lambda a: a.start) if hits else None


def _day_sessions(day: date, acts: list[Activity], tz: tzinfo) -> list[Activity]:
    return [a for a in acts if a.local_date(tz) == day]


def link_event(ev: CrampEvent, activities: list[Activity], tz: tzinfo) -> Activity | None:
    """The session ``ev`` belongs to, by the rules of ``link_cramps`` (``None``: no session)."""
    if ev.timing in ("night", "rest"):
        return None
    if ev.date_only:
        day = _day_sessions(ev.when.date(), activities, tz)
        if not day:
            return None
        if ev.timing == "after":
            return max(day, key=lambda a: a.start)
        return max(day, key=_size)
    if ev.timing == "after":
        return _ended_before(ev.when, activities)
    # "during", or no timing: the session it falls in, else the one it came just after (a
    # cramp logged on the way home from a run is still that run's cramp).
    return _containing(ev.when, activities) or _ended_before(ev.when, activities)


def link_cramps(events: list[CrampEvent], activities: list[Activity], tz: tzinfo) -> None:
    """Set each event's ``activity_id`` to the session it belongs to (or ``None``).

    - ``during``: the session whose span [start, start + elapsed] holds it (5 min slack); else
      the session that ended up to 6 h before (logged late, e.g. after the run).
    - ``after``: the last session that ended up to 6 h before.
    - ``night`` / ``rest``: none; the sessions before it are its context.
    - no timing: during if inside a span, else after if a session ended ≤ 6 h before.
    - date-only events: that local day's sessions: the last one for ``after``, else the
      longest. A session's local day is ``activity.local_date(tz)``.
    """
    acts = [a for a in activities if a.id is not None]
    # each event looks only at the sessions that started near it (order kept, so ties are
    # broken as over all of them): a decade has thousands of sessions
    longest = max((a.end - a.start for a in acts), default=timedelta(0))
    margin = timedelta(days=2)  # any time zone's local day, and the slack
    for ev in events:
        lo, hi = ev.when - longest - AFTER_WINDOW - margin, ev.when + margin
        found = link_event(ev, [a for a in acts if lo <= a.start <= hi], tz)
        ev.activity_id = found.id if found is not None else None


def relation(ev: CrampEvent, act: Activity) -> str:
    """How a linked event sits relative to its session, for messages: ``"during"``,
    ``"after"`` or (date-only, no timing) ``"on the day of"``."""
    if ev.timing in ("during", "after"):
        return ev.timing
    if ev.date_only:
        return "on the day of"
    return "during" if act.start - DURING_SLACK <= ev.when <= act.end + DURING_SLACK else "after"
