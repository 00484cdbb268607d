"""The web service's side of printing: one warm LibreOffice shared by request threads, page
previews, and print jobs with progress (``PrintJobs``, defined in docgen.printing.jobs and
exported here: ``from docgen.printing.service import PrintJobs, WarmConverter``).

``WarmConverter`` is a ``Converter`` kept running for the life of ``docgen serve``: the
listener starts on ``start()`` (or the first conversion), conversions take turns under a
lock (LibreOffice converts one document at a time anyway), a listener found dead is
restarted before the next conversion, and ``close()`` stops LibreOffice for good, even while
another thread is converting (that conversion fails; nothing is restarted). Being a
Converter, it is handed as is to ``pdf_for`` and ``print_book``, so the CLI and the web
share the archive's PDF cache.

``preview``: the PDF of a .docx and its pages as PNG images (``pdftoppm``, poppler-utils),
at a resolution that reads well on a phone (``PREVIEW_DPI``: 72 dpi, an A4 page 596 px
wide). This module never prints, exits or imports a web framework.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from docgen.config import Settings
from docgen.errors import PrintError, os_reason
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc
from docgen.printing import cache
from docgen.printing.converter import WORK_SUFFIX, ConversionFailed, Converter, _Listener
from docgen.printing.jobs import JobState, JobStatus, PrintJobs, UnknownJob

__all__ = [
    "PREVIEW_DPI",
    "JobState",
    "JobStatus",
    "PageImage",
    "Preview",
    "PrintJobs",
    "UnknownJob",
    "WarmConverter",
    "pdf_page_count",
    "png_size",
    "preview_pdf",
    "render_pages",
]

# 72 dpi: an A4 page is 596 × 842 px, one pixel per point (a PDF viewer's 100 %), sharp
# enough for diacritics on a 360-800 px wide phone screen, ~100 KB a page, ~0.1 s a page.
PREVIEW_DPI = 72
MIN_DPI, MAX_DPI = 20, 300
RENDER_TIMEOUT = 60.0
# How long close() lets a running conversion finish before it kills LibreOffice under it.
CLOSE_GRACE = 5.0
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

STOPPED = Msg("dịch vụ in đã dừng (máy chủ đang tắt): không chuyển được sang PDF",
              "the print service has stopped (the server is shutting down): nothing converted")
STOPPED_DOCX = Msg("dịch vụ chuyển đổi đã dừng (máy chủ đang tắt): không chuyển được sang .docx",
                   "the conversion service has stopped (the server is shutting down): "
                   "nothing converted")
_CONVERT_HINT = Msg("mở tệp .docx bằng Word/LibreOffice để kiểm tra, rồi thử lại",
                    "open the .docx in Word/LibreOffice to check it, then retry")
_POPPLER_HINT = Msg("cài poppler-utils: sudo apt-get install poppler-utils",
                    "install poppler-utils: sudo apt-get install poppler-utils")


def _alive(listener: _Listener) -> bool:
    return listener.office.poll() is None and listener.worker.poll() is None


class WarmConverter(Converter):
    """One LibreOffice listener kept warm and shared by threads (a context manager).

    PrintError at construction when LibreOffice is not installed. After ``close()`` every
    conversion fails (``ConversionFailed`` / ``PrintError`` saying the service stopped).
    """

    def __init__(self, settings: Settings, mode: str | None = None) -> None:
        super().__init__(settings, mode)
        self._turn = threading.Lock()  # one conversion at a time
        self._state = threading.Lock()  # the listener as seen by close() from another thread
        self._closing = threading.Lock()
        self._closed = False
        self.restarts = 0  # listeners found dead and replaced

    def __enter__(self) -> WarmConverter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def pids(self) -> tuple[int, ...]:
        """(soffice, UNO helper) of the running listener, each a process-group leader; ()
        when none runs."""
        with self._state:
            listener = self._listener
        return () if listener is None else (listener.office.pid, listener.worker.pid)

    def start(self) -> None:
        """Start LibreOffice now (``docgen serve`` at startup) rather than on the first
        conversion. PrintError when it cannot start or the converter is closed."""
        with self._turn:
            if self._closed:
                raise PrintError(STOPPED)
            if self.mode == "uno":
                try:
                    self._ensure()
                except ConversionFailed as exc:  # closed meanwhile
                    raise PrintError(exc.message) from exc

    def _ensure(self) -> _Listener:
        """The running listener; a dead one (soffice crashed or was killed between two
        conversions) is replaced first, and none is started once closed."""
        with self._state:
            if self._closed:
                raise ConversionFailed(STOPPED)
            current = self._listener
        if current is not None and not _alive(current):
            self._restart()
            self.restarts += 1
        listener = super()._ensure()
        with self._state:
            closed = self._closed
        if closed:  # close() came while LibreOffice was starting: it found nothing to kill
            self._restart()
            raise ConversionFailed(STOPPED)
        return listener

    def convert(self, docx: Path, out: Path, pdfa: bool = False) -> Path:
        """``Converter.convert``, one caller at a time."""
        with self._turn:
            if self._closed:
                raise ConversionFailed(STOPPED)
            return super().convert(docx, out, pdfa)

    def to_docx(self, src: Path, out: Path, *, timeout: float | None = None) -> Path:
        """``Converter.to_docx`` (.doc/.odt/.rtf → .docx), one caller at a time."""
        with self._turn:
            if self._closed:
                raise ConversionFailed(STOPPED_DOCX)
            return super().to_docx(src, out, timeout=timeout)

    def close(self, grace: float = CLOSE_GRACE) -> None:
        """Stop LibreOffice; no process of it survives. A conversion still running after
        ``grace`` seconds has its LibreOffice killed (it fails, nothing restarts).
        Idempotent, and safe from any thread."""
        with self._closing:
            with self._state:
                self._closed = True
            if not self._turn.acquire(timeout=grace):
                self._kill_running()
                self._turn.acquire()
            try:
                super().close()
            finally:
                self._turn.release()

    def _kill_running(self) -> None:
        with self._state:
            listener = self._listener
        if listener is None:
            return
        for proc in (listener.worker, listener.office):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)

    def pdf_of_docx_bytes(self, docx: bytes, pdfa: bool = False) -> bytes:
        """The PDF of a .docx given as bytes (converted in a temporary folder, removed
        afterwards). PrintError when it cannot be converted."""
        work = Path(tempfile.mkdtemp(prefix="docgen-web-", suffix=WORK_SUFFIX))
        try:
            source, out = work / "document.docx", work / "document.pdf"
            try:
                source.write_bytes(docx)
            except OSError as exc:
                raise PrintError(Msg(f"không ghi được tệp tạm {source}: {os_reason(exc).vi}",
                                     f"cannot write the temporary file {source}: "
                                     f"{os_reason(exc).en}")) from exc
            try:
                self.convert(source, out, pdfa)
            except ConversionFailed as exc:
                raise PrintError(exc.message, hint=_CONVERT_HINT) from exc
            return out.read_bytes()
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def pdf_for(self, doc: ArchivedDoc, pdfa: bool = False) -> Path:
        """The PDF of an archived document from the archive's cache (converted and cached
        by this converter when missing); as ``docgen pdf`` does."""
        return cache.pdf_for(doc, self.settings, self, pdfa)

    def preview(self, docx: bytes, dpi: int = PREVIEW_DPI, max_pages: int | None = None
                ) -> Preview:
        """The PDF of ``docx`` and its pages as PNG images (the first ``max_pages``)."""
        return preview_pdf(self.pdf_of_docx_bytes(docx), dpi, max_pages)

    def preview_doc(self, doc: ArchivedDoc, dpi: int = PREVIEW_DPI,
                    max_pages: int | None = None) -> Preview:
        """The preview of an archived document, from its cached PDF."""
        return preview_pdf(self.pdf_for(doc).read_bytes(), dpi, max_pages)


@dataclass(frozen=True)
class PageImage:
    """One page as a PNG image."""

    png: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Preview:
    """A document's PDF and its pages as images (``pages`` may stop before
    ``page_count`` when a maximum was asked for)."""

    pdf: bytes
    pages: tuple[PageImage, ...]
    page_count: int
    dpi: int


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's header; ValueError when it is not a PNG."""
    if len(png) < 24 or not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def pdf_page_count(pdf: bytes) -> int:
    """The number of pages of a PDF (PrintError when it cannot be read)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(io.BytesIO(pdf)).pages)
    except (PyPdfError, ValueError, OSError) as exc:
        raise PrintError(Msg(f"không đọc được PDF: {exc}", f"cannot read the PDF: {exc}")) from exc


def _pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        raise PrintError(Msg("không có pdftoppm (poppler-utils): không xem trước được trang",
                             "pdftoppm (poppler-utils) is not installed: no page preview"),
                         hint=_POPPLER_HINT)
    return found


def _chunks(count: int, parts: int) -> list[tuple[int, int]]:
    """Pages 1..count cut into at most ``parts`` ranges (first, last) of near equal size."""
    parts = max(1, min(parts, count))
    size, extra = divmod(count, parts)
    ranges, first = [], 1
    for i in range(parts):
        last = first + size - 1 + (1 if i < extra else 0)
        ranges.append((first, last))
        first = last + 1
    return ranges


def render_pages(pdf: Path, pages: int, dpi: int = PREVIEW_DPI) -> tuple[PageImage, ...]:
    """Pages 1..``pages`` of ``pdf`` as PNG images at ``dpi``, rendered by ``pdftoppm``
    processes running side by side (one per processor). PrintError when it fails."""
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise ValueError(f"dpi must be between {MIN_DPI} and {MAX_DPI}, not {dpi}")
    if pages < 1:
        return ()
    program = _pdftoppm()
    with tempfile.TemporaryDirectory(prefix="docgen-pages-") as tmp:
        procs = []
        for n, (first, last) in enumerate(_chunks(pages, os.cpu_count() or 1)):
            procs.append(subprocess.Popen(
                [program, "-png", "-r", str(dpi), "-f", str(first), "-l", str(last), str(pdf),
                 str(Path(tmp) / f"c{n}")],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        errors = [_finish(proc) for proc in procs]
        problem = next((e for e in errors if e is not None), None)
        if problem is not None:
            raise PrintError(Msg(f"pdftoppm không vẽ được trang: {problem}",
                                 f"pdftoppm could not render the pages: {problem}"),
                             file=str(pdf), hint=_POPPLER_HINT)
        files = sorted(Path(tmp).glob("c*-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        images = []
        for path in files:
            png = path.read_bytes()
            images.append(PageImage(png, *png_size(png)))
    if len(images) != pages:
        raise PrintError(Msg(f"pdftoppm vẽ {len(images)}/{pages} trang",
                             f"pdftoppm rendered {len(images)} of {pages} pages"), file=str(pdf))
    return tuple(images)


def render_page(pdf: Path, number: int, dpi: int = PREVIEW_DPI) -> PageImage:
    """Page ``number`` (from 1) of ``pdf`` as a PNG image at ``dpi`` (a page asked for
    after the preview showed the first ones). PrintError when it fails."""
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise ValueError(f"dpi must be between {MIN_DPI} and {MAX_DPI}, not {dpi}")
    with tempfile.TemporaryDirectory(prefix="docgen-page-") as tmp:
        out = Path(tmp) / "page"
        proc = subprocess.Popen(
            [_pdftoppm(), "-png", "-singlefile", "-r", str(dpi), "-f", str(number), "-l", str(number),
             str(pdf), str(out)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        problem = _finish(proc)
        made = out.with_suffix(".png")
        if problem is not None or not made.is_file():
            raise PrintError(Msg(f"pdftoppm không vẽ được trang {number}: {problem or 'không có ảnh'}",
                                 f"pdftoppm could not render page {number}: {problem or 'no image'}"),
                             file=str(pdf), hint=_POPPLER_HINT)
        png = made.read_bytes()
    return PageImage(png, *png_size(png))


def _finish(proc: subprocess.Popen[bytes]) -> str | None:
    """Wait for one pdftoppm; why it failed, or None."""
    try:
        _, err = proc.communicate(timeout=RENDER_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return f"timeout ({RENDER_TIMEOUT:g} s)"
    if proc.returncode != 0:
        return err.decode("utf-8", "replace").strip() or f"exit status {proc.returncode}"
    return None


def preview_pdf(pdf: bytes, dpi: int = PREVIEW_DPI, max_pages: int | None = None) -> Preview:
    """A PDF with its pages (the first ``max_pages``) as PNG images."""
    count = pdf_page_count(pdf)
    wanted = count if max_pages is None else max(0, min(count, max_pages))
    with tempfile.TemporaryDirectory(prefix="docgen-preview-") as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(pdf)
        pages = render_pages(path, wanted, dpi)
    return Preview(pdf=pdf, pages=pages, page_count=count, dpi=dpi)
