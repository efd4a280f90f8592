"""Fast FIT decoder: one cheap pass over message headers, then numpy per definition.

Produces the same ``FitMessages`` as the fitparse reference (``fitmessages.decode_fitparse``)
for the kinds cramplog reads. It uses fitparse's profile tables (names, scales, offsets,
enum values, subfields, components), so units agree by construction.

1. The walk reads only the 1-byte header of each data message and jumps by the size its
   definition gives; definitions are parsed (endianness per definition, developer fields
   counted in the size and skipped). Chained FIT files are followed; damage stops the walk
   and everything before it is kept, with a "stopped at byte N" warning.
2. Data messages of one definition are gathered into an (n, size) byte matrix; each field is
   a strided column viewed with its base type's dtype. Invalid values become None.

Supported beyond plain fields: compressed-timestamp headers, subfields, bit-packed components
(including accumulated ones such as compressed_speed_distance), array fields (first valid
element). ``FastPathUnsupported`` is raised for anything else (component expansion of numeric
arrays) and the caller falls back to fitparse. A field whose size is not a multiple of its base
type (COROS PACE 2) is skipped where fitparse stops reading the file.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from cramplog.ingest.fitmessages import (
    KINDS,
    MIN_DATE_TIME,
    FitMessages,
    Msg,
    looks_like_fit,
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
    base: Any  # fitparse BaseType


@dataclass
class _Def:
    serial: int  # position in the file's message sequence
    global_num: int
    endian: str
    fields: list[_FieldDef]
    size: int
    seqs: list[int] = field(default_factory=list)  # data messages using it: sequence number
    offsets: list[int] = field(default_factory=list)  # ... and body offset
    time_offsets: list[int] = field(default_factory=list)  # compressed header, else -1


@dataclass
class _Walk:
    defs: list[_Def]
    order: list[_Def]  # the definition of every data message, in file order
    compressed: bool
    warnings: list[str]
    part_starts: list[int]  # sequence numbers where a chained FIT file begins


def _walk(data: bytes) -> _Walk:
    from fitparse.records import BASE_TYPE_BYTE, BASE_TYPES

    n = len(data)
    defs: list[_Def] = []
    order: list[_Def] = []
    warnings: list[str] = []
    part_starts: list[int] = []
    compressed = False
    pos = 0
    seq = 0
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
            local: dict[int, _Def] = {}
            part_starts.append(seq)
            while pos < end:
                if pos >= n:
                    raise EOFError("file ends before the size its header gives")
                h = data[pos]
                if h & 0x80:
                    d = local.get((h >> 5) & 0x3)
                    if d is None:
                        raise ValueError(f"data message for undefined local type {(h >> 5) & 3}")
                    if pos + 1 + d.size > n:
                        raise EOFError("file ends inside a data message")
                    d.seqs.append(seq)
                    d.offsets.append(pos + 1)
                    d.time_offsets.append(h & 0x1F)
                    compressed = True
                    order.append(d)
                    seq += 1
                    pos += 1 + d.size
                elif h & 0x40:
                    if pos + 6 > n:
                        raise EOFError("file ends inside a definition")
                    endian = ">" if data[pos + 2] else "<"
                    gnum = int.from_bytes(
                        data[pos + 3 : pos + 5], "big" if endian == ">" else "little"
                    )
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
                    d = _Def(seq, gnum, endian, fields, off)
                    defs.append(d)
                    local[h & 0xF] = d
                    seq += 1
                    pos = p
                else:
                    d = local.get(h & 0xF)
                    if d is None:
                        raise ValueError(f"data message for undefined local type {h & 0xF}")
                    if pos + 1 + d.size > n:
                        raise EOFError("file ends inside a data message")
                    d.seqs.append(seq)
                    d.offsets.append(pos + 1)
                    d.time_offsets.append(-1)
                    order.append(d)
                    seq += 1
                    pos += 1 + d.size
            if pos + 2 > n:
                raise EOFError("file ends before its CRC")
            pos += 2  # CRC (not checked: damaged files are read as far as they go)
            if pos >= n:
                break
    except (ValueError, EOFError, IndexError) as exc:
        warnings.append(f"stopped at byte {pos}: {exc}")
    return _Walk(defs, order, compressed, warnings, part_starts)


# ------------------------------------------------------------------------- column decoding


def _columns(buf: Any, d: _Def, fd: _FieldDef) -> tuple[Any, Any]:
    """(values (n, count), valid (n, count)) of one field over all messages of ``d``."""
    import numpy as np

    offs = np.asarray(d.offsets, dtype=np.int64) + fd.offset
    mat = buf[offs[:, None] + np.arange(fd.size)]
    name = fd.base.name
    arr = np.ascontiguousarray(mat).view(np.dtype(d.endian + _DTYPE[name]))
    if name in ("float32", "float64"):
        valid = ~np.isnan(arr)
    elif name == "byte":
        valid = np.repeat(~(mat == 0xFF).all(axis=1, keepdims=True), arr.shape[1], axis=1)
    else:
        valid = arr != _INVALID[name]
    return arr, valid


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


def _scaled(raw: Any, valid: Any, scale: Any, offset: Any) -> list[Any]:
    """fitparse's scale/offset: float(raw) / scale - offset, None where invalid."""
    import numpy as np

    if scale or offset:
        vals = raw.astype(np.float64)
        if scale:
            vals = vals / scale
        if offset:
            vals = vals - offset
        out = vals.tolist()
    else:
        out = raw.tolist()
    if not valid.all():
        for i in np.flatnonzero(~valid).tolist():
            out[i] = None
    return out


