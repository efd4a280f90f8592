"""A small FIT (Flexible and Interoperable data Transfer) encoder.

Writes activity files the way a watch does: a 14-byte header with its own CRC,
definition messages followed by data messages (little-endian, normal headers),
and the FIT CRC-16 over the whole file at the end. Only what cramplog's sample
needs is implemented; global message and field numbers are the FIT profile's.
Record messages are packed in one go with numpy so that long sessions are cheap.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FIT_EPOCH_UNIX = 631065600  # 1989-12-31T00:00:00Z

# FIT base types: (base type byte, numpy dtype, invalid value)
BASE_TYPES: dict[str, tuple[int, str, int]] = {
    "enum": (0x00, "u1", 0xFF),
    "sint8": (0x01, "i1", 0x7F),
    "uint8": (0x02, "u1", 0xFF),
    "sint16": (0x83, "<i2", 0x7FFF),
    "uint16": (0x84, "<u2", 0xFFFF),
    "sint32": (0x85, "<i4", 0x7FFFFFFF),
    "uint32": (0x86, "<u4", 0xFFFFFFFF),
    "uint32z": (0x8C, "<u4", 0x00000000),
    "uint16z": (0x8B, "<u2", 0x0000),
}

# Global message numbers (FIT profile)
MESG_FILE_ID = 0
MESG_SESSION = 18
MESG_LAP = 19
MESG_RECORD = 20
MESG_EVENT = 21
MESG_DEVICE_INFO = 23
MESG_ACTIVITY = 34

# A few profile enums
FILE_ACTIVITY = 4
MANUFACTURER_GARMIN = 1
MANUFACTURER_DEVELOPMENT = 255
SPORT = {"running": 1, "cycling": 2, "walking": 11, "hiking": 17, "training": 10}
SUB_SPORT = {"generic": 0, "treadmill": 1, "street": 2, "trail": 3, "track": 4}
EVENT_TIMER = 0
EVENT_SESSION = 8
EVENT_LAP = 9
EVENT_ACTIVITY = 26
EVENT_TYPE_START = 0
EVENT_TYPE_STOP = 1
EVENT_TYPE_STOP_ALL = 4
ACTIVITY_MANUAL = 0
LAP_TRIGGER_DISTANCE = 2
LAP_TRIGGER_SESSION_END = 7
SESSION_TRIGGER_ACTIVITY_END = 0

_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip


def _byte_table() -> list[int]:
    """Per-byte table equivalent to applying the FIT nibble table twice."""
    out = []
    for byte in range(256):
        crc = 0
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
        out.append(crc)
    return out


_BYTE_TABLE = _byte_table()


def fit_crc(data: bytes, crc: int = 0) -> int:
    """FIT CRC-16 (the reflected 0xA001 polynomial, as in the FIT SDK)."""
    table = _BYTE_TABLE
    for b in data:
        crc = (crc >> 8) ^ table[(crc ^ b) & 0xFF]
    return crc


@dataclass(frozen=True)
class Field:
    """A field of a message definition: FIT field number and base type name."""

    num: int
    base: str

    @property
    def size(self) -> int:
        return np.dtype(BASE_TYPES[self.base][1]).itemsize


class FitWriter:
    """Accumulates definition and data messages, then produces the file bytes."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._defs: dict[int, tuple[int, tuple[Field, ...]]] = {}

    def define(self, local: int, global_num: int, fields: Sequence[Field]) -> None:
        """Write a definition message for local message type ``local``."""
        header = 0x40 | (local & 0x0F)
        body = struct.pack("<BBBHB", header, 0, 0, global_num, len(fields))
        for f in fields:
            body += struct.pack("<BBB", f.num, f.size, BASE_TYPES[f.base][0])
        self._chunks.append(body)
        self._defs[local] = (global_num, tuple(fields))

    def message(self, local: int, values: dict[int, int | None]) -> None:
        """Write one data message; values maps field number → raw integer (None = invalid)."""
        _, fields = self._defs[local]
        parts = [struct.pack("<B", local & 0x0F)]
        for f in fields:
            code, dt, invalid = BASE_TYPES[f.base]
            v = values.get(f.num)
            parts.append(np.array(invalid if v is None else v, dtype=dt).tobytes())
        self._chunks.append(b"".join(parts))

    def messages(self, local: int, columns: dict[int, np.ndarray]) -> None:
        """Write many data messages of one local type at once (column arrays of raw values)."""
        _, fields = self._defs[local]
        n = len(next(iter(columns.values())))
        dtype = np.dtype([("h", "u1")] + [(f"f{f.num}", BASE_TYPES[f.base][1]) for f in fields])
        arr = np.zeros(n, dtype=dtype)
        arr["h"] = local & 0x0F
        for f in fields:
            col = columns.get(f.num)
            if col is None:
                arr[f"f{f.num}"] = BASE_TYPES[f.base][2]
            else:
                arr[f"f{f.num}"] = col
        self._chunks.append(arr.tobytes())

    def to_bytes(self) -> bytes:
        """The complete file: header (with header CRC), data, file CRC."""
        data = b"".join(self._chunks)
        header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(data), b".FIT")
        header += struct.pack("<H", fit_crc(header))
        crc = fit_crc(data, fit_crc(header))
        return header + data + struct.pack("<H", crc)


