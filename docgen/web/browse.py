"""Reading screens: the home of a cell (and the overview of every cell), a paper's page
(details, versions, PDF view, downloads, amend, withdraw, similar papers) and search.

Every read goes through the request's ``reader()`` (docgen.web.reads), so a paper of
another cell is "not found" here exactly as one that does not exist. The search and
list parameters of a URL are read by ``parse_query`` (shared with the JSON API,
docgen.web.api): a bad value is an ``InputError`` naming the parameter and the fix.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from markupsafe import Markup, escape

from docgen.archive.filters import DocFilter, kind_id, topic_ids, words_key
from docgen.archive.ids import readable_name
from docgen.archive.integrity import damage_of
from docgen.cells import CellEntry
from docgen.errors import DocgenError, InputError, IntegrityError
from docgen.fsio import sha256_bytes, write_bytes_atomic
from docgen.i18n import Msg
from docgen.kinds import label_of
from docgen.model.meta import ArchivedDoc
from docgen.search import SearchResults
from docgen.topics import topic_by_id
from docgen.vn.dates import DateError, date_error_msg, parse_user_date, vn_date, vn_local_time
from docgen.web.app import T, current_user, reader, say, settings_for_write
from docgen.web.drafts import Draft, Drafts
from docgen.web.due import STATES, DueItem, due_items, missing_count, window

bp = Blueprint("browse", __name__)

PER_PAGE = 10  # hits on a search page
RECENT = 10  # papers on a home page
SIMILAR = 5
FACET_SHOWN = 10  # values of a facet shown before "more"
MAX_QUERY = 500  # characters of a search box
MAX_REASON = 500
MAX_PAGE = 100000
YEARS = (1900, 2100)
FACETS = (("cell", Msg("Chi bộ", "Cell")), ("kind", Msg("Loại văn bản", "Kind")),
          ("year", Msg("Năm", "Year")), ("topic", Msg("Chủ đề", "Topic")))
FILTER_PARAMS = ("cell", "kind", "year", "topic", "from", "to")
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EVENTS = {"new": Msg("lập mới", "filed"), "amend": Msg("sửa", "amended"),
          "finalize": Msg("hoàn thiện, cấp số", "finalised"),
          "withdraw": Msg("thu hồi", "withdrawn"), "import": Msg("nhập", "imported"),
          "import-paper": Msg("nhập từ giấy tờ cũ", "imported from an old paper")}


def _today() -> dt.date:
    """Today, for what is due (tests replace it)."""
    return dt.date.today()


# ----------------------------------------------------------------- parameters
@dataclass(frozen=True)
class Query:
    """The search or list parameters of a request, checked."""

    q: str
    filt: DocFilter
    sort: str
    page: int
    limit: int
    given: dict[str, str]  # the parameters as given (blank ones left out), for links


def _shown(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "…"


def bad_param(name: str, value: str, fix: Msg) -> InputError:
    """The error of a parameter ``name`` that cannot be used (a 400 page, or JSON)."""
    return InputError(Msg(f"tham số {name} không hợp lệ: “{_shown(value)}”",
                          f"invalid parameter {name}: “{_shown(value)}”"), hint=fix, field=name)


def int_param(args: Mapping[str, str], name: str, default: int, lo: int, hi: int) -> int:
    text = (args.get(name) or "").strip()
    if not text:
        return default
    if not text.isascii() or not text.isdigit() or not lo <= int(text) <= hi:
        raise bad_param(name, text, Msg(f"ghi một số nguyên từ {lo} đến {hi}, vd. {name}={lo + 1}",
                                        f"write a whole number from {lo} to {hi}, e.g. {name}={lo + 1}"))
    return int(text)


def date_param(args: Mapping[str, str], name: str) -> dt.date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        return parse_user_date(text)
    except DateError as exc:
        message, hint = date_error_msg(exc.text, exc.impossible)
        raise InputError(Msg(f"tham số {name}: {message.vi}", f"parameter {name}: {message.en}"),
                         hint=Msg(f"{hint.vi}; vd. {name}=10/3/2026", f"{hint.en}; e.g. {name}=10/3/2026"),
                         field=name) from None


def year_param(args: Mapping[str, str]) -> int | None:
    text = (args.get("year") or "").strip()
    if not text:
        return None
    lo, hi = YEARS
    if not (text.isascii() and text.isdigit() and len(text) == 4 and lo <= int(text) <= hi):
        raise bad_param("year", text, Msg(f"ghi năm đủ 4 chữ số, từ {lo} đến {hi} (vd. year=2026)",
                                          f"write all four digits of the year, {lo} to {hi} (e.g. year=2026)"))
    return int(text)


def cell_param(value: str) -> str:
    """A cell as a URL names it: a cell's id (an-thanh) stands for its name; anything
    else is part of a cell name (the cell rule of docgen.archive.filters)."""
    for entry in reader().my_cells():
        if value == entry.id:
            return entry.name
    return value


def parse_query(args: Mapping[str, str], default_limit: int = PER_PAGE, max_limit: int | None = None,
                listing: bool = False) -> Query:
    """q, cell, kind, year, topic, from, to, sort, page (and limit when ``max_limit`` is
    given; number and all when ``listing``) → the one filter and the page wanted."""
    given = {k: str(v).strip() for k, v in args.items() if isinstance(v, str) and str(v).strip()}
    q = given.get("q", "")
    if len(q) > MAX_QUERY:
        raise bad_param("q", q, Msg(f"rút ngắn câu tìm kiếm (tối đa {MAX_QUERY} ký tự)",
                                    f"shorten the query (at most {MAX_QUERY} characters)"))
    kind = kind_id(given["kind"]) if "kind" in given else None
    if "topic" in given:
        topic_ids(given["topic"])  # an unknown topic: SearchError naming the closest ones
    date_from, date_to = date_param(given, "from"), date_param(given, "to")
    if date_from and date_to and date_from > date_to:
        raise InputError(Msg(f"tham số from ({vn_date(date_from)}) sau tham số to ({vn_date(date_to)})",
                             f"parameter from ({vn_date(date_from)}) is after to ({vn_date(date_to)})"),
                         hint=Msg("đổi chỗ hai ngày, hoặc bỏ một trong hai", "swap the two dates, or drop one"),
                         field="from")
    sort = given.get("sort", "relevance")
    if sort not in ("relevance", "date"):
        raise bad_param("sort", sort, Msg("dùng sort=relevance (phù hợp nhất trước) hoặc sort=date (mới trước)",
                                          "use sort=relevance (best first) or sort=date (newest first)"))
    page = int_param(given, "page", 1, 1, MAX_PAGE)
    limit = int_param(given, "limit", default_limit, 1, max_limit) if max_limit else default_limit
    number: str | None = None
    include_withdrawn = False
    if listing:
        number = given.get("number")
        flag = given.get("all", "").lower()
        if flag not in ("", "0", "1", "true", "false", "yes", "no"):
            raise bad_param("all", flag, Msg("dùng all=1 (gồm văn bản đã thu hồi) hoặc all=0",
                                             "use all=1 (withdrawn documents too) or all=0"))
        include_withdrawn = flag in ("1", "true", "yes")
    filt = DocFilter(kind=kind, cell=cell_param(given["cell"]) if "cell" in given else None,
                     topic=given.get("topic"), date_from=date_from, date_to=date_to,
                     year=year_param(given), number=number, include_withdrawn=include_withdrawn,
                     ).using(g.settings)
    return Query(q, filt, sort, page, limit, given)


# ------------------------------------------------------------------ showing
def kind_label(kind: str) -> str:
    return say(label_of(kind))


def topic_name(topic_id: str) -> str:
    topic = topic_by_id(topic_id)
    return (topic.label_parts or (topic.label,))[0] if topic is not None else topic_id


def number_of(doc: ArchivedDoc) -> str:
    meta = doc.meta
    if not meta.numbered:
        return T("không đánh số", "not numbered") + (T(" (dự thảo)", " (draft)") if meta.draft else "")
    return meta.number_text or T("DỰ THẢO", "DRAFT")




def marked(snippet: str) -> Markup:
    """A search snippet, its text escaped, the matched words (**…**) in <mark>."""
    parts = snippet.split("**")
    out = Markup("")
    for i, part in enumerate(parts):
        closed = i % 2 == 1 and i < len(parts) - 1
        out += Markup("<mark>{}</mark>").format(part) if closed else escape(part)
    return out


def paper_row(doc: ArchivedDoc) -> dict[str, Any]:
    """What a list of papers shows of one."""
    return {"id": doc.id, "url": url_for("browse.paper", doc_id=doc.id), "title": doc.meta.title,
            "number": number_of(doc), "date": vn_date(doc.meta.date), "kind": kind_label(doc.meta.kind),
            "cell": doc.meta.cell, "withdrawn": doc.status == "withdrawn", "draft": doc.meta.draft}


def _drafts_of(entry: CellEntry) -> list[Draft]:
    """The cell's drafts, for those who write its papers (nobody else sees drafts)."""
    if not current_user().writes(entry.id):
        return []
    return Drafts(g.settings.archive_root).of_cell(entry.id)


