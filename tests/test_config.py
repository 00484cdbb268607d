"""Settings precedence: flag > DOCGEN_* environment > docgen.toml > defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docgen.config import (
    DOCGEN_KEYS,
    FORMAT_KEYS,
    LABEL_KEYS,
    TEMPLATE_KINDS,
    Margins,
    early_lang,
    load_settings,
)
from docgen.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]


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
    assert info.value.field == "format.margins_mm.top"
    assert "[format] margins_mm.top (dòng 2)" in info.value.message.vi


# ----------------------------------------------------------------------------- every value type-checked


def error_of(tmp_path: Path, text: str, environ: dict[str, str] | None = None) -> ConfigError:
    write_toml(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(environ=environ or {}, cwd=tmp_path)
    assert info.value.exit_code == 5
    assert info.value.file == str(tmp_path / "docgen.toml")
    return info.value


def test_numbers_written_in_quotes_are_numbers(tmp_path: Path) -> None:
    write_toml(tmp_path, '[docgen]\nmin_meeting_minutes = "60"\nmin_combined_meeting_minutes = " 100 "\n'
                         'convert_timeout = "30.5"\n[format]\nmargins_mm = {top = "25", left = 30.5}\n')
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.min_meeting_minutes == 60 and type(settings.min_meeting_minutes) is int
    assert settings.min_combined_meeting_minutes == 100
    assert settings.convert_timeout == 30.5
    assert settings.margins == Margins(top=25, bottom=20, left=30.5, right=15)
    assert settings.warnings == ()


@pytest.mark.parametrize(("text", "field", "message", "hint"), [
    ('[docgen]\nmin_meeting_minutes = "90x"\n', "docgen.min_meeting_minutes",
     '[docgen] min_meeting_minutes (dòng 2) phải là số phút (số nguyên) từ 0 đến 1440, không phải chữ "90x"',
     "ghi số, không đặt trong nháy: min_meeting_minutes = 90"),
    ('[docgen]\nmin_meeting_minutes = true\n', "docgen.min_meeting_minutes",
     "không phải giá trị đúng/sai true", "ghi số, không đặt trong nháy: min_meeting_minutes = 90"),
    ('[docgen]\nmin_meeting_minutes = 90.5\n', "docgen.min_meeting_minutes", "không phải số 90.5",
     "min_meeting_minutes = 90"),
    ('[docgen]\nmin_combined_meeting_minutes = 100000\n', "docgen.min_combined_meeting_minutes",
     "không phải số 100000", "ghi một số từ 0 đến 1440: min_combined_meeting_minutes = 120"),
    ('[docgen]\nmin_meeting_minutes = -5\n', "docgen.min_meeting_minutes", "không phải số -5", "từ 0 đến 1440"),
    ('[docgen]\nconvert_timeout = "soon"\n', "docgen.convert_timeout", 'không phải chữ "soon"',
     "convert_timeout = 60"),
    ("[docgen]\nconvert_timeout = nan\n", "docgen.convert_timeout", "không phải số nan", "từ 1 đến 86400"),
    ("[docgen]\nconvert_timeout = 0\n", "docgen.convert_timeout", "không phải số 0", "từ 1 đến 86400"),
    ("[docgen]\narchive = 5\n", "docgen.archive",
     "[docgen] archive (dòng 2) phải là một đường dẫn đặt trong nháy kép, không phải số 5",
     'đặt trong nháy kép: archive = "5"'),
    ('[docgen]\narchive = "  "\n', "docgen.archive", 'không phải chữ "  "', 'archive = "archive"'),
    ('[docgen]\nprofile = ["a.yaml"]\n', "docgen.profile", "không phải một danh sách", 'profile = "profile.yaml"'),
    ('[docgen]\nindex = "a\\u0000b"\n', "docgen.index", "ký tự điều khiển", "index = "),
    ("[docgen]\nuser = 5\n", "docgen.user", "không phải số 5", 'user = "5"'),
    ('[docgen]\nsoffice = ""\n', "docgen.soffice", 'không phải chữ rỗng ""', 'soffice = "soffice"'),
    ("[docgen]\nlang = 5\n", "docgen.lang", "lang = số 5 không có", 'lang = "vi"'),
    ("[labels]\nauthority = 1\n", "labels.authority", "[labels] authority (dòng 2) phải là chữ",
     'authority = "1"'),
    ('[templates]\nnghi-quyet = 3\n', "templates.nghi-quyet", "[templates] nghi-quyet (dòng 2)",
     'nghi-quyet = "3"'),
    ("[format]\nmargins_mm = 20\n", "format.margins_mm", "[format] margins_mm (dòng 2) phải là một bảng",
     "margins_mm = { top = 20, bottom = 20, left = 30, right = 15 }"),
    ("[format]\nmargins_mm = {top = -1}\n", "format.margins_mm.top", "không phải số -1",
     "ghi một số từ 0 đến 100"),
    ("docgen = 5\n", "docgen", "docgen (dòng 1) phải là một mục [docgen], không phải số 5", "[docgen]"),
    ('[docgen]\nnumbering_per_year = "maybe"\n', "docgen.numbering_per_year",
     '[docgen] numbering_per_year (dòng 2) phải là true (có) hoặc false (không), không phải chữ "maybe"',
     "numbering_per_year = true (có) hoặc numbering_per_year = false (không)"),
    ("[docgen]\nnumbering_per_year = 1\n", "docgen.numbering_per_year", "không phải số 1", "= false"),
    ("docgen.min_meeting_minutes = 'x'\n", "docgen.min_meeting_minutes", "min_meeting_minutes (dòng 1)",
     "min_meeting_minutes = 90"),
    ("[docgen]\nmin_attendance_percent = 150\n", "docgen.min_attendance_percent",
     "[docgen] min_attendance_percent (dòng 2) phải là số phần trăm (số nguyên) từ 0 đến 100, không phải số 150",
     "ghi một số từ 0 đến 100: min_attendance_percent = 50"),
    ('[docgen]\nmin_attendance_percent = "50%"\n', "docgen.min_attendance_percent", 'không phải chữ "50%"',
     "ghi số, không đặt trong nháy: min_attendance_percent = 50"),
    ("[docgen]\nmin_official_members = 2.5\n", "docgen.min_official_members",
     "phải là số đảng viên (số nguyên) từ 0 đến 1000, không phải số 2.5", "min_official_members = 3"),
    ('[docgen]\nsuspended_in_denominator = "maybe"\n', "docgen.suspended_in_denominator",
     "phải là true (có) hoặc false (không)", "suspended_in_denominator = false (không)"),
])
def test_a_value_of_the_wrong_type_is_a_config_error(tmp_path: Path, text: str, field: str, message: str,
                                                     hint: str) -> None:
    error = error_of(tmp_path, text)
    assert error.field == field
    assert message in error.message.vi
    assert error.hint is not None and hint in error.hint.vi
    assert error.hint.en and error.message.en != error.message.vi


def test_the_english_message_of_a_wrong_type(tmp_path: Path) -> None:
    error = error_of(tmp_path, '# notes\n\n[docgen]\nmin_meeting_minutes = "90x"\n')
    assert error.message.en == ('[docgen] min_meeting_minutes (line 4) must be a whole number of minutes '
                                'from 0 to 1440, not the text "90x"')
    assert error.hint is not None
    assert error.hint.en == "write a number, without quotes: min_meeting_minutes = 90"


@pytest.mark.parametrize(("written", "value"), [
    ("true", True), ("false", False), ('"true"', True), ('"false"', False), ('"False"', False),
    ('"TRUE"', True), ('"có"', True), ('"Có"', True), ('"không"', False), ('"KHÔNG"', False),
    ('"yes"', True), ('"No"', False), ('" no "', False),
    ('"kho\u0302ng"', False),  # "không" typed with a combining circumflex (Unikey's composed Unicode)
])
def test_yes_no_settings(tmp_path: Path, written: str, value: bool) -> None:
    write_toml(tmp_path, f"[docgen]\nnumbering_per_year = {written}\n")
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.numbering_per_year is value


@pytest.mark.parametrize("written", ['"maybe"', '""', '"0"', "0", "1", '"đúng"', "[true]"])
def test_other_yes_no_values_are_errors(tmp_path: Path, written: str) -> None:
    error = error_of(tmp_path, f"[docgen]\nnumbering_per_year = {written}\n")
    assert error.field == "docgen.numbering_per_year"


def test_quoted_false_numbers_by_term(tmp_path: Path) -> None:
    """The reviewer's case: "false" in quotes was read as True (per-year numbering)."""
    from docgen.app import archive_of

    write_toml(tmp_path, '[docgen]\nnumbering_per_year = "false"\n')
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.numbering_per_year is False
    assert archive_of(settings).per_year is False


