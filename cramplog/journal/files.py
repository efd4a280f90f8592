"""The journal: what people typed, kept in plain files beside the store, so that a damaged
store never takes a runner's cramp history, profile or goals with it.

Layout, for the store ``/data/cramplog.sqlite``::

    /data/cramplog.sqlite.journal/
        <athlete-slug>/
            athlete.toml   the profile and goals (journal/profile.py reads it)
            cramps.csv     every cramp, in the cramps.csv format (journal/cramps.py reads it)
            imports.txt    the folders and files imported for the athlete, one path a line

The athlete's folder name (``athlete_slug``) is the name itself when it is already a safe,
lower-case file name (``alex``, ``ana-2``); otherwise the name made safe and lower-case plus
eight hex digits of the name's SHA-256 (``Ana María`` → ``ana-mar-a-3f1c…``), so any two
names get two folders, on case-insensitive disks too. The athlete's real name is
``[athlete] name`` in ``athlete.toml``.

Every write is atomic: a temporary file in the same folder, written and fsynced, renamed over
the old file, and the folder fsynced, so a killed process or a full disk leaves the old file
or the new one, never a torn one. Nothing here knows SQLite: the store (store/journaled.py)
decides what to write and when; errors are ``OSError`` (writing) and ``InputError`` (a file
that cannot be read back, e.g. after a bad hand edit).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo
from pathlib import Path
from typing import Any

from cramplog.errors import InputError
from cramplog.model import CrampEvent, Goal, Profile

JOURNAL_SUFFIX = ".journal"
PROFILE_FILE = "athlete.toml"
CRAMPS_FILE = "cramps.csv"
IMPORTS_FILE = "imports.txt"
_SAFE = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(10)}
# Reading the journal never refuses an entry for being "in the future": a clock set back must
# not make the journal unreadable.
_FAR_FUTURE = datetime(9000, 1, 1, tzinfo=timezone.utc)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def journal_dir(store_path: Path) -> Path:
    """The journal folder of the store at ``store_path``: ``<store file name>.journal``."""
    return store_path.with_name(store_path.name + JOURNAL_SUFFIX)


def athlete_slug(name: str) -> str:
    """The folder name of an athlete in the journal (see the module docstring)."""
    if _SAFE.fullmatch(name) and not name.endswith(".") and name.split(".")[0] not in _RESERVED:
        return name
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "athlete"
    return f"{base}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


# -- atomic writes -------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` all at once: temp file in the same folder, fsync, rename,
    fsync the folder. On any error the old file is untouched and the temp file removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open a folder
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on a folder
        pass
    finally:
        os.close(fd)


# -- the three files -----------------------------------------------------------------------


def cramps_csv_text(events: list[CrampEvent]) -> str:
    """``events`` as cramps.csv text, oldest first; ``parse_cramps_csv`` reads every field
    back equal: a note that starts like a formula gets the quote the reader takes off, and a
    cell with a separator, a quote or a line break (a lone CR too) is quoted."""
    from cramplog.journal.cramps import CSV_COLUMNS, when_text

    lines = [",".join(CSV_COLUMNS)]
    for ev in sorted(events, key=lambda e: (e.when, e.muscle)):
        notes = ev.notes or ""
        if notes.lstrip("'")[:1] in _FORMULA and notes.lstrip("'"):
            notes = "'" + notes
        sev = "" if ev.severity is None else str(ev.severity)
        row = [when_text(ev), ev.muscle, ev.side or "", sev, ev.timing or "", notes]
        lines.append(",".join(map(_csv_cell, row)))
    return "\n".join(lines) + "\n"


def _csv_cell(text: str) -> str:
    if any(c in text for c in ',"\r\n') or text != text.strip():
        return '"' + text.replace('"', '""') + '"'
    return text


def read_cramps_csv(
    data: bytes, name: str, tz: tzinfo, *, salvage: bool = False
) -> tuple[list[CrampEvent], list[str]]:
    """The events of a journal cramps.csv; each keeps the UTC offset it was written with
    (so its local time is the one it was logged at). ``salvage``: skip unreadable rows and
    say which in the warnings, instead of raising InputError."""
    from cramplog.journal.cramps import parse_cramps_csv

    events, warnings = parse_cramps_csv(data, name, tz, now=_FAR_FUTURE, skip_bad_rows=salvage)
    zones = _written_zones(data)
    for ev in events:
        found = zones.get(ev.when.astimezone(timezone.utc))
        if not ev.date_only and found:
            ev.when = ev.when.astimezone(found.pop(0))
    return events, warnings


def _written_zones(data: bytes) -> dict[datetime, list[tzinfo]]:
    """UTC instant → the offsets the rows at that instant were written with, in row order."""
    out: dict[datetime, list[tzinfo]] = {}
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return out
    if not rows:
        return out
    header = [h.strip().lower() for h in rows[0]]
    if "when" not in header:
        return out
    col = header.index("when")
    for row in rows[1:]:
        try:
            dt = datetime.fromisoformat(row[col].strip())
        except (IndexError, ValueError):
            continue
        if dt.tzinfo is not None:
            key = dt.astimezone(timezone.utc).replace(second=0, microsecond=0)
            out.setdefault(key, []).append(dt.tzinfo)
    return out


def profile_toml_text(profile: Profile) -> str:
    """``profile`` as athlete.toml text that ``load_profile_toml`` reads back equal. Goals are
    written field by field from the Goal dataclass, so a field added to Goal is written too
    (``target_time_s`` as ``target_time = "hh:mm:ss"``, the key athlete.toml uses)."""
    from cramplog.journal.profile import _toml_str

    lines = ["# cramplog journal: the profile as last set. Edit it, then run", "#   cramplog "
             "profile import THIS_FILE", "[athlete]", f"name = {_toml_str(profile.name)}",
             f"sex = {_toml_str(profile.sex)}"]  # fmt: skip
    for key in ("hr_max", "hr_rest", "timezone"):
        value = getattr(profile, key)
        if value is not None:
            lines.append(f"{key} = {_value(value)}")
    for goal in profile.goals:
        lines += ["", "[[goal]]"]
        for f in dataclasses.fields(Goal):
            value = getattr(goal, f.name)
            if value is None:
                continue
            key = f.name
            if key == "target_time_s":
                key, value = "target_time", _duration(value)
            lines.append(f"{key} = {_value(value)}")
    if profile.thresholds:
        lines += ["", "[thresholds]"]
        for key, value in profile.thresholds.items():
            lines.append(f"{_toml_str(key)} = {_value(value)}")
    return "\n".join(lines) + "\n"


def _duration(seconds: float) -> Any:
    from cramplog.journal.profile import format_hms

    return format_hms(seconds) if float(seconds).is_integer() else float(seconds)


def _value(value: Any) -> str:
    from cramplog.journal.profile import _toml_str, _toml_value

    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | bool | int | float):
        return _toml_value(value)
    return _toml_str(str(value))


def read_profile_toml(data: bytes, name: str, default_name: str) -> Profile:
    from cramplog.journal.profile import load_profile_toml

    return load_profile_toml(data, name, default_name=default_name)


# -- one athlete's folder ------------------------------------------------------------------


@dataclass
class JournalEntry:
    """Everything the journal holds for one athlete, as read back (``problems``: what could
    not be read, one line each)."""

    name: str
    folder: Path
    profile: Profile | None = None
    cramps: list[CrampEvent] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class Journal:
    """The journal folder of one store."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, athlete: str) -> Path:
        return self.root / athlete_slug(athlete)

    def has(self, athlete: str) -> bool:
        """Whether the athlete's folder has been written (its athlete.toml is there)."""
        return (self.folder(athlete) / PROFILE_FILE).is_file()

    def folders(self) -> list[Path]:
        """The athlete folders in the journal that hold any of the three files."""
        if not self.root.is_dir():
            return []
        names = (PROFILE_FILE, CRAMPS_FILE, IMPORTS_FILE)
        return sorted(
            d
            for d in self.root.iterdir()
            if d.is_dir() and not d.name.startswith(".") and any((d / n).is_file() for n in names)
        )

    # reading

    def read_profile(self, athlete: str) -> Profile | None:
        path = self.folder(athlete) / PROFILE_FILE
        if not path.is_file():
            return None
        return read_profile_toml(path.read_bytes(), str(path), athlete)

    def read_cramps(self, athlete: str, tz: tzinfo) -> list[CrampEvent]:
        path = self.folder(athlete) / CRAMPS_FILE
        if not path.is_file():
            return []
        return read_cramps_csv(path.read_bytes(), str(path), tz)[0]

    def read_imports(self, athlete: str) -> list[str]:
        return _read_imports(self.folder(athlete) / IMPORTS_FILE)

    def read_folder(self, folder: Path) -> JournalEntry:
        """One athlete's folder as far as it can be read: bad cramp rows are skipped, a bad
        athlete.toml is left out; each such loss is one line in ``problems``."""
        entry = JournalEntry(name=folder.name, folder=folder)
        toml = folder / PROFILE_FILE
        try:
            if toml.is_file():
                entry.profile = read_profile_toml(toml.read_bytes(), str(toml), folder.name)
                entry.name = entry.profile.name
        except (InputError, OSError) as exc:
            entry.problems.append(f"{toml}: {_reason(exc)}")
        tz = entry.profile.tzinfo() if entry.profile is not None else timezone.utc
        path = folder / CRAMPS_FILE
        try:
            if path.is_file():
                events, warnings = read_cramps_csv(path.read_bytes(), str(path), tz, salvage=True)
                entry.cramps = events
                entry.problems += [w for w in warnings if w.endswith("(skipped)")]
        except (InputError, OSError) as exc:
            entry.problems.append(f"{path}: {_reason(exc)}")
        try:
            entry.imports = _read_imports(folder / IMPORTS_FILE)
        except (InputError, OSError) as exc:
            entry.problems.append(f"{folder / IMPORTS_FILE}: {_reason(exc)}")
        return entry

    # writing (atomic; OSError when the disk refuses). The store writes under its write
    # lock, one writer at a time, so a temp file found here was left by a killed process.

    def write_profile(self, profile: Profile) -> None:
        data = profile_toml_text(profile).encode("utf-8")
        _write(self.folder(profile.name) / PROFILE_FILE, data)

    def write_cramps(self, athlete: str, events: list[CrampEvent]) -> None:
        data = cramps_csv_text(events).encode("utf-8")
        _write(self.folder(athlete) / CRAMPS_FILE, data)

    def add_imports(self, athlete: str, paths: list[str]) -> bool:
        """Add ``paths`` to the athlete's imports.txt (each once); False when all were there."""
        path = self.folder(athlete) / IMPORTS_FILE
        known = _read_imports(path)
        new = [p for p in paths if p not in known and "\n" not in p and "\r" not in p]
        if not new and path.is_file():
            return False
        text = "# cramplog journal: folders and files imported for this athlete\n"
        _write(path, (text + "".join(f"{p}\n" for p in known + new)).encode("utf-8"))
        return True


def _write(path: Path, data: bytes) -> None:
    """``write_atomic``, after removing the temp files a killed writer left for ``path``."""
    if path.parent.is_dir():
        for stale in path.parent.glob(f".{path.name}.*.tmp"):
            stale.unlink(missing_ok=True)
    write_atomic(path, data)


def _read_imports(path: Path) -> list[str]:
    if not path.is_file():
        return []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)
