"""Builders for synthetic histories shared by the rule tests, and registry checks."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pytest

from cramplog.features.compute import (
    HrBounds,
    SessionFeatures,
    assign_fallback_loads,
    compute_features,
)
from cramplog.features.loadscale import scale_rpe_loads
from cramplog.model import GRADES, Activity, CrampEvent, Goal, Profile, Stream
from cramplog.rules import RULES, RuleInputs, run_rules
from cramplog.thresholds import DEFAULTS, merge

D0 = date(2024, 1, 1)
HR = HrBounds(hr_max=190.0, hr_rest=50.0, estimated=False, note="")


def run(
    day: int,
    km: float,
    *,
    pace: float = 330.0,
    sport: str = "running",
    race: bool = False,
    rpe: float | None = 5.0,
    descent: float | None = None,
    temp: float | None = None,
    hour: int = 7,
) -> Activity:
    """A summary-only session on day ``day`` after D0 (UTC)."""
    secs = km * pace
    return Activity(
        sport=sport,
        start=datetime(D0.year, D0.month, D0.day, hour, tzinfo=timezone.utc) + timedelta(days=day),
        elapsed_s=secs,
        moving_s=secs,
        distance_m=km * 1000,
        descent_m=descent,
        temp_avg_c=temp,
        rpe=rpe,
        is_race=race,
    )


def hill_run(day: int, km: float, drop_m: float, grade: float = -0.12, pace: float = 360.0,
             temp: float | None = None) -> Activity:  # fmt: skip
    """A stream session: flat, then one straight descent of ``drop_m`` at ``grade``, then flat."""
    step = 5.0
    d = np.arange(0.0, km * 1000 + step, step)
    down_len = drop_m / -grade
    start = (km * 1000 - down_len) / 2
    z = 500.0 - np.clip(d - start, 0, down_len) * -grade
    t = d / 1000 * pace
    s = Stream(t_s=t, distance_m=d, elevation_m=z,
               temperature_c=None if temp is None else np.full(len(t), temp))  # fmt: skip
    a = run(day, km, pace=pace)
    a.stream = s
    a.descent_m = None
    return a


def features(acts: list[Activity], profile: Profile | None = None) -> list[SessionFeatures]:
    profile = profile or Profile(name="t", sex="male", hr_max=190, hr_rest=50)
    for i, a in enumerate(acts):
        a.id = i + 1
    out = [compute_features(a, profile, HR) for a in acts]
    out.sort(key=lambda f: f.start)
    scale_rpe_loads(out)
    assign_fallback_loads(out)
    return out


def context(
    acts: list[Activity],
    *,
    goals: list[Goal] | None = None,
    cramps: list[CrampEvent] | None = None,
    thresholds: dict | None = None,
    today: date | None = None,
) -> RuleInputs:
    from cramplog.metrics.daily import daily_series

    # the log-start guard is tested on its own; the tables use short synthetic histories
    th_in = {"general.min_history_days": 0, **(thresholds or {})}
    profile = Profile(name="t", sex="male", hr_max=190, hr_rest=50, goals=goals or [],
                      thresholds=th_in)  # fmt: skip
    feats = features(acts, profile)
    th = merge(profile.thresholds)
    last = max(f.local_date for f in feats)
    today = today or last
    daily = daily_series(feats, today=today, heat_c=th["general"]["heat_c"])
    return RuleInputs(feats, daily, profile, th, today, cramps or [])


def fired(ctx: RuleInputs, rule: str) -> list:
    return [f for f in run_rules(ctx, only=[rule])]


def test_registry_complete_and_graded() -> None:
    assert list(RULES) == [f"CR{i:02d}" for i in range(1, 12)]
    for rid, r in RULES.items():
        assert r.id == rid and r.name and r.sources
        assert r.grade in GRADES
        assert r.defaults == DEFAULTS.get(rid, {})


def test_names_match_science_table() -> None:
    names = {r.id: r.name for r in RULES.values()}
    assert names == {
        "CR01": "session_spike", "CR02": "acute_chronic_load", "CR03": "monotony",
        "CR04": "pace_above_norm", "CR05": "long_run_deficit", "CR06": "descent_unprepared",
        "CR07": "heat_unacclimatized", "CR08": "taper_gap", "CR09": "cramp_history",
        "CR10": "duration_exposure", "CR11": "long_hot_session",
    }  # fmt: skip


def test_thresholds_dotted_and_nested() -> None:
    th = merge({"CR01.warning": 1.4, "CR02": {"caution": 1.2}, "heat_c": 27})
    assert th["CR01"]["warning"] == 1.4 and th["CR02"]["caution"] == 1.2
    assert th["general"]["heat_c"] == 27 and th["CR07"]["caution_c"] == 27
    assert DEFAULTS["CR01"]["warning"] == 1.30  # defaults untouched


@pytest.mark.parametrize("bad", [{"CR99.x": 1}, {"CR01.nope": 1}, {"CR01.warning": "high"},
                                 {"CR01.warning": math.nan}])  # fmt: skip
def test_thresholds_reject_typos(bad: dict) -> None:
    from cramplog.errors import InputError

    with pytest.raises(InputError):
        merge(bad)


def test_override_changes_rule_outcome() -> None:
    acts = [run(i * 3, 10) for i in range(6)] + [run(20, 12.5)]  # ratio 1.25
    assert fired(context(acts), "CR01")[0].severity == "caution"
    ctx = context(acts, thresholds={"CR01.warning": 1.2})
    assert fired(ctx, "CR01")[0].severity == "warning"


def test_log_start_guard_silences_history_rules() -> None:
    acts = [run(0, 10), run(2, 10), run(4, 10), run(6, 25)]  # a "spike" 6 days into the log
    ctx = context(acts, thresholds={"general.min_history_days": 28})
    assert run_rules(ctx, only=["CR01", "CR05", "CR10"]) == []
    later = [run(d, 10) for d in (0, 20, 24, 27)] + [run(30, 25)]
    ctx = context(later, thresholds={"general.min_history_days": 28})
    assert {f.rule for f in run_rules(ctx, only=["CR01", "CR05", "CR10"])} == {
        "CR01", "CR05", "CR10",
    }  # fmt: skip
