"""``docgen import``: old papers from files and folders into the archive.

One run: the paths are walked (folders recursively, in name order); each file is read
(size checked, type sniffed from its bytes, sha256), skipped at once when the archive
already holds its bytes, otherwise read by the reader of its type (docx_read, office,
pdf_read, ocr, text_read) in a pool of worker threads (the readers' heavy work runs in
LibreOffice, poppler and tesseract, outside the GIL), and its HD 36 header parsed
(docgen.importing.header). Corrections from a metadata file (docgen.importing.metadata)
are applied; each file becomes a row of the plan: kind, number, date, cell, title,
encoding, OCR, confidence and why it needs a review.

A dry run stops there. Otherwise every row is filed in input order under one archive
lock (``Archive.importing``): a paper of the same cell, number and date, or the same
bytes, is a duplicate and skipped; a number another paper holds in its series is a
conflict and not filed; the rest become version folders holding the original byte for
byte, the recovered text (content.txt), a Unicode reading copy (.docx), input.yaml (the
metadata as imported) and meta.json with the provenance (``imported``). Nothing is
written for a file that fails, and a failure never stops the others.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docgen
from docgen.config import Settings
from docgen.errors import ConfigError, DocgenError
from docgen.fsio import sha256_bytes
from docgen.i18n import Msg
from docgen.importing.recovered import ReadOptions, Recovered, UnreadableFile
from docgen.importing.sniff import SUFFIXES, FileType, ignored, sniff
from docgen.kinds import OTHER_KIND
from docgen.model.meta import ArchivedDoc, DocMeta, IndexHook
from docgen.vn.dates import vn_date

IMPORTER_VERSION = 1
"""Bumped when what the importer recovers from the same file changes (meta.json says
which importer read a paper)."""


CHUNK = 32  # files read, planned and filed together (memory stays bounded)
LOW_OCR = 0.80  # mean OCR word confidence below which a scan needs a review
LOW_HEADER = 0.60  # header confidence below which a paper needs a review

Tick = Callable[[], None]


@dataclass
class Row:
    """One file of an import: what was found, what will be (or was) done."""

    path: Path
    shown: str  # the path as the user gave it (relative paths stay relative)
    status: str = "planned"  # planned | imported | duplicate | skipped | failed
    sha256: str = ""
    size: int = 0
    file_type: FileType | None = None
    source: str = ""
    encoding: str = ""
    ocr: bool = False
    ocr_confidence: float | None = None
    pages: int | None = None
    kind: str = ""
    number: int | None = None
    type_symbol: str = ""
    issuer_symbol: str = ""
    date: dt.date | None = None
    cell: str = ""
    superior: str = ""
    title: str = ""
    topics: tuple[str, ...] = ()
    confidence: float = 0.0
    flags: dict[str, Msg] = field(default_factory=dict)  # field → why it needs a review
    error: DocgenError | None = None
    duplicate_of: str | None = None
    doc_id: str | None = None
    corrected: list[str] = field(default_factory=list)  # fields the metadata file set
    detected: dict[str, Any] = field(default_factory=dict)  # header fields + confidence
    recovered: Recovered | None = field(default=None, repr=False)
    data: bytes = field(default=b"", repr=False)
    term_start: dt.date | None = None

    @property
    def review(self) -> list[Msg]:
        """Why the paper needs a person's look (empty: it does not)."""
        return list(self.flags.values())

    def flag(self, what: str, why: Msg) -> None:
        """Mark the paper for review because of ``what`` (a field name, or a note key);
        a correction of that field in the metadata file clears it."""
        self.flags.setdefault(what, why)

    @property
    def number_text(self) -> str:
        if self.number is None:
            return ""
        return f"{self.number:02d}-{self.type_symbol or '?'}/{self.issuer_symbol or '?'}"

    def to_json(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "file": self.shown, "status": self.status, "review": bool(self.review),
            "reasons": [m.text(lang) for m in self.review], "id": self.doc_id,
            "kind": self.kind or None, "number": self.number,
            "number_text": self.number_text or None, "type_symbol": self.type_symbol or None,
            "issuer_symbol": self.issuer_symbol or None,
            "date": self.date.isoformat() if self.date else None, "cell": self.cell or None,
            "title": self.title or None, "topics": list(self.topics),
            "encoding": self.encoding or None, "ocr": self.ocr, "source": self.source or None,
            "pages": self.pages, "confidence": round(self.confidence, 3),
            "error": self.error.render(lang) if self.error is not None else None,
            "duplicate_of": self.duplicate_of, "sha256": self.sha256 or None,
            "corrected": self.corrected,
        }


