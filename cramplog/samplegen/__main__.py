"""python -m cramplog.samplegen sample --out sample_logs
python -m cramplog.samplegen controls --out DIR
python -m cramplog.samplegen corpus --out DIR --athletes N --years Y [--seed S] [--every-second]"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import write_controls, write_corpus, write_sample


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cramplog.samplegen", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample", help="write the bundled sample (alex/ and team/)")
    s.add_argument("--out", type=Path, default=Path("sample_logs"))
    k = sub.add_parser("controls", help="write three seasons with no planted pattern")
    k.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("corpus", help="write a larger random corpus for benchmarks")
    c.add_argument("--out", type=Path, required=True)
    c.add_argument("--athletes", type=int, default=10)
    c.add_argument("--years", type=float, default=1.0)
    c.add_argument("--seed", type=int, default=0)
    c.add_argument("--every-second", action="store_true",
                   help="record a point every second, not every 1-5 s (about 2.5x the records)")  # fmt: skip
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if args.cmd == "sample":
        folders = write_sample(args.out)
    elif args.cmd == "controls":
        folders = write_controls(args.out)
    else:
        folders = write_corpus(args.out, args.athletes, args.years, args.seed, args.every_second)
    n = sum(1 for f in folders for p in f.rglob("*") if p.is_file())
    print(f"wrote {len(folders)} athlete folders, {n} files, to {args.out} "
          f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
