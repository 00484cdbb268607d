"""A 30-document book through the real converter: contents, outline, numbering, duplex."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import zlib
from pathlib import Path

import pytest
from printing_support import font_descriptors, make_docs
from pypdf import PdfReader

from docgen.config import Settings
from docgen.errors import ArchiveError, BatchError, ExitStatus, PrintError
from docgen.model.meta import ArchivedDoc
from docgen.printing import (
    BookEntry,
    PrintReport,
    build_book,
    cover_for,
    outline_title,
    print_book,
)
from docgen.printing.batch import ordered
from docgen.printing.cache import cache_path

NO_SOFFICE = Settings(soffice="/nonexistent/soffice")


@dataclasses.dataclass
class Book:
    docs: list[ArchivedDoc]
    report: PrintReport
    out: Path
    counts: dict[str, int]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    root = tmp_path_factory.mktemp("book")
    docs = make_docs(root / "archive", 30)
    corrupt = docs[7]
    corrupt.docx_path.write_bytes(b"not a docx")
    shuffled = docs[::-1]
    report = print_book(shuffled, Settings(), root / "book.pdf", cover=True)
    counts = {d.id: len(PdfReader(_cached(d)).pages)
              for d in docs if d.id != corrupt.id}
    return Book(docs, report, root / "book.pdf", counts)


def _cached(doc: ArchivedDoc) -> Path:
    return next((doc.folder / "cache").glob("*.pdf"))


def _kept(book: Book) -> list[ArchivedDoc]:
    return [d for d in ordered(book.docs) if d.id in book.counts]


def test_failed_document_is_left_out_and_reported(book: Book) -> None:
    assert set(book.report.failures) == {book.docs[7].id}
    assert book.docs[7].id not in book.report.book.starts
    assert len(book.report.book.starts) == 29
    assert book.report.converted == 29 and book.report.converter_starts == 1


def test_page_count_is_documents_plus_cover_and_contents(book: Book) -> None:
    reader = PdfReader(book.out)
    report = book.report.book
    assert report.cover_pages == 1 and report.toc_pages >= 2
    assert len(reader.pages) == sum(book.counts.values()) + 1 + report.toc_pages
    assert report.pages == len(reader.pages) and report.padding == 0


def test_outline_has_one_entry_per_document_in_chronological_order(book: Book) -> None:
    reader = PdfReader(book.out)
    kept = _kept(book)
    titles = [item.title for item in reader.outline]
    assert titles == [outline_title(d.meta) for d in kept]
    pages = [reader.get_destination_page_number(item) + 1 for item in reader.outline]
    assert pages == [book.report.book.starts[d.id] for d in kept]
    dates = [d.meta.date for d in kept]
    assert dates == sorted(dates)


def test_contents_list_the_right_start_pages(book: Book) -> None:
    reader = PdfReader(book.out)
    toc = "\n".join(reader.pages[i].extract_text() for i in range(1, 1 + book.report.book.toc_pages))
    assert "MỤC LỤC" in toc
    rows = re.findall(r"^(\d+) (\d\d-BB/CB) (\d+/\d+/\d{4}) (\d+)", toc, re.M)
    kept = _kept(book)
    assert [r[1] for r in rows] == [d.meta.number_text for d in kept]
    assert [r[2] for r in rows] == [f"{d.meta.date.day}/{d.meta.date.month}/{d.meta.date.year}"
                                    for d in kept]
    expected = 1 + book.report.book.toc_pages + 1
    for (_, _, _, page), doc in zip(rows, kept, strict=True):
        assert int(page) == expected
        first = reader.pages[expected - 1].extract_text()
        assert doc.meta.number_text in first
        expected += book.counts[doc.id]


def test_page_numbers_are_stamped_after_the_cover(book: Book) -> None:
    reader = PdfReader(book.out)
    assert not re.search(r"(^|\n)1$", reader.pages[0].extract_text().strip())
    for index in (1, 5, len(reader.pages) - 1):
        lines = reader.pages[index].extract_text().strip().splitlines()
        assert lines[-1].strip() == str(index + 1)


def test_cover_names_cell_superior_period_and_kinds(book: Book) -> None:
    cover = " ".join(PdfReader(book.out).pages[0].extract_text().split())
    kept = _kept(book)
    assert kept[0].meta.cell in cover and kept[0].meta.superior in cover
    # dates as everywhere in docgen (docgen.vn.dates.vn_date): 4/1/2024, never 04/1/2024
    first, last = kept[0].meta.date, kept[-1].meta.date
    assert f"Từ ngày {first.day}/{first.month}/{first.year} đến ngày " \
           f"{last.day}/{last.month}/{last.year}" in cover
    assert "04/1/2024" not in cover
    assert "Nghị quyết" in cover and "Biên bản sinh hoạt chuyên đề" in cover
    assert "Gồm 29 văn bản" in cover


def test_book_fonts_are_embedded_liberation_serif(book: Book) -> None:
    for name, desc in font_descriptors(book.out):
        assert "LiberationSerif" in name and "DejaVu" not in name
        assert "/FontFile2" in desc


def test_a_book_page_renders_to_a_non_blank_png(book: Book, tmp_path: Path) -> None:
    for page in (1, 2):
        subprocess.run(["pdftoppm", "-r", "40", "-f", str(page), "-l", str(page), "-png",
                        str(book.out), str(tmp_path / f"p{page}")], check=True)
        png = next(tmp_path.glob(f"p{page}*.png"))
        dark = _dark_pixels(png)
        assert dark > 200, dark


def _dark_pixels(png: Path) -> int:
    """Pixels darker than mid-grey in an 8-bit greyscale PNG (no imaging library needed)."""
    data = png.read_bytes()
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert data[24] == 8 and data[25] in (0, 2)  # 8-bit greyscale or RGB
    bpp = 1 if data[25] == 0 else 3
    chunks, pos = b"", 8
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        if data[pos + 4:pos + 8] == b"IDAT":
            chunks += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(chunks)
    stride = width * bpp + 1
    rows = [raw[r * stride:(r + 1) * stride] for r in range(height)]
    prev = bytearray(stride - 1)
    dark = 0
    for row in rows:
        line = _unfilter(row[0], bytearray(row[1:]), prev, bpp)
        dark += sum(1 for i in range(0, len(line), bpp) if line[i] < 128)
        prev = line
    return dark


def _unfilter(kind: int, line: bytearray, prev: bytearray, bpp: int) -> bytearray:
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 2:
            line[i] = (line[i] + up) & 255
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 255
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            line[i] = (line[i] + pred) & 255
    return line


def test_duplex_starts_every_document_on_an_odd_page(book: Book, tmp_path: Path) -> None:
    kept = _kept(book)
    entries = [BookEntry(d.id, d.meta, _cached(d)) for d in kept]
    report = build_book(entries, tmp_path / "duplex.pdf", cover_for(entries), duplex=True)
    assert all(start % 2 == 1 for start in report.starts.values())
    pad = lambda n: n + n % 2  # noqa: E731
    expected = 2 + pad(report.toc_pages) + sum(pad(book.counts[d.id]) for d in kept)
    assert report.pages == expected == len(PdfReader(tmp_path / "duplex.pdf").pages)
    assert report.padding == expected - 1 - report.toc_pages - sum(book.counts.values())
    assert report.padding > 0


def test_already_converted_documents_do_not_start_libreoffice(book: Book, tmp_path: Path) -> None:
    kept = _kept(book)[:5]
    report = print_book(kept, NO_SOFFICE, tmp_path / "again.pdf", cover=False, order="given")
    assert report.cached == 5 and report.converted == 0 and report.converter_starts == 0
    assert report.book is not None and report.book.cover_pages == 0


def test_given_order_is_kept(book: Book, tmp_path: Path) -> None:
    kept = _kept(book)[:4][::-1]
    print_book(kept, NO_SOFFICE, tmp_path / "given.pdf", order="given", toc=False, cover=False)
    titles = [item.title for item in PdfReader(tmp_path / "given.pdf").outline]
    assert titles == [outline_title(d.meta) for d in kept]


def test_unwritable_output_fails_before_any_conversion(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "archive", 2)
    for out in (tmp_path / "no-such-dir" / "b.pdf", tmp_path):
        with pytest.raises(PrintError) as caught:
            print_book(docs, NO_SOFFICE, out)
        assert caught.value.exit_code == 9 and caught.value.file == str(out)
    assert not any((d.folder / "cache").exists() for d in docs)


def test_no_documents_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError) as caught:  # nothing matched: not a printing failure
        print_book([], NO_SOFFICE, tmp_path / "b.pdf")
    assert "no documents match" in caught.value.message.en
    assert caught.value.exit_code == ExitStatus.ARCHIVE
    assert not (tmp_path / "b.pdf").exists()


def test_nothing_written_when_every_document_fails(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "archive", 1)
    docs[0].docx_path.write_bytes(b"garbage")
    cache_path(docs[0]).parent.mkdir(parents=True)
    with pytest.raises(BatchError) as caught:
        print_book(docs, Settings(), tmp_path / "b.pdf")
    assert caught.value.exit_code == 10
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob(".*tmp*")) == []
