"""Hostile input end to end, through ``cramplog import`` and the CSV outputs (issue 9).

The parser-level versions live in test_walk.py (zip-slip, symlinks, bombs, nesting),
test_xml_hostile.py (entities, DTDs, 10 MB names) and test_csv_hostile.py (long fields,
``safe_cell``); here the whole CLI is driven with ``run([...])``.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import stat
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from cramplog.cli.app import run

GOOD_CSV = "start,sport,duration,distance_km,title\n2026-03-01 07:00,run,45:00,9,Good one\n"
GOOD_CSV += "2026-03-03 07:00,run,50:00,10,Good two\n"


def _zip(entries: dict[str, bytes], *, symlinks: tuple[str, ...] = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, data)
    return buf.getvalue()


def listing(root: Path) -> set[str]:
    """Every path under root (not following links)."""
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            out.add(os.path.join(dirpath, n))
    return out


def table(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


ACTS = (
    "SELECT athlete_id, sport, start_utc, elapsed_s, distance_m, title FROM activities ORDER BY id"
)


def test_hostile_zip_imports_the_good_file_and_reports_the_rest(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a store with one session already in it (must stay as it is)
    first = tmp_path / "eve"
    first.mkdir()
    (first / "log.csv").write_text("start,sport,duration\n2026-02-01 07:00,run,30:00\n")
    assert run(["import", str(first), "--athlete", "eve"]) == 0
    before_rows = table(db_path, ACTS)

    deep = _zip({"a.csv": GOOD_CSV.encode()})
    for i in range(5):
        deep = _zip({f"level{i}.zip": deep})
    evil = _zip(
        {
            "../../../../escape.csv": b"not,an,activity\n1,2,3\n",
            "/abs/path/evil.gpx": b"<gpx>nothing</gpx>",
            "..\\..\\windows.fit": b"\x0e\x10junk",
            "link.csv": b"/etc/passwd",
            "bomb.gpx": b"\0" * (50 * 1024 * 1024),
            "deep.zip": deep,
            "export/good.csv": GOOD_CSV.encode(),
        },
        symlinks=("link.csv",),
    )
    z = tmp_path / "in" / "export.zip"
    z.parent.mkdir()
    z.write_bytes(evil)
    assert z.stat().st_size < 500_000
    outside = listing(tmp_path.parent)
    capsys.readouterr()

    assert run(["import", str(z), "--athlete", "eve"]) == 0
    err = capsys.readouterr().err
    assert listing(tmp_path.parent) - outside <= {str(db_path) + "-wal", str(db_path) + "-shm"}
    failed = [line for line in err.splitlines() if line.strip().startswith("failed:")]
    expected = {
        "../../../../escape.csv": "",
        "/abs/path/evil.gpx": "",
        "..\\..\\windows.fit": "",
        "link.csv": "symbolic link",
        "bomb.gpx": "implausible size",
        "deep.zip": "nested more than",
    }
    for name, reason in expected.items():
        lines = [ln for ln in failed if name in ln]
        assert len(lines) == 1, (name, failed)
        assert reason in lines[0]
    assert len(failed) == len(expected), failed

    after_rows = table(db_path, ACTS)
    assert after_rows[: len(before_rows)] == before_rows  # the old session untouched
    new = after_rows[len(before_rows) :]
    assert [r[5] for r in new] == ["Good one", "Good two"]
    sources = table(db_path, "SELECT name FROM files ORDER BY name")
    assert ("export/good.csv",) in sources and len(sources) == 2


@pytest.mark.parametrize("kind", ["csv", "gpx"])
def test_ten_megabyte_title_through_import(
    kind: str, tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "max"
    d.mkdir()
    long = "T" * 10_000_000
    if kind == "csv":
        (d / "log.csv").write_text(
            f"start,sport,duration,title\n2026-03-14 07:30,run,60:00,{long}\n"
            "2026-03-15 07:30,run,50:00,short\n"
        )
    else:
        pts = "".join(
            f'<trkpt lat="46.{i:04d}" lon="14.0"><time>2026-03-14T07:{i:02d}:00Z</time></trkpt>'
            for i in range(30)
        )
        (d / "run.gpx").write_text(
            '<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1">'
            f"<trk><name>{long}</name><trkseg>{pts}</trkseg></trk></gpx>"
        )
    assert run(["import", str(d)]) == 0
    titles = [r[0] for r in table(db_path, "SELECT title FROM activities ORDER BY start_epoch")]
    assert titles and all(t is None or len(t) <= 500 for t in titles)
    if kind == "csv":
        assert titles == ["short"]  # the row with the 10 MB cell is skipped, with a warning
        assert "row 2" in capsys.readouterr().err
    else:
        assert titles[0] is not None and titles[0].startswith("TTT")
    assert os.path.getsize(db_path) < 2_000_000


# ---------------------------------------------------------------- formula-safe CSV output

FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(1)", "\t=1", "\r=1", "=HYPERLINK(1)"]


def assert_no_formula(text: str) -> int:
    """No cell a spreadsheet would run: a cell starting with = + - @ TAB CR is a number."""
    checked = 0
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            checked += 1
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(cell)  # "-3.5" is data; anything else is a formula
    return checked


@pytest.fixture
def formula_athlete(tmp_path: Path, db_path: Path) -> Path:
    d = tmp_path / "=1+1"  # the athlete's name too
    d.mkdir()
    start = date(2026, 1, 1)
    rows = ["start,sport,duration,distance_km,title"]
    for i in range(60):
        title = FORMULAS[i % len(FORMULAS)].replace('"', '""')
        rows.append(f'{start + timedelta(days=i)} 07:00,run,{40 + i % 30}:00,{8 + i % 5},"{title}"')
    (d / "log.csv").write_text("\n".join(rows) + "\n", newline="")
    cramps = ["when,muscle,side,severity,timing,notes"]
    for i, note in enumerate(FORMULAS):
        note = note.replace('"', '""')
        cramps.append(f'2026-02-{10 + i:02d} 08:00,calf,left,3,during,"{note}"')
    (d / "cramps.csv").write_text("\n".join(cramps) + "\n", newline="")
    assert run(["import", str(d)]) == 0
    return d


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["activities", "--format", "csv"], "'=cmd|' /C calc'!A0"),
        (["cramp", "list", "--format", "csv"], "'@SUM(1)"),
        (["cramp", "export"], "'-1+1"),
        (["analyze", "{path}", "--format", "csv"], "'=1+1"),
    ],
    ids=["activities", "cramp-list", "cramp-export", "analyze"],
)
def test_csv_outputs_never_carry_a_formula(
    argv: list[str], needle: str, formula_athlete: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    args = [str(formula_athlete) if a == "{path}" else a for a in argv]
    assert run(args) == 0  # (analyze without --fail-on: "never")
    out = capsys.readouterr().out
    assert needle in out  # the text is kept, neutralised
    assert assert_no_formula(out) > 10


def test_csv_output_to_a_file_is_formula_safe_too(formula_athlete: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    assert run(["cramp", "export", "-o", str(target)]) == 0
    text = target.read_text()
    assert "'=cmd|' /C calc'!A0" in text and assert_no_formula(text) > 10
