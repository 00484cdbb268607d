"""docgen.toml as secretaries write it (Notepad): encodings, TOML mistakes, wrong value
types and unknown keys, through the real command (a subprocess of the console script, or
click's runner) on real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docgen.cli import main
from docgen.config import _syntax_error, load_settings
from docgen.errors import ConfigError
from tests.model.test_input_read import cp1258  # one encoder of Windows-1258 test bytes

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
_SCRIPT = Path(sys.executable).with_name("docgen")
DOCGEN = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "docgen"]

TEXT = ('# Cấu hình của chi bộ thôn Bản Xèo, xã Mường Khương\n[docgen]\nlang = "en"\n'
        'user = "Nguyễn Văn Bình"\n')
# tomllib's words, which must never reach a Vietnamese message
TOMLLIB = ("Invalid", "Expected", "Cannot", "Unterminated", "Illegal", "Unclosed", "Unescaped",
           "Duplicate", "statement", "column", "at line", "tomllib")
CLEAN_ENV: dict[str, str | None] = {name: None for name in os.environ if name.startswith("DOCGEN_")}


def run(args: list[str], cwd: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """The console script, as a secretary runs it, in ``cwd``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    env.update(PYTHONIOENCODING="utf-8", **extra_env)
    return subprocess.run([*DOCGEN, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120, check=False)


def invoke(args: list[str], **env: str | None) -> Result:
    return CliRunner().invoke(main, args, env={**CLEAN_ENV, **env})


# ----------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbf" + TEXT.encode("utf-8"),  # Notepad's "UTF-8 with BOM"
    TEXT.encode("utf-16"),  # Notepad's "Unicode" (UTF-16 LE with a BOM)
    b"\xfe\xff" + TEXT.encode("utf-16-be"),
    TEXT.encode("utf-32"),
    TEXT.encode("utf-16-le"),  # no BOM: docgen.model.files finds it
    TEXT.replace("\n", "\r\n").encode("utf-8"),
], ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-32", "utf-16-no-bom", "crlf"])
def test_notepad_encodings_are_read(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / "docgen.toml").write_bytes(raw)
    settings = load_settings(environ={}, cwd=tmp_path)
    assert (settings.lang, settings.user, settings.warnings) == ("en", "Nguyễn Văn Bình", ())
    kinds = run(["kinds"], tmp_path)
    assert kinds.returncode == 0, kinds.stderr
    assert kinds.stderr == "" and "Invalid statement" not in kinds.stdout
    helped = run(["--help"], tmp_path)  # early_lang reads the same file: English help
    assert helped.returncode == 0 and helped.stdout.startswith("Usage: docgen"), helped.stdout


def test_a_cp1258_file_names_its_encoding_and_the_fix(tmp_path: Path) -> None:
    (tmp_path / "docgen.toml").write_bytes(cp1258(TEXT.replace('"en"', '"vi"') * 3))
    result = run(["kinds"], tmp_path)
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr
    assert "Lỗi: tệp không phải UTF-8: có vẻ được gõ bằng bảng mã Windows-1258 (cp1258)" in result.stderr
    assert f"Tệp: {tmp_path / 'docgen.toml'}" in result.stderr
    assert "Unikey" in result.stderr and "UTF-8" in result.stderr
    assert run(["--help"], tmp_path).returncode == 0  # the help still shows (in Vietnamese)


def test_a_word_file_given_as_config(tmp_path: Path) -> None:
    config = tmp_path / "cau-hinh.docx"
    config.write_bytes((REPO / "templates" / "docx" / "nghi-quyet.docx").read_bytes())
    result = invoke(["--config", str(config), "kinds"])
    assert result.exit_code == 5
    assert "đây là tệp Word (.docx), không phải tệp cấu hình docgen.toml" in result.stderr
    assert "docgen init" in result.stderr and "YAML" not in result.stderr


