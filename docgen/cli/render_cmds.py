"""render, kinds, schema, templates list: thin click wrappers over docgen.model/render."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from docgen.cli.common import progress, say, settings_of
from docgen.errors import BatchError, InputError
from docgen.i18n import Msg, h
from docgen.model import KINDS, load_input, load_profile
from docgen.render import BatchReport, Renderer, render_batch


def _warn(ctx: click.Context, source: Path, warnings: Iterable[Msg]) -> None:
    for warning in warnings:
        say(ctx, Msg(f"Cảnh báo ({source.name}): {warning.vi}", f"Warning ({source.name}): {warning.en}"), err=True)


def _render_one(ctx: click.Context, source: Path, out: Path | None) -> None:
    settings = settings_of(ctx)
    target = out or source.with_suffix(".docx")
    if target.is_dir():
        target = target / f"{source.stem}.docx"
    doc = load_input(source, settings)
    Renderer(settings).render_to(doc, target)
    _warn(ctx, source, doc.warnings)
    say(ctx, Msg(f"Đã tạo {target}", f"Wrote {target}"))


def _report(ctx: click.Context, report: BatchReport) -> None:
    lang = settings_of(ctx).lang
    for item in report.done:
        _warn(ctx, item.source, item.warnings)
    say(ctx, Msg(f"Đã tạo {len(report.done)}/{report.total} văn bản.",
                 f"Rendered {len(report.done)}/{report.total} documents."))
    if report.failures:
        click.echo("", err=True)
        for failure in report.failures:
            click.echo(f"✗ {failure.source}", err=True)
            click.echo(failure.error.render(lang), err=True)
        raise BatchError(Msg(f"{len(report.failures)} tệp không tạo được văn bản (xem danh sách ở trên)",
                             f"{len(report.failures)} input(s) failed (see the list above)"),
                         hint=Msg("sửa các lỗi đã liệt kê rồi chạy lại", "fix the listed problems and run again"))


def _render_many(ctx: click.Context, sources: Sequence[Path], out: Path | None) -> None:
    settings = settings_of(ctx)
    out_dir = out or sources[0].parent
    if out_dir.suffix.lower() == ".docx":
        raise InputError(Msg("nhiều tệp đầu vào thì -o phải là một thư mục", "with several inputs -o must be a folder"),
                         field="-o", hint=Msg("ví dụ: -o van-ban/", "e.g. -o documents/"))
    label = Msg("Đang tạo văn bản", "Rendering")

    def wrap(paths: Sequence[Path]) -> Iterable[Path]:
        with progress(paths, label, settings.lang, length=len(paths)) as bar:
            yield from bar

    profile = load_profile(settings.profile_path)
    profile_file = settings.profile_path.resolve()
    if profile_file in sources:  # "render examples/*.yaml" also matches the profile itself
        say(ctx, Msg(f"Bỏ qua {profile_file.name}: đây là hồ sơ chi bộ, không phải văn bản",
                     f"Skipping {profile_file.name}: it is the cell profile, not a document"), err=True)
        sources = [s for s in sources if s != profile_file]
    _report(ctx, render_batch(sources, out_dir, settings, wrap, profile))


@click.command("render", help=h(
    "Tạo văn bản .docx từ tệp đầu vào YAML/JSON. Một tệp: -o là tệp .docx; nhiều tệp: -o là thư mục "
    "(mặc định: cạnh tệp đầu vào). Tệp lỗi được bỏ qua và liệt kê ở cuối (mã thoát 10).",
    "Render .docx documents from YAML/JSON inputs. One input: -o is a .docx file; several: -o is a folder "
    "(default: next to the inputs). Bad inputs are skipped and listed at the end (exit status 10)."))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default=None,
              help=h("Tệp .docx (một đầu vào) hoặc thư mục (nhiều đầu vào).",
                     "Output .docx (one input) or folder (several inputs)."))
@click.pass_context
def render_cmd(ctx: click.Context, inputs: tuple[Path, ...], out: Path | None) -> None:
    sources = [p.resolve() for p in inputs]
    if len(sources) == 1:
        _render_one(ctx, sources[0], out)
    else:
        _render_many(ctx, sources, out)


@click.command("kinds", help=h("Liệt kê các loại văn bản và mô tả ngắn.", "List the document kinds."))
@click.pass_context
def kinds_cmd(ctx: click.Context) -> None:
    lang = settings_of(ctx).lang
    width = max(len(k) for k in KINDS)
    for name, spec in KINDS.items():
        click.echo(f"{name:<{width}}  {spec.description.text(lang)}")


@click.command("schema", help=h("In JSON Schema của một loại văn bản đầu vào.",
                                "Print the JSON Schema of an input kind."))
@click.argument("kind", type=click.Choice(list(KINDS)))
def schema_cmd(kind: str) -> None:
    click.echo(json.dumps(KINDS[kind].schema, ensure_ascii=False, indent=2))


@click.group("templates", help=h("Xem và kiểm tra các mẫu văn bản .docx.", "List and check the .docx templates."))
def templates_group() -> None:
    """The group; the authoring module adds ``check``."""


@templates_group.command("list", help=h(
    "Liệt kê mẫu của từng loại: đường dẫn, có bị thay bằng mẫu riêng trong cấu hình không, sha256 rút gọn.",
    "List each kind's template: path, whether overridden in the configuration, short sha256."))
@click.pass_context
def templates_list_cmd(ctx: click.Context) -> None:
    settings = settings_of(ctx)
    yes, no = ("có", "không") if settings.lang != "en" else ("yes", "no")
    missing = "(thiếu)" if settings.lang != "en" else "(missing)"
    for kind in KINDS:
        path = settings.template_for(kind)
        overridden = yes if kind in settings.template_overrides else no
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else missing
        click.echo(f"{kind}\t{path}\t{overridden}\t{digest}")


def register(main: click.Group) -> None:
    """Add render, kinds, schema and the templates group (with list) to main."""
    for command in (render_cmd, kinds_cmd, schema_cmd, templates_group):
        main.add_command(command)
