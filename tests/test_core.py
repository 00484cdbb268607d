"""Errors, messages, topics and .docx text extraction."""

from __future__ import annotations

from pathlib import Path

import docx
from click.testing import CliRunner

from docgen.cli import main
from docgen.docxtext import docx_paragraphs, docx_text
from docgen.errors import ArchiveError, DocgenError, InputError
from docgen.i18n import Msg, lang_from_env
from docgen.topics import load_topics, topic_by_id, topic_ids


def test_msg_picks_language_and_formats() -> None:
    msg = Msg("thiếu {x}", "missing {x}").format(x="ngày")
    assert msg.text("vi") == "thiếu ngày"
    assert msg.text("en") == "missing ngày"


def test_lang_from_env_precedence() -> None:
    assert lang_from_env({}) == "vi"
    assert lang_from_env({"LANG": "en_GB.UTF-8"}) == "vi"  # the system locale never decides
    assert lang_from_env({"LANG": "vi_VN.UTF-8", "DOCGEN_LANG": "en"}) == "en"


def test_error_render_names_file_field_and_fix() -> None:
    err = ArchiveError(Msg("số đã dùng", "number taken"), file="a.yaml", field="number",
                       hint=Msg("bỏ trường number", "remove the number field"))
    text = err.render("vi")
    assert "Lỗi: số đã dùng" in text and "Tệp: a.yaml" in text and "Trường: number" in text
    assert "Cách sửa: bỏ trường number" in text
    assert "How to fix: remove the number field" in err.render("en")
    assert err.exit_code == 6


def test_input_error_renders_every_problem() -> None:
    problems: list[DocgenError] = [
        InputError(Msg("sai 1", "bad 1"), field="a"),
        InputError(Msg("sai 2", "bad 2"), field="b"),
    ]
    err = InputError(Msg("đầu vào sai", "bad input"), problems=problems)
    assert "sai 1" in err.render() and "sai 2" in err.render()


def test_topics_are_complete_and_unique() -> None:
    topics = load_topics()
    assert len(topics) == 31
    assert len(topic_ids()) == 31
    vsmt = topic_by_id("vsmt")
    assert vsmt is not None and "VSMT" in vsmt.abbreviations
    ntm = topic_by_id("ntm")
    assert ntm is not None and "nông thôn mới" in ntm.phrases
    assert topic_by_id("nope") is None


def test_docx_text_includes_tables_in_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Đầu")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Trái"
    table.cell(0, 1).text = "Phải"
    document.add_paragraph("Cuối")
    path = tmp_path / "t.docx"
    document.save(str(path))
    assert docx_paragraphs(path) == ["Đầu", "Trái", "Phải", "Cuối"]
    assert docx_text(path.read_bytes()) == "Đầu\nTrái\nPhải\nCuối"


def test_main_help_in_both_languages() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "chi bộ" in result.output
    result_en = runner.invoke(main, ["--help"], env={"DOCGEN_LANG": "en"})
    assert result_en.exit_code == 0