def test_reading_the_config_imports_no_yaml(tmp_path: Path) -> None:
    """The encoding help costs nothing at start-up: docgen.model.files (and PyYAML) are
    imported only when the file is not UTF-8/16/32 with a BOM."""
    (tmp_path / "docgen.toml").write_bytes(TEXT.encode("utf-16"))
    (tmp_path / "bom").mkdir()
    (tmp_path / "bom" / "docgen.toml").write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    code = ("import sys; from pathlib import Path; import docgen.config as c\n"
            "light = [m for m in ('yaml', 'tomllib', 'difflib', 'docgen.model.files') if m in sys.modules]\n"
            "for d in sys.argv[1:]: c.load_settings(environ={}, cwd=Path(d))\n"
            "print(light, [m for m in ('yaml', 'docgen.model.files') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path), str(tmp_path / "bom")],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    assert out.strip() == "[] []"


# ----------------------------------------------------------------------------- TOML mistakes


@pytest.mark.parametrize(("text", "message", "fixed"), [
    ('[docgen]\nlang = en\n', 'sai cú pháp TOML ở dòng 2: giá trị chữ phải đặt trong nháy kép: lang = "en"',
     'lang = "en"'),
    ('[docgen]\nlang = en   # ngôn ngữ\n', "giá trị chữ phải đặt trong nháy kép", 'lang = "en"   # ngôn ngữ'),
    ('[docgen]\nuser = Nguyễn Văn A\n', "giá trị chữ phải đặt trong nháy kép", 'user = "Nguyễn Văn A"'),
    ('[docgen]\nlang "en"\n', "sai cú pháp TOML ở dòng 2: thiếu dấu = giữa tên thiết lập và giá trị",
     'lang = "en"'),
    ('[docgen]\nlang = "vi"\nlang = "en"\n',
     "sai cú pháp TOML ở dòng 3: [docgen] lang được ghi hai lần (dòng 2 và dòng 3); xóa một trong hai dòng",
     None),
    ('[docgen]\nlang = "en\n', 'sai cú pháp TOML ở dòng 2: thiếu dấu nháy " đóng chuỗi', 'lang = "en"'),
    ("[docgen]\nuser = 'Bình\n", "sai cú pháp TOML ở dòng 2: thiếu dấu nháy ' đóng chuỗi", "user = 'Bình'"),
    ('[docgen]\nuser = """Bình\n', 'sai cú pháp TOML ở dòng 2: thiếu dấu nháy """ đóng chuỗi', None),
    ('[docgen]\nlang = "vi"\n[labels]\nauthority = [\n', "sai cú pháp TOML ở cuối tệp", None),
    ("Chi bộ thôn Bản Xèo\n[docgen]\n",
     "sai cú pháp TOML ở dòng 1: dòng này không phải dạng tên = giá trị, cũng không phải tên mục [mục]",
     "# Chi bộ thôn Bản Xèo"),
    ("[docgen]\n= 5\n", "thiếu tên thiết lập trước dấu =", None),
    ("// ghi chú\n[docgen]\n", "ghi chú phải bắt đầu bằng dấu #", "# ghi chú"),
    ('[docgen]\nngôn ngữ = "vi"\n', "tên thiết lập «ngôn ngữ» không hợp lệ", None),
    ('[docgen]\narchive = "D:\\luu-tru"\n', "đường dẫn Windows đặt trong nháy đơn", "archive = 'D:\\luu-tru'"),
    ("[docgen]\nnumbering_per_year = True\n", "true/false viết chữ thường", "numbering_per_year = true"),
    ("[docgen]\nlang = \u201cen\u201d\n", "nháy thẳng", 'lang = "en"'),
    ("[docgen]\nmin_meeting_minutes = 90 phút\n", "sau giá trị còn chữ thừa «phút»",
     "min_meeting_minutes = 90  # phút"),
    ("[docgen]\nconvert_timeout = 1,5\n", "số thập phân viết bằng dấu chấm", "convert_timeout = 1.5"),
    ("[docgen]\nmin_meeting_minutes = 090\n", "số không viết số 0 ở đầu", "min_meeting_minutes = 90"),
    ("[docgen\nlang = 'vi'\n", "sai cú pháp TOML ở dòng 1: thiếu dấu ] đóng tên mục", "[docgen]"),
    ("[docgen]]\n", "thừa dấu ] sau tên mục", "[docgen]"),
    ("[docgen]\n[labels]\n[docgen]\n", "mục [docgen] được ghi hai lần (dòng 1 và dòng 3)", None),
    ("[format]\nmargins_mm = { top = 20, left = 30\n", "thiếu dấu } đóng",
     "margins_mm = { top = 20, left = 30}"),
    ("[format]\nmargins_mm = { top = 20, top = 30 }\n", "top được ghi hai lần trong cùng một { ... }", None),
    ('[docgen]\nuser = ""\nlang =\n', "thiếu giá trị sau dấu =", 'lang = "vi"'),
    ('[docgen]\nuser = "a\x01"\n', "ký tự điều khiển", None),
    ("[docgen]\n# ghi chú\x01\n", "ký tự điều khiển", None),
    ("[format]\nmargins_mm = { top = 20 bottom = 20 }\n", "thiếu dấu phẩy , giữa hai giá trị trong { }",
     "margins_mm = { top = 20, bottom = 20 }"),
    ("[format]\nmargins_mm = { top = 20, bottom 20 }\n", "thiếu dấu = giữa tên thiết lập và giá trị",
     "margins_mm = { top = 20, bottom = 20 }"),
    ("[docgen]\narchive\n", "thiếu dấu = và giá trị sau archive", None),
    ("[chi bộ]\n", "tên mục không hợp lệ", None),
    ('[docgen]\nChi bộ = "x"\n', "tên thiết lập «Chi bộ» không hợp lệ", None),
    ("[docgen]\nuser = 2026-13-01\n", "giá trị chữ phải đặt trong nháy kép", 'user = "2026-13-01"'),
    ("[docgen]\nmin_meeting_minutes = 90phút\n", "giá trị chữ phải đặt trong nháy kép",
     'min_meeting_minutes = "90phút"'),
    ("[docgen]\nuser = 2026-02-30\n", "ngày giờ không hợp lệ", 'user = "2026-02-30"'),
])
def test_toml_mistakes_are_explained_in_vietnamese(tmp_path: Path, text: str, message: str,
                                                   fixed: str | None) -> None:
    config = tmp_path / "docgen.toml"
    config.write_text(text, "utf-8")
    result = invoke(["--config", str(config), "kinds"])
    assert result.exit_code == 5, result.output
    err = result.stderr
    assert err.startswith("Lỗi: ") and message in err, err
    assert f"Tệp: {config}" in err
    assert not [word for word in TOMLLIB if word in err], err
    if fixed is not None:
        assert f"thành: {fixed}" in err.replace("\n", " "), err
    english = invoke(["--config", str(config), "--lang", "en", "kinds"])
    assert english.exit_code == 5
    assert english.stderr.startswith("Error: TOML syntax error at ") and "(tomllib: " in english.stderr


def test_an_unforeseen_tomllib_message_gets_a_vietnamese_one(tmp_path: Path) -> None:
    text = '[docgen]\nlang = "vi"\n'
    error = _syntax_error(tmp_path / "docgen.toml", text, ValueError("Something new (at line 2, column 3)"))
    assert error.message.vi == "sai cú pháp TOML ở dòng 2: dòng này không đúng cú pháp TOML"
    assert "Something" in error.message.en and "Something" not in error.render("vi")
    assert error.field == "docgen.lang" and error.hint is not None
    assert error.hint.vi.startswith('sửa dòng 2 (đang là: lang = "vi"); mỗi dòng là tên = giá trị')


def test_a_broken_file_still_gives_the_help(tmp_path: Path) -> None:
    (tmp_path / "docgen.toml").write_text("[docgen]\nlang = en\n", "utf-8")
    helped = run(["--help"], tmp_path)
    assert helped.returncode == 0 and helped.stdout.startswith("Cách dùng: docgen")
    failed = run(["kinds"], tmp_path)
    assert failed.returncode == 5 and "Traceback" not in failed.stderr
    assert 'giá trị chữ phải đặt trong nháy kép: lang = "en"' in failed.stderr


# ----------------------------------------------------------------------------- wrong value types


def _config(tmp_path: Path, lines: str) -> Path:
    config = tmp_path / "docgen.toml"
    config.write_text(f'[docgen]\nprofile = "{(EXAMPLES / "profile.yaml").as_posix()}"\n{lines}', "utf-8")
    return config


def test_quoted_minutes_are_used_as_a_number_in_a_render(tmp_path: Path) -> None:
    """The reviewer's case: min_meeting_minutes = "90" was a TypeError (exit 1) in the arithmetic."""
    config = _config(tmp_path, 'min_meeting_minutes = "200"\n')
    result = invoke(["--config", str(config), "render", str(EXAMPLES / "bien-ban-thuong-ky.yaml"),
                     "-o", str(tmp_path / "bb.docx")])
    assert result.exit_code == 0, result.output
    assert "cần ít nhất 200 phút" in result.stderr  # the quoted value, read as the number 200
    assert (tmp_path / "bb.docx").is_file()


@pytest.mark.parametrize(("line", "message", "hint"), [
    ('min_meeting_minutes = "chín mươi"\n',
     '[docgen] min_meeting_minutes (dòng 3) phải là số phút (số nguyên) từ 0 đến 1440, không phải chữ "chín mươi"',
     "ghi số, không đặt trong nháy: min_meeting_minutes = 90"),
    ("archive = 5\n", "[docgen] archive (dòng 3) phải là một đường dẫn đặt trong nháy kép, không phải số 5",
     'đặt trong nháy kép: archive = "5"'),
    ('numbering_per_year = "sai"\n', "[docgen] numbering_per_year (dòng 3) phải là true (có) hoặc false (không)",
     "ghi numbering_per_year = true (có) hoặc numbering_per_year = false (không)"),
])
def test_a_wrong_value_type_is_exit_5_not_a_traceback(tmp_path: Path, line: str, message: str,
                                                      hint: str) -> None:
    config = _config(tmp_path, line)
    result = run(["--config", str(config), "render", str(EXAMPLES / "bien-ban-thuong-ky.yaml"),
                  "-o", str(tmp_path / "bb.docx")], tmp_path)
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr
    assert f"Lỗi: {message}" in result.stderr and f"Cách sửa: {hint}" in result.stderr
    assert f"Tệp: {config}" in result.stderr
    assert not (tmp_path / "bb.docx").exists()


# ----------------------------------------------------------------------------- warnings


def test_unknown_keys_are_printed_once_on_stderr(tmp_path: Path) -> None:
    config = _config(tmp_path, 'langg = "en"\n[labels]\nauthoriti = "T/M CHI BỘ"\n')
    result = invoke(["--config", str(config), "kinds"])
    assert result.exit_code == 0, result.output
    assert "Cảnh báo" not in result.stdout and "nghi-quyet" in result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Cảnh báo (docgen.toml, dòng 3): [docgen] langg không phải thiết lập của "
                               "[docgen] nên bị bỏ qua. Có phải ý là lang?")
    assert lines[1].startswith("Cảnh báo (docgen.toml, dòng 5): [labels] authoriti") and "authority?" in lines[1]
    english = invoke(["--config", str(config), "--lang", "en", "kinds"])
    assert english.exit_code == 0
    assert english.stderr.startswith("Warning (docgen.toml, line 3): [docgen] langg is not a setting")


