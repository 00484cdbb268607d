"""Importing members into profile.yaml from an Excel sheet (.xlsx) or a CSV file, for the
roster screen: read the sheet, preview what each row would do, write the good rows.

- ``read_sheet`` reads the rows (blank rows dropped, each with its row number as Excel
  shows it). Files over ``MAX_IMPORT_BYTES`` are refused; an .xlsx is checked as a zip
  first (entries, uncompressed sizes, no XML DTD) so that a damaged file or a zip bomb gets
  a message, never a traceback. A CSV must be UTF-8 (with or without a BOM; UTF-16 with a
  BOM is read too); commas, semicolons or tabs are told apart by the header.
- ``preview_import`` finds the header row among the first ``HEADER_ROWS`` rows (titles may
  stand above it), in Vietnamese with or without accents or in English (``COLUMNS``), and
  says for each row: add, update (a member matched by its id, else by its name with
  accents and case ignored), unchanged, or error with a message per problem naming the
  column and the fix.
- ``apply_import`` writes the rows that add or update, nothing of the rows in error, with
  the roster editor's guarantees (``docgen.authoring.roster_edit.change_members``: lock,
  validated, atomic, refused when the profile changed since the preview).

A blank date cell of an existing member keeps the date on the roster (a sheet never clears
a date); the note column ("Ghi chú") is shown in the preview but profile.yaml has no place
for it, so it is not written.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from docgen.authoring.roster_edit import (
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    FieldIssue,
    MemberDraft,
    ProfileChangedError,
    RosterSnapshot,
    change_members,
    check_new_id,
    date_value,
    field_label,
    next_member_id,
    one_line,
    text_value,
)
from docgen.errors import InputError, os_reason
from docgen.i18n import Msg
from docgen.model.files import _LEGACY, MAX_ITEMS, _guess_legacy
from docgen.model.profile import Member, Profile
from docgen.model.roster import member_label, name_key
from docgen.vn.dates import vn_date
from docgen.vn.text import fold

MAX_IMPORT_BYTES = 2 * 1024 * 1024
"""A sheet larger than 2 MiB is refused before it is read (a roster needs a few dozen KiB)."""
MAX_IMPORT_ROWS = MAX_ITEMS
"""At most 1,000 member rows: profile.yaml holds at most 1,000 members (its list limit)."""
MAX_UNCOMPRESSED_BYTES = 25 * 1024 * 1024
"""An .xlsx whose entries would take more than 25 MiB once uncompressed is refused (zip bomb)."""
MAX_ZIP_ENTRIES = 1000
MAX_RATIO = 200
"""No entry of an .xlsx may uncompress to more than 200 times its compressed size."""
MAX_COLUMNS = 60
"""Columns after the 60th are not read."""
MAX_SCANNED_ROWS = 100_000
"""A sheet that runs past row 100,000 (even with blank rows) is refused."""
HEADER_ROWS = 10
"""The header row is looked for among the first 10 non-blank rows."""

ADD, UPDATE, UNCHANGED, ERROR = "add", "update", "unchanged", "error"

CellValue = str | int | float | bool | dt.date | None
"""What a cell holds: text, a number, a date (``datetime`` from Excel), or nothing."""


@dataclass(frozen=True)
class SheetRow:
    """One non-blank row: ``number`` is the row as Excel shows it (1-based, the header
    and the titles above it counted), ``cells`` from column A."""

    number: int
    cells: tuple[CellValue, ...]


# --------------------------------------------------------------------------- columns

COLUMNS: dict[str, tuple[str, ...]] = {
    # field → header texts, folded (no accents, lower case, punctuation dropped)
    "id": ("ma", "ma dang vien", "ma so", "ma dv", "id", "member id"),
    "name": ("ho va ten", "ho ten", "ho va ten dang vien", "ho ten dang vien", "ten dang vien", "name",
             "full name", "member name", "member"),
    "admitted": ("ngay vao dang", "ngay ket nap", "ngay ket nap dang", "ngay ket nap vao dang",
                 "ngay thang nam vao dang", "ngay thang nam ket nap", "ngay vao dang du bi", "vao dang",
                 "ket nap", "admitted", "admission", "admission date", "date admitted"),
    "official": ("ngay chinh thuc", "ngay vao dang chinh thuc", "ngay chuyen chinh thuc",
                 "ngay cong nhan chinh thuc", "ngay thang nam chinh thuc", "chinh thuc", "official",
                 "official date", "date official", "date made official"),
    "note": ("ghi chu", "note", "notes"),
}
_SUB_HEADERS = {"du bi": "admitted", "ket nap": "admitted", "chinh thuc": "official"}
"""Under a merged "Ngày vào Đảng" header: the "Dự bị" and "Chính thức" columns."""
COLUMN_NAMES = {
    "id": Msg("Mã", "Id"), "name": Msg("Họ và tên", "Name"), "admitted": Msg("Ngày vào Đảng", "Admitted"),
    "official": Msg("Ngày chính thức", "Official"), "note": Msg("Ghi chú", "Note"),
}
_HEADER_FIELDS = {text: key for key, texts in COLUMNS.items() for text in texts}
_PUNCT = re.compile(r"[^\w]+")


def header_key(text: object) -> str:
    """A header cell as it is compared: "Họ và tên (*)" → "ho va ten"."""
    if not isinstance(text, str):
        return ""
    return " ".join(_PUNCT.sub(" ", fold(text.casefold())).replace("_", " ").split())


def column_letter(index: int) -> str:
    """0 → "A", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --------------------------------------------------------------------------- reading

