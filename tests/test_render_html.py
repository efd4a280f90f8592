"""The HTML report: parsed, not eyeballed. A synthetic season goes through the real analysis
(summary-only sessions: a base block, a distance spike, a hot week, a long downhill day, three
cramps) and the page is checked with html.parser and xml.etree on every SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cramplog.analysis.athlete import AthleteAnalysis, analyze_athlete
from cramplog.journal.cramps import link_cramps
from cramplog.model import Activity, CrampEvent, Goal, Profile
from cramplog.render.disclaimer import DISCLAIMER, WARNING_SIGNS
from cramplog.render.html import athlete_anchor, render_athlete, render_html
from cramplog.render.html_charts import CHARTS

HOSTILE = "<script>alert(1)</script>"
START = date(2026, 1, 5)


def make_report(
    name: str = "Alex",
    *,
    days: int = 120,
    cramp_days: tuple[int, ...] = (61, 89, 104),
    goal: bool = True,
    title: str = "Easy run",
    notes: str = "left calf",
) -> AthleteAnalysis:
    """A season of summary-only runs through ``analyze_athlete``."""
    profile = Profile(name=name, sex="male", hr_max=190, hr_rest=50, timezone="UTC")
    if goal:
        profile.goals = [
            Goal(
                "Mountain 50 <b>k</b>",
                START + timedelta(days=days + 20),
                distance_km=50,
                descent_m=2500,
                temperature_c=29,
            )
        ]
    acts: list[Activity] = []
    for i in range(days):
        if i % 7 in (0, 4):  # two rest days a week
            continue
        km = 8.0 + (i % 7 == 6) * 8.0 + i / 30.0
        temp = 12.0
        descent = 80.0
        if i == 61:
            km = 30.0  # spike
        if 84 <= i <= 90:
            temp = 31.0  # hot week
        if i == 104:
            descent, km = 1400.0, 24.0  # downhill day
        start = datetime.combine(START + timedelta(days=i), datetime.min.time(), UTC) + timedelta(
            hours=7
        )
        acts.append(
            Activity(
                sport="running",
                start=start,
                elapsed_s=km * 330,
                moving_s=km * 330,
                distance_m=km * 1000,
                descent_m=descent,
                ascent_m=descent,
                hr_avg=150 if i != 61 else 165,
                temp_avg_c=temp,
                temp_max_c=temp + 2,
                title=title,
                id=i + 1,
                athlete=name,
            )
        )
    cramps = [
        CrampEvent(
            when=datetime.combine(START + timedelta(days=d), datetime.min.time(), UTC)
            + timedelta(hours=9),
            muscle="calf",
            side="left",
            severity=3,
            timing="after",
            notes=notes,
            athlete=name,
        )
        for d in cramp_days
    ]
    link_cramps(cramps, acts, UTC)
    return analyze_athlete(profile, acts, cramps)


class Page(HTMLParser):
    """Collects tags, ids, links, sources, text, and the raw SVG blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "script":
            self.scripts += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(doc: str) -> Page:
    p = Page()
    p.feed(doc)
    p.close()
    return p


def svgs(doc: str) -> dict[str, ET.Element]:
    """Every inline SVG, parsed as XML, by id."""
    out = {}
    for block in re.findall(r"<svg\b.*?</svg>", doc, flags=re.S):
        el = ET.fromstring(block)
        out[el.get("id", "")] = el
    return out


SVG = "{http://www.w3.org/2000/svg}"


def by_class(el: ET.Element, cls: str) -> list[ET.Element]:
    return [e for e in el.iter() if cls in (e.get("class") or "").split()]


@pytest.fixture(scope="module")
def report() -> AthleteAnalysis:
    return make_report()


@pytest.fixture(scope="module")
def doc(report: AthleteAnalysis) -> str:
    return render_html([report])


