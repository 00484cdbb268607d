"""docgen.importing.docx_read: real .docx files built with python-docx and edited with
lxml (fonts, w:softHyphen, styles, theme), read back; bombs and broken files refused."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from docgen.docxtext import docx_text
from docgen.importing.docx_read import read_docx, replacement_font
from docgen.importing.recovered import Paragraph, ReadOptions, Recovered, Table, UnreadableFile
from docgen.vn.legacy import decode_tcvn3, encode_tcvn3, encode_vni

sys.path.insert(0, str(Path(__file__).parent))
from importing_support import require_tool  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

# every Vietnamese letter outside ASCII, built from Unicode itself (legacy.py keeps its
# list private): 12 vowels × (no tone + 5 tones), minus the plain ASCII vowels, plus đ
_VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
_TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
LOWER = sorted({unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES}
               - set("aeiouy") | {"đ"})
UPPER = [letter.upper() for letter in LOWER]

BODY = ("Chi bộ thôn 3 họp để đánh giá kết quả lãnh đạo thực hiện nhiệm vụ chính trị, "
        "vệ sinh môi trường ở khu dân cư và phong trào thi đua của Trường học Hưng Yên.")


# --------------------------------------------------------------------------- helpers

def _fonts(run: Any, hansi: str | None = None, ascii_: str | None = None) -> None:
    rfonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    if hansi is not None:
        rfonts.set(qn("w:hAnsi"), hansi)
    if ascii_ is not None:
        rfonts.set(qn("w:ascii"), ascii_)


def _text_elements(r: Any, stored: str) -> None:
    """``stored`` as Word writes it: byte 0xAD (TCVN3's ư) as w:softHyphen elements."""
    for i, piece in enumerate(stored.split("\xad")):
        if i:
            r.append(OxmlElement("w:softHyphen"))
        if piece:
            t = OxmlElement("w:t")
            t.text = piece
            t.set(qn("xml:space"), "preserve")
            r.append(t)


def legacy_run(paragraph: Any, stored: str, hansi: str | None = None,
               ascii_: str | None = None, bold: bool = False) -> Any:
    run = paragraph.add_run()
    if hansi is not None or ascii_ is not None:
        _fonts(run, hansi, ascii_)
    if bold:
        run.bold = True
    _text_elements(run._r, stored)
    return run


def tcvn3_para(doc: Any, text: str, font: str | None = ".VnTime", **kw: Any) -> Any:
    paragraph = doc.add_paragraph()
    legacy_run(paragraph, encode_tcvn3(text), font, font, **kw)
    return paragraph


def styled(doc: Any, name: str, kind: WD_STYLE_TYPE, hansi: str | None = None,
           ascii_: str | None = None) -> Any:
    """A new style naming ``hansi`` and ``ascii_`` (each only when given)."""
    style = doc.styles.add_style(name, kind)
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr, value in (("w:hAnsi", hansi), ("w:ascii", ascii_)):
        if value is not None:
            rfonts.set(qn(attr), value)
    return style


def unicode_para(doc: Any, text: str) -> Any:
    paragraph = doc.add_paragraph()
    _fonts(paragraph.add_run(text), "Times New Roman", "Times New Roman")
    return paragraph


def letters(text: str) -> int:
    """Non-ASCII letters: what the reader counts per encoding."""
    return sum(1 for char in text if char > "\x7f" and char.isalpha())


def save(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def rezip(data: bytes, replace: dict[str, bytes] | None = None,
          drop: tuple[str, ...] = ()) -> bytes:
    """The package with some members replaced or removed (order kept)."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            dst.writestr(info.filename, replace.get(info.filename, src.read(info)))
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def fontless(doc: Any) -> None:
    """No font anywhere: the document defaults' theme fonts removed."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rfonts = defaults.find(f"{W}rPrDefault/{W}rPr/{W}rFonts")
    rfonts.getparent().remove(rfonts)


def read(data: bytes, **options: Any) -> Recovered:
    return read_docx(data, ReadOptions(**options))


def paragraphs(rec: Recovered) -> list[str]:
    return [b.text for b in rec.blocks if isinstance(b, Paragraph) and b.text]


def squash(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- TCVN3

def test_tcvn3_soft_hyphen_is_u_horn() -> None:
    doc = docx.Document()
    tcvn3_para(doc, "Trường học thường ở Hưng Yên")
    data = save(doc)
    # the trap: python-docx's text drops w:softHyphen, and ư with it
    assert "\xad" not in docx_text(data) and "ư" not in docx_text(data)
    assert "Trêng" in docx_text(data)
    assert decode_tcvn3(docx_text(data)).startswith("Trờng học")  # ư lost for good
    rec = read(data)
    assert paragraphs(rec) == ["Trường học thường ở Hưng Yên"]
    assert rec.encoding == "tcvn3" and rec.source == "docx" and rec.pages is None
    assert rec.notes == []


def test_vntimeh_capitals_come_out_uppercase() -> None:
    doc = docx.Document()
    title = "ĐẢNG CỘNG SẢN VIỆT NAM"
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    legacy_run(paragraph, encode_tcvn3(title, capitals=True), ".VnTimeH", ".VnTimeH", bold=True)
    assert encode_tcvn3(title, capitals=True) == encode_tcvn3(title.lower())
    other = doc.add_paragraph()
    legacy_run(other, encode_tcvn3(title.lower()), ".VnTimeH", ".VnTimeH")
    rec = read(save(doc))
    first, second = rec.blocks[0], rec.blocks[1]
    assert first == Paragraph(title, bold=True, centered=True, upper=True)
    assert isinstance(second, Paragraph) and second.text == title and second.upper
    assert not second.bold and not second.centered


def test_hansi_decides_over_ascii() -> None:
    doc = docx.Document()
    paragraph = doc.add_paragraph()
    legacy_run(paragraph, encode_tcvn3("Uỷ ban nhân dân xã Tuy Lộc"), ".VnTime",
               "Times New Roman")
    other = doc.add_paragraph()
    run = other.add_run("Quyết định số 12 của Đảng ủy")  # Unicode in TNR, ascii says .VnTime
    _fonts(run, "Times New Roman", ".VnTime")
    rec = read(save(doc))
    assert paragraphs(rec) == ["Uỷ ban nhân dân xã Tuy Lộc", "Quyết định số 12 của Đảng ủy"]
    assert rec.encoding == "mixed"  # 5 TCVN3 letters, 7 Unicode ones


def test_symbol_charset_bytes_in_a_legacy_run() -> None:
    doc = docx.Document()
    stored = encode_tcvn3("Đảng viên")  # as U+F0xx, the way a symbol-charset font keeps it
    legacy_run(doc.add_paragraph(), "".join(chr(0xF000 + ord(c)) for c in stored),
               ".VnTime", ".VnTime")
    wingdings = doc.add_paragraph().add_run("\uf0fc")
    _fonts(wingdings, "Wingdings", "Wingdings")
    assert paragraphs(read(save(doc))) == ["Đảng viên", "\uf0fc"]


def test_unicode_run_in_times_is_left_alone() -> None:
    doc = docx.Document()
    paragraph = doc.add_paragraph()
    run = paragraph.add_run("Các đồng chí đã phát biểu ý kiến")
    _fonts(run, "Times New Roman", "Times New Roman")
    run._r.append(OxmlElement("w:softHyphen"))  # dropped in a Unicode run
    t = OxmlElement("w:t")
    t.text = " á"
    t.set(qn("xml:space"), "preserve")
    run._r.append(t)
    data = save(doc)
    rec = read(data)
    assert paragraphs(rec) == ["Các đồng chí đã phát biểu ý kiến á"]
    assert rec.encoding == "unicode"
    assert rec.unicode_docx == data  # nothing to change: the original is the copy


def test_vni_runs_and_a_letter_split_across_runs() -> None:
    doc = docx.Document()
    paragraph = doc.add_paragraph()
    legacy_run(paragraph, encode_vni("Nghị quyết "), "VNI-Times", "VNI-Times")
    stored = encode_vni("chào")  # "chaøo": base "a" in one run, mark "ø" in the next
    legacy_run(paragraph, stored[:3], "VNI-Times", "VNI-Times")
    legacy_run(paragraph, stored[3:], "VNI-Times", "VNI-Times", bold=True)
    helve = doc.add_paragraph()
    legacy_run(helve, encode_vni("ĐẢNG BỘ XÃ"), "VNI-Helve", "VNI-Helve")
    rec = read(save(doc))
    assert paragraphs(rec) == ["Nghị quyết chào", "ĐẢNG BỘ XÃ"]
    assert rec.encoding == "vni"
    copy = docx.Document(io.BytesIO(rec.unicode_docx or b""))
    runs = copy.paragraphs[0].runs
    assert [r.text for r in runs] == ["Nghị quyết ", "chà", "o"]
    assert {r.font.name for r in runs} == {"Times New Roman"}
    assert copy.paragraphs[1].runs[0].font.name == "Arial"


# --------------------------------------------------------------------------- fonts from styles

def test_font_from_character_style() -> None:
    doc = docx.Document()
    style = doc.styles.add_style("VnChar", WD_STYLE_TYPE.CHARACTER)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hAnsi"), ".VnTime")
    paragraph = doc.add_paragraph()
    run = legacy_run(paragraph, encode_tcvn3("Bí thư chi bộ"))
    run.style = "VnChar"
    rec = read(save(doc))
    assert paragraphs(rec) == ["Bí thư chi bộ"]
    assert rec.encoding == "tcvn3"


def test_font_from_paragraph_style_based_on_and_cycles() -> None:
    doc = docx.Document()
    base = doc.styles.add_style("VnBase", WD_STYLE_TYPE.PARAGRAPH)
    base.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hAnsi"), ".VnTime")
    base.element.get_or_add_pPr().append(parse_xml(f'<w:jc {nsdecls("w")} w:val="center"/>'))
    child = doc.styles.add_style("VnChild", WD_STYLE_TYPE.PARAGRAPH)
    child.base_style = base
    child.element.get_or_add_rPr().append(parse_xml(f"<w:b {nsdecls('w')}/>"))
    # a cycle: loopA based on loopB based on loopA, neither naming a font
    loop_a = doc.styles.add_style("LoopA", WD_STYLE_TYPE.PARAGRAPH)
    loop_b = doc.styles.add_style("LoopB", WD_STYLE_TYPE.PARAGRAPH)
    loop_a.base_style = loop_b
    loop_b.base_style = loop_a
    legacy_run(doc.add_paragraph(style="VnChild"), encode_tcvn3("NGHỊ QUYẾT".lower()))
    legacy_run(doc.add_paragraph(style="LoopA"), "Chi bo thon")
    rec = read(save(doc))
    assert rec.blocks[0] == Paragraph("nghị quyết", bold=True, centered=True, upper=False)
    assert isinstance(rec.blocks[1], Paragraph) and rec.blocks[1].text == "Chi bo thon"


def test_font_from_normal_style_and_doc_defaults() -> None:
    doc = docx.Document()
    fontless(doc)
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(f"{W}rPrDefault/{W}rPr")
    defaults.insert(0, parse_xml(f'<w:rFonts {nsdecls("w")} w:hAnsi=".VnTime"/>'))
    tcvn3_para(doc, "Đồng chí Bí thư", font=None)
    rec = read(save(doc))
    assert paragraphs(rec) == ["Đồng chí Bí thư"]
    assert rec.notes == []  # the font was found: nothing guessed

    doc = docx.Document()
    doc.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hAnsi"),
                                                                           ".VnTimeH")
    paragraph = doc.add_paragraph()
    legacy_run(paragraph, encode_tcvn3("biên bản"))
    rec = read(save(doc))
    assert paragraphs(rec) == ["BIÊN BẢN"]
    assert rec.blocks[0] == Paragraph("BIÊN BẢN", upper=True)


def test_font_from_theme() -> None:
    doc = docx.Document()  # docDefaults: hAnsiTheme="minorHAnsi", minor latin = Cambria
    tcvn3_para(doc, "Trường học", font=None)
    data = save(doc)
    assert paragraphs(read(data)) == ["Trêng häc"]  # Cambria: not decoded
    theme = member(data, "word/theme/theme1.xml")
    minor = theme.index(b"<a:minorFont>")
    latin = theme.index(b'<a:latin typeface="Cambria"/>', minor)
    theme = theme[:latin] + b'<a:latin typeface=".VnTime"/>' + \
        theme[latin + len(b'<a:latin typeface="Cambria"/>'):]
    data = rezip(data, {"word/theme/theme1.xml": theme})
    rec = read(data)
    assert paragraphs(rec) == ["Trường học"]
    assert rec.encoding == "tcvn3"
    copy_theme = member(rec.unicode_docx or b"", "word/theme/theme1.xml")
    assert b".VnTime" not in copy_theme and b'<a:latin typeface="Times New Roman"/>' in copy_theme


def test_font_attributes_are_inherited_one_by_one() -> None:
    """Word draws bytes 0x80–0xFF with the hAnsi font, each w:rFonts attribute inherited
    on its own along run → character style → paragraph style → defaults; ascii only
    when no level names hAnsi."""
    doc = docx.Document()  # docDefaults: hAnsiTheme/asciiTheme = minorHAnsi (Cambria)
    styled(doc, "VnChar", WD_STYLE_TYPE.CHARACTER, ".VnTime", ".VnTime")
    styled(doc, "VniPara", WD_STYLE_TYPE.PARAGRAPH, "VNI-Times", "VNI-Times")
    styled(doc, "AsciiOnly", WD_STYLE_TYPE.PARAGRAPH, ascii_=".VnTime")
    # ascii="Times New Roman" on the run: the character style's hAnsi still draws
    run = legacy_run(doc.add_paragraph(), encode_tcvn3("Bí thư chi bộ"),
                     ascii_="Times New Roman")
    run.style = "VnChar"
    # the same over a paragraph style
    legacy_run(doc.add_paragraph(style="VniPara"), encode_vni("Nghị quyết"),
               ascii_="Times New Roman")
    # hAnsi on the run wins over the style: Unicode
    _fonts(doc.add_paragraph(style="VniPara").add_run("Đảng ủy xã"), "Times New Roman")
    # a style naming only ascii: the defaults' hAnsi (Cambria) draws the bytes
    legacy_run(doc.add_paragraph(style="AsciiOnly"), encode_tcvn3("Trường học"))
    rec = read(save(doc))
    assert paragraphs(rec) == ["Bí thư chi bộ", "Nghị quyết", "Đảng ủy xã", "Trêng häc"]

    doc = docx.Document()
    fontless(doc)  # no hAnsi anywhere: the style's ascii is the font
    styled(doc, "AsciiOnly", WD_STYLE_TYPE.PARAGRAPH, ascii_=".VnTime")
    legacy_run(doc.add_paragraph(style="AsciiOnly"), encode_tcvn3("Trường học"))
    rec = read(save(doc))
    assert paragraphs(rec) == ["Trường học"] and rec.notes == []


# --------------------------------------------------------------------------- fontless runs

def test_fontless_paragraphs_are_decided_by_statistics() -> None:
    doc = docx.Document()
    fontless(doc)
    tcvn3_para(doc, BODY, font=None)
    doc.add_paragraph("Đảng Cộng sản Việt Nam là đội tiên phong của giai cấp công nhân")
    vni = doc.add_paragraph()
    legacy_run(vni, encode_vni("Uỷ ban nhân dân xã chỉ đạo vệ sinh môi trường"))
    known = doc.add_paragraph()
    legacy_run(known, encode_tcvn3("Trường"), "Times New Roman", "Times New Roman")
    data = save(doc)
    rec = read(data)
    assert paragraphs(rec) == [
        BODY, "Đảng Cộng sản Việt Nam là đội tiên phong của giai cấp công nhân",
        "Uỷ ban nhân dân xã chỉ đạo vệ sinh môi trường", "Trêng"]
    assert rec.encoding == "mixed"
    assert len(rec.notes) == 1 and "đoán bảng mã theo thống kê" in rec.notes[0].vi
    # a forced encoding applies to font-less runs only
    forced = read(data, encoding="unicode")
    assert paragraphs(forced)[0] == unicodedata.normalize("NFC", encode_tcvn3(BODY).replace(
        "\xad", ""))
    assert paragraphs(forced)[3] == "Trêng" and forced.notes == []
    assert paragraphs(read(data, encoding="viqr"))[1] == paragraphs(rec)[1]
    assert paragraphs(read(data, encoding="vni"))[2] == paragraphs(rec)[2]
    assert paragraphs(read(data, encoding="tcvn3"))[0] == BODY


# --------------------------------------------------------------------------- tables, mixed

def header_table(doc: Any) -> None:
    table = doc.add_table(rows=1, cols=2)
    left = table.cell(0, 0)
    left.paragraphs[0].add_run("ĐẢNG BỘ XÃ TUY LỘC")
    left.add_paragraph().add_run("CHI BỘ THÔN 3").bold = True
    left.add_paragraph("*")
    for run in (r for p in left.paragraphs for r in p.runs):
        _fonts(run, "Times New Roman", "Times New Roman")
    right = table.cell(0, 1)
    legacy_run(right.paragraphs[0], encode_tcvn3("ĐẢNG CỘNG SẢN VIỆT NAM", capitals=True),
               ".VnTimeH", ".VnTimeH", bold=True)
    date = right.add_paragraph()
    legacy_run(date, encode_tcvn3("Tuy Lộc, ngày 05 tháng 02 năm 2024"), ".VnTime", ".VnTime")


def test_mixed_document_with_two_column_header() -> None:
    doc = docx.Document()
    header_table(doc)
    tcvn3_para(doc, "NGHỊ QUYẾT".lower(), font=".VnTimeH", bold=True)
    tcvn3_para(doc, BODY)
    rec = read(save(doc))
    assert rec.encoding == "mixed"
    table = rec.blocks[0]
    assert table == Table(((
        "ĐẢNG BỘ XÃ TUY LỘC\nCHI BỘ THÔN 3\n*",
        "ĐẢNG CỘNG SẢN VIỆT NAM\nTuy Lộc, ngày 05 tháng 02 năm 2024"),))
    assert rec.blocks[1] == Paragraph("NGHỊ QUYẾT", bold=True, upper=True)
    assert rec.blocks[2] == Paragraph(BODY)


def test_mixed_needs_five_letters_and_one_percent() -> None:
    """A second encoding makes a text "mixed" only with at least 5 non-ASCII letters
    and at least 1% of all of them."""
    stray, five = "Số 12", "Đảng ủy xã Tuy Lộc"
    assert letters(stray) == 1 and letters(five) == 5
    doc = docx.Document()  # one stray letter in a small paper: over 1%, under 5
    tcvn3_para(doc, BODY)
    unicode_para(doc, stray)
    assert letters(stray) >= 0.01 * (letters(BODY) + 1)
    rec = read(save(doc))
    assert paragraphs(rec) == [BODY, stray] and rec.encoding == "tcvn3"

    doc = docx.Document()  # five letters in a small paper: a mix
    tcvn3_para(doc, BODY)
    unicode_para(doc, five)
    assert read(save(doc)).encoding == "mixed"

    doc = docx.Document()  # the same five letters in a long paper: under 1%
    for _ in range(16):
        tcvn3_para(doc, BODY)
    unicode_para(doc, five)
    assert 0.01 * (16 * letters(BODY) + 5) > 5
    rec = read(save(doc))
    assert paragraphs(rec)[-1] == five and rec.encoding == "tcvn3"

    header = "ĐẢNG BỘ XÃ QUANG KIM CHI BỘ THÔN AN THÀNH Đảng Cộng sản Việt Nam"
    assert letters(header) >= 10
    doc = docx.Document()  # a whole Unicode header line over a long body: a mix
    for _ in range(16):
        tcvn3_para(doc, BODY)
    unicode_para(doc, header)
    assert read(save(doc)).encoding == "mixed"

    doc = docx.Document()  # either way round: a few VNI letters in a Unicode paper
    unicode_para(doc, BODY)
    legacy_run(doc.add_paragraph(), encode_vni(stray), "VNI-Times", "VNI-Times")
    assert read(save(doc)).encoding == "unicode"
    legacy_run(doc.add_paragraph(), encode_vni(five), "VNI-Times", "VNI-Times")
    assert read(save(doc)).encoding == "mixed"


def test_merged_and_nested_cells() -> None:
    doc = docx.Document()
    table = doc.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1))  # gridSpan: one cell
    table.cell(0, 0).paragraphs[0].add_run("gộp ngang")
    table.cell(0, 2).paragraphs[0].add_run("c")
    table.cell(1, 0).merge(table.cell(2, 0))  # vMerge: the continuation is empty
    table.cell(1, 0).paragraphs[0].add_run("gộp dọc")
    outer = table.cell(1, 1)
    outer.paragraphs[0].add_run("trước")
    inner = outer.add_table(rows=1, cols=2)
    legacy_run(inner.cell(0, 0).paragraphs[0], encode_tcvn3("trong một"), ".VnTime", ".VnTime")
    inner.cell(0, 1).paragraphs[0].add_run("trong hai")
    outer.add_paragraph("sau")
    rec = read(save(doc))
    rows = rec.blocks[0]
    assert isinstance(rows, Table)
    assert rows.rows[0] == ("gộp ngang", "c")
    assert rows.rows[1][0] == "gộp dọc" and rows.rows[2][0] == ""
    # python-docx puts the empty paragraph Word requires after a cell's table
    assert rows.rows[1][1] == "trước\ntrong một\ntrong hai\n\nsau"


