"""docgen.importing.ocr with the real tesseract: pages drawn with Pillow in Liberation
Serif at 200 dpi (a PNG page with the two-column HD 36 header, a two-page TIFF, a JPEG
stored sideways with its EXIF orientation, a PDF page), decompression bombs, damaged
images, a missing language and a missing tesseract."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import time
import unicodedata
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

from docgen.importing.ocr import (
    Line,
    Word,
    layout_page,
    ocr_pdf_pages,
    parse_tsv,
    read_image,
    tesseract_version,
)
from docgen.importing.recovered import Paragraph, ReadOptions, Table, UnreadableFile

sys.path.insert(0, str(Path(__file__).parent))
from importing_support import require_tool  # noqa: E402

DPI = 200
STEP = 1.45  # line pitch, in font sizes
WIDTH, HEIGHT = 1654, 2339  # A4 at 200 dpi
LEFT = ["ĐẢNG BỘ XÃ QUANG KIM", "CHI BỘ THÔN AN THÀNH", "*", "Số 05-NQ/CB"]
RIGHT = ["ĐẢNG CỘNG SẢN VIỆT NAM", "An Thành, ngày 10 tháng 3 năm 2026"]
BODY = [
    "Chi bộ đánh giá: trong tháng, đảng viên và nhân dân trong thôn tích cực lao động sản xuất, "
    "chăm sóc lúa chiêm xuân, khơi thông kênh mương, giữ gìn an ninh trật tự.",
    "Ông Nguyễn Văn Đức báo cáo kết quả thu nộp đảng phí, bà Trần Thị Ửng phụ trách công tác "
    "phụ nữ, anh Phạm Quốc Hưng lo việc thanh niên, chị Lê Thị Thủy theo dõi vệ sinh môi "
    "trường; ý kiến đều nhất trí.",
    "Nghị quyết được biểu quyết thông qua với 25/25 đảng viên dự họp tán thành, đạt 100%.",
]


def _font_file(style: str) -> str:
    require_tool("fc-match")
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", f"Liberation Serif:style={style}"],
        capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL, timeout=30,
    ).stdout
    if "LiberationSerif" not in found:
        pytest.fail("Liberation Serif is needed (fonts-liberation2, make sysdeps)")
    return found


@pytest.fixture(scope="module")
def fonts() -> dict[str, ImageFont.FreeTypeFont]:
    size = round(14 / 72 * DPI)  # 14 pt
    return {
        "regular": ImageFont.truetype(_font_file("Regular"), size),
        "bold": ImageFont.truetype(_font_file("Bold"), size),
    }


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float, indent: float) -> list[str]:
    """``text`` in lines of at most ``width`` pixels, the first one ``indent`` shorter."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and font.getlength(trial) > width - (0 if lines else indent):
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current]


def _page(fonts: dict[str, ImageFont.FreeTypeFont], *, header: bool, body: list[str],
          height: int = HEIGHT) -> Image.Image:
    """A white 200-dpi page: optionally the HD 36 header, NGHỊ QUYẾT, then ``body``."""
    image = Image.new("L", (WIDTH, height), 255)
    draw = ImageDraw.Draw(image)
    regular, bold = fonts["regular"], fonts["bold"]
    step = round(regular.size * STEP)
    y = 150
    left_margin, right_margin = 236, WIDTH - 118  # 3 cm and 1.5 cm

    def centred(text: str, centre: float, top: int, font: ImageFont.FreeTypeFont) -> None:
        draw.text((centre - font.getlength(text) / 2, top), text, font=font, fill=0)

    if header:
        for i, text in enumerate(LEFT):
            centred(text, 0.28 * WIDTH, y + i * step, regular)
        for i, text in enumerate(RIGHT):
            centred(text, 0.69 * WIDTH, y + i * step, regular)
        y += len(LEFT) * step + step // 2
        centred("NGHỊ QUYẾT", (left_margin + right_margin) / 2, y, bold)
        y += 2 * step
    for paragraph in body:
        for i, line in enumerate(_wrap(paragraph, regular, right_margin - left_margin, 80)):
            draw.text((left_margin + (80 if i == 0 else 0), y), line, font=regular, fill=0)
            y += step
        y += step // 3
    return image


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(DPI, DPI))
    return out.getvalue()


