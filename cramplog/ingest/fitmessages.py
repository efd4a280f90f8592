"""The FIT messages cramplog uses, as plain dicts, and the reference decoder (fitparse).

Both decoders (this module's ``decode_fitparse`` and ``cramplog.ingest.fitfast``) return a
``FitMessages``: per message kind a list of ``{field_name: value}`` dicts, in file order, with
fitparse's conventions:

- scale and offset applied (a scaled value is a float), enum values as their profile names
  (an enum value the profile does not know stays an int), strings decoded;
- ``date_time`` fields as timezone-aware UTC datetimes when the value is a date (raw value
  >= 0x10000000); smaller values are device-relative seconds and stay ints;
- ``local_date_time`` fields (activity ``local_timestamp``) as naive datetimes (local clock);
- positions in semicircles (ints), as the file has them;
- per field name the FIRST VALID SCALAR: a message can carry the same name twice (a component
  expanded from another field, e.g. an all-invalid ``compressed_speed_distance`` next to the
  real ``distance``), and array fields (FR55 ``enhanced_altitude``) give their first valid
  element. Invalid values (the base type's "invalid" marker) are left out of the dict.

Fields the profile does not name (``unknown_N``), developer fields and raw byte arrays are left
out: cramplog never reads them, and leaving them out keeps the two decoders comparable.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

# The message kinds cramplog reads.
KINDS = ("file_id", "device_info", "record", "lap", "session", "activity", "event")

# Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z).
FIT_EPOCH_S = 631065600
# FIT date_time values below this are device-relative seconds, not dates.
MIN_DATE_TIME = 0x10000000

Msg = dict[str, Any]


@dataclass
class FitMessages:
    """Decoded messages of one FIT file (possibly several chained FIT files)."""

    file_id: list[Msg] = field(default_factory=list)
    device_info: list[Msg] = field(default_factory=list)
    record: list[Msg] = field(default_factory=list)
    lap: list[Msg] = field(default_factory=list)
    session: list[Msg] = field(default_factory=list)
    activity: list[Msg] = field(default_factory=list)
    event: list[Msg] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Which decoder produced this ("fitparse" or "fast"); informative only.
    decoder: str = ""
    # True when the data is a FIT file at all (a valid header was found).
    is_fit: bool = True

    def kind(self, name: str) -> list[Msg]:
        return getattr(self, name)  # type: ignore[no-any-return]

    def total(self) -> int:
        return sum(len(self.kind(k)) for k in KINDS)


def fit_datetime(raw: int) -> _dt.datetime:
    """A FIT date_time value as an aware UTC datetime."""
    return _dt.datetime.fromtimestamp(FIT_EPOCH_S + raw, _dt.timezone.utc)


def first_valid(value: Any) -> Any:
    """A field value reduced to one scalar: the first non-None element of an array."""
    if isinstance(value, (tuple, list)):
        for v in value:
            if v is not None:
                return v
        return None
    return value


def looks_like_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[8:12] == b".FIT"


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
    fit = None
    try:
        fit = fitparse.FitFile(io.BytesIO(data), check_crc=False)
        for message in fit.get_messages():
            name = message.name
            if name not in wanted:
                continue
            row: Msg = {}
            for fd in message.fields:
                fname = fd.name
                if fname in row or fd.field is None or fname.startswith("unknown_"):
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
            out.kind(name).append(row)
    except Exception as exc:  # fitparse raises many types on damaged files
        pos = _position(fit)
        where = f"stopped at byte {pos}" if pos is not None else "stopped"
        out.warnings.append(f"{where}: {type(exc).__name__}: {exc}")
    return out


def _position(fit: Any) -> int | None:
    try:
        return int(fit._file.tell()) if fit is not None and fit._file is not None else None
    except Exception:
        return None