def _due_rows(entry: CellEntry, items: list[DueItem]) -> list[dict[str, Any]]:
    writes = current_user().writes(entry.id)
    rows = []
    for item in items:
        rows.append({
            "what": say(item.what), "period": say(item.period.name), "state": item.state,
            "state_text": say(STATES[item.state]), "papers": [paper_row(d) for d in item.papers],
            "drafts": len(item.drafts), "days_left": item.period.days_left(_today()),
            "new_url": url_for("papers.new", kind=item.kind, cell=entry.id)
            if writes and not item.done else None})
    return rows


def _draft_rows(entry: CellEntry, drafts: list[Draft]) -> list[dict[str, Any]]:
    return [{"title": d.title or kind_label(d.kind), "kind": kind_label(d.kind), "saved": vn_local_time(d.saved_at),
             "by": d.saved_by, "amends": d.amends,
             "url": url_for("papers.draft", cell=entry.id, draft_id=d.id)} for d in drafts]


def _cell_filter(entry: CellEntry, **conditions: Any) -> DocFilter:
    """Exactly the papers of ``entry`` (every name it has had), within the reader's scope."""
    return DocFilter(scope=entry.names, **conditions)


def _cell_page(entry: CellEntry) -> str:
    today = _today()
    start, end = window(today)
    drafts = _drafts_of(entry)
    quarter = reader().list(_cell_filter(entry, date_from=start, date_to=end))
    items = due_items(quarter, today, drafts)
    recent = reader().list(_cell_filter(entry), limit=RECENT)
    search_url = url_for("browse.search", cell=entry.id, sort="date")
    return render_template(
        "browse/cell.html", entry=entry, due=_due_rows(entry, items), missing=missing_count(items),
        drafts=_draft_rows(entry, drafts), recent=[paper_row(d) for d in recent],
        total=reader().count(_cell_filter(entry)), search_url=search_url,
        writes=current_user().writes(entry.id), new_url=url_for("papers.new", cell=entry.id)
        if current_user().writes(entry.id) else None, today=vn_date(today))


