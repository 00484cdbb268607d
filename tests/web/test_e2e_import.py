"""End to end (issue 13): a real `docgen serve` over a copy of the two-cell archive of
conftest, driven through Debian's headless Chromium on a 360 px screen. The secretary of
an-thanh uploads two old papers (a Unicode .docx and an .rtf, which the server's warm
LibreOffice converts), reads the dry-run
table, corrects a title, confirms, lands on the report and opens the imported paper.
Screenshots of the table, the report and the paper are saved under the test's temp folder
(``shots/``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import e2e_support
import pytest
import yaml
from click.testing import CliRunner
from conftest import CONFIG, EXAMPLES, PASSWORD
from e2e_support import Server, Shots, copy_archive, log_in, start_server
from playwright.sync_api import expect

from docgen.archive.store import Archive
from docgen.cli import main

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]
browser = e2e_support.browser  # Debian's Chromium (module scope); fails in CI without it

PHONE = {"width": 360, "height": 780}
NAME_A = "CHI BỘ THÔN AN THÀNH"
WAIT = 60_000  # ms: reading and importing on a loaded machine
NEW_TITLE = "NGHỊ QUYẾT lãnh đạo nạo vét mương Đồng Sậy tháng 5 năm 2026"
NO_SIDEWAYS = "() => [document.documentElement.scrollWidth, window.innerWidth]"
TABLE_SCROLLS = """() => { const w = document.querySelector('.table-wrap');
  return [w.scrollWidth, w.clientWidth, getComputedStyle(w).overflowX]; }"""


@pytest.fixture(scope="module")
def server(web_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = copy_archive(web_archive, tmp_path_factory.mktemp("e2e-import"))
    running = start_server(root, CONFIG)
    try:
        yield running
    finally:
        code = running.stop()
        assert code == 0, running.log()[-3000:]


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm="…"
    yield page
    context.close()


def old_papers(folder: Path) -> tuple[Path, Path]:
    """A resolution docgen rendered this year (.docx) and one typed years ago in WordPad (.rtf)."""
    data = yaml.safe_load((EXAMPLES / "nghi-quyet.yaml").read_text("utf-8"))
    data.update(number=22, date="14/5/2026")
    source = folder / "nq.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    docx = folder / "nq-22-2026.docx"
    result = CliRunner().invoke(main, ["--config", str(CONFIG), "render", str(source), "-o", str(docx)])
    assert result.exit_code == 0, result.output
    lines = ["ĐẢNG BỘ XÃ QUANG KIM", NAME_A, "Số 02-NQ/CB", "An Thành, ngày 12 tháng 3 năm 2017",
             "NGHỊ QUYẾT", "về phong trào xây dựng nông thôn mới", "Chi bộ thống nhất thực hiện."]
    rtf = folder / "nq-2017.rtf"
    rtf.write_bytes(rtf_of(lines))
    return docx, rtf


def rtf_of(lines: list[str]) -> bytes:
    """A WordPad-style .rtf (Unicode as \\uN? escapes): read through the server's warm LibreOffice."""
    def escaped(text: str) -> str:
        return "".join(c if ord(c) < 128 else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in text)
    body = "".join(f"{{\\pard {escaped(line)}\\par}}\n" for line in lines)
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\n" + body + "}").encode("ascii")


def fits(page: Any) -> None:
    width, inner = page.evaluate(NO_SIDEWAYS)
    assert width <= inner, f"{page.url}: scrollWidth {width} > innerWidth {inner}"


def row_of(page: Any, name: str) -> Any:
    return page.locator("table.importing-table tbody tr", has=page.locator("td.importing-file code", has_text=name))


def test_a_secretary_imports_old_papers_on_a_phone(server: Server, phone: Any, tmp_path: Path) -> None:
    shots = Shots(tmp_path / "shots")
    docx, rtf = old_papers(tmp_path)
    page = phone
    log_in(page, server.url, "bt.a", PASSWORD)

    page.click("nav.menu a:text-is('Nhập giấy tờ cũ')")
    page.wait_for_url(re.compile(r"/import$"))
    expect(page.locator("h1")).to_have_text("Nhập giấy tờ cũ")
    expect(page.locator("select[name=cell] option")).to_have_count(1)
    expect(page.locator("select[name=cell]")).to_have_value("an-thanh")
    fits(page)
    page.set_input_files("input[name=files]", [str(docx), str(rtf)])
    shots.take(page, "form")
    page.click("form button[type=submit]:text-is('Đọc thử')")
    page.wait_for_url(re.compile(r"/import/[A-Za-z0-9_-]{32}$"))

    # the dry-run table: one row per file, the header read; the page itself does not
    # scroll sideways, the table does inside its own box
    expect(page.locator("h1")).to_have_text("Kết quả đọc thử")
    expect(page.locator("table.importing-table tbody tr")).to_have_count(2)
    new = row_of(page, docx.name)
    old = row_of(page, rtf.name)
    expect(new.locator("input[name^=number-]")).to_have_value("22-NQ/CB")
    expect(new.locator("input[name^=date-]")).to_have_value("2026-05-14")
    expect(new.locator("select[name^=cell-]")).to_have_value(NAME_A)
    expect(old.locator("input[name^=date-]")).to_have_value("2017-03-12")
    expect(old.locator("input[name^=number-]")).to_have_value("02-NQ/CB")
    expect(old.locator("input[name^=title-]")).to_have_value(re.compile("xây dựng nông thôn mới"))
    fits(page)
    wide, box, overflow = page.evaluate(TABLE_SCROLLS)
    assert overflow == "auto" and wide > box, (wide, box, overflow)
    shots.take(page, "table")

    # correct the .docx's title, confirm
    title = new.locator("input[name^=title-]")
    title.scroll_into_view_if_needed()
    title.fill(NEW_TITLE)
    shots.element(page.locator(".table-wrap"), "table-corrected")
    page.click("button:text-is('Nhập vào kho')")
    expect(page.locator("h1")).to_have_text("Kết quả nhập")
    expect(page.locator("p.note[role=status]")).to_contain_text("Đã nhập 2 văn bản")
    fits(page)
    shots.take(page, "report")

    # the paper's page
    link = row_of(page, docx.name).locator("a.importing-paper")
    expect(link).to_have_text(NEW_TITLE)
    href = link.get_attribute("href")
    assert href and re.fullmatch(r"/doc/[a-z0-9]+", href), href
    link.click()
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    expect(page.locator("main")).to_contain_text(NEW_TITLE)
    fits(page)
    shots.take(page, "paper")

    archive = Archive(server.root)
    try:
        doc = archive.get(href.rsplit("/", 1)[1])
    finally:
        archive.close()
    assert doc.meta.title == NEW_TITLE and doc.meta.cell == NAME_A
    assert doc.meta.number_text == "22-NQ/CB" and doc.meta.date.isoformat() == "2026-05-14"
    assert (doc.folder / "original.docx").read_bytes() == docx.read_bytes()
    print("screenshots:", *shots.taken, sep="\n  ")
