"""The rule catalogue CR01–CR11 (SCIENCE.md): a registry of small rule units.

``RULES`` maps id → ``Rule`` (id, name, grade, sources, default thresholds, run, goal
assessment). ``run_rules`` runs them all and applies CR09's severity raise.

May import: model, errors, thresholds, features, metrics. Never analysis, render or cli.
"""

from __future__ import annotations

from cramplog.model import Finding, Goal
from cramplog.rules.base import GoalAssessment, Rule, RuleInputs, raise_severity
from cramplog.rules.descent import RULE as CR06
from cramplog.rules.heat import RULE_CR07 as CR07
from cramplog.rules.heat import RULE_CR11 as CR11
from cramplog.rules.history import RULE as CR09
from cramplog.rules.history import goal_history, raise_for_history
from cramplog.rules.load import RULE_CR01 as CR01
from cramplog.rules.load import RULE_CR02 as CR02
from cramplog.rules.load import RULE_CR03 as CR03
from cramplog.rules.load import RULE_CR10 as CR10
from cramplog.rules.longrun import RULE as CR05
from cramplog.rules.pace import RULE as CR04
from cramplog.rules.taper import RULE as CR08

RULES: dict[str, Rule] = {
    r.id: r for r in (CR01, CR02, CR03, CR04, CR05, CR06, CR07, CR08, CR09, CR10, CR11)
}

__all__ = ["RULES", "GoalAssessment", "Rule", "RuleInputs", "assess_goal", "run_rules"]


def run_rules(ctx: RuleInputs, only: list[str] | None = None) -> list[Finding]:
    """All findings (or those of ``only``), CR09's raise applied, sorted by date then rule."""
    out: list[Finding] = []
    for rid, rule in RULES.items():
        if only is None or rid in only:
            out.extend(rule.run(ctx))
    if only is None or "CR09" in only:
        out = raise_for_history(out, ctx.cramps, int(ctx.th["CR09"]["window_days"]))
    out.sort(key=lambda f: (f.date, f.rule, f.activity_id or 0))
    return out


def assess_goal(ctx: RuleInputs, goal: Goal) -> list[GoalAssessment]:
    """Each goal-aware rule's view of ``goal`` as of ``ctx.today``; CR09 raises the flags."""
    out = [r.assess_goal(ctx, goal) for r in RULES.values() if r.assess_goal is not None]
    items = [a for a in out if a is not None]
    hist = goal_history(ctx)
    if hist.status == "flag":
        for a in items:
            if a.severity is not None and a.severity != "warning":
                a.evidence = {**a.evidence, "raised_by": "CR09", "base_severity": a.severity}
                a.severity = raise_severity(a.severity)
    items.append(hist)
    items.sort(key=lambda a: a.rule)
    return items
