"""Print many archived documents into one book: order, convert what is missing, assemble."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.config import Settings
from docgen.errors import BatchError, IntegrityError, PrintError
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
from docgen.printing.cache import (
    cache_path,
    check_of,
    docx_sha256,
    integrity_error,
    marked_pdf,
    pdf_for,
)
from docgen.printing.converter import ConversionFailed, Converter
from docgen.printing.pdfcheck import pdf_problem

if TYPE_CHECKING:
    from docgen.archive.integrity import DocxCheck

ORDERS = ("date", "given")


@dataclass
class PrintReport:
    """The book and, per document id, why a document was left out."""

    book: BookReport | None = None
    failures: dict[str, Msg] = field(default_factory=dict)
    converted: int = 0
    cached: int = 0
    converter_starts: int = 0
    # Damaged or tampered documents printed anyway (--force), every page marked.
    forced: dict[str, DocxCheck] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.failures


def ordered(docs: Sequence[ArchivedDoc], order: str = "date") -> list[ArchivedDoc]:
    """Chronological (date, number, id) or as given."""
    if order == "given":
        return list(docs)
    return sorted(docs, key=lambda d: (d.meta.date, d.meta.number or 0, d.id))


class _Lazy:
    """A Converter started on the first cache miss only, or the caller's (``shared``: a
    long-lived converter, e.g. the web service's warm one, used and never closed here)."""

    def __init__(self, settings: Settings, shared: Converter | None = None) -> None:
        self.settings = settings
        self.converter: Converter | None = shared
        self.shared = shared is not None
        self.starts_before = shared.starts if shared is not None else 0

    def get(self) -> Converter:
        if self.converter is None:
            self.converter = Converter(self.settings)
        return self.converter

    def close(self) -> int:
        """The LibreOffice starts of this batch (the converter is closed unless shared)."""
        if self.converter is None:
            return 0
        if not self.shared:
            self.converter.close()
        return self.converter.starts - self.starts_before


def _pdf(doc: ArchivedDoc, lazy: _Lazy, pdfa: bool, report: PrintReport,
         check: DocxCheck | None) -> Path | None:
    try:
        hit = _hit(doc, pdfa, check)
        if hit is not None:
            report.cached += 1
            return hit
        pdf = pdf_for(doc, lazy.settings, lazy.get(), pdfa, check)
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


def _hit(doc: ArchivedDoc, pdfa: bool, check: DocxCheck | None) -> Path | None:
    """The cached PDF (keyed by the checked sha256 of an archived document), if usable."""
    target = cache_path(doc, pdfa, check.actual if check is not None else docx_sha256(doc))
    return target if pdf_problem(target) is None else None


def _forced(doc: ArchivedDoc, lazy: _Lazy, pdfa: bool, report: PrintReport, scratch: Path
            ) -> Path | None:
    dest = scratch / f"{doc.id}.pdf"
    try:
        check = marked_pdf(doc, lazy.settings, lambda fill: fill(dest), lazy.get(), pdfa)
    except PrintError as exc:
        if exc.file == str(doc.docx_path):
            report.failures[doc.id] = exc.message
            return None
        raise
    except IntegrityError as exc:  # the .docx is missing or unreadable: nothing to print
        report.failures[doc.id] = exc.message
        return None
    if check is not None:
        report.forced[doc.id] = check
    report.converted += 1
    return dest


def check_documents(docs: Sequence[ArchivedDoc]) -> dict[str, DocxCheck]:
    """The integrity check of every archived document's .docx (streamed sha256), by id."""
    checks: dict[str, DocxCheck] = {}
    for doc in docs:
        check = check_of(doc)
        if check is not None:
            checks[doc.id] = check
    return checks


def pdfs_for(docs: Sequence[ArchivedDoc], settings: Settings, pdfa: bool = False,
             progress: Callable[[str], object] | None = None, *, force: bool = False,
             scratch: Path | None = None, converter: Converter | None = None
             ) -> tuple[list[BookEntry], PrintReport]:
    """Cached or freshly converted PDFs of ``docs`` with one converter for the batch
    (``converter``: an existing one to use, left running; else one started on the first
    cache miss and closed at the end).

    Every archived document is checked first: when any .docx does not match its meta.json,
    IntegrityError (exit 7) names them all and nothing is converted. With ``force`` they
    are converted as they are, marked on every page, written to ``scratch`` (never cached)
    and listed in ``report.forced``.
    """
    checks = check_documents(docs)
    bad = [check for check in checks.values() if not check.ok]
    if bad and not force:
        raise integrity_error(bad, book=True)
    if bad and scratch is None:
        raise ValueError("pdfs_for(force=True) needs a scratch folder for the marked PDFs")
    report = PrintReport()
    entries: list[BookEntry] = []
    lazy = _Lazy(settings, converter)
    try:
        for doc in docs:
            check = checks.get(doc.id)
            if check is not None and not check.ok:
                assert scratch is not None
                pdf = _forced(doc, lazy, pdfa, report, scratch)
            else:
                pdf = _pdf(doc, lazy, pdfa, report, check)
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
    """ArchiveError (exit 6, as ``export`` refuses) when nothing matched the selection:
    no book is written; a printer is not at fault."""
    if not docs:
        from docgen.archive.filters import no_match

        raise no_match(Msg("in", "print"))


def copy_pdf(pdf: Path, out: Path) -> Path:
    """Copy ``pdf`` to ``out`` atomically (PrintError when ``out`` is not writable)."""
    check_writable(out)
    write_output(out, lambda tmp: shutil.copyfile(pdf, tmp))
    return out


def print_book(docs: Sequence[ArchivedDoc], settings: Settings, out: Path, *, cover: bool = True,
               duplex: bool = False, order: str = "date", pdfa: bool = False, toc: bool = True,
               progress: Callable[[str], object] | None = None, force: bool = False,
               converter: Converter | None = None) -> PrintReport:
    """Write one book PDF of ``docs`` to ``out``; documents that fail are reported, not fatal.

    ``converter``: an existing (e.g. warm, shared) converter to use and leave running.

    The output path is checked before any conversion; nothing is written when no document
    converts (BatchError), nor when a document is damaged or tampered (IntegrityError, exit
    7, all of them named) unless ``force``: then they are printed marked (``report.forced``).
    """
    require_documents(docs)
    check_writable(out)
    with tempfile.TemporaryDirectory(prefix="docgen-forced-") as scratch:
        entries, report = pdfs_for(ordered(docs, order), settings, pdfa, progress, force=force,
                                   scratch=Path(scratch), converter=converter)
        if not entries:
            raise _nothing_printed(report)
        report.book = build_book(entries, out, cover_for(entries) if cover else None, duplex,
                                 toc)
    report.failures.update(report.book.failures)
    return report
