"""Fixtures of the web tests: a real two-cell archive on disk, real accounts, the app.

``web_archive`` (built once per session, copied per test by ``site``) holds:
- cell ``an-thanh`` (examples/profile.yaml): every example of the registry, filed;
- cell ``binh-minh`` (the same roster under another name, "CHI BỘ THÔN BÌNH MINH"):
  the regular minutes and the resolution, filed with its own profile;
and the accounts (password ``PASSWORD`` for all): ``admin`` (admin, no cell), ``ubnd``
(committee), ``bt.a`` (secretary of an-thanh), ``bt.b`` (secretary of binh-minh).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pypdf import PdfWriter
from werkzeug.datastructures import MultiDict

sys.path.insert(0, str(Path(__file__).parent))

from docgen.accounts import Accounts  # noqa: E402
from docgen.app import new_documents  # noqa: E402
from docgen.cells import Cells  # noqa: E402
from docgen.config import Settings, load_settings  # noqa: E402
from docgen.kinds import KINDS  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CONFIG = EXAMPLES / "docgen.toml"
PASSWORD = "mat-khau-thu-nghiem"
CELL_A, CELL_B = "an-thanh", "binh-minh"
NAME_B = "CHI BỘ THÔN BÌNH MINH"
USERS = {"admin": ("admin", ()), "ubnd": ("committee", ()), "bt.a": ("secretary", (CELL_A,)),
         "bt.b": ("secretary", (CELL_B,))}


def settings_for(root: Path, profile: Path | None = None) -> Settings:
    settings = load_settings({"config_path": CONFIG, "archive_root": root}, environ={})
    return dataclasses.replace(settings, profile_path=profile) if profile else settings


def profile_b_text() -> str:
    text = (EXAMPLES / "profile.yaml").read_text(encoding="utf-8")
    return text.replace("AN THÀNH", "BÌNH MINH").replace("An Thành", "Bình Minh")


def input_b(kind: str, tmp: Path) -> Path:
    """The example of ``kind`` rewritten for cell B (its own names)."""
    text = (EXAMPLES / f"{kind}.yaml").read_text(encoding="utf-8")
    text = text.replace("An Thành", "Bình Minh").replace("AN THÀNH", "BÌNH MINH")
    text = re.sub(r"(?m)^number:.*$", "", text)
    path = tmp / f"b-{kind}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def build_archive(root: Path) -> None:
    src = root.parent / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / "profile-b.yaml").write_text(profile_b_text(), encoding="utf-8")
    base = settings_for(root)
    cells = Cells(base)
    a = cells.add(CELL_A, EXAMPLES / "profile.yaml")
    b = cells.add(CELL_B, src / "profile-b.yaml")
    report = new_documents(settings_for(root, a.profile_path),
                           [EXAMPLES / KINDS[k].example_name for k in KINDS])
    assert report.ok, [(str(p), e.render()) for p, e in report.failed]
    report = new_documents(settings_for(root, b.profile_path),
                           [input_b(k, src) for k in ("bien-ban-thuong-ky", "nghi-quyet")])
    assert report.ok, [(str(p), e.render()) for p, e in report.failed]
    accounts = Accounts(root)
    for login, (role, assigned) in USERS.items():
        accounts.add(login, role, PASSWORD, assigned, actor="test")


@pytest.fixture(scope="session")
def web_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web-archive") / "archive"
    build_archive(root)
    return root


@dataclass
class Site:
    root: Path
    settings: Settings
    app: Any

    def client(self, login: str | None = None) -> Any:
        client = self.app.test_client()
        if login is not None:
            log_in(client, login)
        return client


def csrf_of(client: Any, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page) or re.search(
        r'data-csrf="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def log_in(client: Any, login: str, password: str = PASSWORD) -> None:
    token = csrf_of(client)
    resp = client.post("/login", data={"login": login, "password": password, "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]


@pytest.fixture
def site(web_archive: Path, tmp_path: Path) -> Iterator[Site]:
    """A private copy of the two-cell archive and the app over it (no LibreOffice)."""
    from docgen.web import create_app

    root = tmp_path / "archive"
    shutil.copytree(web_archive, root, symlinks=True)
    settings = settings_for(root)
    app = create_app(settings)
    app.config["TESTING"] = True
    yield Site(root, settings, app)
    app.config["INDEX"].close()


Pairs = list[tuple[str, str]]


class Writer:
    """A logged-in client writing drafts (the session's CSRF token read once)."""

    def __init__(self, site: Site, login: str = "bt.a") -> None:
        self.site = site
        self.client = site.client(login)
        self.token = csrf_of(self.client, "/")

    def new(self, kind: str, cell: str = CELL_A) -> str:
        resp = self.client.post("/new", data={"csrf_token": self.token, "cell": cell, "kind": kind})
        assert resp.status_code == 303, resp.get_data(as_text=True)[:500]
        path = str(urlsplit(resp.location).path)
        assert re.fullmatch(rf"/draft/{cell}/[0-9a-f]{{16}}", path), path
        return path

    def page(self, url: str, status: int = 200) -> str:
        resp = self.client.get(url)
        assert resp.status_code == status, (url, resp.status_code, resp.get_data(as_text=True)[:800])
        text: str = resp.get_data(as_text=True)
        return text

    def save(self, url: str, pairs: Pairs, status: int = 200) -> dict[str, Any]:
        resp = self.client.post(url + "/save", data=MultiDict(pairs), headers={"X-CSRF-Token": self.token})
        assert resp.status_code == status, resp.get_data(as_text=True)[:800]
        found: dict[str, Any] = resp.get_json()
        return found

    def post(self, url: str, pairs: Pairs | None = None) -> Any:
        return self.client.post(url, data=MultiDict([("csrf_token", self.token), *(pairs or [])]))

    def file(self, url: str) -> str:
        """File the draft; the paper's id."""
        resp = self.post(url + "/file")
        assert resp.status_code == 303, resp.get_data(as_text=True)[:1500]
        found = re.fullmatch(r"/doc/([0-9a-f]+)", urlsplit(resp.location).path)
        assert found, resp.location
        return found.group(1)


class BlankPdfConverter:
    """The warm LibreOffice of ``PrintJobs`` stood in for: a blank one-page PDF a paper."""

    starts = 0

    def convert(self, docx: Path, out: Path, pdfa: bool = False) -> Path:
        out.parent.mkdir(parents=True, exist_ok=True)
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        with open(out, "wb") as handle:
            writer.write(handle)
        return out

    def close(self) -> None:
        return None
