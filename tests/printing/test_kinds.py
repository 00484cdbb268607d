"""Every document kind, rendered from examples/ by the real renderer, through LibreOffice."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

import pytest
from printing_support import KINDS, font_descriptors
from pypdf import PdfReader

from docgen.config import Settings, load_settings
from docgen.model import load_input
from docgen.model.meta import RenderedDocument
from docgen.printing import Converter
from docgen.render import Renderer
from docgen.vn.dates import party_date

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MM = 72 / 25.4


@dataclasses.dataclass
class Kinds:
    settings: Settings
    rendered: dict[str, RenderedDocument]
    pdfs: dict[str, Path]
    names: tuple[str, ...]


@pytest.fixture(scope="module")
def kinds(tmp_path_factory: pytest.TempPathFactory) -> Kinds:
    import yaml

    root = tmp_path_factory.mktemp("kinds")
    settings = load_settings({"config_path": EXAMPLES / "docgen.toml"})
    renderer = Renderer(settings)
    rendered = {k: renderer.render(load_input(EXAMPLES / f"{k}.yaml", settings)) for k in KINDS}
    items = []
    for kind, doc in rendered.items():
        (root / f"{kind}.docx").write_bytes(doc.docx)
        items.append((kind, root / f"{kind}.docx"))
    with Converter(settings) as converter:
        report = converter.convert_many(items, root / "pdf")
    assert report.ok, report.errors
    profile = yaml.safe_load((EXAMPLES / "profile.yaml").read_text("utf-8"))
    names = tuple(m["name"] for m in profile["members"])
    return Kinds(settings, rendered, report.pdfs, names)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def _pdf_text(pdf: Path) -> str:
    return _squash("\n".join(page.extract_text() for page in PdfReader(pdf).pages))


@pytest.mark.parametrize("kind", KINDS)
def test_header_number_date_line_and_signatures_survive(kinds: Kinds, kind: str) -> None:
    doc = kinds.rendered[kind]
    text = _pdf_text(kinds.pdfs[kind])
    lines = [_squash(line).strip() for line in doc.text.splitlines() if line.strip()]
    date_line = next(line for line in lines if party_date(doc.meta.date) in line)
    signers = [line for line in lines[-8:] if line in kinds.names]
    expected = [doc.meta.superior, doc.meta.cell, "ĐẢNG CỘNG SẢN VIỆT NAM", date_line]
    if doc.meta.number_text:
        expected.append(f"Số {doc.meta.number_text}")
    assert signers, lines[-8:]
    for item in [*expected, *signers]:
        assert _squash(item) in text, item


@pytest.mark.parametrize("kind", KINDS)
def test_fonts_embedded_no_fallback(kinds: Kinds, kind: str) -> None:
    fonts = font_descriptors(kinds.pdfs[kind])
    assert fonts
    for name, desc in fonts:
        assert re.fullmatch(r"/([A-Z]{6}\+)?LiberationSerif(-Bold|-Italic|-BoldItalic)?", name), name
        assert "/FontFile2" in desc, name


@pytest.mark.parametrize("kind", KINDS)
def test_a4_pages_and_configured_left_margin(kinds: Kinds, kind: str) -> None:
    xs: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            xs.append(tm[4] * cm[0] + cm[4])

    for page in PdfReader(kinds.pdfs[kind]).pages:
        assert abs(float(page.mediabox.width) - 595.3) < 1
        assert abs(float(page.mediabox.height) - 841.9) < 1
        page.extract_text(visitor_text=visit)
    left = kinds.settings.margins.left * MM
    assert abs(min(xs) - left) < 1.5, (min(xs), left)
