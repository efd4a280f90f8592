"""cramplog: relate muscle-cramp events to the training patterns that came before them.

From Python (docs/python.md)::

    import cramplog
    result = cramplog.analyze("sample_logs/alex", db="/tmp/cramplog.sqlite")
    result.findings          # a pandas DataFrame

The API's names are handed out on first use (``__getattr__``), so ``import cramplog`` and
``cramplog --help`` import neither the API nor pandas; ``__init__.pyi`` declares them for
type checkers.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name -> the module that defines it
_LAZY = {
    "analyze": "cramplog.api",
    "open_store": "cramplog.api",
    "Analysis": "cramplog.api",
    "StoreView": "cramplog.api",
    "CramplogWarning": "cramplog.api",
    "CramplogError": "cramplog.errors",
    "InputError": "cramplog.errors",
    "UsageError": "cramplog.errors",
    "StoreError": "cramplog.errors",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cramplog' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
