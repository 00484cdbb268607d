"""The language of the CLI: Vietnamese everywhere by default (whatever the system locale),
English only when asked; click's own words translated from a catalog checked against
the installed click."""

from __future__ import annotations

import ast
import datetime as dt
import os
import string
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from docgen.cli import click_vi, main
from docgen.cli.types import DATE
from docgen.config import early_lang, load_settings
from docgen.errors import ConfigError
from docgen.i18n import current_lang, set_lang

REPO = Path(__file__).resolve().parents[1]
CLICK_DIR = Path(click.__file__).parent
# The console script users type (``python -m docgen`` when it is not installed).
_SCRIPT = Path(sys.executable).with_name("docgen")
DOCGEN = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "docgen"]

# click's English words that must not show in Vietnamese output, and the reverse.
ENGLISH = ("Usage", "Options", "Commands", "Error", "Missing", "No such", "Try '", "Did you mean",
           "unexpected extra", "Invalid value", "Aborted", "Show this message", "Show the version",
           "[OPTIONS]", "COMMAND", "[ARGS]", "required]", "default:", "TEXT", "INTEGER", "PATH",
           "is not", "does not", "DD/MM/YYYY")
VIETNAMESE = ("Cách dùng", "Tùy chọn", "Lệnh", "Lỗi", "Thiếu", "Không có", "Gõ '", "Có phải",
              "Thừa tham số", "không hợp lệ", "Đã dừng", "Hiện hướng dẫn", "Hiện phiên bản",
              "[TÙY CHỌN]", "THAM SỐ", "bắt buộc", "mặc định", "CHỮ", "ĐƯỜNG_DẪN", "NGÀY/THÁNG/NĂM")


# --------------------------------------------------------------------------- the catalog

def _click_calls() -> tuple[set[str], set[tuple[str, str]]]:
    """Every string click passes to ``_`` and every (singular, plural) to ``ngettext``."""
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for path in CLICK_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and texts:
                singles.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) == 2:
                plurals.add((texts[0], texts[1]))
    return singles, plurals


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_msgid_is_verbatim_in_the_installed_click() -> None:
    singles, plurals = _click_calls()
    # click translates the "required" mark through a variable: _(extra["required"])
    core = (CLICK_DIR / "core.py").read_text("utf-8")
    assert '_(extra["required"])' in core and 'extra["required"] = "required"' in core
    singles.add("required")
    assert sorted(set(click_vi.VI) - singles) == []
    assert sorted(set(click_vi.VI_PLURAL) - plurals) == []
    assert sorted(set(click_vi.VI_SINGULAR) - {s for s, _ in plurals}) == []


def test_translations_use_only_the_placeholders_click_fills() -> None:
    for msgid, vi in click_vi.VI.items():
        assert _fields(vi) <= _fields(msgid), msgid
        if "%(" in msgid:
            assert vi.count("%(") == msgid.count("%("), msgid
    for (one, many), vi in click_vi.VI_PLURAL.items():
        assert _fields(vi) <= _fields(one) | _fields(many), one
    plural_of = {one: many for one, many in click_vi.VI_PLURAL}
    for one, vi in click_vi.VI_SINGULAR.items():
        assert _fields(vi) <= _fields(one) | _fields(plural_of[one]), one


def test_the_common_words_are_in_the_catalog() -> None:
    for msgid in ("Usage:", "Options", "Commands", "Show this message and exit.",
                  "Show the version and exit.", "required", "default: {default}", "Missing option",
                  "Missing argument", "No such option {name!r}.", "No such command {name!r}.",
                  "Aborted!", "Invalid value for {param_hint}: {message}", "Error: {message}",
                  "Try '{command} {option}' for help."):
        assert msgid in click_vi.VI
    singulars = {one for one, _ in click_vi.VI_PLURAL}
    assert {"Did you mean {possibility}?", "Got unexpected extra argument ({args})"} <= singulars


