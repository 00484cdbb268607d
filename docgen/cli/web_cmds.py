"""docgen serve, docgen users, docgen cells: the web app and what it needs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docgen.cli.common import echo_json, say, settings_of
from docgen.errors import InputError
from docgen.i18n import Msg, h


def _read_password(stdin: bool, ctx: click.Context) -> str:
    if stdin:
        text = sys.stdin.readline().rstrip("\r\n")
        if not text:
            raise InputError(Msg("không đọc được mật khẩu từ đầu vào chuẩn", "no password on standard input"),
                             hint=Msg("vd.: echo 'mật-khẩu' | docgen users add ... --password-stdin",
                                      "e.g.: echo 'secret' | docgen users add ... --password-stdin"))
        return text
    lang = settings_of(ctx).lang
    return str(click.prompt(Msg("Mật khẩu", "Password").text(lang), hide_input=True,
                            confirmation_prompt=Msg("Gõ lại mật khẩu", "Repeat the password").text(lang)))


# ------------------------------------------------------------------------------ serve
@click.command("serve", help=h(
    "Chạy ứng dụng web của kho (waitress): bí thư soạn, lưu văn bản; cán bộ cấp ủy tìm và in. "
    "Dừng bằng Ctrl+C hoặc SIGTERM. Ví dụ: docgen serve --port 8080",
    "Run the archive's web app (waitress): secretaries write and file; committee staff "
    "search and print. Stop with Ctrl+C or SIGTERM. Example: docgen serve --port 8080"))
@click.option("--host", default="127.0.0.1", show_default=True,
              help=h("Địa chỉ nghe (0.0.0.0: mọi máy trong mạng).", "Address to listen on (0.0.0.0: the whole network)."))
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help=h("Cổng (0: một cổng trống bất kỳ).", "Port (0: any free port)."))
@click.option("--https-proxy", "behind_proxy", is_flag=True, help=h(
    "Chạy sau một reverse proxy HTTPS (nginx, Caddy): cookie chỉ gửi qua HTTPS, tin X-Forwarded-*.",
    "Behind an HTTPS reverse proxy (nginx, Caddy): cookies only over HTTPS, trust X-Forwarded-*."))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help=h("Số luồng phục vụ.", "Worker threads."))
@click.pass_context
def serve_cmd(ctx: click.Context, host: str, port: int, behind_proxy: bool, threads: int) -> None:
    from docgen.accounts import Accounts
    from docgen.web.server import build, serve_forever

    settings = settings_of(ctx)
    accounts = Accounts(settings.archive_root)
    if not accounts.has_admin():
        _first_admin(ctx, accounts)
    running = build(settings, host, port, secure_cookies=behind_proxy, behind_proxy=behind_proxy,
                    threads=threads)
    say(ctx, Msg(f"docgen đang chạy tại {running.url} (dừng: Ctrl+C)",
                 f"docgen is serving at {running.url} (stop: Ctrl+C)"))
    sys.stdout.flush()
    from flask import Flask  # noqa: F401 - fail here, before serving, if Flask is missing

    serve_forever(running, running.warm_up)
    say(ctx, Msg("docgen đã dừng.", "docgen stopped."))


def _first_admin(ctx: click.Context, accounts: object) -> None:
    from docgen.accounts import Accounts

    assert isinstance(accounts, Accounts)
    if not sys.stdin.isatty():
        raise InputError(
            Msg("kho chưa có tài khoản quản trị", "the archive has no administrator yet"),
            hint=Msg("tạo trước: echo 'mật-khẩu' | docgen users add admin --role admin --password-stdin",
                     "create one first: echo 'secret' | docgen users add admin --role admin --password-stdin"))
    lang = settings_of(ctx).lang
    say(ctx, Msg("Kho chưa có tài khoản quản trị. Tạo tài khoản đầu tiên:",
                 "The archive has no administrator yet. Create the first one:"))
    login = str(click.prompt(Msg("Tên đăng nhập", "Login").text(lang), default="admin"))
    accounts.add(login, "admin", _read_password(False, ctx), actor=login)
    say(ctx, Msg(f"Đã tạo tài khoản quản trị {login}.", f"Administrator {login} created."))


# ------------------------------------------------------------------------------ users
@click.group("users", help=h(
    "Tài khoản của ứng dụng web: add, list, disable, enable, token, password.",
    "Accounts of the web app: add, list, disable, enable, token, password."))
def users_group() -> None:
    pass


@users_group.command("add", help=h(
    "Tạo tài khoản. Vai trò: admin (quản trị), committee (cán bộ cấp ủy: xem, tìm, in mọi chi bộ), "
    "secretary (bí thư: soạn, lưu văn bản của các chi bộ được giao --cell). "
    "Ví dụ: echo 'mật-khẩu' | docgen users add bithu.anthanh --role secretary --cell an-thanh --password-stdin",
    "Create an account. Roles: admin, committee (reads, searches, prints every cell), "
    "secretary (writes and files for the cells given with --cell). "
    "Example: echo 'secret' | docgen users add bithu.anthanh --role secretary --cell an-thanh --password-stdin"))
@click.argument("login")
@click.option("--role", required=True, type=click.Choice(["admin", "committee", "secretary"]),
              help=h("Vai trò.", "Role."))
@click.option("--cell", "cells", multiple=True, help=h(
    "Mã chi bộ được giao (lặp lại cho nhiều chi bộ; xem docgen cells list).",
    "A cell the account writes for (repeat for several; see docgen cells list)."))
@click.option("--password-stdin", "stdin", is_flag=True, help=h(
    "Đọc mật khẩu từ dòng đầu của đầu vào chuẩn (không hỏi).", "Read the password from the first line of stdin."))
@click.pass_context
def users_add(ctx: click.Context, login: str, role: str, cells: tuple[str, ...], stdin: bool) -> None:
    from docgen.accounts import Accounts
    from docgen.cells import Cells

    settings = settings_of(ctx)
    registry = Cells(settings)
    for cell_id in cells:
        registry.get(cell_id)  # ConfigError listing the cells when unknown
    user = Accounts(settings.archive_root).add(login, role, _read_password(stdin, ctx), cells,
                                               actor=settings.user or login)
    say(ctx, Msg(f"Đã tạo tài khoản {user.login} ({role})", f"Account {user.login} created ({role})"))


@users_group.command("list", help=h("Liệt kê tài khoản.", "List the accounts."))
@click.option("--json", "as_json", is_flag=True, help=h("In dạng JSON.", "Print as JSON."))
@click.pass_context
def users_list(ctx: click.Context, as_json: bool) -> None:
    from docgen.accounts import ROLE_NAMES, Accounts

    settings = settings_of(ctx)
    users = Accounts(settings.archive_root).users()
    if as_json:
        echo_json([u.public() for u in users])
        return
    if not users:
        say(ctx, Msg("Chưa có tài khoản nào.", "No accounts yet."))
    for u in users:
        state = Msg(" (đã khóa)", " (disabled)").text(settings.lang) if u.disabled else ""
        cells = ", ".join(u.cells) or "—"
        click.echo(f"{u.login}\t{ROLE_NAMES[u.role].text(settings.lang)}\t{cells}{state}")


@users_group.command("disable", help=h("Khóa tài khoản (không đăng nhập được, token bị hủy).",
                                       "Disable an account (no login; its tokens are revoked)."))
@click.argument("login")
@click.pass_context
def users_disable(ctx: click.Context, login: str) -> None:
    from docgen.accounts import Accounts

    settings = settings_of(ctx)
    Accounts(settings.archive_root).disable(login, actor=settings.user or "cli")
    say(ctx, Msg(f"Đã khóa tài khoản {login}", f"Account {login} disabled"))


@users_group.command("enable", help=h("Mở lại tài khoản đã khóa.", "Enable a disabled account."))
@click.argument("login")
@click.pass_context
def users_enable(ctx: click.Context, login: str) -> None:
    from docgen.accounts import Accounts

    settings = settings_of(ctx)
    Accounts(settings.archive_root).enable(login, actor=settings.user or "cli")
    say(ctx, Msg(f"Đã mở lại tài khoản {login}", f"Account {login} enabled"))


@users_group.command("password", help=h("Đặt mật khẩu mới cho tài khoản.", "Set a new password."))
@click.argument("login")
@click.option("--password-stdin", "stdin", is_flag=True, help=h(
    "Đọc mật khẩu từ đầu vào chuẩn.", "Read the password from stdin."))
@click.pass_context
def users_password(ctx: click.Context, login: str, stdin: bool) -> None:
    from docgen.accounts import Accounts

    settings = settings_of(ctx)
    Accounts(settings.archive_root).set_password(login, _read_password(stdin, ctx),
                                                 actor=settings.user or "cli")
    say(ctx, Msg(f"Đã đặt mật khẩu mới cho {login}", f"New password set for {login}"))


@users_group.command("token", help=h(
    "Tạo token cho API (/api/…, gửi bằng Authorization: Bearer …); token chỉ in một lần.",
    "Create an API token (/api/…, sent as Authorization: Bearer …); printed once."))
@click.argument("login")
@click.pass_context
def users_token(ctx: click.Context, login: str) -> None:
    from docgen.accounts import Accounts

    settings = settings_of(ctx)
    click.echo(Accounts(settings.archive_root).new_token(login, actor=settings.user or "cli"))


# ------------------------------------------------------------------------------ cells
@click.group("cells", help=h(
    "Các chi bộ của kho (mỗi chi bộ một hồ sơ và danh sách đảng viên): add, list.",
    "The cells of the archive (each with its own profile and roster): add, list."))
def cells_group() -> None:
    pass


@cells_group.command("add", help=h(
    "Thêm một chi bộ từ tệp hồ sơ profile.yaml của nó (docgen init tạo tệp này). "
    "Ví dụ: docgen cells add an-thanh --profile an-thanh/profile.yaml",
    "Add a cell from its profile.yaml (docgen init writes one). "
    "Example: docgen cells add an-thanh --profile an-thanh/profile.yaml"))
@click.argument("cell_id", required=False)
@click.option("--profile", "profile", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              required=True, help=h("Tệp hồ sơ chi bộ.", "The cell's profile file."))
@click.pass_context
def cells_add(ctx: click.Context, cell_id: str | None, profile: Path) -> None:
    from docgen.cells import Cells

    entry = Cells(settings_of(ctx)).add(cell_id, profile)
    say(ctx, Msg(f"Đã thêm chi bộ {entry.id}: {entry.name}", f"Cell {entry.id} added: {entry.name}"))


@cells_group.command("list", help=h("Liệt kê các chi bộ của kho.", "List the cells of the archive."))
@click.option("--json", "as_json", is_flag=True, help=h("In dạng JSON.", "Print as JSON."))
@click.pass_context
def cells_list(ctx: click.Context, as_json: bool) -> None:
    from docgen.cells import Cells

    entries = Cells(settings_of(ctx)).entries()
    if as_json:
        echo_json([{"id": e.id, "name": e.name, "superior": e.superior,
                    "profile": str(e.profile_path), "registered": e.registered} for e in entries])
        return
    if not entries:
        say(ctx, Msg("Kho chưa có chi bộ nào (docgen cells add).", "The archive has no cells yet (docgen cells add)."))
    for e in entries:
        click.echo(f"{e.id}\t{e.name}\t{e.profile_path}")


def register(main: click.Group) -> None:
    main.add_command(serve_cmd)
    main.add_command(users_group)
    main.add_command(cells_group)