def _overview(cells: list[CellEntry]) -> str:
    today = _today()
    year = reader().list(DocFilter(date_from=dt.date(today.year, 1, 1), date_to=dt.date(today.year, 12, 31)))
    by_cell: dict[str, list[ArchivedDoc]] = {entry.id: [] for entry in cells}
    for doc in year:
        owner = reader().cell_of(doc)
        if owner is not None and owner.id in by_cell:
            by_cell[owner.id].append(doc)
    rows = []
    for entry in cells:
        drafts = _drafts_of(entry)
        items = due_items(by_cell[entry.id], today, drafts)
        rows.append({"entry": entry, "url": url_for("browse.cell", cell_id=entry.id),
                     "year_count": len(by_cell[entry.id]), "drafts": len(drafts),
                     "writes": current_user().writes(entry.id), "missing": missing_count(items),
                     "due": [{"what": say(i.what), "period": say(i.period.name), "state": i.state,
                              "state_text": say(STATES[i.state])} for i in items]})
    recent = year[:RECENT] if len(year) >= RECENT else reader().list(DocFilter(), limit=RECENT)
    return render_template("browse/home.html", cells=rows, recent=[paper_row(d) for d in recent],
                           year=today.year, today=vn_date(today))


@bp.route("/")
def home() -> Any:
    cells = reader().my_cells()
    if len(cells) == 1 and not current_user().reads_all:
        return _cell_page(cells[0])
    return _overview(cells)