def test_every_chart_is_present_with_marks(doc: str, report: AthleteAnalysis) -> None:
    charts = svgs(doc)
    anchor = athlete_anchor(1, "Alex")
    for name in (*CHARTS, "goal"):
        svg = charts.get(f"{anchor}-{name}")
        assert svg is not None, f"chart {name} missing"
        marks = [e for e in svg.iter() if e.tag in (f"{SVG}rect", f"{SVG}path", f"{SVG}circle")]
        assert len(marks) >= 3, f"chart {name} has no marks"
    # the data really reached the charts
    load_bars = by_class(charts[f"{anchor}-load"], "s-load")[0]
    assert len(load_bars.findall(f"{SVG}rect")) == report.sessions
    line = [
        p for p in charts[f"{anchor}-acwr"].iter(f"{SVG}path") if "s-acwr" in p.get("class", "")
    ]
    assert line and line[0].get("d", "").count("L") > 50


def test_one_cramp_marker_per_cramp_on_every_time_chart(doc: str, report: AthleteAnalysis) -> None:
    assert len(report.cramps) == 3
    days = sorted(c.local_date.isoformat() for c in report.cramps)
    charts = svgs(doc)
    anchor = athlete_anchor(1, "Alex")
    for name in CHARTS:
        markers = by_class(charts[f"{anchor}-{name}"], "cramp-marker")
        assert sorted(m.get("data-date", "") for m in markers) == days, name
        assert all("calf" in (m.findtext(f"{SVG}title") or "") for m in markers)


def test_markers_line_up_across_charts(doc: str) -> None:
    charts = svgs(doc)
    anchor = athlete_anchor(1, "Alex")
    xs = {
        name: [
            m.find(f"{SVG}line").get("x1")
            for m in by_class(charts[f"{anchor}-{name}"], "cramp-marker")
        ]
        for name in ("load", "acwr", "volume", "descent", "heat")
    }
    assert len({tuple(v) for v in xs.values()}) == 1


def test_findings_timeline_and_table(doc: str, report: AthleteAnalysis) -> None:
    assert report.findings
    svg = svgs(doc)[f"{athlete_anchor(1, 'Alex')}-findings"]
    marks = by_class(svg, "finding")
    assert len(marks) == len(report.findings)
    rules = {f.rule for f in report.findings}
    assert "CR01" in rules  # the 30 km spike
    # hover text carries the message and the evidence
    titles = [m.findtext(f"{SVG}title") or "" for m in marks]
    spike = next(f for f in report.findings if f.rule == "CR01")
    assert any(spike.message in t and "ratio" in t for t in titles)
    page = parse(doc)
    rows = [a for t, a in page.tags if t == "tr" and (a.get("id") or "").startswith("athlete-1")]
    # one row per episode: a rule's findings on days at most 3 apart (counted here by hand)
    expected = 0
    for rule in rules:
        days = sorted({f.date for f in report.findings if f.rule == rule})
        expected += 1 + sum(1 for a, b in zip(days, days[1:], strict=False) if (b - a).days > 3)
    assert len(rows) == expected < len(report.findings)
    # each timeline mark links to its table row
    links = [
        a["href"]
        for t, a in page.tags
        if t == "a" and (a.get("href") or "").startswith("#athlete-1-alex-f")
    ]
    assert links and all(href[1:] in page.ids for href in links)


def test_no_external_resources_and_no_script(doc: str) -> None:
    page = parse(doc)
    assert page.scripts == 0
    for tag, attrs in page.tags:
        for key in ("src", "href", "action", "data", "xlink:href"):
            value = attrs.get(key) or ""
            assert not re.match(r"^\s*(https?:|//|ftp:)", value, re.I), (tag, key, value)
    assert "@import" not in doc and "url(" not in doc
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", doc, re.I)
    assert "Content-Security-Policy" in doc and "default-src 'none'" in doc


def test_disclaimer_and_warning_signs(doc: str) -> None:
    text = parse(doc).plain
    assert " ".join(DISCLAIMER.split()) in text
    for sign in WARNING_SIGNS:
        assert " ".join(sign.split()) in text
    assert text.rfind("not medical advice") > text.rfind("Findings")


def test_goal_readiness_section(doc: str, report: AthleteAnalysis) -> None:
    assert report.goal is not None
    text = parse(doc).plain
    assert "Mountain 50 <b>k</b>" in text  # shown as text, not markup
    assert "<b>k</b>" not in doc
    meter = svgs(doc)[f"{athlete_anchor(1, 'Alex')}-goal"]
    assert len(by_class(meter, "meter-row")) >= 3


