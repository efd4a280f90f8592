"""``cramplog store check``: is the store sound, and does it hold what its journal holds?

Read-only: the store is opened with SQLite's ``mode=ro`` and nothing is written. Each problem
is one line that says what is wrong and what to run.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from cramplog.model import CrampEvent, Profile
from cramplog.store.schema import SCHEMA_VERSION

REBUILD = "run 'cramplog store rebuild'"


@dataclass
class CheckOutcome:
    """What ``check_store`` found: ``problems`` (one line each) and what it counted."""

    problems: list[str] = field(default_factory=list)
    athletes: int = 0
    cramps: int = 0
    journal_folders: int = 0


def open_readonly(path: Path) -> sqlite3.Connection:
    """The store at ``path`` opened for reading only (nothing is created or written)."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=30.0)
    conn.row_factory = sqlite3.Row
    return conn


def check_store(path: Path) -> CheckOutcome:
    from cramplog.journal.files import Journal, journal_dir

    out = CheckOutcome()
    book = Journal(journal_dir(path))
    out.journal_folders = len(book.folders())
    if not path.exists():
        if out.journal_folders:
            out.problems.append(
                f"no store at {path}, but its journal holds {out.journal_folders} athlete(s); "
                f"{REBUILD}"
            )
        else:
            out.problems.append(f"no cramplog store at {path}; import some files first")
        return out
    try:
        conn = open_readonly(path)
    except sqlite3.Error as exc:
        out.problems.append(f"cannot open the store at {path} ({exc}); {REBUILD}")
        return out
    try:
        _check_sqlite(conn, path, out)
        if not out.problems:
            _check_journal(conn, path, out)
    finally:
        conn.close()
    return out


def _check_sqlite(conn: sqlite3.Connection, path: Path, out: CheckOutcome) -> None:
    try:
        found = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(20)")]
    except sqlite3.DatabaseError as exc:
        out.problems.append(f"{path} is not a usable cramplog store ({exc}); {REBUILD}")
        return
    if found != ["ok"]:
        lines = [x.strip() for f in found for x in f.splitlines() if x.strip() and "***" not in x]
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        first = lines[0] if lines else "unknown damage"
        out.problems.append(f"integrity check failed: {first}{more}; {REBUILD}")
        return
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError:
        out.problems.append(f"{path} is not a cramplog store (no meta table); {REBUILD}")
        return
    version = int(row[0]) if row else 0
    if version > SCHEMA_VERSION:
        out.problems.append(
            f"schema version {version} is newer than this cramplog reads ({SCHEMA_VERSION}); "
            "upgrade cramplog"
        )
        return
    if version < SCHEMA_VERSION:
        out.problems.append(
            f"schema version {version}, this cramplog writes {SCHEMA_VERSION}; run any "
            "cramplog command that writes (e.g. cramplog import PATH) to upgrade it"
        )
    orphans: dict[tuple[str, str], int] = {}
    for r in conn.execute("PRAGMA foreign_key_check"):
        key = (str(r[0]), str(r[2]))
        orphans[key] = orphans.get(key, 0) + 1
    for (table, parent), n in sorted(orphans.items()):
        out.problems.append(f"{n} orphan row(s) in {table}: their {parent} row is gone; {REBUILD}")
    lone = conn.execute(
        "SELECT COUNT(*) FROM activities WHERE id NOT IN (SELECT activity_id FROM activity_sources)"
    ).fetchone()[0]
    if lone:
        out.problems.append(f"{lone} session(s) with no source file; {REBUILD}")


def _check_journal(conn: sqlite3.Connection, path: Path, out: CheckOutcome) -> None:
    from cramplog.journal.files import CRAMPS_FILE, PROFILE_FILE, Journal, journal_dir
    from cramplog.store.cramps import _cramp_from_row
    from cramplog.store.profiles import profile_from_json

    book = Journal(journal_dir(path))
    seen: set[Path] = set()
    for row in conn.execute("SELECT id, name, profile FROM athletes ORDER BY name").fetchall():
        name = str(row["name"])
        out.athletes += 1
        folder = book.folder(name)
        seen.add(folder)
        profile = profile_from_json(row["profile"]) if row["profile"] else Profile(name=name)
        cramps = [
            _cramp_from_row(r, name)
            for r in conn.execute("SELECT * FROM cramps WHERE athlete_id = ?", (row["id"],))
        ]
        out.cramps += len(cramps)
        if not book.has(name):
            out.problems.append(
                f"athlete {name!r} has no journal in {book.root}; run 'cramplog store journal'"
            )
            continue
        entry = book.read_folder(folder)
        for p in entry.problems:
            out.problems.append(f"journal: {p}; fix the file by hand")
        toml, csv_path = folder / PROFILE_FILE, folder / CRAMPS_FILE
        if entry.profile is not None and entry.profile != profile:
            out.problems.append(
                f"athlete {name!r}: the profile differs from {toml} "
                f"({_profile_diff(profile, entry.profile)}); run 'cramplog profile import "
                f"{_arg(str(toml))}' to keep the journal's, or 'cramplog store journal' to keep "
                "the store's"
            )
        only_store, only_journal, changed = _cramp_diff(cramps, entry.cramps)
        if only_journal:
            out.problems.append(
                f"athlete {name!r}: {only_journal} cramp(s) in {csv_path} are not in the "
                f"store; run 'cramplog cramp import {_arg(str(csv_path))} --athlete {_arg(name)}'"
            )
        if only_store or changed:
            out.problems.append(
                f"athlete {name!r}: {only_store} cramp(s) in the store are not in {csv_path}"
                f" and {changed} differ; run 'cramplog store journal'"
            )
    for folder in book.folders():
        if folder not in seen:
            entry = book.read_folder(folder)
            out.problems.append(
                f"athlete {entry.name!r} is in the journal ({folder}) but not in the store; "
                f"{REBUILD}"
            )


def _arg(text: str) -> str:
    """``text`` as one shell word (double-quoted when it needs to be)."""
    if text and all(c.isalnum() or c in "/._-+:@%" for c in text):
        return text
    return (
        '"'
        + text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")
        + '"'
    )


def _fields(ev: CrampEvent) -> tuple[object, ...]:
    return (ev.side, ev.severity, ev.timing, ev.notes)


def _cramp_diff(store: list[CrampEvent], journal: list[CrampEvent]) -> tuple[int, int, int]:
    """(only in the store, only in the journal, in both with other fields)."""
    from cramplog.journal.cramps import same_event

    only_store = changed = 0
    matched: set[int] = set()
    for ev in store:
        twin = next(
            (i for i, j in enumerate(journal) if i not in matched and same_event(ev, j)), None
        )
        if twin is None:
            only_store += 1
            continue
        matched.add(twin)
        if _fields(ev) != _fields(journal[twin]):
            changed += 1
    return only_store, len(journal) - len(matched), changed


def _profile_diff(store: Profile, journal: Profile) -> str:
    keys = ("name", "sex", "hr_max", "hr_rest", "timezone", "goals", "thresholds")
    diff = [k for k in keys if getattr(store, k) != getattr(journal, k)]
    return "differs in " + ", ".join(diff)
