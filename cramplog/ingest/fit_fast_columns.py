"""Fast FIT decoder, step 2: the values of one definition's messages as numpy columns.

Data messages of one definition are viewed as a numpy structured array (no copy when they are
back to back, else one gather); each field is a column with its base type's dtype and a
validity mask (the base type's "invalid" marker). ``Col`` renders a column as fitparse would
(scale and offset, enum names, dates) or as float64 for ``Records``; ``message_rows`` and
``record_columns`` keep the first valid value per field name, as ``fitmessages`` describes.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from cramplog.ingest.fit_fast_walk import Definition
from cramplog.ingest.fitmessages import MIN_DATE_TIME, Msg, numeric_type

INVALID: dict[str, Any] = {
    "enum": 0xFF,
    "sint8": 0x7F,
    "uint8": 0xFF,
    "sint16": 0x7FFF,
    "uint16": 0xFFFF,
    "sint32": 0x7FFFFFFF,
    "uint32": 0xFFFFFFFF,
    "uint8z": 0,
    "uint16z": 0,
    "uint32z": 0,
    "sint64": 0x7FFFFFFFFFFFFFFF,
    "uint64": 0xFFFFFFFFFFFFFFFF,
    "uint64z": 0,
}
_DTYPE = {
    "enum": "u1",
    "sint8": "i1",
    "uint8": "u1",
    "sint16": "i2",
    "uint16": "u2",
    "sint32": "i4",
    "uint32": "u4",
    "float32": "f4",
    "float64": "f8",
    "uint8z": "u1",
    "uint16z": "u2",
    "uint32z": "u4",
    "byte": "u1",
    "sint64": "i8",
    "uint64": "u8",
    "uint64z": "u8",
    "string": "u1",
}


# Structured dtypes by message layout (endianness, size, fields): devices repeat their layouts.
_LAYOUTS: dict[tuple[Any, ...], tuple[Any, list[tuple[int, str, str]]]] = {}


def _layout(d: Definition) -> tuple[Any, list[tuple[int, str, str]]]:
    """(structured dtype or None, [(field index, dtype field name, base type name)])."""
    import numpy as np

    key = (d.endian, d.size, *((fd.size, fd.base.name if fd.base else "") for fd in d.fields))
    got = _LAYOUTS.get(key)
    if got is not None:
        return got
    names: list[str] = []
    formats: list[Any] = []
    offsets: list[int] = []
    read: list[tuple[int, str, str]] = []
    for i, fd in enumerate(d.fields):
        if fd.base is None or fd.base.name == "string":
            continue
        count = fd.size // fd.base.size
        names.append(f"f{i}")
        formats.append((np.dtype(d.endian + _DTYPE[fd.base.name]), (count,)))
        offsets.append(fd.offset)
        read.append((i, f"f{i}", fd.base.name))
    sdt = (
        np.dtype({"names": names, "formats": formats, "offsets": offsets, "itemsize": d.size})
        if names
        else None
    )
    if len(_LAYOUTS) > 4096:
        _LAYOUTS.clear()
    _LAYOUTS[key] = (sdt, read)
    return sdt, read


def field_arrays(data: bytes, d: Definition) -> list[tuple[Any, Any] | None]:
    """Per field of ``d``: (values (n, count), valid (n, count)) over all its messages, or None
    for a field that is not read (no base type, string). Cached on ``d``."""
    import numpy as np

    if d.cache is not None:
        return d.cache
    n = len(d.offsets)
    sdt, read = _layout(d)
    cache: list[tuple[Any, Any] | None] = [None] * len(d.fields)
    if sdt is not None:
        first = d.offsets[0]
        step = d.size + 1
        if d.offsets[-1] - first == (n - 1) * step:  # back to back: a strided view, no copy
            rec = np.ndarray((n,), dtype=sdt, buffer=data, offset=first, strides=(step,))
        else:  # one row gather
            buf = np.frombuffer(data, dtype=np.uint8)
            rows = np.lib.stride_tricks.sliding_window_view(buf, d.size)
            rec = rows[np.asarray(d.offsets, dtype=np.intp)].view(sdt).reshape(n)
        for i, fname, base in read:
            arr = rec[fname]
            if base in ("float32", "float64"):
                valid = ~np.isnan(arr)
            elif base == "byte":
                valid = np.repeat(~(arr == 0xFF).all(axis=1, keepdims=True), arr.shape[1], axis=1)
            else:
                valid = arr != INVALID[base]
            cache[i] = (arr, valid)
    d.cache = cache
    return cache


def parse_string(raw: bytes) -> str | None:
    i = raw.find(b"\0")
    s = raw[:i] if i >= 0 else raw
    return s.decode("utf-8", errors="replace") or None


def render(ftype: Any, values: list[Any]) -> list[Any]:
    """Enum names, then the fitparse type processors (date_time, bool, ...)."""
    tv = getattr(ftype, "values", None)
    if tv:
        values = [tv.get(v, v) if v is not None and v in tv else v for v in values]
    tname = ftype.name
    if tname == "date_time":
        epoch = _dt.datetime(1989, 12, 31, tzinfo=_dt.timezone.utc)
        values = [
            _after(epoch, v)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v >= MIN_DATE_TIME
            else v
            for v in values
        ]
    elif tname == "local_date_time":
        epoch_naive = _dt.datetime(1989, 12, 31)
        values = [_after(epoch_naive, v) if isinstance(v, (int, float)) else v for v in values]
    elif tname == "bool":
        values = [bool(v) if v is not None else None for v in values]
    elif tname == "localtime_into_day":
        values = [
            _dt.time(v // 3600, (v // 60) % 60, v % 60) if isinstance(v, int) else v for v in values
        ]
    return values


def _after(epoch: _dt.datetime, seconds: float) -> _dt.datetime | None:
    """``epoch`` + ``seconds``; None (invalid, left out) for a date no calendar holds (a
    float64 date_time of 1e300: fitparse stops the file there with an OverflowError)."""
    try:
        return epoch + _dt.timedelta(seconds=seconds)
    except (OverflowError, ValueError):
        return None


_PROCESSED_TYPES = {"date_time", "local_date_time", "bool", "localtime_into_day"}


class Col:
    """One output column of a definition's messages: a field (or subfield, or component) by
    name, with its raw values and validity; rendered as Python values or as float64."""

    __slots__ = ("name", "ftype", "raw", "valid", "scale", "offset", "is_array", "strings")

    def __init__(
        self,
        name: str,
        ftype: Any,
        raw: Any,
        valid: Any,
        scale: Any = None,
        offset: Any = None,
        is_array: bool = False,
        strings: list[Any] | None = None,
    ) -> None:
        self.name = name
        self.ftype = ftype
        self.raw = raw
        self.valid = valid
        self.scale = scale
        self.offset = offset
        self.is_array = is_array
        self.strings = strings

    def as_list(self) -> list[Any]:
        """fitparse's values: scale/offset, enum names, dates; None where invalid."""
        if self.strings is not None:
            return render(self.ftype, self.strings)
        import numpy as np

        if self.scale or self.offset:
            vals = self.raw.astype(np.float64)
            if self.scale:
                vals = vals / self.scale
            if self.offset:
                vals = vals - self.offset
            out = vals.tolist()
        else:
            out = self.raw.tolist()
        if not self.valid.all():
            for i in np.flatnonzero(~self.valid).tolist():
                out[i] = None
        if self.is_array:
            return out  # fitparse renders arrays as tuples: no enum names, no dates
        tname = self.ftype.name
        if getattr(self.ftype, "values", None) or tname in _PROCESSED_TYPES:
            return render(self.ftype, out)
        return out

    def as_float(self) -> Any:
        """The same values as float64, NaN where invalid (numeric types only)."""
        import numpy as np

        vals = self.raw.astype(np.float64)
        if self.scale:
            vals /= self.scale
        if self.offset:
            vals -= self.offset
        vals[~self.valid] = np.nan
        return vals


