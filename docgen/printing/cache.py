"""The PDF cache beside each archived .docx, keyed by the .docx checksum.

An archived document (its folder is a version folder ``YYYY/MM/<name>`` of an archive) is
checked before anything else: the .docx on disk must match the sha256 its meta.json records
(docgen.archive.integrity.check_docx, streamed). A damaged or tampered document is refused
with IntegrityError (exit 7): nothing is converted, no cached PDF is served, nothing is
cached. The cache key is meta.json's checksum, so a cached PDF is only ever used while the
.docx still matches meta.json. ``marked_pdf`` prints such a document anyway (``--force``):
converted from the bytes on disk, every page marked, never cached.

A conversion runs in ``<archive>/.tmp/<uuid>.convert/`` on a copy of the .docx, hashed while
it is copied (the bytes converted are the bytes checked); LibreOffice's lock and temporary
files stay there, and only the finished PDF is renamed into ``cache/``. A converter killed
at any moment leaves nothing in the version folder (at most a stray ``.tmp/`` entry that
``docgen verify`` reports and ``docgen gc`` removes).

A loose document (tests, a .docx outside an archive) is keyed by the checksum of its bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.config import Settings
from docgen.errors import IntegrityError, PrintError, os_reason
from docgen.fsio import sha256_file
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc
from docgen.printing.converter import WORK_SUFFIX, ConversionFailed, Converter, move_into_place
from docgen.printing.pdfcheck import pdf_problem

if TYPE_CHECKING:  # docgen.archive itself is imported late (optional for printing)
    from docgen.archive.integrity import DocxCheck

_CONVERT_HINT = Msg("mở tệp .docx bằng Word/LibreOffice để kiểm tra, rồi thử lại",
                    "open the .docx in Word/LibreOffice to check it, then retry")
FORCE_HINT = Msg(
    "chạy `docgen verify` để xem toàn bộ kho; nếu vẫn cần in văn bản như hiện có trên đĩa, "
    "thêm --force (mỗi trang được đánh dấu, không lưu vào cache)",
    "run `docgen verify` to check the whole archive; to print the document as it is on disk "
    "anyway, add --force (every page is marked, nothing is cached)")


def cache_path(doc: ArchivedDoc, pdfa: bool = False, sha256: str | None = None) -> Path:
    """Where the PDF of ``doc`` is kept: ``<folder>/cache/<docx sha256>[.pdfa].pdf``."""
    suffix = ".pdfa.pdf" if pdfa else ".pdf"
    return doc.folder / "cache" / f"{sha256 or doc.docx_sha256}{suffix}"


def docx_sha256(doc: ArchivedDoc) -> str:
    """Checksum of the .docx bytes on disk (PrintError when unreadable)."""
    try:
        return sha256_file(doc.docx_path)
    except OSError as exc:
        raise PrintError(Msg(f"không đọc được .docx của văn bản {doc.id}: {os_reason(exc).vi}",
                             f"cannot read the .docx of document {doc.id}: {os_reason(exc).en}"),
                         file=str(doc.docx_path),
                         hint=Msg("kiểm tra kho lưu trữ (docgen verify)",
                                  "check the archive (docgen verify)")) from exc


def check_of(doc: ArchivedDoc, copy_to: Path | None = None) -> DocxCheck | None:
    """The integrity check of an archived document's .docx; None for a loose document."""
    from docgen.archive.integrity import check_docx, is_archived

    return check_docx(doc, copy_to) if is_archived(doc) else None


