"""Pagination of the printed documents (issue 11, defect 8), checked on real LibreOffice PDFs.

A clerk reads the printed minutes and resolutions page by page. Every kind is rendered from
its example with long content (many task rows, long proceedings) in several variants: each
variant adds one more one-line paragraph near the start, so that everything after it moves
down by a line and, across the variants, the headings, the table rows and the signature
block land at every awkward place at a page end. All the variants are converted by one
LibreOffice listener and each page's text is read with ``pdftotext -layout``. On every page:

- the last line is not a heading (nor the line introducing a list or a table);
- the page holding the signature block holds at least one body line before it;
- no table row is split across pages (each row carries unique markers);
- a table continued on a new page starts with its header row again;
- the header words ("Đồng chí phụ trách", "Thời hạn", "Ghi chú"…) are never broken.

Every other variant is also printed from copies of the shipped templates stripped of the
pagination properties (keepNext, keepLines, cantSplit, tblHeader, widowControl): there the
checks must fail, which proves that the variants do put headings, rows and signatures at
page ends (if they stop doing so, e.g. after a change of the examples, this test says so).
The templates are the configured ones (DOCGEN_TEMPLATES=<folder> runs this on other ones).
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from printing_support import require_tool

from docgen.config import load_settings
from docgen.kinds import KINDS
from docgen.model import load_input, load_profile
from docgen.printing import Converter
from docgen.render import Renderer

pytestmark = pytest.mark.libreoffice

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
VARIANTS = range(12)  # 0..11 extra one-line paragraphs: the content moves down ~11 lines
CONTROL_VARIANTS = VARIANTS[::2]  # printed again from the stripped templates
ROWS = 14  # rows of the tasks / assignments / schedule table
MARK = re.compile(r"\b([REN])(\d{2})\b")  # row markers: R07 … E07 in the content, N07 in the note
TASK_WORDS = ("TT", "Nội dung", "công việc", "Đồng chí", "phụ trách", "Thời hạn", "Ghi chú")
SCHEDULE_WORDS = ("TT", "Thời gian", "Tên chuyên đề", "Đồng chí", "chuẩn bị", "phụ trách", "Ghi chú")
PAGINATION_XML = re.compile(rb"<w:(keepNext|keepLines|cantSplit|tblHeader|widowControl)/>")
FILLER = "Ý kiến bổ sung số {j}: đồng ý với nội dung đã trình bày."
OWNERS = ("m02", "m03", "m06", "m10")
LONG = ("đề nghị các chi hội, đoàn thể phối hợp tuyên truyền, vận động nhân dân thực hiện; "
        "báo cáo kết quả về Chi ủy trước kỳ sinh hoạt tháng sau")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _squash(text: str) -> str:
    return " ".join(_nfc(text).split())


def _lines(text: str) -> list[str]:
    return [_nfc(line) for line in text.splitlines()]


def _task_rows() -> list[dict[str, Any]]:
    return [{"content": f"R{i:02d} Nhiệm vụ thứ {i}: {LONG} E{i:02d}", "owner": OWNERS[i % len(OWNERS)],
             "deadline": f"{10 + i}/4/2026", "note": f"N{i:02d} phối hợp đoàn thể"} for i in range(ROWS)]


def _schedule_rows() -> list[dict[str, Any]]:
    return [{"period": f"Tháng {1 + i % 12}", "title": f"R{i:02d} Chuyên đề thứ {i}: {LONG} E{i:02d}",
             "preparer": OWNERS[i % len(OWNERS)], "owner": "m01", "note": f"N{i:02d} trực tiếp"}
            for i in range(ROWS)]


def _lines_text(count: int, prefix: str = "") -> str:
    return "\n".join(prefix + FILLER.format(j=j + 1) for j in range(count))


def _speeches() -> list[dict[str, str]]:
    return [{"speaker": OWNERS[i % len(OWNERS)],
             "content": f"Phát biểu thứ {i + 1}: đồng tình với báo cáo của Chi ủy; {LONG}.\n"
                        f"Đề nghị bổ sung vào kết luận nội dung thứ {i + 1}; {LONG}."} for i in range(4)]


def _thuong_ky(data: dict[str, Any], n: int) -> None:
    data["agenda"] = [*data["agenda"], *(FILLER.format(j=j + 1) for j in range(n))]
    data["proceedings"] = [*data["proceedings"], *_speeches()]
    data["tasks"] = _task_rows()


def _chuyen_de(data: dict[str, Any], n: int) -> None:
    data["purpose"] = data["purpose"] + _lines_text(n)
    data["discussion"] = [*data["discussion"], *_speeches()]
    data["tasks"] = _task_rows()
    data["vote"] = {"for": 15, "against": 0, "abstain": 0, "subject": "Kết luận của đồng chí chủ trì"}


def _nghi_quyet(data: dict[str, Any], n: int) -> None:
    data["assessment"][0]["text"] = data["assessment"][0]["text"] + _lines_text(n)
    data["assessment"] = [*data["assessment"], {"heading": "Công tác mặt trận và các đoàn thể",
                                                "text": f"Các đoàn thể {LONG}.\nKết quả: {LONG}."}]
    data["assignments"] = _task_rows()


def _ke_hoach(data: dict[str, Any], n: int) -> None:
    data["purpose"] = data["purpose"] + _lines_text(n)
    data["schedule"] = _schedule_rows()
    data["organisation"] = data["organisation"] + f"Các chi hội, đoàn thể {LONG}.\n"


def _de_cuong(data: dict[str, Any], n: int) -> None:
    data["purpose"] = data["purpose"] + _lines_text(n)
    for key in ("content", "situation", "tasks"):
        data[key] = data[key] + f"Nội dung bổ sung: {LONG}.\nLiên hệ thực tế: {LONG}.\n"


def _grow_text(value: Any, n: int) -> bool:
    """Add ``n`` lines to the first multi-paragraph text inside ``value`` (True when done)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, sub in items:
        if isinstance(sub, str) and "\n" in sub.strip("\n") or isinstance(sub, str) and sub.endswith("\n"):
            value[key] = sub.rstrip("\n") + "\n" + _lines_text(n)
            return True
        if isinstance(sub, dict | list) and _grow_text(sub, n):
            return True
    return False


