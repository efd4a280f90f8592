"""The key of a cached analysis outcome: the stored inputs, the window, the day, the code.

``outcome_key`` hashes the digest of the athlete's stored inputs
(``Store.outcome_inputs``), the ``--since`` day, the day the analysis speaks for
(``session.analysis_day``), and ``code_fingerprint``: cramplog's version, the Python
version, the (path, size, mtime) of every ``.py`` file of the cramplog package (so an edited
checkout never serves an outcome computed by other code; ``features.FEATURES_VERSION`` is a
literal in ``features.py`` and so covered without importing numpy), and the same stamp of
the installed numpy (an upgrade may move a sum; the rolling windows are cramplog's own, the
analysis does not use pandas). The fingerprint is computed once per process: about a
hundred ``stat`` calls, well under a millisecond warm.
"""

from __future__ import annotations

import hashlib
import os
import sys
from datetime import date
from functools import lru_cache
from pathlib import Path

# Bump when the cached document's shape changes (session.cached_outcome reads it).
CACHE_FORMAT = 2  # 2: reports carry episodes
# Libraries whose numbers end up in an outcome.
_DEPENDENCIES = ("numpy",)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the code that computes an outcome (see the module docstring)."""
    import cramplog

    root = Path(cramplog.__file__).resolve().parent
    parts = [f"cramplog {cramplog.__version__}", f"python {sys.version}"]
    parts += tree_stamp(root)
    parts += [_library_stamp(name) for name in _DEPENDENCIES]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def tree_stamp(root: Path) -> list[str]:
    """``relative/path.py size mtime_ns`` of every ``.py`` file under ``root``, sorted."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for fname in sorted(filenames):
            if fname.endswith(".py"):
                path = os.path.join(dirpath, fname)
                st = os.stat(path)
                out.append(f"{os.path.relpath(path, root)} {st.st_size} {st.st_mtime_ns}")
    return out


def _library_stamp(name: str) -> str:
    """Where ``name`` is installed and its ``__init__``'s size and mtime, without importing it."""
    from importlib.util import find_spec

    try:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            return f"{name} -"
        st = os.stat(origin)
    except (ImportError, ValueError, OSError):
        return f"{name} ?"
    return f"{name} {origin} {st.st_size} {st.st_mtime_ns}"


def outcome_key(inputs_digest: str, since: date | None, as_of: date) -> str:
    """The cache key of one athlete's outcome."""
    text = "|".join(
        (
            f"format {CACHE_FORMAT}",
            code_fingerprint(),
            inputs_digest,
            since.isoformat() if since is not None else "-",
            as_of.isoformat(),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()
