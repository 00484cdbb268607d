"""The writing screens (issue 12: 2, 3, 4): a new paper's form for every kind, the live
figures and the model's messages of the autosave, the preview by the real warm LibreOffice,
filing (once), amending, who may do it. Flask's test client over the real two-cell archive
of conftest (an-thanh: every example filed; binh-minh: the minutes and the resolution)."""

from __future__ import annotations

import html
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from click.testing import CliRunner
from conftest import CELL_A, CELL_B, CONFIG, EXAMPLES, Pairs, Site, Writer, csrf_of, settings_for
from markupsafe import escape
from pypdf import PdfReader

from docgen.app import find_document
from docgen.archive.audit import AUDIT_FILE
from docgen.authoring.webform import FormField, form_fields, form_pairs
from docgen.cells import Cells
from docgen.cli import main
from docgen.docxtext import docx_text
from docgen.kinds import KINDS
from docgen.model.files import read_mapping
from docgen.printing.service import PNG_SIGNATURE, WarmConverter, png_size
from docgen.web import papers, writing
from docgen.web.drafts import Drafts

HOSTILE = ("<script>alert(1)</script>", "{{ 7*7 }}", "& < >")


# ------------------------------------------------------------------------ helpers



def example(kind: str) -> dict[str, Any]:
    data = read_mapping(EXAMPLES / KINDS[kind].example_name)
    data.pop("number", None)  # the example's number is taken in the archive: filing gives the next
    return data


def example_pairs(kind: str) -> Pairs:
    return form_pairs(kind, example(kind))


def changed(pairs: Pairs, **values: str) -> Pairs:
    """``pairs`` with the values of ``values`` ("vote__for" is "vote.for"); new names appended."""
    names = {k.replace("__", "."): v for k, v in values.items()}
    return [(n, names.pop(n, v)) for n, v in pairs] + list(names.items())


def every(fields: list[FormField] | tuple[FormField, ...]) -> Iterator[FormField]:
    for f in fields:
        yield f
        yield from every(f.fields)


def field_box(page: str, name: str) -> str:
    """The HTML of the input's box (label, input, messages) of the posted name ``name``."""
    found = re.search(rf'<(div|fieldset) class="[^"]*papers-field[^"]*"[^>]*data-field="{re.escape(name)}">(.*?)</\1>',
                      page, re.S)
    assert found, name
    return found.group(2)


def messages_in(box: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'<p class="field-error">(.*?)</p>', box, re.S)]


def docs_count(site: Site, kind: str) -> int:
    resp = site.client("ubnd").get("/api/list", query_string={"kind": kind})
    assert resp.status_code == 200
    return len(resp.get_json())


def cli_text(site: Site, data: dict[str, Any], tmp_path: Path, cell: str = CELL_A) -> str:
    """The text of ``data`` rendered by ``docgen render`` with the cell's profile."""
    source, out = tmp_path / "cli-input.yaml", tmp_path / "cli.docx"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    profile = Cells(site.settings).get(cell).profile_path
    result = CliRunner().invoke(main, ["--config", str(CONFIG), "--archive", str(site.root), "render", str(source),
                                       "-o", str(out), "--force"],
                                env={"DOCGEN_PROFILE": str(profile), "DOCGEN_LANG": "vi"})
    assert result.exit_code == 0, result.output
    return docx_text(out)


def filed_text(site: Site, doc_id: str) -> str:
    return docx_text(find_document(site.settings, doc_id).docx_path)


# A resolution as papers.js posts it: rows numbered as the page has them (a gap where a row was
# removed, an empty row just added), the CSRF token and the field names of the form.
RESOLUTION: Pairs = [
    ("date", "2026-03-10"), ("start", "19:30"), ("end", "21:30"), ("chair", "m01"), ("secretary", "m03"),
    ("absent[0].member", "m05"), ("absent[0].reason", "đi công tác"),
    ("absent[1].member", ""), ("absent[1].reason", ""),
    ("absent[4].member", "m11"), ("absent[4].reason", ""),
    ("vote.for", "15"), ("vote.against", "0"), ("vote.abstain", "1"),
    ("assessment[0].heading", "Công tác chính trị, tư tưởng"), ("assessment[0].text", "Chi bộ đã thông tin."),
]