def _refused(message: Msg, hint: Msg, filename: str) -> InputError:
    return InputError(message, hint=hint, file=filename or None)


_SAVE_AS = Msg("trong Excel chọn Tệp (File) > Lưu thành (Save As), kiểu “Sổ làm việc Excel (*.xlsx)” hoặc "
               "“CSV UTF-8 (Comma delimited) (*.csv)”",
               "in Excel choose File > Save As, type “Excel Workbook (*.xlsx)” or "
               "“CSV UTF-8 (Comma delimited) (*.csv)”")


def read_sheet(source: Path | bytes, filename: str = "") -> list[SheetRow]:
    """The non-blank rows of an .xlsx (its first sheet with a header row, the active one
    first) or a CSV file, given as a path or as the uploaded bytes with their file name.
    InputError (exit 3) with a message and a fix for anything that cannot be read."""
    if isinstance(source, Path):
        filename = filename or source.name
        try:
            with source.open("rb") as handle:
                data = handle.read(MAX_IMPORT_BYTES + 1)
        except OSError as exc:
            reason = os_reason(exc)
            raise _refused(Msg(f"không đọc được tệp: {reason.vi}", f"cannot read the file: {reason.en}"),
                           Msg("kiểm tra đường dẫn và quyền đọc tệp", "check the path and the permissions"),
                           filename) from exc
    else:
        data = bytes(source)
    if len(data) > MAX_IMPORT_BYTES:
        raise _refused(Msg(f"tệp quá lớn (hơn {MAX_IMPORT_BYTES // (1024 * 1024)} MB)",
                           f"the file is too large (more than {MAX_IMPORT_BYTES // (1024 * 1024)} MB)"),
                       Msg("danh sách đảng viên chỉ cần vài chục KB: xóa ảnh, các trang tính khác, "
                           "hoặc lưu thành CSV UTF-8",
                           "a roster needs a few dozen KB: remove pictures and other sheets, or save as CSV UTF-8"),
                       filename)
    if not data.strip():
        raise _refused(Msg("tệp rỗng", "the file is empty"),
                       Msg("chọn tệp danh sách đảng viên (.xlsx hoặc .csv)", "choose the roster file (.xlsx or .csv)"),
                       filename)
    suffix = Path(filename).suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(data, filename)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _refused(Msg("đây là tệp Excel 97-2003 (.xls) hoặc tệp Excel có đặt mật khẩu, docgen không đọc được",
                           "this is an Excel 97-2003 (.xls) file or a password-protected workbook, "
                           "which docgen cannot read"),
                       Msg("mở bằng Excel, bỏ mật khẩu nếu có, rồi " + _SAVE_AS.vi,
                           "open it in Excel, remove any password, then " + _SAVE_AS.en), filename)
    if suffix not in ("", ".csv", ".txt", ".tsv"):
        raise _refused(Msg(f"docgen không nhập được tệp {suffix}", f"docgen cannot import {suffix} files"),
                       Msg("dùng tệp Excel (.xlsx) hoặc CSV UTF-8 (.csv)", "use an Excel (.xlsx) or CSV UTF-8 (.csv) "
                           "file"), filename)
    return _csv_rows(data, filename)


