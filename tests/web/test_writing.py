"""The web app's writing library (docgen.web.writing): a checked form rendered and filed for
a cell through the CLI's own functions, amended, the per-draft lock, what a filed draft
became, the preview cache. Over the real two-cell archive of conftest."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import CELL_A, CELL_B, CONFIG, EXAMPLES, Site

from docgen.app import find_document
from docgen.archive.audit import AUDIT_FILE
from docgen.archive.records import INPUT_FILE
from docgen.authoring.webform import check_form, data_from_form, form_pairs
from docgen.cells import CellEntry, Cells
from docgen.cli import main
from docgen.docxtext import docx_text
from docgen.errors import DocgenError
from docgen.model.files import read_mapping
from docgen.printing.service import PageImage, Preview
from docgen.web import writing
from docgen.web.drafts import Drafts

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def as_user(site: Site) -> Iterator[Any]:
    """A request of ``bt.a`` (what settings_for_write reads), as the views have one."""
    from flask import g

    with site.app.test_request_context("/"):
        g.settings = site.settings
        g.user = site.app.config["ACCOUNTS"].get("bt.a")
        g.lang = "vi"
        yield g


def cell(site: Site, cell_id: str = CELL_A) -> CellEntry:
    return Cells(site.settings).get(cell_id)


def example(kind: str) -> dict[str, Any]:
    data = read_mapping(EXAMPLES / f"{kind}.yaml")
    data.pop("number", None)  # the example's number is taken in the archive: a new one is given
    return data_from_form(kind, form_pairs(kind, data))


def audit_lines(site: Site) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (site.root / AUDIT_FILE).read_text(encoding="utf-8").splitlines()]


def cli_text(site: Site, data: dict[str, Any], tmp_path: Path, profile: Path) -> str:
    """The text of ``data`` rendered by ``docgen render`` with the cell's profile."""
    import yaml

    source, out = tmp_path / "input.yaml", tmp_path / "cli.docx"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(CONFIG), "--archive", str(site.root), "render",
                                       str(source), "-o", str(out)],
                                env={"DOCGEN_PROFILE": str(profile), "DOCGEN_LANG": "vi"})
    assert result.exit_code == 0, result.output
    return docx_text(out)


def test_file_paper_numbers_indexes_and_audits_with_the_login(site: Site, as_user: Any, tmp_path: Path) -> None:
    entry = cell(site)
    data = example("nghi-quyet")
    data["absent"] = [{"member": "m05", "reason": "ốm"}]  # the minutes of that sitting name three
    filed = writing.file_paper(entry, data)
    doc = filed.doc
    assert doc.meta.number is not None and doc.meta.number > 5 and doc.version == 1
    assert doc.meta.cell == "CHI BỘ THÔN AN THÀNH"
    last = audit_lines(site)[-1]
    assert (last["op"], last["id"], last["user"]) == ("new", doc.id, "bt.a")
    # the archive's own paper, as `docgen render` renders the same input with its number
    archived = find_document(site.settings, doc.id)
    assert docx_text(archived.docx_path) == cli_text(site, {**data, "number": doc.meta.number}, tmp_path,
                                                     entry.profile_path)
    assert read_mapping(archived.folder / INPUT_FILE)["place"] == data["place"]
    # the minutes of that sitting say otherwise: the archive's warning, as `docgen new` gives it
    assert any("cùng buổi họp ngày 10/3/2026 ghi khác nhau" in w.vi for w in filed.warnings)
    # the search index of the server is told (its next search looks at the archive again)
    assert site.app.config["INDEX"]._checked == 0.0


def test_file_paper_for_the_other_cell_uses_its_profile(site: Site, as_user: Any) -> None:
    from flask import g

    g.user = site.app.config["ACCOUNTS"].get("bt.b")
    data = example("bien-ban-thuong-ky")
    data["place"] = "Nhà văn hóa thôn Bình Minh"
    filed = writing.file_paper(cell(site, CELL_B), data)
    assert filed.doc.meta.cell == "CHI BỘ THÔN BÌNH MINH"
    assert audit_lines(site)[-1]["user"] == "bt.b"


def test_a_refused_input_files_nothing(site: Site, as_user: Any) -> None:
    data = example("nghi-quyet")
    data["number"] = 5  # the example filed in the archive has it
    before = audit_lines(site)
    with pytest.raises(DocgenError) as refused:
        writing.file_paper(cell(site), data)
    assert "5" in refused.value.render("vi")
    assert audit_lines(site) == before


def test_amend_keeps_the_number_and_adds_a_version(site: Site, as_user: Any) -> None:
    entry = cell(site)
    filed = writing.file_paper(entry, example("nghi-quyet"))
    data = read_mapping(filed.doc.folder / INPUT_FILE)
    again = data_from_form("nghi-quyet", form_pairs("nghi-quyet", data))
    again["place"] = "Hội trường thôn An Thành"
    amended = writing.amend_paper(entry, filed.doc.id, again)
    assert (amended.doc.id, amended.doc.version, amended.doc.meta.number) == (filed.doc.id, 2, filed.doc.meta.number)
    assert "Hội trường thôn An Thành" in docx_text(find_document(site.settings, filed.doc.id).docx_path)
    last = audit_lines(site)[-1]
    assert (last["op"], last["user"], last["version"]) == ("amend", "bt.a", 2)