# ------------------------------------------------------------------------ new paper
def test_new_lists_every_kind_for_a_secretary(site: Site) -> None:
    writer = Writer(site)
    body = writer.page("/new")
    for spec in KINDS.values():
        assert str(escape(spec.label.vi)) in body
        assert str(escape(spec.description.vi)) in body
        assert f'name="kind" value="{spec.name}"' in body
    assert f'name="cell" value="{CELL_A}"' in body and CELL_B not in body  # only the cell written
    url = writer.new("nghi-quyet")
    draft_id = url.rsplit("/", 1)[1]
    found = Drafts(site.root).get(CELL_A, draft_id)
    assert found is not None and found.kind == "nghi-quyet" and found.saved_by == "bt.a"
    # prefilled as `docgen form` prefills: the profile's chair, secretary, place; the period after the
    # cell's previous resolution (the example of 10/3/2026); its topics and assessment headings
    fields = dict(found.fields)
    assert (fields["chair"], fields["secretary"], fields["date"]) == ("m01", "m03", "2026-04-10")
    assert fields["place"] == "Nhà văn hóa thôn An Thành" and ("topics", "vsmt") in found.fields
    assert fields["assessment[0].heading"] == "Công tác chính trị, tư tưởng"
    assert "number" not in fields and "vote.for" not in fields
    # the cell's drafts in progress are listed on the page
    assert f'href="{url}"' in writer.page("/new")


def test_the_previous_paper_is_the_cells_own(site: Site) -> None:
    writer = Writer(site, "bt.b")
    url = writer.new("nghi-quyet", CELL_B)
    form = writer.page(url)
    assert 'value="Nhà văn hóa thôn Bình Minh"' in form
    assert not re.findall(r'value="[^"]*An Thành|>[^<]*An Thành[^<]*</textarea>', form)  # examples in help aside
    saved = Drafts(site.root).get(CELL_B, url.rsplit("/", 1)[1])
    assert saved is not None and dict(saved.fields)["date"] == "2026-04-10"  # after B's resolution of 10/3
    # a kind only the other cell filed: nothing of that cell's paper comes in
    plan = Drafts(site.root).get(CELL_B, writer.new("ke-hoach-chuyen-de", CELL_B).rsplit("/", 1)[1])
    assert plan is not None
    example_plan = form_pairs("ke-hoach-chuyen-de", example("ke-hoach-chuyen-de"))
    copied = {v for n, v in plan.fields} & {v for n, v in example_plan if len(v) > 20 and "Bình Minh" not in v}
    assert not copied and "An Thành" not in " ".join(v for _, v in plan.fields)


def test_committee_and_an_admin_without_cells_cannot_write(site: Site) -> None:
    for login in ("ubnd", "admin"):
        writer = Writer(site, login)
        body = writer.page("/new", 403)
        assert "chỉ bí thư, chi ủy viên được giao một chi bộ mới soạn được văn bản" in body
        resp = writer.post("/new", [("cell", CELL_A), ("kind", "nghi-quyet")])
        assert resp.status_code == 403
    assert not (site.root / ".docgen" / "web" / "drafts" / CELL_A).exists()


def test_new_with_a_due_kind_and_several_cells(site: Site) -> None:
    accounts = site.app.config["ACCOUNTS"]
    accounts.set_cells("bt.a", [CELL_A, CELL_B], actor="test")
    writer = Writer(site)
    body = writer.page("/new")
    assert "Chọn chi bộ để soạn văn bản." in body and 'name="kind"' not in body
    assert f'href="/new?cell={CELL_B}"' in body
    body = writer.page(f"/new?cell={CELL_B}&kind=bao-cao")
    assert f'name="cell" value="{CELL_B}"' in body and "papers-suggested" in body
    assert body.index('value="bao-cao"') < body.index('value="nghi-quyet"')  # the due kind first
    resp = writer.post("/new", [("cell", CELL_A), ("kind", "khong-co")])
    assert resp.status_code == 400


