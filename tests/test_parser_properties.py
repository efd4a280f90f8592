"""Property tests for every parser entry point (issue 9): whatever the bytes, ``parse_bytes``
gives a sane ``ParseResult`` or one ``InputError`` line, under every name a user's file can
have; and generated FIT files (random definitions, data messages, compressed timestamps,
big-endian definitions, developer fields, odd field sizes, lying data sizes) do the same.

Metric invariants (CTL/ATL bounds, monotony, ACWR) are in tests/test_metrics.py; raw-bytes
properties of the GPX/TCX and CSV readers alone are in test_xml_hostile.py and
test_csv_hostile.py. What is new here: the dispatch by name (``.gz`` included) and FIT.
"""

from __future__ import annotations

import gzip
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import realdata_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile_fit import SLOW, assert_sane, outcome

from cramplog.errors import InputError
from cramplog.ingest.read import parse_bytes
from cramplog.model import ParseResult
from cramplog.samplegen.fitwriter import fit_crc

NAMES = ["a.fit", "a.FIT", "a.fit.gz", "a.gpx", "a.gpx.gz", "a.tcx", "a.tcx.gz", "a.csv"]
EXAMPLES = 2000 if SLOW else 150


def check(name: str, data: bytes) -> ParseResult | InputError:
    res = outcome(name, data)  # ParseResult or InputError, timed, sane
    if isinstance(res, InputError):
        assert str(res).strip()
    return res


@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=3000))
def test_any_bytes_under_any_name(name: str, data: bytes) -> None:
    check(name, data)


@settings(max_examples=EXAMPLES, deadline=None)
@given(name=st.sampled_from([n for n in NAMES if n.endswith(".gz")]), data=st.binary(max_size=3000))
def test_any_gzipped_bytes(name: str, data: bytes) -> None:
    """Valid gzip around junk: the gzip layer passes it on, the format reader refuses it."""
    check(name, gzip.compress(data))


@settings(max_examples=EXAMPLES, deadline=None)
@given(data=st.binary(max_size=3000), name=st.sampled_from(["a.fit", "a.fit.gz"]))
def test_any_bytes_behind_a_fit_header(data: bytes, name: str) -> None:
    """A valid 14-byte header in front of junk, so the message walker sees it."""
    raw = _header(len(data)) + data
    check(name, gzip.compress(raw) if name.endswith(".gz") else raw)


def test_unknown_extension_is_an_input_error() -> None:
    for name in ("a.fit.zip", "a.txt", "a", "a.gz", ".fit.bak", "a.fitx"):
        with pytest.raises(InputError, match="unknown file type"):
            parse_bytes(name, b"\x0e\x10")


# ---------------------------------------------------------------- generated FIT files

T0 = 1_000_000_000  # FIT seconds (2021-09-09)
# global message number -> [(field number, size, base type)] from the FIT profile
FIELDS = {
    0: [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (4, 4, 0x86)],  # file_id
    20: [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (2, 2, 0x84), (3, 1, 0x02),
         (4, 1, 0x02), (5, 4, 0x86), (6, 2, 0x84), (13, 1, 0x01), (78, 4, 0x86)],  # record
    18: [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86),
         (5, 1, 0x00), (6, 1, 0x00), (16, 1, 0x02), (17, 1, 0x02), (22, 2, 0x84)],  # session
    19: [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (9, 4, 0x86)],  # lap
    34: [(253, 4, 0x86), (5, 4, 0x86), (1, 2, 0x84), (2, 1, 0x00)],  # activity
    21: [(253, 4, 0x86), (0, 1, 0x00), (1, 1, 0x00), (3, 4, 0x86)],  # event
    23: [(253, 4, 0x86), (2, 2, 0x84), (4, 2, 0x84)],  # device_info
    78: [(253, 4, 0x86), (0, 2, 0x84)],  # hrv (not read by cramplog)
}  # fmt: skip
TIME_FIELDS = {(20, 253), (18, 253), (18, 2), (19, 253), (19, 2), (34, 253), (21, 253), (0, 4)}
BASE_TYPES = [0x00, 0x01, 0x02, 0x83, 0x84, 0x85, 0x86, 0x07, 0x88, 0x89, 0x0D, 0x8B, 0x8C]
PACK = {1: "B", 2: "H", 4: "I", 8: "Q"}


