"""Per-session features on real device files stay within the import's tolerances: distance
within 1 % of the FIT session's total_distance, descent within 10 % (or 15 m) of its
total_descent where the device recorded one (issue 5's real-file check)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from conftest import REALDATA, REALDATA_REQUIRED, realdata_files, realdata_manifest

FILES = realdata_files("fit", "*.fit", "*.FIT", "*.fit.gz")

# The files this check cannot pair with a device summary, and why (what the files hold is
# described in realdata/SOURCES.md); any other file that cannot be checked is a failure.
UNCHECKABLE = {
    "MonitoringFile.fit": "no session in this file",
    "activity-activity-filecrc.fit": "sessions and activities do not pair up",
    "coros-pace-2-cycling-misaligned-fields.fit": "sessions and activities do not pair up",
    "nick.fit": "sessions and activities do not pair up",
    "Indoor_Cycling2smO2sensors.fit": "no distance or descent",
    "20170518-191602-1740899583.fit": "no distance or descent",
    "sample-activity-indoor-trainer.fit": "no distance or descent",
    "garmin-fr935-cr.fit": "no distance or descent",
    "RowingCIQspeed.FIT": "no distance or descent",
}


def _uncheckable(path: Path, why: str) -> None:
    short = path.name.split("__", 1)[-1]
    assert UNCHECKABLE.get(short) == why, f"{short}: {why}"
    pytest.skip(why)


def _device_sessions(path: Path) -> list[dict]:
    import fitparse

    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    fit = fitparse.FitFile(io.BytesIO(raw), check_crc=False)
    out = []
    try:
        for m in fit.get_messages("session"):
            values = {}
            for f in m.fields:  # the first valid value of each name (repeated names exist)
                if f.value is not None and f.name not in values:
                    values[f.name] = f.value
            out.append(values)
    except Exception:  # noqa: BLE001 - broken files: whatever sessions were read
        pass
    return out


@pytest.mark.realdata
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name.split("__", 1)[-1])
def test_features_match_the_device_summary(path: Path) -> None:
    from cramplog.errors import InputError
    from cramplog.features.compute import HrBounds, compute_features
    from cramplog.ingest.read import parse_bytes
    from cramplog.model import Profile

    try:
        result = parse_bytes(path.name, path.read_bytes())
    except InputError:
        _uncheckable(path, "no session in this file")  # (checked by the ingest tests)
    sessions = _device_sessions(path)
    if len(sessions) != len(result.activities):
        _uncheckable(path, "sessions and activities do not pair up")  # (damaged files)
    hr = HrBounds(hr_max=190.0, hr_rest=50.0, estimated=False, note="")
    checked = 0
    for act, dev in zip(result.activities, sessions, strict=True):
        f = compute_features(act, Profile(name="real"), hr)
        total = dev.get("total_distance")
        if isinstance(total, (int, float)) and total > 0:
            assert f.distance_m == pytest.approx(total, rel=0.01)
            checked += 1
        desc = dev.get("total_descent")
        if isinstance(desc, (int, float)) and desc > 0 and f.descent_m is not None:
            assert abs(f.descent_m - desc) <= max(0.10 * desc, 15.0), (f.descent_m, desc)
            checked += 1
    if checked == 0:
        _uncheckable(path, "no distance or descent")


def test_realdata_list_is_empty_or_complete() -> None:
    """Either every real FIT file SOURCES.md lists is here, or none (a user's clone); in CI
    on the development workspace, every one (so missing data cannot pass as skips)."""
    if REALDATA_REQUIRED:
        assert REALDATA is not None, "CI: ../shared/realdata exists but was not found"
    if REALDATA is None:
        assert FILES == []
        pytest.skip("../shared/realdata is not present")
    listed = realdata_manifest("fit")
    assert len(listed) == 44  # as SOURCES.md lists them when this test was written
    assert sorted(p.name for p in FILES) == listed
    for sub, count in (("gpx", 16), ("tcx", 5)):  # the other readers' real files too
        assert sorted(p.name for p in realdata_files(sub, "*")) == realdata_manifest(sub)
        assert len(realdata_manifest(sub)) == count, sub
