"""The roster screen (docgen.web.roster) over the real two-cell archive: the members and
their status on a day with the totals, a member's history, adding and editing (messages
under the fields, nothing written on an error, a concurrent change refused), importing an
.xlsx or a CSV with a preview and a message per bad row, who may do what, the audit log,
hostile text escaped."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import CELL_A, CELL_B, PASSWORD, Site, csrf_of
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from docgen.accounts import Accounts
from docgen.archive import audit
from docgen.authoring.roster_edit import read_roster
from docgen.authoring.roster_import import MAX_IMPORT_BYTES
from docgen.model.profile import load_profile
from docgen.web import roster as roster_screen

TODAY = dt.date(2026, 3, 10)
ROSTER = f"/cell/{CELL_A}/roster"
HOSTILE = "<script>alert(1)</script> & {{ 7*7 }}"
IDS = [f"m{i:02d}" for i in range(1, 23)] + ["t01"]


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_screen, "_today", lambda: TODAY)


def profile_path(site: Site, cell_id: str = CELL_A) -> Path:
    return site.root / "cells" / cell_id / "profile.yaml"


def text_of(resp: Any) -> str:
    return str(resp.get_data(as_text=True))


def audit_count(site: Site) -> int:
    return len(audit.read(site.root))


def sha_of(page: str) -> str:
    found = re.search(r'name="sha" value="([0-9a-f]{64})"', page)
    assert found, page[:2000]
    return found.group(1)


def post(client: Any, url: str, data: dict[str, Any], token: str | None = None) -> Any:
    form = dict(data)
    form["csrf_token"] = csrf_of(client, ROSTER) if token is None else token
    return client.post(url, data=form)


def member_fields(name: str, admitted: str, official: str = "", **extra: str) -> dict[str, str]:
    return {"name": name, "admitted": admitted, "official": official, "official_decided": "",
            "left": "", "home_cell": "", **extra}


def totals_of(page: str) -> dict[str, int]:
    pairs = re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", page)
    assert pairs, page[:3000]
    return {label: int(count) for label, count in pairs}


def table_rows(page: str) -> list[str]:
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return re.findall(r"<tr class=\"roster-[a-z]+\"[^>]*>(.*?)</tr>", body, re.S)


def errors_under(page: str, field: str) -> str:
    found = re.search(rf'<div id="e-{field}">(.*?)</div>', page, re.S)
    assert found, (field, page[:3000])
    return html.unescape(found.group(1))


def no_inline_code(page: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "inline script"
    assert " style=" not in page and "onclick" not in page


def upload(client: Any, content: bytes, filename: str, token: str | None = None) -> Any:
    form = MultiDict({"csrf_token": csrf_of(client, ROSTER) if token is None else token,
                      "sheet": FileStorage(io.BytesIO(content), filename=filename,
                                           content_type="application/octet-stream")})
    boundary, body = encode_multipart(form)
    return client.post(f"{ROSTER}/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def confirm_fields(page: str) -> dict[str, str]:
    token = re.search(r'name="upload" value="([^"]+)"', page)
    sha = re.search(r'name="sha" value="([0-9a-f]{64})"', page)
    assert token and sha, page[:3000]
    return {"upload": token.group(1), "sha": sha.group(1), "confirm": "1"}


def preview_row(page: str, number: int) -> tuple[str, str]:
    """(the row's action class, its text) of preview row ``number``."""
    found = re.search(rf'<tr class="roster-([a-z]+)" id="row-{number}">(.*?)</tr>', page, re.S)
    assert found, (number, page[:4000])
    return found.group(1), html.unescape(re.sub(r"<[^>]+>", " ", found.group(2)))


def stored_uploads(site: Site) -> list[str]:
    folder = site.root / ".docgen" / "web" / "roster-imports"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh sách"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def bt_a(site: Site) -> Any:
    return site.client("bt.a")


# ------------------------------------------------------------------ the list
def test_the_roster_on_a_day_with_its_totals(site: Site, bt_a: Any) -> None:
    resp = bt_a.get(ROSTER, query_string={"date": "2026-03-10"})
    assert resp.status_code == 200
    page = text_of(resp)
    no_inline_code(page)
    rows = table_rows(page)
    assert len(rows) == 23  # 22 members of the cell and one from another cell
    assert "Đảng viên (23)" in page and "10/3/2026" in page
    for member_id in IDS:
        assert f'href="/cell/{CELL_A}/roster/{member_id}"' in page, member_id
    totals = totals_of(page)
    assert totals == {"Tổng số đảng viên": 22, "Chính thức": 20, "Dự bị": 2, "Miễn sinh hoạt": 1,
                      "Sinh hoạt tạm thời nơi khác": 1, "Nơi khác sinh hoạt tạm thời tại chi bộ": 1,
                      "Phải có mặt khi họp": 20}
    vinh = next(r for r in rows if "Kiều Văn Vinh" in r)
    assert "chính thức, miễn sinh hoạt" in vinh and "tuổi cao, sức khỏe yếu" in vinh
    uy = next(r for r in rows if "Chu Văn Uy" in r)
    assert "sinh hoạt tạm thời nơi khác" in uy and "Minh Phát" in uy
    assert "Bí thư Chi bộ" in next(r for r in rows if "Nguyễn Văn An" in r)
    assert 'value="2026-03-10"' in page  # the native date input shows the day
    assert "Thêm đảng viên" in page and f"{ROSTER}/import" in page  # the secretary writes


def test_another_day_gives_other_totals(site: Site, bt_a: Any) -> None:
    page = text_of(bt_a.get(ROSTER, query_string={"date": "1/10/2025"}))
    totals = totals_of(page)
    # m22 was admitted on 22/12/2025, m21 on 2/9/2025; m19 left for another cell on 5/1/2026
    assert totals["Tổng số đảng viên"] == 21 and totals["Dự bị"] == 1 and totals["Chính thức"] == 20
    assert totals["Sinh hoạt tạm thời nơi khác"] == 0 and totals["Phải có mặt khi họp"] == 20
    yen = next(r for r in table_rows(page) if "Trần Văn Yên" in r)
    assert "chưa kết nạp" in yen
    assert 'value="2025-10-01"' in page


def test_the_default_day_is_today_and_a_bad_day_is_explained(site: Site, bt_a: Any) -> None:
    page = text_of(bt_a.get(ROSTER))
    assert 'value="2026-03-10"' in page and totals_of(page)["Tổng số đảng viên"] == 22
    resp = bt_a.get(ROSTER, query_string={"date": "30/2/2026"})
    assert resp.status_code == 400
    page = text_of(resp)
    error = html.unescape(page[page.index('class="error"'):])
    assert "ngày không có thật: 30/2/2026" in error and "tháng 2 có 28 hoặc 29 ngày" in error
    assert totals_of(page)["Tổng số đảng viên"] == 22  # today's roster is still shown


def test_the_cell_page_links_the_roster(site: Site, bt_a: Any) -> None:
    page = text_of(bt_a.get(f"/cell/{CELL_A}"))
    assert f'href="{ROSTER}"' in page and "Danh sách đảng viên" in page


def test_the_roster_in_english(site: Site, bt_a: Any) -> None:
    bt_a.get("/lang/en")
    page = text_of(bt_a.get(ROSTER, query_string={"date": "2026-03-10"}))
    assert "Roster" in page and "Members (23)" in page and "Add a member" in page
    assert totals_of(page)["Expected at a meeting"] == 20
    assert "official, exempt" in next(r for r in table_rows(page) if "Kiều Văn Vinh" in r)
    assert "Tổng số đảng viên" not in page


# ------------------------------------------------------------------ a member
def test_a_members_page_shows_the_history(site: Site, bt_a: Any) -> None:
    resp = bt_a.get(f"{ROSTER}/m19")
    assert resp.status_code == 200
    page = text_of(resp)
    no_inline_code(page)
    history = page[page.index('class="roster-history"'):page.index("</ol>")]
    events = [html.unescape(re.sub(r"<[^>]+>", "", e)).split(" ", 1)
              for e in re.findall(r"<li[^>]*>(.*?)</li>", history, re.S)]
    assert events == [
        ["1/7/2015", "Kết nạp vào Đảng (đảng viên dự bị)"],
        ["1/7/2016", "Chuyển đảng viên chính thức"],
        ["5/1/2026", "Đi sinh hoạt tạm thời nơi khác (nơi sinh hoạt: Chi bộ Công ty TNHH Xây dựng Minh Phát)"],
        ["30/6/2026", "Hết thời gian sinh hoạt tạm thời nơi khác (ngày cuối)"],
    ]
    assert "Chu Văn Uy" in page and "chính thức, sinh hoạt tạm thời nơi khác" in page
    assert sha_of(page) == read_roster(profile_path(site)).sha256  # the form's version
    assert 'name="temporary_out-0-from" value="5/1/2026"' in page
    assert 'name="temporary_out-0-note" value="Chi bộ Công ty TNHH Xây dựng Minh Phát"' in page
    assert 'name="temporary_out-1-from" value=""' in page  # one empty row to add another
    assert "roster.js" in page

    page = text_of(bt_a.get(f"{ROSTER}/t01"))
    assert "Chi bộ Trường Tiểu học Quang Kim" in page
    assert "Đến sinh hoạt tạm thời tại chi bộ" in page
    assert bt_a.get(f"{ROSTER}/m99").status_code == 404


def test_history_in_english(site: Site, bt_a: Any) -> None:
    bt_a.get("/lang/en")
    page = text_of(bt_a.get(f"{ROSTER}/m20"))
    assert "Admitted to the Party (probationary)" in page
    assert "Exempted from Party work and meetings (reason: tuổi cao, sức khỏe yếu), still open" in page
    assert "Save the changes" in page


# ------------------------------------------------------------------ adding
def test_a_secretary_adds_a_member(site: Site, bt_a: Any) -> None:
    path = profile_path(site)
    before, logged = path.read_text(encoding="utf-8"), audit_count(site)
    assert bt_a.get(f"{ROSTER}/new").status_code == 200
    resp = post(bt_a, f"{ROSTER}/new", member_fields(
        "Lê Thị Mới", "2/9/2025", **{"temporary_out-0-from": "1/2/2026", "temporary_out-0-to": "",
                                     "temporary_out-0-note": "Chi bộ Trường THCS Quang Kim",
                                     "exempt-0-from": "", "exempt-0-to": "", "exempt-0-note": ""}))
    assert resp.status_code == 302 and resp.headers["Location"] == f"{ROSTER}/m23"
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before) and "Lê Thị Mới" in after[len(before):]  # the rest kept as it was
    added = load_profile(path).member("m23")
    assert added is not None and added.name == "Lê Thị Mới" and added.admitted == dt.date(2025, 9, 2)
    assert added.official is None and added.temporary_out[0].start == dt.date(2026, 2, 1)
    assert added.temporary_out[0].note == "Chi bộ Trường THCS Quang Kim" and added.exempt == ()
    lines = audit.read(site.root)[logged:]
    assert [(e["op"], e["user"], e["cell"], e["member"]) for e in lines] == [("roster-add", "bt.a", CELL_A, "m23")]
    page = text_of(bt_a.get(resp.headers["Location"]))
    assert "Đã thêm đảng viên m23: Lê Thị Mới." in page and "Lê Thị Mới" in page
    assert totals_of(text_of(bt_a.get(ROSTER)))["Tổng số đảng viên"] == 23


