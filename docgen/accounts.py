"""Accounts of the web app: logins, roles, the cells a secretary writes for, API tokens.

Kept in ``<archive>/.docgen/users.json`` (mode 0600), written atomically under the archive
lock. Passwords are hashed with argon2id (argon2-cffi); an API token is shown once and only
its sha256 is kept. Failed logins are throttled per login and per client address.

Roles:
- ``admin``: the cells and the users; reads everything; writes the papers of the cells
  assigned to it (a laptop serving one cell has one admin who is also its secretary);
- ``committee``: reads, searches and prints every cell's papers, receives bundles, never
  edits a cell's papers;
- ``secretary``: the cells assigned: write, preview, file, amend, withdraw, roster, print.

Every change is a line of the archive's audit log with the login of whoever made it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from docgen.archive import audit
from docgen.archive.fsutil import archive_lock
from docgen.errors import ConfigError, InputError
from docgen.fsio import replace_via_temp, sha256_bytes
from docgen.i18n import Msg

USERS_FILE = Path(".docgen") / "users.json"
ROLES = ("admin", "committee", "secretary")
ROLE_NAMES = {
    "admin": Msg("quản trị", "administrator"),
    "committee": Msg("cán bộ cấp ủy", "committee staff"),
    "secretary": Msg("bí thư / chi ủy viên", "cell secretary"),
}
LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 256
# After FREE_FAILURES failed logins (per login, and per client address) each next try
# waits twice as long, from DELAY_START seconds up to DELAY_MAX; a success clears the count.
FREE_FAILURES = 5
DELAY_START = 2.0
DELAY_MAX = 300.0
TOKEN_PREFIX = "dg_"

_HASHER = PasswordHasher()


@dataclass(frozen=True)
class User:
    login: str
    role: str
    cells: tuple[str, ...] = ()
    disabled: bool = False
    created: str = ""
    password_hash: str = field(default="", repr=False)
    tokens: tuple[str, ...] = field(default=(), repr=False)  # sha256 of each token
    # bumped when the account is disabled, enabled or gets a new password: the sessions
    # opened before end (docgen.web.app.password_mark)
    epoch: int = 0

    @property
    def reads_all(self) -> bool:
        return self.role in ("admin", "committee")

    def writes(self, cell_id: str) -> bool:
        """True when this user may write the papers and roster of ``cell_id``."""
        return self.role in ("admin", "secretary") and cell_id in self.cells

    def to_json(self) -> dict[str, Any]:
        return {"login": self.login, "role": self.role, "cells": list(self.cells),
                "disabled": self.disabled, "created": self.created,
                "password_hash": self.password_hash, "tokens": list(self.tokens),
                "epoch": self.epoch}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> User:
        return cls(str(data["login"]), str(data["role"]), tuple(data.get("cells") or ()),
                   bool(data.get("disabled")), str(data.get("created") or ""),
                   str(data.get("password_hash") or ""), tuple(data.get("tokens") or ()),
                   int(data.get("epoch") or 0))

    def public(self) -> dict[str, Any]:
        """What ``users list --json`` and the admin screen show (no hashes)."""
        return {"login": self.login, "role": self.role, "cells": list(self.cells),
                "disabled": self.disabled, "created": self.created, "tokens": len(self.tokens)}


def _token_hash(token: str) -> str:
    return sha256_bytes(token.encode("utf-8"))


def _next_epoch(user: User) -> dict[str, Any]:
    return {"epoch": user.epoch + 1}


def check_password_text(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(Msg(f"mật khẩu quá ngắn ({len(password)} ký tự)",
                             f"the password is too short ({len(password)} characters)"),
                         hint=Msg(f"dùng ít nhất {MIN_PASSWORD} ký tự", f"use at least {MIN_PASSWORD} characters"),
                         field="password")
    if len(password) > MAX_PASSWORD:
        raise InputError(Msg("mật khẩu quá dài", "the password is too long"),
                         hint=Msg(f"dùng tối đa {MAX_PASSWORD} ký tự", f"use at most {MAX_PASSWORD} characters"),
                         field="password")


class Throttle:
    """Failed logins per key (login, client address): how long the next try must wait."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._fails: dict[str, tuple[int, float]] = {}  # key → (failures, when the last was)

    def wait_for(self, keys: Iterable[str]) -> float:
        """Seconds before another try is allowed for any of ``keys`` (0: now)."""
        now = self._clock()
        with self._lock:
            waits = [self._delay(n) - (now - last) for n, last in
                     (self._fails.get(k, (0, 0.0)) for k in keys)]
        return float(max([0.0, *waits]))

    @staticmethod
    def _delay(failures: int) -> float:
        if failures < FREE_FAILURES:
            return 0.0
        return float(min(DELAY_MAX, DELAY_START * 2 ** (failures - FREE_FAILURES)))

    def failed(self, keys: Iterable[str]) -> None:
        now = self._clock()
        with self._lock:
            for k in keys:
                n, _ = self._fails.get(k, (0, 0.0))
                self._fails[k] = (n + 1, now)

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for k in keys:
                self._fails.pop(k, None)


