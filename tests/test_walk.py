"""Finding files in folders, .zip archives (nested too) and refusing hostile archives."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from cramplog.errors import InputError
from cramplog.ingest.read import gunzip
from cramplog.ingest.walk import Problem, walk


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


def names(path: Path) -> tuple[list[str], list[Problem]]:
    problems: list[Problem] = []
    return [e.rel for e in walk(path, problems)], problems


def test_folder_is_walked_recursively_and_classified(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "run.FIT").write_bytes(b"x")
    (tmp_path / "athlete.toml").write_text("[athlete]\n")
    (tmp_path / "cramps.csv").write_text("when,muscle\n")
    (tmp_path / "notes.txt").write_text("hi")
    (tmp_path / ".hidden.fit").write_bytes(b"x")
    problems: list[Problem] = []
    kinds = {e.rel: e.kind for e in walk(tmp_path, problems)}
    assert kinds == {
        "a/b/run.FIT": "activity",
        "athlete.toml": "profile",
        "cramps.csv": "cramps",
        "notes.txt": "unknown",
    }
    assert problems == []


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        list(walk(tmp_path / "nope", []))


def test_garmin_style_nested_zip_is_read_in_place(tmp_path):
    inner = _zip({"UploadedFiles_0-_Part1/123_ACTIVITY.fit": b"FIT1", "x/readme.txt": b"t"})
    outer = _zip({"DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": inner})
    z = tmp_path / "garmin.zip"
    z.write_bytes(outer)
    problems: list[Problem] = []
    entries = list(walk(z, problems))
    fit = [e for e in entries if e.kind == "activity"]
    assert len(fit) == 1 and fit[0].read() == b"FIT1"
    assert fit[0].display.endswith("Part1.zip:UploadedFiles_0-_Part1/123_ACTIVITY.fit")
    assert list(tmp_path.iterdir()) == [z]  # nothing extracted to disk


def test_zip_slip_names_are_harmless_and_nothing_is_written(tmp_path):
    z = tmp_path / "evil.zip"
    z.write_bytes(_zip({"../../etc/evil.csv": b"a", "/abs/path.gpx": b"b"}))
    got, _ = names(z)
    assert sorted(got) == ["../../etc/evil.csv", "/abs/path.gpx"]
    assert list(tmp_path.iterdir()) == [z]
    assert not (tmp_path.parent.parent / "etc" / "evil.csv").exists()


def test_symlink_inside_zip_is_skipped(tmp_path):
    z = tmp_path / "links.zip"
    z.write_bytes(_zip({"link.fit": b"/etc/passwd", "real.fit": b"F"}, symlinks=("link.fit",)))
    got, problems = names(z)
    assert got == ["real.fit"]
    assert any("symbolic link" in p.message for p in problems)


def test_zip_bomb_is_refused(tmp_path):
    z = tmp_path / "bomb.zip"
    z.write_bytes(_zip({"huge.gpx": b"\0" * (50 * 1024 * 1024)}))
    assert z.stat().st_size < 200_000
    got, problems = names(z)
    assert got == []
    assert any("implausible size" in p.message or "too much" in p.message for p in problems)


def test_deeply_nested_zip_stops(tmp_path):
    data = _zip({"a.fit": b"F"})
    for i in range(5):
        data = _zip({f"level{i}.zip": data})
    z = tmp_path / "deep.zip"
    z.write_bytes(data)
    got, problems = names(z)
    assert got == []
    assert any("nested more than" in p.message for p in problems)


def test_corrupt_zip_is_a_problem_not_a_crash(tmp_path):
    z = tmp_path / "bad.zip"
    z.write_bytes(b"PK\x03\x04 this is not really a zip")
    got, problems = names(z)
    assert got == [] and "not a readable zip" in problems[0].message


def test_gzip_bomb_is_refused():
    import gzip

    bomb = gzip.compress(b"\0" * (300 * 1024 * 1024), compresslevel=9)
    with pytest.raises(InputError, match="gzip bomb"):
        gunzip(bomb, "bomb.fit.gz")


def test_truncated_gzip_keeps_what_was_read():
    import gzip
    import os

    data = os.urandom(200_000)
    comp = gzip.compress(data)
    part = gunzip(comp[: len(comp) // 2], "half.fit.gz")
    assert 0 < len(part) < len(data) and data.startswith(part)


def test_not_gzip_is_clear():
    with pytest.raises(InputError, match="not a valid gzip"):
        gunzip(b"plain text, not gzip", "x.gpx.gz")
