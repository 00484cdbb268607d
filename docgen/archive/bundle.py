"""Bundles: one zip file carrying version folders between archives.

Layout: ``docgen-bundle.json`` (format, created_at, docgen_version, members: path →
sha256) and every file of every exported version folder as
``archive/YYYY/MM/<folder>/<file>``. Reading checks the whole bundle before anything
is written.

A bundle is untrusted input. Nothing in it is believed before it is checked, and no
check needs memory in proportion to what the zip headers claim (docs/archive.md,
"Bundles"):

- the central directory is counted from the raw file before ``zipfile`` builds an
  object for every entry (``MAX_MEMBERS``);
- every entry is checked from its header before a byte of it is decompressed: safe
  name, no duplicate, no symlink, no encryption, stored or deflate only, total size
  (``MAX_TOTAL_BYTES``), compression ratio of each member and of the whole bundle
  (``MAX_RATIO`` above ``RATIO_FROM_BYTES``), no overlapping members;
- members are hashed and copied in blocks of ``BLOCK`` bytes; a member that
  decompresses to more (or fewer) bytes than its header declares is refused;
- only the manifest and the meta.json files are read whole, each after its declared
  size is checked (``MAX_MANIFEST_BYTES``, ``MAX_META_BYTES``) and never more than that
  size plus one byte; of each meta.json only the few fields the merge needs are kept.
"""

from __future__ import annotations

import contextlib
import copy
import json
import mmap
import os
import re
import shutil
import stat
import struct
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import docgen
from docgen.archive import audit
from docgen.archive.catalog import Catalog
from docgen.archive.fsutil import (
    replace_via_temp,
    sha256_blocks,
    sha256_bytes,
    sha256_file,
    temp_path,
)
from docgen.archive.ids import parse_folder
from docgen.archive.records import CACHE_DIR, META_FILE, meta_of
from docgen.archive.verify import Problem
from docgen.errors import ArchiveError
from docgen.i18n import Msg

if TYPE_CHECKING:
    from docgen.archive.filters import DocFilter
    from docgen.archive.store import Archive

MANIFEST = "docgen-bundle.json"
FORMAT = "docgen-bundle/1"
# archive/YYYY/MM/<version folder>/<file>; a file name is what docgen writes: ASCII
# letters, digits, "._-", not starting with a dot (no "..", no hidden files).
MEMBER_RE = re.compile(
    r"^archive/(\d{4}/(?:0[1-9]|1[0-2])/[^/]+)/([A-Za-z0-9][A-Za-z0-9._-]*)$")

KiB = 1 << 10
MiB = 1 << 20
GiB = 1 << 30
BLOCK = 1 * MiB  # members are read, hashed and copied in blocks of this size

# Limits of a bundle (docs/archive.md, "Bundles"). A bundle written by `docgen export`
# stays within them; read_bundle(path, Limits(...)) overrides them (tests).
MAX_MEMBERS = 100_000  # zip entries: 25,000 version folders of 4 files
MAX_TOTAL_BYTES = 20 * GiB  # uncompressed size of all members together
MAX_RATIO = 200  # uncompressed:compressed, of one member and of the whole bundle …
RATIO_FROM_BYTES = 1 * MiB  # … when it is larger than this uncompressed
MAX_MANIFEST_BYTES = 32 * MiB  # docgen-bundle.json (read whole)
MAX_META_BYTES = 1 * MiB  # each meta.json (read whole)
# The manifest is one object holding a list (folders) and an object (members): more
# brackets, or more commas than the members and folders of the largest bundle need, is
# not a manifest (and would make json.loads build millions of objects).
_MANIFEST_CONTAINERS = 16
_MAX_TEXT = 1024  # number_text and series kept from each meta.json
_NAME_PART_MAX = 255  # bytes of one path component (the usual filesystem limit)

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL_HEADER = 46  # fixed part of a central directory header
_ENCRYPTED = 0x1 | 0x40  # traditional or strong encryption


