"""What a reader recovers from an old paper: the contract between the readers
(docx_read, pdf_read, ocr, text_read), the header parser and the importer.

A reader turns one file's bytes into a ``Recovered``: its text as blocks in reading
order (paragraphs, and tables whose cells keep the two-column header apart), the
encoding it found, whether OCR was used, and for Word-like originals a Unicode copy of
the document (legacy fonts decoded, Times New Roman) that prints correctly. A file that
cannot be read raises ``UnreadableFile`` with a reason a person can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from docgen.errors import DocgenError, ExitStatus
from docgen.i18n import Msg

Encoding = Literal["unicode", "tcvn3", "vni", "viqr", "mixed"]
"""What the text was typed in: one encoding, or "mixed" when several were found
(a Unicode header over a TCVN3 body, say)."""

Source = Literal["docx", "doc", "odt", "rtf", "txt", "pdf", "scan", "image"]
"""How the text was read: a Word-like file, plain text, a PDF's text layer, or OCR of a
scanned PDF ("scan") or of images ("image")."""


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or one OCR line) of recovered text, NFC."""

    text: str
    bold: bool = False  # every letter bold (a type name, the trích yếu); unknown: False
    centered: bool = False  # centred (or, from OCR, about centred on the page)
    upper: bool = False  # drawn in capitals (all letters uppercase, or an H font)


@dataclass(frozen=True)
class Table:
    """A table: rows of cells, each cell's paragraphs joined with "\\n". The HD 36 header
    is a two-column table in Word files; readers of PDFs and scans build the same shape
    from word positions (left column, right column)."""

    rows: tuple[tuple[str, ...], ...]


Block = Paragraph | Table


@dataclass(frozen=True)
class OcrInfo:
    engine: str  # "tesseract 5.3.0"
    lang: str  # "vie"
    pages: int
    confidence: float  # mean word confidence, 0..1
    dpi: int = 0  # resolution the pages were read at (0: the image's own)


@dataclass
class Recovered:
    """Everything one reader recovered from one file."""

    blocks: list[Block]
    encoding: Encoding
    source: Source
    pages: int | None = None
    ocr: OcrInfo | None = None
    unicode_docx: bytes | None = None  # Word-like originals: the Unicode reading copy
    print_pdf: bytes | None = None  # images: a PDF of them (a PDF original prints as is)
    notes: list[Msg] = field(default_factory=list)  # what a reviewer should know

    def text(self) -> str:
        """The plain text, one paragraph a line, table cells in reading order (row by
        row, cell by cell, as docgen.docxtext does for filed papers), empty lines dropped."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                for row in block.rows:
                    for cell in row:
                        lines.extend(cell.split("\n"))
        return "\n".join(line for line in lines if line.strip())


class UnreadableFile(DocgenError):
    """A file docgen cannot import (corrupt, encrypted, empty, too large, of an unknown
    type, a zip bomb): the report names it with ``message`` and ``hint``."""

    exit_code = ExitStatus.INPUT


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may be told. ``encoding``: "auto" (fonts, then statistics), or one
    forced for text without fonts ("unicode", "tcvn3", "vni", "viqr": VIQR only when
    asked, since "?" and "." are ambiguous)."""

    encoding: str = "auto"
    ocr_lang: str = "vie"
    ocr_dpi: int = 200
    max_bytes: int = 200 * 1024 * 1024  # a file larger than this is refused
    max_unpacked: int = 512 * 1024 * 1024  # a .docx unpacking to more is a zip bomb
    max_pages: int = 500  # pages OCR'd per file
    timeout: float = 300.0  # seconds for one external program (LibreOffice, tesseract)