# --------------------------------------------------------------------------- run content

def test_run_content_and_wrappers() -> None:
    doc = docx.Document()
    fontless(doc)
    paragraph = doc.add_paragraph()
    p = paragraph._p
    tcvn = encode_tcvn3("Trường")
    p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:rFonts w:hAnsi=".VnTime"/></w:rPr>'
        f'<w:t>{tcvn[:2]}</w:t><w:softHyphen/><w:t>{tcvn[3:]}</w:t><w:tab/><w:t>a</w:t>'
        f'<w:noBreakHyphen/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/>'
        f'<w:sym w:font="Wingdings" w:char="F0FC"/><w:t>d</w:t></w:r>'))
    p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'))
    p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:instrText> PAGE </w:instrText></w:r>'))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t>[1]</w:t></w:r>'))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))
    p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="1" w:author="x"><w:r><w:delText>bỏ</w:delText></w:r>'
        '</w:del>'))
    for wrapper in ('w:ins w:id="2" w:author="x"', "w:hyperlink", 'w:smartTag w:element="x"',
                    'w:fldSimple w:instr=" DATE "'):
        name = wrapper.split()[0]
        p.append(parse_xml(f'<{wrapper} {nsdecls("w")}><w:r><w:t>[{name}]</w:t></w:r>'
                           f'</{name}>'))
    p.append(parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent><w:r><w:t>[sdt]</w:t>'
                       '</w:r></w:sdtContent></w:sdt>'))
    rec = read(save(doc))
    assert paragraphs(rec) == [
        "Trường\ta-b\nc\nd[1][w:ins][w:hyperlink][w:smartTag][w:fldSimple][sdt]"]