def _generic(data: dict[str, Any], n: int) -> None:
    """Any other kind of the registry: its first multi-paragraph text grows by ``n`` lines, so
    its headings and signature land at every place on a page."""
    assert _grow_text(data, n), f"{data['kind']}: its example has no multi-paragraph text to grow"


SPECIFIC: dict[str, Callable[[dict[str, Any], int], None]] = {
    "bien-ban-thuong-ky": _thuong_ky,
    "bien-ban-chuyen-de": _chuyen_de,
    "nghi-quyet": _nghi_quyet,
    "ke-hoach-chuyen-de": _ke_hoach,
    "de-cuong-chuyen-de": _de_cuong,
}
# Every kind of the registry: the five first kinds with long tables, the others by ``_generic``.
GROW: dict[str, Callable[[dict[str, Any], int], None]] = {kind: SPECIFIC.get(kind, _generic) for kind in KINDS}
TABLE_WORDS = {kind: TASK_WORDS if kind in SPECIFIC else () for kind in GROW} | {
    "ke-hoach-chuyen-de": SCHEDULE_WORDS, "de-cuong-chuyen-de": ()}


@dataclasses.dataclass
class Printed:
    """One variant as printed: its pages' lines, and what the .docx says its parts are."""

    name: str
    kind: str
    pages: list[list[str]]  # non-empty lines of each page, the page number line dropped
    headings: list[str]  # bold paragraphs and paragraphs introducing a list/table (ending ":")
    signature: tuple[list[str], list[str]]  # (first texts of the signature cells, last texts)
    rows: int