@dataclass(frozen=True)
class Limits:
    """What a bundle may hold; the defaults are the module constants."""

    members: int = MAX_MEMBERS
    total_bytes: int = MAX_TOTAL_BYTES
    ratio: float = MAX_RATIO
    ratio_from: int = RATIO_FROM_BYTES
    manifest_bytes: int = MAX_MANIFEST_BYTES
    meta_bytes: int = MAX_META_BYTES


LIMITS = Limits()

_BUNDLE_HINT = Msg("tạo lại gói bằng `docgen export -o GÓI.zip` từ kho gốc",
                   "make the bundle again with `docgen export -o BUNDLE.zip` from the source")
_LIMIT_HINT = Msg(
    "gói do `docgen export` tạo ra luôn nằm trong các giới hạn này (docs/archive.md, mục "
    "Bundles); đừng nhập gói không rõ nguồn gốc. Nếu kho gốc thật sự lớn như vậy, xuất "
    "thành nhiều gói nhỏ hơn, vd. `docgen export --from 1/1/2025 --to 31/12/2025 -o "
    "2025.zip`",
    "bundles written by `docgen export` always stay within these limits (docs/archive.md, "
    "section Bundles); do not import a bundle of unknown origin. If the source archive "
    "really is that large, export it as several smaller bundles, e.g. `docgen export "
    "--from 1/1/2025 --to 31/12/2025 -o 2025.zip`")
# What reading a member can raise besides our own ArchiveError.
_READ_ERRORS = (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError,
                RuntimeError, KeyError, ValueError)


@dataclass
class Bundle:
    path: Path
    folders: dict[str, dict[str, str]]  # relpath → {file name → sha256}
    # relpath → the meta.json fields the merge needs: id, version, number, number_text,
    # series, draft, numbered, files (the whole meta.json is read again, verified, when
    # the folder is copied)
    records: dict[str, dict[str, Any]]
    sizes: dict[str, int] = field(default_factory=dict)  # member → checked size


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)  # relpaths written
    unchanged: list[str] = field(default_factory=list)  # already present, identical
    conflicts: list[Problem] = field(default_factory=list)  # reported, never written

    @property
    def ok(self) -> bool:
        return not self.conflicts


# ---------------------------------------------------------------------- messages
def _shown(name: str) -> str:
    """A member name fit for a message: escaped when not printable, shortened."""
    shown = name if name.isprintable() else ascii(name)
    return shown if len(shown) <= 200 else shown[:200] + "…"


def _size(n: float) -> tuple[str, str]:
    """(Vietnamese, English) human size: "1,5 GiB", "1.5 GiB"."""
    for unit, scale in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if n >= scale:
            text = f"{n / scale:.1f}".removesuffix(".0")
            return f"{text.replace('.', ',')} {unit}", f"{text} {unit}"
    return f"{int(n)} byte", f"{int(n)} bytes"


def _not_bundle(path: Path, detail: str, detail_en: str) -> ArchiveError:
    return ArchiveError(Msg(f"{path.name} không phải gói docgen hợp lệ: {detail}",
                            f"{path.name} is not a valid docgen bundle: {detail_en}"),
                        file=str(path), hint=_BUNDLE_HINT)


def _corrupt(path: Path, member: str, detail: str, detail_en: str) -> ArchiveError:
    return ArchiveError(
        Msg(f"gói {path.name} bị hỏng, thành phần {_shown(member)}: {detail}; "
            "chưa ghi gì vào kho",
            f"bundle {path.name}: corrupted bundle member {_shown(member)}: {detail_en}; "
            "nothing written"),
        file=str(path), hint=_BUNDLE_HINT)


def _refused(path: Path, detail: str, detail_en: str) -> ArchiveError:
    """A bundle over a limit (docs/archive.md, "Bundles")."""
    return ArchiveError(Msg(f"gói {path.name} bị từ chối: {detail}; chưa ghi gì vào kho",
                            f"bundle {path.name} refused: {detail_en}; nothing written"),
                        file=str(path), hint=_LIMIT_HINT)


