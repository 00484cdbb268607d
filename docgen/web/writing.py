"""Writing papers from the browser: render a checked form, file it for a cell, amend a
filed paper; the per-draft lock and the note of what a draft became, which keep a draft
from being filed twice; the cache of a draft's last preview.

Filing calls the CLI's own functions (``docgen.app.new_documents`` and
``amend_document``) on the form's input written as the archive writes an input.yaml, so a
paper filed from the browser is read, validated, numbered, rendered, filed, indexed and
audited exactly as ``docgen new`` / ``docgen amend`` would do it: the settings are those of
the request's user (``settings_for_write``: the audit log records the login) with the
cell's profile. Views call these functions; they hold no view logic.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from flask import current_app

from docgen.archive.records import input_yaml
from docgen.cells import CellEntry
from docgen.config import Settings
from docgen.errors import ArchiveError
from docgen.fsio import sha256_bytes, write_bytes_atomic, write_text_atomic
from docgen.i18n import Msg
from docgen.model.document import DocumentInput
from docgen.model.meta import ArchivedDoc, RenderedDocument
from docgen.printing.service import PREVIEW_DPI, Preview, render_page
from docgen.web.app import settings_for_write
from docgen.web.drafts import DRAFT_ID

WEB_DIR = Path(".docgen") / "web"
LOCKS_DIR = WEB_DIR / "locks"
FILED_DIR = WEB_DIR / "filed"
PREVIEWS_DIR = WEB_DIR / "previews"
LOCK_WAIT = 30.0  # seconds a request waits for another one filing or saving the same draft
FILED_KEPT_DAYS = 90  # how long "this draft became paper X" is remembered (a late double click)
_CELL = re.compile(r"^[a-z0-9-]{1,40}$")
_KEY = re.compile(r"^[0-9a-f]{64}$")

BUSY = Msg("bản nháp này đang được lưu ở một cửa sổ khác", "this draft is being saved in another window")
BUSY_HINT = Msg("đợi vài giây rồi tải lại trang", "wait a few seconds, then reload the page")


class DraftBusy(ArchiveError):
    """Another request holds the draft's lock for longer than LOCK_WAIT (HTTP 409)."""


@dataclass(frozen=True)
class Filed:
    """A paper filed (or amended) from a draft, with the warnings of the model, of the
    archive (minutes and resolution of one sitting disagree…) and of the search index."""

    doc: ArchivedDoc
    warnings: tuple[Msg, ...] = ()


# ------------------------------------------------------------------ settings of a cell
def cell_settings(settings: Settings, entry: CellEntry) -> Settings:
    """``settings`` reading and writing with ``entry``'s profile."""
    return replace(settings, profile_path=entry.profile_path)


def write_settings(entry: CellEntry) -> Settings:
    """The request user's settings (its login goes into the audit log) for ``entry``."""
    return cell_settings(settings_for_write(), entry)


# ------------------------------------------------------------------ render, file, amend
def render_document(document: DocumentInput, settings: Settings) -> RenderedDocument:
    """The .docx of a validated input (``check_form(...).document``) as ``docgen render``
    makes it: not numbered yet (the number is given when it is filed)."""
    from docgen.render import Renderer

    return Renderer(settings).render(document)


