"""The hostile second look at the web app's permissions (issue 12): a secretary of one cell
(bt.b, binh-minh) tries every route of the app with the values of the other cell (an-thanh:
its papers and their versions, a draft bt.a is writing, bt.a's print job and pending roster
import, an-thanh's members) and never sees, downloads, prints, counts or changes any of it.

- ``ROUTES`` says, for every rule of ``app.url_map`` but the public ones, how it is attacked;
  ``test_every_route_is_attacked`` fails as soon as a route is added without an entry there
  (or a method of a route without an attack of that method).
- Counting: search totals and facets, the list, the home page and ``/print/count`` of bt.b
  are binh-minh's only, also with forged cell ids; the JSON API with bt.b's token likewise.
- The committee reads both cells and writes no paper and no roster; a disabled account's
  token is refused; doc ids, versions, draft ids, cell ids and job ids that climb out of
  their folder are "not found", never a file of the server.

The archive is the real two-cell archive of conftest (one private copy for the module,
written through the app by bt.a first); the print jobs are the server's ``PrintJobs`` over a
stand-in converter (blank PDF pages: books are made without LibreOffice).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import pytest
from conftest import (
    CELL_A,
    CELL_B,
    EXAMPLES,
    NAME_B,
    PASSWORD,
    BlankPdfConverter,
    Site,
    csrf_of,
    settings_for,
)
from markupsafe import escape
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from docgen.accounts import Accounts
from docgen.archive import Archive, audit
from docgen.archive.filters import DocFilter
from docgen.archive.records import archived
from docgen.cells import Cells
from docgen.importing.importer import ImportOptions, run_import
from docgen.model.meta import ArchivedDoc
from docgen.printing.service import PrintJobs
from docgen.vn.legacy import encode_tcvn3
from docgen.vn.text import fold
from docgen.web import create_app
from docgen.web.app import PUBLIC

NAME_A = "CHI BỘ THÔN AN THÀNH"
PUBLIC_ENDPOINTS = {"static", "auth.login", "auth.lang"}
DRAFT_MARK = "Bí mật nháp 7319 của An Thành"
MEMBER_A = "Trịnh Riêng Tư Bảy"  # a member only an-thanh has (the cells share the others)
IMPORT_A = "Người Nhập Chưa Xác Nhận"
IMPORT_PAPER_A = "phong trào nuôi ong lấy mật của An Thành"  # bt.a's old paper, uploaded, not confirmed
JOB_WAIT = 30.0
NOT_SEEN = (403, 404)


# ------------------------------------------------------------------ the world



@dataclass
class World:
    site: Site
    jobs: PrintJobs
    a_docs: list[ArchivedDoc]  # every version of every an-thanh paper (withdrawn too)
    b_current: list[ArchivedDoc]  # binh-minh's current papers
    amended: str  # an an-thanh paper bt.a amended (it has a version 2)
    withdrawn: str  # an an-thanh paper bt.a withdrew
    draft: str  # "/draft/an-thanh/<id>": a draft bt.a is writing
    job: str  # bt.a's print job (done: its book is there)
    member: str  # the id of MEMBER_A (on an-thanh's roster only)
    upload: tuple[str, str]  # bt.a's roster import waiting for its confirmation (token, sha)
    markers: set[str]  # what no page of bt.b may hold
    paper_import: str = ""  # bt.a's upload of old papers waiting for its confirmation (token)

    @property
    def a_ids(self) -> list[str]:
        return sorted({d.id for d in self.a_docs})

    @property
    def draft_id(self) -> str:
        return self.draft.rsplit("/", 1)[1]

    @property
    def all_current(self) -> int:
        return len(current_docs(self.site.root))


def all_versions(root: Path) -> list[ArchivedDoc]:
    archive = Archive(root)
    try:
        out: list[ArchivedDoc] = []
        for relpath, record in archive.matching(DocFilter(include_withdrawn=True)):
            out += archive.history(archived(root, relpath, record).id)
        return out
    finally:
        archive.close()


def current_docs(root: Path) -> list[ArchivedDoc]:
    archive = Archive(root)
    try:
        return [archived(root, rel, rec) for rel, rec in archive.matching(DocFilter())]
    finally:
        archive.close()


def multipart(client: Any, url: str, fields: list[tuple[str, str]],
              files: list[tuple[str, str, bytes]]) -> Any:
    """A multipart POST encoded in memory (no temporary file under filterwarnings=error)."""
    form: MultiDict[str, Any] = MultiDict(fields)
    for name, filename, content in files:
        form.add(name, FileStorage(io.BytesIO(content), filename=filename,
                                   content_type="application/octet-stream"))
    boundary, body = encode_multipart(form)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _wait_done(jobs: PrintJobs, job_id: str, owner: str) -> None:
    deadline = time.monotonic() + JOB_WAIT
    while time.monotonic() < deadline:
        status = jobs.status(job_id, owner)
        if status.ended:
            assert status.state == "done", (status.message, status.hint)
            assert status.output is not None and status.output.is_file()
            return
        time.sleep(0.05)
    raise AssertionError(f"print job {job_id} did not end in {JOB_WAIT} s")


def _prepare(site: Site, jobs: PrintJobs) -> World:
    """bt.a works in the app: amends a paper, withdraws one, writes a draft, adds a member,
    uploads a roster sheet (not confirmed) and prints a book."""
    client = site.client("bt.a")
    token = csrf_of(client, "/")
    a_now = [d for d in current_docs(site.root) if d.meta.cell == NAME_A]
    resolution = next(d for d in a_now if d.meta.kind == "nghi-quyet")
    extract = next(d for d in a_now if d.meta.kind == "trich-bien-ban")

    resp = client.post(f"/doc/{resolution.id}/amend", data={"csrf_token": token})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:800]
    resp = client.post(urlsplit(resp.location).path + "/file", data={"csrf_token": token})
    assert resp.status_code == 303 and urlsplit(resp.location).path == f"/doc/{resolution.id}", \
        resp.get_data(as_text=True)[:800]

    resp = client.post(f"/doc/{extract.id}/withdraw", data={"csrf_token": token, "reason": "lập nhầm"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:800]

    resp = client.post("/new", data={"csrf_token": token, "cell": CELL_A, "kind": "nghi-quyet"})
    assert resp.status_code == 303
    draft = urlsplit(resp.location).path
    resp = client.post(draft + "/save", data={"place": DRAFT_MARK}, headers={"X-CSRF-Token": token})
    assert resp.status_code == 200 and resp.get_json()["saved"]

    resp = client.post(f"/cell/{CELL_A}/roster/new", data={
        "csrf_token": token, "id": "", "name": MEMBER_A, "admitted": "1/3/2021", "official": "1/3/2022",
        "official_decided": "", "left": "", "home_cell": ""})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:800]
    member = urlsplit(resp.location).path.rsplit("/", 1)[1]

    sheet = f"Họ và tên,Ngày vào Đảng\n{IMPORT_A},1/3/2021\n".encode()
    page = multipart(client, f"/cell/{CELL_A}/roster/import", [("csrf_token", token)],
                     [("sheet", "danh-sach.csv", sheet)]).get_data(as_text=True)
    upload = re.search(r'name="upload" value="([^"]+)"', page)
    sha = re.search(r'name="sha" value="([0-9a-f]{64})"', page)
    assert upload and sha, page[:2000]

    old_paper = "\r\n".join(encode_tcvn3(line, capitals=line.isupper()) for line in (
        "ĐẢNG BỘ XÃ QUANG KIM", NAME_A, "Số 04-NQ/CB", "An Thành, ngày 09 tháng 4 năm 2019", "NGHỊ QUYẾT",
        f"về {IMPORT_PAPER_A}", "Chi bộ thống nhất thực hiện.")).encode("cp1252")
    resp = multipart(client, "/import", [("csrf_token", token), ("cell", CELL_A), ("encoding", "auto")],
                     [("files", "nq-2019.txt", old_paper)])
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    paper_import = urlsplit(resp.location).path.rsplit("/", 1)[1]
    assert IMPORT_PAPER_A in client.get(f"/import/{paper_import}").get_data(as_text=True)

    # an old paper of an-thanh, imported (its original is one more thing to attack)
    imported = site.root.parent / "nq-2018.txt"
    imported.write_bytes("\r\n".join(encode_tcvn3(line, capitals=line.isupper()) for line in (
        "ĐẢNG BỘ XÃ QUANG KIM", NAME_A, "Số 02-NQ/CB", "An Thành, ngày 03 tháng 5 năm 2018", "NGHỊ QUYẾT",
        "về công tác năm 2018", "Chi bộ thống nhất thực hiện.")).encode("cp1252"))
    writer = dataclasses.replace(site.settings, user="bt.a",
                                 profile_path=Cells(site.settings).get(CELL_A).profile_path)
    done = run_import(writer, [imported], ImportOptions(cell=CELL_A))
    assert done.rows[0].status == "imported", done.rows[0]
    site.app.config["INDEX"].changed()

    resp = client.post("/print", data={"csrf_token": token, "action": "print", "cell": CELL_A})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:1500]
    job = urlsplit(resp.location).path.rsplit("/", 1)[1]
    _wait_done(jobs, job, "bt.a")

    versions = all_versions(site.root)
    a_docs = [d for d in versions if d.meta.cell == NAME_A]
    b_docs = [d for d in versions if d.meta.cell == NAME_B]
    assert {d.version for d in a_docs if d.id == resolution.id} == {1, 2}
    b_current = [d for d in current_docs(site.root) if d.meta.cell == NAME_B]
    status = jobs.status(job, "bt.a")
    secret = (site.root / ".docgen" / "web-secret").read_text().strip()
    markers = {"AN THÀNH", "An Thành", DRAFT_MARK, MEMBER_A, IMPORT_A, IMPORT_PAPER_A, status.title, status.filename,
               secret, "$argon2", "root:x:", "superior_committee"}
    markers |= {d.id for d in a_docs}
    markers |= {d.meta.title for d in a_docs} - {d.meta.title for d in b_docs}
    markers |= ({d.meta.number_text for d in a_docs if d.meta.number_text}
                - {d.meta.number_text for d in b_docs if d.meta.number_text})
    return World(site, jobs, a_docs, b_current, resolution.id, extract.id, draft, job, member,
                 (upload.group(1), sha.group(1)), markers, paper_import)


@pytest.fixture(scope="module")
def world(web_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One private copy of the two-cell archive for the module, worked on by bt.a; the
    attacks of bt.b must leave it exactly as it is (each test checks)."""
    root = tmp_path_factory.mktemp("permissions") / "archive"
    shutil.copytree(web_archive, root, symlinks=True)
    settings = settings_for(root)
    app = create_app(settings)
    app.config["TESTING"] = True
    jobs = PrintJobs(settings, BlankPdfConverter(), root.parent / "books")  # type: ignore[arg-type]
    app.config["WEB"].jobs = jobs
    try:
        yield _prepare(Site(root, settings, app), jobs)
    finally:
        assert jobs.shutdown(wait=JOB_WAIT)
        app.config["INDEX"].close()


