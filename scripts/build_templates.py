"""Generate the five .docx templates (docxtpl tags) under templates/docx/.

Run: .venv/bin/python scripts/build_templates.py [OUT_DIR]

The generated files are committed so a secretary can open and restyle them in Word or
LibreOffice. Format follows HD 36-HD/VPTW as summarised in the domain reference §1:
Times New Roman, two-column header table, type name 16 bold, trích yếu 14 bold, "-----",
body 14 justified with a first-line indent, signature blocks, page numbers from page 2.
Margins and page size are also set again at render time from Settings.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docgen.config import DEFAULT_TEMPLATES, Margins  # noqa: E402
from docgen.render.layout import apply_page_setup  # noqa: E402
from docgen.render.package import fix_core_properties, normalize_zip  # noqa: E402

FONT = "Times New Roman"
TEXT_WIDTH_MM = 165  # 210 - 30 - 15
LEFT_COL_MM = 72
RIGHT_COL_MM = TEXT_WIDTH_MM - LEFT_COL_MM
# "ĐẢNG CỘNG SẢN VIỆT NAM" in Times New Roman Bold 15 pt is about 73 mm wide; the rule
# under it (a paragraph bottom border) spans the cell minus these indents on each side.
RULE_INDENT_MM = 8
BUILD_DATE = dt.date(2026, 1, 1)

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
LEFT = WD_ALIGN_PARAGRAPH.LEFT

Doc = Any
Container = Any


def set_run_font(run: Any, size: float, bold: bool = False, italic: bool = False, underline: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def para(container: Container, text: str = "", *, size: float = 14, bold: bool = False, italic: bool = False,
         underline: bool = False, align: Any = JUSTIFY, indent: bool = True, before: float = 0,
         after: float = 6, first: bool = False) -> Any:
    """Add one paragraph with one run (tags stay in a single run)."""
    p = container.paragraphs[0] if first else container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Mm(10) if indent and align == JUSTIFY else Mm(0)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE if size > 14 or not indent else WD_LINE_SPACING.MULTIPLE
    if fmt.line_spacing_rule == WD_LINE_SPACING.MULTIPLE:
        fmt.line_spacing = 1.15
    if text:
        set_run_font(p.add_run(text), size, bold, italic, underline)
    return p


def tag(container: Container, text: str) -> Any:
    """A paragraph holding only a {%p %} tag (removed at render time)."""
    return para(container, text, indent=False, after=0, align=LEFT)


def heading(doc: Doc, text: str) -> Any:
    return para(doc, text, bold=True, indent=True, before=6)


def loop_paragraphs(doc: Doc, expr: str, text: str = "{{ p }}", **kw: Any) -> None:
    """{%p for p in expr %} text {%p endfor %}."""
    tag(doc, f"{{%p for p in {expr} %}}")
    para(doc, text, **kw)
    tag(doc, "{%p endfor %}")


def no_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def set_widths(table: Any, widths_mm: list[float]) -> None:
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def bottom_rule(paragraph: Any) -> None:
    """A solid line under the paragraph, as long as the paragraph's text box."""
    ppr = paragraph._p.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    pbdr.append(bottom)
    ppr.append(pbdr)
    paragraph.paragraph_format.left_indent = Mm(RULE_INDENT_MM)
    paragraph.paragraph_format.right_indent = Mm(RULE_INDENT_MM)


def new_document() -> Doc:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.append(lang)
    apply_page_setup(doc, Margins())
    page_number_header(doc)
    return doc