# ------------------------------------------------------------------------ every kind
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_renders_its_form_and_files_the_example(site: Site, kind: str, tmp_path: Path) -> None:
    writer = Writer(site)
    url = writer.new(kind)
    form = writer.page(url)
    for f in every(form_fields(kind, "vi")):
        assert str(escape(f.label)) in form, (kind, f.name, f.label)
        assert f'data-pattern="{f.name}"' in form, (kind, f.name)
    assert 'type="date" name="date"' in form  # native inputs
    before = docs_count(site, kind)
    answer = writer.save(url, [("csrf_token", writer.token), *example_pairs(kind)])
    assert answer["saved"] and answer["valid"], answer["messages"]
    assert (answer["figures"] is not None) == KINDS[kind].meeting
    doc_id = writer.file(url)
    assert docs_count(site, kind) == before + 1
    doc = find_document(site.settings, doc_id)
    data = example(kind)
    if doc.meta.number is not None:
        data["number"] = doc.meta.number
    assert filed_text(site, doc_id) == cli_text(site, data, tmp_path)
    assert writer.client.get(url).status_code == 303  # the draft is gone: its paper instead


def test_form_in_english(site: Site) -> None:
    writer = Writer(site)
    writer.client.get("/lang/en")
    form = writer.page(writer.new("nghi-quyet"))
    for f in every(form_fields("nghi-quyet", "en")):
        assert str(escape(f.label)) in form, f.name
    assert ">Save draft<" in form and ">Preview<" in form and "Lưu nháp" not in form


# ------------------------------------------------------------------------ figures and messages
def test_resolution_with_two_absentees_then_a_third(site: Site) -> None:
    writer = Writer(site)
    url = writer.new("nghi-quyet")
    answer = writer.save(url, RESOLUTION)
    figures = answer["figures"]
    # 22 members: m19 elsewhere, m20 exempt: 20 summoned, 18 present; 18 full members vote
    assert (figures["summoned"], figures["present"], figures["absent"]) == (20, 18, 2)
    assert figures["attendance_percent"] == "90%" and figures["denominator"] == 18
    assert figures["absent_with_reason"] == [["Hoàng Văn Em", "đi công tác"]]
    assert figures["absent_without_reason"] == ["Dương Văn Lâm"]
    (vote,) = figures["votes"]
    assert (vote["percent_text"], vote["passed"], vote["result_text"]) == ("83,3%", True, "thông qua")
    assert "Có mặt 18/20</strong> (90%)" in answer["figures_html"]
    assert "15/18 đồng chí tán thành, đạt 83,3% — thông qua" in answer["figures_html"]
    # ticking a third absentee in a row added after a gap
    third = writer.save(url, [*RESOLUTION, ("absent[6].member", "m14")])
    figures = third["figures"]
    assert (figures["present"], figures["absent"], figures["attendance_percent"]) == (17, 3, "85%")
    assert figures["absent_without_reason"] == ["Dương Văn Lâm", "Trịnh Văn Oanh"]
    assert "Có mặt 17/20</strong> (85%)" in third["figures_html"]
    # 15 + 0 + 1 votes, 15 full members present: the model's message under the vote's count
    by_field = {m["field"]: m["cli"] for m in third["messages"]}
    assert "lớn hơn số đảng viên chính thức có mặt (15)" in by_field["vote.for"]
    assert by_field["vote.for"].startswith("Lỗi: ")
    # the page's row numbers, not the model's: the unknown member is in the posted row 6
    unknown = writer.save(url, [*RESOLUTION, ("absent[6].member", "m99")])
    fields = {m["field"] for m in unknown["messages"]}
    assert "absent[6].member" in fields and "absent[2].member" not in fields
    message = next(m for m in unknown["messages"] if m["field"] == "absent[6].member")
    assert message["text"] == 'Đảng viên của người vắng mặt thứ 3: không có đảng viên mã "m99" trong danh sách đảng viên'
    # and the saved draft is the form as the model numbers it (rows 0, 1, 2)
    saved = dict(Drafts(site.root).get(CELL_A, url.rsplit("/", 1)[1]).fields)  # type: ignore[union-attr]
    assert (saved["absent[1].member"], saved["absent[2].member"]) == ("m11", "m99")


def test_row_map_follows_nested_rows() -> None:
    pairs = [("items[3].heading", "A"), ("items[5].heading", ""), ("items[8].heading", "B"),
             ("items[8].votes[2].subject", ""), ("items[8].votes[4].subject", "kết nạp"),
             ("items[8].votes[4].for", "17")]
    rows = papers._row_map("trich-bien-ban", pairs)
    assert rows[("items", 0)] == ("items", 3) and rows[("items", 1)] == ("items", 8)
    assert rows[("items", 1, "votes", 0)] == ("items", 8, "votes", 4)
    assert papers._posted_name("items[1].votes[0].denominator", rows) == "items[8].votes[4].denominator"
    assert papers._posted_name("summary", rows) == "summary"


