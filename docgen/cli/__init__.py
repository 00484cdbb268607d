"""The ``docgen`` command. click only: parse, call one library function, format.

Each area registers its commands from its own module so the areas stay apart:
render_cmds and authoring_cmds (issue 2), archive_cmds (issue 3), search_cmds (issue 4),
print_cmds (issue 5).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from docgen.cli import archive_cmds, authoring_cmds, print_cmds, render_cmds, search_cmds
from docgen.cli.common import DocgenGroup
from docgen.config import load_settings
from docgen.i18n import h

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(
    cls=DocgenGroup,
    context_settings=CONTEXT_SETTINGS,
    help=h(
        "docgen: soạn, lưu trữ, tìm kiếm và in văn bản của chi bộ (biên bản, nghị quyết, "
        "kế hoạch, đề cương sinh hoạt chuyên đề) theo thể thức văn bản của Đảng.",
        "docgen: write, file, find and print Party cell documents (minutes, resolutions, "
        "topical plans and outlines) in the official Party format.",
    ),
)
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None,
              help=h("Ngôn ngữ thông báo (mặc định: vi).", "Message language (default: vi)."))
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help=h("Tệp cấu hình docgen.toml.", "The docgen.toml configuration file."))
@click.option("--archive", "archive_root", type=click.Path(path_type=Path), default=None,
              help=h("Thư mục lưu trữ (mặc định: ./archive).", "Archive folder (default: ./archive)."))
@click.version_option(package_name="docgen")
@click.pass_context
def main(ctx: click.Context, lang: str | None, config_path: Path | None,
         archive_root: Path | None) -> None:
    overrides: dict[str, Any] = {"lang": lang, "config_path": config_path,
                                 "archive_root": archive_root}
    # Errors here are rendered by DocgenGroup like any other.
    ctx.obj = load_settings(overrides)


for _module in (render_cmds, authoring_cmds, archive_cmds, search_cmds, print_cmds):
    _module.register(main)


def run() -> None:  # pragma: no cover - console entry for python -m
    sys.exit(main())