def state_of(world: World) -> dict[str, Any]:
    """What a refused request must leave as it was."""
    root = world.site.root
    files = sorted(p for p in (root / ".docgen" / "web").rglob("*")
                   if p.is_file() and "locks" not in p.parts)
    status = world.jobs.status(world.job, "bt.a")
    return {
        "audit": [e for e in audit.read(root)],
        "papers": sorted((d.id, d.version, d.status, d.docx_sha256) for d in all_versions(root)),
        "profiles": {p.parent.name: hashlib.sha256(p.read_bytes()).hexdigest()
                     for p in sorted((root / "cells").glob("*/profile.yaml"))},
        "cells": sorted(p.name for p in (root / "cells").iterdir()),
        "accounts": [u.to_json() for u in Accounts(root).users()],
        "web files": [(p.relative_to(root).as_posix(), p.read_bytes()) for p in files],
        "job": (status.state, status.output is not None and status.output.is_file()),
        "jobs of bt.b": world.jobs.jobs("bt.b"),
    }


def leaks(world: World, body: str, echoed: tuple[str, ...] = ()) -> list[str]:
    """The markers of an-thanh in ``body`` (raw or HTML-escaped), once what the request
    itself said (``echoed``: its path, parameters, form values) is taken out of it: a 404
    page or a search box showing the id or the name the attacker typed reveals nothing."""
    for text in sorted(echoed, key=len, reverse=True):
        if len(text) > 2:
            body = body.replace(text, "").replace(str(escape(text)), "")
    found = sorted(m for m in world.markers if m in body or str(escape(m)) in body)
    if re.search(r"\ban thanh\b", fold(body).lower()):
        found.append("an thanh (folded)")
    return found


def echoes(url: str, data: tuple[tuple[str, str], ...] = ()) -> tuple[str, ...]:
    """What a request says: its path's parts and the values of its query and form."""
    parts = urlsplit(url)
    said = [unquote(p) for p in parts.path.split("/") if p]
    said += [v for _, v in parse_qsl(parts.query)] + [v for _, v in data]
    return tuple(said)


