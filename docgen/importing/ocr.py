"""OCR of scanned papers (tesseract) and the word-box layout shared with the PDF reader.

Scanned PDF pages are rasterised with poppler's ``pdftoppm`` and read with
``tesseract … tsv`` (one process a page, ``OMP_THREAD_LIMIT=1``, pages in parallel on a
thread pool); images (.png, .jpg, .tif, multi-page TIFF included) are opened with
Pillow, guarded against decompression bombs, and read the same way.

Tesseract reads the two columns of the HD 36 header (issuer on the left, "ĐẢNG CỘNG SẢN
VIỆT NAM" and the date on the right) as one line. ``layout_page`` keeps them apart from
the word boxes, for OCR and for PDF text layers alike: in the header zone of the first
page (from the top down to the type name "NGHỊ QUYẾT", "BIÊN BẢN", … or the date line,
at most the top third) the words left of the gap between the columns form the left cell
and the others the right cell of a one-row ``Table``; the rest of the page becomes
paragraphs (wrapped lines joined; a short line, a wider vertical gap, an indented line
or a new block ends a paragraph).
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from docgen.i18n import Msg
from docgen.importing.recovered import (
    Block,
    OcrInfo,
    Paragraph,
    ReadOptions,
    Recovered,
    Table,
    UnreadableFile,
)
from docgen.vn.legacy import LegacyFont

__all__ = [
    "Line",
    "Word",
    "fold",
    "is_type_name",
    "layout_page",
    "ocr_pdf_pages",
    "ocr_pdf_pages_by_page",
    "read_image",
    "run_tool",
    "tesseract_version",
    "warnings_lock",
]

_INSTALL = "sudo apt-get install tesseract-ocr tesseract-ocr-vie"


# ---------------------------------------------------------------- external programs


def run_tool(
    cmd: Sequence[str | Path],
    options: ReadOptions,
    *,
    what: str,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run one external program with no standard input and ``options.timeout``; a program
    still running then is killed and the file is refused (UnreadableFile). The caller
    checks the return code."""
    try:
        return subprocess.run(
            [str(part) for part in cmd],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=options.timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed it
        raise UnreadableFile(
            Msg(
                f"{what} chạy quá {options.timeout:g} giây và đã bị dừng.",
                f"{what} ran longer than {options.timeout:g} seconds and was stopped.",
            ),
            hint=Msg(
                "Tệp có thể quá lớn hoặc hỏng: thử tách thành tệp nhỏ hơn, hoặc tăng thời "
                "gian chờ.",
                "The file may be too large or damaged: split it into smaller files, or "
                "allow a longer timeout.",
            ),
        ) from exc
    except FileNotFoundError as exc:
        raise UnreadableFile(
            Msg(f"Không tìm thấy chương trình {cmd[0]}.", f"The program {cmd[0]} is not installed."),
            hint=Msg("Cài các gói hệ thống: make sysdeps.", "Install the system packages: make sysdeps."),
        ) from exc


def _missing_tesseract(detail_vi: str, detail_en: str) -> UnreadableFile:
    return UnreadableFile(
        Msg(
            f"Không đọc được bản quét: {detail_vi}",
            f"Cannot read the scan: {detail_en}",
        ),
        hint=Msg(
            f"Cài tesseract và dữ liệu tiếng Việt: {_INSTALL} (hoặc make sysdeps), rồi nhập lại.",
            f"Install tesseract and its Vietnamese data: {_INSTALL} (or make sysdeps), then "
            "import again.",
        ),
    )


@functools.cache
def _tesseract_version_cached(path: str) -> str:
    proc = subprocess.run(
        [path, "--version"], stdin=subprocess.DEVNULL, capture_output=True, timeout=60, check=False
    )
    out = (proc.stdout or proc.stderr).decode("utf-8", "replace")
    match = re.search(r"tesseract\s+v?(\d+(?:\.\d+)*)", out)
    return f"tesseract {match.group(1)}" if match else "tesseract"


def tesseract_version() -> str:
    """"tesseract 5.3.0": the engine, as ``tesseract --version`` names it (cached)."""
    path = shutil.which("tesseract")
    if path is None:
        raise _missing_tesseract("chưa cài tesseract.", "tesseract is not installed.")
    return _tesseract_version_cached(path)


@functools.cache
def _tesseract_langs(path: str) -> frozenset[str]:
    proc = subprocess.run(
        [path, "--list-langs"], stdin=subprocess.DEVNULL, capture_output=True, timeout=60, check=False
    )
    lines = (proc.stdout + proc.stderr).decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def _require_tesseract(lang: str) -> str:
    """The tesseract program, after checking that every language of ``lang`` ("vie",
    "vie+eng") has its data."""
    path = shutil.which("tesseract")
    if path is None:
        raise _missing_tesseract("chưa cài tesseract.", "tesseract is not installed.")
    langs = _tesseract_langs(path)
    for part in lang.split("+"):
        if part not in langs:
            raise _missing_tesseract(
                f"tesseract chưa có dữ liệu ngôn ngữ '{part}'.",
                f"tesseract has no data for the language '{part}'.",
            )
    return path


# ---------------------------------------------------------------- word-box layout


@dataclass
class Word:
    """One word and its box (page coordinates, y downwards)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float = -1.0  # OCR confidence 0..100; -1 for a text layer
    bold: bool = False
    font: LegacyFont | None = None  # the legacy font it is drawn in, when known
    font_known: bool = False  # whether the font of the word is known at all

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Line:
    """Words on one line, left to right; ``group`` is the block the reader put it in (a
    change of group starts a paragraph)."""

    words: list[Word]
    group: tuple[int, ...] = ()
    x0: float = field(init=False)
    y0: float = field(init=False)
    x1: float = field(init=False)
    y1: float = field(init=False)

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w.x0)
        self.x0 = min(w.x0 for w in self.words)
        self.y0 = min(w.y0 for w in self.words)
        self.x1 = max(w.x1 for w in self.words)
        self.y1 = max(w.y1 for w in self.words)

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


Decode = Callable[[Sequence[Word]], tuple[str, str | None]]
"""Words → (NFC text, the encoding it was in, or None when it has nothing to judge)."""


def plain_decode(words: Sequence[Word]) -> tuple[str, str | None]:
    """OCR words are Unicode: joined and NFC."""
    return unicodedata.normalize("NFC", " ".join(w.text for w in words)), None


def fold(text: str) -> str:
    """Upper-case ASCII skeleton ("Nghị quyết" → "NGHI QUYET"), for matching OCR text."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("đ", "d").replace("Đ", "D")
    return " ".join(bare.upper().split())


# type names (tên loại) of Party papers, folded
_TYPE_NAMES = (
    "NGHI QUYET", "BIEN BAN", "KE HOACH", "BAO CAO", "QUYET DINH", "QUY DINH", "CHUONG TRINH",
    "KET LUAN", "THONG BAO", "TO TRINH", "HUONG DAN", "CHI THI", "QUY CHE", "DE AN",
    "PHUONG AN", "THONG TRI", "DE CUONG", "DANH SACH", "CONG VAN", "GIAY GIOI THIEU",
    "TRICH BIEN BAN", "TRICH NGHI QUYET", "LOI KEU GOI", "TUYEN BO",
)
_TYPE_RE = re.compile(r"^(?:" + "|".join(_TYPE_NAMES) + r")(?![A-Z0-9])")
_DATE_RE = re.compile(r"\bNGAY\b.{0,20}\bTHANG\b.{0,20}\bNAM\b")


def is_type_name(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return False
    return len(text) <= 80 and _TYPE_RE.match(fold(text)) is not None


def _rows(lines: Sequence[Line]) -> list[list[Line]]:
    """Lines grouped into visual rows (overlapping vertically), top to bottom."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: ln.y0):
        if rows:
            last = rows[-1]
            top = min(ln.y0 for ln in last)
            bottom = max(ln.y1 for ln in last)
            overlap = min(bottom, line.y1) - max(top, line.y0)
            if overlap > 0.5 * min(line.height, bottom - top):
                last.append(line)
                continue
        rows.append([line])
    return rows


def _row_words(row: Sequence[Line]) -> list[Word]:
    return sorted((w for ln in row for w in ln.words), key=lambda w: w.x0)


def _real(word: Word) -> bool:
    """A word that counts for the column gap: letters or digits, and for OCR not noise."""
    return any(c.isalnum() for c in word.text) and (word.conf < 0 or word.conf >= 30)


def _split_x(rows: Sequence[Sequence[Line]], width: float) -> float | None:
    """The x between the two header columns, or None when there are not two columns."""
    words = [w for row in rows for w in _row_words(row) if _real(w)]
    if not words:
        return None
    # the widest stretch near the middle that no word of the zone covers
    lo, hi = 0.25 * width, 0.75 * width
    spans = sorted((w.x0, w.x1) for w in words)
    best: tuple[float, float] | None = None
    reach = lo
    for x0, x1 in spans:
        if x0 > reach:
            gap = (reach, min(x0, hi))
            if gap[1] - gap[0] > 0 and (best is None or gap[1] - gap[0] > best[1] - best[0]):
                best = gap
        reach = max(reach, x1)
        if reach >= hi:
            break
    if reach < hi and (best is None or hi - reach > best[1] - best[0]):
        best = (reach, hi)
    left_words = any(w.x1 <= (best[0] if best else 0) for w in words)
    right_words = any(w.x0 >= (best[1] if best else width) for w in words)
    if best is not None and best[1] - best[0] >= 0.015 * width and left_words and right_words:
        return (best[0] + best[1]) / 2
    # no clear stretch (a long date line reaches under the left column): split each row
    # at its largest gap when that is wide and the sides lie either side of the middle
    middle = width / 2
    splits: list[float] = []
    for row in rows:
        row_words = [w for w in _row_words(row) if _real(w)]
        gaps = [
            (b.x0 - a.x1, i) for i, (a, b) in enumerate(zip(row_words, row_words[1:], strict=False))
        ]
        if not gaps:
            continue
        widest, i = max(gaps)
        left, right = row_words[: i + 1], row_words[i + 1 :]
        if (
            widest > 0.05 * width
            and (left[0].x0 + left[-1].x1) / 2 < middle < (right[0].x0 + right[-1].x1) / 2
        ):
            splits.append((row_words[i].x1 + row_words[i + 1].x0) / 2)
    return statistics.median(splits) if splits else None


def _header_zone(
    rows: list[list[Line]], width: float, height: float, decode: Decode
) -> tuple[int, float] | None:
    """(number of leading rows that form the two-column header, split x), or None."""
    candidates: list[list[Line]] = []
    date_index: int | None = None
    for row in rows:
        if min(ln.y0 for ln in row) > height / 3:
            break
        words = _row_words(row)
        text, _ = decode(words)
        if is_type_name(text) and len(row) == 1:
            break  # the header ends above the type name
        if _DATE_RE.search(fold(text)):
            date_index = len(candidates)
        candidates.append(row)
    if not candidates:
        return None
    basis = candidates[: date_index + 1] if date_index is not None else candidates
    split = _split_x(basis, width)
    if split is None:
        return None
    heights = [max(ln.y1 for ln in row) - min(ln.y0 for ln in row) for row in candidates]
    usual = statistics.median(heights)
    count = 0
    for i, row in enumerate(candidates):
        words = _row_words(row)
        if any(w.x0 < split < w.x1 for w in words if _real(w)):
            break  # a row across the gap is no longer the header
        if date_index is not None and i > date_index:
            gap = min(ln.y0 for ln in row) - max(ln.y1 for ln in candidates[i - 1])
            if gap > 2.5 * usual:
                break
        count += 1
    return (count, split) if count else None


def _upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _header_table(
    rows: Sequence[Sequence[Line]], split: float, decode: Decode, encodings: list[str]
) -> Table | None:
    left: list[str] = []
    right: list[str] = []
    for row in rows:
        words = _row_words(row)
        for side, cell in (([w for w in words if w.cx < split], left),
                           ([w for w in words if w.cx >= split], right)):
            if side:
                text, encoding = decode(side)
                if encoding:
                    encodings.append(encoding)
                if text.strip():
                    cell.append(text.strip())
    if not left or not right:
        return None
    return Table(rows=(("\n".join(left), "\n".join(right)),))


_LIST_ITEM = re.compile(r"^(?:[-+•*–—]|\d{1,2}[.)/]|[a-zđ][.)]|[IVX]{1,4}[.)])(?:\s|$)")


def _paragraphs(
    lines: Sequence[Line], width: float, decode: Decode, encodings: list[str]
) -> list[Block]:
    """Lines in reading order → paragraphs: a wrapped line joins the one before it."""
    if not lines:
        return []
    wide = [ln for ln in lines if ln.x1 - ln.x0 > 0.4 * width]
    area_known = len(wide) >= 3  # enough full lines to tell the margins
    if area_known:
        left, right = min(ln.x0 for ln in wide), max(ln.x1 for ln in wide)
        middle = (left + right) / 2
    else:
        left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
        middle = width / 2
    usual_height = statistics.median(ln.height for ln in lines)
    pitches = [
        b.y0 - a.y1
        for a, b in zip(lines, lines[1:], strict=False)
        if a.group == b.group and -0.5 * usual_height <= b.y0 - a.y1 < 2 * usual_height
    ]
    usual_gap = statistics.median(pitches) if pitches else 0.3 * usual_height
    indent = 0.02 * width

    def centered(line: Line) -> bool:
        if abs((line.x0 + line.x1) / 2 - middle) >= 0.03 * width:
            return False
        if not area_known:
            return line.x1 - line.x0 < 0.7 * width
        return line.x0 > left + 2 * indent and line.x1 < right - 2 * indent

    groups: list[list[Line]] = []
    for line in lines:
        if groups:
            prev = groups[-1][-1]
            first = line.words[0]
            room = right - prev.x1
            joins = (
                line.group == prev.group
                and -0.5 * usual_height <= line.y0 - prev.y1 <= usual_gap + 0.35 * usual_height
                and room < (first.x1 - first.x0) + 0.03 * width  # prev ran to the margin
                and line.x0 <= left + indent  # not indented
                and not centered(prev)
                and not centered(line)
                and all(w.bold for w in prev.words) == all(w.bold for w in line.words)
                and not _LIST_ITEM.match(line.text)
            )
            if joins:
                groups[-1].append(line)
                continue
        groups.append([line])
    blocks: list[Block] = []
    for group in groups:
        words = [w for ln in group for w in ln.words]
        text, encoding = decode(words)
        text = text.strip()
        if not text:
            continue
        if encoding:
            encodings.append(encoding)
        known = all(w.font_known for w in words)
        blocks.append(Paragraph(
            text=text,
            bold=known and all(w.bold for w in words),
            centered=len(group) == 1 and centered(group[0]),
            upper=_upper(text) or any(w.font is not None and w.font.capitals for w in words),
        ))
    return blocks


_PAGE_NUMBER = re.compile(r"^[-–—(\[]?\s*(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?\s*[-–—)\]]?$",
                          re.IGNORECASE)


def _page_number(line: Line, height: float) -> bool:
    """A page number ("2", "- 2 -", "Trang 2/3") in the top or bottom margin."""
    in_margin = line.y1 < 0.08 * height or line.y0 > 0.92 * height
    return in_margin and _PAGE_NUMBER.match(line.text.strip()) is not None


def layout_page(
    lines: Sequence[Line],
    width: float,
    height: float,
    *,
    first_page: bool,
    decode: Decode = plain_decode,
) -> tuple[list[Block], list[str]]:
    """One page's lines (in reading order) → blocks, and the encodings ``decode`` found.
    On the first page the two-column header becomes a one-row Table."""
    encodings: list[str] = []
    lines = [ln for ln in lines if ln.words and not _page_number(ln, height)]
    blocks: list[Block] = []
    if first_page and lines:
        rows = _rows(lines)
        zone = _header_zone(rows, width, height, decode)
        if zone is not None:
            count, split = zone
            table = _header_table(rows[:count], split, decode, encodings)
            if table is not None:
                blocks.append(table)
                taken = {id(ln) for row in rows[:count] for ln in row}
                lines = [ln for ln in lines if id(ln) not in taken]
    blocks.extend(_paragraphs(lines, width, decode, encodings))
    return blocks, encodings


# ---------------------------------------------------------------- tesseract

warnings_lock = threading.Lock()
"""Held around ``warnings.catch_warnings`` blocks: the importer reads files on several
threads, and catch_warnings saves and restores the process-wide filters."""


@dataclass
class _PageResult:
    blocks: list[Block]
    confidences: list[float]


def parse_tsv(tsv: str) -> tuple[list[Line], float, float, list[float]]:
    """tesseract's TSV → (lines in reading order, page width, page height, word confidences)."""
    width = height = 0.0
    lines: dict[tuple[int, int, int], list[Word]] = {}
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 11:
            continue
        try:
            level, block, par, line = int(cols[0]), int(cols[2]), int(cols[3]), int(cols[4])
            left, top, w, h = (float(c) for c in cols[6:10])
            conf = float(cols[10])
        except ValueError:
            continue
        if level == 1:
            width, height = max(width, left + w), max(height, top + h)
            continue
        text = unicodedata.normalize("NFC", cols[11].strip() if len(cols) > 11 else "")
        if level != 5 or not text:
            continue
        lines.setdefault((block, par, line), []).append(
            Word(text, left, top, left + w, top + h, conf=conf)
        )
        confidences.append(max(0.0, min(100.0, conf)))
    result = [Line(words, group=key[:2]) for key, words in lines.items()]
    return result, width, height, confidences


def _ocr_image(image: Path, options: ReadOptions, first_page: bool) -> _PageResult:
    tesseract = _require_tesseract(options.ocr_lang)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = run_tool(
        [tesseract, image, "stdout", "-l", options.ocr_lang, "--psm", "3", "tsv"],
        options, what="tesseract", env=env,
    )
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        if "language" in err.lower() or "traineddata" in err.lower():
            raise _missing_tesseract(
                f"tesseract không nạp được ngôn ngữ '{options.ocr_lang}'.",
                f"tesseract could not load the language '{options.ocr_lang}'.",
            )
        raise UnreadableFile(
            Msg(f"tesseract không đọc được trang quét: {err[-300:]}",
                f"tesseract could not read the scanned page: {err[-300:]}"),
            hint=Msg("Kiểm tra ảnh quét (có thể hỏng), hoặc quét lại.",
                     "Check the scanned image (it may be damaged), or scan it again."),
        )
    lines, width, height, confidences = parse_tsv(proc.stdout.decode("utf-8", "replace"))
    blocks, _ = layout_page(lines, width or 1.0, height or 1.0, first_page=first_page)
    return _PageResult(blocks, confidences)


def _ocr_images(
    images: Sequence[tuple[Path, bool]], options: ReadOptions, workers: int
) -> list[_PageResult]:
    _require_tesseract(options.ocr_lang)
    if workers <= 1 or len(images) <= 1:
        return [_ocr_image(path, options, first) for path, first in images]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda item: _ocr_image(item[0], options, item[1]), images))


