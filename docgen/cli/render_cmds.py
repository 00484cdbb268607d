"""render, kinds, schema, templates list: thin click wrappers over docgen.model/render.

Only click, docgen.i18n, docgen.cli.*, docgen.errors and docgen.vn.dates are imported
at module level (start-up time): the model and the renderer are imported by the
commands.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from docgen.cli.common import progress, say, settings_of, warn
from docgen.errors import BatchError, InputError
from docgen.i18n import Msg, h

if TYPE_CHECKING:
    from docgen.render import BatchReport


class KindType(click.ParamType):  # type: ignore[type-arg]
    """A document kind; the list of kinds is read only when it is needed (help, a value)."""

    name = "kind"

    @staticmethod
    def kinds() -> list[str]:
        from docgen.model.kinds import KINDS

        return list(KINDS)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(self.kinds()) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        kinds = self.kinds()
        if value in kinds:
            return str(value)
        self.fail(h(f"{value!r} không phải loại văn bản; chọn một trong: {', '.join(kinds)}",
                    f"{value!r} is not a document kind; choose one of: {', '.join(kinds)}"),
                  param, ctx)


def _warn(ctx: click.Context, source: Path, warnings: Iterable[Msg]) -> None:
    warn(ctx, source, warnings)


def existing_output(target: Path) -> InputError:
    """The refusal to replace ``target`` without --force (as ``docgen form`` refuses)."""
    return InputError(
        Msg(f"tệp {target} đã có, không ghi đè", f"{target} already exists, not overwritten"),
        file=str(target),
        hint=Msg("dùng --force để ghi đè hoặc chọn tên khác với -o",
                 "use --force to overwrite or choose another name with -o"))


def _render_one(ctx: click.Context, source: Path, out: Path | None, force: bool) -> None:
    from docgen.model import load_input
    from docgen.render import Renderer

    settings = settings_of(ctx)
    target = out or source.with_suffix(".docx")
    if target.is_dir():
        target = target / f"{source.stem}.docx"
    if target.exists() and not force:
        raise existing_output(target)
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


def _render_many(ctx: click.Context, sources: Sequence[Path], out: Path | None,
                 force: bool) -> None:
    from docgen.model import load_profile
    from docgen.render import BatchFailure, output_path, render_batch

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
    refused = [] if force else [s for s in sources if output_path(s, out_dir).exists()]
    todo = [s for s in sources if s not in refused]
    report = render_batch(todo, out_dir, settings, wrap, profile)
    if refused:  # each existing output is a failure of its own; the others are rendered
        report.failures.extend(BatchFailure(s, existing_output(output_path(s, out_dir)))
                               for s in refused)
        order = {source: i for i, source in enumerate(sources)}
        report.failures.sort(key=lambda failure: order.get(failure.source, len(order)))
    _report(ctx, report)


@click.command("render", help=h(
    "Tạo văn bản .docx từ tệp đầu vào YAML/JSON. Một tệp: -o là tệp .docx; nhiều tệp: -o là thư mục "
    "(mặc định: cạnh tệp đầu vào). Tệp .docx đã có không bị ghi đè nếu không có --force (nhiều tệp: "
    "tệp đó được liệt kê là lỗi). Tệp lỗi được bỏ qua và liệt kê ở cuối (mã thoát 10).",
    "Render .docx documents from YAML/JSON inputs. One input: -o is a .docx file; several: -o is a folder "
    "(default: next to the inputs). An existing .docx is not overwritten without --force (several inputs: "
    "it is listed as a failure). Bad inputs are skipped and listed at the end (exit status 10)."))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default=None,
              help=h("Tệp .docx (một đầu vào) hoặc thư mục (nhiều đầu vào).",
                     "Output .docx (one input) or folder (several inputs)."))
@click.option("--force", is_flag=True, help=h("Ghi đè tệp .docx đã có.",
                                              "Overwrite existing .docx files."))
@click.pass_context
def render_cmd(ctx: click.Context, inputs: tuple[Path, ...], out: Path | None,
               force: bool) -> None:
    sources = [p.resolve() for p in inputs]
    if len(sources) == 1:
        _render_one(ctx, sources[0], out, force)
    else:
        _render_many(ctx, sources, out, force)


@click.command("kinds", help=h("Liệt kê các loại văn bản và mô tả ngắn.", "List the document kinds."))
@click.pass_context
def kinds_cmd(ctx: click.Context) -> None:
    from docgen.model import KINDS

    lang = settings_of(ctx).lang
    header = ("Loại", "Mô tả") if lang != "en" else ("Kind", "Description")
    width = max(len(header[0]), *(len(k) for k in KINDS))
    click.echo(f"{header[0]:<{width}}  {header[1]}")
    for name, spec in KINDS.items():
        click.echo(f"{name:<{width}}  {spec.description.text(lang)}")


@click.command("schema", help=h("In JSON Schema của một loại văn bản đầu vào.",
                                "Print the JSON Schema of an input kind."))
@click.argument("kind", type=KindType())
def schema_cmd(kind: str) -> None:
    from docgen.model import KINDS

    click.echo(json.dumps(KINDS[kind].schema, ensure_ascii=False, indent=2))


@click.group("templates", help=h("Xem và kiểm tra các mẫu văn bản .docx.", "List and check the .docx templates."))
def templates_group() -> None:
    """The group; the authoring module adds ``check``."""


@templates_group.command("list", help=h(
    "Liệt kê mẫu của từng loại (cột cách nhau bằng Tab, dòng đầu là tiêu đề): loại, đường dẫn, có bị "
    "thay bằng mẫu riêng trong cấu hình không, sha256 rút gọn.",
    "List each kind's template (tab-separated, a header row first): kind, path, whether overridden in "
    "the configuration, short sha256."))
@click.pass_context
def templates_list_cmd(ctx: click.Context) -> None:
    from docgen.fsio import sha256_file
    from docgen.model import KINDS

    settings = settings_of(ctx)
    en = settings.lang == "en"
    yes, no = ("yes", "no") if en else ("có", "không")
    missing = "(missing)" if en else "(thiếu)"
    header = (["Kind", "Template", "Overridden", "sha256"] if en
              else ["Loại", "Tệp mẫu", "Mẫu riêng", "sha256"])
    click.echo("\t".join(header))
    for kind in KINDS:
        path = settings.template_for(kind)
        overridden = yes if kind in settings.template_overrides else no
        digest = sha256_file(path)[:12] if path.is_file() else missing
        click.echo(f"{kind}\t{path}\t{overridden}\t{digest}")


def register(main: click.Group) -> None:
    """Add render, kinds, schema and the templates group (with list) to main."""
    for command in (render_cmd, kinds_cmd, schema_cmd, templates_group):
        main.add_command(command)
