"""The sample goal's course: a GPX route (``rtept``, no times) written deterministically.

The Canyon Rim 50K runs a loop off the rim: long descents into side canyons and climbs back
out, about 2,800 m down and up over 50 km, with stretches steeper than −10 % and −15 %.
The profile is piecewise linear between ``KNOTS`` (km, m) with a small fixed ripple; the path
turns slowly so the loop closes roughly on itself. Points every ``STEP_M`` metres.
"""

from __future__ import annotations

import math

STEP_M = 25.0
M_PER_DEG_LAT = 111_320.0
START = (36.0570, -112.1390)  # somewhere on a canyon rim (fictional course)
KNOTS = (
    (0.0, 2150.0), (5.0, 1600.0), (8.0, 1780.0), (13.5, 1150.0), (16.0, 1220.0),
    (21.0, 1800.0), (24.5, 1330.0), (28.0, 1700.0), (31.0, 1250.0), (36.0, 1880.0),
    (39.5, 1420.0), (43.5, 1950.0), (47.0, 1560.0), (50.0, 1700.0),
)  # fmt: skip


def _elevation(km: float) -> float:
    for (k0, z0), (k1, z1) in zip(KNOTS, KNOTS[1:], strict=False):
        if k0 <= km <= k1:
            z = z0 + (z1 - z0) * (km - k0) / (k1 - k0)
            return z + 4.0 * math.sin(km * 2 * math.pi / 0.9)
    return KNOTS[-1][1]


def course_gpx(name: str, distance_km: float = 50.0) -> bytes:
    """A GPX 1.1 route of ``distance_km`` with elevation and no times."""
    n = int(distance_km * 1000 / STEP_M)
    lat, lon = START
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<gpx version="1.1" creator="cramplog samplegen" '
        'xmlns="http://www.topografix.com/GPX/1/1">\n',
        f" <rte>\n  <name>{name}</name>\n",
    ]
    for i in range(n + 1):
        km = i * STEP_M / 1000.0
        parts.append(
            f'  <rtept lat="{lat:.7f}" lon="{lon:.7f}"><ele>{_elevation(km):.1f}</ele></rtept>\n'
        )
        heading = 2 * math.pi * km / distance_km  # one slow turn: a loop
        lat += STEP_M * math.cos(heading) / M_PER_DEG_LAT
        lon += STEP_M * math.sin(heading) / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
    parts.append(" </rte>\n</gpx>\n")
    return "".join(parts).encode("utf-8")