# ----------------------------------------------------------------------------- unknown keys are warnings


def test_unknown_keys_are_warnings_with_the_closest_name(tmp_path: Path) -> None:
    write_toml(tmp_path, '[docgen]\nlangg = "en"\narchive = "lt"\n'
                         '[labesl]\nauthority = "T/M CHI ỦY"\n'
                         '[labels]\nminutes_lef = "X"\n'
                         '[templates]\nnghi-quyett = "a.docx"\n'
                         '[format]\nmargins_mm = {top = 25, rigth = 10}\npaper = "A4"\n')
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.lang == "vi" and settings.archive_root == tmp_path / "lt"
    assert settings.margins == Margins(top=25)
    assert settings.template_overrides == {}
    vi = [w.vi for w in settings.warnings]
    assert vi[0] == ("Cảnh báo (docgen.toml, dòng 4): [labesl] không phải mục của docgen.toml nên bị bỏ qua. "
                     "Có phải ý là [labels]? Các tên đúng: [docgen], [format], [labels], [templates].")
    assert vi[1].startswith("Cảnh báo (docgen.toml, dòng 2): [docgen] langg không phải thiết lập của "
                            "[docgen] nên bị bỏ qua. Có phải ý là lang? Các tên đúng: lang, profile, archive,")
    assert "dòng 11" in vi[2] and "[format] margins_mm.rigth" in vi[2] and "Có phải ý là right?" in vi[2]
    assert "dòng 12" in vi[3] and "[format] paper" in vi[3] and "Có phải ý là" not in vi[3]
    assert "dòng 7" in vi[4] and "Có phải ý là minutes_left?" in vi[4]
    assert "dòng 9" in vi[5] and "[templates] nghi-quyett" in vi[5] and "Có phải ý là nghi-quyet?" in vi[5]
    assert len(vi) == 6
    assert settings.warnings[1].en.startswith(
        "Warning (docgen.toml, line 2): [docgen] langg is not a setting of [docgen], so it is ignored. "
        "Did you mean lang?")


