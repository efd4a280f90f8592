"""The FIT messages cramplog uses: what both decoders return.

Both decoders (the reference ``fit_reference.decode_fitparse`` and the fast ``fit_fast``)
return a ``FitMessages``: per message kind a list of ``{field_name: value}`` dicts, in file
order -- except ``record`` (the bulk: thousands per file), which is columnar (``Records``: one
float64 array per field name, NaN where a record has no valid value, plus a timestamps array).
The dicts follow fitparse's conventions:

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

``Records`` holds the same values as numbers: scaled values as float64, the first valid value per
field name (same rule as above), positions in semicircles, and only fields whose profile type is
numeric (enum-, string-, bool- and date-typed fields are left out; ``numeric_type``). Timestamps
are FIT seconds (dates >= ``MIN_DATE_TIME``, smaller values device-relative), NaN when missing.
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

# Profile types whose values are not plain numbers (besides the enum types, which have values).
_NON_NUMERIC_TYPES = frozenset(
    {"date_time", "local_date_time", "localtime_into_day", "bool", "string", "byte"}
)


def numeric_type(ftype: Any) -> bool:
    """True when a profile type's values are plain numbers (a ``Records`` column)."""
    return not getattr(ftype, "values", None) and ftype.name not in _NON_NUMERIC_TYPES


def fit_seconds(value: Any) -> float | None:
    """A date_time value as FIT seconds (device-relative values stay small)."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return value.timestamp() - FIT_EPOCH_S
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


class Records:
    """Record messages, columnar: ``timestamps`` (FIT seconds, NaN when missing) and
    ``columns`` (field name -> float64 array, NaN where a record has no valid value).

    A column is never all NaN (such columns are dropped), so two ``Records`` with the same
    values have the same keys. ``len``, slicing (``r[:n]``, index arrays, masks) and ``==``
    (NaN equal to NaN) work as on the list of dicts this replaces.
    """

    __slots__ = ("timestamps", "columns")

    def __init__(self, timestamps: Any = None, columns: dict[str, Any] | None = None) -> None:
        import numpy as np

        self.timestamps: np.ndarray = np.asarray(
            [] if timestamps is None else timestamps, dtype=np.float64
        )
        n = len(self.timestamps)
        self.columns: dict[str, np.ndarray] = {}
        for name, col in (columns or {}).items():
            arr = np.asarray(col, dtype=np.float64)
            if arr.shape != (n,):
                raise ValueError(f"column {name!r}: shape {arr.shape}, expected ({n},)")
            if n and not np.isnan(arr).all():
                self.columns[name] = arr

    @classmethod
    def from_rows(cls, rows: list[Msg]) -> Records:
        """Records from ``{field_name: value}`` dicts: numbers only (bools, enum names,
        strings dropped); ``timestamp`` as a datetime or FIT seconds."""
        import numpy as np

        n = len(rows)
        ts = np.full(n, np.nan)
        cols: dict[str, np.ndarray] = {}
        for i, row in enumerate(rows):
            for name, v in row.items():
                if name == "timestamp":
                    s = fit_seconds(v)
                    if s is not None:
                        ts[i] = s
                    continue
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    continue
                col = cols.get(name)
                if col is None:
                    col = cols[name] = np.full(n, np.nan)
                col[i] = v
        return cls(ts, cols)

    def __len__(self) -> int:
        return len(self.timestamps)

    def __bool__(self) -> bool:
        return len(self.timestamps) > 0

    def __getitem__(self, key: Any) -> Records:
        """A slice, index array or mask of the records (``row(i)`` gives one record)."""
        if isinstance(key, int):
            raise TypeError("Records[i]: use Records.row(i) for one record")
        return Records(self.timestamps[key], {k: c[key] for k, c in self.columns.items()})

    def __eq__(self, other: object) -> bool:
        import numpy as np

        if not isinstance(other, Records):
            return NotImplemented
        return (
            len(self) == len(other)
            and self.columns.keys() == other.columns.keys()
            and np.array_equal(self.timestamps, other.timestamps, equal_nan=True)
            and all(
                np.array_equal(c, other.columns[k], equal_nan=True) for k, c in self.columns.items()
            )
        )

    __hash__ = None  # type: ignore[assignment]

    def row(self, i: int) -> dict[str, float]:
        """Record ``i`` as ``{name: value}`` of its valid values (for messages and tests)."""
        import math

        out = {"timestamp": float(self.timestamps[i])}
        out.update({k: float(c[i]) for k, c in self.columns.items()})
        return {k: v for k, v in out.items() if not math.isnan(v)}

    def __repr__(self) -> str:
        return f"Records({len(self)} records, columns={sorted(self.columns)})"


@dataclass
class FitMessages:
    """Decoded messages of one FIT file (possibly several chained FIT files)."""

    file_id: list[Msg] = field(default_factory=list)
    device_info: list[Msg] = field(default_factory=list)
    record: Records = field(default_factory=Records)
    lap: list[Msg] = field(default_factory=list)
    session: list[Msg] = field(default_factory=list)
    activity: list[Msg] = field(default_factory=list)
    event: list[Msg] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Which decoder produced this ("fitparse" or "fast"); informative only.
    decoder: str = ""
    # True when the data is a FIT file at all (a valid header was found).
    is_fit: bool = True

    def kind(self, name: str) -> Any:
        """The messages of one kind: a list of dicts, or ``Records`` for ``record``."""
        return getattr(self, name)

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
