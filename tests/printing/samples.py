"""Sample .docx documents for the printing tests: Times New Roman 14, Vietnamese, multi-page."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from docgen.model.meta import ArchivedDoc, DocMeta
from docgen.vn.dates import party_date_line

HEADER_LEFT = "ĐẢNG BỘ XÃ QUANG KIM"
CELL = "CHI BỘ THÔN AN THÀNH"
MOTTO = "ĐẢNG CỘNG SẢN VIỆT NAM"
SIGNERS = ("Nguyễn Thị Hương", "Trần Văn Đức")
BODY = (
    "Chi bộ đã thảo luận và thống nhất lãnh đạo thực hiện nhiệm vụ phát triển kinh tế, "
    "xây dựng nông thôn mới, bảo vệ môi trường, giữ vững an ninh trật tự; đồng chí bí thư "
    "nhấn mạnh việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; "
    "ủy ban mặt trận tổ quốc phối hợp với các đoàn thể tuyên truyền người dân thực hiện."
)


@dataclass(frozen=True)
class Sample:
    meta: DocMeta
    path: Path

    @property
    def date_line(self) -> str:
        return party_date_line("An Thành", self.meta.date)


def _font(document: docx.document.Document) -> None:
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(docx.oxml.ns.qn(attr), "Times New Roman")


def _margins(document: docx.document.Document, margins: tuple[float, float, float, float]) -> None:
    top, bottom, left, right = margins
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)


def write_sample(meta: DocMeta, path: Path, paragraphs: int = 12,
                 margins: tuple[float, float, float, float] = (20, 20, 30, 15)) -> Sample:
    """A Party-style document: header, number, date line, title, body, signatures."""
    document = docx.Document()
    _font(document)
    _margins(document, margins)
    document.add_paragraph(f"{meta.superior}\t{MOTTO}")
    document.add_paragraph(meta.cell)
    if meta.number_text:
        document.add_paragraph(f"Số {meta.number_text}")
    document.add_paragraph(party_date_line("An Thành", meta.date)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    title = document.add_paragraph(meta.title)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i in range(paragraphs):
        document.add_paragraph(f"{i + 1}. {BODY}")
    document.add_paragraph("THƯ KÝ\t\tCHỦ TRÌ")
    document.add_paragraph(f"{SIGNERS[0]}\t\t{SIGNERS[1]}")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return Sample(meta, path)


def sample_meta(i: int, kind: str = "bien-ban", year: int = 2024) -> DocMeta:
    date = dt.date(year, 1, 1) + dt.timedelta(days=7 * i + 3)
    return DocMeta(
        kind=kind, cell=CELL, superior=HEADER_LEFT, issuer_symbol="CB", type_symbol="BB",
        number=i + 1, date=date,
        title=f"BIÊN BẢN họp chi bộ thường kỳ lần {i + 1} về ưu tiên đường ơ nghệ",
        topics=("ntm",),
    )


def archived(sample: Sample, doc_id: str, folder: Path | None = None) -> ArchivedDoc:
    data = sample.path.read_bytes()
    return ArchivedDoc(
        id=doc_id, meta=sample.meta, version=1, status="current",
        folder=folder or sample.path.parent, docx_path=sample.path,
        docx_sha256=hashlib.sha256(data).hexdigest(),
        created_at="2024-01-01T00:00:00Z", created_by="test",
    )
