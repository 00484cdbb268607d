"""Unit-test fakes: a Fileable and a render function that builds a small real .docx."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import docx

from docgen.docxtext import docx_text
from docgen.model.meta import DocMeta, Fileable, RenderedDocument

CELL = "CHI BỘ THÔN AN THÀNH"
TERM = dt.date(2025, 8, 20)


@dataclass(frozen=True)
class FakeDoc:
    meta: DocMeta
    body: str = "Nội dung"

    def with_number(self, number: int) -> FakeDoc:
        return dataclasses.replace(self, meta=dataclasses.replace(self.meta, number=number))


def fake_doc(kind: str = "nghi-quyet", symbol: str = "NQ", date: dt.date = dt.date(2026, 3, 10),
             number: int | None = None, draft: bool = False, topics: tuple[str, ...] = ("vsmt",),
             cell: str = CELL, body: str = "Nội dung", numbered: bool = True) -> FakeDoc:
    meta = DocMeta(kind=kind, cell=cell, superior="ĐẢNG BỘ XÃ QUANG KIM", issuer_symbol="CB",
                   type_symbol=symbol, number=number, date=date,
                   title=f"NGHỊ QUYẾT tháng {date.month} năm {date.year}", topics=topics,
                   draft=draft, term_start=TERM, numbered=numbered)
    return FakeDoc(meta, body)


def docx_bytes(title: str, body: str, date: dt.date) -> bytes:
    document = docx.Document()
    document.core_properties.created = dt.datetime(date.year, date.month, date.day)
    document.core_properties.modified = dt.datetime(date.year, date.month, date.day)
    document.add_paragraph(title)
    document.add_paragraph(body)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(doc: Fileable) -> RenderedDocument:
    meta = doc.meta
    body = getattr(doc, "body", "")
    data = docx_bytes(f"Số {meta.number_text} {meta.title}", body, meta.date)
    input_data: dict[str, Any] = {"kind": meta.kind, "date": meta.date, "number": meta.number,
                                  "draft": meta.draft, "topics": list(meta.topics),
                                  "body": body}
    return RenderedDocument(meta=meta, docx=data, input_data=input_data, text=docx_text(data),
                            template_sha256="0" * 64)


def reload(data: dict[str, Any]) -> FakeDoc:
    return dataclasses.replace(fake_doc(date=data["date"], body=data.get("body", "")),
                               ).with_number(data["number"]) if data.get("number") else \
        fake_doc(date=data["date"], body=data.get("body", ""), draft=bool(data.get("draft")))