def _header(data_size: int) -> bytes:
    head = bytes([14, 0x10]) + (2093).to_bytes(2, "little") + data_size.to_bytes(4, "little")
    head += b".FIT"
    return head + fit_crc(head).to_bytes(2, "little")


@st.composite
def fit_files(draw: st.DrawFn) -> bytes:
    """A FIT file of random messages shaped like a watch's (and sometimes not quite)."""
    body = bytearray()
    local: dict[int, tuple[str, list[tuple[int, int, int, int]], int]] = {}
    t = T0 + draw(st.integers(-2000, 2000))
    for _ in range(draw(st.integers(0, 30))):
        op = draw(st.sampled_from(["def", "data", "data", "data", "data", "compressed", "junk"]))
        if op == "def" or not local:
            lt = draw(st.integers(0, 15)) if draw(st.booleans()) else draw(st.integers(0, 3))
            g = draw(st.sampled_from(sorted(FIELDS)))
            fields = draw(st.lists(st.sampled_from(FIELDS[g]), min_size=1, unique=True))
            if draw(st.integers(0, 9)) == 0:  # a field of a surprising size or type
                fields[0] = (
                    fields[0][0],
                    draw(st.sampled_from([1, 2, 3, 4, 8])),
                    draw(st.sampled_from(BASE_TYPES)),
                )
            endian = ">" if draw(st.integers(0, 4)) == 0 else "<"
            dev = draw(st.integers(0, 6)) == 0
            body += bytes([0x40 | (0x20 if dev else 0) | lt, 0, 1 if endian == ">" else 0])
            body += struct.pack(endian + "H", g) + bytes([len(fields)])
            for f in fields:
                body += bytes(f)
            dev_size = 0
            if dev:
                sizes = draw(st.lists(st.integers(1, 4), max_size=2))
                body += bytes([len(sizes)])
                for i, s in enumerate(sizes):
                    body += bytes([i, s, 0])
                dev_size = sum(sizes)
            local[lt] = (endian, [(g, *f) for f in fields], dev_size)
            continue
        if op == "junk":
            body += draw(st.binary(min_size=1, max_size=4))
            continue
        lt = draw(st.sampled_from(sorted(local)))
        endian, fields, dev_size = local[lt]
        if op == "compressed":
            body.append(0x80 | ((lt & 3) << 5) | draw(st.integers(0, 31)))
        else:
            body.append(lt)
        t += draw(st.integers(0, 5)) if draw(st.booleans()) else draw(st.integers(0, 100_000))
        for g, num, size, _bt in fields:
            if (g, num) in TIME_FIELDS and size == 4 and draw(st.integers(0, 5)):
                v = t - draw(st.integers(0, 3600)) if num == 2 else t
                body += struct.pack(endian + "I", v & 0xFFFFFFFF)
            elif g == 34 and num == 5 and size == 4:  # activity local_timestamp: an offset
                off = draw(st.sampled_from([0, 3600, -7200, 19800, 50400, 10**6]))
                body += struct.pack(endian + "I", (t + off) & 0xFFFFFFFF)
            elif size in PACK and draw(st.integers(0, 3)):
                body += struct.pack(endian + PACK[size], draw(st.integers(0, 256**size - 1)))
            else:
                body += draw(st.binary(min_size=size, max_size=size))
        body += draw(st.binary(min_size=dev_size, max_size=dev_size))
    size = len(body)
    if draw(st.integers(0, 9)) == 0:
        size = draw(st.integers(0, 2 * len(body) + 10))
    out = _header(size) + bytes(body)
    return out + fit_crc(out).to_bytes(2, "little")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=fit_files())
