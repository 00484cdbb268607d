"""``docgen extract``: write (or file) the Trích biên bản of a filed minutes.

Parse, call docgen.authoring.extract, say what was written. Only click and docgen.cli.* at
module level (start-up time).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from docgen.cli.archive_cmds import ID_EN, ID_VI, ref_options
from docgen.cli.common import say, settings_of, warn
from docgen.cli.types import DATE
from docgen.i18n import Msg, h


@click.command("extract", help=h(
    "Trích biên bản đã lưu: ghi tệp YAML của một Trích biên bản (loại trich-bien-ban, không "
    "đánh số) chép đúng số, ngày, trích yếu, thời gian, địa điểm, chủ trì, thư ký, số đảng viên "
    "của biên bản và các nội dung chọn: --item N (nội dung sinh hoạt thứ N), --speech N (ý kiến "
    "phát biểu thứ N trong phần diễn biến), --conclusion (kết luận của chủ trì), --vote N (biểu "
    "quyết thứ N); không chọn --vote thì lấy mọi biểu quyết. Số liệu chép từ biên bản, không "
    "tính lại. Xem lại tệp rồi lưu bằng `docgen new TỆP`, hoặc thêm --file để lưu ngay. ID không "
    "có, không phải biên bản, biên bản đã thu hồi hay còn dự thảo: mã thoát 6; số thứ tự ngoài "
    "phạm vi: mã thoát 2; không ghi gì. " + ID_VI
    + " Ví dụ: docgen extract 07-BB/CB --vote 1 -o trich.yaml",
    "Extract filed minutes: write the YAML of a Trích biên bản (kind trich-bien-ban, not "
    "numbered) copying the minutes' number, date, summary, time, place, chair, minute-taker and "
    "attendance and the parts chosen: --item N (agenda item N), --speech N (speech N of the "
    "proceedings), --conclusion (the chair's conclusion), --vote N (vote N); without --vote "
    "every vote is taken. The figures are copied, not recomputed. Review the file and file it "
    "with `docgen new FILE`, or add --file to file it at once. An unknown ID, a paper that is "
    "not minutes, withdrawn or draft minutes: exit status 6; a number out of range: exit "
    "status 2; nothing is written. " + ID_EN
    + " Example: docgen extract 07-BB/CB --vote 1 -o trich.yaml"))
@ref_options
@click.option("--item", "items", type=int, metavar="N", multiple=True, help=h(
    "Nội dung sinh hoạt thứ N (mục I của biên bản); ghi nhiều lần được.",
    "Agenda item N (part I of the minutes); may be repeated."))
@click.option("--speech", "speeches", type=int, metavar="N", multiple=True, help=h(
    "Ý kiến phát biểu thứ N trong phần diễn biến (mục II), theo thứ tự; ghi nhiều lần được.",
    "Speech N of the proceedings (part II), in order; may be repeated."))
@click.option("--conclusion", is_flag=True, help=h("Trích cả kết luận của chủ trì.",
                                                   "Also extract the chair's conclusion."))
@click.option("--vote", "votes", type=int, metavar="N", multiple=True, help=h(
    "Biểu quyết thứ N, theo thứ tự trong biên bản; ghi nhiều lần được (mặc định: mọi biểu quyết).",
    "Vote N, in the order of the minutes; may be repeated (default: every vote)."))
@click.option("--date", "day", type=DATE, default=None, help=h(
    "Ngày lập bản trích, vd 13/3/2026 (mặc định: hôm nay).",
    "The date of the extract, e.g. 13/3/2026 (default: today)."))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=h("Tệp YAML sẽ ghi (mặc định: trich-<số>-<ngày>-<chi bộ>.yaml trong thư mục hiện tại; "
                     "với --file mà không có -o thì không ghi tệp nào ngoài kho).",
                     "The YAML file to write (default: trich-<number>-<date>-<cell>.yaml in the current "
                     "folder; with --file and no -o no file is written outside the archive)."))
@click.option("--file", "file_now", is_flag=True, help=h(
    "Lưu bản trích vào kho ngay (như docgen new), không dừng để xem lại.",
    "File the extract in the archive at once (as docgen new does), without a review."))
@click.option("--force", is_flag=True, help=h("Ghi đè tệp YAML đã có.", "Overwrite an existing YAML file."))
@click.pass_context
def extract_cmd(ctx: click.Context, ref: str, ref_cell: str | None, items: tuple[int, ...],
                speeches: tuple[int, ...], conclusion: bool, votes: tuple[int, ...], day: dt.date | None,
                output: Path | None, file_now: bool, force: bool) -> None:
    from docgen.authoring.extract import Selection, extract_minutes, file_extract, write_extract
    from docgen.authoring.form import check_form_target

    settings = settings_of(ctx)
    if output is not None:
        check_form_target(output, force)  # before any work: nothing is read, nothing written
    selection = Selection(items=items, speeches=speeches, conclusion=conclusion, votes=votes or None)
    extract = extract_minutes(settings, ref, ref_cell, selection, day, settings.lang)
    target = output if output is not None else (None if file_now else Path(extract.name))
    src = extract.source_text
    if target is not None:
        write_extract(target, extract, force)
        say(ctx, Msg(f"Đã ghi {target}: bản trích {src.vi} ({extract.votes} biểu quyết)",
                     f"Wrote {target}: an extract of {src.en} ({extract.votes} votes)"))
    if not file_now:
        warn(ctx, target, extract.warnings)
        say(ctx, Msg(f"Xem lại rồi lưu vào kho: docgen new {target}",
                     f"Review it, then file it: docgen new {target}"), err=True)
        return
    from docgen.search import index_hook

    hook = index_hook(settings, lambda message: say(ctx, message, err=True))
    filed = file_extract(settings, extract, target, hook)
    doc = filed.doc
    say(ctx, Msg(f"Đã lưu {doc.id} (phiên bản {doc.version}, không đánh số): {doc.docx_path}",
                 f"Filed {doc.id} (version {doc.version}, not numbered): {doc.docx_path}"))
    for note in hook.notes:
        say(ctx, Msg(f"Cảnh báo: {note.vi}", f"Warning: {note.en}"), err=True)
    warn(ctx, target or doc.id, filed.warnings)


def register(main: click.Group) -> None:
    """Add ``docgen extract`` to main."""
    main.add_command(extract_cmd)