# ------------------------------------------------------------------ the attacks
@dataclass(frozen=True)
class Call:
    """One request of an attack, and the statuses that say it was refused."""

    method: str
    url: str
    data: tuple[tuple[str, str], ...] = ()
    files: tuple[tuple[str, str, bytes], ...] = ()
    expect: tuple[int, ...] = NOT_SEEN
    fresh: bool = False  # on a client of its own (the request ends the session)


def get(url: str, expect: tuple[int, ...] = NOT_SEEN) -> Call:
    return Call("GET", url, expect=expect)


def post(url: str, expect: tuple[int, ...] = NOT_SEEN, files: tuple[tuple[str, str, bytes], ...] = (),
         fresh: bool = False, **data: str | list[str]) -> Call:
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((key, one))
    return Call("POST", url, tuple(pairs), files, expect, fresh)


def send(client: Any, token: str, call: Call) -> Any:
    if call.method == "GET":
        return client.get(call.url)
    fields = [("csrf_token", token), *call.data]
    if call.files:
        return multipart(client, call.url, fields, list(call.files))
    return client.post(call.url, data=MultiDict(fields))


def member_form(name: str = "Người Lạ", **extra: str) -> dict[str, str]:
    return {"id": "", "name": name, "admitted": "1/3/2021", "official": "1/3/2022", "official_decided": "",
            "left": "", "home_cell": "", **extra}


def profile_c() -> bytes:
    text = (EXAMPLES / "profile.yaml").read_text(encoding="utf-8")
    return text.replace("AN THÀNH", "CẨM LỘ").replace("An Thành", "Cẩm Lộ").encode("utf-8")


Attack = Callable[[World], list[Call]]
ROUTES: dict[str, Attack] = {}


def route(*endpoints: str) -> Callable[[Attack], Attack]:
    def register(attack: Attack) -> Attack:
        for endpoint in endpoints:
            assert endpoint not in ROUTES, endpoint
            ROUTES[endpoint] = attack
        return attack
    return register


def _versions(w: World, suffix: str) -> list[Call]:
    calls = [get(f"/doc/{d.id}/v{d.version}/{suffix}") for d in w.a_docs]
    last = max(d.version for d in w.a_docs if d.id == w.amended)
    calls += [get(f"/doc/{w.amended}/v{last + 1}/{suffix}"), get(f"/doc/{w.amended}/v0/{suffix}")]
    return calls


@route("browse.home")
def _home(w: World) -> list[Call]:
    return [get("/", (200,))]


@route("browse.cell")
def _cell(w: World) -> list[Call]:
    return [get(f"/cell/{CELL_A}"), get("/cell/" + quote(NAME_A)), get("/cell/AN-THANH")]


@route("browse.paper")
def _paper(w: World) -> list[Call]:
    return [get(f"/doc/{i}") for i in w.a_ids]


@route("browse.withdraw")
def _withdraw(w: World) -> list[Call]:
    return [post(f"/doc/{i}/withdraw", reason="thu hồi thử") for i in w.a_ids]


@route("browse.docx")
def _docx(w: World) -> list[Call]:
    return _versions(w, "docx")


@route("browse.input_file")
def _input(w: World) -> list[Call]:
    return _versions(w, "input.yaml")


@route("browse.original")
def _original(w: World) -> list[Call]:
    return _versions(w, "original")


@route("browse.pdf")
def _pdf(w: World) -> list[Call]:
    return _versions(w, "pdf")


@route("browse.pdf_view")
def _pdf_view(w: World) -> list[Call]:
    return _versions(w, "view.pdf")


@route("browse.pages")
def _pages(w: World) -> list[Call]:
    return _versions(w, "pages")


@route("browse.page_image")
def _page_image(w: World) -> list[Call]:
    return _versions(w, "page/1.png")


def _searches(path: str) -> list[Call]:
    queries = [f"cell={CELL_A}", "cell=" + quote(NAME_A), "cell=an", "kind=ke-hoach-chuyen-de",
               "q=" + quote("kế hoạch sinh hoạt chuyên đề"), "q=" + quote('cell:"An Thành"'),
               "q=" + quote("NOT zzzqqq"), "q=" + quote("Lê Thị Hạnh kết nạp") + f"&cell={CELL_A}",
               "q=" + quote("chuyeen dde"), f"cell={CELL_A}&cell={CELL_B}&sort=date&page=1"]
    return [get(f"{path}?{q}", (200,)) for q in queries]


@route("browse.search")
def _search(w: World) -> list[Call]:
    return _searches("/search")


@route("api.search")
def _api_search(w: World) -> list[Call]:
    return _searches("/api/search") + [get(f"/api/search?limit=1000&cell={CELL_A}", (200,))]


@route("api.list_papers")
def _api_list(w: World) -> list[Call]:
    return [get(f"/api/list?{q}", (200,)) for q in
            (f"cell={CELL_A}", "all=1", f"all=1&cell={CELL_A}", "number=5", "kind=ke-hoach-chuyen-de")]


@route("api.show")
def _api_show(w: World) -> list[Call]:
    return [get(f"/api/show/{i}") for i in w.a_ids]


@route("papers.new")
def _new(w: World) -> list[Call]:
    return [get(f"/new?cell={CELL_A}", (200,)), get(f"/new?cell={CELL_A}&kind=nghi-quyet", (200,))]


@route("papers.create")
def _create(w: World) -> list[Call]:
    return [post("/new", cell=CELL_A, kind=k) for k in ("nghi-quyet", "bien-ban-thuong-ky")]


def _draft_calls(w: World, method: str, suffix: str, **data: str) -> list[Call]:
    """The draft of bt.a under its cell (403: not a writer of it) and under bt.b's own cell
    (404: no such draft there)."""
    urls = [w.draft + suffix, f"/draft/{CELL_B}/{w.draft_id}{suffix}"]
    if method == "GET":
        return [get(u) for u in urls]
    return [post(u, **data) for u in urls]


@route("papers.draft")
def _draft(w: World) -> list[Call]:
    return _draft_calls(w, "GET", "") + [get(w.draft + "?check=1"), get(w.draft + "?add=absent")]


@route("papers.submit")
def _submit(w: World) -> list[Call]:
    return (_draft_calls(w, "POST", "", place="Bình Minh ghi đè", action="save")
            + _draft_calls(w, "POST", "", action="preview") + _draft_calls(w, "POST", "", add="absent"))


@route("papers.save")
def _save(w: World) -> list[Call]:
    return _draft_calls(w, "POST", "/save", place="Bình Minh ghi đè")


@route("papers.file")
def _file(w: World) -> list[Call]:
    return _draft_calls(w, "POST", "/file", content="")


@route("papers.delete")
def _delete(w: World) -> list[Call]:
    return _draft_calls(w, "POST", "/delete")


