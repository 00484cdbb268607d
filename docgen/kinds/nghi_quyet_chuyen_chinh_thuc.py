"""Nghị quyết đề nghị công nhận đảng viên chính thức: the cell's resolution proposing that
a probationary member (``member``, a roster id) be recognised as an official member.

The member must be a probationary member of the cell on the day of the meeting, and their
probation (``probation_months`` from ``admitted`` in the profile, 12 by Điều lệ Điều 5)
must be complete by then: an error names the dates otherwise. The resolution records the
member's self-review, the opinions of the mass organisations and of the members assigned to
help them (``helpers``), the cell's assessment, the vote (at least two thirds of the
official members, Điều lệ Điều 5; the member, probationary, does not vote) and the proposal
to the superior committee. A vote below two thirds is an error: not issued, not numbered.

The default trích yếu names the member from the roster ("đề nghị công nhận đảng viên chính
thức đối với đồng chí Nguyễn Thị Xuân"); a typed ``summary`` without that name is warned
about.
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
from docgen.model.profile import Member, Profile
from docgen.model.roster import status_on
from docgen.model.text import line, paragraphs
from docgen.vn.dates import short_date, vn_date
from docgen.vn.text import fold

NAME = "nghi-quyet-chuyen-chinh-thuc"
VOTE_TYPE = "conversion"
GENERIC_SUMMARY = "đề nghị công nhận đảng viên chính thức"

LABELS: L.FieldLabels = {
    **M.LABELS,
    "member": L._member("Đảng viên dự bị", "Probationary member", "m21",
                        "đã đủ 12 tháng dự bị vào ngày họp", "whose probation is complete on the meeting date"),
    "admission_decision": L._l("Quyết định kết nạp", "Admission decision",
                               "\"Quyết định số 112-QĐ/ĐU ngày 15/8/2025 của Đảng ủy xã Quang Kim\"",
                               "số, ngày quyết định kết nạp, nếu muốn ghi", "number and date of the decision, if wanted"),
    "helpers": L._l("Đảng viên giúp đỡ", "Members assigned to help", "[m06, m09]",
                    "đảng viên chính thức được chi bộ phân công giúp đỡ trong thời gian dự bị",
                    "the official members the cell assigned to help during the probation"),
    "helpers[]": L._member("Đảng viên giúp đỡ", "Helper", "m06"),
    "self_review": L._text("Tự kiểm điểm của đảng viên dự bị", "The member's self-review",
                           "tóm tắt bản tự kiểm điểm trong thời gian dự bị", "summary of the self-review"),
}


def schema() -> S.Schema:
    props = {**S.common(NAME, "đề nghị công nhận đảng viên chính thức đối với đồng chí Nguyễn Thị Xuân"),
             **M.meeting_schema(),
             "member": S.member_ref(),
             "admission_decision": S.p(["string", "null"], default=None),
             "helpers": S.arr(S.member_ref(), default=[], uniqueItems=True),
             "self_review": S.p(["string", "null"], default=None),
             "opinions": M.opinions_schema(), **M.review_schema(), **M.signed_schema()}
    return S.kind_schema(NAME, "Nghị quyết đề nghị công nhận đảng viên chính thức", props,
                         ["kind", "date", "start", "end", "chair", "secretary", "member"])


def named_summary(name: str) -> str:
    return f"{GENERIC_SUMMARY} đối với đồng chí {name}"


def summary(data: dict[str, Any], profile: Profile | None = None) -> str:
    """The default trích yếu, naming the member from the roster."""
    member = profile.member(str(data.get("member"))) if profile is not None else None
    return named_summary(member.name) if member is not None else GENERIC_SUMMARY


def subject(name: str) -> str:
    return f"đề nghị công nhận đảng viên chính thức đối với đồng chí {name}"


def probation_end(member: Member, extra: Any = None) -> dt.date:
    """The day the probation is complete: ``admitted`` + 12 months (2/9/2025 → 2/9/2026)."""
    extra = KIND.extra if extra is None else extra
    return M.add_months(member.admitted, M.setting(extra, "probation_months"))


def context(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures | None) -> Context:
    member_id = str(data["member"])
    member = profile.member(member_id)
    name = profile.name_of(member_id)
    helpers = [str(h) for h in data.get("helpers") or []]
    decision = line(data.get("admission_decision"))
    admitted = ""
    end = ""
    if member is not None:
        admitted = short_date(member.admitted) + (f" ({decision})" if decision else "")
        end = short_date(probation_end(member))
    months = M.setting(KIND.extra, "probation_months")
    facts = M.fact_lines([
        ("Họ và tên", name), ("Ngày kết nạp vào Đảng", admitted),
        (f"Ngày đủ {months} tháng dự bị", end),
        ("Đảng viên được phân công giúp đỡ", M.comrades([profile.name_of(h) for h in helpers])),
    ])
    basis = [f"bản tự kiểm điểm của đồng chí {name}"]
    if helpers:
        basis.append("bản nhận xét của đảng viên được phân công giúp đỡ")
    bodies = M.organisations(profile, M.day_of(data), list(data.get("opinions") or []))
    if bodies:
        basis.append(f"ý kiến nhận xét của {bodies}")
    listed = ", ".join(basis[:-1]) + " và " + basis[-1] if len(basis) > 1 else basis[0]
    return M.membership_context(
        data, profile, settings, figures, vote_type=VOTE_TYPE, subject=subject(name), considered=listed,
        facts_heading="THÔNG TIN VỀ ĐẢNG VIÊN DỰ BỊ", facts=facts,
        decision=f"công nhận đảng viên chính thức đối với đồng chí {name}",
        roles={h: "đảng viên được phân công giúp đỡ" for h in helpers},
        self_review=paragraphs(data.get("self_review")),
        self_review_intro=f"Đồng chí {name} đọc bản tự kiểm điểm trong thời gian dự bị; nội dung chính:",
        vote_note=f"Đồng chí {name} là đảng viên dự bị, không tham gia biểu quyết.")


# --------------------------------------------------------------------------- rules

def conversion_issues(data: dict[str, Any], profile: Profile, extra: Any = None) -> list[Issue]:
    """The member is probationary on the meeting date and their probation is complete; the
    helpers are not the member (Party rules: errors). ``extra``: the kind settings."""
    extra = KIND.extra if extra is None else extra
    day = M.day_of(data)
    member = profile.member(str(data["member"]))
    if member is None:  # an unknown id is reported by the reference check
        return []
    status = status_on(member, day)
    dates = M.membership_dates(member)
    issues: list[Issue] = []
    if member.home_cell or not status.counted:
        issues.append(Issue("member", Msg(
            f"đồng chí {who(member)} không phải đảng viên của chi bộ vào ngày họp {vn_date(day)} (hồ sơ: {dates})",
            f"{who(member)} is not a member of the cell on the meeting date {vn_date(day)}"),
            Msg("chi bộ nơi đảng viên sinh hoạt chính thức xét công nhận; sửa member hoặc ngày họp",
                "the member's own cell considers the conversion; fix member or the meeting date")))
        return issues
    if status.official and member.official is not None:
        issues.append(Issue("member", Msg(
            f"đồng chí {who(member)} đã là đảng viên chính thức từ ngày {vn_date(member.official)} (hồ sơ: kết nạp "
            f"{vn_date(member.admitted)}), không phải đảng viên dự bị vào ngày họp {vn_date(day)}",
            f"{who(member)} has been an official member since {vn_date(member.official)} (admitted "
            f"{vn_date(member.admitted)}), not a probationary member on the meeting date {vn_date(day)}"),
            Msg(f"chỉ xét công nhận chính thức cho đảng viên dự bị; sửa member; nếu cấp trên đã quyết định "
                f"sau ngày họp, ghi official_decided (ngày quyết định) của {member.id} trong profile.yaml",
                f"only a probationary member is considered; fix member; if the decision came after the "
                f"meeting, give official_decided (the decision date) of {member.id} in profile.yaml")))
        return issues
    months = M.setting(extra, "probation_months")
    end = probation_end(member, extra)
    if day < end:
        issues.append(Issue("member", Msg(
            f"đồng chí {who(member)} chưa đủ {months} tháng dự bị: kết nạp ngày {vn_date(member.admitted)}, "
            f"đủ {months} tháng dự bị ngày {vn_date(end)}, ngày họp {vn_date(day)} (Điều lệ Đảng Điều 5)",
            f"{who(member)} has not completed the {months}-month probation: admitted {vn_date(member.admitted)}, "
            f"complete on {vn_date(end)}, meeting on {vn_date(day)} (Party Charter art. 5)"),
            Msg(f"chi bộ xét công nhận chính thức từ ngày {vn_date(end)}; sửa ngày họp, hoặc admitted của "
                f"{member.id} trong profile.yaml nếu ghi nhầm",
                f"the cell considers the conversion from {vn_date(end)}; fix the meeting date, or admitted of "
                f"{member.id} in profile.yaml if it is wrong")))
    for i, helper in enumerate(data.get("helpers") or []):
        if str(helper) == member.id:
            issues.append(Issue(f"helpers[{i}]", Msg(
                f"đồng chí {who(member)} là đảng viên dự bị được xét, không phải đảng viên giúp đỡ",
                f"{who(member)} is the member considered, not a helper"),
                Msg("ghi đảng viên chính thức được phân công giúp đỡ", "list the official members assigned to help")))
    return issues


def vote_subject(data: dict[str, Any], profile: Profile) -> tuple[str, Msg]:
    """What the vote adopts, and how an error names it."""
    name = profile.name_of(str(data["member"]))
    return subject(name), Msg(subject(name), f"the proposal to recognise {name} as an official member")


def _has_name(text: str, name: str) -> bool:
    return " ".join(fold(name).split()) in " ".join(fold(text).split())


def conversion_warnings(data: dict[str, Any], profile: Profile, settings: Settings,
                        figures: MeetingFigures | None) -> list[Msg]:
    """Advice: the trích yếu without the member's name, a late sitting (30 working days,
    QĐ 29 điểm 4.2a [P]), the member absent, a helper who is not an official member of the
    cell on the meeting date."""
    out: list[Msg] = []
    day = M.day_of(data)
    member = profile.member(str(data["member"]))
    if member is None:
        return out
    wanted = named_summary(member.name)
    given = line(data.get("summary"))
    if given and not _has_name(given, member.name):
        out.append(Msg(f"trích yếu (summary) không có họ tên đồng chí {member.name}: ghi summary: \"{wanted}\"",
                       f"the summary line does not name {member.name}: write summary: \"{wanted}\""))
    end = probation_end(member)
    limit = M.setting(KIND.extra, "conversion_deadline_working_days")
    late = M.working_days_after(end, day)
    if limit and late > limit and not status_on(member, day).official:
        out.append(Msg(
            f"chi bộ họp xét sau {late} ngày làm việc (không tính ngày lễ) kể từ ngày đủ 12 tháng dự bị "
            f"{vn_date(end)}: quá thời hạn {limit} ngày làm việc (QĐ 29-QĐ/TW điểm 4.2); đảng viên vẫn được công "
            f"nhận chính thức từ ngày {vn_date(end)}",
            f"the cell meets {late} working days after the end of the probation on {vn_date(end)}: past the "
            f"{limit}-working-day limit; the member is still official from {vn_date(end)}"))
    if figures is not None and not data.get("draft") and member.id not in figures.present_ids:
        out.append(Msg(f"đồng chí {member.name} (đảng viên dự bị được xét) không có mặt tại buổi họp",
                       f"{member.name}, the member considered, is not present at the meeting"))
    for helper_id in data.get("helpers") or []:
        helper = profile.member(str(helper_id))
        if helper is None or helper.id == member.id:
            continue
        status = status_on(helper, day)
        if helper.home_cell or not status.counted or not status.official:
            out.append(Msg(f"đảng viên giúp đỡ đồng chí {helper.name} không phải đảng viên chính thức của chi bộ "
                           f"vào ngày {vn_date(day)}",
                           f"the helper {helper.name} is not an official member of the cell on {vn_date(day)}"))
    return out


def prefill(settings: Settings, profile: Profile, day: dt.date | None) -> dict[str, Any]:
    """``docgen form``: the one probationary member whose probation is complete on ``day``
    (and the trích yếu naming them); nothing when there is none or more than one."""
    if day is None:
        return {}
    due = [m for m in profile.members
           if not m.home_cell and status_on(m, day).probationary and probation_end(m) <= day]
    if len(due) != 1:
        return {}
    return {"member": due[0].id, "summary": named_summary(due[0].name)}


def template() -> Any:
    return M.template(("facts", "self_review", "opinions", "review", "vote"))


KIND = Kind(
    header_cues=("chinh thuc",),
    name=NAME, order=34, vote_type=VOTE_TYPE,
    label=Msg("Nghị quyết đề nghị công nhận đảng viên chính thức", "Resolution proposing conversion to official"),
    description=Msg("Nghị quyết chi bộ đề nghị công nhận đảng viên dự bị là đảng viên chính thức "
                    "(biểu quyết cần ít nhất 2/3)",
                    "The cell's resolution proposing to recognise a probationary member as official "
                    "(needs two thirds)"),
    type_symbol="NQ", type_name="NGHỊ QUYẾT",
    schema_builder=schema, labels=LABELS, context_builder=context, summary_builder=summary,
    template_builder=template, template_title="Mẫu nghị quyết đề nghị công nhận đảng viên chính thức",
    keys=M.KEYS, required=M.REQUIRED,
    meeting=True, resolution=True, period_months=1,
    needed=(
        (("self_review",), Msg("nghị quyết chưa ghi tự kiểm điểm của đảng viên dự bị (self_review)",
                               "the resolution gives no self-review of the member (self_review)")),
        *M.review_needed(Msg("đảng viên dự bị", "the member")),
    ),
    strict_refs=("chair", "secretary", "signer", "member", "helpers[]"),
    loose_refs=("opinions[].source",),
    checks=M.checks(conversion_issues, VOTE_TYPE, vote_subject), asked=("vote",),
    warnings=(M.draft_warnings, conversion_warnings),
    book_label=Msg("Nghị quyết đề nghị công nhận đảng viên chính thức",
                   "Resolutions proposing conversion to official"),
    aliases=("nghị quyết chuyển đảng chính thức", "nghị quyết công nhận đảng viên chính thức",
             "nghị quyết đề nghị chuyển đảng chính thức", "nghị quyết đề nghị công nhận chính thức",
             "nghị quyết chuyển chính thức"),
    prefill=prefill,
    extra={k: M.EXTRA[k] for k in ("probation_months", "conversion_deadline_working_days")},
)