def collapse(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def accuracy(expected: str, got: str, band: int = 60) -> float:
    """1 − Levenshtein/len over whitespace-collapsed NFC text (a banded edit distance)."""
    a, b = collapse(expected), collapse(got)
    band = max(band, abs(len(a) - len(b)) + 1)
    big = len(a) + len(b)
    previous = {j: j for j in range(min(len(b), band) + 1)}
    for i in range(1, len(a) + 1):
        current = {0: i} if i <= band else {}
        for j in range(max(1, i - band), min(len(b), i + band) + 1):
            current[j] = min(previous.get(j, big) + 1, current.get(j - 1, big) + 1,
                             previous.get(j - 1, big) + (a[i - 1] != b[j - 1]))
        previous = current
    return 1 - previous.get(len(b), big) / len(a)


def test_tesseract_version_names_the_engine() -> None:
    tesseract = require_tool("tesseract")
    first = subprocess.run([tesseract, "--version"], capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=60).stdout.splitlines()[0]
    version = tesseract_version()
    assert re.fullmatch(r"tesseract \d+\.\d+(\.\d+)?", version)
    assert version.split()[1] in first
    assert tesseract_version() is version  # cached


def test_png_page_keeps_the_header_apart(fonts: dict[str, ImageFont.FreeTypeFont]) -> None:
    require_tool("tesseract")
    data = _png(_page(fonts, header=True, body=BODY))
    started = time.perf_counter()
    rec = read_image(data, ReadOptions())
    seconds = time.perf_counter() - started
    assert rec.source == "image" and rec.pages == 1 and rec.encoding == "unicode"
    assert rec.ocr is not None and rec.ocr.pages == 1 and rec.ocr.dpi == 0
    assert rec.ocr.lang == "vie" and rec.ocr.engine == tesseract_version()
    header = rec.blocks[0]
    assert isinstance(header, Table), rec.blocks[:2]
    left, right = header.rows[0]
    assert left.split("\n")[0] == LEFT[0] and left.split("\n")[-1] == LEFT[-1]
    assert right.split("\n") == RIGHT
    title = rec.blocks[1]
    assert isinstance(title, Paragraph) and title.text == "NGHỊ QUYẾT"
    assert title.centered and title.upper
    # wrapped lines joined: the three body paragraphs come back as three
    body = [b for b in rec.blocks[2:] if isinstance(b, Paragraph)]
    assert len(body) == len(BODY)
    assert all(accuracy(want, got.text) >= 0.95 for want, got in zip(BODY, body, strict=True))
    expected = "\n".join([*LEFT, *RIGHT, "NGHỊ QUYẾT", *BODY])
    score = accuracy(expected, rec.text())
    print(f"\nPNG page: accuracy {score:.4f}, {seconds:.2f} s, "
          f"confidence {rec.ocr.confidence:.3f}")
    assert score >= 0.97
    assert rec.print_pdf is not None
    printed = PdfReader(io.BytesIO(rec.print_pdf))
    assert len(printed.pages) == 1
    box = printed.pages[0].mediabox  # the page's own size: A4 at 200 dpi
    assert abs(float(box.width) - 595) < 2 and abs(float(box.height) - 842) < 2


def test_multipage_tiff_reads_every_page(fonts: dict[str, ImageFont.FreeTypeFont]) -> None:
    require_tool("tesseract")
    pages = [
        _page(fonts, header=False, body=[BODY[0]], height=450),
        _page(fonts, header=False, body=[BODY[2]], height=400),
    ]
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], dpi=(DPI, DPI),
                  compression="tiff_deflate")
    rec = read_image(out.getvalue(), ReadOptions(), workers=2)
    assert rec.source == "image" and rec.pages == 2
    assert rec.ocr is not None and rec.ocr.pages == 2 and rec.ocr.confidence > 0.8
    assert not any(isinstance(b, Table) for b in rec.blocks)
    assert accuracy(f"{BODY[0]}\n{BODY[2]}", rec.text()) >= 0.97
    assert rec.print_pdf is not None
    assert len(PdfReader(io.BytesIO(rec.print_pdf)).pages) == 2


