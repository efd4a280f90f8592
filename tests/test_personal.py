"""Personal case-crossover associations and cramp context windows."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import fisher_exact

from cramplog.analysis.cramp_context import cramp_contexts
from cramplog.analysis.personal import personal_associations
from cramplog.features.compute import SessionFeatures
from cramplog.metrics.stats import relative_risk
from cramplog.model import CrampEvent, Finding

D0 = date(2024, 1, 1)


def sess(i: int, day: int, family: str = "running", race: bool = False) -> SessionFeatures:
    d = D0 + timedelta(days=day)
    return SessionFeatures(activity_id=i, local_date=d, sport=family, family=family, is_race=race,
                           start=datetime(d.year, d.month, d.day, 8, tzinfo=timezone.utc))  # fmt: skip


def finding(rule: str, day: date, activity_id: int | None = None) -> Finding:
    return Finding(rule=rule, name=rule.lower(), date=day, severity="caution", grade="weak",
                   message="m", activity_id=activity_id)  # fmt: skip


def cramp_on(f: SessionFeatures) -> CrampEvent:
    return CrampEvent(when=f.start + timedelta(hours=1), muscle="calf", activity_id=f.activity_id)


def world():
    # 25 running sessions every 3 days; cases are 5 of them; CR06 fires in all 5 cases and in
    # 2 of the 20 controls; a cycling session and a far-away run must not be controls
    feats = [sess(i + 1, 3 * i) for i in range(25)]
    cases = [feats[i] for i in (2, 7, 12, 17, 22)]
    controls = [f for f in feats if f not in cases]
    findings = [finding("CR06", f.local_date, f.activity_id) for f in [*cases, *controls[:2]]]
    feats += [sess(100, 30, family="cycling"), sess(101, 400)]
    return feats, findings, [cramp_on(f) for f in cases]


def test_counts_rr_fisher_holm() -> None:
    feats, findings, cramps = world()
    res = personal_associations(feats, findings, cramps)
    assert res.shown and res.events == 5 and res.control_sessions == 20
    (a,) = [x for x in res.associations if x.feature == "CR06" and x.window == "in_session"]
    assert (a.case_exposed, a.case_unexposed, a.control_exposed, a.control_unexposed) == (
        5, 0, 2, 18,
    )  # fmt: skip
    assert a.relative_risk == pytest.approx(relative_risk(5, 0, 2, 18))
    assert a.p_value == pytest.approx(fisher_exact([[5, 0], [2, 18]], alternative="greater")[1])
    m = len(res.associations)
    assert a.p_holm == pytest.approx(min(1.0, m * a.p_value))  # the smallest p gets × m
    assert all(x.label == "hypothesis" for x in res.associations)
    d = res.to_dict()
    assert d["shown"] and d["associations"][0]["label"] == "hypothesis"
    top = d["associations"][0]
    assert top["p_value"] == pytest.approx(21 / 53130, rel=1e-3) and top["p_value"] > 0


def test_nothing_shown_under_five_events() -> None:
    feats, findings, cramps = world()
    res = personal_associations(feats, findings, cramps[:4])
    assert not res.shown and res.events == 4
    assert res.to_dict() == {"events": 4, "shown": False, "associations": []}


def test_races_and_training_kept_apart() -> None:
    feats = [sess(i + 1, 2 * i) for i in range(10)] + [sess(50, 5, race=True)]
    cramps = [cramp_on(feats[-1])] * 5
    res = personal_associations(feats, [finding("CR04", feats[-1].local_date, 50)], cramps)
    assert res.case_sessions == 1 and res.control_sessions == 0


def test_cramp_context_windows() -> None:
    s = sess(1, 30)
    findings = [
        finding("CR01", s.local_date, 1),  # this session
        finding("CR03", s.local_date),  # day-level on the session day
        finding("CR07", s.local_date, 2),  # another session that day
        finding("CR02", s.local_date - timedelta(days=7)),
        finding("CR06", s.local_date - timedelta(days=8)),
        finding("CR05", s.local_date - timedelta(days=42)),
        finding("CR08", s.local_date - timedelta(days=43)),  # too old
        finding("CR09", s.local_date, 1),  # history is not context
    ]
    (c,) = cramp_contexts([cramp_on(s)], findings)
    assert c.in_session == ["CR01", "CR03"]
    assert c.days_0_7 == ["CR02", "CR07"]
    assert c.days_8_42 == ["CR05", "CR06"]
    night = CrampEvent(when=datetime(2024, 1, 31, 3, tzinfo=timezone.utc), muscle="calf",
                       timing="night")  # fmt: skip
    (n,) = cramp_contexts([night], findings)
    assert n.in_session == [] and "CR01" in n.days_0_7 and "CR03" in n.days_0_7


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["CR01", "CR02", "CR03", "CR06", "CR09"]),
            st.integers(0, 100),  # day
            st.sampled_from([None, 1, 2, 3]),  # session
        ),
        max_size=40,
    ),
    day=st.integers(-5, 150),
    activity_id=st.sampled_from([None, 1, 2]),
)
def test_finding_index_windows_match_the_day_by_day_walk(
    rows: list[tuple[str, int, int | None]], day: int, activity_id: int | None
) -> None:
    """``FindingIndex.windows`` bisects the finding days; the walk over days 0–42 back it
    replaced gives the same windows."""
    from cramplog.analysis.cramp_context import EXCLUDED, WINDOWS, FindingIndex

    findings = [finding(r, D0 + timedelta(days=d), a) for r, d, a in rows]
    when = D0 + timedelta(days=day)
    by_day: dict[date, list[Finding]] = {}
    for f in findings:
        if f.rule not in EXCLUDED:
            by_day.setdefault(f.date, []).append(f)
    want: dict[str, set[str]] = {w: set() for w in WINDOWS}
    for back in range(0, 43):
        for f in by_day.get(when - timedelta(days=back), ()):
            if back >= 8:
                want["days_8_42"].add(f.rule)
            elif activity_id is not None and (
                f.activity_id == activity_id or (back == 0 and f.activity_id is None)
            ):
                want["in_session"].add(f.rule)
            else:
                want["days_0_7"].add(f.rule)
    got = FindingIndex(findings).windows(when, activity_id)
    assert got == {w: sorted(s) for w, s in want.items()}


# -- one event, one exposure; counts first (issue 14, point 7) ------------------------------


def test_rules_firing_for_one_reason_are_one_exposure() -> None:
    feats, findings, cramps = world()
    long_run = feats[2]  # a case session: a long run is at once CR01, CR05 and CR10
    findings += [finding(r, long_run.local_date, long_run.activity_id)
                 for r in ("CR01", "CR05", "CR10")]  # fmt: skip
    findings += [finding("CR10", feats[0].local_date, feats[0].activity_id)]  # CR10 alone
    # CR07 and CR11 fire on exactly the same sessions: one row too
    for f in (feats[7], feats[12], feats[4]):
        findings += [finding(r, f.local_date, f.activity_id) for r in ("CR07", "CR11")]
    res = personal_associations(feats, findings, cramps)
    names = {(a.feature, a.window) for a in res.associations}
    assert ("CR01+CR05+CR10", "in_session") in names
    assert ("CR07+CR11", "in_session") in names
    assert not any(a.feature in {"CR01", "CR05", "CR10", "CR07", "CR11"}
                   for a in res.associations)  # fmt: skip
    (size,) = [a for a in res.associations if a.feature == "CR01+CR05+CR10"
               and a.window == "in_session"]  # fmt: skip
    assert size.rules == ["CR01", "CR05", "CR10"]
    assert (size.case_exposed, size.control_exposed) == (1, 1)  # any of them fired
    # Holm over the merged rows: the smallest p times the number of rows
    best = min(res.associations, key=lambda a: a.p_value)
    assert best.p_holm == pytest.approx(min(1.0, len(res.associations) * best.p_value))
    assert len(res.associations) == len(names)


def test_no_headline_relative_risk_below_two_exposed_cases() -> None:
    feats, findings, cramps = world()
    one = feats[2]  # CR04 on one case session only, on no control: RR large, n = 1
    findings += [finding("CR04", one.local_date, one.activity_id)]
    res = personal_associations(feats, findings, cramps)
    (a,) = [x for x in res.associations if x.feature == "CR04" and x.window == "in_session"]
    assert a.case_exposed == 1 and not a.rr_shown
    assert a.relative_risk == pytest.approx(relative_risk(1, 4, 0, 20))  # kept in JSON
    assert a.to_dict()["rr_shown"] is False and a.to_dict()["relative_risk"] > 1
    first = res.associations[0]
    assert first.rr_shown and first.case_exposed >= 2  # it does not lead the table
    shown = [x.rr_shown for x in res.associations]
    assert shown == sorted(shown, reverse=True)


def test_render_counts_first_and_says_none_survive() -> None:
    from cramplog.render.personal_text import holm_verdict, personal_sentence, rr_text

    weak = {"feature": "CR04", "window": "in_session", "case_exposed": 1, "case_unexposed": 5,
            "control_exposed": 0, "control_unexposed": 122, "relative_risk": 17.45,
            "p_value": 0.047, "p_holm": 1.0, "rr_shown": False}  # fmt: skip
    personal = {"events": 8, "shown": True, "associations": [weak], "survive_holm": 0}
    assert rr_text(weak) == "–"
    assert "none survive correction" in personal_sentence(personal)
    assert "chance would" not in personal_sentence(personal)
    strong = dict(weak, case_exposed=4, p_holm=0.01, rr_shown=True, relative_risk=9.1)
    assert rr_text(strong) == "9.1"
    assert holm_verdict({"associations": [strong, weak]}) == "1 survives correction (Holm)"


def test_two_exposed_cases_are_enough_for_a_headline_relative_risk() -> None:
    """The boundary of "no headline RR below two exposed cases": exactly two shows it."""
    feats, findings, cramps = world()
    two = [feats[2], feats[7]]  # CR04 on two case sessions, on no control
    findings += [finding("CR04", f.local_date, f.activity_id) for f in two]
    res = personal_associations(feats, findings, cramps)
    (a,) = [x for x in res.associations if x.feature == "CR04" and x.window == "in_session"]
    assert (a.case_exposed, a.control_exposed) == (2, 0)
    assert a.rr_shown and a.to_dict()["rr_shown"] is True