def fit_time(unix_seconds: int | float) -> int:
    """Unix seconds → FIT date_time (seconds since 1989-12-31 UTC)."""
    return int(unix_seconds) - FIT_EPOCH_UNIX


def semicircles(degrees: np.ndarray) -> np.ndarray:
    """Degrees → FIT semicircles (sint32)."""
    return np.round(np.asarray(degrees) * (2**31 / 180.0)).astype(np.int64)


# --------------------------------------------------------------------------- activity files

RECORD_FIELDS = (
    Field(253, "uint32"),  # timestamp
    Field(0, "sint32"),  # position_lat
    Field(1, "sint32"),  # position_long
    Field(5, "uint32"),  # distance, scale 100
    Field(78, "uint32"),  # enhanced_altitude, scale 5 offset 500
    Field(2, "uint16"),  # altitude, scale 5 offset 500
    Field(73, "uint32"),  # enhanced_speed, scale 1000
    Field(3, "uint8"),  # heart_rate
    Field(4, "uint8"),  # cadence
    Field(13, "sint8"),  # temperature
)
INDOOR_RECORD_FIELDS = tuple(f for f in RECORD_FIELDS if f.num not in (0, 1, 78, 2))

LAP_FIELDS = (
    Field(253, "uint32"),
    Field(254, "uint16"),  # message_index
    Field(0, "enum"),  # event
    Field(1, "enum"),  # event_type
    Field(2, "uint32"),  # start_time
    Field(3, "sint32"),
    Field(4, "sint32"),
    Field(5, "sint32"),
    Field(6, "sint32"),
    Field(7, "uint32"),  # total_elapsed_time, scale 1000
    Field(8, "uint32"),  # total_timer_time
    Field(9, "uint32"),  # total_distance, scale 100
    Field(13, "uint16"),  # avg_speed
    Field(14, "uint16"),  # max_speed
    Field(15, "uint8"),  # avg_heart_rate
    Field(16, "uint8"),  # max_heart_rate
    Field(17, "uint8"),  # avg_cadence
    Field(21, "uint16"),  # total_ascent
    Field(22, "uint16"),  # total_descent
    Field(24, "enum"),  # lap_trigger
    Field(25, "enum"),  # sport
)

SESSION_FIELDS = (
    Field(253, "uint32"),
    Field(254, "uint16"),
    Field(0, "enum"),
    Field(1, "enum"),
    Field(2, "uint32"),  # start_time
    Field(3, "sint32"),
    Field(4, "sint32"),
    Field(5, "enum"),  # sport
    Field(6, "enum"),  # sub_sport
    Field(7, "uint32"),
    Field(8, "uint32"),
    Field(9, "uint32"),
    Field(11, "uint16"),  # total_calories
    Field(14, "uint16"),  # avg_speed
    Field(15, "uint16"),  # max_speed
    Field(16, "uint8"),
    Field(17, "uint8"),
    Field(18, "uint8"),  # avg_cadence
    Field(19, "uint8"),  # max_cadence
    Field(22, "uint16"),  # total_ascent
    Field(23, "uint16"),  # total_descent
    Field(25, "uint16"),  # first_lap_index
    Field(26, "uint16"),  # num_laps
    Field(28, "enum"),  # trigger
    Field(57, "sint8"),  # avg_temperature
    Field(58, "sint8"),  # max_temperature
    Field(124, "uint32"),  # enhanced_avg_speed
    Field(125, "uint32"),  # enhanced_max_speed
)


