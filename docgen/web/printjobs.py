"""Print: one book PDF (cover, contents, bookmarks, page numbers) of the papers chosen by
cells, kinds and a period, or of the current search, to download or to send to a CUPS
printer, with progress for long books (issue 12, point 6).

The papers of a book are chosen through the request's ``reader()`` only
(docgen.web.reads): a cell the user may not read adds nothing (a forged value gives an
empty selection), and "the current search" (``/print?q=…&cell=…&kind=…&year=…&topic=…``,
linked from the search screen) is read by the search screen's own ``parse_query`` and
answered by the same index with the same filter, so the book holds exactly its matches.
The book is made in the background by the server's ``PrintJobs``
(``app.config["WEB"].jobs``, docgen.printing.service), owned by the user's login: another
user's job is "not found" (404) for its page, its status and its book. A server made
without print jobs answers 503 on every print screen.

The form works without JavaScript (the "Đếm" button posts the form back with the count;
the kind shortcuts are links; the progress page refreshes itself with a
``<meta http-equiv="refresh">`` inside ``<noscript>``); static/print.js counts as the
choice changes and polls the job's JSON status every second.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.datastructures import MultiDict

from docgen.archive.filters import DocFilter, kind_id, topic_ids
from docgen.cells import CellEntry, scope_of
from docgen.errors import DocgenError, InputError, PrintError
from docgen.i18n import Msg, docs_en
from docgen.kinds import KINDS, get_kind
from docgen.model.meta import ArchivedDoc
from docgen.model.text import upper_first
from docgen.printing.service import JobStatus, PrintJobs, UnknownJob
from docgen.vn.dates import vn_date
from docgen.web.app import T, current_user, reader, say
from docgen.web.browse import (
    bad_param,
    cell_param,
    date_param,
    int_param,
    parse_query,
    topic_name,
    year_param,
)
from docgen.web.browse import kind_label as kind_name
from docgen.web.reads import NotVisible

bp = Blueprint("printjobs", __name__)

MAX_BOOK = 2000  # papers in one book (a larger choice is refused: narrow it)
RECENT_JOBS = 10  # the user's jobs listed under the form
LPSTAT_TIMEOUT = 5.0
SEARCH_PARAMS = ("q", "cell", "kind", "year", "topic", "from", "to")
QUARTERS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# A CUPS queue name: printable, no space, "/", "#", "\\" or quote; never an lp option.
PRINTER_NAME = re.compile(r"^[^\s/#\\'\"-][^\s/#\\'\"]{0,126}$")
STATES = {"queued": Msg("Đang chờ", "Queued"), "running": Msg("Đang làm", "Running"),
          "done": Msg("Xong", "Done"), "failed": Msg("Không thành công", "Failed")}
EMPTY = Msg("Không có văn bản nào phù hợp với lựa chọn này: chưa in gì.",
            "No paper matches this choice: nothing printed.")
EMPTY_HINT = Msg("bỏ bớt điều kiện (chi bộ, loại, thời gian) rồi đếm lại",
                 "drop a condition (cell, kind, period) and count again")
UNAVAILABLE = Msg("máy chủ này không có dịch vụ in sổ", "printing is unavailable on this server")
UNAVAILABLE_HINT = Msg(
    "người quản trị chạy máy chủ bằng `docgen serve` (cần LibreOffice) để in sổ; trong lúc "
    "chờ, in bằng lệnh `docgen print` trên máy có kho",
    "the administrator runs the server with `docgen serve` (LibreOffice needed) to print "
    "books; meanwhile print with `docgen print` on the archive's computer")


# ------------------------------------------------------------------ the choice
@dataclass(frozen=True)
class Choice:
    """What a form or a link asks to print, checked (the values as given, for the form)."""

    search: dict[str, str] | None = None  # "the current search": its parameters
    cells: tuple[str, ...] = ()  # cell ids (none: every cell the user reads)
    kinds: tuple[str, ...] = ()  # kind ids (none: every kind)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    year: int | None = None
    quarter: int | None = None
    topic: str = ""
    cover: bool = True
    duplex: bool = False
    printer: str = ""

    def period(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day asked for (the dates, narrowed to the quarter)."""
        lo, hi = self.date_from, self.date_to
        if self.year is not None and self.quarter:
            first, last = QUARTERS[self.quarter]
            q_lo = dt.date(self.year, first, 1)
            q_hi = dt.date(self.year, last, calendar.monthrange(self.year, last)[1])
            lo = max(lo, q_lo) if lo else q_lo
            hi = min(hi, q_hi) if hi else q_hi
        return lo, hi


