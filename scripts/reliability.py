"""The long reliability runs of issue 9 (`make reliability`): SIGKILLs at random moments of
real `docgen new` and `docgen reindex` processes, and concurrent writers beside search,
list, reindex and verify loops; prints the figures and exits 1 if an invariant fails.

usage: python scripts/reliability.py [--kills 1000] [--writers 8] [--filings 100]
                                     [--concurrency 3] [--seed N] [--workdir DIR] [--keep]

The campaigns are tests/archive/reliability_campaign.py (the short versions run in
`make test`, tests/archive/test_reliability_index.py). The archives are kept when an
invariant fails (or with --keep), for inspection.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.archive.reliability_campaign import (  # noqa: E402
    concurrency_campaign,
    concurrency_rows,
    kill_campaign,
    kill_rows,
    table,
)


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000, help="SIGKILLs to land (0: skip)")
    parser.add_argument("--writers", type=int, default=8, help="concurrent writer processes")
    parser.add_argument("--filings", type=int, default=100,
                        help="filings per writer (0: skip the concurrency campaign)")
    parser.add_argument("--concurrency", type=int, default=3,
                        help="docgen processes running at a time in the kill campaign")
    parser.add_argument("--seed", type=int, default=20260310)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="folder for the archives (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the archives")
    parser.add_argument("--strict-verify", action="store_true",
                        help="a verify exiting 7 beside the writers is a failure")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="docgen-reliability-"))
    work.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    failures: list[str] = []
    findings: list[str] = []
    if args.kills > 0:
        _log(f"kill campaign: {args.kills} SIGKILLs, {args.concurrency} processes at a time, "
             f"in {work / 'kills'}")
        kills = kill_campaign(work / "kills", kills=args.kills, concurrency=args.concurrency,
                              seed=args.seed, log=_log)
        print(table(f"SIGKILLs ({work / 'kills'})", kill_rows(kills)), flush=True)
        print()
        failures += [f"kills: {f}" for f in kills.failures()]
    if args.filings > 0 and args.writers > 0:
        _log(f"concurrency campaign: {args.writers} writers × {args.filings} filings, "
             f"in {work / 'concurrency'}")
        conc = concurrency_campaign(work / "concurrency", writers=args.writers,
                                    filings=args.filings, seed=args.seed + 1, log=_log)
        print(table(f"Concurrency ({work / 'concurrency'})", concurrency_rows(conc)),
              flush=True)
        print()
        failures += [f"concurrency: {f}" for f in conc.failures(args.strict_verify)]
        if not args.strict_verify:
            findings += [f"concurrent verify exit 7: {f}" for f in conc.verify_exit7]
    print(f"total wall time {time.monotonic() - start:.0f}s")
    for finding in findings[:20]:
        print(f"NOTE {finding}")
    for failure in failures:
        print(f"FAIL {failure}")
    if failures or args.keep:
        print(f"archives kept in {work}")
    elif args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        return 1
    print("every invariant holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
