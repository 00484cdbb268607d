"""OCR of scanned papers (tesseract) and the word-box layout shared with the PDF reader.

Scanned PDF pages are rasterised with poppler's ``pdftoppm`` and read with
``tesseract … tsv`` (``OMP_THREAD_LIMIT=1``, pages in parallel on a thread pool, never
more tesseracts at once than cores); images (.png, .jpg, .tif, multi-page TIFF
included) are opened with Pillow, guarded against decompression bombs, and read the
same way. Before tesseract reads a page, the straight rules drawn on it (a table's
borders) are found and erased (``find_rules``, ``erase_rules``), and the cells of a
bordered table are read again one by one; on a first page, header lines read with
little confidence or unlike HD 36's (bold capitals: "CHI BỘ THÔN THỦY LỢI" read
"PHINNI THON pHUIBIN") are read again line by line at twice the size; the dashes under
the trích yếu and the header's star, which tesseract drops, are put back from the ink.

``layout_page`` turns word boxes into blocks, for OCR and for PDF text layers alike.
Columns are found anywhere on a page: a bordered table from its rules (a row between
two horizontal rules, a cell between two vertical ones), and runs of rows whose words
leave a common vertical strip free (the two-column HD 36 header, a signature block, a
table without borders); each becomes a ``Table`` read row by row, cell by cell, as
``docgen.docxtext`` reads a Word file. The rest of the page becomes paragraphs (wrapped
lines joined; a short line, a wider vertical gap, an indented line or a new block ends a
paragraph); page numbers in the margins are dropped. ``join_pages`` makes a table run
over a page one Table again (its repeated heading row read once, a broken row joined)."""

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
from difflib import SequenceMatcher
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps, ImageSequence, UnidentifiedImageError

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
    "Rule",
    "Word",
    "erase_rules",
    "find_rules",
    "fold",
    "is_type_name",
    "join_pages",
    "layout_page",
    "ocr_decode",
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


# The fixed words of the organisations' names in an HD 36 header, which OCR of bold
# capitals often gets a mark wrong in ("CHÍ BỌ THON", "ĐĂNG BỘ"): folded → as printed.
_NAME_WORDS = {
    "CHI": "CHI", "DANG": "ĐẢNG", "BO": "BỘ", "UY": "ỦY", "CONG": "CỘNG", "SAN": "SẢN",
    "VIET": "VIỆT", "NAM": "NAM", "XA": "XÃ", "THON": "THÔN", "PHUONG": "PHƯỜNG", "THI": "THỊ",
    "TRAN": "TRẤN", "HUYEN": "HUYỆN", "TINH": "TỈNH", "TO": "TỔ", "DAN": "DÂN", "PHO": "PHỐ",
    "KHU": "KHU", "AP": "ẤP", "XOM": "XÓM",
}
_NAME_HEADS = (("DANG", "CONG", "SAN", "VIET", "NAM"), ("CHI", "BO"), ("DANG", "BO"),
               ("DANG", "UY"), ("CHI", "UY"))
_NAME_UNITS = (("THI", "TRAN"), ("TO", "DAN", "PHO"), ("XA",), ("THON",), ("PHUONG",),
               ("HUYEN",), ("TINH",), ("KHU",), ("AP",), ("XOM",))
_CHI_BO = re.compile(r"\b([Cc])h[ỉí] (?=(?:bộ|ủy|uỷ)\b)|\b(C)hỉ (?=(?:đoàn|hội)\b)"
                    r"|\bCH[ỈÍ] (?=(?:BỘ|ỦY)\b)")


def ocr_decode(words: Sequence[Word]) -> tuple[str, str | None]:
    """OCR words joined (NFC), with the marks tesseract most often gets wrong in Party
    papers put right: the fixed words opening an organisation's name in capitals
    ("CHÍ BỌ THON AN THÀNH" → "CHI BỘ THÔN AN THÀNH", "ĐĂNG BỘ XÃ" → "ĐẢNG BỘ XÃ";
    the place name is left as read), and "Chỉ bộ", "chỉ ủy", "Chỉ đoàn", "Chỉ hội" read
    for the cell's "Chi bộ", "chi ủy", "Chi đoàn", "Chi hội"."""
    text, _ = plain_decode(words)
    parts = text.split(" ")
    if _upper(text):
        folded = [fold(part) for part in parts]
        for head in _NAME_HEADS:
            if tuple(folded[:len(head)]) == head:
                n = len(head)
                for unit in _NAME_UNITS:
                    if tuple(folded[n:n + len(unit)]) == unit:
                        n += len(unit)
                        break
                parts[:n] = [_NAME_WORDS[f] for f in folded[:n]]
                break
    text = " ".join(parts)
    text = _CHI_BO.sub(lambda m: f"{m.group(1) or m.group(2)}hi " if m.group(1) or m.group(2)
                       else "CHI ", text)
    return unicodedata.normalize("NFC", text), None


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


def is_type_name(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return False
    return len(text) <= 80 and _TYPE_RE.match(fold(text)) is not None


@dataclass(frozen=True)
class Rule:
    """A straight rule drawn on the page (a table border, an underline), in the page's
    coordinates (y downwards): horizontal when it is wider than tall."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.x1 - self.x0 >= self.y1 - self.y0


def _visual_rows(lines: Sequence[Line]) -> list[list[Line]]:
    """Lines grouped into visual rows, top to bottom: a line joins the row whose first
    line's middle is within half a line height of its own (no chaining, so the lines of
    two columns set in different sizes do not melt into one row)."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.cy, ln.x0)):
        if rows:
            first = rows[-1][0]
            if abs(line.cy - first.cy) <= 0.5 * min(line.height, first.height):
                rows[-1].append(line)
                continue
        rows.append([line])
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
    return rows


def _row_words(row: Sequence[Line]) -> list[Word]:
    return sorted((w for ln in row for w in ln.words), key=lambda w: w.x0)


_NOISE = re.compile(r"^[|¦]+$")  # a table's vertical rule read as text


def _real(word: Word) -> bool:
    """A word that counts for the column gaps: any word of a text layer; from OCR, one
    with letters or digits read with some confidence, or a surely read sign ("-", "&"),
    not a specks or a rule read as "|"."""
    if word.conf < 0:
        return True
    if any(c.isalnum() for c in word.text):
        return word.conf >= 30
    return word.conf >= 60 and not _NOISE.match(word.text)