def test_adding_explains_each_field(site: Site, bt_a: Any) -> None:
    path = profile_path(site)
    before, logged = path.read_bytes(), audit_count(site)
    resp = post(bt_a, f"{ROSTER}/new", member_fields(
        "", "hôm qua", "1/1/1990", id="M 23", **{"exempt-0-from": "1/3/2026", "exempt-0-to": "1/1/2026"}))
    assert resp.status_code == 400
    page = text_of(resp)
    assert "Họ và tên: chưa ghi" in errors_under(page, "name")
    assert "Ngày kết nạp: không đọc được ngày: hôm qua" in errors_under(page, "admitted")
    assert "ví dụ 10/3/2026" in errors_under(page, "admitted")
    assert "không đúng dạng mã" in errors_under(page, "id")
    row = html.unescape(page[page.index('name="exempt-0-from"'):page.index('name="exempt-0-remove"')])
    assert "1/1/2026 trước ngày bắt đầu 1/3/2026" in row
    assert 'value="hôm qua"' in page and 'value="M 23"' in page  # what was typed is kept
    assert "thông tin đảng viên có 4 lỗi" in page  # one message a field
    assert errors_under(page, "admitted").count("field-error") == 1
    assert path.read_bytes() == before and audit_count(site) == logged


def test_the_same_name_needs_add_anyway(site: Site, bt_a: Any) -> None:
    path = profile_path(site)
    before = path.read_bytes()
    resp = post(bt_a, f"{ROSTER}/new", member_fields("nguyen van an", "1/3/2021"))
    assert resp.status_code == 400
    under = errors_under(text_of(resp), "name")
    assert "đã có đảng viên cùng họ tên: m01 — Nguyễn Văn An" in under and '"vẫn thêm"' in under
    assert "Vẫn thêm khi đã có người cùng họ tên" in text_of(resp)
    assert path.read_bytes() == before
    resp = post(bt_a, f"{ROSTER}/new", {**member_fields("nguyen van an", "1/3/2021"), "allow_same_name": "1"})
    assert resp.status_code == 302
    added = load_profile(path).member("m23")
    assert added is not None and added.name == "nguyen van an"


