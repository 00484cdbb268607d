"""Print books in the background for the web service, with progress (imported from
docgen.printing.service, with the warm converter).

``PrintJobs.start`` queues a book (``print_book`` with the service's warm converter, so the
archive's PDF cache is shared with the CLI) and returns a job id; worker threads run the
jobs; ``status`` reports the state (queued, running, done, failed), the documents done so
far, the book when written and the CUPS job when sent to a printer. A job belongs to its
owner: another owner asking for it gets ``UnknownJob``, as for an id that never existed.

Nothing escapes a worker thread: every failure (a document that does not convert, an
archive damage, a missing printer, a bug) ends the job as ``failed`` with its user-facing
message. As in ``docgen print``, a book lacking a document is not sent to the printer; its
PDF stays available. A cancelled or stopped job leaves nothing behind: its folder (under
the service's folder) is removed, and the book itself is only ever written atomically.
This module never prints, exits or imports a web framework.
"""

from __future__ import annotations

import logging
import queue
import secrets
import shutil
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from docgen.config import Settings
from docgen.errors import DocgenError, PrintError
from docgen.i18n import Msg, docs_en
from docgen.model.meta import ArchivedDoc
from docgen.printing.batch import ORDERS, PrintReport, ordered, print_book, require_documents
from docgen.printing.book import book_name
from docgen.printing.printer import send_to_printer

if TYPE_CHECKING:  # docgen.printing.service re-exports this module's API
    from docgen.printing.service import WarmConverter

log = logging.getLogger(__name__)

JobState = Literal["queued", "running", "done", "failed"]
JOB_PREFIX = "job-"
KEEP_HOURS = 24.0
WORKERS = 2
SHUTDOWN_WAIT = 5.0

STOPPING = Msg("máy chủ đang tắt: lệnh in bị hủy, chưa ghi sổ",
               "the server is shutting down: the print job was cancelled, no book written")
CANCELLED = Msg("đã hủy lệnh in, chưa ghi sổ", "the print job was cancelled, no book written")
NOT_FOUND = Msg("không có lệnh in này (đã xóa, hết hạn hoặc của người khác)",
                "there is no such print job (removed, expired or someone else's)")


class UnknownJob(LookupError):
    """No job of that id belongs to that owner."""

    def __init__(self, job_id: str) -> None:
        super().__init__(job_id)
        self.message = NOT_FOUND


class _Cancelled(Exception):
    """Raised in a worker (from the progress callback) to stop a cancelled job."""


