"""End to end (issue 12): a real `docgen serve` over a copy of the two-cell archive of
conftest, driven through Debian's headless Chromium. A secretary on a phone-sized screen
writes, previews, downloads, files, finds and prints a resolution; committee staff search
across both cells on a desktop; the second cell's secretary cannot reach the first cell's
paper; the home and search pages fit a 360 px screen. Screenshots of every step are saved
under each test's temp folder (``shots/``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import e2e_support
import pytest
from conftest import CELL_A, CONFIG, NAME_B, PASSWORD
from e2e_support import Server, Shots, copy_archive, log_in, start_server
from playwright.sync_api import expect
from pypdf import PdfReader

from docgen.archive.store import Archive
from docgen.docxtext import docx_text
from docgen.vn.dates import vn_date
from docgen.vn.numbers import percent_vi

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]
browser = e2e_support.browser  # Debian's Chromium (module scope); fails in CI without it

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
NAME_A = "CHI BỘ THÔN AN THÀNH"
SLOW = 120_000  # ms: a LibreOffice conversion or a book on a loaded machine
LIVE = 15_000  # ms: an autosave and the figures it brings back

# What the secretary types (words no paper of the archive holds).
DAY = dt.date(2026, 10, 13)
SUMMARY = "về nạo vét kênh mương Đồng Sậy và trồng cây xanh dọc đường làng"
UNACCENTED = "nao vet kenh muong dong say"
REASONS = ("đi công tác", "ốm")
# A phrase of an-thanh's papers only (the admission resolution), and one such paper.
ONLY_A = '"le thi hanh"'  # a phrase: its three words are each in other papers
ONLY_A_TEXT = "Lê Thị Hạnh"

# The empty inputs of the new-paper form that are marked required (an <abbr> in their own
# label), outside the blank rows' <template>s.
REQUIRED_EMPTY = """() => {
  const out = [];
  for (const box of document.querySelectorAll('#papers-form .papers-field')) {
    if (box.closest('template')) continue;
    const label = box.querySelector(':scope > label');
    if (!label || !label.querySelector(':scope > abbr.papers-req')) continue;
    const el = label.querySelector('input, select, textarea');
    if (!el || el.value) continue;
    out.push({name: el.name, tag: el.tagName.toLowerCase(), type: el.type || '',
              min: el.min || '', max: el.max || ''});
  }
  return out;
}"""
IMAGES_LOADED = """() => {
  const imgs = Array.from(document.querySelectorAll('.papers-pages img'));
  return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0);
}"""
NO_SIDEWAYS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def server(web_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = copy_archive(web_archive, tmp_path_factory.mktemp("e2e"))
    running = start_server(root, CONFIG)
    try:
        yield running
    finally:
        code = running.stop()
        assert code == 0, running.log()[-3000:]


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """A function opening a page in a fresh browser context of the given viewport."""
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int]) -> Any:
        context = browser.new_context(viewport=viewport, accept_downloads=True, locale="vi-VN")
        context.set_default_timeout(LIVE)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm="…" (filing)
        return page

    yield open_page
    for context in contexts:
        context.close()


# ------------------------------------------------------------------ helpers
def is_save(response: Any) -> bool:
    return response.request.method == "POST" and response.url.endswith("/save")


def figline(page: Any) -> Any:
    return page.locator("#papers-figures p.papers-figline").first


def head_figures(page: Any) -> tuple[int, int, int, int]:
    """(present, summoned, absent, denominator) of the figures panel's first line:
    "Có mặt 20/20 (100%) · vắng 0 · biểu quyết tính trên 18 đảng viên chính thức"."""
    text = " ".join(figline(page).inner_text().split())
    found = re.search(r"Có mặt (\d+)/(\d+).*vắng (\d+).*tính trên (\d+) đảng viên chính thức", text)
    assert found, text
    present, summoned, absent, denominator = (int(x) for x in found.groups())
    return present, summoned, absent, denominator


def present_official(page: Any) -> int:
    """The official members present, from the panel's details ("20 (chính thức 18, dự bị 2)")."""
    text = page.locator("#papers-figures dt:text-is('Có mặt') + dd").text_content() or ""
    found = re.search(r"chính thức (\d+)", text)
    assert found, text
    return int(found.group(1))


