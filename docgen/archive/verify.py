"""``verify``: check every version folder against its meta.json; collect problems."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.archive import audit, numbering
from docgen.archive.catalog import CATALOG_FILE
from docgen.archive.filters import cell_key
from docgen.archive.fsutil import LOCK_FILE, TMP_DIR, sha256_file
from docgen.archive.ids import parse_folder, relpath_for
from docgen.archive.numbering import REGISTRY_FILE
from docgen.archive.records import CACHE_DIR, META_FILE, STATUSES, meta_of
from docgen.i18n import Msg

KNOWN_TOP = {TMP_DIR, LOCK_FILE, REGISTRY_FILE, audit.AUDIT_FILE, audit.PENDING_FILE,
             ".gitkeep", CATALOG_FILE.parts[0], "aliases.yaml",  # aliases: docs/search.md
             "cells"}  # the cells' profiles (docgen.cells)
MAX_CHAIN_PROBLEMS = 20  # chain breaks reported one by one; the rest are counted
CACHE_NAME = re.compile(r"^[0-9a-f]{64}(\.pdfa)?\.pdf$")
REQUIRED = ("id", "version", "status", "kind", "date", "files", "docx", "series",
            "created_at", "created_by", "versions")


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where (document id and/or path), what, how serious."""

    code: str  # e.g. "checksum", "missing-file", "meta-json", "unknown-entry", "stray-temp"
    message: Msg
    doc_id: str | None = None
    path: Path | None = None
    severity: str = "error"  # "error" | "warning"

    def text(self, lang: str = "vi") -> str:
        where = " ".join(part for part in (self.doc_id or "", str(self.path or "")) if part)
        label = ("cảnh báo" if lang != "en" else "warning") if self.severity == "warning" \
            else ("lỗi" if lang != "en" else "error")
        return f"[{label}] {where}: {self.message.text(lang)}"

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "id": self.doc_id,
                "path": str(self.path) if self.path else None,
                "vi": self.message.vi, "en": self.message.en}


@dataclass
class VerifyReport:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Expect:
    """What the audit line of one version folder must say (from its name and meta.json;
    ``known`` is False when meta.json cannot be read: only id and version are checked)."""

    id: str
    version: int
    known: bool = False
    files: str = ""  # canonical JSON of meta.json's "files"
    number: str | None = None
    event: str | None = None
    at: Any = None
    user: Any = None


@dataclass
class _Seen:
    """What the per-folder checks learned, for the archive-wide checks."""

    versions: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    expected: dict[str, _Expect] = field(default_factory=dict)  # relpath → its audit line
    filed_max: dict[str, int] = field(default_factory=dict)  # series → highest number filed
    damaged: list[tuple[str, str, str]] = field(default_factory=list)  # (relpath, date, num)
    # id → (version, kind, number issued or None, cell) of each readable version
    identities: dict[str, list[tuple[int, str, str | None, str]]] = field(
        default_factory=lambda: defaultdict(list))


def verify_archive(root: Path, wrap: Callable[[list[Path]], Iterable[Path]] | None = None
                   ) -> VerifyReport:
    report = VerifyReport()
    if not root.is_dir():
        return report
    # Read before the walk: a number in it was filed before, so its folder is walked
    # ("raised" is judged on it; concurrent filings may raise the registry meanwhile).
    registry_before = numbering.load(root)
    folders = _walk(root, report.problems)
    seen = _Seen()
    for folder in (wrap(folders) if wrap is not None else folders):
        report.problems.extend(_check_folder(root, folder, seen))
        report.checked += 1
    report.problems.extend(_check_versions(root, seen))
    report.problems.extend(_check_numbers(root, seen))
    report.problems.extend(_check_same_document(root, seen))
    pending, problems = _check_pending(root)
    report.problems.extend(problems)
    report.problems.extend(_check_audit(root, seen, pending))
    report.problems.extend(_check_registry(root, seen, pending, registry_before))
    return report


def _unknown(path: Path, what: Msg) -> Problem:
    return Problem("unknown-entry", what, path=path)


