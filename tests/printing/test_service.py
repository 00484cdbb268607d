"""The web service's printing (issue 12): one warm LibreOffice shared by threads, page
previews, background print jobs with progress. Real LibreOffice, real archive (the examples
filed with examples/docgen.toml and examples/profile.yaml), real CUPS (cups-pdf)."""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import re
import signal
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from printing_support import make_docs
from pypdf import PdfReader

from docgen import app
from docgen.config import Settings, load_settings
from docgen.errors import ArchiveError, PrintError
from docgen.model import load_input
from docgen.model.meta import ArchivedDoc
from docgen.printing import jobs as jobs_module
from docgen.printing.cache import cache_path, cached_pdf
from docgen.printing.converter import wait_gone
from docgen.printing.jobs import CANCELLED, STOPPING
from docgen.printing.service import (
    PNG_SIGNATURE,
    STOPPED,
    JobStatus,
    PrintJobs,
    UnknownJob,
    WarmConverter,
    png_size,
)
from docgen.render import Renderer

pytestmark = pytest.mark.libreoffice

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILED = ("bien-ban-thuong-ky", "nghi-quyet", "bao-cao")


@dataclasses.dataclass
class Cell:
    settings: Settings
    docs: list[ArchivedDoc]  # the filed examples, in FILED order
    docx: dict[str, bytes]  # the same examples rendered, not filed


def _settings(root: Path) -> Settings:
    return load_settings({"config_path": EXAMPLES / "docgen.toml", "archive_root": root})


def _file(settings: Settings, names: tuple[str, ...]) -> list[ArchivedDoc]:
    report = app.new_documents(settings, [EXAMPLES / f"{name}.yaml" for name in names])
    assert report.ok, report.failed
    return report.filed


@pytest.fixture(scope="module")
def cell(tmp_path_factory: pytest.TempPathFactory) -> Cell:
    settings = _settings(tmp_path_factory.mktemp("service") / "archive")
    renderer = Renderer(settings)
    docx = {name: renderer.render(load_input(EXAMPLES / f"{name}.yaml", settings)).docx
            for name in FILED}
    return Cell(settings, _file(settings, FILED), docx)


@pytest.fixture(scope="module")
def warm(cell: Cell) -> Iterator[WarmConverter]:
    with WarmConverter(cell.settings) as converter:
        converter.start()
        yield converter


