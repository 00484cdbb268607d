"""The ``docgen`` command. click only: parse, call one library function, format.

Each area registers its commands from its own module so the areas stay apart:
render_cmds and authoring_cmds (issue 2), archive_cmds (issue 3), search_cmds (issue 4),
print_cmds (issue 5).

The root group is lazy: ``COMMANDS`` names every command in the order of the work, with
its module, a one-line help in both languages and an example, so ``docgen --help``
imports no command module, and a command's module (with what it imports: python-docx,
jsonschema, whoosh…) is imported only when that command runs or shows its help.

The language (``--lang``, DOCGEN_LANG, ``lang`` in docgen.toml; Vietnamese otherwise,
whatever the system locale) is found before the command line is parsed, so that the
help and click's own words (``docgen.cli.click_vi``) are written in it.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from docgen.cli import click_vi
from docgen.cli.common import DocgenGroup
from docgen.config import early_lang, load_settings
from docgen.i18n import Msg, current_lang, h, set_lang

click_vi.install()

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Entry:
    """One command of ``docgen --help``: where it lives, what it does, an example."""

    __slots__ = ("about", "example", "modules", "name")

    def __init__(self, name: str, modules: tuple[str, ...], about: Msg, example: str) -> None:
        self.name = name
        self.modules = modules
        self.about = about
        self.example = example

    def __repr__(self) -> str:
        return f"Entry({self.name!r}, {self.modules!r})"


def _e(name: str, modules: str, vi: str, en: str, example: str) -> Entry:
    return Entry(name, tuple(modules.split()), Msg(vi, en), example)


# In the order of the work: set up, write, file, find, print; then the rest.
COMMANDS: tuple[Entry, ...] = (
    _e("init", "authoring_cmds",
       "Tạo hồ sơ chi bộ (profile.yaml) và docgen.toml bằng cách trả lời câu hỏi",
       "Create the cell profile (profile.yaml) and docgen.toml by answering questions",
       "docgen init"),
    _e("form", "authoring_cmds",
       "Ghi tệp YAML có chú thích để điền, điền sẵn từ hồ sơ và văn bản trước",
       "Write a commented YAML input to fill in, prefilled from the profile and the last document",
       "docgen form nghi-quyet -o nq-thang3.yaml"),
    _e("render", "render_cmds",
       "Tạo tệp Word (.docx) từ tệp YAML đã điền (chưa lưu vào kho)",
       "Render Word (.docx) files from filled-in YAML inputs (not filed)",
       "docgen render nq-thang3.yaml -o nq-thang3.docx"),
    _e("new", "archive_cmds",
       "Soạn và lưu văn bản vào kho, tự cấp số",
       "Render and file documents in the archive, numbered automatically",
       "docgen new nq-thang3.yaml"),
    _e("list", "archive_cmds",
       "Liệt kê văn bản đã lưu, mới nhất trước",
       "List the archived documents, newest first",
       "docgen list --kind nghi-quyet"),
    _e("show", "archive_cmds",
       "Xem thông tin, tệp và lịch sử của một văn bản",
       "Show a document's details, files and history",
       "docgen show 05-NQ/CB"),
    _e("search", "search_cmds",
       "Tìm văn bản theo từ, cụm từ, chủ đề, chi bộ, loại, ngày (gõ có dấu hay không đều được)",
       "Search documents by words, phrases, topic, cell, kind, date (accents optional)",
       'docgen search "vệ sinh môi trường" --from 1/1/2026'),
    _e("print", "print_cmds",
       "In nhiều văn bản thành một sổ PDF: bìa, mục lục, số trang",
       "Print many documents into one PDF book: cover, contents, page numbers",
       "docgen print --kind bien-ban-thuong-ky --from 1/1/2026 -o quy1.pdf"),
    _e("pdf", "print_cmds",
       "Xuất PDF của một văn bản đã lưu",
       "Write the PDF of one archived document",
       "docgen pdf 05-NQ/CB"),
    _e("open", "archive_cmds",
       "Mở tệp .docx (hoặc PDF) của văn bản bằng chương trình mặc định",
       "Open the document's .docx (or PDF) with the default program",
       "docgen open 05-NQ/CB"),
    _e("path", "archive_cmds",
       "In đường dẫn tệp .docx của văn bản",
       "Print the path of the document's .docx",
       "docgen path 3f9a1c2b7d"),
    _e("amend", "archive_cmds",
       "Lưu bản sửa của văn bản (giữ số, bản cũ vẫn được lưu)",
       "File a corrected version (same number; the old one is kept)",
       "docgen amend 3f9a1c2b7d nq-sua.yaml"),
    _e("finalize", "archive_cmds",
       "Hoàn thiện dự thảo: cấp số và lưu bản chính thức",
       "Finalise a draft: give it its number and file it",
       "docgen finalize 3f9a1c2b7d"),
    _e("withdraw", "archive_cmds",
       "Thu hồi văn bản (vẫn lưu, ẩn khỏi danh sách)",
       "Withdraw a document (kept, hidden from the lists)",
       'docgen withdraw 3f9a1c2b7d --reason "ban hành nhầm"'),
    _e("extract", "extract_cmds",
       "Trích biên bản đã lưu (biểu quyết, nội dung chọn) thành tệp YAML của bản trích, rồi lưu bằng docgen new",
       "Extract parts of filed minutes (votes, chosen items) into the YAML of an extract, then file it with "
       "docgen new",
       "docgen extract 07-BB/CB --vote 1 -o trich.yaml"),
    _e("roster", "authoring_cmds",
       "Danh sách đảng viên và tình trạng từng người vào một ngày",
       "The members and each one's status on a date",
       "docgen roster --date 10/3/2026"),
    _e("templates", "render_cmds authoring_cmds",
       "Mẫu văn bản .docx: liệt kê (list), kiểm tra mẫu đã sửa (check)",
       "The .docx templates: list them (list), check an edited one (check)",
       "docgen templates check nghi-quyet.docx"),
    _e("kinds", "render_cmds",
       "Liệt kê các loại văn bản",
       "List the document kinds",
       "docgen kinds"),
    _e("schema", "render_cmds",
       "In JSON Schema của một loại văn bản",
       "Print the JSON Schema of a document kind",
       "docgen schema nghi-quyet"),
    _e("topics", "search_cmds",
       "Danh sách chủ đề và số văn bản của mỗi chủ đề",
       "The topics and the number of documents of each",
       "docgen topics"),
    _e("similar", "search_cmds",
       "Tìm văn bản tương tự một văn bản",
       "Find documents similar to a document",
       "docgen similar 05-NQ/CB"),
    _e("verify", "archive_cmds",
       "Kiểm tra toàn bộ kho lưu trữ (tệp, mã kiểm tra, số văn bản)",
       "Check the whole archive (files, checksums, numbers)",
       "docgen verify"),
    _e("reindex", "search_cmds",
       "Xây dựng lại chỉ mục tìm kiếm từ kho lưu trữ",
       "Rebuild the search index from the archive",
       "docgen reindex"),
    _e("export", "archive_cmds",
       "Xuất văn bản (mọi phiên bản) ra một tệp gói",
       "Export documents (every version) to one bundle file",
       "docgen export -o chibo.zip"),
    _e("import", "import_cmds",
       "Nhập giấy tờ cũ (Word, PDF, bản quét; phông TCVN3, VNI) vào kho",
       "Import old papers (Word, PDF, scans; TCVN3, VNI fonts) into the archive",
       "docgen import \"Nghị quyết 2015-2020/\" --dry-run"),
    _e("import-bundle", "archive_cmds",
       "Nhập một tệp gói vào kho (không ghi đè)",
       "Merge a bundle file into the archive (never overwrites)",
       "docgen import-bundle chibo.zip"),
    _e("serve", "web_cmds",
       "Chạy ứng dụng web cho bí thư và cán bộ cấp ủy",
       "Run the web app for secretaries and committee staff",
       "docgen serve --port 8080"),
    _e("users", "web_cmds",
       "Tài khoản của ứng dụng web: thêm, liệt kê, khóa, token",
       "Accounts of the web app: add, list, disable, tokens",
       "docgen users add bithu --role secretary --cell an-thanh"),
    _e("cells", "web_cmds",
       "Các chi bộ của kho: thêm, liệt kê",
       "The cells of the archive: add, list",
       "docgen cells add an-thanh --profile profile.yaml"),
    _e("gc", "archive_cmds",
       "Dọn tệp tạm còn sót sau lần ghi bị gián đoạn",
       "Remove temporary files left by interrupted writes",
       "docgen gc"),
)

MODULES = ("render_cmds", "authoring_cmds", "archive_cmds", "search_cmds", "print_cmds", "extract_cmds",
           "web_cmds", "import_cmds")

_TITLE = Msg("Lệnh (theo thứ tự công việc)", "Commands (in the order of the work)")
_EXAMPLE = Msg("vd:", "e.g.")


def registered_commands(modules: Sequence[str] = MODULES) -> dict[str, click.Command]:
    """The commands the given modules register (importing them), by name."""
    group = click.Group()
    for module in modules:
        importlib.import_module(f"docgen.cli.{module}").register(group)
    return dict(group.commands)


def hoist_lang(args: list[str]) -> list[str]:
    """``--lang vi|en`` typed after the command's name (``docgen list --lang en``) is moved
    to the front, where the root group reads it; anything after ``--`` is left alone."""
    out: list[str] = []
    hoisted: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out.extend(args[i:])
            break
        if out and arg == "--lang" and i + 1 < len(args) and args[i + 1] in ("vi", "en"):
            hoisted = ["--lang", args[i + 1]]
            i += 2
            continue
        if out and arg in ("--lang=vi", "--lang=en"):
            hoisted = [arg]
            i += 1
            continue
        out.append(arg)
        i += 1
    return hoisted + out if hoisted else out


class LazyGroup(DocgenGroup):
    """The root group: commands from ``COMMANDS``, their modules imported on use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = {entry.name: entry for entry in COMMANDS}

    def list_commands(self, ctx: click.Context) -> list[str]:
        extra = [name for name in self.commands if name not in self.entries]
        return [*self.entries, *sorted(extra)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is None:
            entry = self.entries.get(cmd_name)
            found = registered_commands(entry.modules if entry else MODULES)
            command = found.get(cmd_name)
            if command is None and entry is not None:  # moved to another module?
                command = registered_commands().get(cmd_name)
            if command is None:
                return None
            self.commands[cmd_name] = command
        return click_vi.localize(command, current_lang())

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        """click's, plus the closest command names when the name is unknown ("serch")."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and not ctx.resilient_parsing \
                and self.get_command(ctx, name) is None:
            import difflib

            close = sorted(difflib.get_close_matches(name, self.list_commands(ctx), n=3))
            message = click_vi.gettext("No such command {name!r}.").format(name=name)
            if close:
                names = ", ".join(repr(c) for c in close)
                message += " " + click_vi.ngettext(
                    "Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)",
                    len(close)).format(possibility=names, possibilities=names)
            ctx.fail(message)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Every command on two lines, its use and an example; nothing cut short."""
        lang = current_lang()
        rows = [(e.name, e.about.text(lang), e.example) for e in self.entries.values()]
        for name in self.list_commands(ctx)[len(rows):]:
            command = self.commands[name]
            if not command.hidden:
                about = click_vi.first_sentence(command.help or "")
                rows.append((name, about, f"docgen {name} --help"))
        column = max(len(name) for name, _, _ in rows) + 2
        with formatter.section(_TITLE.text(lang)):
            indent = " " * formatter.current_indent
            width = max(formatter.width - formatter.current_indent - column, 30)
            for name, about, example in rows:
                lines = textwrap.wrap(about, width) or [""]
                formatter.write(f"{indent}{name:<{column}}{lines[0]}\n")
                for line in [*lines[1:], f"{_EXAMPLE.text(lang)} {example}"]:
                    formatter.write(f"{indent}{'':<{column}}{line}\n")

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """Choose the language from the command line, the environment and docgen.toml
        before anything is parsed or shown."""
        previous = current_lang()
        args = hoist_lang(list(sys.argv[1:] if args is None else args))
        set_lang(early_lang(args))
        click_vi.localize(self, current_lang(), subcommands=False)
        try:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        finally:
            set_lang(previous)


@click.group(
    "docgen",
    cls=LazyGroup,
    context_settings=CONTEXT_SETTINGS,
    help=h(
        "docgen: soạn, lưu trữ, tìm kiếm và in văn bản của chi bộ (biên bản, nghị quyết, "
        "kế hoạch, đề cương sinh hoạt chuyên đề) theo thể thức văn bản của Đảng. "
        "Xem hướng dẫn từng lệnh: docgen LỆNH --help.",
        "docgen: write, file, find and print Party cell documents (minutes, resolutions, "
        "topical plans and outlines) in the official Party format. "
        "Help on a command: docgen COMMAND --help.",
    ),
)
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None,
              help=h("Ngôn ngữ (mặc định: vi, tiếng Việt; cũng đặt được bằng DOCGEN_LANG "
                     "hoặc lang trong docgen.toml).",
                     "Language (default: vi, Vietnamese; also set by DOCGEN_LANG or lang "
                     "in docgen.toml)."))
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help=h("Tệp cấu hình docgen.toml (mặc định: ./docgen.toml nếu có).",
                     "The docgen.toml configuration file (default: ./docgen.toml if present)."))
@click.option("--archive", "archive_root", type=click.Path(path_type=Path), default=None,
              help=h("Thư mục lưu trữ (mặc định: ./archive).", "Archive folder (default: ./archive)."))
@click.version_option(package_name="docgen",
                      message=click_vi.LazyWord("%(prog)s, version %(version)s"))
@click.pass_context
def main(ctx: click.Context, lang: str | None, config_path: Path | None,
         archive_root: Path | None) -> None:
    overrides: dict[str, Any] = {"lang": lang, "config_path": config_path,
                                 "archive_root": archive_root}
    # Errors here are rendered by DocgenGroup like any other.
    ctx.obj = load_settings(overrides)
    for warning in ctx.obj.warnings:  # unknown keys in docgen.toml, a bad DOCGEN_LANG
        click.echo(warning.text(ctx.obj.lang), err=True)
    if ctx.obj.lang != current_lang():
        set_lang(ctx.obj.lang)
        command, name = ctx.command, ctx.invoked_subcommand
        if isinstance(command, click.Group) and name is not None and name in command.commands:
            click_vi.localize(command.commands[name], ctx.obj.lang)


def run() -> None:  # pragma: no cover - console entry for python -m
    sys.exit(main())