def _walk(root: Path, problems: list[Problem]) -> list[Path]:
    """Every version folder; unknown entries and stray temp files go to ``problems``."""
    folders: list[Path] = []
    for entry in sorted(root.iterdir()):
        if entry.name == TMP_DIR and entry.is_dir():
            problems.extend(_stray(entry))
        elif entry.is_dir() and re.fullmatch(r"\d{4}", entry.name):
            folders.extend(_walk_year(entry, problems))
        elif entry.name not in KNOWN_TOP:
            problems.append(_unknown(entry, Msg("mục lạ ở gốc kho lưu trữ",
                                                "unknown entry at the archive root")))
    return folders


def _stray(tmp: Path) -> list[Problem]:
    return [Problem("stray-temp", Msg("thư mục/tệp tạm còn sót do một lần ghi bị gián đoạn "
                                      "(chạy `docgen gc` để dọn)",
                                      "stray temporary entry left by an interrupted write "
                                      "(run `docgen gc` to remove it)"),
                    path=entry, severity="warning") for entry in sorted(tmp.iterdir())]


def _walk_year(year: Path, problems: list[Problem]) -> list[Path]:
    folders: list[Path] = []
    for month in sorted(year.iterdir()):
        if not (month.is_dir() and re.fullmatch(r"0[1-9]|1[0-2]", month.name)):
            problems.append(_unknown(month, Msg("mục lạ trong thư mục năm",
                                                "unknown entry in a year folder")))
            continue
        for entry in sorted(month.iterdir()):
            if entry.is_dir() and parse_folder(entry.name) is not None:
                folders.append(entry)
            else:
                problems.append(_unknown(entry, Msg(
                    "thư mục/tệp lạ (không phải thư mục văn bản của docgen)",
                    "unknown folder or file (not a docgen document folder)")))
    return folders


def _read_meta(folder: Path, doc_id: str) -> tuple[dict[str, Any] | None, Problem | None]:
    path = folder / META_FILE
    try:
        value = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None, Problem("meta-json", Msg("thiếu meta.json", "meta.json is missing"),
                             doc_id, path)
    except (OSError, ValueError) as exc:
        return None, Problem("meta-json", Msg(f"meta.json hỏng hoặc bị cắt cụt: {exc}",
                                              f"meta.json is damaged or truncated: {exc}"),
                             doc_id, path)
    missing = [key for key in REQUIRED if not isinstance(value, dict) or key not in value]
    if missing:
        return None, Problem("meta-json", Msg(f"meta.json thiếu trường: {', '.join(missing)}",
                                              f"meta.json lacks fields: {', '.join(missing)}"),
                             doc_id, path)
    return value, None


def _check_folder(root: Path, folder: Path, seen: _Seen) -> list[Problem]:
    name = parse_folder(folder.name)
    assert name is not None
    relpath = folder.relative_to(root).as_posix()
    record, problem = _read_meta(folder, name.id)
    if record is None:
        seen.expected[relpath] = _Expect(name.id, name.version)
        seen.damaged.append((relpath, name.date, name.num))
        return [problem] if problem else []
    problems = _check_identity(root, folder, record, name.id, name.version)
    sound = not any(p.code == "meta-json" for p in problems)
    seen.expected[relpath] = _expect(record, name.id, name.version)
    if sound:
        problems.extend(_check_files(folder, record, name.id))
        if record.get("number") is not None and record.get("numbered", True) \
                and not record.get("draft"):
            series = str(record["series"])
            seen.filed_max[series] = max(seen.filed_max.get(series, 0), int(record["number"]))
        issued = (record.get("number_text") or "?") if record.get("number") is not None \
            and record.get("numbered", True) and not record.get("draft") else None
        seen.identities[name.id].append((name.version, str(record["kind"]), issued,
                                         str(record.get("cell", ""))))
    else:
        seen.damaged.append((relpath, name.date, name.num))
    seen.versions[name.id].append((name.version, folder.relative_to(root).as_posix()))
    current = seen.records.get(name.id)
    if sound and (current is None or int(current["version"]) < name.version):
        seen.records[name.id] = record
    return problems