def _covered(row: Sequence[Line], every: bool = False) -> list[tuple[float, float]]:
    """The x ranges the row's real words (``every``: all its words but rules read as
    "|") cover, merged, left to right."""
    spans: list[tuple[float, float]] = []
    kept = (w for w in _row_words(row) if (not _NOISE.match(w.text) if every else _real(w)))
    for word in kept:
        if spans and word.x0 <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], word.x1))
        else:
            spans.append((word.x0, word.x1))
    return spans


def _word_space(lines: Sequence[Line]) -> float:
    """The usual space between two words of a line (page units)."""
    gaps = [b.x0 - a.x1 for ln in lines for a, b in zip(ln.words, ln.words[1:], strict=False)
            if b.x0 > a.x1]
    return statistics.median(gaps) if gaps else 0.0


def _seed_gaps(row: Sequence[Line], wide: float) -> list[tuple[float, float]]:
    """The gaps of at least ``wide`` between the row's words (columns set side by side),
    unless every space of the row is that wide (a line justified across the page)."""
    spans = _covered(row, every=True)  # a gap between columns holds nothing at all
    gaps = [(a[1], b[0]) for a, b in zip(spans, spans[1:], strict=False) if b[0] - a[1] >= wide]
    if not gaps:
        return []
    words = [w for w in _row_words(row) if _real(w)]
    spaces = [b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False)]
    if len(spaces) >= 2 and min(spaces) >= 0.5 * max(spaces):
        return []  # stretched evenly: one justified line, not columns
    return gaps


def _subtract(strip: tuple[float, float], spans: Sequence[tuple[float, float]],
              narrow: float) -> list[tuple[float, float]]:
    """The parts of ``strip`` no span covers, at least ``narrow`` wide."""
    parts = [strip]
    for x0, x1 in spans:
        out: list[tuple[float, float]] = []
        for a, b in parts:
            if x1 <= a or x0 >= b:
                out.append((a, b))
                continue
            if x0 > a:
                out.append((a, x0))
            if x1 < b:
                out.append((x1, b))
        parts = out
    return [p for p in parts if p[1] - p[0] >= narrow]


@dataclass
class _Zone:
    """Rows ``start``..``end`` (exclusive) of a page set in columns; ``strips`` are the
    x ranges no word of those rows covers (between the columns), left to right."""

    start: int
    end: int
    strips: list[tuple[float, float]]
    header: bool = False


def _find_zones(rows: Sequence[Sequence[Line]], width: float, height: float, space: float,
                first_page: bool, decode: Decode = plain_decode) -> list[_Zone]:
    """Runs of rows set in columns. A run starts at a row with a wide gap between its
    words and takes the rows below while some strip between the columns stays free of
    words on every row: a row that covers one of the strips (a paragraph across the page,
    the type name under the header) ends it. The columns must go on below the first row
    (``_columns_go_on``): one line with a wide gap ("ngày    tháng    năm" left blank
    to fill in) over the end of its paragraph is no columns."""
    narrow = 0.012 * width
    wide = max(narrow, 2.5 * space)
    heights = [ln.height for row in rows for ln in row]
    usual = statistics.median(heights) if heights else 0.0
    zones: list[_Zone] = []
    i = 0
    while i < len(rows):
        strips = _seed_gaps(rows[i], wide)
        if not strips:
            i += 1
            continue
        header = first_page and not zones and max(ln.y1 for ln in rows[i]) < height / 3
        bottom = max(ln.y1 for ln in rows[i])
        j = i + 1
        while j < len(rows):
            row = rows[j]
            if min(ln.y0 for ln in row) - bottom > 8 * usual:
                break
            if header and len(row) == 1 and is_type_name(decode(row[0].words)[0]):
                break  # the type name under the header, however narrow
            spans = _covered(row)
            narrowed: list[tuple[float, float]] = []
            for strip in strips:
                parts = _subtract(strip, spans, narrow)
                if not parts:
                    break
                narrowed.extend(parts)
            else:
                strips = narrowed
                bottom = max(bottom, max(ln.y1 for ln in row))
                j += 1
                continue
            break
        if _columns_go_on(rows[i:j], strips):
            zones.append(_Zone(i, j, strips, header))
            i = j
        else:
            i += 1
    return zones


def _columns_go_on(rows: Sequence[Sequence[Line]], strips: Sequence[tuple[float, float]]) -> bool:
    """Whether the columns the first row starts go on below it: another row has words
    on both sides of a strip, or rows below have words on its left and rows below on
    its right (columns whose lines do not face each other, set in different sizes)."""
    spans = [_covered(row, every=True) for row in rows[1:]]
    for a, b in strips:
        left = [any(x1 <= a for _, x1 in row) for row in spans]
        right = [any(x0 >= b for x0, _ in row) for row in spans]
        if any(left) and any(right):
            return True
    return False


def _zone_table(rows: Sequence[Sequence[Line]], zone: _Zone, rules: Sequence[Rule],
                decode: Decode, encodings: list[str]) -> Table:
    """The zone's words as a table: a column between each two strips; a row between each
    two rules drawn across the zone (a bordered table), else where the cells start
    again together (three columns or more); a two-column zone without rules (the header,
    a signature block) is one row, as Word sets them."""
    cuts = [(a + b) / 2 for a, b in zone.strips]
    columns = len(cuts) + 1

    def column_of(word: Word) -> int:
        return sum(1 for cut in cuts if word.cx >= cut)

    # each column's lines: the words of one printed line falling in that column
    pieces: list[tuple[int, Line]] = []
    for row in rows:
        for line in row:
            by_column: dict[int, list[Word]] = {}
            for word in line.words:
                if not _NOISE.match(word.text):
                    by_column.setdefault(column_of(word), []).append(word)
            pieces.extend((c, Line(ws, group=line.group)) for c, ws in by_column.items())
    zx0 = min(ln.x0 for row in rows for ln in row)
    zx1 = max(ln.x1 for row in rows for ln in row)
    top = min(ln.y0 for ln in rows[0])
    bottom = max(ln.y1 for ln in rows[-1])
    bounds: list[float] = []
    if not zone.header:
        across = sorted(r.y0 for r in rules if r.horizontal and top < (r.y0 + r.y1) / 2 < bottom
                        and min(r.x1, zx1) - max(r.x0, zx0) >= 0.5 * (zx1 - zx0))
        for y in across:
            if not bounds or y - bounds[-1] > 2.0:
                bounds.append(y)
        if not bounds and columns >= 3:
            bounds = _restarts(rows, column_of)
    bands: list[list[list[Line]]] = [[[] for _ in range(columns)] for _ in range(len(bounds) + 1)]
    for column, piece in pieces:
        band = sum(1 for y in bounds if piece.cy > y)
        bands[band][column].append(piece)
    table_rows: list[tuple[str, ...]] = []
    for band_cells in bands:
        cells = [_cell_text(cell, decode, encodings) for cell in band_cells]
        if any(cells):
            table_rows.append(tuple(cells))
    return Table(rows=tuple(table_rows))


