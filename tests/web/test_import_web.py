"""Importing old papers on the web (docgen.web.importing, issue 13): upload, the dry-run
table, corrections, confirmation, the report; who may import where; the staging folder.

Real files made here: a Unicode .docx of an-thanh's resolution rendered by ``docgen render``
from examples/nghi-quyet.yaml (as tests/importing/test_import_cli.py does), .txt papers in
TCVN3 bytes (``encode_tcvn3(...).encode("cp1252")``), a zero-byte file and zips of a
folder; the archive is the real two-cell archive of conftest (``site``)."""

from __future__ import annotations

import io
import json
import os
import re
import time
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import pytest
import yaml
from click.testing import CliRunner
from conftest import CELL_A, CELL_B, CONFIG, EXAMPLES, NAME_B, Site, csrf_of
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from docgen.archive import Archive
from docgen.archive.filters import DocFilter
from docgen.cli import main
from docgen.vn.legacy import encode_tcvn3
from docgen.web.importing import STAGING, sweep

NAME_A = "CHI BỘ THÔN AN THÀNH"
DOCX = "nq-21.docx"
TXT_B = "nq-2018-binh-minh.txt"
TXT_A = "nq-2019-an-thanh.txt"


# ------------------------------------------------------------------ the papers
def render(tmp: Path, name: str, **changes: Any) -> bytes:
    """An old paper as docgen itself would have written it (Unicode .docx)."""
    data = yaml.safe_load((EXAMPLES / "nghi-quyet.yaml").read_text("utf-8"))
    data.update(changes)
    source = tmp / f"{name}.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    out = tmp / f"{name}.docx"
    result = CliRunner().invoke(main, ["--config", str(CONFIG), "render", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def tcvn3_paper(cell: str, place: str, number: int, day: str, subject: str) -> bytes:
    """A paper typed years ago with the .VnTime fonts, saved as plain text."""
    lines = ["ĐẢNG BỘ XÃ QUANG KIM", cell, f"Số {number:02d}-NQ/CB", f"{place}, {day}", "NGHỊ QUYẾT",
             subject, "Chi bộ thống nhất thực hiện."]
    return "\r\n".join(encode_tcvn3(line, capitals=line.isupper()) for line in lines).encode("cp1252")


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    tmp = tmp_path_factory.mktemp("old-papers")
    return {
        DOCX: render(tmp, "nq-21", number=21, date="12/5/2026"),
        TXT_B: tcvn3_paper(NAME_B, "Bình Minh", 3, "ngày 05 tháng 02 năm 2018",
                           "về công tác vệ sinh môi trường trường học"),
        TXT_A: tcvn3_paper(NAME_A, "An Thành", 4, "ngày 09 tháng 4 năm 2019",
                           "về phong trào trồng cây xanh đường làng"),
    }


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


# ------------------------------------------------------------------ helpers
def post_multipart(client: Any, url: str, fields: list[tuple[str, str]],
                   files: list[tuple[str, bytes]]) -> Any:
    """A multipart POST encoded in memory (the test client's own encoder spools large
    bodies to a temporary file it never closes)."""
    form: MultiDict[str, Any] = MultiDict(fields)
    for name, content in files:
        form.add("files", FileStorage(io.BytesIO(content), filename=name,
                                      content_type="application/octet-stream"))
    boundary, body = encode_multipart(form)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def upload(client: Any, files: list[tuple[str, bytes]], cell: str = CELL_A, encoding: str = "auto",
           token: str | None = None) -> Any:
    token = csrf_of(client, "/import") if token is None else token
    return post_multipart(client, "/import", [("csrf_token", token), ("cell", cell), ("encoding", encoding)],
                          files)


def planned(client: Any, files: list[tuple[str, bytes]], cell: str = CELL_A) -> tuple[str, Any]:
    """Upload, follow to the dry-run table: (token, the page parsed)."""
    resp = upload(client, files, cell)
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    path = urlsplit(resp.location).path
    found = re.fullmatch(r"/import/([A-Za-z0-9_-]{32})", path)
    assert found, path
    page = client.get(path)
    assert page.status_code == 200
    return found.group(1), lxml.html.fromstring(page.get_data(as_text=True))


def rows_of(page: Any) -> dict[str, Any]:
    """The table's rows by file name."""
    out = {}
    for tr in page.xpath("//table[contains(@class,'importing-table')]/tbody/tr"):
        out[tr.xpath("string(td[1]/code)")] = tr
    return out


def field_of(tr: Any, name: str) -> str:
    """The value an input or select of the row holds."""
    (el,) = tr.xpath(f".//*[starts-with(@name,'{name}-')]")
    if el.tag == "select":
        chosen = el.xpath("option[@selected]/@value")
        return str(chosen[0]) if chosen else ""
    return str(el.get("value") or "")


def index_of(tr: Any) -> int:
    return int(tr.get("id").split("-")[1])


def form_of(page: Any) -> list[tuple[str, str]]:
    """What the browser sends when the user confirms without changing anything."""
    pairs = []
    (form,) = page.xpath("//form[@id='importing-form']")
    for el in form.xpath(".//input | .//select"):
        name = el.get("name")
        if el.tag == "select":
            chosen = el.xpath("option[@selected]/@value")
            pairs.append((name, str(chosen[0]) if chosen else str(el.xpath("option/@value")[0])))
        elif el.get("type") == "checkbox":
            if el.get("checked") is not None:
                pairs.append((name, el.get("value") or "on"))
        else:
            pairs.append((name, el.get("value") or ""))
    return pairs


def changed(pairs: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """The form with some inputs set ("date_0" is the input "date-0")."""
    wanted = {k.replace("_", "-"): v for k, v in values.items()}
    out = [(k, wanted.pop(k) if k in wanted else v) for k, v in pairs]
    return out + list(wanted.items())


def confirm(client: Any, token: str, pairs: list[tuple[str, str]]) -> Any:
    return client.post(f"/import/{token}/confirm", data=MultiDict(pairs))


def current(root: Path) -> list[Any]:
    archive = Archive(root)
    try:
        return list(archive.iter_current())
    finally:
        archive.close()


def doc_count(root: Path) -> int:
    archive = Archive(root)
    try:
        return len(archive.matching(DocFilter(include_withdrawn=True)))
    finally:
        archive.close()


def staged(root: Path) -> list[str]:
    folder = root / STAGING
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def text_of(el: Any) -> str:
    return " ".join(el.text_content().split())


# ------------------------------------------------------------------ the table
def test_upload_shows_the_dry_run_table_and_writes_nothing(site: Site, papers: dict[str, bytes]) -> None:
    client = site.client("bt.a")
    before = doc_count(site.root)
    token, page = planned(client, [(DOCX, papers[DOCX]), (TXT_A, papers[TXT_A]), ("hong.docx", b"")])
    rows = rows_of(page)
    assert list(rows) == [DOCX, TXT_A, "hong.docx"]
    docx = rows[DOCX]
    assert field_of(docx, "number") == "21-NQ/CB" and field_of(docx, "date") == "2026-05-12"
    assert field_of(docx, "cell") == NAME_A and field_of(docx, "kind") == "nghi-quyet"
    assert "lãnh đạo thực hiện nhiệm vụ" in field_of(docx, "title")
    assert "sẽ nhập" in text_of(docx) and "unicode" in text_of(docx)
    assert docx.xpath(".//input[@name][@type='date']") and docx.xpath(".//input[@type='checkbox']")
    old = rows[TXT_A]  # TCVN3 bytes, read back as Vietnamese
    assert field_of(old, "date") == "2019-04-09" and field_of(old, "cell") == NAME_A
    assert "trồng cây xanh đường làng" in field_of(old, "title")
    empty = rows["hong.docx"]
    assert "lỗi" in text_of(empty) and "rỗng" in text_of(empty)
    assert not empty.xpath(".//input[starts-with(@name,'date-')]")  # nothing to correct
    assert page.xpath("string(//form[@id='importing-form']//button[@type='submit'])").strip() == "Nhập vào kho"
    # nothing written; the files wait in the private staging folder, bound to bt.a
    assert doc_count(site.root) == before
    folder = site.root / STAGING / token
    assert sorted(p.name for p in (folder / "files").iterdir()) == sorted([DOCX, TXT_A, "hong.docx"])
    assert json.loads((folder / "job.json").read_text("utf-8"))["user"] == "bt.a"
    assert (site.root / STAGING).stat().st_mode & 0o777 == 0o700
    # English with the switch
    client.get("/lang/en")
    english = client.get(f"/import/{token}").get_data(as_text=True)
    assert "Dry run" in english and "to import" in english and "is empty" in english


def test_the_form_offers_the_users_cells(site: Site) -> None:
    page = lxml.html.fromstring(site.client("bt.b").get("/import").get_data(as_text=True))
    assert page.xpath("//select[@name='cell']/option/@value") == [CELL_B]
    assert page.xpath("//input[@type='file'][@name='files']/@multiple")
    assert page.xpath("//select[@name='encoding']/option/@value") == ["auto", "unicode", "tcvn3", "vni", "viqr"]
    committee = lxml.html.fromstring(site.client("ubnd").get("/import").get_data(as_text=True))
    assert committee.xpath("//select[@name='cell']/option/@value") == ["", CELL_A, CELL_B]
    assert "Theo tên in trên giấy" in committee.xpath("string(//select[@name='cell']/option[1])")
    home = site.client("bt.a").get("/").get_data(as_text=True)
    assert 'href="/import"' in home and "Nhập giấy tờ cũ" in home


# ------------------------------------------------------------------ confirming
def test_a_corrected_date_is_imported_and_the_paper_shows(site: Site, papers: dict[str, bytes]) -> None:
    client = site.client("bt.a")
    before = {d.id for d in current(site.root)}
    token, page = planned(client, [(DOCX, papers[DOCX]), (TXT_A, papers[TXT_A])])
    n = index_of(rows_of(page)[DOCX])
    resp = confirm(client, token, changed(form_of(page), **{f"date_{n}": "2026-05-13"}))
    assert resp.status_code == 303 and urlsplit(resp.location).path == f"/import/{token}"
    report = lxml.html.fromstring(client.get(f"/import/{token}").get_data(as_text=True))
    assert "Kết quả nhập" in text_of(report.xpath("//h1")[0])
    rows = rows_of(report)
    assert "đã nhập" in text_of(rows[DOCX]) and "đã nhập" in text_of(rows[TXT_A])
    links = rows[DOCX].xpath(".//a[contains(@class,'importing-paper')]/@href")
    assert len(links) == 1 and re.fullmatch(r"/doc/[a-z0-9]+", links[0])
    doc_id = links[0].rsplit("/", 1)[1]
    new = {d.id: d for d in current(site.root) if d.id not in before}
    assert set(new) == {doc_id, *[h.rsplit("/", 1)[1] for h in rows[TXT_A].xpath(".//a[contains(@class,'importing-paper')]/@href")]}
    doc = new[doc_id]
    assert doc.meta.date.isoformat() == "2026-05-13" and doc.meta.cell == NAME_A
    assert doc.meta.number_text == "21-NQ/CB"
    assert (doc.folder / "original.docx").read_bytes() == papers[DOCX]
    record = json.loads((doc.folder / "meta.json").read_text("utf-8"))
    assert record["imported"]["original"]["name"] == DOCX and record["imported"]["corrected"] == ["date"]
    assert record["imported"]["imported_by"] == "bt.a"
    shown = client.get(f"/doc/{doc_id}")
    assert shown.status_code == 200 and doc.meta.title in shown.get_data(as_text=True)
    # the search index follows
    found = client.get("/api/search", query_string={"q": "trong cay xanh duong lang"}).get_json()
    assert {h["id"] for h in found["hits"]} & set(new)
    # the uploads are gone; the report stays for a second click
    assert not (site.root / STAGING / token / "files").exists()
    again = confirm(client, token, form_of(page))
    assert again.status_code == 303
    assert {d.id for d in current(site.root)} == before | set(new)
    assert "đã nhập" in text_of(rows_of(lxml.html.fromstring(
        client.get(f"/import/{token}").get_data(as_text=True)))[DOCX])


def test_a_second_upload_of_the_same_papers_is_a_duplicate(site: Site, papers: dict[str, bytes]) -> None:
    client = site.client("bt.a")
    token, page = planned(client, [(DOCX, papers[DOCX])])
    assert confirm(client, token, form_of(page)).status_code == 303
    count = doc_count(site.root)
    (doc,) = [d for d in current(site.root) if d.meta.number_text == "21-NQ/CB" and d.meta.cell == NAME_A]
    token2, page2 = planned(client, [(DOCX, papers[DOCX]), ("ban-sao.docx", papers[DOCX])])
    rows = rows_of(page2)
    for name in (DOCX, "ban-sao.docx"):
        assert "đã có trong kho" in text_of(rows[name]), name
    assert rows[DOCX].xpath(f".//a[@href='/doc/{doc.id}']")
    assert confirm(client, token2, form_of(page2)).status_code == 303
    report = rows_of(lxml.html.fromstring(client.get(f"/import/{token2}").get_data(as_text=True)))
    assert "đã có trong kho" in text_of(report[DOCX]) and report[DOCX].xpath(f".//a[@href='/doc/{doc.id}']")
    assert doc_count(site.root) == count


def test_a_bad_correction_is_shown_beside_its_row_and_nothing_is_written(
        site: Site, papers: dict[str, bytes]) -> None:
    client = site.client("bt.a")
    before = doc_count(site.root)
    token, page = planned(client, [(DOCX, papers[DOCX]), (TXT_A, papers[TXT_A])])
    n = index_of(rows_of(page)[DOCX])
    resp = confirm(client, token, changed(form_of(page), **{f"date_{n}": "31/2/2026", f"number_{n}": "số năm"}))
    assert resp.status_code == 400
    again = lxml.html.fromstring(resp.get_data(as_text=True))
    row = rows_of(again)[DOCX]
    errors = [text_of(p) for p in row.xpath(".//p[contains(@class,'field-error')]")]
    assert any("31/2/2026" in e and "không hợp lệ" in e for e in errors), errors
    assert any("số năm" in e for e in errors), errors
    assert "importing-bad" in row.get("class")
    assert field_of(row, "date") == "31/2/2026"  # what the user typed is kept
    assert not rows_of(again)[TXT_A].xpath(".//p[contains(@class,'field-error')]")
    assert "Chưa nhập gì" in again.text_content()
    assert doc_count(site.root) == before
    assert (site.root / STAGING / token / "files" / DOCX).is_file()
    # corrected, it goes in
    resp = confirm(client, token, changed(form_of(page), **{f"date_{n}": "2026-05-14"}))
    assert resp.status_code == 303 and doc_count(site.root) == before + 2


def test_a_skipped_file_is_not_imported(site: Site, papers: dict[str, bytes]) -> None:
    client = site.client("bt.a")
    before = doc_count(site.root)
    token, page = planned(client, [(DOCX, papers[DOCX]), (TXT_A, papers[TXT_A])])
    n = index_of(rows_of(page)[TXT_A])
    assert confirm(client, token, changed(form_of(page), **{f"skip_{n}": "x"})).status_code == 303
    report = rows_of(lxml.html.fromstring(client.get(f"/import/{token}").get_data(as_text=True)))
    assert "bỏ qua" in text_of(report[TXT_A]) and "đã nhập" in text_of(report[DOCX])
    assert doc_count(site.root) == before + 1


def test_a_number_conflict_can_be_corrected_in_the_table(site: Site, papers: dict[str, bytes],
                                                          tmp_path: Path) -> None:
    client = site.client("bt.a")
    token, page = planned(client, [(DOCX, papers[DOCX])])
    assert confirm(client, token, form_of(page)).status_code == 303
    before = doc_count(site.root)
    other = render(tmp_path, "nq-21-khac", number=21, date="20/5/2026", place="Quang Kim")
    token2, page2 = planned(client, [("nq-21-khac.docx", other)])
    row = rows_of(page2)["nq-21-khac.docx"]
    assert "lỗi" in text_of(row) and "21-NQ/CB" in text_of(row)
    assert "sửa số hoặc ngày ở dòng này" in text_of(row) and "--metadata" not in text_of(row)
    n = index_of(row)
    assert confirm(client, token2, changed(form_of(page2), **{f"number_{n}": "23-NQ/CB"})).status_code == 303
    report = rows_of(lxml.html.fromstring(client.get(f"/import/{token2}").get_data(as_text=True)))
    assert "đã nhập" in text_of(report["nq-21-khac.docx"]) and "23-NQ/CB" in text_of(report["nq-21-khac.docx"])
    assert doc_count(site.root) == before + 1


# ------------------------------------------------------------------ who imports where
def test_a_secretary_imports_only_into_their_cell(site: Site, papers: dict[str, bytes]) -> None:
    a, b = site.client("bt.a"), site.client("bt.b")
    before = doc_count(site.root)
    # bt.b cannot use an-thanh, nor "as printed": refused before a byte is stored
    for cell in (CELL_A, "", "khong-co"):
        resp = upload(b, [(DOCX, papers[DOCX])], cell=cell)
        assert resp.status_code == 403, cell
    assert staged(site.root) == []
    # bt.a's pending upload is not bt.b's: not found, not confirmed, not cancelled
    token, page = planned(a, [(DOCX, papers[DOCX])])
    job = (site.root / STAGING / token / "job.json").read_bytes()
    tb = csrf_of(b, "/")
    assert b.get(f"/import/{token}").status_code == 404
    assert confirm(b, token, [("csrf_token", tb), *form_of(page)[1:]]).status_code == 404
    assert b.post(f"/import/{token}/discard", data={"csrf_token": tb}).status_code == 404
    assert (site.root / STAGING / token / "job.json").read_bytes() == job
    assert doc_count(site.root) == before
    # bt.b imports an-thanh's paper into its own cell: it lands there, flagged
    token_b, page_b = planned(b, [(DOCX, papers[DOCX])], cell=CELL_B)
    row = rows_of(page_b)[DOCX]
    assert field_of(row, "cell") == NAME_B and "trên giấy ghi CHI BỘ THÔN AN THÀNH" in text_of(row)
    assert "--cell" not in text_of(row)
    assert row.xpath(".//select[starts-with(@name,'cell-')]/option/@value") == [NAME_B]
    n = index_of(row)
    # a correction naming another cell is refused, nothing written
    resp = confirm(b, token_b, changed(form_of(page_b), **{f"cell_{n}": NAME_A}))
    assert resp.status_code == 400 and doc_count(site.root) == before
    assert "không nhập được vào " + NAME_A in resp.get_data(as_text=True)
    assert confirm(b, token_b, form_of(page_b)).status_code == 303
    report = rows_of(lxml.html.fromstring(b.get(f"/import/{token_b}").get_data(as_text=True)))
    (href,) = report[DOCX].xpath(".//a[contains(@class,'importing-paper')]/@href")
    doc = next(d for d in current(site.root) if d.id == href.rsplit("/", 1)[1])
    assert doc.meta.cell == NAME_B
    assert b.get(href).status_code == 200 and a.get(href).status_code == 404
    # the cell bt.a had is taken away: its pending upload is refused
    from docgen.accounts import Accounts

    Accounts(site.root).set_cells("bt.a", (CELL_B,), actor="admin")
    assert a.get(f"/import/{token}").status_code == 403
    assert confirm(a, token, form_of(page)).status_code == 403
    assert doc_count(site.root) == before + 1


def test_the_committee_imports_as_printed(site: Site, papers: dict[str, bytes]) -> None:
    client = site.client("ubnd")
    before = doc_count(site.root)
    token, page = planned(client, [(DOCX, papers[DOCX]), (TXT_B, papers[TXT_B])], cell="")
    rows = rows_of(page)
    assert field_of(rows[DOCX], "cell") == NAME_A and field_of(rows[TXT_B], "cell") == NAME_B
    assert field_of(rows[TXT_B], "date") == "2018-02-05"
    assert "vệ sinh môi trường trường học" in field_of(rows[TXT_B], "title")
    assert set(rows[DOCX].xpath(".//select[starts-with(@name,'cell-')]/option/@value")) == {NAME_A, NAME_B}
    assert confirm(client, token, form_of(page)).status_code == 303
    cells = {d.meta.cell for d in current(site.root) if d.meta.date.year in (2018,) or d.meta.number_text == "21-NQ/CB"}
    assert cells == {NAME_A, NAME_B}
    assert doc_count(site.root) == before + 2
    # and into one chosen cell
    token2, page2 = planned(client, [(TXT_A, papers[TXT_A])], cell=CELL_B)
    assert field_of(rows_of(page2)[TXT_A], "cell") == NAME_B


def test_posts_need_the_csrf_token(site: Site, papers: dict[str, bytes]) -> None:
    client = site.client("bt.a")
    resp = post_multipart(client, "/import", [("cell", CELL_A)], [(DOCX, papers[DOCX])])
    assert resp.status_code == 400
    resp = upload(client, [(DOCX, papers[DOCX])], token="not-the-token")
    assert resp.status_code == 400
    assert staged(site.root) == []
    token, page = planned(client, [(DOCX, papers[DOCX])])
    before = doc_count(site.root)
    assert confirm(client, token, [p for p in form_of(page) if p[0] != "csrf_token"]).status_code == 400
    assert client.post(f"/import/{token}/discard").status_code == 400
    assert doc_count(site.root) == before and (site.root / STAGING / token / "files").is_dir()


# ------------------------------------------------------------------ zips and limits
def test_a_zip_of_a_folder_is_unpacked(site: Site, papers: dict[str, bytes]) -> None:
    client = site.client("ubnd")
    archive = zipped({"giay-to/2018/Nghị quyết cũ.txt": papers[TXT_B], f"giay-to/2026/{DOCX}": papers[DOCX],
                      "giay-to/Thumbs.db": b"\0\1thumbs", "giay-to/ghi-chu.xyz": b"not a paper",
                      "__MACOSX/giay-to/._x": b"mac"})
    token, page = planned(client, [("giay-to.zip", archive)], cell="")
    rows = rows_of(page)
    assert set(rows) == {"giay-to.zip/giay-to/2018/Nghị quyết cũ.txt", f"giay-to.zip/giay-to/2026/{DOCX}",
                         "giay-to.zip/giay-to/ghi-chu.xyz"}
    assert field_of(rows[f"giay-to.zip/giay-to/2026/{DOCX}"], "number") == "21-NQ/CB"
    assert field_of(rows["giay-to.zip/giay-to/2018/Nghị quyết cũ.txt"], "date") == "2018-02-05"
    assert "lỗi" in text_of(rows["giay-to.zip/giay-to/ghi-chu.xyz"])
    files = site.root / STAGING / token / "files"
    assert sorted(p.relative_to(files).as_posix() for p in files.rglob("*") if p.is_file()) == [
        "giay-to.zip/giay-to/2018/Nghị quyết cũ.txt", f"giay-to.zip/giay-to/2026/{DOCX}",
        "giay-to.zip/giay-to/Thumbs.db", "giay-to.zip/giay-to/ghi-chu.xyz"]


def _symlink_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        info = zipfile.ZipInfo("giay-to/lien-ket")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
    return out.getvalue()


def _bomb_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("giay-to/to.txt", b"a" * (20 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(("members", "said"), [
    ({"giay-to/../../ra-ngoai.txt": b"x"}, "(..)"),
    ({"../ra-ngoai.txt": b"x"}, "(..)"),
    ({"giay-to\\..\\..\\ra-ngoai.txt": b"x"}, "(..)"),
    ({"/etc/ra-ngoai.txt": b"x"}, "tuyệt đối"),
    ({"C:/Windows/ra-ngoai.txt": b"x"}, "tuyệt đối"),
    (_symlink_zip, "symlink"),
    (_bomb_zip, "zip bomb"),
    (b"PK\x03\x04 not really a zip", "hỏng"),
], ids=["dotdot", "leading-dotdot", "backslash-dotdot", "absolute", "drive", "symlink", "bomb", "damaged"])
def test_a_hostile_zip_is_refused_and_nothing_is_kept(site: Site, papers: dict[str, bytes], members: Any,
                                                      said: str) -> None:
    client = site.client("bt.a")
    data = members() if callable(members) else members if isinstance(members, bytes) else zipped(members)
    resp = upload(client, [(DOCX, papers[DOCX]), ("giay-to.zip", data)])
    assert resp.status_code == 400
    text = resp.get_data(as_text=True)
    assert "giay-to.zip" in text and said in text, text[:3000]
    assert staged(site.root) == []
    assert not list(site.root.parent.rglob("ra-ngoai.txt"))


def test_an_upload_over_the_limit_is_413(site: Site) -> None:
    site.app.config["MAX_CONTENT_LENGTH"] = 256 * 1024
    client = site.client("bt.a")
    resp = upload(client, [("to.pdf", b"%PDF-1.4\n" + os.urandom(300 * 1024))])
    assert resp.status_code == 413 and "tệp tải lên quá lớn" in resp.get_data(as_text=True)
    assert staged(site.root) == []


def test_no_file_chosen_and_an_unknown_encoding_are_said(site: Site, papers: dict[str, bytes]) -> None:
    client = site.client("bt.a")
    resp = upload(client, [])
    assert resp.status_code == 400 and "Chưa chọn tệp nào" in resp.get_data(as_text=True)
    resp = upload(client, [(DOCX, papers[DOCX])], encoding="ebcdic")
    assert resp.status_code == 400 and staged(site.root) == []


def test_old_staging_folders_are_swept_and_a_cancel_removes_one(site: Site, papers: dict[str, bytes]) -> None:
    client = site.client("bt.a")
    old, _ = planned(client, [(DOCX, papers[DOCX])])
    fresh, _ = planned(client, [(TXT_A, papers[TXT_A])])
    day_ago = time.time() - 25 * 3600
    os.utime(site.root / STAGING / old, (day_ago, day_ago))
    assert client.get(f"/import/{old}").status_code == 404  # too old, even before a sweep
    assert staged(site.root) == sorted([old, fresh])
    assert client.get("/import").status_code == 200
    assert staged(site.root) == [fresh]
    assert client.get(f"/import/{old}").status_code == 404
    assert sweep(site.root) == []  # nothing else is old
    resp = client.post(f"/import/{fresh}/discard", data={"csrf_token": csrf_of(client, "/")})
    assert resp.status_code == 303 and staged(site.root) == []
    assert client.get(f"/import/{fresh}").status_code == 404
    for bad in ("..", "x" * 32 + "%2F..", "a" * 31):
        assert client.get(f"/import/{bad}").status_code == 404
