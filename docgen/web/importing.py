"""Importing old papers on the web (issue 13): the same dry-run table, corrections and
confirmation as ``docgen import FOLDER --dry-run`` / ``--metadata``.

1. ``GET /import``: an upload form (several files, or a .zip of a folder), the cell the
   papers belong to and the legacy encoding.
2. ``POST /import``: the files are stored in a private staging folder
   ``<archive>/.docgen/web/imports/<token>/`` (a .zip unpacked there under limits: number
   of files, total size, compression ratio; no absolute names, no ``..``, no symbolic
   links), the dry run reads them (``docgen.importing.importer.run_import``) and the plan
   is kept beside the files in ``job.json``, which names the user the token belongs to
   (any other user gets 404 for it).
3. ``GET /import/<token>``: the plan as a table, one row per file, with inputs to correct
   the kind, number, date, cell and title, or to leave a file out.
4. ``POST /import/<token>/confirm``: the corrections (only the values the user changed)
   become ``metadata.corrections_of`` rows keyed by each file's sha256, checked before
   anything is written (a bad value: the table again with the message beside its row);
   the real import runs, its report replaces the plan in ``job.json`` and the uploaded
   files are deleted. A second confirm (a double click) waits for the first one and shows
   its report: nothing is imported twice.

Staging folders untouched for a day are removed on every import request (one ``stat`` a
folder). A secretary imports only into one of their cells (the run's ``cell`` is that
cell's id, so papers printed with another name land there and are flagged, and a
correction may name only their cells); committee staff and the administrator import into
any cell or as printed on the paper. The server checks it at each step.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import secrets
import shutil
import stat
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from werkzeug.datastructures import FileStorage

from docgen.cells import CellEntry
from docgen.errors import DocgenError, InputError
from docgen.fsio import replace_via_temp
from docgen.i18n import Msg
from docgen.web.app import MAX_UPLOAD, T, current_user, reader, say, settings_for_write
from docgen.web.reads import NotVisible

bp = Blueprint("importing", __name__)

STAGING = Path(".docgen") / "web" / "imports"
TTL = 24 * 3600.0  # seconds a staging folder left alone is kept
JOB = "job.json"
FILES = "files"
LOCK = "job.lock"
MAX_FILES = 1000  # files of one import, a zip's members included
MAX_UNPACKED = 512 * 1024 * 1024  # bytes the zips of one import unpack to
MAX_RATIO = 200  # uncompressed:compressed of one zip member …
RATIO_FROM = 1024 * 1024  # … larger than this
BLOCK = 1 << 20
MAX_NAME = 150  # characters of one file or folder name
READERS = ("committee", "admin")  # import into any cell, or as printed
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
_PREFIX = re.compile(r"^.*?, (?:dòng|line) \d+, (?:cột|column) [^:]*: ")
_BAD_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')

FORMATS = (".docx", ".doc", ".odt", ".rtf", ".txt", ".pdf", ".png", ".jpg", ".jpeg", ".tif",
           ".tiff", ".zip")
ENCODINGS: dict[str, Msg] = {
    "auto": Msg("Tự nhận biết", "Detect"),
    "unicode": Msg("Unicode", "Unicode"),
    "tcvn3": Msg("TCVN3 (.VnTime, ABC)", "TCVN3 (.VnTime, ABC)"),
    "vni": Msg("VNI (VNI-Times)", "VNI (VNI-Times)"),
    "viqr": Msg("VIQR (chỉ khi chắc chắn)", "VIQR (only when sure)"),
}
STATUS: dict[str, Msg] = {
    "planned": Msg("sẽ nhập", "to import"), "imported": Msg("đã nhập", "imported"),
    "duplicate": Msg("đã có trong kho", "already there"), "skipped": Msg("bỏ qua", "skipped"),
    "failed": Msg("lỗi", "failed"),
}
FIELDS = ("kind", "number", "date", "cell", "title")


# ------------------------------------------------------------------ the staging folder
def staging_root(archive_root: Path) -> Path:
    """The folder of every upload waiting for its confirmation (0700)."""
    folder = archive_root / STAGING
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)
    return folder


def sweep(archive_root: Path, ttl: float = TTL, now: float | None = None) -> list[str]:
    """Remove the staging folders nobody touched for ``ttl`` seconds; their tokens."""
    folder = archive_root / STAGING
    now = time.time() if now is None else now
    gone: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return gone
    for entry in entries:
        with contextlib.suppress(OSError):
            if now - entry.stat(follow_symlinks=False).st_mtime > ttl:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
                gone.append(entry.name)
    return gone


@dataclass
class Job:
    """One upload: whose it is, how it is read, its plan and (once confirmed) its report."""

    token: str
    folder: Path
    user: str
    cell: str  # a cell id, or "" (as printed on the paper)
    encoding: str
    names: list[str]  # the top-level files and folders (a zip's) in upload order
    plan: list[dict[str, Any]] = field(default_factory=list)
    report: list[dict[str, Any]] | None = None
    summary: dict[str, int] = field(default_factory=dict)
    notes: list[list[str]] = field(default_factory=list)  # [vi, en] of the index's notes
    created: float = 0.0

    @property
    def files(self) -> Path:
        return self.folder / FILES

    def to_json(self) -> dict[str, Any]:
        return {"user": self.user, "cell": self.cell, "encoding": self.encoding,
                "names": self.names, "plan": self.plan, "report": self.report,
                "summary": self.summary, "notes": self.notes, "created": self.created}

    def save(self) -> None:
        data = json.dumps(self.to_json(), ensure_ascii=False, indent=1).encode("utf-8")

        def fill(part: Path) -> None:
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(data)

        replace_via_temp(self.folder / JOB, fill)


def load_job(archive_root: Path, token: str, login: str) -> Job | None:
    """The upload ``token`` of ``login`` (None: no such upload, or another user's)."""
    if not _TOKEN.fullmatch(token):
        return None
    folder = archive_root / STAGING / token
    try:
        if time.time() - folder.stat().st_mtime > TTL:  # left for the next sweep
            return None
        data = json.loads((folder / JOB).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("user") != login:
        return None
    return Job(token, folder, login, str(data.get("cell") or ""), str(data.get("encoding") or "auto"),
               [str(n) for n in data.get("names") or []], list(data.get("plan") or []),
               data.get("report"), dict(data.get("summary") or {}), list(data.get("notes") or []),
               float(data.get("created") or 0.0))


@contextlib.contextmanager
def _locked(job: Job) -> Iterator[None]:
    """One confirmation of an upload at a time (a double click waits for the first)."""
    try:
        fd = os.open(job.folder / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:  # cancelled (its folder removed) since it was read
        abort(404)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# ------------------------------------------------------------------ names and zips
def safe_name(name: str, default: str = "tep") -> str:
    """One file or folder name as the user gave it, made harmless: no folder part, no
    control or reserved characters, no leading dots or spaces, at most MAX_NAME long."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = _BAD_CHARS.sub("_", name).strip().lstrip(". ").rstrip(". ")
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        keep = "." + suffix if dot and len(suffix) <= 8 else ""
        name = name[:MAX_NAME - len(keep)].rstrip() + keep
    return name or default


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``… when the folder already holds it (case-insensitively)."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, suffix = name, ""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem} ({n})" + (f".{suffix}" if suffix else "")
    taken.add(candidate.casefold())
    return candidate


@dataclass
class Budget:
    """What one import may still hold."""

    files: int = MAX_FILES
    unpacked: int = MAX_UNPACKED

    def take_file(self, shown: str) -> None:
        self.files -= 1
        if self.files < 0:
            raise InputError(
                Msg(f"quá {MAX_FILES} tệp trong một lần nhập (tới {shown})",
                    f"more than {MAX_FILES} files in one import (at {shown})"),
                hint=Msg("chia thành nhiều lần nhập, mỗi lần một thư mục nhỏ hơn",
                         "import in several goes, one smaller folder each time"))


def _zip_refused(shown: str, vi: str, en: str) -> InputError:
    return InputError(Msg(f"tệp nén {shown}: {vi}", f"the zip file {shown}: {en}"), file=shown,
                      hint=Msg("nén lại thư mục giấy tờ bằng chức năng nén của Windows "
                               "(Send to → Compressed folder) rồi tải lên lại, hoặc tải lên "
                               "từng tệp",
                               "zip the folder of papers again with Windows' own zip "
                               "(Send to → Compressed folder) and upload it again, or upload "
                               "the files one by one"))


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its writer meant it: names without the UTF-8 flag are often
    UTF-8 all the same (7-Zip, macOS); zipfile read them as CP437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("utf-8")
    return unicodedata.normalize("NFC", name)


def _member_parts(shown: str, name: str) -> list[str]:
    """The folders and file name of a member, refused when it climbs out of the folder."""
    clean = name.replace("\\", "/")
    if clean.startswith("/") or re.match(r"^[A-Za-z]:", clean):
        raise _zip_refused(shown, f"thành phần {name!r} là đường dẫn tuyệt đối",
                           f"member {name!r} is an absolute path")
    parts = [p for p in clean.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise _zip_refused(shown, f"thành phần {name!r} trỏ ra ngoài thư mục (..)",
                           f"member {name!r} points outside its folder (..)")
    return parts


def unpack_zip(path: Path, target: Path, shown: str, budget: Budget) -> int:
    """Unpack the zip ``path`` into the new folder ``target``; the files written.

    Everything is checked from the headers before a byte is unpacked: the number of
    members (counted from the raw file, before zipfile builds an object for each), names,
    symbolic links, encryption, methods, sizes and ratios; a member unpacking to more
    than it declares is refused while it is copied. InputError names the problem."""
    from docgen.archive.bundle import count_entries  # raw central directory count

    try:
        handle = path.open("rb")
    except OSError as exc:
        raise _zip_refused(shown, "không đọc được", "cannot be read") from exc
    with handle:
        size = os.fstat(handle.fileno()).st_size
        try:
            if count_entries(handle, size, budget.files) > budget.files:
                raise _zip_refused(shown, f"có quá {MAX_FILES} tệp", f"holds more than {MAX_FILES} files")
            handle.seek(0)
            zf = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
            raise _zip_refused(shown, "không phải tệp zip, hoặc đã hỏng",
                               "is not a zip file, or is damaged") from exc
        with zf:
            plan = _zip_plan(zf, shown, budget)
            target.mkdir()
            written = 0
            for info, parts in plan:
                dest = target.joinpath(*parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                _unpack_member(zf, info, dest, shown)
                written += 1
            return written


def _zip_plan(zf: zipfile.ZipFile, shown: str,
              budget: Budget) -> list[tuple[zipfile.ZipInfo, list[str]]]:
    plan: list[tuple[zipfile.ZipInfo, list[str]]] = []
    taken: dict[tuple[str, ...], set[str]] = {}
    files: dict[tuple[str, ...], str] = {}  # a folder's parts → its name made safe
    for info in zf.infolist():
        name = _member_name(info)
        parts = _member_parts(shown, name)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _zip_refused(shown, f"thành phần {name!r} là liên kết tượng trưng (symlink)",
                               f"member {name!r} is a symbolic link")
        if info.is_dir() or not parts or parts[0] == "__MACOSX":
            continue
        if info.flag_bits & 0x1:
            raise _zip_refused(shown, f"thành phần {name!r} có mật khẩu", f"member {name!r} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _zip_refused(shown, f"thành phần {name!r} nén bằng cách docgen không đọc được",
                               f"member {name!r} uses a compression docgen cannot read")
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _zip_refused(shown, f"thành phần {name!r} nén quá {MAX_RATIO}:1 (dấu hiệu zip bomb)",
                               f"member {name!r} is compressed more than {MAX_RATIO}:1 (a zip bomb)")
        budget.unpacked -= info.file_size
        if budget.unpacked < 0:
            raise _zip_refused(shown, f"giải nén ra quá {MAX_UNPACKED // 2**20} MB",
                               f"unpacks to more than {MAX_UNPACKED // 2**20} MB")
        budget.take_file(f"{shown}/{name}")
        safe: list[str] = []
        for depth, part in enumerate(parts):
            key = tuple(parts[:depth + 1])
            last = depth == len(parts) - 1
            if not last and key in files:
                safe.append(files[key])
                continue
            made = _unique(safe_name(part), taken.setdefault(tuple(safe), set()))
            if not last:
                files[key] = made
            safe.append(made)
        plan.append((info, safe))
    return plan


def _unpack_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, shown: str) -> None:
    done = 0
    try:
        with zf.open(info) as src, open(dest, "xb") as out:
            while block := src.read(BLOCK):
                done += len(block)
                if done > info.file_size:
                    raise _zip_refused(shown, f"thành phần {info.filename!r} dài hơn khai báo",
                                       f"member {info.filename!r} is longer than it declares")
                out.write(block)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError) as exc:
        raise _zip_refused(shown, f"thành phần {info.filename!r} hỏng",
                           f"member {info.filename!r} is damaged") from exc


def _is_zip(name: str, path: Path) -> bool:
    if not name.lower().endswith(".zip"):
        return False
    with path.open("rb") as handle:
        return handle.read(4) in (b"PK\x03\x04", b"PK\x05\x06")


def store_uploads(uploads: list[FileStorage], files: Path) -> list[str]:
    """Copy the uploads into ``files`` (zips unpacked into a folder of their name); the
    top-level names in upload order. InputError for a refused zip or too many files."""
    files.mkdir(parents=True)
    taken: set[str] = set()
    names: list[str] = []
    budget = Budget()
    for upload in uploads:
        shown = safe_name(upload.filename or "")
        budget.take_file(shown)
        name = _unique(shown, taken)
        target = files / name
        with open(target, "xb") as out:
            while block := upload.stream.read(BLOCK):
                out.write(block)
        upload.close()
        if _is_zip(name, target):
            budget.files += 1  # the zip itself is no paper: its members are counted
            packed = target.with_name(f".{name}.upload")
            target.rename(packed)
            try:
                unpack_zip(packed, target, shown, budget)
            finally:
                packed.unlink()
        names.append(name)
    return names


# ------------------------------------------------------------------ who imports where
def _reads_all() -> bool:
    return current_user().role in READERS


def allowed_cells() -> list[CellEntry]:
    """The cells this user may import into (403 when none)."""
    user = current_user()
    if user.role in READERS:
        cells = reader().all_cells()
    elif user.role == "secretary":
        cells = reader().writable_cells()
    else:
        cells = []
    if not cells and user.role not in READERS:
        abort(403)
    return cells


def _check_cell(cell_id: str) -> None:
    """403 unless this user may import into ``cell_id`` ("": as printed)."""
    if cell_id == "":
        if not _reads_all():
            abort(403)
        return
    if cell_id not in {c.id for c in allowed_cells()}:
        abort(403)


def _cell_names(job: Job, row_cell: str = "") -> list[str]:
    """The cells a row may be corrected to: the user's cells (every cell for committee
    staff) and, for them, the one the row already has (an unregistered one read)."""
    names = [c.name for c in allowed_cells()]
    if _reads_all() and row_cell and row_cell not in names:
        names.append(row_cell)
    return names


def _job_of(token: str) -> Job:
    """The user's upload ``token`` (404 otherwise), while they may still import there."""
    job = load_job(g.settings.archive_root, token, current_user().login)
    if job is None:
        abort(404)
    _check_cell(job.cell)
    return job


# ------------------------------------------------------------------ the plan's rows
def _msg(m: Msg) -> list[str]:
    return [m.vi, m.en]


def _shown(path_text: str, files: Path) -> str:
    try:
        return Path(path_text).relative_to(files).as_posix()
    except ValueError:
        return Path(path_text).name


NUMBER_HINT = Msg("kiểm tra số trên giấy; nếu đúng là hai văn bản khác nhau (khác nhiệm kỳ), sửa số "
                  "hoặc ngày ở dòng này rồi bấm “Nhập vào kho”",
                  "check the number on the paper; if these are two different papers (other terms), "
                  "correct the number or the date in this row, then press “Import”")


def _web_words(m: Msg) -> Msg:
    """A library message without the command line's option names (the screen has no --cell)."""
    return Msg(m.vi.replace(" (--cell)", ""), m.en.replace(" (--cell)", ""))


def row_data(row: Any, files: Path) -> dict[str, Any]:
    """What the table shows of one importer row (Msgs kept in both languages)."""
    duplicate: dict[str, str] | None = None
    if row.duplicate_of:
        if str(row.duplicate_of).startswith(str(files)):
            duplicate = {"file": _shown(str(row.duplicate_of), files)}
        else:
            duplicate = {"doc": str(row.duplicate_of)}
    error = row.error
    hint = error.hint if error is not None else None
    if error is not None and error.field == "number" and row.kind:  # a number conflict
        hint = NUMBER_HINT
    return {
        "file": _shown(row.shown, files), "status": row.status, "sha256": row.sha256,
        "read": bool(row.kind), "kind": row.kind,
        "number": row.number_text if row.number is not None else "",
        "date": row.date.isoformat() if row.date else "", "cell": row.cell, "title": row.title,
        "encoding": row.encoding, "ocr": bool(row.ocr), "confidence": round(float(row.confidence), 3),
        "reasons": [_msg(_web_words(m)) for m in row.review],
        "error": _msg(error.message) if error is not None else None,
        "hint": _msg(hint) if hint is not None else None,
        "duplicate_of": duplicate, "doc_id": row.doc_id, "corrected": list(row.corrected),
    }


def _editable(row: dict[str, Any]) -> bool:
    """A row the user may correct: a file that was read (not a copy of known bytes)."""
    return bool(row.get("read") and row.get("sha256"))


def _text(pair: list[str] | None) -> str:
    if not pair:
        return ""
    return pair[1] if getattr(g, "lang", "vi") == "en" else pair[0]


def _kinds() -> list[tuple[str, str]]:
    from docgen.kinds import KINDS, OTHER_KIND, label_of

    return [(k, say(label_of(k))) for k in [*KINDS, OTHER_KIND]]


def _view_row(n: int, row: dict[str, Any], job: Job, values: dict[str, str] | None = None,
              errors: list[str] | None = None) -> dict[str, Any]:
    from docgen.kinds import label_of
    from docgen.vn.dates import vn_date

    values = values or {}
    date = row.get("date") or ""
    view = dict(row)
    view.update({
        "n": n, "status_text": say(STATUS.get(row["status"], Msg(row["status"], row["status"]))),
        "review": bool(row.get("reasons")) and row["status"] in ("planned", "imported"),
        "reasons_text": [_text(r) for r in row.get("reasons") or []],
        "error_text": _text(row.get("error")), "hint_text": _text(row.get("hint")),
        "kind_text": say(label_of(row["kind"])) if row.get("kind") else "",
        "date_text": vn_date(dt.date.fromisoformat(date)) if date else "",
        "confidence_text": f"{row.get('confidence', 0):.0%}" if row.get("read") else "",
        "editable": _editable(row) and job.report is None,
        "errors": errors or [],
        "value": {name: values.get(name, row.get(name) or "") for name in FIELDS},
        "skip": values.get("skip", "") != "",
        "cells": _cell_names(job, row.get("cell") or "") if _editable(row) else [],
        "duplicate": _duplicate_view(row.get("duplicate_of")),
        "doc_url": _doc_url(row.get("doc_id")),
    })
    return view


def _visible(doc_id: str) -> bool:
    try:
        reader().get(doc_id)
    except NotVisible:
        return False
    return True


def _doc_url(doc_id: str | None) -> str:
    if not doc_id or not _visible(doc_id):
        return ""
    return url_for("browse.paper", doc_id=doc_id)


def _duplicate_view(dup: dict[str, str] | None) -> dict[str, str] | None:
    """A duplicate's other copy: a paper of the archive the user may see (a link), another
    file of this upload, or a paper the user may not see (neither id nor title shown)."""
    if not dup:
        return None
    if "file" in dup:
        return {"file": dup["file"]}
    doc_id = dup.get("doc", "")
    if _visible(doc_id):
        return {"doc": doc_id, "url": url_for("browse.paper", doc_id=doc_id)}
    return {"hidden": "1"}


# ------------------------------------------------------------------ corrections
@dataclass
class Checked:
    """The form's corrections: the rows for ``corrections_of``, or what is wrong."""

    records: list[dict[str, str]] = field(default_factory=list)
    values: dict[int, dict[str, str]] = field(default_factory=dict)
    errors: dict[int, list[str]] = field(default_factory=dict)


def _same(name: str, sent: str, row: dict[str, Any]) -> bool:
    had = str(row.get(name) or "")
    if name == "title":
        return " ".join(sent.split()) == " ".join(had.split())
    return sent.strip() == had.strip()


def _strip_place(text: str) -> str:
    """A message of ``corrections_of`` without its "file, line 1, column x:" lead: the
    table shows it beside the row and the input it is about."""
    return _PREFIX.sub("", text, count=1)


def check_form(job: Job, form: Any) -> Checked:
    """The corrections the form asks for, each row checked on its own (so that every bad
    value is shown at once), and the cells a secretary may name."""
    from docgen.importing.metadata import corrections_of

    out = Checked()
    lang = getattr(g, "lang", "vi")
    for n, row in enumerate(job.plan):
        if not _editable(row):
            continue
        sent = {name: str(form.get(f"{name}-{n}", row.get(name) or "")) for name in FIELDS}
        skip = bool(form.get(f"skip-{n}"))
        out.values[n] = {**sent, "skip": "x" if skip else ""}
        record = {name: sent[name] for name in FIELDS if not _same(name, sent[name], row)}
        problems: list[str] = []
        if skip:
            record["skip"] = "x"
        else:  # the web has no file dates to fall back on, nor a --cell
            if not (sent["date"].strip() or row.get("date")):
                problems.append(T("Ngày: không đọc được ngày văn bản; ghi ngày, hoặc chọn “Bỏ qua”.",
                                  "Date: the paper's date was not read; enter it, or tick “Skip”."))
            if not (sent["cell"].strip() or row.get("cell")):
                problems.append(T("Chi bộ: không đọc được tên chi bộ; chọn chi bộ, hoặc chọn “Bỏ qua”.",
                                  "Cell: no cell name was read; choose the cell, or tick “Skip”."))
        if not record and not problems:
            continue
        cell = record.get("cell", "").strip()
        if cell and cell not in _cell_names(job, row.get("cell") or ""):
            problems.append(T(f"Chi bộ: không nhập được vào {cell}; chọn một chi bộ trong danh sách.",
                              f"Cell: cannot import into {cell}; choose a cell of the list."))
            record.pop("cell")
        record["sha256"] = row["sha256"]
        for name in FIELDS:  # one at a time: every bad value of the row is said
            if name not in record:
                continue
            try:
                corrections_of([{"sha256": row["sha256"], name: record[name]}], row["file"])
            except InputError as exc:
                text = _strip_place(exc.message.text(lang))
                hint = exc.hint.text(lang) if exc.hint is not None else ""
                problems.append(text + (f" — {hint}" if hint else ""))
        if problems:
            out.errors[n] = problems
        out.records.append(record)
    return out


# ------------------------------------------------------------------ pages
def _form_page(error: str = "", status: int = 200, cell: str | None = None,
               encoding: str = "auto") -> tuple[str, int]:
    cells = allowed_cells()
    chosen = cell if cell is not None else ("" if _reads_all() else cells[0].id)
    return render_template("importing/form.html", error=error, cells=cells, chosen=chosen,
                           as_printed=_reads_all(), encodings=ENCODINGS, encoding=encoding,
                           accept=",".join(FORMATS), limit_mb=MAX_UPLOAD // (1024 * 1024),
                           max_files=MAX_FILES), status


def _cell_label(job: Job) -> str:
    if not job.cell:
        return T("theo tên chi bộ in trên giấy", "as printed on the paper")
    for entry in allowed_cells():
        if entry.id == job.cell:
            return entry.name
    return job.cell


def _plan_page(job: Job, checked: Checked | None = None, error: str = "",
               status: int = 200) -> tuple[str, int]:
    checked = checked or Checked()
    rows = [_view_row(n, row, job, checked.values.get(n), checked.errors.get(n))
            for n, row in enumerate(job.plan)]
    counts = {s: sum(1 for r in job.plan if r["status"] == s) for s in STATUS}
    review = sum(1 for r in rows if r["review"])
    return render_template("importing/plan.html", job=job, rows=rows, counts=counts,
                           review=review, kinds=_kinds(), cell_label=_cell_label(job),
                           encoding_label=say(ENCODINGS.get(job.encoding, ENCODINGS["auto"])),
                           error=error, bad=len(checked.errors),
                           editable=sum(1 for r in rows if r["editable"])), status


def _report_page(job: Job) -> tuple[str, int]:
    rows = [_view_row(n, row, job) for n, row in enumerate(job.report or [])]
    summary = job.summary
    return render_template("importing/report.html", job=job, rows=rows, summary=summary,
                           cell_label=_cell_label(job),
                           notes=[_text(n) for n in job.notes]), 200


# ------------------------------------------------------------------ views
@bp.route("/import", methods=["GET"])
def form() -> Any:
    allowed_cells()
    sweep(g.settings.archive_root)
    return _form_page()


@bp.route("/import", methods=["POST"])
def upload() -> Any:
    from docgen.importing.importer import ImportOptions, run_import

    allowed_cells()
    cell = request.form.get("cell", "")
    encoding = request.form.get("encoding", "auto")
    _check_cell(cell)  # before a byte is stored
    if encoding not in ENCODINGS:
        return _form_page(T("Bảng mã không hợp lệ.", "Unknown encoding."), 400, cell)
    uploads = [f for f in request.files.getlist("files") if f.filename]
    if not uploads:
        return _form_page(T("Chưa chọn tệp nào để nhập.", "No file was chosen."), 400, cell, encoding)
    root = g.settings.archive_root
    sweep(root)
    token = secrets.token_urlsafe(24)
    folder = staging_root(root) / token
    folder.mkdir(mode=0o700)
    job = Job(token, folder, current_user().login, cell, encoding, [], created=time.time())
    try:
        job.names = store_uploads(uploads, job.files)
        settings = settings_for_write()
        report = run_import(settings, [job.files / n for n in job.names], ImportOptions(
            cell=cell or None, dry_run=True, encoding=encoding, user=settings.user, workers=0),
            converter=current_app.config["WEB"].converter)
    except DocgenError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return _form_page(exc.render(g.lang).replace(str(folder), ""), 400, cell, encoding)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    job.plan = [row_data(row, job.files) for row in report.rows]
    job.save()
    return redirect(url_for("importing.plan", token=token), 303)


@bp.route("/import/<token>", methods=["GET"])
def plan(token: str) -> Any:
    job = _job_of(token)
    if job.report is not None:
        return _report_page(job)
    return _plan_page(job)


@bp.route("/import/<token>/confirm", methods=["POST"])
def confirm(token: str) -> Any:
    from docgen.importing.importer import ImportOptions, run_import
    from docgen.importing.metadata import corrections_of
    from docgen.search import index_hook

    job = _job_of(token)
    with _locked(job):
        found = load_job(g.settings.archive_root, token, job.user)
        if found is None:  # cancelled meanwhile
            abort(404)
        job = found
        if job.report is not None:  # a second click: the first one's report
            return redirect(url_for("importing.plan", token=token), 303)
        checked = check_form(job, request.form)
        if checked.errors:
            return _plan_page(job, checked, T(
                "Chưa nhập gì: sửa các ô báo lỗi (tô đỏ) rồi bấm lại “Nhập vào kho”.",
                "Nothing was imported: correct the cells marked in red, then press “Import” again."),
                400)
        settings = settings_for_write()
        hook = index_hook(settings)
        try:
            corrections = corrections_of(checked.records, "web") if checked.records else None
            report = run_import(settings, [job.files / n for n in job.names], ImportOptions(
                cell=job.cell or None, dry_run=False, corrections=corrections,
                encoding=job.encoding, user=settings.user, workers=0),
                index=hook, converter=current_app.config["WEB"].converter)
        except DocgenError as exc:
            return _plan_page(job, checked, exc.render(g.lang).replace(str(job.files), ""), 400)
        finally:
            current_app.config["INDEX"].changed()
        job.report = [row_data(row, job.files) for row in report.rows]
        job.summary = report.summary()
        job.notes = [_msg(m) for m in hook.notes]
        job.save()
        shutil.rmtree(job.files, ignore_errors=True)
    return redirect(url_for("importing.plan", token=token), 303)


@bp.route("/import/<token>/discard", methods=["POST"])
def discard(token: str) -> Any:
    job = _job_of(token)
    with _locked(job):
        shutil.rmtree(job.folder, ignore_errors=True)
    return redirect(url_for("importing.form"), 303)