def test_jpeg_stored_sideways_is_turned_upright(fonts: dict[str, ImageFont.FreeTypeFont]) -> None:
    require_tool("tesseract")
    upright = _page(fonts, header=False, body=[BODY[2]], height=300)
    sideways = upright.rotate(90, expand=True)  # stored turned left …
    exif = Image.Exif()
    exif[0x0112] = 6  # … and tagged "rotate 90° clockwise to show"
    out = io.BytesIO()
    sideways.save(out, "JPEG", quality=90, exif=exif, dpi=(DPI, DPI))
    rec = read_image(out.getvalue(), ReadOptions())
    assert accuracy(BODY[2], rec.text()) >= 0.97


def test_ocr_pdf_pages_reads_the_pages_asked(fonts: dict[str, ImageFont.FreeTypeFont],
                                             tmp_path: Path) -> None:
    require_tool("tesseract")
    require_tool("pdftoppm")
    pdf = tmp_path / "two.pdf"
    first = _page(fonts, header=False, body=[BODY[2]], height=300)
    second = _page(fonts, header=False, body=[BODY[0]], height=400)
    first.save(pdf, "PDF", save_all=True, append_images=[second], resolution=DPI)
    blocks, info = ocr_pdf_pages(pdf, [2], ReadOptions(ocr_dpi=150))
    assert info.pages == 1 and info.dpi == 150 and info.lang == "vie"
    text = "\n".join(b.text for b in blocks if isinstance(b, Paragraph))
    assert accuracy(BODY[0], text) >= 0.95


def _bomb_png(width: int, height: int) -> bytes:
    """A 1-bit PNG of ``width`` × ``height`` white pixels: tiny on disk, huge in memory."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [30000, 10000])  # far over the limit; just over it (a warning)
def test_decompression_bomb_is_refused(side: int) -> None:
    require_tool("tesseract")
    data = _bomb_png(side, side)
    assert len(data) < 200_000
    with pytest.raises(UnreadableFile) as caught:
        read_image(data, ReadOptions())
    assert "quá lớn" in caught.value.message.vi and "too large" in caught.value.message.en


@pytest.mark.parametrize(
    ("data", "vi"),
    [
        (b"", "rỗng"),
        (b"this is not an image at all" * 20, "không phải ảnh"),
        (None, "hỏng"),  # a PNG cut in half
    ],
)
def test_damaged_images_are_refused(data: bytes | None, vi: str) -> None:
    require_tool("tesseract")
    if data is None:
        whole = _png(Image.new("L", (800, 600), 200))
        data = whole[: len(whole) // 2]
    with pytest.raises(UnreadableFile) as caught:
        read_image(data, ReadOptions())
    assert vi in caught.value.message.vi
    assert caught.value.hint is not None and "PNG" in caught.value.hint.vi


def test_missing_language_names_the_package() -> None:
    require_tool("tesseract")
    with pytest.raises(UnreadableFile) as caught:
        read_image(_png(Image.new("L", (100, 100), 255)), ReadOptions(ocr_lang="zzz"))
    assert "zzz" in caught.value.message.vi and "zzz" in caught.value.message.en
    assert caught.value.hint is not None
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in caught.value.hint.vi
    assert "make sysdeps" in caught.value.hint.en


def test_missing_tesseract_names_the_package(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on this PATH
    with pytest.raises(UnreadableFile) as caught:
        read_image(_png(Image.new("L", (100, 100), 255)), ReadOptions())
    assert "tesseract" in caught.value.message.en
    assert caught.value.hint is not None
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in caught.value.hint.en


# ---------------------------------------------------------------- layout from word boxes


def _tsv(rows: list[tuple[int, int, int, int, int, int, float, str]]) -> str:
    """tesseract's TSV: (block, par, line, left, top, width, conf, text) word rows."""
    out = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
           "\tconf\ttext", f"1\t1\t0\t0\t0\t0\t0\t0\t{WIDTH}\t{HEIGHT}\t-1\t"]
    for n, (block, par, line, left, top, width, conf, text) in enumerate(rows, start=1):
        out.append(f"5\t1\t{block}\t{par}\t{line}\t{n}\t{left}\t{top}\t{width}\t33\t{conf}\t{text}")
    return "\n".join(out) + "\n"