class Accounts:
    """The users of the archive at ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.path = self.root / USERS_FILE
        self.throttle = Throttle()

    # reading -------------------------------------------------------------------
    def _read(self) -> dict[str, User]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise ConfigError(Msg(f"không đọc được {self.path}: {exc.strerror}",
                                  f"cannot read {self.path}: {exc.strerror}")) from exc
        try:
            data = json.loads(raw)
            return {u["login"]: User.from_json(u) for u in data.get("users", [])}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(Msg(f"tệp tài khoản {self.path} bị hỏng", f"the accounts file {self.path} is damaged"),
                              hint=Msg("khôi phục tệp từ bản sao lưu", "restore it from a backup")) from exc

    def users(self) -> list[User]:
        return sorted(self._read().values(), key=lambda u: u.login)

    def get(self, login: str) -> User | None:
        return self._read().get(login)

    def has_admin(self) -> bool:
        return any(u.role == "admin" and not u.disabled for u in self._read().values())

    # writing -------------------------------------------------------------------
    def _write(self, users: dict[str, User], actor: str, op: str, target: str,
               extra: dict[str, Any] | None = None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"users": [users[k].to_json() for k in sorted(users)]},
                          ensure_ascii=False, indent=1) + "\n"

        def fill(tmp: Path) -> None:  # private from its first byte (hashes inside)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)

        replace_via_temp(self.path, fill, sync=True)
        audit.append(self.root, {"at": audit.utc_now(), "user": actor, "op": op,
                                 "login": target, **(extra or {})})

    def add(self, login: str, role: str, password: str, cells: Iterable[str] = (),
            actor: str = "") -> User:
        login = login.strip().lower()
        if not LOGIN.match(login):
            raise InputError(Msg(f"tên đăng nhập không hợp lệ: {login!r}", f"invalid login: {login!r}"),
                             hint=Msg("2–40 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch",
                                      "2–40 characters: lower-case letters, digits, dot, hyphen, underscore"),
                             field="login")
        if role not in ROLES:
            raise InputError(Msg(f"vai trò không hợp lệ: {role!r}", f"invalid role: {role!r}"),
                             hint=Msg("dùng admin, committee hoặc secretary", "use admin, committee or secretary"),
                             field="role")
        cells = tuple(dict.fromkeys(cells))
        if role == "secretary" and not cells:
            raise InputError(Msg("bí thư phải được giao ít nhất một chi bộ", "a secretary needs at least one cell"),
                             hint=Msg("thêm --cell MÃ_CHI_BỘ (docgen cells list)", "add --cell CELL_ID (docgen cells list)"),
                             field="cells")
        check_password_text(password)
        with archive_lock(self.root):
            users = self._read()
            if login in users:
                raise InputError(Msg(f"đã có tài khoản {login}", f"the account {login} exists"),
                                 hint=Msg("chọn tên khác", "choose another login"), field="login")
            user = User(login, role, cells, created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                        password_hash=_HASHER.hash(password))
            users[login] = user
            self._write(users, actor or login, "user-add", login, {"role": role, "cells": list(cells)})
        return user

    def _change(self, login: str, actor: str, op: str,
                changed: Callable[[User], dict[str, Any]] | None = None, **changes: Any) -> User:
        """Change one account under the lock: ``changes``, and what ``changed`` gives for
        the account as it is read under the lock."""
        with archive_lock(self.root):
            users = self._read()
            if login not in users:
                raise InputError(Msg(f"không có tài khoản {login}", f"no account {login}"),
                                 hint=Msg("xem docgen users list", "see docgen users list"), field="login")
            now = users[login]
            user = replace(now, **changes, **(changed(now) if changed else {}))
            users[login] = user
            self._write(users, actor, op, login)
        return user

    def disable(self, login: str, actor: str = "") -> User:
        return self._change(login, actor or login, "user-disable", _next_epoch, disabled=True, tokens=())

    def enable(self, login: str, actor: str = "") -> User:
        return self._change(login, actor or login, "user-enable", _next_epoch, disabled=False)

    def set_cells(self, login: str, cells: Iterable[str], actor: str = "") -> User:
        return self._change(login, actor or login, "user-cells", cells=tuple(dict.fromkeys(cells)))

    def set_password(self, login: str, password: str, actor: str = "") -> User:
        check_password_text(password)
        # a new password also revokes the API tokens (a reset after a leak must end them)
        return self._change(login, actor or login, "user-password", _next_epoch,
                            password_hash=_HASHER.hash(password), tokens=())

    def new_token(self, login: str, actor: str = "") -> str:
        """A new API token for ``login`` (shown once; only its hash is kept)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)

        def added(user: User) -> dict[str, Any]:  # under the lock: a disable meanwhile wins
            if user.disabled:
                raise InputError(Msg(f"không có tài khoản đang dùng {login}", f"no active account {login}"),
                                 field="login")
            return {"tokens": (*user.tokens, _token_hash(token))}

        self._change(login, actor or login, "user-token", added)
        return token

    # checking ------------------------------------------------------------------
    def verify(self, login: str, password: str, client: str = "") -> tuple[User | None, float]:
        """(the user, 0) when the password is right; (None, seconds to wait) otherwise.
        While throttled the password is not even checked."""
        keys = [f"login:{login.strip().lower()}", f"addr:{client}"]
        wait = self.throttle.wait_for(keys)
        if wait > 0:
            return None, wait
        user = self.get(login.strip().lower())
        ok = False
        if user is not None and not user.disabled and user.password_hash:
            try:
                ok = _HASHER.verify(user.password_hash, password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                ok = False
        else:
            _HASHER.hash(password)  # the same work for an unknown login: no timing oracle
        if not ok or user is None:
            self.throttle.failed(keys)
            return None, self.throttle.wait_for(keys)
        self.throttle.succeeded(keys)
        return user, 0.0

    def user_for_token(self, token: str) -> User | None:
        if not token.startswith(TOKEN_PREFIX):
            return None
        digest = _token_hash(token)
        for user in self._read().values():
            if not user.disabled and any(secrets.compare_digest(digest, t) for t in user.tokens):
                return user
        return None
