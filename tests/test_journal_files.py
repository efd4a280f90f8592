"""The journal's plain files (journal/files.py): folder names safe for any athlete name, a
cramps.csv and an athlete.toml that the ordinary readers (``parse_cramps_csv``,
``load_profile_toml``) read back exactly, and writes that are atomic even when the disk is
full."""

from __future__ import annotations

import dataclasses
import errno
import os
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cramplog.journal import files
from cramplog.journal.cramps import parse_cramps_csv
from cramplog.journal.profile import load_profile_toml
from cramplog.model import MUSCLES, CrampEvent, Goal, Profile

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
MADRID = ZoneInfo("Europe/Madrid")


# -- folder names --------------------------------------------------------------------------


def test_plain_names_are_their_own_folder_and_others_get_a_hash() -> None:
    assert files.athlete_slug("alex") == "alex"
    assert files.athlete_slug("ana-2") == "ana-2"
    ana = files.athlete_slug("Ana")
    assert ana != files.athlete_slug("ana")  # case-insensitive disks: two folders
    assert ana.startswith("ana-") and len(ana) == len("ana-") + 8
    for bad in ("../etc", "a/b", "..", ".", "", "con", "NUL", "x.", " ", "=1+1"):
        slug = files.athlete_slug(bad)
        assert "/" not in slug and "\\" not in slug and slug not in ("", ".", "..")
        assert not slug.startswith(".")


@given(st.lists(st.text(min_size=0, max_size=30), min_size=2, max_size=6, unique=True))
def test_any_names_get_distinct_safe_folder_names(names: list[str]) -> None:
    slugs = [files.athlete_slug(n) for n in names]
    assert len({s.lower() for s in slugs}) == len(names)
    for s in slugs:
        assert s and len(s) <= 64 and not s.startswith(".") and s not in (".", "..")
        assert all(c.isascii() and (c.isalnum() or c in "._-") for c in s)


# -- cramps.csv ----------------------------------------------------------------------------

notes_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
).map(lambda t: t.strip() or None)


@st.composite
def events(draw: st.DrawFn) -> CrampEvent:
    date_only = draw(st.booleans())
    offset_min = draw(st.integers(-12 * 4, 14 * 4)) * 15
    zone = timezone(timedelta(minutes=offset_min))
    minutes = draw(st.integers(0, 3 * 365 * 24 * 60))
    when = (datetime(2023, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=minutes)).astimezone(zone)
    if date_only:
        when = datetime.combine(when.date(), datetime.min.time(), MADRID).replace(hour=12)
    return CrampEvent(
        when=when,
        muscle=draw(st.sampled_from(MUSCLES)),
        side=draw(st.sampled_from([None, "left", "right", "both"])),
        severity=draw(st.sampled_from([None, 1, 2, 3, 4, 5])),
        timing=draw(st.sampled_from([None, "during", "after", "night", "rest"])),
        notes=draw(notes_text),
        date_only=date_only,
    )


def _typed(ev: CrampEvent) -> tuple[object, ...]:
    """What a person typed for a cramp, as it would be shown back to them."""
    when = ev.when.date().isoformat() if ev.date_only else ev.when.isoformat(timespec="minutes")
    return (when, ev.muscle, ev.side, ev.severity, ev.timing, ev.notes, ev.date_only)


@given(st.lists(events(), max_size=8))
def test_cramps_csv_reads_back_every_field_through_the_ordinary_reader(
    evs: list[CrampEvent],
) -> None:
    data = files.cramps_csv_text(evs).encode("utf-8")
    back, warnings = parse_cramps_csv(
        data, "cramps.csv", MADRID, now=datetime(2100, 1, 1, tzinfo=timezone.utc)
    )
    assert warnings == []

    # the ordinary reader puts every time in the athlete's zone: the same instants
    def key(e: CrampEvent) -> str:
        return repr((e.when.astimezone(timezone.utc), e.muscle, e.notes))

    got = sorted(key(e) for e in back if not e.date_only)
    want = sorted(key(e) for e in evs if not e.date_only)
    assert got == want
    # the journal's reader keeps each one's written offset too: every typed field equal
    again, _ = files.read_cramps_csv(data, "cramps.csv", MADRID)
    assert sorted(map(_typed, again), key=repr) == sorted(map(_typed, evs), key=repr)


