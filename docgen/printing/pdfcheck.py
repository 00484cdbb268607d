"""Checks on PDFs LibreOffice wrote (it exits 0 on garbage)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from docgen.i18n import Msg


def pdf_pages(path: Path) -> int:
    """Number of pages of a readable PDF."""
    return len(PdfReader(path).pages)


def pdf_problem(path: Path) -> Msg | None:
    """Why ``path`` is not a usable PDF (missing, unreadable, no pages), or None."""
    if not path.is_file() or path.stat().st_size == 0:
        return Msg(f"LibreOffice không tạo ra {path.name}", f"LibreOffice did not write {path.name}")
    try:
        pages = pdf_pages(path)
    except (PyPdfError, OSError, ValueError) as exc:
        return Msg(f"PDF {path.name} không đọc được: {exc}", f"PDF {path.name} is unreadable: {exc}")
    if pages < 1:
        return Msg(f"PDF {path.name} không có trang nào", f"PDF {path.name} has no pages")
    return None
