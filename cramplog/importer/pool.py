"""Parsing in worker processes: what one worker does with one file, and the pool of them.

A worker parses the file's bytes and then does the stream work where the stream already is:
it compresses the stream for the store and, given a feature context (the profile and HR
bounds), computes the stream's part of the session's features. The main process gets back
bytes and a few numbers instead of the arrays. Small jobs never start a pool.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from cramplog.errors import CramplogError
from cramplog.model import ParseResult, Profile

if TYPE_CHECKING:
    from concurrent.futures import Future

# Files per worker submitted ahead of the one being stored: enough to keep the workers busy
# while the main process stores, few enough that memory does not grow with the history.
AHEAD = 4

# Below these, parsing in the main process beats starting a worker pool.
POOL_MIN_FILES = 4
POOL_MIN_BYTES = 1_000_000

# What a worker gets for one file: its name, its bytes, and the feature context (or None).
ParseItem = tuple[str, bytes, "tuple[Profile, Any, str] | None"]
T = TypeVar("T")


def parse_one(item: ParseItem) -> ParseResult | str:
    """Parse one file's bytes; a readable error string instead of an exception."""
    from cramplog.ingest.read import parse_bytes

    name, data, fctx = item
    try:
        result = parse_bytes(name, data)
    except CramplogError as exc:
        return without_name(str(exc), name)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the import
        return f"could not be read ({type(exc).__name__}: {exc})"
    _prepare_streams(result, fctx)
    return result


def _prepare_streams(result: ParseResult, fctx: tuple[Profile, Any, str] | None) -> None:
    """Do the stream work where the stream was parsed (a worker process, in a big import):
    compress it for the store, and with a feature context compute its part of the session's
    features from the stream as the store will return it. The main process then only writes
    bytes, and the compressed blob crosses the pipe instead of the arrays (~8x smaller)."""
    from cramplog.store.streamcodec import as_stored, encode_stream

    for act in result.activities:
        if act.stream is None:
            continue
        if fctx is not None:
            from cramplog.features.compute import stream_numbers

            profile, hr, _ = fctx
            act.stream_numbers = stream_numbers(as_stored(act.stream), profile, hr)
        act.stream_blob = encode_stream(act.stream)
        act.stream = None


class ParsePool:
    """Worker processes for parsing, shared by every import run inside ``with ParsePool():``.

    A squad's folders are imported one after another; sharing one pool saves starting and
    warming up a new set of workers per athlete. The workers start on the first job big
    enough to need them (``POOL_MIN_FILES`` / ``POOL_MIN_BYTES``), never for small jobs.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self._executor: Any = None

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def wants(self, n_files: int, n_bytes: int) -> bool:
        """Whether a job this size is worth sending to worker processes."""
        return self.workers > 1 and n_files >= POOL_MIN_FILES and n_bytes >= POOL_MIN_BYTES

    def imap(self, items: Iterable[tuple[T, ParseItem]]) -> Iterator[tuple[T, ParseResult | str]]:
        """Parse ``(tag, (name, data, feature context))`` items in worker processes; results
        in input order, each with its tag. At most ``AHEAD`` files per worker are in flight:
        ``items`` is drawn lazily, so a history of any length holds a bounded number of files
        and parsed results in memory (an executor's ``map`` would submit them all at once)."""
        if self._executor is None:
            from concurrent.futures import ProcessPoolExecutor

            _preload_parsers()
            self._executor = ProcessPoolExecutor(max_workers=self.workers)
        pending: deque[tuple[T, Future[ParseResult | str]]] = deque()
        for tag, item in items:
            pending.append((tag, self._executor.submit(parse_one, item)))
            if len(pending) >= self.workers * AHEAD:
                tag0, fut = pending.popleft()
                yield tag0, fut.result()
        while pending:
            tag0, fut = pending.popleft()
            yield tag0, fut.result()


def _preload_parsers() -> None:
    """Import the parsers (numpy, the FIT profile) once in this process before the pool starts:
    forked workers inherit them instead of each importing them again (~0.2 s CPU per worker,
    per pool; measured with benchmarks/run.py). Harmless where workers are spawned."""
    import numpy  # noqa: F401

    import cramplog.features.compute
    import cramplog.ingest.csvfile
    import cramplog.ingest.fit
    import cramplog.ingest.fit_fast
    import cramplog.ingest.gpx
    import cramplog.ingest.tcx
    import cramplog.store.streamcodec  # noqa: F401

    try:
        import fitparse.profile  # noqa: F401 - the fast FIT decoder reads its tables
    except ImportError:
        pass


def without_name(message: str, name: str) -> str:
    """Adapters prefix messages with the file name; the summary already names the file."""
    prefix = f"{name}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