def _docx_parts(data: bytes) -> tuple[list[str], tuple[list[str], list[str]]]:
    document = docx.Document(io.BytesIO(data))
    headings = []
    for paragraph in document.paragraphs:
        text = _squash(paragraph.text)
        runs = [run for run in paragraph.runs if run.text.strip()]
        if text and (text.endswith(":") or all(run.bold for run in runs)):
            headings.append(text)
    cells = document.tables[-1].rows[0].cells
    texts = [[_squash(p.text) for p in cell.paragraphs if p.text.strip()] for cell in cells]
    return headings, ([t[0] for t in texts if t], [t[-1] for t in texts if t])


def _pages(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True,
                         text=True, timeout=60).stdout
    pages = []
    for page in out.split("\f"):
        lines = [line for line in _lines(page) if line.strip()]
        if lines and lines[0].strip().isdigit():
            lines = lines[1:]  # the page number (pages 2…)
        pages.append(lines)
    while pages and not pages[-1]:
        pages.pop()
    return pages


def _strip_pagination(template: Path, out: Path) -> None:
    """A copy of ``template`` without keepNext, keepLines, cantSplit, tblHeader, widowControl."""
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename in ("word/document.xml", "word/styles.xml"):
                data = PAGINATION_XML.sub(b"", data)
            dst.writestr(item, data)




@dataclasses.dataclass
class Run:
    shipped: list[Printed]
    stripped: list[Printed]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("pagination")
    settings = load_settings({"config_path": EXAMPLES / "docgen.toml"})
    require_tool(settings.soffice)
    require_tool("pdftotext")
    profile = load_profile(settings.profile_path)
    stripped_dir = root / "stripped-templates"
    stripped_dir.mkdir()
    for kind in GROW:
        _strip_pagination(settings.template_for(kind), stripped_dir / f"{kind}.docx")
    renderers = {"shipped": Renderer(settings),
                 "stripped": Renderer(dataclasses.replace(settings, templates_dir=stripped_dir,
                                                          template_overrides={}))}
    items, parts = [], {}
    for kind, grow in GROW.items():
        for n in VARIANTS:
            data = yaml.safe_load((EXAMPLES / f"{kind}.yaml").read_text("utf-8"))
            grow(data, n)
            source = root / f"{kind}-{n:02d}.yaml"
            source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
            doc = load_input(source, settings, profile)
            for which, renderer in renderers.items():
                if which == "stripped" and n not in CONTROL_VARIANTS:
                    continue
                name = f"{which}-{kind}-{n:02d}"
                data_docx = renderer.render(doc).docx
                (root / f"{name}.docx").write_bytes(data_docx)
                items.append((name, root / f"{name}.docx"))
                parts[name] = (which, kind, *_docx_parts(data_docx))
    with Converter(settings) as converter:
        report = converter.convert_many(items, root / "pdf")
    assert report.ok, report.errors
    printed: dict[str, list[Printed]] = {"shipped": [], "stripped": []}
    for name, (which, kind, headings, signature) in parts.items():
        rows = ROWS if TABLE_WORDS[kind] else 0
        printed[which].append(Printed(name, kind, _pages(report.pdfs[name]), headings, signature, rows))
    return Run(printed["shipped"], printed["stripped"])


# --- The checks: each returns the problems it finds in one printed variant ------------------


def _heading_tail(line: str, headings: list[str]) -> str | None:
    """The heading whose last printed line is ``line``, if any."""
    text = _squash(line)
    for heading in headings:
        if heading == text or heading.endswith(" " + text):
            return heading
    return None


def heading_at_page_end(doc: Printed) -> list[str]:
    return [f"page {i} ends with the heading {heading!r}" for i, lines in enumerate(doc.pages[:-1], 1)
            if lines and (heading := _heading_tail(lines[-1], doc.headings))]


def _is_heading_line(line: str, headings: list[str]) -> bool:
    text = _squash(line)
    return any(text in heading for heading in headings)


