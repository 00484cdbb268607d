"""Printing archived documents: LibreOffice conversion, PDF cache, books, CUPS.

Public API: Converter, ConversionReport, ConversionFailed, pdf_for, cache_path,
BookEntry, CoverInfo, BookReport, build_book, cover_for, outline_title, print_book,
PrintReport, Selection, select_documents, send_to_printer.
"""

from __future__ import annotations

from docgen.printing.batch import PrintReport, ordered, pdfs_for, print_book
from docgen.printing.book import (
    BookEntry,
    BookReport,
    CoverInfo,
    build_book,
    check_writable,
    cover_for,
    outline_title,
)
from docgen.printing.cache import cache_path, cached_pdf, pdf_for
from docgen.printing.converter import ConversionFailed, ConversionReport, Converter
from docgen.printing.printer import send_to_printer
from docgen.printing.select import Selection, select_documents

__all__ = [
    "BookEntry",
    "BookReport",
    "ConversionFailed",
    "ConversionReport",
    "Converter",
    "CoverInfo",
    "PrintReport",
    "Selection",
    "build_book",
    "cache_path",
    "cached_pdf",
    "check_writable",
    "cover_for",
    "ordered",
    "outline_title",
    "pdf_for",
    "pdfs_for",
    "print_book",
    "select_documents",
    "send_to_printer",
]
