"""Broken and hostile FIT files (issue 9): every real file cut short and bit-flipped, empty and
header-only files, lying data-size headers, real files under the wrong extension.

Each input gives a ``ParseResult`` or an ``InputError`` -- never another exception, never a hang
-- and what comes back is sane (aware UTC starts, finite non-negative totals, heart rates a heart
can beat, times that increase). A file cut short keeps exactly the records before the cut and
says that it stopped.

The counts of inputs tried are in docs/robustness.md; ``CRAMPLOG_SLOW=1`` tries more.
"""

from __future__ import annotations

import gzip
import math
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from conftest import REALDATA, realdata_files

from cramplog.errors import InputError
from cramplog.ingest import fit as fitmod
from cramplog.ingest.fitmessages import FitMessages
from cramplog.ingest.read import parse_bytes
from cramplog.model import SPORTS, STREAM_CHANNELS, ParseResult

SLOW = os.environ.get("CRAMPLOG_SLOW") == "1"
slow = pytest.mark.skipif(not SLOW, reason="slow: set CRAMPLOG_SLOW=1")

# Diverse real files (SOURCES.md): what each one brings to the mutation tests.
MUTATED = {
    "compressed-speed-distance.fit": "compressed-timestamp headers, accumulated components",
    "sample_mulitple_header.fit": "chained FIT files, multisport (triathlon)",
    "Indoor_Cycling2smO2sensors.fit": "developer fields, no GPS",
    "FR55-CoreTemp-Walk.fit": "array fields, developer fields",
    "unterminated-strings.fit": "strings without NUL, developer fields",
    "Move_2020_01_15_19_27_16_Running.fit": "Suunto, GPS + altitude + HR",
    "14582164182.fit.gz": "gzip, Edge 1030 virtual ride, developer field",
    "strava-android-app-201.10-b1218918.fit": "broken app file (undefined local message)",
}
CUTS_PER_FILE = 60 if SLOW else 30
FLIPS_PER_FILE = 120 if SLOW else 30
# One call may take this long on a slow CI machine (the real files parse in < 0.4 s).
MAX_CALL_S = 10.0


def _mutated_files() -> list[Path]:
    out = []
    for p in realdata_files("fit", "*.fit", "*.FIT", "*.fit.gz"):
        if p.name.split("__", 1)[-1] in MUTATED:
            out.append(p)
    return out


FILES = _mutated_files()
needs_files = pytest.mark.skipif(not FILES, reason="../shared/realdata is not present")