@dataclass
class ImportReport:
    rows: list[Row]
    dry_run: bool
    docs_count: int = 0  # versions written
    unmatched: list[Any] = field(default_factory=list)  # metadata rows naming no file

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def review(self) -> list[Row]:
        return [r for r in self.rows if r.review and r.status in ("planned", "imported")]

    @property
    def failed(self) -> list[Row]:
        return [r for r in self.rows if r.status == "failed"]

    def summary(self) -> dict[str, int]:
        return {"files": len(self.rows), "imported": self.count("imported"),
                "planned": self.count("planned"), "duplicates": self.count("duplicate"),
                "skipped": self.count("skipped"), "review": len(self.review),
                "failed": self.count("failed")}


@dataclass(frozen=True)
class ImportOptions:
    cell: str | None = None  # a cell id (docgen cells list) or part of a cell's name
    dry_run: bool = False
    metadata: Path | None = None
    write_metadata: Path | None = None  # where the dry run's sheet goes (not a paper)
    corrections: Any | None = None  # metadata.Corrections given directly (the web app)
    encoding: str = "auto"
    workers: int = 0  # 0: one per core
    read: ReadOptions = ReadOptions()
    user: str = ""


# ------------------------------------------------------------------------ walking
def collect(paths: Sequence[Path], exclude: Sequence[Path] = ()) -> tuple[list[Row], list[Row]]:
    """(rows of the files to read, rows of paths that failed at once). Folders are walked
    recursively in name order; hidden files, Word lock files and Thumbs.db are skipped;
    a file of a suffix no reader knows is a failed row ("unknown type"). A file named
    twice is read once."""
    rows: list[Row] = []
    failed: list[Row] = []
    # the metadata files of the run are not papers (sua.csv is often kept in the folder)
    seen: set[Path] = {p.resolve() for p in exclude}

    def add(path: Path, shown: str) -> None:
        key = path.resolve()
        if key in seen:
            return
        seen.add(key)
        rows.append(Row(path=path, shown=shown))

    for given in paths:
        shown = str(given)
        if given.is_dir():
            for path in _walk(given):
                if path.resolve() in seen:
                    continue
                if path.suffix.lower() in SUFFIXES:
                    add(path, str(path))
                else:
                    row = Row(path=path, shown=str(path), status="failed")
                    row.error = _unknown_type(path)
                    failed.append(row)
        elif given.is_file():
            add(given, shown)
        else:
            row = Row(path=given, shown=shown, status="failed")
            row.error = UnreadableFile(
                Msg(f"không có tệp hoặc thư mục {shown}", f"no file or folder {shown}"),
                file=shown, hint=Msg("kiểm tra lại đường dẫn", "check the path"))
            failed.append(row)
    return rows, failed


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if not ignored(path) and path.is_file():
                yield path


def _unknown_type(path: Path) -> UnreadableFile:
    known = ", ".join(sorted(SUFFIXES))
    return UnreadableFile(
        Msg(f"không nhận ra loại tệp {path.name}", f"unknown file type: {path.name}"),
        file=str(path),
        hint=Msg(f"docgen nhập được các tệp {known}; tệp khác hãy lưu lại thành .docx hoặc "
                 "PDF rồi nhập",
                 f"docgen imports {known} files; save other files as .docx or PDF first"))