def test_failed_vote_does_not_pass(site: Site) -> None:
    writer = Writer(site)
    url = writer.new("nghi-quyet")
    answer = writer.save(url, changed(example_pairs("nghi-quyet"), vote__for="5"))
    (vote,) = answer["figures"]["votes"]
    assert (vote["passed"], vote["result_text"], vote["percent_text"]) == (False, "không thông qua", "26,3%")
    assert vote["outcome_text"] == "không thông qua (cần hơn một nửa số đảng viên chính thức tán thành)"
    assert 'class="fail"' in answer["figures_html"] and "không thông qua" in answer["figures_html"]
    assert not answer["valid"]
    by_field = {m["field"]: m for m in answer["messages"]}
    assert "nghị quyết không được thông qua (5/19 đồng chí tán thành, chỉ đạt 26,3%" in by_field["vote.for"]["text"]
    # the form after "Kiểm tra" shows it under the vote's count
    form = writer.page(url + "?check=1")
    (shown,) = messages_in(field_box(form, "vote.for"))
    assert shown == by_field["vote.for"]["cli"]
    # and the paper cannot be previewed nor filed
    before = docs_count(site, "nghi-quyet")
    resp = writer.post(url + "/file")
    assert resp.status_code == 303 and urlsplit(resp.location).query == "check=1"
    assert writer.client.get(url + "/preview").status_code == 303
    assert docs_count(site, "nghi-quyet") == before


def test_bad_date_gives_the_clis_message_under_the_field(site: Site, tmp_path: Path) -> None:
    data = read_mapping(EXAMPLES / "nghi-quyet.yaml")
    data["date"] = "32/13/2026"
    source = tmp_path / "nq.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(CONFIG), "render", str(source), "-o",
                                       str(tmp_path / "nq.docx")], env={"DOCGEN_LANG": "vi"})
    assert result.exit_code == 3
    cli = re.sub(r" \(dòng \d+\)", "", result.stderr)  # a form has no lines

    writer = Writer(site)
    url = writer.new("nghi-quyet")
    resp = writer.post(url, [*changed(example_pairs("nghi-quyet"), date="32/13/2026"), ("action", "check")])
    assert resp.status_code == 303 and resp.location.endswith("?check=1")
    form = writer.page(resp.location)
    box = field_box(form, "date")
    (message,) = messages_in(box)
    error, fix = message.split("\n")
    assert error == "Lỗi: Ngày văn bản: ngày không có thật: 32/13/2026"
    assert error in cli and fix.strip() in cli and fix.strip().startswith("Cách sửa: ")
    assert 'type="text" name="date" data-pattern="date" value="32/13/2026"' in box  # as typed
    assert "Còn 1 lỗi" in form


def test_autosave_persists_for_a_new_session(site: Site) -> None:
    writer = Writer(site)
    url = writer.new("nghi-quyet")
    writer.save(url, changed(RESOLUTION, place="Hội trường xóm Đông"))
    again = Writer(site)  # the browser was closed: a new session of the same user
    form = again.page(url)
    assert 'value="Hội trường xóm Đông"' in form
    assert re.search(r'name="absent\[1\]\.member".*?<option value="m11" selected>', form, re.S)
    assert 'name="vote.for" data-pattern="vote.for" value="15"' in form
    assert "Hội trường xóm Đông" not in Writer(site, "bt.b").page("/new")  # no other cell's writer sees it


def test_without_javascript_rows_are_added_and_removed(site: Site) -> None:
    writer = Writer(site)
    url = writer.new("nghi-quyet")
    resp = writer.post(url, [*RESOLUTION, ("add", "absent")])
    assert resp.status_code == 303
    form = writer.page(resp.location)
    assert 'name="absent[2].member"' in form and 'name="absent[3].member"' not in form  # 2 saved + 1 new
    resp = writer.post(url, [("date", "2026-03-10"), ("absent[0].member", "m05"), ("absent[1].member", "m11"),
                             ("remove", "absent[0]")])
    assert resp.status_code == 303
    saved = Drafts(site.root).get(CELL_A, url.rsplit("/", 1)[1])
    assert saved is not None and [v for n, v in saved.fields if n.startswith("absent")] == ["m11"]
    assert "Đã lưu bản nháp." in writer.page(url)


