"""Nghị quyết chi bộ hằng tháng: the monthly resolution (§5.3), or an extraordinary
sitting's resolution (``extraordinary: true`` with its ``reason``).

A resolution is issued only when its vote passes (Điều lệ Điều 9.5: more than half of the
official members): one that fails is an error naming the vote, is not numbered, and its
result belongs in the minutes of the meeting. A draft (posted before the meeting) carries
no vote result.
"""

from __future__ import annotations

from typing import Any

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.kinds.base import MEETING_KEYS, SIGNED_KEYS, Kind
from docgen.kinds.common import extraordinary_checks, meeting_words, period, resolution_subject
from docgen.model import labels as L
from docgen.model import schemas as S
from docgen.model.arithmetic import Issue, MeetingFigures
from docgen.model.context import Context, meeting_context, signed_context, task_rows
from docgen.model.profile import Profile
from docgen.model.text import line, lower_first, paragraphs
from docgen.model.votes import meeting_votes, tail_text
from docgen.vn.numbers import letter_label

NAME = "nghi-quyet"

LABELS: L.FieldLabels = {
    **L.COMMON, **L.MEETING, **L.EXTRAORDINARY,
    "assessment": L._l("I. Đánh giá kết quả tháng trước", "I. Assessment of last month", None,
                       "các mục có tiêu đề và nội dung", "sections with a heading and text"),
    "assessment[]": L._l("Mục đánh giá", "Assessment section"),
    "assessment[].heading": L._l("Tiêu đề mục", "Section heading", "\"Công tác chính trị, tư tưởng\""),
    "assessment[].text": L._text("Nội dung đánh giá", "Assessment text"),
    "directions": L._l("II. Phương hướng, nhiệm vụ", "II. Directions and tasks", None,
                       "các mục, mỗi mục có các ý a), b), c)…", "sections, each with points a), b), c)…"),
    "directions[]": L._l("Mục nhiệm vụ", "Directions section"),
    "directions[].heading": L._l("Tiêu đề mục", "Section heading", "\"Nhiệm vụ chính trị\""),
    "directions[].items": L._l("Các ý", "Points", None, "đánh a, b, c, d, đ, e…", "lettered a, b, c, d, đ, e…"),
    "directions[].items[]": L._l("Ý", "Point", "\"Ra quân tổng vệ sinh đường làng\""),
    **L.task_table("assignments", "III. Phân công nhiệm vụ", "III. Assignments"),
    "signer": L.SIGNER,
    **L.recipients(),
}


def schema() -> S.Schema:
    props = {**S.common(NAME, "lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026"), **S.meeting(), **S.extraordinary(),
             "assessment": S.arr(S.obj({
                 "heading": S.text(),
                 "text": S.text(examples=["Chi bộ đã thông tin kịp thời tình hình thời sự đến đảng viên."]),
             }, ["heading", "text"]), default=[]),
             "directions": S.arr(S.obj({
                 "heading": S.text(),
                 "items": S.arr(S.p("string"), default=[]),
             }, ["heading"]), default=[]),
             "assignments": S.tasks_table(),
             "signer": S.p(["string", "null"], default=None, pattern=S.ID_PATTERN),
             "recipients": S.recipients()}
    props["vote"]["examples"] = [{"for": 14, "against": 0, "abstain": 1}]
    return S.kind_schema(NAME, "Nghị quyết chi bộ hằng tháng", props,
                         ["kind", "date", "start", "end", "chair", "secretary"])


def summary(data: dict[str, Any]) -> str:
    if data.get("extraordinary"):
        reason = line(data.get("reason")).rstrip(".")
        return f"về {lower_first(reason)}" if reason else meeting_words(data)
    month, _quarter, year = period(data)
    return f"lãnh đạo thực hiện nhiệm vụ tháng {month} năm {year}"


