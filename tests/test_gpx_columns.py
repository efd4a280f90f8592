"""gpx_columns, the numpy column reader of GPX points: exactly the tracks ``read_tracks`` reads,
or no answer.

Every comparison is between the column reader and the element reader
(``gpx_elements.read_tracks``) on the same file, or between ``parse_gpx`` with the bulk
readers on and off; numbers against Python's own ``float`` and times against ``parse_time``.
The documents are the bulk scanner's (hand-written cases, generated documents with and without
noise, the layouts exporters write, the real files), so both fast readers face the same files.
"""

from __future__ import annotations

import math
import random
import re
from pathlib import Path

import numpy as np
import pytest
import test_gpx_bulk as bulk
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_gpx_layouts import _track

from cramplog.errors import InputError
from cramplog.ingest import gpx_columns, gpx_elements
from cramplog.ingest.track_samples import Samples, parse_time
from cramplog.ingest.xmlsafe import decode_xml
from cramplog.samplegen.gpx_layouts import LAYOUTS, layout_gpx

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "sample_logs").rglob("*.gpx"))


def check_columns(data: bytes) -> list[Samples] | None:
    """The column reader's answer; when it gives one, it is ``read_tracks``'s, with no
    warning (a damaged file is never the column reader's)."""
    try:
        text = decode_xml(data, "a.gpx", "GPX")
    except InputError:
        return None
    got = gpx_columns.scan(data, text)
    if got is not None:
        warnings: list[str] = []
        want = gpx_elements.read_tracks(text, "a.gpx", warnings)
        assert not warnings
        bulk.assert_same_samples(got, want)
    return got


def points_left(data: bytes, monkeypatch: pytest.MonkeyPatch) -> int | None:
    """How many points the column reader leaves to ``read_point`` (None: no answer)."""
    calls = []
    real = gpx_elements.read_point

    def counting(*args: object) -> None:
        calls.append(1)
        real(*args)  # type: ignore[arg-type]

    with monkeypatch.context() as m:
        m.setattr(gpx_elements, "read_point", counting)
        got = gpx_columns.scan(data, decode_xml(data, "a.gpx", "GPX"))
    return None if got is None else len(calls)


# --- the layouts and files it is for ------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_is_read_whole_and_equals_the_element_reader(
    layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = layout_gpx(layout, name="Morning Run", seed=1, **_track())
    assert points_left(data, monkeypatch) == 0, f"{layout}: points left to the element reader"
    got = check_columns(data)
    assert got is not None and len(got[0]) == 400
    bulk.assert_scanner_changes_nothing(data, monkeypatch)


