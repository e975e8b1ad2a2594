"""Run every benchmark module (``benchmarks/bench_*.py``), or those named on the command line.

    python -m benchmarks                  # all
    python -m benchmarks pages            # only bench_pages.py
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    names = sorted(path.stem for path in here.glob("bench_*.py"))
    if argv:
        wanted = {f"bench_{name.removeprefix('bench_')}" for name in argv}
        unknown = wanted - set(names)
        if unknown:
            print(f"No such benchmark: {', '.join(sorted(unknown))}. Known: {', '.join(names)}", file=sys.stderr)
            return 2
        names = [n for n in names if n in wanted]
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"benchmarks.{name}").main()
        print(f"({name} took {time.perf_counter() - started:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