def raw_fit(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def short(path: Path) -> str:
    return path.name.split("__", 1)[-1]


# ------------------------------------------------------------------ shared checks


def assert_sane(result: ParseResult, name: str) -> None:
    """What any ParseResult from any input must look like."""
    assert isinstance(result, ParseResult)
    assert result.activities, "a result without activities must be an InputError instead"
    for w in result.warnings:
        assert isinstance(w, str) and "\n" not in w
    for act in result.activities:
        assert act.sport in SPORTS
        assert act.start.tzinfo is not None and act.start.utcoffset().total_seconds() == 0
        assert 1990 <= act.start.year <= 2100, act.start
        if act.utc_offset_s is not None:
            assert abs(act.utc_offset_s) <= 14 * 3600
        for key in ("distance_m", "elapsed_s", "moving_s", "ascent_m", "descent_m"):
            v = getattr(act, key)
            assert v is None or (math.isfinite(v) and v >= 0), (key, v)
        for key in ("hr_avg", "hr_max"):
            v = getattr(act, key)
            assert v is None or 0 < v <= 250, (key, v)
        s = act.stream
        if s is None:
            continue
        n = len(s.t_s)
        assert n > 0 and np.all(np.diff(s.t_s) > 0)
        for ch in STREAM_CHANNELS:
            arr = getattr(s, ch)
            assert arr is None or (arr.dtype == np.float64 and arr.shape == (n,)), ch
        if s.hr_bpm is not None:
            hr = s.hr_bpm[np.isfinite(s.hr_bpm)]
            assert ((hr > 0) & (hr <= 250)).all()
        if s.lat_deg is not None and np.isfinite(s.lat_deg).any():
            assert np.nanmax(np.abs(s.lat_deg)) <= 90
        if s.lon_deg is not None and np.isfinite(s.lon_deg).any():
            assert np.nanmax(np.abs(s.lon_deg)) <= 180


def outcome(name: str, data: bytes) -> ParseResult | InputError:
    """parse_bytes, timed; any exception but InputError fails the test."""
    t0 = time.perf_counter()
    try:
        result: ParseResult | InputError = parse_bytes(name, data)
    except InputError as exc:
        msg = str(exc)
        assert msg.startswith(name + ": ") and "\n" not in msg, msg
        result = exc
    elapsed = time.perf_counter() - t0
    assert elapsed < MAX_CALL_S, f"{name} ({len(data)} bytes) took {elapsed:.1f} s"
    if isinstance(result, ParseResult):
        assert_sane(result, name)
    return result


@contextmanager
def captured_messages() -> Iterator[list[FitMessages]]:
    """The FitMessages parse_fit decoded (to compare records with the whole file's)."""
    seen: list[FitMessages] = []
    real = fitmod.decode_fit

    def spy(data: bytes, *, fast: bool = True) -> FitMessages:
        msgs = real(data, fast=fast)
        seen.append(msgs)
        return msgs

    fitmod.decode_fit = spy  # type: ignore[assignment]
    try:
        yield seen
    finally:
        fitmod.decode_fit = real  # type: ignore[assignment]


def cut_offsets(path: Path, data: bytes, count: int) -> list[int]:
    """Header edges, the CRC, and seeded random offsets: ``count`` distinct cuts < len(data)."""
    n = len(data)
    rng = random.Random(f"cut:{short(path)}")
    offs = {1, 11, 12, 13, data[0], data[0] + 1, data[0] + 7, n - 2, n - 1}
    while len(offs) < count:
        offs.add(rng.randrange(1, n))
    return sorted(offs)


# ------------------------------------------------------------------ truncation


@needs_files
@pytest.mark.realdata
@pytest.mark.parametrize("path", FILES, ids=short)
def test_cut_short_keeps_the_records_before_the_cut_and_says_so(path: Path) -> None:
    data = raw_fit(path)
    with captured_messages() as seen:
        outcome("whole.fit", data)
    full = seen[-1].record
    assert full
    previous = 0
    for cut in cut_offsets(path, data, CUTS_PER_FILE):
        part = data[:cut]
        with captured_messages() as seen:
            res = outcome("cut.fit", part)
        if cut < 12:
            assert isinstance(res, InputError) and "not a FIT file" in str(res)
            continue
        (msgs,) = seen
        got = msgs.record
        # never invented, never reordered: exactly the first records of the whole file
        assert got == full[: len(got)], f"cut at {cut}: records differ from the whole file's"
        assert len(got) >= previous, f"cut at {cut} kept fewer records than a shorter cut"
        previous = len(got)
        assert msgs.warnings, f"cut at {cut} of {len(data)}: the loss is not reported"
        if isinstance(res, ParseResult):
            assert any("stopped" in w for w in res.warnings)
            samples = sum(len(a.stream) for a in res.activities if a.stream is not None)
            assert samples <= len(got)


@needs_files
@pytest.mark.realdata
def test_a_cut_gzip_keeps_what_it_can(realdata: Path) -> None:
    (path,) = [p for p in FILES if p.name.endswith(".gz")]
    comp = path.read_bytes()
    kinds = {"result": 0, "error": 0}
    for cut in cut_offsets(path, comp, 20):
        res = outcome("cut.fit.gz", comp[:cut])
        kinds["result" if isinstance(res, ParseResult) else "error"] += 1
    assert kinds["result"] > 0 and kinds["error"] > 0, kinds


# ------------------------------------------------------------------ bit flips


def flipped(data: bytes, rng: random.Random) -> bytes:
    """A few random bits flipped (1 to 32 of them), anywhere in the file."""
    b = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 3, 4, 8, 32])):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


@needs_files
@pytest.mark.realdata
@pytest.mark.parametrize("path", FILES, ids=short)
def test_bit_flips_give_a_sane_result_or_an_input_error(path: Path) -> None:
    data = raw_fit(path)
    rng = random.Random(f"flip:{short(path)}")
    t0 = time.perf_counter()
    results = 0
    for _ in range(FLIPS_PER_FILE):
        if isinstance(outcome("flipped.fit", flipped(data, rng)), ParseResult):
            results += 1
    # most flips land in record payloads: the session survives in most variants
    assert results >= FLIPS_PER_FILE // 3, results
    assert time.perf_counter() - t0 < FLIPS_PER_FILE * 2.0


