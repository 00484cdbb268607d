"""PDF papers: the text layer read with poppler, scanned pages read with OCR.

Checks first (each refusal an UnreadableFile naming what to do): not a PDF, corrupt
(neither pypdf nor poppler opens it), encrypted with a user password (a PDF with only
an owner password opens and is read), no page, more than ``ReadOptions.max_pages``.

The text layer comes from ``pdftotext -bbox-layout`` (flows, blocks, lines and words
with their boxes), and the rules each page draws (table borders, read from the content
stream with pypdf: ``_stream_rules``), so that ``docgen.importing.ocr.layout_page`` keeps
columns apart: the two-column HD 36 header and the signature block become Tables of
one row, a bordered table a Table read cell by cell, row by row; wrapped lines are
joined into paragraphs. ``pdftohtml -xml`` names the font of each
piece of text: "Bold" fonts make bold paragraphs, and words drawn in a legacy font
(``.VnTime``, ``.VnTimeH``, ``VNI-Times``) are decoded by that font. Text in any other
font that is TCVN3 or VNI mojibake (a paper printed to PDF without the legacy font's
mapping) is decoded paragraph by paragraph as ``guess_encoding`` says.

A page with almost no text (fewer than 20 characters other than spaces) is a scan: it
is OCR'd (``docgen.importing.ocr``), and the file's source becomes "scan".
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from docgen.i18n import Msg
from docgen.importing.ocr import (
    Line,
    Rule,
    Word,
    join_pages,
    layout_page,
    ocr_pdf_pages_by_page,
    run_tool,
    warnings_lock,
)
from docgen.importing.recovered import Block, ReadOptions, Recovered, UnreadableFile
from docgen.importing.text_read import combine_encodings, decode_guessed
from docgen.vn.legacy import LegacyFont, decode_tcvn3, decode_vni, font_encoding

__all__ = ["SCANNED_BELOW", "read_pdf"]

SCANNED_BELOW = 20
"""A page with fewer non-space characters in its text layer than this is OCR'd."""

_XHTML = "{http://www.w3.org/1999/xhtml}"


def _refuse(reason_vi: str, reason_en: str, hint_vi: str, hint_en: str) -> UnreadableFile:
    return UnreadableFile(
        Msg(f"Không đọc được tệp PDF: {reason_vi}", f"Cannot read the PDF: {reason_en}"),
        hint=Msg(hint_vi, hint_en),
    )


def _corrupt(detail: str = "") -> UnreadableFile:
    more = f" ({detail})" if detail else ""
    return _refuse(
        f"tệp bị hỏng hoặc không trọn vẹn{more}.",
        f"the file is damaged or incomplete{more}.",
        "Mở thử tệp bằng trình đọc PDF; nếu không mở được, xuất lại PDF từ bản gốc hoặc "
        "quét lại giấy tờ.",
        "Try opening it in a PDF viewer; if it does not open, export the PDF again from the "
        "original or scan the paper again.",
    )


def _encrypted() -> UnreadableFile:
    return _refuse(
        "tệp được khóa bằng mật khẩu.",
        "the file is locked with a password.",
        "Mở tệp bằng mật khẩu trong trình đọc PDF, in hoặc lưu ra bản PDF không khóa, rồi "
        "nhập bản đó.",
        "Open it with its password in a PDF viewer, print or save it as a PDF without a "
        "password, then import that copy.",
    )


# ---------------------------------------------------------------- checks


