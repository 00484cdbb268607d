"""DOCX → PDF with one long-lived LibreOffice listener per batch; and, for importing old
papers, .doc/.odt/.rtf → .docx (``Converter.to_docx``) through the same listener.

(Without python3-uno it falls back to one ``soffice --convert-to`` per document.)

``soffice --headless --accept=pipe,...`` runs with its own profile directory (parallel
runs never collide) and a small UNO helper (``uno_worker.py``, run by Debian's python3,
which has python3-uno) converts one document per JSON line. Each document has its own
timeout; after a hang or a crash the listener is restarted and the document retried once.

LibreOffice never works next to the input or the output: each conversion runs in a work
folder (the input's folder when it is one, see ``WORK_SUFFIX``, else a fresh one in the
system temp folder) holding a copy of the .docx, where LibreOffice's lock file
(``.~lock.<name>#``) and temporary save file (``lu*.tmp``) land; only the finished, checked
and fsynced PDF is renamed onto the output. A converter killed at any moment leaves nothing
beside the output.

``to_docx`` stores with LibreOffice's "MS Word 2007 XML" export filter; the import filter
is whatever LibreOffice's type detection picks on load (a .doc that is really RTF or HTML
opens all the same). Font names are kept as they are (a ``.VnTime`` run stays ``.VnTime``),
which is what the legacy-font decoding needs. A document LibreOffice cannot open as a
word-processing document (corrupt, password-protected, or only "readable" as its bytes
shown as plain text) is a ``ConversionFailed``; no password is ever asked for.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from docgen.config import Settings
from docgen.errors import PrintError, os_reason
from docgen.fsio import fsync_path, replace_via_temp
from docgen.i18n import Msg
from docgen.printing.pdfcheck import pdf_problem

UNO_PYTHON = "/usr/bin/python3"
WORKER = Path(__file__).with_name("uno_worker.py")
START_TIMEOUT = 90.0
# After LibreOffice reports a failed conversion: how long to watch whether it is dying.
DEATH_GRACE = 0.5
INSTALL_HINT = Msg(
    "cài LibreOffice: sudo apt-get install libreoffice-writer-nogui python3-uno fonts-liberation2",
    "install LibreOffice: sudo apt-get install libreoffice-writer-nogui python3-uno fonts-liberation2",
)


class ConversionFailed(Exception):
    """One document did not convert (carries the user-facing message)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


class _Hang(Exception):
    """The listener did not answer in time or died."""


@dataclass
class ConversionReport:
    """Per id: the PDF written, or why not."""

    pdfs: dict[str, Path] = field(default_factory=dict)
    errors: dict[str, Msg] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def soffice_path(settings: Settings) -> str:
    """The soffice executable, or PrintError saying how to install LibreOffice."""
    found = shutil.which(settings.soffice)
    if found is None:
        raise PrintError(
            Msg(f"không tìm thấy LibreOffice ({settings.soffice})",
                f"LibreOffice ({settings.soffice}) not found"),
            hint=INSTALL_HINT,
        )
    return found


def has_uno() -> bool:
    """True when Debian's python3 can import LibreOffice's uno (package python3-uno)."""
    if not os.path.exists(UNO_PYTHON):
        return False
    probe = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return probe.returncode == 0


PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
DOCX_FILTER = "MS Word 2007 XML"
# What to_docx converts (by name; LibreOffice detects the real format from the content).
DOCX_SOURCES = (".doc", ".odt", ".rtf")
# Without the listener (no type-detection answer to check), what a word-processing file's
# first bytes are: OLE (.doc), zip (.odt, a .docx named .doc), RTF, or HTML/XML markup
# (Word's "web page" .doc). Anything else LibreOffice would import as plain text.
_DOCUMENT_MAGIC = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04", b"{\\rtf", b"<")
# A folder whose name ends with this is a conversion work folder (docgen.printing.cache
# makes them in ``<archive>/.tmp/``): an input inside one is converted in place.
WORK_SUFFIX = ".convert"


def is_work_dir(folder: Path) -> bool:
    return folder.name.endswith(WORK_SUFFIX) and folder.is_dir()


def move_into_place(src: Path, dst: Path) -> None:
    """Rename ``src`` onto ``dst`` (atomic); across filesystems, copy it with docgen's one
    atomic write (``.<dst name>.<uuid>.part`` beside ``dst``, fsynced, renamed)."""
    try:
        os.replace(src, dst)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    replace_via_temp(dst, lambda part: shutil.copyfile(src, part), sync=True, suffix=".part")


def unreadable(name: str, empty: bool = False) -> Msg:
    """The message for a document LibreOffice cannot open."""
    if empty:
        return Msg(f"LibreOffice không mở được tệp {name}: tệp rỗng (0 byte)",
                   f"LibreOffice cannot open {name}: the file is empty (0 bytes)")
    return Msg(f"LibreOffice không mở được tệp {name} (có thể hỏng hoặc có mật khẩu)",
               f"LibreOffice cannot open {name} (it may be corrupt or password-protected)")


def looks_like_document(path: Path) -> bool:
    """True when ``path`` starts like a word-processing file (see ``_DOCUMENT_MAGIC``)."""
    with path.open("rb") as stream:
        head = stream.read(512)
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith(_DOCUMENT_MAGIC)


class _OneShot:
    """Fallback without python3-uno: one ``soffice --convert-to`` per document.

    Slower (a cold start per document) but with the same profile isolation, timeout and
    retry as the listener.
    """

    def __init__(self, soffice: str) -> None:
        self.soffice = soffice
        self.profile = Path(tempfile.mkdtemp(prefix="docgen-lo-"))

    def convert(self, docx: Path, tmp: Path, pdfa: bool, timeout: float,
                target: str = "pdf") -> None:
        """``docx`` (in its work folder) to ``tmp`` (in the same folder): a PDF, or with
        ``target="docx"`` a .docx (``docx`` is then a .doc/.odt/.rtf)."""
        work = docx.parent
        written = docx.with_suffix(f".{target}")
        # A soffice killed mid-store left its lock on the output name: it would fail this run.
        (work / f".~lock.{written.name}#").unlink(missing_ok=True)
        if target == "docx":
            # soffice exits 0 without writing anything when it cannot load the document:
            # a stale file under the output name must not pass for its work.
            written.unlink(missing_ok=True)
            filter_arg = f"docx:{DOCX_FILTER}"
        else:
            filter_arg = PDFA_FILTER if pdfa else "pdf"
        proc = subprocess.Popen(
            [self.soffice, f"-env:UserInstallation={self.profile.as_uri()}", "--headless",
             "--norestore", "--convert-to", filter_arg,
             "--outdir", str(work), str(docx)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise _Hang("timeout") from exc
        if code != 0:
            raise _Hang(f"soffice exited with status {code}")
        if written.exists():
            os.replace(written, tmp)
        elif target == "docx":
            # "Error: source file could not be loaded" (corrupt, or a password asked for).
            raise ConversionFailed(unreadable(docx.name))

    def kill(self) -> None:
        shutil.rmtree(self.profile, ignore_errors=True)


def docx_problem(path: Path) -> Msg | None:
    """Why ``path`` is not a .docx LibreOffice can convert, or None."""
    if not path.is_file():
        return Msg(f"không có tệp {path}", f"file {path} does not exist")
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in archive.namelist():
                return Msg(f"{path.name} không phải .docx (thiếu word/document.xml)",
                           f"{path.name} is not a .docx (no word/document.xml)")
            archive.getinfo("word/document.xml")
            if archive.testzip() is not None:
                return Msg(f"{path.name} bị hỏng (zip lỗi)", f"{path.name} is corrupt (bad zip)")
    except (zipfile.BadZipFile, OSError) as exc:
        return Msg(f"{path.name} bị hỏng: {exc}", f"{path.name} is corrupt: {exc}")
    return None


class _Listener:
    """One soffice listener and its UNO helper; killed as a process group."""

    def __init__(self, soffice: str, python: str) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="docgen-lo-"))
        pipe = f"docgen-{uuid.uuid4().hex}"
        self.office = subprocess.Popen(
            [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
             "--nolockcheck", f"-env:UserInstallation={self.profile.as_uri()}",
             f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.worker = subprocess.Popen(
            [python, str(WORKER), pipe], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, encoding="utf-8", start_new_session=True,
        )
        self.replies: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, args=(self.worker.stdout,), daemon=True).start()
        try:
            ready = self._ready()
        except _Hang as exc:
            ready = {"ready": False, "error": str(exc)}
        if not ready.get("ready") and self.office.poll() is not None:
            self.kill()
            raise _Hang("LibreOffice exited while starting")  # killed: worth a retry
        if not ready.get("ready"):
            self.kill()
            raise PrintError(
                Msg(f"không khởi động được LibreOffice: {ready.get('error', '')}",
                    f"LibreOffice did not start: {ready.get('error', '')}"),
                hint=INSTALL_HINT,
            )

    def _ready(self) -> dict[str, Any]:
        """The helper's first answer; gives up early when soffice dies while starting."""
        deadline = time.monotonic() + START_TIMEOUT
        while self.replies.empty():
            if self.office.poll() is not None:
                raise _Hang("LibreOffice exited while starting")
            if time.monotonic() > deadline:
                raise _Hang("timeout")
            time.sleep(0.05)
        return self.reply(1.0)

    def died(self, seconds: float) -> bool:
        """True when soffice exits within ``seconds`` (a failed store may be a kill)."""
        try:
            self.office.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def _pump(self, stream: IO[str] | None) -> None:
        """Forward the helper's answers; ends (None) when the helper exits or is killed."""
        assert stream is not None
        try:
            for line in stream:
                self.replies.put(line)
        except (OSError, ValueError):
            pass  # the helper was killed mid-line
        finally:
            self.replies.put(None)
            stream.close()

    def reply(self, timeout: float) -> dict[str, Any]:
        try:
            line = self.replies.get(timeout=timeout)
        except queue.Empty as exc:
            raise _Hang("timeout") from exc
        if line is None:
            raise _Hang("LibreOffice exited")
        data: dict[str, Any] = json.loads(line)
        return data

    def request(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self.worker.stdin is not None
        try:
            self.worker.stdin.write(json.dumps(payload) + "\n")
            self.worker.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise _Hang("LibreOffice exited") from exc
        return self.reply(timeout)

    def close(self) -> None:
        try:
            if self.worker.stdin is not None and self.worker.poll() is None:
                self.worker.stdin.write(json.dumps({"quit": True}) + "\n")
                self.worker.stdin.close()
            self.worker.wait(timeout=10)
            self.office.wait(timeout=10)
        except (subprocess.TimeoutExpired, BrokenPipeError, OSError):
            pass
        self.kill()

    def kill(self) -> None:
        for proc in (self.worker, self.office):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
            if proc.stdin is not None and not proc.stdin.closed:
                with contextlib.suppress(BrokenPipeError):
                    proc.stdin.close()
        shutil.rmtree(self.profile, ignore_errors=True)


class Converter:
    """A LibreOffice converter kept alive for a batch (use as a context manager).

    The listener starts lazily on the first conversion, so a batch served entirely from
    the cache never starts LibreOffice.
    """

    def __init__(self, settings: Settings, mode: str | None = None) -> None:
        self.settings = settings
        self.timeout = float(settings.convert_timeout)
        self._soffice = soffice_path(settings)
        # "uno": a listener driven over UNO (needs python3-uno); "cli": one soffice per document.
        self.mode = mode or ("uno" if has_uno() else "cli")
        self._listener: _Listener | None = None
        self._oneshot: _OneShot | None = None
        self.conversions = 0
        self.starts = 0

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self._listener is not None

    def close(self) -> None:
        """Shut LibreOffice down; no soffice process of this converter survives."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self._oneshot is not None:
            self._oneshot.kill()
            self._oneshot = None

    def _ensure(self) -> _Listener:
        if self._listener is None:
            self._listener = _Listener(self._soffice, UNO_PYTHON)
            self.starts += 1
        return self._listener

    def _restart(self) -> None:
        if self._listener is not None:
            self._listener.kill()
            self._listener = None

    def _attempt(self, docx: Path, tmp: Path, pdfa: bool, target: str = "pdf",
                 timeout: float | None = None) -> None:
        limit = self.timeout if timeout is None else timeout
        if self.mode == "cli":
            if self._oneshot is None:
                self._oneshot = _OneShot(self._soffice)
                self.starts += 1
            self._oneshot.convert(docx, tmp, pdfa, limit, target)
            return
        listener = self._ensure()
        payload: dict[str, Any] = {"in": str(docx), "out": str(tmp)}
        if target == "docx":
            payload["filter"] = DOCX_FILTER
        else:
            payload["pdfa"] = pdfa
        answer = listener.request(payload, limit)
        if answer.get("crashed") or listener.office.poll() is not None:
            raise _Hang("LibreOffice crashed")
        if not answer.get("ok") and listener.died(DEATH_GRACE):
            raise _Hang("LibreOffice crashed")  # killed mid-store: it answered, then died
        if not answer.get("ok") and target == "docx" and answer.get("unreadable"):
            raise ConversionFailed(unreadable(docx.name))
        if not answer.get("ok"):
            raise ConversionFailed(Msg(f"LibreOffice không chuyển được {docx.name}: {answer.get('error')}",
                                       f"LibreOffice could not convert {docx.name}: {answer.get('error')}"))

    def convert(self, docx: Path, out: Path, pdfa: bool = False) -> Path:
        """Write ``out`` (atomically) from ``docx``; ConversionFailed says why not.

        LibreOffice works on a copy of ``docx`` in a work folder (``docx``'s own folder when
        it is one, see ``WORK_SUFFIX``); only the finished PDF is renamed onto ``out``.
        PrintError when ``out`` cannot be written.
        """
        problem = docx_problem(docx)
        if problem is not None:
            raise ConversionFailed(problem)
        own = not is_work_dir(docx.parent)
        work = Path(tempfile.mkdtemp(prefix="docgen-", suffix=WORK_SUFFIX)) if own else docx.parent
        source = work / docx.name if own else docx
        written: list[Path] = []
        try:
            if own:
                try:
                    shutil.copyfile(docx, source)
                except OSError as exc:
                    raise ConversionFailed(Msg(f"không đọc được {docx}: {os_reason(exc).vi}",
                                               f"cannot read {docx}: {os_reason(exc).en}")) from exc
            tmp = self._convert_with_retry(source.resolve(), work.resolve(), pdfa, written)
            bad = pdf_problem(tmp)
            if bad is not None:
                raise ConversionFailed(bad)
            self._publish(tmp, out)
        finally:
            if own:
                shutil.rmtree(work, ignore_errors=True)
            else:
                for path in written:
                    path.unlink(missing_ok=True)
        self.conversions += 1
        return out

    def to_docx(self, src: Path, out: Path, *, timeout: float | None = None) -> Path:
        """Write ``out`` (atomically), a .docx converted by LibreOffice from ``src``, a .doc,
        .odt or .rtf; font names are kept (``.VnTime`` stays ``.VnTime``).

        As ``convert``: LibreOffice works on a copy in a work folder, a hang or crash is
        retried once after a restart, ``timeout`` (seconds per attempt, default the
        converter's) bounds each attempt. ConversionFailed when LibreOffice cannot open
        ``src`` (corrupt, password-protected) or writes no usable .docx; PrintError when
        ``out`` cannot be written; ValueError for a name not in ``DOCX_SOURCES``.
        """
        if src.suffix.lower() not in DOCX_SOURCES:
            raise ValueError(f"to_docx converts {', '.join(DOCX_SOURCES)} files, not {src.name}")
        if not src.is_file():
            raise ConversionFailed(Msg(f"không có tệp {src}", f"file {src} does not exist"))
        own = not is_work_dir(src.parent)
        work = Path(tempfile.mkdtemp(prefix="docgen-", suffix=WORK_SUFFIX)) if own else src.parent
        source = work / src.name if own else src
        written: list[Path] = []
        try:
            try:
                if own:
                    shutil.copyfile(src, source)
                empty = source.stat().st_size == 0
                # Without the listener nothing tells a document from bytes LibreOffice
                # would show as plain text: refuse what does not start like a document.
                refused = empty or (self.mode == "cli" and not looks_like_document(source))
            except OSError as exc:
                raise ConversionFailed(Msg(f"không đọc được {src}: {os_reason(exc).vi}",
                                           f"cannot read {src}: {os_reason(exc).en}")) from exc
            if refused:
                raise ConversionFailed(unreadable(src.name, empty))
            tmp = self._convert_with_retry(source.resolve(), work.resolve(), False, written,
                                           "docx", timeout)
            bad = docx_problem(tmp)
            if bad is not None:
                raise ConversionFailed(Msg(f"LibreOffice không tạo được .docx từ {src.name}: "
                                           f"{bad.vi}",
                                           f"LibreOffice wrote no usable .docx from {src.name}: "
                                           f"{bad.en}"))
            self._publish(tmp, out)
        finally:
            if own:
                shutil.rmtree(work, ignore_errors=True)
            else:
                for path in written:
                    path.unlink(missing_ok=True)
        self.conversions += 1
        return out

    @staticmethod
    def _publish(tmp: Path, out: Path) -> None:
        try:
            fsync_path(tmp)
            out.parent.mkdir(parents=True, exist_ok=True)
            move_into_place(tmp, out)
        except OSError as exc:
            raise PrintError(Msg(f"không ghi được {out}: {os_reason(exc).vi}",
                                 f"cannot write {out}: {os_reason(exc).en}"), file=str(out),
                             hint=Msg("kiểm tra quyền ghi và dung lượng đĩa (kho chỉ đọc?)",
                                      "check write permission and disk space (a read-only "
                                      "archive?)")) from exc

    def _convert_with_retry(self, docx: Path, work: Path, pdfa: bool, written: list[Path],
                            target: str = "pdf", timeout: float | None = None) -> Path:
        """The PDF (or with ``target="docx"`` the .docx) written in ``work``. Each attempt
        writes a new name: a LibreOffice killed mid-store leaves its lock file on the old
        one, which would fail the retry."""
        limit = self.timeout if timeout is None else timeout
        for attempt in (1, 2):
            tmp = work / f"{uuid.uuid4().hex}.{target}"
            written.append(tmp)
            try:
                self._attempt(docx, tmp, pdfa, target, limit)
                return tmp
            except _Hang as exc:
                self._restart()
                if attempt == 2:
                    raise ConversionFailed(Msg(
                        f"LibreOffice treo hoặc dừng khi chuyển {docx.name} (đã thử lại 1 lần, "
                        f"giới hạn {limit:g} giây)",
                        f"LibreOffice hung or crashed converting {docx.name} (retried once, "
                        f"limit {limit:g} s)")) from exc
        raise AssertionError("unreachable")

    def convert_many(self, items: Sequence[tuple[str, Path]], out_dir: Path, pdfa: bool = False,
                     progress: Callable[[str], object] | None = None) -> ConversionReport:
        """Convert each (id, docx) to ``out_dir/<id>.pdf``; failures are reported, not raised."""
        report = ConversionReport()
        suffix = ".pdfa.pdf" if pdfa else ".pdf"
        for doc_id, docx in items:
            try:
                report.pdfs[doc_id] = self.convert(docx, out_dir / f"{doc_id}{suffix}", pdfa)
            except ConversionFailed as exc:
                report.errors[doc_id] = exc.message
            if progress is not None:
                progress(doc_id)
        return report


def wait_gone(pids: Sequence[int], seconds: float = 5.0) -> bool:
    """True when none of ``pids`` is alive any more (used by tests and the bench)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() for pid in pids):
            return True
        time.sleep(0.05)
    return False