@pytest.mark.parametrize("seed", range(6))
def test_layouts_with_values_of_every_length(seed: int) -> None:
    """Values cross lengths and signs (hr 99 -> 100, lon -0.9 -> 0.1, ele 9.9 -> 10.0, ...):
    each value class of the matrix reader and the general one meet in one file."""
    rng = np.random.default_rng(seed)
    n = 500
    cols = _track(n, seed)
    cols["lon"] = np.linspace(-1.2, 1.2, n) + rng.normal(0, 1e-5, n)
    cols["ele"] = np.linspace(-15, 1200, n)
    cols["hr"] = rng.integers(0, 220, n)
    cols["speed"] = rng.choice([0.0, 9.5, 10.25, 3.0], n)
    data = layout_gpx(LAYOUTS[seed % len(LAYOUTS)], name="Mixed", seed=seed, **cols)
    assert check_columns(data) is not None


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_logs(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    check_columns(data)
    bulk.assert_scanner_changes_nothing(data, monkeypatch)


@pytest.mark.parametrize("path", bulk.FIXTURES, ids=lambda p: p.name)
def test_fixtures(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    check_columns(data)
    bulk.assert_scanner_changes_nothing(data, monkeypatch)


@pytest.mark.realdata
@pytest.mark.parametrize("path", bulk.REAL_GPX, ids=lambda p: p.name)
def test_real_files(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    got = check_columns(data)
    if path.name in bulk.SCANNED_WHOLE:
        assert got is not None
        assert points_left(data, monkeypatch) == 0
    bulk.assert_scanner_changes_nothing(data, monkeypatch)


# --- what it leaves to the others -----------------------------------------------------------

# Cases it must answer: runs next to points of other shapes, tracks, names, comments elsewhere.
ANSWERED = {"cdata-in-name", "cdata-in-point", "comment-in-point", "comment-in-head",
            "amp-in-name", "entity-in-point", "no-lat", "bad-lat", "self-closing", "two-tracks",
            "wpt-rte-first", "metadata-name", "name-after-points", "points-outside-trk",
            "crlf", "no-trk"}  # fmt: skip


@pytest.mark.parametrize("label", sorted(bulk.CASES))
def test_hand_written_cases(label: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = bulk.CASES[label].encode()
    got = check_columns(data)
    if label in ANSWERED:
        assert got is not None
    if label in ("comment-around-points", "cdata-around-points", "pi-around-points",
                 "truncated", "junk-after-point", "unbound-prefix"):  # fmt: skip
        assert got is None
    bulk.assert_scanner_changes_nothing(data, monkeypatch)


def test_a_run_then_points_of_another_shape_in_one_track() -> None:
    """Columns first, then points read one by one (arrays turned back into lists), then
    points one by one first and columns after (lists joined to arrays)."""
    odd = bulk.point(99, "<time>2021-06-01T06:01:39Z</time><ele>1e2</ele>")
    for body in (bulk.PTS + odd + odd, odd + bulk.PTS, bulk.PTS + odd + bulk.PTS):
        got = check_columns(bulk.doc(body).encode())
        assert got is not None and len(got) == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "ascii", "iso-8859-1", "utf-16"])
def test_encodings(encoding: str, monkeypatch: pytest.MonkeyPatch) -> None:
    name = "Run" if encoding == "ascii" else "Course à pied"
    text = bulk.doc(bulk.PTS, head=f"<name>{name}</name>")
    text = text.replace('encoding="UTF-8"', f'encoding="{encoding.removesuffix("-sig")}"')
    data = text.encode(encoding)
    got = check_columns(data)
    assert (got is not None) == (encoding in ("utf-8", "utf-8-sig", "ascii"))
    bulk.assert_scanner_changes_nothing(data, monkeypatch)


def test_a_point_in_a_comment_is_no_answer() -> None:
    text = bulk.doc(bulk.PTS + "<!--" + bulk.PTS + "-->")
    assert check_columns(text.encode()) is None


# --- numbers and times -------------------------------------------------------------------------

PLAIN = st.from_regex(r"-?[0-9]{1,7}(\.[0-9]{0,7})?|-?\.[0-9]{1,6}", fullmatch=True)
ODD = st.sampled_from(["1e3", "1E-2", "+5", "-", ".", "", "1.2.3", "--1", "1-2", "nan", "inf",
                       "0x1", "12345678901234567890", "3.14159265358979323846", "-0", "-0.0",
                       "00012.5000", "7.", "-.5", "1,5", "abc"])  # fmt: skip


def _numbers_of(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """gpx_columns._numbers on the values written one after another, each ended by ``<``."""
    blob = "".join(t + "<" for t in texts).encode()
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    first = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
    views = gpx_columns._Views(np.frombuffer(blob + bytes(64), dtype=np.uint8))
    return gpx_columns._numbers(views, first, lengths)


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.one_of(PLAIN, PLAIN, PLAIN, ODD), min_size=1, max_size=60))
def test_numbers_are_pythons_float(texts: list[str]) -> None:
    # repeated, so that most lengths have enough values for the matrix reader
    texts = texts * 9
    random.Random(len(texts)).shuffle(texts)
    value, good = _numbers_of(texts)
    for text, v, g in zip(texts, value.tolist(), good.tolist(), strict=True):
        want = _float(text)
        assert g == (want is not None), text
        if want is not None:
            same = v == want or (math.isnan(v) and math.isnan(want))
            assert same and math.copysign(1, v) == math.copysign(1, want), (text, v, want)


def test_numbers_of_every_decimal_layout() -> None:
    """Every sign, length and dot place up to the matrix reader's limit, against ``float``."""
    rng = np.random.default_rng(5)
    texts = []
    for digits in range(1, 19):  # past 15 digits: Python's float itself
        for dot in range(-1, digits + 1):
            for _ in range(12):
                s = "".join(rng.choice(list("0123456789"), digits))
                if dot >= 0:
                    s = s[:dot] + "." + s[dot:]
                texts.append(("-" if rng.integers(2) else "") + s)
    value, good = _numbers_of(texts)
    assert good.all()
    np.testing.assert_array_equal(value, np.array([float(t) for t in texts]))
    assert (np.signbit(value) == np.array([t.startswith("-") for t in texts])).all()


def test_times_are_parse_times() -> None:
    texts = bulk.TIMES * 3
    blob = "".join(t + "<" for t in texts).encode("utf-8")
    lengths = np.array([len(t.encode()) for t in texts], dtype=np.int64)
    first = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
    views = gpx_columns._Views(np.frombuffer(blob + bytes(64), dtype=np.uint8))
    secs, ok = gpx_columns._times(views, first, lengths)
    plain = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z\Z")
    for text, s, g in zip(texts, secs.tolist(), ok.tolist(), strict=True):
        parsed = parse_time(text)
        if g:  # read here only when parse_time reads it alike, in UTC
            assert parsed is not None and parsed[1] is None and parsed[0] == s, text
        else:  # the others are the element reader's; every plain valid UTC time is read here
            assert parsed is None or not plain.match(text), text


# --- generated documents ----------------------------------------------------------------------

MANY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@MANY
@given(text=bulk.gpx_documents())
def test_generated_documents(text: str) -> None:
    check_columns(text.encode())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=bulk.gpx_documents(), cut=st.floats(0, 1))