def _restarts(rows: Sequence[Sequence[Line]], column_of: Callable[[Word], int]) -> list[float]:
    """Where the rows of a table without rules start: at a printed row where a column
    that had ended takes text again, with some other column beside it, or after a wider
    gap than the lines of a cell leave."""
    filled: list[set[int]] = [{column_of(w) for w in _row_words(row) if _real(w)} for row in rows]
    tops = [min(ln.y0 for ln in row) for row in rows]
    bottoms = [max(ln.y1 for ln in row) for row in rows]
    mids = [statistics.fmean(ln.cy for ln in row) for row in rows]
    height = statistics.median(ln.height for row in rows for ln in row)
    gaps = [tops[k] - bottoms[k - 1] for k in range(1, len(rows))]
    usual_gap = statistics.median(gaps) if gaps else 0.0
    bounds: list[float] = []
    seen: set[int] = set(filled[0]) if filled else set()
    for k in range(1, len(rows)):
        now, before = filled[k], filled[k - 1]
        again = any(c not in before and c in seen for c in now)
        apart = tops[k] - bottoms[k - 1] > usual_gap + 0.3 * height
        if len(now) >= 2 and (again or apart):
            bounds.append((mids[k - 1] + mids[k]) / 2)
            seen = set(now)
        else:
            seen |= now
    return bounds


def _span_y(line: Line) -> tuple[float, float]:
    """A line's top and bottom as most of its words have them (OCR stretches a word's
    box over a mark beneath it now and then)."""
    return statistics.median(w.y0 for w in line.words), statistics.median(w.y1 for w in line.words)


def _cell_text(pieces: Sequence[Line], decode: Decode, encodings: list[str]) -> str:
    """A cell's printed lines, top to bottom (pieces of one line merged), "\\n" between."""
    lines: list[list[Line]] = []
    spans: list[tuple[float, float]] = []
    for piece in sorted(pieces, key=lambda p: sum(_span_y(p)) / 2):
        top, bottom = _span_y(piece)
        if lines:
            y0, y1 = spans[-1]
            if min(y1, bottom) - max(y0, top) > 0.5 * min(bottom - top, y1 - y0):
                lines[-1].append(piece)
                spans[-1] = (min(y0, top), max(y1, bottom))
                continue
        lines.append([piece])
        spans.append((top, bottom))
    out: list[str] = []
    for group in lines:
        words = sorted((w for p in group for w in p.words), key=lambda w: w.x0)
        text, encoding = decode(words)
        if encoding:
            encodings.append(encoding)
        if text.strip():
            out.append(text.strip())
    return "\n".join(out)


def _upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


_LIST_ITEM = re.compile(r"^(?:[-+•*–—]|\d{1,2}[.)/]|[a-zđ][.)]|[IVX]{1,4}[.)])(?:\s|$)")


@dataclass(frozen=True)
class _Geometry:
    """What the page's running text tells about its layout."""

    width: float
    left: float
    right: float
    middle: float
    area_known: bool  # enough full lines to tell the margins
    usual_height: float
    usual_gap: float


def _geometry(lines: Sequence[Line], width: float) -> _Geometry:
    wide = [ln for ln in lines if ln.x1 - ln.x0 > 0.4 * width]
    area_known = len(wide) >= 3
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
    return _Geometry(width, left, right, middle, area_known, usual_height, usual_gap)


def _paragraphs(
    lines: Sequence[Line], geo: _Geometry, decode: Decode, encodings: list[str]
) -> list[Block]:
    """Lines in reading order → paragraphs: a wrapped line joins the one before it."""
    if not lines:
        return []
    width, left, right, middle = geo.width, geo.left, geo.right, geo.middle
    usual_height, usual_gap = geo.usual_height, geo.usual_gap
    indent = 0.02 * width

    def centered(line: Line) -> bool:
        if abs((line.x0 + line.x1) / 2 - middle) >= 0.03 * width:
            return False
        if not geo.area_known:
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


@dataclass
class _Grid:
    """A bordered table: its box, the y of its horizontal rules (top to bottom) and its
    vertical rules."""

    x0: float
    y0: float
    x1: float
    y1: float
    ys: list[float]
    verticals: list[Rule]


