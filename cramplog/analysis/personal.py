"""Personal associations: a self-matched case-crossover on the athlete's own sessions.

Units are sessions. Case sessions carry a linked cramp. Controls are the athlete's other
sessions of the same sport family and the same kind (race vs training) within ±12 weeks of a
case session (each counted once). Each binary feature is "rule R fired in window W" for the
windows of ``context.WINDOWS``; features exposed in no session are not tested. Per feature:
the 2×2 counts, relative risk (0.5 added to every cell), one-sided Fisher exact p and Holm's
correction over the features tested. Nothing is shown below 5 logged cramp events; every
association is a hypothesis.

One event, one exposure (SCIENCE.md; issue 14): rules that fire on the same session for the
same reason are not separate tests. The session-size rules (``SAME_REASON``: CR01 spike,
CR05 long-run jump, CR10 duration) are one exposure "fired any of them"; beyond that, rules
whose exposure is identical in every case and control session of a window are one row (they
cannot be told apart). Holm runs over these merged rows. ``feature`` names the merged rules
joined by "+", ``rules`` lists them.

Counts first: a relative risk resting on fewer than ``MIN_EXPOSED_CASES`` (2) exposed case
sessions is not a headline: ``rr_shown`` is false (the JSON keeps the number, the tables
show "–"), and such rows sort after those that have it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from cramplog.analysis.cramp_context import WINDOWS, FindingIndex
from cramplog.features.compute import SessionFeatures
from cramplog.metrics.stats import fisher_exact_greater, holm, relative_risk
from cramplog.model import PERSONAL_MIN_EVENTS, CrampEvent, Finding

MIN_EVENTS = PERSONAL_MIN_EVENTS
CONTROL_DAYS = 84
MIN_EXPOSED_CASES = 2
# Rules that fire for one reason on one session: its size against the athlete's recent longest.
SAME_REASON = ("CR01", "CR05", "CR10")
ALPHA = 0.05


@dataclass
class Association:
    feature: str
    window: str
    case_exposed: int
    case_unexposed: int
    control_exposed: int
    control_unexposed: int
    relative_risk: float
    p_value: float
    p_holm: float
    label: str = "hypothesis"
    rules: list[str] = field(default_factory=list)
    rr_shown: bool = True  # False: fewer than MIN_EXPOSED_CASES exposed cases

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("relative_risk", "p_value", "p_holm"):
            d[k] = float(f"{float(d[k]):.4g}")  # significant digits: small p stays non-zero
        return d


@dataclass
class PersonalResult:
    events: int
    shown: bool
    associations: list[Association] = field(default_factory=list)
    case_sessions: int = 0
    control_sessions: int = 0

    @property
    def survivors(self) -> int:
        """Associations whose Holm-corrected p is below 0.05."""
        return sum(a.p_holm < ALPHA for a in self.associations)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "events": self.events,
            "shown": self.shown,
            "associations": [a.to_dict() for a in self.associations] if self.shown else [],
        }
        if self.shown:
            out["survive_holm"] = self.survivors
        return out


def _merge(
    case_exp: list[set[tuple[str, str]]], ctrl_exp: list[set[tuple[str, str]]]
) -> tuple[
    list[set[tuple[str, str]]], list[set[tuple[str, str]]], dict[tuple[str, str], list[str]]
]:
    """Exposure sets with one-event rules merged, and each merged feature's rules."""
    same = set(SAME_REASON)
    label = "+".join(SAME_REASON)

    def first(e: set[tuple[str, str]]) -> set[tuple[str, str]]:
        return {(label, w) if r in same else (r, w) for r, w in e}

    case_exp, ctrl_exp = [first(e) for e in case_exp], [first(e) for e in ctrl_exp]
    rows = case_exp + ctrl_exp
    feats = sorted(set().union(*rows), key=lambda x: (x[1], x[0]))
    # identical exposure in every session of the window: one row
    pattern: dict[tuple[str, tuple[bool, ...]], list[str]] = {}
    for rule, win in feats:
        key = (win, tuple((rule, win) in e for e in rows))
        pattern.setdefault(key, []).append(rule)
    rename: dict[tuple[str, str], tuple[str, str]] = {}
    members: dict[tuple[str, str], list[str]] = {}
    for (win, _), names in pattern.items():
        rules = sorted({r for n in names for r in n.split("+")})
        new = ("+".join(rules), win)
        members[new] = rules
        for n in names:
            rename[(n, win)] = new

    def second(e: set[tuple[str, str]]) -> set[tuple[str, str]]:
        return {rename[x] for x in e}

    return [second(e) for e in case_exp], [second(e) for e in ctrl_exp], members


def personal_associations(
    features: list[SessionFeatures],
    findings: list[Finding],
    cramps: list[CrampEvent],
    *,
    min_events: int = MIN_EVENTS,
    control_days: int = CONTROL_DAYS,
) -> PersonalResult:
    events = len(cramps)
    if events < min_events:
        return PersonalResult(events=events, shown=False)
    linked = {c.activity_id for c in cramps if c.activity_id is not None}
    cases = [f for f in features if f.activity_id is not None and f.activity_id in linked]
    span = timedelta(days=control_days)
    controls = [
        g
        for g in features
        if g.activity_id not in linked
        and any(
            g.family == c.family
            and g.is_race == c.is_race
            and abs(g.local_date - c.local_date) <= span
            for c in cases
        )
    ]
    idx = FindingIndex(findings)

    def exposures(f: SessionFeatures) -> set[tuple[str, str]]:
        w = idx.windows(f.local_date, f.activity_id)
        return {(rule, win) for win in WINDOWS for rule in w[win]}

    case_exp, ctrl_exp, members = _merge(
        [exposures(f) for f in cases], [exposures(f) for f in controls]
    )
    feats = sorted(set().union(*case_exp, *ctrl_exp), key=lambda x: (x[0], WINDOWS.index(x[1])))
    rows = []
    for feat in feats:
        a = sum(feat in e for e in case_exp)
        c = sum(feat in e for e in ctrl_exp)
        b, d = len(cases) - a, len(controls) - c
        rows.append((feat, a, b, c, d, relative_risk(a, b, c, d), fisher_exact_greater(a, b, c, d)))
    adjusted = holm([r[6] for r in rows])
    assoc = [
        Association(
            feat[0],
            feat[1],
            a,
            b,
            c,
            d,
            rr,
            p,
            ph,
            rules=members[feat],
            rr_shown=a >= MIN_EXPOSED_CASES,
        )  # fmt: skip
        for (feat, a, b, c, d, rr, p), ph in zip(rows, adjusted, strict=True)
    ]
    assoc.sort(key=lambda x: (not x.rr_shown, x.p_value, -x.relative_risk, x.feature, x.window))
    return PersonalResult(events, True, assoc, len(cases), len(controls))
