"""Template lint on hand-made .docx files: each problem type is caught, a clean one passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.authoring.lint import LintReport, kind_from_filename, lint_docx, report_lines
from docgen.errors import TemplateError

from .helpers import make_docx

KEYS = frozenset({"cell", "date_line", "tasks", "vote", "show_extra"})
REQUIRED = frozenset({"cell", "vote"})


def lint(path: Path) -> LintReport:
    return lint_docx(path, kind="nghi-quyet", context_keys=KEYS, required_keys=REQUIRED)


def codes(report: LintReport) -> list[str]:
    return [p.code for p in report.errors]


def test_clean_template_passes(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "ok.docx",
        ["{{ cell }}", "{{ date_line }}", "{%p if show_extra %}", "Thêm", "{%p endif %}",
         "Biểu quyết {{ vote.text }}"],
        rows=[["TT", "Nội dung"], ["{%tr for t in tasks %}", ""],
              ["{{ loop.index }}", "{{ t.content }}"], ["{%tr endfor %}", ""]],
        header="{{ cell }}")
    report = lint(path)
    assert report.ok, report_lines(report)
    assert report.problems == ()
    assert report.variables == KEYS
    assert report_lines(report)[-1] == "Tốt: không có lỗi"


def test_syntax_error_shows_paragraph_text_not_xml(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx",
                     ["Mở đầu", "Chi bộ {{ cell }}", "{% if vote %}Có biểu quyết", "Kết thúc {{ cell }}"])
    report = lint(path)
    syntax = [p for p in report.errors if p.code == "syntax"]
    assert len(syntax) == 1
    assert "Jinja" in syntax[0].message.en
    assert "Có biểu quyết" in syntax[0].context or "Kết thúc" in syntax[0].context
    assert "<w:" not in syntax[0].context
    # no bogus "required field missing" while a part cannot be parsed
    assert "missing-required" not in codes(report)


def test_syntax_error_in_header_is_found(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["{{ cell }} {{ vote }}"], header="Trang {{ cell }")
    report = lint(path)
    syntax = [p for p in report.errors if p.code == "syntax"]
    assert [p.part for p in syntax] == ["word/header1.xml"]
    assert "» Trang {{ cell }" in syntax[0].context


def test_unknown_filter_is_a_syntax_problem(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["{{ cell | khong_co }} {{ vote }}"])
    assert "syntax" in codes(lint(path))


def test_tag_split_across_paragraphs(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["{{ cell }} {{ vote }}", "Biểu quyết {{ vote.",
                                           "text }} đồng chí"])
    report = lint(path)
    split = [p for p in report.errors if p.code == "split-tag"]
    assert len(split) == 1
    assert split[0].context == "Biểu quyết {{ vote. ¶ text }} đồng chí"


def test_tr_loop_in_one_row(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["{{ cell }} {{ vote }}"],
                     rows=[["{%tr for t in tasks %}", "{{ t.content }}{%tr endfor %}"]])
    assert "tr-misuse" in codes(lint(path))


def test_tr_outside_table(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["{{ cell }} {{ vote }}", "{%tr for t in tasks %}",
                                           "{{ t }}", "{%tr endfor %}"])
    problems = [p for p in lint(path).errors if p.code == "tr-misuse"]
    assert len(problems) == 2
    assert "outside a table" in problems[0].message.en


def test_tr_row_with_other_text(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["{{ cell }} {{ vote }}"],
                     rows=[["{%tr for t in tasks %}", "Tiêu đề bị mất"], ["{{ t }}", ""],
                           ["{%tr endfor %}", ""]])
    problems = [p for p in lint(path).errors if p.code == "tr-misuse"]
    assert len(problems) == 1
    assert "Tiêu đề bị mất" in problems[0].context


def test_two_p_tags_in_one_paragraph(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["{{ cell }} {{ vote }}",
                                           "{%p if show_extra %}{%p endif %}"])
    assert "p-misuse" in codes(lint(path))


def test_p_tag_with_text_that_would_be_dropped(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["{{ cell }} {{ vote }}", "{%p if show_extra %}Chữ bị mất",
                                           "x", "{%p endif %}"])
    problems = [p for p in lint(path).errors if p.code == "p-misuse"]
    assert len(problems) == 1
    assert problems[0].context == "{%p if show_extra %}Chữ bị mất"


def test_space_after_percent_in_special_tag(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["{{ cell }} {{ vote }}", "{% p if show_extra %}",
                                           "x", "{% p endif %}"])
    report = lint(path)
    assert "p-misuse" in codes(report)
    assert "syntax" in codes(report)


def test_unknown_variable_and_missing_required(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["{{ cell }} {{ cel_name }}"], footer="{{ chu_tri }}")
    report = lint(path)
    unknown = sorted(p.context for p in report.errors if p.code == "unknown-variable")
    missing = [p.context for p in report.errors if p.code == "missing-required"]
    assert unknown == ["cel_name", "chu_tri"]
    assert missing == ["vote"]
    text = "\n".join(report_lines(report))
    assert "cel_name" in text and "vote" in text


def test_block_tag_alone_is_only_a_warning(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", ["{{ cell }} {{ vote }}", "{% if show_extra %}", "x",
                                           "{% endif %}"])
    report = lint(path)
    assert report.ok
    assert [p.code for p in report.warnings] == ["empty-paragraph", "empty-paragraph"]
    assert "warning" in report_lines(report, "en")[-1]


def test_not_a_docx(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip", "utf-8")
    with pytest.raises(TemplateError) as info:
        lint(bad)
    assert info.value.file == str(bad)
    with pytest.raises(TemplateError):
        lint(tmp_path / "missing.docx")


def test_kind_from_filename() -> None:
    kinds = ["bien-ban-thuong-ky", "bien-ban-chuyen-de", "nghi-quyet"]
    assert kind_from_filename(Path("x/nghi-quyet.docx"), kinds) == "nghi-quyet"
    assert kind_from_filename(Path("Nghi-Quyet-moi.docx"), kinds) == "nghi-quyet"
    assert kind_from_filename(Path("mau.docx"), kinds) is None
