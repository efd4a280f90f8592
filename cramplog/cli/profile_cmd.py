"""``cramplog profile``: show, set and import an athlete's profile (athlete.toml)."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cramplog.cli.common import (
    AthleteOpt,
    DbOpt,
    OutputOpt,
    err_console,
    format_option,
    open_store,
    resolve_athlete,
    write_output,
)
from cramplog.cli.exit_status import ExitStatus
from cramplog.errors import InputError, UsageError

if TYPE_CHECKING:
    from cramplog.model import Activity, Goal, Profile
    from cramplog.store import Store

profile_app = typer.Typer(
    name="profile",
    help=(
        "An athlete's profile: sex, HR max and rest, time zone, goal events.\n\n"
        "Example: cramplog profile set --hr-max 188 --hr-rest 48 --timezone Europe/Madrid"
    ),
    no_args_is_help=True,
)


class ProfileFormat(str, Enum):
    table = "table"
    json = "json"
    toml = "toml"


def register(app: typer.Typer) -> None:
    """Add the ``profile`` command group to the app."""
    app.add_typer(profile_app, name="profile")


def _say(message: str) -> None:
    err_console().print(message, markup=False, emoji=False)


# -- show ----------------------------------------------------------------------------------


def _hr_bounds(profile: Profile, activities: list[Activity]) -> tuple[Any, Any, str]:
    """(hr_max, hr_rest, note): the profile's values, estimates where they are missing."""
    try:
        from cramplog.features.compute import estimate_hr_bounds
    except ImportError:  # pragma: no cover - features.py is part of the package
        return profile.hr_max, profile.hr_rest, ""
    bounds = estimate_hr_bounds(profile, activities)
    return bounds.hr_max, bounds.hr_rest, bounds.note if bounds.estimated else ""


@profile_app.command(
    "show",
    help=(
        "Show an athlete's profile. Missing HR max / rest are estimated from the stored "
        "sessions and marked as estimates.\n\n"
        "Example: cramplog profile show --format toml > athlete.toml"
    ),
)
def show_command(
    athlete: AthleteOpt = None,
    fmt: Annotated[ProfileFormat, format_option()] = ProfileFormat.table,
    output: OutputOpt = None,
    db: DbOpt = None,
) -> int:
    from cramplog.journal.profile import dump_profile_toml
    from cramplog.model import Profile
    from cramplog.render.profile import profile_json, profile_table

    with open_store(db, readonly=True) as store:
        name = resolve_athlete(store, athlete)
        profile = store.get_profile(name) or Profile(name=name)
        estimates: dict[str, Any] = {}
        note = ""
        if profile.hr_max is None or profile.hr_rest is None:
            hr_max, hr_rest, note = _hr_bounds(profile, store.activities(name, with_stream=True))
            if profile.hr_max is None:
                estimates["hr_max"] = hr_max
            if profile.hr_rest is None:
                estimates["hr_rest"] = hr_rest
    if fmt is ProfileFormat.toml:
        write_output(dump_profile_toml(profile), output)
        if note:
            _say(f"note: not in the profile, estimated from the data: {note}")
    elif fmt is ProfileFormat.json:
        write_output(profile_json(profile, estimates, note), output)
    else:
        write_output(profile_table(profile, estimates, note), output)
    return ExitStatus.OK


# -- set -----------------------------------------------------------------------------------


_UNSET = ("none", "unset", "")


def _checked(option: str, fn: Callable[[Any], Any], value: Any) -> Any:
    try:
        return fn(value)
    except ValueError as exc:
        raise InputError(f"{option}: {exc}") from None


def _goal_index(goals: list[Goal], name: str | None, has_date: bool) -> int | None:
    """Which goal the --goal-* options change: the one named, the only one, or a new one."""
    if name is not None:
        key = name.strip().lower()
        return next((i for i, g in enumerate(goals) if g.name.lower() == key), None)
    if len(goals) == 1:
        return ExitStatus.OK
    if not goals or has_date:
        return None
    names = ", ".join(repr(g.name) for g in goals)
    raise UsageError(f"the profile has {len(goals)} goals ({names}); choose one with --goal-name")


def _course_path(raw: str) -> str:
    """``--goal-course FILE``: checked like athlete.toml's ``course``, made absolute (relative
    to the working folder), and refused when the file is not there."""
    import os

    from cramplog.journal.profile import check_course

    path = os.path.abspath(check_course(raw))
    if not os.path.isfile(path):
        raise ValueError(f"no such file: {path}")
    return path