@bp.route("/cell/<cell_id>")
def cell(cell_id: str) -> Any:
    return _cell_page(reader().cell(cell_id))


# ---------------------------------------------------------------- a paper
def record_of(doc: ArchivedDoc) -> dict[str, Any]:
    """The catalog's meta.json of a paper the reader was given (``reader().get``)."""
    return reader().record(doc)


def download_urls(doc: ArchivedDoc) -> dict[str, str]:
    """The downloads of one version."""
    return {name: url_for(endpoint, doc_id=doc.id, version=doc.version) for name, endpoint in
            (("docx", "browse.docx"), ("pdf", "browse.pdf"), ("pdf_view", "browse.pdf_view"),
             ("input", "browse.input_file"), ("pages", "browse.pages"),
             ("original", "browse.original"))} | {
        "first_page": url_for("browse.page_image", doc_id=doc.id, version=doc.version, n=1)}


def imported_of(record: dict[str, Any]) -> dict[str, Any] | None:
    """What the paper page says of an imported old paper (None for a filed one)."""
    found = record.get("imported")
    if not isinstance(found, dict):
        return None
    original = found.get("original") or {}
    ocr = found.get("ocr")
    confidence = found.get("confidence")
    return {"name": str(original.get("name", "")), "encoding": str(found.get("encoding", "")),
            "ocr": f"{ocr.get('engine', '')} ({ocr.get('lang', '')})" if isinstance(ocr, dict) else "",
            "confidence": f"{confidence:.0%}" if isinstance(confidence, int | float) else "",
            "review": [str(r.get(g.lang, "")) for r in found.get("review") or [] if isinstance(r, dict)]}


def versions_of(doc_id: str) -> dict[int, ArchivedDoc]:
    """Every version of a paper the reader may see, by number."""
    return {d.version: d for d in reader().history(doc_id)}


def _versions(doc: ArchivedDoc, record: dict[str, Any]) -> list[dict[str, Any]]:
    history = versions_of(doc.id)
    entries = [e for e in record.get("versions") or [] if int(e.get("version", 0)) in history]
    rows = []
    for i, entry in enumerate(entries):
        version = history[int(entry["version"])]
        if i < len(entries) - 1:
            state = T("đã thay thế", "superseded")
        elif record.get("status") == "withdrawn":
            state = T("đã thu hồi", "withdrawn")
        else:
            state = T("hiện hành", "current")
        event = EVENTS.get(str(entry.get("event")))
        rows.append({"version": version.version, "event": say(event) if event else str(entry.get("event")),
                     "state": state, "at": vn_local_time(str(entry.get("created_at", ""))),
                     "by": str(entry.get("created_by") or "-"), "urls": download_urls(version)})
    return list(reversed(rows))  # the newest first


def _paper_page(doc: ArchivedDoc, error: str = "", reason: str = "", status: int = 200) -> tuple[str, int]:
    record = record_of(doc)
    writes = reader().can_write(doc)
    current = doc.status != "withdrawn"
    similar = reader().similar(doc.id, limit=SIMILAR)
    damage = damage_of(doc, record)
    # an imported old paper is its original, never amended (docgen.archive.store.refuse_imported)
    amend_url = (url_for("papers.amend", doc_id=doc.id) if writes and current
                 and not record.get("imported") else None)
    cell = reader().cell_of(doc)
    page = render_template(
        "browse/paper.html", doc=doc, row=paper_row(doc), record=record,
        topics=[(t, topic_name(t)) for t in doc.meta.topics], versions=_versions(doc, record),
        urls=download_urls(doc), filed=vn_local_time(doc.created_at), similar=_hit_rows(similar),
        amend_url=amend_url, can_withdraw=writes and current, error=error, reason=reason,
        damage=[say(d.message) for d in damage], current=current, imported=imported_of(record),
        cell_url=url_for("browse.cell", cell_id=cell.id) if cell is not None else None)
    return page, status


@bp.route("/doc/<doc_id>")
def paper(doc_id: str) -> Any:
    return _paper_page(reader().get(doc_id))


