"""What the exit code says, decided in one place: 0 ok, 1 a finding at or above
``--fail-on``, 2 an error (usage, input, store; ``app.run`` maps CramplogError to it),
130 interrupted."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum, IntEnum

from cramplog.model import SEVERITIES


class ExitStatus(IntEnum):
    OK = 0
    FINDINGS = 1
    ERROR = 2
    INTERRUPTED = 130


class FailOn(str, Enum):
    never = "never"
    caution = "caution"
    warning = "warning"


def exit_status(severities: Iterable[str], fail_on: FailOn | str) -> ExitStatus:
    """FINDINGS when any of ``severities`` is at or above ``fail_on``; OK otherwise
    (always OK with ``never``)."""
    level = FailOn(fail_on)
    if level is FailOn.never:
        return ExitStatus.OK
    threshold = SEVERITIES.index(level.value)
    if any(SEVERITIES.index(s) >= threshold for s in severities):
        return ExitStatus.FINDINGS
    return ExitStatus.OK
