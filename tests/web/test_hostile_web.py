"""Hostile text and hostile uploads on the web app (issue 12): what a user types shows
literally, escaped, in every page and literally in the .docx; uploads have their limits.

- Every kind of ``docgen.kinds.KINDS``: the hostile string in every free-text field of its
  form (``docgen.authoring.webform.form_fields``: text, textarea and lines widgets, inside
  rows and groups too), valid values elsewhere (the kind's example); the draft's form shows
  each value escaped in its own input, the model refuses exactly the fields it constrains,
  the preview .docx and the filed .docx hold the text literally, the paper's page, the
  search results, the cell's page and the list of drafts show it escaped.
- The hostile string as a login, a ``next`` target, a cell id, search queries the search
  cannot parse, a print title, a member's name (in the form, the live figures, the .docx),
  YAML typed into a field or a name, uploaded file names (roster sheets, profiles, bundles).
- Uploads: a body over the app's MAX_CONTENT_LENGTH is the 413 page on every upload route;
  an .xlsx zip bomb (honest and lying headers) and a DTD, a profile.yaml with YAML aliases,
  bundles with a symlink, an absolute or backslashed member name: refused, nothing written.
"""

from __future__ import annotations

import html
import io
import re
import stat
import struct
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import openpyxl
import pytest
import yaml
from conftest import (
    CELL_A,
    CELL_B,
    EXAMPLES,
    NAME_B,
    PASSWORD,
    BlankPdfConverter,
    Pairs,
    Site,
    Writer,
    csrf_of,
)
from markupsafe import escape
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from docgen.accounts import Accounts
from docgen.app import find_document
from docgen.archive import Archive, audit
from docgen.archive.bundle import FORMAT, MANIFEST
from docgen.archive.filters import DocFilter
from docgen.authoring.webform import FormField, form_fields, form_pairs
from docgen.cells import Cells
from docgen.docxtext import docx_text
from docgen.kinds import KINDS
from docgen.model.files import read_mapping
from docgen.model.profile import load_profile
from docgen.printing.service import PrintJobs
from docgen.web.app import MAX_UPLOAD

H = "<script>alert(1)</script> {{ 7*7 }} & < > \"q\" 'a'"
ESCAPED = str(escape(H))  # &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp; &lt; &gt; &#34;q&#34; &#39;a&#39;
LITERALS = ("<script>alert(1)</script>", "{{ 7*7 }}", "& < >")
EVALUATED = ESCAPED.replace("{{ 7*7 }}", "49")  # what a template evaluating the text would show
TEXT_WIDGETS = ("text", "textarea", "lines")
# Free-text fields the model reads as values of its own: hostile text there is refused with
# the field's message (the number of the source minutes; the rating words of a review).
CONSTRAINED = {"trich-bien-ban": {"source.number"},
               "bien-ban-danh-gia-xep-loai": {"ratings[].rating", "collective.rating"}}


# ------------------------------------------------------------------ helpers



def every(fields: tuple[FormField, ...] | list[FormField]) -> Iterator[FormField]:
    for f in fields:
        yield f
        yield from every(f.fields)


def pattern(name: str) -> str:
    """"tasks[2].content" → "tasks[].content"; a line "agenda[3]" → "agenda"."""
    return re.sub(r"\[\]$", "", re.sub(r"\[\d+\]", "[]", name))


def text_patterns(kind: str) -> dict[str, FormField]:
    return {f.name: f for f in every(form_fields(kind)) if f.widget in TEXT_WIDGETS}


def example(kind: str) -> dict[str, Any]:
    data = read_mapping(EXAMPLES / KINDS[kind].example_name)
    data.pop("number", None)  # the example's number is taken: filing gives the next one
    return data


def hostile_pairs(kind: str, every_field: bool, constrained: bool = False) -> tuple[Pairs, list[str]]:
    """The example's form with H in its free-text fields; (the pairs, the names holding H).
    ``every_field``: also each free-text field the example leaves out (in row 0 of its list,
    a row of its own when the example has none; a field that only goes with a box ticked,
    ``reason`` of an extraordinary sitting, ``topical.*``, is then refused by the model: this
    is for what the form shows), else only the ``summary`` the title is made from;
    ``constrained``: the CONSTRAINED ones too."""
    texts = text_patterns(kind)
    skip = set() if constrained else CONSTRAINED.get(kind, set())
    pairs = [(n, H if pattern(n) in texts and pattern(n) not in skip else v)
             for n, v in form_pairs(kind, example(kind))]
    present = {pattern(n) for n, _ in pairs}
    for name, f in texts.items():
        if name in present or name in skip:
            continue
        if every_field or name == "summary":
            posted = f.html_name(*[0] * name.count("[]"))
            pairs.append((posted + "[0]" if f.widget == "lines" else posted, H))
    return pairs, [n for n, v in pairs if v == H]


