"""A store opened read-only writes nothing: every write path either refuses with StoreError
(the journal, profiles, imports) or is skipped (the feature and outcome caches), and the
file's bytes and mtime stay as they were."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from cramplog.errors import StoreError
from cramplog.model import Activity, CrampEvent, Profile
from cramplog.store import Store

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=timezone.utc)


def _run() -> Activity:
    return Activity(sport="running", start=T0, distance_m=10_000.0, elapsed_s=3_000.0)


def _cramp() -> CrampEvent:
    return CrampEvent(when=T0, muscle="calf", severity=2)


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    db = tmp_path / "s.sqlite"
    with Store(db) as st:
        st.add_file("ann", "h1", "a.fit", "fit", 1, [_run()])
        st.add_cramps("ann", [_cramp()])
        st.set_profile(Profile(name="ann", hr_max=188))
    return db


def _state(db: Path) -> list[tuple[str, str, int]]:
    """(name, sha256, mtime_ns) of the store, its WAL companions and its journal's files."""
    out = []
    for p in sorted(db.parent.glob(db.name + "*")) + sorted(db.parent.rglob("*.journal/*/*")):
        if p.is_dir():
            continue
        if p.name.endswith("-shm"):
            continue  # SQLite's shared-memory index: touched by readers too
        out.append((p.name, hashlib.sha256(p.read_bytes()).hexdigest(), os.stat(p).st_mtime_ns))
    return out


REFUSED: dict[str, Callable[[Store], object]] = {
    "add_file": lambda st: st.add_file("ann", "h2", "b.fit", "fit", 1, [_run()]),
    "add_cramps": lambda st: st.add_cramps("ann", [CrampEvent(when=T0, muscle="foot")]),
    "sync_cramps_file": lambda st: st.sync_cramps_file("ann", "cramps.csv", []),
    "remove_cramp": lambda st: st.remove_cramp(1),
    "set_profile": lambda st: st.set_profile(Profile(name="ann", hr_max=190)),
    "new athlete": lambda st: st.athlete_id("bob"),
}


@pytest.mark.parametrize("write", REFUSED.values(), ids=REFUSED.keys())
def test_a_write_through_a_readonly_store_is_refused(
    stored: Path, write: Callable[[Store], object]
) -> None:
    before = _state(stored)
    with Store(stored, readonly=True) as st, pytest.raises(StoreError, match="read-only"):
        write(st)
    assert _state(stored) == before


def test_readonly_store_skips_the_caches(stored: Path) -> None:
    before = _state(stored)
    with Store(stored, readonly=True) as st:
        (a,) = st.activities("ann")
        assert a.id is not None
        st.put_features({a.id: {"load": 55.0}}, "v1:abc")
        assert st.cached_features([a.id], "v1:abc") == {}
        assert st.put_outcome("ann", "k", {"x": 1}) is False
        assert st.cached_outcome("ann", "k") is None
    assert _state(stored) == before


def test_readonly_store_still_reads(stored: Path) -> None:
    with Store(stored, readonly=True) as st:
        assert st.athletes() == ["ann"]
        assert [c.muscle for c in st.cramps("ann")] == ["calf"]
        profile = st.get_profile("ann")
        assert profile is not None and profile.hr_max == 188


def test_create_false_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no cramplog store"):
        Store(tmp_path / "none.sqlite", create=False)
    assert not (tmp_path / "none.sqlite").exists()
