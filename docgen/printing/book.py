"""One print-ready book from many document PDFs: cover, contents, bookmarks, page numbers.

Cover and contents pages and the page numbers are drawn here with an embedded Liberation
Serif (no LibreOffice needed), so a book of already-converted documents is fast.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
)

from docgen.errors import PrintError, os_reason
from docgen.fsio import replace_via_temp
from docgen.i18n import Msg
from docgen.model.meta import DocMeta
from docgen.printing.fonts import (
    TrueType,
    embed_font,
    font_resources,
    liberation_serif,
    show_text,
    wrap,
)
from docgen.vn.dates import vn_date

A4 = (595.276, 841.89)
MM = 72 / 25.4
LEFT, RIGHT, TOP, BOTTOM = 25 * MM, 15 * MM, 20 * MM, 20 * MM
TOC_SIZE, TOC_LEAD = 12.0, 15.0
NUMBER_SIZE, NUMBER_Y = 11.0, 9 * MM
# Contents columns: (x offset from the left margin, width) for STT, Số, Ngày, Trích yếu.
COLS = {"stt": (0.0, 28.0), "number": (28.0, 78.0), "date": (106.0, 66.0), "title": (172.0, 0.0)}
PAGE_COL = 40.0



def kind_label(kind: str) -> str:
    """A kind's label in a printed book (its registry entry's book label)."""
    from docgen.kinds import get_kind, label_of

    spec = get_kind(kind)
    return spec.book_name.vi if spec else label_of(kind).vi


def _all_minutes(kinds: tuple[str, ...]) -> bool:
    from docgen.kinds import get_kind

    specs = [get_kind(k) for k in kinds]
    return bool(specs) and all(spec is not None and spec.minutes for spec in specs)


@dataclass(frozen=True)
class BookEntry:
    """One document of a book: its id, metadata and converted PDF."""

    id: str
    meta: DocMeta
    pdf: Path


@dataclass(frozen=True)
class CoverInfo:
    """What the cover page says."""

    cell: str
    superior: str
    date_from: dt.date
    date_to: dt.date
    kinds: tuple[str, ...]
    count: int
    title: str = ""

    @property
    def heading(self) -> str:
        if self.title:
            return self.title
        if _all_minutes(self.kinds):
            return "SỔ BIÊN BẢN"
        return "SỔ VĂN BẢN"


@dataclass
class BookReport:
    """The book written (pages, where each document starts) and documents left out."""

    out: Path
    pages: int = 0
    cover_pages: int = 0
    toc_pages: int = 0
    padding: int = 0
    starts: dict[str, int] = field(default_factory=dict)  # id → first page (1-based)
    failures: dict[str, Msg] = field(default_factory=dict)


def cover_for(entries: Sequence[BookEntry]) -> CoverInfo:
    """The cover of a book of ``entries`` (cell and superior of the first, full period)."""
    metas = [e.meta for e in entries]
    kinds = tuple(dict.fromkeys(m.kind for m in metas))
    return CoverInfo(cell=metas[0].cell, superior=metas[0].superior,
                     date_from=min(m.date for m in metas), date_to=max(m.date for m in metas),
                     kinds=kinds, count=len(metas))


def book_name(metas: Sequence[DocMeta]) -> str:
    """A readable ASCII file name for a book of ``metas`` (``docgen print`` without -o), in
    the manner of ``docgen pdf``'s names (docgen.archive.ids.readable_name): "SO-", the
    kinds' code (NQ; BB for minutes of both kinds; VB for mixed kinds), the first and the
    last date, and the cell when there is one: "SO-NQ-2026-01-05-den-2026-03-20-an-thanh.pdf",
    "SO-BB-2026-03-10-an-thanh.pdf" (one day), "SO-VB-2026-01-05-den-2026-03-20.pdf"."""
    from docgen.archive.filters import kind_code
    from docgen.archive.ids import cell_slug

    codes = {kind_code(m.kind) for m in metas}
    parts = ["SO", codes.pop() if len(codes) == 1 else "VB"]
    first, last = min(m.date for m in metas), max(m.date for m in metas)
    parts.append(first.isoformat() if first == last else f"{first.isoformat()}-den-{last.isoformat()}")
    cells = {cell_slug(m.cell) for m in metas}
    if len(cells) == 1 and (slug := cells.pop()):
        parts.append(slug)
    return "-".join(parts) + ".pdf"


def outline_title(meta: DocMeta) -> str:
    """The bookmark of a document: "05-NQ/CB · 10/3/2026 · NGHỊ QUYẾT ..."."""
    parts = [meta.number_text, vn_date(meta.date), meta.title]
    return " · ".join(p for p in parts if p)


def check_writable(out: Path) -> None:
    """PrintError unless a file can be written at ``out`` (checked before any conversion)."""
    parent = out.parent if str(out.parent) else Path(".")
    problem: Msg | None = None
    if out.is_dir():
        problem = Msg(f"{out} là một thư mục", f"{out} is a folder")
    elif not parent.is_dir():
        problem = Msg(f"thư mục {parent} không tồn tại", f"folder {parent} does not exist")
    else:
        probe = parent / f".docgen-write-{uuid.uuid4().hex}"
        try:
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            problem = Msg(f"không ghi được vào {parent}: {os_reason(exc).vi}",
                          f"cannot write to {parent}: {os_reason(exc).en}")
    if problem is not None:
        raise PrintError(problem, file=str(out),
                         hint=Msg("chọn tệp đầu ra trong một thư mục có quyền ghi (-o)",
                                  "choose an output file in a writable folder (-o)"))


class _Fonts:
    def __init__(self, writer: PdfWriter) -> None:
        self.regular = liberation_serif("regular")
        self.bold = liberation_serif("bold")
        self.refs = {"DgR": embed_font(writer, self.regular), "DgB": embed_font(writer, self.bold)}

    def resources(self) -> DictionaryObject:
        fonts = DictionaryObject({NameObject(f"/{k}"): v for k, v in self.refs.items()})
        return DictionaryObject({NameObject("/Font"): fonts})


def _draw_page(writer: PdfWriter, fonts: _Fonts, ops: str) -> None:
    page = writer.add_blank_page(*A4)
    stream = DecodedStreamObject()
    stream.set_data(ops.encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    page[NameObject("/Resources")] = fonts.resources()


def _centered(font: TrueType, res: str, text: str, size: float, y: float) -> str:
    x = (A4[0] - font.text_width(text, size)) / 2
    return show_text(font, res, text, size, x, y)


def _cover_ops(fonts: _Fonts, cover: CoverInfo) -> str:
    r, b = fonts.regular, fonts.bold
    kinds = ", ".join(kind_label(k) for k in cover.kinds)
    period = f"Từ ngày {vn_date(cover.date_from)} đến ngày {vn_date(cover.date_to)}"
    ops = [
        _centered(r, "DgR", cover.superior, 14, A4[1] - 30 * MM),
        _centered(b, "DgB", cover.cell, 14, A4[1] - 30 * MM - 20),
        _centered(b, "DgB", cover.heading, 28, A4[1] / 2 + 60),
        _centered(r, "DgR", period, 14, A4[1] / 2 + 10),
        _centered(r, "DgR", f"Gồm {cover.count} văn bản", 14, A4[1] / 2 - 14),
    ]
    y = A4[1] / 2 - 50
    for line in wrap(r, f"Loại văn bản: {kinds}", 13, A4[0] - LEFT - RIGHT):
        ops.append(_centered(r, "DgR", line, 13, y))
        y -= 17
    return "".join(ops)


def _title_width() -> float:
    return A4[0] - LEFT - RIGHT - COLS["title"][0] - PAGE_COL - 6


def _toc_rows(fonts: _Fonts, entries: Sequence[BookEntry]) -> list[list[str]]:
    """Per entry the wrapped title lines (the row height)."""
    return [wrap(fonts.regular, e.meta.title, TOC_SIZE, _title_width()) for e in entries]


def _toc_pagination(rows: list[list[str]]) -> list[list[int]]:
    """Entry indexes on each contents page."""
    first_top = A4[1] - TOP - 50
    other_top = A4[1] - TOP - 30
    pages: list[list[int]] = [[]]
    y = first_top
    for i, lines in enumerate(rows):
        height = TOC_LEAD * len(lines) + 4
        if y - height < BOTTOM + 10 and pages[-1]:
            pages.append([])
            y = other_top
        pages[-1].append(i)
        y -= height
    return pages


def _toc_header(fonts: _Fonts, first: bool, y: float) -> tuple[str, float]:
    ops = ""
    if first:
        ops += _centered(fonts.bold, "DgB", "MỤC LỤC", 16, A4[1] - TOP - 10)
    heads = (("stt", "STT"), ("number", "Số"), ("date", "Ngày"), ("title", "Trích yếu"))
    for col, label in heads:
        ops += show_text(fonts.bold, "DgB", label, TOC_SIZE, LEFT + COLS[col][0], y)
    page_x = A4[0] - RIGHT - fonts.bold.text_width("Trang", TOC_SIZE)
    ops += show_text(fonts.bold, "DgB", "Trang", TOC_SIZE, page_x, y)
    return ops, y - TOC_LEAD - 4


def _toc_ops(fonts: _Fonts, entries: Sequence[BookEntry], rows: list[list[str]],
             indexes: list[int], starts: list[int], first: bool) -> str:
    r = fonts.regular
    top = A4[1] - TOP - (50 if first else 30) + TOC_LEAD
    ops, y = _toc_header(fonts, first, top)
    for i in indexes:
        meta = entries[i].meta
        cells = (("stt", str(i + 1)), ("number", meta.number_text), ("date", vn_date(meta.date)))
        for col, text in cells:
            ops += show_text(r, "DgR", text, TOC_SIZE, LEFT + COLS[col][0], y)
        page = str(starts[i])
        ops += show_text(r, "DgR", page, TOC_SIZE, A4[0] - RIGHT - r.text_width(page, TOC_SIZE), y)
        for line in rows[i]:
            ops += show_text(r, "DgR", line, TOC_SIZE, LEFT + COLS["title"][0], y)
            y -= TOC_LEAD
        y -= 4
    return ops


def _padded(count: int, duplex: bool) -> int:
    return count + (count % 2 if duplex else 0)


def _read(entries: Sequence[BookEntry], report: BookReport) -> list[tuple[BookEntry, PdfReader]]:
    readers: list[tuple[BookEntry, PdfReader]] = []
    for entry in entries:
        try:
            reader = PdfReader(entry.pdf)
            if len(reader.pages) < 1:
                raise ValueError("no pages")
        except (PyPdfError, OSError, ValueError) as exc:
            report.failures[entry.id] = Msg(f"không đọc được PDF {entry.pdf}: {exc}",
                                            f"cannot read PDF {entry.pdf}: {exc}")
            continue
        readers.append((entry, reader))
    return readers


def _starts(first_page: int, counts: list[int], duplex: bool) -> list[int]:
    starts: list[int] = []
    page = first_page
    for count in counts:
        starts.append(page)
        page += _padded(count, duplex)
    return starts


def _pad(writer: PdfWriter, count: int, duplex: bool, blanks: set[int]) -> int:
    extra = _padded(count, duplex) - count
    for _ in range(extra):
        writer.add_blank_page(*A4)
        blanks.add(len(writer.pages) - 1)
    return extra


def _stamp(writer: PdfWriter, fonts: _Fonts, page: PageObject, number: int, head: IndirectObject) -> None:
    font_resources(page)[NameObject("/DgNum")] = fonts.refs["DgR"]
    box = page.mediabox
    text = str(number)
    x = float(box.left) + (float(box.width) - fonts.regular.text_width(text, NUMBER_SIZE)) / 2
    tail = DecodedStreamObject()
    tail.set_data(("Q\n" + show_text(fonts.regular, "DgNum", text, NUMBER_SIZE, x,
                                     float(box.bottom) + NUMBER_Y)).encode("ascii"))
    existing = page.raw_get("/Contents") if "/Contents" in page else None
    items: list[object] = []
    if existing is not None:
        resolved = existing.get_object()
        items = list(resolved) if isinstance(resolved, ArrayObject) else [existing]
    page[NameObject("/Contents")] = ArrayObject([head, *items, writer._add_object(tail)])


def _stamp_all(writer: PdfWriter, fonts: _Fonts, first: int, blanks: set[int]) -> None:
    head = DecodedStreamObject()
    head.set_data(b"q\n")
    head_ref = writer._add_object(head)
    for index in range(first, len(writer.pages)):
        if index not in blanks:
            _stamp(writer, fonts, writer.pages[index], index + 1, head_ref)


def write_output(out: Path, fill: Callable[[Path], object]) -> None:
    """Let ``fill`` write a temporary file beside ``out``, then rename it into place.

    PrintError (nothing left behind) when the file cannot be written.
    """
    try:
        replace_via_temp(out, fill)
    except OSError as exc:
        raise PrintError(Msg(f"không ghi được {out}: {os_reason(exc).vi}", f"cannot write {out}: {os_reason(exc).en}"),
                         file=str(out), hint=Msg("kiểm tra quyền ghi và dung lượng đĩa",
                                                 "check write permission and disk space")) from exc


def _write_atomically(writer: PdfWriter, out: Path) -> None:
    def fill(tmp: Path) -> None:
        with tmp.open("wb") as fh:
            writer.write(fh)

    write_output(out, fill)


def build_book(entries: Sequence[BookEntry], out: Path, cover: CoverInfo | None, duplex: bool,
               toc: bool = True) -> BookReport:
    """Write ``out``: cover, contents, the documents in the given order, page numbers.

    Unreadable document PDFs are left out and listed in ``failures``; nothing is written
    when no document remains.
    """
    report = BookReport(out=out)
    readers = _read(entries, report)
    if not readers:
        raise PrintError(Msg("không có văn bản nào để in", "there are no documents to print"),
                         hint=Msg("kiểm tra danh sách văn bản và các lỗi chuyển đổi ở trên",
                                  "check the document list and the conversion errors above"))
    writer = PdfWriter()
    fonts = _Fonts(writer)
    kept = [entry for entry, _ in readers]
    blanks: set[int] = set()
    if cover is not None:
        _draw_page(writer, fonts, _cover_ops(fonts, cover))
        report.padding += _pad(writer, 1, duplex, blanks)
        report.cover_pages = 1
    rows = _toc_rows(fonts, kept) if toc else []
    toc_pages = _toc_pagination(rows) if toc else []
    report.toc_pages = len(toc_pages)
    first_doc = len(writer.pages) + _padded(len(toc_pages), duplex) + 1
    starts = _starts(first_doc, [len(r.pages) for _, r in readers], duplex)
    for n, indexes in enumerate(toc_pages):
        _draw_page(writer, fonts, _toc_ops(fonts, kept, rows, indexes, starts, n == 0))
    if toc_pages:
        report.padding += _pad(writer, len(toc_pages), duplex, blanks)
    for (entry, reader), start in zip(readers, starts, strict=True):
        writer.append(reader, import_outline=False)
        writer.add_outline_item(title=outline_title(entry.meta), page_number=start - 1)
        report.starts[entry.id] = start
        report.padding += _pad(writer, len(reader.pages), duplex, blanks)
    _stamp_all(writer, fonts, report.cover_pages, blanks)
    writer.add_metadata({"/Title": cover.heading if cover else "docgen", "/Producer": "docgen"})
    writer.page_mode = "/UseOutlines"
    _write_atomically(writer, out)
    report.pages = len(writer.pages)
    return report