def shown_value(page: str, name: str) -> str | None:
    """The value the form shows in the input (or textarea) posted as ``name``, unescaped."""
    quoted = re.escape(name)
    found = re.search(rf'<input [^>]*\bname="{quoted}"[^>]*\bvalue="([^"]*)"', page) or re.search(
        rf'<textarea [^>]*\bname="{quoted}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1)) if found else None


def strings_of(data: Any) -> set[str]:
    """Every string of a YAML document."""
    if isinstance(data, dict):
        return {s for v in data.values() for s in strings_of(v)}
    if isinstance(data, list):
        return {s for v in data for s in strings_of(v)}
    return {data} if isinstance(data, str) else set()


def no_raw(page: str, where: str) -> None:
    """No script but the app's own files, no evaluated template, no unescaped markup."""
    assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", page), where
    assert "<script>alert" not in page.lower() and "<img src=x" not in page, where
    assert EVALUATED not in page and "&lt;/script&gt; 49 " not in page, where
    assert "& < >" not in page, where


def filed_text(site: Site, doc_id: str) -> str:
    return docx_text(find_document(site.settings, doc_id).docx_path)


def multipart(client: Any, url: str, fields: Pairs, files: list[tuple[str, str, bytes]]) -> Any:
    """A multipart POST encoded in memory (no temporary file under filterwarnings=error)."""
    form: MultiDict[str, Any] = MultiDict(fields)
    for name, filename, content in files:
        form.add(name, FileStorage(io.BytesIO(content), filename=filename, content_type="application/octet-stream"))
    boundary, body = encode_multipart(form)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def web_files(site: Site) -> list[str]:
    """Every file the app keeps under .docgen and cells (what an upload may not add to)."""
    return sorted(p.relative_to(site.root).as_posix() for base in (site.root / ".docgen", site.root / "cells")
                  for p in base.rglob("*") if p.is_file() and "locks" not in p.parts)


def doc_count(site: Site) -> int:
    archive = Archive(site.root)
    try:
        return len(archive.matching(DocFilter(include_withdrawn=True)))
    finally:
        archive.close()





@pytest.fixture
def jobs(site: Site, tmp_path: Path) -> Iterator[PrintJobs]:
    service = PrintJobs(site.settings, BlankPdfConverter(), tmp_path / "books")  # type: ignore[arg-type]
    site.app.config["WEB"].jobs = service
    yield service
    assert service.shutdown(wait=30.0)


# ------------------------------------------------------------------ every kind, every field
@pytest.mark.parametrize("kind", list(KINDS))
def test_hostile_text_in_every_field_of_every_kind(site: Site, kind: str) -> None:
    writer = Writer(site)

    # 1. every free-text field of the form, the example's and those it leaves out
    shown_url = writer.new(kind)
    pairs, names = hostile_pairs(kind, every_field=True, constrained=True)
    resp = writer.post(shown_url, [*pairs, ("action", "save")])  # the form's own Save, no JavaScript
    assert resp.status_code == 303
    for url in (shown_url, shown_url + "?check=1"):
        page = writer.page(url)
        no_raw(page, url)
        wrong = {n: shown_value(page, n) for n in names if shown_value(page, n) != H}
        assert wrong == {}, (url, wrong)  # each value escaped in its own input, as typed
        assert page.count(ESCAPED) >= len(names) and page.count("{{ 7*7 }}") >= len(names)

    # 2. the model refuses hostile text in exactly the fields it reads as values of its own
    checked = writer.save(shown_url, hostile_pairs(kind, every_field=False, constrained=True)[0])
    refused = {pattern(m["field"]) for m in checked["messages"]}
    assert refused == CONSTRAINED.get(kind, set()), checked["messages"]
    assert all(H in m["text"] or H in m["cli"] for m in checked["messages"])  # quoted, in JSON

    # 3. filed with H everywhere else: literally in the .docx, escaped in every page
    url = writer.new(kind)
    pairs, names = hostile_pairs(kind, every_field=False)
    answer = writer.save(url, pairs)
    assert answer["valid"] and answer["messages"] == [], answer["messages"]
    preview = writer.client.get(url + "/preview.docx")
    assert preview.status_code == 200 and "attachment" in preview.headers["Content-Disposition"]
    no_raw(writer.page(url + "/preview", 503), "preview (no LibreOffice here)")
    doc_id = writer.file(url)
    for printed in (docx_text(preview.data), filed_text(site, doc_id)):
        for literal in LITERALS:
            assert literal in printed, (literal, printed[:2000])
        assert "&lt;" not in printed and "&amp;" not in printed and "&#" not in printed  # not escaped twice
        assert "49 &" not in printed
        # (almost) every field typed is printed as typed (the model uppercases a heading or two)
        assert printed.count("{{ 7*7 }}") >= 0.9 * len(names), (printed.count("{{ 7*7 }}"), len(names))
    title = find_document(site.settings, doc_id).meta.title
    pages = {f"/doc/{doc_id}": writer.page(f"/doc/{doc_id}"),
             "/search?q=alert": writer.page("/search?q=alert&sort=date"),
             f"/cell/{CELL_A}": writer.page(f"/cell/{CELL_A}"), "/new": writer.page("/new"),
             "/": writer.page("/")}
    for where, page in pages.items():
        no_raw(page, where)
    assert str(escape(title)) in pages[f"/doc/{doc_id}"] and "&lt;script&gt;" in pages[f"/doc/{doc_id}"]
    assert f'href="/doc/{doc_id}"' in pages["/search?q=alert"]
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in pages["/search?q=alert"]  # the snippet
    assert f'href="{shown_url}"' in pages["/new"] and "&lt;script&gt;alert(1)" in pages["/new"]  # the draft's title
    for api in (f"/api/show/{doc_id}", "/api/search?q=alert", "/api/list"):
        resp = writer.client.get(api)
        assert resp.status_code == 200 and resp.mimetype == "application/json", api
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
    amend = writer.client.post(f"/doc/{doc_id}/amend", data={"csrf_token": csrf_of(writer.client, "/")})
    assert amend.status_code == 303
    form = writer.page(urlsplit(amend.location).path)
    no_raw(form, "amend")
    assert {n: shown_value(form, n) for n in names if shown_value(form, n) != H} == {}
    filed_input = writer.client.get(f"/doc/{doc_id}/v1/input.yaml")
    assert "attachment" in filed_input.headers["Content-Disposition"] and filed_input.mimetype == "text/yaml"
    assert H in strings_of(yaml.safe_load(filed_input.data.decode("utf-8")))  # read back as typed


def test_yaml_typed_into_a_field_is_filed_as_text(site: Site) -> None:
    """The form's values become an input.yaml: YAML syntax typed in them stays text."""
    writer = Writer(site)
    url = writer.new("nghi-quyet")
    typed = {"place": "!!python/object/apply:os.system ['echo pwned']",
             "guests[0].name": "*alias", "guests[0].position": "&anchor x: y --- ...",
             "summary": "key: value # not a comment"}
    pairs = [(n, typed.pop(n, v)) for n, v in form_pairs("nghi-quyet", example("nghi-quyet"))] + list(typed.items())
    expected = dict(pairs)
    assert writer.save(url, pairs)["valid"]
    doc_id = writer.file(url)
    data = yaml.safe_load(writer.client.get(f"/doc/{doc_id}/v1/input.yaml").data.decode("utf-8"))
    assert data["place"] == expected["place"] and data["summary"] == expected["summary"]
    assert data["guests"][0] == {"name": "*alias", "position": "&anchor x: y --- ..."}
    text = filed_text(site, doc_id)
    assert "!!python/object/apply:os.system ['echo pwned']" in text and "*alias" in text


# ------------------------------------------------------------------ a hostile member's name
def test_a_hostile_members_name_in_the_form_the_figures_and_the_docx(site: Site) -> None:
    writer = Writer(site)
    resp = writer.post(f"/cell/{CELL_A}/roster/new", [("id", ""), ("name", H), ("admitted", "1/3/2021"),
                                                      ("official", "1/3/2022"), ("official_decided", ""),
                                                      ("left", ""), ("home_cell", "")])
    assert resp.status_code == 302, resp.get_data(as_text=True)[:1500]
    member = urlsplit(resp.location).path.rsplit("/", 1)[1]
    for url in (f"/cell/{CELL_A}/roster", f"/cell/{CELL_A}/roster/{member}"):
        page = writer.page(url)
        no_raw(page, url)
        assert ESCAPED in page, url

    url = writer.new("bien-ban-thuong-ky")
    pairs = [(n, v) for n, v in form_pairs("bien-ban-thuong-ky", example("bien-ban-thuong-ky"))]
    pairs += [("absent[5].member", member), ("absent[5].reason", "đi làm ăn xa")]
    answer = writer.save(url, pairs)
    assert answer["valid"], answer["messages"]
    assert any(c["value"] == member and H in c["label"] for c in answer["roster"])  # JSON: as typed
    figures = answer["figures_html"]  # HTML the script puts in the page: escaped by the server
    assert "<script>alert" not in figures and f"{ESCAPED} (đi làm ăn xa)" in figures
    form = writer.page(url)
    no_raw(form, url)
    assert re.search(rf'<option value="{member}" selected>{member} — {re.escape(ESCAPED)}', form), form[:0]
    assert form.count(ESCAPED) >= 2  # the absentee's select and the figures, at least
    doc_id = writer.file(url)
    printed = filed_text(site, doc_id)  # the model's own curly quotes aside, as typed
    assert "đồng chí <script>alert(1)</script> {{ 7*7 }} & < > “q” 'a' (đi làm ăn xa)" in printed


def test_yaml_in_a_members_name_changes_nothing_but_the_name(site: Site) -> None:
    """profile.yaml is spliced as text: a name made of YAML must not become a field of the
    profile (the cell's name, its history) nor widen what the secretary reads."""
    client = site.client("bt.b")
    token = csrf_of(client, "/")
    path = site.root / "cells" / CELL_B / "profile.yaml"
    before, names_before = load_profile(path), Cells(site.settings).get(CELL_B).names
    names = ["x\ncell:\n  name: CHI BỘ THÔN AN THÀNH", "x', cell: {name: 'CHI BỘ THÔN AN THÀNH'}, y: '",
             'x"}\n- {id: m99, name: "y', "Nguyễn An # comment\nhistory:\n  - {name: CHI BỘ THÔN AN THÀNH}",
             "&a Nguyễn", "*a", "!!binary SGVsbG8="]
    ids = []
    for name in names:
        resp = client.post(f"/cell/{CELL_B}/roster/new", data={
            "csrf_token": token, "id": "", "name": name, "admitted": "1/3/2021", "official": "1/3/2022",
            "official_decided": "", "left": "", "home_cell": ""})
        assert resp.status_code in (302, 400), (name, resp.status_code)
        if resp.status_code == 302:
            ids.append(urlsplit(resp.location).path.rsplit("/", 1)[1])
    profile = load_profile(path)
    assert profile.cell == before.cell and profile.cell_history == before.cell_history
    assert Cells(site.settings).get(CELL_B).names == names_before
    assert "m99" not in {m.id for m in profile.members}
    for member_id in ids:
        name = profile.name_of(member_id)
        assert name is not None and " ".join(name.split()) in {" ".join(n.split()) for n in names}
    listing = client.get("/api/list", query_string={"all": "1"}).get_json()
    assert listing and {d["cell"] for d in listing} == {NAME_B}


# ------------------------------------------------------------------ logins, redirects, cells
def test_hostile_logins_and_next_targets(site: Site) -> None:
    client = site.client()
    token = csrf_of(client)
    resp = client.post("/login", query_string={"next": H}, data={"login": H, "password": H, "csrf_token": token})
    assert resp.status_code == 401
    no_raw(resp.get_data(as_text=True), "/login")
    page = client.get("/login", query_string={"next": H}).get_data(as_text=True)
    no_raw(page, "/login?next=")
    for target in ("/\\evil.example/x", "/\\\\evil.example", "/\t/evil.example", "/\n/evil.example",
                   "/%5Cevil.example", " //evil.example", "\\\\evil.example", "https:evil.example",
                   "/%0d%0aSet-Cookie:%20x=1", H):
        for do in ("login", "lang"):
            fresh = site.client()
            if do == "login":
                resp = fresh.post("/login", query_string={"next": target},
                                  data={"login": "bt.a", "password": PASSWORD, "csrf_token": csrf_of(fresh)})
            else:
                resp = fresh.get("/lang/en", query_string={"next": target})
            assert resp.status_code == 302, (do, target)
            location = resp.headers["Location"]
            seen = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")  # as a browser reads it
            assert location.startswith("/") and not seen.startswith("//"), (do, target, location)
            assert not any("x=1" in c for c in resp.headers.getlist("Set-Cookie")), (do, target)
    admin = site.client("admin")
    page = admin.get("/admin/users/" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E").get_data(as_text=True)
    no_raw(page, "/admin/users/<script>")
    resp = admin.post("/admin/users", data={"csrf_token": csrf_of(admin, "/admin"), "login": H, "role": "secretary",
                                            "password": PASSWORD, "again": PASSWORD, "cells": CELL_A})
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    no_raw(page, "/admin/users")
    assert ESCAPED in page  # the refused login, shown as typed, in the form or the message


def test_hostile_cell_ids(site: Site, jobs: PrintJobs) -> None:
    client = site.client("bt.b")
    token = csrf_of(client, "/")
    quoted = "%3Cscript%3Ealert(1)%3C%2Fscript%3E%20%7B%7B%207*7%20%7D%7D%20%26%20%3C%20%3E"
    for url, status in ((f"/cell/{quoted}", 404), (f"/cell/{quoted}/roster", 404),
                        (f"/cell/{quoted}/roster/m01", 404), (f"/draft/{quoted}/0123456789abcdef", 404),
                        (f"/draft/{quoted.replace('%2F', '')}/0123456789abcdef", 403),
                        (f"/cell/{CELL_B}/roster?date={quoted}", 400), (f"/search?cell={quoted}", 200),
                        (f"/print?cell={quoted}", 200), (f"/new?cell={quoted}", 200),
                        (f"/doc/{quoted}", 404), (f"/api/show/{quoted}", 404)):
        resp = client.get(url)
        assert resp.status_code == status, (url, resp.status_code)
        no_raw(resp.get_data(as_text=True), url)
    search = client.get("/search", query_string={"cell": H}).get_data(as_text=True)
    assert f"Chi bộ: {ESCAPED}" in search  # the filter, as typed
    assert client.get("/print/count", query_string={"cell": H}).get_json()["count"] == 0
    resp = client.post("/new", data={"csrf_token": token, "cell": H, "kind": "nghi-quyet"})
    assert resp.status_code == 403
    admin = site.client("admin")
    before = web_files(site)
    profile = (EXAMPLES / "profile.yaml").read_text(encoding="utf-8").replace("AN THÀNH", "CẨM LỘ")
    resp = multipart(admin, "/admin/cells", [("csrf_token", csrf_of(admin, "/admin")), ("cell_id", H)],
                     [("profile", "profile.yaml", profile.encode("utf-8"))])
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    no_raw(page, "/admin/cells")
    assert "&lt;script&gt;" in page and web_files(site) == before
    assert [e.id for e in Cells(site.settings).entries()] == [CELL_A, CELL_B]


def test_search_errors_show_the_query_as_text(site: Site, jobs: PrintJobs) -> None:
    """The messages of a query the search cannot read quote it (with a caret): escaped."""
    client = site.client("bt.a")
    for params in ({"q": H + ' "'}, {"q": '<img src=x onerror=alert(1)> AND'}, {"q": 'title:"<script>alert(1)'},
                   {"q": "topic:<script>alert(1)</script>"}, {"q": "(<script>alert(1)</script>"},
                   {"kind": H}, {"topic": H}, {"year": H}, {"from": H}, {"to": H}, {"sort": H}, {"page": H},
                   {"q": H * 12}):
        for url in ("/search", "/print"):
            if url == "/print" and ("sort" in params or "page" in params):
                continue  # the print form takes neither
            resp = client.get(url, query_string=params)
            assert resp.status_code == 400, (url, params, resp.status_code)
            page = resp.get_data(as_text=True)
            no_raw(page, f"{url} {params}")
            assert 'class="error"' in page, (url, params)
        for url in ("/api/search", "/print/count"):
            if url == "/print/count" and ("sort" in params or "page" in params):
                continue
            resp = client.get(url, query_string=params)
            assert resp.status_code == 400 and resp.mimetype == "application/json", (url, params)
            assert resp.get_json()["error"]


def test_a_hostile_print_title(site: Site, jobs: PrintJobs) -> None:
    client = site.client("bt.a")
    token = csrf_of(client, "/print")
    query = "nghị OR " + H
    form = client.get("/print", query_string={"q": query}).get_data(as_text=True)
    no_raw(form, "/print?q=")
    assert str(escape(query)) in form
    resp = client.post("/print", data={"csrf_token": token, "action": "print", "q": query})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:1500]
    job = urlsplit(resp.location).path.rsplit("/", 1)[1]
    deadline = time.monotonic() + 30
    while not jobs.status(job, "bt.a").ended and time.monotonic() < deadline:
        time.sleep(0.05)
    status = jobs.status(job, "bt.a")
    assert status.state == "done" and H in status.title, (status.state, status.title)
    for url in (f"/print/job/{job}", "/print"):
        page = client.get(url).get_data(as_text=True)
        no_raw(page, url)
        assert str(escape(status.title)) in page, url
    answer = client.get(f"/print/job/{job}/status")
    assert answer.mimetype == "application/json" and answer.get_json()["title"] == status.title
    book = client.get(f"/print/job/{job}/book")
    disposition = book.headers["Content-Disposition"]
    book.close()
    assert book.status_code == 200 and disposition.isascii() and "<" not in disposition and '"q"' not in disposition


# ------------------------------------------------------------------ uploaded file names
def test_hostile_upload_file_names(site: Site) -> None:
    a = site.client("bt.a")
    token = csrf_of(a, "/")
    profile_a = (site.root / "cells" / CELL_A / "profile.yaml").read_bytes()
    sheet = "Họ và tên,Ngày vào Đảng\nLê Văn Mới,1/3/2021\n".encode()
    name = "../../../../cells/binh-minh/<img src=x onerror=alert(1)>.csv"
    page = multipart(a, f"/cell/{CELL_A}/roster/import", [("csrf_token", token)],
                     [("sheet", name, sheet)]).get_data(as_text=True)
    no_raw(page, "roster import")
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in page and "../../" not in page
    stored = site.root / ".docgen" / "web" / "roster-imports"
    assert all(p.parent == stored for p in stored.rglob("*"))
    assert sorted(p.name for p in (site.root / "cells" / CELL_B).iterdir()) == ["profile.yaml"]
    bad = multipart(a, f"/cell/{CELL_A}/roster/import", [("csrf_token", token)],
                    [("sheet", H + ".xlsx", b"not a workbook")])
    assert bad.status_code == 400
    no_raw(bad.get_data(as_text=True), "roster import, bad sheet")

    admin = site.client("admin")
    before = web_files(site)
    profile_c = (EXAMPLES / "profile.yaml").read_text(encoding="utf-8").replace("AN THÀNH", "CẨM LỘ").replace(
        "An Thành", "Cẩm Lộ").encode("utf-8")
    for filename in ("../../cells/an-thanh/profile.yaml", "/etc/passwd", "..", H + ".yaml"):
        resp = multipart(admin, "/admin/cells", [("csrf_token", csrf_of(admin, "/admin")), ("cell_id", "")],
                         [("profile", filename, b"cell: [" + filename.encode())])
        assert resp.status_code == 400, filename
        no_raw(resp.get_data(as_text=True), filename)
    assert web_files(site) == before
    resp = multipart(admin, "/admin/cells", [("csrf_token", csrf_of(admin, "/admin")), ("cell_id", "cam-lo")],
                     [("profile", "../../cells/an-thanh/profile.yaml", profile_c)])
    assert resp.status_code == 302
    assert (site.root / "cells" / CELL_A / "profile.yaml").read_bytes() == profile_a
    assert Cells(site.settings).get("cam-lo").name == "CHI BỘ THÔN CẨM LỘ"
    assert not list(site.root.parent.glob("*.yaml")) and not (site.root / "profile.yaml").exists()

    committee = site.client("ubnd")
    resp = multipart(committee, "/receive", [("csrf_token", csrf_of(committee, "/receive"))],
                     [("bundle", "../../../" + H + ".zip", b"not a zip")])
    assert resp.status_code == 400
    no_raw(resp.get_data(as_text=True), "receive")
    assert not list(site.root.parent.rglob("*.zip")) and not list((site.root / ".docgen").glob("receive-*"))


# ------------------------------------------------------------------ size limits
def _oversize() -> bytes:
    return b"a=" + b"x" * (MAX_UPLOAD - 1)  # MAX_UPLOAD + 1 bytes


UPLOAD_ROUTES = [("bt.a", "/new"), ("bt.a", "draft"), ("bt.a", "draft/save"), ("bt.a", f"/cell/{CELL_A}/roster/import"),
                 ("bt.a", f"/cell/{CELL_A}/roster/new"), ("admin", "/admin/cells"), ("ubnd", "/receive"),
                 ("bt.a", "/print"), ("bt.a", "/import"), (None, "/login")]


@pytest.mark.parametrize(("login", "url"), UPLOAD_ROUTES, ids=[u for _, u in UPLOAD_ROUTES])
@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_a_body_over_the_limit_is_the_413_page(site: Site, login: str | None, url: str, content_type: str) -> None:
    assert site.app.config["MAX_CONTENT_LENGTH"] == MAX_UPLOAD
    client = site.client(login)
    if url.startswith("draft"):
        url = Writer(site).new("nghi-quyet") + url.removeprefix("draft")
    before, papers, logged = web_files(site), doc_count(site), len(audit.read(site.root))
    resp = client.post(url, data=_oversize(), content_type=content_type)
    assert resp.status_code == 413, (url, resp.status_code)
    page = resp.get_data(as_text=True)
    assert "tệp tải lên quá lớn" in page and f"giới hạn {MAX_UPLOAD // (1024 * 1024)} MB" in page
    assert web_files(site) == before and doc_count(site) == papers and len(audit.read(site.root)) == logged


def _workbook() -> bytes:
    """A real roster workbook (one good row): what the hostile ones below are made from."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Họ và tên", "Ngày vào Đảng"])
    sheet.append(["Lê Văn Mới", "1/3/2021"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_with(member: str, data: bytes) -> bytes:
    """The real workbook with ``member`` replaced by (or added as) ``data``, deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_workbook())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            if info.filename != member:
                zf.writestr(info.filename, source.read(info))
        zf.writestr(member, data)
    return out.getvalue()


