"""The building blocks of the .docx templates (python-docx, docxtpl tags).

Each kind's module (docgen/kinds/<kind>.py) builds its template from these blocks in its
``template()`` function; ``scripts/build_templates.py`` writes every kind's template under
templates/docx/. Format follows HD 36-HD/VPTW as summarised in the domain reference §1:
Times New Roman, two-column header table, type name 16 bold, trích yếu 14 bold, "-----",
body 14 justified with a first-line indent, signature blocks, page numbers from page 2.
Margins and page size are also set again at render time from Settings.

Only the template builder imports this module (never the commands people run).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from docgen.config import Margins
from docgen.render.layout import apply_page_setup

FONT = "Times New Roman"
TABLE_SIZE = 13  # text of the bordered tables (body text is 14)
TEXT_WIDTH_MM = 165  # 210 - 30 - 15
LEFT_COL_MM = 72
RIGHT_COL_MM = TEXT_WIDTH_MM - LEFT_COL_MM
# "ĐẢNG CỘNG SẢN VIỆT NAM" in Times New Roman Bold 15 pt is about 73 mm wide; the rule
# under it (a paragraph bottom border) spans the cell minus these indents on each side.
RULE_INDENT_MM = 8

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
    set_fonts(run._element.get_or_add_rPr())


def set_fonts(rpr: Any) -> None:
    """Times New Roman for every script of a run's (or a style's) properties."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def para(container: Container, text: str = "", *, size: float = 14, bold: bool = False, italic: bool = False,
         underline: bool = False, align: Any = JUSTIFY, indent: bool = True, before: float = 0,
         after: float = 6, first: bool = False, keep_next: bool = False) -> Any:
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
    if keep_next:
        keep_with_next(p)
    return p


def tag(container: Container, text: str) -> Any:
    """A paragraph holding only a {%p %} tag (removed at render time)."""
    return para(container, text, indent=False, after=0, align=LEFT)


# --- Pagination (what keeps a printed page readable) --------------------------------------
# A heading or the line introducing a list/table keeps with what follows (w:keepNext, its
# own lines together: w:keepLines); the last body paragraph keeps with the signature table;
# no table row splits across pages (w:cantSplit) and the header row of a bordered table
# repeats on every page (w:tblHeader). docxtpl's {%tr for %} copies the row's XML, trPr
# included, so every rendered row keeps these.

TR_PR_ORDER = ("w:cantSplit", "w:trHeight", "w:tblHeader")


def keep_with_next(paragraph: Any) -> Any:
    """The paragraph stays on the page of the next one, all its lines together."""
    fmt = paragraph.paragraph_format
    fmt.keep_with_next = True
    fmt.keep_together = True
    return paragraph