# .xlsx

def _check_zip(data: bytes, filename: str) -> None:
    """A real .xlsx: a valid zip with the workbook in it, entries of sane sizes that are
    what they claim (CRC), no DTD (no XML entity tricks)."""
    damaged = _refused(Msg("tệp Excel bị hỏng hoặc không phải tệp .xlsx", "the Excel file is damaged or not an .xlsx"),
                       Msg("mở lại bằng Excel và lưu lại; hoặc " + _SAVE_AS.vi, "open it in Excel and save it "
                           "again; or " + _SAVE_AS.en), filename)
    bomb = _refused(Msg("tệp Excel quá lớn khi giải nén (có thể là tệp độc hại)",
                        "the Excel file is too large once uncompressed (it may be hostile)"),
                    Msg("chỉ để danh sách đảng viên trong tệp, hoặc lưu thành CSV UTF-8",
                        "keep only the roster in the workbook, or save it as CSV UTF-8"), filename)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise damaged from exc
    with archive:
        entries = archive.infolist()
        names = {e.filename for e in entries}
        if "mimetype" in names and "xl/workbook.xml" not in names:
            raise _refused(Msg("đây là bảng tính OpenDocument (.ods), docgen đọc .xlsx hoặc CSV",
                               "this is an OpenDocument spreadsheet (.ods); docgen reads .xlsx or CSV"),
                           Msg("trong LibreOffice chọn Tệp > Lưu thành, kiểu “Excel 2007-365 (.xlsx)”",
                               "in LibreOffice choose File > Save As, type “Excel 2007-365 (.xlsx)”"), filename)
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise damaged
        if len(entries) > MAX_ZIP_ENTRIES:
            raise bomb
        if sum(e.file_size for e in entries) > MAX_UNCOMPRESSED_BYTES:
            raise bomb
        for entry in entries:
            if entry.flag_bits & 0x1:
                raise _refused(Msg("tệp Excel có đặt mật khẩu", "the workbook is password-protected"),
                               Msg("mở bằng Excel, bỏ mật khẩu rồi lưu lại", "open it in Excel, remove the "
                                   "password and save it again"), filename)
            if entry.file_size > MAX_RATIO * max(entry.compress_size, 1) and entry.file_size > 1024 * 1024:
                raise bomb
        total = 0
        try:
            for entry in entries:
                if entry.is_dir():
                    continue
                tail = b""
                with archive.open(entry) as member:
                    while chunk := member.read(1 << 16):
                        total += len(chunk)
                        if total > MAX_UNCOMPRESSED_BYTES:
                            raise bomb
                        window = (tail + chunk).upper()
                        if entry.filename.endswith((".xml", ".rels")) and (b"<!DOCTYPE" in window
                                                                          or b"<!ENTITY" in window):
                            raise damaged
                        tail = chunk[-16:]
        except InputError:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise damaged from exc


def _cell(value: object) -> CellValue:
    if value is None or isinstance(value, str | int | float | bool | dt.date):
        return value
    return str(value)  # a time, a duration: shown as text (and refused where a date is wanted)


def _rows(values: Iterable[Sequence[object]], filename: str) -> Iterator[SheetRow]:
    """The non-blank rows, numbered from 1; refused past the limits."""
    kept = 0
    for number, row in enumerate(values, start=1):
        if number > MAX_SCANNED_ROWS:
            raise _too_many(filename)
        cells = tuple(_cell(v) for v in row[:MAX_COLUMNS])
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        kept += 1
        if kept > MAX_IMPORT_ROWS + HEADER_ROWS:
            raise _too_many(filename)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells = cells[:-1]
        yield SheetRow(number, cells)


