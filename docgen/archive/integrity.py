"""Is a filed document still what was filed?  Checks of one version folder against its
meta.json, for ``docgen show``, ``docgen list``, ``docgen pdf`` and ``docgen print``.

Three levels, from cheap to thorough:

``quick_damage``  (``docgen list``) a few ``stat`` calls per document, no file read in the
    normal case: meta.json and every file it lists exist and are regular files; meta.json
    has the size its catalog record serialises to; no listed file is newer than meta.json
    (meta.json is written last, so an edit of the .docx after filing makes it newer). A
    suspect file is then hashed (a suspect meta.json parsed) to confirm, so the mark is never
    a guess. It misses an edit that keeps the size of meta.json and the old mtimes
    (``touch -r``): ``list --check``, ``show`` and ``verify`` hash everything.
``damage_of``     (``docgen show``, ``list --check``) meta.json read from disk and compared
    with the catalog; every listed file hashed (streamed, 1 MiB chunks).
``check_docx``    (``docgen pdf``/``print``) the .docx alone, hashed while it is optionally
    copied, so the bytes that are converted are exactly the bytes that were checked.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.archive.filters import DocFilter
from docgen.archive.ids import parse_folder
from docgen.archive.records import CACHE_DIR, META_FILE, archived
from docgen.fsio import sha256_file
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc

if TYPE_CHECKING:
    import datetime as dt

    from docgen.archive.store import Archive

# A listed file may be this much newer than meta.json before it is hashed to confirm
# (coarse timestamps, archives copied with 2-second timestamps, e.g. through a zip).
MTIME_SLACK_NS = 2_000_000_000
_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"0[1-9]|1[0-2]")


@dataclass(frozen=True)
class Damage:
    """One file of a version folder that is not what meta.json says it is."""

    code: str  # "missing-file" | "unreadable" | "checksum" | "meta-json" | "record"
    file: str  # the file's name in the version folder (meta.json for meta-json, record)
    message: Msg
    expected: str | None = None  # sha256 in meta.json
    actual: str | None = None  # sha256 of the bytes on disk

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "file": self.file, "expected": self.expected,
                "actual": self.actual, "vi": self.message.vi, "en": self.message.en}


@dataclass(frozen=True)
class DocxCheck:
    """The result of ``check_docx``: the .docx's sha256 on disk and what is wrong."""

    doc_id: str
    path: Path
    actual: str | None  # None when the file could not be read
    expected: str | None  # meta.json's files[docx]; None when meta.json is unusable
    damage: tuple[Damage, ...]

    @property
    def ok(self) -> bool:
        return not self.damage


def is_archived(doc: ArchivedDoc) -> bool:
    """True when ``doc.folder`` is a version folder of an archive (``YYYY/MM/<name>``)."""
    folder = doc.folder
    return (parse_folder(folder.name) is not None and bool(_MONTH.fullmatch(folder.parent.name))
            and bool(_YEAR.fullmatch(folder.parent.parent.name)))


def archive_root_of(doc: ArchivedDoc) -> Path | None:
    """The archive root holding ``doc``'s version folder, or None for a loose document."""
    return doc.folder.parents[2] if is_archived(doc) else None


hash_file = sha256_file  # sha256 of a file, optionally copied on the way (docgen.fsio)


def _meta_damage(detail: Msg) -> Damage:
    return Damage("meta-json", META_FILE, Msg(f"meta.json thiếu hoặc hỏng: {detail.vi}",
                                              f"meta.json is missing or damaged: {detail.en}"))


def disk_record(folder: Path) -> tuple[dict[str, Any] | None, Damage | None]:
    """The meta.json of ``folder`` as read from disk now, or why it cannot be used."""
    try:
        value = json.loads((folder / META_FILE).read_bytes())
    except FileNotFoundError:
        return None, _meta_damage(Msg("không có tệp", "no such file"))
    except (OSError, ValueError) as exc:
        return None, _meta_damage(Msg(str(exc), str(exc)))
    files = value.get("files") if isinstance(value, dict) else None
    docx = value.get("docx") if isinstance(value, dict) else None
    if not isinstance(files, dict) or not isinstance(docx, str) or docx not in files:
        return None, _meta_damage(Msg("không ghi checksum của tệp .docx",
                                      "it lacks the .docx checksum"))
    return value, None


