"""`docgen pdf` without -o: a readable ASCII file name in the current folder, never an
overwrite (issue 10); `docgen open --pdf` opens a read-only copy of the same name in the
user's working folder, never a file of the archive. The names are unit-tested; the
commands run end to end with real LibreOffice on a real archive.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import stat
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docgen.app import place_copy
from docgen.archive.ids import cell_slug, readable_name
from docgen.cli import main
from docgen.model.meta import DocMeta

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

NQ = DocMeta(kind="nghi-quyet", cell="CHI BỘ THÔN AN THÀNH", superior="ĐẢNG BỘ XÃ QUANG KIM",
             issuer_symbol="CB", type_symbol="NQ", number=5, date=dt.date(2026, 3, 10),
             title="NGHỊ QUYẾT lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026")


# ------------------------------------------------------------------------ names


def test_the_name_of_a_numbered_document() -> None:
    assert readable_name(NQ) == "NQ-05-2026-03-10-an-thanh.pdf"
    assert readable_name(dataclasses.replace(NQ, number=123)) == "NQ-123-2026-03-10-an-thanh.pdf"
    assert readable_name(NQ, variant="pdfa") == "NQ-05-2026-03-10-an-thanh-pdfa.pdf"
    assert readable_name(NQ, ".docx") == "NQ-05-2026-03-10-an-thanh.docx"
    minutes = dataclasses.replace(NQ, kind="bien-ban-thuong-ky", type_symbol="BB", number=7)
    assert readable_name(minutes) == "BB-07-2026-03-10-an-thanh.pdf"


def test_drafts_and_never_numbered_kinds() -> None:
    assert readable_name(dataclasses.replace(NQ, number=None, draft=True)) == \
        "NQ-du-thao-2026-03-10-an-thanh.pdf"
    assert readable_name(dataclasses.replace(NQ, number=None)) == \
        "NQ-du-thao-2026-03-10-an-thanh.pdf"  # numbered kind, number not assigned yet
    outline = dataclasses.replace(NQ, kind="de-cuong-chuyen-de", type_symbol="", number=None,
                                  numbered=False, date=dt.date(2026, 3, 17))
    assert readable_name(outline) == "DC-2026-03-17-an-thanh.pdf"
    assert readable_name(dataclasses.replace(outline, draft=True)) == \
        "DC-du-thao-2026-03-17-an-thanh.pdf"


@pytest.mark.parametrize(("cell", "slug"), [
    ("CHI BỘ THÔN AN THÀNH", "an-thanh"),
    ("Chi bộ thôn An Thành", "an-thanh"),
    ("CHI BỘ XÓM ĐÔNG", "dong"),
    ("CHI BỘ XÓM 1", "xom-1"),  # a bare number keeps its place word
    ("CHI BỘ ẤP PHƯỚC LỢI", "phuoc-loi"),
    ("CHI BỘ KHU PHỐ ĐÔNG HƯNG", "dong-hung"),
    ("CHI BỘ TRƯỜNG THCS QUANG KIM", "truong-thcs-quang-kim"),
    ("CHI BỘ\u00a0 THÔN   AN/THÀNH\u200b", "an-thanh"),
    ("ĐẢNG BỘ XÃ QUANG KIM", "dang-bo-xa-quang-kim"),
    ("../../etc/passwd", "etc-passwd"),
    ("", ""),
])
def test_cell_slugs(cell: str, slug: str) -> None:
    assert cell_slug(cell) == slug


def test_long_cell_names_are_cut_at_a_word_and_names_stay_ascii() -> None:
    long = "CHI BỘ CƠ QUAN ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM VÀ CÁC ĐOÀN THỂ CHÍNH TRỊ - XÃ HỘI XÃ"
    slug = cell_slug(long)
    assert slug == "co-quan-uy-ban-mat-tran-to-quoc-viet-nam" and len(slug) <= 40
    name = readable_name(dataclasses.replace(NQ, cell=long, type_symbol="NQ/Đ"))
    assert name == f"NQD-05-2026-03-10-{slug}.pdf"
    assert name.isascii() and "/" not in name and "\\" not in name


# ------------------------------------------------------------- never overwrite


def test_place_copy_reuses_an_identical_file_and_never_replaces_another(tmp_path: Path) -> None:
    pdf = tmp_path / "cache.pdf"
    pdf.write_bytes(b"%PDF-1.7 the document")
    here = tmp_path / "here"
    here.mkdir()
    first = place_copy(pdf, here, "NQ-05.pdf")
    assert first.path == here / "NQ-05.pdf" and not first.reused and first.taken is None
    assert first.path.read_bytes() == pdf.read_bytes()
    again = place_copy(pdf, here, "NQ-05.pdf")
    assert again.path == first.path and again.reused
    first.path.write_bytes(b"someone else's file")
    moved = place_copy(pdf, here, "NQ-05.pdf")
    assert moved.path == here / "NQ-05-2.pdf" and moved.taken == first.path
    assert first.path.read_bytes() == b"someone else's file"
    (here / "NQ-05-2.pdf").write_bytes(b"another one")
    (here / "NQ-05-3.pdf").mkdir()  # a folder is never a match
    assert place_copy(pdf, here, "NQ-05.pdf").path == here / "NQ-05-4.pdf"
    assert place_copy(pdf, here, "NQ-05.pdf").reused  # -4 is identical now
    assert sorted(p.name for p in here.iterdir()) == ["NQ-05-2.pdf", "NQ-05-3.pdf",
                                                      "NQ-05-4.pdf", "NQ-05.pdf"]


# ------------------------------------------------------------------ end to end


def _run(root: Path, *args: str, env: dict[str, str | None] | None = None,
         lang: str = "en") -> Result:
    return CliRunner(env=env).invoke(main, ["--lang", lang, "--config",
                                            str(EXAMPLES / "docgen.toml"), "--archive",
                                            str(root), *args])


@pytest.fixture(scope="module")
def filed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive holding the example resolution 05-NQ/CB of 10/3/2026."""
    root = tmp_path_factory.mktemp("names") / "archive"
    result = _run(root, "new", str(EXAMPLES / "nghi-quyet.yaml"))
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.libreoffice
def test_pdf_writes_a_readable_name_in_the_current_folder(
        filed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first = _run(filed, "pdf", "05-NQ/CB")
    assert first.exit_code == 0, first.output
    target = tmp_path / "NQ-05-2026-03-10-an-thanh.pdf"
    assert first.stdout.strip() == str(target) and first.stderr == ""
    assert target.read_bytes().startswith(b"%PDF")
    again = _run(filed, "pdf", "05-NQ/CB")  # identical: reused, nothing added
    assert again.exit_code == 0 and again.stdout.strip() == str(target)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
    target.write_bytes(b"%PDF-1.4 a signed scan kept under that name")
    third = _run(filed, "pdf", "05-NQ/CB", lang="vi")
    assert third.exit_code == 0, third.output
    assert third.stdout.strip() == str(tmp_path / "NQ-05-2026-03-10-an-thanh-2.pdf")
    assert "NQ-05-2026-03-10-an-thanh.pdf đã có (nội dung khác, không ghi đè)" in third.stderr
    assert target.read_bytes() == b"%PDF-1.4 a signed scan kept under that name"
    named = _run(filed, "pdf", "05-NQ/CB", "-o", str(tmp_path / "sub.pdf"))
    assert named.exit_code == 0 and named.stdout.strip() == str(tmp_path / "sub.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "NQ-05-2026-03-10-an-thanh-2.pdf", "NQ-05-2026-03-10-an-thanh.pdf", "sub.pdf"]


@pytest.mark.libreoffice
def test_open_pdf_opens_a_read_only_copy_outside_the_archive(
        filed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "opened.txt"
    program = tmp_path / "viewer"
    program.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{record}"\n', "utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = _run(filed, "open", "--pdf", "05-nq/cb", env={"DOCGEN_OPEN": str(program)})
    assert result.exit_code == 0, result.output
    folder = system_temp / ("docgen-open" if os.name == "nt" else f"docgen-open-{os.getuid()}")
    target = folder / "NQ-05-2026-03-10-an-thanh.pdf"
    assert record.read_text("utf-8").splitlines() == [str(target.resolve())]
    assert result.stdout.strip() == str(target) and target.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    assert filed.resolve() not in target.resolve().parents
    cached = [p for p in filed.rglob("*.pdf") if p.read_bytes() == target.read_bytes()]
    assert cached  # the archive's cached conversion, copied
    assert list(work.iterdir()) == []  # nothing left in the current folder
    assert "read-only copy" in result.stderr and "docgen amend" in result.stderr