def _check_identity(root: Path, folder: Path, record: dict[str, Any], doc_id: str,
                    version: int) -> list[Problem]:
    problems = []
    relpath = folder.relative_to(root).as_posix()
    try:
        expected = relpath_for(meta_of(record), str(record["id"]), int(record["version"]))
        number = record.get("number")
        if number is not None and not isinstance(number, int):
            raise ValueError(f"number {number!r}")
        if not isinstance(record["files"], dict):
            raise TypeError("files is not an object")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return [Problem("meta-json", Msg(f"meta.json có giá trị không hợp lệ: {exc}",
                                         f"meta.json has an invalid value: {exc}"),
                        doc_id, folder / META_FILE)]
    if expected != relpath:
        problems.append(Problem("misplaced", Msg(
            f"thư mục không khớp meta.json (cần {expected})",
            f"folder does not match its meta.json (expected {expected})"), doc_id, folder))
    if record["status"] not in STATUSES:
        problems.append(Problem("meta-json", Msg(f"trạng thái lạ: {record['status']}",
                                                 f"unknown status: {record['status']}"),
                                doc_id, folder / META_FILE))
    if record["docx"] not in record["files"]:
        problems.append(Problem("meta-json", Msg("meta.json không ghi checksum của tệp .docx",
                                                 "meta.json lacks the .docx checksum"),
                                doc_id, folder / META_FILE))
    return problems


def _check_files(folder: Path, record: dict[str, Any], doc_id: str) -> list[Problem]:
    problems = []
    listed: dict[str, str] = record["files"]
    for name, digest in sorted(listed.items()):
        path = folder / name
        if "/" in name or name in (META_FILE, CACHE_DIR):
            problems.append(Problem("meta-json", Msg(f"tên tệp không hợp lệ: {name}",
                                                     f"invalid file name: {name}"), doc_id, path))
            continue
        try:
            actual = sha256_file(path)
        except FileNotFoundError:
            problems.append(Problem("missing-file", Msg("thiếu tệp", "file is missing"),
                                    doc_id, path))
            continue
        except OSError as exc:
            problems.append(Problem("unreadable", Msg(f"không đọc được tệp: {exc}",
                                                      f"cannot read the file: {exc}"),
                                    doc_id, path))
            continue
        if actual != digest:
            problems.append(Problem("checksum", Msg(
                f"sai checksum sha256 (tệp đã bị thay đổi hoặc hỏng): {actual} ≠ {digest}",
                f"sha256 mismatch (file changed or damaged): {actual} != {digest}"),
                doc_id, path))
    for entry in sorted(folder.iterdir()):
        if entry.name == CACHE_DIR and entry.is_dir():
            problems.extend(_check_cache(entry, doc_id))
        elif entry.name != META_FILE and entry.name not in listed:
            problems.append(Problem("unknown-entry", Msg(
                "tệp lạ trong thư mục văn bản (không có trong meta.json)",
                "unknown file in a document folder (not in meta.json)"), doc_id, entry))
    return problems


def _check_cache(cache: Path, doc_id: str) -> list[Problem]:
    from docgen.archive.leftovers import is_converter_leftover

    problems = []
    for entry in sorted(cache.iterdir()):
        if entry.is_file() and CACHE_NAME.match(entry.name):
            continue
        if is_converter_leftover(entry):
            problems.append(Problem("converter-temp", Msg(
                "tệp tạm do một lần chuyển PDF bị ngắt để lại (chạy `docgen gc` để dọn)",
                "temporary file left by an interrupted PDF conversion (run `docgen gc` "
                "to remove it)"), doc_id, entry, severity="warning"))
        else:
            problems.append(Problem("unknown-entry", Msg(
                "tệp lạ trong cache/ (chỉ chứa <sha256>.pdf hoặc <sha256>.pdfa.pdf)",
                "unknown file in cache/ (only <sha256>.pdf or <sha256>.pdfa.pdf belong "
                "there)"), doc_id, entry))
    return problems