def member_name(label: str) -> str:
    """"m05 — Hoàng Văn Em (chính thức)" → "Hoàng Văn Em"."""
    return re.split(r" · | \(", label.split(" — ", 1)[1])[0].strip()


def filler(item: dict[str, str], n: int) -> str:
    """A value for a required input the form left empty (``n``: the how-many-th text)."""
    if item["type"] == "number":
        top = int(float(item["max"])) if item["max"] else 10
        return str(max(int(float(item["min"] or 0)), top * 9 // 10))
    return f"Nội dung {n}: chi bộ bàn và thống nhất các việc đã làm trong tháng, rút kinh nghiệm."


def fits(page: Any) -> None:
    width, inner = page.evaluate(NO_SIDEWAYS)
    assert width <= inner, f"{page.url}: scrollWidth {width} > innerWidth {inner}"


def body_text(page: Any) -> str:
    return str(page.locator("body").inner_text())


def cells_of_hits(page: Any) -> set[str]:
    """The cells of the hits shown ("14-NQ/CB · 13/10/2026 · Nghị quyết · CHI BỘ …")."""
    return {" ".join(t.split()).rsplit(" · ", 1)[1] for t in page.locator(".browse-hit p.muted").all_inner_texts()}


def outline_titles(outline: Any) -> list[str]:
    out: list[str] = []
    for item in outline:
        if isinstance(item, list):
            out += outline_titles(item)
        else:
            out.append(str(item.title))
    return out


# ------------------------------------------------------------------ 1. the secretary
def test_secretary_writes_files_finds_and_prints_a_resolution(
        server: Server, new_page: Any, tmp_path: Path) -> None:
    shots = Shots(tmp_path / "shots")
    page = new_page(PHONE)
    url = server.url

    # log in through the form
    page.goto(url)
    assert "/login" in page.url
    page.fill("input[name=login]", "bt.a")
    page.fill("input[name=password]", PASSWORD)
    shots.take(page, "login")
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("header .who")).to_contain_text("bt.a")

    # New paper → "Nghị quyết" (the cell is the secretary's only one)
    page.click("nav.menu a:text-is('Soạn mới')")
    page.wait_for_url(re.compile(r"/new"))
    expect(page.locator("main")).to_contain_text(NAME_A)
    shots.take(page, "new-paper")
    kind = page.locator("button.papers-kind", has=page.locator("strong", has_text=re.compile(r"^Nghị quyết$")))
    expect(kind).to_have_count(1)
    kind.click()
    page.wait_for_url(re.compile(rf"/draft/{CELL_A}/[0-9a-f]+$"))
    expect(page.locator("h1")).to_have_text("Nghị quyết")
    draft_url = page.url

    # the meeting's date through the native date input, the times, the summary
    date_input = page.locator("input[name=date]")
    assert date_input.get_attribute("type") == "date"
    with page.expect_response(is_save):
        date_input.fill(DAY.isoformat())
    page.fill("input[name=start]", "19:00")
    page.fill("input[name=end]", "21:15")
    page.fill("input[name=summary]", SUMMARY)

    # every other required input the form left empty (the count "for" is typed below)
    missing = [m for m in page.evaluate(REQUIRED_EMPTY) if m["name"] != "vote.for"]
    assert missing, "the form has required inputs to fill (the assessment's texts)"
    texts = 0
    for item in missing:
        texts += item["type"] != "number"
        page.locator(f"[name='{item['name']}']").fill(filler(item, texts))
    assert [m["name"] for m in page.evaluate(REQUIRED_EMPTY)] == ["vote.for"]
    page.evaluate("window.scrollTo(0, 0)")
    shots.take(page, "form-filled", full_page=False)
    fits(page)

    # the figures before any absentee
    expect(figline(page)).to_contain_text("vắng 0", timeout=LIVE)
    present0, summoned, _, denominator = head_figures(page)
    assert present0 == summoned and denominator > 0

    # two absentees with reasons: members chosen in the rows' selects
    absent = page.locator("fieldset[data-field=absent]")
    rows = absent.locator(":scope > [data-rowlist] > [data-row]")
    expect(rows).to_have_count(0)
    names: list[str] = []
    for i, reason in enumerate(REASONS):
        absent.locator(":scope > button[data-add]").click()
        expect(rows).to_have_count(i + 1)
        row = rows.nth(i)
        select = row.locator("select")
        assert select.get_attribute("name") == f"absent[{i}].member"
        # a full member with no post, not the chair nor the secretary, not chosen yet
        taken = {page.locator("select[name=chair]").input_value(),
                 page.locator("select[name=secretary]").input_value()}
        options = [(o.get_attribute("value") or "", o.inner_text()) for o in select.locator("option").all()]
        value, label = next((v, t) for v, t in options[1:]
                            if "(chính thức)" in t and " · " not in t and v not in taken and member_name(t) not in names)
        select.select_option(value)
        row.locator("input[name$='.reason']").fill(reason)
        names.append(member_name(label))
        # the panel counts each absentee as soon as the draft is saved
        expect(figline(page)).to_contain_text(f"Có mặt {present0 - i - 1}/{summoned}", timeout=LIVE)
        expect(figline(page)).to_contain_text(f"vắng {i + 1}")
    present, _, absent_count, denominator = head_figures(page)
    assert (present, absent_count) == (present0 - 2, 2)
    assert f"({percent_vi(present, summoned)})" in figline(page).inner_text()
    with_reason = page.locator("#papers-figures dt:text-is('Vắng có lý do') + dd")
    for name, reason in zip(names, REASONS, strict=True):
        expect(with_reason).to_contain_text(f"{name} ({reason})", timeout=LIVE)
    shots.element(absent, "absent-rows")

    # the votes: the percentage follows what is typed, on the panel's denominator
    voters = present_official(page)
    first, second = voters - 1, voters - 3
    assert second * 2 > denominator  # both pass: more than half of the full members
    vote_line = page.locator("#papers-figures .papers-vote")
    page.fill("input[name='vote.against']", "0")
    page.fill("input[name='vote.abstain']", "1")
    page.fill("input[name='vote.for']", str(first))
    expect(vote_line).to_contain_text(
        f"{first}/{denominator} đồng chí tán thành, đạt {percent_vi(first, denominator)}", timeout=LIVE)
    before = vote_line.inner_text()
    page.fill("input[name='vote.for']", str(second))
    rate = f"{second}/{denominator} đồng chí tán thành, đạt {percent_vi(second, denominator)}"
    expect(vote_line).to_contain_text(rate, timeout=LIVE)
    after = vote_line.inner_text()
    assert before != after and percent_vi(first, denominator) in before and "thông qua" in after
    page.locator("fieldset[data-field=vote]").scroll_into_view_if_needed()
    shots.take(page, "form-votes", full_page=False)
    page.locator("#papers-figures summary").click()  # the details of the figures, for the picture
    expect(page.locator("#papers-figures details")).to_have_attribute("open", "")
    shots.element(page.locator("#papers-figures"), "figures")
    fits(page)

    # preview: the real pages, as images
    page.locator("#papers-form .papers-actions button[value=preview]").click()
    page.wait_for_url(re.compile(r"/preview$"), timeout=SLOW)
    expect(page.locator("h1")).to_contain_text("Xem trước")
    images = page.locator(".papers-pages img")
    assert images.count() >= 2
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(IMAGES_LOADED, timeout=SLOW)
    assert images.first.evaluate("i => i.naturalWidth") == int(images.first.get_attribute("width") or 0)
    page.evaluate("window.scrollTo(0, 0)")
    shots.take(page, "preview", full_page=False)
    fits(page)
    shots.element(images.first, "preview-page-1")

    # the .docx through the preview's download link
    with page.expect_download() as download:
        page.locator("a:text-is('Tải .docx')").click()
    assert download.value.suggested_filename.endswith(f"{DAY.isoformat()}-{CELL_A}-xem-truoc.docx")
    docx = tmp_path / "preview.docx"
    download.value.save_as(docx)
    text = " ".join(docx_text(docx).split())
    assert SUMMARY in text
    # the resolution gives the absentees as a count with their reasons (the minutes name them)
    assert "vắng mặt 2 đồng chí (có lý do 2)" in text, text[:1500]
    assert f"biểu quyết thông qua với {rate}" in text, text[-1500:]

    # file it: the paper's page with its number
    page.locator("button:text-is('Lưu vào kho')").first.click()
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]+$"), timeout=SLOW)
    doc_id = page.url.rsplit("/", 1)[1]
    flash = page.locator("p.flash").first
    expect(flash).to_contain_text("Đã lưu vào kho: văn bản số")
    number = re.search(r"\d+-NQ/CB", flash.inner_text())
    assert number, flash.inner_text()
    expect(page.locator("dl.browse-details dt:text-is('Số') + dd")).to_have_text(number.group(0))
    expect(page.locator("h1")).to_contain_text(SUMMARY)
    archive = Archive(server.root)
    try:
        filed = archive.get(doc_id)
    finally:
        archive.close()
    assert filed.meta.number_text == number.group(0) and filed.meta.date == DAY
    assert filed.meta.cell == NAME_A and SUMMARY in filed.meta.title
    shots.take(page, "paper", full_page=False)
    shots.take(page, "paper-whole")
    fits(page)
    assert page.goto(draft_url).url.endswith(f"/doc/{doc_id}")  # the draft is gone: its paper

    # found by an unaccented search of words typed
    page.click("nav.menu a:text-is('Tìm kiếm')")
    page.fill("input[name=q]", UNACCENTED)
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    hit = page.locator(f".browse-hit a.browse-hit-title[href='/doc/{doc_id}']")
    expect(hit).to_have_count(1)
    expect(hit).to_contain_text(SUMMARY)
    expect(page.locator(".browse-summary")).to_contain_text("Tìm thấy")
    shots.take(page, "search-unaccented")

    # a book: the cell, the kind, the period
    page.click("nav.menu a:text-is('In sổ')")
    page.wait_for_url(re.compile(r"/print$"))
    period = (dt.date(2026, 3, 1), dt.date(2026, 10, 31))
    archive = Archive(server.root)
    try:
        expected = archive.list(kind="nghi-quyet", cell=NAME_A, date_from=period[0], date_to=period[1])
    finally:
        archive.close()
    assert doc_id in [d.id for d in expected] and len(expected) >= 2
    page.check(f"input[name=cell][value={CELL_A}]")
    page.check("input[name=kind][value=nghi-quyet]")
    page.fill("input[name=from]", period[0].isoformat())
    page.fill("input[name=to]", period[1].isoformat())
    expect(page.locator("#print-count")).to_have_text(f"Lựa chọn này có {len(expected)} văn bản.")
    shots.take(page, "print-form")
    fits(page)
    page.click("#print-form button[value=print]")
    page.wait_for_url(re.compile(r"/print/job/[^/]+$"))
    download_link = page.locator("a.print-download")
    expect(download_link).to_be_visible(timeout=SLOW)  # the page reloads itself once the job ended
    expect(page.locator(".print-state")).to_have_text("Xong")
    shots.take(page, "print-done")
    fits(page)
    with page.expect_download() as download:
        download_link.click()
    book = tmp_path / "book.pdf"
    download.value.save_as(book)
    reader = PdfReader(book)
    pages = int(page.locator("[data-field=pages]").inner_text())
    assert len(reader.pages) == pages > len(expected)
    titles = outline_titles(reader.outline)
    assert len(titles) == len(expected)
    ours = [t for t in titles if t.startswith(number.group(0))]
    assert len(ours) == 1 and SUMMARY in ours[0] and f" · {vn_date(DAY)} · " in ours[0], titles
    assert sorted(t.split(" · ", 1)[0] for t in titles) == sorted(d.meta.number_text for d in expected)


