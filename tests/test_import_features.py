"""When the profile gives HR max and rest, the import workers compute each stream's part of
its session's features and the importer stores the features: the first analysis then reads
no stream. They must be exactly what the analysis computes from the stored streams."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

import cramplog.importer.pool as parsepool
from cramplog.analysis.stored import analyze_stored
from cramplog.importer.pipeline import import_paths
from cramplog.store import Store

SAMPLE = Path(__file__).resolve().parents[1] / "sample_logs"
TODAY = date(2026, 7, 1)


def _features(store: Store, athlete: str, key: str) -> dict[int, dict]:
    return store.cached_features([a.id for a in store.activities(athlete) if a.id], key)


@pytest.mark.parametrize("folder", ["alex", "team/chloe"])
@pytest.mark.parametrize("workers", [1, 2])
def test_import_time_features_equal_analysis_time_features(tmp_path, monkeypatch, folder, workers):
    src = SAMPLE / folder
    if not src.is_dir():
        pytest.skip("sample_logs not present")
    monkeypatch.setattr(parsepool, "POOL_MIN_BYTES", 1)
    with Store(tmp_path / "import.sqlite") as st:
        report = import_paths(st, [src], workers=workers)
        name = report.athletes[0]
        merged = [a.id for a in st.activities(name) if len(a.sources) > 1]
        first = analyze_stored(st, name, today=TODAY)
        key = first.stats.key
        at_import = {i: f for i, f in _features(st, name, key).items() if i not in merged}
    # only sessions merged from two files are left for the analysis to compute
    assert len(merged) == report.merged
    assert first.stats.computed == len(merged)
    assert len(at_import) == first.stats.cached == len(first.activities_by_id) - len(merged)

    shutil.copy(tmp_path / "import.sqlite", tmp_path / "analysis.sqlite")
    with Store(tmp_path / "analysis.sqlite") as st:
        st.conn.execute("UPDATE activities SET features = NULL, features_key = NULL")
        again = analyze_stored(st, name, today=TODAY)
        at_analysis = _features(st, name, key)
    assert again.stats.computed == len(at_analysis) > 10
    assert at_import == {i: f for i, f in at_analysis.items() if i not in merged}
    assert first.report.to_dict(first.activities_by_id) == again.report.to_dict(
        again.activities_by_id
    )


def test_no_import_time_features_without_hr_in_the_profile(tmp_path, monkeypatch):
    """Without HR max and rest the bounds are estimated from every stream: the analysis
    computes the features, none are stored at import."""
    monkeypatch.setattr(parsepool, "POOL_MIN_BYTES", 1)
    folder = tmp_path / "nohr"
    folder.mkdir()
    for f in sorted((SAMPLE / "alex").rglob("*.fit"))[:6]:
        shutil.copy(f, folder / f.name)
    with Store(tmp_path / "s.sqlite") as st:
        import_paths(st, [folder], workers=2)
        n = st.conn.execute("SELECT COUNT(*) FROM activities WHERE features IS NOT NULL")
        assert n.fetchone()[0] == 0
        res = analyze_stored(st, "nohr", today=TODAY)
    assert res.stats.computed == len(res.activities_by_id) == 6