def lone_signature(doc: Printed) -> list[str]:
    firsts, lasts = doc.signature
    page = line = None
    for i, lines in enumerate(doc.pages):
        for j, text in enumerate(lines):
            if any(label in _squash(text) for label in firsts):
                page, line = i, j
    if page is None or line is None:
        return [f"signature labels {firsts} not found"]
    problems = []
    before = doc.pages[page][:line]
    if not any(not _is_heading_line(text, doc.headings) for text in before):
        problems.append(f"the signature block stands alone on page {page + 1}: {before}")
    after = " ".join(_squash(text) for text in doc.pages[page][line:])
    problems += [f"{name!r} is not on the page of the signature labels ({page + 1})"
                 for name in lasts if name not in after]
    return problems


def _markers(doc: Printed) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for i, lines in enumerate(doc.pages):
        for text in lines:
            for letter, number in MARK.findall(text):
                found.setdefault(f"{letter}{number}", set()).add(i)
    return found


def split_rows(doc: Printed) -> list[str]:
    found = _markers(doc)
    problems = []
    for row in range(doc.rows):
        pages = [found.get(f"{letter}{row:02d}", set()) for letter in "REN"]
        if any(len(p) != 1 for p in pages):
            problems.append(f"row {row}: markers R/E/N on pages {pages}")
        elif len(set.union(*pages)) != 1:
            problems.append(f"row {row} is split across pages {sorted(set.union(*pages))}")
    return problems


def _is_header(line: str) -> bool:
    return re.match(r"\s*TT\s", line) is not None


def header_not_repeated(doc: Printed) -> list[str]:
    problems = []
    for i, lines in enumerate(doc.pages, 1):
        first = next((j for j, text in enumerate(lines) if MARK.search(text)), None)
        if first is not None and not any(_is_header(text) for text in lines[:first]):
            problems.append(f"page {i}: the table goes on without its header row: {lines[first]!r}")
    return problems


def broken_header_words(doc: Printed) -> list[str]:
    words = TABLE_WORDS[doc.kind]
    problems = []
    headers = 0
    for i, lines in enumerate(doc.pages, 1):
        for j, text in enumerate(lines):
            if not _is_header(text):
                continue
            headers += 1
            block = [text]
            if j + 1 < len(lines) and not re.match(r"\s*\d+\s", lines[j + 1]):
                block.append(lines[j + 1])
            problems += [f"page {i}: header word {word!r} broken in {block}" for word in words
                         if not any(word in _squash(line) for line in block)]
    if words and not headers:
        problems.append("no table header row found")
    return problems


CHECKS = (heading_at_page_end, lone_signature, split_rows, header_not_repeated, broken_header_words)
# LibreOffice 7.4 (Debian 12) sometimes ignores keepNext in its first layout of a document;
# docgen/printing/uno_worker.py (relayout) makes it lay the pages out again before printing.


def _cases() -> list[Any]:
    cases = []
    for kind in GROW:
        for check in CHECKS:
            cases.append(pytest.param(kind, check, id=f"{kind}-{check.__name__}"))
    return cases


@pytest.mark.parametrize(("kind", "check"), _cases())
def test_pages_break_only_where_a_clerk_expects(run: Run, kind: str, check: Callable[[Printed], list[str]]) -> None:
    docs = [doc for doc in run.shipped if doc.kind == kind]
    assert len(docs) == len(VARIANTS)
    problems = [f"{doc.name}: {problem}" for doc in docs for problem in check(doc)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("kind", [kind for kind in GROW if TABLE_WORDS[kind]])
def test_the_table_does_run_onto_another_page(run: Run, kind: str) -> None:
    docs = [doc for doc in run.shipped if doc.kind == kind]
    assert any(len({p for pages in _markers(doc).values() for p in pages}) > 1 for doc in docs)


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_the_variants_do_hit_awkward_page_ends(run: Run, check: Callable[[Printed], list[str]]) -> None:
    """Without the pagination properties, each check fails on some variant."""
    failing = [doc.name for doc in run.stripped if check(doc)]
    if check is broken_header_words:  # widths, not keep properties: the stripped copy keeps them
        assert not failing, failing
        return
    assert failing, f"no variant puts anything at a page end that {check.__name__} would catch"