def _row_flag(row: Any, name: str) -> None:
    """Add the on/off row property ``name`` (w:cantSplit, w:tblHeader) in schema order."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(name)) is not None:
        return
    flag = OxmlElement(name)
    rank = TR_PR_ORDER.index(name)
    later = [child for child in tr_pr if child.tag in {qn(n) for n in TR_PR_ORDER[rank + 1:]}]
    if later:
        later[0].addprevious(flag)
    else:
        tr_pr.append(flag)


def rows_never_split(table: Any) -> None:
    """No row of ``table`` breaks across a page (w:cantSplit on every row)."""
    for row in table.rows:
        _row_flag(row, "w:cantSplit")


def repeat_header_row(table: Any) -> None:
    """The first row repeats at the top of every page the table runs onto (w:tblHeader)."""
    _row_flag(table.rows[0], "w:tblHeader")


def keep_table_together(table: Any) -> None:
    """Rows unsplittable and every paragraph keepNext: the table stays on one page."""
    rows_never_split(table)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                keep_with_next(paragraph)


def widow_control(doc: Doc) -> None:
    """No paragraph leaves a single line alone at the foot or head of a page."""
    doc.styles["Normal"].paragraph_format.widow_control = True


def heading(doc: Doc, text: str, **kw: Any) -> Any:
    """A section heading (bold); never the last line of a page."""
    kw = {"bold": True, "indent": True, "before": 6, **kw}
    return keep_with_next(para(doc, text, **kw))


def intro(doc: Doc, text: str, **kw: Any) -> Any:
    """A paragraph introducing a list or a table ("…như sau:"); kept with what follows."""
    return keep_with_next(para(doc, text, **kw))


def loop_paragraphs(doc: Doc, expr: str, text: str = "{{ p }}", *, var: str = "p", keep_last: bool = False,
                    **kw: Any) -> None:
    """{%p for var in expr %} text {%p endfor %}.

    ``keep_last``: the last paragraph keeps with what follows (the paragraph before the
    signature table): the loop holds two copies of it, chosen by {%p if loop.last %}.
    """
    tag(doc, f"{{%p for {var} in {expr} %}}")
    if keep_last:
        tag(doc, "{%p if loop.last %}")
        keep_with_next(para(doc, text, **kw))
        tag(doc, "{%p else %}")
        para(doc, text, **kw)
        tag(doc, "{%p endif %}")
    else:
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
    set_fonts(rpr)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.append(lang)
    widow_control(doc)
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


def grid_table(doc: Doc, headers: list[str], cells: list[str], loop: str, widths: list[float]) -> Any:
    """A bordered table whose middle row repeats with {%tr for %}.

    Rows never split across pages; the header row repeats on every page and keeps with
    the first row. (The {%tr %} rows vanish at render time; the repeated row keeps its
    trPr, so every rendered row is unsplittable.)
    """
    tag(doc, f"{{%p if {loop.split(' in ')[1]} %}}")
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, widths)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        keep_with_next(para(cell, text, bold=True, align=CENTER, indent=False, after=0, first=True,
                            size=TABLE_SIZE))
    para(table.rows[1].cells[0], f"{{%tr for {loop} %}}", indent=False, after=0, first=True, align=LEFT)
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        align = CENTER if text.endswith(".index }}") else LEFT
        para(cell, text, align=align, indent=False, after=0, first=True, size=TABLE_SIZE)
    para(table.rows[3].cells[0], "{%tr endfor %}", indent=False, after=0, first=True, align=LEFT)
    rows_never_split(table)
    repeat_header_row(table)
    tag(doc, "{%p endif %}")
    return table


def signature_table(doc: Doc) -> Any:
    """The borderless one-row, two-column table of a signature block.

    Call ``keep_table_together`` once it is filled; the paragraph before it must keep with
    next (``keep_with_next``, ``loop_paragraphs(keep_last=True)``) so that the signatures
    never stand alone on a page.
    """
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    set_widths(table, [TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2])
    return table


def participants(doc: Doc) -> None:
    f = "figures"
    para(doc, "- Thời gian: bắt đầu lúc {{ start_text }}, {{ meeting_date_text }}.")
    para(doc, "- Địa điểm: {{ place }}.")
    para(doc, f"- Tổng số đảng viên của Chi bộ: {{{{ {f}.total }}}} đồng chí; trong đó chính thức "
              f"{{{{ {f}.official }}}} đồng chí, dự bị {{{{ {f}.probationary }}}} đồng chí.")
    para(doc, "+ Số đảng viên được miễn công tác và sinh hoạt đảng: "
              "{% if figures.exempt %}{{ figures.exempt }} đồng chí{% else %}không có{% endif %}"
              "{% if figures.exempt_present_text %} (có mặt: {{ figures.exempt_present_text }}"
              "{% if figures.exempt_not_voting_text %}; không biểu quyết: {{ figures.exempt_not_voting_text }}"
              "{% endif %}){% endif %}.")
    para(doc, "+ Số đảng viên được giới thiệu sinh hoạt tạm thời nơi khác: "
              "{% if figures.temp_out %}{{ figures.temp_out }} đồng chí{% else %}không có{% endif %}.")
    tag(doc, "{%p if figures.suspended %}")
    para(doc, "+ Số đảng viên đang bị đình chỉ sinh hoạt đảng: {{ figures.suspended }} đồng chí "
              "({{ figures.suspended_names_text }}).")
    tag(doc, "{%p endif %}")
    para(doc, "+ Số đảng viên nơi khác sinh hoạt tạm thời tại Chi bộ: "
              "{% if figures.temp_in %}{{ figures.temp_in }} đồng chí{% else %}không có{% endif %}"
              "{% if figures.temp_in %} ({% if figures.temp_in_present %}có mặt: {{ figures.temp_in_present_text }}"
              "{% else %}không có mặt{% endif %}){% endif %}.")
    para(doc, "- Số đảng viên có mặt: {{ figures.present }} đồng chí (chính thức {{ figures.present_official }} "
              "đồng chí, dự bị {{ figures.present_probationary }} đồng chí).")
    para(doc, "- Số đảng viên vắng mặt: {% if figures.absent %}{{ figures.absent }} đồng chí{% else %}không có"
              "{% endif %}"
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
TASK_WIDTHS = [12.0, 72.0, 28.0, 27.0, 26.0]
SCHEDULE_HEADERS = ["TT", "Thời gian", "Tên chuyên đề", "Đồng chí chuẩn bị", "Đồng chí phụ trách", "Ghi chú"]
SCHEDULE_WIDTHS = [11.0, 24.0, 52.0, 28.0, 28.0, 22.0]


def task_cells(var: str) -> list[str]:
    return [f"{{{{ {var}.index }}}}", f"{{{{ {var}.content }}}}", f"{{{{ {var}.owner }}}}",
            f"{{{{ {var}.deadline }}}}", f"{{{{ {var}.note }}}}"]


MINUTES_END = "Buổi sinh hoạt kết thúc vào lúc {{ end_text }} cùng ngày. {{ read_back.sentence }}"


def minutes_closing(doc: Doc, ending: str = MINUTES_END, self_score: bool = True) -> None:
    """The self-score (when ``self_score``), the closing sentence ``ending`` ("Buổi sinh hoạt
    kết thúc…", "Hội nghị…", "Cuộc họp…") and the THƯ KÝ / CHỦ TRÌ signatures, kept together."""
    if self_score:
        tag(doc, "{%p if self_score %}")
        para(doc, "{{ self_score.sentence }}", before=6)
        tag(doc, "{%p endif %}")
    keep_with_next(para(doc, ending, before=6))
    table = signature_table(doc)
    for cell, side in zip(table.rows[0].cells, ("left", "right"), strict=True):
        para(cell, f"{{{{ sign_{side}_label }}}}", bold=True, align=CENTER, indent=False, after=0, first=True,
             before=12)
        para(cell, "(Ký, ghi rõ họ tên)", italic=True, align=CENTER, indent=False, after=0)
        for _ in range(3):
            para(cell, "", align=CENTER, indent=False, after=0)
        para(cell, f"{{{{ sign_{side}_name }}}}", bold=True, align=CENTER, indent=False, after=0)
    keep_table_together(table)


def signature_with_recipients(doc: Doc) -> None:
    table = signature_table(doc)
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
    keep_table_together(table)




# --- Blocks of the meeting kinds -----------------------------------------------------------

def extraordinary_reason(doc: Doc) -> None:
    """An extraordinary sitting says why it was called, under the title."""
    tag(doc, "{%p if extraordinary %}")
    para(doc, "Lý do họp bất thường: {{ extraordinary_reason }}.", italic=True)
    tag(doc, "{%p endif %}")


def votes_block(doc: Doc) -> None:
    """Every vote of the sitting with its subject, count, threshold and result, and the
    denominator explained once."""
    tag(doc, "{%p if votes %}")
    intro(doc, "Kết quả biểu quyết:", italic=True)
    tag(doc, "{%p for v in votes %}")
    para(doc, "- {{ v.sentence }}")
    tag(doc, "{%p endfor %}")
    para(doc, "{{ denominator_text }}", italic=True)
    tag(doc, "{%p endif %}")


def tasks_block(doc: Doc, expr: str) -> None:
    """"Phân công nhiệm vụ:" and its table (kept together with the table's first row)."""
    tag(doc, f"{{%p if {expr} %}}")
    intro(doc, "Phân công nhiệm vụ:", italic=True)
    tag(doc, "{%p endif %}")
    grid_table(doc, TASK_HEADERS, task_cells("t"), f"t in {expr}", TASK_WIDTHS)


def topical_part(doc: Doc, number: str) -> None:
    """The topical part of a regular sitting combined with a topical session (HD 42)."""
    tag(doc, "{%p if topical %}")
    heading(doc, f"{number}. SINH HOẠT CHUYÊN ĐỀ: “{{{{ topical.title }}}}”")
    para(doc, "Buổi sinh hoạt thường kỳ kết hợp sinh hoạt chuyên đề: sau phần sinh hoạt thường kỳ, Chi bộ "
              "tiến hành sinh hoạt chuyên đề.", italic=True)
    tag(doc, "{%p if topical.purpose %}")
    intro(doc, "Đồng chí {{ chair_name }} nêu mục đích, yêu cầu của chuyên đề:")
    loop_paragraphs(doc, "topical.purpose")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if topical.presenter_name %}")
    intro(doc, "Đồng chí {{ topical.presenter_name }} trình bày chuyên đề; nội dung chính:")
    tag(doc, "{%p endif %}")
    loop_paragraphs(doc, "topical.presentation")
    tag(doc, "{%p if topical.discussion %}")
    intro(doc, "Ý kiến thảo luận, liên hệ bản thân và đơn vị:", italic=True)
    tag(doc, "{%p endif %}")
    speeches(doc, "topical.discussion")
    tag(doc, "{%p if topical.conclusion %}")
    intro(doc, "Kết luận chuyên đề:", italic=True)
    loop_paragraphs(doc, "topical.conclusion")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def outline_signatures(doc: Doc) -> None:
    """An outline's signatures: who approved it (Chi ủy or Bí thư duyệt) on the left when it
    is approved, the preparer on the right."""
    table = signature_table(doc)
    left, right = table.rows[0].cells
    para(left, "{% if approval %}{{ approval.label }}{% endif %}", bold=True, align=CENTER, indent=False, after=0,
         first=True, before=12)
    para(left, "{% if approval %}{{ approval.authority }}{% endif %}", bold=True, align=CENTER, indent=False,
         after=0)
    para(left, "{% if approval %}{{ approval.position }}{% endif %}", align=CENTER, indent=False, after=0)
    for _ in range(2):
        para(left, "", align=CENTER, indent=False, after=0)
    para(left, "{% if approval %}{{ approval.name }}{% endif %}", bold=True, align=CENTER, indent=False, after=0)
    para(right, "{{ sign_right_label }}", bold=True, align=CENTER, indent=False, after=0, first=True, before=12)
    para(right, "", align=CENTER, indent=False, after=0)
    for _ in range(3):
        para(right, "", align=CENTER, indent=False, after=0)
    para(right, "{{ presenter_name }}", bold=True, align=CENTER, indent=False, after=0)
    keep_table_together(table)


# --- Writing a kind's template -----------------------------------------------------------------

BUILD_DATE = dt.date(2026, 1, 1)


def template_bytes(kind: str) -> bytes:
    """The template of ``kind`` (its registry entry's ``template_builder``) as deterministic
    .docx bytes: the same bytes on every run, so the committed file is checked by a test."""
    from docgen.kinds import KINDS
    from docgen.render.package import fix_core_properties, normalize_zip

    spec = KINDS[kind]
    doc = spec.template_builder()
    fix_core_properties(doc, BUILD_DATE, spec.template_title, kind, "docgen")
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalize_zip(buffer.getvalue(), BUILD_DATE)