@route("papers.preview")
def _preview(w: World) -> list[Call]:
    return _draft_calls(w, "GET", "/preview")


@route("papers.preview_docx")
def _preview_docx(w: World) -> list[Call]:
    return _draft_calls(w, "GET", "/preview.docx")


@route("papers.preview_pdf")
def _preview_pdf(w: World) -> list[Call]:
    return _draft_calls(w, "GET", "/preview.pdf")


@route("papers.preview_page")
def _preview_page(w: World) -> list[Call]:
    return [get(f"{u}/preview/page/{n}.png?key={'0' * 64}") for n in (1, 2)
            for u in (w.draft, f"/draft/{CELL_B}/{w.draft_id}")]


@route("papers.amend")
def _amend(w: World) -> list[Call]:
    return [call for i in w.a_ids for call in (get(f"/doc/{i}/amend"), post(f"/doc/{i}/amend"))]


@route("printjobs.form")
def _print_form(w: World) -> list[Call]:
    return [get(f"/print?cell={CELL_A}", (200,)), get(f"/print?cell={CELL_A}&kind=nghi-quyet&year=2026", (200,)),
            get(f"/print?q=nghị&cell={CELL_A}", (200,)), get("/print?cell=" + quote(NAME_A), (200,))]


@route("printjobs.start")
def _print_start(w: World) -> list[Call]:
    return [post("/print", (400,), action="print", cell=CELL_A),
            post("/print", (400,), action="print", cell=CELL_A, kind="nghi-quyet", year="2026", quarter="1"),
            post("/print", (400,), action="print", q="nghị quyết", cell=CELL_A),
            post("/print", (200,), action="count", cell=[CELL_A])]


@route("printjobs.count")
def _print_count(w: World) -> list[Call]:
    return [get(f"/print/count?cell={CELL_A}", (200,)), get(f"/print/count?q=nghị&cell={CELL_A}", (200,))]


@route("printjobs.job")
def _job(w: World) -> list[Call]:
    return [get(f"/print/job/{w.job}")]


@route("printjobs.status")
def _job_status(w: World) -> list[Call]:
    return [get(f"/print/job/{w.job}/status")]


@route("printjobs.book")
def _job_book(w: World) -> list[Call]:
    return [get(f"/print/job/{w.job}/book")]


@route("printjobs.cancel")
def _job_cancel(w: World) -> list[Call]:
    return [post(f"/print/job/{w.job}/cancel")]


@route("roster.members")
def _roster(w: World) -> list[Call]:
    return [get(f"/cell/{CELL_A}/roster"), get(f"/cell/{CELL_A}/roster?date=10/3/2026")]


@route("roster.member")
def _roster_member(w: World) -> list[Call]:
    sha = w.site.root / "cells" / CELL_A / "profile.yaml"
    real_sha = hashlib.sha256(sha.read_bytes()).hexdigest()
    return [get(f"/cell/{CELL_A}/roster/m01"), get(f"/cell/{CELL_A}/roster/{w.member}"),
            get(f"/cell/{CELL_B}/roster/{w.member}"),
            post(f"/cell/{CELL_A}/roster/m01", sha=real_sha, **member_form("Bình Minh đổi tên")),
            post(f"/cell/{CELL_A}/roster/{w.member}", sha=real_sha, **member_form("Bình Minh đổi tên"))]


@route("roster.new")
def _roster_new(w: World) -> list[Call]:
    return [get(f"/cell/{CELL_A}/roster/new"), post(f"/cell/{CELL_A}/roster/new", **member_form())]


@route("roster.import_sheet")
def _roster_import(w: World) -> list[Call]:
    token, sha = w.upload
    sheet = ("sheet", "ds.csv", "Họ và tên,Ngày vào Đảng\nKẻ Lạ,1/3/2021\n".encode())
    return [get(f"/cell/{CELL_A}/roster/import"),
            post(f"/cell/{CELL_A}/roster/import", files=(sheet,)),
            post(f"/cell/{CELL_A}/roster/import", confirm="1", upload=token, sha=sha),
            # bt.a's pending upload confirmed into bt.b's own cell: expired, nothing written
            post(f"/cell/{CELL_B}/roster/import", (410,), confirm="1", upload=token, sha=sha)]


@route("receive.form")
def _receive_form(w: World) -> list[Call]:
    return [get("/receive", (403,))]


@route("receive.upload")
def _receive(w: World) -> list[Call]:
    return [post("/receive", (403,), files=(("bundle", "goi.zip", b"PK\x05\x06" + bytes(18)),))]


@route("importing.form")
def _import_form(w: World) -> list[Call]:
    return [get("/import", (200,))]


def _old_paper_of_a() -> tuple[str, str, bytes]:
    return ("files", "nq-cu.txt", f"{NAME_A}\r\nSố 09-NQ/CB\r\nNGHỊ QUYẾT\r\nvề việc làm thử\r\n".encode())


@route("importing.upload")
def _import_upload(w: World) -> list[Call]:
    paper = _old_paper_of_a()
    return [post("/import", (403,), files=(paper,), cell=CELL_A, encoding="auto"),
            post("/import", (403,), files=(paper,), cell="", encoding="auto"),  # "as printed"
            post("/import", (403,), files=(paper,), cell=NAME_A, encoding="auto"),
            post("/import", (403,), files=(paper,), cell=[CELL_A, CELL_B], encoding="auto")]


@route("importing.plan")
def _import_plan(w: World) -> list[Call]:
    return [get(f"/import/{w.paper_import}"), get(f"/import/{w.paper_import.upper()}"),
            get(f"/import/{w.paper_import[:-1]}")]


@route("importing.confirm")
def _import_confirm(w: World) -> list[Call]:
    return [post(f"/import/{w.paper_import}/confirm", **{"kind-0": "nghi-quyet", "cell-0": NAME_B}),
            post(f"/import/{w.paper_import}/confirm", **{"skip-0": "x"})]


@route("importing.discard")
def _import_discard(w: World) -> list[Call]:
    return [post(f"/import/{w.paper_import}/discard")]


@route("admin.index")
def _admin(w: World) -> list[Call]:
    return [get("/admin", (403,))]


@route("admin.add_cell")
def _admin_cell(w: World) -> list[Call]:
    return [post("/admin/cells", (403,), files=(("profile", "profile.yaml", profile_c()),), cell_id="cam-lo"),
            post("/admin/cells", (403,), files=(("profile", "profile.yaml", profile_c()),), cell_id=CELL_A)]


@route("admin.add_user")
def _admin_user(w: World) -> list[Call]:
    return [post("/admin/users", (403,), login="bt.c", role="secretary", password=PASSWORD, again=PASSWORD,
                 cells=[CELL_A])]


