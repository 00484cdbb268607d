"""Settings precedence: flag > DOCGEN_* environment > docgen.toml > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.config import Margins, load_settings
from docgen.errors import ConfigError


def write_toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "docgen.toml"
    path.write_text(text, "utf-8")
    return path


def test_defaults_without_config(tmp_path: Path) -> None:
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.lang == "vi"
    assert settings.archive_root == tmp_path / "archive"
    assert settings.profile_path == tmp_path / "profile.yaml"
    assert settings.margins == Margins(20, 20, 30, 15)
    assert settings.index_path == tmp_path / "archive" / ".docgen" / "index"
    assert settings.minutes_left_label == "THƯ KÝ"
    assert settings.authority_label == "T/M CHI BỘ"


def test_toml_values_are_relative_to_the_file(tmp_path: Path) -> None:
    write_toml(
        tmp_path,
        '[docgen]\nprofile = "hs/chibo.yaml"\narchive = "lt"\nnumbering_per_year = true\n'
        "[format]\nmargins_mm = {top = 25, bottom = 25, left = 35, right = 15}\n"
        '[labels]\nminutes_left = "NGƯỜI GHI BIÊN BẢN"\n'
        '[templates]\nnghi-quyet = "mau/nq.docx"\n',
    )
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.profile_path == tmp_path / "hs" / "chibo.yaml"
    assert settings.archive_root == tmp_path / "lt"
    assert settings.numbering_per_year is True
    assert settings.margins == Margins(25, 25, 35, 15)
    assert settings.minutes_left_label == "NGƯỜI GHI BIÊN BẢN"
    assert settings.template_for("nghi-quyet") == tmp_path / "mau" / "nq.docx"
    assert settings.template_for("bien-ban-thuong-ky").name == "bien-ban-thuong-ky.docx"


def test_environment_beats_toml_and_flags_beat_environment(tmp_path: Path) -> None:
    write_toml(tmp_path, '[docgen]\narchive = "from-toml"\nlang = "vi"\n')
    env = {"DOCGEN_ARCHIVE": str(tmp_path / "from-env"), "DOCGEN_LANG": "en"}
    settings = load_settings(environ=env, cwd=tmp_path)
    assert settings.archive_root == tmp_path / "from-env"
    assert settings.lang == "en"
    flagged = load_settings({"archive_root": tmp_path / "flag", "lang": "vi"}, environ=env, cwd=tmp_path)
    assert flagged.archive_root == tmp_path / "flag"
    assert flagged.lang == "vi"


def test_system_locale_never_changes_the_language(tmp_path: Path) -> None:
    assert load_settings(environ={"LANG": "en_US.UTF-8"}, cwd=tmp_path).lang == "vi"
    assert load_settings(environ={"LC_ALL": "en_GB.UTF-8"}, cwd=tmp_path).lang == "vi"
    assert load_settings(environ={"LANG": "en_US.UTF-8", "DOCGEN_LANG": "en"}, cwd=tmp_path).lang == "en"


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    path = write_toml(tmp_path, "[docgen\nx=")
    with pytest.raises(ConfigError) as info:
        load_settings(environ={}, cwd=tmp_path)
    assert info.value.file == str(path)
    assert "TOML" in info.value.render("vi")


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings({"config_path": tmp_path / "nope.toml"}, environ={}, cwd=tmp_path)
    assert info.value.exit_code == 5
    assert "nope.toml" in info.value.render("en")


def test_bad_margins_name_the_field(tmp_path: Path) -> None:
    write_toml(tmp_path, '[format]\nmargins_mm = {top = "x"}\n')
    with pytest.raises(ConfigError) as info:
        load_settings(environ={}, cwd=tmp_path)
    assert info.value.field == "format.margins_mm"