def _textbox(text: str, font: str) -> str:
    inner = (f'<w:txbxContent><w:p><w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/>'
             f'</w:rPr><w:t>{text}</w:t></w:r></w:p></w:txbxContent>')
    return (f'<w:r {nsdecls("w")} xmlns:mc="{MC}" '
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
            'xmlns:v="urn:schemas-microsoft-com:vml">'
            '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
            f'{inner}</wps:txbx></wps:wsp></w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict><v:shape><v:textbox>{inner}</v:textbox></v:shape></w:pict>'
            '</mc:Fallback></mc:AlternateContent></w:r>')


def test_text_box_once_after_its_paragraph() -> None:
    doc = docx.Document()
    paragraph = doc.add_paragraph("Nơi nhận:")
    paragraph._p.append(parse_xml(_textbox(encode_tcvn3("Lưu chi bộ"), ".VnTime")))
    doc.add_paragraph("Tiếp theo")
    rec = read(save(doc))
    assert paragraphs(rec) == ["Nơi nhận:", "Lưu chi bộ", "Tiếp theo"]
    # the copy decodes both branches (Word draws the Choice, older readers the Fallback)
    xml = member(rec.unicode_docx or b"", "word/document.xml").decode()
    assert xml.count("Lưu chi bộ") == 2 and ".VnTime" not in xml


