"""Printing books on the web (docgen.web.printjobs): the choice by cells, kinds and a period
or by the current search, read through the Reader (never more than the user may see); the
background job's progress, its book (cover, contents, bookmarks, page numbers) and its CUPS
job; another user's job not found; CSRF; a server without print jobs or shutting down.

Real LibreOffice (one warm converter for the module), real archive (the session's two-cell
archive; this module's copy has every paper's PDF in its cache, made by that converter, so
most books are assembled from the cache; the tests that need conversions remove it), real
CUPS with a cups-pdf queue (as tests/printing does it).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import CELL_A, CELL_B, NAME_B, Site, csrf_of, settings_for
from pypdf import PdfReader

from docgen.accounts import Accounts
from docgen.archive import Archive
from docgen.archive.filters import DocFilter
from docgen.kinds import KINDS
from docgen.model.meta import ArchivedDoc
from docgen.model.text import upper_first
from docgen.printing.book import outline_title
from docgen.printing.cache import cache_path, pdf_for
from docgen.printing.jobs import CANCELLED, STOPPING
from docgen.printing.service import PrintJobs, WarmConverter
from docgen.web.printjobs import EMPTY, UNAVAILABLE
from docgen.web.reads import Reader

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "printing"))

from printing_support import require_tool, start_printer  # noqa: E402

pytestmark = pytest.mark.libreoffice

NAME_A = "CHI BỘ THÔN AN THÀNH"
MINUTES = tuple(k for k, spec in KINDS.items() if spec.minutes)
Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
SHUTDOWN_WAIT = 60.0  # a conversion under way ends first (slow on a loaded machine)




# --------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def converter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WarmConverter]:
    settings = settings_for(tmp_path_factory.mktemp("soffice") / "archive")
    require_tool(settings.soffice)
    with WarmConverter(settings) as warm:
        warm.start()
        yield warm


@pytest.fixture(scope="module")
def web_archive(web_archive: Path, converter: WarmConverter,
                tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's two-cell archive with every paper's PDF in its cache (``site`` copies
    it for each test of this module)."""
    root = tmp_path_factory.mktemp("print-archive") / "archive"
    shutil.copytree(web_archive, root, symlinks=True)
    settings = settings_for(root)
    for doc in _current(root):
        pdf_for(doc, settings, converter)
    return root


@pytest.fixture
def jobs(site: Site, converter: WarmConverter, tmp_path: Path) -> Iterator[PrintJobs]:
    service = PrintJobs(site.settings, converter, tmp_path / "books")
    site.app.config["WEB"].jobs = service
    site.app.config["WEB"].converter = converter
    yield service
    assert service.shutdown(wait=SHUTDOWN_WAIT)


@pytest.fixture(scope="module")
def printer() -> str:
    """The cups-pdf queue of the printing tests (cupsd started when it is not running)."""
    require_tool("cupsd")
    require_tool("lpadmin")
    return start_printer()


# --------------------------------------------------------------------- helpers
def _current(root: Path) -> list[ArchivedDoc]:
    archive = Archive(root)
    try:
        return list(archive.iter_current())
    finally:
        archive.close()


def _expected(root: Path, cell: str | None = None, kinds: tuple[str, ...] = (),
              period: tuple[dt.date, dt.date] | None = None) -> list[ArchivedDoc]:
    """The papers a choice designates, found without the web app, in the book's order."""
    found = [d for d in _current(root) if d.status == "current"
             and (cell is None or d.meta.cell == cell) and (not kinds or d.meta.kind in kinds)
             and (period is None or period[0] <= d.meta.date <= period[1])]
    return sorted(found, key=lambda d: (d.meta.date, d.meta.number or 0, d.id))


def _uncache(root: Path) -> None:
    """Remove every cached PDF: the next book converts each paper again."""
    for folder in root.glob("[0-9]*/[0-9]*/*/cache"):
        shutil.rmtree(folder)


def _page(client: Any, path: str) -> str:
    resp = client.get(path)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:800]
    return str(resp.get_data(as_text=True))


def _post(client: Any, data: dict[str, Any], token: str | None = None) -> Any:
    form = dict(data)
    form["csrf_token"] = token or csrf_of(client, "/print")
    return client.post("/print", data=form)


def _start(client: Any, data: dict[str, Any]) -> str:
    resp = _post(client, {"action": "print", **data})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:1500]
    found = re.fullmatch(r".*/print/job/([0-9a-f]+)", resp.headers["Location"])
    assert found, resp.headers["Location"]
    return found.group(1)