def test_every_click_module_is_patched() -> None:
    click_vi.install(lazy=True)  # what a progress bar does first
    import click._termui_impl

    for name in click_vi.MODULES:
        module = sys.modules[name]
        if hasattr(module, "_"):
            assert module._ is click_vi.gettext, name
        if hasattr(module, "ngettext"):
            assert module.ngettext is click_vi.ngettext, name
    assert click._termui_impl._ is click_vi.gettext  # type: ignore[attr-defined]


def test_gettext_follows_the_language_of_the_moment() -> None:
    before = current_lang()
    try:
        set_lang("vi")
        assert click.core._("Options") == "Tùy chọn"  # type: ignore[attr-defined]
        assert click.exceptions.ngettext("Did you mean {possibility}?",  # type: ignore[attr-defined]
                                         "(Did you mean one of: {possibilities}?)", 2) \
            == "(Có phải ý bạn là một trong: {possibilities}?)"
        set_lang("en")
        assert click.core._("Options") == "Options"  # type: ignore[attr-defined]
        assert click.exceptions.ngettext("Did you mean {possibility}?",  # type: ignore[attr-defined]
                                         "(Did you mean one of: {possibilities}?)", 1) \
            == "Did you mean {possibility}?"
    finally:
        set_lang(before)


@pytest.mark.parametrize(("okay", "given", "vi", "en"), [
    ({"dir_okay": False}, "missing", "Không có tệp '{path}'.", "File '{path}' does not exist."),
    ({"dir_okay": False}, "dir", "'{path}' là thư mục, không phải tệp.",
     "File '{path}' is a directory."),
    ({"file_okay": False}, "file", "'{path}' là tệp, không phải thư mục.",
     "Directory '{path}' is a file."),
    ({}, "missing", "Không có đường dẫn '{path}'.", "Path '{path}' does not exist."),
])
def test_path_messages_keep_the_path_word_lower_case(tmp_path: Path, okay: dict[str, bool],
                                                     given: str, vi: str, en: str) -> None:
    """click writes a path type's word title-cased ("File '/x' is a directory."); the
    Vietnamese puts it mid-sentence, lower case, whichever language the type was made in
    (``localize`` renames it for the language of the moment)."""
    path = {"missing": tmp_path / "nothing", "dir": tmp_path,
            "file": tmp_path / "f.txt"}[given]
    (tmp_path / "f.txt").write_text("x", "utf-8")
    before = current_lang()
    click_vi.install()
    try:
        for made_in in ("en", "vi"):
            set_lang(made_in)
            command = click.Command("c", params=[click.Option(
                ["--p"], type=click.Path(exists=True, **okay))])
            for lang, wanted in (("vi", vi), ("en", en)):
                set_lang(lang)
                click_vi.localize(command, lang)
                with pytest.raises(click.BadParameter) as caught:
                    command.params[0].type.convert(str(path), command.params[0], None)
                assert caught.value.message == wanted.format(path=path), (made_in, lang)
    finally:
        set_lang(before)
    for word in ("Tệp", "Thư Mục", "Thư mục", "Đường Dẫn"):
        assert word not in vi


def test_date_type_placeholder_and_message_follow_the_language() -> None:
    before = current_lang()
    option = click.Option(["--from"], type=DATE)
    try:
        set_lang("en")
        assert DATE.get_metavar(option) == "DD/MM/YYYY"
        with pytest.raises(click.BadParameter, match="no such date"):
            DATE.convert("30/02/2026", option, None)
        set_lang("vi")
        assert DATE.get_metavar(option) == "NGÀY/THÁNG/NĂM"
        with pytest.raises(click.BadParameter, match="ngày không có thật"):
            DATE.convert("30/02/2026", option, None)
        for text in ("10/3/2026", "10/03/2026", "10.3.2026", "10-3-2026", "2026-03-10"):
            assert DATE.convert(text, option, None) == dt.date(2026, 3, 10)
    finally:
        set_lang(before)


# --------------------------------------------------------------------------- choosing it

