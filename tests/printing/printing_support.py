"""Shared helpers for the printing tests (real LibreOffice, real files).

Imported by name (``from printing_support import …``), not as ``conftest``: when pytest is
given tests/printing together with another folder that has its own conftest.py (e.g.
tests/search), the name "conftest" means the other one."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

sys.path.insert(0, str(Path(__file__).parent))

from samples import archived, sample_meta, write_sample  # noqa: E402

from docgen.docxtext import docx_text  # noqa: E402
from docgen.kinds import KINDS as REGISTRY  # noqa: E402
from docgen.model.meta import ArchivedDoc, DocMeta, Fileable, RenderedDocument  # noqa: E402

KINDS = tuple(REGISTRY)  # every kind of the registry (docgen/kinds/)


def make_docs(root: Path, count: int, start: int = 0) -> list[ArchivedDoc]:
    """``count`` archived-looking documents, each in its own version folder."""
    docs = []
    for i in range(start, start + count):
        folder = root / f"doc{i:03d}" / "v1"
        sample = write_sample(sample_meta(i, kind=KINDS[i % len(KINDS)]), folder / "document.docx",
                              paragraphs=8 + (i % 4) * 6)
        docs.append(archived(sample, f"2024-{i:04d}", folder))
    return docs


def _fonts_of(resources: DictionaryObject) -> Iterator[DictionaryObject]:
    fonts = resources.get("/Font")
    if fonts is not None:
        for ref in fonts.get_object().values():
            yield ref.get_object()
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            obj = ref.get_object()
            if "/Resources" in obj:
                yield from _fonts_of(obj["/Resources"].get_object())


def font_descriptors(pdf: Path) -> list[tuple[str, DictionaryObject]]:
    """(font name, descriptor) of every font used by every page (descendants included)."""
    found = []
    for page in PdfReader(pdf).pages:
        for font in _fonts_of(page["/Resources"].get_object()):
            for leaf in (d.get_object() for d in font.get("/DescendantFonts", [font])):
                desc = leaf["/FontDescriptor"].get_object()
                found.append((str(desc["/FontName"]), desc))
    return found


@dataclasses.dataclass(frozen=True)
class SampleInput:
    """A Fileable built from sample metadata (the archive numbers it)."""

    meta: DocMeta
    paragraphs: int = 10

    def with_number(self, number: int) -> SampleInput:
        return dataclasses.replace(self, meta=dataclasses.replace(self.meta, number=number))


def render_sample(doc: Fileable) -> RenderedDocument:
    """Render a SampleInput to .docx bytes with the sample builder."""
    assert isinstance(doc, SampleInput)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_sample(doc.meta, Path(tmp) / "d.docx", paragraphs=doc.paragraphs).path
        data = path.read_bytes()
    return RenderedDocument(meta=doc.meta, docx=data, input_data={"kind": doc.meta.kind},
                            text=docx_text(data), template_sha256="0" * 64)


def file_samples(root: Path, count: int) -> list[ArchivedDoc]:
    """A real archive at ``root`` holding ``count`` sample documents."""
    from docgen.archive import Archive

    archive = Archive(root)
    try:
        return [archive.file(SampleInput(dataclasses.replace(
            sample_meta(i, kind=KINDS[i % len(KINDS)]), number=None), 6 + (i % 3) * 8),
            render_sample, "tester") for i in range(count)]
    finally:
        archive.close()


PRINTER = "docgen-test"


def scheduler_running() -> bool:
    out = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, check=False).stdout
    return "not running" not in out and "is running" in out


def cups_pdf_ppd() -> str:
    models = subprocess.run(["lpinfo", "-m"], capture_output=True, text=True, check=True).stdout
    for line in models.splitlines():
        if "cups-pdf" in line.lower() and "CUPS-PDF" in line:
            return line.split()[0]
    raise AssertionError("printer-driver-cups-pdf is not installed (no CUPS-PDF ppd in lpinfo -m)")


def require_tool(tool: str) -> str:
    """The path of ``tool``; a missing one fails the test in CI (CI=true) and skips it
    elsewhere, naming the set-up that installs it."""
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} must be installed in CI (make sysdeps)")
        pytest.skip(f"{tool} is not installed (make sysdeps)")
    return found


def start_printer() -> str:
    """The cups-pdf test queue, cupsd started first when it is not running."""
    if not scheduler_running():
        subprocess.run([shutil.which("cupsd") or "/usr/sbin/cupsd"], check=True)
        deadline = time.monotonic() + 10
        while not scheduler_running() and time.monotonic() < deadline:
            time.sleep(0.2)
    subprocess.run(["lpadmin", "-p", PRINTER, "-E", "-v", "cups-pdf:/", "-m", cups_pdf_ppd()],
                   check=True, capture_output=True)
    return PRINTER