def _flag(values: MultiDict[str, str], name: str, default: bool) -> bool:
    """A checkbox sent with a hidden "0" before it: absent from a link → ``default``."""
    if name not in values:
        return default
    return "1" in values.getlist(name)


def _printer(values: MultiDict[str, str]) -> str:
    name = (values.get("printer") or "").strip()
    if name and not PRINTER_NAME.match(name):
        raise bad_param("printer", name, Msg(
            "ghi tên hàng đợi CUPS như lpstat -e liệt kê (không dấu cách, không / # \\)",
            "write the CUPS queue name as lpstat -e lists it (no spaces, no / # \\)"))
    return name


def parse_choice(values: MultiDict[str, str]) -> Choice:
    """The choice of a form or a link; InputError/SearchError naming a bad parameter."""
    cover, duplex, printer = _flag(values, "cover", True), _flag(values, "duplex", False), _printer(values)
    if "q" in values:
        search = {k: (values.get(k) or "").strip() for k in SEARCH_PARAMS}
        search = {k: v for k, v in search.items() if v}
        parse_query(search)  # a bad value is this form's error, as it is the search's
        return Choice(search=search, cover=cover, duplex=duplex, printer=printer)
    kinds = tuple(dict.fromkeys(kind_id(v) for v in values.getlist("kind") if v.strip()))
    cells = tuple(dict.fromkeys(v.strip() for v in values.getlist("cell") if v.strip()))
    date_from, date_to = date_param(values, "from"), date_param(values, "to")
    if date_from and date_to and date_from > date_to:
        raise InputError(Msg(f"“từ ngày” ({vn_date(date_from)}) sau “đến ngày” ({vn_date(date_to)})",
                             f"“from” ({vn_date(date_from)}) is after “to” ({vn_date(date_to)})"),
                         hint=Msg("đổi chỗ hai ngày, hoặc bỏ một trong hai",
                                  "swap the two dates, or drop one"), field="from")
    year = year_param(values)
    quarter = int_param(values, "quarter", 0, 0, 4) or None
    if quarter and year is None:
        raise InputError(Msg("đã chọn quý nhưng chưa chọn năm", "a quarter is chosen but no year"),
                         hint=Msg("ghi năm (vd. 2026) hoặc chọn “cả năm”",
                                  "write the year (e.g. 2026) or choose “whole year”"), field="quarter")
    topic = (values.get("topic") or "").strip()
    if topic:
        topic_ids(topic)  # an unknown topic: SearchError naming the closest ones
    return Choice(cells=cells, kinds=kinds, date_from=date_from, date_to=date_to, year=year,
                  quarter=quarter, topic=topic, cover=cover, duplex=duplex, printer=printer)


# ------------------------------------------------------------------ the papers
def _filter(choice: Choice) -> DocFilter:
    """The one filter of a choice by cells, kinds and period (the reader adds its scope).

    Chosen cells narrow the scope to their names; a cell the user may not read is no
    name at all, so a choice of only such cells matches nothing."""
    scope: tuple[str, ...] | None = None
    if choice.cells:
        scope = scope_of(c for c in reader().my_cells() if c.id in choice.cells)
    lo, hi = choice.period()
    return DocFilter(kinds=choice.kinds, topic=choice.topic or None, date_from=lo, date_to=hi,
                     year=choice.year, scope=scope).using(current_app.config["SETTINGS"])


def count_of(choice: Choice) -> int:
    """How many papers the choice holds (what the user may see of it)."""
    if choice.search is not None:
        query = parse_query(choice.search)
        return reader().search(query.q or None, query.filt, limit=1).total
    return reader().count(_filter(choice))


def _too_many() -> InputError:
    return InputError(Msg(f"lựa chọn có hơn {MAX_BOOK} văn bản, quá nhiều cho một sổ",
                          f"the choice holds more than {MAX_BOOK} papers, too many for one book"),
                      hint=Msg("chọn ít chi bộ hơn, ít loại hơn hoặc một khoảng thời gian ngắn hơn",
                               "choose fewer cells, fewer kinds or a shorter period"))


