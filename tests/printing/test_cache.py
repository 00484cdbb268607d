"""The PDF cache beside the archived .docx: hits never start LibreOffice, changes never go stale."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
from printing_support import make_docs
from pypdf import PdfReader
from samples import write_sample

from docgen.config import Settings
from docgen.errors import PrintError
from docgen.printing import Converter, cache_path, pdf_for


class SpyConverter(Converter):
    """The real converter, counting conversions."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.calls: list[Path] = []

    def convert(self, docx: Path, out: Path, pdfa: bool = False) -> Path:
        self.calls.append(docx)
        return super().convert(docx, out, pdfa)


def test_second_pdf_for_is_a_cache_hit_and_a_changed_docx_gets_a_new_pdf(tmp_path: Path) -> None:
    doc = make_docs(tmp_path, 1)[0]
    with SpyConverter(Settings()) as spy:
        first = pdf_for(doc, Settings(), spy)
        assert first == cache_path(doc) == doc.folder / "cache" / f"{doc.docx_sha256}.pdf"
        mtime = first.stat().st_mtime_ns
        second = pdf_for(doc, Settings(), spy)
        assert second == first and first.stat().st_mtime_ns == mtime
        assert len(spy.calls) == 1
        # A hit needs no LibreOffice at all.
        assert pdf_for(doc, Settings(soffice="/nonexistent/soffice")) == first

        meta = dataclasses.replace(doc.meta, title=doc.meta.title + " (sửa đổi)")
        write_sample(meta, doc.docx_path)
        amended = dataclasses.replace(doc, meta=meta, version=2, docx_sha256=hashlib.sha256(
            doc.docx_path.read_bytes()).hexdigest())
        third = pdf_for(amended, Settings(), spy)
        assert len(spy.calls) == 2 and third != first
        assert "(sửa đổi)" in "".join(p.extract_text() for p in PdfReader(third).pages)
        # The old record's checksum no longer matches the bytes on disk: never served stale.
        assert pdf_for(doc, Settings(), spy) == third
    assert not list((doc.folder / "cache").glob(".*"))


def test_pdfa_is_cached_separately(tmp_path: Path) -> None:
    doc = make_docs(tmp_path, 1)[0]
    with Converter(Settings()) as converter:
        plain = pdf_for(doc, Settings(), converter)
        archival = pdf_for(doc, Settings(), converter, pdfa=True)
    assert archival.name == f"{doc.docx_sha256}.pdfa.pdf" and plain != archival
    assert converter.conversions == 2 and not converter.running


def test_corrupt_docx_is_a_print_error_naming_the_file(tmp_path: Path) -> None:
    doc = make_docs(tmp_path, 1)[0]
    doc.docx_path.write_bytes(b"PK garbage")
    with pytest.raises(PrintError) as caught:
        pdf_for(doc, Settings())
    assert caught.value.file == str(doc.docx_path) and caught.value.exit_code == 9
    assert not (doc.folder / "cache").exists() or not list((doc.folder / "cache").iterdir())