def _too_big(path: Path, member: str, size: int, limit: int) -> ArchiveError:
    (vi, en), (limit_vi, limit_en) = _size(size), _size(limit)
    return _refused(path, f"thành phần {_shown(member)} dài {vi}, vượt giới hạn {limit_vi} "
                          "của tệp này",
                    f"member {_shown(member)} is {en}, over the limit of {limit_en} for "
                    "this file")


def _lying(path: Path, member: str, declared: int) -> ArchiveError:
    vi, en = (f" ({v})" for v in _size(declared)) if declared >= KiB else ("", "")
    return _refused(path, f"thành phần {_shown(member)} giải nén ra nhiều hơn {declared} byte"
                          f"{vi} mà tiêu đề zip của nó khai báo",
                    f"member {_shown(member)} decompresses to more than the {declared} bytes"
                    f"{en} its zip header declares")


# ------------------------------------------------------------------------ export
def write_bundle(root: Path, relpaths: list[str], out: Path) -> Path:
    """Zip the version folders ``relpaths`` (cache/ left out) into ``out`` atomically.

    A bundle that ``read_bundle`` would refuse (too many members, too large) is not
    written: an ArchiveError says so and asks for a narrower export.
    """
    entries: list[tuple[Path, str]] = []
    total = 0
    for relpath in relpaths:
        folder = root / relpath
        for entry in sorted(folder.iterdir()):
            if entry.name == CACHE_DIR or not entry.is_file():
                continue
            entries.append((entry, f"archive/{relpath}/{entry.name}"))
            total += entry.stat().st_size
    if len(entries) + 1 > LIMITS.members or total > LIMITS.total_bytes:
        raise _export_too_large(out, len(entries) + 1, total)
    def fill(part: Path) -> None:
        members: dict[str, str] = {}
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
            for entry, name in entries:
                members[name] = sha256_file(entry)
                zf.write(entry, name)
            manifest = {"format": FORMAT, "created_at": audit.utc_now(),
                        "docgen_version": docgen.__version__, "folders": relpaths,
                        "members": members}
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            if len(data) > LIMITS.manifest_bytes:
                raise _export_too_large(out, len(entries) + 1, total)
            zf.writestr(MANIFEST, data)

    replace_via_temp(out, fill, sync=True, suffix=".part")
    return out


def export_bundle(archive: Archive, out: Path, filt: DocFilter, *,
                  allow_empty: bool = True) -> Path:
    """Write a bundle of every version of the documents ``filt`` designates (the rule of
    docgen.archive.filters, as ``list`` and ``search`` apply it) to ``out``. Unless
    ``allow_empty`` (``docgen export`` does not), ArchiveError (exit 6, nothing written)
    when it designates none: an empty bundle is never what a person asked for."""
    if filt.text_query:  # only the search index answers a query: never export more
        raise ValueError("export_bundle: a filter with a query needs the search index "
                         "(docgen.search.search_ids, then DocFilter(ids=...))")
    ids = [record["id"] for _, record in archive.matching(filt)]
    if not ids and not allow_empty:
        from docgen.archive.filters import no_match

        raise no_match(Msg("xuất", "export"))
    relpaths = [doc.folder.relative_to(archive.root).as_posix()
                for doc_id in ids for doc in archive.history(doc_id)]
    return write_bundle(archive.root, relpaths, out)


def _export_too_large(out: Path, members: int, total: int) -> ArchiveError:
    (vi, en), (limit_vi, limit_en) = _size(total), _size(LIMITS.total_bytes)
    return ArchiveError(
        Msg(f"gói {out.name} quá lớn để nhập lại: {members} thành phần, {vi} (giới hạn "
            f"{LIMITS.members} thành phần, {limit_vi}); chưa ghi gì",
            f"bundle {out.name} would be too large to import: {members} members, {en} "
            f"(limits {LIMITS.members} members, {limit_en}); nothing written"),
        file=str(out),
        hint=Msg("xuất thành nhiều gói nhỏ hơn bằng bộ lọc, vd. `--from 1/1/2025 --to "
                 "31/12/2025` hoặc `--kind`, `--cell`",
                 "export several smaller bundles with the filters, e.g. `--from 1/1/2025 "
                 "--to 31/12/2025` or `--kind`, `--cell`"))


