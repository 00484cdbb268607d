"""Receiving bundles on the web (docgen.web.receive): roles, CSRF, the merge report, the
index following, bad uploads refused with nothing written.

The bundles are real: written by the library's export from separate archives made from
the site's (a copy of the session's two-cell archive) plus papers filed with the library:
- ``other1``: a third cell "CHI BỘ THÔN CẨM LỘ" (cam-lo) with two papers, and one more
  resolution of binh-minh (number 02 of its series);
- ``other2``: another, different resolution of binh-minh that also got number 02.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import CELL_B, EXAMPLES, Site, csrf_of, settings_for
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from docgen.accounts import Accounts
from docgen.app import new_documents
from docgen.archive import Archive, audit
from docgen.archive.bundle import FORMAT, MANIFEST
from docgen.archive.filters import DocFilter
from docgen.archive.ids import parse_folder
from docgen.cells import Cells
from docgen.search import open_index
from docgen.web.reads import Reader

CELL_C = "cam-lo"
NAME_C = "CHI BỘ THÔN CẨM LỘ"


def profile_c_text() -> str:
    text = (EXAMPLES / "profile.yaml").read_text(encoding="utf-8")
    return text.replace("AN THÀNH", "CẨM LỘ").replace("An Thành", "Cẩm Lộ")


def _input(kind: str, folder: Path, name: str, upper: str, lower: str) -> Path:
    text = (EXAMPLES / f"{kind}.yaml").read_text(encoding="utf-8")
    text = text.replace("An Thành", lower).replace("AN THÀNH", upper)
    text = re.sub(r"(?m)^number:.*$", "", text)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def folders_of(root: Path) -> set[str]:
    """Every version folder of the archive at ``root`` (YYYY/MM/<folder>)."""
    return {p.parent.relative_to(root).as_posix() for p in root.glob("[0-9]*/[0-9]*/*/meta.json")}


def _file(root: Path, settings_profile: Path, inputs: list[Path]) -> None:
    report = new_documents(settings_for(root, settings_profile), inputs)
    assert report.ok, [(str(p), e.render()) for p, e in report.failed]


@dataclass
class Sources:
    base: set[str]  # version folders of the site's archive (before any import)
    new: Path  # the cam-lo papers only
    first: Path  # everything of other1
    second: Path  # everything of other2
    cam_lo: set[str]  # version folders of the cam-lo papers
    extra_b: str  # other1's binh-minh resolution
    other_b: str  # other2's binh-minh resolution (its number is other1's)
    profile_c: Path


@pytest.fixture(scope="module")
def sources(web_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Sources:
    work = tmp_path_factory.mktemp("bundles")
    src = work / "src"
    src.mkdir()
    profile_c = src / "profile.yaml"
    profile_c.write_text(profile_c_text(), encoding="utf-8")
    other1, other2 = work / "other1", work / "other2"
    shutil.copytree(web_archive, other1, symlinks=True)
    shutil.copytree(web_archive, other2, symlinks=True)
    base = folders_of(web_archive)

    c = Cells(settings_for(other1)).add(CELL_C, profile_c)
    _file(other1, c.profile_path, [_input(k, src, f"c-{k}.yaml", "CẨM LỘ", "Cẩm Lộ")
                                   for k in ("bien-ban-thuong-ky", "nghi-quyet")])
    cam_lo = folders_of(other1) - base
    b1 = Cells(settings_for(other1)).get(CELL_B)
    _file(other1, b1.profile_path, [_input("nghi-quyet", src, "b-x.yaml", "BÌNH MINH", "Bình Minh")])
    (extra_b,) = folders_of(other1) - base - cam_lo
    b2 = Cells(settings_for(other2)).get(CELL_B)
    _file(other2, b2.profile_path, [_input("nghi-quyet", src, "b-y.yaml", "BÌNH MINH", "Bình Minh")])
    (other_b,) = folders_of(other2) - base
    assert extra_b.split("_")[-2] == other_b.split("_")[-2] == "02-NQ"  # the same number

    bundles = {}
    for name, root, cell in (("cam-lo.zip", other1, NAME_C), ("other1.zip", other1, None),
                             ("other2.zip", other2, None)):
        archive = Archive(root)
        try:
            bundles[name] = archive.export(work / name, cell=cell)
        finally:
            archive.close()
    return Sources(base, bundles["cam-lo.zip"], bundles["other1.zip"], bundles["other2.zip"],
                   cam_lo, extra_b, other_b, profile_c)


# ------------------------------------------------------------------ helpers
def doc_count(root: Path) -> int:
    archive = Archive(root)
    try:
        return len(archive.matching(DocFilter(include_withdrawn=True)))
    finally:
        archive.close()


def audit_len(root: Path) -> int:
    return len(audit.read(root))


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in (root / ".docgen").glob("receive-*"))


def send(client: Any, path: Path | None = None, name: str | None = None, data: bytes | None = None,
         token: str | None = None) -> Any:
    token = csrf_of(client, "/receive") if token is None else token
    form: dict[str, Any] = {"csrf_token": token}
    if path is not None or data is not None:
        content = path.read_bytes() if path is not None else data or b""
        form["bundle"] = upload(content, name or (path.name if path else "goi.zip"))
    return post_multipart(client, "/receive", form)


def upload(content: bytes, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=name, content_type="application/octet-stream")


def post_multipart(client: Any, url: str, form: dict[str, Any]) -> Any:
    """POST ``form`` as multipart/form-data encoded in memory (the test client's own
    encoder spools a body over 500 KB to a temporary file it never closes)."""
    boundary, body = encode_multipart(MultiDict(form))
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def counted(page: str, section: str) -> int:
    found = re.search(rf'<h2 id="{section}">[^<(]*\((\d+)\)</h2>', page)
    assert found, page[:3000]
    return int(found.group(1))


def section_of(page: str, section: str) -> str:
    start = page.index(f'<h2 id="{section}">')
    end = page.find("</section>", start)
    return page[start:end]


def reader_of(site: Site, login: str) -> Reader:
    user = Accounts(site.root).get(login)
    assert user is not None
    return Reader(site.settings, user, site.app.config["INDEX"])


@pytest.fixture
def committee(site: Site) -> Iterator[Any]:
    yield site.client("ubnd")


# -------------------------------------------------------------------- roles
def test_only_committee_and_admin_receive(site: Site, sources: Sources) -> None:
    secretary = site.client("bt.a")
    assert secretary.get("/receive").status_code == 403
    before = doc_count(site.root)
    resp = send(secretary, sources.new, token=csrf_of(secretary, "/password"))
    assert resp.status_code == 403
    assert doc_count(site.root) == before
    for login in ("ubnd", "admin"):
        page = site.client(login).get("/receive")
        assert page.status_code == 200, login
        text = page.get_data(as_text=True)
        assert "Nhận gói văn bản" in text and 'name="bundle"' in text
        assert 'enctype="multipart/form-data"' in text and 'name="csrf_token"' in text


def test_receive_needs_the_csrf_token(site: Site, sources: Sources, committee: Any) -> None:
    before, logged = doc_count(site.root), audit_len(site.root)
    resp = post_multipart(committee, "/receive",
                          {"bundle": upload(sources.new.read_bytes(), "cam-lo.zip")})
    assert resp.status_code == 400
    resp = send(committee, sources.new, token="not-the-token")
    assert resp.status_code == 400
    assert doc_count(site.root) == before and audit_len(site.root) == logged


# ------------------------------------------------------------------- report
def test_receive_a_new_cell_then_search_finds_it(site: Site, sources: Sources, committee: Any) -> None:
    before, logged = doc_count(site.root), audit_len(site.root)
    resp = send(committee, sources.new)
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "Kết quả nhận gói" in page and "cam-lo.zip" in page
    assert counted(page, "new") == len(sources.cam_lo) == 2
    assert counted(page, "unchanged") == 0 and counted(page, "conflicts") == 0
    new = section_of(page, "new")
    for folder in sources.cam_lo:
        assert folder in new
    assert NAME_C in new and "NGHỊ QUYẾT" in new
    assert doc_count(site.root) == before + 2
    assert folders_of(site.root) == sources.base | sources.cam_lo
    lines = audit.read(site.root)[logged:]
    assert [(e["op"], e["user"], e["bundle"]) for e in lines] == [("import", "ubnd", "cam-lo.zip")] * 2
    assert leftovers(site.root) == []

    ids = {parse_folder(f.rsplit("/", 1)[-1]).id for f in sources.cam_lo}  # type: ignore[union-attr]
    index = open_index(site.settings)  # the hook caught the index up (no search has run yet)
    try:
        assert {h.id for h in index.search("Cẩm Lộ", DocFilter(), limit=50).hits} == ids
    finally:
        index.close()
    staff = reader_of(site, "ubnd")
    try:
        assert {h.id for h in staff.search("Cẩm Lộ", DocFilter(), limit=50).hits} == ids
        assert {d.id for d in staff.list(DocFilter(cell="Cẩm Lộ"))} == ids
    finally:
        staff.close()
    secretary = reader_of(site, "bt.a")  # another cell's secretary does not see them
    try:
        assert secretary.list(DocFilter(cell="Cẩm Lộ")) == []
        assert secretary.search("Cẩm Lộ", DocFilter()).total == 0
    finally:
        secretary.close()


def test_report_of_already_there_and_a_conflict(site: Site, sources: Sources, committee: Any) -> None:
    page = send(committee, sources.first).get_data(as_text=True)
    assert counted(page, "new") == len(sources.cam_lo) + 1
    assert counted(page, "unchanged") == len(sources.base)
    assert counted(page, "conflicts") == 0
    assert sources.extra_b in section_of(page, "new")
    unchanged = section_of(page, "unchanged")
    assert all(folder in unchanged for folder in sources.base)
    count = doc_count(site.root)

    resp = send(committee, sources.second)  # its binh-minh resolution has other1's number
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert counted(page, "new") == 0
    assert counted(page, "unchanged") == len(sources.base)
    assert counted(page, "conflicts") == 1
    conflict = section_of(page, "conflicts")
    other_id = parse_folder(sources.other_b.rsplit("/", 1)[-1]).id  # type: ignore[union-attr]
    holder_id = parse_folder(sources.extra_b.rsplit("/", 1)[-1]).id  # type: ignore[union-attr]
    assert other_id in conflict and sources.extra_b in conflict
    assert f"đã dùng cho văn bản {holder_id}" in conflict and "xung đột, không nhập" in conflict
    assert "không được ghi vào kho" in page
    assert doc_count(site.root) == count and sources.other_b not in folders_of(site.root)

    page = send(committee, sources.first).get_data(as_text=True)  # again: nothing new
    assert counted(page, "new") == 0 and counted(page, "conflicts") == 0
    assert counted(page, "unchanged") == len(sources.base) + len(sources.cam_lo) + 1
    assert doc_count(site.root) == count


def test_report_in_english(site: Site, sources: Sources, committee: Any) -> None:
    committee.get("/lang/en")
    page = send(committee, sources.second).get_data(as_text=True)
    assert '<h2 id="new">New (' in page and "Already there (" in page
    assert "Conflicts, not imported (0)" in page and "Mới nhập" not in page


def test_uploaded_name_is_escaped(site: Site, sources: Sources, committee: Any) -> None:
    hostile = '<script>alert("x")</script>.zip'
    page = send(committee, sources.new, name=hostile).get_data(as_text=True)
    assert counted(page, "new") == 2
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    page = send(committee, data=b"no zip", name=hostile).get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page


# -------------------------------------------------------------- bad uploads
def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def _manifest(*members: str) -> bytes:
    return json.dumps({"format": FORMAT, "created_at": "2026-01-01T00:00:00Z", "folders": [],
                       "members": {m: "0" * 64 for m in members}}).encode()


def _bad_uploads(site: Site) -> dict[str, tuple[bytes, str, str]]:
    """name → (content, uploaded file name, a part of the library's message)."""
    folder = sorted(folders_of(site.root))[0]
    docx = next((site.root / folder).glob("*.docx")).read_bytes()
    fake = folder.rsplit("_", 1)[0] + "_0123456789"  # a well-formed version folder name
    bomb = f"archive/{fake}/van-ban.docx"
    return {
        "empty": (b"", "goi.zip", "không phải tệp zip"),
        "not a zip": (b"PK? this is not a zip file at all\n" * 40, "goi.zip", "không phải tệp zip"),
        "a docx": (docx, "bien-ban.docx", f"thiếu {MANIFEST}"),
        "path traversal": (_zip({MANIFEST: _manifest("../../evil.txt"), "../../evil.txt": b"owned"}),
                           "goi.zip", "có thành phần đường dẫn .."),
        "zip bomb": (_zip({MANIFEST: _manifest(bomb), bomb: bytes(16 * 1024 * 1024)}),
                     "goi.zip", "dấu hiệu zip bomb"),
    }


@pytest.mark.parametrize("case", ["empty", "not a zip", "a docx", "path traversal", "zip bomb"])
def test_bad_upload_writes_nothing(site: Site, committee: Any, case: str) -> None:
    content, name, expected = _bad_uploads(site)[case]
    before, logged, folders = doc_count(site.root), audit_len(site.root), folders_of(site.root)
    resp = send(committee, data=content, name=name)
    assert resp.status_code == 400, case
    page = resp.get_data(as_text=True)
    assert 'class="error"' in page and expected in page, page[:3000]
    assert name in page  # the message names the user's file, not the server's copy
    assert ".docgen/receive-" not in page
    assert doc_count(site.root) == before and audit_len(site.root) == logged
    assert folders_of(site.root) == folders
    assert leftovers(site.root) == []
    assert not (site.root / "evil.txt").exists() and not (site.root.parent / "evil.txt").exists()


def test_no_file_chosen(site: Site, committee: Any) -> None:
    logged = audit_len(site.root)
    resp = send(committee)
    assert resp.status_code == 400
    assert "Chưa chọn tệp gói" in resp.get_data(as_text=True)
    assert audit_len(site.root) == logged


def test_upload_over_the_size_limit(site: Site, sources: Sources, committee: Any) -> None:
    site.app.config["MAX_CONTENT_LENGTH"] = sources.first.stat().st_size // 2
    before, logged = doc_count(site.root), audit_len(site.root)
    resp = send(committee, sources.first, token=csrf_of(committee, "/receive"))
    assert resp.status_code == 413
    assert "tệp tải lên quá lớn" in resp.get_data(as_text=True)
    assert doc_count(site.root) == before and audit_len(site.root) == logged
    assert leftovers(site.root) == []
