"""``--format junit``: one ``<testsuite>`` per athlete, one ``<testcase>`` per rule (CR01 …
CR11), a ``<failure>`` per *episode* (``analysis.episodes``: the rule's findings on days at
most three apart) whose peak is at or above the failure level, for CI test reporters; a
pattern flagged on seven days in a row is one failure, not seven.

Counts: ``tests`` = rules checked; ``failures`` = rules with at least one failure (a test
case with several episodes carries several ``<failure>`` elements, which the Jenkins/Ant
JUnit schema allows); ``errors`` = 1 for an athlete who could not be analysed (one
``analysis`` test case carrying an ``<error>``). ``<testsuites>`` sums them. Built with
``xml.etree`` so every text and attribute is escaped; characters XML 1.0 cannot carry are
replaced.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from cramplog.model import SEVERITIES

if TYPE_CHECKING:
    from cramplog.analysis.outcome import AthleteOutcome

# XML 1.0 forbids most control characters even when escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: object) -> str:
    return _INVALID_XML.sub("\ufffd", str(text))


def rule_catalogue() -> list[tuple[str, str]]:
    """(id, name) of every rule, in id order."""
    from cramplog.rules import RULES

    return sorted((r.id, r.name) for r in RULES.values())


def render_junit(outcomes: Sequence[AthleteOutcome], *, fail_level: str = "warning") -> str:
    """The JUnit XML document; findings at or above ``fail_level`` are failures."""
    threshold = SEVERITIES.index(fail_level)
    rules = rule_catalogue()
    root = ET.Element("testsuites", name="cramplog")
    total_tests = total_failures = total_errors = 0
    for o in outcomes:
        suite = ET.SubElement(root, "testsuite", name=_x(o.athlete))
        classname = _x(f"cramplog.{o.athlete}")
        if not o.ok:
            case = ET.SubElement(suite, "testcase", classname=classname, name="analysis")
            err = ET.SubElement(case, "error", message=_x(o.error or "could not be analysed"))
            err.text = _x(o.error or "")
            suite.set("tests", "1")
            suite.set("failures", "0")
            suite.set("errors", "1")
            suite.set("skipped", "0")
            total_tests += 1
            total_errors += 1
            continue
        episodes = (o.report or {}).get("episodes", [])
        failures = 0
        for rid, name in rules:
            case = ET.SubElement(suite, "testcase", classname=classname, name=f"{rid} {name}")
            hits = [
                e
                for e in episodes
                if e["rule"] == rid and SEVERITIES.index(e["severity"]) >= threshold
            ]
            for e in hits:
                el = ET.SubElement(
                    case, "failure", message=_x(e["message"]), type=_x(e["severity"])
                )
                el.text = _x("\n".join(_episode_lines(e)))
            failures += bool(hits)
        suite.set("tests", str(len(rules)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total_tests += len(rules)
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(total_errors))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _episode_lines(e: dict) -> list[str]:
    days = e.get("days", 1)
    if e["start"] == e["end"]:
        lines = [f"date: {e['start']}"]
    else:
        lines = [f"dates: {e['start']} … {e['end']} ({days} flagged days, peak {e['peak_day']})"]
    lines += [f"severity: {e['severity']}", f"grade: {e['grade']}"]
    for s in e.get("sessions") or []:
        lines.append(f"session: {s.get('sport')} {s.get('start')}")
    lines.append("evidence: " + json.dumps(e.get("evidence") or {}, sort_keys=True))
    return lines