def _apply_goal(profile: Profile, opts: dict[str, str | None]) -> str:
    from cramplog.journal.profile import (
        check_date,
        check_name,
        check_non_negative,
        check_positive,
        check_sport,
        check_temperature,
        parse_target_time,
    )
    from cramplog.model import Goal

    name = _checked("--goal-name", check_name, opts["name"]) if opts["name"] is not None else None
    index = _goal_index(profile.goals, name, opts["date"] is not None)
    if index is None:
        if opts["date"] is None:
            raise UsageError("a new goal needs --goal-date (e.g. --goal-date 2026-06-14)")
        day = _checked("--goal-date", check_date, opts["date"])
        goal = Goal(name=name or f"goal {day}", date=day)
        profile.goals.append(goal)
        verb = "added"
    else:
        goal = profile.goals[index]
        verb = "updated"
    if opts["date"] is not None:
        goal.date = _checked("--goal-date", check_date, opts["date"])
    fields: list[tuple[str, str, Callable[[Any], Any]]] = [
        ("sport", "sport", check_sport),
        ("distance_km", "distance-km", check_positive),
        ("descent_m", "descent-m", check_non_negative),
        ("temperature_c", "temperature-c", check_temperature),
        ("target_time_s", "target-time", parse_target_time),
        ("course", "course", _course_path),
    ]
    for attr, flag, fn in fields:
        raw = opts[attr]
        if raw is None:
            continue
        if raw.strip().lower() in _UNSET and attr != "sport":
            setattr(goal, attr, None)
        else:
            setattr(goal, attr, _checked(f"--goal-{flag}", fn, raw))
    profile.goals.sort(key=lambda g: g.date)
    return f"goal {goal.name!r} {verb}"


def _athlete_for_profile(store: Store, athlete: str | None) -> tuple[str, bool]:
    """(name, is_new): the named athlete (created when new) or the only one."""
    if athlete is not None:
        name = athlete.strip()
        if not name:
            raise UsageError("--athlete: the name is empty")
        return name, name not in store.athletes()
    if not store.athletes():
        raise UsageError("the store has no athletes yet; name one with --athlete NAME")
    return resolve_athlete(store, None), False


def _opt(help_text: str) -> Any:
    return typer.Option(help=help_text, show_default=False)


