"""A squad's import: which athlete folders the given paths and roster stand for, and each
folder imported on its own (sharing one pool of parse workers), so one athlete's broken
files never stop the others. Nothing here prints: the caller hears of each folder through
``on_error`` and ``on_outcome``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cramplog.errors import CramplogError

if TYPE_CHECKING:
    from cramplog.importer.pipeline import ImportOutcome
    from cramplog.importer.pool import ParsePool
    from cramplog.store import Store

# (store, paths, athlete, pool) -> what the import did; the CLI adds a progress bar
ImportRun = Callable[["Store", list[Path], "str | None", "ParsePool"], "ImportOutcome"]


@dataclass
class AthleteImport:
    """Per athlete: files that failed, or an error that stopped the import."""

    failed: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    ran: bool = False  # whether any import ran (False: the athletes came from the store)

    def add_name(self, name: str) -> None:
        if name not in self.names:
            self.names.append(name)


def athlete_folders(paths: list[Path], roster: Path | None) -> list[Path]:
    """The athlete folders ``paths`` and the ``roster`` file stand for (a team folder for
    its athletes' subfolders), each once, in order."""
    from cramplog.importer.roster import athlete_dirs, read_roster

    given = list(paths)
    if roster is not None:
        given += read_roster(roster)
    out: list[Path] = []
    for p in given:
        for d in athlete_dirs(p):
            if d not in out:
                out.append(d)
    return out


def _import_paths(
    store: Store, paths: list[Path], athlete: str | None, pool: ParsePool
) -> ImportOutcome:
    from cramplog.importer.pipeline import import_paths

    return import_paths(store, paths, athlete=athlete, pool=pool)


def import_athletes(
    store: Store,
    folders: list[Path],
    athlete: str | None,
    *,
    run: ImportRun = _import_paths,
    on_error: Callable[[str, str], None] | None = None,
    on_outcome: Callable[[ImportOutcome], None] | None = None,
) -> AthleteImport:
    """Import each folder on its own; a folder's CramplogError is recorded against its
    athlete (and passed to ``on_error(name, message)``) instead of stopping the others."""
    from cramplog.importer.pipeline import athlete_for_path
    from cramplog.importer.pool import ParsePool

    out = AthleteImport(ran=True)
    with ParsePool() as pool:
        for folder in folders:
            try:
                name = athlete_for_path(folder, athlete)[0]
            except CramplogError as exc:
                _failed(out, athlete or folder.name, exc, on_error)
                continue
            try:
                outcome = run(store, [folder], athlete, pool)
            except CramplogError as exc:
                _failed(out, name, exc, on_error)
                continue
            for n in outcome.athletes or [name]:
                out.add_name(n)
                if outcome.failed:
                    out.failed[n] = out.failed.get(n, 0) + len(outcome.failed)
            if on_outcome is not None:
                on_outcome(outcome)
    return out


def _failed(
    out: AthleteImport, name: str, exc: CramplogError, on_error: Callable[[str, str], None] | None
) -> None:
    out.add_name(name)
    out.errors[name] = str(exc)
    if on_error is not None:
        on_error(name, str(exc))
