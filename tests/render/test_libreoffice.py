"""A real LibreOffice round trip: every kind converts to PDF with the right text.

One soffice call converts all files (cold start ~1-2 s), with its own profile directory.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.config import Settings
from docgen.model import load_input
from docgen.render import Renderer

from .support import KIND_NAMES, example_path

pytestmark = pytest.mark.libreoffice

# What the page of every kind must show, read from the document's own context (so a new
# kind of the registry is checked without editing this test): number, type name, date
# line, draft mark and the signature block's labels and names.
SHOWN = ("number_line", "type_name", "date_line", "draft_mark", "sign_left_label", "sign_right_label",
         "sign_left_name", "sign_right_name", "authority_label", "signer_position", "signer_name")


def expected_of(kind: str, settings: Settings) -> list[str]:
    ctx = load_input(example_path(kind), settings).context()
    return [ctx[key] for key in SHOWN if isinstance(ctx.get(key), str) and ctx[key]]


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("lo")
    settings = Settings(profile_path=example_path("nghi-quyet").parent / "profile.yaml")
    renderer = Renderer(settings)
    docs = []
    for kind in KIND_NAMES:
        out = root / f"{kind}.docx"
        renderer.render_to(load_input(example_path(kind), settings), out)
        docs.append(str(out))
    soffice = shutil.which(settings.soffice)
    assert soffice, "LibreOffice (soffice) must be installed: make sysdeps"
    profile = (root / "lo-profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(root), *docs], check=True, capture_output=True, timeout=180)
    return {kind: root / f"{kind}.pdf" for kind in KIND_NAMES}


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_pdf_holds_header_number_date_and_signatures(kind: str, pdfs: dict[str, Path]) -> None:
    settings = Settings(profile_path=example_path("nghi-quyet").parent / "profile.yaml")
    reader = PdfReader(pdfs[kind])
    text = _squash("\n".join(page.extract_text() for page in reader.pages))
    expected = expected_of(kind, settings)
    assert any(line.startswith("Quang Kim, ngày ") for line in expected)
    for shown in ["ĐẢNG BỘ XÃ QUANG KIM", "CHI BỘ THÔN AN THÀNH", "ĐẢNG CỘNG SẢN VIỆT NAM", *expected]:
        assert _squash(shown) in text, f"{shown!r} missing from {kind}.pdf"
    box = reader.pages[0].mediabox
    assert round(float(box.width) * 25.4 / 72) == 210 and round(float(box.height) * 25.4 / 72) == 297


def test_page_numbers_start_on_page_two(pdfs: dict[str, Path]) -> None:
    reader = PdfReader(pdfs["nghi-quyet"])
    assert len(reader.pages) >= 2
    first = reader.pages[0].extract_text().strip().splitlines()
    second = reader.pages[1].extract_text().strip().splitlines()
    assert first[0].strip() != "1" and "1" not in [line.strip() for line in first[:2]]
    assert second[0].strip() == "2"