def documents_of(choice: Choice) -> list[ArchivedDoc]:
    """The papers of the book, read through the Reader (never more than the user sees)."""
    if choice.search is not None:
        query = parse_query(choice.search)
        ids = reader().ids(query.q or None, query.filt, limit=MAX_BOOK + 1)
        if len(ids) > MAX_BOOK:
            raise _too_many()
        docs = []
        for doc_id in ids:
            try:
                doc = reader().get(doc_id)
            except NotVisible:  # withdrawn or moved since the index looked
                continue
            if doc.status == "current":
                docs.append(doc)
        return docs
    docs = reader().list(_filter(choice), limit=MAX_BOOK + 1)
    if len(docs) > MAX_BOOK:
        raise _too_many()
    return docs


def _book_word(docs: Sequence[ArchivedDoc]) -> str:
    specs = [get_kind(d.meta.kind) for d in docs]
    if specs and all(s is not None and s.minutes for s in specs):
        return T("Sổ biên bản", "Book of minutes")
    if specs and all(s is not None and s.resolution for s in specs):
        return T("Sổ nghị quyết", "Book of resolutions")
    return T("Sổ văn bản", "Book of papers")


def title_of(choice: Choice, docs: Sequence[ArchivedDoc]) -> str:
    """A job's title: what the book is, whose, and when ("Sổ biên bản · CHI BỘ … · 5/3/2026–24/3/2026")."""
    if choice.search is not None:
        q = choice.search.get("q", "")
        head = T(f"Kết quả tìm kiếm “{q}”", f"Search results “{q}”") if q else T(
            "Kết quả tìm kiếm", "Search results")
    else:
        head = _book_word(docs)
    cells = sorted({d.meta.cell for d in docs})
    whose = cells[0] if len(cells) == 1 else T(f"{len(cells)} chi bộ", f"{len(cells)} cells")
    first, last = min(d.meta.date for d in docs), max(d.meta.date for d in docs)
    when = vn_date(first) if first == last else f"{vn_date(first)}–{vn_date(last)}"
    return f"{head} · {whose} · {when}"


