"""The reading copy of an imported PDF, scan, image or text file: its recovered text as
a Unicode .docx (Times New Roman, A4, the HD 36 margins), the header kept as a borderless
two-column table. It is what "download .docx" gives for such a paper; the original is
what prints. Word-like originals need none: their own Unicode copy is made by
docgen.importing.docx_read."""

from __future__ import annotations

import io

from docgen.importing.recovered import Paragraph, Recovered, Table

FONT = "Times New Roman"


def text_docx(rec: Recovered, original_name: str) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    footer = section.footer.paragraphs[0]
    run = footer.add_run(
        f"Bản đọc do docgen nhận dạng từ bản gốc «{_safe(original_name)}» "
        f"(bản gốc được lưu nguyên trong kho).")
    run.italic = True
    run.font.size = Pt(9)
    for block in rec.blocks:
        if isinstance(block, Paragraph):
            para = document.add_paragraph()
            para.add_run(_safe(block.text)).bold = block.bold or None
            if block.centered:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(block, Table) and block.rows:
            width = max(len(row) for row in block.rows)
            table = document.add_table(rows=0, cols=width)
            borders = OxmlElement("w:tblBorders")
            for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
                edge = OxmlElement(f"w:{side}")
                edge.set(qn("w:val"), "nil")
                borders.append(edge)
            table._tbl.tblPr.append(borders)
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=False):
                    lines = text.split("\n")
                    cell.paragraphs[0].text = _safe(lines[0])
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                    for line in lines[1:]:
                        cell.add_paragraph(_safe(line)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _safe(text: str) -> str:
    """Text XML can hold: control characters (OCR or a damaged file) dropped."""
    return "".join(ch for ch in text if ch in "\t\n" or ch >= " " and ch not in "\ufffe\uffff")