def test_generated_documents_cut_short(text: str, cut: float) -> None:
    check_columns(text[: int(len(text) * cut)].encode())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=bulk.gpx_documents(),
    edits=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(bulk.NOISE)), min_size=1, max_size=3),
)
def test_generated_documents_with_noise(text: str, edits: list[tuple[float, str]]) -> None:
    for where, fragment in edits:
        i = int(where * len(text))
        text = text[:i] + fragment + text[i:]
    check_columns(text.encode())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=bulk.gpx_documents(), copies=st.integers(8, 30))
def test_generated_documents_long(text: str, copies: int) -> None:
    """Segments of many points, so that the matrix reader (8+ values of a length) runs."""
    head, sep, rest = text.partition("<trkseg>")
    body, sep2, tail = rest.partition("</trkseg>")
    check_columns((head + sep + body * copies + sep2 + tail).encode())


def test_points_alike_but_for_their_names_or_order() -> None:
    """Shapes with as many tags and values as the common one, but other names (``cad`` for
    ``hr``) or ``lon`` before ``lat``: each value must land in its own channel."""
    pts = []
    for i in range(40):
        tag = "gpxtpx:hr" if i % 3 else "gpxtpx:cad"
        attrs = f'lat="{46 + i * 1e-4:.4f}" lon="14.{i:02d}"'
        if i % 5 == 0:
            attrs = f'lon="14.{i:02d}" lat="{46 + i * 1e-4:.4f}"'
        pts.append(
            f"<trkpt {attrs}><ele>{300 + i}</ele><time>2021-06-01T06:00:{i:02d}Z</time>"
            f"<extensions><{tag}>{100 + i}</{tag}></extensions></trkpt>\n"
        )
    got = check_columns(bulk.doc("".join(pts)).encode())
    assert got is not None
    assert [h for h in got[0].hr if not math.isnan(h)] == [100.0 + i for i in range(40) if i % 3]


@pytest.mark.parametrize("bad", ["\x0c", "\x01", "&#49;", "&amp;", "\u00a0"])
def test_a_value_the_xml_parser_would_not_read_as_written(bad: str) -> None:
    """A value ``float`` reads but the XML parser rejects or reads otherwise (a form feed, a
    control byte, a reference, a non-ASCII space) is never read here: its point is left to the
    element reader, which reports the damage or reads the reference."""
    body = bulk.PTS.replace("<ele>300.5</ele>", f"<ele>300.5{bad}</ele>", 1)
    assert body != bulk.PTS
    check_columns(bulk.doc(body).encode())


def test_sixteen_digits_are_not_read_by_the_matrix() -> None:
    """Past 15 digits a mantissa is no longer exact in float64: such values (Garmin writes
    positions with 30) go to ``float`` itself, even when many share a length."""
    rng = np.random.default_rng(0)
    texts = []
    for _ in range(3000):
        s = "".join(rng.choice(list("0123456789"), 16))
        d = int(rng.integers(0, 16))
        texts.append(s[:d] + "." + s[d:])
    value, good = _numbers_of(texts)
    assert good.all()
    np.testing.assert_array_equal(value, np.array([float(t) for t in texts]))


@pytest.mark.parametrize(
    "label",
    ["markup-flood", "point-flood", "long-value", "long-track", "quote-flood"],
)
def test_memory_stays_within_a_few_times_the_file(label: str) -> None:
    """Hostile files (2 MB of markup, of ``<trkpt``, of one value) and a long real track:
    what the column reader allocates (numpy registers its arrays with tracemalloc) stays
    under 6 times the file's size, whatever the file holds."""
    import tracemalloc

    big = 2_000_000
    text = {
        "markup-flood": bulk.doc(bulk.PTS + "<a>" * (big // 3)),
        "point-flood": bulk.doc(bulk.PTS + "<trkpt " * (big // 7)),
        "long-value": bulk.doc(bulk.PTS + '<trkpt lat="1" lon="2">' + "1" * big + "</trkpt>"),
        "long-track": bulk.doc("".join(bulk.point(i) for i in range(12_000))),
        "quote-flood": bulk.doc(bulk.PTS + '<trkpt lat="' + '"' * big + '">'),
    }[label]
    data = text.encode()
    decoded = decode_xml(data, "a.gpx", "GPX")
    tracemalloc.start()
    try:
        got = gpx_columns.scan(data, decoded)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 6 * len(data), f"{label}: {peak / len(data):.1f} x the file"
    assert (got is not None) == (label in ("long-value", "long-track"))