def _too_many(filename: str) -> InputError:
    return _refused(Msg(f"bảng tính có quá nhiều dòng (tối đa {MAX_IMPORT_ROWS} đảng viên)",
                        f"the sheet has too many rows (at most {MAX_IMPORT_ROWS} members)"),
                    Msg("chỉ để danh sách đảng viên của chi bộ trong trang tính; xóa các dòng thừa phía dưới",
                        "keep only the cell's roster in the sheet; delete the extra rows below it"), filename)


def _xlsx_rows(data: bytes, filename: str) -> list[SheetRow]:
    _check_zip(data, filename)
    import openpyxl

    # openpyxl's UserWarnings about features it drops (data validation, styles) go through
    # the warnings module as they are: catch_warnings would not be thread-safe in a web server.
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = list(book.worksheets)
            active = book.active
            ordered = ([active] if active in sheets else []) + [s for s in sheets if s is not active]
            first: list[SheetRow] | None = None
            for sheet in ordered:
                rows = list(_rows(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True), filename))
                if _header(rows) is not None:
                    return rows
                if first is None:
                    first = rows
            return first or []
        finally:
            book.close()
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise _refused(Msg("không đọc được tệp Excel (tệp hỏng hoặc định dạng lạ)",
                           "cannot read the Excel file (damaged or an unusual format)"),
                       Msg("mở lại bằng Excel và lưu lại; hoặc " + _SAVE_AS.vi,
                           "open it in Excel and save it again; or " + _SAVE_AS.en), filename) from exc


# CSV

def _decode_csv(data: bytes, filename: str) -> str:
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise _refused(Msg(f"tệp CSV bị hỏng (byte lỗi ở vị trí {exc.start})",
                                   f"the CSV file is damaged (bad byte at offset {exc.start})"),
                               Msg("xuất lại từ Excel: " + _SAVE_AS.vi, "export it again from Excel: " + _SAVE_AS.en),
                               filename) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        guess = _guess_legacy(data)
        name = _LEGACY[guess][0] if guess in _LEGACY else None
        what_vi = f" (có vẻ là bảng mã {name})" if name else " (có thể là bảng mã cũ TCVN3, VNI hoặc Windows-1258)"
        what_en = f" (it looks like {name})" if name else " (perhaps a legacy encoding: TCVN3, VNI or Windows-1258)"
        raise _refused(Msg(f"tệp CSV không phải UTF-8{what_vi}", f"the CSV file is not UTF-8{what_en}"),
                       Msg("mở bằng Excel, chọn Tệp (File) > Lưu thành (Save As), kiểu “CSV UTF-8 (Comma delimited) "
                           "(*.csv)” rồi nhập lại tệp mới (kiểu “CSV (Comma delimited)” thường không phải UTF-8); "
                           "chữ gõ bằng phông TCVN3/VNI thì chuyển sang Unicode bằng Unikey (Công cụ chuyển mã) "
                           "trước; hoặc nhập thẳng tệp .xlsx",
                           "open it in Excel, choose File > Save As, type “CSV UTF-8 (Comma delimited) (*.csv)” and "
                           "import the new file (plain “CSV (Comma delimited)” is usually not UTF-8); convert text "
                           "typed in TCVN3/VNI fonts to Unicode with Unikey first; or import the .xlsx itself"),
                       filename) from exc


def _parse_csv(text: str, delimiter: str, filename: str, limit: int | None = None) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[list[str]] = []
    try:
        for record in reader:
            out.append(record)
            if limit is not None and len(out) >= limit:
                break
    except csv.Error as exc:
        raise _refused(Msg(f"tệp CSV sai định dạng ở dòng {reader.line_num}",
                           f"the CSV file is malformed at line {reader.line_num}"),
                       Msg("kiểm tra dấu nháy kép \" trong dòng đó, hoặc xuất lại từ Excel: " + _SAVE_AS.vi,
                           "check the double quotes \" on that line, or export it again from Excel: " + _SAVE_AS.en),
                       filename) from exc
    return out