# ------------------------------------------------------------------ editing
def test_a_secretary_edits_a_member(site: Site, bt_a: Any) -> None:
    path = profile_path(site)
    logged = audit_count(site)
    sha = sha_of(text_of(bt_a.get(f"{ROSTER}/m05")))
    resp = post(bt_a, f"{ROSTER}/m05", {**member_fields("Hoàng Văn Em", "3/2/2012", "3/2/2013", left="1/2/2026"),
                                        "sha": sha, "exempt-0-from": "1/1/2025", "exempt-0-to": "31/12/2025",
                                        "exempt-0-note": "ốm dài ngày"})
    assert resp.status_code == 302 and resp.headers["Location"] == f"{ROSTER}/m05"
    member = load_profile(path).member("m05")
    assert member is not None and member.left == dt.date(2026, 2, 1)
    assert [(p.start, p.end, p.note) for p in member.exempt] == [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), "ốm dài ngày")]
    text = path.read_text(encoding="utf-8")
    assert "  - {id: m04, name: Phạm Văn Dũng, admitted: 1985-12-22, official: 1986-12-22}\n" in text
    assert "reason: ốm dài ngày" in text  # the note under the kind's own key
    lines = audit.read(site.root)[logged:]
    assert [(e["op"], e["user"], e["cell"], e["member"]) for e in lines] == [("roster-edit", "bt.a", CELL_A, "m05")]
    page = text_of(bt_a.get(f"{ROSTER}/m05"))
    assert "Đã lưu đảng viên m05" in page and "Chuyển đi / thôi sinh hoạt tại chi bộ" in page
    assert "Hết thời gian miễn công tác và sinh hoạt đảng (ngày cuối)" in page
    assert totals_of(text_of(bt_a.get(ROSTER)))["Tổng số đảng viên"] == 21  # m05 left on 1/2/2026


