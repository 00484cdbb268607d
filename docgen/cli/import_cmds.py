"""``docgen import``: old papers (Word, PDF, scans; TCVN3 and VNI fonts) into the archive
(issue 13; docgen.importing)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from docgen.cli.common import echo_json, say, settings_of, table
from docgen.i18n import Msg, h
from docgen.vn.dates import vn_date

STATUS = {"planned": Msg("sẽ nhập", "to import"), "imported": Msg("đã nhập", "imported"),
          "duplicate": Msg("đã có", "duplicate"), "skipped": Msg("bỏ qua", "skipped"),
          "failed": Msg("LỖI", "FAILED")}
ENCODINGS = ("auto", "unicode", "tcvn3", "vni", "viqr")


@click.command("import", help=h(
    "Nhập giấy tờ cũ vào kho: tệp Word (.docx, .doc), .odt, .rtf, .txt, PDF và bản quét "
    "(.png, .jpg, .tif; nhận dạng chữ bằng tesseract), kể cả phông TCVN3 (.VnTime) và VNI. "
    "Thư mục được duyệt cả thư mục con. Đọc tiêu đề theo HD 36 (số, ngày, chi bộ, trích "
    "yếu); bản gốc giữ nguyên. Nhập lại cùng tệp không thay đổi gì. Mã thoát 10 khi có tệp "
    "lỗi (các tệp khác vẫn được nhập).",
    "Import old papers into the archive: Word files (.docx, .doc), .odt, .rtf, .txt, PDFs "
    "and scans (.png, .jpg, .tif; OCR with tesseract), TCVN3 (.VnTime) and VNI fonts "
    "included. Folders are walked recursively. Reads the HD 36 header (number, date, cell, "
    "title); the original is kept byte for byte. Importing the same files again changes "
    "nothing. Exit status 10 when some files failed (the others are imported)."))
@click.argument("paths", metavar="PAPERS", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--cell", default=None, help=h(
    "Chi bộ của các giấy tờ (mã trong `docgen cells list` hoặc một phần tên), khi trên giấy "
    "không ghi hoặc ghi tên khác.",
    "The cell the papers belong to (an id from `docgen cells list` or part of its name), "
    "when the paper does not say or says another name."))
@click.option("--dry-run", is_flag=True, help=h(
    "Chỉ xem sẽ nhập gì (một dòng mỗi tệp), không ghi gì vào kho.",
    "Only show what would be imported (one row per file); nothing is written."))
@click.option("--json", "as_json", is_flag=True, help=h("In JSON.", "Print JSON."))
@click.option("--metadata", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=h("Tệp CSV hoặc YAML sửa/bổ sung thông tin từng tệp (xem --write-metadata).",
                     "A CSV or YAML file correcting or completing each file's details "
                     "(see --write-metadata)."))
@click.option("--write-metadata", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=h("Ghi những gì đọc được ra tệp CSV (hoặc .yaml) để sửa rồi dùng lại "
                     "với --metadata.",
                     "Write what was found to a CSV (or .yaml) file to correct and use "
                     "again with --metadata."))
@click.option("--encoding", type=click.Choice(ENCODINGS), default="auto", show_default=True,
              help=h("Bảng mã của văn bản không có phông (PDF, .txt): auto đoán theo thống "
                     "kê; viqr chỉ dùng khi chắc chắn.",
                     "Encoding of text without fonts (PDF, .txt): auto guesses from "
                     "statistics; viqr only when sure."))
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help=h("Số luồng đọc song song (mặc định: số lõi CPU).",
                     "Parallel readers (default: the number of CPU cores)."))
@click.pass_context
def import_cmd(ctx: click.Context, paths: tuple[Path, ...], cell: str | None, dry_run: bool,
               as_json: bool, metadata: Path | None, write_metadata: Path | None,
               encoding: str, workers: int | None) -> None:
    from docgen.importing.importer import ImportOptions, exit_status, run_import
    from docgen.importing.metadata import write_metadata as write_rows

    settings = settings_of(ctx)
    lang = settings.lang
    options = ImportOptions(cell=cell, dry_run=dry_run, metadata=metadata,
                            write_metadata=write_metadata, encoding=encoding,
                            workers=workers or 0, user=settings.user)
    hook = None if dry_run else _index(ctx)
    bar: list[Any] = []

    def progress(total: int) -> Any:
        if as_json or not sys.stderr.isatty() or total < 2:
            return None
        label = Msg("Đang đọc", "Reading").text(lang)
        bar.append(click.progressbar(length=total, label=label, file=sys.stderr))
        bar[0].__enter__()
        return lambda: bar[0].update(1)

    try:
        report = run_import(settings, list(paths), options, progress, hook)
    finally:
        if bar:
            bar[0].__exit__(None, None, None)
    if write_metadata is not None:
        write_rows(report, write_metadata, lang)
    for fix in report.unmatched:
        say(ctx, Msg(f"Cảnh báo ({metadata.name if metadata else ''}, dòng {fix.line}): không có "
                     f"tệp {fix.file or fix.sha256} trong lần nhập này",
                     f"Warning ({metadata.name if metadata else ''}, line {fix.line}): no file "
                     f"{fix.file or fix.sha256} in this import"), err=True)
    if as_json:
        echo_json({"dry_run": dry_run, "files": [r.to_json(lang) for r in report.rows],
                   "summary": report.summary()})
    else:
        _print(ctx, report)
        if write_metadata is not None:
            say(ctx, Msg(f"Đã ghi {write_metadata}: sửa các cột rồi chạy lại với "
                         f"--metadata {write_metadata}",
                         f"Wrote {write_metadata}: correct the columns, then run again with "
                         f"--metadata {write_metadata}"))
    if hook is not None:
        for note in hook.notes:
            say(ctx, Msg(f"Cảnh báo: {note.vi}", f"Warning: {note.en}"), err=True)
    ctx.exit(exit_status(report))


def _index(ctx: click.Context) -> Any:
    from docgen.search import index_hook

    return index_hook(settings_of(ctx), lambda message: say(ctx, message, err=True))


def _print(ctx: click.Context, report: Any) -> None:
    settings = settings_of(ctx)
    lang = settings.lang
    en = lang == "en"
    headers = (["File", "Status", "Kind", "Number", "Date", "Cell", "Title", "Encoding",
                "OCR", "Conf."] if en else
               ["Tệp", "Kết quả", "Loại", "Số", "Ngày", "Chi bộ", "Trích yếu", "Bảng mã",
                "OCR", "Tin cậy"])
    rows = []
    for row in report.rows:
        status = STATUS[row.status].text(lang)
        if row.review and row.status in ("planned", "imported"):
            status += " (cần xem lại)" if not en else " (review)"
        read = bool(row.kind)
        rows.append([
            _tail(row.shown, 40), status, row.kind if read else "",
            row.number_text if read else "", vn_date(row.date) if read and row.date else "",
            _short(row.cell, 28) if read else "", _short(row.title, 40) if read else "",
            row.encoding, ("có" if not en else "yes") if row.ocr else "",
            f"{row.confidence:.0%}" if read else ""])
    for line in table(headers, rows):
        click.echo(line)
    details = []
    for row in report.rows:
        if row.status == "failed" and row.error is not None:
            details.append(f"  {row.shown}: {row.error.render(lang)}")
        elif row.status == "duplicate":
            details.append(f"  {row.shown}: " + (f"already in the archive ({row.duplicate_of})"
                                                 if en else f"đã có trong kho ({row.duplicate_of})"))
        elif row.review and row.status in ("planned", "imported"):
            why = "; ".join(m.text(lang) for m in row.review)
            details.append(f"  {row.shown}: " + ("review: " if en else "cần xem lại: ") + why)
    if details:
        click.echo("Chi tiết:" if not en else "Details:")
        for line in details:
            click.echo(line)
    s = report.summary()
    if report.dry_run:
        say(ctx, Msg(f"Chạy thử (không ghi gì): {s['planned']} sẽ nhập, {s['duplicates']} đã "
                     f"có, {s['review']} cần xem lại, {s['failed']} lỗi, {s['skipped']} bỏ qua",
                     f"Dry run (nothing written): {s['planned']} to import, {s['duplicates']} "
                     f"already there, {s['review']} need a review, {s['failed']} failed, "
                     f"{s['skipped']} skipped"))
    else:
        say(ctx, Msg(f"Đã nhập {s['imported']}, {s['duplicates']} đã có (bỏ qua), "
                     f"{s['review']} cần xem lại, {s['failed']} lỗi, {s['skipped']} bỏ qua",
                     f"Imported {s['imported']}, {s['duplicates']} already there (skipped), "
                     f"{s['review']} need a review, {s['failed']} failed, "
                     f"{s['skipped']} skipped"))


def _tail(path: str, width: int) -> str:
    """A long path by its end (the file's name is what tells the rows apart)."""
    return path if len(path) <= width else "…" + path[-(width - 1):]


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def register(main: click.Group) -> None:
    main.add_command(import_cmd)
