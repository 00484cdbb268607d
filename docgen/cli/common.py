"""Shared CLI plumbing: error rendering, progress bars, JSON output."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import PurePath
from typing import Any, TypeVar

import click

from docgen.config import Settings
from docgen.errors import DocgenError, storage_fault
from docgen.i18n import Msg, current_lang

T = TypeVar("T")

# The help of --cell and --topic, the same in every command that filters documents (the
# one rule of docgen.archive.filters; each an h() pair where used).
CELL_RULE_VI = ("các từ đã gõ phải có liền nhau trong tên chi bộ, không dấu và chữ "
                "hoa/thường tùy ý (vd. \"an thanh\" tìm được \"Chi bộ thôn An Thành\")")
CELL_RULE_EN = ("the words typed must appear in a row in the cell's name, accents and case "
                "optional (e.g. \"an thanh\" finds \"Chi bộ thôn An Thành\")")
CELL_VI = f"Chi bộ: {CELL_RULE_VI}; tên cũ ghi trong aliases.yaml cũng được."
CELL_EN = f"Cell: {CELL_RULE_EN}; an old name listed in aliases.yaml works too."
TOPIC_VI = "Chủ đề: mã, tên hoặc chữ viết tắt (VSMT)."
TOPIC_EN = "Topic: id, name or abbreviation (VSMT)."
KIND_VI = ("Loại văn bản: mã (nghi-quyet), tên (\"Nghị quyết\") hoặc ký hiệu của một loại "
           "(NQ, KH, DC).")
KIND_EN = ("Document kind: id (nghi-quyet), name (\"Nghị quyết\") or the symbol of one kind "
           "(NQ, KH, DC).")


def _lang_of(ctx: click.Context | None) -> str:
    while ctx is not None:
        if isinstance(ctx.obj, Settings):
            return ctx.obj.lang
        ctx = ctx.parent
    return current_lang()  # settings not loaded yet: the language found before parsing


class DocgenGroup(click.Group):
    """A group that turns DocgenError into a clear message and its exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DocgenError as exc:
            click.echo(exc.render(_lang_of(ctx)), err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            fault = storage_fault(exc)
            if fault is None:
                raise  # anything else is a bug: its traceback is shown
            click.echo(fault.render(_lang_of(ctx)), err=True)
            ctx.exit(fault.exit_code)


def settings_of(ctx: click.Context) -> Settings:
    obj = ctx.find_object(Settings)
    if obj is None:  # pragma: no cover - main() always sets it
        raise click.UsageError("internal: settings missing")
    return obj


def say(ctx: click.Context, message: Msg, err: bool = False) -> None:
    """Print a bilingual message in the chosen language."""
    click.echo(message.text(settings_of(ctx).lang), err=err)


def warn(ctx: click.Context, source: object, warnings: Iterable[Msg]) -> None:
    """An input's warnings on stderr, in one format for every command: "Cảnh báo (bb.yaml):
    …" / "Warning (bb.yaml): …" (a file by its name; a document by its id)."""
    shown = source.name if isinstance(source, PurePath) and source.name else str(source)
    for warning in warnings:
        say(ctx, Msg(f"Cảnh báo ({shown}): {warning.vi}", f"Warning ({shown}): {warning.en}"), err=True)


def echo_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@contextmanager
def progress(items: Iterable[T], label: Msg, lang: str, length: int | None = None) -> Iterator[Iterable[T]]:
    """A progress bar on stderr (hidden when stderr is not a terminal)."""
    from docgen.cli import click_vi

    click_vi.install(lazy=True)  # the bar's own words (days left) in the chosen language
    show = sys.stderr.isatty()
    with click.progressbar(items, length=length, label=label.text(lang), file=sys.stderr,
                           hidden=not show) as bar:
        yield bar


def text_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (combining accents take none)."""
    import unicodedata

    return sum(1 for ch in text if not unicodedata.combining(ch))


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], gap: int = 2) -> list[str]:
    """Lines of a plain-text table: the header row, then ``rows``, columns aligned (the
    last column is not padded)."""
    body = [list(row) for row in rows]
    widths = [max([text_width(h)] + [text_width(r[i]) for r in body if i < len(r)])
              for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = [cell + " " * (widths[i] - text_width(cell)) if i < len(cells) - 1 else cell
                  for i, cell in enumerate(cells)]
        return (" " * gap).join(padded).rstrip()

    return [line(list(headers)), *(line(row) for row in body)]