@route("admin.user")
def _admin_user_page(w: World) -> list[Call]:
    return [get("/admin/users/bt.a", (403,)), get("/admin/users/bt.b", (403,))]


@route("admin.user_cells")
def _admin_user_cells(w: World) -> list[Call]:
    return [post("/admin/users/bt.b/cells", (403,), cells=[CELL_A, CELL_B]),  # widening oneself
            post("/admin/users/bt.a/cells", (403,), cells=[CELL_B])]


@route("admin.disable")
def _admin_disable(w: World) -> list[Call]:
    return [post("/admin/users/bt.a/disable", (403,))]


@route("admin.enable")
def _admin_enable(w: World) -> list[Call]:
    return [post("/admin/users/bt.a/enable", (403,))]


@route("admin.user_password")
def _admin_password(w: World) -> list[Call]:
    return [post("/admin/users/bt.a/password", (403,), password="mot-mat-khau-moi-dai", again="mot-mat-khau-moi-dai")]


@route("admin.user_token")
def _admin_token(w: World) -> list[Call]:
    return [post("/admin/users/bt.a/token", (403,))]


@route("auth.password")
def _password(w: World) -> list[Call]:
    return [get("/password", (200,)),
            post("/password", (400,), old=PASSWORD, new="mot-mat-khau-moi", again="khac-han-nhau")]


@route("auth.logout")
def _logout(w: World) -> list[Call]:
    return [post("/logout", (302,), fresh=True)]


# ------------------------------------------------------------------ every route
def test_every_route_is_attacked(world: World) -> None:
    app = world.site.app
    assert set(PUBLIC) == PUBLIC_ENDPOINTS  # a new public route must be attacked here too
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC_ENDPOINTS]
    endpoints = {r.endpoint for r in rules}
    assert endpoints - set(ROUTES) == set(), "routes without an attack in ROUTES"
    assert set(ROUTES) - endpoints == set(), "attacks of routes that are gone"
    for rule in rules:
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
        attacked = {c.method for c in ROUTES[rule.endpoint](world)}
        assert methods <= attacked, (rule.rule, methods - attacked)
        adapter = app.url_map.bind("localhost")
        for call in ROUTES[rule.endpoint](world):  # each call reaches the route it is listed under
            endpoint, _ = adapter.match(unquote(urlsplit(call.url).path), method=call.method)
            assert endpoint == rule.endpoint, (rule.endpoint, call.method, call.url)


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_another_cells_secretary_gets_nothing(world: World, endpoint: str) -> None:
    site = world.site
    client = site.client("bt.b")
    token = csrf_of(client, "/")
    before = state_of(world)
    problems = []
    for call in ROUTES[endpoint](world):
        if call.fresh:
            client = site.client("bt.b")
            token = csrf_of(client, "/")
        resp = send(client, token, call)
        body = resp.get_data(as_text=True) if resp.mimetype.startswith(("text/", "application/json")) \
            else resp.get_data().decode("latin-1")
        if resp.status_code not in call.expect:
            problems.append(f"{call.method} {call.url}: {resp.status_code}, expected {call.expect}")
        found = leaks(world, body, echoes(call.url, call.data))
        if found:
            problems.append(f"{call.method} {call.url}: shows {found}")
        if resp.mimetype in ("application/pdf", "application/octet-stream") or "attachment" in \
                resp.headers.get("Content-Disposition", ""):
            problems.append(f"{call.method} {call.url}: a download ({resp.mimetype})")
    assert not problems, "\n".join(problems)
    after = state_of(world)
    changed = [k for k in before if before[k] != after[k]]
    assert changed == [], changed


# ------------------------------------------------------------------ counting
def _json(client: Any, url: str, **params: Any) -> Any:
    resp = client.get(url, query_string=params)
    assert resp.status_code == 200, (url, params, resp.get_data(as_text=True)[:800])
    return resp.get_json()


FORGED: list[dict[str, Any]] = [
    {}, {"cell": CELL_A}, {"cell": NAME_A}, {"cell": "an thanh"}, {"cell": "AN"}, {"cell": [CELL_A, CELL_B]},
    {"cell": "thôn"}, {"kind": "ke-hoach-chuyen-de"}, {"year": "2026"}, {"topic": "vsmt"},
    {"q": "nghị quyết"}, {"q": 'cell:"An Thành" OR nghị'}, {"q": "NOT zzzqqq"}, {"q": "kết nạp", "cell": CELL_A},
]


@pytest.mark.parametrize("params", FORGED, ids=[str(p) for p in FORGED])
def test_a_secretary_counts_only_its_cell(world: World, params: dict[str, Any]) -> None:
    client = world.site.client("bt.b")
    mine = {d.id for d in world.b_current}
    found = _json(client, "/api/search", limit=1000, **params)
    ids = {h["id"] for h in found["hits"]}
    assert ids <= mine and found["total"] == len(ids), found
    assert set(found["facets"].get("cell") or {}) <= {NAME_B}, found["facets"]
    for name, counts in found["facets"].items():  # no value counts a paper bt.b may not see
        assert max(counts.values(), default=0) <= len(mine), (name, counts)
        if name != "topic":  # one kind, cell, year a paper (several topics)
            assert sum(counts.values()) <= len(mine), (name, counts)
    assert not leaks(world, str(found))
    listing = _json(client, "/api/list", **{k: v for k, v in params.items() if k != "q"})
    assert {d["id"] for d in listing} <= mine and {d["cell"] for d in listing} <= {NAME_B}
    # /print takes cell ids (several); the search and the list a cell's name or a part of it
    counted = _json(client, "/print/count", **params)["count"]
    cells = params.get("cell")
    if cells is None:
        assert counted == (found["total"] if "q" in params else len(listing)), (counted, params)
    elif CELL_B in (cells if isinstance(cells, list) else [cells]):
        own = _json(client, "/api/search", limit=1000, **{**params, "cell": CELL_B})
        assert counted == own["total"] <= len(mine), (counted, params)
    else:
        assert counted == 0, params
    if params in ({}, {"year": "2026"}):
        assert found["total"] == len(mine) == len(listing) == counted
    if params.get("cell") in (CELL_A, NAME_A, "an thanh", "AN") or params.get("kind") == "ke-hoach-chuyen-de":
        assert found["total"] == len(listing) == counted == 0


