"""The reading screens (issue 12: 1, 4, 5): the home of a cell and the cells' overview, a
paper's page with its downloads and withdrawal, search. Flask's test client over the real
two-cell archive of conftest (an-thanh: every example; binh-minh: minutes, resolution)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import CELL_A, CELL_B, Site, csrf_of
from pypdf import PdfReader, PdfWriter

from docgen.printing.cache import cache_path
from docgen.web import browse
from docgen.web.drafts import Draft, Drafts, now_text

NAME_A, NAME_B = "CHI BỘ THÔN AN THÀNH", "CHI BỘ THÔN BÌNH MINH"


def docs_of(site: Site, login: str = "ubnd", **params: str) -> list[dict[str, Any]]:
    """The papers /api/list gives ``login`` (the catalog, through the reader)."""
    resp = site.client(login).get("/api/list", query_string=params)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    data: list[dict[str, Any]] = resp.get_json()
    return data


def one(site: Site, kind: str, cell: str) -> dict[str, Any]:
    found = [d for d in docs_of(site) if d["kind"] == kind and d["cell"] == cell]
    assert len(found) == 1, found
    return found[0]


def page(client: Any, url: str, status: int = 200) -> str:
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.status_code, resp.get_data(as_text=True)[:800])
    text: str = resp.get_data(as_text=True)
    return text


def main_of(html: str) -> str:
    found = re.search(r"<main>(.*)</main>", html, re.S)
    assert found, html[:300]
    return found.group(1)


def hit_ids(html: str) -> list[str]:
    return re.findall(r'class="browse-hit-title" href="/doc/([0-9a-f]+)"', html)


def archived_docx(site: Site, doc_id: str) -> Path:
    matches = [p for p in site.root.rglob(f"*{doc_id}*.docx") if ".v" not in p.parent.name]
    assert len(matches) == 1, matches
    return matches[0]


# ------------------------------------------------------------------------ home
def test_home_of_a_secretary_is_the_cell(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browse, "_today", lambda: dt.date(2026, 3, 20))
    html = page(site.client("bt.a"), "/")
    body = main_of(html)
    assert "<h1>CHI BỘ THÔN AN THÀNH</h1>" in body
    assert "BÌNH MINH" not in html and "binh-minh" not in html
    # March 2026: the minutes, the resolution and the topical session are all filed
    minutes, resolution = one(site, "bien-ban-thuong-ky", NAME_A), one(site, "nghi-quyet", NAME_A)
    topical = one(site, "bien-ban-chuyen-de", NAME_A)
    assert body.count("✓ đã có") == 3 and "✗" not in body
    for doc in (minutes, resolution, topical):
        assert f'href="/doc/{doc["id"]}"' in body
    assert "tháng 3/2026" in body and "quý I/2026" in body
    # the recent papers, newest first, and a way to all of them
    section = re.search(r"Văn bản gần đây</h2>(.*?)</section>", body, re.S)
    assert section
    recent = re.findall(r'<li>\s*<a href="/doc/([0-9a-f]+)"', section.group(1))
    assert len(recent) == browse.RECENT
    listed = [d["id"] for d in docs_of(site, "bt.a")]
    assert recent == listed[:browse.RECENT]
    assert 'href="/search?cell=an-thanh&amp;sort=date"' in body
    assert "Bản nháp đang soạn" in body  # a writer sees the cell's drafts


def test_home_of_the_other_secretary(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browse, "_today", lambda: dt.date(2026, 3, 20))
    html = page(site.client("bt.b"), "/")
    assert "<h1>CHI BỘ THÔN BÌNH MINH</h1>" in html
    assert "AN THÀNH" not in html and "an-thanh" not in html
    body = main_of(html)
    # the minutes and the resolution are filed; no topical session this quarter
    assert body.count("✓ đã có") == 2
    assert re.search(r"✗ chưa có</span>\s*<strong>Biên bản sinh hoạt chuyên đề</strong> quý I/2026", body)
    assert page(site.client("bt.b"), f"/cell/{CELL_A}", 404)


def test_overview_for_committee_and_admin(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browse, "_today", lambda: dt.date(2026, 3, 20))
    for login in ("ubnd", "admin"):
        client = site.client(login)
        body = main_of(page(client, "/"))
        assert f'href="/cell/{CELL_A}"' in body and f'href="/cell/{CELL_B}"' in body
        cards = dict(re.findall(r'<h2><a href="/cell/([a-z-]+)">.*?</a></h2>(.*?)</section>', body, re.S))
        assert set(cards) == {CELL_A, CELL_B}
        assert "<strong>11</strong> văn bản" in cards[CELL_A] and "<strong>2</strong> văn bản" in cards[CELL_B]
        assert "đủ" in cards[CELL_A] and "còn thiếu 1" in cards[CELL_B]
        assert "bản nháp" not in cards[CELL_A]  # neither writes a cell: no drafts shown
        # each cell's home opens
        assert "<h1>CHI BỘ THÔN BÌNH MINH</h1>" in page(client, f"/cell/{CELL_B}")
        assert "<h1>CHI BỘ THÔN AN THÀNH</h1>" in page(client, f"/cell/{CELL_A}")
    assert page(site.client("ubnd"), "/cell/khong-co", 404)


def test_nothing_due_yet_and_a_draft_in_progress(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browse, "_today", lambda: dt.date(2026, 5, 6))
    saved = Drafts(site.root).save(Draft(id=Drafts.new_id(), cell=CELL_A, kind="bien-ban-thuong-ky",
                                         fields=[("date", "2026-05-08")], saved_at=now_text(),
                                         saved_by="bt.a", title="Biên bản sinh hoạt tháng 5"))
    body = main_of(page(site.client("bt.a"), "/"))
    if "papers.draft" in site.app.view_functions:  # the writing screen continues the draft
        with site.app.test_request_context():
            from flask import url_for

            link = url_for("papers.draft", cell=CELL_A, draft_id=saved.id)
        assert f'<a href="{link}">Biên bản sinh hoạt tháng 5</a>' in body
    assert re.search(r"… đang soạn</span>\s*<strong>Biên bản sinh hoạt chi bộ thường kỳ</strong> tháng 5/2026", body)
    assert re.search(r"✗ chưa có</span>\s*<strong>Nghị quyết</strong> tháng 5/2026", body)
    assert "còn 25 ngày" in body  # to the end of May
    assert "Biên bản sinh hoạt tháng 5" in body and "1 bản nháp đang soạn" in body
    # the committee does not see the cell's drafts
    assert "Biên bản sinh hoạt tháng 5" not in page(site.client("ubnd"), f"/cell/{CELL_A}")


# ----------------------------------------------------------------- a paper's page
def test_paper_page_for_its_cell(site: Site) -> None:
    doc = one(site, "nghi-quyet", NAME_A)
    client = site.client("bt.a")
    body = main_of(page(client, f"/doc/{doc['id']}"))
    assert doc["title"] in body and "05-NQ/CB" in body and "10/3/2026" in body
    assert "Vệ sinh môi trường" in body  # its topics, by name
    for what in ("docx", "pdf", "input.yaml", "view.pdf"):
        assert f'/doc/{doc["id"]}/v1/{what}"' in body
    assert f'action="/doc/{doc["id"]}/withdraw"' in body and 'name="reason"' in body
    assert f'<img src="/doc/{doc["id"]}/v1/page/1.png"' in body and f'/doc/{doc["id"]}/v1/pages"' in body
    similar = re.search(r"Văn bản tương tự</h2>(.*?)</section>", body, re.S)
    assert similar and re.search(r'href="/doc/[0-9a-f]+"', similar.group(1))
    assert NAME_B not in similar.group(1)


def test_paper_of_another_cell_is_not_found(site: Site) -> None:
    doc = one(site, "nghi-quyet", NAME_A)
    client = site.client("bt.b")
    hidden = client.get(f"/doc/{doc['id']}")
    missing = client.get("/doc/0000000000")
    assert hidden.status_code == missing.status_code == 404
    # the same page but for the path it was asked at (the language link returns there)
    assert hidden.get_data(as_text=True).replace(doc["id"], "0000000000") == missing.get_data(as_text=True)
    assert "AN THÀNH" not in hidden.get_data(as_text=True)
    for what in ("docx", "pdf", "view.pdf", "input.yaml"):
        assert client.get(f"/doc/{doc['id']}/v1/{what}").status_code == 404


def test_committee_reads_both_cells_and_writes_none(site: Site) -> None:
    client = site.client("ubnd")
    for name in (NAME_A, NAME_B):
        doc = one(site, "nghi-quyet", name)
        body = main_of(page(client, f"/doc/{doc['id']}"))
        assert name in body and doc["title"] in body
        assert "/withdraw" not in body  # no withdrawal form for a reader


def test_amend_link_only_for_writers(web_archive: Path, tmp_path: Path) -> None:
    import shutil

    from conftest import log_in, settings_for

    from docgen.web import create_app

    root = tmp_path / "archive"
    shutil.copytree(web_archive, root, symlinks=True)
    app = create_app(settings_for(root))
    app.config["TESTING"] = True
    if "papers.amend" not in app.view_functions:  # the papers screen's route, not here yet
        app.add_url_rule("/test-amend/<doc_id>", "papers.amend", lambda doc_id: doc_id)
    try:
        writer, reader = app.test_client(), app.test_client()
        log_in(writer, "bt.a")
        log_in(reader, "ubnd")
        listed = json.loads(writer.get("/api/list").get_data(as_text=True))
        doc_id = next(d["id"] for d in listed if d["kind"] == "nghi-quyet")
        with app.test_request_context():
            from flask import url_for

            link = url_for("papers.amend", doc_id=doc_id)
        assert f'href="{link}"' in writer.get(f"/doc/{doc_id}").get_data(as_text=True)
        assert f'href="{link}"' not in reader.get(f"/doc/{doc_id}").get_data(as_text=True)
    finally:
        app.config["INDEX"].close()


# --------------------------------------------------------------------- downloads
def test_downloads_are_the_archived_files(site: Site) -> None:
    doc = one(site, "nghi-quyet", NAME_A)
    client = site.client("bt.a")
    resp = client.get(f"/doc/{doc['id']}/v1/docx")
    assert resp.status_code == 200
    data = resp.get_data()
    archived = archived_docx(site, doc["id"])
    assert hashlib.sha256(data).hexdigest() == doc["docx_sha256"] == hashlib.sha256(archived.read_bytes()).hexdigest()
    assert resp.headers["Content-Disposition"] == "attachment; filename=NQ-05-2026-03-10-an-thanh.docx"
    assert resp.mimetype.endswith("wordprocessingml.document")
    assert "no-store" in resp.headers["Cache-Control"]
    resp = client.get(f"/doc/{doc['id']}/v1/input.yaml")
    assert resp.status_code == 200
    assert resp.get_data() == (archived.parent / "input.yaml").read_bytes()
    assert resp.headers["Content-Disposition"] == "attachment; filename=NQ-05-2026-03-10-an-thanh-input.yaml"
    assert client.get(f"/doc/{doc['id']}/v2/docx").status_code == 404  # no such version
    assert client.get(f"/doc/{doc['id']}/v1/..%2Fmeta.json").status_code == 404


def test_download_of_a_changed_docx_is_refused(site: Site) -> None:
    doc = one(site, "nghi-quyet", NAME_A)
    archived = archived_docx(site, doc["id"])
    archived.write_bytes(archived.read_bytes() + b"tampered")
    resp = site.client("bt.a").get(f"/doc/{doc['id']}/v1/docx")
    assert resp.status_code == 500  # the archive is damaged: not the request's fault
    assert "khác bản đã lưu trữ" in resp.get_data(as_text=True)


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_comes_from_the_cache(site: Site) -> None:
    """Without a warm converter (tests) the PDF route takes the archive's cached PDF."""
    from docgen.app import find_document

    doc = one(site, "nghi-quyet", NAME_A)
    archived_doc = find_document(site.settings, doc["id"])
    cached = cache_path(archived_doc)
    cached.parent.mkdir(parents=True, exist_ok=True)
    pdf = _blank_pdf()
    cached.write_bytes(pdf)
    client = site.client("bt.a")
    view = client.get(f"/doc/{doc['id']}/v1/view.pdf")
    assert view.status_code == 200 and view.mimetype == "application/pdf"
    assert view.get_data() == pdf
    assert view.headers["Content-Disposition"] == "inline; filename=NQ-05-2026-03-10-an-thanh.pdf"
    download = client.get(f"/doc/{doc['id']}/v1/pdf")
    assert download.get_data() == pdf
    assert download.headers["Content-Disposition"] == "attachment; filename=NQ-05-2026-03-10-an-thanh.pdf"


