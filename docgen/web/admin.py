"""Administration (admin only): the archive's cells and the web app's users.

The same library calls as ``docgen cells`` and ``docgen users``: a cell is added from an
uploaded profile.yaml with ``Cells.add`` (which checks it first), every change of an
account goes through ``Accounts`` with the admin's login as the actor (it writes the audit
log). An admin cannot disable their own account nor leave the archive without an active
administrator.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from docgen.accounts import ROLES, Accounts, User
from docgen.archive.filters import DocFilter
from docgen.cells import CellEntry, Cells
from docgen.errors import DocgenError
from docgen.web.app import T, current_user, password_mark, reader, require_role, settings_for_write
from docgen.web.receive import TooLarge, explain, private_dir, save_upload

bp = Blueprint("admin", __name__)

PROFILE_LIMIT = 256 * 1024  # a profile.yaml of a few hundred members is ~30 KB


@dataclass(frozen=True)
class CellRow:
    entry: CellEntry
    papers: int  # current papers filed under any of the cell's names
    profile: str  # the profile's path, relative to the archive when inside it


def _accounts() -> Accounts:
    accounts: Accounts = current_app.config["ACCOUNTS"]
    return accounts


def _admin() -> User:
    require_role("admin")
    return current_user()


def papers_of(entry: CellEntry) -> int:
    """How many current papers the archive holds for ``entry`` (by its exact names)."""
    return reader().count(DocFilter(scope=entry.names))


def _shown_path(path: Path) -> str:
    root = reader().settings.archive_root
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _cell_rows() -> list[CellRow]:
    return [CellRow(e, papers_of(e), _shown_path(e.profile_path)) for e in reader().all_cells()]


def _index_page(status: int = 200, cell_error: str = "", user_error: str = "",
                values: dict[str, Any] | None = None) -> tuple[str, int]:
    return render_template(
        "admin/index.html", cells=_cell_rows(), users=_accounts().users(), roles=ROLES,
        cell_error=cell_error, user_error=user_error, values=values or {},
        profile_kb=PROFILE_LIMIT // 1024, broken=Cells(reader().settings).broken()), status


def _known_cells(chosen: Iterable[str]) -> tuple[str, ...]:
    """``chosen`` when every id is a cell of the archive (ConfigError naming one otherwise)."""
    registry = Cells(reader().settings)
    out = tuple(dict.fromkeys(chosen))
    for cell_id in out:
        registry.get(cell_id)
    return out


def _active_admins(users: Iterable[User]) -> set[str]:
    return {u.login for u in users if u.role == "admin" and not u.disabled}


# ------------------------------------------------------------------------ pages
@bp.route("/admin")
def index() -> Any:
    _admin()
    return _index_page()


@bp.route("/admin/cells", methods=["POST"])
def add_cell() -> Any:
    me = _admin()
    sent = request.files.get("profile")
    cell_id = request.form.get("cell_id", "").strip()
    values = {"cell_id": cell_id}
    if sent is None or not sent.filename:
        return _index_page(400, cell_error=T("Chưa chọn tệp hồ sơ chi bộ (profile.yaml).",
                                             "No cell profile (profile.yaml) was chosen."), values=values)
    settings = settings_for_write()
    folder = private_dir(settings, "cell-")
    try:
        path = save_upload(sent, folder, "profile.yaml", PROFILE_LIMIT)
        entry = Cells(settings).add(cell_id or None, path, actor=me.login)
    except TooLarge:
        return _index_page(400, cell_error=T(
            f"Tệp hồ sơ {sent.filename} quá lớn (giới hạn {PROFILE_LIMIT // 1024} KB): đây không phải một profile.yaml.",
            f"The profile {sent.filename} is too large (the limit is {PROFILE_LIMIT // 1024} KB): "
            "this is not a profile.yaml."), values=values)
    except DocgenError as exc:
        return _index_page(400, cell_error=explain(exc, sent.filename), values=values)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    flash(T(f"Đã thêm chi bộ {entry.id}: {entry.name}", f"Cell {entry.id} added: {entry.name}"))
    return redirect(url_for("admin.index"))


@bp.route("/admin/users", methods=["POST"])
def add_user() -> Any:
    me = _admin()
    form = request.form
    login = form.get("login", "").strip()
    role = form.get("role", "")
    chosen = form.getlist("cells")
    values = {"login": login, "role": role, "cells": chosen}
    if form.get("password", "") != form.get("again", ""):
        return _index_page(400, user_error=T("Hai lần gõ mật khẩu không giống nhau.",
                                             "The two passwords differ."), values=values)
    try:
        user = _accounts().add(login, role, form.get("password", ""), _known_cells(chosen),
                               actor=me.login)
    except DocgenError as exc:
        return _index_page(400, user_error=explain(exc), values=values)
    flash(T(f"Đã tạo tài khoản {user.login}.", f"Account {user.login} created."))
    return redirect(url_for("admin.user", login=user.login))


def _target(login: str) -> User:
    user = _accounts().get(login)
    if user is None:
        abort(404)
    return user


def _user_page(user: User, status: int = 200, error: str = "", token: str = "") -> tuple[str, int]:
    return render_template("admin/user.html", user=user, cells=reader().all_cells(),
                           error=error, token=token, me=current_user()), status


@bp.route("/admin/users/<login>")
def user(login: str) -> Any:
    _admin()
    return _user_page(_target(login))


@bp.route("/admin/users/<login>/cells", methods=["POST"])
def user_cells(login: str) -> Any:
    me = _admin()
    target = _target(login)
    chosen = request.form.getlist("cells")
    try:
        cells = _known_cells(chosen)
    except DocgenError as exc:
        return _user_page(target, 400, explain(exc))
    if target.role == "secretary" and not cells:
        return _user_page(target, 400, T("Bí thư phải được giao ít nhất một chi bộ.",
                                         "A secretary needs at least one cell."))
    _accounts().set_cells(login, cells, actor=me.login)
    flash(T(f"Đã lưu các chi bộ của {login}.", f"The cells of {login} are saved."))
    return redirect(url_for("admin.user", login=login))


@bp.route("/admin/users/<login>/disable", methods=["POST"])
def disable(login: str) -> Any:
    me = _admin()
    target = _target(login)
    if target.login == me.login:
        return _user_page(target, 400, T(
            "Bạn không thể tự khóa tài khoản của mình; nhờ một quản trị viên khác.",
            "You cannot disable your own account; ask another administrator."))
    if _active_admins(_accounts().users()) <= {target.login}:
        return _user_page(target, 400, T(
            "Không thể khóa quản trị viên cuối cùng còn hoạt động: kho sẽ không còn ai quản trị.",
            "The last active administrator cannot be disabled: nobody would administer the archive."))
    _accounts().disable(login, actor=me.login)
    flash(T(f"Đã khóa tài khoản {login}; phiên đăng nhập và token của tài khoản này hết hiệu lực.",
            f"Account {login} disabled; its sessions and tokens no longer work."))
    return redirect(url_for("admin.user", login=login))


@bp.route("/admin/users/<login>/enable", methods=["POST"])
def enable(login: str) -> Any:
    me = _admin()
    _target(login)
    _accounts().enable(login, actor=me.login)
    flash(T(f"Đã mở lại tài khoản {login}.", f"Account {login} enabled."))
    return redirect(url_for("admin.user", login=login))


@bp.route("/admin/users/<login>/password", methods=["POST"])
def user_password(login: str) -> Any:
    me = _admin()
    target = _target(login)
    new = request.form.get("password", "")
    if new != request.form.get("again", ""):
        return _user_page(target, 400, T("Hai lần gõ mật khẩu không giống nhau.",
                                         "The two passwords differ."))
    try:
        changed = _accounts().set_password(login, new, actor=me.login)
    except DocgenError as exc:
        return _user_page(target, 400, explain(exc))
    if changed.login == me.login:
        session["pw"] = password_mark(changed)  # the admin's own session goes on
    flash(T(f"Đã đặt mật khẩu mới cho {login}; các phiên đăng nhập cũ của tài khoản này đã kết thúc.",
            f"New password set for {login}; the account's older sessions have ended."))
    return redirect(url_for("admin.user", login=login))


@bp.route("/admin/users/<login>/token", methods=["POST"])
def user_token(login: str) -> Any:
    me = _admin()
    target = _target(login)
    try:
        token = _accounts().new_token(login, actor=me.login)
    except DocgenError as exc:
        return _user_page(target, 400, explain(exc))
    return _user_page(_target(login), 200, token=token)
