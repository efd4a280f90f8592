"""Fast FIT decoder: one cheap pass over message headers, then numpy per definition.

Produces the same ``FitMessages`` as the fitparse reference (``fitmessages.decode_fitparse``)
for the kinds cramplog reads. It uses fitparse's profile tables (names, scales, offsets,
enum values, subfields, components), so units agree by construction.

1. The walk reads only the 1-byte header of each data message and jumps by the size its
   definition gives (a few Python operations per message: a table lookup by header byte, an
   append of the body offset); definitions are parsed (endianness per definition, developer
   fields counted in the size and skipped). Chained FIT files are followed; damage stops the
   walk and everything before it is kept, with a "stopped at byte N" warning. Byte offsets
   order the messages (file order).
2. Data messages of one definition are viewed as a numpy structured array (no copy when they
   are back to back, else one gather); each field is a column with its base type's dtype.
3. ``record`` messages become ``Records`` columns (float64, NaN where invalid) without any
   per-record Python object; the few other messages become dicts (invalid values left out).

Supported beyond plain fields: compressed-timestamp headers, subfields, bit-packed components
(including accumulated ones such as compressed_speed_distance, and components into a field with
subfields such as event data16), array fields (first valid element). ``FastPathUnsupported`` is
raised for anything else (component expansion of numeric arrays) and the caller falls back to
fitparse. A field whose size is not a multiple of its base
type (COROS PACE 2) is skipped where fitparse stops reading the file.
"""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass, field
from typing import Any

from cramplog.ingest.fitmessages import (
    KINDS,
    MIN_DATE_TIME,
    FitMessages,
    Msg,
    Records,
    looks_like_fit,
    numeric_type,
)

TIMESTAMP_NUM = 253

