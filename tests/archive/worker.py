"""Subprocess used by the crash and concurrency tests: files fake documents.

usage: python worker.py ROOT MODE N
  MODE "count": file N documents;  MODE "until": file until the archive holds N.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from docgen.archive import Archive  # noqa: E402
from tests.archive.fakes import fake_doc, render  # noqa: E402


def main() -> int:
    root, mode, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    archive = Archive(root)
    user = f"worker-{sys.argv[4] if len(sys.argv) > 4 else 0}"
    if mode == "count":
        for i in range(count):
            archive.file(fake_doc(body=f"{user} {i}"), render, user)
        return 0
    while len(archive.list(include_withdrawn=True)) < count:
        archive.file(fake_doc(body="crash test"), render, user)
    return 0


if __name__ == "__main__":
    sys.exit(main())