# --------------------------------------------------------------------------- the copy

def test_reading_copy() -> None:
    doc = docx.Document()
    body_style = doc.styles.add_style("VnBody", WD_STYLE_TYPE.PARAGRAPH)
    body_style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hAnsi"), ".VnArial")
    header = doc.sections[0].header.paragraphs[0]
    legacy_run(header, encode_tcvn3("Lưu hành nội bộ – Trường"), ".VnTime", ".VnTime")
    header_table(doc)
    paragraph = doc.add_paragraph(style="VnBody")
    run = paragraph.add_run()
    r = run._r
    _text_elements(r, encode_tcvn3("Trư"))
    _text_elements(r, encode_tcvn3("ờng"))
    r.append(OxmlElement("w:tab"))
    _text_elements(r, encode_tcvn3("thường"))
    r.append(OxmlElement("w:br"))
    _text_elements(r, encode_tcvn3("Hưng"))
    vni = doc.add_paragraph()
    legacy_run(vni, encode_vni("Xin chào các bạn"), "VNI-Times", "VNI-Times")
    tcvn3_para(doc, BODY)
    unicode_para = doc.add_paragraph()
    _fonts(unicode_para.add_run("Hà Nội á"), "Times New Roman", "Times New Roman")
    data = save(doc)
    rec = read(data)
    copy = rec.unicode_docx
    assert copy is not None and copy != data
    assert rec.text().splitlines()[0] == "ĐẢNG BỘ XÃ TUY LỘC"
    assert "nội bộ" not in rec.text()  # page headers are not the text

    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(io.BytesIO(copy)) as new:
        assert old.namelist() == new.namelist()
        changed = {"word/document.xml", "word/styles.xml", "word/header1.xml"}
        for name in old.namelist():
            if name not in changed:
                assert old.read(name) == new.read(name), name
        xml = new.read("word/document.xml")
        styles = new.read("word/styles.xml")
        assert b".Vn" not in xml and b"VNI-" not in xml and b"softHyphen" not in xml
        assert b".VnArial" not in styles and b'w:hAnsi="Arial"' in styles

    opened = docx.Document(io.BytesIO(copy))
    assert squash(docx_text(copy)) == squash(rec.text())
    assert opened.sections[0].header.paragraphs[0].text == "Lưu hành nội bộ – Trường"
    target = next(p for p in opened.paragraphs if p.text.startswith("Trường"))
    elements = [child.tag.split("}")[1] for child in target.runs[0]._r
                if child.tag != qn("w:rPr")]
    assert elements == ["t", "tab", "t", "br", "t"]
    assert target.text == "Trường\tthường\nHưng"
    right = opened.tables[0].cell(0, 1).paragraphs[0].runs[0]
    assert right.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and right.font.name == "Times New Roman"
    unicode_run = next(p for p in opened.paragraphs if p.text == "Hà Nội á").runs[0]
    assert unicode_run.font.name == "Times New Roman"


