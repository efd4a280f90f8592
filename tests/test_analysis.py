"""analyze_athlete end to end on a synthetic 10-week history."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cramplog.analysis.athlete import analyze_athlete
from cramplog.features.compute import compute_features, estimate_hr_bounds
from cramplog.model import Activity, CrampEvent, Goal, Profile, Stream

D0 = date(2024, 4, 1)
TZ_OFFSET = -7 * 3600  # the athlete runs in California


def session(i: int, day: int, km: float, *, hr: float | None = 145.0, drop: float = 0.0,
            temp: float = 15.0, race: bool = False, rpe: float | None = None,
            summary_only: bool = False) -> Activity:  # fmt: skip
    pace = 300.0 if race else 340.0
    # 18:40 local = 01:40 UTC the next day: the local day must win
    start = datetime(D0.year, D0.month, D0.day, 1, 40, tzinfo=timezone.utc) + timedelta(day + 1)
    secs = km * pace
    a = Activity(sport="running", start=start, utc_offset_s=TZ_OFFSET, elapsed_s=secs,
                 moving_s=secs, distance_m=km * 1000, is_race=race, rpe=rpe, id=i,
                 sources=[f"run{i}.fit"], source_format="fit")  # fmt: skip
    if summary_only:
        a.hr_avg = hr
        return a
    t = np.arange(0.0, secs + 1, 2.0)
    d = t / pace * 1000
    z = 200 - np.clip(d - d[-1] / 2, 0, drop / 0.12) * 0.12
    a.stream = Stream(t_s=t, distance_m=d, elevation_m=z,
                      hr_bpm=None if hr is None else np.full(len(t), hr),
                      temperature_c=np.full(len(t), temp))  # fmt: skip
    return a


def history() -> tuple[list[Activity], list[CrampEvent]]:
    acts: list[Activity] = []
    i = 1
    for day in range(70):
        if day % 7 in (2, 5):
            continue  # two rest days a week
        km = 16.0 if day % 7 == 6 else 9.0
        kw: dict = {}
        if day == 57:
            km = 30.0  # planted spike: 30 km after 16 km long runs
        if day == 64:
            kw = {"drop": 600.0}  # planted big descent
        if day % 10 == 3:
            kw = {"hr": None, "rpe": 6.0} if day < 40 else {"hr": None}
        if day % 11 == 4:
            kw = {"summary_only": True}
        acts.append(session(i, day, km, **kw))
        i += 1
    cramps = [
        CrampEvent(when=datetime(2024, 5, 28, 20, 30, tzinfo=timezone(timedelta(hours=-7))),
                   muscle="calf", side="left", severity=3, timing="during",
                   activity_id=next(a.id for a in acts if a.local_date() == D0 + timedelta(57))),
        CrampEvent(when=datetime(2024, 6, 5, 3, 0, tzinfo=timezone(timedelta(hours=-7))),
                   muscle="hamstring", timing="night"),
    ]  # fmt: skip
    return acts, cramps


PROFILE = Profile(name="Sam", sex="female", timezone="America/Los_Angeles",
                  goals=[Goal(name="Old 10k", date=D0 + timedelta(20), distance_km=10),
                         Goal(name="Trail marathon", date=D0 + timedelta(100), distance_km=42.2,
                              descent_m=1800, temperature_c=27)])  # fmt: skip


@pytest.fixture(scope="module")
def report():
    acts, cramps = history()
    return acts, analyze_athlete(PROFILE, acts, cramps, today=D0 + timedelta(75))


def test_range_sessions_and_daily(report) -> None:
    acts, rep = report
    assert rep.sessions == len(acts)
    assert rep.first_day == D0 and rep.last_day == D0 + timedelta(69)
    # as of day 75, but the log ends on day 69: the days after it are no data, not rest,
    # so the daily series stops there (issue 14, point 5)
    assert rep.daily.day(0) == D0 and rep.daily.day(-1) == D0 + timedelta(69)
    assert (rep.daily["load"] >= 0).all() and np.isnan(rep.daily["acwr"][:28]).all()
    for col in ("ctl", "atl", "tsb", "acwr_rolling", "monotony", "strain", "weekly_km"):
        assert col in rep.daily.columns


def test_planted_patterns_found(report) -> None:
    _, rep = report
    spike = [f for f in rep.findings if f.rule == "CR01" and f.date == D0 + timedelta(57)]
    assert spike and spike[0].severity == "warning" and spike[0].evidence["band"] == "warning"
    assert spike[0].evidence["ratio"] == pytest.approx(30 / 16, abs=1e-3)
    descent = [f for f in rep.findings if f.rule == "CR06"]
    assert [f.date for f in descent] == [D0 + timedelta(64)]
    ordered = [(f.date, f.rule) for f in rep.findings]
    assert ordered == sorted(ordered)


def test_cramp_context_and_history(report) -> None:
    _, rep = report
    during, night = rep.cramps
    assert "CR01" in during.in_session and during.local_date == D0 + timedelta(57)
    assert night.activity_id is None and night.in_session == []
    assert "CR06" in night.days_0_7  # the descent was the day before the night cramp
    (h,) = [f for f in rep.findings if f.rule == "CR09"]
    assert h.evidence["earlier_events"] == 1
    # the first cramp's window (days 58–64) holds only the CR06 warning: already the top step
    (d,) = [f for f in rep.findings if D0 + timedelta(58) <= f.date <= D0 + timedelta(64)
            and f.rule != "CR09"]  # fmt: skip
    assert d.rule == "CR06" and d.severity == "warning" and "raised_by" not in d.evidence
    # nothing up to the first cramp's day is raised (no hindsight); later raises name a cramp
    # dated 1–7 days before them
    days = {c.local_date for c in rep.cramps}
    for f in rep.findings:
        if "raised_by" in f.evidence:
            after = date.fromisoformat(f.evidence["raised_after"])
            assert after in days and 1 <= (f.date - after).days <= 7
    assert not any("raised_by" in f.evidence for f in rep.findings if f.date <= min(days))


def test_goal_notes_and_personal(report) -> None:
    _, rep = report
    assert rep.goal is not None and rep.goal.goal.name == "Trail marathon"
    rules = {a.rule: a for a in rep.goal.assessments}
    assert {"CR04", "CR05", "CR06", "CR07", "CR10"} <= set(rules)
    assert rules["CR06"].severity == "warning" and rules["CR07"].severity == "warning"
    text = " ".join(rep.notes)
    assert "estimated" in text and "fallback" in text and "session-RPE" in text
    assert "a = 0.86" in text
    assert not rep.personal.shown and rep.personal.events == 2
    sources = {f.load_source for f in rep.session_features}
    assert sources == {"hr", "rpe", "fallback"}


def test_to_dict_json_shape(report) -> None:
    acts, rep = report
    d = rep.to_dict({a.id: a for a in acts})
    text = json.dumps(d, allow_nan=False)
    back = json.loads(text)
    assert set(back) == {"athlete", "first_day", "last_day", "sessions", "findings",
                         "episodes", "cramps", "personal", "goal"}  # fmt: skip
    f = back["findings"][0]
    assert set(f) == {"rule", "name", "date", "severity", "session", "evidence", "grade",
                      "message", "sources"}  # fmt: skip
    e = back["episodes"][0]
    assert set(e) == {"rule", "name", "start", "end", "days", "severity", "grade", "message",
                      "evidence", "peak_day", "findings", "sessions"}  # fmt: skip
    spike_ep = next(x for x in back["episodes"] if x["rule"] == "CR01")
    assert spike_ep["sessions"] and spike_ep["sessions"][0]["sources"][0].endswith(".fit")
    spike = next(x for x in back["findings"] if x["rule"] == "CR01")
    # the planted 30 km on day 57: sessions are numbered from 1 on every day but the two rest
    # days a week (day % 7 in 2, 5), so 57 - 16 = 41 sessions come before it
    assert spike["session"]["sources"] == ["run42.fit"]
    c = back["cramps"][0]
    assert set(c["context"]) == {"in_session", "days_0_7", "days_8_42"}
    assert back["personal"] == {"events": 2, "shown": False, "associations": []}
    assert back["goal"]["name"] == "Trail marathon"


def test_since_filters_findings_only(report) -> None:
    acts, rep = report
    acts2, cramps = history()
    since = D0 + timedelta(60)
    rep2 = analyze_athlete(PROFILE, acts2, cramps, today=D0 + timedelta(75), since=since)
    assert rep2.findings == [f for f in rep.findings if f.date >= since]
    assert rep2.sessions == rep.sessions


def test_cached_features_and_duplicates() -> None:
    acts, cramps = history()
    hr = estimate_hr_bounds(PROFILE, acts)
    feats = [compute_features(a, PROFILE, hr) for a in acts]
    a = analyze_athlete(PROFILE, acts, cramps, today=D0 + timedelta(75))
    b = analyze_athlete(PROFILE, acts, cramps, today=D0 + timedelta(75), features=feats)
    assert a.findings == b.findings
    dup = session(999, 10, 9.0, summary_only=True)
    dup.source_format = "csv"
    c = analyze_athlete(PROFILE, [*acts, dup], cramps, today=D0 + timedelta(75))
    assert c.sessions == len(acts) and any("duplicate" in n for n in c.notes)


def test_empty_history() -> None:
    rep = analyze_athlete(Profile(name="new"), [], [])
    assert rep.sessions == 0 and rep.findings == [] and rep.first_day is None
    json.dumps(rep.to_dict({}), allow_nan=False)


def test_three_hundred_sessions_fast() -> None:
    acts = [session(i, i, 10.0 + (i % 7), drop=100.0 * (i % 3)) for i in range(300)]
    t0 = time.perf_counter()
    rep = analyze_athlete(Profile(name="x", sex="male"), acts, [])
    assert rep.sessions == 300
    assert time.perf_counter() - t0 < 20.0


def _dedupe_reference(pairs: list) -> tuple[list, int]:
    """The plain definition: each session against every kept one, the latest match first;
    two sessions of one family starting within 2 minutes (120 s, inclusive) are one, and the
    one kept has a sample stream, else the richer format (fit > tcx > gpx > csv > none)."""
    window_s = 120.0
    rank = {"fit": 4, "tcx": 3, "gpx": 2, "csv": 1}

    def _richness(a, f) -> tuple[bool, int]:
        streamed = not any(m.startswith("no sample stream") for m in f.missing)
        return (streamed, rank.get(a.source_format or "", 0))

    out: list = []
    dropped = 0
    for a, f in sorted(pairs, key=lambda p: p[0].start):
        dup = next((k for k in range(len(out) - 1, -1, -1)
                    if abs((out[k][0].start - a.start).total_seconds()) <= window_s
                    and out[k][1].family == f.family), None)  # fmt: skip
        if dup is None:
            out.append((a, f))
            continue
        dropped += 1
        if _richness(a, f) > _richness(*out[dup]):
            out[dup] = (a, f)
    return out, dropped


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            # start, seconds: chains of sessions under 2 min apart, and exactly 2 min apart
            st.one_of(st.integers(0, 40).map(lambda k: 30 * k), st.integers(0, 1200)),
            st.sampled_from(["running", "cycling"]),
            st.sampled_from(["fit", "gpx", "csv", None]),
            st.booleans(),  # has a stream
        ),
        max_size=40,
    )
)
def test_dedupe_matches_the_plain_definition(rows: list) -> None:
    from cramplog.analysis.athlete import _dedupe
    from cramplog.features.compute import SessionFeatures

    t0 = datetime(2024, 5, 1, 7, tzinfo=timezone.utc)
    pairs = []
    for i, (sec, fam, fmt, streamed) in enumerate(rows):
        start = t0 + timedelta(seconds=sec)
        a = Activity(sport=fam, start=start, id=i, source_format=fmt)
        f = SessionFeatures(activity_id=i, local_date=start.date(), sport=fam, family=fam,
                            is_race=False, start=start)  # fmt: skip
        if not streamed:
            f.missing.append("no sample stream: summary values only")
        pairs.append((a, f))
    got, dropped = _dedupe(pairs)
    want, want_dropped = _dedupe_reference(pairs)
    assert dropped == want_dropped
    assert [(a.id, f.activity_id) for a, f in got] == [(a.id, f.activity_id) for a, f in want]


def test_duplicates_keep_the_same_session_with_or_without_loaded_streams() -> None:
    """A warm run takes features from the cache and loads no streams; it must keep the same
    one of two duplicate sessions as the cold run that had the streams in memory."""
    from cramplog.features.compute import compute_features, estimate_hr_bounds

    streamed = session(0, 0, 10.0)
    streamed.source_format = "gpx"
    summary = Activity(sport="running", start=streamed.start + timedelta(seconds=30),
                       elapsed_s=3600.0, distance_m=10_000.0, source_format="fit")  # fmt: skip
    summary.id = 99
    assert streamed.stream is not None
    profile = Profile(name="x", sex="male", hr_max=190, hr_rest=50)
    acts = [streamed, summary]
    hr = estimate_hr_bounds(profile, acts)
    feats = [compute_features(a, profile, hr) for a in acts]
    cold = analyze_athlete(profile, acts, [], features=feats, hr=hr)
    streamed.stream = None  # as loaded by a warm run
    warm = analyze_athlete(profile, acts, [], features=feats, hr=hr)
    kept = [s.activity_id for s in cold.session_features]
    assert kept == [s.activity_id for s in warm.session_features] == [streamed.id]
