"""The one entry point for activity files: format by name, gzip looked through, adapter chosen.

``parse_bytes(name, data)`` reads any file cramplog knows; ``detect_format`` names the format of
a file name; ``gunzip`` decompresses with a cap against gzip bombs. The adapters are imported
when a file of their format is read.
"""

from __future__ import annotations

from cramplog.errors import InputError
from cramplog.model import ParseResult

# Extension (lower case, without .gz) -> format name.
INPUT_FORMATS = {".fit": "fit", ".gpx": "gpx", ".tcx": "tcx", ".csv": "csv"}

# Files that belong to the athlete folder, not to the activity log.
PROFILE_NAME = "athlete.toml"
CRAMPS_NAME = "cramps.csv"

# Decompressed-size caps: a real activity file is a few MB; anything far larger is a bomb.
MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


def detect_format(name: str) -> str | None:
    """The activity format of a file name (``fit``, ``gpx``, ``tcx``, ``csv``), or ``None``.

    ``.gz`` is looked through: ``ride.fit.gz`` is ``fit``.
    """
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    for ext, fmt in INPUT_FORMATS.items():
        if lower.endswith(ext):
            return fmt
    return None


def gunzip(data: bytes, name: str) -> bytes:
    """Decompress gzip data with a cap on size and ratio (gzip bombs get a clear error).

    A truncated gzip keeps what was decompressed before the damage.
    """
    import zlib

    limit = min(MAX_DECOMPRESSED_BYTES, max(len(data), 1) * MAX_COMPRESSION_RATIO + (1 << 20))
    chunks: list[bytes] = []
    total = 0
    buf = data
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        while buf:
            chunk = d.decompress(buf, 1 << 20)
            total += len(chunk)
            if total > limit:
                raise InputError(
                    f"{name}: decompresses to more than {limit >> 20} MB; "
                    "refused as a likely gzip bomb"
                )
            chunks.append(chunk)
            if d.unconsumed_tail:
                buf = d.unconsumed_tail
            elif d.eof and d.unused_data.strip(b"\0"):
                buf = d.unused_data  # a second gzip member follows
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            else:
                buf = b""
    except zlib.error as exc:
        if not chunks:
            raise InputError(f"{name}: not a valid gzip file ({exc})") from None
    return b"".join(chunks)


def parse_bytes(name: str, data: bytes) -> ParseResult:
    """Read one activity file from its bytes. ``name`` decides the format (``.gz`` allowed)."""
    fmt = detect_format(name)
    if fmt is None:
        raise InputError(f"{name}: unknown file type (cramplog reads .fit, .gpx, .tcx, .csv)")
    if name.lower().endswith(".gz"):
        data = gunzip(data, name)
    if not data:
        raise InputError(f"{name}: the file is empty")
    if fmt == "fit":
        from cramplog.ingest.fit import parse_fit

        return parse_fit(data, name)
    if fmt == "gpx":
        from cramplog.ingest.gpx import parse_gpx

        return parse_gpx(data, name)
    if fmt == "tcx":
        from cramplog.ingest.tcx import parse_tcx

        return parse_tcx(data, name)
    from cramplog.ingest.csvfile import parse_csv

    return parse_csv(data, name)