# ------------------------------------------------------------------ 2. committee staff
def test_committee_searches_across_both_cells(server: Server, new_page: Any, tmp_path: Path) -> None:
    shots = Shots(tmp_path / "shots")
    page = new_page(DESKTOP)
    log_in(page, server.url, "ubnd", PASSWORD)
    page.click("nav.menu a:text-is('Tìm kiếm')")
    page.fill("input[name=q]", "ve sinh moi truong")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    total = int(page.locator(".browse-summary strong").first.inner_text())
    shots.take(page, "search-both-cells")

    facet = page.locator("aside.facets h3:text-is('Chi bộ') + ul > li")
    counts = {}
    for item in facet.all():
        found = re.fullmatch(r"(.+?) \((\d+)\)", " ".join(item.inner_text().split()))
        assert found, item.inner_text()
        counts[found.group(1)] = int(found.group(2))
    assert set(counts) == {NAME_A, NAME_B} and all(c > 0 for c in counts.values()), counts
    assert sum(counts.values()) == total
    assert cells_of_hits(page) == {NAME_A, NAME_B}  # the first page holds papers of both

    # each cell's facet narrows the results to that cell, with the count it showed
    for name in (NAME_B, NAME_A):
        page.locator("aside.facets a", has_text=name).click()
        page.wait_for_url(re.compile(r"cell="))
        expect(page.locator(".browse-summary strong").first).to_have_text(str(counts[name]))
        assert cells_of_hits(page) == {name}
        expect(page.locator(".browse-active")).to_contain_text(name)
        shots.take(page, f"search-cell-{'b' if name == NAME_B else 'a'}")
        page.go_back()
        page.wait_for_url(re.compile(r"/search\?q="))


