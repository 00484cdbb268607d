"""Printing benchmark: a 100-document book, cold soffice per document vs one warm converter.

Prints: cold `soffice --convert-to pdf` per document (the baseline), a book from documents
not yet converted (one listener for the batch), a book from already-converted documents
(target < 3 s), seconds per document, the ratio (target ≥ 4×) and peak memory.

    .venv/bin/python bench/bench_print.py [--docs 100] [--cold 100]

``--cold N`` converts only N documents cold and scales to --docs (N = --docs by default).
Document bodies are paragraphs of Vietnamese news from /work/shared/corpus (read at run
time) in Times New Roman 14, 2–4 pages each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import docx  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

from docgen.config import Settings  # noqa: E402
from docgen.model.meta import ArchivedDoc, DocMeta  # noqa: E402
from docgen.printing import print_book  # noqa: E402
from docgen.vn.dates import party_date_line  # noqa: E402

CORPUS = Path("/work/shared/corpus/vn-news-6k.jsonl.gz")


def corpus_texts(count: int) -> list[str]:
    texts: list[str] = []
    if CORPUS.is_file():
        with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line).get("text", "")
                if len(text) > 2500:
                    texts.append(text)
                if len(texts) == count:
                    break
    while len(texts) < count:
        texts.append("Chi bộ thảo luận, thống nhất lãnh đạo thực hiện nhiệm vụ. " * 80)
    return texts


def build_docx(meta: DocMeta, body: str, path: Path) -> None:
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    for line in (meta.superior, meta.cell, f"Số {meta.number_text}",
                 party_date_line("An Thành", meta.date), meta.title):
        document.add_paragraph(line)
    for para in body.split("\n"):
        if para.strip():
            document.add_paragraph(para.strip())
    document.add_paragraph("THƯ KÝ\t\tCHỦ TRÌ")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def make_docs(root: Path, count: int) -> list[ArchivedDoc]:
    docs = []
    for i, text in enumerate(corpus_texts(count)):
        meta = DocMeta(kind="bien-ban-thuong-ky", cell="CHI BỘ THÔN AN THÀNH",
                       superior="ĐẢNG BỘ XÃ QUANG KIM", issuer_symbol="CB", type_symbol="BB",
                       number=i + 1, date=dt.date(2024, 1, 1) + dt.timedelta(days=3 * i),
                       title=f"BIÊN BẢN sinh hoạt chi bộ thường kỳ lần {i + 1}")
        folder = root / f"{i:03d}"
        path = folder / "document.docx"
        build_docx(meta, text[:4000], path)
        docs.append(ArchivedDoc(id=f"doc{i:03d}", meta=meta, version=1, status="current",
                                folder=folder, docx_path=path,
                                docx_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                                created_at="", created_by="bench"))
    return docs


def cold_seconds(docs: list[ArchivedDoc], out: Path, soffice: str) -> float:
    """Each document converted by its own cold `soffice --convert-to pdf` process."""
    profile = Path(tempfile.mkdtemp(prefix="bench-cold-"))

    def convert(doc: ArchivedDoc) -> None:
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out), str(doc.docx_path)],
                       check=True, capture_output=True)

    try:
        convert(docs[0])  # untimed: creates the profile, so the baseline is not inflated
        start = time.perf_counter()
        for doc in docs:
            convert(doc)
        return time.perf_counter() - start
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--cold", type=int, default=None)
    args = parser.parse_args()
    cold_n = min(args.cold or args.docs, args.docs)
    settings = Settings()
    soffice = shutil.which(settings.soffice) or settings.soffice
    with tempfile.TemporaryDirectory(prefix="bench-print-") as tmp:
        root = Path(tmp)
        docs = make_docs(root / "archive", args.docs)

        cold = cold_seconds(docs[:cold_n], root / "cold", soffice) * args.docs / cold_n

        start = time.perf_counter()
        fresh = print_book(docs, settings, root / "fresh.pdf", cover=True)
        warm = time.perf_counter() - start

        start = time.perf_counter()
        again = print_book(docs, settings, root / "again.pdf", cover=True)
        cached = time.perf_counter() - start

        assert fresh.book is not None and again.book is not None
        assert fresh.complete and again.converted == 0 and again.converter_starts == 0
        pages = fresh.book.pages
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    n = args.docs
    print(f"documents: {n}, book pages: {pages} (cover + {fresh.book.toc_pages} contents pages)")
    scaled = f" (measured on {cold_n}, scaled)" if cold_n != n else ""
    print(f"cold soffice per document:     {cold:7.2f} s total, {cold / n:.3f} s/doc{scaled}")
    print(f"book, not yet converted:       {warm:7.2f} s total, {warm / n:.3f} s/doc "
          f"(1 listener start)")
    print(f"book, already converted:       {cached:7.2f} s total, {cached / n:.3f} s/doc "
          f"(target < 3 s: {'OK' if cached < 3 else 'MISSED'})")
    print(f"speed-up vs cold:              {cold / warm:7.2f}x (target >= 4x: "
          f"{'OK' if cold / warm >= 4 else 'MISSED'})")
    print(f"peak memory: docgen {own:.0f} MB, largest child (soffice) {children:.0f} MB")


if __name__ == "__main__":
    main()