def page_number_header(doc: Doc) -> None:
    """PAGE field centred in the default header; the first-page header stays empty."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = CENTER
    run = p.add_run()
    set_run_font(run, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].text = ""


def header_block(doc: Doc, numbered: bool) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(table)
    set_widths(table, [LEFT_COL_MM, RIGHT_COL_MM])
    left, right = table.rows[0].cells
    para(left, "{{ superior }}", align=CENTER, indent=False, after=0, first=True)
    para(left, "{{ cell }}", bold=True, align=CENTER, indent=False, after=0)
    para(left, "*", align=CENTER, indent=False, after=0)
    if numbered:
        para(left, "{{ number_line }}", align=CENTER, indent=False, after=0)
    title = para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, align=CENTER, indent=False, after=6, first=True)
    bottom_rule(title)
    para(right, "{{ date_line }}", italic=True, align=CENTER, indent=False, after=0)


def title_block(doc: Doc) -> None:
    tag(doc, "{%p if draft_mark %}")
    para(doc, "{{ draft_mark }}", bold=True, align=CENTER, indent=False, before=6, after=0)
    tag(doc, "{%p endif %}")
    para(doc, "{{ type_name }}", size=16, bold=True, align=CENTER, indent=False, before=18, after=0)
    para(doc, "{{ summary }}", bold=True, align=CENTER, indent=False, after=0)
    para(doc, "-----", align=CENTER, indent=False, after=12)


def grid_table(doc: Doc, headers: list[str], cells: list[str], loop: str, widths: list[float]) -> None:
    """A bordered table whose middle row repeats with {%tr for %}."""
    tag(doc, f"{{%p if {loop.split(' in ')[1]} %}}")
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, widths)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        para(cell, text, bold=True, align=CENTER, indent=False, after=0, first=True, size=13)
    para(table.rows[1].cells[0], f"{{%tr for {loop} %}}", indent=False, after=0, first=True, align=LEFT)
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        align = CENTER if text.endswith(".index }}") else LEFT
        para(cell, text, align=align, indent=False, after=0, first=True, size=13)
    para(table.rows[3].cells[0], "{%tr endfor %}", indent=False, after=0, first=True, align=LEFT)
    tag(doc, "{%p endif %}")


def participants(doc: Doc) -> None:
    f = "figures"
    para(doc, "- Thời gian: bắt đầu lúc {{ start_text }}, {{ meeting_date_text }}.")
    para(doc, "- Địa điểm: {{ place }}.")
    para(doc, f"- Tổng số đảng viên của chi bộ: {{{{ {f}.total }}}} đồng chí; trong đó chính thức "
              f"{{{{ {f}.official }}}} đồng chí, dự bị {{{{ {f}.probationary }}}} đồng chí.")
    para(doc, "+ Số đảng viên được miễn công tác và sinh hoạt đảng: {{ figures.exempt }} đồng chí"
              "{% if figures.exempt_present_text %} (có mặt: {{ figures.exempt_present_text }}){% endif %}.")
    para(doc, "+ Số đảng viên được giới thiệu sinh hoạt tạm thời nơi khác: {{ figures.temp_out }} đồng chí.")
    para(doc, "+ Số đảng viên nơi khác sinh hoạt tạm thời tại chi bộ: {{ figures.temp_in }} đồng chí"
              "{% if figures.temp_in_present %} (có mặt {{ figures.temp_in_present }} đồng chí){% endif %}.")
    para(doc, "- Số đảng viên có mặt: {{ figures.present }} đồng chí (chính thức {{ figures.present_official }} "
              "đồng chí, dự bị {{ figures.present_probationary }} đồng chí).")
    para(doc, "- Số đảng viên vắng mặt: {{ figures.absent }} đồng chí"
              "{% if figures.absent_with_reason %}; có lý do: {{ figures.absent_with_reason_text }}{% endif %}"
              "{% if figures.absent_without_reason %}; không có lý do: {{ figures.absent_without_reason_text }}{% endif %}.")
    para(doc, "- Đại biểu dự: {% for g in guests %}{{ g.text }}{% if not loop.last %}; {% endif %}"
              "{% else %}không có{% endfor %}.")
    para(doc, "- Chủ trì: đồng chí {{ chair_name }}{% if chair_position %}, {{ chair_position }}{% endif %}.")
    para(doc, "- Thư ký: đồng chí {{ secretary_name }}{% if secretary_position %}, {{ secretary_position }}{% endif %}.")


def speeches(doc: Doc, expr: str) -> None:
    tag(doc, f"{{%p for s in {expr} %}}")
    para(doc, "- {{ s.speaker }}: {{ s.first }}")
    tag(doc, "{%p for p in s.rest %}")
    para(doc, "{{ p }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")


TASK_HEADERS = ["TT", "Nội dung công việc", "Đồng chí phụ trách", "Thời hạn", "Ghi chú"]
TASK_WIDTHS = [12.0, 66.0, 35.0, 27.0, 25.0]


def task_cells(var: str) -> list[str]:
    return [f"{{{{ {var}.index }}}}", f"{{{{ {var}.content }}}}", f"{{{{ {var}.owner }}}}",
            f"{{{{ {var}.deadline }}}}", f"{{{{ {var}.note }}}}"]


def minutes_closing(doc: Doc) -> None:
    tag(doc, "{%p if self_score %}")
    para(doc, "{{ self_score.sentence }}", before=6)
    tag(doc, "{%p endif %}")
    para(doc, "Buổi sinh hoạt kết thúc vào lúc {{ end_text }} cùng ngày. {{ read_back.sentence }}", before=6)
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    set_widths(table, [TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2])
    for cell, side in zip(table.rows[0].cells, ("left", "right"), strict=True):
        para(cell, f"{{{{ sign_{side}_label }}}}", bold=True, align=CENTER, indent=False, after=0, first=True,
             before=12)
        para(cell, "(Ký, ghi rõ họ tên)", italic=True, align=CENTER, indent=False, after=0)
        for _ in range(3):
            para(cell, "", align=CENTER, indent=False, after=0)
        para(cell, f"{{{{ sign_{side}_name }}}}", bold=True, align=CENTER, indent=False, after=0)


def signature_with_recipients(doc: Doc) -> None:
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    set_widths(table, [TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2])
    left, right = table.rows[0].cells
    para(left, "Nơi nhận:", underline=True, align=LEFT, indent=False, after=0, first=True, before=12)
    tag(left, "{%p for r in recipients %}")
    para(left, "{{ r }}", size=12, align=LEFT, indent=False, after=0)
    tag(left, "{%p endfor %}")
    para(right, "{{ authority_label }}", bold=True, align=CENTER, indent=False, after=0, first=True, before=12)
    para(right, "{{ signer_position }}", align=CENTER, indent=False, after=0)
    for _ in range(4):
        para(right, "", align=CENTER, indent=False, after=0)
    para(right, "{{ signer_name }}", bold=True, align=CENTER, indent=False, after=0)


def build_thuong_ky() -> Doc:
    doc = new_document()
    header_block(doc, numbered=True)
    title_block(doc)
    participants(doc)
    heading(doc, "I. NỘI DUNG SINH HOẠT")
    tag(doc, "{%p for a in agenda %}")
    para(doc, "{{ a.label }} {{ a.text }}")
    tag(doc, "{%p endfor %}")
    heading(doc, "II. DIỄN BIẾN BUỔI SINH HOẠT")
    speeches(doc, "proceedings")
    heading(doc, "III. KẾT LUẬN, BIỂU QUYẾT VÀ PHÂN CÔNG NHIỆM VỤ")
    tag(doc, "{%p if conclusion %}")
    para(doc, "Đồng chí chủ trì kết luận:", italic=True)
    loop_paragraphs(doc, "conclusion")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if vote %}")
    para(doc, "{{ vote.sentence }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if tasks %}")
    para(doc, "Phân công nhiệm vụ:", italic=True)
    tag(doc, "{%p endif %}")
    grid_table(doc, TASK_HEADERS, task_cells("t"), "t in tasks", TASK_WIDTHS)
    tag(doc, "{%p if self_score %}")
    heading(doc, "IV. ĐÁNH GIÁ CHẤT LƯỢNG BUỔI SINH HOẠT")
    tag(doc, "{%p endif %}")
    minutes_closing(doc)
    return doc


def build_chuyen_de_minutes() -> Doc:
    doc = new_document()
    header_block(doc, numbered=True)
    title_block(doc)
    para(doc, "Chuyên đề: “{{ topic_title }}”", bold=True, align=CENTER, indent=False, after=12)
    participants(doc)
    tag(doc, "{%p if agenda %}")
    para(doc, "Nội dung sinh hoạt:", italic=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for a in agenda %}")
    para(doc, "{{ a.label }} {{ a.text }}")
    tag(doc, "{%p endfor %}")
    heading(doc, "I. MỤC ĐÍCH, YÊU CẦU BUỔI SINH HOẠT CHUYÊN ĐỀ")
    para(doc, "Đồng chí {{ chair_name }} nêu mục đích, yêu cầu buổi sinh hoạt chuyên đề:")
    loop_paragraphs(doc, "purpose")
    heading(doc, "II. TRÌNH BÀY CHUYÊN ĐỀ")
    para(doc, "Đồng chí {{ presenter_name }} trình bày chuyên đề “{{ topic_title }}”; nội dung chính:")
    loop_paragraphs(doc, "presentation")
    heading(doc, "III. THẢO LUẬN, LIÊN HỆ BẢN THÂN VÀ ĐƠN VỊ")
    speeches(doc, "proceedings")
    speeches(doc, "discussion")
    heading(doc, "IV. KẾT LUẬN CỦA ĐỒNG CHÍ BÍ THƯ")
    loop_paragraphs(doc, "conclusion")
    tag(doc, "{%p if tasks %}")
    para(doc, "Phân công nhiệm vụ:", italic=True)
    tag(doc, "{%p endif %}")
    grid_table(doc, TASK_HEADERS, task_cells("t"), "t in tasks", TASK_WIDTHS)
    tag(doc, "{%p if vote %}")
    heading(doc, "V. BIỂU QUYẾT")
    para(doc, "{{ vote.sentence }}")
    tag(doc, "{%p endif %}")
    minutes_closing(doc)
    return doc


def build_nghi_quyet() -> Doc:
    doc = new_document()
    header_block(doc, numbered=True)
    title_block(doc)
    para(doc, "Vào lúc {{ start_text }}, {{ meeting_date_text }}, tại {{ place }}, Chi bộ tổ chức sinh hoạt "
              "thường kỳ tháng {{ month }} năm {{ year }}. Tổng số đảng viên của chi bộ {{ figures.total }} đồng chí "
              "(chính thức {{ figures.official }}, dự bị {{ figures.probationary }}); có mặt {{ figures.present }} "
              "đồng chí; vắng mặt {{ figures.absent }} đồng chí (có lý do {{ figures.absent_with_reason }}, không có "
              "lý do {{ figures.absent_without_reason }}); miễn sinh hoạt {{ figures.exempt }} đồng chí; sinh hoạt "
              "tạm thời nơi khác {{ figures.temp_out }} đồng chí. Đồng chí {{ chair_name }} chủ trì; đồng chí "
              "{{ secretary_name }} làm thư ký.")
    para(doc, "Sau khi nghe Chi ủy báo cáo kết quả thực hiện nhiệm vụ tháng {{ previous_month }} năm "
              "{{ previous_year }} và phương hướng, nhiệm vụ tháng {{ month }} năm {{ year }}, Chi bộ thảo luận, "
              "thống nhất")
    para(doc, "QUYẾT NGHỊ:", bold=True, align=CENTER, indent=False, before=6)
    heading(doc, "I. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG {{ previous_month }} NĂM {{ previous_year }}")
    tag(doc, "{%p for a in assessment %}")
    para(doc, "{{ a.label }} {{ a.heading }}", bold=True)
    tag(doc, "{%p for p in a.paragraphs %}")
    para(doc, "{{ p }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    heading(doc, "II. PHƯƠNG HƯỚNG, NHIỆM VỤ THÁNG {{ month }} NĂM {{ year }}")
    tag(doc, "{%p for d in directions %}")
    para(doc, "{{ d.label }} {{ d.heading }}", bold=True)
    tag(doc, "{%p for e in d.entries %}")
    para(doc, "{{ e.label }} {{ e.text }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    heading(doc, "III. PHÂN CÔNG NHIỆM VỤ VÀ TỔ CHỨC THỰC HIỆN")
    grid_table(doc, TASK_HEADERS, task_cells("t"), "t in assignments", TASK_WIDTHS)
    tag(doc, "{%p if self_score %}")
    heading(doc, "IV. TỰ ĐÁNH GIÁ CHẤT LƯỢNG KỲ SINH HOẠT")
    para(doc, "{{ self_score.sentence }}")
    tag(doc, "{%p endif %}")
    para(doc, "{{ vote.sentence }}", before=6)
    signature_with_recipients(doc)
    return doc


def build_ke_hoach() -> Doc:
    doc = new_document()
    header_block(doc, numbered=True)
    title_block(doc)
    tag(doc, "{%p for b in bases %}")
    para(doc, "- Căn cứ {{ b }}{% if loop.last %},{% else %};{% endif %}")
    tag(doc, "{%p endfor %}")
    para(doc, "Chi bộ xây dựng Kế hoạch {{ summary }} như sau:")
    heading(doc, "I. MỤC ĐÍCH, YÊU CẦU")
    loop_paragraphs(doc, "purpose")
    heading(doc, "II. NỘI DUNG, THỜI GIAN")
    grid_table(doc, ["TT", "Thời gian", "Tên chuyên đề", "Đồng chí chuẩn bị", "Đồng chí phụ trách", "Ghi chú"],
               ["{{ s.index }}", "{{ s.period }}", "{{ s.title }}", "{{ s.preparer }}", "{{ s.owner }}",
                "{{ s.note }}"], "s in schedule", [10.0, 20.0, 54.0, 27.0, 27.0, 27.0])
    heading(doc, "III. TỔ CHỨC THỰC HIỆN")
    loop_paragraphs(doc, "organisation")
    signature_with_recipients(doc)
    return doc


def build_de_cuong() -> Doc:
    doc = new_document()
    header_block(doc, numbered=False)
    title_block(doc)
    para(doc, "Chủ đề: “{{ topic_title }}”", bold=True, align=CENTER, indent=False, after=6)
    para(doc, "Người chuẩn bị, trình bày: đồng chí {{ presenter_name }}"
              "{% if presenter_position %}, {{ presenter_position }}{% endif %}", italic=True, align=CENTER,
         indent=False, after=12)
    heading(doc, "I. MỤC ĐÍCH, YÊU CẦU, SỰ CẦN THIẾT")
    loop_paragraphs(doc, "purpose")
    heading(doc, "II. NỘI DUNG CHÍNH")
    loop_paragraphs(doc, "content")
    heading(doc, "III. THỰC TRẠNG Ở THÔN, CHI BỘ")
    loop_paragraphs(doc, "situation")
    heading(doc, "IV. NHIỆM VỤ, GIẢI PHÁP; TRÁCH NHIỆM CỦA ĐẢNG VIÊN")
    loop_paragraphs(doc, "tasks")
    heading(doc, "V. GỢI Ý THẢO LUẬN, LIÊN HỆ BẢN THÂN")
    tag(doc, "{%p for q in questions %}")
    para(doc, "{{ q.label }} {{ q.text }}")
    tag(doc, "{%p endfor %}")
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    set_widths(table, [TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2])
    right = table.rows[0].cells[1]
    para(right, "{{ sign_right_label }}", bold=True, align=CENTER, indent=False, after=0, first=True, before=12)
    for _ in range(4):
        para(right, "", align=CENTER, indent=False, after=0)
    para(right, "{{ presenter_name }}", bold=True, align=CENTER, indent=False, after=0)
    return doc


BUILDERS: dict[str, Callable[[], Doc]] = {
    "bien-ban-thuong-ky": build_thuong_ky,
    "bien-ban-chuyen-de": build_chuyen_de_minutes,
    "nghi-quyet": build_nghi_quyet,
    "ke-hoach-chuyen-de": build_ke_hoach,
    "de-cuong-chuyen-de": build_de_cuong,
}

TITLES = {
    "bien-ban-thuong-ky": "Mẫu biên bản sinh hoạt chi bộ thường kỳ",
    "bien-ban-chuyen-de": "Mẫu biên bản sinh hoạt chuyên đề",
    "nghi-quyet": "Mẫu nghị quyết chi bộ hằng tháng",
    "ke-hoach-chuyen-de": "Mẫu kế hoạch sinh hoạt chuyên đề",
    "de-cuong-chuyen-de": "Mẫu đề cương sinh hoạt chuyên đề",
}


def template_bytes(kind: str) -> bytes:
    """The template of ``kind`` as deterministic .docx bytes."""
    doc = BUILDERS[kind]()
    fix_core_properties(doc, BUILD_DATE, TITLES[kind], kind, "docgen")
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalize_zip(buffer.getvalue(), BUILD_DATE)


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_TEMPLATES
    out_dir.mkdir(parents=True, exist_ok=True)
    for kind in BUILDERS:
        path = out_dir / f"{kind}.docx"
        path.write_bytes(template_bytes(kind))
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