def _check_versions(root: Path, seen: _Seen) -> list[Problem]:
    problems = []
    for doc_id, versions in sorted(seen.versions.items()):
        numbers = sorted(v for v, _ in versions)
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(Problem("history", Msg(
                f"lịch sử phiên bản không liền mạch: {numbers}",
                f"version history has gaps or duplicates: {numbers}"), doc_id,
                root / versions[0][1]))
    return problems


def _check_same_document(root: Path, seen: _Seen) -> list[Problem]:
    """The versions of a document agree on its kind, cell and (once issued) number: an
    older docgen's ``amend`` could change them, silently. A warning (the history cannot
    be changed): the numbers involved are never handed out again."""
    problems = []
    for doc_id, versions in sorted(seen.identities.items()):
        versions.sort()
        kinds = {kind for _, kind, _, _ in versions}
        numbers = {number for _, _, number, _ in versions if number is not None}
        cells = {cell_key(cell) for _, _, _, cell in versions}
        if len(kinds) == 1 and len(numbers) <= 1 and len(cells) == 1:
            continue
        what_vi = [w for w, differs in (("loại", len(kinds) > 1), ("số", len(numbers) > 1),
                                        ("chi bộ", len(cells) > 1)) if differs]
        what_en = [w for w, differs in (("kind", len(kinds) > 1), ("number", len(numbers) > 1),
                                        ("cell", len(cells) > 1)) if differs]
        listed_vi = "; ".join(f"v{v} {kind} {number or 'chưa có số'}"
                              + (f" {cell}" if len(cells) > 1 else "")
                              for v, kind, number, cell in versions)
        listed_en = "; ".join(f"v{v} {kind} {number or 'no number'}"
                              + (f" {cell}" if len(cells) > 1 else "")
                              for v, kind, number, cell in versions)
        problems.append(Problem("versions-disagree", Msg(
            f"các phiên bản của văn bản khác nhau về {', '.join(what_vi)} ({listed_vi}): một "
            "lần amend của bản docgen cũ đã đổi chúng; các số đó không bị cấp lại. Đối chiếu "
            "bản giấy; nếu phiên bản hiện hành sai, lưu văn bản đúng bằng `docgen new` rồi "
            "thu hồi văn bản này bằng `docgen withdraw`",
            f"the versions of the document disagree on {', '.join(what_en)} ({listed_en}): "
            "an amend by an older docgen changed them; those numbers are never handed out "
            "again. Check the paper copy; if the current version is wrong, file the right "
            "document with `docgen new` and withdraw this one with `docgen withdraw`"),
            doc_id, root / max(seen.versions[doc_id])[1], severity="warning"))
    return problems


def _check_numbers(root: Path, seen: _Seen) -> list[Problem]:
    holders: dict[tuple[str, int], list[str]] = defaultdict(list)
    from docgen.archive.store import released

    for doc_id, record in seen.records.items():
        if record.get("number") is not None and record.get("numbered", True) \
                and not record.get("draft") and not released(record):
            holders[(str(record["series"]), int(record["number"]))].append(doc_id)
    problems = []
    for (series, number), ids in sorted(holders.items()):
        if len(ids) > 1:
            problems.append(Problem("duplicate-number", Msg(
                f"số {number} của dãy {series} bị trùng giữa các văn bản {', '.join(sorted(ids))}",
                f"number {number} of series {series} is used by {', '.join(sorted(ids))}"),
                sorted(ids)[0], root))
    return problems


def _expect(record: dict[str, Any], doc_id: str, version: int) -> _Expect:
    files = record.get("files")
    if not isinstance(files, dict):
        return _Expect(doc_id, version)
    return _Expect(doc_id, version, True, _canon(files), record.get("number_text") or None,
                   record.get("event"), record.get("created_at"), record.get("created_by"))


