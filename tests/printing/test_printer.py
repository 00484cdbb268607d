"""Sending a book to CUPS: the cups-pdf virtual printer, unknown printers, no CUPS."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import make_docs

from docgen.config import Settings
from docgen.errors import PrintError
from docgen.printing import pdf_for, send_to_printer

PRINTER = "docgen-test"


def _scheduler_running() -> bool:
    out = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, check=False).stdout
    return "not running" not in out and "is running" in out


def _cups_pdf_ppd() -> str:
    models = subprocess.run(["lpinfo", "-m"], capture_output=True, text=True, check=True).stdout
    for line in models.splitlines():
        if "cups-pdf" in line.lower() and "CUPS-PDF" in line:
            return line.split()[0]
    raise AssertionError("printer-driver-cups-pdf is not installed (no CUPS-PDF ppd in lpinfo -m)")


@pytest.fixture(scope="module")
def printer() -> str:
    if not _scheduler_running():
        subprocess.run([shutil.which("cupsd") or "/usr/sbin/cupsd"], check=True)
        deadline = time.monotonic() + 10
        while not _scheduler_running() and time.monotonic() < deadline:
            time.sleep(0.2)
    subprocess.run(["lpadmin", "-p", PRINTER, "-E", "-v", "cups-pdf:/", "-m", _cups_pdf_ppd()],
                   check=True, capture_output=True)
    return PRINTER


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
