"""Fast FIT decoder, step 1: the walk over a file's messages (headers and definitions).

The walk reads only the 1-byte header of each data message and jumps by the size its
definition gives (a few Python operations per message: a table lookup by header byte, an append
of the body offset; a run of messages of one type, such as the records, is taken in one step
by reading every step-th header byte at once); definitions are parsed (endianness per definition, developer fields
counted in the size and skipped). Chained FIT files are followed; damage stops the walk and
everything before it is kept, with a "stopped at byte N" warning. Byte offsets order the
messages (file order). Nothing is decoded here: ``fit_fast_columns`` reads the values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_RUN = 512  # messages looked ahead at once for a run of one type


@dataclass
class FieldDef:
    num: int
    offset: int  # within the message body
    size: int
    base: Any  # fitparse BaseType; None for a size that is not a multiple of it


@dataclass
class Definition:
    pos: int  # byte offset of the definition message (orders it among the data messages)
    global_num: int
    endian: str
    fields: list[FieldDef]
    size: int
    offsets: list[int] = field(default_factory=list)  # body offsets of its data messages
    cache: list[tuple[Any, Any] | None] | None = None  # per field: (values, valid), 2-D


@dataclass
class Walk:
    defs: list[Definition]
    compressed: dict[int, int]  # body offset of a compressed-header message -> time offset
    warnings: list[str]
    part_starts: list[int]  # byte offsets where a chained FIT file's messages begin


def walk_messages(data: bytes) -> Walk:
    from fitparse.records import BASE_TYPE_BYTE, BASE_TYPES

    n = len(data)
    defs: list[Definition] = []
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
                        # messages of one type in a row (the records): counted in C over
                        # every step-th byte, at most _RUN at a time
                        ahead = data[pos : min(lim, pos + step * _RUN) : step]
                        k = len(ahead) - len(ahead.lstrip(ahead[:1]))
                        lists[h].extend(range(pos + 1, pos + k * step + 1, step))
                        pos += k * step
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
                    if size == 0 or size % base.size:
                        # fitparse stops here (a size 0 is "Invalid struct format: <0B"); the
                        # SDK reads it as bytes (or nothing): the field is declined, not read
                        base = None
                    fields.append(FieldDef(num, off, size, base))
                    off += size
                    p += 3
                if h & 0x20:
                    ndev = data[p]
                    p += 1
                    if p + 3 * ndev > n:
                        raise EOFError("file ends inside a definition")
                    off += sum(data[p + 3 * i + 1] for i in range(ndev))
                    p += 3 * ndev
                d = Definition(pos, gnum, endian, fields, off)
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
    return Walk(defs, compressed, warnings, part_starts)