def test_a_setting_outside_its_section_is_a_warning(tmp_path: Path) -> None:
    write_toml(tmp_path, 'lang = "en"\nlangue = "en"\n[docgen]\narchive = "lt"\n')
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.lang == "vi"
    assert [w.vi for w in settings.warnings] == [
        "Cảnh báo (docgen.toml, dòng 1): lang nằm ngoài mục [docgen] nên bị bỏ qua; chuyển dòng đó "
        "xuống dưới dòng [docgen].",
        "Cảnh báo (docgen.toml, dòng 2): langue không phải thiết lập của docgen nên bị bỏ qua. "
        "Có phải ý là lang? Các tên đúng: " + ", ".join([*DOCGEN_KEYS, *FORMAT_KEYS, *LABEL_KEYS]) + ".",
    ]


def test_a_setting_under_another_section_is_told_where_it_belongs(tmp_path: Path) -> None:
    write_toml(tmp_path, '[docgen]\nminutes_left = "X"\n[labels]\nmin_meeting_minutes = 60\n'
                         '[format]\nnghi-quyet = "a.docx"\n')
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.minutes_left_label == "THƯ KÝ" and settings.min_meeting_minutes == 90
    assert [w.vi for w in settings.warnings] == [
        "Cảnh báo (docgen.toml, dòng 2): [docgen] minutes_left thuộc mục [labels], không phải [docgen], "
        "nên bị bỏ qua; chuyển dòng đó xuống dưới dòng [labels].",
        "Cảnh báo (docgen.toml, dòng 6): [format] nghi-quyet thuộc mục [templates], không phải [format], "
        "nên bị bỏ qua; chuyển dòng đó xuống dưới dòng [templates].",
        "Cảnh báo (docgen.toml, dòng 4): [labels] min_meeting_minutes thuộc mục [docgen], không phải "
        "[labels], nên bị bỏ qua; chuyển dòng đó xuống dưới dòng [docgen].",
    ]
    assert settings.warnings[0].en == (
        "Warning (docgen.toml, line 2): [docgen] minutes_left belongs to [labels], not [docgen], so it "
        "is ignored; move that line below the [labels] line.")


