"""``--since`` values: a look-back (``14d``, ``8w``) or a calendar date (``2026-04-01``).

A look-back counts whole local days back from ``today``, inclusive of today: ``14d`` on
2026-05-14 means 2026-05-01 … 2026-05-14 (14 days). ``1w`` is 7 days.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta

from cramplog.errors import InputError, UsageError

HINT = "use e.g. 14d, 8w or a date like 2026-04-01"

_UNITS = {"d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "week": 7, "weeks": 7}
_RELATIVE = re.compile(r"^\s*(\d{1,4})\s*([a-z]+)\s*$", re.IGNORECASE)


def parse_since(text: str, today: date) -> date:
    """The first local day a ``--since`` value covers.

    >>> parse_since("14d", date(2026, 5, 14))
    datetime.date(2026, 5, 1)
    >>> parse_since("2026-04-01", date(2026, 5, 14))
    datetime.date(2026, 4, 1)
    """
    raw = text.strip()
    if not raw:
        raise UsageError(f"--since is empty; {HINT}")
    m = _RELATIVE.match(raw)
    if m is not None:
        count, unit = int(m.group(1)), m.group(2).lower()
        if unit not in _UNITS:
            raise UsageError(f"--since {text!r}: unknown unit {unit!r}; {HINT}")
        if count < 1:
            raise UsageError(f"--since {text!r} must look back at least one day; {HINT}")
        return today - timedelta(days=count * _UNITS[unit] - 1)
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise UsageError(f"--since {text!r} is neither a look-back nor a date; {HINT}") from None
    if day > today:
        raise UsageError(f"--since {text!r} is in the future (today is {today.isoformat()})")
    return day


def is_lookback(text: str) -> bool:
    """Whether a ``--since`` value is a look-back (``8w``) rather than a date."""
    return _RELATIVE.match(text.strip()) is not None


def default_today() -> date:
    """Today in local time; ``CRAMPLOG_TODAY`` (ISO date) pins it for tests and demos."""
    env = os.environ.get("CRAMPLOG_TODAY")
    if env:
        try:
            return date.fromisoformat(env)
        except ValueError:
            raise InputError(f"CRAMPLOG_TODAY={env!r} is not a date (YYYY-MM-DD)") from None
    return date.today()
