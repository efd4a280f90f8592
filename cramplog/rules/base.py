"""What every rule shares: the rule record, the context it reads, Finding building helpers."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from cramplog.features import SessionFeatures
from cramplog.model import SEVERITIES, CrampEvent, Finding, Goal, Profile

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class GoalAssessment:
    """One goal-aware rule's view of an upcoming goal.

    ``status``: "flag" (``severity`` set), "ok" (checked, nothing found) or "unknown" (not
    enough data to say)."""

    rule: str
    name: str
    status: str
    severity: str | None
    grade: str
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
class RuleContext:
    """Everything a rule may read. ``features`` are sorted by start."""

    features: list[SessionFeatures]
    daily: pd.DataFrame
    profile: Profile
    th: dict[str, dict[str, float]]
    today: date
    cramps: list[CrampEvent] = field(default_factory=list)

    @property
    def first_day(self) -> date | None:
        return self.features[0].local_date if self.features else None

    def prior(
        self, f: SessionFeatures, days: float, families: frozenset[str] | None = None
    ) -> list[SessionFeatures]:
        """Sessions that started before ``f`` within ``days`` local days, same family
        (or one of ``families``)."""
        lo = f.local_date - timedelta(days=int(days))
        fams = families or frozenset({f.family})
        return [
            g
            for g in self.features
            if g.start < f.start and g.local_date >= lo and g.family in fams and g is not f
        ]

    def before_day(
        self, day: date, days: float, families: frozenset[str] | None = None
    ) -> list[SessionFeatures]:
        """Sessions on the ``days`` local days before ``day`` (``day`` itself excluded)."""
        lo = day - timedelta(days=int(days))
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
    grade: str
    sources: tuple[str, ...]
    run: Callable[[RuleContext], list[Finding]]
    assess_goal: Callable[[RuleContext, Goal], GoalAssessment | None] | None = None
    summary: str = ""

    @property
    def defaults(self) -> dict[str, float]:
        from cramplog.thresholds import DEFAULTS

        return dict(DEFAULTS.get(self.id, {}))

    def finding(
        self,
        day: date,
        severity: str,
        message: str,
        evidence: dict[str, Any],
        activity_id: int | None = None,
    ) -> Finding:
        assert severity in SEVERITIES, severity
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
        self, status: str, severity: str | None, message: str, evidence: dict[str, Any]
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


def raise_severity(severity: str) -> str:
    i = SEVERITIES.index(severity)
    return SEVERITIES[min(i + 1, len(SEVERITIES) - 1)]


def band(value: float | None, caution: float, warning: float, strict: bool = False) -> str | None:
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


def day_value(daily: pd.DataFrame, day: date, column: str) -> float | None:
    """A daily column's value on ``day`` (None when absent or NaN)."""
    import pandas as pd

    ts = pd.Timestamp(day)
    if ts not in daily.index:
        return None
    v = float(daily.at[ts, column])
    return v if math.isfinite(v) else None
