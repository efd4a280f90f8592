"""``cramplog store backup``: a consistent copy of the store, taken with SQLite's online
backup API while other cramplog commands may be reading or writing it.

The copy is written to a temporary file beside the target, checked (``quick_check``) and
renamed into place, so the target is either the old file or a whole, sound copy.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from cramplog.errors import StoreError, UsageError
from cramplog.store.base import damaged_message
from cramplog.store.check import open_readonly


def backup_store(source: Path, target: Path, *, force: bool = False) -> int:
    """Copy the store at ``source`` to ``target``; returns the copy's size in bytes.
    ``target`` must not exist unless ``force``."""
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name such as {target}/cramplog.sqlite")
    if target.exists() and not force:
        raise UsageError(f"{target} exists already; add --force to replace it")
    if not source.exists():
        raise StoreError(f"no cramplog store at {source}; nothing to back up")
    if target.exists() and target.resolve() == source.resolve():
        raise UsageError(f"{target} is the store itself; choose another file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        _copy(source, tmp)
        _fsync(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
    return target.stat().st_size


def _copy(source: Path, tmp: Path) -> None:
    try:
        src = open_readonly(source)
    except sqlite3.Error as exc:
        raise StoreError(damaged_message(source, exc)) from None
    try:
        src.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        dst = sqlite3.connect(tmp)
        try:
            # one step: a snapshot under one read transaction (in WAL mode writers go on)
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # the copy is one self-contained file
            check = [str(r[0]) for r in dst.execute("PRAGMA quick_check")]
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(damaged_message(source, exc)) from None
    finally:
        src.close()
    if check != ["ok"]:
        raise StoreError(
            f"{source} is not a usable cramplog store (its copy fails SQLite's check: "
            f"{check[0]}); run 'cramplog store rebuild' to rebuild it from its journal"
        )


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
