"""FIT reference decoder (fitparse): the fallback when the fast path declines or fails.

``decode_fitparse`` reads a file with fitparse and keeps, per message, what ``fitmessages``
describes (first valid scalar per field name, records as columns); everything read before any
damage is kept, with a "stopped at byte N" warning. The fast decoder (``fit_fast``) is tested
against it.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from cramplog.ingest.fitmessages import (
    KINDS,
    FitMessages,
    Msg,
    Records,
    first_valid,
    looks_like_fit,
    numeric_type,
)


def decode_fitparse(data: bytes) -> FitMessages:
    """Decode with fitparse (the reference). Keeps every message read before any damage."""
    import io

    import fitparse
    from fitparse.records import DevFieldDefinition

    out = FitMessages(decoder="fitparse")
    if not looks_like_fit(data):
        out.is_fit = False
        out.warnings.append("not a FIT file (no '.FIT' signature in the header)")
        return out
    wanted = set(KINDS)
    records: list[Msg] = []
    fit = None
    try:
        fit = fitparse.FitFile(io.BytesIO(data), check_crc=False)
        for message in fit.get_messages():
            name = message.name
            if name not in wanted:
                continue
            is_record = name == "record"
            row: Msg = {}
            for fd in message.fields:
                fname = fd.name
                if fname in row or fd.field is None or fname.startswith("unknown_"):
                    continue
                if is_record and fname != "timestamp" and not numeric_type(fd.type):
                    continue
                if isinstance(fd.field_def, DevFieldDefinition):
                    continue
                if fd.base_type.name == "byte":
                    continue
                value = first_valid(fd.value)
                if value is None:
                    continue
                if isinstance(value, _dt.datetime) and fd.type.name == "date_time":
                    value = value.replace(tzinfo=_dt.timezone.utc)
                row[fname] = value
            if is_record:
                records.append(row)
            else:
                out.kind(name).append(row)
    except Exception as exc:  # fitparse raises many types on damaged files
        pos = _position(fit)
        where = f"stopped at byte {pos}" if pos is not None else "stopped"
        out.warnings.append(f"{where}: {type(exc).__name__}: {exc}")
    out.record = Records.from_rows(records)
    return out


def _position(fit: Any) -> int | None:
    try:
        return int(fit._file.tell()) if fit is not None and fit._file is not None else None
    except Exception:
        return None
