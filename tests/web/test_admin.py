"""Administration on the web (docgen.web.admin): cells from an uploaded profile, accounts
(add, cells, disable/enable, password, API token), admin only, every change in the audit
log with the admin's login, hostile text escaped."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from conftest import CELL_A, CELL_B, EXAMPLES, PASSWORD, Site, csrf_of, log_in
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from docgen.accounts import Accounts, User
from docgen.archive import audit
from docgen.archive.filters import DocFilter
from docgen.cells import Cells
from docgen.web.reads import Reader

NAME_C = "CHI BỘ THÔN CẨM LỘ"
NEW_PASSWORD = "mot-mat-khau-moi"


def profile_c() -> bytes:
    text = (EXAMPLES / "profile.yaml").read_text(encoding="utf-8")
    return text.replace("AN THÀNH", "CẨM LỘ").replace("An Thành", "Cẩm Lộ").encode("utf-8")


def accounts(site: Site) -> Accounts:
    return Accounts(site.root)


def user_of(site: Site, login: str) -> User:
    user = accounts(site).get(login)
    assert user is not None, login
    return user


def post(client: Any, url: str, data: dict[str, Any], token: str | None = None) -> Any:
    form = MultiDict(data)
    form.setlist("cells", list(data.get("cells", ())))
    form["csrf_token"] = csrf_of(client, "/admin") if token is None else token
    return client.post(url, data=form)


def upload_profile(client: Any, content: bytes, cell_id: str = "", name: str = "profile.yaml",
                   token: str | None = None) -> Any:
    form = MultiDict({"csrf_token": csrf_of(client, "/admin") if token is None else token,
                      "cell_id": cell_id,
                      "profile": FileStorage(io.BytesIO(content), filename=name,
                                             content_type="application/x-yaml")})
    boundary, body = encode_multipart(form)
    return client.post("/admin/cells", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def text_of(resp: Any) -> str:
    return str(resp.get_data(as_text=True))


def cell_count(page: str, cell_id: str) -> int:
    found = re.search(rf"<tr><td><code>{re.escape(cell_id)}</code></td>.*?"
                      r'<td class="admin-count">(\d+)</td>', page, re.S)
    assert found, page[:3000]
    return int(found.group(1))


def audit_since(site: Site, start: int) -> list[dict[str, Any]]:
    return audit.read(site.root)[start:]


def leftovers(site: Site) -> list[str]:
    return sorted(p.name for p in (site.root / ".docgen").glob("cell-*"))


@pytest.fixture
def admin(site: Site) -> Any:
    return site.client("admin")


# -------------------------------------------------------------------- roles
def test_only_the_admin_administers(site: Site) -> None:
    for login in ("bt.a", "ubnd"):
        client = site.client(login)
        for path in ("/admin", "/admin/users/bt.b"):
            assert client.get(path).status_code == 403, (login, path)
        token = csrf_of(client, "/password")
        resp = post(client, "/admin/users", {"login": "ke.la", "role": "admin", "password": PASSWORD,
                                             "again": PASSWORD}, token=token)
        assert resp.status_code == 403
        assert post(client, "/admin/users/bt.b/disable", {}, token=token).status_code == 403
        assert upload_profile(client, profile_c(), "cam-lo", token=token).status_code == 403
    assert accounts(site).get("ke.la") is None and not user_of(site, "bt.b").disabled
    assert [e.id for e in Cells(site.settings).entries()] == [CELL_A, CELL_B]
    page = text_of(site.client("admin").get("/admin"))
    assert "Quản trị" in page and "Các chi bộ của kho (2)" in page and "Tài khoản (4)" in page


def test_changes_need_the_csrf_token(site: Site, admin: Any) -> None:
    logged = len(audit.read(site.root))
    resp = admin.post("/admin/users", data={"login": "ke.la", "role": "admin",
                                            "password": PASSWORD, "again": PASSWORD})
    assert resp.status_code == 400
    assert post(admin, "/admin/users/bt.a/disable", {}, token="wrong").status_code == 400
    assert upload_profile(admin, profile_c(), "cam-lo", token="wrong").status_code == 400
    assert accounts(site).get("ke.la") is None and not user_of(site, "bt.a").disabled
    assert Cells(site.settings).registered()[-1].id == CELL_B
    assert len(audit.read(site.root)) == logged


# -------------------------------------------------------------------- cells
def test_cells_are_listed_with_their_papers(site: Site, admin: Any) -> None:
    page = text_of(admin.get("/admin"))
    reader = Reader(site.settings, user_of(site, "admin"), site.app.config["INDEX"])
    try:
        for entry in Cells(site.settings).entries():
            expected = len(reader.list(DocFilter(cell=entry.name)))
            assert expected > 0 and cell_count(page, entry.id) == expected, entry.id
            assert entry.name in page and f"cells/{entry.id}/profile.yaml" in page
    finally:
        reader.close()
    assert cell_count(page, CELL_B) == 2


def test_add_a_cell_and_a_user_for_it(site: Site, admin: Any) -> None:
    logged = len(audit.read(site.root))
    resp = upload_profile(admin, profile_c(), "cam-lo")
    assert resp.status_code == 302 and resp.headers["Location"] == "/admin"
    page = text_of(admin.get("/admin"))
    assert "Đã thêm chi bộ cam-lo: CHI BỘ THÔN CẨM LỘ" in page
    assert cell_count(page, "cam-lo") == 0 and "cells/cam-lo/profile.yaml" in page
    entry = Cells(site.settings).get("cam-lo")
    assert entry.name == NAME_C and entry.profile_path.read_bytes() == profile_c()
    assert leftovers(site) == []
    assert 'name="cells" value="cam-lo"' in page  # offered to new accounts

    resp = post(admin, "/admin/users", {"login": "bt.c", "role": "secretary", "cells": ["cam-lo"],
                                        "password": PASSWORD, "again": PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"] == "/admin/users/bt.c"
    assert "Đã tạo tài khoản bt.c." in text_of(admin.get("/admin/users/bt.c"))
    user = user_of(site, "bt.c")
    assert (user.role, user.cells, user.disabled) == ("secretary", ("cam-lo",), False)
    lines = audit_since(site, logged)
    assert [(e["op"], e["user"]) for e in lines] == [("cell-add", "admin"), ("user-add", "admin")]
    assert lines[0]["cell"] == "cam-lo" and lines[1]["login"] == "bt.c"

    client = site.client()
    log_in(client, "bt.c")  # the new account logs in
    assert client.get("/password").status_code == 200
    assert "Soạn mới" in text_of(client.get("/password"))  # it writes for a cell
    assert client.get("/admin").status_code == 403
    reader = Reader(site.settings, user_of(site, "bt.c"), site.app.config["INDEX"])
    try:
        assert [c.id for c in reader.my_cells()] == ["cam-lo"]
        assert [c.id for c in reader.writable_cells()] == ["cam-lo"]
        assert reader.list(DocFilter()) == []  # not the papers of the other cells
    finally:
        reader.close()


def test_cell_id_defaults_to_the_name(site: Site, admin: Any) -> None:
    assert upload_profile(admin, profile_c()).status_code == 302
    assert Cells(site.settings).get("cam-lo").name == NAME_C


def _missing_name() -> bytes:
    return profile_c().replace("  name: CHI BỘ THÔN CẨM LỘ\n".encode(), b"")


@pytest.mark.parametrize(("content", "cell_id", "expected"), [
    (_missing_name(), "cam-lo", ["Thiếu Tên chi bộ", "Trường: cell.name", "Cách sửa: thêm dòng",
                                 "Tệp: ho-so.yaml"]),
    (b"cell: [CHI BO\n", "cam-lo", ["chưa được đóng", "Cách sửa"]),
    (profile_c(), "Cam Lo", ["mã chi bộ không hợp lệ", "Trường: id", "chữ thường không dấu"]),
    (profile_c(), CELL_A, [f"đã có chi bộ mã {CELL_A}", "Trường: id", "chọn mã khác"]),
    ((EXAMPLES / "profile.yaml").read_bytes(), "an-thanh-2", ["đã có trong kho (mã an-thanh)"]),
    (b"# " + b"x" * (300 * 1024), "cam-lo", ["quá lớn", "256 KB"]),
], ids=["no name", "bad yaml", "bad id", "id taken", "same cell", "too large"])
def test_bad_profile_is_explained(site: Site, admin: Any, content: bytes, cell_id: str,
                                  expected: list[str]) -> None:
    logged = len(audit.read(site.root))
    resp = upload_profile(admin, content, cell_id, name="ho-so.yaml")
    assert resp.status_code == 400
    page = text_of(resp)
    error = page[page.index('class="error"'):]
    for part in expected:
        assert part in error, (part, error[:1500])
    assert ".docgen/cell-" not in page and "/tmp/" not in error[:1500]
    assert [e.id for e in Cells(site.settings).entries()] == [CELL_A, CELL_B]
    assert len(audit.read(site.root)) == logged and leftovers(site) == []
    assert f'value="{cell_id}"' in page  # the id typed is kept


def test_no_profile_chosen(site: Site, admin: Any) -> None:
    resp = post(admin, "/admin/cells", {"cell_id": "cam-lo"})
    assert resp.status_code == 400 and "Chưa chọn tệp hồ sơ chi bộ" in text_of(resp)


# -------------------------------------------------------------------- users
@pytest.mark.parametrize(("form", "expected"), [
    ({"login": "bt.c", "role": "secretary", "cells": [CELL_A], "password": PASSWORD,
      "again": PASSWORD + "x"}, "Hai lần gõ mật khẩu không giống nhau"),
    ({"login": "Bí Thư", "role": "secretary", "cells": [CELL_A], "password": PASSWORD,
      "again": PASSWORD}, "tên đăng nhập không hợp lệ"),
    ({"login": "bt.c", "role": "secretary", "password": PASSWORD, "again": PASSWORD},
     "bí thư phải được giao ít nhất một chi bộ"),
    ({"login": "bt.c", "role": "secretary", "cells": ["khong-co"], "password": PASSWORD,
      "again": PASSWORD}, "không có chi bộ mã &#39;khong-co&#39;"),
    ({"login": "bt.c", "role": "boss", "password": PASSWORD, "again": PASSWORD},
     "vai trò không hợp lệ"),
    ({"login": "bt.c", "role": "committee", "password": "ngan", "again": "ngan"},
     "mật khẩu quá ngắn"),
    ({"login": "bt.a", "role": "committee", "password": PASSWORD, "again": PASSWORD},
     "đã có tài khoản bt.a"),
], ids=["passwords differ", "bad login", "no cell", "unknown cell", "bad role", "short", "taken"])
def test_bad_new_account_is_explained(site: Site, admin: Any, form: dict[str, Any],
                                      expected: str) -> None:
    before = [u.public() for u in accounts(site).users()]
    resp = post(admin, "/admin/users", form)
    assert resp.status_code == 400
    page = text_of(resp)
    assert expected in page[page.index('class="error"'):], page[:3000]
    assert [u.public() for u in accounts(site).users()] == before
    assert 'name="password"' in page and PASSWORD not in page  # no password sent back


def test_change_the_cells_of_a_user(site: Site, admin: Any) -> None:
    resp = post(admin, "/admin/users/bt.a/cells", {"cells": [CELL_A, CELL_B]})
    assert resp.status_code == 302
    assert user_of(site, "bt.a").cells == (CELL_A, CELL_B)
    page = text_of(admin.get("/admin/users/bt.a"))
    assert f'value="{CELL_B}" checked' in page and f'value="{CELL_A}" checked' in page
    assert audit.read(site.root)[-1]["op"] == "user-cells"
    assert audit.read(site.root)[-1]["user"] == "admin"

    resp = post(admin, "/admin/users/bt.a/cells", {"cells": []})
    assert resp.status_code == 400 and "ít nhất một chi bộ" in text_of(resp)
    resp = post(admin, "/admin/users/bt.a/cells", {"cells": ["khong-co"]})
    assert resp.status_code == 400 and "không có chi bộ mã" in text_of(resp)
    assert user_of(site, "bt.a").cells == (CELL_A, CELL_B)
    assert admin.get("/admin/users/khong-co-ai").status_code == 404


def test_disable_ends_the_session_and_the_login(site: Site, admin: Any) -> None:
    secretary = site.client("bt.a")
    assert secretary.get("/password").status_code == 200
    resp = post(admin, "/admin/users/bt.a/disable", {})
    assert resp.status_code == 302
    assert user_of(site, "bt.a").disabled
    assert "Đã khóa tài khoản bt.a" in text_of(admin.get("/admin/users/bt.a"))
    line = audit.read(site.root)[-1]
    assert (line["op"], line["user"], line["login"]) == ("user-disable", "admin", "bt.a")

    resp = secretary.get("/password")  # the next request: the session has ended
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")
    client = site.client()
    resp = client.post("/login", data={"login": "bt.a", "password": PASSWORD,
                                       "csrf_token": csrf_of(client)})
    assert resp.status_code == 401
    assert "đã khóa" in text_of(admin.get("/admin"))

    assert post(admin, "/admin/users/bt.a/enable", {}).status_code == 302
    assert not user_of(site, "bt.a").disabled
    log_in(site.client(), "bt.a")


def test_an_admin_cannot_disable_themselves(site: Site, admin: Any) -> None:
    page = text_of(admin.get("/admin/users/admin"))
    assert "/admin/users/admin/disable" not in page  # not offered
    resp = post(admin, "/admin/users/admin/disable", {})
    assert resp.status_code == 400 and "không thể tự khóa" in text_of(resp)
    assert not user_of(site, "admin").disabled and accounts(site).has_admin()
    assert admin.get("/admin").status_code == 200

    accounts(site).add("admin2", "admin", PASSWORD, actor="test")  # another admin: may be disabled
    assert post(admin, "/admin/users/admin2/disable", {}).status_code == 302
    assert user_of(site, "admin2").disabled and not user_of(site, "admin").disabled


def test_set_a_new_password(site: Site, admin: Any) -> None:
    secretary = site.client("bt.a")
    resp = post(admin, "/admin/users/bt.a/password", {"password": NEW_PASSWORD, "again": "khac"})
    assert resp.status_code == 400 and "không giống nhau" in text_of(resp)
    resp = post(admin, "/admin/users/bt.a/password", {"password": "ngan", "again": "ngan"})
    assert resp.status_code == 400 and "mật khẩu quá ngắn" in text_of(resp)
    assert secretary.get("/password").status_code == 200  # nothing changed yet

    resp = post(admin, "/admin/users/bt.a/password", {"password": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert resp.status_code == 302
    assert audit.read(site.root)[-1]["op"] == "user-password"
    assert secretary.get("/password").status_code == 302  # its older session ended
    client = site.client()
    resp = client.post("/login", data={"login": "bt.a", "password": PASSWORD,
                                       "csrf_token": csrf_of(client)})
    assert resp.status_code == 401
    log_in(site.client(), "bt.a", NEW_PASSWORD)

    resp = post(admin, "/admin/users/admin/password", {"password": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert resp.status_code == 302
    assert admin.get("/admin").status_code == 200  # the admin's own session goes on
    log_in(site.client(), "admin", NEW_PASSWORD)


def test_create_an_api_token(site: Site, admin: Any) -> None:
    resp = post(admin, "/admin/users/ubnd/token", {})
    assert resp.status_code == 200
    page = text_of(resp)
    found = re.search(r'<code class="admin-secret">(dg_[A-Za-z0-9_-]+)</code>', page)
    assert found, page[:3000]
    token = found.group(1)
    assert "chỉ hiện một lần" in page
    assert token not in text_of(admin.get("/admin/users/ubnd"))  # shown once
    user = accounts(site).user_for_token(token)
    assert user is not None and user.login == "ubnd"
    assert audit.read(site.root)[-1]["op"] == "user-token"

    client = site.app.test_client()  # no session: the token alone
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/search", query_string={"q": "nghị quyết"}, headers=bearer).status_code != 401
    assert client.get("/api/search", headers={"Authorization": "Bearer dg_wrong"}).status_code == 401

    post(admin, "/admin/users/ubnd/disable", {})  # disabling revokes every token
    assert accounts(site).user_for_token(token) is None
    assert client.get("/api/search", headers=bearer).status_code == 401
    resp = post(admin, "/admin/users/ubnd/token", {})
    assert resp.status_code == 400 and "không có tài khoản đang dùng ubnd" in text_of(resp)


# ------------------------------------------------------------------ escaping
def test_hostile_text_is_escaped(site: Site, admin: Any) -> None:
    page = text_of(post(admin, "/admin/users", {"login": "<script>alert(1)</script>",
                                                "role": "committee", "password": PASSWORD,
                                                "again": PASSWORD}))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    page = text_of(upload_profile(admin, profile_c(), '<img src=x onerror="alert(1)">'))
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page

    hostile = profile_c().replace("CHI BỘ THÔN CẨM LỘ".encode(),
                                  '"CHI BỘ <script>alert(2)</script> & <b>X</b>"'.encode())
    resp = upload_profile(admin, hostile, "hostile", name="<b>ho-so</b>.yaml")
    assert resp.status_code == 302
    page = text_of(admin.get("/admin"))
    assert "<SCRIPT>ALERT(2)" not in page and "<B>X</B>" not in page
    assert "CHI BỘ &lt;SCRIPT&gt;ALERT(2)&lt;/SCRIPT&gt; &amp; &lt;B&gt;X&lt;/B&gt;" in page
    page = text_of(admin.get("/admin/users/bt.a"))
    assert "&lt;SCRIPT&gt;ALERT(2)" in page and "<SCRIPT>" not in page


def test_admin_screens_in_english(site: Site, admin: Any) -> None:
    admin.get("/lang/en")
    page = text_of(admin.get("/admin"))
    assert "Administration" in page and "Add a cell" in page and "Add an account" in page
    assert "Quản trị" not in page
    resp = post(admin, "/admin/users/bt.a/cells", {"cells": []})
    assert "A secretary needs at least one cell" in text_of(resp)


def test_a_broken_cell_profile_hides_that_cell_only(site: Site) -> None:
    broken = site.root / "cells" / "binh-minh" / "profile.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "\nbogus: [\n", encoding="utf-8")
    writer = site.client("bt.a")
    assert writer.get("/").status_code == 200
    assert writer.get("/search?q=ve+sinh").status_code == 200
    other = site.client("bt.b")
    assert other.get("/cell/binh-minh").status_code == 404  # nobody's until it is mended
    page = site.client("admin").get("/admin").get_data(as_text=True)
    assert "Hồ sơ chi bộ binh-minh" in page and "không đọc được" in page
