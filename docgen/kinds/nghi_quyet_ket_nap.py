"""Nghị quyết đề nghị kết nạp đảng viên: the cell's resolution proposing that a named
person (quần chúng) be admitted to the Party.

The person is not on the roster (``candidate``: name, date of birth, hometown and residence,
occupation, mass organisation, date of the application). Two official members introduce
them (``introducers``, roster ids), or a youth / trade-union organisation
(``introducing_body``) and one official member (Điều lệ Điều 4). Each introducer must be an
official member of the cell on the day of the meeting, official for at least
``introducer_official_months`` months (a kind setting: the rule is unconfirmed, see
docgen/kinds/_membership.py). The vote needs at least two thirds of the official members
(HD 06-HD/TW 2025 3.6b; domain reference §3.1): below that the resolution is an error, not
issued and not numbered. The conclusion proposes the admission to the superior committee.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.kinds import _membership as M
from docgen.kinds.base import Kind
from docgen.model import labels as L
from docgen.model import schemas as S
from docgen.model.arithmetic import Issue, MeetingFigures, who
from docgen.model.context import Context
from docgen.model.profile import Profile
from docgen.model.roster import status_on
from docgen.model.text import line
from docgen.model.validation import DATE_PATTERN
from docgen.vn.dates import short_date, vn_date

NAME = "nghi-quyet-ket-nap"
VOTE_TYPE = "admission"

LABELS: L.FieldLabels = {
    **M.LABELS,
    "candidate": L._l("Người vào Đảng", "The person proposed", None,
                      "quần chúng được đề nghị kết nạp (không có trong danh sách đảng viên)",
                      "the person proposed for admission (not on the roster)"),
    "candidate.name": L._l("Họ và tên người vào Đảng", "Full name", "Lê Thị Hạnh"),
    "candidate.birth_date": L._l("Ngày sinh", "Date of birth", "16/7/1994", "ngày/tháng/năm",
                                 "day/month/year"),
    "candidate.hometown": L._l("Quê quán", "Home town", "\"thôn An Thành, xã Quang Kim\""),
    "candidate.residence": L._l("Nơi cư trú", "Residence", "\"thôn An Thành, xã Quang Kim\""),
    "candidate.occupation": L._l("Nghề nghiệp", "Occupation", "\"làm nông nghiệp\""),
    "candidate.organisation": L._l("Đoàn thể tham gia", "Mass organisation", "\"hội viên Chi hội Phụ nữ thôn An Thành\"",
                                   "đoàn thể chính trị - xã hội, chức vụ nếu có",
                                   "the mass organisation, with any position held"),
    "candidate.application_date": L._l("Ngày làm đơn xin vào Đảng", "Date of the application", "20/11/2025",
                                       "ngày/tháng/năm; không sau ngày họp", "day/month/year; not after the meeting"),
    "candidate.course": L._l("Học lớp bồi dưỡng nhận thức về Đảng", "Party awareness course",
                             "\"đã học, giấy chứng nhận do Đảng ủy xã Quang Kim cấp ngày 15/12/2025\"",
                             "giấy chứng nhận đã học lớp, nếu có", "the course certificate, if any"),
    "introducers": L._l("Người giới thiệu", "Introducers", "[m06, m12]",
                        "mã hoặc họ tên đảng viên chính thức của chi bộ: 2 đồng chí, hoặc 1 đồng chí khi tổ chức "
                        "đoàn giới thiệu", "ids or names of official members of the cell: 2, or 1 when an "
                        "organisation introduces"),
    "introducers[]": L._member("Người giới thiệu", "Introducer", "m06"),
    "introducing_body": L._l("Tổ chức giới thiệu", "Introducing organisation",
                             "\"Ban Chấp hành Đoàn xã Quang Kim\"",
                             "nơi có tổ chức Đoàn, người trong độ tuổi thanh niên do ban chấp hành đoàn cơ sở và "
                             "1 đảng viên chính thức giới thiệu; để trống: 2 đảng viên giới thiệu",
                             "where the youth union exists, its committee and 1 official member introduce a young "
                             "person; empty: 2 members introduce"),
}


def schema() -> S.Schema:
    props = {**S.common(NAME, "đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng"), **M.meeting_schema(),
             "candidate": S.obj({
                 "name": S.text(),
                 "birth_date": S.p("string", pattern=DATE_PATTERN),
                 "hometown": S.p(["string", "null"], default=None),
                 "residence": S.p(["string", "null"], default=None),
                 "occupation": S.p(["string", "null"], default=None),
                 "organisation": S.p(["string", "null"], default=None),
                 "application_date": S.p("string", pattern=DATE_PATTERN),
                 "course": S.p(["string", "null"], default=None),
             }, ["name", "birth_date", "application_date"]),
             "introducers": S.arr(S.member_ref(), minItems=1, uniqueItems=True),
             "introducing_body": S.p(["string", "null"], default=None),
             "opinions": M.opinions_schema(), **M.review_schema(), **M.signed_schema()}
    return S.kind_schema(NAME, "Nghị quyết đề nghị kết nạp đảng viên", props,
                         ["kind", "date", "start", "end", "chair", "secretary", "candidate", "introducers"])


def candidate_name(data: dict[str, Any]) -> str:
    return line((data.get("candidate") or {}).get("name"))


def summary(data: dict[str, Any]) -> str:
    name = candidate_name(data)
    return f"đề nghị kết nạp quần chúng {name} vào Đảng" if name else "đề nghị kết nạp đảng viên"


def subject(data: dict[str, Any]) -> str:
    """What the vote adopts, as it follows "Biểu quyết"."""
    return f"đề nghị kết nạp quần chúng {candidate_name(data)} vào Đảng"


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def context(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures | None) -> Context:
    person = data.get("candidate") or {}
    name = candidate_name(data)
    applied, born = _date(person.get("application_date")), _date(person.get("birth_date"))
    ids = [str(i) for i in data.get("introducers") or []]
    body = line(data.get("introducing_body"))
    introducers = " và ".join(M.introducer_text(profile, i) for i in ids)
    if body:
        introducers = f"{body} và {introducers}" if introducers else body
    basis = [f"đơn xin vào Đảng ngày {short_date(applied)} của quần chúng {name}" if applied
             else f"đơn xin vào Đảng của quần chúng {name}", "lý lịch của người vào Đảng"]
    if body:
        basis.append(f"nghị quyết giới thiệu của {body}")
    if ids:
        basis.append(f"giấy giới thiệu của {M.comrades([profile.name_of(i) for i in ids])}")
    if line(person.get("course")):
        basis.append("giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng")
    bodies = M.organisations(profile, M.day_of(data), list(data.get("opinions") or []))
    if bodies:
        basis.append(f"ý kiến nhận xét của {bodies} đối với người vào Đảng")
    facts = M.fact_lines([
        ("Họ và tên", name), ("Ngày sinh", short_date(born) if born else ""),
        ("Quê quán", line(person.get("hometown"))), ("Nơi cư trú", line(person.get("residence"))),
        ("Nghề nghiệp", line(person.get("occupation"))), ("Đoàn thể", line(person.get("organisation"))),
        ("Ngày làm đơn xin vào Đảng", short_date(applied) if applied else ""),
        ("Học lớp bồi dưỡng nhận thức về Đảng", line(person.get("course"))),
        ("Người giới thiệu", introducers),
    ])
    return M.membership_context(
        data, profile, settings, figures, vote_type=VOTE_TYPE, subject=subject(data),
        considered=", ".join(basis), facts_heading="THÔNG TIN VỀ NGƯỜI VÀO ĐẢNG", facts=facts,
        decision=f"kết nạp quần chúng {name} vào Đảng Cộng sản Việt Nam",
        roles={i: "người giới thiệu" for i in ids})


# --------------------------------------------------------------------------- rules

def _age_text(born: dt.date, years: int) -> str:
    return vn_date(M.add_months(born, 12 * years))


def admission_issues(data: dict[str, Any], profile: Profile, extra: Any = None) -> list[Issue]:
    """The person and the introducers (Party rules: errors). ``extra``: the kind settings
    (default: this kind's)."""
    extra = KIND.extra if extra is None else extra
    day = M.day_of(data)
    issues: list[Issue] = []
    person = data.get("candidate") or {}
    name = candidate_name(data)
    born, applied = _date(person.get("birth_date")), _date(person.get("application_date"))
    if applied and applied > day:
        issues.append(Issue("candidate.application_date", Msg(
            f"ngày làm đơn xin vào Đảng ({vn_date(applied)}) sau ngày chi bộ họp xét ({vn_date(day)})",
            f"the application ({vn_date(applied)}) is dated after the meeting ({vn_date(day)})"),
            Msg("sửa ngày làm đơn hoặc ngày họp", "fix the application date or the meeting date")))
    if born and applied and born >= applied:
        issues.append(Issue("candidate.birth_date", Msg(
            f"ngày sinh ({vn_date(born)}) không trước ngày làm đơn xin vào Đảng ({vn_date(applied)})",
            f"the date of birth ({vn_date(born)}) is not before the application ({vn_date(applied)})"),
            Msg("sửa ngày sinh (ngày/tháng/năm, ví dụ 16/7/1994)", "fix the date of birth (day/month/year)")))
    least = M.setting(extra, "min_age")
    if born and born < day and M.whole_months(born, day) < 12 * least:
        issues.append(Issue("candidate.birth_date", Msg(
            f"quần chúng {name} (sinh ngày {vn_date(born)}) chưa đủ {least} tuổi vào ngày chi bộ xét kết nạp "
            f"{vn_date(day)} (đủ {least} tuổi ngày {_age_text(born, least)}); người vào Đảng phải đủ {least} tuổi "
            "(Điều lệ Đảng Điều 1; QĐ 294-QĐ/TW điểm 1.1)",
            f"{name} (born {vn_date(born)}) is under {least} on the day the cell considers the admission, "
            f"{vn_date(day)} ({least} on {_age_text(born, least)}); a person joining must be {least} or older"),
            Msg("kiểm tra ngày sinh hoặc ngày họp", "check the date of birth or the meeting date")))
    issues += _introducer_issues(data, profile, day, extra)
    return issues


def _introducer_issues(data: dict[str, Any], profile: Profile, day: dt.date, extra: Any) -> list[Issue]:
    issues: list[Issue] = []
    ids = [str(i) for i in data.get("introducers") or []]
    body = line(data.get("introducing_body"))
    count = M.setting(extra, "introducer_count")
    need = max(count - 1, 1) if body else count
    if len(ids) != need:
        if body:
            message = Msg(f"khi {body} giới thiệu, cần thêm {need} đảng viên chính thức giới thiệu "
                          f"(Điều lệ Đảng Điều 4); đang ghi {len(ids)}",
                          f"with {body} introducing, {need} official member(s) must also introduce "
                          f"(Party Charter art. 4); {len(ids)} listed")
        else:
            message = Msg(f"cần {need} đảng viên chính thức giới thiệu người vào Đảng (Điều lệ Đảng Điều 4); "
                          f"đang ghi {len(ids)}",
                          f"{need} official members must introduce the person (Party Charter art. 4); "
                          f"{len(ids)} listed")
        issues.append(Issue("introducers", message, Msg(
            f"ghi introducers: mã hoặc họ tên {need} đảng viên chính thức, ví dụ [m06, m12]; người trong độ tuổi "
            "đoàn viên do tổ chức đoàn giới thiệu thì ghi introducing_body và 1 đảng viên",
            f"write introducers: the ids or names of {need} official members, e.g. [m06, m12]; for a young "
            "person introduced by the youth union, write introducing_body and 1 member")))
    months = M.setting(extra, "introducer_official_months")
    for i, member_id in enumerate(ids):
        member = profile.member(member_id)
        if member is None:  # an unknown id is reported by the reference check
            continue
        status = status_on(member, day)
        path = f"introducers[{i}]"
        dates = M.membership_dates(member)
        if member.home_cell or not status.counted:
            issues.append(Issue(path, Msg(
                f"người giới thiệu đồng chí {who(member)} không phải đảng viên của chi bộ vào ngày {vn_date(day)}"
                f" (hồ sơ: {dates})",
                f"the introducer {who(member)} is not a member of the cell on {vn_date(day)}"),
                Msg("người giới thiệu phải là đảng viên chính thức của chi bộ; chọn đảng viên khác",
                    "an introducer must be an official member of the cell; choose another member")))
        elif not status.official or member.official is None:
            issues.append(Issue(path, Msg(
                f"người giới thiệu đồng chí {who(member)} là đảng viên dự bị vào ngày {vn_date(day)} (hồ sơ: {dates}): "
                "người giới thiệu phải là đảng viên chính thức (Điều lệ Đảng Điều 4)",
                f"the introducer {who(member)} is a probationary member on {vn_date(day)}: an introducer must be "
                "an official member (Party Charter art. 4)"),
                Msg("chọn đảng viên chính thức khác", "choose another, official member")))
        elif M.add_months(member.official, months) > day:
            enough = M.add_months(member.official, months)
            issues.append(Issue(path, Msg(
                f"người giới thiệu đồng chí {who(member)} là đảng viên chính thức từ {vn_date(member.official)}, "
                f"chưa đủ {months} tháng vào ngày họp {vn_date(day)} (đủ từ {vn_date(enough)})",
                f"the introducer {who(member)} has been an official member since {vn_date(member.official)}, "
                f"less than {months} months on the meeting date {vn_date(day)} (enough from {vn_date(enough)})"),
                Msg("chọn đảng viên chính thức đủ thời gian", "choose an official member of longer standing")))
    return issues


def vote_subject(data: dict[str, Any], profile: Profile) -> tuple[str, Msg]:
    """What the vote adopts, and how an error names it."""
    name = candidate_name(data)
    return subject(data), Msg(f"đề nghị kết nạp quần chúng {name}", f"the proposal to admit {name}")


def admission_warnings(data: dict[str, Any], profile: Profile, settings: Settings,
                       figures: MeetingFigures | None) -> list[Msg]:
    """Advice: a person past the age limit (the superior committee decides), an introducer
    not at the meeting (introducers report to the cell on the person: Điều lệ Điều 4.2)."""
    out: list[Msg] = []
    day = M.day_of(data)
    born = _date((data.get("candidate") or {}).get("birth_date"))
    most = M.setting(KIND.extra, "max_age")
    if born and M.whole_months(born, day) > 12 * most:
        out.append(Msg(
            f"quần chúng {candidate_name(data)} đã quá {most} tuổi (sinh ngày {vn_date(born)}): việc kết nạp người "
            f"trên {most} tuổi do cấp ủy trực thuộc Trung ương xem xét, quyết định (QĐ 294-QĐ/TW điểm 1.1)",
            f"{candidate_name(data)} is over {most} (born {vn_date(born)}): admitting a person over {most} is "
            "decided by the committee directly under the Central Committee"))
    if figures is not None and not data.get("draft"):
        for member_id in data.get("introducers") or []:
            member = profile.member(str(member_id))
            if member is not None and member.id not in figures.present_ids:
                out.append(Msg(
                    f"người giới thiệu đồng chí {member.name} không có mặt: người giới thiệu báo cáo với chi bộ "
                    "về lý lịch, phẩm chất, năng lực của người vào Đảng (Điều lệ Đảng Điều 4)",
                    f"the introducer {member.name} is not present: an introducer reports to the cell on the "
                    "person (Party Charter art. 4)"))
    return out


def template() -> Any:
    return M.template(("facts", "opinions", "review", "vote"))


KIND = Kind(
    name=NAME, order=32, vote_type=VOTE_TYPE,
    label=Msg("Nghị quyết đề nghị kết nạp đảng viên", "Resolution proposing an admission"),
    description=Msg("Nghị quyết chi bộ đề nghị kết nạp quần chúng vào Đảng (biểu quyết cần ít nhất 2/3)",
                    "The cell's resolution proposing to admit a person to the Party (needs two thirds)"),
    type_symbol="NQ", type_name="NGHỊ QUYẾT",
    schema_builder=schema, labels=LABELS, context_builder=context, summary_builder=summary,
    template_builder=template, template_title="Mẫu nghị quyết đề nghị kết nạp đảng viên",
    keys=M.KEYS, required=M.REQUIRED,
    meeting=True, resolution=True, period_months=1,
    needed=M.review_needed(Msg("người vào Đảng", "the person")),
    strict_refs=("chair", "secretary", "signer", "introducers[]"),
    loose_refs=("opinions[].source",),
    checks=M.checks(admission_issues, VOTE_TYPE, vote_subject), asked=("vote",),
    warnings=(M.draft_warnings, admission_warnings),
    book_label=Msg("Nghị quyết đề nghị kết nạp đảng viên", "Resolutions proposing admissions"),
    aliases=("nghị quyết kết nạp", "nghị quyết kết nạp đảng viên", "nghị quyết đề nghị kết nạp",
             "nghị quyết đề nghị kết nạp vào đảng"),
    extra={k: M.EXTRA[k] for k in ("introducer_count", "introducer_official_months", "min_age", "max_age")},
)