def test_a_bad_date_is_shown_under_its_field_and_nothing_is_written(site: Site, bt_a: Any) -> None:
    path = profile_path(site)
    before, logged = path.read_bytes(), audit_count(site)
    sha = sha_of(text_of(bt_a.get(f"{ROSTER}/m05")))
    resp = post(bt_a, f"{ROSTER}/m05", {**member_fields("Hoàng Văn Em", "3/2/2012", "30/2/2013"), "sha": sha})
    assert resp.status_code == 400
    page = text_of(resp)
    no_inline_code(page)
    under = errors_under(page, "official")
    assert "Ngày chuyển chính thức: ngày không có thật: 30/2/2013" in under
    assert "cách sửa: kiểm tra ngày và tháng" in under
    assert errors_under(page, "admitted").strip() == ""  # only the bad field
    assert 'value="30/2/2013"' in page and sha_of(page) == sha
    assert path.read_bytes() == before and audit_count(site) == logged


def test_removing_a_period_and_saving_unchanged(site: Site, bt_a: Any) -> None:
    path = profile_path(site)
    page = text_of(bt_a.get(f"{ROSTER}/m20"))
    sha = sha_of(page)
    same = {**member_fields("Kiều Văn Vinh", "19/5/1968", "19/5/1969"), "sha": sha,
            "exempt-0-from": "1/1/2024", "exempt-0-to": "", "exempt-0-note": "tuổi cao, sức khỏe yếu"}
    before, logged = path.read_bytes(), audit_count(site)
    assert post(bt_a, f"{ROSTER}/m20", same).status_code == 302
    assert path.read_bytes() == before and audit_count(site) == logged  # nothing changed, nothing logged
    assert "Không có gì thay đổi." in text_of(bt_a.get(f"{ROSTER}/m20"))

    assert post(bt_a, f"{ROSTER}/m20", {**same, "exempt-0-remove": "1"}).status_code == 302
    member = load_profile(path).member("m20")
    assert member is not None and member.exempt == ()
    assert audit.read(site.root)[-1]["op"] == "roster-edit"
    assert totals_of(text_of(bt_a.get(ROSTER)))["Miễn sinh hoạt"] == 0


