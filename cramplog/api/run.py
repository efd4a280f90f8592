"""``cramplog.analyze``: import the given folders (files already stored are skipped by
content), then analyse each athlete through the outcome cache — the work of
``cramplog analyze``, with its messages, printing nothing."""

from __future__ import annotations

import os
import warnings
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cramplog.errors import UsageError

if TYPE_CHECKING:
    from cramplog.api.analysis import Analysis
    from cramplog.store import Store

StrPath = str | os.PathLike[str]


class CramplogWarning(UserWarning):
    """An athlete of several could not be analysed (the others were): the CLI's warning."""


def analyze(
    *paths: StrPath,
    athlete: str | None = None,
    db: StrPath | None = None,
    since: str | date | None = None,
) -> Analysis:
    """Import ``paths`` (athlete folders, or a team folder standing for its athletes'
    subfolders) into the store, then analyse every athlete they hold; without paths, the
    store's athlete (``athlete``, the only one, or all of them).

    ``db``: the store (default: ``CRAMPLOG_DB`` or the user data dir, as the CLI);
    ``since``: what ``--since`` takes (``"14d"``, ``"8w"``, an ISO date) or a ``date``.
    Raises a ``CramplogError`` with the CLI's one-line message when nothing could be
    analysed; an athlete of several who could not be is a ``CramplogWarning`` and an entry
    of ``Analysis.errors``.
    """
    from cramplog.analysis.batch import since_arg
    from cramplog.analysis.squad import failed_outcomes, squad_outcomes
    from cramplog.analysis.team import common_since
    from cramplog.api.analysis import Analysis
    from cramplog.importer.athletes import AthleteImport, athlete_folders, import_athletes
    from cramplog.journal.since import default_today
    from cramplog.store import Store, default_db_path

    today = default_today()
    if isinstance(since, date):
        since = since.isoformat()
    since_spec = since_arg(since, today)  # a look-back counts back from each analysis day
    folders = athlete_folders([Path(p) for p in paths], None)
    if athlete is not None and len(folders) > 1:
        raise UsageError(
            "--athlete names one athlete, but several folders were given; "
            "each folder's athlete.toml (or its name) names its athlete"
        )
    path = Path(db) if db is not None else default_db_path()
    with Store(path, create=bool(folders)) as store:
        if folders:
            imported = import_athletes(store, folders, athlete)
            names = imported.names
        else:
            imported = AthleteImport()
            names = stored_names(store, athlete)
        outcomes = squad_outcomes(store, names, imported, since=since_spec, today=today)
    for o in failed_outcomes(outcomes):  # raises InputError when nobody was analysed
        warnings.warn(f"{o.athlete}: {o.error}", CramplogWarning, stacklevel=2)
    return Analysis(outcomes, db=path, since=common_since(outcomes), today=today)


def stored_names(store: Store, athlete: str | None) -> list[str]:
    """The athletes an analysis without paths covers: ``athlete``, the store's only one, or
    all of them (the CLI's messages when there is none or no such athlete)."""
    names = store.athletes()
    if athlete is not None:
        if athlete not in names:
            known = ", ".join(names) if names else "none yet"
            raise UsageError(f"no athlete named {athlete!r} in the store (known: {known})")
        return [athlete]
    if not names:
        raise UsageError("the store has no athletes yet; run 'cramplog import PATH' first")
    return names
