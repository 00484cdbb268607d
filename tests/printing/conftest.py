"""Fixtures of the printing tests; their helpers are in printing_support.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from printing_support import PRINTER, cups_pdf_ppd, scheduler_running  # noqa: E402


@pytest.fixture(scope="module")
def printer() -> str:
    if not scheduler_running():
        subprocess.run([shutil.which("cupsd") or "/usr/sbin/cupsd"], check=True)
        deadline = time.monotonic() + 10
        while not scheduler_running() and time.monotonic() < deadline:
            time.sleep(0.2)
    subprocess.run(["lpadmin", "-p", PRINTER, "-E", "-v", "cups-pdf:/", "-m", cups_pdf_ppd()],
                   check=True, capture_output=True)
    return PRINTER