def test_generated_fit_files(data: bytes) -> None:
    res = check("gen.fit", data)
    if isinstance(res, ParseResult):
        assert_sane(res, "gen.fit")


def test_a_generated_file_can_be_read() -> None:
    """The generator reaches the session builder (not only InputErrors)."""
    rec = [(253, 4, 0x86), (3, 1, 0x02), (5, 4, 0x86)]
    body = bytes([0x40, 0, 0]) + struct.pack("<H", 20) + bytes([len(rec)])
    body += b"".join(bytes(f) for f in rec)
    for i in range(60):
        body += bytes([0]) + struct.pack("<IBI", T0 + i, 120 + i % 30, i * 300)
    out = _header(len(body)) + body
    (act,) = parse_bytes("gen.fit", out + fit_crc(out).to_bytes(2, "little")).activities
    assert act.hr_max == 149 and act.distance_m == pytest.approx(177.0)


# ---------------------------------------------------------------- fast-path findings


def test_fast_path_huge_float_date() -> None:
    """A date_time declared as float64 holding 1e300 (found by test_generated_fit_files'
    generator; it used to raise OverflowError in the fast decoder): the date is invalid
    and left out, exactly as fitparse reads the same lap with the invalid marker there
    (fitparse itself stops the file at 1e300: "timestamp out of range")."""
    from test_hostile_fit import _fast_only, _same_messages

    from cramplog.ingest.fit import decode_fit
    from cramplog.ingest.fit_reference import decode_fitparse

    def lap(value: bytes) -> bytes:
        body = bytes([0x40, 0, 0]) + struct.pack("<H", 19) + bytes([1, 2, 8, 0x89])  # start_time
        body += bytes([0]) + value
        out = _header(len(body)) + body
        return out + fit_crc(out).to_bytes(2, "little")

    fast = _fast_only(lap(struct.pack("<d", 1e300)))
    ref = decode_fitparse(lap(b"\xff" * 8))  # float64 invalid
    assert not ref.warnings and not fast.warnings
    _same_messages(fast, ref)
    assert fast.lap == [{}]
    assert decode_fit(lap(struct.pack("<d", 1e300))).decoder == "fast"
    # a float64 date a calendar holds is still read as that date
    (row,) = _fast_only(lap(struct.pack("<d", 1e9))).lap
    assert row["start_time"].year == 2021  # 1989-12-31 + 1e9 s = 2021-09-08


# ---------------------------------------------------------------- atheris, briefly

FUZZ_SCRIPT = Path(__file__).resolve().parents[1] / "fuzz" / "fuzz_fit.py"
FUZZ_SEEDS = (
    "garmin-fenix-5-run.fit",
    "unterminated-strings.fit",
    "compressed-speed-distance.fit",
    "activity-settings-corruptheader.fit",
)


def test_fuzz_fit_runs_briefly(tmp_path: Path) -> None:
    """fuzz/fuzz_fit.py for a few seconds (fuzz/README.md runs it for hours)."""
    pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in realdata_files("fit", "*.fit"):
        if p.name.split("__", 1)[-1] in FUZZ_SEEDS:
            (corpus / p.stem).write_bytes(b"\x00" + p.read_bytes())
    seconds = 20 if SLOW else 5
    proc = subprocess.run(
        [sys.executable, str(FUZZ_SCRIPT), f"-max_total_time={seconds}", "-timeout=20",
         "-max_len=20000", "-rss_limit_mb=2048", f"-artifact_prefix={tmp_path}/", str(corpus)],
        cwd=tmp_path, capture_output=True, text=True, timeout=seconds + 60,
    )  # fmt: skip
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert proc.returncode == 0 and not crashes, proc.stderr[-3000:]
    runs = re.search(r"Done (\d+) runs in (\d+) second", proc.stderr)
    assert runs is not None and int(runs.group(1)) > 50, proc.stderr[-2000:]
