"""Bundles: one zip file carrying version folders between archives.

Layout: ``docgen-bundle.json`` (format, created_at, docgen_version, members: path →
sha256) and every file of every exported version folder as
``archive/YYYY/MM/<folder>/<file>``. Reading checks the whole bundle before anything
is written.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docgen
from docgen.archive import audit
from docgen.archive.catalog import Catalog
from docgen.archive.fsutil import fsync_dir, sha256_file
from docgen.archive.ids import parse_folder
from docgen.archive.records import CACHE_DIR, META_FILE, meta_of
from docgen.archive.verify import Problem
from docgen.errors import ArchiveError
from docgen.i18n import Msg

if TYPE_CHECKING:
    from docgen.archive.store import Archive

MANIFEST = "docgen-bundle.json"
FORMAT = "docgen-bundle/1"
MEMBER_RE = re.compile(r"^archive/(\d{4}/(?:0[1-9]|1[0-2])/[^/]+)/([^/]+)$")
_BUNDLE_HINT = Msg("tạo lại gói bằng `docgen export -o GÓI.zip` từ kho gốc",
                   "make the bundle again with `docgen export -o BUNDLE.zip` from the source")


@dataclass
class Bundle:
    path: Path
    folders: dict[str, dict[str, str]]  # relpath → {file name → sha256}
    records: dict[str, dict[str, Any]]  # relpath → meta.json


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)  # relpaths written
    unchanged: list[str] = field(default_factory=list)  # already present, identical
    conflicts: list[Problem] = field(default_factory=list)  # reported, never written

    @property
    def ok(self) -> bool:
        return not self.conflicts


def _not_bundle(path: Path, detail: str, detail_en: str) -> ArchiveError:
    return ArchiveError(Msg(f"không phải gói docgen hợp lệ: {detail}",
                            f"not a valid docgen bundle: {detail_en}"),
                        file=str(path), hint=_BUNDLE_HINT)


def _corrupt(path: Path, member: str, detail: str, detail_en: str) -> ArchiveError:
    return ArchiveError(Msg(f"gói bị hỏng, thành phần {member}: {detail}; chưa ghi gì vào kho",
                            f"corrupted bundle member {member}: {detail_en}; nothing written"),
                        file=str(path), hint=_BUNDLE_HINT)


# ------------------------------------------------------------------------ export
def write_bundle(root: Path, relpaths: list[str], out: Path) -> Path:
    """Zip the version folders ``relpaths`` (cache/ left out) into ``out`` atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    members: dict[str, str] = {}
    with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
        for relpath in relpaths:
            folder = root / relpath
            for entry in sorted(folder.iterdir()):
                if entry.name == CACHE_DIR or not entry.is_file():
                    continue
                name = f"archive/{relpath}/{entry.name}"
                members[name] = sha256_file(entry)
                zf.write(entry, name)
        manifest = {"format": FORMAT, "created_at": audit.utc_now(),
                    "docgen_version": docgen.__version__, "folders": relpaths,
                    "members": members}
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    with part.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(part, out)
    fsync_dir(out.parent)
    return out


# ------------------------------------------------------------------------ import
def read_bundle(path: Path) -> Bundle:
    """Open and fully check a bundle; any problem is an ArchiveError (nothing written)."""
    if not path.is_file():
        raise ArchiveError(Msg(f"không tìm thấy gói {path}", f"bundle {path} not found"),
                           file=str(path), hint=_BUNDLE_HINT)
    try:
        with zipfile.ZipFile(path) as zf:
            return _checked(path, zf)
    except zipfile.BadZipFile as exc:
        raise _not_bundle(path, f"không phải tệp zip ({exc})", f"not a zip file ({exc})") from exc


def _manifest(path: Path, zf: zipfile.ZipFile) -> dict[str, str]:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError as exc:
        raise _not_bundle(path, f"thiếu {MANIFEST}", f"{MANIFEST} is missing") from exc
    except (ValueError, zipfile.BadZipFile) as exc:
        raise _not_bundle(path, f"{MANIFEST} hỏng", f"{MANIFEST} is damaged") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
            or not isinstance(manifest.get("members"), dict):
        raise _not_bundle(path, f"{MANIFEST} không đúng định dạng {FORMAT}",
                          f"{MANIFEST} is not in the {FORMAT} format")
    return {str(k): str(v) for k, v in manifest["members"].items()}