def test_an_invalid_docgen_lang_is_a_warning_on_the_command_line(tmp_path: Path) -> None:
    result = run(["kinds"], tmp_path, DOCGEN_LANG="fr")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ("Cảnh báo: DOCGEN_LANG=fr không phải ngôn ngữ docgen có nên bị bỏ qua "
                             "(dùng tiếng Việt); chỉ nhận DOCGEN_LANG=vi (tiếng Việt) hoặc DOCGEN_LANG=en "
                             "(tiếng Anh)\n")
    assert "Loại" in result.stdout  # Vietnamese, as without the variable
    (tmp_path / "docgen.toml").write_text('[docgen]\nlang = "en"\n', "utf-8")
    english = run(["kinds"], tmp_path, DOCGEN_LANG="fr")
    assert english.returncode == 0 and "(using English)" in english.stderr
    assert run(["--help"], tmp_path, DOCGEN_LANG="fr").stdout.startswith("Usage: docgen")


def test_a_config_error_names_the_file_also_in_english(tmp_path: Path) -> None:
    config = _config(tmp_path, 'min_meeting_minutes = "90x"\n')
    with pytest.raises(ConfigError) as info:
        load_settings({"config_path": config}, environ={})
    rendered = info.value.render("en")
    assert rendered.startswith("Error: [docgen] min_meeting_minutes (line 3) must be a whole number")
    assert f"File: {config}" in rendered and "Field: docgen.min_meeting_minutes" in rendered