def test_early_lang_reads_flag_env_and_config(tmp_path: Path) -> None:
    assert early_lang([], {}, tmp_path) == "vi"
    assert early_lang([], {"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"}, tmp_path) == "vi"
    assert early_lang(["--lang", "en", "search", "x"], {}, tmp_path) == "en"
    assert early_lang(["--archive", "a", "--lang=en", "--help"], {}, tmp_path) == "en"
    assert early_lang(["search", "--lang", "en"], {}, tmp_path) == "vi"  # not a root option there
    assert early_lang(["--lang", "vi"], {"DOCGEN_LANG": "en"}, tmp_path) == "vi"
    assert early_lang([], {"DOCGEN_LANG": "en"}, tmp_path) == "en"
    (tmp_path / "docgen.toml").write_text('[docgen]\nlang = "en"\n', "utf-8")
    assert early_lang([], {}, tmp_path) == "en"
    assert early_lang([], {"DOCGEN_LANG": "vi"}, tmp_path) == "vi"
    other = tmp_path / "other.toml"
    other.write_text('[docgen]\nlang = "vi"\n', "utf-8")
    assert early_lang(["--config", str(other)], {}, tmp_path) == "vi"
    assert early_lang([], {"DOCGEN_CONFIG": str(other)}, tmp_path) == "vi"
    (tmp_path / "docgen.toml").write_text("not toml [", "utf-8")
    assert early_lang([], {}, tmp_path) == "vi"  # reported later by load_settings