def _pypdf_probe(data: bytes) -> tuple[int | None, bool]:
    """(pages as pypdf counts them, or None when pypdf cannot read the file; whether a
    user password locks it)."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    try:
        with warnings_lock, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                        return None, True
                except DependencyError:  # AES without the cryptography package: poppler says
                    return None, False
            return len(reader.pages), False
    except Exception:  # pypdf raises many kinds of errors on damaged files
        return None, False


def _check(data: bytes, path: Path, options: ReadOptions) -> int:
    """The number of pages, after refusing what cannot be read."""
    if not data:
        raise _refuse("tệp rỗng (0 byte).", "the file is empty (0 bytes).",
                      "Chép lại tệp từ bản gốc: bản này không có nội dung.",
                      "Copy the file again from the original: this copy has no content.")
    if len(data) > options.max_bytes:
        size = options.max_bytes // (1024 * 1024)
        raise _refuse(f"tệp lớn hơn {size} MB.", f"the file is larger than {size} MB.",
                      "Tách PDF thành nhiều tệp nhỏ hơn rồi nhập từng tệp.",
                      "Split the PDF into smaller files and import each one.")
    if b"%PDF-" not in data[:1024]:
        raise _refuse("đây không phải tệp PDF.", "this is not a PDF file.",
                      "Kiểm tra đuôi tệp: có thể tệp là loại khác bị đặt tên .pdf.",
                      "Check the file type: it may be another kind of file named .pdf.")
    pypdf_pages, locked = _pypdf_probe(data)
    if locked:
        raise _encrypted()
    info = run_tool(["pdfinfo", path], options, what="pdfinfo")
    err = info.stderr.decode("utf-8", "replace")
    if "incorrect password" in err.lower():
        raise _encrypted()
    pages: int | None = None
    if info.returncode == 0:
        match = re.search(rb"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
        pages = int(match.group(1)) if match else None
    if pages is None:
        if pypdf_pages is None:
            raise _corrupt(err.strip().splitlines()[-1][:200] if err.strip() else "")
        pages = pypdf_pages
    if pages == 0:
        raise _refuse("tệp không có trang nào.", "the file has no page.",
                      "Xuất lại PDF từ bản gốc hoặc quét lại giấy tờ.",
                      "Export the PDF again from the original or scan the paper again.")
    if pages > options.max_pages:
        raise _refuse(
            f"tệp có {pages} trang, nhiều hơn giới hạn {options.max_pages} trang.",
            f"it has {pages} pages, more than the limit of {options.max_pages}.",
            "Tách PDF thành nhiều tệp nhỏ hơn (mỗi văn bản một tệp) rồi nhập lại.",
            "Split the PDF into smaller files (one paper each), then import again.",
        )
    return pages


# ---------------------------------------------------------------- text layer


@dataclass
class _Page:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)

    def chars(self) -> int:
        return sum(len("".join(w.text.split())) for ln in self.lines for w in ln.words)


def _parse_bbox(xhtml: bytes) -> list[_Page]:
    parser = etree.XMLParser(recover=True, huge_tree=True, resolve_entities=False, no_network=True)
    root = etree.fromstring(xhtml, parser=parser)
    if root is None:
        return []
    pages: list[_Page] = []
    for page_el in root.iter(f"{_XHTML}page"):
        page = _Page(float(page_el.get("width", "0")), float(page_el.get("height", "0")))
        for f, flow in enumerate(page_el.iter(f"{_XHTML}flow")):
            for b, block in enumerate(flow.iter(f"{_XHTML}block")):
                for line_el in block.iter(f"{_XHTML}line"):
                    words = [
                        Word(
                            unicodedata.normalize("NFC", word.text or ""),
                            float(word.get("xMin", "0")), float(word.get("yMin", "0")),
                            float(word.get("xMax", "0")), float(word.get("yMax", "0")),
                        )
                        for word in line_el.iter(f"{_XHTML}word")
                        if (word.text or "").strip()
                    ]
                    if words:
                        page.lines.append(Line(words, group=(f, b)))
        pages.append(page)
    return pages


@dataclass(frozen=True)
class _Segment:
    x0: float
    y0: float
    x1: float
    y1: float
    bold: bool
    font: LegacyFont | None


_STYLE = re.compile(
    r"(?:[-,](?:Bold|Italic|Oblique|Regular|Roman|Semibold|Demi|Black|Heavy|Medium)+(?:MT|PS)?"
    r"|MT|PS)$",
    re.IGNORECASE,
)


def _font_name(family: str) -> str:
    """The font's family as ``font_encoding`` knows it: no subset prefix ("ABCDEF+"), no
    style suffix (".VnTimeH-Bold", "VNI-Times,Bold")."""
    name = re.sub(r"^[A-Z]{6}\+", "", family.strip())
    while (stripped := _STYLE.sub("", name)) != name and stripped:
        name = stripped
    if re.match(r"Vn[A-Z]", name):  # ".VnTime" written without its dot
        name = "." + name
    return name


def _segments(path: Path, options: ReadOptions) -> dict[int, list[_Segment]]:
    """The text pieces of each page (1-based) with their font, from ``pdftohtml -xml``;
    empty when poppler cannot tell (the fonts are then unknown)."""
    if shutil.which("pdftohtml") is None:
        return {}
    proc = run_tool(
        ["pdftohtml", "-xml", "-i", "-q", "-zoom", "1", "-stdout", "-nodrm", "-fontfullname", path],
        options, what="pdftohtml",
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        return {}
    parser = etree.XMLParser(recover=True, huge_tree=True, resolve_entities=False, no_network=True)
    root = etree.fromstring(proc.stdout, parser=parser)
    if root is None:
        return {}
    fonts: dict[str, tuple[bool, LegacyFont | None]] = {}
    out: dict[int, list[_Segment]] = {}
    for page_el in root.iter("page"):
        number = int(page_el.get("number", "0"))
        for spec in page_el.iter("fontspec"):
            family = spec.get("family", "")
            fonts[spec.get("id", "")] = (
                bool(re.search(r"bold|black|heavy|demi", family, re.IGNORECASE)),
                font_encoding(_font_name(family)),
            )
        segments = out.setdefault(number, [])
        for text in page_el.iter("text"):
            bold, legacy = fonts.get(text.get("font", ""), (False, None))
            content = "".join(text.itertext())
            in_b = sum(len("".join(b.itertext())) for b in text.iter("b"))
            bold = bold or (bool(content.strip()) and in_b >= 0.5 * len(content))
            try:
                top, left = float(text.get("top", "")), float(text.get("left", ""))
                width, height = float(text.get("width", "")), float(text.get("height", ""))
            except ValueError:
                continue
            segments.append(_Segment(left, top, left + width, top + height, bold, legacy))
    return out


def _annotate(page: _Page, segments: Sequence[_Segment]) -> None:
    """Give each word the font of the text piece under its centre."""
    if not segments:
        return
    for line in page.lines:
        for word in line.words:
            cx, cy = word.cx, (word.y0 + word.y1) / 2
            for seg in segments:
                if seg.x0 - 1.5 <= cx <= seg.x1 + 1.5 and seg.y0 - 1.5 <= cy <= seg.y1 + 1.5:
                    word.bold, word.font, word.font_known = seg.bold, seg.font, True
                    break


def _has_unicode_letters(text: str) -> bool:
    """Vietnamese letters beyond latin-1 (ơ ư đ ạ …): the text is already Unicode."""
    return any(ord(c) > 0xFF and unicodedata.category(c).startswith("L") for c in text)


def _soft_hyphens(text: str) -> str:
    """TCVN3's "ư" is byte 0xAD, which a PDF's WinAnsi encoding names "hyphen": the text
    layer shows "Tr-êng" for "Trường". A hyphen after a letter (or at a word's start) and
    before a lowercase letter is put back as 0xAD; "Mác-Lênin" and "05-NQ" keep theirs."""
    chars = list(text)
    for i, char in enumerate(chars):
        if char != "-" or i + 1 >= len(chars):
            continue
        prev = chars[i - 1] if i else " "
        nxt = chars[i + 1]
        legacy_next = nxt.isalpha() and not "A" <= nxt <= "Z" or "\x80" <= nxt <= "\xff"
        if legacy_next and (prev.isspace() or prev.isalpha() or "\x80" <= prev <= "\xff"):
            chars[i] = "\xad"
    return "".join(chars)


def _decode(words: Sequence[Word]) -> tuple[str, str | None]:
    """The words of one paragraph (or header cell line) → NFC Unicode and its encoding."""
    raw = " ".join(w.text for w in words)
    if any(w.font is not None for w in words) and not _has_unicode_letters(raw):
        parts: list[str] = []
        found: set[str] = set()
        for w in words:
            if w.font is None:
                parts.append(w.text)
            elif w.font.encoding == "tcvn3":
                parts.append(decode_tcvn3(_soft_hyphens(w.text), w.font.capitals))
                found.add("tcvn3")
            else:
                parts.append(decode_vni(w.text))
                found.add("vni")
        return unicodedata.normalize("NFC", " ".join(parts)), (
            found.pop() if len(found) == 1 else "mixed")
    if "-" in raw and not _has_unicode_letters(raw):
        text, encoding = decode_guessed(_soft_hyphens(raw))
        if encoding == "tcvn3":
            return text, encoding
    return decode_guessed(raw)


# ---------------------------------------------------------------- drawn rules

_TOKEN = re.compile(
    rb"\((?:\\.|[^\\()])*\)"  # a string (nested parentheses are rare in content streams)
    rb"|<<|>>|<[0-9A-Fa-f\s]*>|\[|\]|\{|\}"
    rb"|/[^\s/\[\]()<>{}%]*"
    rb"|%[^\r\n]*"
    rb"|[-+]?(?:\d+\.?\d*|\.\d+)"
    rb"|[A-Za-z'\"*]+[0-9]*"
    rb"|\S",
    re.DOTALL,
)
_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)$")
_TEXT_MARK = re.compile(rb"(?<![A-Za-z])(?:BT|ET)(?![A-Za-z])")
_STREAM_LIMIT = 8_000_000  # bytes of one page's content read for rules (a text page: ~50 KB)


def _without_text(content: bytes) -> bytes:
    """The content stream without its text objects (BT … ET), where no path is drawn:
    one pass, whatever the stream holds."""
    kept: list[bytes] = []
    start: int | None = 0
    for mark in _TEXT_MARK.finditer(content):
        if mark.group() == b"BT" and start is not None:
            kept.append(content[start:mark.start()])
            start = None
        elif mark.group() == b"ET" and start is None:
            start = mark.end()
    if start is not None:
        kept.append(content[start:])
    return b" ".join(kept)
_PAINT = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
Matrix = tuple[float, float, float, float, float, float]


def _times(m: Matrix, n: Matrix) -> Matrix:
    """m × n (m applied first)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _stream_rules(content: bytes, box: tuple[float, float, float, float]) -> list[Rule]:
    """The straight horizontal and vertical rules a content stream strokes or fills
    (table borders, underlines), in pdftotext's coordinates (points from the top left
    of ``box``, the page's media box x0, y0, x1, y1). Only q/Q/cm, paths and painting
    are followed; text, images and forms are skipped."""
    left, _bottom, _right, top = box
    ctm: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack: list[Matrix] = []
    operands: list[float] = []
    path: list[tuple[float, float, float, float, bool]] = []  # segments; True: a box's side
    start: tuple[float, float] | None = None
    point: tuple[float, float] | None = None
    rules: list[Rule] = []

    def device(x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = ctm
        return x * a + y * c + e, x * b + y * d + f

    content = _without_text(content)
    pos = 0
    while (match := _TOKEN.search(content, pos)) is not None:
        token = match.group()
        pos = match.end()
        if _NUMBER.match(token):
            operands.append(float(token))
            continue
        if token == b"ID":  # inline image data up to EI
            end = content.find(b"EI", pos)
            pos = len(content) if end < 0 else end + 2
            operands.clear()
            continue
        if not token[:1].isalpha() and token not in (b"'", b'"'):
            if token[:1] in b"[(<":
                operands.clear()  # a string or array: text, not a path
            continue
        op = token
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop() if stack else ctm
        elif op == b"cm" and len(operands) >= 6:
            m6 = operands[-6:]
            ctm = _times((m6[0], m6[1], m6[2], m6[3], m6[4], m6[5]), ctm)
        elif op == b"m" and len(operands) >= 2:
            start = point = device(operands[-2], operands[-1])
        elif op == b"l" and len(operands) >= 2 and point is not None:
            new = device(operands[-2], operands[-1])
            path.append((point[0], point[1], new[0], new[1], False))
            point = new
        elif op == b"h" and point is not None and start is not None:
            path.append((point[0], point[1], start[0], start[1], False))
            point = start
        elif op == b"re" and len(operands) >= 4:
            x, y, w, h = operands[-4:]
            corners = [device(x, y), device(x + w, y), device(x + w, y + h), device(x, y + h)]
            xs, ys = [p[0] for p in corners], [p[1] for p in corners]
            if min(abs(w), abs(h)) * max(abs(ctm[0]) + abs(ctm[2]), abs(ctm[1]) + abs(ctm[3])) <= 3:
                # a thin filled or stroked bar: one rule along its middle
                if max(xs) - min(xs) >= max(ys) - min(ys):
                    ym = (min(ys) + max(ys)) / 2
                    path.append((min(xs), ym, max(xs), ym, False))
                else:
                    xm = (min(xs) + max(xs)) / 2
                    path.append((xm, min(ys), xm, max(ys), False))
            else:  # a box: its sides are rules when stroked, not when filled
                path.extend((*corners[k], *corners[(k + 1) % 4], True) for k in range(4))
            start = point = corners[0]
        elif op in _PAINT or op == b"n":
            stroked = op in (b"S", b"s", b"B", b"B*", b"b", b"b*")
            if op != b"n":
                for x0, y0, x1, y1, side in path:
                    if side and not stroked:
                        continue
                    if abs(y1 - y0) <= 1.0 and abs(x1 - x0) >= 10.0:
                        y = top - (y0 + y1) / 2
                        rules.append(Rule(min(x0, x1) - left, y, max(x0, x1) - left, y))
                    elif abs(x1 - x0) <= 1.0 and abs(y1 - y0) >= 10.0:
                        x = (x0 + x1) / 2 - left
                        rules.append(Rule(x, top - max(y0, y1), x, top - min(y0, y1)))
            path = []
            start = point = None
        operands.clear()
    return rules


def _page_rules(data: bytes, pages: int) -> dict[int, list[Rule]]:
    """The rules drawn on each page (1-based) that is not rotated; {} when pypdf cannot
    read the file (the layout then goes by the words alone)."""
    from pypdf import PdfReader

    out: dict[int, list[Rule]] = {}
    try:
        with warnings_lock, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                reader.decrypt("")
            for number, page in enumerate(reader.pages[:pages], start=1):
                if int(page.get("/Rotate", 0) or 0) % 360:
                    continue
                contents = page.get_contents()
                if contents is None:
                    continue
                content = contents.get_data()
                if len(content) > _STREAM_LIMIT:
                    continue
                box = page.mediabox
                out[number] = _stream_rules(
                    content,
                    (float(box.left), float(box.bottom), float(box.right), float(box.top)),
                )
    except Exception:  # a damaged stream: no rules, the words still lay the page out
        return out
    return out


# ---------------------------------------------------------------- reader


def read_pdf(data: bytes, options: ReadOptions, workers: int = 1) -> Recovered:
    """A PDF paper → Recovered: source "pdf" for a text layer, "scan" when any page had
    to be OCR'd (``ocr`` then says how); the first page's header as a two-cell Table."""
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as tmpdir:
        path = Path(tmpdir) / "paper.pdf"
        path.write_bytes(data)
        count = _check(data, path, options)
        proc = run_tool(["pdftotext", "-bbox-layout", "-enc", "UTF-8", path, "-"], options,
                        what="pdftotext")
        pages = _parse_bbox(proc.stdout) if proc.stdout.strip() else []
        if proc.returncode != 0 and not pages:
            err = proc.stderr.decode("utf-8", "replace").strip()
            raise _corrupt(err.splitlines()[-1][:200] if err else "")
        if not pages:
            raise _corrupt()
        if any(page.chars() >= SCANNED_BELOW for page in pages):
            segments = _segments(path, options)
            for number, page in enumerate(pages, start=1):
                _annotate(page, segments.get(number, []))
        scanned = [n for n, page in enumerate(pages, start=1) if page.chars() < SCANNED_BELOW]
        ocr_blocks: dict[int, list[Block]] = {}
        info = None
        if scanned:
            read, info = ocr_pdf_pages_by_page(path, scanned, options, workers)
            ocr_blocks = dict(zip(scanned, read, strict=True))
    per_page: list[list[Block]] = []
    found: list[str] = []
    drawn = _page_rules(data, len(pages)) if len(scanned) < len(pages) else {}
    for number, page in enumerate(pages, start=1):
        if number in ocr_blocks:
            per_page.append(ocr_blocks[number])
            continue
        page_blocks, encodings = layout_page(
            page.lines, page.width, page.height, first_page=number == 1, decode=_decode,
            rules=drawn.get(number, ()),
        )
        per_page.append(page_blocks)
        found.extend(encodings)
    blocks = join_pages(per_page)
    notes: list[Msg] = []
    if scanned and len(scanned) < len(pages):
        notes.append(Msg(
            f"{len(scanned)} trong {len(pages)} trang là ảnh quét, đã đọc bằng OCR.",
            f"{len(scanned)} of {len(pages)} pages are scans, read with OCR.",
        ))
    if not blocks:
        notes.append(Msg("Không tìm thấy chữ nào trong tệp PDF.", "No text was found in the PDF."))
    return Recovered(
        blocks=blocks,
        encoding=combine_encodings(found),
        source="scan" if scanned else "pdf",
        pages=count,
        ocr=info,
        notes=notes,
    )