@profile_app.command(
    "set",
    help=(
        "Change profile fields; only the options given change. 'none' clears a value. "
        "--goal-* options add a goal, or change the goal named by --goal-name (or the only "
        "one); --remove-goal NAME drops one.\n\n"
        "Example: cramplog profile set --hr-max 188 --hr-rest 48 --timezone Europe/Madrid\n\n"
        "Example: cramplog profile set --goal-name 'Trail 50' --goal-date 2026-06-14 "
        "--goal-distance-km 50 --goal-descent-m 2800 --goal-target-time 06:30:00"
    ),
)
def set_command(
    athlete: AthleteOpt = None,
    sex: Annotated[str | None, _opt("male, female or unspecified.")] = None,
    hr_max: Annotated[str | None, _opt("Maximum heart rate, bpm.")] = None,
    hr_rest: Annotated[str | None, _opt("Resting heart rate, bpm.")] = None,
    timezone: Annotated[str | None, _opt("IANA time zone, e.g. Europe/Madrid.")] = None,
    goal_name: Annotated[str | None, _opt("Goal event name (adds or selects a goal).")] = None,
    goal_date: Annotated[str | None, _opt("Goal date, YYYY-MM-DD.")] = None,
    goal_sport: Annotated[str | None, _opt("Goal sport (default running).")] = None,
    goal_distance_km: Annotated[str | None, _opt("Goal distance, km.")] = None,
    goal_descent_m: Annotated[str | None, _opt("Goal total descent, m.")] = None,
    goal_temperature_c: Annotated[str | None, _opt("Expected temperature, °C.")] = None,
    goal_target_time: Annotated[str | None, _opt("Target time, hh:mm:ss.")] = None,
    goal_course: Annotated[str | None, _opt("Goal course file (GPX, TCX or FIT).")] = None,
    remove_goal: Annotated[str | None, _opt("Remove the goal with this name.")] = None,
    db: DbOpt = None,
) -> int:
    from cramplog.journal.profile import check_hr, check_hr_pair, check_sex, check_timezone
    from cramplog.model import Profile

    goal_opts: dict[str, str | None] = {
        "name": goal_name,
        "date": goal_date,
        "sport": goal_sport,
        "distance_km": goal_distance_km,
        "descent_m": goal_descent_m,
        "temperature_c": goal_temperature_c,
        "target_time_s": goal_target_time,
        "course": goal_course,
    }
    if all(v is None for v in (sex, hr_max, hr_rest, timezone, remove_goal, *goal_opts.values())):
        raise UsageError("nothing to set; e.g. cramplog profile set --hr-max 188 --hr-rest 48")
    with open_store(db) as store:
        name, is_new = _athlete_for_profile(store, athlete)
        profile = store.get_profile(name) or Profile(name=name)
        changes: list[str] = []
        if sex is not None:
            profile.sex = _checked("--sex", check_sex, sex)
            changes.append(f"sex {profile.sex}")
        for option, attr, raw, fn in (
            ("--hr-max", "hr_max", hr_max, check_hr),
            ("--hr-rest", "hr_rest", hr_rest, check_hr),
            ("--timezone", "timezone", timezone, check_timezone),
        ):
            if raw is None:
                continue
            value = None if raw.strip().lower() in _UNSET else _checked(option, fn, raw)
            setattr(profile, attr, value)
            shown = "cleared" if value is None else f"{value:g}" if attr != "timezone" else value
            changes.append(f"{attr} {shown}")
        try:
            check_hr_pair(profile.hr_max, profile.hr_rest)
        except ValueError as exc:
            if hr_rest is not None:
                raise InputError(f"--hr-rest: {exc}") from None
            raise InputError(
                f"--hr-max: must be above hr_rest ({profile.hr_rest:g}; got {profile.hr_max:g})"
            ) from None
        if remove_goal is not None:
            key = remove_goal.strip().lower()
            kept = [g for g in profile.goals if g.name.lower() != key]
            if len(kept) == len(profile.goals):
                known = ", ".join(repr(g.name) for g in profile.goals) or "none"
                raise InputError(f"--remove-goal: no goal named {remove_goal!r} (goals: {known})")
            profile.goals = kept
            changes.append(f"goal {remove_goal!r} removed")
        if any(v is not None for v in goal_opts.values()):
            changes.append(_apply_goal(profile, goal_opts))
        store.set_profile(profile)
    new = " (new athlete)" if is_new else ""
    _say(f"Profile of {name}{new}: {', '.join(changes)}.")
    return ExitStatus.OK


# -- import --------------------------------------------------------------------------------


@profile_app.command(
    "import",
    help=(
        "Read an athlete.toml into the store; it replaces the athlete's stored profile. The "
        "athlete is [athlete] name, else --athlete, else the only athlete, else the folder's "
        "name.\n\n"
        "Example: cramplog profile import ~/exports/me/athlete.toml"
    ),
)
def import_command(
    file: Annotated[Path, typer.Argument(metavar="athlete.toml", help="The file to read.")],
    athlete: AthleteOpt = None,
    db: DbOpt = None,
) -> int:
    from cramplog.journal.profile import load_profile_toml, resolve_courses
    from cramplog.render.profile import num_text

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc.strerror or exc}") from None
    with open_store(db) as store:
        names = store.athletes()
        default = athlete or (names[0] if len(names) == 1 else file.resolve().parent.name)
        warnings: list[str] = []
        profile = load_profile_toml(data, file.name, default_name=default, warnings=warnings)
        resolve_courses(profile, file.resolve().parent)
        if athlete is not None and profile.name != athlete:
            raise UsageError(
                f"{file.name} is the profile of {profile.name!r}, not {athlete!r}; "
                "drop --athlete or fix [athlete] name"
            )
        existed = store.get_profile(profile.name) is not None
        store.set_profile(profile)
    for w in warnings:
        _say(f"warning: {w}")
    hr = f"HR {num_text(profile.hr_max)}/{num_text(profile.hr_rest)}"
    verb = "replaced" if existed else "stored"
    _say(
        f"Profile of {profile.name} {verb}: sex {profile.sex}, {hr}, time zone "
        f"{profile.timezone or 'not set'}, {len(profile.goals)} goal(s)."
    )
    return ExitStatus.OK
