"""The Flask application: sessions, CSRF, the user of a request, language, errors.

Screens live in their own modules (blueprints), each only calling the library:
auth (login, logout, password), home and papers' pages (browse), writing (papers),
search and the API (browse, api), print (printjobs), roster, receive, admin.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, Response, abort, g, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from docgen.accounts import ROLE_NAMES, Accounts, User
from docgen.config import Settings
from docgen.errors import ConfigError, DocgenError, IntegrityError, PrintError
from docgen.fsio import sha256_bytes
from docgen.i18n import LANGS, Msg
from docgen.web.reads import NotVisible, Reader, SharedIndex

SECRET_FILE = Path(".docgen") / "web-secret"
SESSION_HOURS = 12
MAX_UPLOAD = 64 * 1024 * 1024  # a bundle of a cell's years; roster sheets have their own limit
F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("docgen.web")


@dataclass
class WebConfig:
    """How this server runs (``docgen serve`` options)."""

    secure_cookies: bool = False  # behind HTTPS (a reverse proxy): cookies only over HTTPS
    behind_proxy: bool = False  # trust X-Forwarded-For/-Proto of one proxy
    converter: Any = None  # docgen.printing.service.WarmConverter (None: made when needed)
    jobs: Any = None  # docgen.printing.service.PrintJobs
    extra: dict[str, Any] = field(default_factory=dict)


def _secret(settings: Settings) -> bytes:
    """The key signing session cookies, made once per archive (0600)."""
    path = settings.archive_root / SECRET_FILE
    try:
        return bytes.fromhex(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(key.hex())
        return key


def password_mark(user: User) -> str:
    """Changes with the password and with a disable or enable: older sessions end."""
    return sha256_bytes(f"{user.epoch}:{user.password_hash}".encode())[:16]


def T(vi: str, en: str) -> str:  # noqa: N802 - the templates' one-letter-ish helper
    """The text in the request's language."""
    return en if getattr(g, "lang", "vi") == "en" else vi


def say(message: Msg) -> str:
    return message.text(getattr(g, "lang", "vi"))


def current_user() -> User:
    user: User | None = getattr(g, "user", None)
    if user is None:
        abort(401)
    return user


def reader() -> Reader:
    found: Reader | None = getattr(g, "reader", None)
    if found is None:
        abort(401)
    return found


def settings_for_write() -> Settings:
    """The settings with the user's login: the archive's audit log records who wrote."""
    settings: Settings = g.settings
    return replace(settings, user=current_user().login)


def require_role(*roles: str) -> None:
    if current_user().role not in roles:
        abort(403)


def require_writer(cell_id: str) -> None:
    if not current_user().writes(cell_id):
        abort(403)


def csrf_token() -> str:
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        session["csrf"] = token
    return token


def _check_csrf() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS") or getattr(g, "token_auth", False):
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = str(session.get("csrf", ""))
    if not sent or not hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8")):
        abort(400, description="csrf")


PUBLIC = {"auth.login", "static", "auth.lang"}


def _load_user(app: Flask) -> None:
    accounts: Accounts = app.config["ACCOUNTS"]
    g.user = None
    g.token_auth = False
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        g.user = accounts.user_for_token(header[7:].strip())
        g.token_auth = g.user is not None
        if g.user is None:
            abort(401)
    elif isinstance(session.get("login"), str):
        user = accounts.get(session["login"])
        if user is not None and not user.disabled and session.get("pw") == password_mark(user):
            g.user = user
        else:
            session.clear()
    if g.user is not None:
        g.reader = Reader(g.settings, g.user, app.config["INDEX"])
    elif request.endpoint not in PUBLIC:
        if request.path.startswith("/api/"):
            abort(401)
        return_to = request.full_path if request.method == "GET" else "/"
        raise _Redirect(url_for("auth.login", next=return_to.rstrip("?")))


class _Redirect(Exception):
    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def _lang() -> str:
    lang = session.get("lang")
    if lang in LANGS:
        return str(lang)
    settings: Settings = g.settings
    return settings.lang


