"""The Python API (issue 16): ``cramplog.analyze`` and ``cramplog.open_store``.

The DataFrames are held against references built apart from the API: the document
``cramplog analyze --format json`` writes (parsed with ``json``), the store's own rows (read
with ``sqlite3``), and the daily load figures recomputed with pandas' ``ewm``/``rolling``
from the formulas in SCIENCE.md.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import cramplog
from cramplog.cli.app import run

REPO = Path(__file__).resolve().parents[1]
ALEX = REPO / "sample_logs" / "alex"
TEAM = REPO / "sample_logs" / "team"
TODAY = "2026-07-01"  # three days after the sample season's last session: a live log


@pytest.fixture(scope="module", autouse=True)
def pinned_today() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CRAMPLOG_TODAY", TODAY)
        mp.delenv("CRAMPLOG_DB", raising=False)
        yield


def cli_json(*args: str) -> dict[str, Any]:
    """What ``cramplog analyze ARGS --format json`` writes, parsed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(["analyze", *args, "--format", "json"])
    assert code in (0, 1), err.getvalue()
    doc: dict[str, Any] = json.loads(out.getvalue())
    return doc


class Case:
    """One folder analysed twice, each into its own store: by the CLI and by the API."""

    def __init__(self, folder: Path, tmp: Path) -> None:
        self.db = tmp / "api.sqlite"
        self.doc = cli_json(str(folder), "--db", str(tmp / "cli.sqlite"))
        self.result = cramplog.analyze(folder, db=self.db)
        self.reports = self.doc["athletes"]


@pytest.fixture(scope="module")
def alex(tmp_path_factory: pytest.TempPathFactory) -> Case:
    return Case(ALEX, tmp_path_factory.mktemp("alex"))


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Case:
    return Case(TEAM, tmp_path_factory.mktemp("team"))


@pytest.fixture(params=["alex", "team"])
def case(request: pytest.FixtureRequest) -> Case:
    got: Case = request.getfixturevalue(request.param)
    return got


# -- the document -----------------------------------------------------------------------------


def test_to_dict_is_the_cli_document(case: Case) -> None:
    assert case.result.to_dict() == case.doc
    assert case.result.athletes == [r["athlete"] for r in case.reports]
    assert case.result.errors == {}


def test_team_folder_stands_for_its_athletes(team: Case) -> None:
    assert sorted(team.result.athletes) == sorted(
        json.loads(json.dumps(r["athlete"])) for r in team.reports
    )
    assert len(team.result.athletes) == sum(1 for p in TEAM.iterdir() if p.is_dir())


def test_goal_is_the_documents_goal(case: Case) -> None:
    for r in case.reports:
        assert case.result.goal(r["athlete"]) == r["goal"]


# -- tables from the document, row for row ------------------------------------------------------


def missing(value: Any) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def same(cell: Any, value: Any) -> bool:
    if value is None:
        return missing(cell) or cell is pd.NA
    return bool(cell == value)


def check_session(row: pd.Series, ref: dict[str, Any] | None) -> None:
    if ref is None:
        assert missing(row["session_start"]) and missing(row["session_sport"])
        return
    assert row["session_start"].to_pydatetime() == datetime.fromisoformat(ref["start"])
    assert row["session_sport"] == ref["sport"] and list(row["session_sources"]) == ref["sources"]


def items(reports: list[dict[str, Any]], key: str) -> list[tuple[str, dict[str, Any]]]:
    return [(r["athlete"], item) for r in reports for item in r.get(key) or []]


def test_findings_agree_with_the_json(case: Case) -> None:
    df = case.result.findings
    expected = items(case.reports, "findings")
    assert len(df) == len(expected) > 0
    assert str(df["date"].dtype).startswith("datetime64") and df["date"].dt.tz is None
    assert str(df["session_start"].dt.tz) == "UTC"
    for (athlete, f), (_, row) in zip(expected, df.iterrows(), strict=True):
        assert row["athlete"] == athlete
        assert row["date"] == pd.Timestamp(date.fromisoformat(f["date"]))
        for field in ("rule", "name", "severity", "grade", "message"):
            assert row[field] == f[field], field
        assert row["evidence"] == f["evidence"] and list(row["sources"]) == f["sources"]
        check_session(row, f["session"])