def test_replacement_fonts() -> None:
    assert replacement_font(".VnTime") == "Times New Roman"
    assert replacement_font(".VnTimeH") == "Times New Roman"
    assert replacement_font("VNI-Times") == "Times New Roman"
    assert replacement_font(".VnArial") == "Arial"
    assert replacement_font(".VnArialH") == "Arial"
    assert replacement_font(".VnArial NarrowH") == "Arial"
    assert replacement_font("VNI-Helve") == "Arial"
    assert replacement_font("VNI-Univer") == "Arial"
    assert replacement_font(".VnAvant") == "Arial"
    assert replacement_font(".VnCentury Schoolbook") == "Times New Roman"


# --------------------------------------------------------------------------- every letter

def test_every_letter_round_trips_through_tcvn3_and_vni() -> None:
    assert len(LOWER) == 67 and len(set(LOWER + UPPER)) == 134
    untoned_caps = [c for c in UPPER if c in "ĂÂÊÔƠƯĐ"]
    doc = docx.Document()
    tcvn3_para(doc, " ".join(LOWER))
    tcvn3_para(doc, " ".join(untoned_caps))
    tcvn3_para(doc, " ".join(UPPER).lower(), font=".VnTimeH")
    vni_doc = docx.Document()
    vni = vni_doc.add_paragraph()
    legacy_run(vni, encode_vni(" ".join(LOWER + UPPER)), "VNI-Times", "VNI-Times")
    assert paragraphs(read(save(doc))) == [" ".join(LOWER), " ".join(untoned_caps),
                                           " ".join(UPPER)]
    assert paragraphs(read(save(vni_doc))) == [" ".join(LOWER + UPPER)]