@dataclass(frozen=True)
class Device:
    """The recording device as file_id/device_info describe it."""

    manufacturer: int
    product: int
    serial: int
    software_version: int  # ×100, e.g. 1928 → 19.28


def hysteresis_climb(ele: np.ndarray, band: float = 3.0) -> tuple[float, float]:
    """Ascent and descent (m) of an elevation series, counting only moves beyond ``band``."""
    up = down = 0.0
    if len(ele) == 0:
        return up, down
    ref = float(ele[0])
    for e in ele.tolist():
        if e > ref + band:
            up += e - ref
            ref = e
        elif e < ref - band:
            down += ref - e
            ref = e
    return up, down


def _summary(
    t: np.ndarray,
    dist: np.ndarray,
    speed: np.ndarray,
    hr: np.ndarray,
    cad: np.ndarray,
    temp: np.ndarray,
    ele: np.ndarray | None,
) -> dict[str, int]:
    up, down = hysteresis_climb(ele) if ele is not None else (0.0, 0.0)
    moving = cad > 0
    return {
        "elapsed_ms": int(t[-1] - t[0]) * 1000,
        "dist_cm": int(round(dist[-1] * 100)) - int(round(dist[0] * 100)),
        "avg_speed": int(round((dist[-1] - dist[0]) / max(t[-1] - t[0], 1) * 1000)),
        "max_speed": int(round(float(speed.max()) * 1000)),
        "avg_hr": int(round(float(hr.mean()))),
        "max_hr": int(hr.max()),
        "avg_cad": int(round(float(cad[moving].mean()))) if moving.any() else 0,
        "max_cad": int(cad.max()),
        "ascent": int(round(up)),
        "descent": int(round(down)),
        "avg_temp": int(round(float(temp.mean()))),
        "max_temp": int(temp.max()),
    }