def _wait(client: Any, job_id: str, seconds: float = 180.0) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        resp = client.get(f"/print/job/{job_id}/status")
        assert resp.status_code == 200 and resp.mimetype == "application/json"
        data: dict[str, Any] = resp.get_json()
        if data["ended"]:
            return data
        assert time.monotonic() < deadline, data
        time.sleep(0.05)


def _book(client: Any, job_id: str) -> tuple[PdfReader, Any]:
    resp = client.get(f"/print/job/{job_id}/book")
    data = resp.data
    resp.close()  # the file the response streamed
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert data.startswith(b"%PDF")
    return PdfReader(io.BytesIO(data)), resp


def _outline(book: PdfReader) -> list[tuple[str, int]]:
    """(title, first page, 0-based) of every bookmark."""
    return [(str(item.title), book.get_destination_page_number(item)) for item in book.outline]


def _text(book: PdfReader, page: int | None = None) -> str:
    pages = book.pages if page is None else [book.pages[page]]
    return unicodedata.normalize("NFC", " ".join(p.extract_text() for p in pages))


def _check_book(book: PdfReader, docs: list[ArchivedDoc], cover: bool = True) -> None:
    """Bookmarks naming exactly ``docs`` in order, each at its paper's first page; pages =
    cover and contents + the pages of the papers' PDFs; the contents list every paper."""
    outline = _outline(book)
    assert [title for title, _ in outline] == [outline_title(d.meta) for d in docs]
    parts = [len(PdfReader(cache_path(d)).pages) for d in docs]
    front = outline[0][1]  # cover + contents pages
    assert front == (1 if cover else 0) + 1  # one contents page for a few papers
    starts = [front + sum(parts[:i]) for i in range(len(parts))]
    assert [page for _, page in outline] == starts
    assert len(book.pages) == front + sum(parts)
    contents = _text(book, front - 1)
    assert "MỤC LỤC" in contents
    for doc, start in zip(docs, starts, strict=True):
        assert doc.meta.number_text in contents and vn_date_text(doc) in contents
        assert str(start + 1) in contents


def vn_date_text(doc: ArchivedDoc) -> str:
    date = doc.meta.date
    return f"{date.day}/{date.month}/{date.year}"


def _reader(site: Site, login: str) -> Reader:
    user = Accounts(site.root).get(login)
    assert user is not None
    return Reader(site.settings, user, site.app.config["INDEX"])


# --------------------------------------------------------------------- the form
def test_the_form_offers_the_readers_cells_every_kind_and_the_printers(
        site: Site, jobs: PrintJobs, printer: str) -> None:
    page = _page(site.client("bt.a"), "/print")
    assert re.search(rf'name="cell" value="{CELL_A}" checked', page)  # the one cell, preselected
    assert f'value="{CELL_B}"' not in page and NAME_B not in page
    for kind, spec in KINDS.items():
        assert f'name="kind" value="{kind}"' in page and spec.label.vi in page
    assert 'data-kinds="' + " ".join(MINUTES) + '"' in page  # "Sổ biên bản"
    resolutions = " ".join(k for k, s in KINDS.items() if s.resolution)
    assert f'data-kinds="{resolutions}"' in page and "Sổ nghị quyết" in page
    assert 'type="date" name="from"' in page and 'name="quarter"' in page
    assert f'<option value="{printer}"' in page  # lpstat -e
    assert page.count('name="csrf_token"') >= 2  # the print form and the logout form
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None and 'style="' not in page  # CSP
    assert 'src="/static/print.js"' in page
    committee = _page(site.client("ubnd"), "/print")
    assert f'name="cell" value="{CELL_A}">' in committee and f'name="cell" value="{CELL_B}">' in committee
    english = site.client("bt.a")
    english.get("/lang/en")
    assert "Print a book" in _page(english, "/print")