def _delimiter(text: str, filename: str) -> str:
    """The delimiter that gives a recognisable header (else the one splitting the most)."""
    best, best_score = ",", (-1, -1)
    for delimiter in (",", ";", "\t"):
        head = _parse_csv(text, delimiter, filename, limit=HEADER_ROWS * 3)
        header = _header([SheetRow(i + 1, tuple(r)) for i, r in enumerate(head) if any(c.strip() for c in r)])
        score = (len(header[1]) if header else 0, max((len(r) for r in head), default=0))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(data: bytes, filename: str) -> list[SheetRow]:
    text = _decode_csv(data, filename)
    if "\x00" in text:
        raise _refused(Msg("tệp CSV có ký tự NUL (có thể không phải tệp văn bản)",
                           "the CSV file contains NUL characters (it may not be a text file)"),
                       Msg("xuất lại từ Excel: " + _SAVE_AS.vi, "export it again from Excel: " + _SAVE_AS.en), filename)
    records = _parse_csv(text, _delimiter(text, filename), filename)
    return list(_rows(records, filename))


# --------------------------------------------------------------------------- the header

Header = tuple[int, dict[str, int], dict[str, str]]
"""(index of the last header row in the rows, field → column index, field → title shown)."""


def _header(rows: Sequence[SheetRow]) -> Header | None:
    """The header among the first rows: the first with a name column and one more known
    column (a merged "Ngày vào Đảng" may have "Dự bị" / "Chính thức" under it)."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        found: dict[str, int] = {}
        titles: dict[str, str] = {}
        for col, cell in enumerate(row.cells):
            key = _HEADER_FIELDS.get(header_key(cell))
            if key is not None and key not in found:
                found[key] = col
                titles[key] = f"{one_line(str(cell))} ({column_letter(col)})"
        if "name" not in found or len(found) < 2:
            continue
        last = index
        if index + 1 < len(rows):
            below = rows[index + 1]
            subs = {col: _SUB_HEADERS.get(header_key(cell)) for col, cell in enumerate(below.cells)}
            if any(subs.values()) and "name" not in {_HEADER_FIELDS.get(header_key(c)) for c in below.cells}:
                for col, key in subs.items():
                    if key is not None:
                        found[key] = col
                        titles[key] = f"{one_line(str(below.cells[col]))} ({column_letter(col)})"
                last = index + 1
        return last, found, titles
    return None


# --------------------------------------------------------------------------- the preview

@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one cell of a row: ``column`` as the sheet titles it, with its
    letter ("Ngày vào Đảng (C)"), "" for the row as a whole."""

    column: str
    field: str
    message: Msg
    hint: Msg


@dataclass(frozen=True)
class ImportRow:
    """What one row would do. ``member_id``: the member it updates, or the id it would get;
    ``changes`` for an update: what changes, one Msg each."""

    number: int
    action: str  # ADD | UPDATE | UNCHANGED | ERROR
    member_id: str | None
    name: str
    admitted: dt.date | None
    official: dt.date | None
    note: str = ""
    changes: tuple[Msg, ...] = ()
    problems: tuple[RowProblem, ...] = ()

    def message(self) -> Msg:
        """"Dòng 5, cột Ngày vào Đảng (C): ngày không có thật: 30/2/2020 — cách sửa: …" for
        each problem, one per line."""
        vi: list[str] = []
        en: list[str] = []
        for p in self.problems:
            vi.append(f"Dòng {self.number}" + (f", cột {p.column}" if p.column else "") +
                      f": {p.message.vi} — cách sửa: {p.hint.vi}")
            en.append(f"Row {self.number}" + (f", column {p.column}" if p.column else "") +
                      f": {p.message.en} — how to fix: {p.hint.en}")
        return Msg("\n".join(vi), "\n".join(en))


@dataclass(frozen=True)
class ImportPreview:
    """The rows of a sheet and what each would do. ``profile_sha256``: the version of the
    profile it was made from (``apply_import`` refuses to write if the profile changed)."""

    rows: tuple[ImportRow, ...]
    header_row: int
    columns: tuple[tuple[str, str], ...]  # (field, the column's title in the sheet)
    sheet: tuple[SheetRow, ...]
    profile_sha256: str | None = None

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def errors(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if r.action == ERROR)

    @property
    def has_note(self) -> bool:
        """The sheet has notes, which are not written (profile.yaml has no place for them)."""
        return any(r.note for r in self.rows)

    def summary(self) -> Msg:
        add, update, same, bad = (self.count(a) for a in (ADD, UPDATE, UNCHANGED, ERROR))
        return Msg(f"{add} đảng viên mới, {update} cập nhật, {same} không đổi, {bad} dòng lỗi (không nhập)",
                   f"{add} new, {update} updated, {same} unchanged, {bad} row(s) in error (not imported)")


