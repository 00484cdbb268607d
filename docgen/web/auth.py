"""Log in, log out, change the password, switch the language."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from docgen.accounts import Accounts
from docgen.errors import InputError
from docgen.i18n import LANGS
from docgen.web.app import T, current_user, password_mark, say

bp = Blueprint("auth", __name__)


def _local(target: str | None) -> str:
    """``target`` when it is a path of this site, else the home page (no open redirect)."""
    if not target:
        return url_for("browse.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("browse.home")
    return target


def _accounts() -> Accounts:
    accounts: Accounts = current_app.config["ACCOUNTS"]
    return accounts


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = ""
    status = 200
    if request.method == "POST":
        name = request.form.get("login", "")
        password = request.form.get("password", "")
        user, wait = _accounts().verify(name, password, request.remote_addr or "")
        if user is not None:
            session.clear()
            session.permanent = True
            session["login"] = user.login
            session["pw"] = password_mark(user)
            session["lang"] = g.lang
            return redirect(_local(request.args.get("next")))
        if wait > 0:
            seconds = math.ceil(wait)
            error = T(f"Sai tên đăng nhập hoặc mật khẩu quá nhiều lần. Hãy đợi {seconds} giây rồi thử lại.",
                      f"Too many failed logins. Wait {seconds} seconds and try again.")
            status = 429
        else:
            error = T("Sai tên đăng nhập hoặc mật khẩu.", "Wrong login or password.")
            status = 401
    first = not _accounts().has_admin()
    return render_template("login.html", error=error, first=first), status


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
def password() -> Any:
    user = current_user()
    error = ""
    if request.method == "POST":
        old = request.form.get("old", "")
        new = request.form.get("new", "")
        again = request.form.get("again", "")
        checked, _ = _accounts().verify(user.login, old, request.remote_addr or "")
        if checked is None:
            error = T("Mật khẩu hiện tại không đúng.", "The current password is wrong.")
        elif new != again:
            error = T("Hai lần gõ mật khẩu mới không giống nhau.", "The two new passwords differ.")
        else:
            try:
                changed = _accounts().set_password(user.login, new, actor=user.login)
            except InputError as exc:
                error = say(exc.message) + (" — " + say(exc.hint) if exc.hint else "")
            else:
                session["pw"] = password_mark(changed)
                flash(T("Đã đổi mật khẩu.", "The password is changed."))
                return redirect(url_for("browse.home"))
    return render_template("password.html", error=error), 400 if error else 200


@bp.route("/lang/<code>")
def lang(code: str) -> Any:
    if code in LANGS:
        session["lang"] = code
    return redirect(_local(request.args.get("next")))