def context(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures | None) -> Context:
    assert figures is not None
    draft = bool(data.get("draft"))
    # A draft is posted before the meeting (HD 42: at least 01 day ahead): it states no
    # vote, no attendance and no self-assessment of a sitting that has not happened yet.
    shown = {**data, "vote": None, "self_score": None} if draft else data
    ctx = meeting_context(shown, profile, figures, resolution_subject(data))
    month, year = ctx["month"], ctx["year"]
    prev_month, prev_year = (12, year - 1) if month == 1 else (month - 1, year)
    assessment = [{"label": f"{i}.", "heading": line(a["heading"]), "paragraphs": paragraphs(a.get("text"))}
                  for i, a in enumerate(data.get("assessment") or [], start=1)]
    directions = [{"label": f"{i}.", "heading": line(d["heading"]),
                   "entries": [{"label": letter_label(j), "text": line(t)} for j, t in enumerate(d.get("items") or [])]}
                  for i, d in enumerate(data.get("directions") or [], start=1)]
    vote = ctx["vote"]
    adopted = ""
    if vote:
        adopted = (f"Nghị quyết được Chi bộ biểu quyết thông qua với {vote['rate_text']}; {vote['tail_text']}. "
                   f"{ctx['denominator_text']}")
    if data.get("extraordinary"):
        heard = "Sau khi nghe Chi ủy báo cáo tình hình và đề xuất nhiệm vụ, giải pháp"
        part1 = "I. TÌNH HÌNH, KẾT QUẢ"
        part2 = "II. NHIỆM VỤ, GIẢI PHÁP"
    else:
        heard = (f"Sau khi nghe Chi ủy báo cáo kết quả thực hiện nhiệm vụ tháng {prev_month} năm {prev_year} "
                 f"và phương hướng, nhiệm vụ tháng {month} năm {year}")
        # "NĂM 2026" never breaks between its words (a year alone on the heading's last line)
        part1 = f"I. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG\u00a0{prev_month} NĂM\u00a0{prev_year}"
        part2 = f"II. PHƯƠNG HƯỚNG, NHIỆM VỤ THÁNG\u00a0{month} NĂM\u00a0{year}"
    opening = ""
    if draft:
        opening = (f"Dự thảo trình Chi bộ thảo luận, biểu quyết tại buổi {ctx['meeting_name']}, "
                   f"{ctx['meeting_date_text']}, tại {ctx['place']}.")
    ctx.update({"previous_month": prev_month, "previous_year": prev_year, "assessment": assessment,
                "directions": directions, "assignments": task_rows(profile, data.get("assignments") or []),
                "adopted_text": adopted, "heard_text": f"{heard}, Chi bộ thảo luận, thống nhất",
                "draft_opening": opening,
                "extraordinary_reason": lower_first(line(data.get("reason")).rstrip(".")),
                "part1_heading": part1, "part2_heading": part2,
                **signed_context(data, profile, settings)})
    return ctx


def vote_checks(data: dict[str, Any], profile: Profile, settings: Settings,
                figures: MeetingFigures | None) -> list[Issue]:
    """A resolution is issued with a vote that passed; a draft has none yet."""
    if data.get("draft") or figures is None:
        return []
    if not data.get("vote"):
        return [Issue("vote", Msg("Chưa điền Kết quả biểu quyết của nghị quyết", "The resolution's vote is missing"),
                      Msg("ghi vote: {for: 14, against: 0, abstain: 1}; nghị quyết chưa biểu quyết thì ghi draft: true",
                          "write vote: {for: 14, against: 0, abstain: 1}; a resolution not yet voted is draft: true"))]
    main = meeting_votes(data, figures, resolution_subject(data))[0]
    if main.passed:
        return []
    result = main.result
    needed = result.denominator // 2 + 1
    return [Issue("vote.for", Msg(
        f"nghị quyết không được thông qua ({result.rate_text}; {tail_text(result)}; cần {result.threshold_text} "
        f"số đảng viên chính thức, tức ít nhất {needed}/{result.denominator} đồng chí tán thành): nghị quyết "
        "không được ban hành, không lấy số",
        f"the resolution did not pass ({result.votes_for}/{result.denominator} for, {result.percent_text}; it needs "
        f"{'two thirds' if result.special else 'more than half'} of the official members): it is not issued "
        "and gets no number"),
        Msg("ghi kết quả biểu quyết này vào biên bản cuộc họp (vote hoặc votes của biên bản); sửa số phiếu nếu ghi nhầm",
            "record this vote in the meeting's minutes (their vote or votes); fix the counts if they are wrong"))]


def draft_warnings(data: dict[str, Any], profile: Profile, settings: Settings,
                   figures: MeetingFigures | None) -> list[Msg]:
    if data.get("draft") and data.get("vote"):
        return [Msg("dự thảo nghị quyết không ghi kết quả biểu quyết (dự thảo gửi trước cuộc họp): "
                    "kết quả biểu quyết (vote) không được in",
                    "a draft resolution carries no vote result (it is posted before the meeting): the vote is not printed")]
    return []


