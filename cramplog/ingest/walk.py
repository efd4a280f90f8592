"""Find the files inside what the user points at: files, folders (recursively), ``.zip``
archives (read in place, never extracted to disk, nested zips too) and ``.gz`` files.

Archives are read with caps on size, ratio and nesting, so a zip bomb gets a clear error
instead of filling memory. Symlinks inside archives and entries that are not regular files
are skipped; names with ``..`` or absolute paths are harmless because nothing is written.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cramplog.errors import InputError
from cramplog.ingest.read import (
    CRAMPS_NAME,
    MAX_COMPRESSION_RATIO,
    PROFILE_NAME,
    detect_format,
)

MAX_ZIP_DEPTH = 3
MAX_FILE_BYTES = 256 * 1024 * 1024


@dataclass
class Entry:
    """One file found under a path: its display name, a short name, and how to read it."""

    display: str  # e.g. "export.zip:activities/123.fit.gz" or "runs/2026-01-04.fit"
    name: str  # the base name, e.g. "123.fit.gz"
    rel: str  # path relative to the walked root, e.g. "activities/123.fit.gz"
    kind: str  # "activity" | "profile" | "cramps" | "unknown"
    size: int
    _path: Path | None = None
    _data: bytes | None = None
    stat: os.stat_result | None = None  # of a file on disk, as the walk found it

    def read(self) -> bytes:
        if self._data is not None:
            return self._data
        assert self._path is not None
        try:
            return self._path.read_bytes()
        except OSError as exc:
            raise InputError(f"{self.display}: cannot read it ({exc.strerror or exc})") from None


@dataclass
class Problem:
    display: str
    message: str


def classify(name: str) -> str:
    lower = name.lower()
    if lower == PROFILE_NAME:
        return "profile"
    if lower == CRAMPS_NAME:
        return "cramps"
    if detect_format(lower) is not None:
        return "activity"
    return "unknown"


def walk(path: Path, problems: list[Problem]) -> Iterator[Entry]:
    """Every file under ``path``; unreadable parts are added to ``problems`` and skipped."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        yield from _walk_dir(path, problems)
    else:
        yield from _entries_for_file(path, path.name, str(path), problems)


def _walk_dir(root: Path, problems: list[Problem]) -> Iterator[Entry]:
    top = str(root)
    for dirpath, dirnames, filenames in os.walk(top, onerror=None, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        sub = os.path.relpath(dirpath, top)
        prefix = "" if sub == "." else sub.replace(os.sep, "/") + "/"
        for fn in sorted(filenames):
            if fn.startswith("."):
                continue
            full = os.path.join(dirpath, fn)  # strings: a decade has thousands of files
            yield from _entries_for_file(Path(full), prefix + fn, full, problems)


def _entries_for_file(p: Path, rel: str, display: str, problems: list[Problem]) -> Iterator[Entry]:
    if p.suffix.lower() == ".zip":
        yield from _walk_zip(p, display, problems, depth=1)
        return
    try:
        st = os.stat(p)
    except OSError as exc:
        problems.append(Problem(display, f"cannot read it ({exc.strerror or exc})"))
        return
    name = p.name
    yield Entry(display=display, name=name, rel=rel, kind=classify(name), size=st.st_size,
                _path=p, stat=st)  # fmt: skip


def _walk_zip(
    source: Path | bytes, display: str, problems: list[Problem], depth: int
) -> Iterator[Entry]:
    """Entries of a zip archive (a file on disk, or bytes of a zip nested in another)."""
    if depth > MAX_ZIP_DEPTH:
        problems.append(Problem(display, f"archives nested more than {MAX_ZIP_DEPTH} deep"))
        return
    try:
        if isinstance(source, Path):
            zsize = source.stat().st_size
            zf = zipfile.ZipFile(source)
        else:
            zsize = len(source)
            zf = zipfile.ZipFile(io.BytesIO(source))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        problems.append(Problem(display, f"not a readable zip archive ({exc})"))
        return
    total = 0
    # A real export compresses activity files at most ~10x; allow far more, but not a bomb.
    budget = max(zsize, 1) * MAX_COMPRESSION_RATIO
    for info in sorted(infos, key=lambda i: i.filename):
        name = info.filename
        if info.is_dir():
            continue
        mode = (info.external_attr >> 16) & 0xFFFF
        inner = f"{display}:{name}"
        if mode and stat.S_ISLNK(mode):
            problems.append(Problem(inner, "symbolic link inside the archive; skipped"))
            continue
        base = name.replace("\\", "/").rsplit("/", 1)[-1]
        if not base or base.startswith("."):
            continue
        is_zip = base.lower().endswith(".zip")
        kind = classify(base)
        if kind == "unknown" and not is_zip:
            yield Entry(display=inner, name=base, rel=name, kind="unknown", size=info.file_size)
            continue
        if info.file_size > MAX_FILE_BYTES or (
            info.compress_size and info.file_size / max(info.compress_size, 1) > 1000
        ):
            problems.append(Problem(inner, "decompresses to an implausible size; refused"))
            continue
        total += info.file_size
        if total > budget:
            problems.append(Problem(display, "archive decompresses to too much data; stopped"))
            return
        try:
            with zf.open(info) as fh:
                content = fh.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            problems.append(Problem(inner, f"cannot read it from the archive ({exc})"))
            continue
        if len(content) > MAX_FILE_BYTES:
            problems.append(Problem(inner, "decompresses to an implausible size; refused"))
            continue
        if is_zip:
            yield from _walk_zip(content, inner, problems, depth + 1)
        else:
            yield Entry(
                display=inner, name=base, rel=name, kind=kind, size=len(content), _data=content
            )