def test_the_pages_count_only_the_cell(world: World) -> None:
    client = world.site.client("bt.b")
    mine = len(world.b_current)
    page = client.get("/search").get_data(as_text=True)
    assert f"Tìm thấy <strong>{mine}</strong> văn bản" in page
    facets = page[page.index('<aside class="facets'):page.index("</aside>")]
    assert f">{NAME_B}</a> <span class=\"muted\">({mine})</span>" in facets
    kinds = [int(n) for n in re.findall(r'kind=[^"]+">[^<]+</a> <span class="muted">\((\d+)\)', facets)]
    assert sum(kinds) == mine
    home = client.get("/").get_data(as_text=True)
    assert f"<code>{CELL_B}</code> · {mine} văn bản" in home
    form = client.get("/print").get_data(as_text=True)
    assert f'name="cell" value="{CELL_B}"' in form and f'value="{CELL_A}"' not in form
    for body in (page, home, form):
        assert leaks(world, body) == []
    # the committee sees both cells: the same screens are not empty by accident
    committee = world.site.client("ubnd")
    page = committee.get("/search").get_data(as_text=True)
    assert f"Tìm thấy <strong>{world.all_current}</strong> văn bản" in page
    assert NAME_A in page and NAME_B in page


def test_similar_papers_stay_in_the_cell(world: World) -> None:
    reader = world.site.client("bt.b")
    committee = world.site.client("ubnd")
    shown_to_committee: set[str] = set()
    for doc in world.b_current:
        page = reader.get(f"/doc/{doc.id}").get_data(as_text=True)
        assert leaks(world, page) == [], doc.id
        linked = set(re.findall(r'href="/doc/([0-9a-f]{10})"', page))
        assert linked <= {d.id for d in world.b_current}, linked
        other = committee.get(f"/doc/{doc.id}").get_data(as_text=True)
        shown_to_committee |= set(re.findall(r'href="/doc/([0-9a-f]{10})"', other)) & set(world.a_ids)
    assert shown_to_committee  # the lists would hold an-thanh's papers without the scope


def test_print_count_with_forged_cells(world: World) -> None:
    client = world.site.client("bt.b")
    mine = len(world.b_current)
    for cells, expected in (([CELL_A], 0), ([CELL_A, CELL_B], mine), ([NAME_A], 0), (["../an-thanh"], 0),
                            ([CELL_A.upper()], 0), ([f"{CELL_A}\x00"], 0), ([CELL_B], mine), ([], mine)):
        assert _json(client, "/print/count", cell=cells)["count"] == expected, cells
    token = csrf_of(client, "/print")
    resp = client.post("/print", data=MultiDict([("csrf_token", token), ("action", "count"), ("cell", CELL_A)]))
    assert resp.status_code == 200 and "Không có văn bản nào phù hợp" in resp.get_data(as_text=True)
    resp = client.post("/print", data=MultiDict([("csrf_token", token), ("action", "print"), ("cell", CELL_A),
                                                 ("cell", CELL_B), ("kind", "ke-hoach-chuyen-de")]))
    assert resp.status_code == 400 and world.jobs.jobs("bt.b") == []


# ------------------------------------------------------------------ tokens
def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_api_by_token_is_the_cell(site: Site) -> None:
    token = Accounts(site.root).new_token("bt.b")
    client = site.client()
    a_ids = [d.id for d in current_docs(site.root) if d.meta.cell == NAME_A]
    mine = {d.id for d in current_docs(site.root) if d.meta.cell == NAME_B}
    for params in ({}, {"cell": CELL_A}, {"q": "nghị quyết"}, {"kind": "ke-hoach-chuyen-de"}):
        resp = client.get("/api/search", query_string={**params, "limit": 1000}, headers=_bearer(token))
        assert resp.status_code == 200
        assert {h["id"] for h in resp.get_json()["hits"]} <= mine
        assert set(resp.get_json()["facets"].get("cell") or {}) <= {NAME_B}
    listing = client.get("/api/list", query_string={"all": "1"}, headers=_bearer(token)).get_json()
    assert {d["id"] for d in listing} == mine
    for doc_id in a_ids:
        for url in (f"/api/show/{doc_id}", f"/doc/{doc_id}", f"/doc/{doc_id}/v1/docx", f"/doc/{doc_id}/v1/input.yaml"):
            resp = client.get(url, headers=_bearer(token))
            assert resp.status_code == 404, url
            assert NAME_A not in resp.get_data(as_text=True)
    # a token needs no CSRF token: it must not write another cell either
    before = sorted((d.id, d.status) for d in all_versions(site.root))
    assert client.post("/new", data={"cell": CELL_A, "kind": "nghi-quyet"}, headers=_bearer(token)).status_code == 403
    assert client.post(f"/doc/{a_ids[0]}/withdraw", data={"reason": "x"}, headers=_bearer(token)).status_code == 404
    assert client.post(f"/cell/{CELL_A}/roster/new", data=member_form(), headers=_bearer(token)).status_code == 404
    assert sorted((d.id, d.status) for d in all_versions(site.root)) == before
    assert not (site.root / ".docgen" / "web" / "drafts" / CELL_A).exists()


def test_the_token_wins_over_the_session(site: Site) -> None:
    """bt.a's browser sending bt.b's token is bt.b (never the union of both)."""
    token = Accounts(site.root).new_token("bt.b")
    client = site.client("bt.a")
    a_id = next(d.id for d in current_docs(site.root) if d.meta.cell == NAME_A)
    assert client.get(f"/api/show/{a_id}").status_code == 200
    assert client.get(f"/api/show/{a_id}", headers=_bearer(token)).status_code == 404
    # a wrong token is refused, not answered with the session's user
    assert client.get(f"/api/show/{a_id}", headers=_bearer(token + "x")).status_code == 401
    assert client.get("/", headers=_bearer("")).status_code == 401


def test_a_disabled_accounts_token_is_refused(site: Site) -> None:
    accounts = Accounts(site.root)
    token = accounts.new_token("bt.b")
    client = site.client()
    assert client.get("/api/list", headers=_bearer(token)).status_code == 200
    accounts.disable("bt.b", actor="admin")
    for url in ("/api/list", "/api/search?q=nghị", "/", f"/cell/{CELL_B}", "/print/count"):
        resp = client.get(url, headers=_bearer(token))
        assert resp.status_code == 401, url
        assert NAME_B not in resp.get_data(as_text=True)
    resp = client.post("/new", data={"cell": CELL_B, "kind": "nghi-quyet"}, headers=_bearer(token))
    assert resp.status_code == 401


def test_a_token_follows_the_accounts_cells(site: Site) -> None:
    """The cells of a token are the account's now, not when the token was made."""
    accounts = Accounts(site.root)
    token = accounts.new_token("bt.b")
    client = site.client()
    a_id = next(d.id for d in current_docs(site.root) if d.meta.cell == NAME_A)
    accounts.set_cells("bt.b", (CELL_A,), actor="admin")
    assert client.get(f"/api/show/{a_id}", headers=_bearer(token)).status_code == 200
    accounts.set_cells("bt.b", (CELL_B,), actor="admin")
    assert client.get(f"/api/show/{a_id}", headers=_bearer(token)).status_code == 404


