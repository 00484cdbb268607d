"""Page setup applied at render time from Settings (so the margin setting works)."""

from __future__ import annotations

from typing import Any

from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from docgen.config import Margins

A4_WIDTH_MM = 210
A4_HEIGHT_MM = 297
HEADER_DISTANCE_MM = 10


def apply_page_setup(document: Any, margins: Margins) -> None:
    """A4 portrait with the configured margins; page numbers from page 2 only."""
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(A4_WIDTH_MM)
        section.page_height = Mm(A4_HEIGHT_MM)
        section.top_margin = Mm(margins.top)
        section.bottom_margin = Mm(margins.bottom)
        section.left_margin = Mm(margins.left)
        section.right_margin = Mm(margins.right)
        section.header_distance = Mm(HEADER_DISTANCE_MM)
        section.different_first_page_header_footer = True
