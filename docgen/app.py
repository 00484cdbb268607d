"""The glue the CLI calls: find, render and file inputs, amend, finalise, withdraw,
hand a PDF to a person, open a file with the system's program.

Each function builds objects from Settings, calls the archive and tells the search
index (an ``IndexHook``, when given) once per batch about the changed documents.
"""

from __future__ import annotations

import filecmp
import itertools
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from docgen.archive import Archive, ImportReport
from docgen.archive.batch import Pending
from docgen.archive.bundle import Limits
from docgen.archive.records import input_yaml
from docgen.config import Settings
from docgen.errors import ConfigError, DocgenError, PrintError, os_reason
from docgen.fsio import create_via_temp
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc, DocMeta, Fileable, IndexHook, RenderedDocument
from docgen.vn.dates import vn_date

Progress = Callable[[Sequence[Path]], Iterable[Path]]


@dataclass
class BatchReport:
    """What ``new_documents`` did: filed documents, failures, renderer warnings."""

    filed: list[ArchivedDoc] = field(default_factory=list)
    failed: list[tuple[Path, DocgenError]] = field(default_factory=list)
    warnings: list[tuple[Path, Msg]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def archive_of(settings: Settings) -> Archive:
    return Archive(settings.archive_root, per_year=settings.numbering_per_year)


def resolve_id(settings: Settings, ref: str, cell: str | None = None) -> str:
    """The id of the document ``ref`` names: an id, a unique id prefix or a number as on
    paper ("05-NQ/CB"; ``cell`` when several cells share it). See ``Archive.resolve``:
    the one resolver every command taking an ID uses."""
    archive = archive_of(settings)
    try:
        return archive.resolve(ref, cell)
    finally:
        archive.close()


def find_document(settings: Settings, ref: str, cell: str | None = None) -> ArchivedDoc:
    """The current version of the document ``ref`` names (see ``resolve_id``)."""
    archive = archive_of(settings)
    try:
        return archive.get(archive.resolve(ref, cell))
    finally:
        archive.close()


def _renderer(settings: Settings, warnings: list[Msg]) -> Callable[[Fileable], RenderedDocument]:
    from docgen.model.document import DocumentInput
    from docgen.render import Renderer

    renderer = Renderer(settings)

    def render(doc: Fileable) -> RenderedDocument:
        rendered = renderer.render(cast(DocumentInput, doc))
        warnings.extend(rendered.warnings)
        return rendered

    return render


def _loader(settings: Settings) -> Callable[[Path], Fileable]:
    from docgen.model import load_input
    from docgen.model.profile import load_profile

    profile = load_profile(settings.profile_path)
    return lambda path: load_input(path, settings, profile)


def _tell(index: IndexHook | None, docs: Sequence[ArchivedDoc]) -> None:
    if index is not None and docs:
        index.documents_changed(docs)


def new_documents(settings: Settings, paths: Sequence[Path], progress: Progress | None = None,
                  index: IndexHook | None = None) -> BatchReport:
    """Render and file every input; a bad input is reported and the batch goes on.

    Every input is read and validated before the archive is opened, so a batch of bad
    inputs writes nothing at all (not even a new archive's lock file or catalog).
    """
    report = BatchReport()
    load = _loader(settings)
    loaded: dict[Path, Fileable] = {}
    for path in paths:
        try:
            loaded[path] = load(path)
        except DocgenError as exc:
            report.failed.append((path, exc))
    if not loaded:
        return report
    archive = archive_of(settings)
    warnings: list[Msg] = []
    render = _renderer(settings, warnings)
    pending: list[tuple[Path, Pending]] = []
    todo = list(loaded)
    with archive.batch() as batch:
        for path in (progress(todo) if progress is not None else todo):
            warnings.clear()
            try:
                pending.append((path, batch.file(loaded[path], render, settings.user)))
            except DocgenError as exc:
                report.failed.append((path, exc))
            report.warnings.extend((path, w) for w in warnings)
    done: list[tuple[Path, ArchivedDoc]] = []
    for path, item in pending:
        try:
            done.append((path, item.result()))
        except DocgenError as exc:
            report.failed.append((path, exc))
    report.filed.extend(doc for _, doc in done)
    from docgen.archive.sitting import filing_warnings  # minutes and resolution must agree

    report.warnings.extend(filing_warnings(archive, settings, done, loaded))
    archive.close()
    _tell(index, report.filed)
    order = {path: i for i, path in enumerate(paths)}
    report.failed.sort(key=lambda item: order.get(item[0], len(order)))
    return report


def amend_document(settings: Settings, doc_id: str, path: Path,
                   index: IndexHook | None = None,
                   warnings: list[Msg] | None = None) -> ArchivedDoc:
    """File ``path`` as a new version of the same document ``doc_id``: its kind, cell
    and number are kept (an input of another kind, cell or number is refused and nothing
    is written; one without a number gets the filed one; a numbered document cannot
    become a draft, nor a draft be numbered: that is ``finalize``). The input's warnings
    are added to ``warnings``."""
    archive = archive_of(settings)
    found: list[Msg] = []
    try:
        archive.get(doc_id)  # a clear error for an unknown id before reading the input
        doc = _loader(settings)(path)
        archived = archive.amend(doc_id, doc, _renderer(settings, found), settings.user)
        from docgen.archive.sitting import same_sitting_warnings

        found.extend(same_sitting_warnings(archive, settings, archived, doc))
    finally:
        archive.close()
    if warnings is not None:
        warnings.extend(found)
    _tell(index, [archived])
    return archived


def finalize_document(settings: Settings, doc_id: str,
                      index: IndexHook | None = None,
                      warnings: list[Msg] | None = None) -> ArchivedDoc:
    """Number a filed draft: re-read its archived input without ``draft`` and file it
    (the input's warnings are added to ``warnings``)."""
    archive = archive_of(settings)
    load = _loader(settings)

    def reload(data: dict[str, Any]) -> Fileable:
        from docgen.kinds import get_kind

        spec = get_kind(str(data.get("kind")))
        if spec is not None:
            data.update(spec.finalize_sets)
        with tempfile.TemporaryDirectory(prefix="docgen-finalize-") as tmp:
            path = Path(tmp) / "input.yaml"
            path.write_bytes(input_yaml(data))  # read back as written (YAML 1.2 core)
            return load(path)

    found: list[Msg] = []
    try:
        archived = archive.finalize(doc_id, _renderer(settings, found), settings.user, reload)
        from docgen.archive.sitting import same_sitting_warnings

        found.extend(same_sitting_warnings(archive, settings, archived))
    finally:
        archive.close()
    if warnings is not None:
        warnings.extend(found)
    _tell(index, [archived])
    return archived


def import_bundle(settings: Settings, path: Path, index: IndexHook | None = None,
                  warnings: list[Msg] | None = None, limits: Limits | None = None) -> ImportReport:
    """Merge a bundle into the archive; the imported versions reach the index. ``limits``:
    what the bundle may hold (default docgen.archive.bundle.LIMITS; the web app's uploads
    are held to less).

    An imported document dated before the committee term its cell's profile gave it
    (``term_start`` in its meta.json: it was filed under that profile) adds a warning to
    ``warnings``; it is imported all the same.
    """
    archive = archive_of(settings)
    try:
        report = archive.import_bundle(path, settings.user, limits)
        if warnings is not None:
            warnings.extend(_imported_before_term(archive, report.imported))
            from docgen.archive.sitting import imported_warnings

            warnings.extend(imported_warnings(archive, settings, report.imported))
    finally:
        archive.close()
    if report.imported and index is not None:
        index.documents_changed([])  # it catches up from the archive's change sequence
    return report


def _imported_before_term(archive: Archive, relpaths: Sequence[str]) -> list[Msg]:
    from docgen.archive.records import META_FILE, meta_of

    out: list[Msg] = []
    seen: set[str] = set()
    for relpath in relpaths:
        try:
            record = json.loads((archive.root / relpath / META_FILE).read_text("utf-8"))
            meta = meta_of(record)
        except (OSError, ValueError, KeyError, TypeError):
            continue  # verify reports an unreadable meta.json
        if record["id"] in seen or meta.term_start is None or meta.date >= meta.term_start:
            continue
        seen.add(record["id"])
        out.append(_before_term(record["id"], meta))
    return out


def _before_term(doc_id: str, meta: DocMeta) -> Msg:
    assert meta.term_start is not None
    number = meta.number_text or "-"
    day, start = vn_date(meta.date), vn_date(meta.term_start)
    return Msg(f"văn bản {doc_id} (số {number}) ghi ngày {day}, trước ngày bắt đầu nhiệm kỳ "
               f"{start} trong hồ sơ chi bộ của nó; kiểm tra lại ngày văn bản hoặc term_start",
               f"document {doc_id} (number {number}) is dated {day}, before the committee "
               f"term of its cell's profile began ({start}); check the document's date or "
               "term_start")


def collect_garbage(settings: Settings) -> list[Path]:
    """Remove stray temporary entries of the archive and leftovers of a killed reindex."""
    from docgen.search import open_index

    removed = archive_of(settings).gc(settings.user)
    return removed + open_index(settings).remove_leftovers()


def withdraw_document(settings: Settings, doc_id: str, reason: str,
                      index: IndexHook | None = None) -> ArchivedDoc:
    """Mark ``doc_id`` withdrawn (kept, hidden from default listings and search)."""
    archived = archive_of(settings).withdraw(doc_id, reason, settings.user)
    _tell(index, [archived])
    return archived


# ------------------------------------------------------------- files for people
@dataclass(frozen=True)
class PdfCopy:
    """Where ``pdf_copy`` put the PDF: ``reused`` when an identical file was already
    there; ``taken`` is the readable name that held another file (so a suffix was added)."""

    path: Path
    reused: bool = False
    taken: Path | None = None


def pdf_copy(settings: Settings, doc: ArchivedDoc, out: Path | None = None,
             pdfa: bool = False, folder: Path | None = None) -> PdfCopy:
    """The PDF of ``doc`` (converted or from the archive's cache) copied for a person.

    With ``out``: written there (replacing a file of that name: the caller named it).
    Without: in ``folder`` (default: the current folder) under its readable name
    (``docgen.archive.ids.readable_name``, e.g. "NQ-05-2026-03-10-an-thanh.pdf"); an
    identical file of that name is reused, a different one is never replaced: the copy
    gets "-2", "-3", … before ".pdf".
    """
    from docgen.archive.ids import readable_name
    from docgen.printing import check_writable, pdf_for
    from docgen.printing.batch import copy_pdf

    if out is not None:
        check_writable(out)
        return PdfCopy(copy_pdf(pdf_for(doc, settings, pdfa=pdfa), out))
    folder = Path.cwd() if folder is None else folder
    name = readable_name(doc.meta, ".pdf", "pdfa" if pdfa else "")
    check_writable(folder / name)
    return place_copy(pdf_for(doc, settings, pdfa=pdfa), folder, name)


def place_copy(source: Path, folder: Path, name: str, mode: int | None = None) -> PdfCopy:
    """Copy ``source`` into ``folder`` as ``name`` without ever replacing another file:
    an identical file of that name is reused; otherwise "-2", "-3", … is added to the
    stem. The copy appears complete or not at all (written beside, then linked). With
    ``mode`` (e.g. ``READ_ONLY``) the copy, new or reused, is given that mode."""
    stem, suffix = os.path.splitext(name)
    first = folder / name
    for n in itertools.count(1):
        target = first if n == 1 else folder / f"{stem}-{n}{suffix}"
        if target.exists() or target.is_symlink():
            if target.is_file() and filecmp.cmp(target, source, shallow=False):
                _set_mode(target, mode)
                return PdfCopy(target, reused=True, taken=first if n > 1 else None)
            continue
        if _publish_new(source, target):
            _set_mode(target, mode)
            return PdfCopy(target, taken=first if n > 1 else None)
    raise AssertionError("unreachable")  # pragma: no cover


def _set_mode(path: Path, mode: int | None) -> None:
    # after publishing, not on the temporary file: Windows cannot delete a read-only file
    if mode is not None:
        os.chmod(path, mode)


def _publish_new(source: Path, target: Path) -> bool:
    """Put a copy of ``source`` at ``target`` unless something is there (False then)."""
    try:  # docgen's one atomic write, in its never-replace form
        return create_via_temp(target, lambda tmp: shutil.copyfile(source, tmp))
    except OSError as exc:
        raise PrintError(Msg(f"không ghi được {target}: {exc.strerror}",
                             f"cannot write {target}: {exc.strerror}"), file=str(target),
                         hint=Msg("kiểm tra quyền ghi và dung lượng đĩa, hoặc chọn tệp khác "
                                  "với -o", "check write permission and disk space, or choose "
                                  "another file with -o")) from exc


READ_ONLY = 0o444
"""The mode of the copies ``open_copy`` makes (Word and LibreOffice open them read-only)."""
OPEN_FOLDER = "docgen-open"


def open_folder() -> Path:
    """The user's own folder for the copies ``docgen open`` opens, under the system's
    temporary folder (``tempfile.gettempdir()``): "docgen-open" on Windows (whose
    temporary folder is the user's), "docgen-open-<uid>" elsewhere (/tmp is shared).
    Created private (0700); a folder of that name that is not the user's own, or is a
    link, is never used: a fresh private folder is made instead."""
    base = Path(tempfile.gettempdir())
    if os.name == "nt":
        folder = base / OPEN_FOLDER
        folder.mkdir(exist_ok=True)
        return folder
    folder = base / f"{OPEN_FOLDER}-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError:
        info = None
    if (info is not None and stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()):
        if info.st_mode & 0o077:
            os.chmod(folder, 0o700)
        return folder
    return Path(tempfile.mkdtemp(prefix=f"{OPEN_FOLDER}-"))


def open_copy(settings: Settings, doc: ArchivedDoc, pdf: bool = False,
              folder: Path | None = None) -> PdfCopy:
    """A read-only copy of ``doc``'s .docx (or, with ``pdf``, of its PDF, converted or
    from the archive's cache) for a person to open: the archived files themselves must
    never be opened, a "Save" in Word would change them. In ``folder`` (default:
    ``open_folder()``) under the readable name of ``docgen pdf``
    (``docgen.archive.ids.readable_name``; "-v2", "-v3", … for a later version, e.g.
    "NQ-05-2026-03-10-an-thanh-v2.docx"), placed as ``place_copy`` places it (an identical
    copy is reused, another file of that name is never replaced), mode ``READ_ONLY``."""
    from docgen.archive.ids import readable_name

    variant = f"v{doc.version}" if doc.version > 1 else ""
    if pdf:
        from docgen.printing import pdf_for

        source, name = pdf_for(doc, settings), readable_name(doc.meta, ".pdf", variant)
    else:
        source, name = doc.docx_path, readable_name(doc.meta, ".docx", variant)
    return place_copy(source, open_folder() if folder is None else folder, name, READ_ONLY)


OPEN_ENV = "DOCGEN_OPEN"
"""An environment variable naming the program that opens files (the path is appended):
for a machine without a desktop's default program, or for tests."""
OPEN_WAIT = 10.0  # seconds; an opener still running then is left to run


def opener(environ: Mapping[str, str] | None = None) -> list[str] | None:
    """The command that opens a file with the system's default program (the path is
    appended): $DOCGEN_OPEN, else ``open`` on macOS, ``xdg-open`` elsewhere; None on
    Windows (``os.startfile``). ConfigError when there is none."""
    env = os.environ if environ is None else environ
    custom = env.get(OPEN_ENV, "").strip()
    if custom:
        return shlex.split(custom, posix=os.name != "nt")
    if sys.platform == "win32":
        return None
    if sys.platform == "darwin":
        return ["open"]
    found = shutil.which("xdg-open", path=env.get("PATH"))
    if found is None:
        raise ConfigError(
            Msg("không tìm thấy chương trình mở tệp của hệ thống (xdg-open)",
                "no program to open files with was found (xdg-open)"),
            hint=Msg(f"cài xdg-utils (sudo apt-get install xdg-utils), hoặc đặt biến môi "
                     f"trường {OPEN_ENV} là chương trình cần dùng, ví dụ "
                     f"{OPEN_ENV}=libreoffice; hoặc mở tệp bằng tay (`docgen path ID`)",
                     f"install xdg-utils (sudo apt-get install xdg-utils), or set the "
                     f"environment variable {OPEN_ENV} to the program to use, e.g. "
                     f"{OPEN_ENV}=libreoffice; or open the file yourself (`docgen path ID`)"))
    return [found]


def open_file(path: Path, environ: Mapping[str, str] | None = None) -> None:
    """Open ``path`` with the system's default program (see ``opener``); ConfigError
    (exit 5) naming the file when that is impossible or the program fails."""
    command = opener(environ)
    target = str(Path(path).resolve())
    if command is None:  # Windows
        _startfile(target)
        return
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: the app may keep it open
        try:
            proc = subprocess.Popen([*command, target], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=err,
                                    env=None if environ is None else dict(environ))
        except OSError as exc:
            raise _open_failed(target, command[0], os_reason(exc).vi, os_reason(exc).en) from exc
        try:
            code = proc.wait(timeout=OPEN_WAIT)
        except subprocess.TimeoutExpired:
            return  # still starting the program: it opens the file on its own
        if code != 0:
            err.seek(0)
            detail = err.read().decode("utf-8", "replace").strip().splitlines()
            raise _open_failed(target, command[0], f"mã thoát {code}" + (
                f": {detail[-1]}" if detail else ""), f"exit status {code}" + (
                f": {detail[-1]}" if detail else ""))


def _startfile(target: str) -> None:
    if sys.platform == "win32":
        try:
            os.startfile(target)
        except OSError as exc:
            raise _open_failed(target, "Windows", os_reason(exc).vi, os_reason(exc).en) from exc


def _open_failed(target: str, program: str, why: str, why_en: str | None = None) -> ConfigError:
    return ConfigError(
        Msg(f"không mở được {target} bằng {program} ({why})",
            f"cannot open {target} with {program} ({why_en or why})"),
        file=target,
        hint=Msg(f"cài một chương trình đọc được loại tệp này (LibreOffice, Word, trình xem "
                 f"PDF), hoặc đặt {OPEN_ENV} là chương trình cần dùng; hoặc mở tệp trên bằng tay",
                 f"install a program for this kind of file (LibreOffice, Word, a PDF viewer), "
                 f"or set {OPEN_ENV} to the program to use; or open the file above yourself"))