def test_the_dry_run_counts_what_the_reader_may_see(site: Site, jobs: PrintJobs) -> None:
    client = site.client("bt.a")
    minutes_q1 = _expected(site.root, NAME_A, MINUTES, Q1)
    assert len(minutes_q1) == 3
    query = "&".join(f"kind={k}" for k in MINUTES)
    data = client.get(f"/print/count?cell={CELL_A}&{query}&year=2026&quarter=1").get_json()
    assert data["count"] == 3 and "3 văn bản" in data["text"]
    data = client.get(f"/print/count?cell={CELL_A}&{query}&from=2026-03-06&to=2026-12-31").get_json()
    assert data["count"] == len(_expected(site.root, NAME_A, MINUTES,
                                          (dt.date(2026, 3, 6), dt.date(2026, 12, 31)))) == 3
    assert client.get("/print/count").get_json()["count"] == len(_expected(site.root, NAME_A))
    # the POST preview step (no JavaScript): the same count, nothing started
    resp = _post(client, {"action": "count", "cell": CELL_A, "kind": list(MINUTES), "year": "2026",
                          "quarter": "1"})
    assert resp.status_code == 200 and "Lựa chọn này có 3 văn bản." in resp.get_data(as_text=True)
    assert jobs.jobs("bt.a") == []
    # a link with parameters shows the choice ticked and counted
    page = _page(client, f"/print?cell={CELL_A}&kind=nghi-quyet&year=2026")
    assert 'name="kind" value="nghi-quyet" checked' in page and 'value="2026"' in page
    assert "Lựa chọn này có 1 văn bản." in page
    # bad values: the form says which, nothing is counted
    bad = client.get("/print/count?from=2026-05-01&to=2026-04-01")
    assert bad.status_code == 400 and "sau" in bad.get_json()["error"]
    bad = client.get("/print?quarter=2")
    assert bad.status_code == 400 and "chưa chọn năm" in bad.get_data(as_text=True)
    bad = client.get("/print/count?kind=khong-co-loai-nay")
    assert bad.status_code == 400 and "khong-co-loai-nay" in bad.get_json()["error"]


# --------------------------------------------------------------------- books
def test_a_secretary_prints_the_minutes_of_a_quarter(site: Site, jobs: PrintJobs) -> None:
    _uncache(site.root)  # this book converts its papers: the progress is seen running
    client = site.client("bt.a")
    job_id = _start(client, {"cell": CELL_A, "kind": list(MINUTES), "year": "2026", "quarter": "1",
                             "cover": ["0", "1"], "duplex": "0", "printer": ""})
    page = _page(client, f"/print/job/{job_id}")
    assert "<progress" in page and f'data-job-status="/print/job/{job_id}/status"' in page
    running = jobs.status(job_id, "bt.a")
    assert not running.ended, running  # three papers to convert
    assert '<meta http-equiv="refresh" content="2">' in page and "Hủy lệnh in" in page
    done = _wait(client, job_id)
    assert done["state"] == "done" and done["done"] == done["total"] == 3, done
    assert done["printer_job"] is None and done["percent"] == 100
    page = _page(client, f"/print/job/{job_id}")
    assert 'http-equiv="refresh"' not in page and 'value="3" max="3"' in page
    assert f'href="/print/job/{job_id}/book"' in page and str(done["pages"]) in page
    assert "Xong" in page and "Đã ghi sổ" in page
    book, resp = _book(client, job_id)
    docs = _expected(site.root, NAME_A, MINUTES, Q1)
    assert resp.headers["Content-Disposition"].startswith("attachment")
    assert done["filename"] == "SO-BB-2026-03-05-den-2026-03-24-an-thanh.pdf"
    assert done["filename"] in resp.headers["Content-Disposition"]
    _check_book(book, docs)
    assert len(book.pages) == done["pages"]
    cover = _text(book, 0)
    assert "SỔ BIÊN BẢN" in cover and NAME_A in cover and "Gồm 3 văn bản" in cover
    assert "Từ ngày 5/3/2026 đến ngày 24/3/2026" in cover
    assert "BÌNH MINH" not in _text(book)
    # the job is listed under the form, by its title
    assert "Sổ biên bản · CHI BỘ THÔN AN THÀNH · 5/3/2026–24/3/2026" in _page(client, "/print")


def test_a_forged_cell_puts_no_paper_of_it_in_the_book(site: Site, jobs: PrintJobs) -> None:
    client = site.client("bt.b")
    page = _page(client, "/print")
    assert f'value="{CELL_A}"' not in page and NAME_A not in page
    assert client.get(f"/print/count?cell={CELL_A}").get_json()["count"] == 0
    resp = _post(client, {"action": "print", "cell": CELL_A, "kind": list(MINUTES)})
    assert resp.status_code == 400 and EMPTY.vi in resp.get_data(as_text=True)
    assert jobs.jobs("bt.b") == []
    # with their own cell beside it: only their own papers
    job_id = _start(client, {"cell": [CELL_A, CELL_B], "kind": list(MINUTES)})
    assert _wait(client, job_id)["state"] == "done"
    book, _ = _book(client, job_id)
    own = _expected(site.root, NAME_B, MINUTES)
    assert len(own) == 1
    _check_book(book, own)
    text = _text(book)
    assert NAME_B in text and "AN THÀNH" not in text


