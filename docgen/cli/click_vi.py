"""click's own words in Vietnamese: Usage, Options, "Missing option", "No such command"…

click takes its words from ``gettext`` (``from gettext import gettext as _`` and
``ngettext`` in each of its modules). ``install()`` replaces those two names in click's
modules with lookups in the tables below, which answer in the language chosen with
``docgen.i18n.set_lang`` at the moment the text is made: Vietnamese by default, click's
English with ``--lang en``. Nothing else of gettext (the process-wide ``messages``
domain, LANGUAGE) is touched.

The keys are click's msgids verbatim; tests/test_cli_lang.py checks that each one still
occurs in the installed click (a click upgrade that rewords a message fails that test
rather than silently showing English). click's messages about programming mistakes
(a badly declared option) are left in English: users never see them.

Some words are fixed when a command is defined rather than when it is shown (the
``--version`` option's help, a path type's "file"/"directory", the "[OPTIONS]" and
"TEXT"/"INTEGER" placeholders of the usage line): ``localize`` sets them on a command
for the language of the moment, so help and errors follow ``--lang`` even when the
command was built in the other language.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import click

from docgen.i18n import current_lang, help_text

# msgid → Vietnamese (gettext).
VI: dict[str, str] = {
    # formatting.py, core.py: the help page
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Positional arguments": "Tham số",
    "Commands": "Lệnh",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "required": "bắt buộc",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "(dynamic)": "(tính khi chạy)",
    "deprecated": "không còn dùng",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Cảnh báo: lệnh {name!r} không còn được dùng.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Cảnh báo: {param_type} {name!r} không còn được dùng.{extra_message}",
    # exceptions.py: errors on the command line
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Gõ '{command} {option}' để xem hướng dẫn.",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing command.": "Thiếu tên lệnh.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ ở {param_hint}: {message}",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "unknown error": "lỗi không rõ",
    "Aborted!": "Đã dừng!",
    "Value must be an iterable.": "Giá trị phải là một danh sách.",
    # parser.py
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Argument {name!r} takes {nargs} values.": "Tham số {name!r} cần {nargs} giá trị.",
    # types.py: values that do not convert
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "{value} is not in the range {range}.": "{value} không nằm trong khoảng {range}.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là số hợp lệ.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} không phải giá trị có/không. Các giá trị nhận được: {states}",
    "{value!r} is not a valid UUID.": "{value!r} không phải UUID hợp lệ.",
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
    "{name} {filename!r} does not exist.": "Không có {name} {filename!r}.",
    "{name} {filename!r} is a file.": "{filename!r} là tệp, không phải {name}.",
    "{name} {filename!r} is a directory.": "{filename!r} là thư mục, không phải {name}.",
    "{name} {filename!r} is not readable.": "Không đọc được {name} {filename!r}.",
    "{name} {filename!r} is not writable.": "Không ghi được vào {name} {filename!r}.",
    "{name} {filename!r} is not executable.": "Không chạy được {name} {filename!r}.",
    # termui.py, decorators.py: prompts
    "Repeat for confirmation": "Nhập lại để xác nhận",
    "Error: The two entered values do not match.": "Lỗi: hai lần nhập không khớp nhau.",
    "Error: invalid input": "Lỗi: giá trị nhập không hợp lệ",
    "Press any key to continue...": "Nhấn một phím bất kỳ để tiếp tục...",
    "Do you want to continue?": "Tiếp tục?",
    "Confirm the action without prompting.": "Xác nhận luôn, không hỏi lại.",
    # _termui_impl.py: progress bar (days left) and the editor
    "d": " ngày",
    "{editor}: Editing failed": "{editor}: không sửa được",
    "{editor}: Editing failed: {e}": "{editor}: không sửa được: {e}",
}

# (singular msgid, plural msgid) → Vietnamese (one form: Vietnamese nouns have no plural).
VI_PLURAL: dict[tuple[str, str], str] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        "Thừa tham số ({args})",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        "(Có phải ý bạn là một trong: {possibilities}?)",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        "Tùy chọn {name!r} cần {nargs} giá trị.",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        "Cần {nargs} giá trị nhưng có {len}.",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        "{value!r} không phải một trong: {choices}.",
    ("{value!r} does not match the format {format}.",
     "{value!r} does not match the formats {formats}."):
        "{value!r} không đúng định dạng nào trong: {formats}.",
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        "Cần {len_type} giá trị nhưng có {len_value}.",
}

# Singular forms that need their own Vietnamese wording (one choice, one possibility).
VI_SINGULAR: dict[str, str] = {
    "Did you mean {possibility}?": "Có phải ý bạn là {possibility}?",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "{value!r} is not {choice}.": "{value!r} không phải là {choice}.",
    "{value!r} does not match the format {format}.": "{value!r} không đúng định dạng {format}.",
}

# The click modules that import gettext's functions.
MODULES = ("click.core", "click.exceptions", "click.formatting", "click.decorators",
           "click.types", "click.termui", "click.parser", "click._termui_impl", "click.utils")

# The placeholders click writes from a parameter type's name ("TEXT", "INTEGER"…), the
# root usage line and argument names, in Vietnamese.
TYPE_METAVARS = {
    "text": "CHỮ", "integer": "SỐ", "integer range": "SỐ", "float": "SỐ", "float range": "SỐ",
    "boolean": "CÓ/KHÔNG", "file": "TỆP", "directory": "THƯ_MỤC", "path": "ĐƯỜNG_DẪN",
    "filename": "TỆP", "uuid": "UUID",
}
ARG_METAVARS = {
    "QUERY": "CÂU_TÌM", "KIND": "LOẠI", "INPUTS": "TỆP_ĐẦU_VÀO", "INPUT": "TỆP_ĐẦU_VÀO",
    "BUNDLE": "TỆP_GÓI", "PATH": "TỆP", "DOC_ID": "ID", "PAPERS": "TỆP_HOẶC_THƯ_MỤC",
}
OPTIONS_METAVAR = {"en": "[OPTIONS]", "vi": "[TÙY CHỌN]"}
SUBCOMMAND_METAVAR = {"en": "COMMAND [ARGS]...", "vi": "LỆNH [THAM SỐ]..."}

_EN_OF = {vi: en for en, vi in VI.items()}

# A path type's name ("file", "directory", "path"): click writes it title-cased at the
# start of its sentences ("File '/x' is a directory."); Vietnamese puts it mid-sentence
# ("'/x' là thư mục, không phải tệp."), so its Vietnamese stays lower case.
PATH_WORDS = frozenset({"file", "directory", "path"})


class PathWord(str):
    """The Vietnamese name of a path type, unchanged by click's ``.title()``: "tệp", not
    "Tệp" (nor "Thư Mục") in the middle of a sentence."""

    def title(self) -> str:
        return str(self)

    def capitalize(self) -> str:
        return str(self)


def gettext(message: str) -> str:
    """click's ``_``: Vietnamese unless English was chosen."""
    if current_lang() == "en":
        return message
    found = VI.get(message, message)
    return PathWord(found) if message in PATH_WORDS else found