def integrity_error(checks: Sequence[DocxCheck], book: bool = False) -> IntegrityError:
    """Exit 7, naming every refused document, its file and the mismatch (``book``: the
    refusal of a whole book)."""
    details = [(c.doc_id, d.message) for c in checks for d in c.damage]
    if len(checks) == 1 and not book:
        only = checks[0]
        vi = "; ".join(m.vi for _, m in details)
        en = "; ".join(m.en for _, m in details)
        return IntegrityError(
            Msg(f"văn bản {only.doc_id} hỏng hoặc đã bị sửa sau khi lưu, không in: {vi}",
                f"document {only.doc_id} is damaged or was changed after filing, not printed: "
                f"{en}"), file=str(only.path), hint=FORCE_HINT)
    ids = ", ".join(c.doc_id for c in checks)
    lines_vi = "".join(f"\n  {doc_id}: {m.vi}" for doc_id, m in details)
    lines_en = "".join(f"\n  {doc_id}: {m.en}" for doc_id, m in details)
    return IntegrityError(
        Msg(f"{len(checks)} văn bản hỏng hoặc đã bị sửa sau khi lưu ({ids}), không in sổ:{lines_vi}",
            f"{len(checks)} document(s) damaged or changed after filing ({ids}), no book "
            f"written:{lines_en}"), file=str(checks[0].path) if len(checks) == 1 else None,
        hint=FORCE_HINT)


def mark_lines(check: DocxCheck) -> list[str]:
    """The detail lines of the page mark of a document printed with ``--force``."""
    codes = {d.code for d in check.damage}
    if "checksum" in codes and check.actual is not None:
        expected = next(d.expected for d in check.damage if d.code == "checksum") or ""
        why = (f"tệp .docx khác bản đã lưu trữ (sha256 {check.actual[:16]}… ≠ meta.json "
               f"{expected[:16]}…)")
    elif "meta-json" in codes:
        why = "meta.json thiếu hoặc hỏng: không xác minh được tệp .docx"
    else:
        why = "meta.json khác bản ghi trong danh mục lưu trữ"
    return [f"Văn bản {check.doc_id}: {why}. Không phải bản chính thức — in bằng --force; "
            "kiểm tra bằng docgen verify."]


@contextmanager
def work_dir(doc: ArchivedDoc) -> Iterator[Path]:
    """A fresh conversion work folder: ``<archive>/.tmp/<uuid>.convert`` (same filesystem
    as the cache, so the finished PDF is renamed into place), else one in the system temp
    folder (a loose document, or an archive that cannot be written). Removed afterwards."""
    from docgen.archive.fsutil import temp_path
    from docgen.archive.integrity import archive_root_of
    from docgen.archive.leftovers import hold_active

    root = archive_root_of(doc)
    path: Path | None = None
    if root is not None:
        try:
            path = temp_path(root, WORK_SUFFIX)
            path.mkdir()
        except OSError:
            path = None
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="docgen-", suffix=WORK_SUFFIX))
    try:
        with hold_active(path):  # docgen gc leaves a folder in use alone
            yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def cached_pdf(doc: ArchivedDoc, pdfa: bool = False) -> Path | None:
    """The cached PDF of the .docx now on disk, when present and readable (and, for an
    archived document, only while the .docx matches its meta.json)."""
    check = check_of(doc)
    if check is not None and not check.ok:
        return None
    path = cache_path(doc, pdfa, check.actual if check is not None else docx_sha256(doc))
    return path if pdf_problem(path) is None else None


def _convert(converter: Converter | None, settings: Settings, docx: Path, out: Path,
             pdfa: bool) -> Path:
    if converter is not None:
        return converter.convert(docx, out, pdfa)
    with Converter(settings) as own:
        return own.convert(docx, out, pdfa)


def pdf_for(doc: ArchivedDoc, settings: Settings, converter: Converter | None = None,
            pdfa: bool = False, check: DocxCheck | None = None) -> Path:
    """The PDF of ``doc``: from the cache, or converted now and cached (atomically).

    A cache hit does not start LibreOffice. An archived document is checked first
    (IntegrityError when its .docx does not match meta.json; ``check`` is a result of
    ``check_of`` already made); a loose one is keyed by the checksum of its bytes on disk,
    so a changed .docx never gets a stale PDF.
    """
    check = check if check is not None else check_of(doc)
    if check is not None and not check.ok:
        raise integrity_error([check])
    target = cache_path(doc, pdfa, check.actual if check is not None else docx_sha256(doc))
    if pdf_problem(target) is None:
        return target
    if not _writable(target):  # a read-only archive: converted for this run only
        target = _scratch() / target.name
    if doc.print_path is not None:
        return _printed_as_is(doc, target)
    try:
        with work_dir(doc) as work:
            copy = work / doc.docx_path.name
            if check is not None:
                again = check_of(doc, copy)
                assert again is not None
                if not again.ok or again.actual != check.actual:
                    raise integrity_error([again])
            else:
                _copy(doc, copy)
            return _convert(converter, settings, copy, target, pdfa)
    except ConversionFailed as exc:
        raise PrintError(exc.message, file=str(doc.docx_path), hint=_CONVERT_HINT) from exc