def test_cramps_agree_with_the_json(case: Case) -> None:
    df = case.result.cramps
    expected = items(case.reports, "cramps")
    assert len(df) == len(expected) > 0
    assert str(df["when"].dt.tz) == "UTC" and df["local_when"].dt.tz is None
    for (athlete, c), (_, row) in zip(expected, df.iterrows(), strict=True):
        when = datetime.fromisoformat(c["when"])
        assert row["athlete"] == athlete
        assert row["when"].to_pydatetime() == when
        assert row["local_when"].to_pydatetime() == when.replace(tzinfo=None)
        for field in ("muscle", "side", "severity", "timing"):
            assert same(row[field], c[field]), field
        for field, rules in c["context"].items():
            assert list(row[field]) == rules
        check_session(row, c["session"])


def test_episodes_agree_with_the_json(case: Case) -> None:
    df = case.result.episodes
    expected = items(case.reports, "episodes")
    assert len(df) == len(expected) > 0
    assert list(df.columns) == [
        "athlete", "rule", "name", "start", "end", "days", "severity", "grade", "message",
        "evidence", "peak_day", "findings", "sessions",
    ]  # fmt: skip
    assert str(df["start"].dtype).startswith("datetime64") and df["start"].dt.tz is None
    for (athlete, e), (_, row) in zip(expected, df.iterrows(), strict=True):
        assert row["athlete"] == athlete
        assert row["start"] == pd.Timestamp(date.fromisoformat(e["start"]))
        assert row["end"] == pd.Timestamp(date.fromisoformat(e["end"]))
        assert row["peak_day"] == pd.Timestamp(date.fromisoformat(e["peak_day"]))
        for field in ("rule", "name", "days", "severity", "grade", "message", "findings"):
            assert row[field] == e[field], field
        assert row["evidence"] == e["evidence"]
        assert len(row["sessions"]) == len(e["sessions"])


def test_episodes_agree_with_the_json_when_present(alex: Case) -> None:
    from cramplog.analysis.outcome import AthleteOutcome
    from cramplog.api import Analysis

    report = alex.result.report("Alex Moreno")
    session = {"start": "2026-03-02T01:31:10+00:00", "sport": "running", "sources": ["a.fit"]}
    report["episodes"] = [
        {"rule": "CR02", "name": "acute_chronic_load", "start": "2026-03-05",
         "end": "2026-03-15", "days": 11, "severity": "warning", "grade": "moderate",
         "message": "ACWR at or above 1.5 for 11 days", "evidence": {"peak": 1.6},
         "sessions": [session]},
        {"rule": "CR08", "name": "taper_gap", "start": "2026-06-08", "end": "2026-06-11",
         "days": 4, "severity": "caution", "grade": "weak", "message": "4 days without a session",
         "evidence": {}, "sessions": []},
    ]  # fmt: skip
    result = Analysis(
        [AthleteOutcome(athlete="Alex Moreno", report=report)],
        db=alex.db,
        since=None,
        today=date.fromisoformat(TODAY),
    )
    df = result.episodes
    assert len(df) == 2
    for e, (_, row) in zip(report["episodes"], df.iterrows(), strict=True):
        assert row["athlete"] == "Alex Moreno"
        assert row["start"] == pd.Timestamp(e["start"]) and row["end"] == pd.Timestamp(e["end"])
        for field in ("rule", "name", "days", "severity", "grade", "message", "evidence"):
            assert row[field] == e[field], field
        assert list(row["sessions"]) == e["sessions"]
    assert str(df["start"].dtype).startswith("datetime64")


# -- tables from the analysis in this process ----------------------------------------------------


def stored_sessions(db: Path) -> list[sqlite3.Row]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return con.execute(
            "SELECT a.id, t.name AS athlete, a.start_utc, a.sport, a.elapsed_s, a.moving_s,"
            " a.distance_m,"
            " (SELECT COUNT(*) FROM activity_sources s WHERE s.activity_id = a.id) AS n_sources"
            " FROM activities a JOIN athletes t ON t.id = a.athlete_id"
        ).fetchall()
    finally:
        con.close()