@needs_files
@pytest.mark.realdata
def test_flipped_header_bytes(realdata: Path) -> None:
    """Every bit of the 14-byte file header flipped in turn (the three smallest files)."""
    for path in sorted(FILES, key=lambda p: p.stat().st_size)[:3]:
        data = raw_fit(path)
        for i in range(14):
            for bit in range(8):
                b = bytearray(data)
                b[i] ^= 1 << bit
                res = outcome("hdr.fit", bytes(b))
                if 8 <= i < 12:  # the ".FIT" signature
                    assert isinstance(res, InputError) and "not a FIT file" in str(res)


# ------------------------------------------------------------------ tiny and lying files


def _header(data_size: int, size: int = 14) -> bytes:
    from cramplog.samplegen.fitwriter import fit_crc

    head = bytes([size, 0x10]) + (2093).to_bytes(2, "little") + data_size.to_bytes(4, "little")
    head += b".FIT"
    if size == 14:
        head += fit_crc(head).to_bytes(2, "little")
    return head


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"\x0e", "not a FIT file"),
        (b".FIT", "not a FIT file"),
        (b"\x0e\x10\xd9\x07\x00\x00\x00\x00.FI", "not a FIT file"),
        (_header(0, 12), "no activity records"),
        (_header(0), "no activity records"),
        (_header(0) + b"\x00\x00", "no activity records"),  # header and CRC, no data
        (_header(5000), "no activity records"),  # claims data it does not have
        (_header(5000) + b"\x40", "no activity records"),  # a definition cut after 1 byte
        (_header(2) + b"\x00\x00\x00\x00", "no activity records"),  # data for no definition
        (_header(0, 13), "no activity records"),  # irregular header size
        (_header(0, 255) + bytes(300), "no activity records"),  # header size 255
    ],
    ids=[
        "one-byte",
        "signature-only",
        "11-bytes",
        "12-byte-header",
        "14-byte-header",
        "header-crc",
        "header-claims-data",
        "cut-definition",
        "undefined-local",
        "13-byte-header",
        "255-byte-header",
    ],
)
def test_tiny_files_are_one_clear_input_error(data: bytes, match: str) -> None:
    res = outcome("tiny.fit", data)
    assert isinstance(res, InputError)
    assert match in str(res)


def _with_data_size(data: bytes, size: int) -> bytes:
    b = bytearray(data)
    b[4:8] = size.to_bytes(4, "little")
    return bytes(b)


def _first_part_end(data: bytes) -> int:
    """Where the first FIT file of a (possibly chained) file ends: header, data, CRC."""
    return data[0] + int.from_bytes(data[4:8], "little") + 2


@needs_files
@pytest.mark.realdata
@pytest.mark.parametrize("path", FILES, ids=short)
def test_data_size_header_larger_than_the_file(path: Path) -> None:
    data = raw_fit(path)
    with captured_messages() as seen:
        outcome("first.fit", data[: _first_part_end(data)])
    first = seen[-1].record
    chained = _first_part_end(data) < len(data)
    for size in (len(data) + 1, len(data) * 2, 0xFFFFFFFF):
        with captured_messages() as seen:
            res = outcome("large.fit", _with_data_size(data, size))
        got = seen[-1].record
        if chained:
            # the next file's header is read as messages: the first file's records stay
            assert got[: len(first)] == first
        else:
            assert got == first, "every record is still read, nothing is invented"
        if isinstance(res, ParseResult):
            assert any("stopped at byte" in w for w in res.warnings)


@needs_files
@pytest.mark.realdata
@pytest.mark.parametrize("path", FILES, ids=short)
def test_data_size_header_smaller_than_the_file(path: Path) -> None:
    data = raw_fit(path)
    with captured_messages() as seen:
        outcome("whole.fit", data)
    whole = seen[-1]
    declared = int.from_bytes(data[4:8], "little")
    for fraction in (0.0, 0.25, 0.5, 0.9):
        with captured_messages() as seen:
            res = outcome("small.fit", _with_data_size(data, int(declared * fraction)))
        msgs = seen[-1]
        assert msgs.record == whole.record[: len(msgs.record)]
        assert msgs.total() <= whole.total()
        if not whole.warnings:  # (a damaged file may stop before the declared end anyway)
            assert msgs.total() < whole.total(), "messages after the declared end are dropped"
        assert msgs.warnings, "... and that is reported"
        if isinstance(res, ParseResult):
            assert any("stopped at byte" in w for w in res.warnings)


# ------------------------------------------------------------------ wrong extension


