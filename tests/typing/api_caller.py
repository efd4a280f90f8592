"""A caller of the Python API, type-checked by mypy (pyproject's [tool.mypy] files, and
tests/test_api_imports.py): the API's names and types as a notebook or script sees them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import cramplog


def weekly_descent(folder: Path, db: Path) -> dict[str, Any]:
    try:
        result: cramplog.Analysis = cramplog.analyze(folder, db=db, since=date(2026, 1, 1))
    except cramplog.CramplogError as exc:
        return {"error": str(exc)}
    names: list[str] = result.athletes
    errors: dict[str, str] = result.errors
    goal: dict[str, Any] | None = result.goal(names[0])
    doc: dict[str, Any] = result.to_dict()
    sessions = result.activities
    weekly = sessions.set_index("local_date").resample("W-SUN")["descent_m"].sum()
    with cramplog.open_store(db) as store:
        stored = store.activities(names[0])
    view: cramplog.StoreView = cramplog.open_store(str(db))
    view.close()
    return {
        "names": names,
        "errors": errors,
        "goal": goal,
        "schema": doc["schema_version"],
        "weeks": len(weekly),
        "stored": len(stored),
        "version": cramplog.__version__,
    }