def _printed_as_is(doc: ArchivedDoc, target: Path) -> Path:
    """An imported PDF, scan or image prints as it is (its .docx is only a reading copy
    of the recovered text): the archived file, checked against meta.json while it is
    copied, becomes the cached PDF (the same for PDF/A: it is kept as it came)."""
    assert doc.print_path is not None
    with work_dir(doc) as work:
        copy = work / "print.pdf"
        try:
            shutil.copyfile(doc.print_path, copy)
            actual = sha256_file(copy)
        except OSError as exc:
            raise PrintError(Msg(f"không đọc được bản in của văn bản {doc.id}: "
                                 f"{os_reason(exc).vi}",
                                 f"cannot read the print copy of document {doc.id}: "
                                 f"{os_reason(exc).en}"),
                             file=str(doc.print_path),
                             hint=Msg("kiểm tra kho lưu trữ (docgen verify)",
                                      "check the archive (docgen verify)")) from exc
        if actual != doc.print_sha256:
            raise IntegrityError(
                Msg(f"văn bản {doc.id}: tệp {doc.print_path.name} khác bản đã lưu trữ "
                    f"(sha256 {actual[:16]}… ≠ meta.json {doc.print_sha256[:16]}…), không in",
                    f"document {doc.id}: the file {doc.print_path.name} differs from the "
                    f"archived one (sha256 {actual[:16]}… != meta.json "
                    f"{doc.print_sha256[:16]}…), not printed"),
                file=str(doc.print_path), hint=FORCE_HINT)
        target.parent.mkdir(parents=True, exist_ok=True)
        move_into_place(copy, target)
    return target


def _writable(target: Path) -> bool:
    """True when ``target`` (in a version folder's cache/) can be written there."""
    folder = target.parent if target.parent.is_dir() else target.parent.parent
    return os.access(folder, os.W_OK)


_SCRATCH: list[tempfile.TemporaryDirectory[str]] = []


def _scratch() -> Path:
    """A folder outside the archive for PDFs that cannot be cached (removed at exit)."""
    if not _SCRATCH:
        _SCRATCH.append(tempfile.TemporaryDirectory(prefix="docgen-pdf-"))
    return Path(_SCRATCH[0].name)


def _copy(doc: ArchivedDoc, copy: Path) -> None:
    try:
        shutil.copyfile(doc.docx_path, copy)
    except OSError as exc:
        raise PrintError(Msg(f"không đọc được .docx của văn bản {doc.id}: {os_reason(exc).vi}",
                             f"cannot read the .docx of document {doc.id}: {os_reason(exc).en}"),
                         file=str(doc.docx_path)) from exc


def marked_pdf(doc: ArchivedDoc, settings: Settings, write: Callable[[Callable[[Path], object]], object],
               converter: Converter | None = None, pdfa: bool = False) -> DocxCheck | None:
    """``--force``: convert the .docx as it is on disk now, mark every page and hand the
    marked PDF to ``write`` (never to the cache). The check of the converted bytes, or None
    when the document turned out sound (then the ordinary cached PDF is written)."""
    from docgen.printing.stamp import write_marked

    with work_dir(doc) as work:
        copy = work / doc.docx_path.name
        check = check_of(doc, copy)
        if check is None or check.ok:
            pdf = pdf_for(doc, settings, converter, pdfa, check)
            write(lambda tmp: shutil.copyfile(pdf, tmp))
            return None
        if check.actual is None:  # missing or unreadable: there is nothing to print
            raise integrity_error([check])
        raw = work / f"{doc.id}.pdf"
        try:
            _convert(converter, settings, copy, raw, pdfa)
        except ConversionFailed as exc:
            raise PrintError(exc.message, file=str(doc.docx_path), hint=_CONVERT_HINT) from exc
        write_marked(raw, mark_lines(check), write)
    return check
