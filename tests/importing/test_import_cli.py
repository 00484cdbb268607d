"""`docgen import` end to end through the CLI: real files, a real on-disk archive, the real
search index; LibreOffice and tesseract where a test says so."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

sys.path.insert(0, str(Path(__file__).parent))

from importing_support import require_tool  # noqa: E402

from docgen.archive import Archive  # noqa: E402
from docgen.cli import main  # noqa: E402
from docgen.vn.legacy import encode_tcvn3  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CONFIG = EXAMPLES / "docgen.toml"


def run(archive: Path, *args: str, lang: str = "en") -> Result:
    return CliRunner().invoke(
        main, ["--lang", lang, "--config", str(CONFIG), "--archive", str(archive), *args],
        env={"DOCGEN_USER": "van-thu"})


def imported(result: Result) -> dict[str, Any]:
    assert "Traceback" not in result.output, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def render(tmp: Path, name: str, example: str = "nghi-quyet", **changes: Any) -> Path:
    """An old paper as docgen itself would have written it (Unicode .docx)."""
    data = yaml.safe_load((EXAMPLES / f"{example}.yaml").read_text("utf-8"))
    data.update(changes)
    source = tmp / f"{name}.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    out = tmp / f"{name}.docx"
    result = CliRunner().invoke(main, ["--config", str(CONFIG), "render", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    source.unlink()
    return out


def folders(archive: Path) -> list[Path]:
    return sorted(p for p in archive.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*") if p.is_dir())


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("papers")
    render(tmp, "nq-05", number=5, date="10/3/2026")
    render(tmp, "nq-07", number=7, date="12/5/2026")
    return tmp


def test_import_files_a_docx_like_a_filed_paper(tmp_path: Path, papers: Path) -> None:
    archive = tmp_path / "arch"
    paper = papers / "nq-05.docx"
    result = run(archive, "import", str(paper), "--json")
    assert result.exit_code == 0, result.output
    row = imported(result)["files"][0]
    assert row["status"] == "imported" and row["kind"] == "nghi-quyet"
    assert row["number_text"] == "05-NQ/CB" and row["date"] == "2026-03-10"
    assert row["cell"] == "CHI BỘ THÔN AN THÀNH" and row["encoding"] == "unicode"
    assert row["ocr"] is False and not row["review"]
    doc_id = row["id"]
    doc = Archive(archive).get(doc_id)
    assert (doc.folder / "original.docx").read_bytes() == paper.read_bytes()
    record = json.loads((doc.folder / "meta.json").read_text("utf-8"))
    origin = record["imported"]["original"]
    assert origin["name"] == "nq-05.docx" and origin["path"] == str(paper.resolve())
    assert record["event"] == "import-paper" and record["imported"]["importer"].startswith("docgen ")
    text = run(archive, "show", doc_id, "--text")
    assert text.exit_code == 0 and "Số 05-NQ/CB" in text.stdout
    assert record["imported"]["text_sha256"]
    shown = run(archive, "show", doc_id)
    assert "Imported from:" in shown.stdout and "nq-05.docx" in shown.stdout
    found = run(archive, "search", "lanh dao thuc hien nhiem vu", "--json")
    assert found.exit_code == 0 and doc_id in found.stdout
    assert run(archive, "list", "--kind", "nghi-quyet").stdout.count(doc_id) == 1
    assert run(archive, "verify").exit_code == 0


def test_importing_again_changes_nothing_and_numbering_follows(tmp_path: Path, papers: Path) -> None:
    archive = tmp_path / "arch"
    first = imported(run(archive, "import", str(papers), "--json"))
    assert first["summary"]["imported"] == 2
    before = folders(archive)
    again = run(archive, "import", str(papers), "--json")
    assert again.exit_code == 0
    rows = imported(again)["files"]
    assert {r["status"] for r in rows} == {"duplicate"}
    assert folders(archive) == before
    # the same paper (cell, number, date) in other bytes is a duplicate too
    other = tmp_path / "copy"
    other.mkdir()
    copy = render(other, "nq-05-copy", number=5, date="10/3/2026", place="Quang Kim")
    same = imported(run(archive, "import", str(copy), "--json"))["files"][0]
    assert same["status"] == "duplicate" and same["duplicate_of"] == first["files"][0]["id"]
    # the next paper docgen files follows the imported numbers
    data = yaml.safe_load((EXAMPLES / "nghi-quyet.yaml").read_text("utf-8"))
    data.pop("number", None)
    data["date"] = "20/6/2026"
    source = tmp_path / "next.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    filed = run(archive, "new", str(source))
    assert filed.exit_code == 0, filed.output
    assert "08-NQ/CB" in filed.stdout


def test_a_number_held_by_another_paper_is_a_conflict_and_the_rest_is_imported(
        tmp_path: Path, papers: Path) -> None:
    archive = tmp_path / "arch"
    assert run(archive, "import", str(papers / "nq-05.docx")).exit_code == 0
    clash = render(tmp_path, "clash", number=5, date="15/4/2026")
    result = run(archive, "import", str(clash), str(papers / "nq-07.docx"), "--json")
    assert result.exit_code == 10
    rows = {Path(r["file"]).name: r for r in imported(result)["files"]}
    assert rows["clash.docx"]["status"] == "failed" and "05-NQ/CB" in rows["clash.docx"]["error"]
    assert rows["nq-07.docx"]["status"] == "imported"
    assert len(folders(archive)) == 2


def test_bad_files_are_reported_and_nothing_of_them_is_written(tmp_path: Path, papers: Path) -> None:
    archive = tmp_path / "arch"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.docx").write_bytes(b"")
    (bad / "notes.xyz").write_bytes(b"hello")
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage without objects")
    (bad / "fake.docx").write_bytes(b"this is not a zip at all")
    (bad / "~$lock.docx").write_bytes(b"owner lock")  # Word's lock file: skipped
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (600 * 1024 * 1024))
    (bad / "bomb.docx").write_bytes(bomb.getvalue())
    shutil.copy(papers / "nq-05.docx", bad / "good.docx")
    result = run(archive, "import", str(bad), "--json", lang="vi")
    assert result.exit_code == 10, result.output
    rows = {Path(r["file"]).name: r for r in imported(result)["files"]}
    assert "~$lock.docx" not in rows
    assert rows["good.docx"]["status"] == "imported"
    for name in ("empty.docx", "notes.xyz", "broken.pdf", "fake.docx", "bomb.docx"):
        assert rows[name]["status"] == "failed", (name, rows[name])
        assert rows[name]["error"], name
    assert "rỗng" in rows["empty.docx"]["error"]
    assert len(folders(archive)) == 1
    assert run(archive, "verify").exit_code == 0
    every = run(archive, "import", str(bad / "empty.docx"))
    assert every.exit_code == 3 and "Traceback" not in every.output


def test_dry_run_writes_nothing_and_metadata_corrects_the_import(tmp_path: Path, papers: Path) -> None:
    archive = tmp_path / "arch"
    shutil.copytree(papers, tmp_path / "papers")
    papers = tmp_path / "papers"
    sheet = papers / "sua.csv"  # kept beside the papers: it is no paper of the run
    plan = run(archive, "import", str(papers), "--dry-run", "--write-metadata", str(sheet))
    assert plan.exit_code == 0, plan.output
    assert not archive.exists()
    assert "nq-05.docx" in plan.stdout and "Dry run" in plan.stdout
    text = sheet.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {Path(r["file"]).name for r in rows} == {"nq-05.docx", "nq-07.docx"}
    for row in rows:
        if row["file"].endswith("nq-07.docx"):
            row["date"] = "13/5/2026"
            row["title"] = "NGHỊ QUYẾT về công tác tháng 5"
            row["topics"] = "vsmt"
        if row["file"].endswith("nq-05.docx"):
            row["skip"] = "x"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    sheet.write_text(out.getvalue(), "utf-8")
    done = imported(run(archive, "import", str(papers), "--metadata", str(sheet), "--json"))
    by_name = {Path(r["file"]).name: r for r in done["files"]}
    assert by_name["nq-05.docx"]["status"] == "skipped"
    row = by_name["nq-07.docx"]
    assert row["status"] == "imported" and row["date"] == "2026-05-13"
    assert row["title"] == "NGHỊ QUYẾT về công tác tháng 5" and row["topics"] == ["vsmt"]
    assert sorted(row["corrected"]) == ["date", "title", "topics"]


def test_a_bad_metadata_value_stops_before_anything_is_written(tmp_path: Path, papers: Path) -> None:
    archive = tmp_path / "arch"
    sheet = tmp_path / "sua.csv"
    sheet.write_text("file,date\nnq-05.docx,31/2/2026\n", "utf-8")
    result = run(archive, "import", str(papers), "--metadata", str(sheet), lang="vi")
    assert result.exit_code == 3, result.output
    assert "sua.csv, dòng 2, cột date" in result.stderr and "Traceback" not in result.output
    assert not archive.exists()
    sheet.write_text("file,colour\nnq-05.docx,red\n", "utf-8")
    unknown = run(archive, "import", str(papers), "--metadata", str(sheet))
    assert unknown.exit_code == 3 and "unknown column" in unknown.stderr


def test_withdraw_keeps_the_original_and_amend_is_refused(tmp_path: Path, papers: Path) -> None:
    archive = tmp_path / "arch"
    doc_id = imported(run(archive, "import", str(papers / "nq-05.docx"), "--json"))["files"][0]["id"]
    amend = run(archive, "amend", doc_id, str(EXAMPLES / "nghi-quyet.yaml"))
    assert amend.exit_code == 6 and "imported" in amend.stderr
    assert run(archive, "withdraw", doc_id, "--reason", "nhập nhầm").exit_code == 0
    current = Archive(archive).get(doc_id)
    assert current.version == 2 and (current.folder / "original.docx").is_file()
    record = json.loads((current.folder / "meta.json").read_text("utf-8"))
    assert record["imported"]["original"]["name"] == "nq-05.docx"
    assert run(archive, "verify").exit_code == 0
    # withdrawn: importing the file again brings it back as a new paper
    again = imported(run(archive, "import", str(papers / "nq-05.docx"), "--json"))["files"][0]
    assert again["status"] == "imported" and again["id"] != doc_id


def test_bundles_carry_imported_papers(tmp_path: Path, papers: Path) -> None:
    archive = tmp_path / "arch"
    assert run(archive, "import", str(papers)).exit_code == 0
    bundle = tmp_path / "b.zip"
    assert run(archive, "export", "-o", str(bundle)).exit_code == 0
    other = tmp_path / "other"
    merged = run(other, "import-bundle", str(bundle))
    assert merged.exit_code == 0, merged.output
    assert run(other, "verify").exit_code == 0
    docs = Archive(other).list()
    assert len(docs) == 2 and all((d.folder / "original.docx").is_file() for d in docs)


def test_a_tcvn3_text_file_is_decoded_and_found_without_accents(tmp_path: Path) -> None:
    archive = tmp_path / "arch"
    lines = ["ĐẢNG BỘ XÃ QUANG KIM", "CHI BỘ THÔN AN THÀNH", "Số 03-NQ/CB",
             "An Thành, ngày 05 tháng 02 năm 2018", "NGHỊ QUYẾT",
             "về công tác vệ sinh môi trường trường học", "Chi bộ thống nhất thực hiện."]
    body = "\r\n".join(encode_tcvn3(line, capitals=line.isupper()) for line in lines)
    paper = tmp_path / "nq-2018.txt"
    paper.write_bytes(body.encode("cp1252"))
    row = imported(run(archive, "import", str(paper), "--json"))["files"][0]
    assert row["status"] == "imported" and row["encoding"] == "tcvn3", row
    assert row["number_text"] == "03-NQ/CB" and row["date"] == "2018-02-05"
    text = run(archive, "show", row["id"], "--text").stdout
    assert "vệ sinh môi trường trường học" in text
    found = run(archive, "search", "ve sinh moi truong truong hoc", "--json")
    assert row["id"] in found.stdout


@pytest.mark.libreoffice
def test_an_imported_pdf_prints_as_it_is(tmp_path: Path, papers: Path) -> None:
    require_tool("soffice")
    archive = tmp_path / "arch"
    first = imported(run(archive, "import", str(papers / "nq-07.docx"), "--json"))["files"][0]
    pdf = tmp_path / "nq-07.pdf"
    assert run(archive, "pdf", first["id"], "-o", str(pdf)).exit_code == 0
    other = tmp_path / "other"
    row = imported(run(other, "import", str(pdf), "--json"))["files"][0]
    assert row["status"] == "imported" and row["source"] == "pdf", row
    assert row["number_text"] == "07-NQ/CB" and row["date"] == "2026-05-12"
    printed = tmp_path / "printed.pdf"
    assert run(other, "pdf", row["id"], "-o", str(printed)).exit_code == 0
    assert printed.read_bytes() == pdf.read_bytes()
    doc = Archive(other).get(row["id"])
    assert doc.print_path is not None and doc.print_path.name == "original.pdf"


def test_a_scanned_image_is_read_with_ocr_and_prints_from_its_pdf(tmp_path: Path) -> None:
    require_tool("tesseract")
    from PIL import Image, ImageDraw, ImageFont

    font_path = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
    if not Path(font_path).is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("fonts-liberation2 must be installed in CI (make sysdeps)")
        pytest.skip("fonts-liberation2 is not installed (make sysdeps)")
    page = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(font_path, 40)
    lines = [(160, "ĐẢNG BỘ XÃ QUANG KIM"), (160, "CHI BỘ THÔN AN THÀNH"),
             (160, "Số 09-NQ/CB"), (160, ""), (600, "NGHỊ QUYẾT"),
             (300, "về công tác vệ sinh môi trường năm 2019"),
             (160, "Ngày 10 tháng 3 năm 2019, chi bộ họp và thống nhất."),
             (160, "Chi bộ giao cho các đảng viên thực hiện việc thu gom rác thải.")]
    y = 160
    for x, line in lines:
        draw.text((x, y), line, font=font, fill=0)
        y += 70
    draw.text((950, 160), "ĐẢNG CỘNG SẢN VIỆT NAM", font=font, fill=0)
    draw.text((950, 300), "An Thành, ngày 10 tháng 3 năm 2019", font=font, fill=0)
    scan = tmp_path / "scan.png"
    page.save(scan, dpi=(200, 200))
    archive = tmp_path / "arch"
    row = imported(run(archive, "import", str(scan), "--json"))["files"][0]
    assert row["status"] == "imported" and row["ocr"] is True, row
    assert row["number_text"] == "09-NQ/CB" and row["date"] == "2019-03-10"
    doc = Archive(archive).get(row["id"])
    assert doc.print_path is not None and doc.print_path.name == "print.pdf"
    assert doc.print_path.read_bytes().startswith(b"%PDF")
    record = json.loads((doc.folder / "meta.json").read_text("utf-8"))
    assert record["imported"]["ocr"]["lang"] == "vie"
    assert "vệ sinh môi trường" in run(archive, "show", row["id"], "--text").stdout


def test_a_numbered_paper_without_a_readable_date_is_not_filed(tmp_path: Path) -> None:
    """The file's modification date is no paper's date: filing under it would make false
    duplicates and clash with numbers; the report asks for the date instead."""
    archive = tmp_path / "arch"
    folder = tmp_path / "undated"
    folder.mkdir()
    for i in range(3):
        lines = ["ĐẢNG BỘ XÃ QUANG KIM", "CHI BỘ THÔN AN THÀNH", "Số 01-NQ/CB", "NGHỊ QUYẾT",
                 f"về việc số {i}", "Chi bộ thống nhất thực hiện."]
        (folder / f"nq-{i}.txt").write_text("\n".join(lines), "utf-8")
    plan = imported(run(archive, "import", str(folder), "--dry-run", "--json"))
    assert {r["status"] for r in plan["files"]} == {"failed"}
    result = run(archive, "import", str(folder), "--json", lang="vi")
    assert result.exit_code == 3
    rows = imported(result)["files"]
    assert {r["status"] for r in rows} == {"failed"} and all("ngày" in r["error"] for r in rows)
    assert folders(archive) == []


def test_the_refusal_to_amend_an_imported_paper_reads_well(tmp_path: Path, papers: Path) -> None:
    archive = tmp_path / "arch"
    doc_id = imported(run(archive, "import", str(papers / "nq-05.docx"), "--json"))["files"][0]["id"]
    vi = run(archive, "amend", doc_id, str(EXAMPLES / "nghi-quyet.yaml"), lang="vi")
    assert vi.exit_code == 6 and "không sửa được" in vi.stderr
    en = run(archive, "amend", doc_id, str(EXAMPLES / "nghi-quyet.yaml"))
    assert "cannot be amended" in en.stderr