def test_hostile_text_is_escaped() -> None:
    rep = make_report(
        HOSTILE, days=50, cramp_days=(40,), notes=f'"><img src=x onerror=alert(1)>{HOSTILE}'
    )
    doc = render_html([rep, make_report("Bo", days=50, cramp_days=())])
    assert HOSTILE not in doc
    assert "<img" not in doc
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    page = parse(doc)
    assert page.scripts == 0
    assert HOSTILE in page.plain  # readable as text
    for el in svgs(doc).values():  # every SVG is still well-formed XML
        assert el.tag == f"{SVG}svg"
    # the anchor made from the name is safe
    assert athlete_anchor(1, HOSTILE) == "athlete-1-script-alert-1-script"


def test_team_report_opens_with_summary_linking_to_each_athlete() -> None:
    from cramplog.analysis.outcome import AthleteOutcome, overview
    from cramplog.analysis.team import team_rows

    reps = [make_report("Alex"), make_report("Bo", days=60, cramp_days=(), goal=False)]
    outcomes = [AthleteOutcome(r.athlete, r.to_dict({}), overview(r, None, None)) for r in reps]
    outcomes.append(AthleteOutcome("Cy", error="no sessions for Cy; import files first"))
    doc = render_html(reps, team=team_rows(outcomes))
    page = parse(doc)
    # sections follow the summary's order (worst first): Alex has the most warnings
    assert doc.index('data-athlete="Alex"') < doc.index('data-athlete="Bo"')
    assert render_html(reps[::-1]) == render_html(reps)
    assert "team" in page.ids
    assert doc.index('id="team"') < doc.index('class="athlete"')
    hrefs = [
        a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith("#athlete-")
    ]
    for i, r in enumerate(reps, start=1):
        anchor = athlete_anchor(i, r.athlete)
        assert f"#{anchor}" in hrefs
        assert anchor in page.ids
    assert "no sessions for Cy" in page.plain
    # both athletes' charts, with distinct ids
    ids = set(svgs(doc))
    assert f"{athlete_anchor(2, 'Bo')}-load" in ids and f"{athlete_anchor(1, 'Alex')}-load" in ids


def test_ids_are_unique_and_every_internal_link_resolves(doc: str) -> None:
    ids = re.findall(r'\sid="([^"]+)"', doc)
    assert len(ids) == len(set(ids))
    page = parse(doc)
    hrefs = [a.get("href") or "" for t, a in page.tags if t == "a"]
    assert hrefs and all(h.startswith("#") and h[1:] in page.ids for h in hrefs)


def test_single_athlete_has_no_team_table(doc: str) -> None:
    assert 'id="team"' not in doc


def test_since_trims_the_axis_and_findings(report: AthleteAnalysis) -> None:
    since = START + timedelta(days=80)
    section, ids = render_athlete(report, 1, since=since)
    charts = svgs(section)
    markers = by_class(charts[ids[0]], "cramp-marker")
    assert [m.get("data-date") for m in markers] == [
        c.local_date.isoformat() for c in report.cramps if c.local_date >= since
    ]
    dates = [m.get("data-date", "") for m in by_class(charts[f"{ids[0][:-5]}-findings"], "finding")]
    assert dates and min(dates) >= since.isoformat()


def test_deterministic(report: AthleteAnalysis) -> None:
    assert render_html([report]) == render_html([report])


def test_empty_athlete_renders() -> None:
    rep = make_report("Empty", days=0, cramp_days=(), goal=False)
    doc = render_html([rep])
    assert "No sessions in this period" in doc
    assert " ".join(DISCLAIMER.split()) in parse(doc).plain


def test_report_size_is_modest(doc: str) -> None:
    assert len(doc.encode()) < 400_000


