"""Receive: committee staff upload a bundle of an offline cell (``docgen export``) and get
the merge report (new, already there, conflicts); the search index follows.

The upload is saved to a private temporary folder inside the archive's ``.docgen`` folder
(under the name the user gave it, made safe, so the library's messages name the user's
file), merged with ``docgen.app.import_bundle`` exactly as ``docgen import-bundle`` does
(the bundle module checks everything before writing: zip, names, sizes, ratios), and
removed afterwards whatever happened. The import's audit lines carry the user's login.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, g, render_template, request
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from docgen import app as library
from docgen.archive.bundle import ImportReport, Limits
from docgen.archive.verify import Problem
from docgen.config import Settings
from docgen.errors import DocgenError
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc
from docgen.search import index_hook
from docgen.web.app import MAX_UPLOAD, T, reader, require_role, say, settings_for_write
from docgen.web.reads import NotVisible

# An upload unpacks to at most 2 GiB (the CLI's bundles may be larger: 20 GiB).
UPLOAD_LIMITS = Limits(total_bytes=2 * 1024 ** 3)

bp = Blueprint("receive", __name__)

ROLES = ("committee", "admin")
WORK_DIR = ".docgen"  # inside the archive: the temporary copy of an upload lives here
DEFAULT_NAME = "goi.zip"
COPY_BLOCK = 1 << 20


# ------------------------------------------------------------ shared with admin
def private_dir(settings: Settings, prefix: str) -> Path:
    """A new private folder (0700) inside the archive's .docgen folder."""
    base = settings.archive_root / WORK_DIR
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base))


class TooLarge(Exception):
    """An upload longer than the screen's own limit."""


def save_upload(upload: FileStorage, folder: Path, default: str, limit: int | None = None) -> Path:
    """Copy the uploaded file into ``folder`` under its (safe) name, in blocks.

    TooLarge past ``limit`` bytes (what was copied is left in ``folder``, which the
    caller removes).
    """
    name = secure_filename(upload.filename or "") or default
    target = folder / name
    done = 0
    with open(target, "xb") as out:
        while block := upload.stream.read(COPY_BLOCK):
            done += len(block)
            if limit is not None and done > limit:
                raise TooLarge(limit)
            out.write(block)
    return target


def explain(exc: DocgenError, shown_file: str | None = None) -> str:
    """The library's message (and each of its problems) in the request's language, naming
    ``shown_file`` (what the user uploaded) instead of the server's temporary copy."""
    lang = getattr(g, "lang", "vi")
    problems: Sequence[DocgenError] = getattr(exc, "problems", None) or [exc]
    lines: list[str] = []
    if problems[0] is not exc:
        lines.append(exc.message.text(lang))
    for problem in problems:
        if problem.file and shown_file is not None:
            problem.file = shown_file
        lines.append(problem.render(lang))
    return "\n".join(lines)


# ------------------------------------------------------------------- the report
@dataclass(frozen=True)
class Row:
    """One version of the report: what the archive now holds for it."""

    folder: str  # YYYY/MM/<version folder>, relative to the archive
    doc_id: str
    version: int | None
    doc: ArchivedDoc | None
    reason: str = ""  # a conflict's reason
    where: str = ""  # a conflict: the archive's folder it collides with


def _folder_id(relpath: str) -> str:
    from docgen.archive.ids import parse_folder

    parsed = parse_folder(relpath.rsplit("/", 1)[-1])
    return parsed.id if parsed is not None else ""


def _rows(relpaths: Iterable[str]) -> list[Row]:
    """The versions ``relpaths`` of the archive, each with its paper (read via the Reader)."""
    relpaths = list(relpaths)
    folders: dict[str, ArchivedDoc] = {}
    root = reader().settings.archive_root
    for doc_id in dict.fromkeys(_folder_id(r) for r in relpaths):
        if not doc_id:
            continue
        try:
            history: Iterable[ArchivedDoc] = reader().history(doc_id)
        except NotVisible:
            continue
        for version in history:
            folders[version.folder.relative_to(root).as_posix()] = version
    out = []
    for relpath in relpaths:
        doc = folders.get(relpath)
        out.append(Row(relpath, doc.id if doc else _folder_id(relpath),
                       doc.version if doc else None, doc))
    return out


def _conflict_rows(conflicts: Iterable[Problem]) -> list[Row]:
    root = reader().settings.archive_root
    out = []
    for problem in conflicts:
        where = ""
        if problem.path is not None:
            try:
                where = problem.path.relative_to(root).as_posix()
            except ValueError:
                where = problem.path.name
        doc: ArchivedDoc | None = None
        if problem.doc_id:
            try:
                doc = reader().get(problem.doc_id)
            except NotVisible:
                doc = None  # the bundle's paper is not in the archive (a number taken)
        out.append(Row(where, problem.doc_id or "", None, doc, say(problem.message), where))
    return out


def _papers(rows: Sequence[Row]) -> int:
    return len({r.doc_id for r in rows})


def _page(error: str = "", status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template("receive/form.html", error=error,
                           limit_mb=MAX_UPLOAD // (1024 * 1024), **context), status


# ------------------------------------------------------------------------ views
@bp.route("/receive", methods=["GET"])
def form() -> Any:
    require_role(*ROLES)
    return _page()


@bp.route("/receive", methods=["POST"])
def upload() -> Any:
    require_role(*ROLES)
    sent = request.files.get("bundle")
    if sent is None or not sent.filename:
        return _page(T("Chưa chọn tệp gói (.zip) để tải lên.",
                       "No bundle file (.zip) was chosen."), 400)
    shown = sent.filename
    settings = settings_for_write()
    folder = private_dir(settings, "receive-")
    warnings: list[Msg] = []
    hook = index_hook(settings)
    try:
        path = save_upload(sent, folder, DEFAULT_NAME)  # the request's MAX_CONTENT_LENGTH
        report: ImportReport = library.import_bundle(settings, path, hook, warnings, UPLOAD_LIMITS)
    except DocgenError as exc:
        return _page(explain(exc, shown), 400)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        current_app.config["INDEX"].changed()
    imported, unchanged = _rows(report.imported), _rows(report.unchanged)
    conflicts = _conflict_rows(report.conflicts)
    notes = [say(m) for m in warnings] + [say(m) for m in hook.notes]
    return render_template("receive/report.html", name=shown, imported=imported,
                           unchanged=unchanged, conflicts=conflicts, notes=notes,
                           papers=_papers), 200