def message_rows(cols: list[Col], n: int) -> list[Msg]:
    """Dicts of the first valid value per name, in fitparse's field order."""
    merged: dict[str, list[Any]] = {}
    for col in cols:
        vals = col.as_list()
        prev = merged.get(col.name)
        merged[col.name] = (
            vals
            if prev is None
            else [a if a is not None else b for a, b in zip(prev, vals, strict=True)]
        )
    if not merged:
        return [{} for _ in range(n)]
    names = list(merged)
    return [
        {k: v for k, v in zip(names, vals, strict=True) if v is not None}
        for vals in zip(*merged.values(), strict=True)
    ]


def record_columns(cols: list[Col], n: int) -> tuple[Any, dict[str, Any]]:
    """(timestamps, {name: float64}) of one definition's records: first valid value per name."""
    import numpy as np

    ts: Any = None
    merged: dict[str, Any] = {}
    for col in cols:
        if col.strings is not None:
            continue
        if col.name == "timestamp":
            vals = col.as_float()  # date_time: raw FIT seconds
            ts = vals if ts is None else np.where(np.isnan(ts), vals, ts)
            continue
        if not numeric_type(col.ftype):
            continue
        vals = col.as_float()
        prev = merged.get(col.name)
        merged[col.name] = vals if prev is None else np.where(np.isnan(prev), vals, prev)
    if ts is None:
        ts = np.full(n, np.nan)
    return ts, merged


def first_valid_column(arr: Any, valid: Any) -> tuple[Any, Any]:
    import numpy as np

    if arr.shape[1] == 1:
        return arr[:, 0], valid[:, 0]
    idx = valid.argmax(axis=1)
    rows = np.arange(arr.shape[0])
    return arr[rows, idx], valid.any(axis=1)