def _lying(zipped: bytes, member: str, declared: int) -> bytes:
    """``zipped`` with the uncompressed size of ``member`` declared as ``declared`` bytes in
    its local and central headers (a bomb that hides its size)."""
    data = bytearray(zipped)
    encoded = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(encoded)] == encoded:
                data[at + offset:at + offset + 4] = struct.pack("<I", declared)
            start = at + 4
    return bytes(data)


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                            for i in range(1, 10))
                  + ']><worksheet><sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                  + "</sheetData></worksheet>").encode()
BOMB = bytes(40 * 1024 * 1024)
DAMAGED = "tệp Excel bị hỏng hoặc không phải tệp .xlsx"
SHEETS = {
    "zip bomb": (lambda: _xlsx_with("xl/media/image1.png", BOMB), "tệp Excel quá lớn khi giải nén"),
    "lying zip bomb": (lambda: _lying(_xlsx_with("xl/media/image1.png", BOMB), "xl/media/image1.png", 2000), DAMAGED),
    "billion laughs": (lambda: _xlsx_with("xl/worksheets/sheet1.xml", BILLION_LAUGHS), DAMAGED),
    "entity in the strings": (lambda: _xlsx_with("xl/sharedStrings.xml", b'<?xml version="1.0"?><!DOCTYPE x ['
                                                 b'<!ENTITY e SYSTEM "file:///etc/passwd">]><sst>&e;</sst>'), DAMAGED),
}


