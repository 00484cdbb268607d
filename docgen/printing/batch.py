"""Print many archived documents into one book: order, convert what is missing, assemble."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docgen.config import Settings
from docgen.errors import BatchError, PrintError
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc
from docgen.printing.book import (
    BookEntry,
    BookReport,
    build_book,
    check_writable,
    cover_for,
    write_output,
)
from docgen.printing.cache import cache_path, docx_sha256
from docgen.printing.converter import ConversionFailed, Converter
from docgen.printing.pdfcheck import pdf_problem

ORDERS = ("date", "given")


@dataclass
class PrintReport:
    """The book and, per document id, why a document was left out."""

    book: BookReport | None = None
    failures: dict[str, Msg] = field(default_factory=dict)
    converted: int = 0
    cached: int = 0
    converter_starts: int = 0

    @property
    def complete(self) -> bool:
        return not self.failures


def ordered(docs: Sequence[ArchivedDoc], order: str = "date") -> list[ArchivedDoc]:
    """Chronological (date, number, id) or as given."""
    if order == "given":
        return list(docs)
    return sorted(docs, key=lambda d: (d.meta.date, d.meta.number or 0, d.id))


class _Lazy:
    """A Converter started on the first cache miss only."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.converter: Converter | None = None

    def get(self) -> Converter:
        if self.converter is None:
            self.converter = Converter(self.settings)
        return self.converter

    def close(self) -> int:
        if self.converter is None:
            return 0
        self.converter.close()
        return self.converter.starts


def _pdf(doc: ArchivedDoc, lazy: _Lazy, pdfa: bool, report: PrintReport) -> Path | None:
    try:
        target = cache_path(doc, pdfa, docx_sha256(doc))
        if pdf_problem(target) is None:
            report.cached += 1
            return target
        pdf = lazy.get().convert(doc.docx_path, target, pdfa)
    except ConversionFailed as exc:
        report.failures[doc.id] = exc.message
        return None
    except PrintError as exc:
        if exc.file == str(doc.docx_path):
            report.failures[doc.id] = exc.message
            return None
        raise
    report.converted += 1
    return pdf


def pdfs_for(docs: Sequence[ArchivedDoc], settings: Settings, pdfa: bool = False,
             progress: Callable[[str], object] | None = None) -> tuple[list[BookEntry], PrintReport]:
    """Cached or freshly converted PDFs of ``docs`` with one converter for the batch."""
    report = PrintReport()
    entries: list[BookEntry] = []
    lazy = _Lazy(settings)
    try:
        for doc in docs:
            pdf = _pdf(doc, lazy, pdfa, report)
            if pdf is not None:
                entries.append(BookEntry(doc.id, doc.meta, pdf))
            if progress is not None:
                progress(doc.id)
    finally:
        report.converter_starts = lazy.close()
    return entries, report


def _nothing_printed(report: PrintReport) -> BatchError:
    return BatchError(
        Msg(f"không văn bản nào chuyển được sang PDF ({len(report.failures)} lỗi); chưa ghi sổ",
            f"no document could be converted to PDF ({len(report.failures)} failed); no book written"),
        hint=Msg("xem lỗi của từng văn bản ở trên", "see each document's error above"))


def require_documents(docs: Sequence[ArchivedDoc]) -> None:
    """PrintError when nothing matched the selection."""
    if not docs:
        raise PrintError(Msg("không có văn bản nào phù hợp để in", "no documents match"),
                         hint=Msg("nới điều kiện lọc hoặc kiểm tra mã văn bản (docgen list)",
                                  "widen the filters or check the ids (docgen list)"))


def copy_pdf(pdf: Path, out: Path) -> Path:
    """Copy ``pdf`` to ``out`` atomically (PrintError when ``out`` is not writable)."""
    check_writable(out)
    write_output(out, lambda tmp: shutil.copyfile(pdf, tmp))
    return out


def print_book(docs: Sequence[ArchivedDoc], settings: Settings, out: Path, *, cover: bool = True,
               duplex: bool = False, order: str = "date", pdfa: bool = False, toc: bool = True,
               progress: Callable[[str], object] | None = None) -> PrintReport:
    """Write one book PDF of ``docs`` to ``out``; documents that fail are reported, not fatal.

    The output path is checked before any conversion; nothing is written when no document
    converts (BatchError).
    """
    require_documents(docs)
    check_writable(out)
    entries, report = pdfs_for(ordered(docs, order), settings, pdfa, progress)
    if not entries:
        raise _nothing_printed(report)
    report.book = build_book(entries, out, cover_for(entries) if cover else None, duplex, toc)
    report.failures.update(report.book.failures)
    return report