def test_a_change_made_meanwhile_is_not_overwritten(site: Site, bt_a: Any) -> None:
    path = profile_path(site)
    sha = sha_of(text_of(bt_a.get(f"{ROSTER}/m05")))
    changed = path.read_text(encoding="utf-8").replace("Vũ Thị Phương", "Vũ Thị Phương Anh")
    path.write_text(changed, encoding="utf-8")  # someone edits the file by hand meanwhile
    edited, logged = path.read_bytes(), audit_count(site)
    resp = post(bt_a, f"{ROSTER}/m05", {**member_fields("Hoàng Văn Êm", "3/2/2012", "3/2/2013"), "sha": sha})
    assert resp.status_code == 409
    page = text_of(resp)
    assert "Danh sách vừa được người khác sửa" in page and "chưa được lưu" in page
    assert path.read_bytes() == edited and audit_count(site) == logged
    assert sha_of(page) == read_roster(path).sha256 != sha  # the fresh page, the new version
    assert 'name="name" value="Hoàng Văn Em"' in page  # the roster as it is now
    assert "Hoàng Văn Êm" in page[page.index("roster-typed"):]  # what was typed, shown aside
    resp = post(bt_a, f"{ROSTER}/m05", {**member_fields("Hoàng Văn Êm", "3/2/2012", "3/2/2013"),
                                        "sha": sha_of(page)})
    assert resp.status_code == 302
    profile = load_profile(path)
    assert profile.name_of("m05") == "Hoàng Văn Êm" and profile.name_of("m06") == "Vũ Thị Phương Anh"


# ------------------------------------------------------------------ importing
SHEET: list[list[object]] = [
    ["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN AN THÀNH"],  # row 1: a title
    [],
    ["STT", "Họ và tên", "Ngày vào Đảng", "Ngày chính thức", "Ghi chú"],  # row 3: the header
    [1, "Nguyễn Văn An", dt.datetime(1998, 5, 19), dt.datetime(1999, 5, 19), ""],  # row 4: unchanged
    [2, "PHẠM VĂN DŨNG", "22/12/1985", "22/12/1987", "sửa ngày chính thức"],  # row 5: update
    [3, "Lê Thị Mới", "2/9/2025", None, "kết nạp lớp 2025"],  # row 6: add
    [4, "Người Sai Ngày", "30/2/2020", "", ""],  # row 7: no such date
    [5, "Chính Thức Sớm", "1/3/2020", "1/1/2020", ""],  # row 8: official before admitted
    [6, "", "1/3/2020", "", ""],  # row 9: no name
]


def test_import_an_xlsx_with_good_and_bad_rows(site: Site, bt_a: Any) -> None:
    path = profile_path(site)
    before, logged = path.read_bytes(), audit_count(site)
    assert "Chọn tệp" in text_of(bt_a.get(f"{ROSTER}/import"))
    resp = upload(bt_a, xlsx_bytes(SHEET), "danh-sach.xlsx")
    assert resp.status_code == 200
    page = text_of(resp)
    no_inline_code(page)
    assert path.read_bytes() == before and audit_count(site) == logged  # a preview writes nothing
    assert "1 đảng viên mới, 1 cập nhật, 1 không đổi, 3 dòng lỗi (không nhập)" in page
    assert "Dòng tiêu đề: 3" in page and "danh-sach.xlsx" in page
    assert preview_row(page, 4)[0] == "unchanged"
    action, text = preview_row(page, 5)
    assert action == "update" and "ngày chính thức: 22/12/1986 → 22/12/1987" in text
    action, text = preview_row(page, 6)
    assert action == "add" and "m23" in text and "kết nạp lớp 2025" in text
    action, text = preview_row(page, 7)
    assert action == "error" and "Dòng 7, cột Ngày vào Đảng (C): ngày không có thật: 30/2/2020" in text
    action, text = preview_row(page, 8)
    assert action == "error" and "Dòng 8" in text and "trước ngày kết nạp 1/3/2020" in text
    action, text = preview_row(page, 9)
    assert action == "error" and "Dòng 9" in text and "chưa ghi" in text
    assert len(stored_uploads(site)) == 2  # the sheet and what it is, waiting for the confirmation

    resp = post(bt_a, f"{ROSTER}/import", confirm_fields(page))
    assert resp.status_code == 302 and resp.headers["Location"] == ROSTER
    profile = load_profile(path)
    added = profile.member("m23")
    assert added is not None and added.name == "Lê Thị Mới" and added.admitted == dt.date(2025, 9, 2)
    dung = profile.member("m04")
    assert dung is not None and dung.official == dt.date(1987, 12, 22)
    assert len(profile.members) == 24  # only the good rows: 23 + 1
    text = path.read_text(encoding="utf-8")
    assert "Người Sai Ngày" not in text and "Chính Thức Sớm" not in text
    lines = audit.read(site.root)[logged:]
    assert len(lines) == 1
    assert {k: lines[0][k] for k in ("op", "user", "cell", "added", "updated", "unchanged", "skipped")} == {
        "op": "roster-import", "user": "bt.a", "cell": CELL_A, "added": 1, "updated": 1, "unchanged": 1,
        "skipped": 3}
    assert stored_uploads(site) == []
    page = text_of(bt_a.get(ROSTER))
    assert "Đã thêm 1 đảng viên, cập nhật 1, 1 không đổi, bỏ qua 3 dòng lỗi." in page

    page = text_of(upload(bt_a, xlsx_bytes(SHEET), "x.xlsx"))  # the same sheet again
    assert "0 đảng viên mới, 0 cập nhật, 3 không đổi, 3 dòng lỗi" in page
    assert "Không có dòng nào để ghi" in page and 'name="upload"' not in page
    assert stored_uploads(site) == []