def test_changing_the_date_changes_the_roster(site: Site) -> None:
    writer = Writer(site)
    url = writer.new("nghi-quyet")
    before = writer.save(url, [("date", "2025-09-15")])
    after = writer.save(url, [("date", "2026-03-10")])
    early = {c["value"] for c in before["roster"]}
    later = {c["value"] for c in after["roster"]}
    assert "m22" not in early and "t01" not in early  # admitted 22/12/2025; attending here from 1/10/2025
    assert {"m22", "t01"} <= later and before["roster_day"] == "2025-09-15"
    form = writer.page(url)
    assert 'data-roster-day="2026-03-10"' in form and '<option value="m22">' in form


# ------------------------------------------------------------------------ hostile text
def test_hostile_text_is_shown_and_printed_literally(site: Site) -> None:
    writer = Writer(site)
    url = writer.new("bien-ban-thuong-ky")
    text = " ".join(HOSTILE)
    pairs = changed(example_pairs("bien-ban-thuong-ky"), summary=text, place=text)
    pairs += [("guests[5].name", HOSTILE[0]), ("guests[5].position", HOSTILE[1]),
              ("proceedings[0].content", f"{HOSTILE[0]}\n{HOSTILE[2]}")]
    answer = writer.save(url, pairs)
    assert answer["valid"], answer["messages"]
    form = writer.page(url)
    assert "<script>alert" not in form and "&lt;script&gt;alert(1)&lt;/script&gt;" in form
    assert 'name="summary" data-pattern="summary" value="&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp; &lt; &gt;"' in form
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\n&amp; &lt; &gt;</textarea>" in form
    assert ">49<" not in form and "Biên bản sinh hoạt chi bộ thường kỳ: &lt;script&gt;" in writer.page("/new")
    preview_docx = writer.client.get(url + "/preview.docx")
    assert preview_docx.status_code == 200
    doc_id = writer.file(url)
    for printed in (docx_text(preview_docx.data), filed_text(site, doc_id)):
        assert f"BIÊN BẢN\n{text}\n" in printed  # the summary, as typed
        assert f"- Địa điểm: {text}." in printed  # the place
        assert f"{HOSTILE[0]}\n{HOSTILE[2]}" in printed and HOSTILE[1] in printed


def test_hostile_text_in_every_field_of_the_form(site: Site) -> None:
    writer = Writer(site)
    url = writer.new("nghi-quyet")
    typed = [f for f in every(form_fields("nghi-quyet")) if f.widget in
             ("text", "textarea", "date", "time", "integer", "number", "member", "select")]
    pairs = [(f.html_name(*[0] * f.name.count("[]")), HOSTILE[i % 3]) for i, f in enumerate(typed)]
    pairs += [("exempt_present", HOSTILE[0]), ("topics", HOSTILE[1]), ("recipients[0]", HOSTILE[2])]
    answer = writer.save(url, pairs)
    assert not answer["valid"] and answer["messages"]
    for page in (writer.page(url), writer.page(url + "?check=1")):
        assert "<script>alert" not in page and "<script" not in page.replace('<script src="/static/', "")
        assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= len(typed) // 3
        assert "{{ 7*7 }}" in page and "& < >" not in page
    messages = messages_in(writer.page(url + "?check=1"))
    assert any("<script>alert(1)</script>" in m for m in messages)  # the model quotes it; shown as text


# ------------------------------------------------------------------------ permissions
def test_another_cells_secretary_cannot_touch_the_draft(site: Site) -> None:
    owner = Writer(site)
    url = owner.new("nghi-quyet")
    owner.save(url, changed(RESOLUTION, place="Bí mật của An Thành"))
    draft_id = url.rsplit("/", 1)[1]
    other = Writer(site, "bt.b")
    for method, path in (("get", ""), ("post", ""), ("post", "/save"), ("get", "/preview"), ("get", "/preview.docx"),
                         ("get", "/preview.pdf"), ("get", "/preview/page/1.png?key=" + "0" * 64), ("post", "/file"),
                         ("post", "/delete")):
        resp = getattr(other.client, method)(url + path, data={"csrf_token": other.token} if method == "post" else None)
        assert resp.status_code == 403, (method, path, resp.status_code)
        assert "Bí mật của An Thành" not in resp.get_data(as_text=True)
        # the same draft id under the other's own cell is no draft at all
        resp = getattr(other.client, method)(f"/draft/{CELL_B}/{draft_id}{path}",
                                             data={"csrf_token": other.token} if method == "post" else None)
        assert resp.status_code == 404, (method, path, resp.status_code)
    committee = Writer(site, "ubnd")
    assert committee.client.get(url).status_code == 403
    assert Drafts(site.root).get(CELL_A, draft_id) is not None  # untouched
    assert "Bí mật của An Thành" in owner.page(url)


