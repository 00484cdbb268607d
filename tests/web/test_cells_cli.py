"""One archive, many cells (docgen.cells) and the commands docgen cells / users / serve."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import (
    CELL_A,
    CELL_B,
    CONFIG,
    EXAMPLES,
    NAME_B,
    PASSWORD,
    profile_b_text,
    settings_for,
)

from docgen.accounts import Accounts
from docgen.app import new_documents
from docgen.archive import Archive
from docgen.archive.filters import DocFilter
from docgen.cells import Cells, scope_of
from docgen.cli import main
from docgen.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def run(archive: Path, *args: str, stdin: str | None = None, lang: str = "vi") -> Result:
    return CliRunner().invoke(main, ["--config", str(CONFIG), "--archive", str(archive), *args],
                              input=stdin, env={"DOCGEN_LANG": lang})


def test_single_cell_layout_is_one_cell(tmp_path: Path) -> None:
    entries = Cells(settings_for(tmp_path / "archive")).entries()
    assert [(e.id, e.registered) for e in entries] == [(CELL_A, False)]
    assert entries[0].name == "CHI BỘ THÔN AN THÀNH"
    assert entries[0].owns("Chi bộ thôn An Thành") and not entries[0].owns(NAME_B)


def test_cells_add_and_list(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    profile_b = tmp_path / "b.yaml"
    profile_b.write_text(profile_b_text(), encoding="utf-8")
    result = run(archive, "cells", "add", CELL_B, "--profile", str(profile_b))
    assert result.exit_code == 0, result.output
    assert "Đã thêm chi bộ binh-minh: CHI BỘ THÔN BÌNH MINH" in result.output
    result = run(archive, "cells", "list", "--json")
    rows = json.loads(result.output)
    assert [(r["id"], r["registered"]) for r in rows] == [(CELL_B, True), (CELL_A, False)]
    assert (archive / "cells" / CELL_B / "profile.yaml").read_bytes() == profile_b.read_bytes()
    again = run(archive, "cells", "add", "khac", "--profile", str(profile_b))
    assert again.exit_code == 3 and "đã có trong kho (mã binh-minh)" in again.output


def test_cells_add_refuses_bad_id_and_bad_profile(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    result = run(archive, "cells", "add", "An Thành", "--profile", str(EXAMPLES / "profile.yaml"))
    assert result.exit_code == 3 and "mã chi bộ không hợp lệ" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("cell: {name: X}\nofficers: {}\nmembers: []\n", encoding="utf-8")
    result = run(archive, "cells", "add", "x", "--profile", str(bad))
    assert result.exit_code == 5 and "bad.yaml" in result.output  # a profile's problems: exit 5
    assert "Traceback" not in result.output
    assert not (archive / "cells" / "x").exists()


def test_numbering_stays_per_cell(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    profile_b = tmp_path / "b.yaml"
    profile_b.write_text(profile_b_text(), encoding="utf-8")
    cells = Cells(settings_for(archive))
    a = cells.add(CELL_A, EXAMPLES / "profile.yaml")
    b = cells.add(CELL_B, profile_b)
    example = EXAMPLES / "nghi-quyet.yaml"
    text = re.sub(r"(?m)^number:.*$", "", example.read_text(encoding="utf-8"))
    plain = tmp_path / "nq.yaml"
    plain.write_text(text, encoding="utf-8")
    for entry in (a, b, a):
        assert new_documents(settings_for(archive, entry.profile_path), [plain]).ok
    arch = Archive(archive)
    numbers = sorted((d.meta.cell, d.meta.number) for d in arch.iter_current())
    arch.close()
    assert numbers == [("CHI BỘ THÔN AN THÀNH", 1), ("CHI BỘ THÔN AN THÀNH", 2), (NAME_B, 1)]
    # the scope of one cell sees its own papers only
    arch = Archive(archive)
    seen = arch.matching(DocFilter(scope=scope_of([b])))
    arch.close()
    assert [r["cell"] for _, r in seen] == [NAME_B]


def test_unknown_cell_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        Cells(settings_for(tmp_path / "archive")).get("khong-co")
    assert caught.value.hint is not None and CELL_A in caught.value.hint.vi


def test_users_add_list_disable_token(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    result = run(archive, "users", "add", "bt.a", "--role", "secretary", "--cell", CELL_A,
                 "--password-stdin", stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    result = run(archive, "users", "add", "bt.x", "--role", "secretary", "--cell", "khong-co",
                 "--password-stdin", stdin=PASSWORD + "\n")
    assert result.exit_code == 5 and "các chi bộ có: an-thanh" in result.output
    result = run(archive, "users", "add", "bt.y", "--role", "secretary", "--password-stdin",
                 stdin=PASSWORD + "\n")
    assert result.exit_code == 3 and "ít nhất một chi bộ" in result.output
    rows = json.loads(run(archive, "users", "list", "--json").output)
    assert rows == [{"login": "bt.a", "role": "secretary", "cells": [CELL_A], "disabled": False,
                     "created": rows[0]["created"], "tokens": 0}]
    token = run(archive, "users", "token", "bt.a").output.strip()
    user = Accounts(archive).user_for_token(token)
    assert user is not None and user.login == "bt.a"
    assert run(archive, "users", "disable", "bt.a").exit_code == 0
    assert Accounts(archive).user_for_token(token) is None
    assert "(đã khóa)" in run(archive, "users", "list").output


def test_users_add_with_an_empty_password_on_stdin(tmp_path: Path) -> None:
    result = run(tmp_path / "archive", "users", "add", "ubnd", "--role", "committee",
                 "--password-stdin", stdin="\n")
    assert result.exit_code == 3 and "không đọc được mật khẩu" in result.output


def test_serve_refuses_without_an_admin_when_not_interactive(tmp_path: Path) -> None:
    result = run(tmp_path / "archive", "serve", "--port", "0")
    assert result.exit_code == 3
    assert "docgen users add admin --role admin --password-stdin" in result.output


def _wait_for_url(proc: subprocess.Popen[str], deadline: float) -> str:
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        found = re.search(r"(http://\S+/)", line)
        if found:
            return found.group(1)
    raise AssertionError("docgen serve printed no address")


@pytest.mark.slow
def test_serve_answers_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    Accounts(archive).add("admin", "admin", PASSWORD)
    env = {**os.environ, "DOCGEN_LANG": "vi"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "docgen", "--config", str(CONFIG), "--archive", str(archive),
         "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env, cwd=ROOT)
    try:
        url = _wait_for_url(proc, time.monotonic() + 30)
        with urllib.request.urlopen(url + "login", timeout=10) as resp:
            page = resp.read().decode("utf-8")
            assert resp.status == 200 and 'name="password"' in page
            assert resp.headers["Server"] == "docgen"  # waitress, not a development server
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "docgen đã dừng." in out
    assert "Traceback" not in err


def test_docgen_form_prefills_from_the_cells_own_previous_paper(web_archive: Path) -> None:
    from docgen.authoring.form import latest_archived

    cells = {e.id: e for e in Cells(settings_for(web_archive)).entries()}
    for cell_id, name in ((CELL_A, "CHI BỘ THÔN AN THÀNH"), (CELL_B, NAME_B)):
        found = latest_archived(settings_for(web_archive), "nghi-quyet", cells[cell_id].profile())
        assert found is not None
        folder = Path(found[1]).parent
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        assert meta["cell"] == name


def test_serve_runs_without_libreoffice(tmp_path: Path) -> None:
    import dataclasses

    from docgen.web.server import build

    settings = dataclasses.replace(settings_for(tmp_path / "archive"), soffice="/nonexistent/soffice")
    import threading

    running = build(settings, "127.0.0.1", 0)
    loop = threading.Thread(target=running.serve)
    loop.start()
    try:
        running.warm_up()  # nothing to start: no error
        with urllib.request.urlopen(running.url + "login", timeout=10) as resp:
            assert resp.status == 200
    finally:
        running.stop()
        loop.join(timeout=10)
    assert not loop.is_alive()
