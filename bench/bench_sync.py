"""What keeping the index in step with the archive costs (docgen.search.sync).

    .venv/bin/python bench/bench_sync.py --size 20000

Files ``--size`` documents (news articles from ../shared/corpus, as bench_search.py makes
them) into a real on-disk archive, builds the index with ``rebuild_from``, then times, each
in a fresh process as a command would run:

- the baseline: open the index and run the query mix (SearchIndex.search, no catch-up);
- docgen: the same through ``ready_index`` (the up-to-date check before answering);
- catching up after 1 and after 100 filings made behind the index's back;
- the full comparison an index without a change mark gets (stored states vs catalog).

Prints the figures and their ratios to the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_search import CORPUS, file_into_archive, load_corpus, make_docs, query_mix

from docgen.archive import Archive
from docgen.config import Settings
from docgen.search import SearchIndex, ready_index
from docgen.search.sync import STATE_FILE


def child(mode: str, root: Path) -> dict[str, float]:
    """One command's work, timed in this fresh process."""
    settings = Settings(archive_root=root)
    t0 = time.perf_counter()
    if mode == "baseline":
        index = SearchIndex(settings.index_path, aliases_path=settings.aliases_path)
    else:
        index = ready_index(settings)
    ready = time.perf_counter() - t0
    times = []
    for _label, query, filters, sort in query_mix():
        t = time.perf_counter()
        index.search(query, filters, sort=sort, limit=10)
        times.append(time.perf_counter() - t)
    return {"ready_ms": ready * 1000, "first_ms": times[0] * 1000,
            "p50_ms": statistics.median(times) * 1000, "total_ms": (time.perf_counter() - t0) * 1000}


def run_child(mode: str, root: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(root)],
                         capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout))


def timed_catch_up(root: Path) -> tuple[float, int]:
    settings = Settings(archive_root=root)
    index = SearchIndex(settings.index_path)
    archive = Archive(root)
    t0 = time.perf_counter()
    result = index.catch_up(archive)
    elapsed = time.perf_counter() - t0
    archive.close()
    index.close()
    return elapsed, result.updated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return
    docs = list(make_docs(load_corpus(CORPUS), args.size + 101))
    where = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    root = where / "archive"
    try:
        filing = file_into_archive(root, docs[:args.size])
        t0 = time.perf_counter()
        archive = Archive(root)
        SearchIndex(Settings(archive_root=root).index_path).rebuild_from(archive)
        archive.close()
        print(f"{args.size} documents filed in {filing:.0f} s, indexed in "
              f"{time.perf_counter() - t0:.0f} s (2-core machine shared with other jobs)")
        rows: dict[str, list[dict[str, float]]] = {"baseline": [], "docgen": []}
        for _ in range(args.runs):  # paired, alternating
            for mode in rows:
                rows[mode].append(run_child(mode, root))
        med = {m: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for m, rs in rows.items()}
        b, d = med["baseline"], med["docgen"]
        print(f"open before the first query: baseline {b['ready_ms']:.1f} ms, with the "
              f"up-to-date check {d['ready_ms']:.1f} ms (+{d['ready_ms'] - b['ready_ms']:.1f} ms)")
        print(f"whole command (open + {len(query_mix())} queries): baseline {b['total_ms']:.0f} ms, "
              f"docgen {d['total_ms']:.0f} ms, ratio {d['total_ms'] / b['total_ms']:.3f}")
        print(f"query p50: baseline {b['p50_ms']:.1f} ms, docgen {d['p50_ms']:.1f} ms")
        file_into_archive(root, docs[args.size:args.size + 1])
        one, n1 = timed_catch_up(root)
        file_into_archive(root, docs[args.size + 1:args.size + 101])
        hundred, n100 = timed_catch_up(root)
        print(f"catch-up after 1 filing behind the index's back: {one * 1000:.0f} ms ({n1} "
              f"document); after 100: {hundred * 1000:.0f} ms ({n100} documents)")
        (Settings(archive_root=root).index_path / STATE_FILE).unlink()
        full, nfull = timed_catch_up(root)
        print(f"full comparison (no change mark) over {args.size + 101} documents: {full:.1f} s "
              f"({nfull} changed); ratio to one query p50: {full * 1000 / b['p50_ms']:.0f}x")
    finally:
        shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    main()
