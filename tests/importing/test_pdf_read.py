"""docgen.importing.pdf_read on real PDFs: a Unicode NGHỊ QUYẾT made with python-docx and
converted by LibreOffice (text layer), the same pages rasterised at 200 dpi into an
image-only PDF (OCR), TCVN3/VNI mojibake text layers, legacy fonts named in the PDF, a
paper with a bordered four-column table running over two pages and a two-column
signature block (text layer and 200-dpi scan: read cell by cell, as Word's text), and
the files that must be refused (encrypted, corrupt, empty, too many pages)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from PIL import Image
from pypdf import PdfReader, PdfWriter

from docgen.importing.pdf_read import read_pdf
from docgen.importing.recovered import Paragraph, ReadOptions, Recovered, Table, UnreadableFile
from docgen.vn.legacy import encode_tcvn3, encode_vni

sys.path.insert(0, str(Path(__file__).parent))
from importing_support import require_tool  # noqa: E402

LEFT = ["ĐẢNG BỘ XÃ QUANG KIM", "CHI BỘ THÔN AN THÀNH", "*", "Số 05-NQ/CB"]
RIGHT = ["ĐẢNG CỘNG SẢN VIỆT NAM", "An Thành, ngày 10 tháng 3 năm 2026"]
TYPE_NAME = "NGHỊ QUYẾT"
TRICH_YEU = "lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026"
BODY = [
    "Căn cứ Điều lệ Đảng Cộng sản Việt Nam và chương trình công tác năm 2026 của Đảng ủy xã "
    "Quang Kim, ngày 10 tháng 3 năm 2026 chi bộ thôn An Thành họp thường kỳ, có 25/27 đảng "
    "viên dự họp.",
    "Chi bộ đánh giá: trong tháng, đảng viên và nhân dân trong thôn tích cực lao động sản xuất, "
    "chăm sóc lúa chiêm xuân, khơi thông kênh mương, giữ gìn an ninh trật tự; không có vụ việc "
    "phức tạp xảy ra.",
    "Tổ chức ngày hội đại đoàn kết ở nhà văn hóa thôn; vận động các hộ gia đình ủng hộ quỹ "
    "khuyến học, thăm hỏi người già yếu, ốm đau; kịp thời hỗ trợ những hộ nghèo sửa chữa nhà ở "
    "trước mùa mưa bão.",
    "Ông Nguyễn Văn Đức báo cáo kết quả thu nộp đảng phí, bà Trần Thị Ửng phụ trách công tác "
    "phụ nữ, anh Phạm Quốc Hưng lo việc thanh niên, chị Lê Thị Thủy theo dõi vệ sinh môi "
    "trường; ý kiến đều nhất trí.",
    "Nhiệm vụ tháng tới: đẩy mạnh phong trào xây dựng nông thôn mới, trồng thêm cây xanh dọc "
    "đường làng, nạo vét ao hồ, chống rác thải nhựa; mỗi đảng viên gương mẫu, nói đi đôi với "
    "làm, giữ vững kỷ luật.",
    "Ẩn chứa trong lời dặn của các cụ: uống nước nhớ nguồn, ăn quả nhớ kẻ trồng cây; những việc "
    "nhỏ như quét ngõ, dọn mương, ủ phân, ươm mạ đều góp phần làm nên diện mạo mới, ấm no, hạnh "
    "phúc.",
    "Ưu tiên giải quyết dứt điểm kiến nghị của cử tri về hệ thống điện chiếu sáng; rà soát, bổ "
    "sung danh sách hộ cận nghèo; tuyên truyền để người dân hiểu rõ, đồng thuận, tránh khiếu nại "
    "vượt cấp.",
    "Ở khu dân cư số 2, ổ gà trên đường liên thôn phải được vá lại; ống cống cũ bị vỡ cần thay "
    "mới; Ủy ban nhân dân xã hứa hỗ trợ xi măng, thôn góp công, hoàn thành trước ngày 30 tháng 4.",
    "Ý thức chấp hành pháp luật được nâng lên; Ấp dụng những cách làm hay, Ông bà, cha mẹ nhắc "
    "nhở con cháu; Ếch kêu ộp oạp ngoài đồng báo hiệu mưa, Ôn lại truyền thống, Ơn nghĩa sâu "
    "nặng.",
    "CHI BỘ THỐNG NHẤT: XÂY DỰNG ĐƯỜNG LÀNG, NGÕ XÓM SÁNG, XANH, SẠCH, ĐẸP; GIỮ GÌN BẢN SẮC VĂN "
    "HÓA; ỦNG HỘ QUỸ VÌ NGƯỜI NGHÈO; TỔ CHỨC LỄ KỶ NIỆM NGÀY THÀNH LẬP ĐOÀN; MỪNG THỌ CÁC CỤ.",
    "MỖI ĐẢNG VIÊN CẦN DẪN ĐẦU, CHẲNG NỀ KHÓ KHĂN, BẰNG LÒNG TIN VỮNG CHẮC, KHÔNG BẴNG QUÊN "
    "NHIỆM VỤ, KIÊNG KỴ THÓI QUAN LIÊU; CHÍNH NGHĨA, ĐÚNG KỲ, NẶNG TÌNH, TRẺ NHỎ CŨNG ĐƯỢC GỠ "
    "KHÓ, CÙNG VÒNG TAY LỚN, MỚI LÊN, ĐỂ SẼ KÉM CHỈ TIÊU, ĐỒNG LÒNG, ÉP BUỘC, ỒN ÀO, ÚP MỞ, "
    "ỨNG XỬ.",
    "Từ nay đến cuối năm, thôn sẽ vừa làm vừa rút kinh nghiệm, bằng mọi cách chẳng để ai bị bỏ "
    "lại phía sau; mẹ ẵm con đi họp, cụ già chống gậy không quỵ ngã, vòng tay nhân ái luôn rộng "
    "mở.",
    "Nghị quyết được biểu quyết thông qua với 25/25 đảng viên dự họp tán thành, đạt 100%; giao "
    "đồng chí Bí thư chỉ đạo, các đồng chí đảng viên triển khai thực hiện, báo cáo kết quả tại "
    "kỳ họp sau.",
]
# TCVN3 text without "ư": its byte 0xAD is a soft hyphen, which LibreOffice does not draw
TCVN3_BODY = ("Chi bộ thôn An Thành họp ngày 10 tháng 3 năm 2026 để bàn việc chăm sóc lúa, "
              "khơi thông kênh rạch và giữ gìn an ninh trật tự trong thôn.")
VNI_BODY = ("Nhiệm vụ tháng tới: đẩy mạnh phong trào xây dựng nông thôn mới, trồng thêm cây "
            "xanh dọc đường làng, mỗi đảng viên gương mẫu.")

VIETNAMESE_LETTERS = (
    "ÁáÀàẢảÃãẠạÂâẤấẦầẨẩẪẫẬậĂăẮắẰằẲẳẴẵẶặĐđÉéÈèẺẻẼẽẸẹÊêẾếỀềỂểỄễỆệÍíÌìỈỉĨĩỊịÓóÒòỎỏÕõỌọÔô"
    "ỐốỒồỔổỖỗỘộƠơỚớỜờỞởỠỡỢợÚúÙùỦủŨũỤụƯưỨứỪừỬửỮữỰựÝýỲỳỶỷỸỹỴỵ"
)


def expected_text() -> str:
    return "\n".join([*LEFT, *RIGHT, TYPE_NAME, TRICH_YEU, *BODY])


def collapse(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def levenshtein(a: str, b: str, band: int = 80) -> int:
    """Edit distance, computed in a diagonal band (exact when the strings stay within
    ``band`` edits of alignment, which recovered text does)."""
    band = max(band, abs(len(a) - len(b)) + 1)
    big = len(a) + len(b)
    previous = {j: j for j in range(0, min(len(b), band) + 1)}
    for i in range(1, len(a) + 1):
        current: dict[int, int] = {}
        lo, hi = max(0, i - band), min(len(b), i + band)
        for j in range(lo, hi + 1):
            if j == 0:
                current[j] = i
                continue
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(
                previous.get(j, big) + 1,
                current.get(j - 1, big) + 1,
                previous.get(j - 1, big) + cost,
            )
        previous = current
    return previous.get(len(b), big)


def accuracy(expected: str, got: str) -> float:
    """1 − Levenshtein/len over whitespace-collapsed NFC text."""
    want, have = collapse(expected), collapse(got)
    return 1 - levenshtein(want, have) / len(want)


def test_levenshtein_is_exact_on_small_cases() -> None:
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("", "abc") == 3
    assert levenshtein("Đảng", "Đảng") == 0
    assert levenshtein("chi bộ thôn", "chỉ bộ thôn") == 1
    assert accuracy("a b  c", "a b c") == 1.0


def test_the_sample_uses_every_vietnamese_letter() -> None:
    text = expected_text()
    assert [c for c in VIETNAMESE_LETTERS if c not in text] == []


def _paper(path: Path, body: list[str], *, legacy: bool = False) -> None:
    """A NGHỊ QUYẾT as the HD 36 lays it out: a borderless two-column header table."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    table = doc.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (LEFT, RIGHT), strict=True):
        cell.paragraphs[0].text = lines[0]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for line in lines[1:]:
            cell.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (TYPE_NAME, TRICH_YEU):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True
    for text in body:
        paragraph = doc.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1) if not legacy else None
    doc.save(str(path))


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The PDFs, made once: LibreOffice converts the .docx files."""
    soffice = require_tool("soffice")
    require_tool("pdftotext")
    require_tool("pdftoppm")
    root = tmp_path_factory.mktemp("pdf-papers")
    _paper(root / "nghi-quyet.docx", BODY)
    _paper(root / "mojibake.docx",
           [encode_tcvn3(TCVN3_BODY), encode_vni(VNI_BODY), BODY[0]], legacy=True)
    profile = (root / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(root), str(root / "nghi-quyet.docx"), str(root / "mojibake.docx")],
        check=True, stdin=subprocess.DEVNULL, capture_output=True, timeout=180,
    )
    return {"text": root / "nghi-quyet.pdf", "mojibake": root / "mojibake.pdf", "root": root}


def _header(rec: Recovered) -> Table:
    table = rec.blocks[0]
    assert isinstance(table, Table), rec.blocks[:3]
    return table


def _paragraph(rec: Recovered, text: str) -> Paragraph:
    for block in rec.blocks:
        if isinstance(block, Paragraph) and collapse(block.text) == collapse(text):
            return block
    raise AssertionError(f"no paragraph {text!r} in {[getattr(b, 'text', b) for b in rec.blocks]}")


@pytest.mark.libreoffice
def test_text_pdf_keeps_the_header_apart_and_reads_every_letter(papers: dict[str, Path]) -> None:
    started = time.perf_counter()
    rec = read_pdf(papers["text"].read_bytes(), ReadOptions())
    seconds = time.perf_counter() - started
    assert rec.source == "pdf" and rec.encoding == "unicode" and rec.ocr is None
    assert rec.pages == len(PdfReader(papers["text"]).pages)
    assert _header(rec).rows == (("\n".join(LEFT), "\n".join(RIGHT)),)
    title = _paragraph(rec, TYPE_NAME)
    assert title.bold and title.centered and title.upper
    assert _paragraph(rec, TRICH_YEU).bold
    # wrapped lines are joined: each body paragraph comes back whole
    for text in BODY:
        assert not _paragraph(rec, text).bold
    score = accuracy(expected_text(), rec.text())
    print(f"\ntext-layer PDF: accuracy {score:.4f}, {seconds:.2f} s")
    assert score >= 0.99
    assert rec.text() == unicodedata.normalize("NFC", rec.text())


@pytest.mark.libreoffice
def test_mojibake_text_layer_is_decoded_per_paragraph(papers: dict[str, Path]) -> None:
    rec = read_pdf(papers["mojibake"].read_bytes(), ReadOptions())
    assert rec.encoding == "mixed"  # a Unicode header and paragraph, TCVN3 and VNI ones
    assert _header(rec).rows == (("\n".join(LEFT), "\n".join(RIGHT)),)
    _paragraph(rec, TCVN3_BODY)
    _paragraph(rec, VNI_BODY)
    _paragraph(rec, BODY[0])


@pytest.mark.libreoffice
def test_scanned_pdf_is_read_with_ocr(papers: dict[str, Path], tmp_path: Path) -> None:
    require_tool("tesseract")
    subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", str(papers["text"]),
                    str(tmp_path / "page")], check=True, stdin=subprocess.DEVNULL, timeout=120)
    images = [Image.open(path) for path in sorted(tmp_path.glob("page*.png"))]
    scan = tmp_path / "scan.pdf"
    images[0].save(scan, "PDF", save_all=True, append_images=images[1:], resolution=200)
    assert len(images) <= 2  # keeps the OCR tests within four pages
    started = time.perf_counter()
    rec = read_pdf(scan.read_bytes(), ReadOptions(), workers=2)
    seconds = time.perf_counter() - started
    assert rec.source == "scan" and rec.pages == len(images)
    assert rec.ocr is not None
    assert rec.ocr.engine.startswith("tesseract ") and rec.ocr.lang == "vie"
    assert rec.ocr.pages == len(images) and rec.ocr.dpi == 200
    assert 0.8 < rec.ocr.confidence <= 1.0
    left, right = _header(rec).rows[0]
    assert left.split("\n")[0] == LEFT[0] and left.split("\n")[-1] == LEFT[-1]
    assert right.split("\n") == RIGHT
    score = accuracy(expected_text(), rec.text())
    print(f"\nscanned PDF (200 dpi, {len(images)} pages): accuracy {score:.4f}, "
          f"{seconds / len(images):.2f} s/page, confidence {rec.ocr.confidence:.3f}")
    assert score >= 0.97


def handmade_pdf(runs: list[tuple[str, int, int, int, bytes]], fonts: dict[str, str]) -> bytes:
    """A one-page PDF written by hand: ``runs`` of (font key, size, x, y from the top,
    bytes) in the named base fonts (not embedded, WinAnsi), as old papers printed to PDF
    from Word with the TCVN3/VNI fonts are."""
    keys = list(fonts)
    refs = b" ".join(b"/%s %d 0 R" % (key.encode(), 5 + i) for i, key in enumerate(keys))
    content = b""
    for key, size, x, y, text in runs:
        escaped = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        content += b"BT /%s %d Tf %d %d Td (%s) Tj ET\n" % (key.encode(), size, x, 842 - y, escaped)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << "
        + refs + b" >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
    ] + [
        b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
        % fonts[key].encode()
        for key in keys
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _legacy_pdf() -> bytes:
    def tcvn3(text: str, capitals: bool = False) -> bytes:
        return encode_tcvn3(text, capitals=capitals).encode("cp1252")

    return handmade_pdf(
        [
            ("H", 13, 90, 60, tcvn3("ĐẢNG BỘ XÃ QUANG KIM", True)),
            ("H", 13, 330, 60, tcvn3("ĐẢNG CỘNG SẢN VIỆT NAM", True)),
            ("H", 13, 95, 80, tcvn3("CHI BỘ THÔN AN THÀNH", True)),
            ("I", 13, 325, 80, tcvn3("An Thành, ngày 10 tháng 3 năm 2026")),
            ("T", 13, 130, 100, b"*"),
            ("T", 13, 110, 120, tcvn3("Số 05-NQ/CB")),
            ("B", 14, 255, 160, tcvn3("NGHỊ QUYẾT", True)),
            ("T", 13, 90, 200, tcvn3("Trường học của thôn được sửa chữa, người dân đồng tình.")),
            ("V", 13, 90, 230, encode_vni("Xin chào các bạn, Việt Nam mến yêu.").encode("cp1252")),
        ],
        {"H": ".VnTimeH", "T": ".VnTime", "I": ".VnTime-Italic", "B": ".VnTimeH-Bold",
         "V": "VNI-Times"},
    )


def test_legacy_fonts_named_in_the_pdf_decode_their_words() -> None:
    require_tool("pdftotext")
    require_tool("pdftohtml")
    rec = read_pdf(_legacy_pdf(), ReadOptions())
    assert rec.encoding == "mixed"  # TCVN3 and VNI
    # .VnTimeH draws the lowercase codes as capitals; "-" (WinAnsi's 0xAD) is "ư"
    assert _header(rec).rows == ((
        "ĐẢNG BỘ XÃ QUANG KIM\nCHI BỘ THÔN AN THÀNH\n*\nSố 05-NQ/CB",
        "ĐẢNG CỘNG SẢN VIỆT NAM\nAn Thành, ngày 10 tháng 3 năm 2026",
    ),)
    title = _paragraph(rec, "NGHỊ QUYẾT")
    assert title.bold and title.upper and title.centered
    assert not _paragraph(rec, "Trường học của thôn được sửa chữa, người dân đồng tình.").bold
    _paragraph(rec, "Xin chào các bạn, Việt Nam mến yêu.")


# ---------------------------------------------------------------- refusals


def _refused(data: bytes, options: ReadOptions | None = None) -> UnreadableFile:
    require_tool("pdfinfo")
    with pytest.raises(UnreadableFile) as caught:
        read_pdf(data, options or ReadOptions())
    error = caught.value
    assert error.hint is not None and error.hint.vi and error.hint.en
    assert error.message.vi != error.message.en
    return error


def test_empty_file_is_refused() -> None:
    error = _refused(b"")
    assert "rỗng" in error.message.vi and "empty" in error.message.en


def test_not_a_pdf_is_refused() -> None:
    error = _refused(b"PK\x03\x04 this is a zip, not a PDF" * 10)
    assert "không phải tệp PDF" in error.message.vi and "not a PDF" in error.message.en


def test_garbage_after_the_signature_is_corrupt() -> None:
    error = _refused(b"%PDF-1.7\n" + os.urandom(4000))
    assert "hỏng" in error.message.vi and "damaged" in error.message.en


def test_truncated_pdf_is_corrupt() -> None:
    data = _legacy_pdf()
    error = _refused(data[: len(data) // 3])
    assert "hỏng" in error.message.vi


def _encrypt(data: bytes, user: str, owner: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_user_password_is_refused() -> None:
    error = _refused(_encrypt(_legacy_pdf(), "secret", "secret"))
    assert "mật khẩu" in error.message.vi and "password" in error.message.en


def test_owner_password_only_is_read() -> None:
    require_tool("pdftotext")
    locked = _encrypt(_legacy_pdf(), "", "owner-secret")
    assert PdfReader(io.BytesIO(locked)).is_encrypted
    rec = read_pdf(locked, ReadOptions())
    assert rec.source == "pdf"
    _paragraph(rec, "NGHỊ QUYẾT")


def test_too_many_pages_is_refused() -> None:
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    error = _refused(out.getvalue(), ReadOptions(max_pages=2))
    assert "3 trang" in error.message.vi and "3 pages" in error.message.en


def test_zero_pages_is_refused() -> None:
    out = io.BytesIO()
    PdfWriter().write(out)
    error = _refused(out.getvalue())
    assert "không có trang" in error.message.vi and "no page" in error.message.en


def test_a_program_that_runs_too_long_is_stopped() -> None:
    error = _refused(_legacy_pdf(), ReadOptions(timeout=0.0001))
    assert "giây" in error.message.vi and "seconds" in error.message.en


# ---------------------------------------------------------------- tables and signatures

TASKS = [
    ("Ra quân tổng vệ sinh môi trường, khơi thông cống rãnh dọc đường liên thôn",
     "Vũ Thị Phương", "29/3/2026"),
    ("Hoàn thiện hồ sơ tiêu chí thôn nông thôn mới kiểu mẫu gửi Đảng ủy xã", "Trần Thị Bích",
     "31/3/2026"),
    ("Thu đảng phí quý I", "Lê Văn Cường", "25/3/2026"),
    ("Vận động nhân dân hiến đất mở rộng đường xóm Tây, lập danh sách các hộ", "Phạm Quốc Hưng",
     "15/4/2026"),
    ("Tổ chức ngày hội đại đoàn kết toàn dân tộc ở khu dân cư", "Nguyễn Văn Đức", "18/11/2026"),
]
HEADING = ("TT", "Nội dung công việc", "Đồng chí phụ trách", "Thời hạn")
RECIPIENTS = ["Nơi nhận:", "- Đảng ủy xã Quang Kim (để báo cáo),", "- Đảng viên trong chi bộ,",
              "- Lưu Chi bộ."]
SIGNER = ["T/M CHI BỘ", "BÍ THƯ", "", "", "", "Nguyễn Văn An"]


def _table_paper(path: Path, repeats: int) -> None:
    """A paper with a bordered four-column table (its heading row repeated on each page,
    cells wrapping over several lines) and, at the end, the two-column borderless
    signature block: "Nơi nhận" on the left, the signer on the right."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(14)
    doc.add_paragraph(BODY[0]).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.add_paragraph("Phân công nhiệm vụ:")
    rows = [TASKS[i % len(TASKS)] for i in range(repeats)]
    table = doc.add_table(rows=1 + len(rows), cols=4)
    table.style = "Table Grid"
    for cell, width in zip(table.columns, (Cm(1.2), Cm(8), Cm(4.5), Cm(2.8)), strict=True):
        for c in cell.cells:
            c.width = width
    heading = table.rows[0]
    heading._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(heading.cells, HEADING, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for n, (row, (task, who, when)) in enumerate(zip(table.rows[1:], rows, strict=True), start=1):
        for cell, text in zip(row.cells, (str(n), task, who, when), strict=True):
            cell.paragraphs[0].text = text
    assert heading._tr.trPr.find(qn("w:tblHeader")) is not None
    doc.add_paragraph(BODY[-1]).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    sign = doc.add_table(rows=1, cols=2)  # no style: no borders
    left, right = sign.rows[0].cells
    left.paragraphs[0].text = RECIPIENTS[0]
    for line in RECIPIENTS[1:]:
        left.add_paragraph(line)
    right.paragraphs[0].text = SIGNER[0]
    for line in SIGNER[1:]:
        right.add_paragraph(line)
    for paragraph in right.paragraphs:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.save(str(path))


@pytest.fixture(scope="module")
def table_paper(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The paper as a LibreOffice PDF (two pages, the table running over) and as a
    200-dpi image-only scan of it."""
    soffice = require_tool("soffice")
    require_tool("pdftoppm")
    root = tmp_path_factory.mktemp("table-paper")
    _table_paper(root / "phan-cong.docx", 14)
    profile = (root / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(root), str(root / "phan-cong.docx")],
        check=True, stdin=subprocess.DEVNULL, capture_output=True, timeout=180,
    )
    subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", str(root / "phan-cong.pdf"),
                    str(root / "page")], check=True, stdin=subprocess.DEVNULL, timeout=120)
    images = [Image.open(path) for path in sorted(root.glob("page*.png"))]
    images[0].save(root / "scan.pdf", "PDF", save_all=True, append_images=images[1:],
                   resolution=200)
    return {"docx": root / "phan-cong.docx", "pdf": root / "phan-cong.pdf",
            "scan": root / "scan.pdf"}


def _tables(rec: Recovered) -> list[Table]:
    return [b for b in rec.blocks if isinstance(b, Table)]


def _cells(row: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(collapse(cell) for cell in row)


@pytest.mark.libreoffice
def test_text_pdf_reads_a_bordered_table_and_the_signature_block_cell_by_cell(
        table_paper: dict[str, Path]) -> None:
    from docgen.docxtext import docx_text

    assert len(PdfReader(table_paper["pdf"]).pages) == 2  # the table runs over a page
    rec = read_pdf(table_paper["pdf"].read_bytes(), ReadOptions())
    expected = docx_text(table_paper["docx"])
    assert accuracy(expected, rec.text()) >= 0.999
    grid, signature = _tables(rec)
    # one table, its heading read once though printed on both pages, a row per task
    assert _cells(grid.rows[0]) == HEADING
    assert [_cells(r) for r in grid.rows[1:]] == [
        (str(n), *TASKS[(n - 1) % len(TASKS)]) for n in range(1, 15)]
    # the signature block is one row of two cells, as Word sets it
    assert signature.rows == (("\n".join(RECIPIENTS), "\n".join(s for s in SIGNER if s)),)
    # the paragraphs around the table stay paragraphs
    _paragraph(rec, "Phân công nhiệm vụ:")
    _paragraph(rec, BODY[-1])


@pytest.mark.libreoffice
def test_scanned_table_and_signature_block_are_read_cell_by_cell(
        table_paper: dict[str, Path]) -> None:
    require_tool("tesseract")
    from docgen.docxtext import docx_text

    started = time.perf_counter()
    rec = read_pdf(table_paper["scan"].read_bytes(), ReadOptions(), workers=2)
    seconds = time.perf_counter() - started
    assert rec.source == "scan" and rec.ocr is not None and rec.ocr.pages == 2
    score = accuracy(docx_text(table_paper["docx"]), rec.text())
    print(f"\nscanned table (2 pages): accuracy {score:.4f}, {seconds:.1f} s")
    assert score >= 0.98
    grid, signature = _tables(rec)
    assert len(grid.rows) == 15 and all(len(row) == 4 for row in grid.rows)
    assert _cells(grid.rows[0]) == HEADING
    numbers = [collapse(row[0]) for row in grid.rows[1:]]
    assert sum(n == str(i) for i, n in enumerate(numbers, start=1)) >= 12
    names = [collapse(row[2]) for row in grid.rows[1:]]
    assert sum(name == TASKS[i % len(TASKS)][1] for i, name in enumerate(names)) >= 12
    assert len(signature.rows) == 1
    left, right = signature.rows[0]
    assert accuracy("\n".join(RECIPIENTS), left) >= 0.95
    assert collapse(right).endswith("Nguyễn Văn An") and collapse(right).startswith("T/M CHI BỘ")


def test_rules_are_read_from_the_content_stream() -> None:
    from docgen.importing.pdf_read import _stream_rules

    content = (b"0.1 w q 2 0 0 2 10 10 cm 0 0 m 100 0 l S Q\n"  # scaled and moved: 10..210
               b"BT /F1 12 Tf 100 100 Td (0 0 m 500 0 l S) Tj ET\n"  # text, not a path
               b"50 700 200 0.5 re f\n"  # a thin filled bar: one rule
               b"300 100 m 300 400 l S\n"  # a vertical rule
               b"20 20 50 50 re f\n"  # a filled square: no rule
               b"30 30 m 400 30 l n\n")  # a path not painted
    rules = _stream_rules(content, (0.0, 0.0, 595.0, 842.0))
    shapes = sorted((r.horizontal, round(r.x0), round(r.y0), round(r.x1), round(r.y1)) for r in rules)
    assert shapes == [(False, 300, 442, 300, 742), (True, 10, 832, 210, 832),
                      (True, 50, 142, 250, 142)]