class _Group:
    """Output columns of one definition, in fitparse's field order."""

    def __init__(self, n: int) -> None:
        self.n = n
        # (name, values) with a fixed name, or (None, [(name, value)...]) per row
        self.cols: list[tuple[str | None, list[Any]]] = []

    def add(self, name: str, values: list[Any]) -> None:
        self.cols.append((name, values))

    def add_per_row(self, names: list[str | None], values: list[Any]) -> None:
        self.cols.append((None, list(zip(names, values, strict=True))))

    def rows(self) -> list[Msg]:
        if all(name is not None for name, _ in self.cols):
            merged: dict[str, list[Any]] = {}
            for name, vals in self.cols:
                assert name is not None
                prev = merged.get(name)
                merged[name] = (
                    vals
                    if prev is None
                    else [a if a is not None else b for a, b in zip(prev, vals, strict=True)]
                )
            names = list(merged)
            if not names:
                return [{} for _ in range(self.n)]
            return [
                {k: v for k, v in zip(names, vals, strict=True) if v is not None}
                for vals in zip(*merged.values(), strict=True)
            ]
        out: list[Msg] = [{} for _ in range(self.n)]
        for name, vals in self.cols:
            for i, item in enumerate(vals):
                key, v = (name, item) if name is not None else item
                if v is not None and key is not None and key not in out[i]:
                    out[i][key] = v
        return out


def _first_valid(arr: Any, valid: Any) -> tuple[Any, Any]:
    import numpy as np

    if arr.shape[1] == 1:
        return arr[:, 0], valid[:, 0]
    idx = valid.argmax(axis=1)
    rows = np.arange(arr.shape[0])
    return arr[rows, idx], valid.any(axis=1)