def _info(results: Sequence[_PageResult], options: ReadOptions, dpi: int) -> OcrInfo:
    confidences = [c for r in results for c in r.confidences]
    mean = statistics.fmean(confidences) / 100 if confidences else 0.0
    return OcrInfo(
        engine=tesseract_version(),
        lang=options.ocr_lang,
        pages=len(results),
        confidence=round(mean, 4),
        dpi=dpi,
    )


def ocr_pdf_pages_by_page(
    pdf: Path, pages: Sequence[int], options: ReadOptions, workers: int = 1
) -> tuple[list[list[Block]], OcrInfo]:
    """OCR of the given pages (1-based) of ``pdf``: the blocks of each page, in the order
    of ``pages``, and what was read. Page 1's header becomes a Table."""
    _require_tesseract(options.ocr_lang)

    def one(page: int, tmp: Path) -> _PageResult:
        prefix = tmp / f"page-{page}"
        proc = run_tool(
            ["pdftoppm", "-r", str(options.ocr_dpi), "-gray", "-png", "-f", str(page),
             "-l", str(page), "-singlefile", pdf, prefix],
            options, what="pdftoppm",
        )
        image = prefix.with_suffix(".png")
        if proc.returncode != 0 or not image.exists():
            err = proc.stderr.decode("utf-8", "replace").strip()
            raise UnreadableFile(
                Msg(f"Không chuyển được trang {page} của PDF thành ảnh: {err[-300:]}",
                    f"Cannot render page {page} of the PDF: {err[-300:]}"),
                hint=Msg("Tệp PDF có thể hỏng: mở thử bằng trình đọc PDF, hoặc quét lại.",
                         "The PDF may be damaged: open it in a PDF viewer, or scan it again."),
            )
        try:
            return _ocr_image(image, options, page == 1)
        finally:
            image.unlink(missing_ok=True)

    with tempfile.TemporaryDirectory(prefix="docgen-ocr-") as tmpdir:
        tmp = Path(tmpdir)
        if workers <= 1 or len(pages) <= 1:
            results = [one(page, tmp) for page in pages]
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(lambda page: one(page, tmp), pages))
    return [r.blocks for r in results], _info(results, options, options.ocr_dpi)