def activity_fit(
    *,
    t: np.ndarray,
    dist: np.ndarray,
    speed: np.ndarray,
    hr: np.ndarray,
    cad: np.ndarray,
    temp: np.ndarray,
    lat: np.ndarray | None,
    lon: np.ndarray | None,
    ele: np.ndarray | None,
    device: Device,
    utc_offset_s: int,
    sport: str = "running",
    sub_sport: str = "generic",
    calories_per_km: float = 65.0,
) -> bytes:
    """Encode one recorded session as a FIT activity file (auto-lap every km)."""
    w = FitWriter()
    start, end = int(t[0]), int(t[-1])
    w.define(0, MESG_FILE_ID, [Field(0, "enum"), Field(1, "uint16"), Field(2, "uint16"),
                               Field(3, "uint32z"), Field(4, "uint32")])  # fmt: skip
    w.message(0, {0: FILE_ACTIVITY, 1: device.manufacturer, 2: device.product,
                  3: device.serial, 4: fit_time(start)})  # fmt: skip
    w.define(1, MESG_DEVICE_INFO, [Field(253, "uint32"), Field(0, "uint8"), Field(2, "uint16"),
                                   Field(3, "uint32z"), Field(4, "uint16"), Field(5, "uint16")])  # fmt: skip
    w.message(1, {253: fit_time(start), 0: 0, 2: device.manufacturer, 3: device.serial,
                  4: device.product, 5: device.software_version})  # fmt: skip
    w.define(
        2, MESG_EVENT, [Field(253, "uint32"), Field(0, "enum"), Field(1, "enum"), Field(4, "uint8")]
    )
    w.message(2, {253: fit_time(start), 0: EVENT_TIMER, 1: EVENT_TYPE_START, 4: 0})
    outdoor = lat is not None and lon is not None and ele is not None
    rec_fields = RECORD_FIELDS if outdoor else INDOOR_RECORD_FIELDS
    w.define(3, MESG_RECORD, rec_fields)
    w.define(4, MESG_LAP, LAP_FIELDS)
    cols: dict[int, np.ndarray] = {
        253: t - FIT_EPOCH_UNIX,
        5: np.round(dist * 100).astype(np.int64),
        73: np.round(speed * 1000).astype(np.int64),
        3: hr,
        4: cad,
        13: temp,
    }
    if outdoor:
        assert lat is not None and lon is not None and ele is not None
        lat_sc, lon_sc = semicircles(lat), semicircles(lon)
        alt = np.round((ele + 500.0) * 5).astype(np.int64)
        cols.update({0: lat_sc, 1: lon_sc, 78: alt, 2: np.clip(alt, 0, 0xFFFE)})
    sport_n = SPORT.get(sport, 1)
    # lap boundaries: first record at or beyond each whole km
    km_marks = np.arange(1000.0, dist[-1], 1000.0)
    cut = np.searchsorted(dist, km_marks)
    cut = np.unique(cut[(cut > 0) & (cut < len(t) - 1)])
    edges = [0, *cut.tolist(), len(t) - 1]
    laps = 0
    for i in range(len(edges) - 1):
        a, b = edges[i], edges[i + 1]
        last = i == len(edges) - 2
        hi = b + 1 if last else b
        w.messages(3, {k: v[a:hi] for k, v in cols.items()})
        if last:
            w.message(2, {253: fit_time(end), 0: EVENT_TIMER, 1: EVENT_TYPE_STOP_ALL, 4: 0})
        sl = slice(a, b + 1)
        s = _summary(
            t[sl], dist[sl], speed[sl], hr[sl], cad[sl], temp[sl], None if ele is None else ele[sl]
        )
        lv: dict[int, int | None] = {
            253: fit_time(int(t[b])), 254: laps, 0: EVENT_LAP, 1: EVENT_TYPE_STOP,
            2: fit_time(int(t[a])), 7: s["elapsed_ms"], 8: s["elapsed_ms"], 9: s["dist_cm"],
            13: s["avg_speed"], 14: s["max_speed"], 15: s["avg_hr"], 16: s["max_hr"], 17: s["avg_cad"],
            21: s["ascent"] if outdoor else None, 22: s["descent"] if outdoor else None,
            24: LAP_TRIGGER_SESSION_END if last else LAP_TRIGGER_DISTANCE, 25: sport_n,
        }  # fmt: skip
        if outdoor:
            lv.update(
                {3: int(cols[0][a]), 4: int(cols[1][a]), 5: int(cols[0][b]), 6: int(cols[1][b])}
            )
        w.message(4, lv)
        laps += 1
    s = _summary(t, dist, speed, hr, cad, temp, ele)
    w.define(5, MESG_SESSION, SESSION_FIELDS)
    sv: dict[int, int | None] = {
        253: fit_time(end), 254: 0, 0: EVENT_SESSION, 1: EVENT_TYPE_STOP, 2: fit_time(start),
        5: sport_n, 6: SUB_SPORT.get(sub_sport, 0), 7: s["elapsed_ms"], 8: s["elapsed_ms"],
        9: int(round(dist[-1] * 100)), 11: int(round(dist[-1] / 1000 * calories_per_km)),
        14: s["avg_speed"], 15: s["max_speed"], 16: s["avg_hr"], 17: s["max_hr"],
        18: s["avg_cad"], 19: s["max_cad"], 22: s["ascent"] if outdoor else None,
        23: s["descent"] if outdoor else None, 25: 0, 26: laps, 28: SESSION_TRIGGER_ACTIVITY_END,
        57: s["avg_temp"], 58: s["max_temp"], 124: s["avg_speed"], 125: s["max_speed"],
    }  # fmt: skip
    if outdoor:
        sv.update({3: int(cols[0][0]), 4: int(cols[1][0])})
    w.message(5, sv)
    w.define(6, MESG_ACTIVITY, [Field(253, "uint32"), Field(0, "uint32"), Field(1, "uint16"),
                                Field(2, "enum"), Field(3, "enum"), Field(4, "enum"), Field(5, "uint32")])  # fmt: skip
    w.message(6, {253: fit_time(end), 0: s["elapsed_ms"], 1: 1, 2: ACTIVITY_MANUAL, 3: EVENT_ACTIVITY,
                  4: EVENT_TYPE_STOP, 5: fit_time(end) + utc_offset_s})  # fmt: skip
    return w.to_bytes()
