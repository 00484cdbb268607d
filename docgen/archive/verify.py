"""``verify``: check every version folder against its meta.json; collect problems."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.archive import audit
from docgen.archive.catalog import CATALOG_FILE
from docgen.archive.fsutil import LOCK_FILE, TMP_DIR, sha256_file
from docgen.archive.ids import parse_folder, relpath_for
from docgen.archive.numbering import REGISTRY_FILE
from docgen.archive.records import CACHE_DIR, META_FILE, STATUSES, meta_of
from docgen.i18n import Msg

KNOWN_TOP = {TMP_DIR, LOCK_FILE, REGISTRY_FILE, audit.AUDIT_FILE, ".gitkeep",
             CATALOG_FILE.parts[0]}
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


@dataclass
class _Seen:
    """What the per-folder checks learned, for the archive-wide checks."""

    versions: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    records: dict[str, dict[str, Any]] = field(default_factory=dict)


def verify_archive(root: Path, wrap: Callable[[list[Path]], Iterable[Path]] | None = None
                   ) -> VerifyReport:
    report = VerifyReport()
    if not root.is_dir():
        return report
    folders = _walk(root, report.problems)
    seen = _Seen()
    for folder in (wrap(folders) if wrap is not None else folders):
        report.problems.extend(_check_folder(root, folder, seen))
        report.checked += 1
    report.problems.extend(_check_versions(root, seen))
    report.problems.extend(_check_numbers(root, seen))
    report.problems.extend(_check_audit(root))
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
    record, problem = _read_meta(folder, name.id)
    if record is None:
        return [problem] if problem else []
    problems = _check_identity(root, folder, record, name.id, name.version)
    sound = not any(p.code == "meta-json" for p in problems)
    if sound:
        problems.extend(_check_files(folder, record, name.id))
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
    return [Problem("unknown-entry", Msg(
        "tệp lạ trong cache/ (chỉ chứa <sha256>.pdf hoặc <sha256>.pdfa.pdf)",
        "unknown file in cache/ (only <sha256>.pdf or <sha256>.pdfa.pdf belong there)"),
        doc_id, entry) for entry in sorted(cache.iterdir())
        if not (entry.is_file() and CACHE_NAME.match(entry.name))]


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


def _check_numbers(root: Path, seen: _Seen) -> list[Problem]:
    holders: dict[tuple[str, int], list[str]] = defaultdict(list)
    for doc_id, record in seen.records.items():
        if record.get("number") is not None and record.get("numbered", True) \
                and not record.get("draft"):
            holders[(str(record["series"]), int(record["number"]))].append(doc_id)
    problems = []
    for (series, number), ids in sorted(holders.items()):
        if len(ids) > 1:
            problems.append(Problem("duplicate-number", Msg(
                f"số {number} của dãy {series} bị trùng giữa các văn bản {', '.join(sorted(ids))}",
                f"number {number} of series {series} is used by {', '.join(sorted(ids))}"),
                sorted(ids)[0], root))
    return problems


def _check_audit(root: Path) -> list[Problem]:
    bad = audit.bad_lines(root)
    if not bad:
        return []
    return [Problem("audit-log", Msg(f"nhật ký kiểm toán có dòng hỏng: {bad[:10]}",
                                     f"the audit log has damaged lines: {bad[:10]}"),
                    path=root / audit.AUDIT_FILE)]
