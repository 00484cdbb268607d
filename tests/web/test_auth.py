"""Logging in and out, sessions, CSRF, throttling, the language switch (docgen.web.auth)."""

from __future__ import annotations

from conftest import PASSWORD, Site, csrf_of, log_in

from docgen.accounts import FREE_FAILURES, Accounts
from docgen.web import create_app
from docgen.web.app import WebConfig


def test_pages_need_a_login(site: Site) -> None:
    client = site.client()
    for path in ("/", "/search", "/new", "/print", "/admin", "/receive"):
        resp = client.get(path)
        assert resp.status_code == 302, path
        assert resp.headers["Location"].startswith("/login?next="), path
    assert client.get("/api/search?q=a").status_code == 401


def test_login_form_fields_and_vietnamese_by_default(site: Site) -> None:
    page = site.client().get("/login").get_data(as_text=True)
    assert 'name="login"' in page and 'name="password"' in page
    assert "Đăng nhập" in page and 'lang="vi"' in page


def test_login_sets_a_safe_cookie_and_goes_back_where_asked(site: Site) -> None:
    client = site.client()
    token = csrf_of(client)
    resp = client.post("/login?next=/search%3Fq%3Dabc",
                       data={"login": "bt.a", "password": PASSWORD, "csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"] == "/search?q=abc"
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookie_behind_https(site: Site) -> None:
    app = create_app(site.settings, WebConfig(secure_cookies=True))
    client = app.test_client()
    token = csrf_of(client)
    resp = client.post("/login", data={"login": "bt.a", "password": PASSWORD, "csrf_token": token})
    assert "Secure" in resp.headers["Set-Cookie"]
    app.config["INDEX"].close()


def test_no_open_redirect(site: Site) -> None:
    client = site.client()
    token = csrf_of(client)
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        resp = client.post("/login", query_string={"next": target},
                           data={"login": "bt.a", "password": PASSWORD, "csrf_token": token})
        assert resp.headers["Location"] == "/", target
        client.post("/logout", data={"csrf_token": csrf_of(client, "/password")})
        token = csrf_of(client)


def test_wrong_password_is_refused_without_saying_which_part(site: Site) -> None:
    client = site.client()
    token = csrf_of(client)
    for login in ("bt.a", "khong-co-ai"):
        resp = client.post("/login", data={"login": login, "password": "sai", "csrf_token": token})
        assert resp.status_code == 401
        assert "Sai tên đăng nhập hoặc mật khẩu." in resp.get_data(as_text=True)


def test_login_throttled_after_failures(site: Site) -> None:
    client = site.client()
    token = csrf_of(client)
    for _ in range(FREE_FAILURES):
        client.post("/login", data={"login": "bt.b", "password": "sai", "csrf_token": token})
    resp = client.post("/login", data={"login": "bt.b", "password": PASSWORD, "csrf_token": token})
    assert resp.status_code == 429
    assert "Hãy đợi" in resp.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(site: Site) -> None:
    client = site.client()
    resp = client.post("/login", data={"login": "bt.a", "password": PASSWORD})
    assert resp.status_code == 400
    log_in(client, "bt.a")
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still logged in


def test_logout_ends_the_session(site: Site) -> None:
    client = site.client("bt.a")
    assert client.get("/").status_code == 200
    resp = client.post("/logout", data={"csrf_token": csrf_of(client, "/password")})
    assert resp.status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_ends_other_sessions(site: Site) -> None:
    first, second = site.client("bt.a"), site.client("bt.a")
    token = csrf_of(first, "/password")
    resp = first.post("/password", data={"old": PASSWORD, "new": "mat-khau-moi-9",
                                         "again": "mat-khau-moi-9", "csrf_token": token})
    assert resp.status_code == 302
    assert first.get("/").status_code == 200  # the session that changed it stays
    assert second.get("/").status_code == 302  # the other one ends
    assert Accounts(site.root).verify("bt.a", "mat-khau-moi-9")[0] is not None


def test_password_change_messages(site: Site) -> None:
    client = site.client("bt.a")
    token = csrf_of(client, "/password")
    resp = client.post("/password", data={"old": "sai", "new": "mat-khau-moi-9",
                                          "again": "mat-khau-moi-9", "csrf_token": token})
    assert resp.status_code == 400 and "Mật khẩu hiện tại không đúng." in resp.get_data(as_text=True)
    resp = client.post("/password", data={"old": PASSWORD, "new": "ngan", "again": "ngan",
                                          "csrf_token": token})
    assert resp.status_code == 400 and "mật khẩu quá ngắn" in resp.get_data(as_text=True)


def test_disabled_user_is_logged_out_on_the_next_request(site: Site) -> None:
    client = site.client("bt.a")
    Accounts(site.root).disable("bt.a", actor="admin")
    assert client.get("/").status_code == 302


def test_english_switch(site: Site) -> None:
    client = site.client()
    resp = client.get("/lang/en?next=/login")
    assert resp.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "Log in" in page and 'lang="en"' in page


def test_security_headers(site: Site) -> None:
    resp = site.client("bt.a").get("/")
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Cache-Control"] == "private, no-store"


def test_bearer_token_must_be_valid(site: Site) -> None:
    client = site.client()
    resp = client.get("/api/search?q=a", headers={"Authorization": "Bearer dg_wrong"})
    assert resp.status_code == 401
    assert resp.is_json and resp.get_json()["status"] == 401


def test_a_non_ascii_csrf_token_is_a_bad_request(site: Site) -> None:
    client = site.client("bt.a")
    assert client.post("/logout", data={"csrf_token": "é"}).status_code == 400
    assert client.post("/logout", headers={"X-CSRF-Token": "ặ"}).status_code == 400


def test_odd_digits_as_a_number_find_nothing(site: Site) -> None:
    resp = site.client("bt.a").get("/api/list?number=%C2%B2")
    assert resp.status_code == 200 and resp.get_json() == []
