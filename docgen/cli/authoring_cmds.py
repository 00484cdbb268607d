"""Authoring commands (issue 2): init, roster, form, templates check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from docgen.authoring import profile_writer as pw
from docgen.cli.common import echo_json, say, settings_of
from docgen.cli.types import DATE, KIND
from docgen.errors import DocgenError, InputError, TemplateError
from docgen.i18n import Msg, h
from docgen.vn.dates import vn_date
from docgen.vn.text import clean

T = TypeVar("T")


# --------------------------------------------------------------------------- prompting

def _ask_until(lang: str, question: Msg, parse: Callable[[str], T], default: str | None = None) -> T:
    """Ask ``question`` until ``parse`` accepts the answer (its DocgenError is shown)."""
    while True:
        answer: str = click.prompt(question.text(lang), default=default if default is not None else "",
                                   show_default=bool(default))
        try:
            return parse(answer)
        except DocgenError as exc:
            click.echo(exc.render(lang), err=True)


def _required_text(field_name: str, upper: bool = False) -> Callable[[str], str]:
    def parse(answer: str) -> str:
        text = clean(answer).strip()
        if not text:
            raise InputError(Msg("không được để trống", "must not be empty"), field=field_name,
                             hint=Msg("gõ một giá trị rồi nhấn Enter", "type a value and press Enter"))
        return text.upper() if upper else text
    return parse


def _optional_date(field_name: str) -> Callable[[str], dt.date | None]:
    def parse(answer: str) -> dt.date | None:
        return pw.parse_date_answer(answer, field_name) if answer.strip() else None
    return parse


def _date_not_before(field_name: str, earliest: dt.date, optional: bool) -> Callable[[str], dt.date | None]:
    def parse(answer: str) -> dt.date | None:
        if optional and not answer.strip():
            return None
        value = pw.parse_date_answer(answer, field_name)
        if value < earliest:
            raise InputError(
                Msg(f"ngày phải từ {vn_date(earliest)} trở đi",
                    f"the date must be on or after {vn_date(earliest)}"),
                field=field_name, hint=Msg("gõ lại ngày", "type the date again"))
        return value
    return parse


_Q = {
    "cell": Msg("Tên chi bộ (ví dụ: Chi bộ thôn An Thành)", "Cell name (e.g. Chi bộ thôn An Thành)"),
    "superior": Msg("Đảng bộ cấp trên (ví dụ: Đảng bộ xã Quang Kim)",
                    "Superior Party body (e.g. Đảng bộ xã Quang Kim)"),
    "committee": Msg("Cấp ủy cấp trên ghi ở Nơi nhận", "Superior committee for 'Nơi nhận'"),
    "place": Msg("Địa danh ghi ở dòng ngày tháng (ví dụ: Quang Kim)",
                 "Place name for the date line (e.g. Quang Kim)"),
    "symbol": Msg("Ký hiệu chi bộ trong số văn bản", "Issuer symbol in document numbers"),
    "term": Msg("Ngày bắt đầu nhiệm kỳ chi ủy hiện tại (ngày/tháng/năm, ví dụ 10/3/2025)",
                "Start of the current committee term (day/month/year, e.g. 10/3/2025)"),
    "meeting_place": Msg("Địa điểm họp thường lệ", "Usual meeting place"),
    "member": Msg("Họ tên đảng viên thứ {n} (Enter để kết thúc danh sách)",
                  "Name of member {n} (Enter to end the list)"),
    "admitted": Msg("  Ngày kết nạp (ngày/tháng/năm)", "  Admission date (day/month/year)"),
    "official": Msg("  Ngày chuyển chính thức (Enter nếu còn dự bị)",
                    "  Date made official (Enter if still probationary)"),
    "exempt": Msg("  Miễn công tác và sinh hoạt đảng từ ngày (Enter nếu không)",
                  "  Exempt from Party activities since (Enter if not)"),
    "exempt_reason": Msg("  Lý do miễn", "  Reason for the exemption"),
    "out_from": Msg("  Sinh hoạt tạm thời nơi khác từ ngày (Enter nếu không)",
                    "  Temporarily attending another cell since (Enter if not)"),
    "out_to": Msg("  … đến ngày (Enter nếu chưa rõ)", "  … until (Enter if open)"),
    "out_where": Msg("  Nơi sinh hoạt tạm thời", "  Where"),
    "bi_thu": Msg("Bí thư chi bộ (số thứ tự trong danh sách)", "Cell secretary (number in the list)"),
    "pho_bi_thu": Msg("Phó bí thư (số thứ tự, Enter nếu không có)",
                      "Deputy secretary (number, Enter if none)"),
    "chi_uy_vien": Msg("Chi ủy viên (các số thứ tự, cách nhau bằng dấu phẩy; Enter nếu không có)",
                       "Committee members (numbers separated by commas; Enter if none)"),
    "visitor": Msg("Đảng viên chi bộ khác sinh hoạt tạm thời tại chi bộ, họ tên người thứ {n} "
                   "(Enter nếu không có / để kết thúc)",
                   "Member of another cell attending here temporarily, name of person {n} "
                   "(Enter if none / to finish)"),
    "home_cell": Msg("  Chi bộ nơi sinh hoạt chính thức", "  Home cell"),
    "in_from": Msg("  Sinh hoạt tạm thời tại chi bộ từ ngày", "  Attending here since"),
    "in_to": Msg("  … đến ngày (Enter nếu chưa rõ)", "  … until (Enter if open)"),
    "need_member": Msg("Cần ít nhất một đảng viên (bí thư).", "At least one member (the secretary) is needed."),
}


def _ask_period(lang: str, start_q: str, end_q: str | None, note_q: str, admitted: dt.date) -> pw.Period | None:
    start = _ask_until(lang, _Q[start_q], _date_not_before(start_q, admitted, optional=True))
    if start is None:
        return None
    end = _ask_until(lang, _Q[end_q], _date_not_before(end_q, start, optional=True)) if end_q else None
    note = clean(click.prompt(_Q[note_q].text(lang), default="", show_default=False)).strip()
    return pw.Period(start, end, note)


def _ask_member(lang: str, number: int) -> pw.MemberAnswer | None:
    name = clean(click.prompt(_Q["member"].format(n=number).text(lang), default="",
                                 show_default=False)).strip()
    if not name:
        return None
    admitted = _ask_until(lang, _Q["admitted"], lambda a: pw.parse_date_answer(a, "admitted"))
    official = _ask_until(lang, _Q["official"], _date_not_before("official", admitted, optional=True))
    exempt = _ask_period(lang, "exempt", None, "exempt_reason", admitted)
    out = _ask_period(lang, "out_from", "out_to", "out_where", admitted)
    return pw.MemberAnswer(name, admitted, official, exempt, out)


def _ask_members(lang: str) -> list[pw.MemberAnswer]:
    members: list[pw.MemberAnswer] = []
    while True:
        member = _ask_member(lang, len(members) + 1)
        if member is not None:
            members.append(member)
        elif members:
            return members
        else:
            click.echo(_Q["need_member"].text(lang), err=True)


def _ask_visitor(lang: str, number: int) -> pw.VisitorAnswer | None:
    name = clean(click.prompt(_Q["visitor"].format(n=number).text(lang), default="",
                              show_default=False)).strip()
    if not name:
        return None
    home = _ask_until(lang, _Q["home_cell"], _required_text("home_cell"))
    admitted = _ask_until(lang, _Q["admitted"], lambda a: pw.parse_date_answer(a, "admitted"))
    official = _ask_until(lang, _Q["official"], _date_not_before("official", admitted, optional=True))
    start = _ask_until(lang, _Q["in_from"], lambda a: pw.parse_date_answer(a, "temporary_in.from"))
    end = _ask_until(lang, _Q["in_to"], _date_not_before("temporary_in.to", start, optional=True))
    return pw.VisitorAnswer(name, home, admitted, official, pw.Period(start, end))


def _ask_visitors(lang: str) -> list[pw.VisitorAnswer]:
    visitors: list[pw.VisitorAnswer] = []
    while (visitor := _ask_visitor(lang, len(visitors) + 1)) is not None:
        visitors.append(visitor)
    return visitors


def _member_numbers(count: int, field_name: str, many: bool) -> Callable[[str], list[int]]:
    def parse(answer: str) -> list[int]:
        raw = [a.strip() for a in answer.replace(";", ",").split(",") if a.strip()]
        if len(raw) > 1 and not many:
            raw = ["x"]
        try:
            numbers = [int(a) for a in raw]
            if any(not 1 <= n <= count for n in numbers):
                raise ValueError(answer)
        except ValueError as exc:
            raise InputError(
                Msg(f"'{answer}' không phải số thứ tự trong danh sách (1–{count})",
                    f"'{answer}' is not a number from the list (1–{count})"),
                field=field_name, hint=Msg("gõ số thứ tự in ở đầu dòng", "type the number shown")) from exc
        return [n - 1 for n in numbers]
    return parse


def _ask_officers(lang: str, members: list[pw.MemberAnswer]) -> tuple[int, int | None, tuple[int, ...]]:
    for index, member in enumerate(members):
        click.echo(f"  {index + 1}. {member.name} ({pw.member_id(index)})")
    count = len(members)
    bi_thu = _ask_until(lang, _Q["bi_thu"], _member_numbers(count, "bi_thu", False), default="1")[0]
    pho = _ask_until(lang, _Q["pho_bi_thu"], _member_numbers(count, "pho_bi_thu", False))
    committee = _ask_until(lang, _Q["chi_uy_vien"], _member_numbers(count, "chi_uy_vien", True))
    return bi_thu, (pho[0] if pho else None), tuple(committee)


def _ask_init(lang: str) -> pw.InitAnswers:
    text = _required_text
    cell = _ask_until(lang, _Q["cell"], text("cell.name", upper=True))
    superior = _ask_until(lang, _Q["superior"], text("cell.superior", upper=True))
    committee_default = superior.title().replace("Đảng Bộ", "Đảng ủy").replace("Xã", "xã") \
        .replace("Phường", "phường").replace("Thị Trấn", "thị trấn")
    committee = _ask_until(lang, _Q["committee"], text("cell.superior_committee"), committee_default)
    place = _ask_until(lang, _Q["place"], text("cell.place"))
    symbol = _ask_until(lang, _Q["symbol"], text("cell.symbol", upper=True), "CB")
    term = _ask_until(lang, _Q["term"], lambda a: pw.parse_date_answer(a, "cell.term_start"))
    meeting = _ask_until(lang, _Q["meeting_place"], text("cell.meeting_place"))
    members = _ask_members(lang)
    visitors = _ask_visitors(lang)
    bi_thu, pho, committee_members = _ask_officers(lang, members)
    return pw.InitAnswers(cell, superior, committee, place, symbol, term, meeting, tuple(members),
                          bi_thu, pho, committee_members, tuple(visitors))


@click.command("init")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help=h("Thư mục ghi profile.yaml và docgen.toml (mặc định: thư mục hiện tại).",
                     "Folder for profile.yaml and docgen.toml (default: current folder)."))
@click.option("--force", is_flag=True,
              help=h("Ghi đè các tệp đã có.", "Overwrite existing files."))
@click.pass_context
def init_cmd(ctx: click.Context, directory: Path, force: bool) -> None:
    """Tạo hồ sơ chi bộ (profile.yaml) và docgen.toml bằng cách trả lời câu hỏi."""
    lang = settings_of(ctx).lang
    pw.check_init_targets(directory, force)
    answers = _ask_init(lang)
    profile, config = pw.write_init(directory, answers, force)
    say(ctx, Msg(f"Đã ghi {profile} và {config}. Kiểm tra danh sách bằng: docgen roster",
                 f"Wrote {profile} and {config}. Check the roster with: docgen roster"))


init_cmd.help = h(
    "Tạo hồ sơ chi bộ (profile.yaml) và tệp cấu hình docgen.toml bằng cách trả lời các câu "
    "hỏi: tên chi bộ, cấp trên, nhiệm kỳ, danh sách đảng viên, bí thư, chi ủy viên. Ngày gõ "
    "theo ngày/tháng/năm: 10/3/2026, 10.3.2026, 10-3-2026 (hoặc 2026-03-10). "
    "Ví dụ: docgen init",
    "Create the cell profile (profile.yaml) and docgen.toml by answering questions: cell "
    "name, superior body, committee term, members, secretary, committee members. Dates are "
    "typed day first: 10/3/2026, 10.3.2026, 10-3-2026 (or 2026-03-10). Example: docgen init")


# --------------------------------------------------------------------------- roster

@click.command("roster")
@click.option("--date", "day", type=DATE, default=None,
              help=h("Ngày xem tình trạng (vd: 10/3/2026; mặc định: hôm nay).",
                     "Date of the statuses (e.g. 10/3/2026; default: today)."))
@click.option("--json", "as_json", is_flag=True, help=h("In kết quả dạng JSON.", "Print the result as JSON."))
@click.pass_context
def roster_cmd(ctx: click.Context, day: dt.date | None, as_json: bool) -> None:
    from docgen.authoring.roster_view import roster_json, roster_lines, roster_view
    from docgen.model.profile import load_profile

    settings = settings_of(ctx)
    view = roster_view(load_profile(settings.profile_path), day or dt.date.today())
    if as_json:
        echo_json(roster_json(view, settings.lang))
        return
    for line in roster_lines(view, settings.lang):
        click.echo(line)


roster_cmd.help = h(
    "In danh sách đảng viên với tình trạng của từng người vào một ngày (chính thức, dự bị, "
    "miễn sinh hoạt, sinh hoạt tạm thời) và các tổng số, để kiểm tra tệp hồ sơ chi bộ. "
    "Ví dụ: docgen roster --date 10/3/2026",
    "Print the roster with each member's status on a date (official, probationary, exempt, "
    "temporarily transferred) and the totals, to check the profile file. "
    "Example: docgen roster --date 10/3/2026")


# --------------------------------------------------------------------------- form

@click.command("form")
@click.argument("kind", type=KIND)  # an id, "Nghị quyết" or NQ: the id (cli.types.KIND)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help=h("Tệp YAML sẽ ghi.", "The YAML file to write."))
@click.option("--date", "day", type=DATE, default=None,
              help=h("Ngày của văn bản, vd 10/3/2026 (mặc định: kỳ sau văn bản trước, hoặc hôm nay).",
                     "The document date, e.g. 10/3/2026 (default: the period after the previous "
                     "document, or today)."))
@click.option("--from", "previous", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=h("Điền sẵn từ văn bản trước này (mặc định: văn bản cùng loại mới nhất trong lưu trữ).",
                     "Prefill from this previous input (default: the newest of the kind in the archive)."))
@click.option("--no-previous", is_flag=True,
              help=h("Không điền sẵn từ văn bản trước.", "Do not prefill from a previous document."))
@click.option("--force", is_flag=True, help=h("Ghi đè tệp đã có.", "Overwrite an existing file."))
@click.pass_context
def form_cmd(ctx: click.Context, kind: str, output: Path, day: dt.date | None, previous: Path | None,
             no_previous: bool, force: bool) -> None:
    from docgen.authoring.form import (
        build_form,
        check_form_target,
        latest_archived,
        read_previous,
        write_form,
    )
    from docgen.model.profile import load_profile

    settings = settings_of(ctx)
    check_form_target(output, force)
    profile = load_profile(settings.profile_path)
    prev: tuple[dict[str, object], str] | None = None
    if previous is not None:
        prev = (read_previous(previous, kind), str(previous))
    elif not no_previous:
        prev = latest_archived(settings, kind, profile)
    when = day or (None if prev else dt.date.today())
    from docgen.kinds import KINDS

    spec = KINDS[kind]
    prefilled = spec.prefill(settings, profile, when) if spec.prefill else None
    result = build_form(kind, profile, day=when, lang=settings.lang,
                        previous=prev[0] if prev else None, previous_source=prev[1] if prev else None,
                        out_name=output.name, prefill=prefilled)
    write_form(output, result, force)
    blanks = result.blanks_text()
    say(ctx, Msg(f"Đã ghi {output}. Cần điền: {blanks.vi}", f"Wrote {output}. To fill in: {blanks.en}"))


form_cmd.help = h(
    "Ghi một tệp YAML sẵn để sửa cho một loại văn bản: mọi trường kèm chú thích tiếng Việt, "
    "điền sẵn từ hồ sơ chi bộ (chủ trì, thư ký, địa điểm) và từ văn bản trước cùng loại "
    "(kỳ sau, cùng chủ đề, số tiếp theo). LOẠI: xem docgen kinds. "
    "Ví dụ: docgen form nghi-quyet -o nq-thang3.yaml",
    "Write a ready-to-edit YAML input for a document kind: every field with a comment, "
    "prefilled from the profile (chair, secretary, place) and the previous document of the "
    "kind (next period, same topics, next number). KIND: see docgen kinds. "
    "Example: docgen form nghi-quyet -o nq-thang3.yaml")


# --------------------------------------------------------------------------- templates check

@click.command("check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", default=None,
              help=h("Loại văn bản của mẫu (mặc định: theo tên tệp, ví dụ nghi-quyet.docx).",
                     "The template's document kind (default: from the file name, e.g. nghi-quyet.docx)."))
@click.option("--json", "as_json", is_flag=True, help=h("In kết quả dạng JSON.", "Print the result as JSON."))
@click.pass_context
def check_cmd(ctx: click.Context, path: Path, kind: str | None, as_json: bool) -> None:
    from docgen.authoring.lint import lint_template, report_json, report_lines

    settings = settings_of(ctx)
    report = lint_template(path, kind)
    if as_json:
        echo_json(report_json(report, settings.lang))
    else:
        for line in report_lines(report, settings.lang):
            click.echo(line)
    if not report.ok:
        ctx.exit(TemplateError.exit_code)


check_cmd.help = h(
    "Kiểm tra một mẫu .docx đã sửa: lỗi cú pháp Jinja, thẻ bị tách qua hai đoạn, dùng sai "
    "{%tr %}/{%p %}, biến không có trong loại văn bản, trường bắt buộc không được hiển thị. "
    "Mã thoát 0 khi tốt, 4 khi có lỗi. Ví dụ: docgen templates check nghi-quyet.docx",
    "Lint an edited .docx template: Jinja syntax errors, tags split across paragraphs, "
    "{%tr %}/{%p %} misuse, variables the kind does not provide, required fields never shown. "
    "Exit status 0 when clean, 4 on problems. Example: docgen templates check nghi-quyet.docx")


def _templates_group(main: click.Group) -> click.Group:
    existing = main.commands.get("templates")
    if isinstance(existing, click.Group):
        return existing

    @click.group("templates", help=h("Mẫu văn bản .docx.", "The .docx templates."))
    def templates() -> None:
        pass

    main.add_command(templates)
    return templates


def register(main: click.Group) -> None:
    """Add this area's commands to main."""
    main.add_command(init_cmd)
    main.add_command(roster_cmd)
    main.add_command(form_cmd)
    _templates_group(main).add_command(check_cmd)