def test_import_a_csv(site: Site, bt_a: Any) -> None:
    path = profile_path(site)
    logged = audit_count(site)
    sheet = ("Họ và tên;Ngày vào Đảng;Ngày chính thức\n"
             "Đoàn Văn Mạnh;15/4/2024;15/4/2025\n"
             "Sai Dòng;15/13/2024;\n").encode("utf-8-sig")
    page = text_of(upload(bt_a, sheet, "ds.csv"))
    assert preview_row(page, 2)[0] == "add"
    action, text = preview_row(page, 3)
    assert action == "error" and text.count("Dòng 3") == 1 and "15/13/2024" in text
    assert "Xác nhận nhập 1 dòng hợp lệ" in page

    resp = post(bt_a, f"{ROSTER}/import", confirm_fields(page))
    assert resp.status_code == 302
    profile = load_profile(path)
    added = profile.member("m23")
    assert added is not None and added.name == "Đoàn Văn Mạnh" and added.official == dt.date(2025, 4, 15)
    assert profile.member("m24") is None and "Sai Dòng" not in path.read_text(encoding="utf-8")
    assert [(e["op"], e["user"], e["added"]) for e in audit.read(site.root)[logged:]] == [
        ("roster-import", "bt.a", 1)]
    resp = post(bt_a, f"{ROSTER}/import", confirm_fields(page))  # confirmed once only
    assert resp.status_code == 410 and "đã hết hạn" in text_of(resp)
    assert len(load_profile(path).members) == 24


def test_a_change_after_the_preview_is_not_overwritten(site: Site, bt_a: Any) -> None:
    path = profile_path(site)
    page = text_of(upload(bt_a, xlsx_bytes(SHEET), "danh-sach.xlsx"))
    path.write_text(path.read_text(encoding="utf-8") + "# sửa tay\n", encoding="utf-8")
    edited, logged = path.read_bytes(), audit_count(site)
    resp = post(bt_a, f"{ROSTER}/import", confirm_fields(page))
    assert resp.status_code == 409
    fresh = text_of(resp)
    assert "Danh sách vừa được người khác sửa sau khi bạn xem trước, nên chưa nhập gì" in fresh
    assert path.read_bytes() == edited and audit_count(site) == logged
    assert confirm_fields(fresh)["sha"] == read_roster(path).sha256
    assert preview_row(fresh, 6)[0] == "add"  # the new preview
    assert post(bt_a, f"{ROSTER}/import", confirm_fields(fresh)).status_code == 302
    assert load_profile(path).name_of("m23") == "Lê Thị Mới"
    assert path.read_text(encoding="utf-8").count("# sửa tay") == 1