@bp.route("/doc/<doc_id>/withdraw", methods=["POST"])
def withdraw(doc_id: str) -> Any:
    from docgen.app import withdraw_document

    doc = reader().get(doc_id)
    if not reader().can_write(doc):
        abort(403)
    reason = " ".join(request.form.get("reason", "").split())
    if doc.status == "withdrawn":
        return _paper_page(doc, T("Văn bản này đã được thu hồi.", "This paper is already withdrawn."),
                           status=409)
    if not reason:
        return _paper_page(doc, T("Cần ghi lý do thu hồi.", "Write the reason for the withdrawal."),
                           status=400)
    if len(reason) > MAX_REASON:
        return _paper_page(doc, T(f"Lý do quá dài: tối đa {MAX_REASON} ký tự.",
                                  f"The reason is too long: at most {MAX_REASON} characters."),
                           reason=reason, status=400)
    reader().close()  # the write opens the archive on its own
    done = withdraw_document(settings_for_write(), doc.id, reason)
    current_app.config["INDEX"].changed()
    flash(T(f"Đã thu hồi văn bản {done.id} (phiên bản {done.version}). Văn bản vẫn được lưu, "
            "nhưng không còn hiện trong danh sách và tìm kiếm.",
            f"Withdrew {done.id} (version {done.version}). It is kept, but no longer listed "
            "or found by search."))
    return redirect(url_for("browse.paper", doc_id=done.id))


# ------------------------------------------------------------------ downloads
def _version(doc_id: str, version: int) -> ArchivedDoc:
    return reader().version(doc_id, version)


def _inside(doc: ArchivedDoc, path: Path) -> Path:
    """``path`` when it is a file of the version's own folder (never anything else)."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        abort(404)
    if real.parent != doc.folder.resolve() or not real.is_file():
        abort(404)
    return real


def _variant(doc: ArchivedDoc, extra: str = "") -> str:
    parts = ([f"v{doc.version}"] if doc.version > 1 else []) + ([extra] if extra else [])
    return "-".join(parts)


def _private(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.route("/doc/<doc_id>/v<int:version>/docx")
def docx(doc_id: str, version: int) -> Response:
    doc = _version(doc_id, version)
    data = _inside(doc, doc.docx_path).read_bytes()
    if sha256_bytes(data) != doc.docx_sha256:
        raise IntegrityError(Msg(f"tệp .docx của văn bản {doc.id} (phiên bản {doc.version}) khác bản đã lưu "
                                 "trữ: không tải về được", f"the .docx of document {doc.id} (version "
                                 f"{doc.version}) differs from the archived one: not downloaded"),
                             hint=Msg("báo người quản trị chạy docgen verify", "ask the administrator to run "
                                      "docgen verify"))
    return _private(send_file(io.BytesIO(data), mimetype=DOCX_MIME, as_attachment=True,
                              download_name=readable_name(doc.meta, ".docx", _variant(doc)), etag=False))


@bp.route("/doc/<doc_id>/v<int:version>/original")
def original(doc_id: str, version: int) -> Response:
    """The original file of an imported old paper, byte for byte, under its own name."""
    doc = _version(doc_id, version)
    found = reader().record(doc).get("imported")
    if not isinstance(found, dict) or not isinstance(found.get("original"), dict):
        abort(404)
    origin = found["original"]
    name = str(origin.get("file", ""))
    files = reader().record(doc).get("files") or {}
    if not name or "/" in name or name not in files:
        abort(404)
    data = _inside(doc, doc.folder / name).read_bytes()
    if sha256_bytes(data) != files[name]:
        raise IntegrityError(Msg(f"bản gốc của văn bản {doc.id} khác bản đã lưu trữ: không tải về được",
                                 f"the original of document {doc.id} differs from the archived one: "
                                 "not downloaded"),
                             hint=Msg("báo người quản trị chạy docgen verify", "ask the administrator to run "
                                      "docgen verify"))
    shown = str(origin.get("name") or name)
    return _private(send_file(io.BytesIO(data), mimetype="application/octet-stream", as_attachment=True,
                              download_name=shown, etag=False))


@bp.route("/doc/<doc_id>/v<int:version>/input.yaml")
def input_file(doc_id: str, version: int) -> Response:
    doc = _version(doc_id, version)
    path = _inside(doc, reader().input_of(doc))
    return _private(send_file(io.BytesIO(path.read_bytes()), mimetype="text/yaml; charset=utf-8",
                              as_attachment=True, etag=False,
                              download_name=readable_name(doc.meta, ".yaml", _variant(doc, "input"))))


def pdf_path(doc: ArchivedDoc) -> Path:
    """The PDF of one version: from the archive's PDF cache, converted (and cached) when
    missing, by the server's warm LibreOffice when it has one."""
    converter = current_app.config["WEB"].converter
    if converter is not None:
        found: Path = converter.pdf_for(doc)
        return found
    from docgen.printing import cache

    return cache.cached_pdf(doc) or cache.pdf_for(doc, g.settings)