def _all_real_files() -> list[Path]:
    if REALDATA is None:
        return []
    return sorted(p for p in REALDATA.rglob("*") if p.is_file() and p.name != "SOURCES.md")


REAL = _all_real_files()


@pytest.mark.realdata
@pytest.mark.skipif(not REAL, reason="../shared/realdata is not present")
def test_real_files_under_the_wrong_extension_are_input_errors() -> None:
    """A renamed file (FIT saved as .gpx, GPX as .fit, TCX as .csv ...) never crashes and is
    never mistaken for an activity of the other format."""
    tried = 0
    for path in REAL:
        data = raw_fit(path) if path.name.endswith(".gz") else path.read_bytes()
        real_ext = path.name.lower().removesuffix(".gz").rsplit(".", 1)[-1]
        for ext in ("fit", "gpx", "tcx", "csv"):
            if ext == real_ext:
                continue
            res = outcome(f"renamed.{ext}", data)
            assert isinstance(res, InputError), f"{path.name} read as .{ext}"
            tried += 1
    assert tried == 3 * len(REAL)


# ------------------------------------------------------------------ fast-path findings


def _fast_only(data: bytes) -> FitMessages:
    """The fast decoder's own reading: declining (``FastPathUnsupported``) or raising
    anything fails the test, since decode_fit would hide either behind fitparse."""
    from cramplog.ingest.fit_fast import decode_fast

    msgs = decode_fast(data)
    assert msgs.decoder == "fast"
    return msgs


def _same_messages(a: FitMessages, b: FitMessages) -> None:
    from cramplog.ingest.fitmessages import KINDS

    assert a.record == b.record
    for kind in KINDS:
        if kind != "record":
            assert a.kind(kind) == b.kind(kind), kind


@needs_files
@pytest.mark.realdata
@pytest.mark.parametrize("path", FILES, ids=short)
def test_fast_path_reads_cut_files_itself(path: Path) -> None:
    """A cut file is read by the fast decoder, not by the (5-50x slower) fitparse fallback
    that decode_fit uses when the fast path raises (it used to raise IndexError on a file
    cut exactly at a message boundary); what it reads is the start of the whole file."""
    data = raw_fit(path)
    whole = _fast_only(data)
    tried = 0
    for cut in [data[0], *cut_offsets(path, data, 10)]:
        if cut >= 12 and cut < len(data):
            msgs = _fast_only(data[:cut])
            assert msgs.record == whole.record[: len(msgs.record)]
            assert msgs.total() <= whole.total()
            assert msgs.warnings, "a cut file says so"
            tried += 1
    assert tried >= 1


def _fit_file(body: bytes) -> bytes:
    from cramplog.samplegen.fitwriter import fit_crc

    head = bytes([14, 0x10]) + (2093).to_bytes(2, "little") + len(body).to_bytes(4, "little")
    head += b".FIT"
    head += fit_crc(head).to_bytes(2, "little")
    return head + body + fit_crc(head + body).to_bytes(2, "little")


def test_fast_path_field_of_size_zero() -> None:
    """A definition declaring a field of size 0 (it used to raise ValueError in the fast
    decoder, an argmax on a zero-width column): the field is declined and the message read,
    exactly as fitparse reads the same file without that (byte-less) field. fitparse itself
    stops at such a message ("Invalid struct format: <0B"), as it does at a field whose
    size is not a multiple of its type (COROS PACE 2), which the fast path also declines."""
    from cramplog.ingest.fit_reference import decode_fitparse

    # record (global 20): timestamp (253, uint32) and heart_rate (3, uint8) of size 0
    body = bytes([0x40, 0, 0, 20, 0, 2, 253, 4, 0x86, 3, 0, 0x02])
    body += bytes([0x00]) + (1_000_000_000).to_bytes(4, "little")
    # the same record without the heart_rate field: the bytes of every message are the same
    plain = bytes([0x40, 0, 0, 20, 0, 1, 253, 4, 0x86])
    plain += bytes([0x00]) + (1_000_000_000).to_bytes(4, "little")
    fast = _fast_only(_fit_file(body))
    ref = decode_fitparse(_fit_file(plain))
    assert not ref.warnings and not fast.warnings
    _same_messages(fast, ref)
    assert list(fast.record.timestamps) == [1_000_000_000.0]
    assert "heart_rate" not in fast.record.columns
    assert fitmod.decode_fit(_fit_file(body)).decoder == "fast"