@pytest.mark.parametrize(("content", "filename", "expected"), [
    (b"a" * (MAX_IMPORT_BYTES + 1), "lon.csv", ["tệp quá lớn (hơn 2 MB)", "lon.csv"]),
    (b"not a workbook", "hong.xlsx", ["tệp Excel bị hỏng hoặc không phải tệp .xlsx", "Cách sửa"]),
    (b"%PDF-1.4 ...", "ds.pdf", ["docgen không nhập được tệp .pdf"]),
    ("Tên;Tuổi\nAn;30\n".encode(), "ds.csv", ["không tìm thấy dòng tiêu đề"]),
    ("Ho va ten,Ngày vào Dang\nAn,1/1/2020\n".encode("cp1258"), "ds.csv", ["không phải UTF-8"]),
], ids=["too large", "not xlsx", "pdf", "no header", "not utf-8"])
def test_a_bad_file_is_explained(site: Site, bt_a: Any, content: bytes, filename: str,
                                 expected: list[str]) -> None:
    path = profile_path(site)
    before, logged = path.read_bytes(), audit_count(site)
    resp = upload(bt_a, content, filename)
    assert resp.status_code == 400
    page = text_of(resp)
    error = html.unescape(page[page.index('class="error"'):])
    for part in expected:
        assert part in error, (part, error[:1500])
    assert str(site.root) not in error
    assert 'name="upload"' not in page  # nothing to confirm
    assert path.read_bytes() == before and audit_count(site) == logged and stored_uploads(site) == []


def test_no_file_chosen(site: Site, bt_a: Any) -> None:
    resp = post(bt_a, f"{ROSTER}/import", {})
    assert resp.status_code == 400 and "Chưa chọn tệp danh sách đảng viên" in text_of(resp)


def test_a_forged_confirmation_is_refused(site: Site, bt_a: Any) -> None:
    path = profile_path(site)
    before = path.read_bytes()
    sha = read_roster(path).sha256
    for fields in ({"upload": "../../users", "sha": sha}, {"upload": "A" * 32, "sha": sha},
                   {"upload": "A" * 32, "sha": "../x"}):
        resp = post(bt_a, f"{ROSTER}/import", {**fields, "confirm": "1"})
        assert resp.status_code == 410 and "đã hết hạn" in text_of(resp)
    page = text_of(upload(bt_a, xlsx_bytes(SHEET), "danh-sach.xlsx"))
    Accounts(site.root).add("bt.a2", "secretary", PASSWORD, [CELL_A], actor="test")
    other = site.client("bt.a2")  # writes the cell, but did not upload this sheet
    resp = post(other, f"{ROSTER}/import", confirm_fields(page))
    assert resp.status_code == 410 and "đã hết hạn" in text_of(resp)
    assert post(site.client("admin"), f"{ROSTER}/import", confirm_fields(page)).status_code == 403
    assert path.read_bytes() == before
    assert post(bt_a, f"{ROSTER}/import", confirm_fields(page)).status_code == 302  # its own: still there


