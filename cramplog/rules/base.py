"""What every rule shares: the rule record, the context it reads, Finding building helpers."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from cramplog.features.compute import SessionFeatures
from cramplog.model import SEVERITIES, CrampEvent, Finding, Goal, Grade, Profile, Severity, Status

if TYPE_CHECKING:
    from cramplog.metrics.daily import Daily


class SessionIndex:
    """Sessions with their starts and local days as plain lists, for bisect look-ups.

    ``ordered``: both starts and local days are non-decreasing (the usual case: features
    sorted by start, one time zone), so a window of days is one contiguous slice."""

    def __init__(self, features: list[SessionFeatures]):
        self.features = features
        self.starts: list[datetime] = [f.start for f in features]
        self.days: list[date] = [f.local_date for f in features]
        self.ordered = all(a <= b for a, b in pairwise(self.starts)) and all(
            a <= b for a, b in pairwise(self.days)
        )
        # each family's positions, in order
        self.by_family: dict[str, list[int]] = {}
        for k, f in enumerate(features):
            self.by_family.setdefault(f.family, []).append(k)
        self._values: dict[str, dict[str, list[Any]]] = {}

    def day_slice(self, lo: date, hi: date) -> tuple[int, int]:
        """Positions [i, j) of the sessions with ``lo <= local_date < hi`` (ordered only)."""
        return bisect_left(self.days, lo), bisect_left(self.days, hi)

    def prior_slice(self, f: SessionFeatures, days: float) -> tuple[int, int]:
        """Positions [i, j) of the sessions that started before ``f`` on the ``days`` local
        days before it or on its day (ordered only)."""
        lo = f.local_date - timedelta(days=int(days))
        return bisect_left(self.days, lo), bisect_left(self.starts, f.start)

    def family_values(self, family: str, attr: str, i: int, j: int) -> list[Any]:
        """``attr`` of the ``family`` sessions at positions [i, j), in order."""
        pos = self.by_family.get(family, [])
        per = self._values.setdefault(attr, {})
        if family not in per:
            per[family] = [getattr(self.features[k], attr) for k in pos]
        return per[family][bisect_left(pos, i) : bisect_left(pos, j)]


@dataclass
class GoalAssessment:
    """One goal-aware rule's view of an upcoming goal.

    ``status``: "flag" (``severity`` set), "ok" (checked, nothing found) or "unknown" (not
    enough data to say)."""

    rule: str
    name: str
    status: Status
    severity: Severity | None
    grade: Grade
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "status": self.status,
            "severity": self.severity,
            "grade": self.grade,
            "message": self.message,
            "evidence": json_safe(self.evidence),
            "sources": list(self.sources),
        }


@dataclass
class RuleInputs:
    """Everything a rule may read. ``features`` are sorted by start."""

    features: list[SessionFeatures]
    daily: Daily
    profile: Profile
    th: dict[str, dict[str, float]]
    today: date
    cramps: list[CrampEvent] = field(default_factory=list)
    # look-up tables built on first use, with the object they were built from
    # (init=False: dataclasses.replace starts without them)
    _index: tuple[list[SessionFeatures], int, SessionIndex] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def first_day(self) -> date | None:
        return self.features[0].local_date if self.features else None

    def index(self) -> SessionIndex:
        """The index of ``features``, rebuilt when the list is replaced or changes length
        (rules read the context; none edits a session in place)."""
        c = self._index
        if c is None or c[0] is not self.features or c[1] != len(self.features):
            c = self._index = (self.features, len(self.features), SessionIndex(self.features))
        return c[2]

    def arrays(self) -> Daily:
        """``daily``: its columns are numpy arrays, its rows' days look-ups
        (``n``, ``cols``, ``day``, ``since``, ``value``)."""
        return self.daily

    def prior(
        self, f: SessionFeatures, days: float, families: frozenset[str] | None = None
    ) -> list[SessionFeatures]:
        """Sessions that started before ``f`` within ``days`` local days, same family
        (or one of ``families``)."""
        lo = f.local_date - timedelta(days=int(days))
        fams = families or frozenset({f.family})
        idx = self.index()
        if idx.ordered:
            # starts before f's: a prefix; days from lo on: a suffix
            i, j = idx.prior_slice(f, days)
            return [g for g in self.features[i:j] if g.family in fams and g is not f]
        return [
            g
            for g in self.features
            if g.start < f.start and g.local_date >= lo and g.family in fams and g is not f
        ]

    def prior_values(self, f: SessionFeatures, days: float, attr: str) -> list[Any]:
        """The non-zero, non-None ``attr`` values of ``prior(f, days)``, in order."""
        idx = self.index()
        if not idx.ordered:
            return [v for g in self.prior(f, days) if (v := getattr(g, attr))]
        i, j = idx.prior_slice(f, days)
        # f itself is not among them: it does not start before itself
        return [v for v in idx.family_values(f.family, attr, i, j) if v]

    def before_day(
        self, day: date, days: float, families: frozenset[str] | None = None
    ) -> list[SessionFeatures]:
        """Sessions on the ``days`` local days before ``day`` (``day`` itself excluded)."""
        lo = day - timedelta(days=int(days))
        idx = self.index()
        if idx.ordered:
            i, j = idx.day_slice(lo, day)
            return [g for g in self.features[i:j] if families is None or g.family in families]
        return [
            g
            for g in self.features
            if lo <= g.local_date < day and (families is None or g.family in families)
        ]

    def history_ok(self, f: SessionFeatures) -> bool:
        """Whether the log covers enough days before ``f`` to compare it with the past."""
        first = self.first_day
        need = self.th["general"]["min_history_days"]
        return first is not None and (f.local_date - first).days >= need

    def min_prior(self) -> int:
        return int(self.th["general"]["min_prior_sessions"])


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    grade: Grade
    sources: tuple[str, ...]
    run: Callable[[RuleInputs], list[Finding]]
    assess_goal: Callable[[RuleInputs, Goal], GoalAssessment | None] | None = None
    summary: str = ""

    @property
    def defaults(self) -> dict[str, float]:
        from cramplog.thresholds import DEFAULTS

        return dict(DEFAULTS.get(self.id, {}))

    def finding(
        self,
        day: date,
        severity: Severity,
        message: str,
        evidence: dict[str, Any],
        activity_id: int | None = None,
    ) -> Finding:
        return Finding(
            rule=self.id,
            name=self.name,
            date=day,
            severity=severity,
            grade=self.grade,
            message=message,
            evidence=json_safe(evidence),
            activity_id=activity_id,
            sources=self.sources,
        )

    def assessment(
        self, status: Status, severity: Severity | None, message: str, evidence: dict[str, Any]
    ) -> GoalAssessment:
        return GoalAssessment(
            self.id, self.name, status, severity, self.grade, message, evidence, self.sources
        )


def json_safe(value: Any) -> Any:
    """Numbers rounded to 3 significant decimals, NaN/inf → None, dates → ISO strings."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return value
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return None
    if float(x).is_integer() and abs(x) < 1e15 and not isinstance(value, float):
        return int(x)
    return round(x, 3)


def raise_severity(severity: Severity) -> Severity:
    i = SEVERITIES.index(severity)
    return SEVERITIES[min(i + 1, len(SEVERITIES) - 1)]


def band(
    value: float | None, caution: float, warning: float, strict: bool = False
) -> Severity | None:
    """'warning' / 'caution' / None for a value against two increasing thresholds."""
    if value is None or not math.isfinite(value):
        return None
    if (value > warning) if strict else (value >= warning):
        return "warning"
    if (value > caution) if strict else (value >= caution):
        return "caution"
    return None


def fmt_km(m: float | None) -> str:
    return "?" if m is None else f"{m / 1000.0:.1f} km"


def fmt_dur(s: float | None) -> str:
    if s is None:
        return "?"
    s = int(round(s))
    return f"{s // 3600}:{(s % 3600) // 60:02d}:{s % 60:02d}"


def fmt_pace(s_per_km: float | None) -> str:
    if s_per_km is None:
        return "?"
    s = int(round(s_per_km))
    return f"{s // 60}:{s % 60:02d}/km"