# ------------------------------------------------------------------ the committee
def _writes(w: World) -> list[Call]:
    token, sha = w.upload
    a_doc = next(d.id for d in w.a_docs if d.status == "current")
    sheet = ("sheet", "ds.csv", "Họ và tên,Ngày vào Đảng\nKẻ Lạ,1/3/2021\n".encode())
    return [
        post("/new", (403,), cell=CELL_A, kind="nghi-quyet"), post("/new", (403,), cell=CELL_B, kind="nghi-quyet"),
        get(w.draft, (403,)), post(w.draft, (403,), place="ủy ban ghi", action="save"),
        post(w.draft + "/save", (403,), place="ủy ban ghi"), post(w.draft + "/file", (403,)),
        post(w.draft + "/delete", (403,)), get(w.draft + "/preview.docx", (403,)),
        get(f"/doc/{a_doc}/amend", (403,)), post(f"/doc/{a_doc}/amend", (403,)),
        post(f"/doc/{a_doc}/withdraw", (403,), reason="ủy ban thu hồi"),
        get(f"/cell/{CELL_A}/roster/new", (403,)), post(f"/cell/{CELL_A}/roster/new", (403,), **member_form()),
        post(f"/cell/{CELL_B}/roster/new", (403,), **member_form()),
        post(f"/cell/{CELL_A}/roster/m01", (403,), **member_form("Ủy ban đổi tên")),
        get(f"/cell/{CELL_A}/roster/import", (403,)),
        post(f"/cell/{CELL_A}/roster/import", (403,), files=(sheet,)),
        post(f"/cell/{CELL_A}/roster/import", (403,), confirm="1", upload=token, sha=sha),
    ]


@pytest.mark.parametrize("login", ["ubnd", "admin"])
def test_readers_of_every_cell_write_no_paper_and_no_roster(world: World, login: str) -> None:
    client = world.site.client(login)
    token = csrf_of(client, "/")
    before = state_of(world)
    problems = []
    for call in _writes(world):
        resp = send(client, token, call)
        if resp.status_code not in call.expect:
            problems.append(f"{login} {call.method} {call.url}: {resp.status_code}")
        if DRAFT_MARK in resp.get_data(as_text=True):
            problems.append(f"{login} {call.method} {call.url}: shows the draft")
    assert not problems, "\n".join(problems)
    assert [k for k in before if before[k] != state_of(world)[k]] == []
    # and reads both cells
    for cell_id in (CELL_A, CELL_B):
        assert client.get(f"/cell/{cell_id}").status_code == 200
        assert client.get(f"/cell/{cell_id}/roster").status_code == 200
    assert client.get(f"/doc/{world.amended}/v2/input.yaml").status_code == 200
    found = _json(client, "/api/search", limit=1000)
    assert found["total"] == world.all_current and set(found["facets"]["cell"]) == {NAME_A, NAME_B}


# ------------------------------------------------------------------ out of the folder
def _traversals(w: World) -> list[tuple[str, str]]:
    b_doc = w.b_current[0].id
    return [
        ("GET", "/doc/..%2F..%2Fetc%2Fpasswd/v1/docx"), ("GET", "/doc/../../etc/passwd"),
        ("GET", "/doc/%2e%2e/v1/input.yaml"), ("GET", "/doc/%2e%2e%2f%2e%2e%2fcells/v1/input.yaml"),
        ("GET", f"/doc/{b_doc}/v1/..%2F..%2F..%2Fcells%2F{CELL_B}%2Fprofile.yaml"),
        ("GET", f"/doc/{b_doc}/v1/../../../cells/{CELL_B}/profile.yaml"),
        ("GET", f"/doc/{b_doc}/v0/docx"), ("GET", f"/doc/{b_doc}/v2/docx"), ("GET", f"/doc/{b_doc}/v-1/docx"),
        ("GET", f"/doc/{b_doc}/v99999999999999999999999/input.yaml"), ("GET", f"/doc/{b_doc}/v1/input.yaml%00"),
        ("GET", f"/doc/{b_doc}%00/v1/docx"), ("GET", f"/doc/{b_doc}/v1.0/docx"),
        ("GET", "/api/show/..%2F..%2Fcells"), ("GET", "/api/show/%2e%2e"), ("GET", "/api/show/%25"),
        ("GET", "/cell/..%2F" + CELL_A), ("GET", "/cell/%2e%2e"), ("GET", f"/cell/{CELL_B}%2F..%2F{CELL_A}/roster"),
        ("GET", f"/cell/{CELL_B}/roster/..%2F..%2F{CELL_A}"), ("GET", f"/cell/{CELL_B}/roster/%2e%2e"),
        ("GET", f"/draft/{CELL_B}/%2e%2e"), ("GET", f"/draft/{CELL_B}/..%2F..%2F{CELL_A}%2F{w.draft_id}"),
        ("GET", f"/draft/{CELL_B}/%2e%2e/preview.docx"), ("GET", f"/draft/%2e%2e/{w.draft_id}"),
        ("GET", f"/draft/{CELL_B}/{w.draft_id}%2F..%2F..%2F{CELL_A}/preview.docx"),
        ("GET", f"/draft/{CELL_B}/0123456789abcdef/preview/page/1.png?key=..%2F..%2F..%2Fweb-secret"),
        ("POST", f"/draft/{CELL_B}/%2e%2e"), ("POST", f"/draft/{CELL_B}/%2e%2e/save"),
        ("POST", f"/draft/{CELL_B}/%2e%2e/file"), ("POST", f"/draft/{CELL_B}/%2e%2e/delete"),
        ("POST", f"/draft/{CELL_B}/not-a-draft/file"), ("POST", f"/draft/{CELL_B}/{w.draft_id.upper()}/delete"),
        ("GET", "/print/job/..%2F..%2Fetc/book"), ("GET", "/print/job/%2e%2e/book"),
        ("GET", "/print/job/%2e%2e/status"), ("POST", "/print/job/%2e%2e/cancel"),
        ("GET", "/static/..%2Fapp.py"), ("GET", "/static/%2e%2e/app.py"), ("GET", "/static/../../app.py"),
        ("GET", "/static/..%2F..%2F..%2F..%2Fetc%2Fpasswd"),
    ]


