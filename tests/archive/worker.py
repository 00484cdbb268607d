"""Subprocess used by the crash and concurrency tests: files fake documents.

usage: python worker.py ROOT MODE N
  MODE "count": file N documents;  MODE "until": file until the archive holds N;
  MODE "batch": like "until", through Archive.batch() (the `docgen new` path).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import dataclasses  # noqa: E402

from docgen.archive import Archive  # noqa: E402
from docgen.model.meta import Fileable, RenderedDocument  # noqa: E402
from tests.archive.fakes import fake_doc  # noqa: E402
from tests.archive.fakes import render as slow_render  # noqa: E402

_SAMPLE = slow_render(fake_doc(number=1))


def render(doc: Fileable) -> RenderedDocument:
    """A real .docx rendered once, reused: most of a filing's time is then the write,
    so a kill lands mid-write often."""
    return dataclasses.replace(_SAMPLE, meta=doc.meta)


def main() -> int:
    root, mode, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    archive = Archive(root)
    user = f"worker-{sys.argv[4] if len(sys.argv) > 4 else 0}"
    print("ready", flush=True)
    if mode == "count":
        for i in range(count):
            archive.file(fake_doc(body=f"{user} {i}"), render, user)
        return 0
    if mode == "batch":
        missing = count - len(archive.list(include_withdrawn=True))
        with archive.batch() as batch:
            pending = [batch.file(fake_doc(body="batch"), render, user) for _ in range(missing)]
        for item in pending:
            item.result()
        return 0
    while len(archive.list(include_withdrawn=True)) < count:
        archive.file(fake_doc(body="crash test"), render, user)
    return 0


if __name__ == "__main__":
    sys.exit(main())
