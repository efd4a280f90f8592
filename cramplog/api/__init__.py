"""cramplog from Python: ``analyze`` (the work of ``cramplog analyze``, printing nothing) and
``open_store`` (read access to the store), with pandas DataFrames for tables.

pandas is imported only when a DataFrame is first asked for; importing this package imports
neither pandas nor numpy. ``cramplog/__init__.py`` hands these names out lazily.

May import everything below it (model, errors, thresholds, csvsafe, ingest, journal,
features, store, importer, metrics, rules, analysis, render). Never cli.
"""

from __future__ import annotations

from cramplog.api.analysis import Analysis
from cramplog.api.run import CramplogWarning, analyze
from cramplog.api.store_view import StoreView, open_store
from cramplog.errors import CramplogError, InputError, StoreError, UsageError

__all__ = [
    "Analysis",
    "CramplogError",
    "CramplogWarning",
    "InputError",
    "StoreError",
    "StoreView",
    "UsageError",
    "analyze",
    "open_store",
]
