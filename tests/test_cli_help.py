"""Help that keeps the docs honest: every command has help in both languages, `docgen
--help` lists every command in the order of the work with an example, and every command
is documented in README.md or docs/."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from docgen.cli import COMMANDS, click_vi, registered_commands
from docgen.i18n import ambiguous_help, help_text

REPO = Path(__file__).resolve().parents[1]
WORK_ORDER = ["init", "form", "render", "new", "list", "show", "search", "print"]

# click's words of one language that must not show in the other's help.
ENGLISH = ("Usage:", "Options:", "Commands", "Show this message", "Show the version", "[OPTIONS]",
           "COMMAND [ARGS]", "[required]", "[default:", "TEXT", "INTEGER", "PATH", "DD/MM/YYYY",
           "Positional arguments")
VIETNAMESE = ("Cách dùng:", "Tùy chọn:", "Lệnh (", "Hiện hướng dẫn", "Hiện phiên bản", "[TÙY CHỌN]",
              "LỆNH [THAM SỐ]", "[bắt buộc]", "[mặc định:", "CHỮ", "ĐƯỜNG_DẪN", "NGÀY/THÁNG/NĂM",
              "Tham số:")


def all_commands() -> dict[str, click.Command]:
    """Every command by the words that call it ("search", "templates check")."""
    found: dict[str, click.Command] = {}
    for name, command in registered_commands().items():
        found[name] = command
        if isinstance(command, click.Group):
            for sub_name, sub in command.commands.items():
                found[f"{name} {sub_name}"] = sub
    return found


COMMAND_WORDS = sorted(all_commands())

# Run in a fresh process with DOCGEN_LANG set: prints {command: help} as JSON. The help
# goes through the same entry point as the console script (LazyGroup.main).
_DRIVER = """
import contextlib, io, json, sys
from docgen.cli import main
out = {}
for words in json.loads(sys.argv[1]):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        try:
            main.main([*words.split(), "--help"], prog_name="docgen")
        except SystemExit as exc:
            assert exc.code == 0, (words, exc.code)
    out[words] = buffer.getvalue()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def helps() -> dict[str, dict[str, str]]:
    """Each command's --help in Vietnamese and in English, each from its own process (so
    the language is chosen before any command module is imported, as for a user), both on
    an English system locale."""
    result: dict[str, dict[str, str]] = {}
    for lang in ("vi", "en"):
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
        env.update(LANG="en_US.UTF-8", LC_ALL="en_US.UTF-8", PYTHONIOENCODING="utf-8")
        if lang == "en":
            env["DOCGEN_LANG"] = "en"
        words = ["", *COMMAND_WORDS]
        run = subprocess.run([sys.executable, "-c", _DRIVER, json.dumps(words)], env=env,
                             capture_output=True, text=True, timeout=300, check=False,
                             cwd=REPO / "tests")
        assert run.returncode == 0, run.stderr
        result[lang] = json.loads(run.stdout)
    return result


def _no_words(text: str, words: tuple[str, ...]) -> list[str]:
    return [word for word in words if word in text]


@pytest.mark.parametrize("words", COMMAND_WORDS)
def test_every_command_has_help_in_both_languages(helps: dict[str, dict[str, str]], words: str) -> None:
    vi, en = helps["vi"][words], helps["en"][words]
    assert vi.startswith(f"Cách dùng: docgen {words} "), vi
    assert en.startswith(f"Usage: docgen {words} "), en
    assert vi != en
    assert not _no_words(vi, ENGLISH), vi
    assert not _no_words(en, VIETNAMESE), en
    assert "Hiện hướng dẫn này rồi thoát." in vi and "Show this message and exit." in en
    vi_about = vi.split("\n\n")[1]
    en_about = en.split("\n\n")[1]
    assert vi_about != en_about  # the description itself is translated


def _bilingual(text: str | None) -> bool:
    if not text:
        return False
    return help_text(text, "vi") != help_text(text, "en") \
        or click_vi.word(text, "vi") != click_vi.word(text, "en")


def test_every_text_of_every_command_is_bilingual() -> None:
    """Each command's help and each option's help is an h(vi, en) pair (or click's word)."""
    missing = [words for words, command in all_commands().items() if not _bilingual(command.help)]
    missing += [f"{words} {p.name}" for words, command in all_commands().items()
                for p in command.params if isinstance(p, click.Option) and not _bilingual(p.help)]
    assert missing == []


def test_each_help_text_has_one_translation() -> None:
    """The same Vietnamese (or English) text never gets two translations: the help could
    not follow a change of language (and one label should read the same everywhere)."""
    all_commands()
    assert ambiguous_help() == []


def test_every_option_has_help() -> None:
    bare = [f"{words} {p.name}" for words, command in all_commands().items()
            for p in command.params if isinstance(p, click.Option) and not p.help]
    assert bare == []


def test_the_table_names_every_registered_command() -> None:
    table = [entry.name for entry in COMMANDS]
    assert len(table) == len(set(table))
    assert sorted(table) == sorted(registered_commands())
    assert table[:len(WORK_ORDER)] == WORK_ORDER


def _command_rows(text: str, lang: str) -> dict[str, tuple[str, str]]:
    """name → (its help joined from its lines, its example) from `docgen --help`."""
    title = "Commands (in the order of the work):" if lang == "en" else "Lệnh (theo thứ tự công việc):"
    prefix = "e.g. " if lang == "en" else "vd: "
    rows: dict[str, tuple[str, str]] = {}
    name, about = "", []
    for line in text.split(title + "\n", 1)[1].splitlines():
        match = re.match(r"^  ([a-z][a-z-]*) +(.*)$", line)
        if match:
            name, about = match.group(1), [match.group(2)]
        elif line.strip().startswith(prefix):
            rows[name] = (" ".join(about), line.strip()[len(prefix):])
        else:
            about.append(line.strip())
    return rows


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_main_help_lists_commands_in_work_order_with_examples(helps: dict[str, dict[str, str]],
                                                              lang: str) -> None:
    text = helps[lang][""]
    rows = _command_rows(text, lang)
    assert list(rows) == [entry.name for entry in COMMANDS]
    assert list(rows)[:len(WORK_ORDER)] == WORK_ORDER
    for entry in COMMANDS:
        assert rows[entry.name] == (entry.about.text(lang), entry.example)  # whole, never cut
        assert entry.example.startswith(f"docgen {entry.name}")
    body = text.split("\n", 1)[1]  # after the usage line
    assert "..." not in body and "…" not in body
    assert rows["search"][0] != _command_rows(helps["en" if lang == "vi" else "vi"][""],
                                              "en" if lang == "vi" else "vi")["search"][0]


def _documented(words: str, docs: str) -> bool:
    return re.search(rf"docgen {re.escape(words)}(?![\w-])", docs) is not None


def test_every_command_appears_in_readme_or_docs() -> None:
    docs = "\n".join(path.read_text("utf-8") for path in
                     [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))])
    assert [words for words in COMMAND_WORDS if not _documented(words, docs)] == []