def decode_fast(data: bytes) -> FitMessages:
    """Decode the kinds cramplog reads; raises ``FastPathUnsupported`` to ask for fitparse."""
    import numpy as np
    from fitparse.profile import MESSAGE_TYPES

    out = FitMessages(decoder="fast")
    if not looks_like_fit(data):
        out.is_fit = False
        out.warnings.append("not a FIT file (no '.FIT' signature in the header)")
        return out
    walk = _walk(data)
    out.warnings.extend(walk.warnings)
    buf = np.frombuffer(data, dtype=np.uint8)
    wanted = {num: mt for num, mt in MESSAGE_TYPES.items() if mt.name in KINDS}

    comp_ts = _compressed_timestamps(data, walk) if walk.compressed else None
    accum = _Accumulators(walk, wanted)

    seqs: dict[str, list[int]] = {k: [] for k in KINDS}
    rows: dict[str, list[Msg]] = {k: [] for k in KINDS}
    for d in walk.defs:
        mt = wanted.get(d.global_num)
        if mt is None or not d.seqs:
            continue
        group = _decode_group(buf, data, d, mt, accum)
        if comp_ts is not None and any(t >= 0 for t in d.time_offsets):
            from fitparse.profile import FIELD_TYPE_TIMESTAMP

            ts = [comp_ts.get(s) for s in d.seqs]
            group.add("timestamp", _render(FIELD_TYPE_TIMESTAMP.type, ts))
        seqs[mt.name].extend(d.seqs)
        rows[mt.name].extend(group.rows())
    for kind in KINDS:
        order = np.argsort(np.asarray(seqs[kind], dtype=np.int64), kind="stable")
        kind_rows = rows[kind]
        out.kind(kind).extend(kind_rows[i] for i in order.tolist())
    return out


def _compressed_timestamps(data: bytes, walk: _Walk) -> dict[int, int]:
    """Timestamps of compressed-header messages, as fitparse accumulates them."""
    out: dict[int, int] = {}
    acc = 0
    counters: dict[int, int] = {}
    starts = set(walk.part_starts)
    seq_of_part = 0
    for d in walk.order:
        k = counters.get(id(d), 0)
        counters[id(d)] = k + 1
        seq = d.seqs[k]
        while seq_of_part < len(walk.part_starts) and walk.part_starts[seq_of_part] <= seq:
            if walk.part_starts[seq_of_part] in starts:
                acc = 0
            seq_of_part += 1
        for fd in d.fields:
            if fd.num == TIMESTAMP_NUM and fd.base is not None and fd.size == 4:
                o = d.offsets[k] + fd.offset
                v = int.from_bytes(data[o : o + 4], "big" if d.endian == ">" else "little")
                if v != _INVALID.get(fd.base.name, -1):
                    acc = v
        t_off = d.time_offsets[k]
        if t_off >= 0:
            base = t_off + (acc & ~0x1F)
            if t_off < (acc & 0x1F):
                base += 0x20
            acc = base
            out[seq] = base
    return out


class _Accumulators:
    """fitparse's accumulated components, replayed in file order (rare: a Python loop)."""

    def __init__(self, walk: _Walk, wanted: dict[int, Any]) -> None:
        self.walk = walk
        self.wanted = wanted
        self.cache: dict[tuple[int, int], dict[int, int]] = {}

    def values(self, buf: Any, gnum: int, comp: Any) -> dict[int, int]:
        """Accumulated raw values of ``comp`` by message sequence number."""
        key = (gnum, comp.def_num)
        if key in self.cache:
            return self.cache[key]
        mt = self.wanted[gnum]
        events: list[tuple[int, int, int | None]] = []  # (seq, kind 0=reset 1=value, raw)
        for d in self.walk.defs:
            if d.global_num != gnum:
                continue
            for fd in d.fields:
                f = mt.fields.get(fd.num)
                comps = [c for c in (f.components or []) if c.accumulate] if f else []
                if f is None or fd.base is None or not comps:
                    continue
                events.append((d.serial, 0, None))
                same = [c for c in comps if c.def_num == comp.def_num]
                if not same or not d.seqs:
                    continue
                arr, valid = _columns(buf, d, fd)
                packed, ok, width = _packed(arr, valid, fd)
                c = same[0]
                if width is not None and c.bit_offset and c.bit_offset >= width:
                    continue
                raw = _extract(packed, c)
                for seq, v, good in zip(d.seqs, raw.tolist(), ok.tolist(), strict=True):
                    events.append((seq, 1, v if good else None))
        events.sort(key=lambda e: (e[0], e[1]))
        out: dict[int, int] = {}
        acc = 0
        max_value = 1 << comp.bits
        mask = max_value - 1
        for seq, kind, v in events:
            if kind == 0:
                acc = 0
            elif v is not None:
                base = v + (acc & ~mask)
                if v < (acc & mask):
                    base += max_value
                acc = base
                out[seq] = base
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


