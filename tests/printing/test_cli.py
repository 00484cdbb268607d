"""`docgen pdf` and `docgen print` end to end: real archive, real LibreOffice, CliRunner."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import file_samples
from pypdf import PdfReader

from docgen.archive.ids import readable_name
from docgen.cli import main
from docgen.model.meta import ArchivedDoc
from docgen.printing import outline_title


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


def test_no_documents_match_is_a_clear_error(arch: Arch, tmp_path: Path) -> None:
    result = _run(arch, "print", "--from", "2030-01-01", "-o", str(tmp_path / "b.pdf"))
    assert result.exit_code == 9
    assert "no documents match" in result.stderr and "Traceback" not in result.output


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
    assert docs[1].id in result.stderr and "lacks 1 documents" in result.stderr
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
    assert nothing.exit_code == 9 and "no documents match" in nothing.stderr


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
    assert listed == [d.id for d in arch.docs if d.meta.kind.startswith("bien-ban")]
