"""Compact binary form of a sample stream for the store: a magic, a small JSON header, then
the channels. Latitude, longitude and time keep float64; the other channels are float32
(ample for metres, bpm and degrees Celsius). ``as_stored`` says what comes back.

``CLS3`` (written now) keeps every channel as integers (``streamints`` says how): a
channel of a device's integers times a step (whole seconds, bpm, centimetres, a GPX file's
decimals of a degree, FIT's semicircles) as those integers, any other as the bit patterns
of its floats; a sample that does not fit its channel's step is kept aside as its float.
The integers go as differences from the previous sample, in the fewest bytes that hold
them, byte-shuffled into planes (all first bytes, then all second bytes, ...). zlib has
~4x fewer bytes to work on than with the floats, and the blob is about half the size of a
``CLS2`` one; decoding gives back the very floats ``CLS2`` gave, bit for bit.

A ``CLS3`` blob: the magic; the header's length (uint32) and the header, JSON with ``n``
(samples), ``channels`` (names) and ``enc`` (one entry a channel: ``div`` or ``mul`` for a
scaled channel, none for bits; ``first``, the first integer; ``w``, bytes per difference;
``raw``, the planes of noise stored uncompressed; ``aside``, how many samples are kept
aside); then the raw planes, channel by channel; then one zlib stream (run-length matching)
of the other planes, each channel's followed by its samples kept aside (positions as
uint32, then the floats).

``CLS2`` (written before) keeps each channel's floats byte-shuffled and zlib-compressed;
``CLS1`` (earlier still) the plain floats. Both are still read.
"""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

from cramplog.model import STREAM_CHANNELS, Stream
from cramplog.store.streamints import encode_channels, from_ints

_PLAIN = b"CLS1"
_SHUFFLED = b"CLS2"
_INTS = b"CLS3"
_WIDE = {"t_s", "lat_deg", "lon_deg"}


def _width(name: str) -> int:
    return 8 if name in _WIDE else 4


def encode_stream(stream: Stream) -> bytes:
    names = ["t_s", *[n for n in STREAM_CHANNELS if getattr(stream, n) is not None]]
    wide = [name for name in names if name in _WIDE]
    narrow = [name for name in names if name not in _WIDE]
    encoded = dict(zip(wide + narrow, encode_channels(stream, wide, narrow), strict=True))
    raw: list[Any] = []
    # run-length matches only: the planes are small differences, where zlib finds runs and
    # little else; ~10 % less CPU than its default matching, for ~3 % more bytes
    comp = zlib.compressobj(1, zlib.DEFLATED, 15, 8, zlib.Z_RLE)
    packed: list[bytes] = []
    for name in names:
        ch = encoded[name]
        noise = ch.spec.get("raw", ())
        for j, plane in enumerate(ch.planes):
            if j in noise:
                raw.append(plane)
            else:
                packed.append(comp.compress(plane))
        if ch.aside:
            packed.append(comp.compress(ch.aside))
    packed.append(comp.flush())
    specs = [encoded[name].spec for name in names]
    header = json.dumps({"n": len(stream.t_s), "channels": names, "enc": specs}).encode()
    return b"".join([_INTS, struct.pack("<I", len(header)), header, *raw, *packed])


def decode_stream(blob: bytes) -> Stream:
    import numpy as np

    magic = blob[:4]
    if magic not in (_PLAIN, _SHUFFLED, _INTS):
        raise ValueError("not a cramplog stream blob")
    (hlen,) = struct.unpack("<I", blob[4:8])
    header = json.loads(blob[8 : 8 + hlen])
    n = int(header["n"])
    if magic == _INTS:
        return _decode_ints(blob, 8 + hlen, n, header)
    raw = zlib.decompress(blob[8 + hlen :])
    values = {}
    pos = 0
    for name in header["channels"]:
        w = _width(name)
        if magic == _SHUFFLED:
            planes = np.frombuffer(raw, dtype=np.uint8, count=n * w, offset=pos).reshape(w, n)
            arr = np.ascontiguousarray(planes.T).view(f"<f{w}").reshape(n)
        else:
            arr = np.frombuffer(raw, dtype=f"<f{w}", count=n, offset=pos)
        values[name] = arr.astype(np.float64)
        pos += n * w
    return Stream(**values)


def _decode_ints(blob: bytes, start: int, n: int, header: dict[str, Any]) -> Stream:
    import numpy as np

    specs = header["enc"]
    raw_end = start + n * sum(len(spec.get("raw", ())) for spec in specs)
    unpacked = zlib.decompress(blob[raw_end:])
    rpos, zpos = start, 0
    values = {}
    for name, spec in zip(header["channels"], specs, strict=True):
        w = _width(name)
        iw = int(spec["w"])
        raw = set(spec.get("raw", ()))
        planes = np.empty((iw, n), dtype=np.uint8)
        for j in range(iw):
            if j in raw:
                planes[j] = np.frombuffer(blob, dtype=np.uint8, count=n, offset=rpos)
                rpos += n
            else:
                planes[j] = np.frombuffer(unpacked, dtype=np.uint8, count=n, offset=zpos)
                zpos += n
        ints = np.ascontiguousarray(planes.T).view(f"<i{iw}").reshape(n).astype(np.int64)
        if "first" in spec and n:
            ints[0] = spec["first"]
            np.cumsum(ints, out=ints)
        if "div" in spec or "mul" in spec:
            arr = from_ints(ints, spec.get("mul", 1.0), spec.get("div", 1.0)).astype(f"<f{w}")
            k = int(spec.get("aside", 0))
            if k:
                where = np.frombuffer(unpacked, dtype="<u4", count=k, offset=zpos)
                arr[where] = np.frombuffer(unpacked, dtype=f"<f{w}", count=k, offset=zpos + 4 * k)
                zpos += k * (4 + w)
        else:
            arr = ints.astype(f"<i{w}").view(f"<f{w}")
        values[name] = arr.astype(np.float64)
    return Stream(**values)


def as_stored(stream: Stream) -> Stream:
    """The stream exactly as ``decode_stream(encode_stream(stream))`` returns it (float32
    channels rounded), without compressing: what later reads of the store will see."""
    import numpy as np

    values = {}
    for name in ("t_s", *STREAM_CHANNELS):
        arr = getattr(stream, name)
        if arr is None:
            continue
        dtype = np.float64 if name in _WIDE else np.float32
        with np.errstate(over="ignore"):
            values[name] = np.asarray(arr, dtype=dtype).astype(np.float64)
    return Stream(**values)
