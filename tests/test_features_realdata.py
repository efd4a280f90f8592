"""Per-session features on real device files stay within the import's tolerances: distance
within 1 % of the FIT session's total_distance, descent within 10 % (or 15 m) of its
total_descent where the device recorded one (issue 5's real-file check)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from conftest import realdata_files

FILES = realdata_files("fit", "*.fit", "*.FIT", "*.fit.gz")


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
        pytest.skip("no session in this file (checked by the ingest tests)")
    sessions = _device_sessions(path)
    if len(sessions) != len(result.activities):
        pytest.skip("sessions and activities do not pair up one to one (damaged file)")
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
        pytest.skip("the device recorded neither distance nor descent")


def test_realdata_list_is_empty_or_complete() -> None:
    """Either the workspace's real files are all here, or none (a user's clone)."""
    assert len(FILES) in (0, 44)
