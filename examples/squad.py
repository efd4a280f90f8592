"""A squad's week by week: descent, cramps and warnings for every athlete of a team folder,
with cramplog's Python API and pandas (docs/python.md does the same for one athlete).

    python examples/squad.py [TEAM_FOLDER] [--db STORE] [--plot descent.png]

TEAM_FOLDER defaults to sample_logs/team; without --db the store is a temporary file. With
--plot (and matplotlib installed) one panel per athlete: weekly descent, a dotted line on
each cramp day.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

import cramplog

HERE = Path(__file__).resolve().parent


def weekly_table(result: cramplog.Analysis) -> pd.DataFrame:
    """One row per athlete and week (ending Sunday): km, descent, cramps, warnings."""
    sessions = result.activities[result.activities["counted"]]
    weeks = (
        sessions.groupby(["athlete", pd.Grouper(key="local_date", freq="W-SUN")])[
            ["distance_m", "descent_m"]
        ]
        .sum()
        .rename_axis(["athlete", "week"])
    )
    weeks["km"] = weeks.pop("distance_m") / 1000

    def per_week(frame: pd.DataFrame, column: str) -> pd.Series:
        day = frame[column].dt.normalize()
        week = day.dt.to_period("W-SUN").dt.end_time.dt.normalize()
        return frame.groupby([frame["athlete"], week.rename("week")]).size()

    cramps = per_week(result.cramps, "local_when")
    findings = result.findings
    warnings = per_week(findings[findings["severity"] == "warning"], "date")
    weeks["cramps"] = cramps.reindex(weeks.index, fill_value=0)
    weeks["warnings"] = warnings.reindex(weeks.index, fill_value=0)
    return weeks


def plot(result: cramplog.Analysis, weeks: pd.DataFrame, out: Path) -> bool:
    """One panel per athlete; False when matplotlib is not installed."""
    try:
        import matplotlib
    except ImportError:
        return False
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        len(result.athletes),
        1,
        sharex=True,
        squeeze=False,
        figsize=(8, 2 * len(result.athletes)),
        layout="constrained",
    )
    for ax, name in zip(axes[:, 0], result.athletes, strict=True):
        weeks.loc[name].plot(
            y="descent_m", ax=ax, drawstyle="steps-pre", x_compat=True, legend=False
        )
        ax.set_title(name, fontsize="small")
        ax.set_ylim(bottom=0)
        cramps = result.cramps[result.cramps["athlete"] == name]
        for day in cramps["local_when"].dt.normalize():
            ax.axvline(day, color="tab:red", linestyle=":")
    fig.supylabel("descent per week (m)")
    fig.savefig(out)
    plt.close(fig)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("team", nargs="?", type=Path, default=HERE.parent / "sample_logs/team")
    parser.add_argument("--db", type=Path, help="the store (default: a temporary file)")
    parser.add_argument("--plot", type=Path, help="write the weekly descent chart here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "cramplog.sqlite"
        try:
            result = cramplog.analyze(args.team, db=db)
        except cramplog.CramplogError as exc:
            print(f"squad.py: {exc}", file=sys.stderr)
            return 2
        weeks = weekly_table(result)
        busiest = weeks.sort_values("descent_m", ascending=False).groupby(level=0).head(1)
        print("Each athlete's week with the most descent:")
        print(busiest.round(1).to_string())
        print()
        print("Warnings and cramps per athlete:")
        totals = weeks.groupby(level=0)[["km", "descent_m"]].sum()
        findings = result.findings
        warned = findings[findings["severity"] == "warning"].groupby("athlete").size()
        totals["warnings"] = warned.reindex(totals.index, fill_value=0)
        totals["cramps"] = (
            result.cramps.groupby("athlete").size().reindex(totals.index, fill_value=0)
        )
        print(totals.round(1).to_string())
        if args.plot is not None and not plot(result, weeks, args.plot):
            print("squad.py: matplotlib is not installed; no chart", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