@pytest.fixture(scope="module")
def jobs(cell: Cell, warm: WarmConverter, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[PrintJobs]:
    service = PrintJobs(cell.settings, warm, tmp_path_factory.mktemp("jobs"))
    yield service
    assert service.shutdown()


def _text(pdf: bytes | Path, page: int | None = None) -> str:
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    pages = reader.pages if page is None else [reader.pages[page]]
    return unicodedata.normalize("NFC", " ".join(p.extract_text() for p in pages))


def _sessions_alive(sessions: tuple[int, ...]) -> list[int]:
    """Processes (not zombies) in the sessions of ``sessions`` (the listener's soffice and
    helper each lead one, so soffice.bin, their child, is found too)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) in sessions:
            found.append(int(stat.parent.name))
    return found


def _gone(sessions: tuple[int, ...], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while _sessions_alive(sessions):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _wait(service: PrintJobs, job_id: str, owner: str, seen: list[JobStatus] | None = None,
          seconds: float = 120.0) -> JobStatus:
    deadline = time.monotonic() + seconds
    while True:
        status = service.status(job_id, owner)
        if seen is not None:
            seen.append(status)
        if status.ended:
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.02)


# --------------------------------------------------------------------- warm converter


def test_two_threads_convert_at_once_taking_turns(cell: Cell, warm: WarmConverter,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    starts, pids = warm.starts, warm.pids
    inside, most = [0], [0]
    original = warm._convert_with_retry

    def counted(*args: Any) -> Path:
        inside[0] += 1
        most[0] = max(most[0], inside[0])
        try:
            time.sleep(0.05)  # long enough for the other thread to try to come in
            return original(*args)
        finally:
            inside[0] -= 1

    monkeypatch.setattr(warm, "_convert_with_retry", counted)
    gate = threading.Barrier(2)
    results: dict[str, bytes] = {}
    errors: list[BaseException] = []

    def convert(name: str) -> None:
        gate.wait()
        try:
            results[name] = warm.pdf_of_docx_bytes(cell.docx[name])
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=convert, args=(name,)) for name in FILED[:2]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors and sorted(results) == sorted(FILED[:2])
    assert most[0] == 1  # one conversion at a time
    assert "BIÊN BẢN" in _text(results["bien-ban-thuong-ky"])
    assert "NGHỊ QUYẾT" in _text(results["nghi-quyet"])
    assert all(len(PdfReader(io.BytesIO(pdf)).pages) >= 1 for pdf in results.values())
    assert warm.starts == starts and warm.pids == pids  # the same warm LibreOffice


def test_pdf_of_docx_bytes_leaves_no_temporary_file(cell: Cell, warm: WarmConverter,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    pdf = warm.pdf_of_docx_bytes(cell.docx["bao-cao"])
    assert pdf.startswith(b"%PDF") and "BÁO CÁO" in _text(pdf)
    preview = warm.preview(cell.docx["bao-cao"])
    assert preview.pages
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_no_docx_is_a_print_error_and_the_worker_goes_on(
        cell: Cell, warm: WarmConverter) -> None:
    with pytest.raises(PrintError) as caught:
        warm.pdf_of_docx_bytes(b"PK\x03\x04 not really a zip")
    assert "docx" in caught.value.message.en and caught.value.exit_code == 9
    assert "BÁO CÁO" in _text(warm.pdf_of_docx_bytes(cell.docx["bao-cao"]))


def test_pdf_for_uses_and_fills_the_archive_cache(cell: Cell, warm: WarmConverter) -> None:
    doc = cell.docs[2]
    pdf = warm.pdf_for(doc)
    assert pdf == cache_path(doc) and cached_pdf(doc) == pdf
    conversions = warm.conversions
    assert warm.pdf_for(doc) == pdf and warm.conversions == conversions  # a cache hit
    preview = warm.preview_doc(doc)
    assert preview.pdf == pdf.read_bytes() and warm.conversions == conversions


def test_a_dead_listener_is_restarted_before_the_next_conversion(cell: Cell,
                                                                 warm: WarmConverter) -> None:
    office, helper = warm.pids
    starts, restarts = warm.starts, warm.restarts
    os.killpg(office, signal.SIGKILL)
    assert _gone((office,))
    pdf = warm.pdf_of_docx_bytes(cell.docx["nghi-quyet"])
    assert "NGHỊ QUYẾT" in _text(pdf)
    assert warm.starts == starts + 1 and warm.restarts == restarts + 1
    assert office not in warm.pids and wait_gone([office, helper])


# --------------------------------------------------------------------------- preview


def test_preview_pages_are_png_images_readable_on_a_phone(cell: Cell,
                                                          warm: WarmConverter) -> None:
    docx = cell.docx["bien-ban-thuong-ky"]
    warm.preview(docx)  # the first after the restart above may pay for LibreOffice's start
    began = time.monotonic()
    preview = warm.preview(docx)
    elapsed = time.monotonic() - began
    assert preview.page_count == len(PdfReader(io.BytesIO(preview.pdf)).pages) >= 2
    assert len(preview.pages) == preview.page_count and preview.dpi == 72
    for page in preview.pages:
        assert page.png.startswith(PNG_SIGNATURE)
        assert (page.width, page.height) == png_size(page.png) == (596, 842)  # A4 at 72 dpi
    assert "BIÊN BẢN" in _text(preview.pdf, 0)
    logging.getLogger(__name__).info("warm preview: %.3f s", elapsed)
    sharper = warm.preview(docx, dpi=96, max_pages=1)
    assert sharper.page_count == preview.page_count and len(sharper.pages) == 1
    assert (sharper.pages[0].width, sharper.pages[0].height) == (794, 1123)
    with pytest.raises(ValueError):
        warm.preview(docx, dpi=5000)


# ------------------------------------------------------------------------------ close


def _stuck_before_converting(converter: WarmConverter, inside: threading.Event,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    original = converter._convert_with_retry

    def slow(*args: Any) -> Path:
        inside.set()
        time.sleep(0.5)  # close() kills LibreOffice meanwhile
        return original(*args)

    monkeypatch.setattr(converter, "_convert_with_retry", slow)


def test_close_stops_libreoffice_for_good(cell: Cell) -> None:
    with WarmConverter(cell.settings) as converter:
        assert converter.pids == ()  # lazy: nothing runs before the first use
        assert "BÁO CÁO" in _text(converter.pdf_of_docx_bytes(cell.docx["bao-cao"]))
        sessions = converter.pids
        assert len(sessions) == 2 and _sessions_alive(sessions)
        converter.close()
        assert converter.closed and converter.pids == ()
        assert _gone(sessions) and wait_gone(list(sessions))
        converter.close()  # idempotent
        with pytest.raises(PrintError) as caught:
            converter.pdf_of_docx_bytes(cell.docx["bao-cao"])
        assert caught.value.message == STOPPED
        with pytest.raises(PrintError):
            converter.start()
    assert converter.pids == ()


def test_close_during_a_conversion_kills_it_and_nothing_restarts(
        cell: Cell, monkeypatch: pytest.MonkeyPatch) -> None:
    converter = WarmConverter(cell.settings)
    converter.start()
    sessions = converter.pids
    inside = threading.Event()
    _stuck_before_converting(converter, inside, monkeypatch)
    errors: list[BaseException] = []

    def convert() -> None:
        try:
            converter.pdf_of_docx_bytes(cell.docx["bao-cao"])
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=convert)
    thread.start()
    assert inside.wait(30)
    converter.close(grace=0)
    thread.join(30)
    assert len(errors) == 1 and isinstance(errors[0], PrintError), errors
    assert errors[0].message == STOPPED
    assert converter.starts == 1 and converter.pids == ()
    assert _gone(sessions)


# ------------------------------------------------------------------------- print jobs


def test_a_print_job_reaches_done_with_progress_and_a_book(cell: Cell, warm: WarmConverter,
                                                          jobs: PrintJobs) -> None:
    missing = [doc for doc in cell.docs if cached_pdf(doc) is None]
    conversions, starts = warm.conversions, warm.starts
    seen: list[JobStatus] = []
    job_id = jobs.start(cell.docs, "alice", "Sổ văn bản quý I")
    status = _wait(jobs, job_id, "alice", seen)
    assert status.state == "done", status.message
    assert (status.done, status.total, status.fraction) == (3, 3, 1.0)
    dones = [s.done for s in seen]
    assert dones == sorted(dones) and all(s.state in ("queued", "running", "done") for s in seen)
    assert status.title == "Sổ văn bản quý I" and status.owner == "alice"
    assert "book written" in status.message.en and status.failures == {}
    assert status.output is not None and status.output.name == status.filename
    assert re.fullmatch(r"SO-VB-\d{4}-\d\d-\d\d-den-\d{4}-\d\d-\d\d-an-thanh\.pdf", status.filename)
    reader = PdfReader(status.output)
    assert len(reader.pages) == status.pages >= 2 + 3
    assert "SỔ VĂN BẢN" in _text(status.output, 0)  # the cover
    assert "MỤC LỤC" in _text(status.output, 1)  # the contents
    assert len(reader.outline) == 3
    # The warm converter did the conversions: no other LibreOffice was started.
    assert warm.conversions == conversions + len(missing) and warm.starts == starts
    assert all(cached_pdf(doc) is not None for doc in cell.docs)
    assert [s.id for s in jobs.jobs("alice")][:1] == [job_id]


def test_jobs_belong_to_their_owner(cell: Cell, jobs: PrintJobs) -> None:
    job_id = jobs.start(cell.docs[:1], "alice", "một văn bản")
    assert _wait(jobs, job_id, "alice").state == "done"
    for call in (jobs.status, jobs.cancel):
        with pytest.raises(UnknownJob) as caught:
            call(job_id, "bob")
        assert "no such print job" in caught.value.message.en
    with pytest.raises(UnknownJob):
        jobs.status("0" * 32, "alice")
    assert jobs.jobs("bob") == []
    assert job_id in [s.id for s in jobs.jobs("alice")]


def test_an_empty_selection_is_refused_at_once(jobs: PrintJobs) -> None:
    with pytest.raises(ArchiveError):
        jobs.start([], "alice", "rỗng")


def test_a_missing_printer_fails_the_job_with_its_message(cell: Cell, jobs: PrintJobs,
                                                         printer: str) -> None:
    job_id = jobs.start(cell.docs, "alice", "in", printer="no-such-printer-xyz")
    status = _wait(jobs, job_id, "alice")
    assert status.state == "failed" and status.printer_job is None
    assert "no-such-printer-xyz" in status.message.en and status.hint is not None
    assert status.output is not None and status.output.is_file()  # the book stays available


def test_a_job_sent_to_the_cups_pdf_printer_has_its_job_id(cell: Cell, jobs: PrintJobs,
                                                           printer: str) -> None:
    job_id = jobs.start(cell.docs[:2], "alice", "in thử", printer=printer)
    status = _wait(jobs, job_id, "alice")
    assert status.state == "done", status.message
    assert status.printer == printer and status.printer_job is not None
    assert re.fullmatch(rf"{printer}-\d+", status.printer_job)
    assert f"job {status.printer_job}" in status.message.en


def test_a_document_that_does_not_convert_fails_the_job_as_print_does(
        warm: WarmConverter, jobs: PrintJobs, tmp_path: Path) -> None:
    good, bad = make_docs(tmp_path, 2)
    bad.docx_path.write_bytes(b"not a docx at all")
    job_id = jobs.start([good, bad], "alice", "thiếu một")
    status = _wait(jobs, job_id, "alice")
    assert status.state == "failed" and (status.done, status.total) == (2, 2)
    assert list(status.failures) == [bad.id] and "is corrupt" in status.failures[bad.id].en
    assert f"the book lacks 1 document ({bad.id})" in status.message.en
    assert status.output is not None and len(PdfReader(status.output).outline) == 1
    only_bad = jobs.start([bad], "alice", "không có gì")
    nothing = _wait(jobs, only_bad, "alice")
    assert nothing.state == "failed" and "no book written" in nothing.message.en
    assert nothing.output is None and not (jobs.folder / f"job-{only_bad}").exists()


def test_a_tampered_document_fails_the_job_and_writes_nothing(
        warm: WarmConverter, tmp_path: Path) -> None:
    settings = _settings(tmp_path / "archive")
    doc = _file(settings, ("bao-cao",))[0]
    doc.docx_path.write_bytes(doc.docx_path.read_bytes() + b"tampered")
    service = PrintJobs(settings, warm, tmp_path / "jobs")
    job_id = service.start([doc], "alice", "hỏng")
    status = _wait(service, job_id, "alice")
    assert status.state == "failed" and status.output is None
    assert doc.id in status.message.en and status.hint is not None
    assert "--force" in status.hint.en
    assert list((tmp_path / "jobs").iterdir()) == []
    assert service.shutdown()


def _held(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """print_book as it is, but its first progress report waits for ``release``."""
    started, release = threading.Event(), threading.Event()
    real = jobs_module.print_book

    def held(*args: Any, progress: Callable[[str], object], **kwargs: Any) -> Any:
        def report(doc_id: str) -> object:
            started.set()
            assert release.wait(60)
            return progress(doc_id)

        return real(*args, progress=report, **kwargs)

    monkeypatch.setattr(jobs_module, "print_book", held)
    return started, release


def test_shutdown_cancels_queued_and_running_jobs_and_leaves_no_file(
        cell: Cell, warm: WarmConverter, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    started, release = _held(monkeypatch)
    service = PrintJobs(cell.settings, warm, tmp_path / "jobs", workers=1)
    running = service.start(cell.docs, "alice", "dài")
    assert started.wait(60)
    queued = service.start(cell.docs, "alice", "chờ")
    assert service.status(queued, "alice").state == "queued"
    assert service.shutdown(wait=0.2) is False  # the running one is held in its progress
    assert service.status(queued, "alice").message == STOPPING
    with pytest.raises(PrintError):
        service.start(cell.docs, "alice", "muộn")
    release.set()
    status = _wait(service, running, "alice")
    assert status.state == "failed" and status.cancelled and status.message == STOPPING
    assert status.output is None and status.done == 1
    assert list((tmp_path / "jobs").iterdir()) == []
    assert service.shutdown(wait=10)  # the worker has ended


def test_the_owner_can_cancel_a_running_job(cell: Cell, warm: WarmConverter, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    started, release = _held(monkeypatch)
    service = PrintJobs(cell.settings, warm, tmp_path / "jobs", workers=1)
    job_id = service.start(cell.docs, "alice", "hủy")
    assert started.wait(60)
    assert service.cancel(job_id, "alice").cancelled
    release.set()
    status = _wait(service, job_id, "alice")
    assert status.state == "failed" and status.message == CANCELLED
    assert list((tmp_path / "jobs").iterdir()) == []
    assert service.shutdown()


def test_a_bug_fails_the_job_and_the_worker_goes_on(cell: Cell, warm: WarmConverter,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    real = jobs_module.print_book
    calls = [0]

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == 1:
            raise RuntimeError("boom")
        return real(*args, **kwargs)

    monkeypatch.setattr(jobs_module, "print_book", flaky)
    service = PrintJobs(cell.settings, warm, tmp_path / "jobs", workers=1)
    with caplog.at_level(logging.ERROR, logger="docgen.printing.jobs"):
        first = _wait(service, service.start(cell.docs, "alice", "lỗi"), "alice")
    assert first.state == "failed" and "RuntimeError: boom" in first.message.en
    assert "boom" in caplog.text
    assert _wait(service, service.start(cell.docs, "alice", "lại"), "alice").state == "done"
    assert service.shutdown()


def test_cleanup_forgets_old_books_and_old_leftovers(cell: Cell, warm: WarmConverter,
                                                     tmp_path: Path) -> None:
    folder = tmp_path / "jobs"
    service = PrintJobs(cell.settings, warm, folder, keep_hours=2)
    job_id = service.start(cell.docs[:1], "alice", "cũ")
    status = _wait(service, job_id, "alice")
    assert status.output is not None and status.output.is_file()
    leftover = folder / "job-0123456789abcdef"
    leftover.mkdir()
    (leftover / "SO.pdf").write_bytes(b"%PDF from a previous run")
    hours_ago = time.time() - 3 * 3600
    os.utime(leftover, (hours_ago, hours_ago))
    other = folder / "not-a-job"
    other.mkdir()
    os.utime(other, (hours_ago, hours_ago))
    assert service.cleanup() == []  # the book is recent
    assert not leftover.exists() and other.is_dir() and status.output.is_file()
    assert service.cleanup(now=time.time() + 3 * 3600) == [job_id]
    assert not status.output.parent.exists()
    with pytest.raises(UnknownJob):
        service.status(job_id, "alice")
    assert service.shutdown()