def test_cli_report_from_paths(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``cramplog report PATH -o file`` imports, analyses and writes one HTML file."""
    from cramplog.cli.app import run

    folder = tmp_path / "casey"
    folder.mkdir()
    rows = ["start,sport,duration,distance_km,descent_m,title"]
    for i in range(40):
        d = START + timedelta(days=i)
        rows.append(
            f"{d.isoformat()} 07:00,run,{3000 + 300 * (i % 5)},{8 + (i % 5)},{100 + 10 * i},run {i}"
        )
    (folder / "activities.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "cramps.csv").write_text(
        "when,muscle,side,severity,timing,notes\n"
        f"{(START + timedelta(days=30)).isoformat()} 09:00,calf,left,2,after,{HOSTILE}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out" / "report.html"
    monkeypatch.setenv("CRAMPLOG_TODAY", (START + timedelta(days=45)).isoformat())
    code = run(["report", str(folder), "-o", str(out), "--db", str(db_path)])
    assert code == 0
    doc = out.read_text(encoding="utf-8")
    assert HOSTILE not in doc
    page = parse(doc)
    assert "casey" in page.plain
    charts = svgs(doc)
    load = charts[f"{athlete_anchor(1, 'casey')}-load"]
    assert len(by_class(load, "cramp-marker")) == 1
    # a second run reuses the store: same athlete, no PATH
    out2 = tmp_path / "again.html"
    assert run(["report", "-o", str(out2), "--db", str(db_path)]) == 0
    assert out2.read_text(encoding="utf-8") == doc


def test_cli_report_errors(tmp_path: Path, db_path: Path) -> None:
    from cramplog.cli.app import run

    assert run(["report", "-o", str(tmp_path / "x.html"), "--db", str(db_path)]) == 2
    assert (
        run(["report", "--since", "soon", "-o", str(tmp_path / "x.html"), "--db", str(db_path)])
        == 2
    )


# The planted episodes of sample_logs/alex (cramplog/samplegen/season.py): rule → days the
# findings timeline must mark.
SAMPLE_EPISODES = {
    "CR01": ["2026-02-07"],  # long run far beyond the previous 30 days
    "CR02": ["2026-03-10", "2026-03-13"],  # twelve identical days, 2026-03-02 … 13
    "CR03": ["2026-03-10", "2026-03-13"],
    "CR04": ["2026-04-05"],  # half marathon far faster than training predicts
    "CR06": ["2026-04-25"],  # downhill trail race after six flat weeks
    "CR07": ["2026-05-16"],  # first hot long session
    "CR08": ["2026-06-12"],  # four days off at peak fitness (dated on the first run back)
}


@pytest.mark.slow
def test_sample_season_shows_every_planted_episode(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import SAMPLE_LOGS

    from cramplog.cli.app import run

    folder = SAMPLE_LOGS / "alex"
    if not (folder / "athlete.toml").is_file():
        pytest.skip("sample_logs/alex is not there")
    monkeypatch.setenv("CRAMPLOG_TODAY", "2026-06-28")
    out = tmp_path / "alex.html"
    assert run(["report", str(folder), "-o", str(out), "--db", str(db_path)]) == 0
    doc = out.read_text(encoding="utf-8")
    assert len(doc.encode()) < 400_000
    anchor = athlete_anchor(1, "Alex Moreno")
    charts = svgs(doc)
    cramps = [
        line.split(",", 1)[0][:10] for line in (folder / "cramps.csv").read_text().splitlines()[1:]
    ]
    for name in CHARTS:
        markers = by_class(charts[f"{anchor}-{name}"], "cramp-marker")
        assert sorted(m.get("data-date", "") for m in markers) == sorted(cramps), name
    timeline = charts[f"{anchor}-findings"]
    marked: dict[str, set[str]] = {}
    for m in by_class(timeline, "finding"):
        title = m.findtext(f"{SVG}title") or ""
        marked.setdefault(title.split()[1], set()).add(m.get("data-date", ""))
    for rule, days in SAMPLE_EPISODES.items():
        for day in days:
            assert day in marked.get(rule, set()), (rule, day, sorted(marked.get(rule, ())))
    # the episodes show on the charts too: the downhill week and the hot week stand out
    descent = by_class(charts[f"{anchor}-descent"], "s-descent")[0]
    heights = {
        (r.findtext(f"{SVG}title") or "").split(":")[0]: float(r.get("height", 0))
        for r in descent.iter(f"{SVG}rect")
    }
    assert max(heights, key=heights.__getitem__) > "week of 2026-04"
    heat = by_class(charts[f"{anchor}-heat"], "s-heat")[0]
    hot = [(r.findtext(f"{SVG}title") or "") for r in heat.iter(f"{SVG}rect")]
    assert any(t.startswith("week of 2026-05-11") for t in hot), hot