def test_attendance_settings(tmp_path: Path) -> None:
    defaults = load_settings(environ={}, cwd=tmp_path)
    assert (defaults.min_attendance_percent, defaults.min_official_members) == (50, 3)
    assert defaults.suspended_in_denominator is False
    write_toml(tmp_path, '[docgen]\nmin_attendance_percent = "0"\nmin_official_members = 0\n'
                         'suspended_in_denominator = "có"\n')
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.min_attendance_percent == 0 and type(settings.min_attendance_percent) is int
    assert settings.min_official_members == 0 and settings.suspended_in_denominator is True
    assert settings.warnings == ()
    message = error_of(tmp_path, "[docgen]\nmin_attendance_percent = 101\n").message.en
    assert message == ("[docgen] min_attendance_percent (line 2) must be a whole number (a percentage) "
                       "from 0 to 100, not the number 101")


def test_the_template_kinds_are_the_document_kinds() -> None:
    from docgen.kinds import KINDS

    assert tuple(sorted(KINDS)) == TEMPLATE_KINDS


def _uncommented(text: str) -> str:
    return re.sub(r"^# (?=\[|[a-z_-]+ +=)", "", text, flags=re.MULTILINE)


def test_the_shipped_and_documented_files_give_no_warning(tmp_path: Path) -> None:
    """examples/docgen.toml, what ``docgen init`` writes (every line uncommented) and the
    README's example are read without a warning: every key they name exists."""
    from docgen.authoring.profile_writer import CONFIG_TOML

    readme = (REPO / "README.md").read_text("utf-8")
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    for text in ((REPO / "examples" / "docgen.toml").read_text("utf-8"), _uncommented(CONFIG_TOML),
                 _uncommented(block)):
        assert "lang" in text
        write_toml(tmp_path, text)
        settings = load_settings(environ={}, cwd=tmp_path)
        assert settings.warnings == (), text


# ----------------------------------------------------------------------------- DOCGEN_LANG


def test_an_invalid_docgen_lang_is_a_warning_and_ignored(tmp_path: Path) -> None:
    settings = load_settings(environ={"DOCGEN_LANG": "fr"}, cwd=tmp_path)
    assert settings.lang == "vi"
    assert [w.vi for w in settings.warnings] == [
        "Cảnh báo: DOCGEN_LANG=fr không phải ngôn ngữ docgen có nên bị bỏ qua (dùng tiếng Việt); "
        "chỉ nhận DOCGEN_LANG=vi (tiếng Việt) hoặc DOCGEN_LANG=en (tiếng Anh)"]
    write_toml(tmp_path, '[docgen]\nlang = "en"\n')
    settings = load_settings(environ={"DOCGEN_LANG": "fr"}, cwd=tmp_path)
    assert settings.lang == "en"  # ignored: docgen.toml decides, as early_lang does
    assert early_lang([], {"DOCGEN_LANG": "fr"}, tmp_path) == "en"
    assert "(using English)" in settings.warnings[0].en
    # --lang decides over both; the bad variable is still reported
    flagged = load_settings({"lang": "vi"}, environ={"DOCGEN_LANG": "fr"}, cwd=tmp_path)
    assert flagged.lang == "vi" and "(dùng tiếng Việt)" in flagged.warnings[0].vi


@pytest.mark.parametrize(("value", "lang"), [("", "vi"), (" ", "vi"), ("EN", "en"), (" vi ", "vi")])
def test_valid_or_empty_docgen_lang_gives_no_warning(tmp_path: Path, value: str, lang: str) -> None:
    settings = load_settings(environ={"DOCGEN_LANG": value}, cwd=tmp_path)
    assert settings.lang == lang and settings.warnings == ()
