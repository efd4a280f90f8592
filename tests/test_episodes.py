"""Episodes from hand-built findings: the gap at its boundary, the severity peak, rules that
interleave, sessions, and the episodes the JSON and the cache carry."""

from __future__ import annotations

from datetime import date, timedelta

from cramplog.analysis.episodes import GAP_DAYS, group_episodes
from cramplog.analysis.outcome import outcome_doc
from cramplog.model import Finding

D0 = date(2026, 3, 2)


def f(rule: str, day: int, sev: str = "caution", act: int | None = None, msg: str = "") -> Finding:
    return Finding(
        rule=rule,
        name={"CR02": "acwr", "CR03": "monotony", "CR01": "session_spike"}.get(rule, "x"),
        date=D0 + timedelta(days=day),
        severity=sev,  # type: ignore[arg-type]
        grade="weak" if sev != "warning" else "moderate",
        message=msg or f"{rule} day {day} {sev}",
        evidence={"day": day},
        activity_id=act,
    )


def test_gap_of_three_days_joins_and_four_splits() -> None:
    assert GAP_DAYS == 3
    # days 0 and 3 are 3 apart: one episode; day 8 is 5 after day 3: a new one
    eps = group_episodes([f("CR02", 0), f("CR02", 3), f("CR02", 8), f("CR02", 11)])
    assert [(e.start, e.end, e.days) for e in eps] == [
        (D0, D0 + timedelta(days=3), 2),
        (D0 + timedelta(days=8), D0 + timedelta(days=11), 2),
    ]
    # 4 days apart: two episodes of one day each
    eps = group_episodes([f("CR02", 0), f("CR02", 4)])
    assert [(e.start, e.end, e.days) for e in eps] == [
        (D0, D0, 1),
        (D0 + timedelta(days=4), D0 + timedelta(days=4), 1),
    ]


def test_chain_of_small_gaps_is_one_episode_however_long() -> None:
    days = [0, 2, 5, 8, 11, 14, 17]  # every gap ≤ 3
    eps = group_episodes([f("CR03", d, "info") for d in days])
    assert len(eps) == 1
    assert (eps[0].start, eps[0].end, eps[0].days, eps[0].findings) == (
        D0,
        D0 + timedelta(days=17),
        7,
        7,
    )


def test_peak_is_the_first_finding_at_the_highest_severity() -> None:
    items = [
        f("CR02", 0, "info", msg="low"),
        f("CR02", 1, "warning", msg="first warning"),
        f("CR02", 2, "caution", msg="back down"),
        f("CR02", 3, "warning", msg="second warning"),
    ]
    (e,) = group_episodes(items)
    assert e.severity == "warning"
    assert e.message == "first warning"
    assert e.peak_day == D0 + timedelta(days=1)
    assert e.evidence == {"day": 1}
    assert e.grade == "moderate"


def test_interleaved_rules_never_merge_and_sort_by_start() -> None:
    items = [f("CR02", d) for d in (0, 2, 4)] + [f("CR03", d, "info") for d in (1, 3, 9)]
    eps = group_episodes(items)
    assert [(e.rule, e.start.day - D0.day, e.end.day - D0.day) for e in eps] == [
        ("CR02", 0, 4),
        ("CR03", 1, 3),
        ("CR03", 9, 9),
    ]


def test_same_day_findings_count_one_day_and_sessions_are_distinct_in_order() -> None:
    items = [
        f("CR01", 0, act=11),
        f("CR01", 0, act=12),
        f("CR01", 2, act=11),
        f("CR01", 3),  # a day-level finding names no session
    ]
    (e,) = group_episodes(items)
    assert e.days == 3
    assert e.findings == 4
    assert e.activity_ids == (11, 12)


def test_episodes_partition_the_findings() -> None:
    items = [f("CR02", d) for d in (0, 1, 5, 6, 30)] + [f("CR08", d) for d in (2, 20)]
    eps = group_episodes(items)
    assert sum(e.findings for e in eps) == len(items)
    assert group_episodes([]) == []


def test_outcome_doc_checks_episode_severities_and_requires_the_list() -> None:
    report = {"findings": [], "episodes": [{"severity": "warning"}], "goal": None}
    good = {"report": report, "overview": {}, "features_key": "k"}
    assert outcome_doc(good) is not None
    bad = {"report": {**report, "episodes": [{"severity": "loud"}]}, "overview": {}}
    assert outcome_doc(bad) is None
    old = {"report": {"findings": [], "goal": None}, "overview": {}}  # before episodes
    assert outcome_doc(old) is None
