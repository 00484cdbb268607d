"""docgen.importing.ocr with the real tesseract: pages drawn with Pillow in Liberation
Serif at 200 dpi (a PNG page with the two-column HD 36 header, a two-page TIFF, a JPEG
stored sideways with its EXIF orientation, a PDF page, a bordered table with a signature
block, the dashes under the title), a misread header line read again, one tesseract per
core, decompression bombs, damaged images, a missing language and a missing tesseract;
and the layout of word boxes (columns anywhere on a page, bordered tables by their
rules, a table carried over a page, justified lines that are no columns)."""

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

from docgen.importing import ocr
from docgen.importing.ocr import (
    Line,
    Rule,
    Word,
    erase_rules,
    find_rules,
    join_pages,
    layout_page,
    ocr_decode,
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
    assert left.split("\n") == LEFT  # the star too, which tesseract reads as noise
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
    # columns are found on any page: on a later page the two are kept apart too
    later, _ = layout_page(lines, width, height, first_page=False)
    assert later[0] == blocks[0]


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


# ---------------------------------------------------------------- columns anywhere on a page

CHAR, SPACE, TALL = 18, 12, 33  # a 14-pt letter, space and line at 200 dpi, about


def _words(text: str, x: float, y: float, *, space: float = SPACE, conf: float = 95.0) -> list[Word]:
    out: list[Word] = []
    for part in text.split():
        out.append(Word(part, x, y, x + CHAR * len(part), y + TALL, conf=conf))
        x += CHAR * len(part) + space
    return out


def _centred(text: str, centre: float, y: float) -> list[Word]:
    length = CHAR * len(text.replace(" ", "")) + SPACE * text.count(" ")
    return _words(text, centre - length / 2, y)


def _text_lines(lines: list[str], x: float, y: float, pitch: float = 45) -> list[Line]:
    return [Line(_words(text, x, y + i * pitch)) for i, text in enumerate(lines)]


SIGN_LEFT = ["Nơi nhận:", "- Đảng ủy xã Quang Kim (để báo cáo),", "- Đảng viên trong chi bộ,",
             "- Lưu Chi bộ."]
SIGN_RIGHT = ["T/M CHI BỘ", "BÍ THƯ", "Nguyễn Văn An"]
FULL_LINE = ("Chi bộ thống nhất giao đồng chí Bí thư chỉ đạo, các đồng chí đảng viên triển khai "
             "thực hiện")


def test_signature_block_is_one_row_of_two_cells() -> None:
    body = Line(_words(FULL_LINE, 240, 1300))
    # tesseract reads the block's first printed line across both columns as one line
    first = Line(_words(SIGN_LEFT[0], 240, 1400) + _centred(SIGN_RIGHT[0], 1150, 1400))
    left = _text_lines(SIGN_LEFT[1:], 240, 1445)
    right = [Line(_centred(SIGN_RIGHT[1], 1150, 1445)), Line(_centred(SIGN_RIGHT[2], 1150, 1700))]
    blocks, _ = layout_page([body, first, *left, *right], WIDTH, HEIGHT, first_page=False)
    assert blocks == [
        Paragraph(FULL_LINE),
        Table(rows=(("\n".join(SIGN_LEFT), "\n".join(SIGN_RIGHT)),)),
    ]


def test_justified_lines_and_signs_between_words_are_no_columns() -> None:
    sentence = FULL_LINE.split()
    stretched = []
    for i in range(3):  # words spread evenly over the whole line
        words = sentence[i * 4:(i + 1) * 4] or sentence[:4]
        used = sum(CHAR * len(w) for w in words)
        gap = (1536 - 240 - used) / (len(words) - 1)
        stretched.append(Line(_words(" ".join(words), 240, 600 + 45 * i, space=gap)))
    # a dash OCR'd with little confidence leaves a wide gap between two words
    dashed = Line([*_words("thôn sáng", 240, 735), Word("-", 455, 735, 470, 768, conf=40),
                   *_words("xanh - sạch - đẹp mỗi tuần một lần cùng nhau", 500, 735)])
    short = Line(_words("hợp với đoàn thanh niên.", 240, 780))
    blocks, _ = layout_page([*stretched, dashed, short], WIDTH, HEIGHT, first_page=False)
    assert not any(isinstance(b, Table) for b in blocks)
    # blanks left to fill in, over the short end of the paragraph
    blanks = Line(_words("Hôm nay, vào lúc", 240, 900) + _words("giờ", 700, 900)
                  + _words("ngày", 1000, 900) + _words("tháng 3 năm 2026, tại", 1150, 900))
    end = Line(_words("Nhà văn hóa thôn.", 240, 945))
    blocks, _ = layout_page([blanks, end], WIDTH, HEIGHT, first_page=False)
    assert blocks == [Paragraph("Hôm nay, vào lúc giờ ngày tháng 3 năm 2026, tại Nhà văn hóa thôn.")]


GRID_X = (236, 322, 900, 1250, 1536)
GRID_Y = (1000, 1045, 1135, 1180, 1225)
GRID_ROWS = [
    ("TT", ["Nội dung công việc"], "Đồng chí phụ trách", "Thời hạn"),
    ("1", ["Ra quân tổng vệ sinh", "môi trường"], "Vũ Thị Phương", "29/3/2026"),
    ("2", ["Thu đảng phí quý I"], "Lê Văn Cường", "25/3/2026"),
    ("3", ["Hoàn thiện hồ sơ"], "Trần Thị Bích", "31/3/2026"),
]


def _grid() -> tuple[list[Line], list[Rule]]:
    lines: list[Line] = []
    for (top, _bottom), (number, task, who, when) in zip(
            zip(GRID_Y, GRID_Y[1:], strict=False), GRID_ROWS, strict=True):
        y = top + 6
        # as tesseract often does: one line across the cells of a printed row
        lines.append(Line(_words(number, GRID_X[0] + 20, y) + _words(task[0], GRID_X[1] + 12, y)
                          + _words(who, GRID_X[2] + 12, y) + _words(when, GRID_X[3] + 12, y)))
        lines.extend(Line(_words(more, GRID_X[1] + 12, y + 45 * k))
                     for k, more in enumerate(task[1:], start=1))
    rules = [Rule(GRID_X[0], y, GRID_X[-1], y + 2) for y in GRID_Y]
    rules += [Rule(x, GRID_Y[0], x + 2, GRID_Y[-1]) for x in GRID_X]
    return lines, rules


def test_bordered_table_is_read_cell_by_cell_row_by_row() -> None:
    lines, rules = _grid()
    before = Line(_words("Phân công nhiệm vụ:", 240, 940))
    after = Line(_words(FULL_LINE, 240, 1260))
    blocks, _ = layout_page([before, *lines, after], WIDTH, HEIGHT, first_page=False, rules=rules)
    expected = tuple((n, "\n".join(task), who, when) for n, task, who, when in GRID_ROWS)
    assert blocks == [Paragraph("Phân công nhiệm vụ:"), Table(rows=expected), Paragraph(FULL_LINE)]
    # without its rules the single-line rows cannot be told apart, but the columns still
    # are: each cell's lines stay together, never read across the row
    blocks, _ = layout_page(lines, WIDTH, HEIGHT, first_page=False)
    table = blocks[0]
    assert isinstance(table, Table) and all(len(row) == 4 for row in table.rows)
    assert any("Ra quân tổng vệ sinh\nmôi trường" in row[1] for row in table.rows)
    assert [line for row in table.rows for line in row[2].split("\n")] == [
        who for _, _, who, _ in GRID_ROWS]


def test_a_table_carried_over_a_page_is_one_table() -> None:
    heading = ("TT", "Nội dung công việc", "Thời hạn")
    first = [Paragraph("Phân công nhiệm vụ:"),
             Table(rows=(heading, ("1", "Ra quân", "29/3"), ("2", "Hoàn thiện hồ sơ tiêu", "31/3")))]
    # the next page prints the heading again, then the rest of the broken row 2
    second = [Table(rows=(heading, ("", "chí nông thôn mới", ""), ("3", "Thu đảng phí", "25/3"))),
              Paragraph("Hội nghị kết thúc lúc 21 giờ.")]
    assert join_pages([first, second]) == [
        Paragraph("Phân công nhiệm vụ:"),
        Table(rows=(heading, ("1", "Ra quân", "29/3"),
                    ("2", "Hoàn thiện hồ sơ tiêu\nchí nông thôn mới", "31/3"),
                    ("3", "Thu đảng phí", "25/3"))),
        Paragraph("Hội nghị kết thúc lúc 21 giờ."),
    ]
    # a page opening with another table is left apart
    other = [Table(rows=(("Họ và tên", "Kết quả"), ("Lê Văn Cường", "17/19")))]
    assert join_pages([first, other]) == [*first, *other]


def test_rules_of_a_drawn_table_are_found_and_erased(fonts: dict[str, ImageFont.FreeTypeFont]) -> None:
    image = Image.new("L", (WIDTH, 700), 255)
    draw = ImageDraw.Draw(image)
    for y in (100, 300, 500):
        draw.line((236, y, 1536, y), fill=0, width=2)
    for x in (236, 700, 1536):
        draw.line((x, 100, x, 500), fill=0, width=2)
    draw.text((260, 130), "Quý I", font=fonts["regular"], fill=0)
    draw.text((720, 130), "Chung tay giữ gìn vệ sinh", font=fonts["regular"], fill=0)
    draw.line((880, 620, 1450, 620), fill=0, width=2)  # an underline, no table
    rules = find_rules(image)
    flat = sorted((r.y0, r.x0, r.x1) for r in rules if r.horizontal)
    upright = sorted((r.x0, r.y0, r.y1) for r in rules if not r.horizontal)
    assert [y for y, _, _ in flat] in ([99, 299, 499, 619], [100, 300, 500, 620])
    assert all(abs(x0 - 236) <= 8 and abs(x1 - 1536) <= 8 for _, x0, x1 in flat[:3])
    assert [round(x) for x, _, _ in upright] in ([235, 699, 1535], [236, 700, 1536])
    clean = erase_rules(image, rules)
    assert find_rules(clean) == []
    ink = clean.point(lambda v: 255 if v < 160 else 0)
    assert ink.crop((250, 110, 1200, 200)).getbbox() is not None  # the words are still there
    assert ink.crop((0, 90, WIDTH, 104)).getbbox() is None  # the rule is gone


def test_ocr_decode_puts_the_party_words_right() -> None:
    def read(text: str) -> str:
        return ocr_decode(_words(text, 0, 0))[0]

    assert read("CHÍ BỌ THON AN THÀNH") == "CHI BỘ THÔN AN THÀNH"
    assert read("ĐĂNG BỘ XÃ QUANG KIM") == "ĐẢNG BỘ XÃ QUANG KIM"
    assert read("ĐẢNG CỘNG SÀN VIỆT NAM") == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert read("Chỉ bộ họp; chỉ ủy và Chỉ đoàn, Chỉ hội") == "Chi bộ họp; chi ủy và Chi đoàn, Chi hội"
    # words that are right as they are stay so
    assert read("chỉ hội tụ đủ") == "chỉ hội tụ đủ"
    assert read("Chỉ đạo thôn THON GỌN") == "Chỉ đạo thôn THON GỌN"


# ---------------------------------------------------------------- with tesseract


def _table_page(fonts: dict[str, ImageFont.FreeTypeFont]) -> tuple[Image.Image, str]:
    """A 200-dpi page: a bordered four-column table with wrapping cells, a paragraph,
    the signature block; and its text in Word's reading order (cell by cell)."""
    image = Image.new("L", (WIDTH, 1500), 255)
    draw = ImageDraw.Draw(image)
    regular, bold = fonts["regular"], fonts["bold"]
    step = round(regular.size * STEP)
    xs = (236, 330, 900, 1250, 1536)
    rows = [("TT", ["Nội dung công việc"], ["Đồng chí", "phụ trách"], ["Thời hạn"]),
            ("1", ["Ra quân tổng vệ sinh môi", "trường, khơi thông cống"], ["Vũ Thị Phương"],
             ["29/3/2026"]),
            ("2", ["Thu đảng phí quý I"], ["Lê Văn Cường"], ["25/3/2026"]),
            ("3", ["Hoàn thiện hồ sơ tiêu chí", "nông thôn mới kiểu mẫu"], ["Trần Thị Bích"],
             ["31/3/2026"])]
    y = 150
    draw.line((xs[0], y, xs[-1], y), fill=0, width=2)
    top = y
    for n, (number, *cells) in enumerate(rows):
        font = bold if n == 0 else regular
        draw.text((xs[0] + 30, y + 8), number, font=font, fill=0)
        for x, texts in zip(xs[1:], cells, strict=False):
            for k, text in enumerate(texts):
                draw.text((x + 14, y + 8 + k * step), text, font=font, fill=0)
        y += max(len(c) for c in cells) * step + 16
        draw.line((xs[0], y, xs[-1], y), fill=0, width=2)
    for x in xs:
        draw.line((x, top, x, y), fill=0, width=2)
    y += 60
    after = "Hội nghị kết thúc lúc 21 giờ cùng ngày."
    draw.text((236, y), after, font=regular, fill=0)
    y += 2 * step
    for k, text in enumerate(SIGN_LEFT):
        draw.text((236, y + k * step), text, font=regular, fill=0)
    for k, text in zip((0, 1, 5), SIGN_RIGHT, strict=True):
        font = bold if k < 5 else regular
        draw.text((1150 - font.getlength(text) / 2, y + k * step), text, font=font, fill=0)
    words = [part for number, *cells in rows for part in (number, *(" ".join(c) for c in cells))]
    return image, "\n".join([*words, after, *SIGN_LEFT, *SIGN_RIGHT])


def test_scanned_table_and_signature_are_read_cell_by_cell(
        fonts: dict[str, ImageFont.FreeTypeFont]) -> None:
    require_tool("tesseract")
    image, expected = _table_page(fonts)
    rec = read_image(_png(image), ReadOptions())
    score = accuracy(expected, rec.text())
    print(f"\ntable page: accuracy {score:.4f}")
    assert score >= 0.97
    tables = [b for b in rec.blocks if isinstance(b, Table)]
    assert len(tables) == 2
    grid, signature = tables
    assert len(grid.rows) == 4 and all(len(row) == 4 for row in grid.rows)
    assert collapse(grid.rows[2][0]) == "2" and collapse(grid.rows[3][2]) == "Trần Thị Bích"
    assert accuracy("Ra quân tổng vệ sinh môi trường, khơi thông cống", grid.rows[1][1]) >= 0.95
    assert len(signature.rows) == 1 and collapse(signature.rows[0][1]).endswith("Nguyễn Văn An")


def test_dashes_under_the_title_are_kept(fonts: dict[str, ImageFont.FreeTypeFont]) -> None:
    require_tool("tesseract")
    image = _page(fonts, header=True, body=BODY[:1], height=1000)
    draw = ImageDraw.Draw(image)
    dashes = "-----"
    y = 150 + len(LEFT) * round(fonts["regular"].size * STEP) + 75  # between title and body
    draw.text((WIDTH / 2 - fonts["bold"].getlength(dashes) / 2, y), dashes, font=fonts["bold"], fill=0)
    rec = read_image(_png(image), ReadOptions())
    texts = [b.text for b in rec.blocks if isinstance(b, Paragraph)]
    assert texts[:2] == ["NGHỊ QUYẾT", dashes]


def test_a_misread_header_line_is_read_again(fonts: dict[str, ImageFont.FreeTypeFont],
                                             tmp_path: Path) -> None:
    require_tool("tesseract")
    image = _page(fonts, header=True, body=BODY[:1], height=1000)
    path = tmp_path / "page.pgm"
    image.save(path, "PPM")
    options = ReadOptions()
    lines, width, height, _ = parse_tsv(ocr._tesseract(path, options, psm=3, dpi=DPI))
    # the first reading garbles the cell's name, as tesseract does with bold capitals
    garbled = 0
    for line in lines:
        for word in line.words:
            if word.text in ("CHI", "BỘ", "THÔN", "AN", "THÀNH") and word.y0 < 240 and word.cx < 800:
                word.text, word.conf = {"CHI": "PHINNI", "THÔN": "THON", "THÀNH": "pHUIBIN"}.get(
                    word.text, word.text), 5.0
                garbled += 1
    assert garbled >= 4
    blocks, _ = layout_page(lines, width, height, first_page=True, decode=ocr_decode)
    assert isinstance(blocks[0], Table) and "CHI BỘ THÔN AN THÀNH" not in blocks[0].rows[0][0]
    again, _ = ocr._reread_header(blocks, lines, image, DPI, path, options)
    header = again[0]
    assert isinstance(header, Table)
    assert "CHI BỘ THÔN AN THÀNH" in header.rows[0][0].split("\n")
    assert header.rows[0][1].split("\n") == RIGHT


def test_one_tesseract_per_core_with_one_thread_each(fonts: dict[str, ImageFont.FreeTypeFont],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    require_tool("tesseract")
    import threading

    calls: list[str] = []
    running = [0, 0]  # now, most at once
    lock = threading.Lock()
    real = ocr.run_tool

    def counting(cmd, options, *, what, env=None):  # type: ignore[no-untyped-def]
        if what != "tesseract":
            return real(cmd, options, what=what, env=env)
        with lock:
            running[0] += 1
            running[1] = max(running)
            calls.append((env or {}).get("OMP_THREAD_LIMIT", ""))
        try:
            return real(cmd, options, what=what, env=env)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(ocr, "run_tool", counting)
    pages = [_page(fonts, header=False, body=[BODY[2]], height=300) for _ in range(4)]
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], dpi=(DPI, DPI))
    rec = read_image(out.getvalue(), ReadOptions(), workers=8)
    assert rec.pages == 4 and len(calls) >= 4
    assert set(calls) == {"1"}
    assert running[1] <= ocr._cores()


def test_a_frame_around_the_text_is_no_table() -> None:
    frame = [Rule(200, 100, 1560, 102), Rule(200, 900, 1560, 902),
             Rule(200, 100, 202, 902), Rule(1558, 100, 1560, 902)]
    body = _text_lines([FULL_LINE, "cùng ngày."], 240, 400)
    blocks, _ = layout_page(body, WIDTH, HEIGHT, first_page=False, rules=frame)
    assert blocks == [Paragraph(f"{FULL_LINE} cùng ngày.")]
