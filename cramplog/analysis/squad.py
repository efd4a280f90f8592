"""A squad's outcomes after an import: every athlete named, in order, analysed through the
outcome cache, with what the import could not do folded into each outcome; and the one error
when nobody could be analysed. ``cramplog analyze`` and the Python API (``cramplog.analyze``)
share it, so both say the same thing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from cramplog.errors import InputError

if TYPE_CHECKING:
    from cramplog.analysis.batch import Since
    from cramplog.analysis.outcome import AthleteOutcome
    from cramplog.importer.athletes import AthleteImport
    from cramplog.store import Store


def squad_outcomes(
    store: Store,
    names: list[str],
    imported: AthleteImport,
    *,
    since: Since,
    today: date,
) -> list[AthleteOutcome]:
    """One outcome per name, in order: from the store's outcome cache when nothing it depends
    on changed (written only when an import ran), an import error or failed files noted."""
    from cramplog.analysis.batch import analyze_many
    from cramplog.analysis.outcome import AthleteOutcome

    todo = [n for n in names if n not in imported.errors]
    # without PATHs (nothing imported) the outcome cache is read but not written
    analysed = analyze_many(
        store, todo, since=since, today=today, cache=True, write_cache=imported.ran
    )
    done = {o.athlete: o for o in analysed}
    outcomes = []
    for n in names:
        o = done.get(n) or AthleteOutcome(athlete=n, error=imported.errors.get(n))
        o.files_failed = imported.failed.get(n, 0)
        if not o.ok and o.files_failed:
            o.error = f"{o.error} ({o.files_failed} file(s) failed)"
        outcomes.append(o)
    return outcomes


def failed_outcomes(outcomes: Sequence[AthleteOutcome]) -> list[AthleteOutcome]:
    """The outcomes that could not be analysed; an ``InputError`` when none could."""
    if any(o.ok for o in outcomes):
        return [o for o in outcomes if not o.ok]
    if len(outcomes) == 1:
        raise InputError(outcomes[0].error or f"{outcomes[0].athlete} could not be analysed")
    detail = "; ".join(f"{o.athlete}: {o.error}" for o in outcomes)
    raise InputError(f"no athlete could be analysed ({detail})")
