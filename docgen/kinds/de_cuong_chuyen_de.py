"""Đề cương sinh hoạt chuyên đề: the outline of the topical paper (§2.2, §5.5).

HD 12: "Dự thảo chuyên đề phải được chi ủy hoặc bí thư chi bộ thông qua và gửi cho đảng viên
trước khi tổ chức sinh hoạt." An outline is a draft (DỰ THẢO) until approved; an approved one
records who approved it (the chi ủy or the secretary) and when, with a signature line.
Never numbered: it is a working paper, not a Party document type (domain reference §1.4).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.kinds.base import Kind
from docgen.kinds.common import period, quarter_words
from docgen.model import labels as L
from docgen.model import schemas as S
from docgen.model.arithmetic import Issue, MeetingFigures
from docgen.model.context import Context, numbered
from docgen.model.profile import Profile
from docgen.model.text import line, paragraphs
from docgen.vn.dates import short_date
from docgen.vn.numbers import roman

NAME = "de-cuong-chuyen-de"

LABELS: L.FieldLabels = {
    **L.COMMON,
    "number": L._l("Số văn bản", "Document number", None, "đề cương không mang số, để trống",
                   "an outline is never numbered: leave it empty"),
    "year": L._l("Năm", "Year", "2026", "mặc định: năm của ngày văn bản", "default: the year of the date"),
    "quarter": L._l("Quý", "Quarter", "1", "mặc định: quý của ngày văn bản", "default: the quarter of the date"),
    "title": L._l("Chủ đề", "Topic", "\"Chung tay giữ gìn vệ sinh môi trường\""),
    "presenter": L._member("Người chuẩn bị, trình bày", "Presenter", "m02"),
    "approved": L._l("Đã được thông qua", "Approved", "true",
                     "chi ủy/bí thư đã thông qua; false: ghi \"DỰ THẢO\"",
                     "approved by the committee/secretary; false: marked \"DỰ THẢO\""),
    "approved_by": L._l("Cấp duyệt", "Approved by", "chi-uy",
                        "chi-uy (Chi ủy duyệt) hoặc bi-thu (Bí thư duyệt, nơi không có chi ủy)",
                        "chi-uy (the committee) or bi-thu (the secretary, where there is no committee)"),
    "approved_on": L._l("Ngày duyệt", "Approval date", "5/3/2026", "ngày/tháng/năm; mặc định: ngày văn bản",
                        "day/month/year; default: the document date"),
    "approver": L._member("Người ký duyệt", "Signed by", "m01", "mặc định: Bí thư", "default: the secretary"),
    "purpose": L._text("I. Mục đích, yêu cầu, sự cần thiết", "I. Purpose, requirements, why it matters"),
    "content": L._text("II. Nội dung chính", "II. Main content"),
    "situation": L._text("III. Thực trạng ở thôn, chi bộ", "III. Situation in the village and the cell"),
    "tasks": L._text("IV. Nhiệm vụ, giải pháp, trách nhiệm của đảng viên",
                     "IV. Tasks, solutions, members' responsibilities"),
    "questions": L._l("V. Gợi ý thảo luận, liên hệ bản thân", "V. Questions for discussion"),
    "questions[]": L._l("Câu hỏi", "Question", "\"Đảng viên cần làm gì để giữ gìn vệ sinh môi trường?\""),
}


def schema() -> S.Schema:
    common = S.common(NAME, "sinh hoạt chuyên đề quý I năm 2026")
    common["number"] = S.p("null", default=None)
    props = {**common,
             "year": S.p(["integer", "null"], default=None, minimum=1945, maximum=2200),
             "quarter": S.p(["integer", "null"], default=None, minimum=1, maximum=4),
             "title": S.text(examples=["Chung tay giữ gìn vệ sinh môi trường, xây dựng thôn sáng - xanh - sạch - đẹp"]),
             "presenter": S.member_ref(),
             "approved": S.p("boolean", default=False),
             "approved_by": S.p("string", default="chi-uy", enum=["chi-uy", "bi-thu"]),
             "approved_on": S.p(["string", "null"], default=None, pattern=S.DATE_PATTERN),
             "approver": S.p(["string", "null"], default=None, pattern=S.ID_PATTERN),
             "purpose": S.p(["string", "null"], default=None),
             "content": S.p(["string", "null"], default=None),
             "situation": S.p(["string", "null"], default=None),
             "tasks": S.p(["string", "null"], default=None),
             "questions": S.arr(S.p("string"), default=[])}
    return S.kind_schema(NAME, "Đề cương sinh hoạt chuyên đề", props, ["kind", "date", "title", "presenter"])


def is_draft(data: dict[str, Any]) -> bool:
    return bool(data.get("draft")) or not data.get("approved")


def context(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures | None) -> Context:
    _month, quarter, year = period(data)
    approved = bool(data.get("approved")) and not data.get("draft")
    approver = data.get("approver") or profile.officers.bi_thu
    by_committee = data.get("approved_by", "chi-uy") != "bi-thu"
    on = dt.date.fromisoformat(data.get("approved_on") or data["date"])
    approval = None
    if approved:
        approval = {
            "label": "DUYỆT CỦA CHI ỦY" if by_committee else "DUYỆT CỦA BÍ THƯ",
            "authority": "T/M CHI ỦY" if by_committee else "",
            "position": "BÍ THƯ" if approver == profile.officers.bi_thu else (
                "PHÓ BÍ THƯ" if approver == profile.officers.pho_bi_thu else "CHI ỦY VIÊN"),
            "name": profile.name_of(approver),
            "date_text": f"Ngày {short_date(on)}",
            "sentence": (f"Đề cương đã được {'Chi ủy' if by_committee else 'Bí thư Chi bộ'} thông qua "
                         f"ngày {short_date(on)}."),
        }
    return {"year": year, "quarter": quarter, "quarter_roman": roman(quarter),
            "topic_title": line(data["title"]), "presenter_name": profile.name_of(data["presenter"]),
            "presenter_position": profile.position_of(data["presenter"]),
            "purpose": paragraphs(data.get("purpose")), "content": paragraphs(data.get("content")),
            "situation": paragraphs(data.get("situation")), "tasks": paragraphs(data.get("tasks")),
            "questions": numbered(data.get("questions") or []), "sign_right_label": "NGƯỜI CHUẨN BỊ",
            "approval": approval}


def approval_checks(data: dict[str, Any], profile: Profile, settings: Settings,
                    figures: MeetingFigures | None) -> list[Issue]:
    issues: list[Issue] = []
    approver = data.get("approver")
    officers = {profile.officers.bi_thu, profile.officers.pho_bi_thu, *profile.officers.chi_uy_vien} - {None}
    if approver and profile.member(approver) is not None and approver not in officers:
        issues.append(Issue("approver", Msg(f"đồng chí {profile.name_of(approver)} không phải thành viên Chi ủy",
                                            f"{profile.name_of(approver)} is not on the cell committee"),
                            Msg("để trống (Bí thư ký duyệt) hoặc ghi mã một chi ủy viên",
                                "leave it empty (the secretary signs) or give a committee member's id")))
    if data.get("approved_on") and data["approved_on"] > data["date"] and data.get("approved"):
        issues.append(Issue("approved_on", Msg("ngày duyệt sau ngày đề cương", "approval dated after the outline"),
                            Msg("sửa ngày duyệt hoặc ngày văn bản", "fix the approval date or the document date")))
    return issues


def template() -> Any:
    from docgen.render import tplkit as t

    doc = t.new_document()
    t.header_block(doc, numbered=False)
    t.title_block(doc)
    t.para(doc, "Chủ đề: “{{ topic_title }}”", bold=True, align=t.CENTER, indent=False, after=6)
    t.para(doc, "Người chuẩn bị, trình bày: đồng chí {{ presenter_name }}"
                "{% if presenter_position %}, {{ presenter_position }}{% endif %}", italic=True, align=t.CENTER,
           indent=False, after=12)
    t.heading(doc, "I. MỤC ĐÍCH, YÊU CẦU, SỰ CẦN THIẾT")
    t.loop_paragraphs(doc, "purpose")
    t.heading(doc, "II. NỘI DUNG CHÍNH")
    t.loop_paragraphs(doc, "content")
    t.heading(doc, "III. THỰC TRẠNG Ở THÔN, CHI BỘ")
    t.loop_paragraphs(doc, "situation")
    t.heading(doc, "IV. NHIỆM VỤ, GIẢI PHÁP; TRÁCH NHIỆM CỦA ĐẢNG VIÊN")
    t.loop_paragraphs(doc, "tasks")
    t.heading(doc, "V. GỢI Ý THẢO LUẬN, LIÊN HỆ BẢN THÂN")
    t.loop_paragraphs(doc, "questions", "{{ q.label }} {{ q.text }}", var="q", keep_last=True)
    t.tag(doc, "{%p if approval %}")
    t.para(doc, "{{ approval.sentence }}", italic=True, keep_next=True)
    t.tag(doc, "{%p endif %}")
    t.outline_signatures(doc)
    return doc


KIND = Kind(
    general=True,
    name=NAME, order=60,
    label=Msg("Đề cương sinh hoạt chuyên đề", "Outline of a topical paper"),
    description=Msg("Đề cương sinh hoạt chuyên đề (dự thảo đến khi được thông qua)",
                    "Outline of a topical paper (draft until approved)"),
    type_symbol="", type_name="ĐỀ CƯƠNG",
    schema_builder=schema, labels=LABELS, context_builder=context, summary_builder=quarter_words,
    template_builder=template, template_title="Mẫu đề cương sinh hoạt chuyên đề",
    keys=frozenset({"year", "quarter", "quarter_roman", "topic_title", "presenter_name", "presenter_position",
                    "purpose", "content", "situation", "tasks", "questions", "sign_right_label", "approval"}),
    required=frozenset({"topic_title", "presenter_name", "draft_mark"}),
    period_months=3, draft_rule=is_draft, finalize_sets={"approved": True},
    needed=((("content",), Msg("đề cương chưa có phần II. Nội dung chính (content)",
                               "the outline has no part II, main content (content)")),),
    strict_refs=("presenter", "approver"),
    checks=(approval_checks,),
    aliases=("đề cương chuyên đề", "dự thảo chuyên đề"),
)