def test_header_merged_into_one_ocr_line_is_split_at_the_gap() -> None:
    # tesseract's own reading of the header: both columns on one line, then the date row
    # whose gap (7.6 % of the page) is narrower than the first row's
    tsv = _tsv([
        (1, 1, 1, 309, 160, 110, 89, "ĐẢNG"), (1, 1, 1, 431, 160, 51, 96, "BỘ"),
        (1, 1, 1, 494, 160, 55, 97, "XÃ"), (1, 1, 1, 561, 167, 137, 93, "QUANG"),
        (1, 1, 1, 710, 167, 74, 92, "KIM"), (1, 1, 1, 937, 160, 111, 45, "ĐẢNG"),
        (1, 1, 1, 1060, 160, 107, 93, "CỘNG"), (1, 1, 1, 1181, 160, 74, 92, "SẢN"),
        (1, 1, 1, 1266, 160, 88, 96, "VIỆT"), (1, 1, 1, 1365, 167, 88, 96, "NAM"),
        (2, 1, 1, 318, 247, 64, 92, "CHI"), (2, 1, 1, 394, 240, 51, 96, "BỘ"),
        (2, 1, 1, 457, 240, 106, 93, "THÔN"), (2, 1, 1, 575, 247, 54, 93, "AN"),
        (2, 1, 1, 641, 240, 134, 96, "THÀNH"), (2, 1, 1, 901, 247, 47, 96, "An"),
        (2, 1, 1, 959, 246, 106, 97, "Thành,"), (2, 1, 1, 1078, 246, 75, 97, "ngày"),
        (2, 1, 1, 1166, 247, 34, 97, "10"), (2, 1, 1, 1211, 246, 85, 97, "tháng"),
        (2, 1, 1, 1309, 247, 16, 97, "3"), (2, 1, 1, 1337, 246, 65, 97, "năm"),
        (2, 1, 1, 1414, 247, 76, 97, "2026"),
        (3, 1, 1, 539, 326, 15, 21, "*"),
        (4, 1, 1, 438, 403, 38, 93, "Số"), (4, 1, 1, 488, 405, 167, 92, "05-NQ/CB"),
        (4, 1, 2, 750, 480, 75, 95, "NGHỊ"), (4, 1, 2, 840, 480, 100, 95, "QUYẾT"),
    ])
    lines, width, height, confidences = parse_tsv(tsv)
    assert (width, height) == (WIDTH, HEIGHT) and len(confidences) == 28
    blocks, _ = layout_page(lines, width, height, first_page=True)
    assert blocks[0] == Table(rows=(("\n".join(LEFT), "\n".join(RIGHT)),))
    assert blocks[1] == Paragraph("NGHỊ QUYẾT", centered=True, upper=True)
    # on a later page the same lines are plain paragraphs
    later, _ = layout_page(lines, width, height, first_page=False)
    assert not any(isinstance(b, Table) for b in later)


def test_one_column_top_is_no_header_table() -> None:
    words = [Word("BÁO", 700, 160, 790, 193), Word("CÁO", 800, 160, 890, 193)]
    sentence = "Tình hình thực hiện nhiệm vụ tháng ba của chi bộ thôn"
    body = [Word(w, 240 + 120 * i, 260, 340 + 120 * i, 293)
            for i, w in enumerate(sentence.split(" "))]
    blocks, _ = layout_page([Line(words), Line(body)], WIDTH, HEIGHT, first_page=True)
    assert [type(b) for b in blocks] == [Paragraph, Paragraph]
    assert blocks[0] == Paragraph("BÁO CÁO", centered=True, upper=True)


def test_page_numbers_in_the_margins_are_dropped() -> None:
    number = Line([Word("-", 800, 60, 815, 90), Word("2", 822, 60, 840, 90), Word("-", 847, 60, 862, 90)])
    body = Line([Word("Chi", 240, 400, 300, 433), Word("bộ", 310, 400, 360, 433),
                 Word("họp", 370, 400, 440, 433), Word("2", 450, 400, 470, 433)])
    lone = Line([Word("25", 240, 500, 290, 533)])  # a number in the page is text
    footer = Line([Word("Trang", 760, 2250, 850, 2283), Word("2/3", 860, 2250, 910, 2283)])
    blocks, _ = layout_page([number, body, lone, footer], WIDTH, HEIGHT, first_page=False)
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["Chi bộ họp 2", "25"]


def test_tiff_with_too_many_pages_is_refused() -> None:
    require_tool("tesseract")
    frames = [Image.new("L", (50, 50), 255) for _ in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(UnreadableFile) as caught:
        read_image(out.getvalue(), ReadOptions(max_pages=2))
    assert "2 trang" in caught.value.message.vi and "2 pages" in caught.value.message.en
