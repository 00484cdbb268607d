"""Writes examples/giay-to-cu/: the old papers `make demo` imports (issue 13), and prints
what each is (kind, number, date).

Five papers of the example cell made by the import test set's builder
(tests/importing/corpus.py) from papers docgen renders, without any news text: a .docx
typed in TCVN3 (.VnTime/.VnTimeH), a Unicode header over a TCVN3 body (old text pasted
into a new template), a VNI-Times .doc (Word 97, saved by LibreOffice), a TCVN3 .txt and a
200-dpi scan as an image-only PDF. Needs LibreOffice and poppler (make sysdeps).

    .venv/bin/python scripts/build_old_papers.py [OUT]
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "importing"))

from corpus import build_corpus  # noqa: E402

NAMES = {
    "tcvn3-docx": "phong-VnTime.docx",
    "mixed-docx": "tieu-de-Unicode-noi-dung-TCVN3.docx",
    "vni-doc": "phong-VNI-Times.doc",
    "tcvn3-txt": "ban-go-TCVN3.txt",
    "scan": "ban-quet-200dpi.pdf",
}


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else REPO / "examples" / "giay-to-cu"
    with tempfile.TemporaryDirectory() as tmp:
        samples = build_corpus(Path(tmp) / "set", 1, seed=2005, formats=set(NAMES), news=None)
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        listed = []
        for sample in samples:
            name = NAMES[sample.format]
            shutil.copyfile(sample.path, out / name)
            head = sample.header
            listed.append({"file": name, "format": sample.format, "kind": head.kind,
                           "number": head.number, "date": head.date.isoformat()})
    print(json.dumps(listed, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
