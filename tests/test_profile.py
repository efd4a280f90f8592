"""athlete.toml: loading, checking, writing."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cramplog.errors import InputError
from cramplog.journal.profile import dump_profile_toml, load_profile_toml, parse_target_time
from cramplog.model import SEXES, SPORTS, Goal, Profile

FULL = b"""
[athlete]
name = "Ana Ruiz"
sex = "female"
hr_max = 188
hr_rest = 48
timezone = "Europe/Madrid"

[[goal]]
name = "Trail 50"
date = 2026-06-14
sport = "trail_running"
distance_km = 50.0
descent_m = 2800
temperature_c = 27.0
target_time = "06:30:00"

[[goal]]
name = "Hundred"
date = "2026-09-01"
target_time = "26:15:30"

[thresholds]
"CR01.warning" = 1.4
CR07.caution_c = 24
"""


def load(data: bytes, **kw: object) -> Profile:
    return load_profile_toml(data, "athlete.toml", default_name="folder", **kw)  # type: ignore[arg-type]


def test_full_file() -> None:
    p = load(FULL)
    assert p.name == "Ana Ruiz"
    assert (p.sex, p.hr_max, p.hr_rest, p.timezone) == ("female", 188, 48, "Europe/Madrid")
    assert p.goals[0] == Goal(
        name="Trail 50",
        date=date(2026, 6, 14),
        sport="trail_running",
        distance_km=50.0,
        descent_m=2800,
        temperature_c=27.0,
        target_time_s=6.5 * 3600,
    )
    assert p.goals[1].date == date(2026, 9, 1)
    assert p.goals[1].sport == "running"
    assert p.goals[1].target_time_s == 26 * 3600 + 15 * 60 + 30
    assert p.thresholds == {"CR01.warning": 1.4, "CR07.caution_c": 24}


def test_minimal_and_empty_files() -> None:
    assert load(b"") == Profile(name="folder")
    p = load(b"[athlete]\nhr_max = 190\n")
    assert (p.name, p.sex, p.hr_max, p.hr_rest, p.goals) == ("folder", "unspecified", 190, None, [])


def test_single_goal_table_and_toml_time_and_bom() -> None:
    data = "\ufeff[goal]\ndate = 2026-06-14\ntarget_time = 04:05:06\n".encode()
    p = load(data)
    assert len(p.goals) == 1
    assert p.goals[0].name == "goal 2026-06-14"
    assert p.goals[0].target_time_s == 4 * 3600 + 5 * 60 + 6


def test_unknown_keys_are_ignored_and_reported() -> None:
    warnings: list[str] = []
    p = load(b"[athlete]\nhr-max = 190\nhr_rest = 50\n[extra]\nx = 1\n", warnings=warnings)
    assert p.hr_max is None and p.hr_rest == 50
    assert any("'hr-max'" in w and "did you mean 'hr_max'" in w for w in warnings)
    assert any("'extra'" in w for w in warnings)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[athlete]\nsex = "m"', "athlete.toml: [athlete] sex: must be one of male, female"),
        ("[athlete]\nsex = 1", "athlete.toml: [athlete] sex: must be one of"),
        ("[athlete]\nhr_max = -5", "athlete.toml: [athlete] hr_max: must be a heart rate"),
        ("[athlete]\nhr_max = 0", "athlete.toml: [athlete] hr_max: must be a heart rate"),
        ("[athlete]\nhr_max = 400", "athlete.toml: [athlete] hr_max: must be a heart rate"),
        ("[athlete]\nhr_max = true", "athlete.toml: [athlete] hr_max: must be a number"),
        ('[athlete]\nhr_max = "fast"', "athlete.toml: [athlete] hr_max: must be a number"),
        ("[athlete]\nhr_max = nan", "athlete.toml: [athlete] hr_max: must be a finite number"),
        (
            "[athlete]\nhr_max = 150\nhr_rest = 150",
            "athlete.toml: [athlete] hr_rest: must be below hr_max",
        ),
        (
            '[athlete]\ntimezone = "Europe/Madird"',
            "athlete.toml: [athlete] timezone: unknown time zone 'Europe/Madird'; "
            "did you mean 'Europe/Madrid'?",
        ),
        ('[athlete]\ntimezone = "Mars/Base"', "athlete.toml: [athlete] timezone: unknown time"),
        ('[athlete]\ntimezone = "../../etc/passwd"', "athlete.toml: [athlete] timezone:"),
        ('[athlete]\nname = ""', "athlete.toml: [athlete] name: must be a non-empty text"),
        ("athlete = 3", "athlete.toml: [athlete]: must be a table"),
        (
            '[[goal]]\ndate = 2026-01-01\n[[goal]]\ndate = "june"',
            "athlete.toml: [goal] 2: date: must be a date such as 2026-06-14 (got 'june')",
        ),
        ("[[goal]]\nname = 'x'", "athlete.toml: [goal] 1: date: missing"),
        (
            "[[goal]]\ndate = 2026-01-01\ndistance_km = 0",
            "athlete.toml: [goal] 1: distance_km: must be above 0",
        ),
        (
            "[[goal]]\ndate = 2026-01-01\ndescent_m = -10",
            "athlete.toml: [goal] 1: descent_m: must be 0 or more",
        ),
        (
            "[[goal]]\ndate = 2026-01-01\ntemperature_c = 99",
            "athlete.toml: [goal] 1: temperature_c: must be a temperature",
        ),
        (
            '[[goal]]\ndate = 2026-01-01\ntarget_time = "6h30"',
            "athlete.toml: [goal] 1: target_time: must be a duration hh:mm:ss",
        ),
        (
            '[[goal]]\ndate = 2026-01-01\nsport = "kayak"',
            "athlete.toml: [goal] 1: sport: must be one of running",
        ),
        ("goal = 3", "athlete.toml: [goal]: must be [[goal]] tables"),
        ("[thresholds]\nCR01 = [1, 2]", "athlete.toml: [thresholds] CR01: must be a number"),
        ("[athlete\nname = 'x'", "athlete.toml: not valid TOML"),
    ],
)
def test_bad_values_one_line(text: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        load(text.encode())
    assert str(exc.value).startswith(message), str(exc.value)
    assert "\n" not in str(exc.value)


def test_not_utf8() -> None:
    with pytest.raises(InputError, match="athlete.toml: not UTF-8"):
        load(b'[athlete]\nname = "\xff"\n')


def test_target_time_forms() -> None:
    assert parse_target_time("3:05:00") == 3 * 3600 + 300
    assert parse_target_time("45:10") == 45 * 3600 + 600  # h:mm
    with pytest.raises(ValueError):
        parse_target_time("00:00:00")
    with pytest.raises(ValueError):
        parse_target_time("1:60:00")


def test_round_trip_full() -> None:
    p = load(FULL)
    text = dump_profile_toml(p)
    assert load(text.encode()) == p
    assert 'target_time = "26:15:30"' in text


_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20
).filter(lambda s: s.strip() == s and s != "")
_goal = st.builds(
    Goal,
    name=_names,
    date=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    sport=st.sampled_from(SPORTS),
    distance_km=st.none() | st.floats(min_value=0.1, max_value=500, allow_nan=False),
    descent_m=st.none() | st.floats(min_value=0, max_value=20000, allow_nan=False),
    temperature_c=st.none() | st.floats(min_value=-40, max_value=50, allow_nan=False),
    target_time_s=st.none() | st.integers(min_value=1, max_value=500_000).map(float),
)


@st.composite
def _profiles(draw: st.DrawFn) -> Profile:
    hr_max = draw(st.none() | st.integers(min_value=120, max_value=230).map(float))
    hr_rest = draw(st.none() | st.floats(min_value=30, max_value=100, allow_nan=False))
    return Profile(
        name=draw(_names),
        sex=draw(st.sampled_from(SEXES)),
        hr_max=hr_max,
        hr_rest=hr_rest,
        timezone=draw(st.none() | st.sampled_from(["Europe/Madrid", "America/Denver", "UTC"])),
        goals=draw(st.lists(_goal, max_size=3)),
        thresholds=draw(
            st.dictionaries(
                _names,
                st.floats(allow_nan=False, allow_infinity=False) | st.booleans(),
                max_size=3,
            )
        ),
    )


@given(_profiles())
def test_round_trip_any_profile(p: Profile) -> None:
    assert load(dump_profile_toml(p).encode()) == p
