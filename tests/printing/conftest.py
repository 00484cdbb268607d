"""Shared helpers for the printing tests (real LibreOffice, real files)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

sys.path.insert(0, str(Path(__file__).parent))

from samples import archived, sample_meta, write_sample  # noqa: E402

from docgen.model.meta import ArchivedDoc  # noqa: E402

KINDS = ("bien-ban-thuong-ky", "bien-ban-chuyen-de", "nghi-quyet", "ke-hoach-chuyen-de",
         "de-cuong-chuyen-de")


def make_docs(root: Path, count: int, start: int = 0) -> list[ArchivedDoc]:
    """``count`` archived-looking documents, each in its own version folder."""
    docs = []
    for i in range(start, start + count):
        folder = root / f"doc{i:03d}" / "v1"
        sample = write_sample(sample_meta(i, kind=KINDS[i % len(KINDS)]), folder / "document.docx",
                              paragraphs=8 + (i % 4) * 6)
        docs.append(archived(sample, f"2024-{i:04d}", folder))
    return docs


def _fonts_of(resources: DictionaryObject) -> Iterator[DictionaryObject]:
    fonts = resources.get("/Font")
    if fonts is not None:
        for ref in fonts.get_object().values():
            yield ref.get_object()
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            obj = ref.get_object()
            if "/Resources" in obj:
                yield from _fonts_of(obj["/Resources"].get_object())


def font_descriptors(pdf: Path) -> list[tuple[str, DictionaryObject]]:
    """(font name, descriptor) of every font used by every page (descendants included)."""
    found = []
    for page in PdfReader(pdf).pages:
        for font in _fonts_of(page["/Resources"].get_object()):
            for leaf in (d.get_object() for d in font.get("/DescendantFonts", [font])):
                desc = leaf["/FontDescriptor"].get_object()
                found.append((str(desc["/FontName"]), desc))
    return found