# ------------------------------------------------------------------------ reading
class Readers:
    """The readers of one run, with the one LibreOffice converter they share (started on
    the first .doc/.odt/.rtf, closed by ``close``; conversions one at a time)."""

    def __init__(self, settings: Settings, options: ReadOptions, workers: int,
                 converter: Any | None = None) -> None:
        self.settings = settings
        self.options = options
        self.workers = workers
        self._converter = converter
        self._own: Any | None = None
        self._lock = threading.Lock()
        self._no_office: DocgenError | None = None

    def read(self, data: bytes, file_type: FileType, name: str) -> Recovered:
        opts = self.options
        if file_type == "docx":
            from docgen.importing.docx_read import read_docx

            return read_docx(data, opts)
        if file_type in ("doc", "odt", "rtf"):
            from docgen.errors import PrintError
            from docgen.importing.office import read_office

            with self._lock:
                if self._no_office is not None:  # LibreOffice is missing or will not start
                    raise self._no_office
                try:
                    return read_office(data, "." + file_type, opts, self._converter_now(),
                                       self.settings)
                except PrintError as exc:
                    self._no_office = exc
                    raise
        if file_type == "pdf":
            from docgen.importing.pdf_read import read_pdf

            return read_pdf(data, opts, workers=self.workers)
        if file_type == "image":
            from docgen.importing.ocr import read_image

            return read_image(data, opts, workers=self.workers)
        from docgen.importing.text_read import read_text

        return read_text(data, opts)

    def _converter_now(self) -> Any:
        if self._converter is not None:
            return self._converter
        if self._own is None:
            from docgen.printing.converter import Converter

            self._own = Converter(self.settings)
        return self._own

    def close(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own = None


def _read_one(row: Row, readers: Readers, known: Callable[[str], str | None],
              max_bytes: int) -> None:
    """Fill ``row`` from its file (in a worker thread); failures become the row's error."""
    try:
        size = row.path.stat().st_size
        row.size = size
        if size == 0:
            raise UnreadableFile(Msg(f"tệp {row.path.name} rỗng (0 byte)",
                                     f"the file {row.path.name} is empty (0 bytes)"),
                                 file=row.shown, hint=Msg("lấy lại tệp từ bản sao lưu",
                                                          "get the file again from a backup"))
        if size > max_bytes:
            raise UnreadableFile(
                Msg(f"tệp {row.path.name} quá lớn ({size / 2**20:.0f} MB > "
                    f"{max_bytes / 2**20:.0f} MB)",
                    f"the file {row.path.name} is too large ({size / 2**20:.0f} MB > "
                    f"{max_bytes / 2**20:.0f} MB)"),
                file=row.shown, hint=Msg("tách tệp thành nhiều tệp nhỏ hơn rồi nhập",
                                         "split the file into smaller ones first"))
        data = row.path.read_bytes()
        row.sha256 = sha256_bytes(data)
        holder = known(row.sha256)
        if holder is not None:
            row.status, row.duplicate_of = "duplicate", holder
            return
        file_type = sniff(data, row.path.name)
        if file_type is None:
            raise _unknown_type(row.path)
        row.file_type = file_type
        rec = readers.read(data, file_type, row.path.name)
        row.data = data
        row.recovered = rec
        row.source, row.encoding, row.pages = rec.source, rec.encoding, rec.pages
        row.ocr = rec.ocr is not None
        row.ocr_confidence = rec.ocr.confidence if rec.ocr is not None else None
        for i, note in enumerate(rec.notes):
            row.flag(f"read-{i}", note)
    except DocgenError as exc:
        row.status, row.error = "failed", exc
    except OSError as exc:
        row.status = "failed"
        row.error = UnreadableFile(Msg(f"không đọc được tệp {row.path.name}: {exc.strerror}",
                                       f"cannot read {row.path.name}: {exc.strerror}"),
                                   file=row.shown)


# ------------------------------------------------------------------- the plan
@dataclass
class CellChoice:
    """The cells a run knows: (names as printed, profile) of each, and the forced one."""

    known: list[tuple[tuple[str, ...], Any]]  # (every name as printed, Profile)
    forced: tuple[tuple[str, ...], Any] | None

    def names(self) -> list[str]:
        return [n for names, _ in self.known for n in names]

    def profile_of(self, cell_name: str) -> Any | None:
        from docgen.archive.filters import words_key

        key = words_key(cell_name)
        for names, profile in self.known:
            if any(words_key(n) == key for n in names):
                return profile
        return None


def cell_choice(settings: Settings, cell: str | None) -> CellChoice:
    """Every cell of the archive (registered ones and the settings' profile) and the one
    ``--cell`` names: a cell id (docgen cells list) or words of its name."""
    from docgen.archive.filters import words_key
    from docgen.cells import Cells

    known: list[tuple[tuple[str, ...], Any]] = []
    by_id: dict[str, tuple[tuple[str, ...], Any]] = {}
    for entry in Cells(settings).entries():
        try:
            profile = entry.profile()
        except DocgenError:
            continue
        printed = [profile.cell.name] + [cell.name for _, cell in profile.cell_history]
        item = (tuple(dict.fromkeys(n for n in printed if n)) or (entry.name,), profile)
        known.append(item)
        by_id[entry.id] = item
    if not cell:
        return CellChoice(known, None)
    if cell in by_id:
        return CellChoice(known, by_id[cell])
    want = f" {words_key(cell)} "
    matches = [item for item in known if any(want in f" {words_key(n)} " for n in item[0])]
    if len(matches) == 1:
        return CellChoice(known, matches[0])
    listed = ", ".join(f"{cid} ({item[0][0]})" for cid, item in by_id.items()) or "—"
    if not matches:
        raise ConfigError(
            Msg(f"không có chi bộ {cell!r} trong kho", f"no cell {cell!r} in the archive"),
            hint=Msg(f"ghi mã chi bộ hoặc một phần tên chi bộ; các chi bộ có: {listed} "
                     "(docgen cells list; thêm chi bộ bằng docgen cells add)",
                     f"give a cell id or part of its name; the cells are: {listed} "
                     "(docgen cells list; add one with docgen cells add)"))
    raise ConfigError(
        Msg(f"{cell!r} ứng với {len(matches)} chi bộ", f"{cell!r} matches {len(matches)} cells"),
        hint=Msg(f"ghi mã chi bộ: {listed}", f"give the cell id: {listed}"))


def plan_row(row: Row, cells: CellChoice, today: dt.date) -> None:
    """Decide the paper's metadata from its header (and say what needs a review)."""
    from docgen.importing.header import parse_header

    rec = row.recovered
    assert rec is not None
    head = parse_header(rec, cells.names())
    row.detected = {
        "has_header": head.has_header, "superior": head.superior, "cell": head.cell,
        "number": head.number, "type_symbol": head.type_symbol,
        "issuer_symbol": head.issuer_symbol, "number_raw": head.number_raw,
        "place": head.place, "date": head.date.isoformat() if head.date else None,
        "type_name": head.type_name, "summary": head.summary, "kind": head.kind,
        "confidence": {k: round(v, 3) for k, v in head.confidence.items()},
        "overall": round(head.overall, 3), "missing": list(head.missing),
    }
    for i, note in enumerate(head.notes):
        row.flag(f"header-{i}", note)
    if not head.has_header:
        row.flag("header", Msg("không đọc được tiêu đề văn bản (số, ngày, chi bộ)",
                              "the paper's header (number, date, cell) could not be read"))
    row.kind = head.kind or OTHER_KIND
    if head.kind is None and head.has_header:
        row.flag("kind", Msg("không nhận ra loại văn bản", "the kind of paper was not recognised"))
    row.number = head.number
    row.type_symbol = head.type_symbol or _kind_symbol(row.kind)
    row.superior = head.superior or ""
    row.topics = tuple(head.topics)
    row.title = head.title or ""
    forced = cells.forced
    on_paper = head.cell
    if forced is not None:
        row.cell = forced[0][0]
        if on_paper and cells.profile_of(on_paper) is not forced[1]:
            row.flag("cell", Msg(f"trên giấy ghi {on_paper}, được nhập vào {row.cell} (--cell)",
                                  f"the paper says {on_paper}; imported into {row.cell} (--cell)"))
    elif on_paper:
        row.cell = on_paper
        if not head.cell_known:
            row.flag("cell", Msg(f"chi bộ {on_paper} chưa có trong kho (docgen cells add)",
                                  f"the cell {on_paper} is not in the archive (docgen cells add)"))
    elif len(cells.known) == 1:
        row.cell = cells.known[0][0][0]
        row.flag("cell", Msg(f"trên giấy không đọc được tên chi bộ: ghi là {row.cell}",
                              f"no cell name read on the paper: filed under {row.cell}"))
    else:
        row.flag("cell", Msg("không đọc được tên chi bộ: thêm --cell hoặc ghi trong tệp "
                              "metadata", "no cell name read: add --cell or set it in the "
                              "metadata file"))
    profile = cells.profile_of(row.cell) if row.cell else None
    if profile is not None:
        row.issuer_symbol = head.issuer_symbol or profile.cell.symbol or "CB"
        row.superior = row.superior or profile.cell.superior
    else:
        row.issuer_symbol = head.issuer_symbol or "CB"
    row.date = head.date
    if head.date is None:
        row.flag("date", Msg("không đọc được ngày văn bản", "the paper's date could not be read"))
    if row.number is None and row.type_symbol in ("NQ",):
        row.flag("number", Msg("nghị quyết không đọc được số", "no number read on the resolution"))
    if not row.title:
        row.title = _first_line(rec) or row.path.stem
        row.flag("title", Msg("không đọc được trích yếu: lấy dòng đầu của văn bản",
                              "no title read: the first line of the text is used"))
    ocr = rec.ocr
    row.confidence = head.overall * (ocr.confidence if ocr is not None else 1.0)
    if ocr is not None and ocr.confidence < LOW_OCR:
        row.flag("ocr", Msg(f"chữ nhận dạng (OCR) kém tin cậy ({ocr.confidence:.0%})",
                              f"low OCR confidence ({ocr.confidence:.0%})"))
    elif head.has_header and head.overall < LOW_HEADER:
        row.flag("confidence", Msg(f"tiêu đề đọc được kém tin cậy ({head.overall:.0%})",
                              f"low confidence in the header read ({head.overall:.0%})"))
    if row.date is not None and row.date > today:
        row.flag("date", Msg(f"ngày {vn_date(row.date)} ở tương lai", f"the date {vn_date(row.date)} is in the future"))
    _set_term(row, profile)


def _set_term(row: Row, profile: Any | None) -> None:
    term = getattr(getattr(profile, "cell", None), "term_start", None)
    row.term_start = term if term is not None and row.date is not None and row.date >= term else None


def _kind_symbol(kind: str) -> str:
    from docgen.kinds import get_kind

    spec = get_kind(kind)
    return str(getattr(spec, "type_symbol", "") or "") if spec is not None else ""


def _first_line(rec: Recovered) -> str:
    for line in rec.text().splitlines():
        if len(line.strip()) >= 4:
            return " ".join(line.split())[:200]
    return ""


def meta_of_row(row: Row) -> DocMeta:
    assert row.date is not None
    return DocMeta(kind=row.kind, cell=row.cell, superior=row.superior,
                   issuer_symbol=row.issuer_symbol, type_symbol=row.type_symbol,
                   number=row.number, date=row.date, title=row.title, topics=row.topics,
                   draft=False, term_start=row.term_start, numbered=row.number is not None)


def _no_date(row: Row) -> DocgenError:
    return UnreadableFile(
        Msg(f"không đọc được ngày của văn bản số {row.number_text}: không nhập (ngày sửa tệp "
            "không phải ngày văn bản, dễ làm trùng số)",
            f"the date of paper {row.number_text} could not be read: not imported (the file's "
            "modification date is not the paper's and could clash with other numbers)"),
        file=row.shown, field="date",
        hint=Msg("ghi ngày vào cột date của tệp metadata (--write-metadata rồi --metadata)",
                 "write the date in the date column of a metadata file (--write-metadata, "
                 "then --metadata)"))


def _undated(row: Row, cells: CellChoice | None = None) -> None:
    """An unnumbered paper whose date could not be read (nor corrected) is filed under its
    file's modification date, and says so; a numbered one needs its date (``_no_date``)."""
    if row.date is None:
        if row.number is not None:
            raise _no_date(row)
        row.date = dt.datetime.fromtimestamp(row.path.stat().st_mtime).date()
        row.flag("date", Msg(f"ghi ngày theo ngày sửa tệp ({vn_date(row.date)})",
                              f"dated by the file's modification date ({vn_date(row.date)})"))
        if cells is not None:
            _set_term(row, cells.profile_of(row.cell) if row.cell else None)


# ------------------------------------------------------------------- filing
ORIGINAL = "original"
PRINT_PDF = "print.pdf"


def paper_of(row: Row, user: str) -> Any:
    from docgen.archive.store import OldPaper
    from docgen.importing.reading_copy import text_docx

    rec = row.recovered
    assert rec is not None and row.file_type is not None
    suffix = (row.path.suffix.lower() if row.file_type == "image"
              and row.path.suffix.lower() in SUFFIXES else "." + row.file_type)
    if row.file_type == "image" and suffix == ".image":
        suffix = ".img"
    original_name = ORIGINAL + suffix
    docx = rec.unicode_docx if rec.unicode_docx is not None else text_docx(rec, row.path.name)
    print_name: str | None = None
    extra: dict[str, bytes] = {}
    if row.file_type == "pdf":
        print_name = original_name
    elif rec.print_pdf is not None:
        print_name = PRINT_PDF
        extra[PRINT_PDF] = rec.print_pdf
    meta = meta_of_row(row)
    ocr = rec.ocr
    imported = {
        "original": {"name": row.path.name, "path": str(row.path.resolve()),
                     "file": original_name, "sha256": row.sha256, "size": row.size,
                     "type": row.file_type},
        "importer": f"docgen {docgen.__version__} (importer {IMPORTER_VERSION})",
        "source": rec.source, "encoding": rec.encoding, "pages": rec.pages,
        "ocr": None if ocr is None else {"engine": ocr.engine, "lang": ocr.lang,
                                          "pages": ocr.pages, "dpi": ocr.dpi,
                                          "confidence": round(ocr.confidence, 3)},
        "detected": row.detected, "confidence": round(row.confidence, 3),
        "review": [{"vi": m.vi, "en": m.en} for m in row.review],
        "corrected": row.corrected,
        "imported_by": user,
    }
    data = {"kind": meta.kind, "number": meta.number, "date": meta.date.isoformat(),
            "title": meta.title, "cell": meta.cell, "superior": meta.superior,
            "type_symbol": meta.type_symbol, "issuer_symbol": meta.issuer_symbol,
            "topics": list(meta.topics), "imported_from": row.path.name}
    return OldPaper(meta=meta, docx=docx, original_name=original_name, original=row.data,
                    text=rec.text() + "\n", input_data=data, imported=imported,
                    print_name=print_name, extra=extra)


def run_import(settings: Settings, paths: Sequence[Path], options: ImportOptions,
               progress: Callable[[int], Any] | None = None,
               index: IndexHook | None = None, converter: Any | None = None,
               today: dt.date | None = None) -> ImportReport:
    """Import (or, with ``options.dry_run``, plan) the papers at ``paths``.

    ``progress(total)`` returns a callable ticked once per file read. Raises only for a
    problem of the whole run (a bad --cell or metadata file: nothing read, nothing
    written); every file's own problem is its row's.
    """
    from docgen.app import archive_of
    from docgen.importing.metadata import apply_corrections, load_corrections

    today = today or dt.date.today()
    cells = cell_choice(settings, options.cell)
    corrections = (load_corrections(options.metadata) if options.metadata
                   else options.corrections)
    rows, failed = collect(paths, [p for p in (options.metadata, options.write_metadata) if p])
    archive = archive_of(settings)
    lookup = archive.lookup()
    # the archive's originals read once here: the catalog's connection is this thread's
    originals = lookup.originals() if lookup is not None else {}
    seen: dict[str, Row] = {}
    seen_lock = threading.Lock()

    def known(sha: str) -> str | None:
        holder = originals.get(sha)
        if holder is not None:
            return holder
        with seen_lock:
            first = seen.get(sha)
            if first is None:
                return None
            return first.shown

    workers = options.workers or os.cpu_count() or 1
    readers = Readers(settings, dataclasses.replace(options.read, encoding=options.encoding),
                      workers, converter)
    rows = _in_order(rows, [], paths)
    report = ImportReport(rows=_in_order(rows, failed, paths), dry_run=options.dry_run)
    tick = progress(len(rows)) if progress is not None else None
    try:
        # a chunk at a time: read (in parallel), plan, correct, file, then let its bytes
        # go, so that a folder of thousands of scans never sits in memory at once
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            _read_all(chunk, readers, known, seen, seen_lock, workers,
                      options.read.max_bytes, tick)
            for row in chunk:
                if row.status == "planned" and row.recovered is not None:
                    try:
                        plan_row(row, cells, today)
                    except DocgenError as exc:
                        row.status, row.error = "failed", exc
            if corrections is not None:
                apply_corrections(chunk, corrections, cells)
            if options.dry_run:
                for row in chunk:
                    if row.status == "planned":
                        _check_planned(row, lookup)
                    row.recovered, row.data = None, b""
                continue
            docs = _file_all(archive, chunk, options.user, cells)
            report.docs_count += len(docs)
            if index is not None and docs:
                index.documents_changed(docs)
    finally:
        readers.close()
        archive.close()
    if corrections is not None:
        report.unmatched = corrections.unmatched()
    return report


def _read_all(rows: list[Row], readers: Readers, known: Callable[[str], str | None],
              seen: dict[str, Row], lock: threading.Lock, workers: int, max_bytes: int,
              tick: Tick | None) -> None:
    def one(row: Row) -> Row:
        _read_one(row, readers, known, max_bytes)
        if row.sha256 and row.status == "planned":
            with lock:
                first = seen.setdefault(row.sha256, row)
            if first is not row:  # the same bytes twice in this run: read once
                row.status, row.duplicate_of = "duplicate", first.shown
                row.recovered, row.data = None, b""
        return row

    # bytes first, one at a time: two copies of a file in one run are found whatever
    # order the pool finishes them in
    if workers <= 1:
        for row in rows:
            one(row)
            if tick:
                tick()
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="docgen-import") as pool:
        for _ in pool.map(one, rows):
            if tick:
                tick()