def _record_damage(detail_vi: str, detail_en: str) -> Damage:
    return Damage("record", META_FILE, Msg(
        f"meta.json khác bản ghi trong danh mục ({detail_vi}): meta.json bị sửa sau khi lưu, "
        "hoặc danh mục đã cũ",
        f"meta.json differs from the catalog's record ({detail_en}): meta.json was changed "
        "after filing, or the catalog is stale"))


def _file_damage(folder: Path, name: str, expected: str) -> tuple[Damage | None, str | None]:
    """Hash ``folder/name`` and compare; (damage or None, the sha256 read)."""
    try:
        actual = hash_file(folder / name)
    except FileNotFoundError:
        return Damage("missing-file", name, Msg(f"thiếu tệp {name}", f"file {name} is missing"),
                      expected), None
    except OSError as exc:
        return Damage("unreadable", name, Msg(f"không đọc được tệp {name}: {exc.strerror}",
                                              f"cannot read file {name}: {exc.strerror}"),
                      expected), None
    if actual != expected:
        return Damage("checksum", name, Msg(
            f"tệp {name} không khớp checksum: sha256 trên đĩa {actual} ≠ meta.json {expected}",
            f"file {name} does not match its checksum: sha256 on disk {actual} != meta.json "
            f"{expected}"), expected, actual), actual
    return None, actual


def check_docx(doc: ArchivedDoc, copy_to: Path | None = None) -> DocxCheck:
    """Hash ``doc``'s .docx (copying it to ``copy_to`` when given) and compare it with the
    version's meta.json on disk and with the record ``doc`` came from (the catalog)."""
    damage: list[Damage] = []
    record, problem = disk_record(doc.folder)
    expected: str | None = None
    if problem is not None:
        damage.append(problem)
    else:
        assert record is not None
        expected = str(record["files"][record["docx"]])
        if record["docx"] != doc.docx_path.name or expected != doc.docx_sha256:
            damage.append(_record_damage(
                f".docx {record['docx']} sha256 {expected}, danh mục: {doc.docx_path.name} "
                f"sha256 {doc.docx_sha256}",
                f".docx {record['docx']} sha256 {expected}, catalog: {doc.docx_path.name} "
                f"sha256 {doc.docx_sha256}"))
    reference = expected if expected is not None else doc.docx_sha256
    name = doc.docx_path.name
    actual: str | None = None
    try:
        actual = hash_file(doc.docx_path, copy_to)
    except FileNotFoundError:
        damage.append(Damage("missing-file", name, Msg(f"thiếu tệp {name}",
                                                       f"file {name} is missing"), reference))
    except OSError as exc:
        damage.append(Damage("unreadable", name, Msg(
            f"không đọc được tệp {name}: {exc.strerror}", f"cannot read file {name}: {exc.strerror}"),
            reference))
    if actual is not None and actual != reference:
        damage.append(Damage("checksum", name, Msg(
            f"tệp {name} không khớp checksum: sha256 trên đĩa {actual} ≠ meta.json {reference}",
            f"file {name} does not match its checksum: sha256 on disk {actual} != meta.json "
            f"{reference}"), reference, actual))
    return DocxCheck(doc.id, doc.docx_path, actual, expected, tuple(damage))


def _listing(doc: ArchivedDoc, record: Mapping[str, Any] | None) -> dict[str, str]:
    if record is not None and isinstance(record.get("files"), dict):
        return {str(k): str(v) for k, v in record["files"].items()}
    return {doc.docx_path.name: doc.docx_sha256}


def _bad_name(name: str) -> bool:
    return "/" in name or name in (META_FILE, CACHE_DIR, "", ".", "..")


def damage_of(doc: ArchivedDoc, record: Mapping[str, Any] | None = None) -> list[Damage]:
    """Every problem of ``doc``'s version folder: meta.json read from disk and compared with
    ``record`` (the catalog's copy; without it, with ``doc``), every listed file hashed."""
    damage: list[Damage] = []
    on_disk, problem = disk_record(doc.folder)
    if problem is not None:
        damage.append(problem)
        listed = _listing(doc, record)
    else:
        assert on_disk is not None
        listed = {str(k): str(v) for k, v in on_disk["files"].items()}
        if record is not None and dict(record) != on_disk:
            damage.append(_record_damage("nội dung khác", "the contents differ"))
        elif record is None and (on_disk["docx"] != doc.docx_path.name
                                 or listed[on_disk["docx"]] != doc.docx_sha256):
            damage.append(_record_damage("checksum .docx khác", "the .docx checksum differs"))
    for name, expected in sorted(listed.items()):
        if _bad_name(name):
            damage.append(_meta_damage(Msg(f"tên tệp không hợp lệ: {name}",
                                           f"invalid file name: {name}")))
            continue
        found, _ = _file_damage(doc.folder, name, expected)
        if found is not None:
            damage.append(found)
    return damage