def test_notes_that_look_like_formulas_or_csv_survive() -> None:
    tricky = ["=cmd|' /C calc'!A0", "'=already quoted", "+1", "-1", "@SUM(1)", 'a, "b"\nc', "'x"]
    evs = [
        CrampEvent(when=datetime(2026, 5, 1, 10, i, tzinfo=MADRID), muscle="calf", notes=n)
        for i, n in enumerate(tricky)
    ]
    text = files.cramps_csv_text(evs)
    assert "\n=" not in text and ",=" not in text and ",+" not in text  # spreadsheet-safe
    back, _ = files.read_cramps_csv(text.encode(), "cramps.csv", MADRID)
    assert [e.notes for e in back] == tricky


# -- athlete.toml --------------------------------------------------------------------------


def _full_profile() -> Profile:
    return Profile(
        name='Ana "the \\ calf" María',
        sex="female",
        hr_max=188.5,
        hr_rest=48,
        timezone="Europe/Madrid",
        goals=[
            Goal(name="Trail 50", date=date(2026, 6, 14), sport="trail_running",
                 distance_km=50.3, descent_m=2800, temperature_c=-3.5, target_time_s=23400,
                 course="/data/races/trail 50.gpx"),
            Goal(name="Odd second", date=date(2026, 9, 1), target_time_s=3661.5),
            Goal(name="Bare", date=date(2026, 10, 1)),
        ],
        thresholds={"CR01.warning": 1.4, "CR06.steep": 3},
    )  # fmt: skip


def test_profile_reads_back_equal_through_load_profile_toml() -> None:
    profile = _full_profile()
    text = files.profile_toml_text(profile)
    warnings: list[str] = []
    back = load_profile_toml(text.encode(), "athlete.toml", default_name="x", warnings=warnings)
    assert warnings == []
    assert back == profile
    # and by hand: what a person reads in the file
    doc = tomllib.loads(text)
    assert doc["athlete"]["hr_max"] == 188.5
    assert doc["goal"][0]["target_time"] == "06:30:00"  # 23400 s, by hand
    assert doc["goal"][0]["descent_m"] == 2800


def test_every_goal_field_is_written_so_a_new_one_needs_no_change_here() -> None:
    goal = _full_profile().goals[0]
    doc = tomllib.loads(files.profile_toml_text(Profile(name="a", goals=[goal])))["goal"][0]
    for f in dataclasses.fields(Goal):
        key = "target_time" if f.name == "target_time_s" else f.name
        assert key in doc, f"Goal.{f.name} is not written"


def test_a_goal_field_added_later_is_written_too(monkeypatch: pytest.MonkeyPatch) -> None:
    @dataclasses.dataclass
    class NewGoal(Goal):
        course: str | None = None

    monkeypatch.setattr(files, "Goal", NewGoal)
    goal = NewGoal(name="G", date=date(2026, 6, 14), course="Canyon loop")
    doc = tomllib.loads(files.profile_toml_text(Profile(name="a", goals=[goal])))
    assert doc["goal"][0]["course"] == "Canyon loop"


# -- atomic writes -------------------------------------------------------------------------


def test_write_atomic_replaces_the_whole_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "j" / "cramps.csv"
    files.write_atomic(target, b"old")
    files.write_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert sorted(p.name for p in target.parent.iterdir()) == ["cramps.csv"]


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_a_full_disk_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    target = tmp_path / "cramps.csv"
    files.write_atomic(target, b"old")

    def full(*args: object, **kwargs: object) -> object:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m, pytest.raises(OSError, match="No space"):
        m.setattr(files.os, where, full)
        files.write_atomic(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["cramps.csv"]


def test_imports_are_listed_once_each(tmp_path: Path) -> None:
    book = files.Journal(tmp_path / "s.sqlite.journal")
    assert book.add_imports("ann", ["/a", "/b"]) is True
    assert book.add_imports("ann", ["/b", "/c", "/bad\nname"]) is True
    assert book.add_imports("ann", ["/a"]) is False
    assert book.read_imports("ann") == ["/a", "/b", "/c"]
    text = (book.folder("ann") / "imports.txt").read_text()
    assert text.splitlines()[1:] == ["/a", "/b", "/c"]  # one path a line, after a comment
