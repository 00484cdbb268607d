"""CLI commands of the printing area: ``docgen pdf`` and ``docgen print`` (issue 5).

Only click, docgen.i18n, docgen.cli.*, docgen.errors and docgen.vn.dates are imported
at module level (start-up time): docgen.printing and docgen.app are imported by the
commands.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from docgen.cli.archive_cmds import ID_EN, ID_VI, PDF_NAME_EN, PDF_NAME_VI, copied, ref_options
from docgen.cli.common import (
    CELL_EN,
    CELL_VI,
    KIND_EN,
    KIND_VI,
    TOPIC_EN,
    TOPIC_VI,
    progress,
    say,
    settings_of,
)
from docgen.cli.types import DATE, KIND, check_period
from docgen.errors import BatchError, PrintError
from docgen.i18n import Msg, current_lang, docs_en, h
from docgen.vn.dates import vn_date

if TYPE_CHECKING:
    from docgen.archive.integrity import DocxCheck
    from docgen.model.meta import ArchivedDoc
    from docgen.printing import PrintReport

ORDERS = ("date", "given")  # docgen.printing.batch.ORDERS (a test keeps them equal)


def pdf_output(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """The callback of -o of ``pdf`` and ``print``: what they write is a PDF, so its name
    ends in .pdf (any case); another name is a usage error suggesting the .pdf one."""
    if value is None or value.suffix.lower() == ".pdf":
        return value
    better = value.with_suffix(".pdf") if value.suffix else value.with_name(value.name + ".pdf")
    raise click.BadParameter(Msg(
        f"'{value}': tệp ghi ra là PDF, tên tệp phải kết thúc bằng .pdf (vd. -o {better})",
        f"'{value}': the file written is a PDF, its name must end in .pdf (e.g. -o {better})",
    ).text(current_lang()), ctx, param)


def _free_name(folder: Path, name: str) -> Path:
    """``folder / name``, or with "-2", "-3", … before ".pdf" when that is taken (a book
    written without -o never replaces a file)."""
    stem, suffix = name[: -len(".pdf")], ".pdf"
    target, n = folder / name, 1
    while target.exists() or target.is_symlink():
        n += 1
        target = folder / f"{stem}-{n}{suffix}"
    return target


def _book_target(out: Path | None, overwrite: bool, docs: list[ArchivedDoc]) -> Path:
    """Where the book goes: ``out`` (refused when it exists, unless ``overwrite``), or a
    readable name in the current folder (docgen.printing.book.book_name; -2, -3, … when
    taken, as ``docgen pdf`` names its copies)."""
    if out is None:
        from docgen.printing.book import book_name

        return _free_name(Path.cwd(), book_name([d.meta for d in docs]))
    if (out.exists() or out.is_symlink()) and not out.is_dir() and not overwrite:
        raise PrintError(
            Msg(f"tệp {out} đã có, không ghi đè", f"{out} already exists, not overwritten"),
            file=str(out),
            hint=Msg("thêm --overwrite để ghi đè, chọn tên khác với -o, hoặc bỏ -o để ghi "
                     "vào thư mục hiện tại với tên dễ đọc (không bao giờ ghi đè); --force "
                     "của lệnh print là để in cả văn bản hỏng, không phải để ghi đè",
                     "add --overwrite to replace it, choose another name with -o, or leave "
                     "-o out to write into the current folder under a readable name (never "
                     "overwriting); print's --force prints damaged documents, it does not "
                     "overwrite"))
    return out


@click.command("pdf", help=h(
    "Xuất PDF của một văn bản đã lưu và in đường dẫn (bản chuyển đổi được giữ trong kho, "
    "theo mã kiểm tra của .docx). " + PDF_NAME_VI + " " + ID_VI,
    "Write the PDF of one archived document and print its path (the conversion is kept in "
    "the archive, keyed by the .docx checksum). " + PDF_NAME_EN + " " + ID_EN))
@ref_options
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default=None,
              callback=pdf_output,
              help=h("Ghi PDF ra tệp này, tên kết thúc bằng .pdf (ghi đè nếu đã có).",
                     "Write the PDF to this file, its name ending in .pdf (replaced if it "
                     "exists)."))
@click.option("--pdfa", is_flag=True, help=h("PDF/A-2b để lưu trữ lâu dài.",
                                             "PDF/A-2b for long-term archiving."))
@click.option("--force", is_flag=True, help=h(
    "In cả văn bản có .docx không khớp meta.json (hỏng hoặc bị sửa sau khi lưu): mỗi trang "
    "được đánh dấu, không lưu vào cache; cần -o.",
    "Print a document whose .docx does not match its meta.json (damaged or changed after "
    "filing) anyway: every page is marked, nothing is cached; needs -o."))
@click.pass_context
def pdf_cmd(ctx: click.Context, ref: str, ref_cell: str | None, out: Path | None, pdfa: bool,
            force: bool) -> None:
    from docgen import app

    settings = settings_of(ctx)
    if force and out is None:
        raise click.UsageError(Msg(
            "--force cần -o TỆP.pdf (bản in không khớp không bao giờ được lưu vào cache)",
            "--force needs -o FILE.pdf (a mismatching print is never kept in the cache)",
        ).text(settings.lang))
    if out is not None:
        from docgen.printing import check_writable

        check_writable(out)
    doc = app.find_document(settings, ref, ref_cell)
    if force and out is not None:
        from docgen.printing.book import write_output
        from docgen.printing.cache import marked_pdf

        check = marked_pdf(doc, settings, lambda fill: write_output(out, fill), pdfa=pdfa)
        if check is not None:
            _warn_forced(ctx, {doc.id: check})
        click.echo(str(out))
        return
    copy = app.pdf_copy(settings, doc, out, pdfa=pdfa)
    copied(ctx, copy)
    click.echo(str(copy.path))


def _warn_forced(ctx: click.Context, forced: dict[str, DocxCheck]) -> None:
    for doc_id, check in forced.items():
        for damage in check.damage:
            say(ctx, Msg(f"Cảnh báo: đã in {doc_id} dù không khớp kiểm tra toàn vẹn (mỗi trang "
                         f"được đánh dấu, không lưu cache): {damage.message.vi}",
                         f"Warning: printed {doc_id} although it fails the integrity check "
                         f"(every page marked, not cached): {damage.message.en}"), err=True)


def _dry_run(ctx: click.Context, docs: list[ArchivedDoc], target: Path) -> None:
    """The documents that would be printed (to ``target``), tab-separated under a header
    row."""
    from docgen.printing.batch import check_documents

    lang = settings_of(ctx).lang
    checks = check_documents(docs)
    bad = [doc_id for doc_id, check in checks.items() if not check.ok]
    header = ["Mã", "Ngày", "Số", "Trích yếu"] if lang != "en" else ["ID", "Date", "Number",
                                                                       "Title"]
    click.echo("\t".join(header))
    for doc in docs:
        meta = doc.meta
        mark = "\t[HỎNG/damaged]" if doc.id in bad else ""
        click.echo(f"{doc.id}\t{vn_date(meta.date)}\t{meta.number_text or '-'}\t{meta.title}"
                   f"{mark}")
    say(ctx, Msg(f"{len(docs)} văn bản sẽ được in vào {target} (chạy thử, chưa ghi gì)",
                 f"{docs_en(len(docs))} would be printed to {target} (dry run, nothing "
                 f"written)"))
    if bad:
        say(ctx, Msg(f"{len(bad)} văn bản không khớp kiểm tra toàn vẹn, lệnh in sẽ từ chối "
                     f"(trừ khi --force): {', '.join(bad)}",
                     f"{docs_en(len(bad))} fail the integrity check; print would refuse "
                     f"(unless --force): {', '.join(bad)}"), err=True)


def _report(ctx: click.Context, report: PrintReport) -> None:
    book = report.book
    assert book is not None
    say(ctx, Msg(f"Đã ghi {book.out} ({book.pages} trang, {len(book.starts)} văn bản; "
                 f"{report.converted} chuyển mới, {report.cached} có sẵn)",
                 f"Wrote {book.out} ({book.pages} pages, {docs_en(len(book.starts))}; "
                 f"{report.converted} converted, {report.cached} cached)"))
    for doc_id, message in report.failures.items():
        say(ctx, Msg(f"  thiếu {doc_id}: {message.vi}", f"  missing {doc_id}: {message.en}"), err=True)
    _warn_forced(ctx, report.forced)


def _incomplete(report: PrintReport, printer: str | None) -> BatchError:
    note = Msg("; không gửi máy in", "; not sent to the printer") if printer else Msg("", "")
    ids = ", ".join(report.failures)
    return BatchError(
        Msg(f"sổ in thiếu {len(report.failures)} văn bản ({ids}){note.vi}",
            f"the book lacks {docs_en(len(report.failures))} ({ids}){note.en}"),
        hint=Msg("sửa các văn bản bị lỗi (xem trên) rồi chạy lại lệnh in",
                 "fix the failed documents (see above) and run print again"))


def _resolved(ctx: click.Context, refs: tuple[str, ...], cell: str | None) -> tuple[str, ...]:
    """The ids the given refs name (ids, prefixes or paper numbers; see ID_HELP)."""
    if not refs:
        return ()
    from docgen import app

    archive = app.archive_of(settings_of(ctx))
    try:
        return tuple(archive.resolve(ref, cell) for ref in refs)
    finally:
        archive.close()


@click.command("print", help=h(
    "In nhiều văn bản thành một sổ PDF: bìa, mục lục, dấu trang, số trang; chọn theo mã "
    "(hoặc số như trên giấy, 05-NQ/CB) hoặc theo bộ lọc như khi tìm kiếm.",
    "Print many documents into one PDF book: cover, contents, bookmarks, page numbers; "
    "select by ids (or numbers as on paper, 05-NQ/CB) or by the same filters as search."))
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--kind", "kinds", type=KIND, multiple=True,
              help=h(KIND_VI + " Lặp lại để lấy nhiều loại.",
                     KIND_EN + " Repeat for several kinds."))
@click.option("--cell", default=None, help=h(CELL_VI, CELL_EN))
@click.option("--topic", default=None, help=h(TOPIC_VI, TOPIC_EN))
@click.option("--from", "date_from", type=DATE, default=None, callback=check_period,
              help=h("Từ ngày (vd. 1/1/2026).", "From date (e.g. 1/1/2026)."))
@click.option("--to", "date_to", type=DATE, default=None, callback=check_period,
              help=h("Đến ngày (vd. 31/3/2026).", "To date (e.g. 31/3/2026)."))
@click.option("--query", "-q", default=None, help=h("Câu tìm kiếm.", "Search query."))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default=None,
              callback=pdf_output, help=h(
                  "Tệp sổ PDF cần ghi (tên kết thúc bằng .pdf; đã có thì không ghi đè trừ khi "
                  "--overwrite). Không có -o: ghi vào thư mục hiện tại với tên dễ đọc, vd. "
                  "SO-NQ-2026-01-05-den-2026-03-20-an-thanh.pdf (đã có thì thêm -2, -3, …).",
                  "The book PDF to write (its name ending in .pdf; an existing file is not "
                  "replaced without --overwrite). Without -o: written into the current folder "
                  "under a readable name, e.g. SO-NQ-2026-01-05-den-2026-03-20-an-thanh.pdf "
                  "(-2, -3, … when taken)."))
@click.option("--overwrite", is_flag=True, help=h("Ghi đè tệp -o đã có.",
                                                  "Replace the -o file if it exists."))
@click.option("--cover/--no-cover", default=True, help=h("Có trang bìa (mặc định: có).",
                                                         "Add a cover page (default: yes)."))
@click.option("--duplex", is_flag=True, help=h("In hai mặt: mỗi văn bản bắt đầu ở trang lẻ.",
                                               "Two-sided: each document starts on an odd page."))
@click.option("--order", type=click.Choice(ORDERS), default="date",
              help=h("Thứ tự: date (theo ngày) hoặc given (theo mã đã cho).",
                     "Order: date (chronological) or given (as the ids were given)."))
@click.option("--dry-run", is_flag=True, help=h("Chỉ liệt kê văn bản sẽ in.",
                                                "Only list what would be printed."))
@click.option("--printer", default=None, help=h("Gửi sổ tới máy in CUPS này (lp).",
                                                "Send the book to this CUPS printer (lp)."))
@click.option("--pdfa", is_flag=True, help=h("Chuyển từng văn bản sang PDF/A-2b.",
                                             "Convert each document as PDF/A-2b."))
@click.option("--force", is_flag=True, help=h(
    "In cả văn bản có .docx không khớp meta.json: chúng được đánh dấu trên mỗi trang, không "
    "lưu vào cache và được liệt kê ở stderr (mặc định: từ chối cả sổ, mã thoát 7).",
    "Include documents whose .docx does not match meta.json: marked on every page, not "
    "cached, listed on stderr (default: the whole book is refused, exit status 7)."))
@click.pass_context
def print_cmd(ctx: click.Context, ids: tuple[str, ...], kinds: tuple[str, ...], cell: str | None,
              topic: str | None, date_from: dt.date | None, date_to: dt.date | None,
              query: str | None, out: Path | None, overwrite: bool, cover: bool, duplex: bool,
              order: str, dry_run: bool, printer: str | None, pdfa: bool, force: bool) -> None:
    from docgen.printing import Selection, print_book, select_documents
    from docgen.printing.batch import ordered, require_documents

    settings = settings_of(ctx)
    sel = Selection(ids=_resolved(ctx, ids, cell), kinds=kinds, cell=cell, topic=topic,
                    date_from=date_from, date_to=date_to, query=query)
    docs = ordered(select_documents(settings, sel), order)
    require_documents(docs)
    out = _book_target(out, overwrite, docs)
    if dry_run:
        _dry_run(ctx, docs, out)
        return
    label = Msg("Đang chuyển sang PDF", "Converting to PDF")
    with progress(docs, label, settings.lang, length=len(docs)) as bar:
        ticks = iter(bar)
        report = print_book(docs, settings, out, cover=cover, duplex=duplex, order=order,
                            pdfa=pdfa, progress=lambda _id: next(ticks, None), force=force)
    _report(ctx, report)
    if not report.complete:
        raise _incomplete(report, printer)
    if printer:
        from docgen.printing import send_to_printer

        job = send_to_printer(out, printer)
        say(ctx, Msg(f"Đã gửi tới máy in {printer}: lệnh in {job}", f"Sent to printer {printer}: job {job}"))


def register(main: click.Group) -> None:
    """Add this area's commands to main."""
    main.add_command(pdf_cmd)
    main.add_command(print_cmd)