def _indent_extra(items: Any, depth: int) -> int:
    """Characters ``json.dumps(indent=2)`` adds to the compact form of a container whose
    items are ``items``: a newline and indentation before each item and the closing bracket."""
    if not items:
        return 0
    extra = len(items) * (3 + 2 * depth) + 1 + 2 * depth
    for item in items:
        if item.__class__ is dict:
            extra += _indent_extra(item.values(), depth + 1)
        elif item.__class__ is list:
            extra += _indent_extra(item, depth + 1)
    return extra


def meta_size(record: Mapping[str, Any]) -> int:
    """``len(records.meta_json(record))`` computed with the C JSON encoder (the indenting
    encoder is pure Python: 10× slower, too slow for ``list`` at 50,000 documents)."""
    compact = json.dumps(record, ensure_ascii=False, separators=(",", ": "))
    return len(compact.encode("utf-8")) + _indent_extra(record.values(), 0) + 1


def quick_damage(doc: ArchivedDoc, record: Mapping[str, Any]) -> list[Damage]:
    """The cheap check of ``docgen list`` (see the module docstring); ``record`` is the
    catalog's copy of the version's meta.json."""
    folder = str(doc.folder)
    try:
        meta = os.stat(os.path.join(folder, META_FILE))
    except FileNotFoundError:
        return [_meta_damage(Msg("không có tệp", "no such file"))]
    except OSError as exc:
        return [_meta_damage(Msg(str(exc.strerror), str(exc.strerror)))]
    damage: list[Damage] = []
    if meta.st_size != meta_size(record):
        on_disk, problem = disk_record(doc.folder)
        if problem is not None:
            damage.append(problem)
        elif on_disk != dict(record):
            damage.append(_record_damage("nội dung khác", "the contents differ"))
    for name, expected in sorted(_listing(doc, record).items()):
        if _bad_name(name):
            damage.append(_meta_damage(Msg(f"tên tệp không hợp lệ: {name}",
                                           f"invalid file name: {name}")))
            continue
        try:
            info = os.stat(os.path.join(folder, name))
        except FileNotFoundError:
            damage.append(Damage("missing-file", name, Msg(f"thiếu tệp {name}",
                                                           f"file {name} is missing"), expected))
            continue
        except OSError as exc:
            damage.append(Damage("unreadable", name, Msg(
                f"không đọc được tệp {name}: {exc.strerror}",
                f"cannot read file {name}: {exc.strerror}"), expected))
            continue
        if not stat.S_ISREG(info.st_mode):
            damage.append(Damage("unreadable", name, Msg(f"{name} không phải tệp thường",
                                                         f"{name} is not a regular file"),
                                 expected))
        elif info.st_mtime_ns > meta.st_mtime_ns + MTIME_SLACK_NS:
            found, _ = _file_damage(doc.folder, name, expected)
            if found is not None:
                damage.append(found)
    return damage


def list_checked(archive: Archive, kind: str | None = None, cell: str | None = None,
                 topic: str | None = None, date_from: dt.date | None = None,
                 date_to: dt.date | None = None, number: int | str | None = None,
                 include_withdrawn: bool = False, full: bool = False,
                 filt: DocFilter | None = None) -> list[tuple[ArchivedDoc, list[Damage]]]:
    """``archive.list(...)`` with each document's damage: ``quick_damage``, or ``damage_of``
    when ``full``. ``filt`` (docgen.archive.filters), when given, replaces the separate
    conditions: the one filter of list, search, print and export."""
    if filt is None:
        filt = DocFilter(kind=kind, cell=cell, topic=topic, date_from=date_from,
                         date_to=date_to, number=number, include_withdrawn=include_withdrawn)
    checked: list[tuple[ArchivedDoc, list[Damage]]] = []
    if filt.text_query:  # only the search index answers a query: never list more
        raise ValueError("list_checked: a filter with a query needs the search index "
                         "(docgen.search.search_ids, then DocFilter(ids=...))")
    for relpath, record in archive.matching(filt):
        doc = archived(archive.root, relpath, record)
        checked.append((doc, damage_of(doc, record) if full else quick_damage(doc, record)))
    return checked
