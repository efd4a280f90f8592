"""The rules' fast look-ups against straightforward reference implementations (issue 8).

``RuleInputs.prior`` / ``before_day`` / ``prior_values`` bisect a start-sorted list, CR07
counts heat sessions on a slice, CR02 / CR03 read numpy arrays instead of the frame, and CR04
works on precomputed rows. Each is compared here, on random histories, with the plain
definition it replaced (the pre-issue-8 code): same sessions in the same order, same
findings to the last bit. Histories in several time zones (local days out of start order)
take the general path; one zone takes the fast one.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cramplog.features.compute import SessionFeatures
from cramplog.metrics.daily import Daily, daily_series
from cramplog.model import Finding, Profile
from cramplog.rules import RULES, RuleInputs, run_rules
from cramplog.rules.base import Rule
from cramplog.rules.heat import _heat_count
from cramplog.rules.pace import expected_pace
from cramplog.thresholds import merge

if TYPE_CHECKING:
    import pandas as pd

T0 = datetime(2024, 3, 1, tzinfo=timezone.utc)
FAMILIES = ["running", "running", "cycling", "hiking"]
# small value sets, so that ties (equal maxima, equal Riegel paces) happen
DISTANCES = [None, 0.0, 800.0, 5000.0, 10000.0, 10000.0, 21100.0]
DURATIONS = [None, 0.0, 1500.0, 3000.0, 3000.0, 6000.0]


def band(value: float | None, caution: float, warning: float) -> str | None:
    """SCIENCE.md's bands, written out: 'warning' at or above the warning threshold, else
    'caution' at or above the caution one; nothing for a missing or non-finite value."""
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    if value >= warning:
        return "warning"
    if value >= caution:
        return "caution"
    return None


def is_heat_session(f: SessionFeatures, heat_c: float, min_minutes: float) -> bool:
    """CR07's heat session, written out: >= ``min_minutes`` at or above ``heat_c``; from the
    mean temperature and the duration when the minutes above it are unknown."""
    if f.min_above_heat is not None:
        return f.min_above_heat >= min_minutes
    return f.temp_mean_c is not None and f.temp_mean_c >= heat_c and f.minutes >= min_minutes


@st.composite
def histories(draw: Any, zones: bool = False) -> list[SessionFeatures]:
    """Sessions sorted by start (as analysis sorts them); with ``zones`` each has its own UTC
    offset, so local days need not follow start order."""
    rows = draw(
        st.lists(
            st.tuples(
                st.integers(0, 60 * 24 * 120),  # start, minutes after T0
                st.sampled_from([-10, -3, 0, 9, 14]) if zones else st.just(2),
                st.sampled_from(FAMILIES),
                st.sampled_from(DISTANCES),
                st.sampled_from(DURATIONS),
                st.sampled_from([0.0, 0.0, 40.0, 80.0, 80.0, 150.0]),  # load
                st.sampled_from([None, 0.0, 70.0, 130.0]),  # minutes above heat
                st.sampled_from([None, 20.0, 27.0, 30.0]),  # mean temperature
            ),
            max_size=60,
        )
    )
    rows.sort(key=lambda r: r[0])
    out = []
    for i, (minute, off_h, fam, dist, dur, load, hot, temp) in enumerate(rows):
        start = T0 + timedelta(minutes=minute)
        pace = dur / (dist / 1000) if dur and dist else None
        out.append(
            SessionFeatures(
                activity_id=i + 1,
                local_date=(start + timedelta(hours=off_h)).date(),
                sport=fam,
                family=fam,
                is_race=False,
                start=start,
                distance_m=dist,
                elapsed_s=dur,
                moving_s=dur,
                pace_s_per_km=pace,
                load=load,
                min_above_heat=hot,
                temp_mean_c=temp,
            )
        )
    return out


def context(feats: list[SessionFeatures], th: dict[str, Any] | None = None) -> RuleInputs:
    thresholds = merge({"general.min_history_days": 0, **(th or {})})
    last = max((f.local_date for f in feats), default=date(2024, 3, 1))
    daily = daily_series(feats, today=last, cap=thresholds["CR03"]["cap"])
    return RuleInputs(feats, daily, Profile(name="t"), thresholds, last)


# -- the plain definitions -------------------------------------------------------------------


def ref_prior(
    feats: list[SessionFeatures], f: SessionFeatures, days: float, fams: frozenset[str] | None
) -> list[SessionFeatures]:
    lo = f.local_date - timedelta(days=int(days))
    fams = fams or frozenset({f.family})
    return [
        g for g in feats
        if g.start < f.start and g.local_date >= lo and g.family in fams and g is not f
    ]  # fmt: skip


def ref_before_day(
    feats: list[SessionFeatures], day: date, days: float, fams: frozenset[str] | None
) -> list[SessionFeatures]:
    lo = day - timedelta(days=int(days))
    return [g for g in feats if lo <= g.local_date < day and (fams is None or g.family in fams)]


def ref_heat_count(ctx: RuleInputs, day: date, before: SessionFeatures | None) -> int:
    th = ctx.th["CR07"]
    lo = day - timedelta(days=int(th["window_days"]))
    n = 0
    for g in ctx.features:
        if before is not None and not (g.start < before.start and g.local_date >= lo):
            continue
        if before is None and not (lo <= g.local_date <= day):
            continue
        n += is_heat_session(g, ctx.th["general"]["heat_c"], th["session_min"])
    return n


def frame(daily: Daily) -> pd.DataFrame:
    """The daily series as the pandas frame ``daily_series`` used to return."""
    import pandas as pd

    days = pd.DatetimeIndex(pd.to_datetime(daily.dates()), name="date")
    return pd.DataFrame(dict(daily.cols), index=days)


def ref_day_rule(ctx: RuleInputs, rule: Rule, column: str) -> list[Finding]:
    """CR02 / CR03 as they were: rows of the frame, pandas' sum, mean and std."""
    th = ctx.th[rule.id]
    d = frame(ctx.daily)
    if d.empty:
        return []
    out = []
    for ts, row in d[(d["load"] > 0) & d[column].notna()].iterrows():
        value = float(row[column])
        sev = band(value, th["caution"], th["warning"])
        if sev is None:
            continue
        if column == "acwr":
            ev = {"acwr": value, "acute_load": row["acute"], "chronic_load": row["chronic"],
                  "acwr_rolling": row["acwr_rolling"], "day_load": row["load"]}  # fmt: skip
            msg = f"Acute:chronic load ratio {value:.2f} (7-day vs 28-day weighted daily load)"
        else:
            week = d.loc[ts - timedelta(days=6) : ts, "load"]
            ev = {"monotony": value, "strain": row["strain"], "week_load": float(week.sum()),
                  "mean_daily_load": float(week.mean()), "sd_daily_load": float(week.std(ddof=0)),
                  "rest_days_in_week": int((week == 0).sum())}  # fmt: skip
            msg = (
                f"Training monotony {value:.1f} over 7 days (little day-to-day variation in load; "
                f"{ev['rest_days_in_week']} rest days)"
            )
        out.append(rule.finding(ts.date(), sev, msg, ev))
    return out


