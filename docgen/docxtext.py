"""Plain text of a .docx in reading order: paragraphs and table cells (nested too)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx


def _walk(container: Any) -> Iterator[str]:
    for block in container.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    yield from _walk(cell)
        else:
            yield block.text


def document_text(document: Any) -> str:
    """Text of an open python-docx ``Document`` (no re-parse of the saved file)."""
    return "\n".join(p for p in _walk(document) if p.strip())


def docx_paragraphs(source: str | Path | bytes) -> list[str]:
    """Every paragraph's text, table cells included, in document order."""
    stream: Any = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    document = docx.Document(stream)
    return list(_walk(document))


def docx_text(source: str | Path | bytes) -> str:
    """The document's text, one paragraph a line, empty paragraphs dropped."""
    return "\n".join(p for p in docx_paragraphs(source) if p.strip())