def _in_order(rows: list[Row], failed: list[Row], paths: Sequence[Path]) -> list[Row]:
    every = rows + failed
    every.sort(key=lambda r: r.shown)
    order = {str(p): i for i, p in enumerate(paths)}

    def key(row: Row) -> tuple[int, str]:
        for given, i in order.items():
            if row.shown == given or row.shown.startswith(given.rstrip("/") + "/"):
                return i, row.shown
        return len(order), row.shown
    return sorted(every, key=key)


def _check_planned(row: Row, lookup: Any | None) -> None:
    """A dry run says what the import would do: duplicates and conflicts included."""
    if row.date is None and row.number is not None:
        row.status, row.error = "failed", _no_date(row)
        return
    if lookup is not None and row.date is not None:
        _same_or_taken(row, lookup)


def _same_or_taken(row: Row, lookup: Any) -> bool:
    """Mark ``row`` a duplicate (a paper of the same cell, number and date is there) or a
    failure (its number is another paper's in the series); True when it was marked."""
    meta = meta_of_row(row)
    same = lookup.same_paper(meta)
    if same is not None:
        row.status, row.duplicate_of = "duplicate", str(same["id"])
        return True
    holder = lookup.number_holder(meta)
    if holder is not None:
        row.status, row.error = "failed", number_conflict(row, holder)
        return True
    return False