def test_activities_are_the_stored_sessions(case: Case) -> None:
    df = case.result.activities
    rows = {r["id"]: r for r in stored_sessions(case.db)}
    assert sorted(df["id"]) == sorted(rows)
    assert str(df["start"].dt.tz) == "UTC" and df["local_date"].dt.tz is None
    for _, a in df.iterrows():
        r = rows[a["id"]]
        assert a["athlete"] == r["athlete"] and a["sport"] == r["sport"]
        assert a["start"].to_pydatetime() == datetime.fromisoformat(r["start_utc"])
        assert len(a["sources"]) == r["n_sources"]
        assert a["duration_s"] == (r["moving_s"] or r["elapsed_s"])
    # the sessions the analysis counted are those the document counts
    counted = df[df["counted"]].groupby("athlete").size()
    assert counted.to_dict() == {r["athlete"]: r["sessions"] for r in case.reports}
    assert set(df["load_source"]) <= {"hr", "rpe", "fallback"}


def ewma(values: pd.Series, tau: float, start: float) -> pd.Series:
    """x_t = x_{t-1} + λ(L_t − x_{t-1}), x_{-1} = start: pandas' ewm over [start, L…]."""
    alpha = 1 - math.exp(-1 / tau)
    seeded = pd.concat([pd.Series([start]), values], ignore_index=True)
    return seeded.ewm(alpha=alpha, adjust=False).mean().iloc[1:].reset_index(drop=True)


def test_daily_agrees_with_the_sessions_and_the_formulas(case: Case) -> None:
    daily = case.result.daily
    sessions = case.result.activities
    for r in case.reports:
        d = daily[daily["athlete"] == r["athlete"]].reset_index(drop=True)
        # one row per local day from the first session to the last: the days after the
        # last imported session are no data, not rest (SCIENCE.md)
        first = date.fromisoformat(r["first_day"])
        days = [first + timedelta(days=i) for i in range(len(d))]
        assert [t.date() for t in d["date"]] == days
        assert d["date"].iloc[-1].date() == date.fromisoformat(r["last_day"])
        s = sessions[(sessions["athlete"] == r["athlete"]) & sessions["counted"]]
        load = s.groupby("local_date")["load"].sum().reindex(d["date"], fill_value=0.0)
        load = load.clip(lower=0).reset_index(drop=True)
        pd.testing.assert_series_equal(d["load"], load, check_names=False)
        ctl, atl = ewma(load, 42, 0.0), ewma(load, 7, 0.0)
        pd.testing.assert_series_equal(d["ctl"], ctl, check_names=False)
        pd.testing.assert_series_equal(d["atl"], atl, check_names=False)
        pd.testing.assert_series_equal(d["tsb"], ctl - atl, check_names=False)
        seed = load.iloc[:28].mean()
        acwr = (ewma(load, 7, seed) / ewma(load, 28, seed)).where(load.index >= 28)
        pd.testing.assert_series_equal(d["acwr"], acwr, check_names=False, rtol=1e-12)
        mean, sd = load.rolling(7).mean(), load.rolling(7).std(ddof=0)
        mono = (mean / sd).clip(upper=10).where(sd > 0, (mean > 0) * 10.0).where(mean.notna())
        pd.testing.assert_series_equal(d["monotony"], mono, check_names=False, rtol=1e-9)


# -- since, errors -------------------------------------------------------------------------------


def test_since_takes_what_the_cli_takes(alex: Case, tmp_path: Path) -> None:
    doc = cli_json("--db", str(alex.db), "--since", "8w")
    for since in ("8w", date.fromisoformat(doc["since"])):
        result = cramplog.analyze(db=alex.db, since=since)
        assert result.to_dict() == doc
        assert (result.findings["date"] >= pd.Timestamp(doc["since"])).all()
        assert len(result.cramps) == len(doc["athletes"][0]["cramps"])


