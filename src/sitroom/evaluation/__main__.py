"""``python -m sitroom.evaluation GOLD... [--json] [--limit N] [--workers N]``: score gold files."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

from .runner import format_table, raised_pins, run


def _writer(handle: TextIO) -> Callable[[dict[str, Any]], None]:
    def write(detail: dict[str, Any]) -> None:
        handle.write(json.dumps(detail, ensure_ascii=False) + "\n")

    return write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitroom.evaluation", description=__doc__)
    parser.add_argument("gold", nargs="+", help="JSONL dev sets and/or seed-gold.json")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N records per file")
    parser.add_argument("--workers", type=int, default=1, help="analyse in N processes")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    parser.add_argument("--pins", metavar="PINS_JSON",
                        help="print this pins file with its pins raised to the measured values (never lowered)")
    parser.add_argument("--details", metavar="OUT_JSONL",
                        help="write one line per record (id, error, missed metrics, first event) for error analysis; "
                             "it quotes dev text, so write it outside the repo")
    args = parser.parse_args(argv)
    pins = None
    if args.pins:
        with open(args.pins, encoding="utf-8") as handle:
            pins = json.load(handle)
    # With a pins file, each set is cut to the gate's own limit so the numbers are comparable.
    limits = pins.get("limits") if pins else None
    details = open(args.details, "w", encoding="utf-8") if args.details else None  # noqa: SIM115
    try:
        results = run(args.gold, limit=args.limit, progress=not args.no_progress, workers=args.workers,
                      limits=limits, on_record=_writer(details) if details else None)
    finally:
        if details:
            details.close()
    if pins is not None:
        print(json.dumps(raised_pins(results, pins), indent=1))
    elif args.json:
        print(json.dumps([r.to_dict() for r in results], indent=1))
    else:
        print(format_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
