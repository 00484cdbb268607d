"""Rendering: escaping, paragraphs, determinism, NFD, format, settings, errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from docgen.config import Margins, Settings
from docgen.docxtext import docx_paragraphs
from docgen.errors import DocgenError, InputError, TemplateError
from docgen.model import DocumentInput, Profile, load_input, parse_input
from docgen.render import Renderer, render_batch

from .support import KIND_NAMES, example_data, example_path, read_part


def parse(data: dict[str, Any], settings: Settings, profile: Profile) -> DocumentInput:
    return parse_input(data, settings, profile, "test.yaml")


def mm(length: Any) -> float:
    return round(length.mm, 1)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_same_input_gives_identical_bytes(kind: str, settings: Settings, tmp_path: Path) -> None:
    doc = load_input(example_path(kind), settings)
    first = Renderer(settings).render_to(doc, tmp_path / "a.docx")
    second = Renderer(settings).render_to(doc, tmp_path / "b.docx")
    assert sha((tmp_path / "a.docx").read_bytes()) == sha((tmp_path / "b.docx").read_bytes())
    assert first.docx == second.docx
    with zipfile.ZipFile(io.BytesIO(first.docx)) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(doc.meta.date.year, doc.meta.date.month, doc.meta.date.day, 0, 0, 0)}
    core = read_part(first.docx, "docProps/core.xml").decode("utf-8")
    assert f"{doc.meta.date.isoformat()}T00:00:00Z" in core
    assert "<cp:revision>1</cp:revision>" in core and "docgen" in core


def test_nfd_input_renders_byte_identical(settings: Settings, tmp_path: Path) -> None:
    text = example_path("nghi-quyet").read_text("utf-8")
    nfd = tmp_path / "nghi-quyet.yaml"
    nfd.write_text(unicodedata.normalize("NFD", text), "utf-8")
    renderer = Renderer(settings)
    from_nfd = renderer.render(load_input(nfd, settings))
    from_nfc = renderer.render(load_input(example_path("nghi-quyet"), settings))
    assert from_nfd.docx == from_nfc.docx
    assert unicodedata.is_normalized("NFC", from_nfd.text)


def test_markup_and_jinja_in_values_print_literally(settings: Settings, profile: Profile) -> None:
    data = example_data("bien-ban-thuong-ky")
    nasty = "A & B < C > D \"kép\" 'đơn' {{ chair_name }} {% if true %}X{% endif %} </w:t><w:p>"
    data["proceedings"][0]["content"] = nasty
    data["summary"] = "họp {{ 7*7 }} & <b>bàn</b> việc"
    data["guests"] = [{"name": "Trần <Bình> & Co", "position": "{% raw %}"}]
    rendered = Renderer(settings).render(parse(data, settings, profile))
    paragraphs = docx_paragraphs(rendered.docx)
    printed = nasty.replace(' "kép"', " “kép”")  # one style of quotation marks in print
    assert any(p.endswith(printed) for p in paragraphs)
    assert "họp {{ 7*7 }} & <b>bàn</b> việc" in paragraphs
    assert "- Đại biểu dự: đồng chí Trần <Bình> & Co, {% raw %}." in paragraphs
    xml = read_part(rendered.docx, "word/document.xml").decode("utf-8")
    assert "A &amp; B &lt; C &gt; D" in xml and "49" not in rendered.text.split("\n")[8]


def test_line_breaks_become_paragraphs_not_breaks(settings: Settings, profile: Profile) -> None:
    data = example_data("de-cuong-chuyen-de")
    data["purpose"] = "Dòng một.\nDòng hai.\r\n\nDòng\tba.\a\f"
    rendered = Renderer(settings).render(parse(data, settings, profile))
    paragraphs = docx_paragraphs(rendered.docx)
    start = paragraphs.index("I. MỤC ĐÍCH, YÊU CẦU, SỰ CẦN THIẾT")
    assert paragraphs[start + 1: start + 4] == ["Dòng một.", "Dòng hai.", "Dòng ba."]
    xml = read_part(rendered.docx, "word/document.xml").decode("utf-8")
    assert "<w:br/>" not in xml and "<w:tab/>" not in xml


def test_never_prints_none(settings: Settings, profile: Profile) -> None:
    data = example_data("nghi-quyet")
    data["assignments"] = [{"content": "Việc không người phụ trách", "owner": None, "deadline": None, "note": None}]
    data["guests"] = [{"name": "Khách", "position": None}]
    data["vote"] = {"for": 15, "against": None, "abstain": 0, "subject": None}
    with pytest.raises(InputError):  # against must be an integer
        parse(data, settings, profile)
    data["vote"] = {"for": 15}
    data["self_score"] = None
    data["place"] = None
    rendered = Renderer(settings).render(parse(data, settings, profile))
    assert "None" not in rendered.text
    assert "Nhà văn hóa thôn An Thành" in rendered.text  # default place from the profile


def test_format_of_the_rendered_document(settings: Settings) -> None:
    rendered = Renderer(settings).render(load_input(example_path("nghi-quyet"), settings))
    document = docx.Document(io.BytesIO(rendered.docx))
    section = document.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert [mm(section.top_margin), mm(section.bottom_margin), mm(section.left_margin), mm(section.right_margin)] == [
        20, 20, 30, 15]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs] == ["ĐẢNG BỘ XÃ QUANG KIM", "CHI BỘ THÔN AN THÀNH", "*", "Số 05-NQ/CB"]
    assert not left.paragraphs[0].runs[0].bold and left.paragraphs[1].runs[0].bold
    title, date_line = right.paragraphs
    assert title.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and title.runs[0].bold and title.runs[0].font.size.pt == 15
    assert "w:bottom" in title._p.xml  # the rule under the title
    assert date_line.text == "Quang Kim, ngày 10 tháng 3 năm 2026" and date_line.runs[0].italic
    body = [p for p in document.paragraphs if p.text]
    type_name = next(p for p in body if p.text == "NGHỊ QUYẾT")
    assert type_name.runs[0].bold and type_name.runs[0].font.size.pt == 16
    assert "-----" in [p.text for p in body]
    first_body = next(p for p in body if p.text.startswith("Vào lúc"))
    assert mm(first_body.paragraph_format.first_line_indent) == 10
    assert first_body.runs[0].font.name == "Times New Roman" and first_body.runs[0].font.size.pt == 14
    signature = document.tables[-1]
    recipients = [p for p in signature.rows[0].cells[0].paragraphs if p.text]
    assert recipients[0].text == "Nơi nhận:" and recipients[0].runs[0].underline
    assert recipients[-1].text == "- Lưu Chi bộ." and all(p.text.endswith(",") for p in recipients[1:-1])
    assert recipients[1].runs[0].font.size.pt == 12
    signer = [p.text for p in signature.rows[0].cells[1].paragraphs if p.text]
    assert signer == ["T/M CHI BỘ", "BÍ THƯ", "Nguyễn Văn An"]


def test_margins_and_labels_come_from_settings(profile: Profile) -> None:
    from .support import EXAMPLES

    settings = Settings(profile_path=EXAMPLES / "profile.yaml", margins=Margins(25, 22, 35, 20),
                        minutes_left_label="NGƯỜI GHI BIÊN BẢN", minutes_right_label="CHỦ TRÌ HỘI NGHỊ")
    rendered = Renderer(settings).render(load_input(example_path("bien-ban-thuong-ky"), settings, profile))
    section = docx.Document(io.BytesIO(rendered.docx)).sections[0]
    assert [mm(section.top_margin), mm(section.bottom_margin), mm(section.left_margin), mm(section.right_margin)] == [
        25, 22, 35, 20]
    assert "NGƯỜI GHI BIÊN BẢN" in rendered.text and "CHỦ TRÌ HỘI NGHỊ" in rendered.text


def test_rendered_document_carries_meta_and_input(settings: Settings) -> None:
    doc = load_input(example_path("ke-hoach-chuyen-de"), settings)
    rendered = Renderer(settings).render(doc)
    assert rendered.meta == doc.meta and rendered.input_data == doc.data
    assert rendered.template_sha256 == sha(settings.template_for("ke-hoach-chuyen-de").read_bytes())
    assert "Số 01-KH/CB" in rendered.text and rendered.warnings == ()


def _broken_template(path: Path, text: str) -> None:
    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(path))


def test_template_errors_name_the_file(settings: Settings, tmp_path: Path) -> None:
    doc = load_input(example_path("nghi-quyet"), settings)
    missing = Settings(profile_path=settings.profile_path, templates_dir=tmp_path)
    with pytest.raises(TemplateError) as info:
        Renderer(missing).render(doc)
    assert "nghi-quyet.docx" in (info.value.file or "") and info.value.exit_code == 4
    _broken_template(tmp_path / "nghi-quyet.docx", "Số {{ number_line ")
    with pytest.raises(TemplateError) as info:
        Renderer(missing).render(doc)
    assert "nghi-quyet.docx" in info.value.message.vi and "Số" in info.value.message.vi
    _broken_template(tmp_path / "nghi-quyet.docx", "{{ khong_co_ten }}")
    with pytest.raises(TemplateError) as info:
        Renderer(missing).render(doc)
    assert "khong_co_ten" in info.value.message.en


def test_render_to_writes_nothing_on_error(settings: Settings, tmp_path: Path) -> None:
    doc = load_input(example_path("nghi-quyet"), settings)
    broken = Settings(profile_path=settings.profile_path, templates_dir=tmp_path / "none")
    out = tmp_path / "out" / "nq.docx"
    with pytest.raises(TemplateError):
        Renderer(broken).render_to(doc, out)
    assert not out.parent.exists()
    out.parent.mkdir()
    out.write_bytes(b"old")
    with pytest.raises(TemplateError):
        Renderer(broken).render_to(doc, out)
    assert out.read_bytes() == b"old" and sorted(p.name for p in out.parent.iterdir()) == ["nq.docx"]


def test_template_is_loaded_once_per_renderer(settings: Settings, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(settings.templates_dir, templates)
    own = Settings(profile_path=settings.profile_path, templates_dir=templates)
    renderer = Renderer(own)
    doc = load_input(example_path("nghi-quyet"), own)
    first = renderer.render(doc)
    (templates / "nghi-quyet.docx").unlink()
    assert renderer.render(doc.with_number(6)).template_sha256 == first.template_sha256
    assert "Số 06-NQ/CB" in renderer.render(doc.with_number(6)).text


def test_override_template_per_kind(settings: Settings, tmp_path: Path) -> None:
    custom = tmp_path / "nq-rieng.docx"
    _broken_template(custom, "Nghị quyết số {{ number_text }} ngày {{ doc_date_text }}")
    own = Settings(profile_path=settings.profile_path, template_overrides={"nghi-quyet": custom})
    rendered = Renderer(own).render(load_input(example_path("nghi-quyet"), own))
    assert rendered.text == "Nghị quyết số 05-NQ/CB ngày ngày 10 tháng 3 năm 2026"


def test_batch_continues_past_bad_inputs(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "hong.yaml"
    bad.write_text("kind: nghi-quyet\ndate: 2026-13-01\n", "utf-8")
    unreadable = tmp_path / "khong-co.yaml"
    paths = [example_path("nghi-quyet"), bad, example_path("de-cuong-chuyen-de"), unreadable]
    seen: list[Path] = []

    def wrap(items: Any) -> Any:
        for item in items:
            seen.append(item)
            yield item

    report = render_batch(paths, tmp_path / "out", settings, wrap)
    assert seen == paths
    assert [i.output.name for i in report.done] == ["nghi-quyet.docx", "de-cuong-chuyen-de.docx"]
    assert [f.source for f in report.failures] == [bad, unreadable]
    assert all(isinstance(f.error, DocgenError) for f in report.failures)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["de-cuong-chuyen-de.docx", "nghi-quyet.docx"]
    assert not report.ok and report.total == 4


def test_vote_sentence_states_the_arithmetic(settings: Settings, profile: Profile) -> None:
    from docgen.vn.numbers import percent_vi

    data = example_data("nghi-quyet")
    data["vote"] = {"for": 14, "against": 1, "abstain": 1}
    doc = parse(data, settings, profile)
    assert doc.figures is not None
    den = doc.figures.denominator
    rendered = Renderer(settings).render(doc)
    assert (f"Nghị quyết được Chi bộ biểu quyết thông qua với 14/{den} đồng chí tán thành, đạt "
            f"{percent_vi(14, den)}; 1 đồng chí không tán thành; 1 đồng chí có ý kiến khác. Tỷ lệ biểu quyết "
            f"tính trên {den} đảng viên chính thức (20 đảng viên chính thức, trừ ") in rendered.text


def test_date_line_leading_zeros(settings: Settings, profile: Profile) -> None:
    data = example_data("ke-hoach-chuyen-de")
    data["date"] = "2026-02-05"
    rendered = Renderer(settings).render(parse(data, settings, profile))
    assert "Quang Kim, ngày 05 tháng 02 năm 2026" in rendered.text
    assert dt.date(2026, 2, 5) == rendered.meta.date


def test_batch_refuses_two_inputs_with_one_output_name(settings: Settings, tmp_path: Path) -> None:
    other = tmp_path / "b" / "nghi-quyet.yaml"
    other.parent.mkdir()
    shutil.copy(example_path("nghi-quyet"), other)
    report = render_batch([example_path("nghi-quyet"), other], tmp_path / "out", settings)
    assert len(report.done) == 1 and [f.source for f in report.failures] == [other]
    assert "nghi-quyet.docx" in report.failures[0].error.message.vi


def test_optional_sections_disappear_when_empty(settings: Settings, profile: Profile) -> None:
    data = example_data("bien-ban-thuong-ky")
    data.update({"self_score": None, "tasks": [], "vote": None, "conclusion": None})
    rendered = Renderer(settings).render(parse(data, settings, profile))
    assert "ĐÁNH GIÁ CHẤT LƯỢNG" not in rendered.text
    assert "Phân công nhiệm vụ:" not in rendered.text and "Biểu quyết:" not in rendered.text
    assert len(docx.Document(io.BytesIO(rendered.docx)).tables) == 2  # header and signatures only