def test_the_committee_prints_both_cells(site: Site, jobs: PrintJobs) -> None:
    client = site.client("ubnd")
    job_id = _start(client, {"cell": [CELL_A, CELL_B], "kind": "nghi-quyet", "cover": ["0", "1"]})
    status = _wait(client, job_id)
    assert status["state"] == "done" and status["total"] == 2
    book, _ = _book(client, job_id)
    docs = _expected(site.root, None, ("nghi-quyet",))
    assert {d.meta.cell for d in docs} == {NAME_A, NAME_B}
    _check_book(book, docs)
    assert "2 chi bộ" in status["title"]
    # no cell ticked: every cell the committee reads, here without a cover
    job_id = _start(client, {"kind": "nghi-quyet", "cover": "0"})
    assert _wait(client, job_id)["state"] == "done"
    book, _ = _book(client, job_id)
    _check_book(book, docs, cover=False)


def test_printing_the_current_search_puts_exactly_its_matches_in(site: Site,
                                                                 jobs: PrintJobs) -> None:
    client = site.client("bt.a")
    found = _reader(site, "bt.a").search("kết nạp", DocFilter(), limit=100)
    assert 1 < found.total < len(_expected(site.root, NAME_A))  # some papers, not all
    matches = sorted((_reader(site, "bt.a").get(h.id) for h in found.hits),
                     key=lambda d: (d.meta.date, d.meta.number or 0, d.id))
    page = _page(client, "/print?q=k%E1%BA%BFt+n%E1%BA%A1p")
    assert f"Lựa chọn này có {found.total} văn bản." in page
    assert "In kết quả tìm kiếm" in page and "kết nạp" in page
    hidden = dict(re.findall(r'<input type="hidden" name="(q|cell|kind|year|topic|from|to)" value="([^"]*)">',
                             page))
    assert hidden == {"q": "kết nạp"}
    job_id = _start(client, hidden)
    assert _wait(client, job_id)["state"] == "done"
    book, _ = _book(client, job_id)
    _check_book(book, matches)
    assert "BÌNH MINH" not in _text(book)
    # the search's filters are carried too: the committee's search within binh-minh
    committee = site.client("ubnd")
    narrowed = _reader(site, "ubnd").search("kết nạp", DocFilter(cell=NAME_B), limit=100)
    assert narrowed.total == 1
    page = _page(committee, f"/print?q=k%E1%BA%BFt+n%E1%BA%A1p&cell={CELL_B}")
    assert "Lựa chọn này có 1 văn bản." in page and NAME_B in page
    job_id = _start(committee, {"q": "kết nạp", "cell": CELL_B})
    assert _wait(committee, job_id)["total"] == 1
    book, _ = _book(committee, job_id)
    _check_book(book, [_reader(site, "ubnd").get(narrowed.hits[0].id)])


def test_a_book_sent_to_the_cups_pdf_printer_reports_its_job(site: Site, jobs: PrintJobs,
                                                             printer: str) -> None:
    client = site.client("bt.a")
    job_id = _start(client, {"cell": CELL_A, "kind": "nghi-quyet", "printer": printer})
    status = _wait(client, job_id)
    assert status["state"] == "done", status
    assert status["printer"] == printer and re.fullmatch(rf"{printer}-\d+", status["printer_job"])
    page = _page(client, f"/print/job/{job_id}")
    assert status["printer_job"] in page and f"đã gửi tới máy in {printer}" in page
    book, _ = _book(client, job_id)  # the book stays downloadable
    _check_book(book, _expected(site.root, NAME_A, ("nghi-quyet",)))
    # a printer the server does not have: said at once, nothing started
    resp = _post(client, {"action": "print", "cell": CELL_A, "printer": "khong-co-may-in"})
    assert resp.status_code == 400 and "khong-co-may-in" in resp.get_data(as_text=True)
    assert len(jobs.jobs("bt.a")) == 1


