"""Shared CLI plumbing: error rendering, progress bars, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from docgen.config import Settings
from docgen.errors import DocgenError, storage_fault
from docgen.i18n import Msg, lang_from_env

T = TypeVar("T")


def _lang_of(ctx: click.Context | None) -> str:
    while ctx is not None:
        if isinstance(ctx.obj, Settings):
            return ctx.obj.lang
        ctx = ctx.parent
    argv = sys.argv
    if "--lang" in argv:
        i = argv.index("--lang")
        if i + 1 < len(argv) and argv[i + 1] in ("vi", "en"):
            return argv[i + 1]
    return lang_from_env()


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


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@contextmanager
def progress(items: Iterable[T], label: Msg, lang: str, length: int | None = None) -> Iterator[Iterable[T]]:
    """A progress bar on stderr (hidden when stderr is not a terminal)."""
    show = sys.stderr.isatty()
    with click.progressbar(items, length=length, label=label.text(lang), file=sys.stderr,
                           hidden=not show) as bar:
        yield bar
