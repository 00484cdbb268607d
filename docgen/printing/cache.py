"""The PDF cache beside each archived .docx, keyed by the .docx checksum."""

from __future__ import annotations

import hashlib
from pathlib import Path

from docgen.config import Settings
from docgen.errors import PrintError
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc
from docgen.printing.converter import ConversionFailed, Converter
from docgen.printing.pdfcheck import pdf_problem


def cache_path(doc: ArchivedDoc, pdfa: bool = False, sha256: str | None = None) -> Path:
    """Where the PDF of ``doc`` is kept: ``<folder>/cache/<docx sha256>[.pdfa].pdf``."""
    suffix = ".pdfa.pdf" if pdfa else ".pdf"
    return doc.folder / "cache" / f"{sha256 or doc.docx_sha256}{suffix}"


def docx_sha256(doc: ArchivedDoc) -> str:
    """Checksum of the .docx bytes on disk (PrintError when unreadable)."""
    digest = hashlib.sha256()
    try:
        with doc.docx_path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 16), b""):
                digest.update(block)
    except OSError as exc:
        raise PrintError(Msg(f"không đọc được .docx của văn bản {doc.id}: {exc.strerror}",
                             f"cannot read the .docx of document {doc.id}: {exc.strerror}"),
                         file=str(doc.docx_path),
                         hint=Msg("kiểm tra kho lưu trữ (docgen verify)",
                                  "check the archive (docgen verify)")) from exc
    return digest.hexdigest()


def cached_pdf(doc: ArchivedDoc, pdfa: bool = False) -> Path | None:
    """The cached PDF of the .docx now on disk, when present and readable."""
    path = cache_path(doc, pdfa, docx_sha256(doc))
    return path if pdf_problem(path) is None else None


def pdf_for(doc: ArchivedDoc, settings: Settings, converter: Converter | None = None,
            pdfa: bool = False) -> Path:
    """The PDF of ``doc``: from the cache, or converted now and cached (atomically).

    A cache hit does not start LibreOffice. The cache key is the checksum of the .docx
    bytes on disk (normally ``doc.docx_sha256``), so a changed .docx never gets a stale PDF.
    """
    target = cache_path(doc, pdfa, docx_sha256(doc))
    if pdf_problem(target) is None:
        return target
    try:
        if converter is not None:
            return converter.convert(doc.docx_path, target, pdfa)
        with Converter(settings) as own:
            return own.convert(doc.docx_path, target, pdfa)
    except ConversionFailed as exc:
        raise PrintError(exc.message, file=str(doc.docx_path),
                         hint=Msg("mở tệp .docx bằng Word/LibreOffice để kiểm tra, rồi thử lại",
                                  "open the .docx in Word/LibreOffice to check it, then retry")) from exc