def cli_error(*args: str) -> str:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        assert run(["analyze", *args]) == 2
    line = err.getvalue().strip().splitlines()[-1]  # after any per-athlete lines
    assert line.startswith("cramplog: error: ")
    return line.removeprefix("cramplog: error: ")


@pytest.mark.parametrize(
    ("kind", "args", "kwargs"),
    [
        ("UsageError", ("--athlete", "Nobody"), {"athlete": "Nobody"}),
        ("UsageError", ("--since", "3 fortnights"), {"since": "3 fortnights"}),
        ("UsageError", ("--since", "2030-01-01"), {"since": "2030-01-01"}),
    ],
)
def test_errors_are_the_cli_messages(
    alex: Case, kind: str, args: tuple[str, ...], kwargs: dict[str, Any]
) -> None:
    message = cli_error("--db", str(alex.db), *args)
    with pytest.raises(cramplog.CramplogError) as raised:
        cramplog.analyze(db=alex.db, **kwargs)
    assert type(raised.value).__name__ == kind
    assert str(raised.value) == message


def test_a_missing_store_or_folder_is_the_cli_message(tmp_path: Path) -> None:
    db = tmp_path / "none.sqlite"
    with pytest.raises(cramplog.StoreError, match="no cramplog store at") as raised:
        cramplog.analyze(db=db)
    assert str(raised.value) == cli_error("--db", str(db))
    folder = tmp_path / "not-there"
    with pytest.raises(cramplog.CramplogError) as raised:
        cramplog.analyze(folder, db=db)
    assert str(raised.value) == cli_error(str(folder), "--db", str(db))


def test_an_athlete_who_fails_is_a_warning_the_others_are_analysed(tmp_path: Path) -> None:
    import shutil

    squad = tmp_path / "squad"
    shutil.copytree(TEAM / "dev", squad / "dev")
    (squad / "empty").mkdir()
    (squad / "empty" / "athlete.toml").write_text(
        '[athlete]\nname = "Empty Eve"\n', encoding="utf-8"
    )
    with pytest.warns(cramplog.CramplogWarning, match="Empty Eve"):
        result = cramplog.analyze(squad, db=tmp_path / "s.sqlite")
    assert result.athletes == ["Dev Raman"]
    assert list(result.errors) == ["Empty Eve"]
    assert result.to_dict()["errors"] == [
        {"athlete": "Empty Eve", "error": result.errors["Empty Eve"]}
    ]


# -- the store, read-only --------------------------------------------------------------------------


def test_open_store_reads_what_is_stored_and_writes_nothing(team: Case) -> None:
    before = team.db.read_bytes()
    with cramplog.open_store(team.db) as store:
        athletes = store.athletes()
        assert sorted(athletes["athlete"]) == sorted(team.result.athletes)
        con = sqlite3.connect(team.db)
        try:
            for name in athletes["athlete"]:
                (n,) = con.execute(
                    "SELECT COUNT(*) FROM activities a JOIN athletes t ON t.id = a.athlete_id"
                    " WHERE t.name = ?",
                    (name,),
                ).fetchone()
                (c,) = con.execute(
                    "SELECT COUNT(*) FROM cramps c JOIN athletes t ON t.id = c.athlete_id"
                    " WHERE t.name = ?",
                    (name,),
                ).fetchone()
                acts, cramps = store.activities(name), store.cramps(name)
                assert len(acts) == n == int(athletes.set_index("athlete").loc[name, "sessions"])
                assert len(cramps) == c
                assert acts["start"].is_monotonic_increasing
                rows = {r["id"]: r for r in stored_sessions(team.db)}
                for _, a in acts.iterrows():
                    r = rows[a["id"]]
                    assert a["start"].to_pydatetime() == datetime.fromisoformat(r["start_utc"])
                    assert a["duration_s"] == (r["moving_s"] or r["elapsed_s"])
                    assert same(a["distance_m"], r["distance_m"])
                assert str(cramps["when"].dt.tz) == "UTC"
        finally:
            con.close()
        with pytest.raises(cramplog.UsageError, match="no athlete named 'Nobody'"):
            store.activities("Nobody")
    assert team.db.read_bytes() == before
