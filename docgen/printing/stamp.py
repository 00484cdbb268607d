"""The visible mark on every page of a document printed with ``--force``.

A red-framed white band in the top margin of each page, drawn over the page (so no
document content can hide it) with the embedded Liberation Serif: the first line says
"BẢN KHÔNG KHỚP KIỂM TRA TOÀN VẸN", the next ones which document and what did not match;
and a large pale diagonal "BẢN KHÔNG KHỚP" under the text, so a photocopy of any part of
the page still shows it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, IndirectObject, NameObject

from docgen.printing.fonts import (
    TrueType,
    embed_font,
    font_resources,
    liberation_serif,
    nfc,
    show_text,
    wrap,
)

MM = 72 / 25.4
HEADLINE = "BẢN KHÔNG KHỚP KIỂM TRA TOÀN VẸN"
WATERMARK = "BẢN KHÔNG KHỚP"
HEAD_SIZE, DETAIL_SIZE, LEAD = 13.0, 8.0, 10.0
WATERMARK_SIZE = 64.0
BAND_TOP = 4 * MM  # from the top edge of the page (inside most printers' printable area)
PAD = 3.0


def _band(bold: TrueType, regular: TrueType, lines: Sequence[str], left: float, top: float,
          width: float) -> str:
    """PDF operators: the framed band and its text, ``top`` being the band's upper edge."""
    text_width = width - 2 * PAD - 6 * MM
    detail = [part for line in lines for part in wrap(regular, line, DETAIL_SIZE, text_width)]
    height = PAD + HEAD_SIZE + 2 + LEAD * len(detail) + PAD
    x0, y0 = left + 3 * MM, top - height
    ops = [f"q 1 1 1 rg 0.8 0 0 RG 1.5 w {x0:.2f} {y0:.2f} {width - 6 * MM:.2f} {height:.2f} re B\n",
           "0.8 0 0 rg\n"]
    y = top - PAD - HEAD_SIZE + 2
    x = left + (width - bold.text_width(HEADLINE, HEAD_SIZE)) / 2
    ops.append(show_text(bold, "DgMarkB", HEADLINE, HEAD_SIZE, x, y))
    for line in detail:
        y -= LEAD
        x = left + (width - regular.text_width(line, DETAIL_SIZE)) / 2
        ops.append(show_text(regular, "DgMarkR", line, DETAIL_SIZE, x, y))
    ops.append("Q\n")
    return "".join(ops)


def _watermark(bold: TrueType, left: float, bottom: float, width: float, height: float) -> str:
    """A large pale diagonal "BẢN KHÔNG KHỚP" under the page content (drawn first)."""
    size = min(WATERMARK_SIZE, 0.8 * math.hypot(width, height) / max(
        1.0, bold.text_width(WATERMARK, 1.0)))
    angle = math.atan2(height, width)
    cos, sin = math.cos(angle), math.sin(angle)
    half = bold.text_width(WATERMARK, size) / 2
    cx, cy = left + width / 2, bottom + height / 2
    # Start so that the text's centre (baseline raised by a third of the size) is the page's.
    x = cx - half * cos + size / 3 * sin
    y = cy - half * sin - size / 3 * cos
    glyphs = "".join(f"{bold.glyph(c):04X}" for c in nfc(WATERMARK))
    return (f"q 1 0.82 0.82 rg BT /DgMarkB {size:.1f} Tf {cos:.4f} {sin:.4f} {-sin:.4f} "
            f"{cos:.4f} {x:.2f} {y:.2f} Tm <{glyphs}> Tj ET Q\n")


def mark_pages(src: Path, lines: Sequence[str]) -> PdfWriter:
    """A copy of ``src`` with the integrity mark (headline and ``lines``) on every page."""
    writer = PdfWriter(clone_from=PdfReader(src))
    regular, bold = liberation_serif("regular"), liberation_serif("bold")
    refs = {"/DgMarkR": embed_font(writer, regular), "/DgMarkB": embed_font(writer, bold)}
    for page in writer.pages:
        fonts = font_resources(page)
        for name, ref in refs.items():
            fonts[NameObject(name)] = ref
        box = page.mediabox
        head = DecodedStreamObject()
        head.set_data((_watermark(bold, float(box.left), float(box.bottom), float(box.width),
                                  float(box.height)) + "q\n").encode("ascii"))
        head_ref: IndirectObject = writer._add_object(head)
        tail = DecodedStreamObject()
        tail.set_data(("Q\n" + _band(bold, regular, lines, float(box.left),
                                     float(box.top) - BAND_TOP, float(box.width))).encode("ascii"))
        existing = page.raw_get("/Contents") if "/Contents" in page else None
        items: list[object] = []
        if existing is not None:
            resolved = existing.get_object()
            items = list(resolved) if isinstance(resolved, ArrayObject) else [existing]
        tail_ref: IndirectObject = writer._add_object(tail)
        page[NameObject("/Contents")] = ArrayObject([head_ref, *items, tail_ref])
    return writer


def write_marked(src: Path, lines: Sequence[str], write: Callable[[Callable[[Path], object]], object]
                 ) -> None:
    """Mark ``src`` and hand the result to ``write`` (e.g. book.write_output bound to a path)."""
    writer = mark_pages(src, lines)

    def fill(tmp: Path) -> None:
        with tmp.open("wb") as fh:
            writer.write(fh)

    write(fill)