def ref_expected_pace(
    prior: list[SessionFeatures], distance_m: float, duration_s: float | None, th: dict[str, float]
) -> tuple[float | None, dict[str, Any]]:
    def usable(g: SessionFeatures) -> bool:
        km = g.distance_km
        return bool(g.pace_s_per_km and km and g.duration_s and km >= th["min_session_km"])

    ok = [g for g in prior if usable(g)]
    if len(ok) < th["min_prior"]:
        return None, {"prior_sessions": len(ok)}
    km = distance_m / 1000.0
    tol = th["duration_tolerance"]
    similar: list[float] = []
    if duration_s:
        similar = [g.pace_s_per_km for g in ok if g.pace_s_per_km and g.duration_s
                   and abs(g.duration_s - duration_s) <= tol * duration_s]  # fmt: skip
    riegel = []
    for g in ok:
        assert g.duration_s is not None and g.distance_m is not None
        t2 = g.duration_s * (distance_m / g.distance_m) ** th["riegel_exponent"]
        riegel.append((t2 / km, g))
    best_riegel, src = min(riegel, key=lambda x: x[0])
    exp = min([best_riegel] + ([min(similar)] if similar else []))
    ev = {"prior_sessions": len(ok), "expected_pace_s_per_km": exp,
          "best_similar_pace_s_per_km": min(similar) if similar else None,
          "best_riegel_pace_s_per_km": best_riegel, "riegel_from_date": src.local_date,
          "riegel_from_km": src.distance_km}  # fmt: skip
    return exp, ev


