"""`make bench`: run every scenario module (bench/bench_*.py exposing main()), or those named on the command line."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from bench.common import machine_line


def main(argv: list[str]) -> int:
    names = argv or sorted(path.stem for path in Path(__file__).parent.glob("bench_*.py"))
    print(f"Machine: {machine_line()}\n")
    for name in names:
        module = importlib.import_module(
            f"bench.{name if name.startswith('bench_') else 'bench_' + name}"
        )
        print(f"== {module.__name__} ==")
        module.main()
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
