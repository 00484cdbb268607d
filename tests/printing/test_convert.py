"""DOCX → PDF with the real LibreOffice listener: text, fonts, page size, PDF/A, failures."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

import pytest
from printing_support import KINDS, font_descriptors
from pypdf import PdfReader
from samples import SIGNERS, Sample, sample_meta, write_sample

from docgen.config import Margins, Settings
from docgen.errors import PrintError
from docgen.printing import ConversionFailed, ConversionReport, Converter
from docgen.printing.converter import docx_problem, wait_gone

MM = 72 / 25.4
MARGINS = Margins(top=20, bottom=20, left=30, right=15)


@dataclasses.dataclass
class Run:
    samples: dict[str, Sample]
    report: ConversionReport
    pdfa: Path
    pids: list[int]
    profile: Path
    starts: int


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("convert")
    samples = {}
    for i, kind in enumerate(KINDS):
        margins = (MARGINS.top, MARGINS.bottom, MARGINS.left, MARGINS.right)
        samples[kind] = write_sample(sample_meta(i, kind=kind), root / f"{kind}.docx",
                                     paragraphs=14, margins=margins)
    corrupt = root / "corrupt.docx"
    corrupt.write_bytes(b"PK\x03\x04 this is not a zip archive at all")
    items = [(kind, s.path) for kind, s in samples.items()]
    items += [("corrupt", corrupt), ("missing", root / "missing.docx")]
    with Converter(Settings(margins=MARGINS)) as converter:
        report = converter.convert_many(items, root / "out")
        pdfa = converter.convert(samples[KINDS[0]].path, root / "a.pdf", pdfa=True)
        assert converter._listener is not None
        pids = [converter._listener.office.pid, converter._listener.worker.pid]
        profile = converter._listener.profile
        starts = converter.starts
    return Run(samples, report, pdfa, pids, profile, starts)


def _nfc_text(pdf: Path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_converts_with_vietnamese_text(run: Run, kind: str) -> None:
    sample = run.samples[kind]
    text = _nfc_text(run.report.pdfs[kind])
    meta = sample.meta
    for expected in (meta.superior, meta.cell, f"Số {meta.number_text}", sample.date_line,
                     meta.title, *SIGNERS):
        squashed = re.sub(r"\s+", " ", text)
        assert unicodedata.normalize("NFC", expected) in squashed, expected
    assert len(PdfReader(run.report.pdfs[kind]).pages) >= 2


def test_fonts_are_embedded_liberation_serif_only(run: Run) -> None:
    for pdf in [*run.report.pdfs.values(), run.pdfa]:
        fonts = font_descriptors(pdf)
        assert fonts
        for name, desc in fonts:
            assert re.fullmatch(r"/([A-Z]{6}\+)?LiberationSerif(-Bold|-Italic|-BoldItalic)?", name), name
            assert "DejaVu" not in name
            assert any(k in desc for k in ("/FontFile2", "/FontFile", "/FontFile3")), name


def test_page_size_is_a4_and_text_starts_at_the_left_margin(run: Run) -> None:
    reader = PdfReader(run.report.pdfs["nghi-quyet"])
    xs: list[float] = []
    tops: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            xs.append(tm[4] * cm[0] + cm[4])
            tops.append(tm[5] * cm[3] + cm[5])

    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1
        page.extract_text(visitor_text=visit)
    assert abs(min(xs) - MARGINS.left * MM) < 2
    assert max(tops) < 841.9 - MARGINS.top * MM + 2
    assert max(tops) > 841.9 - MARGINS.top * MM - 20


def test_pdfa_identification_in_xmp(run: Run) -> None:
    xmp = PdfReader(run.pdfa).xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(>|=\")2", raw)
    assert re.search(r"pdfaid:conformance(>|=\")B", raw)
    plain = PdfReader(run.report.pdfs[KINDS[0]]).xmp_metadata
    assert plain is None or "pdfaid" not in plain.stream.get_data().decode("utf-8")


def test_bad_inputs_are_reported_per_id_and_do_not_sink_the_batch(run: Run) -> None:
    assert set(run.report.pdfs) == set(KINDS)
    assert set(run.report.errors) == {"corrupt", "missing"}
    assert "corrupt.docx" in run.report.errors["corrupt"].en
    assert "does not exist" in run.report.errors["missing"].en
    assert run.starts == 1


def test_listener_and_profile_are_gone_after_the_batch(run: Run) -> None:
    assert wait_gone(run.pids)
    assert not run.profile.exists()
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            assert str(run.profile) not in status.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue


def test_a_hang_restarts_the_listener_retries_once_then_reports(tmp_path: Path) -> None:
    doc = write_sample(sample_meta(1), tmp_path / "a.docx").path
    with Converter(Settings(convert_timeout=0.01)) as converter:
        with pytest.raises(ConversionFailed) as caught:
            converter.convert(doc, tmp_path / "a.pdf")
        assert converter.starts == 2
        assert converter._listener is None
    assert "retried once" in caught.value.message.en
    assert not (tmp_path / "a.pdf").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_libreoffice_missing_says_how_to_install() -> None:
    with pytest.raises(PrintError) as caught:
        Converter(Settings(soffice="/nonexistent/soffice"))
    assert caught.value.exit_code == 9
    assert caught.value.hint is not None
    assert "apt-get install libreoffice-writer-nogui" in caught.value.hint.en
    assert "fonts-liberation2" in caught.value.hint.en


def test_docx_problem_checks_zip_and_document_part(tmp_path: Path) -> None:
    import zipfile

    not_word = tmp_path / "x.docx"
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    assert docx_problem(not_word) is not None
    assert "word/document.xml" in str(docx_problem(not_word))
    good = write_sample(sample_meta(2), tmp_path / "good.docx").path
    assert docx_problem(good) is None
    assert docx_problem(tmp_path / "nope.docx") is not None


def test_a_crashed_listener_is_restarted_and_the_document_retried(tmp_path: Path) -> None:
    import os
    import signal

    docs = [write_sample(sample_meta(i), tmp_path / f"{i}.docx").path for i in range(2)]
    with Converter(Settings()) as converter:
        converter.convert(docs[0], tmp_path / "0.pdf")
        assert converter._listener is not None
        dead = converter._listener.office.pid
        os.killpg(dead, signal.SIGKILL)  # soffice, oosplash and soffice.bin
        converter.convert(docs[1], tmp_path / "1.pdf")
        assert converter.starts == 2 and converter.conversions == 2
        assert converter._listener is not None
        pids = [converter._listener.office.pid, converter._listener.worker.pid]
    assert wait_gone([dead, *pids])
    assert "Số 02-BB/CB" in PdfReader(tmp_path / "1.pdf").pages[0].extract_text()


def test_without_uno_one_soffice_per_document_still_converts(tmp_path: Path) -> None:
    docs = [write_sample(sample_meta(i), tmp_path / f"{i}.docx").path for i in range(2)]
    with Converter(Settings(), mode="cli") as converter:
        report = converter.convert_many([("a", docs[0]), ("bad", tmp_path / "nope.docx")],
                                        tmp_path / "out")
        archival = converter.convert(docs[1], tmp_path / "b.pdfa.pdf", pdfa=True)
        profile = converter._oneshot.profile if converter._oneshot else None
    assert set(report.pdfs) == {"a"} and set(report.errors) == {"bad"}
    assert "Số 01-BB/CB" in PdfReader(report.pdfs["a"]).pages[0].extract_text()
    xmp = PdfReader(archival).xmp_metadata
    assert xmp is not None and re.search(r"pdfaid:part(>|=\")2", xmp.stream.get_data().decode())
    assert profile is not None and not profile.exists()


def test_without_uno_a_hang_is_killed_and_retried_once(tmp_path: Path) -> None:
    doc = write_sample(sample_meta(1), tmp_path / "a.docx").path
    with Converter(Settings(convert_timeout=0.05), mode="cli") as converter, \
            pytest.raises(ConversionFailed) as caught:
        converter.convert(doc, tmp_path / "a.pdf")
    assert "retried once" in caught.value.message.en
    assert not (tmp_path / "a.pdf").exists()