# --------------------------------------------------------------------------- refused files

def test_not_a_zip() -> None:
    with pytest.raises(UnreadableFile) as info:
        read(b"Hello, this is plain text, not Word")
    assert "không phải tệp Word (.docx) hợp lệ" in info.value.message.vi
    with pytest.raises(UnreadableFile):
        read(b"PK\x03\x04 broken")


def test_ole_files() -> None:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    encrypted = header + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 600
    with pytest.raises(UnreadableFile) as info:
        read(encrypted)
    assert "được bảo vệ bằng mật khẩu" in info.value.message.vi
    assert info.value.hint is not None
    old_doc = header + "WordDocument".encode("utf-16-le") + b"\x00" * 600
    with pytest.raises(UnreadableFile) as info:
        read(old_doc)
    assert "là tệp .doc (Word 97–2003) mang đuôi .docx" in info.value.message.vi


def test_missing_document_xml() -> None:
    data = rezip(save(docx.Document()), drop=("word/document.xml",))
    with pytest.raises(UnreadableFile) as info:
        read(data)
    assert "word/document.xml" in info.value.message.vi


def test_zip_bomb_member_ratio(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    zeros = b"\x00" * (1 << 20)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", member(save(docx.Document()), "word/document.xml"))
        with zf.open("word/media/zeros.bin", "w") as stream:
            for _ in range(30):  # 30 MB of zeros deflate to ~30 KB
                stream.write(zeros)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(UnreadableFile) as info:
        read(bomb.read_bytes())
    assert "có dấu hiệu bom nén" in info.value.message.vi


def test_zip_bomb_total_and_members() -> None:
    data = save(docx.Document())
    with pytest.raises(UnreadableFile) as info:
        read(data, max_unpacked=100_000)  # python-docx's styles alone are 350 KB
    assert "có dấu hiệu bom nén" in info.value.message.vi
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", member(data, "word/document.xml"))
        for i in range(10_001):
            zf.writestr(f"x/{i}", b"")
    with pytest.raises(UnreadableFile) as info:
        read(out.getvalue())
    assert "có dấu hiệu bom nén" in info.value.message.vi


def test_lying_sizes_are_refused() -> None:
    data = bytearray(save(docx.Document()))
    name = b"word/document.xml"
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:  # central directory entries
        size = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46: at + 46 + size]) == name:
            struct.pack_into("<I", data, at + 24, 100)  # claims 100 bytes unpacked
        at += 4
    with pytest.raises(UnreadableFile):
        read(bytes(data))


def _with_document(xml: str) -> bytes:
    return rezip(save(docx.Document()), {"word/document.xml": xml.encode()})


_DOC_OPEN = f'<w:document {nsdecls("w")}><w:body><w:p><w:r><w:t>'
_DOC_CLOSE = "</w:t></w:r></w:p></w:body></w:document>"