def template() -> Any:
    from docgen.render import tplkit as t

    doc = t.new_document()
    t.header_block(doc, numbered=True)
    t.title_block(doc)
    t.tag(doc, "{%p if draft_opening %}")
    t.para(doc, "{{ draft_opening }}")
    t.tag(doc, "{%p else %}")
    t.para(doc, "Vào lúc {{ start_text }}, {{ meeting_date_text }}, tại {{ place }}, {{ cell_text }} tổ chức "
                "{{ meeting_name }}{% if extraordinary_reason %} để {{ extraordinary_reason }}{% endif %}. "
                "{{ attendance_text }} Đồng chí {{ chair_name }}{% if chair_position %}, {{ chair_position }},"
                "{% endif %} chủ trì; đồng chí {{ secretary_name }} làm thư ký.")
    t.tag(doc, "{%p endif %}")
    t.intro(doc, "{{ heard_text }}")
    t.heading(doc, "QUYẾT NGHỊ:", align=t.CENTER, indent=False)
    t.heading(doc, "{{ part1_heading }}")
    t.tag(doc, "{%p for a in assessment %}")
    t.heading(doc, "{{ a.label }} {{ a.heading }}", before=0)
    t.loop_paragraphs(doc, "a.paragraphs")
    t.tag(doc, "{%p endfor %}")
    t.heading(doc, "{{ part2_heading }}")
    t.tag(doc, "{%p for d in directions %}")
    t.heading(doc, "{{ d.label }} {{ d.heading }}", before=0)
    t.loop_paragraphs(doc, "d.entries", "{{ e.label }} {{ e.text }}", var="e")
    t.tag(doc, "{%p endfor %}")
    t.heading(doc, "III. PHÂN CÔNG NHIỆM VỤ VÀ TỔ CHỨC THỰC HIỆN")
    t.grid_table(doc, t.TASK_HEADERS, t.task_cells("t"), "t in assignments", t.TASK_WIDTHS)
    t.tag(doc, "{%p if self_score %}")
    t.heading(doc, "IV. TỰ ĐÁNH GIÁ CHẤT LƯỢNG KỲ SINH HOẠT")
    t.para(doc, "{{ self_score.sentence }}")
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p if adopted_text %}")
    t.para(doc, "{{ adopted_text }}", before=6, keep_next=True)
    t.tag(doc, "{%p endif %}")
    t.signature_with_recipients(doc)
    return doc


KIND = Kind(
    general=True,
    name=NAME, order=30,
    label=Msg("Nghị quyết", "Resolution"),
    description=Msg("Nghị quyết chi bộ hằng tháng (cả họp bất thường)",
                    "Monthly cell resolution (also of an extraordinary meeting)"),
    type_symbol="NQ", type_name="NGHỊ QUYẾT",
    schema_builder=schema, labels=LABELS, context_builder=context, summary_builder=summary,
    template_builder=template, template_title="Mẫu nghị quyết chi bộ hằng tháng",
    keys=MEETING_KEYS | SIGNED_KEYS | {"assessment", "directions", "assignments", "previous_month", "previous_year",
                                       "adopted_text", "heard_text", "part1_heading", "part2_heading",
                                       "draft_opening"},
    required=frozenset({"assignments", "recipients", "authority_label", "signer_name",
                        "signer_position"}),
    meeting=True, resolution=True, period_months=1, due="month",
    needed=(
        (("assessment",), Msg("nghị quyết chưa có phần I. Đánh giá kết quả (assessment)",
                              "the resolution has no part I, assessment of results (assessment)")),
        (("directions", "assignments"), Msg(
            "nghị quyết chưa có nhiệm vụ: phần II. Phương hướng, nhiệm vụ (directions) và "
            "III. Phân công nhiệm vụ (assignments) đều trống",
            "the resolution has no tasks: part II, directions (directions) and part III, "
            "assignments (assignments) are both empty")),
    ),
    loose_refs=("assignments[].owner",),
    checks=(extraordinary_checks, vote_checks), asked=("vote",),
    warnings=(draft_warnings,),
    aliases=("nghị quyết hằng tháng", "nghị quyết tháng", "nghị quyết họp bất thường"),
)