def ngettext(singular: str, plural: str, n: int) -> str:
    """click's ``ngettext``."""
    if current_lang() == "en":
        return singular if n == 1 else plural
    if n == 1 and singular in VI_SINGULAR:
        return VI_SINGULAR[singular]
    return VI_PLURAL.get((singular, plural), singular if n == 1 else plural)


class LazyWord(str):
    """One of click's words translated when it is used (``%``), not when it is made: the
    ``--version`` message, which click fixes when the option is declared."""

    def __mod__(self, values: Any) -> str:
        return str(gettext(str(self)) % values)


def word(text: str, lang: str) -> str:
    """One of click's words (or its Vietnamese) in ``lang``."""
    if lang == "en":
        return _EN_OF.get(text, text)
    return VI.get(text, text)


# click imports this one on the first progress bar, pager or editor (start-up time).
LAZY_MODULES = frozenset({"click._termui_impl"})
_patched: set[str] = set()


def install(lazy: bool = False) -> None:
    """Route click's gettext calls through ``gettext``/``ngettext`` above, in each of
    click's modules once; ``lazy`` also imports (and patches) the modules click imports
    late, before a progress bar is shown."""
    import importlib

    for name in MODULES:
        if name in _patched:
            continue
        module = sys.modules.get(name)
        if module is None:
            if name in LAZY_MODULES and not lazy:
                continue
            module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
        _patched.add(name)


# --------------------------------------------------------------------------- commands

_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s")


def first_sentence(text: str) -> str:
    """The help's first sentence, whole (click would cut it at 45 characters)."""
    import inspect

    flat = " ".join(inspect.cleandoc(text).partition("\f")[0].split())
    return _FIRST_SENTENCE.split(flat, maxsplit=1)[0].rstrip(".")


def _param_metavar(param: click.Parameter, lang: str) -> None:
    state: dict[str, Any] = param.__dict__.setdefault("_docgen", {"metavar": param.metavar})
    own = state["metavar"]
    own_placeholder = type(param.type).get_metavar is not click.ParamType.get_metavar
    if lang == "en" or own_placeholder:  # Choice, DateTime, DATE name their values
        param.metavar = own
        return
    if isinstance(param, click.Argument):
        base = own or (param.name or "").upper()
        vi = ARG_METAVARS.get(base, base)
        if own is None:
            vi = vi if param.required else f"[{vi}]"
            vi = vi if param.nargs == 1 else f"{vi}..."
        param.metavar = vi
        return
    if own is not None:
        return
    name = word(param.type.name, "en")
    vi = TYPE_METAVARS.get(name, name.upper())
    param.metavar = vi if param.nargs == 1 else f"{vi}..."


def _localize_params(command: click.Command, lang: str) -> None:
    params = list(command.params)
    help_option = getattr(command, "_help_option", None)
    if help_option is not None:
        params.append(help_option)
    for param in params:
        text = getattr(param, "help", None)
        if isinstance(text, str):
            param.help = word(help_text(text, lang), lang)  # type: ignore[attr-defined]
        if isinstance(param.type, click.Path):
            name = word(param.type.name, lang)
            english = word(name, "en")
            param.type.name = PathWord(name) if lang != "en" and english in PATH_WORDS else name
        _param_metavar(param, lang)


def localize(command: click.Command, lang: str, subcommands: bool = True) -> click.Command:
    """Set ``command``'s help, placeholders and click words in ``lang`` (and its
    subcommands' when it is a plain group)."""
    if command.help:
        command.help = help_text(command.help, lang)
    state: dict[str, Any] = command.__dict__.setdefault(
        "_docgen", {"short_help": command.short_help})
    if state["short_help"]:
        command.short_help = help_text(state["short_help"], lang)
    elif command.help:
        command.short_help = first_sentence(command.help)
    if command.options_metavar in OPTIONS_METAVAR.values():
        command.options_metavar = OPTIONS_METAVAR[lang]
    if isinstance(command, click.Group):
        if command.subcommand_metavar in SUBCOMMAND_METAVAR.values():
            command.subcommand_metavar = SUBCOMMAND_METAVAR[lang]
        if subcommands:
            for sub in command.commands.values():
                localize(sub, lang)
    _localize_params(command, lang)
    return command
