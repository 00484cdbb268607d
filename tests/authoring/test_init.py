"""docgen init: questions in Vietnamese (English with --lang en), profile.yaml + docgen.toml."""

from __future__ import annotations

import datetime as dt
import tomllib
import unicodedata
from pathlib import Path

from click.testing import CliRunner

from docgen.authoring.profile_writer import parse_date_answer
from docgen.cli import main
from docgen.config import load_settings
from docgen.model.profile import load_profile

from .helpers import happy_init_lines, init_input

VI = {"DOCGEN_LANG": "vi"}


def run_init(tmp_path: Path, lines: list[str], *extra: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [*extra, "init", "--dir", str(tmp_path / "chibo")],
                              input=init_input(lines), env=VI)


def test_happy_path_writes_a_loadable_profile(tmp_path: Path) -> None:
    result = run_init(tmp_path, happy_init_lines())
    assert result.exit_code == 0, result.output
    assert "Tên chi bộ" in result.output
    folder = tmp_path / "chibo"
    profile = load_profile(folder / "profile.yaml")
    assert profile.cell.name == "CHI BỘ THÔN AN THÀNH"
    assert profile.cell.superior == "ĐẢNG BỘ XÃ QUANG KIM"
    assert profile.cell.superior_committee == "Đảng ủy xã Quang Kim"
    assert profile.cell.symbol == "CB"
    assert profile.cell.term_start == dt.date(2025, 8, 20)
    assert [m.id for m in profile.members] == ["m01", "m02", "m03", "t01"]
    visitor = profile.members[3]
    assert visitor.home_cell == "Chi bộ Trường Tiểu học Quang Kim"
    assert visitor.temporary_in[0].start == dt.date(2025, 10, 1)
    assert visitor.temporary_in[0].end == dt.date(2026, 9, 30)
    binh = profile.members[1]
    assert binh.official is None
    assert binh.exempt[0].start == dt.date(2025, 3, 1) and binh.exempt[0].end is None
    assert binh.exempt[0].note == "tuổi cao, sức khỏe yếu"
    assert binh.temporary_out[0].end == dt.date(2026, 6, 30)
    assert profile.officers.bi_thu == "m01"
    assert profile.officers.pho_bi_thu == "m02"
    assert profile.officers.chi_uy_vien == ("m02", "m03")
    text = (folder / "profile.yaml").read_text("utf-8")
    assert text == unicodedata.normalize("NFC", text)
    assert "# Danh sách đảng viên" in text
    config = tomllib.loads((folder / "docgen.toml").read_text("utf-8"))
    assert config["docgen"] == {"profile": "profile.yaml", "archive": "archive"}
    settings = load_settings({"config_path": folder / "docgen.toml"}, environ={})
    assert settings.profile_path == folder / "profile.yaml"
    assert settings.archive_root == folder / "archive"
    roster = CliRunner().invoke(main, ["--config", str(folder / "docgen.toml"), "roster", "--date",
                                       "2026-03-10"], env=VI)
    assert roster.exit_code == 0, roster.output
    assert "Tổng số đảng viên: 3 (chính thức 2, dự bị 1)" in roster.output
    assert "sinh hoạt tạm thời tại chi bộ: 1" in roster.output


def test_commented_config_lines_are_valid_toml_when_enabled(tmp_path: Path) -> None:
    assert run_init(tmp_path, happy_init_lines()).exit_code == 0
    path = tmp_path / "chibo" / "docgen.toml"
    enabled = "\n".join(line[2:] if line.startswith("# ") and ("=" in line or line.startswith("# ["))
                        else line for line in path.read_text("utf-8").splitlines())
    path.write_text(enabled, "utf-8")
    settings = load_settings({"config_path": path}, environ={})
    assert settings.margins.left == 30
    assert settings.minutes_left_label == "THƯ KÝ"
    assert settings.authority_label == "T/M CHI BỘ"
    assert settings.numbering_per_year is False
    assert settings.template_for("nghi-quyet") == tmp_path / "chibo" / "mau" / "nghi-quyet.docx"


def test_nfd_answers_are_stored_nfc(tmp_path: Path) -> None:
    lines = [unicodedata.normalize("NFD", line) for line in happy_init_lines()]
    assert run_init(tmp_path, lines).exit_code == 0
    profile = load_profile(tmp_path / "chibo" / "profile.yaml")
    assert profile.cell.name == "CHI BỘ THÔN AN THÀNH"
    assert profile.members[0].name == "Nguyễn Văn An"


def test_bad_date_is_asked_again(tmp_path: Path) -> None:
    result = run_init(tmp_path, happy_init_lines(term=("32/13/2025", "hôm qua", "2025-08-20")))
    assert result.exit_code == 0, result.output
    assert result.output.count("Ngày bắt đầu nhiệm kỳ") == 3
    assert "ngày không có thật: 32/13/2025" in result.output
    assert load_profile(tmp_path / "chibo" / "profile.yaml").cell.term_start == dt.date(2025, 8, 20)


def test_official_before_admission_and_bad_officer_are_asked_again(tmp_path: Path) -> None:
    lines = happy_init_lines()
    lines[lines.index("19/05/1999")] = "01/01/1990\n19/05/1999"
    lines[-3] = "9\n1"  # bí thư: 9 is not in the list
    result = run_init(tmp_path, "\n".join(lines).split("\n"))
    assert result.exit_code == 0, result.output
    assert "ngày phải từ 19/5/1998" in result.output
    assert "'9' không phải số thứ tự" in result.output


def test_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "chibo"
    folder.mkdir()
    (folder / "profile.yaml").write_text("cũ\n", "utf-8")
    result = run_init(tmp_path, happy_init_lines())
    assert result.exit_code == 5
    assert "--force" in result.output
    assert "Tên chi bộ" not in result.output  # refused before asking anything
    assert (folder / "profile.yaml").read_text("utf-8") == "cũ\n"
    assert not (folder / "docgen.toml").exists()
    forced = CliRunner().invoke(main, ["init", "--dir", str(folder), "--force"],
                                input=init_input(happy_init_lines()), env=VI)
    assert forced.exit_code == 0, forced.output
    assert load_profile(folder / "profile.yaml").cell.place == "Quang Kim"


def test_english_prompts(tmp_path: Path) -> None:
    result = run_init(tmp_path, happy_init_lines(), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Cell name" in result.output and "Tên chi bộ" not in result.output
    assert "Wrote" in result.output


def test_an_empty_list_asks_for_at_least_one_member(tmp_path: Path) -> None:
    lines = happy_init_lines()
    first = lines.index("Nguyễn Văn An")
    lines.insert(first, "")
    result = run_init(tmp_path, lines)
    assert result.exit_code == 0, result.output
    assert "Cần ít nhất một đảng viên" in result.output


def test_parse_date_answer_forms() -> None:
    assert parse_date_answer("5/9/2026") == dt.date(2026, 9, 5)
    assert parse_date_answer(" 05.09.2026 ") == dt.date(2026, 9, 5)
    assert parse_date_answer("2026-09-05") == dt.date(2026, 9, 5)