def ocr_pdf_pages(
    pdf: Path, pages: Sequence[int], options: ReadOptions, workers: int = 1
) -> tuple[list[Block], OcrInfo]:
    """OCR of the given pages (1-based) of ``pdf``: their blocks in order, and what was read."""
    per_page, info = ocr_pdf_pages_by_page(pdf, pages, options, workers)
    return [block for blocks in per_page for block in blocks], info


# ---------------------------------------------------------------- images


def _bad_image(reason_vi: str, reason_en: str) -> UnreadableFile:
    return UnreadableFile(
        Msg(f"Không đọc được ảnh: {reason_vi}", f"Cannot read the image: {reason_en}"),
        hint=Msg(
            "Quét hoặc chụp lại văn bản và lưu thành PNG, JPEG hoặc TIFF (200–300 dpi), rồi "
            "nhập lại.",
            "Scan or photograph the paper again and save it as PNG, JPEG or TIFF "
            "(200–300 dpi), then import again.",
        ),
    )


def _frames(data: bytes, options: ReadOptions) -> list[tuple[Image.Image, float | None]]:
    """Every frame of the image (Pillow images, orientation applied) with its dpi."""
    if not data:
        raise _bad_image("tệp rỗng (0 byte).", "the file is empty (0 bytes).")
    limit = Image.MAX_IMAGE_PIXELS or 89_478_485
    frames: list[tuple[Image.Image, float | None]] = []
    try:
        with warnings_lock, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            for frame in ImageSequence.Iterator(image):
                if frame.width * frame.height > limit:
                    raise Image.DecompressionBombError("too many pixels")
                if len(frames) >= options.max_pages:
                    raise _bad_image(
                        f"có hơn {options.max_pages} trang.",
                        f"it has more than {options.max_pages} pages.",
                    )
                dpi = frame.info.get("dpi")
                resolution = float(dpi[0]) if isinstance(dpi, tuple) and dpi and dpi[0] else None
                copy = ImageOps.exif_transpose(frame.copy())
                copy.load()
                frames.append((copy, resolution))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bad_image(
            f"ảnh quá lớn (hơn {limit:,} điểm ảnh), có thể là tệp độc hại.".replace(",", "."),
            f"the image is too large (more than {limit:,} pixels); it may be malicious.",
        ) from exc
    except UnidentifiedImageError as exc:
        raise _bad_image("không phải ảnh PNG, JPEG hay TIFF.", "it is not a PNG, JPEG or TIFF image.") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _bad_image(f"tệp ảnh hỏng ({exc}).", f"the image file is damaged ({exc}).") from exc
    if not frames:
        raise _bad_image("ảnh không có trang nào.", "the image has no page.")
    return frames


