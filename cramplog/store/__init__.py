"""The local SQLite store: athletes, imported files, activities with their sample streams,
cramp events, a cache of per-session features, and a cache of each athlete's analysis outcome.

What people type is also written to a journal of plain files beside the store
(journal/files.py, store/journaled.py), from which ``cramplog store rebuild`` builds a new store.

Files are keyed by content hash, so importing the same file again parses nothing. Every
file's activities are written whole or not at all (a transaction, or a savepoint of the
importer's batch, which commits every few files), so an interrupted import never leaves
half an activity. WAL mode and a busy timeout let two imports share one store.

May import: model, errors, thresholds, journal. Nothing above: the store knows no rules.
"""

from __future__ import annotations

from cramplog.store.activities import (
    DUPLICATE_START_S,
    DUPLICATE_TOLERANCE,
    ActivityQueries,
    AddResult,
)
from cramplog.store.base import default_db_path
from cramplog.store.filestats import FileStatQueries
from cramplog.store.journaled import JournalQueries
from cramplog.store.outcomes import OutcomeInputs, OutcomeQueries
from cramplog.store.profiles import profile_from_json, profile_to_json
from cramplog.store.schema import SCHEMA_VERSION

__all__ = [
    "DUPLICATE_START_S",
    "DUPLICATE_TOLERANCE",
    "SCHEMA_VERSION",
    "AddResult",
    "OutcomeInputs",
    "Store",
    "default_db_path",
    "profile_from_json",
    "profile_to_json",
]


class Store(ActivityQueries, JournalQueries, OutcomeQueries, FileStatQueries):
    """A cramplog store at ``path`` (created on first use); use it as a context manager.

    What people type (cramps, profiles, goals) is also kept in the journal beside it, plain
    files in ``<path>.journal/`` (store/journaled.py); ``journal=False`` keeps none."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