def test_billion_laughs_and_external_entities() -> None:
    levels = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'
                     for i in range(1, 10))
    laughs = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol0 "lol">{levels}]>'
              f"{_DOC_OPEN}&lol9;{_DOC_CLOSE}")
    small = f'<!DOCTYPE w:document [<!ENTITY a "aaaa">]>{_DOC_OPEN}&a;&a;{_DOC_CLOSE}'
    external = (f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
                f"{_DOC_OPEN}&x;{_DOC_CLOSE}")
    for xml in (laughs, small, external):
        start = time.perf_counter()
        with pytest.raises(UnreadableFile):
            read(_with_document(xml))
        assert time.perf_counter() - start < 2


@pytest.mark.libreoffice
def test_a_doc_converted_by_libreoffice_keeps_its_fonts(tmp_path: Path) -> None:
    """.docx → .doc → .docx through LibreOffice (what the .doc importer does): the legacy
    font names and the w:softHyphen survive, and the text reads the same."""
    soffice = require_tool("soffice")
    doc = docx.Document()
    header_table(doc)
    tcvn3_para(doc, "NGHỊ QUYẾT".lower(), font=".VnTimeH", bold=True)
    tcvn3_para(doc, BODY)
    legacy_run(doc.add_paragraph(), encode_vni("Xin chào các bạn"), "VNI-Times", "VNI-Times")
    original = tmp_path / "paper.docx"
    original.write_bytes(save(doc))
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    for target, source, out in (("doc", original, tmp_path / "doc"),
                                ("docx", tmp_path / "doc" / "paper.doc", tmp_path / "back")):
        subprocess.run([soffice, profile, "--headless", "--convert-to", target, "--outdir",
                        str(out), str(source)], check=True, capture_output=True, timeout=120)
    back = (tmp_path / "back" / "paper.docx").read_bytes()
    assert b".VnTime" in member(back, "word/document.xml")
    rec = read_docx(back, ReadOptions(), source="doc")
    assert rec.source == "doc" and rec.encoding == "mixed"
    assert rec.blocks == read(original.read_bytes()).blocks
    assert squash(docx_text(rec.unicode_docx or b"")) == squash(rec.text())


def _lost_style_paper() -> bytes:
    """A VNI paper whose font is a character style, with what LibreOffice's .doc import
    leaves of the first paragraph after a table: the legacy bytes with no character
    style, in the defaults' font (Cambria); and Unicode paragraphs in that font."""
    doc = docx.Document()
    styled(doc, "ChuVni", WD_STYLE_TYPE.CHARACTER, "VNI-Times", "VNI-Times")
    table = doc.add_table(rows=1, cols=1)
    legacy_run(table.cell(0, 0).paragraphs[0], encode_vni("ĐẢNG CỘNG SẢN VIỆT NAM")
               ).style = "ChuVni"
    legacy_run(doc.add_paragraph(), encode_vni("BIÊN BẢN"), bold=True)  # the style lost
    legacy_run(doc.add_paragraph(), encode_vni("Hội nghị kết thúc lúc 22 giờ")).style = "ChuVni"
    doc.add_paragraph("Tôi yêu quê hương")  # Unicode, letters of latin-1 only
    doc.add_paragraph("Hà Nội, ngày 5 tháng 2")
    return save(doc)


def test_a_converted_paper_gets_back_a_lost_character_style_font() -> None:
    """In a .docx LibreOffice made of a .doc (source="doc"), a run whose only font is
    the paragraph style's or the defaults' Unicode one is read in a legacy encoding the
    document names when its letters say so; in a .docx it is left as Word draws it."""
    data = _lost_style_paper()
    expected = ["BIÊN BẢN", "Hội nghị kết thúc lúc 22 giờ", "Tôi yêu quê hương",
                "Hà Nội, ngày 5 tháng 2"]
    native = read(data)
    assert paragraphs(native)[0] == encode_vni("BIÊN BẢN") and native.notes == []
    converted = read_docx(data, ReadOptions(), source="doc")
    assert paragraphs(converted) == expected
    assert converted.blocks[0] == Table((("ĐẢNG CỘNG SẢN VIỆT NAM",),))
    assert converted.blocks[1] == Paragraph("BIÊN BẢN", bold=True, upper=True)
    assert converted.encoding == "mixed"  # the two Unicode paragraphs: 9 of 31 letters
    assert [note.en.split(" ")[0] for note in converted.notes] == ["1"]
    assert "LibreOffice" in converted.notes[0].en and "LibreOffice" in converted.notes[0].vi
    copy = converted.unicode_docx or b""
    assert squash(docx_text(copy)) == squash(converted.text())

    # a converted paper naming no legacy font: nothing is guessed
    unicode_doc = docx.Document()
    legacy_run(unicode_doc.add_paragraph(), encode_vni("BIÊN BẢN"))
    rec = read_docx(save(unicode_doc), ReadOptions(), source="doc")
    assert paragraphs(rec) == [encode_vni("BIÊN BẢN")] and rec.notes == []

    # TCVN3 whose only font is an H font: the lost paragraph comes back in capitals
    doc = docx.Document()
    styled(doc, "ChuHoa", WD_STYLE_TYPE.CHARACTER, ".VnTimeH", ".VnTimeH")
    legacy_run(doc.add_paragraph(), encode_tcvn3("nghị quyết")).style = "ChuHoa"
    doc.add_table(rows=1, cols=1)
    legacy_run(doc.add_paragraph(), encode_tcvn3("về công tác phát triển đảng viên"))
    rec = read_docx(save(doc), ReadOptions(), source="doc")
    assert paragraphs(rec) == ["NGHỊ QUYẾT", "VỀ CÔNG TÁC PHÁT TRIỂN ĐẢNG VIÊN"]