def _cluster(values: Sequence[float], tolerance: float) -> list[float]:
    """Sorted values, those within ``tolerance`` of the one before taken as one."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


def _grids(rules: Sequence[Rule], width: float) -> list[_Grid]:
    """Bordered tables: sets of horizontal and vertical rules that meet one another, at
    least two of each and two cells (the header's underline or a box around a paragraph
    is none)."""
    tol = 0.006 * width
    flat = [r for r in rules if r.horizontal and r.x1 - r.x0 >= 0.05 * width]
    upright = [r for r in rules if not r.horizontal]
    if len(flat) < 2 or len(upright) < 2:
        return []
    items: list[Rule] = [*flat, *upright]
    parent = list(range(len(items)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, h in enumerate(flat):
        hy = (h.y0 + h.y1) / 2
        for b, v in enumerate(upright, start=len(flat)):
            vx = (v.x0 + v.x1) / 2
            if h.x0 - tol <= vx <= h.x1 + tol and v.y0 - tol <= hy <= v.y1 + tol:
                parent[root(a)] = root(b)
    groups: dict[int, list[Rule]] = {}
    for k, rule in enumerate(items):
        groups.setdefault(root(k), []).append(rule)
    grids: list[_Grid] = []
    for members in groups.values():
        hs = [r for r in members if r.horizontal]
        vs = [r for r in members if not r.horizontal]
        ys = _cluster([(r.y0 + r.y1) / 2 for r in hs], tol)
        xs = _cluster([(r.x0 + r.x1) / 2 for r in vs], tol)
        if len(ys) < 2 or len(xs) < 2 or len(ys) + len(xs) < 5:
            continue  # a frame around a page or a paragraph is no table
        grids.append(_Grid(min(r.x0 for r in members), min(r.y0 for r in members),
                           max(r.x1 for r in members), max(r.y1 for r in members), ys, vs))
    return sorted(grids, key=lambda g: g.y0)


def _grid_table(grid: _Grid, pieces: Sequence[Line], width: float, decode: Decode,
                encodings: list[str]) -> Table:
    """The words inside a bordered table, cell by cell: a row between each two of its
    horizontal rules, a column between each two vertical rules crossing that row."""
    tol = 0.006 * width
    bands = list(zip(grid.ys, grid.ys[1:], strict=False))
    cells: list[list[list[Line]]] = []
    cuts_of: list[list[float]] = []
    for top, bottom in bands:
        middle = (top + bottom) / 2
        cuts = _cluster([(v.x0 + v.x1) / 2 for v in grid.verticals
                         if v.y0 - tol <= middle <= v.y1 + tol], tol)
        cuts_of.append(cuts)
        cells.append([[] for _ in range(max(1, len(cuts) - 1))])
    for piece in pieces:
        by_cell: dict[tuple[int, int], list[Word]] = {}
        for word in piece.words:
            cy = (word.y0 + word.y1) / 2
            band = min(max(0, sum(1 for y in grid.ys[1:-1] if cy > y)), len(bands) - 1)
            inner = cuts_of[band][1:-1]
            column = min(sum(1 for x in inner if word.cx > x), len(cells[band]) - 1)
            by_cell.setdefault((band, column), []).append(word)
        for (band, column), words in by_cell.items():
            cells[band][column].append(Line(words, group=piece.group))
    rows: list[tuple[str, ...]] = []
    for band_cells in cells:
        texts = tuple(_cell_text(cell, decode, encodings) for cell in band_cells)
        if any(texts):
            rows.append(texts)
    return Table(rows=tuple(rows))


def layout_page(
    lines: Sequence[Line],
    width: float,
    height: float,
    *,
    first_page: bool,
    decode: Decode = plain_decode,
    rules: Sequence[Rule] = (),
) -> tuple[list[Block], list[str]]:
    """One page's lines → blocks in reading order, and the encodings ``decode`` found.

    A bordered table (``rules``, the page's drawn rules, meeting in a grid) becomes a
    Table read cell by cell (``_grid_table``); so do runs of rows set in columns without
    borders (the HD 36 header, a signature block: ``_find_zones``, ``_zone_table``);
    the rest becomes paragraphs. On the first page the two-column header at the top is
    one row, as Word sets it."""
    encodings: list[str] = []
    lines = [ln for ln in lines if ln.words and not _page_number(ln, height)]
    if not lines:
        return [], encodings
    space = _word_space(lines)
    grids = _grids(rules, width)
    grid_pieces: list[list[Line]] = [[] for _ in grids]
    if grids:
        rest: list[Line] = []
        for line in lines:
            outside: list[Word] = []
            inside: dict[int, list[Word]] = {}
            for word in line.words:
                cy = (word.y0 + word.y1) / 2
                for k, grid in enumerate(grids):
                    if grid.x0 <= word.cx <= grid.x1 and grid.y0 <= cy <= grid.y1:
                        inside.setdefault(k, []).append(word)
                        break
                else:
                    outside.append(word)
            for k, words in inside.items():
                grid_pieces[k].append(Line(words, group=line.group))
            if len(outside) == len(line.words):
                rest.append(line)
            elif outside:
                rest.append(Line(outside, group=line.group))
        lines = rest
    rows = _visual_rows(lines)
    zones = {z.start: z for z in _find_zones(rows, width, height, space, first_page, decode)}
    in_zones = {id(ln) for z in zones.values() for row in rows[z.start:z.end] for ln in row}
    flowing = [ln for row in rows for ln in row if id(ln) not in in_zones]
    geo = _geometry(flowing or lines or [p for ps in grid_pieces for p in ps], width)
    blocks: list[Block] = []
    pending: list[Line] = []
    waiting = list(range(len(grids)))  # bordered tables not yet placed, top to bottom

    def place(before: float) -> None:
        nonlocal pending
        while waiting and grids[waiting[0]].y0 < before:
            k = waiting.pop(0)
            blocks.extend(_paragraphs(pending, geo, decode, encodings))
            pending = []
            table = _grid_table(grids[k], grid_pieces[k], width, decode, encodings)
            if table.rows:
                blocks.append(table)

    i = 0
    while i < len(rows):
        place(min(ln.y0 for ln in rows[i]))
        zone = zones.get(i)
        if zone is None:
            pending.extend(rows[i])
            i += 1
            continue
        blocks.extend(_paragraphs(pending, geo, decode, encodings))
        pending = []
        table = _zone_table(rows[zone.start:zone.end], zone, rules, decode, encodings)
        if table.rows:
            blocks.append(table)
        i = zone.end
    place(float("inf"))
    blocks.extend(_paragraphs(pending, geo, decode, encodings))
    return blocks, encodings


def _row_key(row: Sequence[str]) -> str:
    return fold(" ".join(row))


def _carried(before: Table, after: Table) -> Table | None:
    """The table a page ends with and the one the next page starts with as one, when
    the second goes on with the first: its heading row printed again (Word's repeated
    header row, read once here), and a row broken at the page's foot (the next page's
    first row has no number where every row before had one) joined cell by cell."""
    if not before.rows or not after.rows:
        return None
    rows = list(after.rows)
    repeated = len(before.rows[0]) == len(rows[0]) and SequenceMatcher(
        None, _row_key(before.rows[0]), _row_key(rows[0])).ratio() >= 0.9
    if repeated:
        rows = rows[1:]
    last = before.rows[-1]
    broken = (bool(rows) and len(before.rows) >= 2 and len(rows[0]) == len(last) >= 2
              and not rows[0][0].strip() and all(row[0].strip() for row in before.rows[1:]))
    if not repeated and not broken:
        return None
    head = list(before.rows)
    if broken:
        head[-1] = tuple("\n".join(part for part in (a, b) if part)
                         for a, b in zip(last, rows[0], strict=True))
        rows = rows[1:]
    return Table(rows=tuple(head) + tuple(rows))


def join_pages(pages: Sequence[Sequence[Block]]) -> list[Block]:
    """The blocks of a paper's pages in order; a table running over a page is one Table
    (``_carried``)."""
    blocks: list[Block] = []
    for page in pages:
        page = list(page)
        if blocks and page and isinstance(blocks[-1], Table) and isinstance(page[0], Table):
            joined = _carried(blocks[-1], page[0])
            if joined is not None:
                blocks[-1] = joined
                page = page[1:]
        blocks.extend(page)
    return blocks


# ---------------------------------------------------------------- tesseract

warnings_lock = threading.Lock()
"""Held around ``warnings.catch_warnings`` blocks: the importer reads files on several
threads, and catch_warnings saves and restores the process-wide filters."""


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


_TESSERACT_SLOTS = threading.BoundedSemaphore(_cores())
"""One tesseract per core at most, however many files and pages are read at once (each
runs with OMP_THREAD_LIMIT=1, one thread)."""


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


def _tesseract(image: Path, options: ReadOptions, *, psm: int, dpi: float | None) -> str:
    """tesseract's TSV of one image (one thread, waiting for a free core)."""
    tesseract = _require_tesseract(options.ocr_lang)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    cmd: list[str | Path] = [tesseract, image, "stdout", "-l", options.ocr_lang, "--psm", str(psm)]
    if dpi:
        cmd += ["--dpi", str(round(dpi))]
    cmd.append("tsv")
    with _TESSERACT_SLOTS:
        proc = run_tool(cmd, options, what="tesseract", env=env)
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
    return proc.stdout.decode("utf-8", "replace")