def test_only_writers_of_the_papers_cell_amend_it(site: Site) -> None:
    resolution_a = next(d for d in site.client("ubnd").get("/api/list", query_string={"kind": "nghi-quyet"}).get_json()
                        if "AN THÀNH" in d["cell"])
    assert Writer(site, "bt.b").client.get(f"/doc/{resolution_a['id']}/amend").status_code == 404  # not visible
    assert Writer(site, "ubnd").client.get(f"/doc/{resolution_a['id']}/amend").status_code == 403  # reads, never writes
    assert Writer(site, "admin").client.get(f"/doc/{resolution_a['id']}/amend").status_code == 403  # not its cell
    assert not (site.root / ".docgen" / "web" / "drafts").exists()


# ------------------------------------------------------------------------ amend, file once, delete
def test_amend_keeps_the_number_and_makes_version_2(site: Site) -> None:
    doc = next(d for d in site.client("ubnd").get("/api/list", query_string={"kind": "nghi-quyet"}).get_json()
               if "AN THÀNH" in d["cell"])
    writer = Writer(site)
    asked = writer.client.get(f"/doc/{doc['id']}/amend")  # a GET asks, writes nothing
    assert asked.status_code == 200 and "Bắt đầu sửa" in asked.get_data(as_text=True)
    assert not [d for d in Drafts(site.root).of_cell(CELL_A) if d.amends == doc["id"]]
    assert writer.client.post(f"/doc/{doc['id']}/amend").status_code == 400  # CSRF
    resp = writer.post(f"/doc/{doc['id']}/amend")
    assert resp.status_code == 303
    url = urlsplit(resp.location).path
    form = writer.page(url)
    assert f'href="/doc/{doc["id"]}"' in form and "khi lưu vào kho, văn bản giữ số cũ" in form
    assert 'name="number" data-pattern="number" value="5"' in form and "readonly" in field_box(form, "number")
    assert 'value="Nhà văn hóa thôn An Thành"' in form  # from the filed input.yaml
    # the same link again continues that amendment
    assert urlsplit(writer.client.get(f"/doc/{doc['id']}/amend").location).path == url
    pairs = form_pairs("nghi-quyet", read_mapping(find_document(site.settings, doc["id"]).folder / "input.yaml"))
    writer.save(url, changed(pairs, place="Hội trường thôn An Thành"))
    assert writer.file(url) == doc["id"]
    amended = find_document(site.settings, doc["id"])
    assert (amended.version, amended.meta.number_text) == (2, "05-NQ/CB")
    assert "Hội trường thôn An Thành" in filed_text(site, doc["id"])
    audit = (site.root / AUDIT_FILE).read_text(encoding="utf-8").splitlines()[-1]
    assert '"op": "amend"' in audit and '"user": "bt.a"' in audit
    page = writer.page(f"/doc/{doc['id']}")
    assert "Đã lưu phiên bản 2 của văn bản số 05-NQ/CB vào kho." in page


def test_a_second_file_post_files_once(site: Site) -> None:
    writer = Writer(site)
    url = writer.new("nghi-quyet")
    writer.save(url, example_pairs("nghi-quyet"))
    before = docs_count(site, "nghi-quyet")
    first = writer.post(url + "/file")
    second = writer.post(url + "/file")  # a double click
    assert first.status_code == second.status_code == 303
    assert first.location == second.location
    assert docs_count(site, "nghi-quyet") == before + 1
    page = writer.page(first.location)
    doc_id = urlsplit(first.location).path.rsplit("/", 1)[1]
    assert f"Bản nháp này đã được lưu vào kho thành văn bản {doc_id}." in page
    # an autosave arriving after the filing does not bring the draft back
    late = writer.save(url, example_pairs("nghi-quyet"), status=410)
    assert late["gone"] and late["paper_url"] == f"/doc/{doc_id}"
    assert Drafts(site.root).get(CELL_A, url.rsplit("/", 1)[1]) is None
    assert not list((site.root / writing.LOCKS_DIR).glob(f"*{url.rsplit('/', 1)[1]}*"))  # no lock file left


