"""The import pipeline and the ``import`` / ``activities`` commands, on files written here
and on the real device files in ../shared/realdata (skipped when absent)."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from cramplog.cli.app import run
from cramplog.importer.pipeline import athlete_for_path, import_paths
from cramplog.store import Store

OWN_CSV = """start,sport,duration,distance_km,ascent_m,descent_m,hr_avg,rpe,title
2026-02-10 18:40,run,0:50:00,10.0,80,80,148,5,Evening easy
2026-02-12 07:10,treadmill,0:40:00,8.0,,,,6,Treadmill
2026-02-14 09:00,trail,2:10:00,21.5,900,880,152,7,Hills
"""


def write(p: Path, text: str) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def athlete_dir(tmp_path: Path) -> Path:
    d = tmp_path / "ann"
    write(d / "log.csv", OWN_CSV)
    return d


def test_athlete_is_named_by_option_then_folder(athlete_dir):
    assert athlete_for_path(athlete_dir, None)[0] == "ann"
    assert athlete_for_path(athlete_dir, "Ann B")[0] == "Ann B"


def test_athlete_toml_names_the_athlete_and_sets_the_zone(athlete_dir, tmp_path):
    write(
        athlete_dir / "athlete.toml",
        '[athlete]\nname = "Ann Runner"\nsex = "female"\ntimezone = "America/Denver"\n',
    )
    with Store(tmp_path / "s.sqlite") as st:
        rep = import_paths(st, [athlete_dir])
        assert rep.athletes == ["Ann Runner"]
        acts = st.activities("Ann Runner")
        prof = st.get_profile("Ann Runner")
    assert prof is not None and prof.timezone == "America/Denver"
    # 18:40 local in Denver (UTC-7 in February) is 01:40 UTC the next day,
    # but the session belongs to the local day it was run.
    first = acts[0]
    assert first.start.isoformat() == "2026-02-11T01:40:00+00:00"
    assert first.utc_offset_s == -7 * 3600
    assert first.local_date().isoformat() == "2026-02-10"


def test_second_import_parses_nothing(athlete_dir, tmp_path):
    with Store(tmp_path / "s.sqlite") as st:
        first = import_paths(st, [athlete_dir])
        second = import_paths(st, [athlete_dir])
        assert st.count_activities("ann") == 3
    assert (first.imported_files, first.activities_added) == (1, 3)
    assert (second.imported_files, second.known, second.activities_added) == (0, 1, 0)


def test_bad_file_is_reported_and_the_rest_imported(athlete_dir, tmp_path):
    write(athlete_dir / "broken.gpx", "<html><body>502 Bad Gateway</body></html>")
    (athlete_dir / "empty.fit").write_bytes(b"")
    write(athlete_dir / "readme.txt", "not an activity")
    with Store(tmp_path / "s.sqlite") as st:
        rep = import_paths(st, [athlete_dir])
        assert st.count_activities("ann") == 3
    failed = dict((Path(n).name, r) for n, r in rep.failed)
    assert set(failed) == {"broken.gpx", "empty.fit"}
    assert "empty" in failed["empty.fit"]
    assert rep.skipped_unknown == 1


def test_strava_style_zip_export(tmp_path):
    """A zip with activities.csv naming files inside it: the CSV row fills gaps only."""
    csv_text = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename\n"
        '1,"Feb 10, 2026, 1:40:00 AM",Evening easy,Run,3000,10.0,activities/1.csv\n'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("export_1/activities.csv", csv_text)
        zf.writestr(
            "export_1/activities/1.csv",
            "start,sport,duration,distance_km\n2026-02-10T01:40:00Z,run,0:50:00,10.0\n",
        )
    z = tmp_path / "export_1.zip"
    z.write_bytes(buf.getvalue())
    with Store(tmp_path / "s.sqlite") as st:
        rep = import_paths(st, [z], athlete="ann")
        acts = st.activities("ann")
    assert rep.failed == []
    assert len(acts) == 1
    assert acts[0].title == "Evening easy"  # from the summary CSV's row


def test_cli_import_and_activities_json(athlete_dir, db_path, capsys):
    assert run(["import", str(athlete_dir)]) == 0
    out, err = capsys.readouterr()
    assert out == ""  # the summary is on stderr
    assert "3 new session" in err
    assert run(["import", str(athlete_dir)]) == 0
    assert "nothing new" in capsys.readouterr().err
    assert run(["activities", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["local_date"] for r in rows] == ["2026-02-10", "2026-02-12", "2026-02-14"]
    assert rows[1]["ascent_m"] is None  # unknown stays unknown, never 0
    for key in (
        "start",
        "local_date",
        "sport",
        "duration_s",
        "distance_m",
        "ascent_m",
        "descent_m",
        "sources",
    ):
        assert key in rows[0]
    assert rows[0]["sources"] == ["log.csv"]


def test_cli_activities_csv_is_formula_safe(tmp_path, db_path, capsys):
    d = tmp_path / "eve"
    write(d / "log.csv", "start,sport,duration,title\n2026-02-10 08:00,run,0:30:00,=HYPERLINK(1)\n")
    assert run(["import", str(d)]) == 0
    assert run(["activities", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "'=HYPERLINK(1)" in out


def test_cli_missing_path_exits_2_with_one_line(db_path, capsys, tmp_path):
    assert run(["import", str(tmp_path / "nope")]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().count("\n") == 0 and "no such file or folder" in err


def test_cli_nothing_importable_exits_2(tmp_path, db_path, capsys):
    d = tmp_path / "junk"
    write(d / "a.gpx", "not xml at all")
    assert run(["import", str(d)]) == 2
    assert "failed" in capsys.readouterr().err


def test_cli_strict_fails_on_any_bad_file(athlete_dir, db_path, capsys):
    assert run(["import", "--strict", str(athlete_dir)]) == 0
    write(athlete_dir / "bad.tcx", "garbage")
    assert run(["import", str(athlete_dir)]) == 0  # the rest imported: a partial success
    assert run(["import", "--strict", str(athlete_dir)]) == 2  # failures are retried, not stored
    assert "bad.tcx" in capsys.readouterr().err


def test_cli_activities_needs_an_athlete_when_several(tmp_path, db_path, capsys):
    for name in ("a1", "a2"):
        write(tmp_path / name / "log.csv", OWN_CSV)
        assert run(["import", str(tmp_path / name)]) == 0
    capsys.readouterr()
    assert run(["activities"]) == 2
    assert "--athlete" in capsys.readouterr().err
    assert run(["activities", "--athlete", "a2", "--format", "json"]) == 0


# --- real device files -------------------------------------------------------------------


@pytest.mark.realdata
def test_import_all_realdata_then_reimport_parses_nothing(realdata, tmp_path):
    import time

    with Store(tmp_path / "s.sqlite") as st:
        first = import_paths(st, [realdata], athlete="real")
        t0 = time.perf_counter()
        second = import_paths(st, [realdata], athlete="real")
        warm = time.perf_counter() - t0
        n = st.count_activities("real")
    assert first.imported_files >= 50
    assert n >= 50
    assert second.imported_files == 0 and second.activities_added == 0
    assert second.known == first.imported_files
    # Not a timing test: a warm re-import hashes files and parses none; record the figure.
    print(f"warm re-import of realdata: {warm:.2f}s for {second.known} files")


@pytest.mark.realdata
def test_fit_and_tcx_of_the_same_run_merge(realdata, tmp_path):
    d = tmp_path / "runner"
    d.mkdir()
    for sub, name in (
        ("fit", "GoldenCheeta_GoldenCheetah__10kUNLP2014-Garmin15.fit"),
        ("tcx", "GoldenCheeta_GoldenCheetah__10kUNLP2014-Garmin15.tcx"),
    ):
        shutil.copy(realdata / sub / name, d / name)
    with Store(tmp_path / "s.sqlite") as st:
        rep = import_paths(st, [d])
        acts = st.activities("runner")
    assert rep.failed == []
    assert len(acts) == 1 and rep.merged == 1
    assert acts[0].source_format == "fit"
    assert len(acts[0].sources) == 2


def test_race_is_recognised_from_file_name_or_title(tmp_path):
    d = tmp_path / "ann"
    write(
        d / "2026-04-05_race_half.csv",
        "start,sport,duration,distance_km\n2026-04-05 08:00,run,1:35:00,21.1\n",
    )
    write(
        d / "log.csv",
        "start,sport,duration,distance_km,title\n"
        "2026-04-07 08:00,run,0:40:00,8,Race: Presidio 10K\n"
        "2026-04-09 08:00,run,0:40:00,8,Trace the canal path\n",
    )
    with Store(tmp_path / "s.sqlite") as st:
        import_paths(st, [d])
        races = [a.is_race for a in st.activities("ann")]
    assert races == [True, True, False]


def test_edited_cramps_csv_replaces_its_own_events_only(tmp_path, db_path, capsys):
    d = tmp_path / "ann"
    write(d / "log.csv", OWN_CSV)
    write(
        d / "cramps.csv",
        "when,muscle,timing\n2026-02-10T19:20,calf,during\n2026-02-14T10:00,hamstring,during\n",
    )
    assert run(["import", str(d)]) == 0
    assert run(["cramp", "add", "--muscle", "foot", "--when", "2026-02-12 08:00"]) == 0
    # the runner corrects a time in their file: the old row goes, the new one comes
    write(
        d / "cramps.csv",
        "when,muscle,timing\n2026-02-10T19:25,calf,during\n2026-02-14T10:00,hamstring,during\n",
    )
    assert run(["import", str(d)]) == 0
    assert "1 removed" in capsys.readouterr().err
    with Store(db_path) as st:
        got = sorted((c.when.strftime("%m-%d %H:%M"), c.muscle) for c in st.cramps("ann"))
    assert got == [("02-10 19:25", "calf"), ("02-12 08:00", "foot"), ("02-14 10:00", "hamstring")]


def test_strava_csv_alone_gives_its_sessions(tmp_path):
    """Rows naming files that are not in the export become sessions from the row itself;
    rows whose file is present only fill gaps."""
    d = tmp_path / "ann"
    write(
        d / "activities.csv",
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename\n"
        '1,"Feb 10, 2026, 1:40:00 AM",Evening easy,Run,3000,10.0,activities/1.csv\n'
        '2,"Feb 12, 2026, 3:00:00 PM",Long one,Run,7200,20.0,activities/2.fit.gz\n',
    )
    write(
        d / "activities" / "1.csv",
        "start,sport,duration,distance_km\n2026-02-10T01:40:00Z,run,0:50:00,10.0\n",
    )
    with Store(tmp_path / "s.sqlite") as st:
        rep = import_paths(st, [d])
        acts = st.activities("ann")
    assert rep.failed == []
    assert [(a.title, a.distance_m, a.source_format) for a in acts] == [
        ("Evening easy", 10_000.0, "csv"),
        ("Long one", 20_000.0, "csv"),
    ]
    assert acts[0].sources == ["activities/1.csv"]  # the file's session, titled by the row
    assert acts[1].sources == ["activities.csv"]


def test_pooled_import_stores_the_streams_the_parsers_read(tmp_path, monkeypatch):
    """Workers encode streams before sending them back; the store must hold exactly what
    parsing the file gives (through the store's float32 codec), pool or no pool."""
    import numpy as np

    import cramplog.importer.pool as parsepool
    from cramplog.ingest.read import parse_bytes
    from cramplog.store.streamcodec import decode_stream, encode_stream

    alex = Path(__file__).resolve().parents[1] / "sample_logs" / "alex"
    folder = tmp_path / "few"
    files = sorted(alex.rglob("*.fit"))[:6] + sorted(alex.rglob("strava/*.gpx"))[:3]
    for f in files:
        (folder / f.name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(f, folder / f.name)
    monkeypatch.setattr(parsepool, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(parsepool, "POOL_MIN_BYTES", 1)
    stored = {}
    for workers in (1, 2):
        with Store(tmp_path / f"s{workers}.sqlite") as st:
            import_paths(st, [folder], athlete="x", workers=workers)
            acts = st.activities("x")
            streams = st.streams([a.id for a in acts if a.id is not None])
            stored[workers] = {a.start: streams[a.id] for a in acts if a.id in streams}
    expected = {}
    for f in files:
        for act in parse_bytes(f.name, f.read_bytes()).activities:
            assert act.stream is not None
            expected[act.start] = decode_stream(encode_stream(act.stream))
    for workers in (1, 2):
        assert set(stored[workers]) == set(expected)
        for start, want in expected.items():
            got = stored[workers][start]
            np.testing.assert_array_equal(got.t_s, want.t_s)
            assert set(got.channels()) == set(want.channels())
            for name, arr in want.channels().items():
                np.testing.assert_array_equal(got.channels()[name], arr, err_msg=name)


def test_one_parse_pool_serves_several_imports(tmp_path, monkeypatch):
    """A squad's folders share one set of workers: the pool starts once, on the first job
    big enough, and every import through it stores the same as a serial import."""
    import cramplog.importer.pool as parsepool

    alex = Path(__file__).resolve().parents[1] / "sample_logs" / "alex"
    folders = []
    for i, files in enumerate(
        (sorted(alex.rglob("*.fit"))[:5], sorted(alex.rglob("strava/*.gpx"))[:4])
    ):
        d = tmp_path / f"athlete{i}"
        d.mkdir()
        for f in files:
            shutil.copy(f, d / f.name)
        folders.append(d)
    monkeypatch.setattr(parsepool, "POOL_MIN_BYTES", 1)
    with Store(tmp_path / "pooled.sqlite") as st, parsepool.ParsePool(2) as pool:
        import_paths(st, [folders[0]], pool=pool)
        first = pool._executor
        import_paths(st, [folders[1]], pool=pool)
        assert first is not None and pool._executor is first
        pooled = {n: [(a.start, a.distance_m) for a in st.activities(n)] for n in st.athletes()}
    assert pool._executor is None  # closed with the block
    with Store(tmp_path / "serial.sqlite") as st:
        import_paths(st, folders, workers=1)
        serial = {n: [(a.start, a.distance_m) for a in st.activities(n)] for n in st.athletes()}
    assert pooled == serial and sum(len(v) for v in serial.values()) == 9