def test_config_lang_must_be_vi_or_en(tmp_path: Path) -> None:
    (tmp_path / "docgen.toml").write_text('[docgen]\nlang = "EN"\n', "utf-8")
    assert load_settings(environ={}, cwd=tmp_path).lang == "en"
    (tmp_path / "docgen.toml").write_text('[docgen]\nlang = "fr"\n', "utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(environ={}, cwd=tmp_path)
    assert "docgen.lang" in err.value.render("vi") and '"vi"' in err.value.render("vi")


def test_one_process_can_switch_languages() -> None:
    """Help texts made in one language are shown in the other when asked (CliRunner runs
    every invocation in this process, after the command modules were imported)."""
    runner = CliRunner()
    en = runner.invoke(main, ["--lang", "en", "search", "--help"])
    vi = runner.invoke(main, ["search", "--help"], env={"DOCGEN_LANG": None})
    en_again = runner.invoke(main, ["search", "--help"], env={"DOCGEN_LANG": "en"})
    assert en.exit_code == vi.exit_code == en_again.exit_code == 0
    assert "Search documents" in en.output and "Usage: docgen search [OPTIONS] QUERY" in en.output
    assert "Tìm văn bản" in vi.output and "Cách dùng: docgen search [TÙY CHỌN] CÂU_TÌM" in vi.output
    assert en_again.output == en.output
    assert "--from DD/MM/YYYY" in en.output and "--from NGÀY/THÁNG/NĂM" in vi.output
    assert current_lang() == "vi"  # restored after each invocation


# --------------------------------------------------------------------------- real processes

def _docgen(*args: str, lang_env: str | None = None, cwd: Path | None = None,
            stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    env.update(LANG="en_US.UTF-8", LC_ALL="en_US.UTF-8", PYTHONIOENCODING="utf-8",
               DOCGEN_PROFILE=str(REPO / "examples" / "profile.yaml"))
    if lang_env is not None:
        env["DOCGEN_LANG"] = lang_env
    return subprocess.run([*DOCGEN, *args], capture_output=True, text=True,
                          env=env, cwd=cwd, input=stdin, timeout=120, check=False)


def _assert_vietnamese(text: str) -> None:
    found = [word for word in ENGLISH if word in text]
    assert not found, f"English {found} in:\n{text}"


def _assert_english(text: str) -> None:
    found = [word for word in VIETNAMESE if word in text]
    assert not found, f"Vietnamese {found} in:\n{text}"


# (arguments, exit status, what the Vietnamese says, what the English says)
MISTAKES = [
    ((), 2, "Cách dùng: docgen [TÙY CHỌN] LỆNH [THAM SỐ]...", "Usage: docgen [OPTIONS] COMMAND [ARGS]..."),
    (("nosuch",), 2, "Không có lệnh 'nosuch'.", "No such command 'nosuch'."),
    (("seach", "x"), 2, "Có phải ý bạn là 'search'?", "Did you mean 'search'?"),
    (("--bogus",), 2, "Lỗi: Không có tùy chọn '--bogus'.", "Error: No such option '--bogus'."),
    (("search",), 2, "Thiếu tham số 'CÂU_TÌM'.", "Missing argument 'QUERY'."),
    (("form", "nghi-quyet"), 2, "Thiếu tùy chọn '-o' / '--output'.", "Missing option '-o' / '--output'."),
    (("kinds", "extra"), 2, "Thừa tham số (extra)", "Got unexpected extra argument (extra)"),
    (("search", "x", "--limit", "0"), 2, "Giá trị không hợp lệ ở '--limit': 0 không nằm trong khoảng",
     "Invalid value for '--limit': 0 is not in the range"),
    (("search", "x", "--sort", "best"), 2, "không phải một trong: 'relevance', 'date'",
     "is not one of 'relevance', 'date'"),
    (("roster", "--date", "30/02/2026"), 2, "ngày không có thật: 30/02/2026", "no such date: 30/02/2026"),
    (("search", "x", "--from", "tomorrow"), 2, "Gõ 'docgen search --help' để xem hướng dẫn.",
     "Try 'docgen search --help' for help."),
    # a path type's word mid-sentence, lower case ("tệp", never "Tệp" / "Thư Mục")
    (("render", "."), 2, "'.' là thư mục, không phải tệp.", "File '.' is a directory."),
    (("init", "--dir", str(REPO / "pyproject.toml")), 2, "là tệp, không phải thư mục.",
     "is a file."),
    (("search", "x", "--year", "26"), 2, "'26' không phải là năm: ghi đủ 4 chữ số",
     "'26' is not a year: write all four digits"),
    (("list", "--kind", "NQX"), 2, "không có loại văn bản 'NQX'; các loại: bien-ban-thuong-ky (BB)",
     "no document kind 'NQX'; the kinds: bien-ban-thuong-ky (BB)"),
    (("list", "--from", "15/3/2026", "--to", "1/3/2026"), 2,
     "ngày bắt đầu --from 15/3/2026 ở sau ngày kết thúc --to 1/3/2026",
     "the start date --from 15/3/2026 is after the end date --to 1/3/2026"),
    (("print", "-o", "so.docx"), 2, "tên tệp phải kết thúc bằng .pdf (vd. -o so.pdf)",
     "its name must end in .pdf (e.g. -o so.pdf)"),
]


@pytest.mark.parametrize(("args", "status", "vi", "en"), MISTAKES, ids=[" ".join(m[0]) or "-" for m in MISTAKES])
def test_click_messages_in_both_languages(args: tuple[str, ...], status: int, vi: str, en: str,
                                          tmp_path: Path) -> None:
    viet = _docgen(*args, cwd=tmp_path)  # LANG=en_US.UTF-8: still Vietnamese
    assert viet.returncode == status, viet.stderr
    assert vi in viet.stderr
    _assert_vietnamese(viet.stderr + viet.stdout)
    eng = _docgen("--lang", "en", *args, cwd=tmp_path)
    assert eng.returncode == status, eng.stderr
    assert en in eng.stderr
    _assert_english(eng.stderr + eng.stdout)


def test_version_in_both_languages(tmp_path: Path) -> None:
    viet, eng = _docgen("--version", cwd=tmp_path), _docgen("--lang", "en", "--version", cwd=tmp_path)
    assert viet.returncode == eng.returncode == 0
    assert viet.stdout.startswith("docgen, phiên bản ") and eng.stdout.startswith("docgen, version ")


def test_aborted_prompt_in_both_languages(tmp_path: Path) -> None:
    viet = _docgen("init", "--dir", str(tmp_path / "vi"), cwd=tmp_path)  # stdin ends at once
    assert viet.returncode == 1 and "Đã dừng!" in viet.stderr and "Aborted" not in viet.stderr
    eng = _docgen("init", "--dir", str(tmp_path / "en"), lang_env="en", cwd=tmp_path)
    assert eng.returncode == 1 and "Aborted!" in eng.stderr


def test_help_language_by_flag_env_config_and_never_locale(tmp_path: Path) -> None:
    by_flag = _docgen("--lang", "en", "--help", cwd=tmp_path)
    by_env = _docgen("search", "--help", lang_env="en", cwd=tmp_path)
    by_locale = _docgen("--help", cwd=tmp_path)  # LANG=en_US.UTF-8
    for result in (by_flag, by_env, by_locale):
        assert result.returncode == 0, result.stderr
    assert by_flag.stdout.startswith("Usage: docgen [OPTIONS] COMMAND [ARGS]...")
    assert "Commands (in the order of the work):" in by_flag.stdout
    assert "Show this message and exit." in by_flag.stdout
    _assert_english(by_flag.stdout)
    assert by_env.stdout.startswith("Usage: docgen search [OPTIONS] QUERY")
    assert "Search documents" in by_env.stdout and "--from DD/MM/YYYY" in by_env.stdout
    _assert_english(by_env.stdout)
    assert by_locale.stdout.startswith("Cách dùng: docgen [TÙY CHỌN] LỆNH [THAM SỐ]...")
    assert "Hiện hướng dẫn này rồi thoát." in by_locale.stdout
    _assert_vietnamese(by_locale.stdout)
    (tmp_path / "docgen.toml").write_text('[docgen]\nlang = "en"\n', "utf-8")
    by_config = _docgen("form", "--help", cwd=tmp_path)
    assert by_config.returncode == 0 and by_config.stdout.startswith("Usage: docgen form")
    assert "[required]" in by_config.stdout
    _assert_english(by_config.stdout)
    overridden = _docgen("--lang", "vi", "form", "--help", cwd=tmp_path)
    assert overridden.stdout.startswith("Cách dùng: docgen form") and "[bắt buộc]" in overridden.stdout
    _assert_vietnamese(overridden.stdout)


# --------------------------------------------------------------------------- --lang anywhere

def test_hoist_lang_moves_the_option_to_the_front_but_not_after_double_dash() -> None:
    from docgen.cli import hoist_lang

    assert hoist_lang(["list", "--lang", "en", "--kind", "nghi-quyet"]) == [
        "--lang", "en", "list", "--kind", "nghi-quyet"]
    assert hoist_lang(["show", "05-NQ/CB", "--lang=en"]) == ["--lang=en", "show", "05-NQ/CB"]
    assert hoist_lang(["--lang", "vi", "list"]) == ["--lang", "vi", "list"]
    assert hoist_lang(["search", "--", "--lang", "en"]) == ["search", "--", "--lang", "en"]
    assert hoist_lang(["list", "--lang", "fr"]) == ["list", "--lang", "fr"]  # click reports it


def test_lang_after_the_command_changes_help_and_tables(tmp_path: Path) -> None:
    help_en = _docgen("list", "--help", "--lang", "en", cwd=tmp_path)
    assert help_en.returncode == 0, help_en.stderr
    assert "Usage: docgen list" in help_en.stdout
    _assert_english(help_en.stdout)
    listed = _docgen("--archive", str(tmp_path / "archive"), "list", "--lang", "en", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr.strip() == "0 documents"


def test_english_counts_are_singular_for_one() -> None:
    from docgen.i18n import docs_en

    assert [docs_en(n) for n in (0, 1, 2)] == ["0 documents", "1 document", "2 documents"]
