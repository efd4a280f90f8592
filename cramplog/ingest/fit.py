"""FIT adapter: watch files (Garmin, Wahoo, Suunto, COROS, ...) to activities; the entry point.

Two layers, so the decoder can be swapped without touching callers:

1. ``decode_fit(data)`` -> ``FitMessages``: the messages cramplog uses, records as columns and
   the few others as plain dicts (see ``fitmessages``). The fast numpy decoder (``fit_fast``,
   with ``fit_fast_walk`` and ``fit_fast_columns``) runs first; fitparse (``fit_reference``) is
   the reference and the fallback for anything the fast path does not support.
2. ``messages_to_activities(msgs, name)`` (``fit_activities``) -> ``ParseResult``: one
   Activity per session.
"""

from __future__ import annotations

from cramplog.errors import InputError
from cramplog.ingest.fit_activities import messages_to_activities
from cramplog.ingest.fit_reference import decode_fitparse
from cramplog.ingest.fitmessages import FitMessages, looks_like_fit
from cramplog.model import ParseResult


def decode_fit(data: bytes, *, fast: bool = True) -> FitMessages:
    """The messages cramplog uses. Fast path first; fitparse when it declines or fails."""
    if fast:
        from cramplog.ingest.fit_fast import FastPathUnsupported, decode_fast

        try:
            return decode_fast(data)
        except FastPathUnsupported:
            pass
        except Exception:  # a bug in the fast path must never cost the user a file
            pass
    return decode_fitparse(data)


def parse_fit(data: bytes, name: str) -> ParseResult:
    """Read one FIT file's bytes: one Activity per session, warnings for what was lost."""
    if not looks_like_fit(data):
        raise InputError(f"{name}: not a FIT file (no '.FIT' signature in the header)")
    result = messages_to_activities(decode_fit(data), name)
    # A damaged or hand-made file can carry a "date" far outside any watch's lifetime; such
    # a session cannot be placed on the athlete's calendar.
    dated = [a for a in result.activities if FIRST_YEAR <= a.start.year <= LAST_YEAR]
    if len(dated) < len(result.activities):
        result.warnings.append(
            f"{len(result.activities) - len(dated)} session(s) skipped: start outside "
            f"{FIRST_YEAR}-{LAST_YEAR}"
        )
        if not dated:
            raise InputError(f"{name}: no session with a plausible date (damaged file?)")
        result.activities = dated
    return result


# Sessions dated outside these years are not real (FIT dates start in 1989).
FIRST_YEAR = 1990
LAST_YEAR = 2100