def _through_doc(soffice: str, sources: list[Path], tmp_path: Path) -> list[bytes]:
    """Each .docx saved as .doc (Word 97) by LibreOffice, then made a .docx again by
    LibreOffice, as the .doc importer does: one soffice call per step."""
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    docs = tmp_path / "doc"
    back = tmp_path / "back"
    for target, files, out in (("doc:MS Word 97", sources, docs),
                               ("docx", [docs / f"{s.stem}.doc" for s in sources], back)):
        subprocess.run([soffice, profile, "--headless", "--convert-to", target, "--outdir",
                        str(out), *map(str, files)], check=True, capture_output=True,
                       timeout=180)
    return [(back / f"{s.stem}.docx").read_bytes() for s in sources]


def _styleless_runs(data: bytes) -> int:
    """Runs with text that name neither a character style nor a font."""
    root = parse_xml(member(data, "word/document.xml"))
    return sum(1 for r in root.iter(qn("w:r"))
               if r.find(qn("w:t")) is not None
               and r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}") is None
               and r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") is None)


@pytest.mark.libreoffice
def test_character_style_fonts_after_tables_survive_a_doc_round_trip(tmp_path: Path) -> None:
    """VNI and TCVN3 papers whose legacy font is a character style, a table before the
    title and another before a body paragraph: LibreOffice's .doc import drops the
    character style of the first paragraph after each table (the .doc keeps it: Word
    draws the legacy font); the reader gets the text back all the same."""
    soffice = require_tool("soffice")
    title, body = "BIÊN BẢN", "Tổng số đảng viên được đánh giá, xếp loại: 21 đồng chí."
    closing = "Hội nghị kết thúc vào lúc 22 giờ 00 phút cùng ngày."
    cells = ("CHI BỘ THÔN AN THÀNH", "ĐẢNG CỘNG SẢN VIỆT NAM")
    sources: list[Path] = []
    for encoding, font, caps_font in (("vni", "VNI-Times", "VNI-Times"),
                                      ("tcvn3", ".VnTime", ".VnTimeH")):
        def encode(text: str, capitals: bool = False, enc: str = encoding) -> str:
            return encode_vni(text) if enc == "vni" else encode_tcvn3(text, capitals)

        doc = docx.Document()
        styled(doc, "ChuCu", WD_STYLE_TYPE.CHARACTER, font, font)
        table = doc.add_table(rows=1, cols=2)
        for cell, text in zip(table.rows[0].cells, cells, strict=True):
            legacy_run(cell.paragraphs[0], encode(text, True), caps_font, caps_font, bold=True
                       ).style = "ChuCu"
        heading = doc.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if encoding == "vni":  # VNI capitals are in the style's font
            legacy_run(heading, encode(title), bold=True).style = "ChuCu"
        else:  # TCVN3 capitals in .VnTimeH on the run, as typists did
            legacy_run(heading, encode(title, True), caps_font, caps_font, bold=True)
        legacy_run(doc.add_paragraph(), encode(BODY)).style = "ChuCu"
        votes = doc.add_table(rows=1, cols=1)
        legacy_run(votes.cell(0, 0).paragraphs[0], encode("17/19 tán thành")).style = "ChuCu"
        for text in (body, closing):
            legacy_run(doc.add_paragraph(), encode(text)).style = "ChuCu"
        source = tmp_path / f"{encoding}.docx"
        source.write_bytes(save(doc))
        sources.append(source)
    for encoding, back in zip(("vni", "tcvn3"), _through_doc(soffice, sources, tmp_path),
                              strict=True):
        rec = read_docx(back, ReadOptions(), source="doc")
        assert rec.encoding == encoding
        assert [list(b.rows) for b in rec.blocks if isinstance(b, Table)] == [
            [cells], [("17/19 tán thành",)]]
        assert paragraphs(rec) == [title, BODY, body, closing]
        assert rec.blocks[1] == Paragraph(title, bold=True, centered=True, upper=True)
        lost = _styleless_runs(back)
        assert lost > 0, "LibreOffice kept every character style: nothing was salvaged"
        assert any("LibreOffice" in note.en for note in rec.notes)
        assert squash(docx_text(rec.unicode_docx or b"")) == squash(rec.text())


# --------------------------------------------------------------------------- speed

def test_three_page_document_speed() -> None:
    doc = docx.Document()
    header_table(doc)
    tcvn3_para(doc, "NGHỊ QUYẾT".lower(), font=".VnTimeH", bold=True)
    for i in range(45):  # about three pages of 14 pt text
        tcvn3_para(doc, f"{i + 1}. {BODY}")
    data = save(doc)
    read(data)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        rec = read(data)
        times.append(time.perf_counter() - start)
    # the Unicode cells carry 7 letters of about 1900: under 1%, not a mix
    assert len(paragraphs(rec)) == 46 and rec.encoding == "tcvn3"
    best = min(times)
    print(f"read_docx on a 3-page TCVN3 document: {best * 1000:.1f} ms")
    assert best < 0.25
