"""Start-up benchmark: how long `docgen --help` and `docgen search` take to answer.

    .venv/bin/python bench/bench_cli.py [--runs 21] [--dir DIR]

Files the five examples into a small archive (through `docgen new` in a temporary
folder), then times fresh processes, interleaved, and prints the median of each:

- `docgen --help` against `python -c "import click"` (target: ratio ≤ 2);
- `docgen search "vệ sinh môi trường"` on that archive against
  `python -c "import click, whoosh.index, whoosh.searching"` (target: ratio ≤ 1.5).

Both the wall-clock time and the CPU time (user + system, of the child process) are
measured; the CPU time is steadier on a busy machine. Every process runs with its bytecode cached, as on a user's machine after the first
run: PYTHONDONTWRITEBYTECODE is dropped and PYTHONPYCACHEPREFIX points into the
temporary folder (nothing is written into the clone), and each command runs once
before timing. Prints numbers and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
KINDS = ("nghi-quyet", "bien-ban-thuong-ky", "bien-ban-chuyen-de", "ke-hoach-chuyen-de",
         "de-cuong-chuyen-de")
QUERY = "vệ sinh môi trường"


def docgen_command() -> list[str]:
    """The installed console script next to this interpreter (what users run), else
    ``python -m docgen``."""
    script = Path(sys.executable).with_name("docgen")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "docgen"]


def environment(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "DOCGEN_LANG", "DOCGEN_CONFIG", "DOCGEN_ARCHIVE")}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def make_archive(work: Path, env: dict[str, str]) -> None:
    """Copy the examples (profile, docgen.toml, inputs) to ``work`` and file them."""
    for name in ("profile.yaml", "docgen.toml", *(f"{kind}.yaml" for kind in KINDS)):
        shutil.copy(EXAMPLES / name, work / name)
    inputs = [f"{kind}.yaml" for kind in KINDS]
    subprocess.run([*docgen_command(), "new", *inputs], cwd=work, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh process."""
    cpu, start = _cpu(), time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, _cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each command")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp folder)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="docgen-bench-cli-") as tmp:
        work = args.dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        env = environment(work)
        make_archive(work, env)
        docgen = docgen_command()
        commands = {
            "docgen --help": [*docgen, "--help"],
            'python -c "import click"': [sys.executable, "-c", "import click"],
            f'docgen search "{QUERY}"': [*docgen, "search", QUERY],
            'python -c "import click, whoosh.index, whoosh.searching"':
                [sys.executable, "-c", "import click, whoosh.index, whoosh.searching"],
        }
        for argv in commands.values():  # warm up: bytecode written, index caught up
            run_once(argv, work, env)
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                seconds, used = run_once(argv, work, env)
                wall[name].append(seconds)
                cpu[name].append(used)

    median = {name: statistics.median(values) for name, values in wall.items()}
    median_cpu = {name: statistics.median(values) for name, values in cpu.items()}
    print(f"median of {args.runs} fresh processes each ({' '.join(docgen)}):")
    print("     wall   (min–max)         CPU")
    for name, value in median.items():
        spread = f"{min(wall[name]) * 1000:.0f}–{max(wall[name]) * 1000:.0f}"
        print(f"  {value * 1000:7.1f} ms ({spread:>9} ms) {median_cpu[name] * 1000:7.1f} ms  {name}")
    names = list(median)
    for label, (mine, base), target in (("docgen --help / import click", (0, 1), 2.0),
                                        ("docgen search / import click+whoosh", (2, 3), 1.5)):
        ratio = median[names[mine]] / median[names[base]]
        ratio_cpu = median_cpu[names[mine]] / median_cpu[names[base]]
        print(f"{label}: {ratio:.2f}x wall, {ratio_cpu:.2f}x CPU (target <= {target:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
