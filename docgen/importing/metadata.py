"""The metadata file of an import: what the dry run found, one row per file, for a person
to correct or complete (in Excel or a text editor) before the real import.

``docgen import FOLDER --dry-run --write-metadata sua.csv`` writes it (CSV, UTF-8 with a
BOM so that Excel shows the accents; or YAML when the name ends in .yaml/.yml);
``docgen import FOLDER --metadata sua.csv`` reads it back. Columns (English ids; the
Vietnamese names are accepted too):

- ``file`` (tệp) and ``sha256``: which file the row is about (sha256 wins when given);
- ``kind`` (loại), ``number`` (số: 5, or as printed "05-NQ/CB"), ``date`` (ngày:
  10/3/2026 or 2026-03-10), ``cell`` (chi bộ), ``title`` (trích yếu), ``topics`` (chủ
  đề: ids separated by ";"), ``skip`` (bỏ qua: x, có, yes to leave the file out);
- the other columns the dry run writes (status, encoding, ocr, confidence, review) are
  for reading only.

An empty cell keeps what was detected. A bad value stops the import before anything is
read or written, naming the file, the row, the column and the fix (exit 3).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.errors import InputError
from docgen.i18n import Msg
from docgen.vn import fold

if TYPE_CHECKING:
    from docgen.importing.importer import CellChoice, ImportReport, Row

EDITABLE = ("kind", "number", "date", "cell", "title", "topics", "skip")
INFO = ("status", "encoding", "ocr", "confidence", "review")
COLUMNS = ("file", "sha256", *EDITABLE, *INFO)
ALIASES = {
    "tep": "file", "tệp": "file", "loai": "kind", "loại": "kind", "so": "number",
    "số": "number", "ngay": "date", "ngày": "date", "chi bo": "cell", "chi bộ": "cell",
    "trich yeu": "title", "trích yếu": "title", "chu de": "topics", "chủ đề": "topics",
    "bo qua": "skip", "bỏ qua": "skip",
}
_YES = {"x", "co", "yes", "y", "1", "true", "bo qua", "skip"}
_NUMBER = re.compile(r"^(?:s[oố]\s*:?\s*)?(\d{1,4})(?:\s*-\s*([^\W\d_]+)(?:\s*/\s*([^\W\d_]+))?)?$",
                     re.IGNORECASE)
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Correction:
    line: int  # the row's line in the file (for messages)
    file: str = ""
    sha256: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    used: bool = False


@dataclass
class Corrections:
    path: Path
    rows: list[Correction]

    def unmatched(self) -> list[Correction]:
        return [c for c in self.rows if not c.used]


def _problem(path: Path, line: int, column: str, vi: str, en: str, hint: Msg) -> InputError:
    return InputError(Msg(f"{path.name}, dòng {line}, cột {column}: {vi}",
                          f"{path.name}, line {line}, column {column}: {en}"),
                      file=str(path), field=column, hint=hint)


def load_corrections(path: Path) -> Corrections:
    """Read and check the whole file (InputError, exit 3, at the first bad value)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(Msg(f"không đọc được tệp metadata {path}: {exc.strerror}",
                             f"cannot read the metadata file {path}: {exc.strerror}"),
                         file=str(path), hint=Msg("kiểm tra đường dẫn --metadata",
                                                  "check the --metadata path")) from exc
    if len(raw) > MAX_BYTES:
        raise InputError(Msg(f"tệp metadata {path.name} quá lớn", f"the metadata file {path.name} is too large"),
                         file=str(path), hint=Msg("tách thành nhiều tệp", "split it"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Msg(f"tệp metadata {path.name} không phải UTF-8",
                             f"the metadata file {path.name} is not UTF-8"), file=str(path),
                         hint=Msg("trong Excel chọn Lưu thành → CSV UTF-8",
                                  "in Excel use Save as → CSV UTF-8")) from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        records = _yaml_records(path, text)
    else:
        records = _csv_records(path, text)
    rows = [_correction(path, line, record) for line, record in records]
    return Corrections(path, rows)


def corrections_of(records: list[dict[str, str]], source: str) -> Corrections:
    """Corrections given as rows of column → value (the web app's form), checked as a file
    is: InputError naming ``source``, the row and the column."""
    path = Path(source)
    rows = []
    for line, record in enumerate(records, start=1):
        named = {}
        for key, value in record.items():
            name = _column(path, key, line)
            if name:
                named[name] = value
        rows.append(_correction(path, line, named))
    return Corrections(path, rows)


def _csv_records(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        return []
    names = [_column(path, h) for h in header]
    out = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line_num
        if len(row) > len(names):
            raise _problem(path, line, str(len(names) + 1), "nhiều cột hơn dòng tiêu đề",
                           "more columns than the header line",
                           Msg("xóa các ô thừa ở cuối dòng", "remove the extra cells"))
        out.append((line, {n: c for n, c in zip(names, row, strict=False) if n}))
    return out


def _yaml_records(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    from docgen.model.files import parse_text

    data: Any = parse_text(text, str(path))  # a mapping: {files: [...]} or {file: {...}}
    if "files" in data:
        data = data["files"]
    if isinstance(data, dict):
        data = [{"file": k, **(v or {})} for k, v in data.items()]
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise InputError(Msg(f"{path.name}: cần một danh sách, mỗi mục một tệp (file: …)",
                             f"{path.name}: a list is needed, one entry per file (file: …)"),
                         file=str(path), hint=Msg("xem tệp do --write-metadata ghi",
                                                  "see a file written by --write-metadata"))
    out = []
    for i, item in enumerate(data, start=1):
        record = {}
        for key, value in item.items():
            name = _column(path, str(key), line=i)
            if name:
                record[name] = "" if value is None else str(value)
        out.append((i, record))
    return out


def _column(path: Path, header: str, line: int = 1) -> str:
    key = " ".join(header.strip().lower().split())
    key = ALIASES.get(key, ALIASES.get(fold(key), key))
    if key in COLUMNS:
        return key if key not in INFO else ""
    if not key:
        return ""
    raise _problem(path, line, header, f"cột lạ {header!r}", f"unknown column {header!r}",
                   Msg("các cột: " + ", ".join(COLUMNS), "the columns: " + ", ".join(COLUMNS)))


def _correction(path: Path, line: int, record: dict[str, str]) -> Correction:
    from docgen.kinds import KINDS, OTHER_KIND
    from docgen.vn.dates import parse_user_date

    fix = Correction(line=line, file=record.get("file", "").strip(),
                     sha256=record.get("sha256", "").strip().lower())
    if not fix.file and not fix.sha256:
        raise _problem(path, line, "file", "không ghi tệp nào", "no file named",
                       Msg("ghi tên tệp (cột file) hoặc sha256", "give the file (column file) or sha256"))
    for name in EDITABLE:
        value = " ".join(record.get(name, "").split())
        if not value:
            continue
        if name == "kind":
            if value not in KINDS and value != OTHER_KIND:
                kinds = ", ".join([*KINDS, OTHER_KIND])
                raise _problem(path, line, name, f"loại văn bản lạ {value!r}", f"unknown kind {value!r}",
                               Msg(f"các loại: {kinds}", f"the kinds: {kinds}"))
            fix.values[name] = value
        elif name == "number":
            match = _NUMBER.match(value)
            if match is None or not 1 <= int(match.group(1)) <= 9999:
                raise _problem(path, line, name, f"số {value!r} không đọc được",
                               f"the number {value!r} cannot be read",
                               Msg("ghi số (5) hoặc số như trên giấy (05-NQ/CB); để trống nếu "
                                   "văn bản không có số",
                                   "write the number (5) or as printed (05-NQ/CB); leave it "
                                   "empty when the paper has none"))
            fix.values["number"] = int(match.group(1))
            if match.group(2):
                fix.values["type_symbol"] = match.group(2).upper()
            if match.group(3):
                fix.values["issuer_symbol"] = match.group(3).upper()
        elif name == "date":
            try:
                fix.values[name] = (dt.date.fromisoformat(value) if re.match(r"^\d{4}-", value)
                                    else parse_user_date(value))
            except (ValueError, InputError) as exc:
                raise _problem(path, line, name, f"ngày {value!r} không hợp lệ",
                               f"invalid date {value!r}",
                               Msg("ghi ngày/tháng/năm, vd. 10/3/2026",
                                   "write day/month/year, e.g. 10/3/2026")) from exc
        elif name == "topics":
            from docgen.topics import topic_by_id

            ids = [t.strip() for t in re.split(r"[;,]", value) if t.strip()]
            unknown = [t for t in ids if topic_by_id(t) is None]
            if unknown:
                raise _problem(path, line, name, f"chủ đề lạ: {', '.join(unknown)}",
                               f"unknown topics: {', '.join(unknown)}",
                               Msg("xem mã chủ đề bằng `docgen topics`", "see the topic ids with `docgen topics`"))
            fix.values[name] = tuple(ids)
        elif name == "skip":
            fix.values[name] = fold(value.lower()) in _YES
        else:
            fix.values[name] = value
    return fix


def apply_corrections(rows: list[Row], corrections: Corrections, cells: CellChoice) -> None:
    """Set the corrected fields of the rows they name; a corrected field no longer needs a
    review. A correction that names no file of the run is left unused (the caller warns)."""
    from docgen.archive.filters import words_key
    from docgen.importing.importer import _set_term

    by_sha = {c.sha256: c for c in corrections.rows if c.sha256}
    by_file = {c.file: c for c in corrections.rows if c.file}
    for row in rows:
        fix = by_sha.get(row.sha256) if row.sha256 else None
        if fix is None:
            fix = by_file.get(row.shown) or by_file.get(str(row.path.resolve()))
        if fix is None:
            continue
        fix.used = True
        if row.status not in ("planned",):
            continue
        if fix.values.get("skip"):
            row.status = "skipped"
            continue
        # what the file says as detected (a dry run's own sheet read back) is no correction
        values = {name: value for name, value in fix.values.items()
                  if name != "skip" and getattr(row, name) != value}
        for name, value in values.items():
            setattr(row, name, value)
            row.corrected.append(name)
            row.flags.pop(name, None)
        if "cell" in values:
            row.flags.pop("cell", None)
            profile = cells.profile_of(row.cell)
            if profile is None:
                row.flag("cell", Msg(f"chi bộ {row.cell} chưa có trong kho (docgen cells add)",
                                     f"the cell {row.cell} is not in the archive (docgen cells add)"))
            else:  # the name as the archive prints it: one numbering series, not two
                row.cell = next(n for names, p in cells.known if p is profile for n in names
                                if words_key(n) == words_key(row.cell))
                row.superior = profile.cell.superior
                if "issuer_symbol" not in values:
                    row.issuer_symbol = profile.cell.symbol or row.issuer_symbol
        if "kind" in values and "type_symbol" not in values:
            from docgen.importing.importer import _kind_symbol

            row.type_symbol = _kind_symbol(row.kind) or row.type_symbol
        if {"number", "date", "cell", "kind"} & set(values):
            row.flags.pop("header", None)
            row.flags.pop("confidence", None)
        _set_term(row, cells.profile_of(row.cell) if row.cell else None)


def write_metadata(report: ImportReport, path: Path, lang: str = "vi") -> None:
    """The dry run's rows as a metadata file to correct (written atomically)."""
    from docgen.fsio import replace_via_temp
    from docgen.vn.dates import vn_date

    records = []
    for row in report.rows:
        records.append({
            "file": row.shown, "sha256": row.sha256, "kind": row.kind,
            "number": row.number_text if row.number is not None else "",
            "date": vn_date(row.date) if row.date else "", "cell": row.cell,
            "title": row.title, "topics": "; ".join(row.topics), "skip": "",
            "status": row.status, "encoding": row.encoding, "ocr": "x" if row.ocr else "",
            "confidence": f"{row.confidence:.2f}" if row.kind else "",
            "review": " | ".join(m.text(lang) for m in row.review)
            or (row.error.message.text(lang) if row.error is not None else ""),
        })
    if path.suffix.lower() in (".yaml", ".yml"):
        from docgen.archive.records import _yaml_dump

        data = _yaml_dump({"files": records}).encode("utf-8")
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(records)
        data = ("\ufeff" + out.getvalue()).encode("utf-8")
    replace_via_temp(path, lambda part: part.write_bytes(data))