def _decode_group(buf: Any, data: bytes, d: _Def, mt: Any, accum: _Accumulators) -> _Group:
    import numpy as np

    n = len(d.offsets)
    group = _Group(n)
    # Raw columns, first (fitparse compares subfield references against parsed raw values).
    raws: list[tuple[_FieldDef, Any, Any]] = []
    for fd in d.fields:
        if fd.base is None or fd.base.name == "string":
            raws.append((fd, None, None))
            continue
        arr, valid = _columns(buf, d, fd)
        raws.append((fd, arr, valid))

    def ref_mask(sub: Any) -> Any:
        mask = np.zeros(n, dtype=bool)
        for ref in sub.ref_fields:
            for fd, arr, valid in raws:
                if fd.num == ref.def_num and arr is not None and arr.shape[1] == 1:
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

    for fd, arr, valid in raws:
        f = mt.fields.get(fd.num)
        if f is None or fd.base is None:
            continue
        if fd.base.name == "string":
            offs = d.offsets
            strings = [_parse_string(data[o + fd.offset : o + fd.offset + fd.size]) for o in offs]
            group.add(f.name, _render(f.type, strings))
            continue
        choice = choose(f)
        variants = [f, *(f.subfields or [])]
        used = sorted(set(choice.tolist()))
        for vi in used:
            v = variants[vi]
            if v.components:
                _add_components(
                    group, mt, v, fd, arr, valid, choice == vi, raws, n, choose, buf, d.seqs, accum
                )
        if fd.base.name == "byte":
            continue
        is_array = arr.shape[1] > 1
        col, ok = _first_valid(arr, valid)
        if len(used) == 1:
            v = variants[used[0]]
            group.add(v.name, _process(v, _scaled(col, ok, v.scale, v.offset), is_array))
        else:
            names: list[str | None] = [None] * n
            values: list[Any] = [None] * n
            for vi in used:
                v = variants[vi]
                sel = np.flatnonzero(choice == vi)
                vals = _scaled(col[sel], ok[sel], v.scale, v.offset)
                vals = _process(v, vals, is_array)
                for i, x in zip(sel.tolist(), vals, strict=True):
                    names[i] = v.name
                    values[i] = x
            group.add_per_row(names, values)
    return group


def _has_values(f: Any) -> bool:
    return bool(getattr(f.type, "values", None))


def _enum(col: Any, ok: Any) -> list[Any]:
    vals = col.tolist()
    return [x if good else None for x, good in zip(vals, ok.tolist(), strict=True)]


def _process(f: Any, vals: list[Any], is_array: bool) -> list[Any]:
    if is_array:
        # fitparse renders arrays as tuples: no enum names, no date processing.
        return vals
    if _has_values(f):
        # enum render happens before scale in fitparse; scaled enums do not exist in practice.
        return _render(f.type, vals)
    return _render(f.type, vals) if f.type.name in _PROCESSED_TYPES else vals


_PROCESSED_TYPES = {"date_time", "local_date_time", "bool", "localtime_into_day"}


def _add_components(
    group: _Group,
    mt: Any,
    f: Any,
    fd: _FieldDef,
    arr: Any,
    valid: Any,
    rows_mask: Any,
    raws: list[tuple[_FieldDef, Any, Any]],
    n: int,
    choose: Any,
    buf: Any,
    seqs: list[int],
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
            accumulated = accum.values(buf, mt.mesg_num, comp)
            raw = np.array([accumulated.get(q, 0) for q in seqs], dtype=np.int64)
        else:
            raw = _extract(packed, comp)
        target = mt.fields[comp.def_num]
        tchoice = choose(target)
        if tchoice.any():
            raise FastPathUnsupported("component into a subfield")
        vals = _scaled(raw, src_valid, comp.scale, comp.offset)
        if _has_values(target) or target.type.name in _PROCESSED_TYPES:
            vals = _render(target.type, vals)
        group.add(target.name, vals)