def test_render_document_is_the_clis_render(site: Site, as_user: Any, tmp_path: Path) -> None:
    entry = cell(site)
    data = example("bien-ban-chuyen-de")
    settings = writing.cell_settings(site.settings, entry)
    check = check_form("bien-ban-chuyen-de", data, entry.profile(), settings)
    assert check.ok and check.document is not None
    rendered = writing.render_document(check.document, settings)
    assert docx_text(rendered.docx) == cli_text(site, data, tmp_path, entry.profile_path)
    assert rendered.meta.number is None  # not numbered before it is filed


def test_write_settings_carry_the_login_and_the_cells_profile(site: Site, as_user: Any) -> None:
    settings = writing.write_settings(cell(site, CELL_B))
    assert settings.user == "bt.a" and settings.profile_path == cell(site, CELL_B).profile_path
    assert settings.archive_root == site.root


def test_content_key_changes_with_the_content() -> None:
    one = writing.content_key({"kind": "nghi-quyet", "place": "A"})
    assert one == writing.content_key({"place": "A", "kind": "nghi-quyet"})  # the order of keys aside
    assert one != writing.content_key({"kind": "nghi-quyet", "place": "B"})
    assert len(one) == 64


def test_draft_lock_makes_a_second_request_wait(site: Site) -> None:
    draft_id = Drafts.new_id()
    order: list[str] = []
    inside = threading.Event()

    def first() -> None:
        with writing.draft_lock(site.root, CELL_A, draft_id):
            inside.set()
            time.sleep(0.3)
            order.append("first done")

    worker = threading.Thread(target=first)
    worker.start()
    assert inside.wait(5)
    with writing.draft_lock(site.root, CELL_A, draft_id):
        order.append("second")
    worker.join()
    assert order == ["first done", "second"]
    # another draft does not wait
    with writing.draft_lock(site.root, CELL_A, draft_id), writing.draft_lock(site.root, CELL_A, Drafts.new_id()):
        pass


def test_draft_lock_gives_up_after_its_timeout(site: Site) -> None:
    draft_id = Drafts.new_id()
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with writing.draft_lock(site.root, CELL_A, draft_id):
            held.set()
            release.wait(10)

    worker = threading.Thread(target=holder)
    worker.start()
    assert held.wait(5)
    try:
        with pytest.raises(writing.DraftBusy) as busy, writing.draft_lock(site.root, CELL_A, draft_id, timeout=0.2):
            pass
        assert "đang được lưu" in busy.value.render("vi")
    finally:
        release.set()
        worker.join()
    with pytest.raises(ValueError), writing.draft_lock(site.root, "../x", draft_id):
        pass


def test_the_lock_file_of_a_draft_that_is_gone_is_removed(site: Site) -> None:
    draft_id = Drafts.new_id()
    path = site.root / writing.LOCKS_DIR / f"{CELL_A}.{draft_id}.lock"
    with writing.draft_lock(site.root, CELL_A, draft_id):
        assert path.exists()
    assert path.exists()  # kept while the draft is there
    with writing.draft_lock(site.root, CELL_A, draft_id) as held:
        held.gone = True
    assert not path.exists()


def test_remember_what_a_draft_became(site: Site) -> None:
    draft_id = Drafts.new_id()
    assert writing.filed_as(site.root, CELL_A, draft_id) is None
    writing.remember_filed(site.root, CELL_A, draft_id, "0123456789")
    assert writing.filed_as(site.root, CELL_A, draft_id) == "0123456789"
    assert writing.filed_as(site.root, CELL_B, draft_id) is None  # per cell
    assert writing.filed_as(site.root, CELL_A, "../../users") is None
    # an old note is forgotten when the next one is written
    old = site.root / writing.FILED_DIR / CELL_A / f"{draft_id}.json"
    past = time.time() - (writing.FILED_KEPT_DAYS + 1) * 86400
    import os

    os.utime(old, (past, past))
    writing.remember_filed(site.root, CELL_A, Drafts.new_id(), "abcdefabcd")
    assert not old.exists()


def _preview(pages: int, text: bytes = b"") -> Preview:
    return Preview(b"%PDF-1.7 " + text, tuple(PageImage(PNG + bytes([i]) + text, 596, 842) for i in range(pages)),
                   pages, 72)


def test_preview_cache_keeps_the_last_preview_of_a_draft(site: Site) -> None:
    previews = writing.Previews(site.root)
    draft_id = Drafts.new_id()
    first, second = "a" * 64, "b" * 64
    assert previews.get(CELL_A, draft_id, first) is None
    cached = previews.put(CELL_A, draft_id, first, _preview(2, b"one"))
    assert cached.sizes == ((596, 842), (596, 842)) and cached.page_count == 2
    assert cached.pdf.read_bytes() == b"%PDF-1.7 one"
    page = cached.page(2)
    assert page is not None and page.read_bytes() == PNG + b"\x01one"
    assert cached.page(0) is None and cached.page(3) is None
    assert previews.get(CELL_A, draft_id, first) == cached  # read back from disk
    newer = previews.put(CELL_A, draft_id, second, _preview(1, b"two"))
    assert previews.get(CELL_A, draft_id, first) is None  # replaced: one preview a draft
    assert previews.get(CELL_A, draft_id, second) == newer
    assert previews.get(CELL_A, draft_id, "../" + "c" * 61) is None
    with pytest.raises(ValueError):
        previews.put(CELL_A, draft_id, "not-a-key", _preview(1))
    previews.drop(CELL_A, draft_id)
    assert previews.get(CELL_A, draft_id, second) is None
    assert not (site.root / writing.PREVIEWS_DIR / CELL_A / draft_id).exists()
