"""The contract between rendering, the archive, search and printing.

Rendering produces a ``RenderedDocument`` (with its ``DocMeta``); the archive files it
and hands out ``ArchivedDoc`` views; search indexes ``ArchivedDoc`` + text; printing
converts ``ArchivedDoc.docx_path``. Keep these small and stable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from docgen.i18n import Msg


@dataclass(frozen=True)
class DocMeta:
    """What the archive, search and printing need to know about a document."""

    kind: str  # e.g. "nghi-quyet"
    cell: str  # issuer name as printed, e.g. "CHI BỘ THÔN AN THÀNH"
    superior: str  # e.g. "ĐẢNG BỘ XÃ QUANG KIM"
    issuer_symbol: str  # e.g. "CB"
    type_symbol: str  # e.g. "NQ", "BB", "KH"; "" for unnumbered kinds
    number: int | None  # None: not numbered yet (draft or to be assigned)
    date: dt.date  # the document's date (date line / meeting date)
    title: str  # type name + trích yếu, e.g. "NGHỊ QUYẾT lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2024"
    topics: tuple[str, ...] = ()  # topic ids from docgen/data/topics.yaml
    draft: bool = False
    term_start: dt.date | None = None  # start of the current committee term (numbering series)
    numbered: bool = True  # False for kinds that never carry a number (đề cương)

    @property
    def number_text(self) -> str:
        """"05-NQ/CB"; "" when unnumbered."""
        if self.number is None or not self.numbered:
            return ""
        return f"{self.number:02d}-{self.type_symbol}/{self.issuer_symbol}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "cell": self.cell, "superior": self.superior,
            "issuer_symbol": self.issuer_symbol, "type_symbol": self.type_symbol,
            "number": self.number, "number_text": self.number_text,
            "date": self.date.isoformat(), "title": self.title, "topics": list(self.topics),
            "draft": self.draft, "numbered": self.numbered,
            "term_start": self.term_start.isoformat() if self.term_start else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocMeta:
        return cls(
            kind=data["kind"], cell=data["cell"], superior=data.get("superior", ""),
            issuer_symbol=data.get("issuer_symbol", ""), type_symbol=data.get("type_symbol", ""),
            number=data.get("number"), date=dt.date.fromisoformat(data["date"]),
            title=data.get("title", ""), topics=tuple(data.get("topics", ())),
            draft=bool(data.get("draft", False)), numbered=bool(data.get("numbered", True)),
            term_start=dt.date.fromisoformat(data["term_start"]) if data.get("term_start") else None,
        )


@dataclass(frozen=True)
class RenderedDocument:
    """A rendered .docx and everything the archive files with it."""

    meta: DocMeta
    docx: bytes
    input_data: dict[str, Any]  # the normalised (NFC) input, as filed
    text: str  # plain text of the document (docgen.docxtext.docx_text)
    template_sha256: str
    warnings: tuple[Msg, ...] = ()


class Fileable(Protocol):
    """A validated input the archive can number and render (docgen.model.DocumentInput)."""

    @property
    def meta(self) -> DocMeta: ...

    def with_number(self, number: int) -> Fileable: ...


@dataclass(frozen=True)
class ArchivedDoc:
    """One archived document (its current version) as the archive hands it out."""

    id: str
    meta: DocMeta
    version: int
    status: str  # "current" | "withdrawn"
    folder: Path  # the version's folder
    docx_path: Path
    docx_sha256: str
    created_at: str  # ISO 8601 UTC
    created_by: str
    text: str = field(default="", repr=False)
    # An imported PDF, scan or image (docgen.importing): the file printed instead of a
    # conversion of the .docx (the .docx is then a reading copy of the recovered text).
    print_path: Path | None = None
    print_sha256: str = ""


class IndexHook(Protocol):
    """Brings a derived index in step with the archive after a change (docgen.search).

    It never raises: a document is filed once the archive has it. When the index cannot
    follow now (busy, read-only, full disk, damaged), the hook keeps a note for the user
    in ``notes`` and the index catches up by itself with the next command that opens it.
    """

    notes: list[Msg]

    def documents_changed(self, docs: Sequence[ArchivedDoc]) -> None:
        """The archive changed (``docs``: the versions just written); catch up."""
        ...