def _checked(path: Path, zf: zipfile.ZipFile) -> Bundle:
    members = _manifest(path, zf)
    names = {info.filename for info in zf.infolist()} - {MANIFEST}
    if names != set(members):
        odd = sorted(names ^ set(members))[:3]
        raise _corrupt(path, ", ".join(odd), "không khớp danh mục", "does not match the manifest")
    folders: dict[str, dict[str, str]] = defaultdict(dict)
    for name, digest in sorted(members.items()):
        match = MEMBER_RE.match(name)
        if match is None or parse_folder(match[1].rsplit("/", 1)[-1]) is None \
                or match[2] in ("..", ".", CACHE_DIR):
            raise _corrupt(path, name, "tên không hợp lệ", "invalid member name")
        if _member_sha(path, zf, name) != digest:
            raise _corrupt(path, name, "sai checksum sha256", "sha256 mismatch")
        folders[match[1]][match[2]] = digest
    records = {rel: _record(path, zf, rel, files) for rel, files in folders.items()}
    return Bundle(path, dict(folders), records)


def _member_sha(path: Path, zf: zipfile.ZipFile, name: str) -> str:
    try:
        return hashlib.sha256(zf.read(name)).hexdigest()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _corrupt(path, name, f"không đọc được ({exc})", f"unreadable ({exc})") from exc


def _record(path: Path, zf: zipfile.ZipFile, relpath: str, files: dict[str, str]
            ) -> dict[str, Any]:
    member = f"archive/{relpath}/{META_FILE}"
    try:
        record = json.loads(zf.read(member))
        meta_of(record)
        listed = dict(record["files"])
        ok = parse_folder(relpath.rsplit("/", 1)[-1]) is not None and \
            record["id"] == parse_folder(relpath.rsplit("/", 1)[-1]).id  # type: ignore[union-attr]
    except (KeyError, ValueError, TypeError) as exc:
        raise _corrupt(path, member, f"meta.json không hợp lệ ({exc})",
                       f"invalid meta.json ({exc})") from exc
    expected = {**listed, META_FILE: files.get(META_FILE, "")}
    if not ok or expected != files:
        raise _corrupt(path, member, "tệp trong thư mục không khớp meta.json",
                       "the folder's files do not match its meta.json")
    return dict(record)


def merge_bundle(archive: Archive, cat: Catalog, bundle: Bundle, user: str) -> ImportReport:
    """Write the bundle's new version folders; identical ones are skipped (idempotent)."""
    report = ImportReport()
    by_id: dict[str, list[str]] = defaultdict(list)
    for relpath, record in bundle.records.items():
        by_id[record["id"]].append(relpath)
    with zipfile.ZipFile(bundle.path) as zf:
        for doc_id in sorted(by_id):
            relpaths = sorted(by_id[doc_id], key=lambda r: int(bundle.records[r]["version"]))
            for relpath in relpaths:
                conflict = _merge_one(archive, cat, bundle, zf, relpath, user, report)
                if conflict is not None:
                    report.conflicts.append(conflict)
                    break
    return report


def _merge_one(archive: Archive, cat: Catalog, bundle: Bundle, zf: zipfile.ZipFile,
               relpath: str, user: str, report: ImportReport) -> Problem | None:
    record = bundle.records[relpath]
    files = bundle.folders[relpath]
    target = archive.root / relpath
    if target.exists():
        if _same_files(target, files):
            report.unchanged.append(relpath)
            return None
        return _conflict(record, target, "cùng thư mục nhưng nội dung khác",
                         "same folder, different content")
    for other, _ in cat.history(record["id"]):
        parsed = parse_folder(other.rsplit("/", 1)[-1])
        if parsed is not None and parsed.version == int(record["version"]):
            return _conflict(record, archive.root / other, "cùng mã và phiên bản, nội dung khác",
                             "same id and version, different content")
    conflict = _number_conflict(archive, cat, record)
    if conflict is not None:
        return conflict
    payload = {name: zf.read(f"archive/{relpath}/{name}") for name in files}
    archive.publish_files(relpath, payload, record, {
        "at": audit.utc_now(), "user": user, "op": "import", "id": record["id"],
        "version": record["version"], "folder": relpath, "bundle": bundle.path.name,
        "number": record.get("number_text") or None, "files": record["files"]})
    cat.add(relpath, record)
    report.imported.append(relpath)
    return None


def _same_files(target: Path, files: dict[str, str]) -> bool:
    try:
        return all(sha256_file(target / name) == digest for name, digest in files.items())
    except OSError:
        return False


def _number_conflict(archive: Archive, cat: Catalog, record: dict[str, Any]) -> Problem | None:
    number = record.get("number")
    if number is None or record.get("draft") or not record.get("numbered", True):
        return None
    for relpath, holder in cat.holders_of(record["series"], int(number)):
        if holder["id"] != record["id"]:
            return _conflict(record, archive.root / relpath,
                             f"số {record.get('number_text')} đã dùng cho văn bản {holder['id']}",
                             f"number {record.get('number_text')} is already used by "
                             f"document {holder['id']}")
    return None


def _conflict(record: dict[str, Any], where: Path, vi: str, en: str) -> Problem:
    return Problem("conflict", Msg(f"xung đột, không nhập: {vi}",
                                   f"conflict, not imported: {en}"),
                   doc_id=str(record["id"]), path=where)