@dataclass(frozen=True)
class JobStatus:
    """A snapshot of one print job."""

    id: str
    owner: str
    title: str
    state: JobState
    done: int  # documents converted or taken from the cache so far
    total: int
    message: Msg
    hint: Msg | None = None
    output: Path | None = None  # the book PDF, once written (kept when printing failed)
    filename: str = ""  # a readable download name, as `docgen print` names a book
    pages: int = 0
    printer: str | None = None
    printer_job: str | None = None  # the CUPS job id ("office-12") once sent
    failures: Mapping[str, Msg] = field(default_factory=dict)  # document id → why left out
    cancelled: bool = False
    created: float = 0.0  # time.time()
    finished: float | None = None

    @property
    def ended(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def fraction(self) -> float:
        """Progress between 0 and 1 (1 once done)."""
        if self.state == "done":
            return 1.0
        return self.done / self.total if self.total else 0.0


@dataclass
class _Job:
    id: str
    owner: str
    title: str
    docs: list[ArchivedDoc]
    folder: Path
    filename: str
    cover: bool
    duplex: bool
    printer: str | None
    created: float
    state: JobState = "queued"
    done: int = 0
    message: Msg = Msg("đang chờ đến lượt in", "waiting for its turn")
    hint: Msg | None = None
    output: Path | None = None
    pages: int = 0
    printer_job: str | None = None
    failures: dict[str, Msg] = field(default_factory=dict)
    finished: float | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    stopping: bool = False  # cancelled by shutdown(), not by its owner

    def snapshot(self) -> JobStatus:
        return JobStatus(
            id=self.id, owner=self.owner, title=self.title, state=self.state, done=self.done,
            total=len(self.docs), message=self.message, hint=self.hint, output=self.output,
            filename=self.filename, pages=self.pages, printer=self.printer,
            printer_job=self.printer_job, failures=dict(self.failures),
            cancelled=self.cancel.is_set(), created=self.created, finished=self.finished)


def _progress_msg(done: int, total: int) -> Msg:
    if done >= total:
        return Msg(f"đang ghi sổ ({total} văn bản)", f"assembling the book ({docs_en(total)})")
    return Msg(f"đang chuyển sang PDF: {done}/{total} văn bản",
               f"converting to PDF: {done} of {docs_en(total)}")


def _written_msg(report: PrintReport) -> Msg:
    book = report.book
    assert book is not None
    return Msg(f"đã ghi sổ: {book.pages} trang, {len(book.starts)} văn bản "
               f"({report.converted} chuyển mới, {report.cached} có sẵn)",
               f"book written: {book.pages} pages, {docs_en(len(book.starts))} "
               f"({report.converted} converted, {report.cached} cached)")


def _incomplete_msg(report: PrintReport, printer: str | None) -> Msg:
    """As `docgen print` says it (exit 10): the book lacks documents, not printed."""
    note = Msg("; không gửi máy in", "; not sent to the printer") if printer else Msg("", "")
    ids = ", ".join(report.failures)
    return Msg(f"sổ in thiếu {len(report.failures)} văn bản ({ids}){note.vi}",
               f"the book lacks {docs_en(len(report.failures))} ({ids}){note.en}")


_INCOMPLETE_HINT = Msg("sửa các văn bản bị lỗi rồi in lại", "fix the failed documents and print again")


class PrintJobs:
    """Background print jobs of a web service, in ``folder`` (one sub-folder per job).

    ``workers`` threads run the queued jobs (conversions still take turns on the one warm
    converter); finished jobs are kept ``keep_hours`` (see ``cleanup``).
    """

    def __init__(self, settings: Settings, converter: WarmConverter, folder: Path, *,
                 keep_hours: float = KEEP_HOURS, workers: int = WORKERS) -> None:
        if workers < 1:
            raise ValueError("PrintJobs needs at least one worker")
        self.settings = settings
        self.converter = converter
        self.folder = folder
        self.keep_hours = keep_hours
        self.workers = workers
        self._jobs: dict[str, _Job] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._closed = False

    # ---------------------------------------------------------------- the owner's side

    def start(self, docs: Sequence[ArchivedDoc], owner: str, title: str, cover: bool = True,
              duplex: bool = False, printer: str | None = None, order: str = "date") -> str:
        """Queue a book of ``docs`` (in ``order``: "date" or "given"); its job id.

        ArchiveError (nothing matched) when ``docs`` is empty, PrintError once the service
        is shutting down; everything else is the job's to report.
        """
        if order not in ORDERS:
            raise ValueError(f"order must be one of {ORDERS}, not {order!r}")
        require_documents(docs)
        self.cleanup()  # books older than keep_hours go as new ones come
        listed = ordered(docs, order)
        job_id = secrets.token_hex(16)
        job = _Job(id=job_id, owner=owner, title=title, docs=listed,
                   folder=self.folder / f"{JOB_PREFIX}{job_id}",
                   filename=book_name([d.meta for d in listed]), cover=cover, duplex=duplex,
                   printer=(printer or "").strip() or None, created=time.time())
        with self._lock:
            if self._closed:
                raise PrintError(STOPPING)
            self._jobs[job_id] = job
            self._spawn()
        self._queue.put(job_id)
        return job_id

    def status(self, job_id: str, owner: str) -> JobStatus:
        """The job's state now; UnknownJob when ``owner`` has no job ``job_id``."""
        with self._lock:
            return self._owned(job_id, owner).snapshot()

    def jobs(self, owner: str) -> list[JobStatus]:
        """``owner``'s jobs, newest first."""
        with self._lock:
            mine = [job.snapshot() for job in self._jobs.values() if job.owner == owner]
        return sorted(mine, key=lambda s: s.created, reverse=True)

    def cancel(self, job_id: str, owner: str) -> JobStatus:
        """Cancel a queued job at once, a running one after the document it is on (its
        files are removed); an ended job is left as it is."""
        with self._lock:
            job = self._owned(job_id, owner)
            if job.state == "queued":
                job.cancel.set()
                self._end(job, "failed", CANCELLED)
            elif job.state == "running":
                job.cancel.set()
            return job.snapshot()

    def _owned(self, job_id: str, owner: str) -> _Job:
        job = self._jobs.get(job_id)
        if job is None or job.owner != owner:
            raise UnknownJob(job_id)
        return job

    # ---------------------------------------------------------------- housekeeping

    def cleanup(self, now: float | None = None) -> list[str]:
        """Forget the jobs that ended more than ``keep_hours`` ago and remove their files,
        and the job folders of no known job (a previous run's) as old; the ids forgotten."""
        limit = (time.time() if now is None else now) - self.keep_hours * 3600
        with self._lock:
            old = [job for job in self._jobs.values()
                   if job.finished is not None and job.finished < limit]
            for job in old:
                del self._jobs[job.id]
            known = {f"{JOB_PREFIX}{job_id}" for job_id in self._jobs}
        for job in old:
            shutil.rmtree(job.folder, ignore_errors=True)
        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if (entry.name.startswith(JOB_PREFIX) and entry.name not in known
                        and entry.is_dir() and entry.stat().st_mtime < limit):
                    shutil.rmtree(entry, ignore_errors=True)
        return [job.id for job in old]

    def shutdown(self, wait: float = SHUTDOWN_WAIT) -> bool:
        """Stop (SIGTERM): no new job, queued jobs cancelled, running ones cancelled after
        their current document; waits up to ``wait`` seconds for the workers. The files of
        every unfinished job are removed. True when every worker stopped in time.

        Call it before closing the warm converter: closing it then makes a conversion still
        running fail at once, and the worker ends."""
        with self._lock:
            self._closed = True
            for job in self._jobs.values():
                if job.state == "queued":
                    job.cancel.set()
                    job.stopping = True
                    self._end(job, "failed", STOPPING)
                elif job.state == "running":
                    job.cancel.set()
                    job.stopping = True
            threads = list(self._threads)
        for _ in threads:
            self._queue.put(None)
        deadline = time.monotonic() + wait
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            unfinished = [job for job in self._jobs.values() if job.state in ("queued", "running")]
        for job in unfinished:
            shutil.rmtree(job.folder, ignore_errors=True)
        return not any(thread.is_alive() for thread in threads)

    # ---------------------------------------------------------------- the workers' side

    def _spawn(self) -> None:
        """Start the worker threads on the first job (called under the lock)."""
        while len(self._threads) < self.workers:
            thread = threading.Thread(target=self._work, name=f"docgen-print-{len(self._threads)}",
                                      daemon=True)
            self._threads.append(thread)
            thread.start()

    def _work(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            with self._lock:
                job = self._jobs.get(job_id)
                if job is None or job.state != "queued":
                    continue  # cancelled or forgotten while queued
                job.state = "running"
                job.message = _progress_msg(0, len(job.docs))
            self._run(job)

    def _end(self, job: _Job, state: JobState, message: Msg, hint: Msg | None = None) -> None:
        """Called under the lock."""
        job.state, job.message, job.hint = state, message, hint
        job.finished = time.time()

    def _tick(self, job: _Job) -> None:
        with self._lock:
            job.done += 1
            job.message = _progress_msg(job.done, len(job.docs))
        if job.cancel.is_set():
            raise _Cancelled

    def _run(self, job: _Job) -> None:
        """One job, start to end; never raises."""
        try:
            report = self._book(job)
        except _Cancelled:
            self._discard(job, STOPPING if job.stopping else CANCELLED)
        except DocgenError as exc:
            self._discard(job, exc.message, exc.hint)
        except Exception as exc:  # a bug: the job says so, the worker goes on
            log.exception("print job %s failed", job.id)
            self._discard(job, Msg(f"lỗi không mong đợi khi in sổ: {type(exc).__name__}: {exc}",
                                   f"unexpected error printing the book: "
                                   f"{type(exc).__name__}: {exc}"))
        else:
            self._written(job, report)

    def _book(self, job: _Job) -> PrintReport:
        job.folder.mkdir(parents=True, exist_ok=True)
        report = print_book(job.docs, self.settings, job.folder / job.filename, cover=job.cover,
                            duplex=job.duplex, order="given",  # ordered by start()
                            progress=lambda _doc_id: self._tick(job), converter=self.converter)
        if job.cancel.is_set():  # cancelled while the book was assembled
            raise _Cancelled
        return report

    def _discard(self, job: _Job, message: Msg, hint: Msg | None = None) -> None:
        """The job failed before its book was written: nothing of it is kept."""
        shutil.rmtree(job.folder, ignore_errors=True)
        with self._lock:
            self._end(job, "failed", message, hint)

    def _written(self, job: _Job, report: PrintReport) -> None:
        book = report.book
        assert book is not None
        with self._lock:
            job.output, job.pages, job.failures = book.out, book.pages, dict(report.failures)
            if not report.complete:
                self._end(job, "failed", _incomplete_msg(report, job.printer), _INCOMPLETE_HINT)
                return
            if job.printer is None:
                self._end(job, "done", _written_msg(report))
                return
            job.message = Msg(f"đang gửi tới máy in {job.printer}",
                              f"sending to printer {job.printer}")
        try:
            printed = send_to_printer(book.out, job.printer)
        except DocgenError as exc:
            with self._lock:
                self._end(job, "failed", exc.message, exc.hint)
            return
        except Exception as exc:
            log.exception("print job %s: sending to %s failed", job.id, job.printer)
            with self._lock:
                self._end(job, "failed", Msg(f"lỗi không mong đợi khi gửi máy in: {exc}",
                                             f"unexpected error sending to the printer: {exc}"))
            return
        written = _written_msg(report)
        with self._lock:
            job.printer_job = printed
            self._end(job, "done", Msg(
                f"{written.vi}; đã gửi tới máy in {job.printer}: lệnh in {printed}",
                f"{written.en}; sent to printer {job.printer}: job {printed}"))
