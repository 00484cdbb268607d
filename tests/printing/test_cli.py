"""`docgen pdf` and `docgen print` end to end: real archive, real LibreOffice, CliRunner."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from printing_support import file_samples
from pypdf import PdfReader

from docgen.archive.ids import cell_slug, readable_name
from docgen.cli import main
from docgen.model.meta import ArchivedDoc
from docgen.printing import outline_title
from docgen.vn.dates import vn_date


@dataclasses.dataclass
class Arch:
    root: Path
    docs: list[ArchivedDoc]


@pytest.fixture(scope="module")
def arch(tmp_path_factory: pytest.TempPathFactory) -> Arch:
    root = tmp_path_factory.mktemp("cli") / "archive"
    return Arch(root, file_samples(root, 8))


def _run(arch: Arch, *args: str) -> object:
    runner = CliRunner()
    return runner.invoke(main, ["--lang", "en", "--archive", str(arch.root), *args])


def _listed(result: Result) -> list[str]:
    """The ids of a dry run's table (under its header row)."""
    header, *lines = result.stdout.splitlines()
    assert header == "ID\tDate\tNumber\tTitle"
    return [line.split("\t")[0] for line in lines if "\t" in line]


@pytest.mark.parametrize("command", ["pdf", "print"])
def test_help_in_vietnamese_and_english(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Cách dùng:" in result.output and "--pdfa" in result.output
    if command == "print":
        for option in ("--kind", "--cell", "--topic", "--from", "--to", "--query", "--cover",
                       "--duplex", "--order", "--dry-run", "--printer"):
            assert option in result.output


def test_pdf_writes_caches_and_copies(arch: Arch, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    doc = arch.docs[0]
    monkeypatch.chdir(tmp_path)
    first = _run(arch, "pdf", doc.id)
    assert first.exit_code == 0, first.output
    # Without -o: a copy with a readable name in the current folder (tests/printing/
    # test_pdf_names.py has the naming rules); the conversion stays cached in the archive.
    assert Path(first.stdout.strip()) == tmp_path / readable_name(doc.meta)
    path = doc.folder / "cache" / f"{doc.docx_sha256}.pdf"
    assert (tmp_path / readable_name(doc.meta)).read_bytes() == path.read_bytes()
    mtime = path.stat().st_mtime_ns
    again = _run(arch, "pdf", doc.id, "-o", str(tmp_path / "copy.pdf"))
    assert again.exit_code == 0 and Path(again.stdout.strip()) == tmp_path / "copy.pdf"
    assert path.stat().st_mtime_ns == mtime
    assert (tmp_path / "copy.pdf").read_bytes() == path.read_bytes()


def test_pdf_unknown_id_is_an_archive_error(arch: Arch) -> None:
    result = _run(arch, "pdf", "0000000000")
    assert result.exit_code == 6 and "Traceback" not in result.output


def test_dry_run_lists_in_date_order_and_writes_nothing(arch: Arch, tmp_path: Path) -> None:
    result = _run(arch, "print", "--dry-run", "-o", str(tmp_path / "b.pdf"))
    assert result.exit_code == 0, result.output
    assert _listed(result) == [d.id for d in arch.docs]
    assert "8 documents would be printed" in result.stdout
    assert not (tmp_path / "b.pdf").exists()


def test_print_by_kind_writes_a_book(arch: Arch, tmp_path: Path) -> None:
    out = tmp_path / "nq.pdf"
    result = _run(arch, "print", "--kind", "nghi-quyet", "-o", str(out), "--no-cover")
    assert result.exit_code == 0, result.output
    wanted = [d for d in arch.docs if d.meta.kind == "nghi-quyet"]
    titles = [item.title for item in PdfReader(out).outline]
    assert titles == [outline_title(d.meta) for d in wanted]
    assert f"Wrote {out}" in result.stdout


def test_print_ids_in_given_order(arch: Arch, tmp_path: Path) -> None:
    picked = [arch.docs[5], arch.docs[1]]
    out = tmp_path / "given.pdf"
    result = _run(arch, "print", *(d.id for d in picked), "--order", "given", "--duplex",
                  "-o", str(out))
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert [i.title for i in reader.outline] == [outline_title(d.meta) for d in picked]
    assert all((reader.get_destination_page_number(i) + 1) % 2 == 1 for i in reader.outline)


def test_no_documents_match_is_an_archive_error_not_a_printer_one(arch: Arch,
                                                                   tmp_path: Path) -> None:
    # nothing matched is exit 6 (README "Mã thoát": archive), as export refuses; 9 is
    # kept for LibreOffice and printer failures
    for extra in ([], ["--dry-run"]):
        result = _run(arch, "print", "--from", "2030-01-01", "-o", str(tmp_path / "b.pdf"),
                      *extra)
        assert result.exit_code == 6, result.output
        assert "no documents match" in result.stderr and "Traceback" not in result.output
        assert "How to fix" in result.stderr
    vi = CliRunner().invoke(main, ["--archive", str(arch.root), "print", "--from", "1/1/2030"])
    assert vi.exit_code == 6
    assert "không có văn bản nào phù hợp để in" in vi.stderr and "Cách sửa" in vi.stderr
    assert not (tmp_path / "b.pdf").exists()


def test_unwritable_output_is_exit_9(arch: Arch, tmp_path: Path) -> None:
    result = _run(arch, "print", "-o", str(tmp_path / "missing" / "b.pdf"))
    assert result.exit_code == 9 and "does not exist" in result.stderr


def test_unknown_printer_is_exit_9_and_the_book_is_kept(arch: Arch, printer: str,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "b.pdf"
    result = _run(arch, "print", arch.docs[2].id, "-o", str(out), "--printer", "nope-xyz")
    assert result.exit_code == 9 and "nope-xyz" in result.stderr
    assert out.exists()


def test_print_to_cups_pdf_reports_the_job(arch: Arch, printer: str, tmp_path: Path) -> None:
    result = _run(arch, "print", arch.docs[3].id, "-o", str(tmp_path / "b.pdf"),
                  "--printer", printer)
    assert result.exit_code == 0, result.output
    assert re.search(rf"job {printer}-\d+", result.stdout)


def test_corrupt_document_gives_an_incomplete_book_and_exit_10(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    docs = file_samples(root, 3)
    docs[1].docx_path.write_bytes(b"PK\x03\x04 broken")
    out = tmp_path / "book.pdf"
    base = ["--lang", "en", "--archive", str(root), "print", "-o", str(out)]
    refused = CliRunner().invoke(main, base)  # a .docx changed after filing: not printed
    assert refused.exit_code == 7 and docs[1].id in refused.stderr and not out.exists()
    result = CliRunner().invoke(main, [*base, "--force"])  # forced: it cannot be converted
    assert result.exit_code == 10, result.output
    assert docs[1].id in result.stderr and "lacks 1 document (" in result.stderr
    titles = [i.title for i in PdfReader(out).outline]
    assert titles == [outline_title(d.meta) for d in (docs[0], docs[2])]


def test_query_selects_through_the_search_index(arch: Arch) -> None:
    from docgen.archive import Archive
    from docgen.config import Settings
    from docgen.search import open_index

    archive = Archive(arch.root)
    index = open_index(Settings(archive_root=arch.root))
    try:
        index.rebuild(archive.iter_current(with_text=True))
    finally:
        index.close()
        archive.close()
    result = _run(arch, "print", "--query", "nông thôn mới", "--kind", "nghi-quyet", "--dry-run")
    assert result.exit_code == 0, result.output
    listed = _listed(result)
    assert listed == [d.id for d in arch.docs if d.meta.kind == "nghi-quyet"]
    nothing = _run(arch, "print", "--query", "zzzkhongcozzz", "--dry-run")
    assert nothing.exit_code == 6 and "no documents match" in nothing.stderr


def test_libreoffice_missing_is_exit_9_with_the_install_command(arch: Arch) -> None:
    doc = arch.docs[6]
    result = CliRunner(env={"DOCGEN_SOFFICE": "/nonexistent/soffice"}).invoke(
        main, ["--lang", "en", "--archive", str(arch.root), "pdf", doc.id])
    assert result.exit_code == 9, result.output
    assert "apt-get install libreoffice-writer-nogui" in result.stderr
    assert not (doc.folder / "cache").exists() or not list((doc.folder / "cache").iterdir())


def test_several_kinds_make_a_minutes_book(arch: Arch) -> None:
    result = _run(arch, "print", "--kind", "bien-ban-thuong-ky", "--kind", "bien-ban-chuyen-de",
                  "--dry-run")
    assert result.exit_code == 0, result.output
    listed = _listed(result)
    assert listed == [d.id for d in arch.docs if d.meta.kind in ("bien-ban-thuong-ky", "bien-ban-chuyen-de")]


# ------------------------------------------------------------- the book's file
def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.libreoffice
def test_without_o_the_book_gets_a_readable_name_and_never_replaces_one(
        arch: Arch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    wanted = [d for d in arch.docs if d.meta.kind == "nghi-quyet"]
    first, last = wanted[0].meta.date, wanted[-1].meta.date
    span = first.isoformat() if first == last else f"{first.isoformat()}-den-{last.isoformat()}"
    name = f"SO-NQ-{span}-{cell_slug(wanted[0].meta.cell)}"
    result = _run(arch, "print", "--kind", "nghi-quyet")
    assert result.exit_code == 0, result.output
    book = tmp_path / f"{name}.pdf"
    assert f"Wrote {book}" in result.stdout
    assert [i.title for i in PdfReader(book).outline] == [outline_title(d.meta) for d in wanted]
    before = book.read_bytes()
    again = _run(arch, "print", "--kind", "Nghị quyết")  # the name names the same kind
    assert again.exit_code == 0, again.output
    assert f"Wrote {tmp_path / f'{name}-2.pdf'}" in again.stdout
    assert book.read_bytes() == before
    dry = _run(arch, "print", "--kind", "nghi-quyet", "--dry-run")
    assert f"would be printed to {tmp_path / f'{name}-3.pdf'}" in dry.stdout
    assert not (tmp_path / f"{name}-3.pdf").exists()


def test_an_existing_o_is_refused_without_overwrite(arch: Arch, tmp_path: Path) -> None:
    out = tmp_path / "all.pdf"
    out.write_bytes(b"%PDF-1.4 the book of last year")
    for extra in ([], ["--dry-run"], ["--force"]):  # --force is for damaged documents
        refused = _run(arch, "print", arch.docs[0].id, "-o", str(out), *extra)
        assert refused.exit_code == 9, refused.output
        assert f"{out} already exists, not overwritten" in refused.stderr
        assert "--overwrite" in refused.stderr
    assert out.read_bytes() == b"%PDF-1.4 the book of last year"
    vi = CliRunner().invoke(main, ["--archive", str(arch.root), "print", arch.docs[0].id,
                                   "-o", str(out)])
    assert vi.exit_code == 9 and f"tệp {out} đã có, không ghi đè" in vi.stderr


@pytest.mark.libreoffice
def test_overwrite_replaces_the_o_book(arch: Arch, tmp_path: Path) -> None:
    out = tmp_path / "all.pdf"
    out.write_bytes(b"%PDF-1.4 the book of last year")
    result = _run(arch, "print", arch.docs[0].id, "-o", str(out), "--overwrite")
    assert result.exit_code == 0, result.output
    assert [i.title for i in PdfReader(out).outline] == [outline_title(arch.docs[0].meta)]


@pytest.mark.parametrize("command", ["print", "pdf"])
def test_o_must_name_a_pdf(arch: Arch, tmp_path: Path, command: str) -> None:
    out = tmp_path / "out.docx"
    args = [arch.docs[0].id, "-o", str(out)]
    result = _run(arch, command, *args)
    assert result.exit_code == 2, result.output
    assert "must end in .pdf" in result.stderr and str(tmp_path / "out.pdf") in result.stderr
    vi = CliRunner().invoke(main, ["--archive", str(arch.root), command, *args])
    assert vi.exit_code == 2 and "phải kết thúc bằng .pdf" in vi.stderr
    assert "Invalid value" not in vi.stderr
    assert not out.exists()


@pytest.mark.libreoffice
def test_upper_case_pdf_suffix_is_a_pdf(arch: Arch, tmp_path: Path) -> None:
    out = tmp_path / "SO.PDF"
    result = _run(arch, "print", arch.docs[1].id, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.libreoffice
def test_book_and_dry_run_write_dates_as_vn_date(arch: Arch, tmp_path: Path) -> None:
    """5/1/2026, never 05/1/2026: cover, contents, bookmarks and the dry run."""
    picked = [d for d in arch.docs if d.meta.date.day < 10]
    assert picked, "the samples need a day below 10"
    out = tmp_path / "dates.pdf"
    result = _run(arch, "print", *(d.id for d in arch.docs), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = _pdf_text(out)
    lo = min(d.meta.date for d in arch.docs)
    hi = max(d.meta.date for d in arch.docs)
    assert f"Từ ngày {vn_date(lo)} đến ngày {vn_date(hi)}" in " ".join(text.split())
    for doc in picked:
        assert re.search(rf"(?<![\d/]){re.escape(vn_date(doc.meta.date))}(?![\d/])", text)
        assert f"0{doc.meta.date.day}/{doc.meta.date.month}/" not in text
    assert [i.title for i in PdfReader(out).outline] == [
        " · ".join([d.meta.number_text, vn_date(d.meta.date), d.meta.title]) for d in arch.docs]
    dry = _run(arch, "print", *(d.id for d in picked), "--dry-run")
    assert [line.split("\t")[1] for line in dry.stdout.splitlines()[1:] if "\t" in line] == [
        vn_date(d.meta.date) for d in picked]


def test_print_refuses_an_unknown_kind_naming_the_kinds(arch: Arch) -> None:
    result = _run(arch, "print", "--kind", "NQX", "--dry-run")
    assert result.exit_code == 2, result.output
    assert "no document kind 'NQX'" in result.stderr
    assert "nghi-quyet (NQ)" in result.stderr and "bien-ban-chuyen-de (BB)" in result.stderr
    both = _run(arch, "print", "--kind", "BB", "--dry-run")
    assert both.exit_code == 2
    assert "bien-ban-thuong-ky, bien-ban-hop-chi-uy, bien-ban-chuyen-de" in both.stderr
    named = _run(arch, "print", "--kind", "Nghị quyết", "--kind", "KH", "--dry-run")
    assert named.exit_code == 0, named.output
    assert _listed(named) == [d.id for d in arch.docs
                              if d.meta.kind in ("nghi-quyet", "ke-hoach-chuyen-de")]


def test_print_refuses_a_from_after_the_to(arch: Arch) -> None:
    result = _run(arch, "print", "--from", "15/3/2024", "--to", "1/3/2024", "--dry-run")
    assert result.exit_code == 2
    assert "--from 15/3/2024" in result.stderr and "--to 1/3/2024" in result.stderr
