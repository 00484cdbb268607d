"""An imported old paper on the web app: its page says where it came from, its original
downloads byte for byte, and another cell's secretary gets nothing (issue 13)."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from conftest import CELL_A, EXAMPLES, Site  # noqa: E402

from docgen.cells import Cells  # noqa: E402
from docgen.cli import main  # noqa: E402
from docgen.importing.importer import ImportOptions, run_import  # noqa: E402


def _old_paper(tmp: Path) -> Path:
    """A Unicode .docx of a resolution, as docgen would have written it."""
    import yaml

    data = yaml.safe_load((EXAMPLES / "nghi-quyet.yaml").read_text("utf-8"))
    data.update(number=4, date="12/4/2026")
    source = tmp / "nq-2019.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    out = tmp / "Nghị quyết 04 cũ.docx"
    result = CliRunner().invoke(main, ["--config", str(EXAMPLES / "docgen.toml"), "render",
                                       str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _import(site: Site, paper: Path) -> str:
    profile = Cells(site.settings).get(CELL_A).profile_path
    settings = dataclasses.replace(site.settings, profile_path=profile, user="bt.a")
    report = run_import(settings, [paper], ImportOptions(cell=CELL_A))
    row = report.rows[0]
    assert row.status == "imported", row
    assert row.doc_id is not None
    site.app.config["INDEX"].changed()
    return row.doc_id


def test_the_page_of_an_imported_paper_and_its_original(site: Site, tmp_path: Path) -> None:
    paper = _old_paper(tmp_path)
    doc_id = _import(site, paper)
    client = site.client("bt.a")
    page = client.get(f"/doc/{doc_id}").get_data(as_text=True)
    assert "Nhập từ giấy tờ cũ" in page and "Nghị quyết 04 cũ.docx" in page
    assert "04-NQ/CB" in page and "nhập từ giấy tờ cũ" in page  # the versions table's event
    original = client.get(f"/doc/{doc_id}/v1/original")
    assert original.status_code == 200
    assert original.get_data() == paper.read_bytes()
    assert "Ngh" in original.headers["Content-Disposition"]
    found = client.get("/api/search?q=04-NQ/CB").get_data(as_text=True)
    assert doc_id in json.dumps(json.loads(found))
    assert "Sửa văn bản" not in page
    token = client.get(f"/doc/{doc_id}/amend")
    assert token.status_code == 409 and "bản gốc" in token.get_data(as_text=True)
    other = site.client("bt.b")
    assert other.get(f"/doc/{doc_id}").status_code == 404
    assert other.get(f"/doc/{doc_id}/v1/original").status_code == 404


def test_a_filed_paper_has_no_original_download(site: Site) -> None:
    client = site.client("bt.a")
    listed = client.get("/api/list").get_json()
    doc_id = listed["documents"][0]["id"] if isinstance(listed, dict) else listed[0]["id"]
    assert client.get(f"/doc/{doc_id}/v1/original").status_code == 404
    assert "Bản gốc" not in client.get(f"/doc/{doc_id}").get_data(as_text=True)
