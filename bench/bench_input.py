"""Input-reading benchmark: docgen's reader against PyYAML and json on the same files.

    .venv/bin/python bench/bench_input.py [--repeat 15]

Times, interleaved and in one run, reading each file with docgen
(``docgen.model.files.read_mapping_lines``: read, decode, YAML 1.2 scalars, the limits,
the line of every field, NFC) against a baseline measured on the same machine in the same
run:

- a YAML file at the size limit (``MAX_FILE_BYTES``, 1 MiB; the same shape as
  tests/model/test_input_read.py's) against ``yaml.load(text, Loader=yaml.CSafeLoader)``
  (libyaml, no line map; PyYAML's pure-Python SafeLoader when libyaml is missing);
  this is the figure tests/model/test_input_read.py used to time (under 5 s there);
- the same data as JSON (cut to 1 MiB) against ``json.loads`` (docgen checks depth and
  integer size before json.loads, and maps lines afterwards);
- the shipped example examples/nghi-quyet.yaml against CSafeLoader: what one real
  document costs.

Prints medians and ratios; asserts nothing (speed targets are checked here, not in tests).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from docgen.model.files import MAX_FILE_BYTES, read_mapping_lines  # noqa: E402

EXAMPLE = REPO / "examples" / "nghi-quyet.yaml"
_FAST: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def big_yaml() -> str:
    """``kind`` and as many lists of 40 flow mappings as fit in MAX_FILE_BYTES."""
    block = "".join(f"  - {{member: m{j:02d}, reason: ốm nặng, note: \"19:30\"}}\n" for j in range(40))
    parts, size, i = ["kind: nghi-quyet\n"], len(b"kind: nghi-quyet\n"), 0
    while size + len(chunk := f"list{i}:\n{block}".encode()) <= MAX_FILE_BYTES:
        parts.append(chunk.decode())
        size, i = size + len(chunk), i + 1
    return "".join(parts)


def big_json(data: dict[str, Any]) -> str:
    keys = list(data)
    while len(json.dumps({k: data[k] for k in keys}, ensure_ascii=False).encode()) > MAX_FILE_BYTES:
        keys = keys[:-20]
    return json.dumps({k: data[k] for k in keys}, ensure_ascii=False)


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each reader")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="docgen-bench-input-") as tmp:
        folder = Path(tmp)
        big = folder / "big.yaml"
        big.write_text(big_yaml(), "utf-8")
        data, _ = read_mapping_lines(big)
        big_js = folder / "big.json"
        big_js.write_text(big_json(data), "utf-8")
        pairs: list[tuple[str, Path, Callable[[], object], Callable[[], object]]] = [
            ("YAML 1 MiB", big, lambda: read_mapping_lines(big),
             lambda: yaml.load(big.read_text("utf-8"), Loader=_FAST)),  # noqa: S506
            ("JSON 1 MiB", big_js, lambda: read_mapping_lines(big_js),
             lambda: json.loads(big_js.read_text("utf-8"))),
            ("examples/nghi-quyet.yaml", EXAMPLE, lambda: read_mapping_lines(EXAMPLE),
             lambda: yaml.load(EXAMPLE.read_text("utf-8"), Loader=_FAST)),  # noqa: S506
        ]
        mine: dict[str, list[float]] = {name: [] for name, *_ in pairs}
        base: dict[str, list[float]] = {name: [] for name, *_ in pairs}
        for _, _, ours, theirs in pairs:  # warm up
            ours()
            theirs()
        for _ in range(args.repeat):
            for name, _, ours, theirs in pairs:
                mine[name].append(timed(ours))
                base[name].append(timed(theirs))

        baseline = "CSafeLoader" if _FAST is not yaml.SafeLoader else "SafeLoader (no libyaml)"
        print(f"median of {args.repeat} runs each; YAML baseline: yaml.load(..., Loader={baseline}), "
              "JSON baseline: json.loads")
        for name, path, *_ in pairs:
            ours_ms, theirs_ms = statistics.median(mine[name]) * 1000, statistics.median(base[name]) * 1000
            ratio = ours_ms / theirs_ms if theirs_ms else float("inf")
            print(f"  {name} ({path.stat().st_size / 1024:.0f} KiB): docgen {ours_ms:8.1f} ms, "
                  f"baseline {theirs_ms:8.1f} ms, ratio {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