# --------------------------------------------------------------------- permissions
def test_another_users_job_is_not_found(site: Site, jobs: PrintJobs) -> None:
    owner = site.client("bt.a")
    job_id = _start(owner, {"cell": CELL_A, "kind": "nghi-quyet"})
    assert _wait(owner, job_id)["state"] == "done"
    paths = (f"/print/job/{job_id}", f"/print/job/{job_id}/status", f"/print/job/{job_id}/book")
    for login in ("bt.b", "ubnd"):
        other = site.client(login)
        for path in paths:
            assert other.get(path).status_code == 404, (login, path)
        assert other.get(paths[1]).get_json()["status"] == 404
        token = csrf_of(other, "/print")
        assert other.post(f"/print/job/{job_id}/cancel", data={"csrf_token": token}).status_code == 404
    for path in paths:
        resp = owner.get(path)
        resp.close()
        assert resp.status_code == 200
    assert owner.get("/print/job/0123456789abcdef/status").status_code == 404


def test_a_post_without_the_csrf_token_is_refused(site: Site, jobs: PrintJobs) -> None:
    client = site.client("bt.a")
    resp = client.post("/print", data={"action": "print", "cell": CELL_A})
    assert resp.status_code == 400
    resp = client.post("/print", data={"action": "print", "cell": CELL_A, "csrf_token": "forged"})
    assert resp.status_code == 400
    assert jobs.jobs("bt.a") == []
    job_id = _start(client, {"cell": CELL_A, "kind": "bao-cao"})
    assert client.post(f"/print/job/{job_id}/cancel").status_code == 400


# --------------------------------------------------------------------- ending badly
def test_a_job_stopped_by_the_shutdown_says_so(site: Site, jobs: PrintJobs) -> None:
    _uncache(site.root)  # eleven conversions: the job is still running when stopped
    client = site.client("bt.a")
    job_id = _start(client, {"cell": CELL_A})
    running = _page(client, f"/print/job/{job_id}")
    assert '<meta http-equiv="refresh" content="2">' in running
    assert jobs.shutdown(wait=SHUTDOWN_WAIT)
    status = _wait(client, job_id)
    assert status["state"] == "failed" and status["book_url"] is None
    assert status["message"] == upper_first(STOPPING.vi)
    page = client.get(f"/print/job/{job_id}").get_data(as_text=True)
    assert "Không thành công" in page and upper_first(STOPPING.vi) in page and 'http-equiv="refresh"' not in page
    assert client.get(f"/print/job/{job_id}/book").status_code == 404
    # the service refuses new books: said on the form
    resp = _post(client, {"action": "print", "cell": CELL_A, "kind": "nghi-quyet"})
    assert resp.status_code == 503 and STOPPING.vi in resp.get_data(as_text=True)


def test_a_queued_job_is_cancelled_by_its_owner(site: Site, converter: WarmConverter,
                                                tmp_path: Path) -> None:
    _uncache(site.root)
    service = PrintJobs(site.settings, converter, tmp_path / "books", workers=1)
    site.app.config["WEB"].jobs = service
    try:
        client = site.client("bt.a")
        first = _start(client, {"cell": CELL_A})  # the one worker converts eleven papers
        second = _start(client, {"cell": CELL_A, "kind": "nghi-quyet"})
        assert service.status(second, "bt.a").state == "queued"
        token = csrf_of(client, "/print")
        resp = client.post(f"/print/job/{second}/cancel", data={"csrf_token": token})
        assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/print/job/{second}")
        status = _wait(client, second, 5)
        assert status["state"] == "failed" and status["message"] == upper_first(CANCELLED.vi)
        assert upper_first(CANCELLED.vi) in client.get(f"/print/job/{second}").get_data(as_text=True)
        assert service.status(first, "bt.a").state in ("running", "queued", "done")
    finally:
        assert service.shutdown(wait=SHUTDOWN_WAIT)


def test_a_server_without_print_jobs_says_printing_is_unavailable(site: Site) -> None:
    assert site.app.config["WEB"].jobs is None
    client = site.client("bt.a")
    resp = client.get("/print")
    assert resp.status_code == 503 and UNAVAILABLE.vi in resp.get_data(as_text=True)
    assert client.get("/print/count").status_code == 503
    assert client.get("/print/job/0123/status").get_json()["status"] == 503
    resp = _post(client, {"action": "print", "cell": CELL_A})
    assert resp.status_code == 503 and UNAVAILABLE.vi in resp.get_data(as_text=True)