def test_an_old_upload_expires(site: Site, bt_a: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    path = profile_path(site)
    before = path.read_bytes()
    page = text_of(upload(bt_a, xlsx_bytes(SHEET), "danh-sach.xlsx"))
    assert len(stored_uploads(site)) == 2
    monkeypatch.setattr(roster_screen, "IMPORT_TTL", -1.0)
    resp = post(bt_a, f"{ROSTER}/import", confirm_fields(page))
    assert resp.status_code == 410 and "đã hết hạn" in text_of(resp)
    assert stored_uploads(site) == [] and path.read_bytes() == before


# ------------------------------------------------------------------ who may
def test_another_cells_secretary_gets_404(site: Site) -> None:
    path = profile_path(site)
    before, logged = path.read_bytes(), audit_count(site)
    client = site.client("bt.b")
    for url in (ROSTER, f"{ROSTER}/m01", f"{ROSTER}/new", f"{ROSTER}/import"):
        assert client.get(url).status_code == 404, url
    token = csrf_of(client, f"/cell/{CELL_B}/roster")
    sha = read_roster(path).sha256
    assert post(client, f"{ROSTER}/m01", {**member_fields("X", "1/1/2020"), "sha": sha}, token).status_code == 404
    assert post(client, f"{ROSTER}/new", member_fields("X", "1/1/2020"), token).status_code == 404
    assert upload(client, xlsx_bytes(SHEET), "ds.xlsx", token).status_code == 404
    assert path.read_bytes() == before and audit_count(site) == logged
    page = text_of(client.get(f"/cell/{CELL_B}/roster"))  # its own cell
    assert "CHI BỘ THÔN BÌNH MINH" in page and "Thêm đảng viên" in page
    assert 'name="sha"' in text_of(client.get(f"/cell/{CELL_B}/roster/m01"))


@pytest.mark.parametrize("login", ["ubnd", "admin"])
def test_committee_and_an_unassigned_admin_only_read(site: Site, login: str) -> None:
    path = profile_path(site)
    before, logged = path.read_bytes(), audit_count(site)
    client = site.client(login)
    page = text_of(client.get(ROSTER))
    assert totals_of(page)["Tổng số đảng viên"] == 22
    assert "Thêm đảng viên" not in page and f"{ROSTER}/import" not in page
    page = text_of(client.get(f"{ROSTER}/m20"))
    assert "Kiều Văn Vinh" in page and "Bắt đầu miễn công tác" in page
    assert 'name="sha"' not in page and "Bạn chỉ được xem" in page
    assert client.get(f"{ROSTER}/new").status_code == 403
    assert client.get(f"{ROSTER}/import").status_code == 403
    assert client.get(f"/cell/{CELL_B}/roster").status_code == 200  # every cell
    token = csrf_of(client, ROSTER)
    sha = read_roster(path).sha256
    assert post(client, f"{ROSTER}/m20", {**member_fields("X", "1/1/2020"), "sha": sha}, token).status_code == 403
    assert post(client, f"{ROSTER}/new", member_fields("X", "1/1/2020"), token).status_code == 403
    assert upload(client, xlsx_bytes(SHEET), "ds.xlsx", token).status_code == 403
    assert path.read_bytes() == before and audit_count(site) == logged


def test_an_admin_assigned_the_cell_writes(site: Site) -> None:
    Accounts(site.root).set_cells("admin", [CELL_A], actor="test")
    client = site.client("admin")
    resp = post(client, f"{ROSTER}/new", member_fields("Lê Văn Quản", "1/3/2021"))
    assert resp.status_code == 302
    assert load_profile(profile_path(site)).name_of("m23") == "Lê Văn Quản"
    assert (audit.read(site.root)[-1]["op"], audit.read(site.root)[-1]["user"]) == ("roster-add", "admin")


def test_writes_need_the_csrf_token(site: Site, bt_a: Any) -> None:
    path = profile_path(site)
    before, logged = path.read_bytes(), audit_count(site)
    sha = sha_of(text_of(bt_a.get(f"{ROSTER}/m05")))
    edit = {**member_fields("Hoàng Văn Êm", "3/2/2012"), "sha": sha}
    assert bt_a.post(f"{ROSTER}/m05", data=edit).status_code == 400
    assert post(bt_a, f"{ROSTER}/m05", edit, token="wrong").status_code == 400
    assert bt_a.post(f"{ROSTER}/new", data=member_fields("X", "1/1/2020")).status_code == 400
    assert upload(bt_a, xlsx_bytes(SHEET), "ds.xlsx", token="wrong").status_code == 400
    page = text_of(upload(bt_a, xlsx_bytes(SHEET), "ds.xlsx"))
    assert bt_a.post(f"{ROSTER}/import", data=confirm_fields(page)).status_code == 400
    assert path.read_bytes() == before and audit_count(site) == logged


def test_logged_out_goes_to_the_login(site: Site) -> None:
    resp = site.client().get(ROSTER)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


# ------------------------------------------------------------------ escaping
def test_a_hostile_name_is_stored_literally_and_shown_escaped(site: Site, bt_a: Any) -> None:
    path = profile_path(site)
    resp = post(bt_a, f"{ROSTER}/new", member_fields(HOSTILE, "1/3/2021"))
    assert resp.status_code == 302
    assert HOSTILE in path.read_text(encoding="utf-8")
    assert load_profile(path).name_of("m23") == HOSTILE
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; {{ 7*7 }}"
    for url in (resp.headers["Location"], ROSTER):
        page = text_of(bt_a.get(url))
        assert escaped in page and "<script>alert(1)" not in page, url
        no_inline_code(page)

    sheet = xlsx_bytes([["Họ và tên", "Ngày vào Đảng"], ["<b>x</b> {{ 7*7 }}", "1/3/2021"],
                        ["<img src=x onerror=alert(2)>", "31/2/2021"]])
    page = text_of(upload(bt_a, sheet, "<i>ds.xlsx"))
    assert "&lt;b&gt;x&lt;/b&gt; {{ 7*7 }}" in page and "<b>x</b>" not in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page and "<img src=x" not in page
    assert "&lt;i&gt;ds.xlsx" in page and "<i>ds" not in page
    assert post(bt_a, f"{ROSTER}/import", confirm_fields(page)).status_code == 302
    assert load_profile(path).name_of("m24") == "<b>x</b> {{ 7*7 }}"