_INVALID: dict[str, Any] = {
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


class FastPathUnsupported(Exception):
    """The fast path cannot decode this file; the caller falls back to fitparse."""


@dataclass
class _FieldDef:
    num: int
    offset: int  # within the message body
    size: int
    base: Any  # fitparse BaseType; None for a size that is not a multiple of it


@dataclass
class _Def:
    pos: int  # byte offset of the definition message (orders it among the data messages)
    global_num: int
    endian: str
    fields: list[_FieldDef]
    size: int
    offsets: list[int] = field(default_factory=list)  # body offsets of its data messages
    cache: list[tuple[Any, Any] | None] | None = None  # per field: (values, valid), 2-D


@dataclass
class _Walk:
    defs: list[_Def]
    compressed: dict[int, int]  # body offset of a compressed-header message -> time offset
    warnings: list[str]
    part_starts: list[int]  # byte offsets where a chained FIT file's messages begin


def _walk(data: bytes) -> _Walk:
    from fitparse.records import BASE_TYPE_BYTE, BASE_TYPES

    n = len(data)
    defs: list[_Def] = []
    warnings: list[str] = []
    part_starts: list[int] = []
    compressed: dict[int, int] = {}
    pos = 0
    # Per normal header byte (0..0x3F: bits 4-5 reserved, so 4 bytes share a local type):
    # 1 + the body size of its local type's definition (0: undefined), and the offsets list.
    steps = [0] * 64
    lists: list[list[int]] = [[] for _ in range(64)]
    try:
        while True:
            if pos + 12 > n or data[pos + 8 : pos + 12] != b".FIT":
                raise ValueError("invalid FIT file header")
            hsize = data[pos]
            if 12 < hsize < 14:
                raise ValueError("irregular file header size")
            data_size = int.from_bytes(data[pos + 4 : pos + 8], "little")
            pos += max(hsize, 12)
            end = pos + data_size
            lim = min(end, n)
            steps = [0] * 64
            part_starts.append(pos)
            while pos < lim:
                h = data[pos]
                if h < 0x40:  # normal data message: the bulk, kept to a few operations
                    step = steps[h]
                    if step:
                        lists[h].append(pos + 1)
                        pos += step
                        continue
                    raise ValueError(f"data message for undefined local type {h & 0xF}")
                if h & 0x80:  # compressed timestamp header
                    lt = (h >> 5) & 0x3
                    step = steps[lt]
                    if not step:
                        raise ValueError(f"data message for undefined local type {lt}")
                    if pos + step > n:
                        raise EOFError("file ends inside a data message")
                    lists[lt].append(pos + 1)
                    compressed[pos + 1] = h & 0x1F
                    pos += step
                    continue
                # definition message
                if pos + 6 > n:
                    raise EOFError("file ends inside a definition")
                endian = ">" if data[pos + 2] else "<"
                gnum = int.from_bytes(data[pos + 3 : pos + 5], "big" if endian == ">" else "little")
                nf = data[pos + 5]
                p = pos + 6
                if p + 3 * nf + (1 if h & 0x20 else 0) > n:
                    raise EOFError("file ends inside a definition")
                fields = []
                off = 0
                for _ in range(nf):
                    num, size, bt = data[p], data[p + 1], data[p + 2]
                    base = BASE_TYPES.get(bt, BASE_TYPE_BYTE)
                    if size % base.size:
                        base = None  # fitparse stops here; the SDK reads it as bytes
                    fields.append(_FieldDef(num, off, size, base))
                    off += size
                    p += 3
                if h & 0x20:
                    ndev = data[p]
                    p += 1
                    if p + 3 * ndev > n:
                        raise EOFError("file ends inside a definition")
                    off += sum(data[p + 3 * i + 1] for i in range(ndev))
                    p += 3 * ndev
                d = _Def(pos, gnum, endian, fields, off)
                defs.append(d)
                lt = h & 0xF
                for hb in (lt, lt | 0x10, lt | 0x20, lt | 0x30):
                    steps[hb] = 1 + off
                    lists[hb] = d.offsets
                pos = p
            if pos > n:
                # the last data message runs past the end of the file: it is not kept
                last = max((lst for lst in lists if lst), key=lambda lst: lst[-1])
                pos = last.pop() - 1
                raise EOFError("file ends inside a data message")
            if pos < end:
                raise EOFError("file ends before the size its header gives")
            if pos + 2 > n:
                raise EOFError("file ends before its CRC")
            pos += 2  # CRC (not checked: damaged files are read as far as they go)
            if pos >= n:
                break
    except (ValueError, EOFError, IndexError) as exc:
        warnings.append(f"stopped at byte {pos}: {exc}")
    return _Walk(defs, compressed, warnings, part_starts)


# ------------------------------------------------------------------------- column decoding


# Structured dtypes by message layout (endianness, size, fields): devices repeat their layouts.
_LAYOUTS: dict[tuple[Any, ...], tuple[Any, list[tuple[int, str, str]]]] = {}


def _layout(d: _Def) -> tuple[Any, list[tuple[int, str, str]]]:
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
        if fd.size == 0:
            # (kept as it was: a ValueError, so decode_fit falls back to fitparse)
            raise ValueError("a field of size 0")
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


def _fields(data: bytes, d: _Def) -> list[tuple[Any, Any] | None]:
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
                valid = arr != _INVALID[base]
            cache[i] = (arr, valid)
    d.cache = cache
    return cache


def _parse_string(raw: bytes) -> str | None:
    i = raw.find(b"\0")
    s = raw[:i] if i >= 0 else raw
    return s.decode("utf-8", errors="replace") or None


def _render(ftype: Any, values: list[Any]) -> list[Any]:
    """Enum names, then the fitparse type processors (date_time, bool, ...)."""
    tv = getattr(ftype, "values", None)
    if tv:
        values = [tv.get(v, v) if v is not None and v in tv else v for v in values]
    tname = ftype.name
    if tname == "date_time":
        epoch = _dt.datetime(1989, 12, 31, tzinfo=_dt.timezone.utc)
        td = _dt.timedelta
        values = [
            epoch + td(seconds=v)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v >= MIN_DATE_TIME
            else v
            for v in values
        ]
    elif tname == "local_date_time":
        epoch_naive = _dt.datetime(1989, 12, 31)
        values = [
            epoch_naive + _dt.timedelta(seconds=v) if isinstance(v, (int, float)) else v
            for v in values
        ]
    elif tname == "bool":
        values = [bool(v) if v is not None else None for v in values]
    elif tname == "localtime_into_day":
        values = [
            _dt.time(v // 3600, (v // 60) % 60, v % 60) if isinstance(v, int) else v for v in values
        ]
    return values


_PROCESSED_TYPES = {"date_time", "local_date_time", "bool", "localtime_into_day"}


class _Col:
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
            return _render(self.ftype, self.strings)
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
            return _render(self.ftype, out)
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


def _rows(cols: list[_Col], n: int) -> list[Msg]:
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


def _record_columns(cols: list[_Col], n: int) -> tuple[Any, dict[str, Any]]:
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


def _first_valid(arr: Any, valid: Any) -> tuple[Any, Any]:
    import numpy as np

    if arr.shape[1] == 1:
        return arr[:, 0], valid[:, 0]
    idx = valid.argmax(axis=1)
    rows = np.arange(arr.shape[0])
    return arr[rows, idx], valid.any(axis=1)


@functools.cache
def _wanted() -> dict[int, Any]:
    from fitparse.profile import MESSAGE_TYPES

    return {num: mt for num, mt in MESSAGE_TYPES.items() if mt.name in KINDS}


def decode_fast(data: bytes) -> FitMessages:
    """Decode the kinds cramplog reads; raises ``FastPathUnsupported`` to ask for fitparse."""
    import numpy as np

    out = FitMessages(decoder="fast")
    if not looks_like_fit(data):
        out.is_fit = False
        out.warnings.append("not a FIT file (no '.FIT' signature in the header)")
        return out
    walk = _walk(data)
    out.warnings.extend(walk.warnings)
    wanted = _wanted()

    comp_ts = _compressed_timestamps(data, walk) if walk.compressed else None
    accum = _Accumulators(data, walk, wanted)

    offs: dict[str, list[int]] = {k: [] for k in KINDS}
    rows: dict[str, list[Msg]] = {k: [] for k in KINDS}
    rec_parts: list[tuple[list[int], Any, dict[str, Any]]] = []
    for d in _by_layout(walk.defs, wanted):
        mt = wanted[d.global_num]
        n = len(d.offsets)
        cols = _decode_group(data, d, mt, accum)
        if comp_ts is not None and any(o in walk.compressed for o in d.offsets):
            from fitparse.profile import FIELD_TYPE_TIMESTAMP

            ts = [comp_ts.get(o) for o in d.offsets]
            raw = np.array([0 if t is None else t for t in ts], dtype=np.int64)
            ok = np.array([t is not None for t in ts], dtype=bool)
            cols.append(_Col("timestamp", FIELD_TYPE_TIMESTAMP.type, raw, ok))
        if mt.name == "record":
            rec_parts.append((d.offsets, *_record_columns(cols, n)))
        else:
            offs[mt.name].extend(d.offsets)
            rows[mt.name].extend(_rows(cols, n))
    for kind in KINDS:
        if kind == "record":
            continue
        order = np.argsort(np.asarray(offs[kind], dtype=np.int64), kind="stable")
        kind_rows = rows[kind]
        out.kind(kind).extend(kind_rows[i] for i in order.tolist())
    out.record = _merge_records(rec_parts)
    return out


def _by_layout(defs: list[_Def], wanted: dict[int, Any]) -> list[_Def]:
    """The wanted definitions with data, those of one layout merged into one (some devices
    redefine a local type before every few messages: decoded once, not hundreds of times)."""
    groups: dict[tuple[Any, ...], list[_Def]] = {}
    for d in defs:
        if d.global_num not in wanted or not d.offsets:
            continue
        key = (
            d.global_num,
            d.endian,
            d.size,
            *((fd.num, fd.size, fd.base.name if fd.base else None) for fd in d.fields),
        )
        groups.setdefault(key, []).append(d)
    out = []
    for same in groups.values():
        if len(same) == 1:
            out.append(same[0])
            continue
        first = same[0]
        offsets = sorted(o for d in same for o in d.offsets)
        out.append(
            _Def(first.pos, first.global_num, first.endian, first.fields, first.size, offsets)
        )
    return out


def _merge_records(parts: list[tuple[list[int], Any, dict[str, Any]]]) -> Records:
    """The records of every definition in file order, one column per name (NaN elsewhere)."""
    import numpy as np

    if not parts:
        return Records()
    if len(parts) == 1:
        _, ts, cols = parts[0]
        return Records(ts, cols)
    order = np.argsort(np.concatenate([np.asarray(p[0], dtype=np.int64) for p in parts]))
    total = len(order)
    names: dict[str, None] = {}
    for _, _, cols in parts:
        names.update(dict.fromkeys(cols))
    ts = np.concatenate([p[1] for p in parts])[order]
    columns = {}
    for name in names:
        full = np.full(total, np.nan)
        start = 0
        for offsets, _, cols in parts:
            stop = start + len(offsets)
            col = cols.get(name)
            if col is not None:
                full[start:stop] = col
            start = stop
        columns[name] = full[order]
    return Records(ts, columns)


def _compressed_timestamps(data: bytes, walk: _Walk) -> dict[int, int]:
    """Timestamps of compressed-header messages (by body offset), as fitparse accumulates
    them: in file order, the last timestamp field read plus the header's 5-bit offset."""
    messages = sorted((o, d) for d in walk.defs for o in d.offsets)  # (offsets are unique)
    out: dict[int, int] = {}
    acc = 0
    starts = walk.part_starts
    k = 0
    for o, d in messages:
        while k < len(starts) and starts[k] <= o:
            acc = 0  # a chained file starts over
            k += 1
        for fd in d.fields:
            if fd.num == TIMESTAMP_NUM and fd.base is not None and fd.size == 4:
                v = int.from_bytes(
                    data[o + fd.offset : o + fd.offset + 4], "big" if d.endian == ">" else "little"
                )
                if v != _INVALID.get(fd.base.name, -1):
                    acc = v
        t_off = walk.compressed.get(o, -1)
        if t_off >= 0:
            base = t_off + (acc & ~0x1F)
            if t_off < (acc & 0x1F):
                base += 0x20
            acc = base
            out[o] = base
    return out


class _Accumulators:
    """fitparse's accumulated components, replayed in file order (rare: a Python loop)."""

    def __init__(self, data: bytes, walk: _Walk, wanted: dict[int, Any]) -> None:
        self.data = data
        self.walk = walk
        self.wanted = wanted
        self.cache: dict[tuple[int, int], dict[int, int]] = {}

    def values(self, gnum: int, comp: Any) -> dict[int, int]:
        """Accumulated raw values of ``comp`` by message body offset."""
        key = (gnum, comp.def_num)
        if key in self.cache:
            return self.cache[key]
        mt = self.wanted[gnum]
        events: list[tuple[int, int, int | None]] = []  # (offset, kind 0=reset 1=value, raw)
        for d in self.walk.defs:
            if d.global_num != gnum:
                continue
            for fi, fd in enumerate(d.fields):
                f = mt.fields.get(fd.num)
                comps = [c for c in (f.components or []) if c.accumulate] if f else []
                if f is None or fd.base is None or not comps:
                    continue
                events.append((d.pos, 0, None))
                same = [c for c in comps if c.def_num == comp.def_num]
                if not same or not d.offsets:
                    continue
                got = _fields(self.data, d)[fi]
                if got is None:
                    continue
                arr, valid = got
                packed, ok, width = _packed(arr, valid, fd)
                c = same[0]
                if width is not None and c.bit_offset and c.bit_offset >= width:
                    continue
                raw = _extract(packed, c)
                for o, v, good in zip(d.offsets, raw.tolist(), ok.tolist(), strict=True):
                    events.append((o, 1, v if good else None))
        events.sort(key=lambda e: (e[0], e[1]))
        out: dict[int, int] = {}
        acc = 0
        max_value = 1 << comp.bits
        mask = max_value - 1
        for o, kind, v in events:
            if kind == 0:
                acc = 0
            elif v is not None:
                base = v + (acc & ~mask)
                if v < (acc & mask):
                    base += max_value
                acc = base
                out[o] = base
        self.cache[key] = out
        return out


def _packed(arr: Any, valid: Any, fd: _FieldDef) -> tuple[Any, Any, int | None]:
    """A component source as uint64 per message, its validity, and its bit width (bytes)."""
    import numpy as np

    if fd.base.name == "byte":
        nbytes = arr.shape[1]
        if nbytes > 8:
            raise FastPathUnsupported("byte component wider than 64 bits")
        packed = np.zeros(arr.shape[0], dtype=np.uint64)
        for k in range(nbytes):
            packed |= arr[:, k].astype(np.uint64) << np.uint64(8 * k)
        return packed, valid[:, 0], nbytes * 8
    if arr.shape[1] != 1 or fd.base.name in ("float32", "float64"):
        raise FastPathUnsupported("components of an array or float field")
    return arr[:, 0].astype(np.int64).astype(np.uint64), valid[:, 0], None


def _extract(packed: Any, comp: Any) -> Any:
    import numpy as np

    shifted = packed >> np.uint64(comp.bit_offset or 0)
    return (shifted & np.uint64((1 << comp.bits) - 1)).astype(np.int64)


def _decode_group(data: bytes, d: _Def, mt: Any, accum: _Accumulators) -> list[_Col]:
    """The output columns of one definition's messages, in fitparse's field order."""
    import numpy as np

    n = len(d.offsets)
    cols: list[_Col] = []
    # Raw columns, first (fitparse compares subfield references against parsed raw values).
    raws = list(zip(d.fields, _fields(data, d), strict=True))

    def ref_mask(sub: Any) -> Any:
        mask = np.zeros(n, dtype=bool)
        for ref in sub.ref_fields:
            for fd, got in raws:
                if fd.num == ref.def_num and got is not None and got[0].shape[1] == 1:
                    arr, valid = got
                    mask |= valid[:, 0] & (arr[:, 0] == ref.raw_value)
        return mask

    def choose(f: Any) -> Any:
        """Per row: index into [f, *subfields] of the resolved (sub)field (first match)."""
        choice = np.zeros(n, dtype=np.int64)
        if f.subfields:
            undecided = np.ones(n, dtype=bool)
            for i, sub in enumerate(f.subfields, start=1):
                m = ref_mask(sub) & undecided
                choice[m] = i
                undecided &= ~m
        return choice

    for fd, got in raws:
        f = mt.fields.get(fd.num)
        if f is None or fd.base is None:
            continue
        if fd.base.name == "string":
            strings = [
                _parse_string(data[o + fd.offset : o + fd.offset + fd.size]) for o in d.offsets
            ]
            cols.append(_Col(f.name, f.type, None, None, strings=strings))
            continue
        assert got is not None
        arr, valid = got
        choice = choose(f)
        variants = [f, *(f.subfields or [])]
        used = sorted(set(choice.tolist())) if f.subfields else [0]
        for vi in used:
            v = variants[vi]
            if v.components:
                _add_components(cols, mt, v, fd, arr, valid, choice == vi, choose, d.offsets, accum)
        if fd.base.name == "byte":
            continue
        is_array = arr.shape[1] > 1
        col, ok = _first_valid(arr, valid)
        for vi in used:
            v = variants[vi]
            mask = ok if len(used) == 1 else ok & (choice == vi)
            cols.append(_Col(v.name, v.type, col, mask, v.scale, v.offset, is_array))
    return cols


def _add_components(
    cols: list[_Col],
    mt: Any,
    f: Any,
    fd: _FieldDef,
    arr: Any,
    valid: Any,
    rows_mask: Any,
    choose: Any,
    offsets: list[int],
    accum: _Accumulators,
) -> None:
    """fitparse's component expansion of one field, vectorised."""
    import numpy as np

    packed, src_valid, width = _packed(arr, valid, fd)
    src_valid = src_valid & rows_mask
    for comp in f.components:
        if width is not None and comp.bit_offset and comp.bit_offset >= width:
            continue
        if comp.accumulate:
            accumulated = accum.values(mt.mesg_num, comp)
            raw = np.array([accumulated.get(o, 0) for o in offsets], dtype=np.int64)
        else:
            raw = _extract(packed, comp)
        # the target resolves its subfield as a field would (event data16 -> data -> e.g.
        # timer_trigger); the component's scale and offset apply, not the subfield's
        target = mt.fields[comp.def_num]
        tchoice = choose(target)
        variants = [target, *(target.subfields or [])]
        used = sorted(set(tchoice.tolist())) if target.subfields else [0]
        for vi in used:
            v = variants[vi]
            ok = src_valid if len(used) == 1 else src_valid & (tchoice == vi)
            cols.append(_Col(v.name, v.type, raw, ok, comp.scale, comp.offset))
