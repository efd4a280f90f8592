"""Compact binary form of a sample stream for the store: a small JSON header, then the
channels as little-endian float arrays, zlib-compressed. Latitude, longitude and time keep
float64; the other channels are float32 (ample for metres, bpm and degrees Celsius)."""

from __future__ import annotations

import json
import struct
import zlib

from cramplog.model import STREAM_CHANNELS, Stream

_MAGIC = b"CLS1"
_WIDE = {"t_s", "lat_deg", "lon_deg"}


def encode_stream(stream: Stream) -> bytes:
    import numpy as np

    names = ["t_s", *[n for n in STREAM_CHANNELS if getattr(stream, n) is not None]]
    parts = []
    for n in names:
        dtype = "<f8" if n in _WIDE else "<f4"
        parts.append(np.ascontiguousarray(getattr(stream, n), dtype=dtype).tobytes())
    header = json.dumps({"n": len(stream.t_s), "channels": names}).encode()
    return _MAGIC + struct.pack("<I", len(header)) + header + zlib.compress(b"".join(parts), 1)


def decode_stream(blob: bytes) -> Stream:
    import numpy as np

    if blob[:4] != _MAGIC:
        raise ValueError("not a cramplog stream blob")
    (hlen,) = struct.unpack("<I", blob[4:8])
    header = json.loads(blob[8 : 8 + hlen])
    raw = zlib.decompress(blob[8 + hlen :])
    n = int(header["n"])
    values = {}
    pos = 0
    for name in header["channels"]:
        dtype = "<f8" if name in _WIDE else "<f4"
        size = n * (8 if name in _WIDE else 4)
        values[name] = np.frombuffer(raw, dtype=dtype, count=n, offset=pos).astype(np.float64)
        pos += size
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
        values[name] = np.asarray(arr, dtype=dtype).astype(np.float64)
    return Stream(**values)