def test_no_url_reaches_outside_the_archive(world: World) -> None:
    site = world.site
    profile_b = (site.root / "cells" / CELL_B / "profile.yaml").read_text(encoding="utf-8")
    secret = (site.root / ".docgen" / "web-secret").read_text().strip()
    source = Path(__file__).resolve().parents[2] / "docgen" / "web" / "app.py"
    problems = []
    for login in ("bt.b", "ubnd"):
        client = site.client(login)
        token = csrf_of(client, "/")
        for method, url in _traversals(world):
            resp = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
            body = resp.get_data().decode("utf-8", "replace")
            if resp.status_code not in (400, 403, 404):
                problems.append(f"{login} {method} {url}: {resp.status_code}")
            for text, what in (("root:x:", "/etc/passwd"), (secret, "the session key"),
                               ("superior_committee", "a profile.yaml"), (profile_b[:200], "a profile.yaml"),
                               ("def create_app", source.name), ("$argon2", "the accounts")):
                if text in body:
                    problems.append(f"{login} {method} {url}: shows {what}")
            if login == "bt.b" and leaks(world, body, echoes(url)):
                problems.append(f"{login} {method} {url}: shows {leaks(world, body, echoes(url))}")
    assert not problems, "\n".join(problems)


def test_a_writers_own_malformed_draft_ids_are_not_found(site: Site) -> None:
    """The writer of the cell itself posting a draft id that is no draft id (hand-made URLs,
    old links): "not found", like any missing draft, never a server error."""
    client = site.client("bt.a")
    token = csrf_of(client, "/")
    problems = []
    for draft_id in ("..", "zzzz", "0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0"):
        for method, suffix in (("POST", ""), ("POST", "/save"), ("POST", "/file"), ("POST", "/delete"),
                               ("GET", ""), ("GET", "/preview"), ("GET", "/preview.docx"),
                               ("GET", "/preview.pdf"), ("GET", "/preview/page/1.png")):
            url = f"/draft/{CELL_A}/{quote(draft_id, safe='')}{suffix}"
            resp = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
            if resp.status_code != 404:
                problems.append(f"{method} {url}: {resp.status_code}")
    assert not problems, "\n".join(problems)
    assert not (site.root / ".docgen" / "web" / "drafts").exists()


def test_downloads_of_the_own_cell_are_the_version_folders_files(world: World) -> None:
    """The positive side of the traversal checks: bt.b downloads its papers, byte for byte
    the files of the version folder (so the 404s above are not a broken route)."""
    client = world.site.client("bt.b")
    for doc in world.b_current:
        docx = client.get(f"/doc/{doc.id}/v{doc.version}/docx")
        assert docx.status_code == 200 and docx.data == doc.docx_path.read_bytes()
        assert "attachment" in docx.headers["Content-Disposition"]
        yaml_file = client.get(f"/doc/{doc.id}/v{doc.version}/input.yaml")
        assert yaml_file.status_code == 200 and yaml_file.data == (doc.folder / "input.yaml").read_bytes()
        assert "attachment" in yaml_file.headers["Content-Disposition"]


def test_the_leak_detector_sees_an_thanh(world: World) -> None:
    """The control of ``leaks``: what bt.a is shown of its own cell is caught by it."""
    client = world.site.client("bt.a")
    for url in (f"/doc/{world.amended}", f"/api/show/{world.amended}", world.draft, f"/print/job/{world.job}",
                f"/cell/{CELL_A}/roster/{world.member}", f"/search?cell={CELL_A}", "/api/list", "/"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert leaks(world, resp.get_data(as_text=True), echoes(url)), url


def test_world_is_what_bt_a_made(world: World) -> None:
    """The fixture's own check: what the attacks aim at exists and bt.a reaches it."""
    client = world.site.client("bt.a")
    assert DRAFT_MARK in client.get(world.draft).get_data(as_text=True)
    book = client.get(f"/print/job/{world.job}/book")
    assert book.status_code == 200 and book.data.startswith(b"%PDF")
    book.close()
    assert client.get(f"/doc/{world.amended}/v2/docx").status_code == 200
    assert MEMBER_A in client.get(f"/cell/{CELL_A}/roster/{world.member}").get_data(as_text=True)
    withdrawn = next(d for d in world.a_docs if d.id == world.withdrawn and d.status == "withdrawn")
    assert client.get(f"/doc/{withdrawn.id}").status_code == 200


def test_another_cells_paper_is_as_absent_as_a_missing_one(world: World) -> None:
    """No oracle: for bt.b a paper of an-thanh answers exactly as an id no paper has."""
    client = world.site.client("bt.b")
    token = csrf_of(client, "/")
    missing = "0123456789"
    assert missing not in world.a_ids
    different = []
    for doc_id in world.a_ids:
        for method, suffix in (("GET", ""), ("GET", "/v1/docx"), ("GET", "/v1/pdf"), ("GET", "/v1/view.pdf"),
                               ("GET", "/v1/input.yaml"), ("GET", "/v2/input.yaml"), ("GET", "/amend"),
                               ("POST", "/withdraw"), ("HEAD", "/v1/docx"), ("GET", "api")):
            answers = []
            for one in (doc_id, missing):
                url = f"/api/show/{one}" if suffix == "api" else f"/doc/{one}{suffix}"
                if method == "POST":
                    resp = client.post(url, data={"csrf_token": token, "reason": "x"})
                else:
                    resp = client.open(url, method=method)
                body = resp.get_data(as_text=True).replace(one, "ID")
                headers = sorted((k, v) for k, v in resp.headers.items() if k not in ("Set-Cookie", "Date"))
                answers.append((resp.status_code, body, headers))
            if answers[0] != answers[1]:
                different.append(f"{method} /doc/{doc_id}{suffix}: {answers[0][0]} vs {answers[1][0]}")
    assert not different, "\n".join(different)


def test_a_session_loses_a_cell_at_once(site: Site) -> None:
    """The cells are read at every request: an open session of bt.a reassigned to binh-minh
    no longer reads an-thanh's papers nor writes its draft."""
    client = site.client("bt.a")
    token = csrf_of(client, "/")
    a_id = next(d.id for d in current_docs(site.root) if d.meta.cell == NAME_A)
    resp = client.post("/new", data={"csrf_token": token, "cell": CELL_A, "kind": "nghi-quyet"})
    draft = urlsplit(resp.location).path
    assert client.get(draft).status_code == 200 and client.get(f"/doc/{a_id}").status_code == 200
    Accounts(site.root).set_cells("bt.a", (CELL_B,), actor="admin")
    assert client.get(f"/doc/{a_id}").status_code == 404
    assert client.get(f"/doc/{a_id}/v1/docx").status_code == 404
    assert client.get(draft).status_code == 403
    assert client.post(draft + "/save", data={"place": "x"}, headers={"X-CSRF-Token": token}).status_code == 403
    found = client.get("/api/search", query_string={"limit": 1000}).get_json()
    assert set(found["facets"]["cell"]) == {NAME_B}