# ------------------------------------------------------------------ the printers
def printers() -> list[str] | None:
    """The CUPS queues (``lpstat -e``); None when CUPS cannot be asked (no lpstat, no
    scheduler): the form then takes a typed name."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return None
    try:
        done = subprocess.run([lpstat, "-e"], capture_output=True, text=True, check=False,
                              timeout=LPSTAT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return sorted({line.strip() for line in done.stdout.splitlines() if line.strip()})


def _unknown_printer(name: str, queues: list[str]) -> InputError:
    return InputError(Msg(f"không có máy in “{name}” trên máy chủ này", f"there is no printer “{name}” on this server"),
                      hint=Msg(f"các máy in: {', '.join(queues)}; để trống để chỉ tải sổ về",
                               f"the printers: {', '.join(queues)}; leave it empty to download only"),
                      field="printer")


# ------------------------------------------------------------------ responses
def _json(data: Mapping[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status, mimetype="application/json")


def _unavailable(as_json: bool = False) -> NoReturn:
    if as_json:
        abort(_json({"error": say(UNAVAILABLE), "hint": say(UNAVAILABLE_HINT), "status": 503}, 503))
    page = render_template("error.html", status=503, message=say(UNAVAILABLE), hint=say(UNAVAILABLE_HINT))
    abort(Response(page, 503, mimetype="text/html"))


def _jobs(as_json: bool = False) -> PrintJobs:
    jobs: PrintJobs | None = current_app.config["WEB"].jobs
    if jobs is None:
        _unavailable(as_json)
    return jobs


def _status(job_id: str) -> JobStatus:
    try:
        return _jobs().status(job_id, current_user().login)
    except UnknownJob:
        abort(404)


def _explain(exc: DocgenError) -> tuple[str, str]:
    return say(exc.message), say(exc.hint) if exc.hint else ""


# ------------------------------------------------------------------ the form
def _params(choice: Choice, **override: Any) -> dict[str, Any]:
    """The choice as link parameters (``override`` replaces some)."""
    params: dict[str, Any] = {
        "cell": list(choice.cells), "kind": list(choice.kinds),
        "from": choice.date_from.isoformat() if choice.date_from else "",
        "to": choice.date_to.isoformat() if choice.date_to else "",
        "year": str(choice.year) if choice.year else "",
        "quarter": str(choice.quarter) if choice.quarter else "", "topic": choice.topic}
    params.update(override)
    return {k: v for k, v in params.items() if v}


def _cell_rows(choice: Choice, mine: list[CellEntry]) -> list[dict[str, Any]]:
    alone = len(mine) == 1 and not current_user().reads_all
    return [{"id": c.id, "name": c.name, "checked": c.id in choice.cells or alone} for c in mine]


def _shortcuts(choice: Choice, mine: list[CellEntry]) -> list[dict[str, str]]:
    cells = list(choice.cells) or [r["id"] for r in _cell_rows(choice, mine) if r["checked"]]
    books: tuple[tuple[str, list[str]], ...] = ((T("Sổ biên bản", "Book of minutes"), [k for k, s in KINDS.items() if s.minutes]),
             (T("Sổ nghị quyết", "Book of resolutions"), [k for k, s in KINDS.items() if s.resolution]),
             (T("Mọi loại", "Every kind"), []))
    return [{"label": label, "kinds": " ".join(kinds),
             "url": url_for("printjobs.form", **_params(choice, cell=cells, kind=kinds))}
            for label, kinds in books]


def _search_rows(search: Mapping[str, str]) -> list[tuple[str, str]]:
    rows = []
    names = {"q": T("Câu tìm kiếm", "Query"), "cell": T("Chi bộ", "Cell"),
             "kind": T("Loại văn bản", "Kind"), "year": T("Năm", "Year"),
             "topic": T("Chủ đề", "Topic"), "from": T("Từ ngày", "From"), "to": T("Đến ngày", "To")}
    for key in SEARCH_PARAMS:
        value = search.get(key)
        if not value:
            continue
        if key == "cell":
            value = cell_param(value)
        elif key == "kind":
            value = kind_name(kind_id(value))
        elif key == "topic":
            value = ", ".join(topic_name(t) for t in topic_ids(value))
        rows.append((names[key], value))
    return rows


def _count_text(count: int) -> str:
    if count == 0:
        return say(EMPTY)
    text = T(f"Lựa chọn này có {count} văn bản.", f"This choice holds {docs_en(count)}.")
    if count > MAX_BOOK:
        text += " " + T(f"Một sổ in được tối đa {MAX_BOOK} văn bản: thu hẹp lựa chọn.",
                        f"A book holds at most {MAX_BOOK} papers: narrow the choice.")
    return text


def _job_rows(jobs: PrintJobs) -> list[dict[str, str]]:
    return [{"title": s.title, "state": s.state, "state_text": say(STATES[s.state]),
             "when": dt.datetime.fromtimestamp(s.created).strftime("%H:%M %d/%m/%Y"),
             "url": url_for("printjobs.job", job_id=s.id)}
            for s in jobs.jobs(current_user().login)[:RECENT_JOBS]]


def _form(jobs: PrintJobs, choice: Choice, count: int | None = None, error: str = "",
          hint: str = "", status: int = 200) -> tuple[str, int]:
    mine = reader().my_cells()
    queues = printers()
    search_rows: list[tuple[str, str]] = []
    carried: dict[str, Any] = dict(choice.search or {})
    if choice.search is not None:
        try:
            search_rows = _search_rows(choice.search)
        except DocgenError:
            search_rows = [(k, v) for k, v in choice.search.items()]
    context = {
        "choice": choice, "count": count, "count_text": _count_text(count) if count is not None else "",
        "error": error, "hint": hint, "cells": _cell_rows(choice, mine),
        "kinds": [{"id": k, "label": say(s.label), "checked": k in choice.kinds} for k, s in KINDS.items()],
        "shortcuts": _shortcuts(choice, mine), "quarters": ROMAN,
        "search_rows": search_rows,
        "search_hidden": list(carried.items()),
        "search_url": url_for("browse.search", **carried) if choice.search is not None else "",
        "printers": queues,
        "jobs": _job_rows(jobs), "max_book": MAX_BOOK,
    }
    return render_template("printjobs/form.html", **context), status


# ------------------------------------------------------------------ views
@bp.route("/print", methods=["GET"])
def form() -> Any:
    """The form; with parameters (a link from the search screen, a shortcut, a form sent
    without JavaScript) the choice is shown with the number of papers it holds."""
    jobs = _jobs()
    try:
        choice = parse_choice(request.args)
        count = count_of(choice)
    except DocgenError as exc:
        return _form(jobs, Choice(), None, *_explain(exc), status=400)
    return _form(jobs, choice, count)


@bp.route("/print/count", methods=["GET"])
def count() -> Response:
    """The dry run: how many papers the choice holds (JSON, for print.js)."""
    _jobs(as_json=True)
    try:
        found = count_of(parse_choice(request.args))
    except DocgenError as exc:
        message, hint = _explain(exc)
        return _json({"error": message, "hint": hint}, 400)
    return _json({"count": found, "text": _count_text(found), "max": MAX_BOOK})


@bp.route("/print", methods=["POST"])
def start() -> Any:
    """Count (action=count) or start the book (action=print) and go to its progress page."""
    jobs = _jobs()
    try:
        choice = parse_choice(request.form)
    except DocgenError as exc:
        return _form(jobs, Choice(), None, *_explain(exc), status=400)
    try:
        if request.form.get("action") == "count":
            return _form(jobs, choice, count_of(choice))
        queues = printers()
        if choice.printer and queues and choice.printer not in queues:
            raise _unknown_printer(choice.printer, queues)
        docs = documents_of(choice)
    except DocgenError as exc:
        return _form(jobs, choice, None, *_explain(exc), status=400)
    if not docs:
        return _form(jobs, choice, 0, say(EMPTY), say(EMPTY_HINT), status=400)
    try:
        job_id = jobs.start(docs, current_user().login, title_of(choice, docs), cover=choice.cover,
                            duplex=choice.duplex, printer=choice.printer or None)
    except PrintError as exc:  # the server is shutting down
        return _form(jobs, choice, len(docs), *_explain(exc), status=503)
    return redirect(url_for("printjobs.job", job_id=job_id), 303)


def _done_text(status: JobStatus) -> str:
    return T(f"{status.done}/{status.total} văn bản", f"{status.done} of {docs_en(status.total)}")


def _percent(status: JobStatus) -> int:
    return round(status.fraction * 100)


def _failures(status: JobStatus) -> list[dict[str, str]]:
    rows = []
    for doc_id, message in status.failures.items():
        try:
            title = reader().get(doc_id).meta.title
        except NotVisible:
            title = ""
        rows.append({"id": doc_id, "title": title, "message": say(message)})
    return rows


def _book_url(status: JobStatus) -> str | None:
    if status.output is None or not status.output.is_file():
        return None
    return url_for("printjobs.book", job_id=status.id)


def _status_data(status: JobStatus) -> dict[str, Any]:
    return {"id": status.id, "title": status.title, "state": status.state,
            "state_text": say(STATES[status.state]), "done": status.done, "total": status.total,
            "count_text": _done_text(status), "percent": _percent(status), "ended": status.ended, "message": upper_first(say(status.message)),
            "hint": say(status.hint) if status.hint else "", "pages": status.pages,
            "printer": status.printer, "printer_job": status.printer_job,
            "book_url": _book_url(status), "filename": status.filename}


@bp.route("/print/job/<job_id>", methods=["GET"])
def job(job_id: str) -> Any:
    """A job's progress; the book's link, pages and CUPS job once done; why it failed."""
    status = _status(job_id)
    return render_template(
        "printjobs/job.html", s=status, state_text=say(STATES[status.state]),
        percent=_percent(status), done_text=_done_text(status), message=upper_first(say(status.message)),
        hint=say(status.hint) if status.hint else "", failures=_failures(status),
        book_url=_book_url(status), status_url=url_for("printjobs.status", job_id=job_id),
        cancel_url=url_for("printjobs.cancel", job_id=job_id))


@bp.route("/print/job/<job_id>/status", methods=["GET"])
def status(job_id: str) -> Response:
    """A job's state as JSON (print.js polls it every second)."""
    jobs = _jobs(as_json=True)
    try:
        found = jobs.status(job_id, current_user().login)
    except UnknownJob as exc:
        return _json({"error": say(exc.message), "status": 404}, 404)
    return _json(_status_data(found))


@bp.route("/print/job/<job_id>/book", methods=["GET"])
def book(job_id: str) -> Any:
    """The book PDF, as an attachment under its readable name."""
    found = _status(job_id)
    if found.output is None or not found.output.is_file():
        abort(404)
    return send_file(found.output, mimetype="application/pdf", as_attachment=True,
                     download_name=found.filename or found.output.name, max_age=0)


@bp.route("/print/job/<job_id>/cancel", methods=["POST"])
def cancel(job_id: str) -> Any:
    """Cancel a queued job at once, a running one after its current paper."""
    try:
        _jobs().cancel(job_id, current_user().login)
    except UnknownJob:
        abort(404)
    return redirect(url_for("printjobs.job", job_id=job_id), 303)