def _pdf(doc_id: str, version: int, inline: bool) -> Response:
    doc = _version(doc_id, version)
    data = pdf_path(doc).read_bytes()
    return _private(send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=not inline,
                              download_name=readable_name(doc.meta, ".pdf", _variant(doc)), etag=False))


@bp.route("/doc/<doc_id>/v<int:version>/pdf")
def pdf(doc_id: str, version: int) -> Response:
    return _pdf(doc_id, version, inline=False)


@bp.route("/doc/<doc_id>/v<int:version>/view.pdf")
def pdf_view(doc_id: str, version: int) -> Response:
    return _pdf(doc_id, version, inline=True)


# Page images of a filed paper (a phone shows no PDF inside a page): made from the PDF
# cache when first asked, kept by the .docx's sha256 (the same content, the same pages).
PAGES_DIR = Path(".docgen") / "web" / "pages"


def _page_count(doc: ArchivedDoc) -> tuple[Path, int]:
    from docgen.printing.service import pdf_page_count

    pdf = pdf_path(doc)
    return pdf, pdf_page_count(pdf.read_bytes())


@bp.route("/doc/<doc_id>/v<int:version>/page/<int:n>.png")
def page_image(doc_id: str, version: int, n: int) -> Response:
    from docgen.printing.service import render_page

    doc = _version(doc_id, version)
    # keyed by what prints: an imported scan's pages are its own, not its reading copy's
    folder = g.settings.archive_root / PAGES_DIR / (doc.print_sha256 or doc.docx_sha256)
    path = folder / f"page-{n}.png"
    if not path.is_file():
        pdf, count = _page_count(doc)
        if not 1 <= n <= count:
            abort(404)
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, render_page(pdf, n).png)
    return _private(send_file(io.BytesIO(path.read_bytes()), mimetype="image/png", etag=False))


@bp.route("/doc/<doc_id>/v<int:version>/pages")
def pages(doc_id: str, version: int) -> Any:
    doc = _version(doc_id, version)
    _, count = _page_count(doc)
    images = [url_for("browse.page_image", doc_id=doc.id, version=doc.version, n=i) for i in range(1, count + 1)]
    return render_template("browse/pages.html", doc=doc, images=images, urls=download_urls(doc),
                           paper_url=url_for("browse.paper", doc_id=doc.id))


# --------------------------------------------------------------------- search
def _hit_rows(found: SearchResults) -> list[dict[str, Any]]:
    return [{"id": h.id, "url": url_for("browse.paper", doc_id=h.id), "title": h.title,
             "number": h.number_text or "—", "date": vn_date(h.date), "kind": kind_label(h.kind),
             "cell": h.cell, "topics": [topic_name(t) for t in h.topics],
             "snippets": [marked(s) for s in h.snippets]} for h in found.hits]


def _link(given: dict[str, str], **changes: str | int | None) -> str:
    """The search URL with ``given`` changed (None drops a parameter; a new page of the
    same search keeps ``page``, any other change starts again at page 1)."""
    params: dict[str, Any] = {k: v for k, v in given.items() if k != "page"}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    if params.get("page") == 1:
        params.pop("page")
    return url_for("browse.search", **params)


def _cell_value(name: str) -> str:
    """A cell of the facets as its links name it: the id of the reader's cell of that
    name (cell=an-thanh), else the name itself."""
    for entry in reader().my_cells():
        if entry.owns(name):
            return entry.id
    return name