@pytest.mark.libreoffice
def test_pdf_by_the_warm_converter(site: Site) -> None:
    from conftest import log_in

    from docgen.app import find_document
    from docgen.printing.service import WarmConverter
    from docgen.web import create_app
    from docgen.web.app import WebConfig

    doc = one(site, "bien-ban-thuong-ky", NAME_B)
    archived_doc = find_document(site.settings, doc["id"])
    assert not cache_path(archived_doc).exists()
    with WarmConverter(site.settings) as converter:
        app = create_app(site.settings, WebConfig(converter=converter))
        app.config["TESTING"] = True
        try:
            client = app.test_client()
            log_in(client, "bt.b")
            resp = client.get(f"/doc/{doc['id']}/v1/pdf")
            assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
            assert resp.get_data().startswith(b"%PDF")
            assert len(PdfReader(io.BytesIO(resp.get_data())).pages) >= 1
            # converted once, kept in the archive's cache beside the .docx
            assert cache_path(archived_doc).read_bytes() == resp.get_data()
            # the paper page shows its first page as an image (a phone shows no PDF in a page)
            paper = client.get(f"/doc/{doc['id']}").get_data(as_text=True)
            assert f'src="/doc/{doc["id"]}/v1/page/1.png"' in paper
            pages = client.get(f"/doc/{doc['id']}/v1/pages").get_data(as_text=True)
            count = len(PdfReader(io.BytesIO(resp.get_data())).pages)
            assert pages.count(f'/doc/{doc["id"]}/v1/page/') == count
            image = client.get(f"/doc/{doc['id']}/v1/page/1.png")
            assert image.status_code == 200 and image.get_data().startswith(b"\x89PNG")
            assert client.get(f"/doc/{doc['id']}/v1/page/{count + 1}.png").status_code == 404
            assert (site.root / ".docgen" / "web" / "pages" / archived_doc.docx_sha256 / "page-1.png").is_file()
            log_in(client, "bt.a")  # another cell's secretary: the pages are not there either
            assert client.get(f"/doc/{doc['id']}/v1/page/1.png").status_code == 404
        finally:
            app.config["INDEX"].close()


