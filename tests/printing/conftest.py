"""Fixtures of the printing tests; their helpers are in printing_support.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from printing_support import start_printer  # noqa: E402


@pytest.fixture(scope="module")
def printer() -> str:
    return start_printer()