def test_the_hostile_workbooks_are_made_from_a_good_one(site: Site) -> None:
    client = site.client("bt.a")
    resp = multipart(client, f"/cell/{CELL_A}/roster/import", [("csrf_token", csrf_of(client, "/"))],
                     [("sheet", "ds.xlsx", _workbook())])
    assert resp.status_code == 200 and 'name="upload"' in resp.get_data(as_text=True)


@pytest.mark.parametrize("case", list(SHEETS))
def test_a_hostile_workbook_is_refused_and_nothing_is_kept(site: Site, case: str) -> None:
    make, expected = SHEETS[case]
    client = site.client("bt.a")
    path = site.root / "cells" / CELL_A / "profile.yaml"
    before, files, logged = path.read_bytes(), web_files(site), len(audit.read(site.root))
    started = time.monotonic()
    resp = multipart(client, f"/cell/{CELL_A}/roster/import", [("csrf_token", csrf_of(client, "/"))],
                     [("sheet", "ds.xlsx", make())])
    assert time.monotonic() - started < 20
    assert resp.status_code == 400, resp.status_code
    error = html.unescape(resp.get_data(as_text=True))
    assert expected in error and "ds.xlsx" in error and "root:x:" not in error
    assert path.read_bytes() == before and web_files(site) == files and len(audit.read(site.root)) == logged


