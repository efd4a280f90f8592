"""The store's connection: opening, schema creation and migrations, transactions, athletes."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from cramplog.errors import StoreError
from cramplog.store.schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION

if TYPE_CHECKING:
    from cramplog.journal.files import Journal
    from cramplog.model import CrampEvent, Profile

REBUILD_HINT = "run 'cramplog store rebuild' to rebuild it from its journal"

# A batch of writes (``StoreBase.batch``) commits after this many ticks (the importer
# ticks once a file), or once its transaction is this old: another cramplog waiting to
# write to the store waits about that long at most, and a killed import loses at most that
# much work (the next run does it again).
BATCH_TICKS = 16
BATCH_S = 0.5


def is_damage(exc: BaseException) -> bool:
    """Whether an exception is SQLite telling about the file (damaged, read-only, full,
    locked) rather than about a statement (a constraint, a misuse: a bug, not the disk)."""
    return type(exc) in (sqlite3.DatabaseError, sqlite3.OperationalError)


def damaged_message(path: Path, exc: BaseException) -> str:
    """One line for an SQLite error on the store at ``path``: what is wrong, what to run."""
    text = str(exc)
    low = text.lower()
    if "readonly" in low or "read-only" in low:
        return (
            f"cannot write the store at {path} ({text}); make the file writable, or "
            f"{REBUILD_HINT} into a new file"
        )
    if "full" in low:
        return (
            f"cannot write the store at {path} ({text}); nothing was stored: free some disk "
            "space and run the command again"
        )
    if "locked" in low or "busy" in low:
        return f"the store at {path} is busy ({text}); wait for the other cramplog and retry"
    return (
        f"{path} is not a usable cramplog store ({text}); {REBUILD_HINT}, "
        "or point --db or CRAMPLOG_DB at another file"
    )


def default_db_path() -> Path:
    """The store's default place: the user data dir (``CRAMPLOG_DB`` overrides it)."""
    import os

    env = os.environ.get("CRAMPLOG_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("cramplog", appauthor=False)) / "cramplog.sqlite"


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat()


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


class StoreBase:
    """A cramplog store at ``path`` (created on first use)."""

    def __init__(self, path: Path | str, *, readonly: bool = False, create: bool = True) -> None:
        self.path = Path(path)
        # the plain-file journal of what people typed (store/journaled.py), when kept
        self.journal: Journal | None = None
        # Read-only: the store must exist already; the caches (features, analysis outcomes)
        # are not written, and any other write raises StoreError. Only bringing an older
        # store's schema up to date on opening still writes.
        self.readonly = readonly
        # ``create=False``: a command that only changes what is stored needs it to exist
        if (readonly or not create) and not self.path.exists():
            raise StoreError(
                f"no cramplog store at {self.path}; import some files first (cramplog import PATH)"
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from None
        self.conn.row_factory = sqlite3.Row
        self._batch: Batch | None = None
        self._depth = 0  # savepoints open
        self._athlete_ids: dict[str, int] = {}
        try:
            self.conn.execute("PRAGMA busy_timeout = 30000")
            self.conn.execute("PRAGMA foreign_keys = ON")
            # In WAL mode NORMAL still never corrupts the store and keeps every committed
            # transaction across a killed process; only a power cut may lose the last few.
            # FULL would fsync on every file's commit (~1 ms each, hundreds per import).
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except (sqlite3.DatabaseError, StoreError) as exc:
            self.conn.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(damaged_message(self.path, exc)) from None

    def _migrate(self) -> None:
        row = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        if row is not None:
            found = self.conn.execute(
                "SELECT value FROM meta WHERE key='schema_version'"
            ).fetchone()
            version = int(found[0]) if found else 0
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"the store at {self.path} was written by a newer cramplog "
                    f"(schema {version}, this version reads {SCHEMA_VERSION}); "
                    "upgrade cramplog or use --db to choose another store"
                )
            self._set_wal()
            if version < SCHEMA_VERSION:
                self._upgrade(version)
            return
        self._set_wal()
        with self._write():
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.conn.execute(statement)
            self.conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )

    def _upgrade(self, version: int) -> None:
        """Apply the migrations after ``version`` in one transaction (all or nothing)."""
        with self._write():
            for v in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS.get(v, ()):
                    self.conn.execute(statement)
            self.conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
            )

    def _set_wal(self) -> None:
        try:
            self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            pass  # another connection holds a lock; WAL is persistent once set

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands, or none of it (also on Ctrl-C).
        A read-only store refuses it with StoreError before anything is written.

        Inside another transaction, or inside a ``batch``, it is a savepoint of that
        transaction: all of it or none of it lands when that one commits."""
        if self.readonly:
            raise StoreError(f"the store at {self.path} was opened read-only; it cannot be written")
        if self._batch is not None and not self.conn.in_transaction:
            self._batch.begin()
        with self._write() as conn:
            yield conn

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """Writes that share transactions, for many small ones (a file's sessions each):
        each ``transaction()`` inside is a savepoint of the batch's transaction, which
        begins with the first of them and commits every ``BATCH_TICKS`` ticks or
        ``BATCH_S`` seconds (``Batch.tick``), and at the end. An exception that ends the
        batch still commits what completed (as separate transactions would have), then
        goes on."""
        if self._batch is not None:  # already in one: the outer one commits
            yield self._batch
            return
        self._batch = Batch(self)
        try:
            yield self._batch
        except BaseException:
            done, self._batch = self._batch, None
            with suppress(StoreError):
                done.commit()
            raise
        done, self._batch = self._batch, None
        done.commit()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.conn.in_transaction:
            with self._savepoint():
                yield self.conn
            return
        self._execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException as exc:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite already rolled back (e.g. the disk was full)
            if is_damage(exc):
                raise StoreError(damaged_message(self.path, exc)) from None
            raise
        else:
            self._execute("COMMIT")

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        self._depth += 1
        name = f"sp{self._depth}"
        try:
            self._execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException as exc:
                if self.conn.in_transaction:  # else SQLite undid it all (a full disk)
                    with suppress(sqlite3.Error):
                        self.conn.execute(f"ROLLBACK TO {name}")
                        self.conn.execute(f"RELEASE {name}")
                if is_damage(exc):
                    raise StoreError(damaged_message(self.path, exc)) from None
                raise
            self._execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    def _execute(self, sql: str) -> None:
        """A statement that opens, ends or commits a transaction (StoreError on damage)."""
        try:
            self.conn.execute(sql)
        except sqlite3.DatabaseError as exc:
            raise StoreError(damaged_message(self.path, exc)) from None

    # Hooks the journal (store/journaled.py) fills in: called inside the write transaction
    # that changes what a person typed, so the journal and the store change together.
    def _journal_cramps(self, aid: int, added: list[CrampEvent], removed: list[CrampEvent]) -> None:
        """The athlete ``aid``'s cramps changed: ``added`` stored, ``removed`` deleted."""

    def _journal_profile(self, profile: Profile) -> None:
        """``profile`` was stored."""

    def athlete_id(self, name: str, *, create: bool = True) -> int | None:
        # an athlete's id never changes once committed: kept, one SELECT per name
        if name in self._athlete_ids:
            return self._athlete_ids[name]
        row = self.conn.execute("SELECT id FROM athletes WHERE name = ?", (name,)).fetchone()
        if row is None and not create:
            return None
        if row is None:
            with self.transaction():
                self.conn.execute("INSERT OR IGNORE INTO athletes (name) VALUES (?)", (name,))
                row = self.conn.execute(
                    "SELECT id FROM athletes WHERE name = ?", (name,)
                ).fetchone()
        if not self.conn.in_transaction:  # else not committed yet: it may still be undone
            self._athlete_ids[name] = int(row[0])
        return int(row[0])

    def athletes(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM athletes ORDER BY name")]


class Batch:
    """The transaction of a ``StoreBase.batch``: begun by the first write inside it,
    committed by the ``BATCH_TICKS``-th ``tick`` or the first once ``BATCH_S`` old, and at
    the batch's end."""

    def __init__(self, store: StoreBase) -> None:
        self._store = store
        self._began: float | None = None
        self._ticks = 0

    def begin(self) -> None:
        self._store._execute("BEGIN IMMEDIATE")
        self._began = time.monotonic()
        self._ticks = 0

    def tick(self) -> bool:
        """One piece of work done (a file): commit if it is time; whether it did (what
        was written since the last commit is stored now)."""
        if self._began is None:
            return False
        self._ticks += 1
        if self._ticks < BATCH_TICKS and time.monotonic() - self._began < BATCH_S:
            return False
        self.commit()
        return True

    def commit(self) -> None:
        began, self._began = self._began, None
        if began is not None and self._store.conn.in_transaction:
            self._store._execute("COMMIT")

    def undone(self) -> bool:
        """Whether SQLite undid the open transaction (it does on a full disk or an I/O
        error): nothing written since the last commit is stored. Says so once."""
        if self._began is None or self._store.conn.in_transaction:
            return False
        self._began = None
        return True