def _same(name: str, given: str, value: str) -> bool:
    if name == "cell":
        return words_key(cell_param(given)) == words_key(value)
    if name == "kind":
        try:
            return kind_id(given) == value
        except DocgenError:
            return False
    if name == "topic":
        try:
            return value in topic_ids(given)
        except DocgenError:
            return False
    return given == value


def _facet_rows(found: SearchResults, given: dict[str, str]) -> list[dict[str, Any]]:
    shown = {"kind": kind_label, "topic": topic_name}
    rows = []
    for name, label in FACETS:
        counts = found.facets.get(name) or {}
        if not counts:
            continue
        values = []
        for value, count in counts.items():
            active = name in given and _same(name, given[name], value)
            link = _cell_value(value) if name == "cell" else value
            values.append({"value": value, "text": shown[name](value) if name in shown else value,
                           "count": count, "active": active,
                           "url": _link(given, **{name: None if active else link})})
        rows.append({"name": name, "label": say(label), "values": values[:FACET_SHOWN],
                     "more": values[FACET_SHOWN:]})
    return rows


def _active_filters(given: dict[str, str]) -> list[dict[str, str]]:
    labels = dict(FACETS) | {"from": Msg("Từ ngày", "From"), "to": Msg("Đến ngày", "To")}
    out = []
    for name in FILTER_PARAMS:
        if name in given:
            value = given[name]
            if name == "kind":
                value = kind_label(kind_id(value))
            elif name == "topic":
                value = "; ".join(topic_name(t) for t in topic_ids(value))
            elif name == "cell":
                value = cell_param(value)
            elif name in ("from", "to"):
                day = date_param(given, name)
                value = vn_date(day) if day else value
            out.append({"label": say(labels[name]), "value": value, "remove": _link(given, **{name: None})})
    return out


def _pager(found: SearchResults, given: dict[str, str]) -> dict[str, Any]:
    pages = max(1, math.ceil(found.total / found.limit)) if found.limit else 1
    here = found.page
    numbers = sorted({1, pages, *range(max(1, here - 2), min(pages, here + 2) + 1)})
    items: list[dict[str, Any]] = []
    for n in numbers:
        if items and n - items[-1]["page"] > 1:
            items.append({"page": n - 1, "gap": True})
        items.append({"page": n, "url": _link(given, page=n), "current": n == here, "gap": False})
    return {"pages": pages, "page": here, "items": items,
            "prev": _link(given, page=here - 1) if here > 1 else None,
            "next": _link(given, page=here + 1) if here < pages else None}


@bp.route("/search")
def search() -> Any:
    given = {k: v.strip() for k, v in request.args.items() if v.strip()}
    try:
        query = parse_query(request.args)
        found = reader().search(query.q or None, query.filt, sort=query.sort, limit=query.limit,
                                page=query.page)
        active = _active_filters(query.given)
    except DocgenError as exc:
        return render_template("browse/search.html", q=given.get("q", ""), given=given, error=say(exc.message),
                               hint=say(exc.hint) if exc.hint else "", found=None, hits=[], facets=[],
                               active=[], pager=None, sort_links={}, did_you_mean=None, dates={}), 400
    given = query.given
    did_you_mean = None
    if found.did_you_mean:
        did_you_mean = {"text": found.did_you_mean, "url": _link(given, q=found.did_you_mean)}
    first = (found.page - 1) * found.limit + 1
    return render_template(
        "browse/search.html", q=query.q, given=given, error="", hint="", found=found,
        hits=_hit_rows(found), facets=_facet_rows(found, given), active=active,
        pager=_pager(found, given), did_you_mean=did_you_mean, first=first,
        last=first + len(found.hits) - 1, sort=query.sort,
        sort_links={"relevance": _link(given, sort=None), "date": _link(given, sort="date")},
        dates={"from": query.filt.date_from.isoformat() if query.filt.date_from else "",
               "to": query.filt.date_to.isoformat() if query.filt.date_to else ""},
        hidden=[(k, v) for k, v in given.items() if k in ("cell", "kind", "year", "topic", "sort")])