def test_concurrent_file_posts_file_once(site: Site) -> None:
    import threading

    writer = Writer(site)
    url = writer.new("bien-ban-hop-chi-uy")
    writer.save(url, example_pairs("bien-ban-hop-chi-uy"))
    before = docs_count(site, "bien-ban-hop-chi-uy")
    results: list[int] = []

    def post() -> None:
        client = site.client("bt.a")
        token = csrf_of(client, "/")
        results.append(client.post(url + "/file", data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=post) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [303, 303, 303]
    assert docs_count(site, "bien-ban-hop-chi-uy") == before + 1


def test_delete_a_draft(site: Site) -> None:
    writer = Writer(site)
    url = writer.new("ke-hoach-chuyen-de")
    resp = writer.post(url + "/delete")
    assert resp.status_code == 303 and urlsplit(resp.location).path == f"/cell/{CELL_A}"
    assert writer.client.get(url).status_code == 404
    assert writer.save(url, [("date", "2026-03-10")], status=404)["gone"]


def test_file_button_refuses_a_draft_changed_since_its_preview(site: Site) -> None:
    writer = Writer(site)
    url = writer.new("nghi-quyet")
    writer.save(url, example_pairs("nghi-quyet"))
    preview = writer.page(url + "/preview", 503)  # no LibreOffice on this app: no images, filing still works
    assert "chưa chạy LibreOffice" in preview and "Lưu vào kho" in preview and "preview.docx" in preview
    content = re.search(r'name="content" value="([0-9a-f]{64})"', preview)
    assert content
    writer.save(url, changed(example_pairs("nghi-quyet"), place="Nơi khác"))  # another window types on
    before = docs_count(site, "nghi-quyet")
    resp = writer.post(url + "/file", [("content", content.group(1))])
    assert resp.status_code == 303 and urlsplit(resp.location).path == url + "/preview"
    assert docs_count(site, "nghi-quyet") == before
    fresh = re.search(r'name="content" value="([0-9a-f]{64})"', writer.page(url + "/preview", 503))
    assert fresh and fresh.group(1) != content.group(1)
    resp = writer.post(url + "/file", [("content", fresh.group(1))])
    assert resp.status_code == 303 and docs_count(site, "nghi-quyet") == before + 1


# ------------------------------------------------------------------------ preview (real LibreOffice)
@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WarmConverter]:
    with WarmConverter(settings_for(tmp_path_factory.mktemp("warm"))) as converter:
        converter.start()
        yield converter


class Counting:
    """The warm converter, counting its previews."""

    def __init__(self, converter: WarmConverter) -> None:
        self.converter = converter
        self.previews = 0

    def preview(self, docx: bytes, **kwargs: Any) -> Any:
        self.previews += 1
        return self.converter.preview(docx, **kwargs)