def number_conflict(row: Row, holder: dict[str, Any]) -> DocgenError:
    from docgen.errors import ArchiveError

    when = holder.get("date", "")
    return ArchiveError(
        Msg(f"số {row.number_text} đã có văn bản {holder['id']} ({holder.get('title', '')}, "
            f"ngày {when}) trong cùng dãy số: không nhập",
            f"number {row.number_text} is held by document {holder['id']} "
            f"({holder.get('title', '')}, dated {when}) in the same series: not imported"),
        file=row.shown, field="number",
        hint=Msg("kiểm tra số trên giấy; nếu đúng là hai văn bản khác nhau (khác nhiệm kỳ), "
                 "sửa số hoặc ngày trong tệp metadata (--write-metadata, rồi --metadata)",
                 "check the number on the paper; if these are two different papers (other "
                 "terms), correct the number or date in a metadata file (--write-metadata, "
                 "then --metadata)"))


def _file_all(archive: Any, rows: list[Row], user: str, cells: CellChoice) -> list[ArchivedDoc]:
    """File the planned rows in order under one archive lock; the versions written."""
    todo = [r for r in rows if r.status == "planned"]
    docs: list[ArchivedDoc] = []
    if not todo:
        return docs
    with archive.importing() as filer:
        for row in todo:
            try:
                doc = _file_one(filer, row, user, cells)
                if doc is not None:
                    docs.append(doc)
            except DocgenError as exc:
                row.status, row.error = "failed", exc
            except OSError as exc:  # the file gone meanwhile, a full disk, no permission
                row.status = "failed"
                row.error = UnreadableFile(
                    Msg(f"không lưu được {row.path.name}: {exc.strerror or exc}",
                        f"could not file {row.path.name}: {exc.strerror or exc}"),
                    file=row.shown, hint=Msg("kiểm tra tệp và chỗ trống trên đĩa rồi nhập lại",
                                             "check the file and the free disk space, then "
                                             "import again"))
            finally:
                row.recovered, row.data = None, b""
    return docs


def _file_one(filer: Any, row: Row, user: str, cells: CellChoice) -> ArchivedDoc | None:
    holder = filer.original_of(row.sha256)
    if holder is not None:
        row.status, row.duplicate_of = "duplicate", holder
        return None
    _undated(row, cells)
    if _same_or_taken(row, filer):
        return None
    doc: ArchivedDoc = filer.file(paper_of(row, user), user)
    row.status, row.doc_id = "imported", doc.id
    return doc


def exit_status(report: ImportReport) -> int:
    """0 when nothing failed; 10 (PARTIAL) when some files failed and others were (or
    would be) imported or were already there; 3 (INPUT) when every file failed."""
    from docgen.errors import ExitStatus

    failed = len(report.failed)
    if not failed:
        return ExitStatus.OK
    return ExitStatus.PARTIAL if failed < len(report.rows) else ExitStatus.INPUT


def rows_needing(report: ImportReport, statuses: Iterable[str]) -> list[Row]:
    wanted = set(statuses)
    return [row for row in report.rows if row.status in wanted]
