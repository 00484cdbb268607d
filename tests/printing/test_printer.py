"""Sending a book to CUPS: the cups-pdf virtual printer, unknown printers, no CUPS."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from printing_support import PRINTER, make_docs

from docgen.config import Settings
from docgen.errors import PrintError
from docgen.printing import pdf_for, send_to_printer


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    doc = make_docs(tmp_path_factory.mktemp("printer"), 1)[0]
    return pdf_for(doc, Settings())


def test_print_to_the_cups_pdf_printer_returns_the_job_id(printer: str, pdf: Path) -> None:
    job = send_to_printer(pdf, printer)
    assert re.fullmatch(rf"{printer}-\d+", job)
    jobs = subprocess.run(["lpstat", "-W", "all", "-o", printer], capture_output=True, text=True,
                          check=True).stdout
    assert job in jobs
    assert pdf.exists()


def test_unknown_printer_is_a_print_error(printer: str, pdf: Path) -> None:
    with pytest.raises(PrintError) as caught:
        send_to_printer(pdf, "no-such-printer-xyz")
    assert caught.value.exit_code == 9
    assert "no-such-printer-xyz" in caught.value.message.en
    assert pdf.exists()


def test_without_cups_it_says_so_and_leaves_the_pdf(pdf: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no lp, no lpstat
    with pytest.raises(PrintError) as caught:
        send_to_printer(pdf, PRINTER)
    assert "CUPS" in caught.value.message.en and str(pdf) in caught.value.message.en
    assert caught.value.hint is not None and "apt-get install cups" in caught.value.hint.en
    assert pdf.exists()