# -- the properties --------------------------------------------------------------------------


@settings(max_examples=150)
@given(feats=st.one_of(histories(), histories(zones=True)), days=st.sampled_from([0, 6, 30.5, 84]))
def test_prior_before_day_and_values_match_the_definition(
    feats: list[SessionFeatures], days: float
) -> None:
    ctx = context(feats)
    foot = frozenset({"running", "hiking"})
    for f in feats:
        for fams in (None, foot):
            assert _ids(ctx.prior(f, days, fams)) == _ids(ref_prior(feats, f, days, fams))
            day = f.local_date + timedelta(days=1)
            assert _ids(ctx.before_day(day, days, fams)) == _ids(
                ref_before_day(feats, day, days, fams)
            )
        for attr in ("distance_m", "duration_s"):
            want = [v for g in ref_prior(feats, f, days, None) if (v := getattr(g, attr))]
            assert ctx.prior_values(f, days, attr) == want
        assert _heat_count(ctx, f.local_date, before=f) == ref_heat_count(ctx, f.local_date, f)
        assert _heat_count(ctx, f.local_date) == ref_heat_count(ctx, f.local_date, None)


@given(feats=histories())
def test_one_zone_takes_the_fast_path(feats: list[SessionFeatures]) -> None:
    assert context(feats).index().ordered


@settings(max_examples=150)
@given(
    feats=histories(),
    caution=st.sampled_from([0.5, 1.0, 1.3, 1.5]),
    cap=st.sampled_from([2.0, 10.0]),
)
def test_cr02_cr03_match_the_frame_version(
    feats: list[SessionFeatures], caution: float, cap: float
) -> None:
    # the personal baselines (issue 13) off: the literature's band alone, as the frame had it
    th = {"CR02.caution": caution, "CR03.caution": caution, "CR03.cap": cap,
          "CR02.negligible_fraction": 0, "CR02.acute_over_usual": 0,
          "CR03.monotony_over_usual": 0}  # fmt: skip
    ctx = context(feats, th)
    for rid, column in (("CR02", "acwr"), ("CR03", "monotony")):
        got = run_rules(ctx, only=[rid])
        want = ref_day_rule(ctx, RULES[rid], column)
        assert [(f.date, f.severity, f.message) for f in got] == [
            (f.date, f.severity, f.message) for f in want
        ]
        assert [
            repr(f.evidence[k]) for f, w in zip(got, want, strict=True) for k in w.evidence
        ] == [
            repr(v) for w in want for v in w.evidence.values()
        ]  # the same floats to the last bit, not just equal within a tolerance


@settings(max_examples=150)
@given(
    feats=histories(),
    distance=st.sampled_from([1000.0, 5000.0, 10000.0, 42195.0]),
    duration=st.sampled_from([None, 0.0, 1500.0, 3000.0, 3700.0]),
    min_prior=st.sampled_from([1.0, 4.0]),
)
def test_expected_pace_matches_the_definition(
    feats: list[SessionFeatures], distance: float, duration: float | None, min_prior: float
) -> None:
    th = {**merge(None)["CR04"], "min_prior": min_prior}
    assert expected_pace(feats, distance, duration, th) == ref_expected_pace(
        feats, distance, duration, th
    )


@settings(max_examples=100)
@given(feats=histories())
def test_cr04_run_matches_expected_pace_over_prior(feats: list[SessionFeatures]) -> None:
    ctx = context(feats, {"CR04.caution_pct": -50.0, "CR04.min_prior": 1})
    th = ctx.th["CR04"]
    want = []
    for f in feats:
        if not (f.pace_s_per_km and f.distance_km and f.duration_s and f.distance_km >= 1.0):
            continue
        assert f.distance_m is not None
        exp, _ = ref_expected_pace(ref_prior(feats, f, th["window_days"], None), f.distance_m,
                                   f.duration_s, th)  # fmt: skip
        if exp is not None and band((exp - f.pace_s_per_km) / exp * 100.0, -50.0, 6.0):
            want.append(f.activity_id)
    assert [f.activity_id for f in run_rules(ctx, only=["CR04"])] == want


def _ids(feats: list[SessionFeatures]) -> list[int]:
    return [id(g) for g in feats]