# ---------------------------------------------------------------------- withdraw
def test_withdraw(site: Site) -> None:
    doc = one(site, "nghi-quyet", NAME_A)
    url = f"/doc/{doc['id']}/withdraw"
    writer = site.client("bt.a")
    token = csrf_of(writer, f"/doc/{doc['id']}")
    # no CSRF token: refused before anything else
    assert writer.post(url, data={"reason": "trùng số"}).status_code == 400
    # no reason: the page says so, nothing is withdrawn
    resp = writer.post(url, data={"csrf_token": token, "reason": "   "})
    assert resp.status_code == 400 and "Cần ghi lý do thu hồi" in resp.get_data(as_text=True)
    # the committee reads but does not write; the other cell does not even see it
    committee = site.client("ubnd")
    assert committee.post(url, data={"csrf_token": csrf_of(committee, "/"), "reason": "x"}).status_code == 403
    other = site.client("bt.b")
    assert other.post(url, data={"csrf_token": csrf_of(other, "/"), "reason": "x"}).status_code == 404
    assert doc["id"] in [d["id"] for d in docs_of(site, "bt.a")]
    # the writer withdraws it
    resp = writer.post(url, data={"csrf_token": token, "reason": "Ghi nhầm <ngày> họp"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/doc/{doc['id']}")
    body = page(writer, f"/doc/{doc['id']}")
    assert "Văn bản đã thu hồi" in body and "Ghi nhầm &lt;ngày&gt; họp" in body
    assert "Đã thu hồi văn bản" in body  # the flash message
    assert "/withdraw" not in main_of(body)
    again = writer.post(url, data={"csrf_token": token, "reason": "lần nữa"})
    assert again.status_code == 409 and "đã được thu hồi" in again.get_data(as_text=True)
    assert re.search(r"<td>v2</td><td>thu hồi</td><td>đã thu hồi</td>", body)
    assert re.search(r"<td>v1</td><td>lập mới</td><td>đã thay thế</td>", body)
    # hidden from lists and search, kept with all=1
    assert doc["id"] not in [d["id"] for d in docs_of(site, "bt.a")]
    assert doc["id"] in [d["id"] for d in docs_of(site, "bt.a", all="1")]
    found = writer.get("/api/search", query_string={"q": "lãnh đạo thực hiện nhiệm vụ tháng 3"}).get_json()
    assert found["total"] >= 1 and doc["id"] not in [h["id"] for h in found["hits"]]
    assert doc["id"] not in hit_ids(page(writer, "/search?q=nghị+quyết"))
    # the archive's audit log names who withdrew it
    last = json.loads((site.root / "audit.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert last.get("user") == "bt.a" and doc["id"] in json.dumps(last)
    # both versions stay downloadable, the later one under its own name
    v2 = writer.get(f"/doc/{doc['id']}/v2/docx")
    assert v2.status_code == 200
    assert v2.headers["Content-Disposition"] == "attachment; filename=NQ-05-2026-03-10-an-thanh-v2.docx"
    assert writer.get(f"/doc/{doc['id']}/v1/docx").get_data() == v2.get_data()


# ------------------------------------------------------------------------ search
def test_search_without_accents_and_by_abbreviation(site: Site) -> None:
    client = site.client("bt.a")
    for q in ("ve sinh moi truong", "VSMT"):
        html = page(client, f"/search?q={q.replace(' ', '+')}")
        ids = hit_ids(html)
        assert ids, q
        assert "BÌNH MINH" not in html
        assert re.search(r'class="browse-snippet">… .*<mark>[^<]*</mark>', html), q
    plain = hit_ids(page(client, "/search?q=ve+sinh+moi+truong"))
    accented = hit_ids(page(client, "/search?q=v%E1%BB%87+sinh+m%C3%B4i+tr%C6%B0%E1%BB%9Dng"))
    assert set(plain) == set(accented)


def test_facets_add_up_and_depend_on_the_user(site: Site) -> None:
    for login in ("ubnd", "bt.a", "bt.b"):
        found = site.client(login).get("/api/search?q=ve+sinh+moi+truong&limit=50").get_json()
        assert found["total"] == len(found["hits"]) > 0
        for facet in ("cell", "kind", "year"):  # one value a paper: the counts sum to the total
            assert sum(found["facets"][facet].values()) == found["total"], (login, facet)
    committee = site.client("ubnd").get("/api/search?q=ve+sinh+moi+truong").get_json()
    assert set(committee["facets"]["cell"]) == {NAME_A, NAME_B}
    html = page(site.client("bt.b"), "/search?q=ve+sinh+moi+truong")
    text = site.client("bt.b").get("/api/search?q=ve+sinh+moi+truong").get_data(as_text=True)
    for shown in (html, text, page(site.client("bt.b"), "/search")):
        assert "AN THÀNH" not in shown and "An Thành" not in shown and "an-thanh" not in shown
    counts = re.findall(r'<a href="[^"]*cell=binh-minh">CHI BỘ THÔN BÌNH MINH</a> <span class="muted">\((\d+)\)', html)
    assert counts == ["2"]


def test_facet_links_keep_the_other_parameters(site: Site) -> None:
    html = page(site.client("ubnd"), "/search?q=ve+sinh+moi+truong&year=2026&sort=date&page=1")
    links = [unescape(u) for u in re.findall(r'<a href="(/search\?[^"]*kind=nghi-quyet[^"]*)"', html)]
    assert links
    params = parse_qs(urlsplit(links[0]).query)
    assert params == {"q": ["ve sinh moi truong"], "year": ["2026"], "sort": ["date"], "kind": ["nghi-quyet"]}
    narrowed = page(site.client("ubnd"), links[0])
    ids = hit_ids(narrowed)
    listed = {d["id"]: d for d in docs_of(site)}
    assert ids and all(listed[i]["kind"] == "nghi-quyet" for i in ids)
    assert "<strong>Nghị quyết (2)</strong>" in narrowed  # the active value, with a link to clear it


def test_filters_from_the_url(site: Site) -> None:
    client = site.client("ubnd")
    listed = {d["id"]: d for d in docs_of(site)}
    ids = hit_ids(page(client, "/search?cell=an-thanh&kind=nghi-quyet&year=2026"))
    assert ids == [one(site, "nghi-quyet", NAME_A)["id"]]
    ids = hit_ids(page(client, "/search?from=1/3/2026&to=15/3/2026&sort=date"))
    dates = [listed[i]["date"] for i in ids]
    assert dates and all("2026-03-01" <= d <= "2026-03-15" for d in dates)
    assert dates == sorted(dates, reverse=True)
    ids = hit_ids(page(client, "/search?topic=VSMT&cell=B%C3%ACnh+Minh"))
    assert ids and all(listed[i]["cell"] == NAME_B for i in ids)


def test_bad_parameters_are_explained(site: Site) -> None:
    client = site.client("bt.a")
    body = main_of(page(client, "/search?q=x&from=30/02/2026", 400))
    assert "tham số from: ngày không có thật: 30/02/2026" in body and "tháng 2 có 28 hoặc 29 ngày" in body
    body = main_of(page(client, "/search?page=abc", 400))
    assert "tham số page không hợp lệ" in body and "page=2" in body
    assert "không có loại văn bản" in main_of(page(client, "/search?kind=cong-van", 400))
    assert "không có chủ đề" in main_of(page(client, "/search?topic=khong-co-chu-de-nay", 400))
    assert "sau tham số to" in main_of(page(client, "/search?from=2026-05-01&to=2026-04-01", 400))


def test_did_you_mean(site: Site) -> None:
    client = site.client("bt.a")
    body = main_of(page(client, "/search?q=nghi+quyeet"))
    assert "Không tìm thấy" in body
    link = re.search(r'class="browse-did-you-mean" href="([^"]+)">([^<]+)</a>', body)
    assert link and link.group(2) == "nghi quyet"
    assert hit_ids(page(client, unescape(link.group(1))))


def test_pagination(site: Site) -> None:
    client = site.client("ubnd")
    first = page(client, "/search?q=chi+b%E1%BB%99")
    total = int(re.search(r"Tìm thấy <strong>(\d+)</strong>", first).group(1))  # type: ignore[union-attr]
    assert total == len(docs_of(site)) == 13
    one_ids = hit_ids(first)
    assert len(one_ids) == browse.PER_PAGE
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert next_link and "page=2" in next_link.group(1)
    second = page(client, unescape(next_link.group(1)))
    two_ids = hit_ids(second)
    assert len(two_ids) == total - browse.PER_PAGE
    assert not set(one_ids) & set(two_ids) and len(set(one_ids + two_ids)) == total
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert '<strong aria-current="page">2</strong>' in second
    assert hit_ids(page(client, "/search?q=chi+b%E1%BB%99&page=9")) == []  # past the end: empty


def test_hostile_queries_are_shown_as_text(site: Site) -> None:
    client = site.client("bt.a")
    html = page(client, "/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    html = page(client, "/search?q=%7B%7B+7*7+%7D%7D")
    assert 'value="{{ 7*7 }}"' in html and "<title>Tìm kiếm: {{ 7*7 }} · docgen</title>" in html
    visible = re.sub(r"<[^>]+>", " ", main_of(html))  # (ids in links are random hex)
    assert "49" not in visible


def test_snippets_are_escaped_before_marking() -> None:
    assert str(browse.marked("a <b>**x & y**</b> **z")) == "a &lt;b&gt;<mark>x &amp; y</mark>&lt;/b&gt; z"
    assert str(browse.marked("**<img src=x>**")) == "<mark>&lt;img src=x&gt;</mark>"


def test_english(site: Site) -> None:
    client = site.client("bt.a")
    client.get("/lang/en")
    body = main_of(page(client, "/search?q=VSMT"))
    assert "Found" in body and "Narrow the results" in page(client, "/search?q=VSMT")
    assert "tham số page" not in body
    assert "invalid parameter page" in page(client, "/search?page=0", 400)