def _canon(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return repr(value)


def _differences(expect: _Expect, entry: dict[str, Any]) -> list[str]:
    """The fields of an audit line that disagree with its version folder."""
    version = entry.get("version")
    diffs = [name for name, ok in (
        ("id", entry.get("id") == expect.id),
        ("version", type(version) is int and version == expect.version)) if not ok]
    if not expect.known:
        return diffs
    if _canon(entry.get("files")) != expect.files:
        diffs.append("files")
    if entry.get("number") != expect.number:
        diffs.append("number")
    if entry.get("op") != "import":  # an import's time and user are the importer's
        if expect.event is not None and entry.get("op") != expect.event:
            diffs.append("op")
        if entry.get("at") != expect.at:
            diffs.append("at")
        if entry.get("user") != expect.user:
            diffs.append("user")
    return diffs


def _check_pending(root: Path) -> tuple[audit.Pending | None, list[Problem]]:
    """A leftover intent marker: a write interrupted after its folder was (maybe) put in
    place; the next write completes it. A warning, and its folder counts as audited."""
    path = root / audit.PENDING_FILE
    try:
        pending = audit.read_pending(root)
    except ValueError as exc:
        return None, [Problem("audit-pending", Msg(
            f"{audit.PENDING_FILE} còn sót và không đọc được ({exc}); lần ghi sau sẽ xóa nó",
            f"a leftover {audit.PENDING_FILE} cannot be read ({exc}); the next write "
            "removes it"), path=path, severity="warning")]
    if pending is None:
        return None, []
    return pending, [Problem("audit-pending", Msg(
        f"một lần ghi bị gián đoạn ({pending.folder}): dòng nhật ký của nó được hoàn tất "
        "(sửa) ở lần ghi sau",
        f"an interrupted write ({pending.folder}): its audit line is repaired at the next "
        "write"), doc_id=str(pending.entry.get("id") or "") or None, path=path,
        severity="warning")]


def _check_audit(root: Path, seen: _Seen, pending: audit.Pending | None) -> list[Problem]:
    """The log's chain, damaged lines, and the log against the version folders: each
    folder has exactly one line of a filing op naming it, with the same id, version,
    files (and number, op, time, user); each such line names a folder that exists."""
    log = root / audit.AUDIT_FILE
    problems: list[Problem] = []
    lines: dict[str, list[str]] = defaultdict(list)  # relpath → lines naming it

    def visit(number: int, entry: dict[str, Any]) -> None:
        if entry.get("op") not in audit.FILING_OPS:
            return
        folder = entry.get("folder")
        doc_id = entry.get("id") if isinstance(entry.get("id"), str) else None
        if not isinstance(folder, str):
            problems.append(Problem("audit-log", Msg(
                f"dòng {number} của nhật ký ({entry.get('op')}) không ghi thư mục",
                f"audit line {number} ({entry.get('op')}) names no folder"), doc_id, log))
            return
        _match(root, folder, entry, str(number), seen, lines, problems, doc_id)

    scan = audit.scan(root, visit)
    if pending is not None and pending.folder in seen.expected and not lines.get(pending.folder):
        _match(root, pending.folder, pending.entry, audit.PENDING_FILE, seen, lines, problems,
               str(pending.entry.get("id") or "") or None)
    problems[:0] = _chain_problems(log, scan)
    missing = [rel for rel in seen.expected if not lines.get(rel)]
    if missing and not scan.exists:
        problems.append(Problem("audit-missing", Msg(
            f"thiếu {audit.AUDIT_FILE}: {len(missing)} thư mục văn bản không có dòng nhật ký "
            "(khôi phục tệp từ bản sao lưu)",
            f"{audit.AUDIT_FILE} is missing: {len(missing)} version folders have no audit "
            "line (restore the file from a backup)"), path=log))
        return problems
    for relpath in missing:
        problems.append(Problem("audit-missing", Msg(
            f"không có dòng nào trong {audit.AUDIT_FILE} ghi thư mục này (dòng bị xóa, sửa "
            "hoặc cắt cụt; khôi phục nhật ký từ bản sao lưu)",
            f"no line of {audit.AUDIT_FILE} records this folder (a line was deleted, edited "
            "or cut short; restore the log from a backup)"),
            seen.expected[relpath].id, root / relpath))
    for relpath, where in sorted(lines.items()):
        if len(where) > 1:
            problems.append(Problem("audit-duplicate", Msg(
                f"thư mục được ghi ở nhiều dòng nhật ký: {', '.join(where)}",
                f"the folder is recorded by several audit lines: {', '.join(where)}"),
                seen.expected[relpath].id, root / relpath))
    return problems


def _match(root: Path, folder: str, entry: dict[str, Any], where: str, seen: _Seen,
           lines: dict[str, list[str]], problems: list[Problem], doc_id: str | None) -> None:
    expect = seen.expected.get(folder)
    label = where if not where.isdigit() else f"line {where}"
    label_vi = where if not where.isdigit() else f"dòng {where}"
    if expect is None:
        safe = audit.safe_relpath(folder)
        if safe and (root / folder).is_dir():
            return  # filed after the folders were walked (verify runs beside writers)
        problems.append(Problem("audit-orphan", Msg(
            f"{label_vi} của nhật ký ghi {entry.get('op')} thư mục {folder}, nhưng thư mục đó "
            "không có (bị xóa hoặc di chuyển)",
            f"audit {label} records {entry.get('op')} of {folder}, but that folder does not "
            "exist (deleted or moved)"), doc_id, root / folder if safe else root / audit.AUDIT_FILE))
        return
    lines[folder].append(where)
    diffs = _differences(expect, entry)
    if diffs:
        problems.append(Problem("audit-mismatch", Msg(
            f"{label_vi} của nhật ký không khớp meta.json của thư mục: {', '.join(diffs)}",
            f"audit {label} does not match the folder's meta.json: {', '.join(diffs)}"),
            expect.id, root / folder))


def _chain_problems(log: Path, scan: audit.Scan) -> list[Problem]:
    problems = []
    if scan.bad:
        problems.append(Problem("audit-log", Msg(
            f"nhật ký kiểm toán có dòng hỏng: {scan.bad[:10]}",
            f"the audit log has damaged lines: {scan.bad[:10]}"), path=log))
    if scan.legacy:
        problems.append(Problem("audit-legacy", Msg(
            f"dòng 1–{scan.legacy} của nhật ký được ghi trước khi các dòng được nối chuỗi "
            "(bản docgen cũ): sửa đổi ở đó chỉ phát hiện được qua các thư mục văn bản",
            f"lines 1–{scan.legacy} of the audit log were written before lines were chained "
            "(an older docgen): a change there is found only through the version folders"),
            path=log, severity="warning"))
    for number, reason in scan.breaks[:MAX_CHAIN_PROBLEMS]:
        if reason == "start":
            vi = f"dòng {number} mang mã băm của một dòng trước nó: các dòng đầu nhật ký đã bị xóa"
            en = (f"line {number} carries the hash of a line before it: lines were deleted "
                  "from the start of the log")
        elif reason == "missing":
            vi = f"dòng {number} không có prev dù các dòng trước đã nối chuỗi (dòng ghi tay)"
            en = (f"line {number} has no prev although earlier lines are chained (a line "
                  "written or edited by hand)")
        else:
            vi = (f"chuỗi đứt ở dòng {number}: prev không phải mã băm của dòng {number - 1} "
                  "(một dòng trước nó bị xóa, sửa, đổi chỗ hoặc cắt cụt)")
            en = (f"chain broken at line {number}: its prev is not the hash of line "
                  f"{number - 1} (a line before it was deleted, edited, moved or cut short)")
        problems.append(Problem("audit-chain", Msg(f"nhật ký kiểm toán: {vi}",
                                                   f"audit log: {en}"), path=log))
    if len(scan.breaks) > MAX_CHAIN_PROBLEMS:
        rest = len(scan.breaks) - MAX_CHAIN_PROBLEMS
        problems.append(Problem("audit-chain", Msg(
            f"nhật ký kiểm toán: thêm {rest} chỗ đứt chuỗi", f"audit log: {rest} more chain "
            "breaks"), path=log))
    return problems


_REGISTRY_FIX = Msg(
    "số tiếp theo vẫn được tính từ các thư mục văn bản; khôi phục numbering.json từ bản sao "
    "lưu, hoặc xóa nó (docgen ghi lại ở lần lưu văn bản có số tiếp theo)",
    "the next numbers are still counted from the version folders; restore numbering.json "
    "from a backup, or delete it (docgen writes it again at the next numbered filing)")


def _check_registry(root: Path, seen: _Seen, pending: audit.Pending | None,
                    before: dict[str, int]) -> list[Problem]:
    """numbering.json readable, of the right types, and equal to the highest number filed
    in each series it lists (a missing entry or file is fine: it is derived).

    Read after the folders were walked and after audit.pending (a filing raises the
    registry before it removes its marker), for "lowered"; "raised" uses ``before``,
    read before the walk, so that documents filed meanwhile are not reported."""
    path = root / REGISTRY_FILE
    values, issues = numbering.inspect(root)
    problems = [Problem("numbering-registry", Msg(
        f"{REGISTRY_FILE}{f' (khóa {key})' if key else ''}: {vi}. {_REGISTRY_FIX.vi}",
        f"{REGISTRY_FILE}{f' (key {key})' if key else ''}: {en}. {_REGISTRY_FIX.en}"),
        path=path) for key, vi, en in issues]
    if pending is not None and pending.series is not None and pending.number is not None \
            and pending.folder in seen.expected:  # the registry is raised at the next write
        values[pending.series] = max(values.get(pending.series, 0), pending.number)
    for series, value in sorted(values.items()):
        filed = seen.filed_max.get(series, 0)
        if value < filed:
            problems.append(Problem("numbering-lowered", Msg(
                f"{REGISTRY_FILE}: dãy {series} ghi {value} nhưng số {filed} đã được cấp "
                f"(sổ bị hạ xuống hoặc là bản cũ). Số tiếp theo vẫn là {filed + 1}; lần lưu "
                f"sau trong dãy này sẽ nâng sổ lên, hoặc xóa {REGISTRY_FILE}",
                f"{REGISTRY_FILE}: series {series} holds {value} but number {filed} is filed "
                f"in it (registry lowered, or an old copy). The next number is still "
                f"{filed + 1}; the next filing in this series raises it, or delete "
                f"{REGISTRY_FILE}"), path=path))
        elif series in before and min(value, before[series]) > max(
                filed, _damaged_max(seen, series, value)):
            value = min(value, before[series])
            problems.append(Problem("numbering-raised", Msg(
                f"{REGISTRY_FILE}: dãy {series} ghi {value} nhưng số cao nhất đã cấp là "
                f"{filed} (sổ bị nâng lên): số tiếp theo sẽ là {value + 1} thay vì "
                f"{filed + 1}. Nếu không cố ý bỏ số, sửa giá trị thành {filed} hoặc xóa "
                f"{REGISTRY_FILE}",
                f"{REGISTRY_FILE}: series {series} holds {value} but the highest number "
                f"filed is {filed} (registry raised): the next number would be {value + 1} "
                f"instead of {filed + 1}. Unless numbers were skipped on purpose, set it to "
                f"{filed} or delete {REGISTRY_FILE}"), path=path))
    return problems


def _damaged_max(seen: _Seen, series: str, limit: int) -> int:
    """The highest number up to ``limit`` that a damaged folder may hold in ``series``
    (its meta.json is unreadable; its name gives the type symbol, number and date)."""
    period = numbering.series_period(series)
    if period is None:
        return 0
    symbol = numbering.folder_symbol(period[0])
    best = 0
    for _, date, num in seen.damaged:
        head, _, tail = num.partition("-")
        if head.isdigit() and tail.upper() == symbol and period[1] <= date <= period[2]:
            number = int(head)
            if number <= limit:
                best = max(best, number)
    return best
