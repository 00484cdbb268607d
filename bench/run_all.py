"""Run every benchmark in turn (make bench). Each prints its own figures and ratios.

Options are passed through per script with environment variables, e.g.
BENCH_SEARCH_ARGS="--size 100000" make bench.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ("bench_render.py", "BENCH_RENDER_ARGS"),
    ("bench_archive.py", "BENCH_ARCHIVE_ARGS"),
    ("bench_search.py", "BENCH_SEARCH_ARGS"),
    ("bench_sync.py", "BENCH_SYNC_ARGS"),
    ("bench_print.py", "BENCH_PRINT_ARGS"),
    ("bench_cli.py", "BENCH_CLI_ARGS"),
    ("bench_input.py", "BENCH_INPUT_ARGS"),
    ("bench_web.py", "BENCH_WEB_ARGS"),
    ("bench_import.py", "BENCH_IMPORT_ARGS"),
]


def main() -> int:
    failed = []
    for script, var in SCRIPTS:
        args = shlex.split(os.environ.get(var, ""))
        print(f"\n##### {script} {' '.join(args)}", flush=True)
        result = subprocess.run([sys.executable, str(HERE / script), *args], check=False)
        if result.returncode != 0:
            failed.append(script)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