def test_a_profile_with_yaml_aliases_is_refused(site: Site) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    levels += [f"{n}: &{n} [" + ", ".join([f"*{p}"] * 9) + "]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
    profile = (EXAMPLES / "profile.yaml").read_text(encoding="utf-8").replace("AN THÀNH", "CẨM LỘ")
    admin = site.client("admin")
    before = web_files(site)
    started = time.monotonic()
    resp = multipart(admin, "/admin/cells", [("csrf_token", csrf_of(admin, "/admin")), ("cell_id", "cam-lo")],
                     [("profile", "profile.yaml", ("\n".join(levels) + "\n" + profile).encode("utf-8"))])
    assert time.monotonic() - started < 10 and resp.status_code == 400
    assert "bí danh YAML" in html.unescape(resp.get_data(as_text=True))
    assert web_files(site) == before and [e.id for e in Cells(site.settings).entries()] == [CELL_A, CELL_B]


def _bundle(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return out.getvalue()


def _symlink(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def _manifest(*members: str) -> bytes:
    import json

    return json.dumps({"format": FORMAT, "created_at": "2026-01-01T00:00:00Z", "folders": [],
                       "members": {m: "0" * 64 for m in members}}).encode()


BUNDLES = {
    "symlink": lambda folder: [(MANIFEST, _manifest(f"archive/{folder}/meta.json")),
                               _symlink(f"archive/{folder}/meta.json", "/etc/passwd")],
    "absolute name": lambda folder: [(MANIFEST, _manifest("/tmp/evil.txt")), ("/tmp/evil.txt", b"owned")],
    "backslash": lambda folder: [(MANIFEST, _manifest("archive\\..\\..\\evil.txt")),
                                 ("archive\\..\\..\\evil.txt", b"owned")],
    "dot-dot inside": lambda folder: [(MANIFEST, _manifest(f"archive/{folder}/../../../evil.txt")),
                                      (f"archive/{folder}/../../../evil.txt", b"owned")],
    "duplicate": lambda folder: [(MANIFEST, _manifest()), (f"archive/{folder}/meta.json", b"{}"),
                                 (f"archive/{folder}/META.JSON", b"{}")],
}


BUNDLE_REASONS = {"symlink": "là liên kết tượng trưng (symlink)", "absolute name": "là đường dẫn tuyệt đối",
                  "backslash": "có dấu gạch ngược \\", "dot-dot inside": "có thành phần đường dẫn ..",
                  "duplicate": "tên trùng với một thành phần khác"}


@pytest.mark.parametrize("case", list(BUNDLES))
def test_a_hostile_bundle_is_refused_and_nothing_is_written(site: Site, case: str) -> None:
    committee = site.client("ubnd")
    folder = next(p.parent.relative_to(site.root).as_posix() for p in site.root.glob("[0-9]*/[0-9]*/*/meta.json"))
    fake = folder.rsplit("_", 1)[0] + "_0123456789"
    before, papers, logged = web_files(site), doc_count(site), len(audit.read(site.root))
    content = _bundle(BUNDLES[case](fake))
    resp = multipart(committee, "/receive", [("csrf_token", csrf_of(committee, "/receive"))],
                     [("bundle", "goi.zip", content)])
    assert resp.status_code == 400, case
    page = resp.get_data(as_text=True)
    assert 'class="error"' in page and "goi.zip" in page and ".docgen/receive-" not in page
    error = html.unescape(page[page.index('class="error"'):])
    assert BUNDLE_REASONS[case] in error and "chưa ghi gì vào kho" in error, error[:600]
    assert web_files(site) == before and doc_count(site) == papers and len(audit.read(site.root)) == logged
    assert not list(site.root.parent.rglob("evil.txt"))


# ------------------------------------------------------------------ more fields typed
def test_every_field_of_a_member_is_stored_literally_and_shown_escaped(site: Site) -> None:
    writer = Writer(site)
    base = [("id", ""), ("admitted", "1/3/2021"), ("official", "1/3/2022"), ("official_decided", ""), ("left", "")]
    visitor = writer.post(f"/cell/{CELL_A}/roster/new", [*base, ("name", H), ("home_cell", H),
                                                         ("temporary_in-0-from", "1/1/2026"), ("temporary_in-0-to", ""),
                                                         ("temporary_in-0-note", H)])
    member = writer.post(f"/cell/{CELL_A}/roster/new", [*base, ("name", "Miễn Lạ"), ("home_cell", ""),
                                                        ("exempt-0-from", "1/1/2026"), ("exempt-0-note", H),
                                                        ("temporary_out-0-from", "1/1/2025"),
                                                        ("temporary_out-0-to", "31/12/2025"), ("temporary_out-0-note", H),
                                                        ("suspended-0-from", "1/1/2024"), ("suspended-0-to", "1/2/2024"),
                                                        ("suspended-0-note", H)])
    assert visitor.status_code == member.status_code == 302
    visitor_id, member_id = (urlsplit(r.location).path.rsplit("/", 1)[1] for r in (visitor, member))
    profile = load_profile(site.root / "cells" / CELL_A / "profile.yaml")
    guest, exempt = profile.member(visitor_id), profile.member(member_id)
    assert guest is not None and exempt is not None
    assert guest.name == guest.home_cell == guest.temporary_in[0].note == H
    assert exempt.exempt[0].note == exempt.temporary_out[0].note == exempt.suspended[0].note == H
    for url, at_least in ((f"/cell/{CELL_A}/roster/{visitor_id}", 3), (f"/cell/{CELL_A}/roster/{member_id}", 3),
                          (f"/cell/{CELL_A}/roster", 1), (f"/cell/{CELL_A}/roster?date=1/1/2026", 1)):
        page = writer.page(url)
        no_raw(page, url)
        assert page.count(ESCAPED) >= at_least, (url, page.count(ESCAPED))
    form = writer.page(f"/cell/{CELL_A}/roster/{member_id}")
    assert shown_value(form, "exempt-0-note") == shown_value(form, "suspended-0-note") == H
    assert shown_value(writer.page(f"/cell/{CELL_A}/roster/{visitor_id}"), "home_cell") == H
    refused = writer.post(f"/cell/{CELL_A}/roster/new", [*base[:1], ("name", "Ngày Lạ"), ("admitted", H),
                                                         ("official", H), ("official_decided", H), ("left", H),
                                                         ("home_cell", "")])
    assert refused.status_code == 400
    no_raw(refused.get_data(as_text=True), "roster/new with hostile dates")
    assert ESCAPED in refused.get_data(as_text=True)  # the value kept in the form, as typed


def test_a_hostile_withdrawal_reason_and_flashes(site: Site) -> None:
    writer = Writer(site)
    url = writer.new("nghi-quyet")
    writer.save(url, [("summary", H)])
    resp = writer.post(url + "/delete")
    assert resp.status_code == 303
    page = writer.page(urlsplit(resp.location).path)  # the flash names the deleted draft
    no_raw(page, "after delete")
    assert "Đã xóa bản nháp" in page and "&lt;script&gt;alert(1)" in page
    doc = next(d for d in writer.client.get("/api/list").get_json() if d["kind"] == "nghi-quyet")
    resp = writer.post(f"/doc/{doc['id']}/withdraw", [("reason", H)])
    assert resp.status_code == 302
    page = writer.page(f"/doc/{doc['id']}")
    no_raw(page, "withdrawn paper")
    assert f"lý do: {ESCAPED}" in page
    shown = writer.client.get(f"/api/show/{doc['id']}")
    assert shown.mimetype == "application/json" and shown.get_json()["reason"] == H
    long = writer.post(f"/doc/{writer.client.get('/api/list').get_json()[0]['id']}/withdraw", [("reason", H * 20)])
    assert long.status_code == 400
    no_raw(long.get_data(as_text=True), "a reason too long, shown back")


def test_a_hostile_cell_name_on_every_screen(site: Site) -> None:
    """A profile's cell name is printed on its papers and shown by the search (facets,
    hits), the overview, the print form, the paper's page: escaped everywhere."""
    name = "CHI BỘ <SCRIPT>ALERT(1)</SCRIPT> {{ 7*7 }} & <B>X</B>"
    text = (EXAMPLES / "profile.yaml").read_text(encoding="utf-8").replace("CHI BỘ THÔN AN THÀNH", f'"{name}"')
    text = text.replace("An Thành", "Cẩm Lộ")
    admin = site.client("admin")
    resp = multipart(admin, "/admin/cells", [("csrf_token", csrf_of(admin, "/admin")), ("cell_id", "la")],
                     [("profile", "profile.yaml", text.encode("utf-8"))])
    assert resp.status_code == 302, resp.get_data(as_text=True)[:1500]
    Accounts(site.root).add("bt.c", "secretary", PASSWORD, ("la",), actor="test")
    writer = Writer(site, "bt.c")
    url = writer.new("nghi-quyet", "la")
    answer = writer.save(url, form_pairs("nghi-quyet", example("nghi-quyet")))
    assert answer["valid"], answer["messages"]
    doc_id = writer.file(url)
    assert name in filed_text(site, doc_id)
    escaped = str(escape(name))
    committee = site.client("ubnd")
    jobs = PrintJobs(site.settings, BlankPdfConverter(), site.root.parent / "books")  # type: ignore[arg-type]
    site.app.config["WEB"].jobs = jobs
    try:
        for client, url in ((committee, "/"), (committee, "/search"), (committee, "/search?cell=la"),
                            (committee, f"/doc/{doc_id}"), (committee, "/print"), (committee, "/cell/la"),
                            (writer.client, "/"), (writer.client, "/new"), (writer.client, "/cell/la/roster")):
            page = client.get(url).get_data(as_text=True)
            no_raw(page, url)
            assert "<B>X</B>" not in page and escaped in page, url
    finally:
        assert jobs.shutdown(wait=30.0)
    found = committee.get("/api/search", query_string={"cell": "la"}).get_json()
    assert found["total"] == 1 and found["hits"][0]["cell"] == name and name in found["facets"]["cell"]


def test_hostile_print_and_admin_parameters(site: Site, jobs: PrintJobs) -> None:
    client = site.client("bt.a")
    for params in ({"printer": H}, {"quarter": H, "year": "2026"}, {"quarter": "2"}, {"cell": CELL_A, "kind": H}):
        resp = client.get("/print", query_string=params)
        assert resp.status_code == 400, params
        no_raw(resp.get_data(as_text=True), str(params))
        answer = client.get("/print/count", query_string=params)
        assert answer.status_code == 400 and answer.mimetype == "application/json", params
    token = csrf_of(client, "/print")
    resp = client.post("/print", data={"csrf_token": token, "action": "print", "cell": CELL_A, "printer": H})
    assert resp.status_code == 400 and jobs.jobs("bt.a") == []
    no_raw(resp.get_data(as_text=True), "/print printer")
    admin = site.client("admin")
    token = csrf_of(admin, "/admin")
    before = [u.to_json() for u in admin_accounts(site)]
    for url, data in (("/admin/users/bt.a/cells", {"cells": H}),
                      ("/admin/users", {"login": "bt.c", "role": "secretary", "password": PASSWORD, "again": PASSWORD,
                                        "cells": H}),
                      ("/admin/users", {"login": "bt.c", "role": H, "password": PASSWORD, "again": PASSWORD}),
                      ("/admin/users/bt.a/password", {"password": H, "again": H + "x"})):
        resp = admin.post(url, data={"csrf_token": token, **data})
        assert resp.status_code == 400, url
        no_raw(resp.get_data(as_text=True), url)
    assert [u.to_json() for u in admin_accounts(site)] == before


def admin_accounts(site: Site) -> list[Any]:
    return Accounts(site.root).users()


def test_hostile_add_and_remove_buttons(site: Site) -> None:
    """The no-JavaScript Add/Remove buttons post a field's name: a forged one is an input
    like any other (never a server error, never a header of the answer)."""
    writer = Writer(site)
    url = writer.new("bien-ban-thuong-ky")
    problems = []
    for field, value in (("add", "tasks\r\nSet-Cookie: injected=1"), ("add", "tasks\nX-Evil: 1"),
                         ("add", 'x"><script>alert(1)</script>'), ("add", "javascript:alert(1)"),
                         ("remove", "tasks[0]\r\nX-Evil: 1"), ("remove", H), ("action", H)):
        resp = writer.post(url, [(field, value)])
        if resp.status_code not in (303, 400):
            problems.append(f"{field}={value!r}: {resp.status_code}")
            continue
        if "X-Evil" in resp.headers or any("injected=1" in c for c in resp.headers.getlist("Set-Cookie")):
            problems.append(f"{field}={value!r}: header injected")
        if resp.status_code == 303:
            page = writer.page(urlsplit(resp.location).path + "?" + urlsplit(resp.location).query)
            no_raw(page, f"{field}={value!r}")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ odd values, no server error
ODD = ["\x00", "a\x00b", "x" * 20000, "\u202e", "𝕏", "\r\n", "%", "0" * 40, "-1", "1e9999", "NaN", "2026-02-30",
       "99999999999999999999", "9223372036854775808", H]
ODD_GETS = ["/search?q={v}", "/search?page={v}", "/search?from={v}", "/search?year={v}", "/search?topic={v}",
            "/search?kind={v}", "/search?cell={v}", "/search?sort={v}", "/api/search?limit={v}", "/api/search?page={v}",
            "/api/list?number={v}", "/api/list?all={v}", "/api/list?from={v}&to={v}",
            "/print/count?year={v}&quarter=1", "/print/count?from={v}", "/print?topic={v}", "/print?cell={v}&kind={v}",
            "/cell/an-thanh/roster?date={v}", "{draft}?add={v}", "{draft}?check={v}", "{draft}/preview/page/1.png?key={v}",
            "/login?next={v}", "/lang/{v}", "/new?kind={v}&cell={v}", "/doc/{v}", "/api/show/{v}", "/cell/{v}",
            "/print/job/{v}", "/cell/an-thanh/roster/{v}"]
ODD_POSTS = [("{draft}", "place"), ("{draft}", "date"), ("{draft}", "vote.for"), ("{draft}", "absent[0].member"),
             ("{draft}/save", "date"), ("{draft}/save", "start"), ("{draft}/save", "topics"),
             ("{draft}/save", "tasks[999999999999].content"), ("/new", "kind"), ("/new", "cell"),
             ("/print", "year"), ("/print", "cell"), ("/print", "topic"), ("/print", "from"),
             ("/cell/an-thanh/roster/new", "admitted"), ("/cell/an-thanh/roster/new", "name"),
             ("/cell/an-thanh/roster/new", "exempt-0-from"), ("/cell/an-thanh/roster/new", "id"),
             ("/cell/an-thanh/roster/m01", "sha"), ("/cell/an-thanh/roster/import", "upload")]


def test_no_odd_value_is_a_server_error(site: Site, jobs: PrintJobs) -> None:
    """NUL bytes, huge numbers, 20 000 characters, bidi marks, CR LF, the hostile string in
    the parameters and fields of the screens: an answer (a page, a message), never a 500."""
    writer = Writer(site)
    draft = writer.new("nghi-quyet")
    problems = []
    for template in ODD_GETS:
        for value in ODD:
            url = template.replace("{draft}", draft).replace("{v}", quote(value, safe=""))
            resp = writer.client.get(url)
            if resp.status_code >= 500:
                problems.append(f"GET {template} with {value[:24]!r}: {resp.status_code}")
    for template, field in ODD_POSTS:
        for value in ODD:
            data = {"csrf_token": writer.token, field: value, "action": "count" if template == "/print" else "save"}
            if template.endswith("/import"):
                data |= {"confirm": "1", "sha": "0" * 64}
            resp = writer.client.post(template.replace("{draft}", draft), data=data)
            if resp.status_code >= 500:
                problems.append(f"POST {template} {field}={value[:24]!r}: {resp.status_code}")
    for name in ("a[", "a]", "[0]", "tasks[-1].content", "tasks[0][0]", "tasks..content", ".x", "x.", "tasks[0]",
                 "vote", "vote.for.x", "absent[0].member.x", "kind", "number", "draft", "csrf_token[0]"):
        for url, data, headers in ((draft + "/save", {name: "x"}, {"X-CSRF-Token": writer.token}),
                                   (draft, {"csrf_token": writer.token, name: "x", "remove": name}, {})):
            resp = writer.client.post(url, data=data, headers=headers)
            if resp.status_code >= 500:
                problems.append(f"POST {url.replace(draft, '{draft}')} a field named {name!r}: {resp.status_code}")
    assert not problems, "\n".join(problems)
