"""Archive commands: new, list, show, path, amend, finalize, withdraw, verify, gc,
export, import-bundle. Parse, call one library function, format the result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from docgen import app
from docgen.archive import Archive, Problem, check_id
from docgen.cli.common import echo_json, progress, say, settings_of
from docgen.config import Settings
from docgen.errors import BatchError
from docgen.i18n import Msg, h
from docgen.model.meta import ArchivedDoc, IndexHook

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _index(ctx: click.Context) -> IndexHook:
    """The search index hook: filed, amended, withdrawn and imported documents reach the
    index (it says on stderr when it waits for its turn)."""
    from docgen.search import index_hook

    return index_hook(settings_of(ctx), lambda message: say(ctx, message, err=True))


def _index_notes(ctx: click.Context, hook: IndexHook) -> None:
    """Warnings of an index that could not follow now (the filing itself succeeded)."""
    for note in hook.notes:
        say(ctx, Msg(f"Cảnh báo: {note.vi}", f"Warning: {note.en}"), err=True)


def _index_check(settings: Settings) -> Any:
    """verify's extra check: the search index (when one exists) agrees with the archive."""
    from docgen.search import check_index, index_leftovers

    def check(archive: Archive) -> list[Problem]:
        leftovers = [Problem("index-leftover", Msg(
            "thư mục còn sót sau một lần xây dựng lại chỉ mục bị gián đoạn (chạy `docgen gc` "
            "để dọn)", "leftover of an interrupted index rebuild (run `docgen gc` to remove "
            "it)"), path=path, severity="warning") for path in index_leftovers(settings)]
        return leftovers + [Problem("search-index", message, path=settings.index_path)
                            for message in check_index(settings, archive.iter_current())]

    return check


def _archive(settings: Settings) -> Archive:
    return app.archive_of(settings)


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def _lang(ctx: click.Context) -> str:
    return settings_of(ctx).lang


def _wrapper(ctx: click.Context, label: Msg) -> Any:
    def wrap(items: Sequence[Any]) -> Iterator[Any]:
        with progress(items, label, _lang(ctx), length=len(items)) as bar:
            yield from bar
    return wrap