# ------------------------------------------------------------------------ import
def read_bundle(path: Path, limits: Limits | None = None) -> Bundle:
    """Open and fully check a bundle; any problem is an ArchiveError (nothing written)."""
    limits = limits or LIMITS
    if not path.is_file():
        raise ArchiveError(Msg(f"không tìm thấy gói {path}", f"bundle {path} not found"),
                           file=str(path), hint=_BUNDLE_HINT)
    with _opened(path, limits) as (zf, size):
        try:
            return _checked(path, zf, size, limits)
        except zipfile.BadZipFile as exc:
            raise _not_bundle(path, f"không phải tệp zip ({exc})",
                              f"not a zip file ({exc})") from exc


@contextlib.contextmanager
def _opened(path: Path, limits: Limits) -> Iterator[tuple[zipfile.ZipFile, int]]:
    """The bundle as a ZipFile (and its size), once its entry count is within limits."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise _not_bundle(path, f"không đọc được ({exc})", f"unreadable ({exc})") from exc
    with handle:
        size = os.fstat(handle.fileno()).st_size
        try:
            entries = count_entries(handle, size, limits.members)
            if entries > limits.members:  # before zipfile builds an object per entry
                raise _too_many(path, limits.members)
            zf = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, struct.error) as exc:
            raise _not_bundle(path, f"không phải tệp zip ({exc})",
                              f"not a zip file ({exc})") from exc
        with zf:
            if len(zf.infolist()) > limits.members:
                raise _too_many(path, limits.members)
            yield zf, size


def _too_many(path: Path, limit: int) -> ArchiveError:
    return _refused(path, f"có hơn {limit} thành phần (giới hạn {limit})",
                    f"it has more than {limit} members (limit {limit})")


def count_entries(handle: IO[bytes], size: int, limit: int) -> int:
    """Central directory headers in the file, counted up to ``limit + 1``.

    Read from the raw file, before ``zipfile`` builds an object for each entry (about
    700 bytes apiece): a bundle of millions of empty entries is refused without that
    cost. Returns 0 when the end records are not found (zipfile then says why).
    """
    tail_size = min(size, _EOCD.size + 0xFFFF)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _EOCD.size > len(tail):
        return 0
    end = size - tail_size + at
    _, _, _, _, declared, cd_size, _, _ = _EOCD.unpack_from(tail, at)
    if at >= _EOCD64_LOCATOR.size and \
            tail[at - _EOCD64_LOCATOR.size:at - _EOCD64_LOCATOR.size + 4] == b"PK\x06\x07":
        end -= _EOCD64_LOCATOR.size + _EOCD64.size
        handle.seek(end)
        record = handle.read(_EOCD64.size)
        if len(record) < _EOCD64.size or record[:4] != b"PK\x06\x06":
            return 0
        _, _, _, _, _, _, _, declared, cd_size, _ = _EOCD64.unpack(record)
    if declared > limit:
        return int(declared)
    start = end - cd_size
    if start < 0:
        return 0
    count, offset = 0, 0
    handle.seek(start)
    while count <= limit and offset + _CENTRAL_HEADER <= cd_size:
        header = handle.read(_CENTRAL_HEADER)
        if len(header) < _CENTRAL_HEADER or header[:4] != b"PK\x01\x02":
            break
        name, extra, comment = struct.unpack_from("<3H", header, 28)
        handle.seek(name + extra + comment, os.SEEK_CUR)
        offset += _CENTRAL_HEADER + name + extra + comment
        count += 1
    return count


def _manifest(path: Path, zf: zipfile.ZipFile, limits: Limits) -> dict[str, str]:
    info = zf.getinfo(MANIFEST)
    data = _read_small(path, zf, info, limits.manifest_bytes)
    if data.count(b"{") + data.count(b"[") > _MANIFEST_CONTAINERS \
            or data.count(b",") > 2 * limits.members + _MANIFEST_CONTAINERS:
        raise _not_bundle(path, f"{MANIFEST} có cấu trúc lạ (nhiều giá trị hơn một danh mục "
                                f"của {limits.members} thành phần)",
                          f"{MANIFEST} has an unexpected structure (more values than the "
                          f"manifest of {limits.members} members)")
    try:
        manifest = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise _not_bundle(path, f"{MANIFEST} hỏng", f"{MANIFEST} is damaged") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
            or not isinstance(manifest.get("members"), dict):
        raise _not_bundle(path, f"{MANIFEST} không đúng định dạng {FORMAT}",
                          f"{MANIFEST} is not in the {FORMAT} format")
    return {str(k): str(v) for k, v in manifest["members"].items()}


def _checked(path: Path, zf: zipfile.ZipFile, size: int, limits: Limits) -> Bundle:
    infos = zf.infolist()
    if MANIFEST not in {info.filename for info in infos}:
        raise _not_bundle(path, f"thiếu {MANIFEST}", f"{MANIFEST} is missing")
    _check_entries(path, infos, size, limits)  # headers only: nothing decompressed yet
    members = _manifest(path, zf, limits)
    names = {info.filename for info in infos} - {MANIFEST}
    if names != set(members):
        odd = sorted(names ^ set(members))[:3]
        raise _corrupt(path, ", ".join(odd), "không khớp danh mục", "does not match the manifest")
    folders: dict[str, dict[str, str]] = defaultdict(dict)
    for name, digest in sorted(members.items()):
        relpath, file = _member_parts(path, name)
        folders[relpath][file] = digest
    records: dict[str, dict[str, Any]] = {}
    for name, digest in sorted(members.items()):
        relpath, file = _member_parts(path, name)
        info = zf.getinfo(name)
        if file != META_FILE:
            if _member_sha(path, zf, info) != digest:
                raise _corrupt(path, name, "sai checksum sha256", "sha256 mismatch")
            continue
        data = _read_small(path, zf, info, limits.meta_bytes)
        if sha256_bytes(data) != digest:
            raise _corrupt(path, name, "sai checksum sha256", "sha256 mismatch")
        records[relpath] = _record(path, name, relpath, data, folders[relpath])
    for relpath in folders:
        if relpath not in records:
            raise _corrupt(path, f"archive/{relpath}/{META_FILE}", "thiếu meta.json",
                           "meta.json is missing")
    return Bundle(path, dict(folders), records, {info.filename: info.file_size for info in infos})


def _check_entries(path: Path, infos: list[zipfile.ZipInfo], size: int, limits: Limits) -> None:
    """Every entry, from its header: name, kind, method, sizes, ratios."""
    seen: set[str] = set()
    total = packed = 0
    ratio_vi = f"{limits.ratio:g}:1"
    for info in infos:
        name = info.filename
        key = name.casefold()  # "A.docx" and "a.docx" are one file on Windows and macOS
        if key in seen:
            raise _corrupt(path, name, "tên trùng với một thành phần khác",
                           "duplicate member name")
        seen.add(key)
        if name != MANIFEST:
            _member_parts(path, name)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _corrupt(path, name, "là liên kết tượng trưng (symlink)", "is a symbolic link")
        if info.flag_bits & _ENCRYPTED:
            raise _corrupt(path, name, "bị mã hóa", "is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _corrupt(path, name, f"nén bằng phương pháp {info.compress_type} (docgen chỉ "
                                       "nhận stored và deflate)",
                           f"uses compression method {info.compress_type} (docgen accepts "
                           "stored and deflate only)")
        if info.file_size > limits.ratio_from and \
                info.file_size > limits.ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            (vi, en), (cvi, cen) = _size(info.file_size), _size(info.compress_size)
            raise _refused(path, f"thành phần {_shown(name)} nén {ratio:.0f}:1 ({vi} trong "
                                 f"{cvi}), vượt giới hạn {ratio_vi} (dấu hiệu zip bomb)",
                           f"member {_shown(name)} is compressed {ratio:.0f}:1 ({en} in "
                           f"{cen}), over the limit of {ratio_vi} (a zip bomb)")
        total += info.file_size
        packed += info.compress_size
        if total > limits.total_bytes:
            (vi, en), (lvi, len_) = _size(total), _size(limits.total_bytes)
            raise _refused(path, f"tổng dung lượng giải nén đã tới {vi} ở thành phần "
                                 f"{_shown(name)}, vượt giới hạn {lvi}",
                           f"the members' total uncompressed size reaches {en} at member "
                           f"{_shown(name)}, over the limit of {len_}")
    if packed > size:
        raise _refused(path, "các thành phần chồng lên nhau trong tệp zip (tổng dung lượng "
                             "nén lớn hơn cả tệp)",
                       "its members overlap in the zip file (their compressed sizes add up "
                       "to more than the file)")
    if total > limits.ratio_from and total > limits.ratio * max(size, 1):
        (vi, en), (fvi, fen) = _size(total), _size(size)
        raise _refused(path, f"cả gói nén {total / max(size, 1):.0f}:1 ({vi} trong tệp {fvi}), "
                             f"vượt giới hạn {ratio_vi} (dấu hiệu zip bomb)",
                       f"the whole bundle is compressed {total / max(size, 1):.0f}:1 ({en} in "
                       f"a file of {fen}), over the limit of {ratio_vi} (a zip bomb)")


def _member_parts(path: Path, name: str) -> tuple[str, str]:
    """(relpath of the version folder, file name) of a well-formed member name."""
    parts = name.split("/")
    why: tuple[str, str] | None = None
    if "\\" in name:
        why = "có dấu gạch ngược \\", "contains a backslash"
    elif name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        why = "là đường dẫn tuyệt đối", "is an absolute path"
    elif ".." in parts:
        why = "có thành phần đường dẫn ..", "has a .. path component"
    elif not name.isprintable():
        why = "có ký tự điều khiển", "contains a control character"
    elif any(len(part.encode("utf-8")) > _NAME_PART_MAX for part in parts):
        why = f"có phần dài hơn {_NAME_PART_MAX} byte", \
            f"has a part longer than {_NAME_PART_MAX} bytes"
    match = MEMBER_RE.match(name)
    if why is None and (match is None or match[2] == CACHE_DIR
                        or parse_folder(match[1].rsplit("/", 1)[-1]) is None):
        why = "không có dạng archive/YYYY/MM/<thư mục phiên bản>/<tệp>", \
            "not of the form archive/YYYY/MM/<version folder>/<file>"
    if why is not None or match is None:
        vi, en = why or ("", "")
        raise _corrupt(path, name, f"tên không hợp lệ ({vi})", f"invalid member name ({en})")
    return match[1], match[2]


def _blocks(path: Path, zf: zipfile.ZipFile, name: str, declared: int) -> Iterator[bytes]:
    """The member's bytes in blocks of at most BLOCK, exactly ``declared`` of them.

    zipfile itself stops at the size in the header, so a member that holds more than it
    declares would pass unseen: it is opened with one byte more allowed, and that byte
    (or a CRC failure only past the declared size) means the header lies.
    """
    done = 0
    try:
        info = zf.getinfo(name)
        probe = copy.copy(info)
        probe.file_size = declared + 1
        with zf.open(probe) as src:
            while block := src.read(BLOCK):
                done += len(block)
                if done > declared:
                    raise _lying(path, name, declared)
                yield block
    except zipfile.BadZipFile as exc:
        if _holds_declared(zf, name, declared):  # the CRC failed only on the extra byte
            raise _lying(path, name, declared) from exc
        raise _corrupt(path, name, f"không đọc được ({exc})", f"unreadable ({exc})") from exc
    except _READ_ERRORS as exc:
        raise _corrupt(path, name, f"không đọc được ({exc})", f"unreadable ({exc})") from exc
    if done != declared:
        raise _corrupt(path, name, f"ngắn hơn {declared} byte mà tiêu đề zip khai báo",
                       f"shorter than the {declared} bytes its zip header declares")


def _holds_declared(zf: zipfile.ZipFile, name: str, declared: int) -> bool:
    """Whether the member's first ``declared`` bytes read back with a good CRC."""
    try:
        info = copy.copy(zf.getinfo(name))
        info.file_size = declared
        with zf.open(info) as src:
            while src.read(BLOCK):
                pass
    except _READ_ERRORS:
        return False
    return True