# ------------------------------------------------------------------ 3. another cell's secretary
def test_second_cell_secretary_cannot_reach_the_first_cells_paper(
        server: Server, new_page: Any, tmp_path: Path) -> None:
    shots = Shots(tmp_path / "shots")
    archive = Archive(server.root)
    try:
        papers_a = archive.list(cell=NAME_A)
        papers_b = archive.list(cell=NAME_B)
        paper = archive.list(kind="nghi-quyet-ket-nap", cell=NAME_A)[0]
        texts_a = [docx_text(d.docx_path) for d in papers_a]
        texts_b = [docx_text(d.docx_path) for d in papers_b]
    finally:
        archive.close()
    assert papers_b and any(ONLY_A_TEXT in t for t in texts_a) and not any(ONLY_A_TEXT in t for t in texts_b)
    title = paper.meta.title
    assert ONLY_A_TEXT in title

    page = new_page(PHONE)
    log_in(page, server.url, "bt.b", PASSWORD)
    expect(page.locator("main")).to_contain_text(NAME_B)

    response = page.goto(f"{server.url}doc/{paper.id}")
    assert response is not None and response.status == 404
    shown = body_text(page)
    assert "không có văn bản này, hoặc bạn không có quyền xem" in shown
    assert title not in shown and ONLY_A_TEXT not in page.content() and "AN THÀNH" not in shown.upper()
    shots.take(page, "404-paper")
    # exactly the page of a paper that does not exist
    missing = page.goto(f"{server.url}doc/{'0' * len(paper.id)}")
    assert missing is not None and missing.status == 404
    assert body_text(page) == shown

    for path in (f"doc/{paper.id}/v1/docx", f"doc/{paper.id}/v1/pdf", f"doc/{paper.id}/v1/input.yaml"):
        got = page.request.get(server.url + path)
        assert got.status == 404, (path, got.status)
        assert ONLY_A_TEXT not in got.text() and not got.headers.get("content-disposition")

    page.goto(server.url + "search")
    page.fill("input[name=q]", ONLY_A)
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    expect(page.locator("main")).to_contain_text("Không tìm thấy")
    expect(page.locator(".browse-hit")).to_have_count(0)
    shown = body_text(page)
    assert "AN THÀNH" not in shown.upper() and ONLY_A_TEXT not in shown
    shots.take(page, "search-other-cell")

    # the same search by the paper's own cell finds it: the index has it, the scope hides it
    owner = new_page(PHONE)
    log_in(owner, server.url, "bt.a", PASSWORD)
    owner.goto(server.url + "search")
    owner.fill("input[name=q]", ONLY_A)
    owner.press("input[name=q]", "Enter")
    owner.wait_for_url(re.compile(r"/search\?"))
    expect(owner.locator(f".browse-hit a[href='/doc/{paper.id}']")).to_have_count(1)


# ------------------------------------------------------------------ 4. a phone's width
@pytest.mark.parametrize("login", ["bt.a", "ubnd"])
def test_home_and_search_fit_a_phone(server: Server, new_page: Any, tmp_path: Path, login: str) -> None:
    shots = Shots(tmp_path / "shots")
    page = new_page(PHONE)
    log_in(page, server.url, login, PASSWORD)
    assert page.evaluate("window.innerWidth") == PHONE["width"]
    fits(page)
    shots.take(page, "home")
    page.goto(server.url + "search")
    fits(page)
    page.fill("input[name=q]", "ve sinh moi truong")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    expect(page.locator(".browse-hit").first).to_be_visible()
    fits(page)
    shots.take(page, "search")