def content_key(data: Any) -> str:
    """A hash of a draft's content (its input dict): what a preview showed."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return sha256_bytes(text.encode("utf-8"))


@contextmanager
def _input_file(data: Mapping[str, Any]) -> Iterator[Path]:
    """``data`` as an input file the CLI reads (YAML 1.2 core, as the archive's input.yaml)."""
    with tempfile.TemporaryDirectory(prefix="docgen-web-") as folder:
        path = Path(folder) / f"{data.get('kind') or 'input'}.yaml"
        path.write_bytes(input_yaml(dict(data)))
        yield path


def file_paper(entry: CellEntry, data: Mapping[str, Any]) -> Filed:
    """File the form's input ``data`` (``data_from_form``) as a new paper of ``entry``: the
    archive gives it its number now. Raises the DocgenError of the input or the archive
    (nothing is filed then)."""
    from docgen.app import new_documents
    from docgen.search import index_hook

    settings = write_settings(entry)
    hook = index_hook(settings)
    try:
        with _input_file(data) as path:
            report = new_documents(settings, [path], index=hook)
    finally:
        current_app.config["INDEX"].changed()
    if report.failed:
        raise report.failed[0][1]
    return Filed(report.filed[0], (*(w for _, w in report.warnings), *hook.notes))


def amend_paper(entry: CellEntry, doc_id: str, data: Mapping[str, Any]) -> Filed:
    """File ``data`` as a new version of ``doc_id`` (a paper of ``entry``): the same number,
    the next version (``docgen amend``). Raises the DocgenError of the input or the archive."""
    from docgen.app import amend_document
    from docgen.search import index_hook

    settings = write_settings(entry)
    hook = index_hook(settings)
    warnings: list[Msg] = []
    try:
        with _input_file(data) as path:
            doc = amend_document(settings, doc_id, path, hook, warnings)
    finally:
        current_app.config["INDEX"].changed()
    return Filed(doc, (*warnings, *hook.notes))


# ------------------------------------------------------------------ one draft at a time
def _safe(cell: str, draft_id: str) -> bool:
    return bool(_CELL.match(cell) and DRAFT_ID.match(draft_id))


class Held:
    """A draft's lock while it is held: set ``gone`` when the draft is not there (any more):
    the lock file is then removed on release. Safe: whoever takes the lock after, on this
    file or a new one, finds the draft gone and writes nothing (a draft never comes back)."""

    gone: bool = False


@contextmanager
def draft_lock(root: Path, cell: str, draft_id: str, timeout: float = LOCK_WAIT) -> Iterator[Held]:
    """Saving, filing and deleting a draft take turns (an OS file lock: threads and
    processes of the server alike), so that a double click files once and an autosave
    arriving after the filing does not bring the draft back. DraftBusy after ``timeout``."""
    from filelock import FileLock, Timeout

    if not _safe(cell, draft_id):
        raise ValueError(f"bad draft {cell!r}/{draft_id!r}")
    folder = root / LOCKS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{cell}.{draft_id}.lock"
    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout as exc:
        raise DraftBusy(BUSY, hint=BUSY_HINT) from exc
    held = Held()
    try:
        yield held
    finally:
        lock.release()
        if held.gone:
            path.unlink(missing_ok=True)


def remember_filed(root: Path, cell: str, draft_id: str, doc_id: str) -> None:
    """Note that the draft became the paper ``doc_id`` (kept FILED_KEPT_DAYS days)."""
    if not _safe(cell, draft_id):
        return
    folder = root / FILED_DIR / cell
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(folder / f"{draft_id}.json", json.dumps({"doc": doc_id, "at": time.time()}))
    old = time.time() - FILED_KEPT_DAYS * 86400
    for path in folder.glob("*.json"):
        try:
            if path.stat().st_mtime < old:
                path.unlink()
        except OSError:
            continue


def filed_as(root: Path, cell: str, draft_id: str) -> str | None:
    """The paper a filed draft became (None: never filed, or long ago)."""
    if not _safe(cell, draft_id):
        return None
    try:
        found = json.loads((root / FILED_DIR / cell / f"{draft_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    doc = found.get("doc") if isinstance(found, dict) else None
    return doc if isinstance(doc, str) else None


# ------------------------------------------------------------------ previews
@dataclass(frozen=True)
class CachedPreview:
    """A draft's preview on disk: ``key`` is the sha256 of the .docx it shows."""

    key: str
    folder: Path
    sizes: tuple[tuple[int, int], ...]  # (width, height) of each page image made at first
    page_count: int  # pages of the document (more than ``sizes``: the rest are made when asked)
    dpi: int = PREVIEW_DPI

    @property
    def pdf(self) -> Path:
        return self.folder / "document.pdf"

    def page(self, number: int) -> Path | None:
        """The PNG of page ``number`` (from 1), made now when the preview showed only the
        first pages; None when the document has no such page."""
        if not 1 <= number <= self.page_count:
            return None
        path = self.folder / f"page-{number}.png"
        if not path.is_file():
            write_bytes_atomic(path, render_page(self.pdf, number, self.dpi).png)
        return path

    def size(self, number: int) -> tuple[int, int]:
        """(width, height) of page ``number``'s image: a page not made yet is taken to be
        the size of the first (the pages of a paper are all A4)."""
        return self.sizes[number - 1] if number <= len(self.sizes) else self.sizes[0]


class Previews:
    """The last preview of each draft, under ``<archive>/.docgen/web/previews/<cell>/<draft>/<key>/``
    (a new preview of a draft replaces its older one; filing or deleting the draft drops it)."""

    def __init__(self, root: Path) -> None:
        self.folder = Path(root) / PREVIEWS_DIR

    def _draft(self, cell: str, draft_id: str) -> Path | None:
        return self.folder / cell / draft_id if _safe(cell, draft_id) else None

    def get(self, cell: str, draft_id: str, key: str) -> CachedPreview | None:
        base = self._draft(cell, draft_id)
        if base is None or not _KEY.match(key):
            return None
        folder = base / key
        try:
            info = json.loads((folder / "pages.json").read_text(encoding="utf-8"))
            sizes = tuple((int(w), int(h)) for w, h in info["sizes"])
            count = int(info["page_count"])
            dpi = int(info.get("dpi", PREVIEW_DPI))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not sizes and count:
            return None
        return CachedPreview(key, folder, sizes, count, dpi)

    def put(self, cell: str, draft_id: str, key: str, preview: Preview) -> CachedPreview:
        """Keep ``preview`` (of the .docx whose sha256 is ``key``) as the draft's preview."""
        base = self._draft(cell, draft_id)
        if base is None or not _KEY.match(key):
            raise ValueError(f"bad preview {cell!r}/{draft_id!r}/{key!r}")
        base.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".new-", dir=base))
        try:
            (work / "document.pdf").write_bytes(preview.pdf)
            for number, page in enumerate(preview.pages, 1):
                (work / f"page-{number}.png").write_bytes(page.png)
            sizes = [[p.width, p.height] for p in preview.pages]
            (work / "pages.json").write_text(json.dumps({"sizes": sizes, "page_count": preview.page_count,
                                                         "dpi": preview.dpi}),
                                             encoding="utf-8")
            try:
                os.rename(work, base / key)
            except OSError:  # made meanwhile by another request: that one is as good
                shutil.rmtree(work, ignore_errors=True)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        for other in base.iterdir():
            if other.name != key and not other.name.startswith(".new-"):
                shutil.rmtree(other, ignore_errors=True)
        found = self.get(cell, draft_id, key)
        if found is None:  # another preview of the draft replaced it meanwhile: show this one
            return CachedPreview(key, base / key, tuple((p.width, p.height) for p in preview.pages),
                                 preview.page_count, preview.dpi)
        return found

    def drop(self, cell: str, draft_id: str) -> None:
        base = self._draft(cell, draft_id)
        if base is not None:
            shutil.rmtree(base, ignore_errors=True)