@pytest.mark.libreoffice
def test_preview_shows_the_pages_and_files_it(site: Site, warm: WarmConverter) -> None:
    counting = Counting(warm)
    site.app.config["WEB"].converter = counting
    writer = Writer(site)
    url = writer.new("nghi-quyet")
    writer.save(url, example_pairs("nghi-quyet"))
    start = time.monotonic()
    page = writer.page(url + "/preview")
    first = time.monotonic() - start
    images = re.findall(r'<img src="([^"]+)" width="(\d+)" height="(\d+)" alt="Trang (\d+)/(\d+)"', page)
    assert len(images) >= 2 and counting.previews == 1
    made = site.root / writing.PREVIEWS_DIR / CELL_A / url.rsplit("/", 1)[1]
    assert [p.name for p in made.glob("*/page-*.png")] == ["page-1.png"]  # the rest when asked
    for src, width, height, _, total in images:
        resp = writer.client.get(html.unescape(src))
        assert resp.status_code == 200 and resp.mimetype == "image/png"
        assert resp.data.startswith(PNG_SIGNATURE) and png_size(resp.data) == (int(width), int(height))
        assert int(total) == len(images)
    assert int(images[0][1]) == 596  # A4 at 72 dpi
    assert len(list(made.glob("*/page-*.png"))) == len(images)
    # a reload uses the cached pages: no conversion
    start = time.monotonic()
    assert writer.page(url + "/preview") == page
    assert counting.previews == 1 and time.monotonic() - start < first
    pdf = writer.client.get(url + "/preview.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "NGHỊ QUYẾT" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert counting.previews == 1
    docx = writer.client.get(url + "/preview.docx")
    assert docx.headers["Content-Disposition"].endswith("NQ-du-thao-2026-03-10-an-thanh-xem-truoc.docx")
    # a page image of another preview key is not served
    assert writer.client.get(url + "/preview/page/1.png?key=" + "f" * 64).status_code == 404
    assert writer.client.get(html.unescape(images[0][0]).replace("/page/1.png", "/page/99.png")).status_code == 404
    # "Lưu vào kho" from the preview page: filed, the draft and its preview gone
    content = re.search(r'name="content" value="([0-9a-f]{64})"', page)
    assert content
    resp = writer.post(url + "/file", [("content", content.group(1))])
    assert resp.status_code == 303
    doc = find_document(site.settings, urlsplit(resp.location).path.rsplit("/", 1)[1])
    assert doc.meta.number is not None and doc.meta.number > 5 and doc.meta.number_text.endswith("-NQ/CB")
    assert not (site.root / writing.PREVIEWS_DIR / CELL_A / url.rsplit("/", 1)[1]).exists()
    assert writer.client.get(html.unescape(images[0][0])).status_code == 404


@pytest.mark.libreoffice
def test_preview_of_a_long_paper_and_a_changed_draft(site: Site, warm: WarmConverter) -> None:
    site.app.config["WEB"].converter = warm
    writer = Writer(site)
    url = writer.new("bien-ban-danh-gia-xep-loai")
    writer.save(url, example_pairs("bien-ban-danh-gia-xep-loai"))
    page = writer.page(url + "/preview")
    keys = set(re.findall(r"key=([0-9a-f]{64})", page))
    assert len(keys) == 1 and len(re.findall(r"<img ", page)) >= 3
    writer.save(url, changed(example_pairs("bien-ban-danh-gia-xep-loai"), place="Hội trường thôn"))
    again = writer.page(url + "/preview")
    (newer,) = set(re.findall(r"key=([0-9a-f]{64})", again))
    assert newer not in keys
    folder = site.root / writing.PREVIEWS_DIR / CELL_A / url.rsplit("/", 1)[1]
    assert [p.name for p in folder.iterdir()] == [newer]  # the last preview only


def _page_fields(page: str) -> list[tuple[str, str]]:
    rev = re.search(r'name="draft_rev" value="(\d+)"', page)
    own = re.search(r'name="draft_page" value="([0-9a-f]+)"', page)
    assert rev and own
    return [("draft_rev", rev.group(1)), ("draft_page", own.group(1))]


def test_a_draft_saved_from_another_page_is_not_overwritten(site: Site) -> None:
    first, second = Writer(site), Writer(site)
    url = first.new("nghi-quyet")
    tab_a = _page_fields(first.page(url))
    tab_b = _page_fields(second.page(url))
    pairs = example_pairs("nghi-quyet")
    saved_b = second.save(url, [*changed(pairs, place="Nhà văn hóa (tab B)"), *tab_b])
    assert saved_b["saved"] and saved_b["rev"] == 1
    # tab A, loaded before B saved, must not replace B's work
    refused = first.save(url, [*changed(pairs, place="Nhà văn hóa (tab A)"), *tab_a], status=409)
    assert refused["conflict"] and "tải lại trang" in refused["status"]
    assert "tab B" in first.page(url)
    # B's own next autosave, from the same page, goes on (its revision moved on)
    again = second.save(url, [*changed(pairs, place="Nhà văn hóa (tab B, 2)"),
                              ("draft_rev", "1"), tab_b[1]])
    assert again["saved"] and again["rev"] == 2
    # the form's own button posted while its autosave was on the way: the same page, no conflict
    late = second.post(url, [*changed(pairs, place="Nhà văn hóa (tab B, 3)"), ("draft_rev", "1"), tab_b[1],
                             ("action", "save")])
    assert late.status_code in (200, 303)
    assert "tab B, 3" in second.page(url)
    # without JavaScript, tab A's button shows the newest draft and says why
    resp = first.post(url, [*changed(pairs, place="Nhà văn hóa (tab A)"), *tab_a, ("action", "save")])
    assert resp.status_code == 409
    body = resp.get_data(as_text=True)
    assert "tab B, 3" in body and "vừa được lưu từ một trang khác" in body