def _member_sha(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    return sha256_blocks(_blocks(path, zf, info.filename, info.file_size))


def _read_small(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member read whole: its declared size checked first, at most that plus one byte read."""
    if info.file_size > limit:
        raise _too_big(path, info.filename, info.file_size, limit)
    return b"".join(_blocks(path, zf, info.filename, info.file_size))


def _record(path: Path, member: str, relpath: str, data: bytes, files: dict[str, str]
            ) -> dict[str, Any]:
    """The fields of a checked meta.json that the merge needs (the rest is not kept)."""
    parsed = parse_folder(relpath.rsplit("/", 1)[-1])
    try:
        record = json.loads(data)
        meta_of(record)
        listed = dict(record["files"])
        number = record.get("number")
        if isinstance(number, bool) or not isinstance(number, int | None):
            raise TypeError("number is not an integer")
        summary: dict[str, Any] = {"id": str(record["id"]), "version": int(record["version"]),
                   "number": number, "number_text": str(record.get("number_text") or ""),
                   "series": str(record["series"] if number is not None
                                 else record.get("series", "")),
                   "draft": bool(record.get("draft")),
                   "numbered": bool(record.get("numbered", True)), "files": listed}
        if max(len(summary["number_text"]), len(summary["series"])) > _MAX_TEXT:
            raise ValueError(f"number_text or series longer than {_MAX_TEXT} characters")
    except (KeyError, ValueError, TypeError, AttributeError, RecursionError) as exc:
        raise _corrupt(path, member, f"meta.json không hợp lệ ({exc})",
                       f"invalid meta.json ({exc})") from exc
    expected = {**listed, META_FILE: files.get(META_FILE, "")}
    if parsed is None or summary["id"] != parsed.id or expected != files:
        raise _corrupt(path, member, "tệp trong thư mục không khớp meta.json",
                       "the folder's files do not match its meta.json")
    return summary


# ------------------------------------------------------------------------- merge
def merge_bundle(archive: Archive, cat: Catalog, bundle: Bundle, user: str) -> ImportReport:
    """Write the bundle's new version folders; identical ones are skipped (idempotent)."""
    report = ImportReport()
    by_id: dict[str, list[str]] = defaultdict(list)
    for relpath, record in bundle.records.items():
        by_id[record["id"]].append(relpath)
    with _opened(bundle.path, LIMITS) as (zf, _):
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
    with _verified_copies(archive.root, zf, bundle, relpath, report) as (payload, full):
        archive.publish_files(relpath, payload, full, {
            "at": audit.utc_now(), "user": user, "op": "import", "id": full["id"],
            "version": full["version"], "folder": relpath, "bundle": bundle.path.name,
            "number": full.get("number_text") or None, "files": full["files"]})
    cat.add(relpath, full)
    report.imported.append(relpath)
    return None


@contextlib.contextmanager
def _verified_copies(root: Path, zf: zipfile.ZipFile, bundle: Bundle, relpath: str,
                     report: ImportReport) -> Iterator[tuple[dict[str, bytes], dict[str, Any]]]:
    """The folder's files, each streamed from the bundle into ``<root>/.tmp`` in blocks
    with its sha256 checked on the way, as read-only maps of those files (no member is
    held in memory), with meta.json (small, size-checked) as bytes and parsed.

    ``Archive.publish_files`` copies them into the version folder; the temporary files
    are removed afterwards (a crash leaves a stray .tmp entry for ``docgen gc``).
    """
    work = temp_path(root)
    work.mkdir()
    payload: dict[str, bytes] = {}
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, work, ignore_errors=True)
        for name, digest in bundle.folders[relpath].items():
            member = f"archive/{relpath}/{name}"
            dest = work / name
            _stream_to(bundle, zf, member, dest, digest, len(report.imported))
            if name == META_FILE:
                payload[name] = dest.read_bytes()  # at most MAX_META_BYTES (checked)
            elif dest.stat().st_size == 0:
                payload[name] = b""
            else:
                handle = stack.enter_context(dest.open("rb"))
                view = stack.enter_context(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
                payload[name] = cast(bytes, view)  # a bytes-like view: what publish_files writes
        full = json.loads(payload[META_FILE])
        yield payload, full


def _stream_to(bundle: Bundle, zf: zipfile.ZipFile, member: str, dest: Path, digest: str,
               imported: int) -> None:
    """Copy one member into a new file ``dest`` in blocks, checking its sha256."""
    with open(dest, "xb") as out:  # a new file, binary
        copied = sha256_blocks(_blocks(bundle.path, zf, member, bundle.sizes[member]), out.write)
    if copied != digest:
        raise ArchiveError(
            Msg(f"gói {bundle.path.name} đã thay đổi sau khi được kiểm tra: thành phần "
                f"{_shown(member)} sai checksum sha256; phiên bản này không được ghi, "
                f"{imported} phiên bản nhập trước đó vẫn giữ",
                f"bundle {bundle.path.name} changed after it was checked: member "
                f"{_shown(member)} has a wrong sha256; this version was not written, the "
                f"{imported} versions imported before it are kept"),
            file=str(bundle.path), hint=_BUNDLE_HINT)


def _same_files(target: Path, files: dict[str, str]) -> bool:
    try:
        return all(sha256_file(target / name) == digest for name, digest in files.items())
    except OSError:
        return False


def _number_conflict(archive: Archive, cat: Catalog, record: dict[str, Any]) -> Problem | None:
    number = record.get("number")
    if number is None or record.get("draft") or not record.get("numbered", True):
        return None
    from docgen.archive.store import released  # a withdrawn imported paper gave it back

    if released(record):
        return None
    for relpath, holder in cat.holders_of(record["series"], int(number)):
        if holder["id"] != record["id"] and not released(holder):
            return _conflict(record, archive.root / relpath,
                             f"số {record.get('number_text')} đã dùng cho văn bản {holder['id']}",
                             f"number {record.get('number_text')} is already used by "
                             f"document {holder['id']}")
    for relpath in archive._damaged(cat, str(record["series"])).get(int(number), []):
        parsed = parse_folder(relpath.rsplit("/", 1)[-1])
        if parsed is None or parsed.id != record["id"]:
            return _conflict(record, archive.root / relpath,
                             f"số {record.get('number_text')} có thể thuộc thư mục hỏng "
                             f"{relpath} (meta.json không đọc được; chạy docgen verify)",
                             f"number {record.get('number_text')} may belong to the damaged "
                             f"folder {relpath} (unreadable meta.json; run docgen verify)")
    return None


def _conflict(record: dict[str, Any], where: Path, vi: str, en: str) -> Problem:
    return Problem("conflict", Msg(f"xung đột, không nhập: {vi}",
                                   f"conflict, not imported: {en}"),
                   doc_id=str(record["id"]), path=where)
