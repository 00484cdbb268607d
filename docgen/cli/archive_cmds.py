"""Archive commands: new, list, show, path, open, amend, finalize, withdraw, verify, gc,
export, import-bundle. Parse, call one library function, format the result.

Only click, docgen.i18n, docgen.cli.*, docgen.errors and docgen.vn.dates are imported
at module level (start-up time): the archive, the model and docgen.app are imported by
the commands that use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from docgen.cli.common import (
    CELL_EN,
    CELL_RULE_EN,
    CELL_RULE_VI,
    CELL_VI,
    KIND_EN,
    KIND_VI,
    TOPIC_EN,
    TOPIC_VI,
    echo_json,
    progress,
    say,
    settings_of,
    warn,
)
from docgen.cli.types import DATE, KIND, check_period
from docgen.errors import BatchError, ExitStatus, IntegrityError
from docgen.i18n import Msg, docs_en, h
from docgen.vn.dates import vn_date, vn_local_time

if TYPE_CHECKING:
    from docgen.app import PdfCopy
    from docgen.archive import Archive, Problem
    from docgen.config import Settings
    from docgen.model.meta import ArchivedDoc, IndexHook

# What ID may be, appended to the help of every command taking one (inside one h() call:
# docgen.i18n pairs whole help texts to switch their language).
ID_VI = ("ID là mã văn bản (cột Mã của `docgen list`), vài ký tự đầu của mã (ít nhất 4), "
         "hoặc số văn bản như trên giấy (05-NQ/CB; thêm --cell khi nhiều chi bộ cùng có số "
         "đó).")
ID_EN = ("ID is the document's id (the ID column of `docgen list`), its first few "
         "characters (at least 4), or its number as on paper (05-NQ/CB; add --cell when "
         "several cells share it).")

# How ``docgen pdf`` (and ``open --pdf``) names the copy it writes (docgen.app.pdf_copy).
PDF_NAME_VI = (
    "Không có -o: chép PDF vào thư mục hiện tại với tên dễ đọc, không dấu: "
    "<loại>-<số>-<năm-tháng-ngày>-<chi bộ>.pdf, ví dụ NQ-05-2026-03-10-an-thanh.pdf "
    "(dự thảo: NQ-du-thao-…; đề cương không có số: DC-2026-…; --pdfa thêm -pdfa). Không "
    "bao giờ ghi đè: đã có tệp giống hệt thì dùng lại, có tệp khác cùng tên thì thêm -2, "
    "-3, … vào tên.")
PDF_NAME_EN = (
    "Without -o: the PDF is copied into the current folder under a readable ASCII name: "
    "<kind>-<number>-<year-month-day>-<cell>.pdf, e.g. NQ-05-2026-03-10-an-thanh.pdf (a "
    "draft: NQ-du-thao-…; an outline has no number: DC-2026-…; --pdfa adds -pdfa). Never "
    "overwritten: an identical file of that name is reused, a different one makes the "
    "name end in -2, -3, …")

DAMAGED_MARK = " [HỎNG/damaged]"


def ref_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The ID argument and the --cell option of every command that takes one document."""
    func = click.option("--cell", "ref_cell", default=None, help=h(
        f"Chi bộ của văn bản, khi ID là một số mà nhiều chi bộ cùng có: {CELL_RULE_VI}.",
        f"The document's cell, when ID is a number that several cells share: "
        f"{CELL_RULE_EN}."))(func)
    return click.argument("ref", metavar="ID")(func)


def resolve(ctx: click.Context, ref: str, cell: str | None) -> str:
    """The id ``ref`` names (docgen.app.resolve_id: an id, a prefix or a paper number)."""
    from docgen import app

    return app.resolve_id(settings_of(ctx), ref, cell)


def copied(ctx: click.Context, copy: PdfCopy) -> None:
    """Say on stderr when a PDF's readable name was taken by another file."""
    if copy.taken is not None:
        say(ctx, Msg(f"{copy.taken.name} đã có (nội dung khác, không ghi đè): ghi thành "
                     f"{copy.path.name}",
                     f"{copy.taken.name} already exists (different content, not "
                     f"overwritten): wrote {copy.path.name}"), err=True)


