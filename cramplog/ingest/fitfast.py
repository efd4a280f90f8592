"""Fast FIT decoder (numpy). Placeholder: declines every file until implemented."""

from __future__ import annotations

from cramplog.ingest.fitmessages import FitMessages


class FastPathUnsupported(Exception):
    """The fast path cannot decode this file; the caller falls back to fitparse."""


def decode_fast(data: bytes) -> FitMessages:
    raise FastPathUnsupported("not implemented")