def _doc_json(doc: ArchivedDoc, damage: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A listed document; with ``damage`` (Damage.to_json() of each problem found, possibly
    none) also ``damaged`` (true/false) and, when damaged, ``damage``."""
    data = {"id": doc.id, "version": doc.version, "status": doc.status,
            **doc.meta.to_json(), "folder": str(doc.folder), "docx": str(doc.docx_path),
            "docx_sha256": doc.docx_sha256, "created_at": doc.created_at,
            "created_by": doc.created_by}
    if damage is not None:
        data["damaged"] = bool(damage)
        if damage:
            data["damage"] = damage
    return data


def _row(doc: ArchivedDoc, damaged: bool = False) -> str:
    number = doc.meta.number_text or ("DỰ THẢO" if doc.meta.draft else "-")
    mark = " [thu hồi/withdrawn]" if doc.status == "withdrawn" else ""
    mark += " [HỎNG/damaged]" if damaged else ""
    return (f"{doc.id}  {doc.meta.date.isoformat()}  {doc.meta.kind:<20} {number:<12} "
            f"{doc.meta.title}{mark}")


def _filed(ctx: click.Context, doc: ArchivedDoc) -> None:
    number = doc.meta.number_text or ("DỰ THẢO" if doc.meta.draft else "-")
    say(ctx, Msg(f"Đã lưu {doc.id} (phiên bản {doc.version}, số {number}): {doc.docx_path}",
                 f"Filed {doc.id} (version {doc.version}, number {number}): {doc.docx_path}"))


def _filter_options(func: Any) -> Any:
    options = [
        click.option("--kind", default=None, help=h("Loại văn bản (vd. nghi-quyet).",
                                                    "Document kind (e.g. nghi-quyet).")),
        click.option("--cell", default=None, help=h("Tên chi bộ (một phần, không dấu cũng được).",
                                                    "Cell name (part of it, accents optional).")),
        click.option("--topic", default=None, help=h("Mã chủ đề (vd. vsmt).",
                                                     "Topic id (e.g. vsmt).")),
        click.option("--from", "date_from", type=DATE, default=None,
                     help=h("Từ ngày (YYYY-MM-DD).", "From date (YYYY-MM-DD).")),
        click.option("--to", "date_to", type=DATE, default=None,
                     help=h("Đến ngày (YYYY-MM-DD).", "To date (YYYY-MM-DD).")),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command("new", help=h("Soạn và lưu trữ văn bản từ tệp đầu vào (tự cấp số).",
                             "Render and file documents from input files (numbered "
                             "automatically)."))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def new_cmd(ctx: click.Context, inputs: tuple[Path, ...]) -> None:
    settings = settings_of(ctx)
    wrap = _wrapper(ctx, Msg("Đang lưu", "Filing")) if len(inputs) > 1 else None
    hook = _index(ctx)
    report = app.new_documents(settings, list(inputs), wrap, hook)
    for doc in report.filed:
        _filed(ctx, doc)
    _index_notes(ctx, hook)
    for path, warning in report.warnings:
        say(ctx, Msg(f"Cảnh báo {path}: {warning.vi}", f"Warning {path}: {warning.en}"), err=True)
    if not report.failed:
        return
    if len(inputs) == 1:
        raise report.failed[0][1]
    for path, error in report.failed:
        click.echo(f"{path}:\n{error.render(_lang(ctx))}", err=True)
    raise BatchError(Msg(f"{len(report.failed)}/{len(inputs)} tệp không lưu được",
                         f"{len(report.failed)} of {len(inputs)} inputs were not filed"),
                     hint=Msg("sửa các tệp nêu trên rồi chạy lại `docgen new` với chúng",
                              "fix the files above and run `docgen new` again on them"))


@click.command("list", help=h("Liệt kê văn bản đã lưu, mới nhất trước.",
                              "List archived documents, newest first."))
@_filter_options
@click.option("--number", default=None, help=h("Số văn bản (vd. 5 hoặc 05-NQ/CB).",
                                                "Document number (e.g. 5 or 05-NQ/CB)."))
@click.option("--all", "include_withdrawn", is_flag=True,
              help=h("Gồm cả văn bản đã thu hồi.", "Include withdrawn documents."))
@click.option("--json", "as_json", is_flag=True, help=h("In JSON.", "Print JSON."))
@click.option("--check", "full", is_flag=True, help=h(
    "Kiểm tra đầy đủ: tính sha256 mọi tệp của mỗi văn bản (mặc định: kiểm tra nhanh, "
    "chỉ tệp nào mới hơn meta.json mới được tính lại).",
    "Full check: hash every file of every document (default: a quick check that hashes "
    "only files newer than their meta.json)."))
@click.pass_context
def list_cmd(ctx: click.Context, kind: str | None, cell: str | None, topic: str | None,
             date_from: dt.datetime | None, date_to: dt.datetime | None, number: str | None,
             include_withdrawn: bool, as_json: bool, full: bool) -> None:
    from docgen.archive.integrity import list_checked

    checked = list_checked(_archive(settings_of(ctx)), kind, cell, topic, _day(date_from),
                           _day(date_to), number, include_withdrawn, full=full)
    if as_json:
        echo_json([_doc_json(doc, [d.to_json() for d in damage]) for doc, damage in checked])
        return
    for doc, damage in checked:
        click.echo(_row(doc, bool(damage)))
    damaged = [doc.id for doc, damage in checked if damage]
    say(ctx, Msg(f"{len(checked)} văn bản", f"{len(checked)} documents"), err=True)
    if damaged:
        say(ctx, Msg(f"{len(damaged)} văn bản HỎNG (tệp thiếu hoặc không khớp meta.json): "
                     f"{', '.join(damaged)} — xem `docgen show ID`, chạy `docgen verify`",
                     f"{len(damaged)} documents DAMAGED (files missing or not matching "
                     f"meta.json): {', '.join(damaged)} — see `docgen show ID`, run "
                     f"`docgen verify`"), err=True)


@click.command("show", help=h("Xem thông tin, tệp và lịch sử của một văn bản.",
                              "Show a document's metadata, files and history."))
@click.argument("doc_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help=h("In JSON.", "Print JSON."))
@click.pass_context
def show_cmd(ctx: click.Context, doc_id: str, as_json: bool) -> None:
    from docgen.archive.integrity import damage_of

    archive = _archive(settings_of(ctx))
    record = archive.record(check_id(doc_id))
    history = archive.history(doc_id)
    damage = damage_of(history[-1], record)
    if as_json:
        echo_json({**record, "folder": str(history[-1].folder),
                   "damaged": [d.to_json() for d in damage]})
        return
    for item in damage:
        say(ctx, Msg(f"HỎNG: {item.message.vi} — chạy docgen verify",
                     f"DAMAGED: {item.message.en} — run docgen verify"))
    for key in ("id", "version", "status", "kind", "number_text", "date", "title", "cell",
                "superior", "topics", "created_at", "created_by", "reason"):
        value = record.get(key)
        if value not in (None, "", []):
            click.echo(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    click.echo(f"folder: {history[-1].folder}")
    click.echo("files:")
    bad = {item.file for item in damage}
    for name, digest in record["files"].items():
        click.echo(f"  {name}  sha256:{digest}{'  [HỎNG/damaged]' if name in bad else ''}")
    click.echo("history:")
    for entry in record["versions"]:
        click.echo(f"  v{entry['version']}  {entry['event']:<9} {entry['status']:<9} "
                   f"{entry['created_at']}  {entry['created_by']}  {entry['folder']}")


@click.command("path", help=h("In đường dẫn tệp .docx của văn bản (để mở bằng Word).",
                              "Print the document's .docx path (to open it in Word)."))
@click.argument("doc_id", metavar="ID")
@click.pass_context
def path_cmd(ctx: click.Context, doc_id: str) -> None:
    click.echo(str(_archive(settings_of(ctx)).get(doc_id).docx_path))


@click.command("amend", help=h("Lưu bản sửa của văn bản (bản cũ giữ nguyên, giữ số).",
                               "File a corrected version (the old one is kept; the number "
                               "too)."))
@click.argument("doc_id", metavar="ID")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.pass_context
def amend_cmd(ctx: click.Context, doc_id: str, input_path: Path) -> None:
    hook = _index(ctx)
    _filed(ctx, app.amend_document(settings_of(ctx), check_id(doc_id), input_path, hook))
    _index_notes(ctx, hook)


@click.command("finalize", help=h("Hoàn thiện dự thảo: cấp số và lưu bản chính thức.",
                                  "Finalise a draft: assign its number and file it."))
@click.argument("doc_id", metavar="ID")
@click.pass_context
def finalize_cmd(ctx: click.Context, doc_id: str) -> None:
    hook = _index(ctx)
    _filed(ctx, app.finalize_document(settings_of(ctx), check_id(doc_id), hook))
    _index_notes(ctx, hook)


@click.command("withdraw", help=h("Thu hồi văn bản (vẫn lưu, ẩn khỏi danh sách mặc định).",
                                  "Withdraw a document (kept, hidden from default listings)."))
@click.argument("doc_id", metavar="ID")
@click.option("--reason", required=True, help=h("Lý do thu hồi.", "Reason for withdrawal."))
@click.pass_context
def withdraw_cmd(ctx: click.Context, doc_id: str, reason: str) -> None:
    hook = _index(ctx)
    doc = app.withdraw_document(settings_of(ctx), check_id(doc_id), reason, hook)
    say(ctx, Msg(f"Đã thu hồi {doc.id} (phiên bản {doc.version})",
                 f"Withdrew {doc.id} (version {doc.version})"))
    _index_notes(ctx, hook)


def _print_problems(ctx: click.Context, problems: Iterable[Problem]) -> None:
    for problem in problems:
        click.echo(problem.text(_lang(ctx)))


@click.command("verify", help=h("Kiểm tra toàn bộ kho lưu trữ (tệp, checksum, meta.json, "
                                "số văn bản, thư mục tạm).",
                                "Check the whole archive (files, checksums, meta.json, "
                                "numbers, temporary folders)."))
@click.option("--json", "as_json", is_flag=True, help=h("In JSON.", "Print JSON."))
@click.pass_context
def verify_cmd(ctx: click.Context, as_json: bool) -> None:
    settings = settings_of(ctx)
    report = _archive(settings).verify([_index_check(settings)],
                                       wrap=_wrapper(ctx, Msg("Đang kiểm tra", "Checking")))
    if as_json:
        echo_json({"checked": report.checked, "ok": report.ok,
                   "problems": [p.to_json() for p in report.problems]})
    else:
        _print_problems(ctx, report.problems)
        say(ctx, Msg(f"Đã kiểm tra {report.checked} thư mục văn bản: {len(report.errors)} lỗi, "
                     f"{len(report.warnings)} cảnh báo",
                     f"Checked {report.checked} document folders: {len(report.errors)} errors, "
                     f"{len(report.warnings)} warnings"))
    if not report.ok:
        ctx.exit(7)


@click.command("gc", help=h("Dọn thư mục/tệp tạm còn sót sau lần ghi bị gián đoạn.",
                            "Remove temporary folders left by interrupted writes."))
@click.pass_context
def gc_cmd(ctx: click.Context) -> None:
    removed = app.collect_garbage(settings_of(ctx))
    for path in removed:
        click.echo(str(path))
    say(ctx, Msg(f"Đã xóa {len(removed)} mục tạm", f"Removed {len(removed)} temporary entries"))


@click.command("export", help=h("Xuất văn bản (mọi phiên bản) ra một tệp gói.",
                                "Export documents (every version) to one bundle file."))
@_filter_options
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help=h("Tệp gói cần ghi (vd. chibo.zip).", "Bundle file to write (e.g. cell.zip)."))
@click.pass_context
def export_cmd(ctx: click.Context, kind: str | None, cell: str | None, topic: str | None,
               date_from: dt.datetime | None, date_to: dt.datetime | None, output: Path) -> None:
    out = _archive(settings_of(ctx)).export(output, kind, cell, topic, _day(date_from),
                                            _day(date_to))
    say(ctx, Msg(f"Đã ghi gói {out}", f"Wrote bundle {out}"))


@click.command("import-bundle", help=h("Nhập một gói vào kho (nhập lại không thay đổi gì; "
                                       "xung đột được báo, không ghi đè).",
                                       "Merge a bundle into the archive (idempotent; "
                                       "conflicts reported, never overwritten)."))
@click.argument("bundle", type=click.Path(path_type=Path))
@click.pass_context
def import_cmd(ctx: click.Context, bundle: Path) -> None:
    hook = _index(ctx)
    report = app.import_bundle(settings_of(ctx), bundle, hook)
    _print_problems(ctx, report.conflicts)
    _index_notes(ctx, hook)
    say(ctx, Msg(f"Đã nhập {len(report.imported)} phiên bản, {len(report.unchanged)} đã có sẵn, "
                 f"{len(report.conflicts)} xung đột",
                 f"Imported {len(report.imported)} versions, {len(report.unchanged)} already "
                 f"present, {len(report.conflicts)} conflicts"))
    if report.conflicts:
        ctx.exit(BatchError.exit_code)


COMMANDS = (new_cmd, list_cmd, show_cmd, path_cmd, amend_cmd, finalize_cmd, withdraw_cmd,
            verify_cmd, gc_cmd, export_cmd, import_cmd)


def register(main: click.Group) -> None:
    """Add the archive commands to main."""
    for command in COMMANDS:
        main.add_command(command)