def _index(ctx: click.Context) -> IndexHook:
    """The search index hook: filed, amended, withdrawn and imported documents reach the
    index (it says on stderr when it waits for its turn)."""
    from docgen.search import index_hook

    return index_hook(settings_of(ctx), lambda message: say(ctx, message, err=True))


def _index_notes(ctx: click.Context, hook: IndexHook) -> None:
    """Warnings of an index that could not follow now (the filing itself succeeded)."""
    for note in hook.notes:
        say(ctx, Msg(f"Cảnh báo: {note.vi}", f"Warning: {note.en}"), err=True)


def _warn(ctx: click.Context, source: object, warnings: Iterable[Msg]) -> None:
    """The input's warnings (DocumentInput.warnings: a short meeting, a date before the
    committee term, …) on stderr."""
    warn(ctx, source, warnings)


def _index_check(settings: Settings) -> Any:
    """verify's extra check: the search index (when one exists) agrees with the archive."""
    from docgen.archive import Problem
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
    from docgen import app

    return app.archive_of(settings)


def _lang(ctx: click.Context) -> str:
    return settings_of(ctx).lang


def _pick(ctx: click.Context, vi: str, en: str) -> str:
    return en if _lang(ctx) == "en" else vi


def _wrapper(ctx: click.Context, label: Msg) -> Any:
    def wrap(items: Sequence[Any]) -> Iterator[Any]:
        with progress(items, label, _lang(ctx), length=len(items)) as bar:
            yield from bar
    return wrap


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Aligned columns under a header row (two spaces apart; the last column unpadded)."""
    rows = [list(row) for row in rows]
    widths = [max([len(headers[i]), *(len(row[i]) for row in rows)])
              for i in range(len(headers) - 1)]

    def line(cells: Sequence[str]) -> str:
        padded = [cell.ljust(width) for cell, width in zip(cells, widths, strict=False)]
        return "  ".join([*padded, cells[-1]]).rstrip()

    return [line(headers), *(line(row) for row in rows)]


def _who(user: object) -> str:
    from docgen.config import UNKNOWN_USER

    return "-" if user in (None, "", UNKNOWN_USER) else str(user)




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


def _number(ctx: click.Context, number_text: str, draft: bool) -> str:
    return number_text or (_pick(ctx, "DỰ THẢO", "DRAFT") if draft else "-")


def _row(ctx: click.Context, doc: ArchivedDoc, damaged: bool = False) -> list[str]:
    meta = doc.meta
    mark = _pick(ctx, " [đã thu hồi]", " [withdrawn]") if doc.status == "withdrawn" else ""
    mark += DAMAGED_MARK if damaged else ""
    return [_number(ctx, meta.number_text, meta.draft), vn_date(meta.date), meta.kind,
            meta.cell, doc.id, meta.title + mark]


def _filed(ctx: click.Context, doc: ArchivedDoc) -> None:
    number = _number(ctx, doc.meta.number_text, doc.meta.draft)
    vi, en = f"số {number}", f"number {number}"
    if not doc.meta.numbered:  # an outline: as `show` says it
        draft = doc.meta.draft
        vi, en = "không đánh số" + (", dự thảo" if draft else ""), "not numbered" + (
            ", draft" if draft else "")
    say(ctx, Msg(f"Đã lưu {doc.id} (phiên bản {doc.version}, {vi}): {doc.docx_path}",
                 f"Filed {doc.id} (version {doc.version}, {en}): {doc.docx_path}"))


def _filter_options(func: Any) -> Any:
    options = [
        click.option("--kind", type=KIND, default=None, help=h(KIND_VI, KIND_EN)),
        click.option("--cell", default=None, help=h(CELL_VI, CELL_EN)),
        click.option("--topic", default=None, help=h(TOPIC_VI, TOPIC_EN)),
        click.option("--from", "date_from", type=DATE, default=None, callback=check_period,
                     help=h("Từ ngày (vd. 1/1/2026).", "From date (e.g. 1/1/2026).")),
        click.option("--to", "date_to", type=DATE, default=None, callback=check_period,
                     help=h("Đến ngày (vd. 31/3/2026).", "To date (e.g. 31/3/2026).")),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command("new", help=h(
    "Soạn và lưu trữ văn bản từ tệp đầu vào (tự cấp số). Cảnh báo của tệp đầu vào (cuộc "
    "họp quá ngắn, ngày trước nhiệm kỳ, …) in ra stderr.",
    "Render and file documents from input files (numbered automatically). The inputs' "
    "warnings (a short meeting, a date before the term, …) go to stderr."))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def new_cmd(ctx: click.Context, inputs: tuple[Path, ...]) -> None:
    from docgen import app

    settings = settings_of(ctx)
    wrap = _wrapper(ctx, Msg("Đang lưu", "Filing")) if len(inputs) > 1 else None
    hook = _index(ctx)
    report = app.new_documents(settings, list(inputs), wrap, hook)
    for doc in report.filed:
        _filed(ctx, doc)
    _index_notes(ctx, hook)
    for path, warning in report.warnings:
        _warn(ctx, path, [warning])
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


@click.command("list", help=h(
    "Liệt kê văn bản đã lưu, mới nhất trước: số, ngày, loại, chi bộ, mã, trích yếu.",
    "List archived documents, newest first: number, date, kind, cell, id, title."))
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
             date_from: dt.date | None, date_to: dt.date | None, number: str | None,
             include_withdrawn: bool, as_json: bool, full: bool) -> None:
    from docgen.archive.filters import DocFilter
    from docgen.archive.integrity import list_checked

    settings = settings_of(ctx)
    filt = DocFilter(kind=kind, cell=cell, topic=topic, date_from=date_from, date_to=date_to,
                     number=number, include_withdrawn=include_withdrawn).using(settings)
    archive = _archive(settings)
    try:
        checked = list_checked(archive, filt=filt, full=full)
    finally:
        archive.close()
    if as_json:
        echo_json([_doc_json(doc, [d.to_json() for d in damage]) for doc, damage in checked])
        return
    if checked:
        headers = (["Số", "Ngày", "Loại", "Chi bộ", "Mã", "Trích yếu"] if _lang(ctx) != "en"
                   else ["Number", "Date", "Kind", "Cell", "ID", "Title"])
        for line in table(headers, [_row(ctx, doc, bool(damage)) for doc, damage in checked]):
            click.echo(line)
    damaged = [doc.id for doc, damage in checked if damage]
    say(ctx, Msg(f"{len(checked)} văn bản", docs_en(len(checked))), err=True)
    if damaged:
        say(ctx, Msg(f"{len(damaged)} văn bản HỎNG (tệp thiếu hoặc không khớp meta.json): "
                     f"{', '.join(damaged)} — xem `docgen show ID`, chạy `docgen verify`",
                     f"{docs_en(len(damaged))} DAMAGED (files missing or not matching "
                     f"meta.json): {', '.join(damaged)} — see `docgen show ID`, run "
                     f"`docgen verify`"), err=True)


_EVENTS = {"new": ("lập mới", "filed"), "amend": ("sửa", "amended"),
           "finalize": ("hoàn thiện, cấp số", "finalised"),
           "withdraw": ("thu hồi", "withdrawn"), "import": ("nhập", "imported"),
           "import-paper": ("nhập từ giấy tờ cũ", "imported from an old paper")}


def _kind_label(kind: str, lang: str) -> str:
    from docgen.kinds import label_of

    return label_of(kind).text(lang)


def _topic_labels(topics: Sequence[str]) -> list[str]:
    """"vsmt — Vệ sinh môi trường; …" for each topic (its id alone when unknown)."""
    from docgen.topics import topic_by_id

    labels = []
    for topic_id in topics:
        topic = topic_by_id(topic_id)
        labels.append(f"{topic_id} — {topic.label}" if topic is not None else topic_id)
    return labels


def _summary(ctx: click.Context, record: dict[str, Any], folder: Path) -> list[str]:
    """The Vietnamese (or English) summary of ``show``: label: value lines."""
    en = _lang(ctx) == "en"
    meta_date = dt.date.fromisoformat(record["date"])
    if record.get("numbered", True):
        number = record.get("number_text") or _pick(ctx, "DỰ THẢO (chưa có số)",
                                                    "DRAFT (not numbered yet)")
    else:
        number = _pick(ctx, "không đánh số", "not numbered")
        if record.get("draft"):
            number += _pick(ctx, " (dự thảo)", " (draft)")
    version = record["version"]
    if record.get("status") == "withdrawn":
        status = _pick(ctx, f"đã thu hồi (phiên bản {version})",
                       f"withdrawn (version {version})")
        if record.get("reason"):
            status += _pick(ctx, f" — lý do: {record['reason']}", f" — reason: {record['reason']}")
    else:
        status = _pick(ctx, f"hiện hành (phiên bản {version})", f"current (version {version})")
    cell = record.get("cell", "")
    if record.get("superior"):
        cell += f" ({record['superior']})"
    filed = vn_local_time(str(record.get("created_at", "")))
    if _who(record.get("created_by")) != "-":
        filed += f", {record['created_by']}"
    fields = [
        (_pick(ctx, "Số", "Number"), number),
        (_pick(ctx, "Ngày", "Date"), vn_date(meta_date)),
        (_pick(ctx, "Chi bộ", "Cell"), cell),
        (_pick(ctx, "Trích yếu", "Title"), record.get("title", "")),
        (_pick(ctx, "Tình trạng", "Status"), status),
        (_pick(ctx, "Chủ đề", "Topics"), "\n".join(_topic_labels(record.get("topics") or []))),
        (_pick(ctx, "Mã", "ID"), record["id"]),
        (_pick(ctx, "Lưu lúc", "Filed"), filed),
        (_pick(ctx, "Thư mục", "Folder"), str(folder)),
    ]
    imported = record.get("imported")
    if isinstance(imported, dict):
        fields.append((_pick(ctx, "Nhập từ", "Imported from"), _provenance(ctx, imported)))
    width = max(len(label) for label, _ in fields) + 1
    lines = [_kind_label(record["kind"], "en" if en else "vi") + f" ({record['kind']})"]
    for label, value in fields:
        first, *more = value.splitlines() or [""]
        if first:
            lines.append(f"  {label + ':':<{width}}  {first}")
            lines.extend(f"  {'':<{width}}  {line}" for line in more)
    return lines


def _provenance(ctx: click.Context, imported: dict[str, Any]) -> str:
    """Where an imported paper came from and how it was read, one line each."""
    original = imported.get("original") or {}
    lines = [f"{original.get('name', '')} ({original.get('path', '')})"]
    how = [_pick(ctx, "bảng mã ", "encoding ") + str(imported.get("encoding", ""))]
    ocr = imported.get("ocr")
    if isinstance(ocr, dict):
        how.append(f"OCR {ocr.get('engine', '')} ({ocr.get('lang', '')}, "
                   f"{ocr.get('dpi', '')} dpi)")
    confidence = imported.get("confidence")
    if isinstance(confidence, int | float):
        how.append(_pick(ctx, f"độ tin cậy {confidence:.0%}", f"confidence {confidence:.0%}"))
    lines.append(", ".join(how))
    lang = _lang(ctx)
    for reason in imported.get("review") or []:
        if isinstance(reason, dict):
            lines.append(_pick(ctx, "cần xem lại: ", "review: ") + str(reason.get(lang, "")))
    return "\n".join(lines)


def _versions(ctx: click.Context, record: dict[str, Any]) -> list[str]:
    """The versions table: each marked current, superseded or withdrawn."""
    entries = record.get("versions") or []
    rows = []
    for i, entry in enumerate(entries):
        if i < len(entries) - 1:
            state = _pick(ctx, "đã thay thế", "superseded")
        elif record.get("status") == "withdrawn":
            state = _pick(ctx, "đã thu hồi", "withdrawn")
        else:
            state = _pick(ctx, "hiện hành", "current")
        vi, en = _EVENTS.get(str(entry.get("event")), (str(entry.get("event")),) * 2)
        rows.append([f"v{entry['version']}", en if _lang(ctx) == "en" else vi, state,
                     vn_local_time(str(entry.get("created_at", ""))),
                     _who(entry.get("created_by")), str(entry.get("folder", ""))])
    headers = (["Phiên bản", "Sự kiện", "Tình trạng", "Lưu lúc", "Người lưu", "Thư mục"]
               if _lang(ctx) != "en" else ["Version", "Event", "Status", "Filed", "By",
                                           "Folder"])
    return table(headers, rows)


@click.command("show", help=h(
    "Xem một văn bản: loại, số, ngày, chi bộ, trích yếu, tình trạng, chủ đề, tệp và các "
    "phiên bản (hiện hành / đã thay thế). " + ID_VI,
    "Show one document: kind, number, date, cell, title, status, topics, files and its "
    "versions (current / superseded). " + ID_EN))
@ref_options
@click.option("--json", "as_json", is_flag=True, help=h("In JSON.", "Print JSON."))
@click.option("--text", "as_text", is_flag=True, help=h(
    "In nội dung chữ của văn bản (với giấy tờ cũ đã nhập: chữ đọc được từ bản gốc).",
    "Print the document's plain text (for an imported old paper: the text recovered "
    "from the original)."))
@click.pass_context
def show_cmd(ctx: click.Context, ref: str, ref_cell: str | None, as_json: bool,
             as_text: bool) -> None:
    from docgen.archive.integrity import damage_of

    archive = _archive(settings_of(ctx))
    try:
        doc_id = archive.resolve(ref, ref_cell)
        record = archive.record(doc_id)
        history = archive.history(doc_id)
        text = archive.with_text(history[-1]).text if as_text else ""
    finally:
        archive.close()
    if as_text:
        click.echo(text.rstrip("\n"))
        return
    damage = damage_of(history[-1], record)
    if as_json:
        echo_json({**record, "folder": str(history[-1].folder),
                   "damaged": [d.to_json() for d in damage]})
        return
    for item in damage:
        say(ctx, Msg(f"HỎNG: {item.message.vi} — chạy docgen verify",
                     f"DAMAGED: {item.message.en} — run docgen verify"))
    for line in _summary(ctx, record, history[-1].folder):
        click.echo(line)
    click.echo(_pick(ctx, "Tệp:", "Files:"))
    bad = {item.file for item in damage}
    for name, digest in record["files"].items():
        click.echo(f"  {name}  sha256:{digest}{' ' + DAMAGED_MARK if name in bad else ''}")
    click.echo(_pick(ctx, "Các phiên bản:", "Versions:"))
    for line in _versions(ctx, record):
        click.echo("  " + line)


@click.command("path", help=h("In đường dẫn tệp .docx của văn bản (để mở bằng Word; "
                              "hoặc dùng `docgen open ID`). " + ID_VI,
                              "Print the document's .docx path (to open it in Word; or use "
                              "`docgen open ID`). " + ID_EN))
@ref_options
@click.pass_context
def path_cmd(ctx: click.Context, ref: str, ref_cell: str | None) -> None:
    from docgen import app

    click.echo(str(app.find_document(settings_of(ctx), ref, ref_cell).docx_path))


@click.command("amend", help=h(
    "Lưu bản sửa của văn bản (bản cũ giữ nguyên, giữ số). Văn bản đã có số không thể sửa "
    "thành dự thảo. " + ID_VI,
    "File a corrected version (the old one is kept; the number too). A numbered document "
    "cannot become a draft. " + ID_EN))
@ref_options
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.pass_context
def amend_cmd(ctx: click.Context, ref: str, ref_cell: str | None, input_path: Path) -> None:
    from docgen import app

    doc_id = resolve(ctx, ref, ref_cell)
    hook = _index(ctx)
    warnings: list[Msg] = []
    _filed(ctx, app.amend_document(settings_of(ctx), doc_id, input_path, hook, warnings))
    _index_notes(ctx, hook)
    _warn(ctx, input_path, warnings)


@click.command("finalize", help=h("Hoàn thiện dự thảo: cấp số và lưu bản chính thức. "
                                  + ID_VI,
                                  "Finalise a draft: assign its number and file it. "
                                  + ID_EN))
@ref_options
@click.pass_context
def finalize_cmd(ctx: click.Context, ref: str, ref_cell: str | None) -> None:
    from docgen import app

    doc_id = resolve(ctx, ref, ref_cell)
    hook = _index(ctx)
    warnings: list[Msg] = []
    _filed(ctx, app.finalize_document(settings_of(ctx), doc_id, hook, warnings))
    _index_notes(ctx, hook)
    _warn(ctx, doc_id, warnings)


@click.command("withdraw", help=h("Thu hồi văn bản (vẫn lưu, ẩn khỏi danh sách mặc định). "
                                  + ID_VI,
                                  "Withdraw a document (kept, hidden from default listings). "
                                  + ID_EN))
@ref_options
@click.option("--reason", required=True, help=h("Lý do thu hồi.", "Reason for withdrawal."))
@click.pass_context
def withdraw_cmd(ctx: click.Context, ref: str, ref_cell: str | None, reason: str) -> None:
    from docgen import app

    doc_id = resolve(ctx, ref, ref_cell)
    hook = _index(ctx)
    doc = app.withdraw_document(settings_of(ctx), doc_id, reason, hook)
    say(ctx, Msg(f"Đã thu hồi {doc.id} (phiên bản {doc.version})",
                 f"Withdrew {doc.id} (version {doc.version})"))
    _index_notes(ctx, hook)


@click.command("open", help=h(
    "Mở bản sao chỉ đọc của tệp .docx của văn bản (hoặc bản PDF với --pdf) bằng chương "
    "trình mặc định của máy: xdg-open trên Linux, open trên macOS, chương trình gắn với "
    "loại tệp trên Windows; biến môi trường DOCGEN_OPEN chọn chương trình khác (đường dẫn "
    "tệp được thêm vào cuối). Bản sao nằm trong thư mục docgen-open của riêng người dùng "
    "trong thư mục tạm của hệ thống, tên dễ đọc như của `docgen pdf` (phiên bản sau thêm "
    "-v2, -v3, …); bản lưu trong kho không bao giờ bị mở nên không thể bị lưu đè. Muốn sửa "
    "văn bản: sửa tệp đầu vào rồi chạy `docgen amend`. Không có chương trình nào mở được: "
    "mã thoát 5. " + ID_VI,
    "Open a read-only copy of the document's .docx (or of its PDF with --pdf) with the "
    "computer's default program: xdg-open on Linux, open on macOS, the program of that "
    "file type on Windows; the environment variable DOCGEN_OPEN names another program (the "
    "file's path is appended). The copy is in the user's own docgen-open folder in the "
    "system's temporary folder, under a readable name as `docgen pdf` gives (a later "
    "version adds -v2, -v3, …); the archived file itself is never opened, so it cannot be "
    "saved over. To correct the document, edit its input and run `docgen amend`. No "
    "program can open it: exit status 5. " + ID_EN))
@ref_options
@click.option("--pdf", "as_pdf", is_flag=True, help=h(
    "Mở bản PDF (chuyển đổi như lệnh `docgen pdf`, hoặc lấy từ bộ nhớ đệm của kho).",
    "Open the PDF (converted as `docgen pdf` converts it, or taken from the archive's "
    "cache)."))
@click.pass_context
def open_cmd(ctx: click.Context, ref: str, ref_cell: str | None, as_pdf: bool) -> None:
    from docgen import app

    settings = settings_of(ctx)
    doc = app.find_document(settings, ref, ref_cell)
    app.opener()  # no program to open it with: said before a copy (or a PDF) is made
    copy = app.open_copy(settings, doc, pdf=as_pdf)
    copied(ctx, copy)
    app.open_file(copy.path)
    click.echo(str(copy.path))
    say(ctx, Msg(f"Đã mở bản sao chỉ đọc {copy.path} (bản lưu trong kho giữ nguyên). Muốn "
                 f"sửa văn bản: sửa tệp đầu vào rồi chạy `docgen amend {doc.id} TỆP.yaml`",
                 f"Opened a read-only copy, {copy.path} (the archived file is untouched). To "
                 f"correct the document, edit its input and run `docgen amend {doc.id} "
                 f"FILE.yaml`"), err=True)


def _print_problems(ctx: click.Context, problems: Sequence[Problem]) -> None:
    """One line per problem, "[mức] văn bản đường dẫn: vấn đề", under a header line."""
    if not problems:
        return
    click.echo(_pick(ctx, "[Mức] Văn bản, đường dẫn: vấn đề", "[Level] Document, path: problem"))
    for problem in problems:
        click.echo(problem.text(_lang(ctx)))


@click.command("verify", help=h("Kiểm tra toàn bộ kho lưu trữ (tệp, checksum, meta.json, "
                                "số văn bản, thư mục tạm). Có lỗi: mã thoát 7.",
                                "Check the whole archive (files, checksums, meta.json, "
                                "numbers, temporary folders). Errors found: exit status 7."))
@click.option("--json", "as_json", is_flag=True, help=h("In JSON.", "Print JSON."))
@click.pass_context
def verify_cmd(ctx: click.Context, as_json: bool) -> None:
    settings = settings_of(ctx)
    from docgen.archive.sitting import sitting_check

    report = _archive(settings).verify([_index_check(settings), sitting_check(settings)],
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
        raise IntegrityError(
            Msg(f"kho lưu trữ có {len(report.errors)} lỗi toàn vẹn (xem danh sách "
                f"{'JSON' if as_json else 'ở trên'})",
                f"the archive has {len(report.errors)} integrity errors (see the "
                f"{'JSON' if as_json else 'list above'})"),
            hint=Msg("khôi phục các tệp hỏng hoặc thiếu từ bản sao lưu (docs/archive.md); "
                     "thư mục tạm còn sót thì dọn bằng `docgen gc`",
                     "restore the damaged or missing files from a backup (docs/archive.md); "
                     "remove leftover temporary folders with `docgen gc`"))


@click.command("gc", help=h("Dọn thư mục/tệp tạm còn sót sau lần ghi bị gián đoạn.",
                            "Remove temporary folders left by interrupted writes."))
@click.pass_context
def gc_cmd(ctx: click.Context) -> None:
    from docgen import app

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
               date_from: dt.date | None, date_to: dt.date | None, output: Path) -> None:
    from docgen.archive.bundle import export_bundle
    from docgen.archive.filters import DocFilter

    settings = settings_of(ctx)
    filt = DocFilter(kind=kind, cell=cell, topic=topic, date_from=date_from, date_to=date_to,
                     include_withdrawn=True).using(settings)
    archive = _archive(settings)
    try:
        out = export_bundle(archive, output, filt, allow_empty=False)
    finally:
        archive.close()
    say(ctx, Msg(f"Đã ghi gói {out}", f"Wrote bundle {out}"))


@click.command("import-bundle", help=h("Nhập một gói vào kho (nhập lại không thay đổi gì; "
                                       "xung đột được báo, không ghi đè).",
                                       "Merge a bundle into the archive (idempotent; "
                                       "conflicts reported, never overwritten)."))
@click.argument("bundle", type=click.Path(path_type=Path))
@click.pass_context
def import_cmd(ctx: click.Context, bundle: Path) -> None:
    from docgen import app

    hook = _index(ctx)
    warnings: list[Msg] = []
    report = app.import_bundle(settings_of(ctx), bundle, hook, warnings)
    _print_problems(ctx, report.conflicts)
    _index_notes(ctx, hook)
    _warn(ctx, bundle, warnings)
    say(ctx, Msg(f"Đã nhập {len(report.imported)} phiên bản, {len(report.unchanged)} đã có sẵn, "
                 f"{len(report.conflicts)} xung đột",
                 f"Imported {len(report.imported)} versions, {len(report.unchanged)} already "
                 f"present, {len(report.conflicts)} conflicts"))
    if report.conflicts:
        ctx.exit(ExitStatus.PARTIAL)


COMMANDS = (new_cmd, list_cmd, show_cmd, path_cmd, open_cmd, amend_cmd, finalize_cmd,
            withdraw_cmd, verify_cmd, gc_cmd, export_cmd, import_cmd)


def register(main: click.Group) -> None:
    """Add the archive commands to main."""
    for command in COMMANDS:
        main.add_command(command)