def _error_page(status: int, message: str, hint: str = "") -> tuple[str, int] | Response:
    if request.path.startswith("/api/"):
        return Response(_json({"error": message, "hint": hint, "status": status}), status,
                        mimetype="application/json")
    return render_template("error.html", status=status, message=message, hint=hint), status


def _json(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, default=str)


_STATUS_TEXT = {
    400: Msg("yêu cầu không hợp lệ (trang đã cũ?): tải lại trang rồi thử lại",
             "bad request (an old page?): reload the page and try again"),
    401: Msg("cần đăng nhập", "please log in"),
    403: Msg("bạn không có quyền làm việc này", "you may not do this"),
    404: Msg("không có trang hoặc văn bản này, hoặc bạn không có quyền xem",
             "no such page or document, or you may not see it"),
    405: Msg("không làm được việc này ở trang này", "this page does not do that"),
    413: Msg("tệp tải lên quá lớn", "the uploaded file is too large"),
    429: Msg("thử quá nhiều lần, hãy đợi một lát", "too many tries, wait a moment"),
}


def _register_errors(app: Flask) -> None:
    @app.errorhandler(_Redirect)
    def _redirect(exc: _Redirect) -> Any:
        return redirect(exc.location)

    @app.errorhandler(NotVisible)
    def _not_visible(exc: NotVisible) -> Any:
        return _error_page(404, say(exc.message))

    @app.errorhandler(DocgenError)
    def _docgen_error(exc: DocgenError) -> Any:
        lang = getattr(g, "lang", "vi")
        # the user's input: 400; LibreOffice or the print service unavailable: 503; the
        # archive or the server's own files damaged: 500
        status = 503 if isinstance(exc, PrintError) else (
            500 if isinstance(exc, IntegrityError | ConfigError) else 400)
        return _error_page(status, exc.render(lang), exc.hint.text(lang) if exc.hint else "")

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge) -> Any:
        return _error_page(413, say(_STATUS_TEXT[413]), T(
            f"giới hạn {MAX_UPLOAD // (1024 * 1024)} MB", f"the limit is {MAX_UPLOAD // (1024 * 1024)} MB"))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        status = exc.code or 500
        text = _STATUS_TEXT.get(status)
        return _error_page(status, say(text) if text else str(exc.name))

    @app.errorhandler(Exception)
    def _bug(exc: Exception) -> Any:
        log.exception("unexpected error on %s", request.path)
        return _error_page(500, T("lỗi của chương trình docgen; đã ghi vào nhật ký máy chủ",
                                  "a docgen bug; it is written in the server's log"),
                           T("báo cho người quản trị, kèm thời điểm xảy ra",
                             "tell the administrator, with the time it happened"))


def create_app(settings: Settings, config: WebConfig | None = None) -> Flask:
    """The web app over the archive of ``settings``."""
    config = config or WebConfig()
    app = Flask("docgen.web", template_folder=str(Path(__file__).with_name("templates")),
                static_folder=str(Path(__file__).with_name("static")))
    settings.archive_root.mkdir(parents=True, exist_ok=True)
    app.config.update(
        SECRET_KEY=_secret(settings), SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=config.secure_cookies,
        SESSION_COOKIE_NAME="docgen_session",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
        MAX_CONTENT_LENGTH=MAX_UPLOAD, SETTINGS=settings, WEB=config,
        ACCOUNTS=Accounts(settings.archive_root), INDEX=SharedIndex(settings),
        JSON_AS_ASCII=False,
    )
    if config.behind_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    app.jinja_env.globals.update(T=T, csrf_token=csrf_token, role_names=ROLE_NAMES, say=say)
    app.jinja_env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}

    @app.before_request
    def _before() -> None:
        g.settings = settings
        g.lang = _lang()
        _load_user(app)
        _check_csrf()

    @app.teardown_request
    def _teardown(_exc: BaseException | None) -> None:
        found: Reader | None = getattr(g, "reader", None)
        if found is not None:
            found.close()

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
            "script-src 'self'; frame-src 'self'; object-src 'self'; frame-ancestors 'self'")
        if g.get("user") is not None:
            resp.headers.setdefault("Cache-Control", "private, no-store")
        return resp

    _register_errors(app)
    from docgen.web import views

    views.register(app)
    return app
