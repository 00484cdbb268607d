"""Accounts: argon2 hashes, roles, throttling, tokens, the audit log (docgen.accounts)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from docgen.accounts import DELAY_START, FREE_FAILURES, Accounts, Throttle
from docgen.archive import audit
from docgen.errors import InputError


def test_password_is_stored_as_argon2id_and_file_is_private(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path)
    accounts.add("bt.a", "secretary", "mat-khau-dai", ["an-thanh"], actor="admin")
    raw = accounts.path.read_text(encoding="utf-8")
    assert "mat-khau-dai" not in raw
    stored = json.loads(raw)["users"][0]
    assert stored["password_hash"].startswith("$argon2id$")
    assert stat.S_IMODE(accounts.path.stat().st_mode) == 0o600
    user, wait = accounts.verify("bt.a", "mat-khau-dai")
    assert user is not None and user.cells == ("an-thanh",) and wait == 0


@pytest.mark.parametrize(("login", "role", "password", "cells", "field"), [
    ("Bí Thư", "secretary", "mat-khau-dai", ["a"], "login"),
    ("bt", "chief", "mat-khau-dai", [], "role"),
    ("bt", "secretary", "mat-khau-dai", [], "cells"),
    ("bt", "committee", "ngan", [], "password"),
])
def test_bad_accounts_are_refused_with_the_field(tmp_path: Path, login: str, role: str,
                                                  password: str, cells: list[str], field: str) -> None:
    with pytest.raises(InputError) as caught:
        Accounts(tmp_path).add(login, role, password, cells)
    assert caught.value.field == field
    assert caught.value.hint is not None
    assert not (tmp_path / ".docgen" / "users.json").exists()


def test_duplicate_login_refused(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path)
    accounts.add("ubnd", "committee", "mat-khau-dai")
    with pytest.raises(InputError, match="ubnd"):
        accounts.add("UBND", "committee", "mat-khau-khac")


def test_roles_decide_reading_and_writing(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path)
    sec = accounts.add("bt.a", "secretary", "mat-khau-dai", ["an-thanh"])
    com = accounts.add("ubnd", "committee", "mat-khau-dai")
    adm = accounts.add("admin", "admin", "mat-khau-dai", ["an-thanh"])
    assert not sec.reads_all and sec.writes("an-thanh") and not sec.writes("binh-minh")
    assert com.reads_all and not com.writes("an-thanh")
    assert adm.reads_all and adm.writes("an-thanh") and not adm.writes("binh-minh")


def test_disabled_user_cannot_log_in_and_tokens_die(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path)
    accounts.add("bt.a", "secretary", "mat-khau-dai", ["an-thanh"])
    token = accounts.new_token("bt.a", actor="admin")
    assert token.startswith("dg_")
    found = accounts.user_for_token(token)
    assert found is not None and found.login == "bt.a"
    assert token not in accounts.path.read_text(encoding="utf-8")  # only its hash is kept
    accounts.disable("bt.a", actor="admin")
    assert accounts.user_for_token(token) is None
    assert accounts.verify("bt.a", "mat-khau-dai")[0] is None
    assert accounts.user_for_token("dg_not-a-token") is None


def test_every_change_is_in_the_audit_log_with_the_actor(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path)
    accounts.add("bt.a", "secretary", "mat-khau-dai", ["an-thanh"], actor="admin")
    accounts.set_password("bt.a", "mat-khau-moi-1", actor="admin")
    accounts.disable("bt.a", actor="admin")
    ops = [(e["op"], e["user"], e["login"]) for e in audit.read(tmp_path)]
    assert ops == [("user-add", "admin", "bt.a"), ("user-password", "admin", "bt.a"),
                   ("user-disable", "admin", "bt.a")]
    assert all("password" not in json.dumps(e).replace("user-password", "") for e in audit.read(tmp_path))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_throttle_waits_after_free_failures_and_doubles() -> None:
    clock = Clock()
    throttle = Throttle(clock)
    keys = ["login:bt.a", "addr:10.0.0.1"]
    for _ in range(FREE_FAILURES - 1):
        throttle.failed(keys)
        assert throttle.wait_for(keys) == 0
    throttle.failed(keys)
    assert throttle.wait_for(keys) == pytest.approx(DELAY_START)
    throttle.failed(keys)
    assert throttle.wait_for(keys) == pytest.approx(DELAY_START * 2)
    clock.now += DELAY_START * 2
    assert throttle.wait_for(keys) == 0
    throttle.succeeded(keys)
    throttle.failed(keys)
    assert throttle.wait_for(keys) == 0


def test_verify_refuses_without_checking_while_throttled(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path)
    accounts.add("bt.a", "secretary", "mat-khau-dai", ["an-thanh"])
    for _ in range(FREE_FAILURES):
        user, _ = accounts.verify("bt.a", "sai-mat-khau", "10.0.0.9")
        assert user is None
    user, wait = accounts.verify("bt.a", "mat-khau-dai", "10.0.0.9")
    assert user is None and wait > 0  # even the right password waits
    # another address is throttled by the login too
    user, wait = accounts.verify("bt.a", "mat-khau-dai", "10.0.0.10")
    assert user is None and wait > 0


def test_a_new_password_revokes_the_tokens(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path)
    accounts.add("bt.a", "secretary", "mat-khau-dai", ["an-thanh"])
    token = accounts.new_token("bt.a")
    accounts.set_password("bt.a", "mat-khau-moi-1", actor="admin")
    assert accounts.user_for_token(token) is None


def test_disable_then_enable_does_not_revive_old_sessions(tmp_path: Path) -> None:
    from docgen.web.app import password_mark

    accounts = Accounts(tmp_path)
    user = accounts.add("bt.a", "secretary", "mat-khau-dai", ["an-thanh"])
    before = password_mark(user)
    accounts.disable("bt.a", actor="admin")
    again = accounts.enable("bt.a", actor="admin")
    assert password_mark(again) != before
    with pytest.raises(InputError):
        accounts.new_token("khong-co-ai")