def _print_pdf(frames: Sequence[tuple[Image.Image, float | None]]) -> bytes:
    """The images as one PDF, at their own resolution (or fitted to an A4 page)."""
    images: list[Image.Image] = []
    for frame, _ in frames:
        if frame.mode in ("1", "L", "RGB", "CMYK"):
            images.append(frame)
        elif frame.mode in ("LA", "I", "I;16", "F"):
            images.append(frame.convert("L"))
        else:
            images.append(frame.convert("RGB"))
    first_dpi = frames[0][1]
    widest = max(images, key=lambda im: im.width * im.height)
    fit = max(widest.width / 8.27, widest.height / 11.69)  # A4 in inches
    resolution = first_dpi if first_dpi and first_dpi >= 100 else max(fit, 72.0)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=resolution)
    return out.getvalue()


def read_image(data: bytes, options: ReadOptions, workers: int = 1) -> Recovered:
    """OCR of an image file (.png, .jpg, .tif, multi-page TIFF included): source "image",
    one page per frame, and the images as one PDF (``print_pdf``) to print the original."""
    if len(data) > options.max_bytes:
        raise _bad_image(
            f"tệp lớn hơn {options.max_bytes // (1024 * 1024)} MB.",
            f"the file is larger than {options.max_bytes // (1024 * 1024)} MB.",
        )
    _require_tesseract(options.ocr_lang)
    frames = _frames(data, options)
    with tempfile.TemporaryDirectory(prefix="docgen-img-") as tmpdir:
        paths: list[tuple[Path, bool]] = []
        for i, (frame, dpi) in enumerate(frames):
            path = Path(tmpdir) / f"page-{i + 1}.png"
            gray = frame if frame.mode in ("1", "L") else frame.convert("L")
            if dpi:
                gray.save(path, "PNG", dpi=(dpi, dpi))
            else:
                gray.save(path, "PNG")
            paths.append((path, i == 0))
        results = _ocr_images(paths, options, workers)
    blocks = [block for r in results for block in r.blocks]
    return Recovered(
        blocks=blocks,
        encoding="unicode",
        source="image",
        pages=len(frames),
        ocr=_info(results, options, 0),
        print_pdf=_print_pdf(frames),
    )
