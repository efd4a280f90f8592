"""GPX element reader: a track's points, streamed element by element on local names.

It streams through the file (``xmlsafe``) and matches elements by local name, so
``gpxtpx:hr``, ``ns3:hr`` and ``gpxdata:hr`` all read as heart rate whatever the prefix or
namespace version. Damage after the first points keeps what came before, with a warning.
``gpx_bulk`` hands it a skeleton with runs of points already read; ``RUN_NS`` names the
placeholder element that stands for such a run.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable, Sequence

import numpy as np

from cramplog.errors import InputError
from cramplog.ingest.gpx_names import CAD, ELE, EXT, HR, SLOTS, SPEED, TEMP, TIME, sport_from_type
from cramplog.ingest.track_samples import TITLE_MAX, Samples, clip_title, parse_time, to_float
from cramplog.ingest.xmlsafe import Element, ParseError, iter_elements, local_name

_NAN = math.nan

# Local element name -> what the track reader does with it.
_PT, _TRK, _HEAD, _DROP, _SEG, _RUN = 1, 2, 3, 4, 5, 6
KINDS = {
    "trkpt": _PT,
    "trk": _TRK,
    "name": _HEAD,
    "type": _HEAD,
    "wpt": _DROP,
    "rte": _DROP,
    "metadata": _DROP,
    "trkseg": _SEG,
}
# The element ``gpx_bulk`` puts where it took a run of points out of the text; ``i`` numbers the
# run. The namespace is random per process, so no file can hold such an element itself.
RUN_NS = f"urn:cramplog:gpx_bulk:{secrets.token_hex(8)}"
_RUN_TAG = "{" + RUN_NS + "}run"


def _finish_track(cur: Samples, head: dict[str, str]) -> Samples:
    cur.title = clip_title(head.get("name"))
    cur.sport = sport_from_type(head.get("type"), cur.title)
    return cur


def read_tracks(
    text: str, name: str, warnings: list[str], runs: Sequence[Samples] | None = None
) -> list[Samples]:
    """Tracks of a GPX text, streamed element by element.

    ``runs``: points ``gpx_bulk`` already read, each standing in the text as one ``RUN_NS``
    placeholder element; then a well-formedness error is raised, not reported, so that the
    caller can read the original text instead.
    """
    tracks: list[Samples] = []
    cur = Samples()
    head: dict[str, str] = {}  # name/type seen since the last trk/wpt/rte/metadata ended
    # tag -> KINDS value, so local names are worked out once
    kinds: dict[str, int] = {} if runs is None else {_RUN_TAG: _RUN}
    slots: dict[str, int] = {}  # tag -> SLOTS value
    try:
        for el in iter_elements(text):
            tag = el.tag
            kind = kinds.get(tag)
            if kind is None:
                kind = kinds[tag] = KINDS.get(local_name(tag), 0)
            if not kind:
                continue
            if kind == _PT:
                if type(cur.t) is not list:  # after a run of numpy columns
                    _as_lists(cur)
                read_point(el, cur, slots)
                el.clear()
            elif kind == _TRK:
                for child in el:
                    cl = local_name(child.tag)
                    if cl in ("name", "type") and child.text:
                        head[cl] = child.text
                tracks.append(_finish_track(cur, head))
                cur = Samples()
                head = {}
                el.clear()
            elif kind == _RUN and runs is not None:
                _extend(cur, runs[int(el.attrib["i"])])
            elif kind == _HEAD:
                if not len(cur.t) and el.text:
                    head[local_name(tag)] = el.text[: TITLE_MAX * 4]
            else:
                if kind == _DROP:
                    head = {}
                el.clear()
    except ParseError as exc:
        if runs is not None:
            raise
        if not len(cur.t) and not any(len(tr) for tr in tracks):
            raise InputError(f"{name}: not well-formed XML ({exc})") from None
        warnings.append(f"{name}: the file is damaged or cut short ({exc}); kept what came before")
        if len(cur.t):
            tracks.append(_finish_track(cur, head))
    return tracks


_RUN_KEYS = ("t", "lat", "lon", "ele", "hr", "cad", "temp", "speed")


def _extend(cur: Samples, run: Samples) -> None:
    """Append a run of points as ``read_point`` would have appended them one by one.

    A run from ``gpx_columns`` holds float64 arrays; a track that starts with one keeps them
    (no list of floats is made), and later points or runs are joined to them.
    """
    for key in _RUN_KEYS:
        have, add = getattr(cur, key), getattr(run, key)
        if not len(have):
            setattr(cur, key, add)
        elif type(have) is list and type(add) is list:
            have.extend(add)
        else:
            setattr(cur, key, np.concatenate((np.asarray(have, float), np.asarray(add, float))))
    cur.bad_times += run.bad_times
    if cur.offset is None:
        cur.offset = run.offset


def _as_lists(cur: Samples) -> None:
    """Channels held as arrays back to lists, for ``read_point`` to append to."""
    for key in _RUN_KEYS:
        setattr(cur, key, np.asarray(getattr(cur, key), float).tolist())


def read_point(el: Element, cur: Samples, slots: dict[str, int]) -> None:
    attrib = el.attrib
    ele = tm = hr = cad = temp = speed = None
    children: Iterable[Element] = el
    for child in children:
        tag = child.tag
        slot = slots.get(tag)
        if slot is None:
            slot = slots[tag] = SLOTS.get(local_name(tag), 0) if isinstance(tag, str) else 0
        if not slot:
            continue
        if slot == ELE:
            ele = child.text
        elif slot == TIME:
            tm = child.text
        elif slot == EXT:
            for sub in child.iter():
                tag = sub.tag
                slot = slots.get(tag)
                if slot is None:
                    slot = slots[tag] = SLOTS.get(local_name(tag), 0) if isinstance(tag, str) else 0
                if slot == HR:
                    hr = sub.text
                elif slot == TEMP:
                    temp = sub.text
                elif slot == CAD:
                    cad = sub.text
                elif slot == SPEED:
                    speed = sub.text
        elif slot == HR:
            hr = child.text
        elif slot == TEMP:
            temp = child.text
        elif slot == CAD:
            cad = child.text
        elif slot == SPEED:
            speed = child.text
    parsed = parse_time(tm)
    if parsed is None:
        cur.t.append(_NAN)
        if tm and tm.strip():
            cur.bad_times += 1
    else:
        cur.t.append(parsed[0])
        if parsed[1] is not None and cur.offset is None:
            cur.offset = parsed[1]
    try:
        lat, lon = float(attrib["lat"]), float(attrib["lon"])
    except (KeyError, ValueError):  # both parsed before either is kept: lists stay aligned
        lat, lon = to_float(attrib.get("lat")), to_float(attrib.get("lon"))
    cur.lat.append(lat)
    cur.lon.append(lon)
    cur.ele.append(_NAN if ele is None else to_float(ele))
    cur.hr.append(_NAN if hr is None else to_float(hr))
    cur.cad.append(_NAN if cad is None else to_float(cad))
    cur.temp.append(_NAN if temp is None else to_float(temp))
    cur.speed.append(_NAN if speed is None else to_float(speed))