# ------------------------------------------------- rules drawn on a scanned page

_INK_LUT = [255 if value < 160 else 0 for value in range(256)]
_STEP = 8  # pixels averaged along a rule
_FULL = re.compile(rb"[\xc8-\xff]+")  # blocks at least 78 % ink


def _runs(ink: Image.Image, least: float) -> list[tuple[int, int, int]]:
    """(row, first pixel, last pixel + 1) of the runs of ink along the image's rows at
    least ``least`` pixels long."""
    reduced = ink.reduce((_STEP, 1))
    width = reduced.width
    data = reduced.tobytes()
    blocks = max(2, int(least // _STEP))
    found: list[tuple[int, int, int]] = []
    for match in _FULL.finditer(data):
        start, end = match.span()
        while start < end:  # a run does not go on into the next row
            row = start // width
            stop = min(end, (row + 1) * width)
            if stop - start >= blocks:
                found.append((row, (start - row * width) * _STEP, (stop - row * width) * _STEP))
            start = stop
    return found


def _merged(runs: Sequence[tuple[int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Runs on neighbouring rows that overlap merged: (first row, last row + 1, x0, x1);
    a run thicker than a rule (a filled area, a photograph) is left out."""
    open_: list[list[int]] = []
    for row, x0, x1 in sorted(runs):
        for rule in open_:
            if row <= rule[1] and min(x1, rule[3]) - max(x0, rule[2]) > 0.5 * min(x1 - x0, rule[3] - rule[2]):
                rule[1] = row + 1
                rule[2], rule[3] = min(rule[2], x0), max(rule[3], x1)
                break
        else:
            open_.append([row, row + 1, x0, x1])
    return [(a, b, x0, x1) for a, b, x0, x1 in open_ if b - a <= 6]


def find_rules(image: Image.Image) -> list[Rule]:
    """The straight horizontal and vertical rules of a page image (a table's borders, an
    underline), in pixels: ink (darker than 160) in runs longer than any letter, at
    most six pixels thick. A page with very many (a photograph) gives none."""
    gray = image if image.mode == "L" else image.convert("L")
    ink = gray.point(_INK_LUT)
    width = gray.width
    rules = [Rule(x0, y0, x1, y1) for y0, y1, x0, x1 in _merged(_runs(ink, 0.15 * width))]
    across = ink.transpose(Image.Transpose.TRANSPOSE)
    rules += [Rule(y0, x0, y1, x1) for y0, y1, x0, x1 in _merged(_runs(across, 0.045 * width))]
    return rules if len(rules) <= 300 else []


def erase_rules(image: Image.Image, rules: Sequence[Rule]) -> Image.Image:
    """A copy of the grey ``image`` with ``rules`` painted white (with a pixel to spare),
    so that tesseract does not read a table's borders as letters ("|", "l", "I")."""
    clean = image.copy()
    draw = ImageDraw.Draw(clean)
    for rule in rules:  # a little beyond the ends too: the corners where rules meet
        if rule.horizontal:
            draw.rectangle((rule.x0 - 4, rule.y0 - 1, rule.x1 + 3, rule.y1), fill=255)
        else:
            draw.rectangle((rule.x0 - 1, rule.y0 - 4, rule.x1, rule.y1 + 3), fill=255)
    return clean


# ------------------------------------------------- one page

_ORG_LINE = re.compile(r"^(?:CHI BO|DANG BO|DANG UY|CHI UY|BAN CHAP HANH|BAN THUONG VU|HUYEN UY"
                       r"|TINH UY|THANH UY|QUAN UY|THI UY|DANG DOAN|BAN CAN SU)\b")
_NUMBER_LINE = re.compile(r"\bSO\b\s*:?\s*\d{1,4}\s*[-–]\s*[A-Z]{1,5}\s*/\s*[A-Z]{1,8}\b")
_HEADER_DATE = re.compile(r"\bNGAY\s+\d{1,2}\s+THANG\s+\d{1,2}\s+NAM\s+\d{4}\b")
_SYLLABLE = re.compile(r"^(?:NGH|NG|NH|CH|GH|GI|KH|PH|QU|TH|TR|[BCDGHKLMNPRSTVX])?[AEIOUY]{1,3}"
                       r"(?:CH|NG|NH|[CMNPT])?$")


def _header_shape(table: Table) -> tuple[int, bool]:
    """How well a header table matches HD 36 (higher is better), and whether it looks
    wholly right: a "CHI BỘ …" line (or another organisation's name) on the left whose
    words are Vietnamese syllables in capitals, the number "Số 05-NQ/CB", the Party's
    name and the date on the right."""
    left = [part for row in table.rows for part in row[0].split("\n")] if table.rows else []
    right = " ".join(part for row in table.rows for cell in row[1:] for part in cell.split("\n"))
    score = 0
    orgs = [line for line in left if _ORG_LINE.match(fold(line))]
    cell = any(fold(line).startswith("CHI BO") for line in orgs)
    score += 2 if cell else 1 if orgs else 0
    number = any(_NUMBER_LINE.search(fold(line)) for line in left)
    title = "DANG CONG SAN VIET NAM" in fold(right)
    date = _HEADER_DATE.search(fold(right)) is not None
    score += number + title + date
    bad = 0
    for line in orgs:
        for word in line.split():
            letters = "".join(c for c in word if c.isalpha())
            if letters and (any(c.islower() for c in letters) or not _SYLLABLE.match(fold(letters))):
                bad += 1
    score -= bad
    return score, cell and title and date and not bad


def _doubtful(words: Sequence[Word]) -> int:
    """How doubtful an OCR'd header line looks: words read with little confidence, and in
    a line of capitals, words with small letters or that are no Vietnamese syllable."""
    lettered = [w for w in words if any(c.isalpha() for c in w.text)]
    plain = [w for w in lettered if not any(c.isdigit() or c == "/" for c in w.text)]
    letters = [c for w in plain for c in w.text if c.isalpha()]  # not "05-NQ/CB"
    capitals = bool(letters) and sum(c.isupper() for c in letters) >= 0.6 * len(letters)
    doubt = 0
    for word in lettered:
        bare = "".join(c for c in word.text if c.isalpha())
        unsure = 0 <= word.conf < 60
        odd = capitals and word in plain and (
            any(c.islower() for c in bare) or not _SYLLABLE.match(fold(bare)))
        doubt += unsure or odd
    return doubt


def _header_lines(lines: Sequence[Line], width: float, height: float
                  ) -> list[tuple[list[Word], float, float]]:
    """The printed lines of the header at the top of a first page, column by column:
    (words, left and right limits of the line's column)."""
    lines = [ln for ln in lines if ln.words and not _page_number(ln, height)]
    rows = _visual_rows(lines)
    zones = _find_zones(rows, width, height, _word_space(lines), True)
    if not zones or not zones[0].header:
        return []
    zone = zones[0]
    cuts = [(a + b) / 2 for a, b in zone.strips]
    limits = [0.0, *cuts, width]
    out: list[tuple[list[Word], float, float]] = []
    for column in range(len(cuts) + 1):
        lo, hi = limits[column], limits[column + 1]
        pieces = [Line([w for w in ln.words if lo <= w.cx < hi], group=ln.group)
                  for row in rows[zone.start:zone.end] for ln in row
                  if any(lo <= w.cx < hi for w in ln.words)]
        merged: list[list[Line]] = []
        for piece in sorted(pieces, key=lambda p: p.cy):
            if merged:
                last = merged[-1]
                y0, y1 = min(p.y0 for p in last), max(p.y1 for p in last)
                if min(y1, piece.y1) - max(y0, piece.y0) > 0.5 * min(piece.height, y1 - y0):
                    last.append(piece)
                    continue
            merged.append([piece])
        out.extend(([w for p in group for w in p.words], lo, hi) for group in merged)
    return out


def _reread_header(blocks: list[Block], lines: Sequence[Line], image: Image.Image,
                   dpi: float | None, path: Path, options: ReadOptions,
                   rules: Sequence[Rule] = ()) -> tuple[list[Block], list[Line]]:
    """The first page's blocks, with the doubtful lines of the header read again when
    the header does not look wholly like HD 36's or some of its words were read with
    little confidence (bold capitals misread: "CHI BỘ THÔN THỦY LỢI" as "PHINNI THON
    pHUIBIN", two lines set close read as one): each such line cut from the page on its
    own, twice as large (LANCZOS), read as one line (--psm 7); a reading less doubtful
    than the first replaces it, and the new header is kept unless it looks less like
    HD 36's than the first."""
    if not blocks or not isinstance(blocks[0], Table):
        return blocks, list(lines)
    width, height = float(image.width), float(image.height)
    score, right = _header_shape(blocks[0])
    if score < 2:  # a table heading the page, not HD 36's header
        return blocks, list(lines)
    printed = _header_lines(lines, width, height)
    if right and not any(_doubtful(words) for words, _, _ in printed):
        return blocks, list(lines)
    current = list(lines)
    for words, lo, hi in printed:
        doubt = _doubtful(words)
        if not doubt:
            continue
        top = statistics.median(w.y0 for w in words)
        bottom = statistics.median(w.y1 for w in words)
        pad = 0.25 * (bottom - top)
        box = (int(max(lo, min(w.x0 for w in words) - 2 * pad)), int(max(0.0, top - pad)),
               int(min(hi, max(w.x1 for w in words) + 2 * pad)), int(min(height, bottom + pad)))
        if box[2] - box[0] < 8 or box[3] - box[1] < 8:
            continue
        crop = image.crop(box)
        crop = crop.resize((crop.width * 2, crop.height * 2), Image.Resampling.LANCZOS)
        crop_path = path.with_name(f"{path.stem}-line.pgm")
        crop.save(crop_path, "PPM")
        try:
            again, _, _, _ = parse_tsv(_tesseract(crop_path, options, psm=7,
                                                  dpi=2 * dpi if dpi else None))
        finally:
            crop_path.unlink(missing_ok=True)
        new = [Word(w.text, w.x0 / 2 + box[0], w.y0 / 2 + box[1], w.x1 / 2 + box[0],
                    w.y1 / 2 + box[1], conf=w.conf) for ln in again for w in ln.words]
        if not new or _doubtful(new) >= doubt:
            continue
        old = {id(w) for w in words}
        current = [Line([w for w in ln.words if id(w) not in old], group=ln.group)
                   for ln in current if any(id(w) not in old for w in ln.words)]
        current.append(Line(new, group=(-1, len(current))))
    if len(current) == len(lines) and all(a is b for a, b in zip(current, lines, strict=True)):
        return blocks, list(lines)
    reread, _ = layout_page(current, width, height, first_page=True, decode=ocr_decode,
                            rules=rules)
    if reread and isinstance(reread[0], Table) and _header_shape(reread[0])[0] >= score:
        return reread, current
    return blocks, list(lines)


def _grid_cells(grid: _Grid, width: float) -> list[tuple[int, int, int, int]]:
    """The boxes of a bordered table's cells (inside their rules), row by row."""
    tol = 0.006 * width
    boxes: list[tuple[int, int, int, int]] = []
    for top, bottom in zip(grid.ys, grid.ys[1:], strict=False):
        middle = (top + bottom) / 2
        cuts = _cluster([(v.x0 + v.x1) / 2 for v in grid.verticals
                         if v.y0 - tol <= middle <= v.y1 + tol], tol)
        for left, right in zip(cuts, cuts[1:], strict=False):
            box = (int(left) + 4, int(top) + 4, int(right) - 3, int(bottom) - 3)
            if box[2] - box[0] >= 8 and box[3] - box[1] >= 8:
                boxes.append(box)
    return boxes


def _reread_grids(lines: Sequence[Line], image: Image.Image, rules: Sequence[Rule],
                  dpi: float | None, path: Path, options: ReadOptions) -> list[Line]:
    """The page's lines with the words of each bordered table read again cell by cell:
    the cells that hold ink are cut out and stacked, apart, on one image that tesseract
    reads as one block (--psm 6), so that a short cell ("Quý I") is read alone, not
    run into the cells beside it ("1 Quýi Chung tay …") as on the whole page."""
    grids = _grids(rules, float(image.width))
    if not grids:
        return list(lines)
    ink = image.point(_INK_LUT)
    slots: list[tuple[int, int, int, int]] = []  # (top on the stack, bottom, dx, dy)
    pieces: list[tuple[Image.Image, int]] = []
    y = 10
    for grid in grids:
        for box in _grid_cells(grid, float(image.width)):
            inked = ink.crop(box).getbbox()
            if inked is None:
                continue
            box = (box[0] + inked[0], box[1] + inked[1], box[0] + inked[2], box[1] + inked[3])
            crop = image.crop((box[0] - 3, box[1] - 3, box[2] + 3, box[3] + 3))
            pieces.append((crop, y))
            slots.append((y, y + crop.height, box[0] - 3 - 10, box[1] - 3 - y))
            y += crop.height + max(20, crop.height // 2)
    if not pieces:
        return list(lines)
    stack = Image.new("L", (max(p.width for p, _ in pieces) + 20, y + 10), 255)
    for piece, top in pieces:
        stack.paste(piece, (10, top))
    stack_path = path.with_name(f"{path.stem}-cells.pgm")
    stack.save(stack_path, "PPM")
    try:
        again, _, _, _ = parse_tsv(_tesseract(stack_path, options, psm=6, dpi=dpi))
    finally:
        stack_path.unlink(missing_ok=True)

    def inside(word: Word) -> bool:
        cy = (word.y0 + word.y1) / 2
        return any(g.x0 <= word.cx <= g.x1 and g.y0 <= cy <= g.y1 for g in grids)

    out = [Line([w for w in ln.words if not inside(w)], group=ln.group)
           for ln in lines if any(not inside(w) for w in ln.words)]
    for n, line in enumerate(again):
        by_slot: dict[int, list[Word]] = {}
        for word in line.words:
            cy = (word.y0 + word.y1) / 2
            for k, (top, bottom, dx, dy) in enumerate(slots):
                if top <= cy <= bottom:
                    by_slot.setdefault(k, []).append(Word(
                        word.text, word.x0 + dx, word.y0 + dy, word.x1 + dx, word.y1 + dy,
                        conf=word.conf))
                    break
        out.extend(Line(words, group=(-2, n, k)) for k, words in by_slot.items())
    return out


def _spans(values: bytes, join: int) -> list[tuple[int, int]]:
    """(start, end) of the runs of non-zero values, runs less than ``join`` apart joined."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(rb"[^\x00]+", values):
        start, end = match.span()
        if spans and start - spans[-1][1] <= join:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _free_bands(ink: Image.Image, words: Sequence[Word], box: tuple[int, int, int, int]
                ) -> list[tuple[int, int]]:
    """(top, bottom) of the bands of ``box`` (x0, y0, x1, y1) with ink that no word
    covers; a word's box is taken no taller than 1.4 times the usual (tesseract stretches
    one over a mark it did not read)."""
    x0, y0, x1, y1 = box
    if x1 - x0 < 2 or y1 - y0 < 2:
        return []
    per_row = ink.crop(box).resize((1, y1 - y0), Image.Resampling.BOX).tobytes()
    tall = statistics.median(w.y1 - w.y0 for w in words) if words else 0.0
    free = bytearray(per_row)
    for word in words:
        if x0 <= word.cx <= x1:
            top = int(word.y0) - 2 - y0
            bottom = int(min(word.y1, word.y0 + 1.4 * tall)) + 2 - y0
            top, bottom = max(0, top), min(len(free), bottom)
            if bottom > top:
                free[top:bottom] = bytes(bottom - top)
    return [(y0 + a, y0 + b) for a, b in _spans(bytes(free), 1)]


def _lost_marks(image: Image.Image, lines: Sequence[Line],
                star_box: tuple[int, int, int, int] | None) -> tuple[list[Line], set[int]]:
    """Marks tesseract drops, found as ink where no word is: a row of short dashes
    alone on its line ("-----" under the trích yếu), and in ``star_box`` (the left
    column of the first page's header) a lone small mark on a line of its own, the star
    under the cell's name (where only noise was read, whose words' ids come second)."""
    words = [w for ln in lines for w in ln.words]
    if not words:
        return [], set()
    ink = image.point(_INK_LUT)
    width = ink.width
    usual = statistics.median(w.y1 - w.y0 for w in words)
    found: list[Line] = []
    for top, bottom in _free_bands(ink, words, (0, 0, width, ink.height)):
        tall = bottom - top
        if tall < 2 or tall > 0.3 * usual:
            continue
        columns = ink.crop((0, top, width, bottom)).resize((width, 1), Image.Resampling.BOX).tobytes()
        pieces = _spans(columns, 0)  # bold dashes may stand a pixel apart
        sizes = [b - a for a, b in pieces]
        gaps = [b[0] - a[1] for a, b in zip(pieces, pieces[1:], strict=False)]
        if (3 <= len(pieces) <= 12 and all(0.2 * usual <= size <= usual for size in sizes)
                and max(sizes) <= 1.6 * min(sizes)
                and all(0 < gap <= 1.5 * max(sizes) for gap in gaps)
                and max(gaps) <= 2 * min(gaps) + 2):
            found.append(Line([Word("-" * len(pieces), pieces[0][0], top, pieces[-1][1], bottom,
                                    conf=90.0)]))
    noise: set[int] = set()
    if star_box is not None:
        x0, _, x1, _ = star_box
        sure = [w for w in words if not 0 <= w.conf < 30]  # the star may be read as "_s"
        for top, bottom in _free_bands(ink, sure, star_box):
            tall = bottom - top
            if not 0.3 * usual <= tall <= usual:
                continue
            columns = ink.crop((x0, top, x1, bottom)).resize((x1 - x0, 1), Image.Resampling.BOX).tobytes()
            pieces = _spans(columns, int(usual))
            if len(pieces) == 1 and pieces[0][1] - pieces[0][0] <= 1.3 * tall:
                star = Word("*", x0 + pieces[0][0], top, x0 + pieces[0][1], bottom, conf=90.0)
                found.append(Line([star]))
                noise |= {id(w) for w in words if 0 <= w.conf < 30 and w.x0 < star.x1
                          and w.x1 > star.x0 and w.y0 < bottom and w.y1 > top}
    return found, noise


def _ocr_file(path: Path, dpi: float | None, options: ReadOptions, first_page: bool) -> _PageResult:
    """OCR of one grey page image written as a .pgm: the table rules found on it are
    erased before tesseract reads it (and part the table rows after), and a first page's
    header is read again when it looks wrong."""
    try:
        with Image.open(path) as opened:
            image = opened.convert("L") if opened.mode != "L" else opened.copy()
    except Image.DecompressionBombError:  # a huge page: tesseract reads it as it is
        lines, width, height, confidences = parse_tsv(_tesseract(path, options, psm=3, dpi=dpi))
        blocks, _ = layout_page(lines, width or 1.0, height or 1.0, first_page=first_page,
                                decode=ocr_decode)
        return _PageResult(blocks, confidences)
    rules = find_rules(image)
    if rules:
        image = erase_rules(image, rules)
        image.save(path, "PPM")
    tsv = _tesseract(path, options, psm=3, dpi=dpi)
    lines, width, height, confidences = parse_tsv(tsv)
    if rules:
        lines = _reread_grids(lines, image, rules, dpi, path, options)
    width, height = width or float(image.width), height or float(image.height)
    blocks, _ = layout_page(lines, width, height, first_page=first_page, decode=ocr_decode,
                            rules=rules)
    star_box: tuple[int, int, int, int] | None = None
    if first_page:
        blocks, lines = _reread_header(blocks, lines, image, dpi, path, options, rules)
        printed = _header_lines(lines, width, height)
        left = [(words, hi) for words, lo, hi in printed if lo == 0.0]
        if left:
            star_box = (0, int(min(w.y0 for words, _ in left for w in words)),
                        int(left[0][1]), int(max(w.y1 for words, _ in left for w in words)))
    marks, noise = _lost_marks(image, lines, star_box)
    if marks:
        kept = [Line([w for w in ln.words if id(w) not in noise], group=ln.group)
                for ln in lines if any(id(w) not in noise for w in ln.words)]
        blocks, _ = layout_page([*kept, *marks], width, height, first_page=first_page,
                                decode=ocr_decode, rules=rules)
    return _PageResult(blocks, confidences)


def _ocr_files(
    images: Sequence[tuple[Path, float | None, bool]], options: ReadOptions, workers: int
) -> list[_PageResult]:
    _require_tesseract(options.ocr_lang)
    if workers <= 1 or len(images) <= 1:
        return [_ocr_file(path, dpi, options, first) for path, dpi, first in images]
    with ThreadPoolExecutor(max_workers=min(workers, _cores())) as pool:
        return list(pool.map(lambda item: _ocr_file(item[0], item[1], options, item[2]), images))


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
            ["pdftoppm", "-r", str(options.ocr_dpi), "-gray", "-f", str(page),
             "-l", str(page), "-singlefile", pdf, prefix],
            options, what="pdftoppm",
        )
        image = prefix.with_suffix(".pgm")
        if proc.returncode != 0 or not image.exists():
            err = proc.stderr.decode("utf-8", "replace").strip()
            raise UnreadableFile(
                Msg(f"Không chuyển được trang {page} của PDF thành ảnh: {err[-300:]}",
                    f"Cannot render page {page} of the PDF: {err[-300:]}"),
                hint=Msg("Tệp PDF có thể hỏng: mở thử bằng trình đọc PDF, hoặc quét lại.",
                         "The PDF may be damaged: open it in a PDF viewer, or scan it again."),
            )
        try:
            return _ocr_file(image, options.ocr_dpi, options, page == 1)
        finally:
            image.unlink(missing_ok=True)

    with tempfile.TemporaryDirectory(prefix="docgen-ocr-") as tmpdir:
        tmp = Path(tmpdir)
        if workers <= 1 or len(pages) <= 1:
            results = [one(page, tmp) for page in pages]
        else:
            with ThreadPoolExecutor(max_workers=min(workers, _cores())) as pool:
                results = list(pool.map(lambda page: one(page, tmp), pages))
    return [r.blocks for r in results], _info(results, options, options.ocr_dpi)


def ocr_pdf_pages(
    pdf: Path, pages: Sequence[int], options: ReadOptions, workers: int = 1
) -> tuple[list[Block], OcrInfo]:
    """OCR of the given pages (1-based) of ``pdf``: their blocks in order, and what was read."""
    per_page, info = ocr_pdf_pages_by_page(pdf, pages, options, workers)
    return join_pages(per_page), info


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
        paths: list[tuple[Path, float | None, bool]] = []
        for i, (frame, dpi) in enumerate(frames):
            path = Path(tmpdir) / f"page-{i + 1}.pgm"
            gray = frame if frame.mode == "L" else frame.convert("L")
            gray.save(path, "PPM")
            paths.append((path, dpi, i == 0))
        results = _ocr_files(paths, options, workers)
    blocks = join_pages([r.blocks for r in results])
    return Recovered(
        blocks=blocks,
        encoding="unicode",
        source="image",
        pages=len(frames),
        ocr=_info(results, options, 0),
        print_pdf=_print_pdf(frames),
    )
