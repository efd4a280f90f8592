"""Fast FIT decoder: one cheap pass over message headers, then numpy per definition.

Produces the same ``FitMessages`` as the fitparse reference (``fit_reference.decode_fitparse``)
for the kinds cramplog reads. It uses fitparse's profile tables (names, scales, offsets,
enum values, subfields, components), so units agree by construction.

1. ``fit_fast_walk``: one pass over the message headers, jumping by the sizes the definitions
   give, records each data message's body offset (file order); damage stops it and everything
   before it is kept.
2. ``fit_fast_columns``: the data messages of one definition as a numpy structured array, a
   column per field with its validity.
3. This module: ``record`` messages become ``Records`` columns (float64, NaN where invalid)
   without any per-record Python object; the few other messages become dicts (invalid values
   left out); compressed timestamps, subfields and components are resolved here.

Supported beyond plain fields: compressed-timestamp headers, subfields, bit-packed components
(including accumulated ones such as compressed_speed_distance, and components into a field with
subfields such as event data16), array fields (first valid element). ``FastPathUnsupported`` is
raised for anything else (component expansion of numeric arrays) and the caller falls back to
fitparse. A field whose size is not a multiple of its base type (COROS PACE 2) is skipped where
fitparse stops reading the file.
"""

from __future__ import annotations

import functools
from typing import Any

from cramplog.ingest.fit_fast_columns import (
    INVALID,
    Col,
    field_arrays,
    first_valid_column,
    message_rows,
    parse_string,
    record_columns,
)
from cramplog.ingest.fit_fast_walk import Definition, FieldDef, Walk, walk_messages
from cramplog.ingest.fitmessages import (
    KINDS,
    FitMessages,
    Msg,
    Records,
    looks_like_fit,
)

TIMESTAMP_NUM = 253


class FastPathUnsupported(Exception):
    """The fast path cannot decode this file; the caller falls back to fitparse."""


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
    walk = walk_messages(data)
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
            cols.append(Col("timestamp", FIELD_TYPE_TIMESTAMP.type, raw, ok))
        if mt.name == "record":
            rec_parts.append((d.offsets, *record_columns(cols, n)))
        else:
            offs[mt.name].extend(d.offsets)
            rows[mt.name].extend(message_rows(cols, n))
    for kind in KINDS:
        if kind == "record":
            continue
        order = np.argsort(np.asarray(offs[kind], dtype=np.int64), kind="stable")
        kind_rows = rows[kind]
        out.kind(kind).extend(kind_rows[i] for i in order.tolist())
    out.record = _merge_records(rec_parts)
    return out


def _by_layout(defs: list[Definition], wanted: dict[int, Any]) -> list[Definition]:
    """The wanted definitions with data, those of one layout merged into one (some devices
    redefine a local type before every few messages: decoded once, not hundreds of times)."""
    groups: dict[tuple[Any, ...], list[Definition]] = {}
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
            Definition(first.pos, first.global_num, first.endian, first.fields, first.size, offsets)
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


def _compressed_timestamps(data: bytes, walk: Walk) -> dict[int, int]:
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
                if v != INVALID.get(fd.base.name, -1):
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

    def __init__(self, data: bytes, walk: Walk, wanted: dict[int, Any]) -> None:
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
                got = field_arrays(self.data, d)[fi]
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


def _packed(arr: Any, valid: Any, fd: FieldDef) -> tuple[Any, Any, int | None]:
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


def _decode_group(data: bytes, d: Definition, mt: Any, accum: _Accumulators) -> list[Col]:
    """The output columns of one definition's messages, in fitparse's field order."""
    import numpy as np

    n = len(d.offsets)
    cols: list[Col] = []
    # Raw columns, first (fitparse compares subfield references against parsed raw values).
    raws = list(zip(d.fields, field_arrays(data, d), strict=True))

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
                parse_string(data[o + fd.offset : o + fd.offset + fd.size]) for o in d.offsets
            ]
            cols.append(Col(f.name, f.type, None, None, strings=strings))
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
        col, ok = first_valid_column(arr, valid)
        for vi in used:
            v = variants[vi]
            mask = ok if len(used) == 1 else ok & (choice == vi)
            cols.append(Col(v.name, v.type, col, mask, v.scale, v.offset, is_array))
    return cols


def _add_components(
    cols: list[Col],
    mt: Any,
    f: Any,
    fd: FieldDef,
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
            cols.append(Col(v.name, v.type, raw, ok, comp.scale, comp.offset))