_NUMBERING = re.compile(r"\(?\d{1,2}\)?")
_TCVN3_SIGNS = re.compile("[\u00a1-\u00bf]")  # ¡…¿: TCVN3 letters read as Windows-1252; never in a name


def _text_cell(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return vn_date(value)
    return str(value)


def _date_cell(value: CellValue, key: str, issues: list[FieldIssue]) -> dt.date | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = _text_cell(value)
        issues.append(FieldIssue(key, Msg(f"ô ghi số {shown}, không phải ngày", f"the cell holds the number {shown}, "
                                          "not a date"),
                                 Msg("định dạng ô là Ngày (Date) hoặc gõ ngày dạng 10/3/2026",
                                     "format the cell as a Date or type the date as 10/3/2026")))
        return None
    return date_value(key, value, issues)


def _problem(issue: FieldIssue, titles: dict[str, str]) -> RowProblem:
    """A member field's problem said for a sheet: under its column (the column's title
    instead of the form's label when the column is that field)."""
    key = issue.field.split("[")[0].split(".")[0]
    column_of = {"official_decided": "official", "left": "admitted", "home_cell": "name"}
    column = titles.get(column_of.get(key, key), "")
    message = issue.message
    label = field_label(issue.field)
    if column and key in titles and message.vi.startswith(f"{label.vi}: "):
        message = Msg(message.vi.removeprefix(f"{label.vi}: "), message.en.removeprefix(f"{label.en}: "))
    return RowProblem(column, issue.field, message, issue.hint)


@dataclass(frozen=True)
class _Planned:
    row: ImportRow
    draft: MemberDraft | None


def _shown_date(day: dt.date | None) -> Msg:
    return Msg(vn_date(day), vn_date(day)) if day else Msg("(trống)", "(empty)")


def _changes(before: Member, draft: MemberDraft) -> tuple[Msg, ...]:
    out: list[Msg] = []
    if draft.name != before.name:
        out.append(Msg(f"họ tên: {before.name} → {draft.name}", f"name: {before.name} → {draft.name}"))
    for key, vi, en in (("admitted", "ngày vào Đảng", "admitted"), ("official", "ngày chính thức", "official")):
        old, new = _shown_date(getattr(before, key)), _shown_date(getattr(draft, key))
        if old != new:
            out.append(Msg(f"{vi}: {old.vi} → {new.vi}", f"{en}: {old.en} → {new.en}"))
    return tuple(out)


def _plan(profile: Profile, rows: Sequence[SheetRow]) -> tuple[int, dict[str, str], list[_Planned]]:
    """(the header's row number, field → column title, each member row planned)."""
    header = _header(rows)
    if header is None:
        raise InputError(Msg("không tìm thấy dòng tiêu đề có cột Họ và tên và Ngày vào Đảng trong "
                             f"{HEADER_ROWS} dòng đầu",
                             f"no header row with a Name and an Admitted column in the first {HEADER_ROWS} rows"),
                         hint=Msg("đặt một dòng tiêu đề phía trên danh sách, các cột: Họ và tên, Ngày vào Đảng, "
                                  "Ngày chính thức, Ghi chú, Mã (có dấu hoặc không dấu)",
                                  "put a header row above the list with the columns Name, Admitted, Official, "
                                  "Note, Id (or their Vietnamese titles)"))
    last, columns, titles = header
    if "admitted" not in columns:
        raise InputError(Msg(f"dòng tiêu đề (dòng {rows[last].number}) không có cột Ngày vào Đảng",
                             f"the header row (row {rows[last].number}) has no Admitted column"),
                         hint=Msg("thêm cột “Ngày vào Đảng” (ngày kết nạp), ví dụ 19/5/1998",
                                  "add an “Ngày vào Đảng” (admitted) column, e.g. 19/5/1998"))
    body = list(rows[last + 1:])
    if len(body) > MAX_IMPORT_ROWS:
        raise _too_many("")
    planned: list[_Planned] = []
    targets: dict[str, int] = {}  # member id, "id:<new id>" or "new:<name key>" → the row that took it
    new_ids: list[str] = []
    for row in body:
        values = {key: row.cells[col] if col < len(row.cells) else None for key, col in columns.items()}
        given = [v for k, v in values.items() if k != "note" and _text_cell(v).strip()]
        if not given:
            continue  # a row with nothing of a member (a total, a signature line)
        if not planned and all(isinstance(v, str) and _NUMBERING.fullmatch(v.strip()) for v in given):
            continue  # the (1) (2) (3) row under a header
        planned.append(_plan_row(profile, row, values, titles, targets, new_ids))
    return rows[last].number, {k: titles[k] for k in columns}, planned


def preview_import(profile: Profile, rows: Sequence[SheetRow], *,
                   profile_sha256: str | None = None) -> ImportPreview:
    """What importing ``rows`` (``read_sheet``'s) into ``profile`` would do, row by row;
    give ``profile_sha256`` (``RosterSnapshot.sha256``) so that ``apply_import`` refuses
    when the profile changed meanwhile. InputError when no header row is found, or when
    there are too many rows."""
    header_row, titles, planned = _plan(profile, rows)
    return ImportPreview(tuple(p.row for p in planned), header_row, tuple(titles.items()), tuple(rows),
                         profile_sha256)


def _plan_row(profile: Profile, row: SheetRow, values: dict[str, CellValue], titles: dict[str, str],
              targets: dict[str, int], new_ids: list[str]) -> _Planned:
    issues: list[FieldIssue] = []
    name = text_value("name", _text_cell(values.get("name")), MAX_NAME_CHARS, issues)
    note = text_value("note", _text_cell(values.get("note")), MAX_NOTE_CHARS, [])
    admitted = _date_cell(values.get("admitted"), "admitted", issues)
    official = _date_cell(values.get("official"), "official", issues)
    raw_id = _text_cell(values.get("id")).strip().lower()
    if name and _TCVN3_SIGNS.search(name):
        issues.append(FieldIssue("name", Msg(f"họ tên “{name}” có vẻ gõ bằng phông TCVN3 (.VnTime), không phải "
                                             "Unicode", f"the name “{name}” looks typed in a TCVN3 font (.VnTime), "
                                             "not Unicode"),
                                 Msg("chuyển bảng tính sang Unicode bằng Unikey (Công cụ chuyển mã, nguồn TCVN3, "
                                     "đích Unicode) rồi nhập lại",
                                     "convert the sheet to Unicode with Unikey's converter (TCVN3 to Unicode) and "
                                     "import it again")))
    same = [m for m in profile.members if name and name_key(m.name) == name_key(name)]
    member: Member | None = None
    if raw_id:
        member = profile.member(raw_id)
        if member is None and same:
            issues.append(FieldIssue("id", Msg(f"không có mã {raw_id} trong hồ sơ, nhưng họ tên trùng với "
                                               f"{'; '.join(member_label(m) for m in same)}",
                                               f"no id {raw_id} on the roster, but the name is that of "
                                               f"{'; '.join(member_label(m) for m in same)}"),
                                     Msg(f"sửa mã thành {same[0].id} (hoặc để trống) nếu là đồng chí đó",
                                         f"write {same[0].id} (or leave it empty) if it is that member")))
    elif len(same) > 1:
        ids = ", ".join(m.id for m in same)
        issues.append(FieldIssue("name", Msg(f"có {len(same)} đảng viên tên “{name}” trong hồ sơ: "
                                             f"{'; '.join(member_label(m) for m in same)}",
                                             f"{len(same)} members are named “{name}” on the roster: "
                                             f"{'; '.join(member_label(m) for m in same)}"),
                                 Msg(f"thêm cột Mã và ghi mã đảng viên ({ids}) ở dòng này",
                                     f"add an Id column and write the member id ({ids}) on this row")))
    elif same:
        member = same[0]
    if member is not None:
        draft = MemberDraft.from_member(member)
        if name and raw_id and name_key(name) != name_key(member.name):
            draft.name = name  # matched by id: the sheet renames; matched by name: the roster's spelling stays
        draft.admitted = admitted or draft.admitted  # a blank cell keeps the roster's date
        draft.official = official or draft.official
        target = member.id
    else:
        new_id = ""
        if raw_id:
            new_id, id_issues = check_new_id(profile, raw_id, taken=new_ids)
            issues += id_issues
        draft = MemberDraft(new_id, name, admitted, official)
        target = f"id:{new_id}" if raw_id else f"new:{name_key(name)}"
    said = {i.field for i in issues}
    issues += [i for i in draft.check() if i.field not in said]
    if not issues:
        first = targets.get(target)
        if first is not None:
            issues.append(FieldIssue("name", Msg(f"trùng với dòng {first} (cùng một đảng viên)",
                                                 f"the same member as row {first}"),
                                     Msg("xóa một trong hai dòng, hoặc ghi mã ở cột Mã nếu là hai người cùng họ tên",
                                         "delete one of the two rows, or write ids in an Id column if they are two "
                                         "people with the same name")))
        else:
            targets[target] = row.number
    if issues:
        problems = tuple(_problem(i, titles) for i in issues)
        shown = name or _text_cell(values.get("name"))
        return _Planned(ImportRow(row.number, ERROR, member.id if member else None, shown, admitted, official,
                                  note, (), problems), None)
    if member is not None:
        changes = _changes(member, draft)
        return _Planned(ImportRow(row.number, UPDATE if changes else UNCHANGED, member.id, draft.name,
                                  draft.admitted, draft.official, note, changes), draft)
    if not draft.id:
        draft.id = next_member_id(profile, taken=new_ids)
    new_ids.append(draft.id)
    return _Planned(ImportRow(row.number, ADD, draft.id, draft.name, draft.admitted, draft.official, note), draft)


# --------------------------------------------------------------------------- applying

@dataclass(frozen=True)
class ImportSummary:
    """What ``apply_import`` wrote: the ids added and updated, the rows skipped."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: int
    skipped_rows: tuple[int, ...]
    profile_sha256: str

    def message(self) -> Msg:
        skipped = f", bỏ qua {len(self.skipped_rows)} dòng lỗi" if self.skipped_rows else ""
        skipped_en = f", {len(self.skipped_rows)} row(s) in error skipped" if self.skipped_rows else ""
        return Msg(f"Đã thêm {len(self.added)} đảng viên, cập nhật {len(self.updated)}, "
                   f"{self.unchanged} không đổi{skipped}",
                   f"Added {len(self.added)} member(s), updated {len(self.updated)}, "
                   f"{self.unchanged} unchanged{skipped_en}")


def _stale(path: Path) -> ProfileChangedError:
    return ProfileChangedError(
        Msg("hồ sơ chi bộ đã thay đổi từ lúc xem trước, chưa nhập gì",
            "the chi bộ profile changed since the preview; nothing was imported"),
        file=str(path),
        hint=Msg("xem trước lại tệp rồi nhập", "preview the file again, then import it"))


def apply_import(profile_path: Path, preview: ImportPreview) -> ImportSummary:
    """Write the rows of ``preview`` that add or update members (rows in error are not
    written), with the roster editor's guarantees (lock, validation of the whole profile,
    atomic write). The rows are planned again against the profile as it is now: when it
    changed since ``preview.profile_sha256``, or the rows would now do something else,
    ProfileChangedError and nothing is written."""
    done: list[tuple[ImportRow, ...]] = []

    def plan(snapshot: RosterSnapshot) -> list[MemberDraft]:
        if preview.profile_sha256 is not None and preview.profile_sha256 != snapshot.sha256:
            raise _stale(snapshot.path)
        _, _, planned = _plan(snapshot.profile, preview.sheet)
        rows = tuple(p.row for p in planned)
        if rows != preview.rows:
            raise _stale(snapshot.path)
        done.append(rows)
        return [p.draft for p in planned if p.draft is not None and p.row.action in (ADD, UPDATE)]

    written = change_members(profile_path, plan)
    rows = done[-1]
    return ImportSummary(tuple(r.member_id or "" for r in rows if r.action == ADD),
                         tuple(r.member_id or "" for r in rows if r.action == UPDATE),
                         sum(1 for r in rows if r.action == UNCHANGED),
                         tuple(r.number for r in rows if r.action == ERROR), written.sha256)
