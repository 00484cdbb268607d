"""The JSON API (issue 12): /api/search, /api/list, /api/show/<id> mirror `docgen search
--json`, `list --json` and `show --json`, with the permissions of the screens, by session
or by a token of `docgen users token` (Authorization: Bearer)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from conftest import CONFIG, NAME_B, Site

from docgen.accounts import Accounts
from docgen.cli import main

NAME_A = "CHI BỘ THÔN AN THÀNH"
HOST = "http://localhost"


def cli_json(root: Path, *args: str) -> Any:
    """What the CLI prints with --json over the same archive."""
    result = CliRunner().invoke(main, ["--lang", "vi", "--config", str(CONFIG), "--archive", str(root),
                                       *args, "--json"], env={"DOCGEN_USER": "test"})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def bearer(site: Site, login: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {Accounts(site.root).new_token(login)}"}


def get_json(client: Any, url: str, status: int = 200, **kwargs: Any) -> Any:
    resp = client.get(url, **kwargs)
    assert resp.status_code == status, (url, resp.status_code, resp.get_data(as_text=True)[:600])
    assert resp.mimetype == "application/json"
    return resp.get_json()


def test_api_needs_a_user(site: Site) -> None:
    client = site.client()
    for url in ("/api/search?q=x", "/api/list", "/api/show/0000000000"):
        data = get_json(client, url, 401)
        assert data["status"] == 401 and data["error"] == "cần đăng nhập"
    data = get_json(client, "/api/list", 401, headers={"Authorization": "Bearer dg_not-a-token"})
    assert data["status"] == 401


def test_search_mirrors_the_cli(site: Site) -> None:
    """The committee reads every cell, as the CLI does: the same JSON."""
    for args in (["VSMT"], ["ve sinh moi truong", "--sort", "date", "--limit", "4", "--page", "2"],
                 ["nghị quyết", "--kind", "nghi-quyet", "--from", "1/3/2026", "--to", "31/3/2026"]):
        expected = cli_json(site.root, "search", *args)
        params = {"q": args[0]} | {a.lstrip("-"): b for a, b in zip(args[1::2], args[2::2], strict=True)}
        got = get_json(site.client("ubnd"), "/api/search", query_string=params)
        assert got == expected, args
    assert set(got) == {"total", "page", "limit", "hits", "facets", "did_you_mean"}


def test_search_by_session_and_by_token_is_scoped(site: Site) -> None:
    by_session = get_json(site.client("bt.b"), "/api/search?q=VSMT")
    by_token = get_json(site.client(), "/api/search?q=VSMT", headers=bearer(site, "bt.b"))
    assert by_session == by_token
    assert by_token["total"] == 2 and {h["cell"] for h in by_token["hits"]} == {NAME_B}
    assert set(by_token["facets"]["cell"]) == {NAME_B}
    assert "AN THÀNH" not in json.dumps(by_token, ensure_ascii=False)
    everything = get_json(site.client(), "/api/search?q=VSMT", headers=bearer(site, "ubnd"))
    assert everything["total"] > by_token["total"]
    assert everything["facets"]["cell"][NAME_B] == by_token["total"]
    # pages and limits
    paged = get_json(site.client("ubnd"), "/api/search?q=chi+b%E1%BB%99&limit=5&page=3")
    assert (paged["total"], paged["page"], paged["limit"], len(paged["hits"])) == (13, 3, 5, 3)


def test_did_you_mean(site: Site) -> None:
    found = get_json(site.client("bt.a"), "/api/search?q=nghi+quyeet")
    assert found["total"] == 0 and found["did_you_mean"] == "nghi quyet"


def _strip_paths(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("folder", "docx", "pdf", "input")}


def test_list_mirrors_the_cli_without_server_paths(site: Site) -> None:
    expected = cli_json(site.root, "list")
    resp = site.client("ubnd").get("/api/list")
    text = resp.get_data(as_text=True)
    got = json.loads(text)
    assert str(site.root) not in text and "/tmp" not in text
    assert [_strip_paths(d) for d in got] == [_strip_paths(d) for d in expected]
    for doc in got:
        assert doc["folder"] == f"{HOST}/doc/{doc['id']}"
        assert doc["docx"] == f"{HOST}/doc/{doc['id']}/v{doc['version']}/docx"
        assert doc["pdf"].endswith("/pdf") and doc["input"].endswith("/input.yaml")
        assert doc["damaged"] is False
    # filters, as list's options
    nq = get_json(site.client("ubnd"), "/api/list?kind=nghi-quyet&cell=an-thanh")
    assert [d["kind"] for d in nq] == ["nghi-quyet"] and nq[0]["cell"] == NAME_A
    march = get_json(site.client("ubnd"), "/api/list?from=1/3/2026&to=2026-03-10")
    assert march and all("2026-03-01" <= d["date"] <= "2026-03-10" for d in march)
    assert get_json(site.client("ubnd"), "/api/list?number=05-NQ/CB")[0]["number_text"] == "05-NQ/CB"


def test_list_by_token_is_the_cell(site: Site) -> None:
    resp = site.client().get("/api/list", headers=bearer(site, "bt.b"))
    assert resp.status_code == 200
    docs = resp.get_json()
    assert len(docs) == 2 and {d["cell"] for d in docs} == {NAME_B}
    assert "AN THÀNH" not in resp.get_data(as_text=True)
    # a download URL of the API works with the same token, and gives the archived bytes
    headers = bearer(site, "bt.b")
    path = docs[0]["docx"].removeprefix(HOST)
    data = site.client().get(path, headers=headers).get_data()
    assert hashlib.sha256(data).hexdigest() == docs[0]["docx_sha256"]


def test_show_mirrors_the_cli(site: Site) -> None:
    doc = next(d for d in get_json(site.client("ubnd"), "/api/list") if d["kind"] == "nghi-quyet"
               and d["cell"] == NAME_A)
    expected = cli_json(site.root, "show", doc["id"])
    resp = site.client("bt.a").get(f"/api/show/{doc['id']}")
    text = resp.get_data(as_text=True)
    got = json.loads(text)
    assert str(site.root) not in text
    assert set(got) == set(expected) | {"pdf", "input"}
    for key in set(expected) - {"folder", "docx", "versions"}:
        assert got[key] == expected[key], key
    assert got["folder"] == f"{HOST}/doc/{doc['id']}" and got["docx"] == f"{HOST}/doc/{doc['id']}/v1/docx"
    assert got["damaged"] == [] == expected["damaged"]
    assert [v["version"] for v in got["versions"]] == [v["version"] for v in expected["versions"]]
    for mine, theirs in zip(got["versions"], expected["versions"], strict=True):
        assert "folder" not in mine
        assert {k: v for k, v in theirs.items() if k != "folder"} == {
            k: v for k, v in mine.items() if k not in ("docx", "pdf", "input")}
        assert mine["docx"] == f"{HOST}/doc/{doc['id']}/v{mine['version']}/docx"


def test_show_of_another_cell_is_not_found(site: Site) -> None:
    doc = next(d for d in get_json(site.client("ubnd"), "/api/list") if d["cell"] == NAME_A)
    headers = bearer(site, "bt.b")
    hidden = site.client().get(f"/api/show/{doc['id']}", headers=headers)
    missing = site.client().get("/api/show/0000000000", headers=headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_data() == missing.get_data()
    assert get_json(site.client("ubnd"), f"/api/show/{doc['id']}")["id"] == doc["id"]


def test_bad_parameters(site: Site) -> None:
    client = site.client("bt.a")
    cases = {
        "/api/search?q=x&from=30/02/2026": ("tham số from: ngày không có thật: 30/02/2026", "from"),
        "/api/search?page=abc": ("tham số page không hợp lệ: “abc”", "page"),
        "/api/search?limit=0": ("tham số limit không hợp lệ", "limit"),
        "/api/search?limit=5000": ("tham số limit không hợp lệ", "limit"),
        "/api/search?sort=popular": ("tham số sort không hợp lệ", "sort"),
        "/api/search?year=26": ("tham số year không hợp lệ", "year"),
        "/api/list?to=31/4/2026": ("tham số to: ngày không có thật: 31/4/2026", "to"),
        "/api/list?all=maybe": ("tham số all không hợp lệ", "all"),
        "/api/list?kind=cong-van": ("không có loại văn bản 'cong-van'", "kind"),
        "/api/search?topic=khong-co-chu-de": ("không có chủ đề 'khong-co-chu-de'", "topic"),
    }
    for url, (message, name) in cases.items():
        data = get_json(client, url, 400)
        assert message in data["error"], (url, data)
        assert f"Trường: {name}" in data["error"] and data["hint"], (url, data)
    data = get_json(client, "/api/search?page=abc", 400)
    assert data["hint"] == "ghi một số nguyên từ 1 đến 100000, vd. page=2"
