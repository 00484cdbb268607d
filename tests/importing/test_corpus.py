"""The import test set (corpus.py) is what it says it is, and the measures of accuracy
(importing_support) measure what they say.

The set is built once (about 20 s with LibreOffice, then cached under .pytest_cache):
the legacy .docx really carry .VnTime / .VnTimeH / VNI-Times, in runs and in styles,
with ư as w:softHyphen; python-docx reads them as gibberish, while decoding them by
their fonts gives the expected text exactly; the .doc are Word 97 (OLE) files; text PDFs
have a Unicode text layer and scans none.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import threading
import time
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))

import corpus  # noqa: E402
from corpus import FORMATS, SMALL_FORMATS, STYLES, Header, Sample, small_corpus  # noqa: E402
from importing_support import (  # noqa: E402
    char_accuracy,
    collapse,
    header_accuracy,
    header_fields,
    levenshtein,
    require_tool,
    result_type,
)

from docgen.docxtext import docx_text  # noqa: E402
from docgen.vn.legacy import decode_tcvn3, decode_vni, font_encoding  # noqa: E402

W = corpus.W_NS


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


# ------------------------------------------------------------ the measures
def plain_levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="abcđơư ", max_size=25), st.text(alphabet="abcđơư ", max_size=25))
def test_levenshtein_is_the_plain_dp_on_short_strings(a: str, b: str) -> None:
    assert levenshtein(a, b) == plain_levenshtein(a, b) == levenshtein(b, a)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab cd", min_size=60, max_size=160), st.data())
def test_levenshtein_is_the_plain_dp_past_one_machine_word(a: str, data: st.DataObject) -> None:
    # the bit vectors span several 64-bit words: carries must cross them
    edits = data.draw(st.lists(st.tuples(st.integers(0, len(a)), st.sampled_from("abxyz ")), max_size=12))
    b = list(a)
    for at, char in edits:
        b.insert(min(at, len(b)), char)
    other = "".join(b)
    assert levenshtein(a, other) == plain_levenshtein(a, other)


def test_levenshtein_takes_milliseconds_on_pages_of_text() -> None:
    base = ("Chi bộ đã thông tin kịp thời đến đảng viên tình hình thời sự trong nước. " * 70)[:5000]
    changed = list(base)
    for at in range(7, 5000, 500):  # ten letters replaced, far apart
        changed[at] = "#"
    other = "".join(changed)
    started = time.perf_counter()
    assert levenshtein(base, other) == 10
    assert time.perf_counter() - started < 1.0  # the plain DP takes about 10 s here


def test_char_accuracy_is_one_minus_edits_per_expected_character() -> None:
    text = "Nghị quyết lãnh đạo thực hiện nhiệm vụ " * 25  # 975 characters
    assert char_accuracy(text, text) == 1.0
    nfd = unicodedata.normalize("NFD", text).replace(" ", "  \n")
    assert char_accuracy(text, nfd) == 1.0  # NFC and whitespace do not count
    one_wrong = text.replace("quyết", "quyêt", 1)
    assert char_accuracy(text, one_wrong) == pytest.approx(1 - 1 / len(collapse(text)))
    assert char_accuracy(text, "") == 0.0 and char_accuracy("", "") == 1.0
    assert char_accuracy("ab", "xyzxyzxyz") == 0.0  # never below 0
    assert char_accuracy("Trường học", "Trêng häc") < 0.8


def _sample(number: int | None, kind: str = "nghi-quyet", symbol: str = "NQ") -> Sample:
    header = Header(kind=kind, number=number, type_symbol=symbol, date=dt.date(2009, 3, 10),
                    cell="CHI BỘ THÔN AN THÀNH",
                    number_text=f"{number:02d}-{symbol}/CB" if number else "", title="NGHỊ QUYẾT x")
    return Sample(path=Path(f"/x/{number}.docx"), format="tcvn3-docx", text="", header=header,
                  paper=number or 0, encoding="tcvn3")


def test_header_accuracy_counts_each_field_exactly() -> None:
    right = {"number": 5, "number_text": "05-NQ/CB", "date": "2009-03-10", "kind": "nghi-quyet",
             "cell": "Chi bộ thôn An Thành"}  # case does not matter, letters do
    wrong = {"number": 5, "number_text": "05-NQ/CB", "date": "2009-03-11", "kind": "nghi-quyet",
             "cell": "CHI BO THON AN THANH"}
    samples = [_sample(5), _sample(5)]
    assert header_fields(samples[0], right) == dict.fromkeys(("number", "type", "date", "cell"), True)
    assert header_fields(samples[1], wrong) == {"number": True, "type": True, "date": False,
                                                "cell": False}
    assert header_accuracy(samples, [right, wrong]) == 6 / 8
    assert header_accuracy(samples, [right, None]) == 4 / 8
    # kinds never numbered: the type is the kind
    outline = _sample(None, "de-cuong-chuyen-de", "")
    row = {"number": None, "number_text": "", "date": "2009-03-10", "kind": "de-cuong-chuyen-de",
           "cell": "CHI BỘ THÔN AN THÀNH"}
    assert result_type(row) == "de-cuong-chuyen-de" and header_accuracy([outline], [row]) == 1.0
    assert result_type({"number_text": "", "kind": "bien-ban-thuong-ky"}) == "BB"


# ----------------------------------------------------- a set without LibreOffice
def test_cache_builds_once_even_when_two_ask_at_once(tmp_path: Path) -> None:
    args: dict[str, Any] = dict(count=1, kinds=("ke-hoach-chuyen-de", "nghi-quyet"), seed=5,
                                formats={"tcvn3-docx": 1, "vni-docx": 1, "tcvn3-txt": 1},
                                news=tmp_path / "no-news.jsonl.gz", root=tmp_path / "cache")
    got: list[tuple[Path, list[Sample]]] = []
    errors: list[BaseException] = []

    def build() -> None:
        try:
            got.append(corpus.cached_corpus(**args))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    (first, samples), (second, again) = got
    assert first == second and samples == again
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [first.name]  # no leftovers
    assert sorted(s.format for s in samples) == ["tcvn3-docx", "tcvn3-txt", "vni-docx"]
    assert all(s.news == 0 for s in samples)  # no news corpus: none
    started = time.perf_counter()
    assert corpus.cached_corpus(**args) == (first, samples)
    assert time.perf_counter() - started < 1.0
    with pytest.raises(ValueError, match="unknown formats"):
        corpus.build_corpus(tmp_path / "bad", 1, formats={"wordperfect"})


# ------------------------------------------------------------- the real set
@pytest.fixture(scope="module")
def small() -> list[Sample]:
    for tool in ("soffice", "pdftoppm", "pdfinfo", "pdftotext", "pdfimages"):
        require_tool(tool)
    return small_corpus()[1]


def of(samples: list[Sample], *formats: str) -> list[Sample]:
    chosen = [s for s in samples if s.format in formats]
    assert chosen, formats
    return chosen


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith(".xml")}


@pytest.mark.libreoffice
def test_every_format_is_built_as_asked(small: list[Sample]) -> None:
    counts = {name: sum(1 for s in small if s.format == name) for name in FORMATS}
    assert counts == {name: SMALL_FORMATS.get(name, 0) for name in FORMATS}
    names = [s.path.name for s in small]
    assert len(set(names)) == len(names) and len({s.paper for s in small}) == len(small)
    assert len({(s.header.cell, s.header.date) for s in small}) == len(small)
    for s in small:
        assert s.path.is_file() and s.path.stat().st_size > 0, s.path
        assert s.path.suffix == FORMATS[s.format][1] and s.encoding == FORMATS[s.format][0]
        assert dt.date(2004, 12, 20) <= s.header.date <= dt.date(2025, 12, 31)
        assert s.header.cell == "CHI BỘ THÔN AN THÀNH"  # the profile's cell
        if s.header.type_symbol:
            assert s.header.number is not None and 1 <= s.header.number <= 99
            assert s.header.number_text == f"{s.header.number:02d}-{s.header.type_symbol}/CB"
        else:
            assert s.header.number is None and s.header.number_text == ""
    assert {s.header.kind for s in small} == set(corpus.SMALL_KINDS)
    assert len({s.header.date.year for s in small}) >= 8


@pytest.mark.libreoffice
def test_expected_text_is_the_unicode_paper_with_its_header(small: list[Sample]) -> None:
    for s in of(small, "unicode-docx"):
        assert collapse(docx_text(s.path)) == collapse(s.text)
    for s in small:
        text = unicodedata.normalize("NFC", s.text)
        if s.format == "tcvn3-txt":  # no font: the H fonts' capitals are lowercase
            text = text.casefold()
            assert s.header.cell.casefold() in text
        else:
            assert s.header.cell in text, s.path.name
        if s.header.number_text:
            assert f"Số {s.header.number_text}".casefold() in text.casefold(), s.path.name
        day = re.search(r"ngày (\d+) tháng (\d+) năm (\d{4})", text)
        assert day, s.path.name
        assert dt.date(int(day[3]), int(day[2]), int(day[1])) == s.header.date
    if corpus.NEWS.is_file():  # news paragraphs in the bodies, read at run time
        assert sum(s.news for s in small) >= len(small)
        sample = next(s for s in small if s.news and s.format == "unicode-docx")
        news = corpus.news_paragraphs()
        assert any(p in sample.text for p in news)


def _style_table(styles: bytes) -> tuple[str | None, dict[str, tuple[str | None, str | None]], str | None]:
    """(document default font, style id → (font, basedOn), default paragraph style)."""
    root = etree.fromstring(styles)
    fonts = root.find(f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}/{q('rFonts')}")
    default = None if fonts is None else fonts.get(q("hAnsi")) or fonts.get(q("ascii"))
    table: dict[str, tuple[str | None, str | None]] = {}
    default_para = None
    for style in root.iter(q("style")):
        sid = style.get(q("styleId")) or ""
        font_el = style.find(f"{q('rPr')}/{q('rFonts')}")
        font = None if font_el is None else font_el.get(q("hAnsi")) or font_el.get(q("ascii"))
        based = style.find(q("basedOn"))
        table[sid] = (font, None if based is None else based.get(q("val")))
        if style.get(q("type")) == "paragraph" and style.get(q("default")) == "1":
            default_para = sid
    return default, table, default_para


def _chain(table: dict[str, tuple[str | None, str | None]], sid: str | None) -> str | None:
    seen: set[str] = set()
    while sid and sid not in seen and sid in table:
        seen.add(sid)
        font, sid_next = table[sid]
        if font:
            return font
        sid = sid_next
    return None


def decode_by_fonts(path: Path) -> str:
    """The text of a legacy .docx as its fonts say: each run's font from w:rFonts (hAnsi,
    then ascii), its character style, its paragraph style (basedOn), the defaults; then
    TCVN3 (capitals in H fonts) or VNI decoded, anything else kept. Paragraphs in the
    order of docgen.docxtext."""
    import docx

    default, table, default_para = _style_table(_parts(path)["word/styles.xml"])
    document = docx.Document(str(path))

    def paragraph(p: Any) -> str:
        ppr = p.find(q("pPr"))
        pstyle = None if ppr is None or ppr.find(q("pStyle")) is None else ppr.find(q("pStyle")).get(q("val"))
        out = []
        for run in p.iter(q("r")):
            rpr = run.find(q("rPr"))
            font = None
            if rpr is not None:
                fonts = rpr.find(q("rFonts"))
                if fonts is not None:
                    font = fonts.get(q("hAnsi")) or fonts.get(q("ascii"))
                rstyle = rpr.find(q("rStyle"))
                if font is None and rstyle is not None:
                    font = _chain(table, rstyle.get(q("val")))
            font = font or _chain(table, pstyle or default_para) or default
            raw = ""
            for child in run:
                if child.tag == q("t"):
                    raw += child.text or ""
                elif child.tag == q("softHyphen"):
                    raw += "\xad"
                elif child.tag == q("tab"):
                    raw += "\t"
            legacy = font_encoding(font)
            if legacy is None:
                out.append(raw)
            elif legacy.encoding == "tcvn3":
                out.append(decode_tcvn3(raw, legacy.capitals))
            else:
                out.append(decode_vni(raw))
        return "".join(out)

    def walk(container: Any) -> Any:
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    seen: set[int] = set()
                    for cell in row.cells:
                        if id(cell._tc) not in seen:
                            seen.add(id(cell._tc))
                            yield from walk(cell)
            else:
                yield paragraph(block._p)

    return "\n".join(t for t in walk(document) if t.strip())


@pytest.mark.libreoffice
def test_legacy_docx_read_by_python_docx_is_gibberish(small: list[Sample]) -> None:
    for s in of(small, "tcvn3-docx", "vni-docx", "mixed-docx"):
        naive = docx_text(s.path)
        assert char_accuracy(s.text, naive) < 0.85, s.path.name
        body = naive.split("-----", 1)[1]  # after the header and title
        assert not set(body) & set("ươạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"), s.path.name


@pytest.mark.libreoffice
def test_legacy_docx_decoded_by_their_fonts_give_the_expected_text(small: list[Sample]) -> None:
    for s in of(small, "tcvn3-docx", "vni-docx", "mixed-docx"):
        assert collapse(decode_by_fonts(s.path)) == collapse(s.text), s.path.name


@pytest.mark.libreoffice
def test_legacy_docx_carry_the_fonts_as_typists_set_them(small: list[Sample]) -> None:
    legacy = of(small, "tcvn3-docx", "vni-docx", "mixed-docx")
    assert {s.style for s in legacy} == set(STYLES)  # runs, defaults, paragraph and character styles
    for s in legacy:
        parts = _parts(s.path)
        document, styles = parts["word/document.xml"].decode(), parts["word/styles.xml"].decode()
        base = corpus.VNI_FONT if s.format == "vni-docx" else corpus.TCVN3_FONT
        run_fonts = set(re.findall(r'<w:rFonts w:ascii="([^"]+)" w:hAnsi="\1"', document))
        if s.style == "runs":
            assert base in run_fonts
        else:
            assert base not in run_fonts and f'w:ascii="{base}"' in styles, s.path.name
        if s.style == "paragraph-style":
            assert f'<w:pStyle w:val="{corpus.PARA_STYLE}"/>' in document
            assert f'w:styleId="{corpus.PARA_STYLE}"' in styles and "<w:basedOn" in styles
        if s.style == "character-style":
            assert f'<w:rStyle w:val="{corpus.CHAR_STYLE}"/>' in document
        if s.format == "vni-docx":
            assert corpus.TCVN3_FONT not in document + styles
            continue
        # TCVN3: capitals in the H font, ư (0xAD) as Word's soft hyphen element
        assert corpus.TCVN3_CAPS_FONT in run_fonts and "<w:softHyphen/>" in document
        assert "\xad" not in document
        if s.format == "mixed-docx":  # the header table is Unicode in Times New Roman
            table = document.split("<w:tbl>", 1)[1].split("</w:tbl>", 1)[0]
            assert corpus.TCVN3_FONT not in table and s.header.cell in table


def test_a_toned_capital_in_mixed_case_is_its_own_h_font_run() -> None:
    segments = corpus.tcvn3_segments("Đảng ủy xã, Ủy ban nhân dân")
    assert [font for font, _, _ in segments] == [".VnTime", ".VnTimeH", ".VnTime"]
    assert segments[1][1:] == ("Ủ", "ñ")
    assert corpus.tcvn3_segments("NGHỊ QUYẾT") == [(".VnTimeH", "NGHỊ QUYẾT", "nghÞ quyÕt")]
    assert corpus.tcvn3_segments("120 m²")[-1] == ("Times New Roman", "²", "²")


@pytest.mark.libreoffice
def test_doc_files_are_word_97_with_the_legacy_fonts(small: list[Sample]) -> None:
    for s in of(small, "tcvn3-doc", "vni-doc"):
        data = s.path.read_bytes()
        assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", s.path.name  # OLE compound file
        font = corpus.TCVN3_FONT if s.format == "tcvn3-doc" else corpus.VNI_FONT
        assert font.encode("utf-16-le") in data or font.encode() in data, s.path.name


@pytest.mark.libreoffice
def test_odt_and_rtf_copies(small: list[Sample]) -> None:
    for s in of(small, "unicode-odt", "tcvn3-odt"):
        with zipfile.ZipFile(s.path) as z:
            assert z.read("mimetype") == b"application/vnd.oasis.opendocument.text"
            content = z.read("content.xml").decode() + z.read("styles.xml").decode()
        assert (".VnTime" in content) == (s.format == "tcvn3-odt")
    for s in of(small, "unicode-rtf", "tcvn3-rtf"):
        data = s.path.read_bytes()
        assert data.startswith(b"{\\rtf") and (b".VnTime" in data) == (s.format == "tcvn3-rtf")


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


@pytest.mark.libreoffice
def test_text_pdfs_have_a_unicode_text_layer(small: list[Sample]) -> None:
    for s in of(small, "pdf"):
        layer = _pdftotext(s.path)
        assert s.header.cell in layer and (not s.header.number_text or s.header.number_text in layer)
        assert s.pages == corpus.pdf_pages(s.path) and s.pages >= 1
        # the words are all there (columns side by side: the order is the reader's work)
        assert set(collapse(s.text).split()) - set(collapse(layer).split()) <= {"*", "-----"}


@pytest.mark.libreoffice
def test_scans_are_images_only(small: list[Sample]) -> None:
    from PIL import Image

    for s in of(small, "scan"):
        assert _pdftotext(s.path).strip() == "", s.path.name  # no text layer
        listing = subprocess.run(["pdfimages", "-list", str(s.path)], capture_output=True, text=True,
                                 check=True).stdout.splitlines()[2:]
        assert len(listing) == s.pages == corpus.pdf_pages(s.path) == 1
        assert all(line.split()[12:14] == ["200", "200"] for line in listing), listing  # x-ppi y-ppi
    for s in of(small, "png", "tif"):
        with Image.open(s.path) as image:
            assert image.mode == "L" and getattr(image, "n_frames", 1) == s.pages
            assert abs(image.width - 1654) <= 2 and abs(image.height - 2339) <= 2  # A4, 200 dpi
    assert [s.pages for s in of(small, "tif")] == [2]
    for s in of(small, "scan", "png", "tif"):  # cut to its pages: still the header first
        assert s.text.startswith("ĐẢNG BỘ") and s.header.cell in s.text


@pytest.mark.libreoffice
def test_txt_holds_tcvn3_bytes(small: list[Sample]) -> None:
    for s in of(small, "tcvn3-txt"):
        data = s.path.read_bytes()
        assert b"\r\n" in data
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        assert collapse(decode_tcvn3(data)) == collapse(s.text)
        assert s.header.cell.lower() in s.text  # typed in .VnTimeH: lowercase codes
