"""Biên bản sinh hoạt chuyên đề: minutes of a topical session (§2.5, §5.2)."""

from __future__ import annotations

from typing import Any

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.kinds.base import MEETING_KEYS, MINUTES_KEYS, MINUTES_REQUIRED, Kind
from docgen.kinds.common import period, quarter_words
from docgen.model import labels as L
from docgen.model import schemas as S
from docgen.model.arithmetic import MeetingFigures
from docgen.model.context import Context, meeting_context, minutes_context, speeches
from docgen.model.profile import Profile
from docgen.model.text import line, paragraphs
from docgen.vn.numbers import roman

NAME = "bien-ban-chuyen-de"

LABELS: L.FieldLabels = {
    **L.COMMON, **L.MEETING, **L.MINUTES, **L.VOTES_LIST,
    "quarter": L._l("Quý", "Quarter", "1", "mặc định: quý của ngày họp", "default: the quarter of the date"),
    "topic_title": L._l("Tên chuyên đề", "Title of the topical session",
                        "\"Chung tay giữ gìn vệ sinh môi trường\""),
    "purpose": L._text("Mục đích, yêu cầu", "Purpose and requirements", "bí thư nêu", "as the secretary put it"),
    "presenter": L._member("Người trình bày chuyên đề", "Presenter", "m02"),
    "presentation": L._text("Nội dung chuyên đề được trình bày", "Summary of the presentation"),
    **L.speeches("discussion", "Ý kiến thảo luận", "Discussion", "liên hệ bản thân, đơn vị",
                 "relating the topic to oneself and the cell"),
}


def schema() -> S.Schema:
    props = {**S.common(NAME, "sinh hoạt chuyên đề quý I năm 2026"), **S.meeting(), **S.minutes_body(),
             "votes": S.votes_list(),
             "quarter": S.p(["integer", "null"], default=None, minimum=1, maximum=4),
             "topic_title": S.text(),
             "purpose": S.p(["string", "null"], default=None),
             "presenter": S.member_ref(),
             "presentation": S.p(["string", "null"], default=None),
             "discussion": S.speech()}
    return S.kind_schema(NAME, "Biên bản sinh hoạt chuyên đề", props,
                         ["kind", "date", "start", "end", "chair", "secretary", "topic_title", "presenter"])


def context(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures | None) -> Context:
    assert figures is not None
    title = line(data["topic_title"])
    ctx = {**meeting_context(data, profile, figures, f"thông qua kết luận chuyên đề “{title}”", "conclusion"),
           **minutes_context(data, profile, settings, figures)}
    _month, quarter, _year = period(data)
    ctx.update({
        "quarter": quarter, "quarter_roman": roman(quarter), "topic_title": title,
        "purpose": paragraphs(data.get("purpose")), "presenter_name": profile.name_of(data["presenter"]),
        "presentation": paragraphs(data.get("presentation")),
        "discussion": speeches(profile, data.get("guests") or [], data.get("discussion") or []),
    })
    return ctx


def template() -> Any:
    from docgen.render import tplkit as t

    doc = t.new_document()
    t.header_block(doc, numbered=True)
    t.title_block(doc)
    t.para(doc, "Chuyên đề: “{{ topic_title }}”", bold=True, align=t.CENTER, indent=False, after=12)
    t.participants(doc)
    t.tag(doc, "{%p if agenda %}")
    t.intro(doc, "Nội dung sinh hoạt:", italic=True)
    t.tag(doc, "{%p endif %}")
    t.loop_paragraphs(doc, "agenda", "{{ a.label }} {{ a.text }}", var="a")
    t.heading(doc, "I. MỤC ĐÍCH, YÊU CẦU BUỔI SINH HOẠT CHUYÊN ĐỀ")
    t.intro(doc, "Đồng chí {{ chair_name }} nêu mục đích, yêu cầu buổi sinh hoạt chuyên đề:")
    t.loop_paragraphs(doc, "purpose")
    t.heading(doc, "II. TRÌNH BÀY CHUYÊN ĐỀ")
    t.intro(doc, "Đồng chí {{ presenter_name }} trình bày chuyên đề “{{ topic_title }}”; nội dung chính:")
    t.loop_paragraphs(doc, "presentation")
    t.heading(doc, "III. THẢO LUẬN, LIÊN HỆ BẢN THÂN VÀ ĐƠN VỊ")
    t.speeches(doc, "proceedings")
    t.speeches(doc, "discussion")
    t.heading(doc, "IV. {{ conclusion_heading }}")
    t.loop_paragraphs(doc, "conclusion")
    t.tasks_block(doc, "tasks")
    t.tag(doc, "{%p if votes %}")
    t.heading(doc, "V. BIỂU QUYẾT")
    t.tag(doc, "{%p endif %}")
    t.votes_block(doc)
    t.tag(doc, "{%p if self_score %}")
    t.heading(doc, "{% if votes %}VI{% else %}V{% endif %}. ĐÁNH GIÁ CHẤT LƯỢNG BUỔI SINH HOẠT")
    t.tag(doc, "{%p endif %}")
    t.minutes_closing(doc)
    return doc


KIND = Kind(
    name=NAME, order=20, vote_type="conclusion",
    label=Msg("Biên bản sinh hoạt chuyên đề", "Minutes of a topical session"),
    description=Msg("Biên bản sinh hoạt chuyên đề", "Minutes of a topical session"),
    type_symbol="BB", type_name="BIÊN BẢN",
    schema_builder=schema, labels=LABELS, context_builder=context, summary_builder=quarter_words,
    template_builder=template, template_title="Mẫu biên bản sinh hoạt chuyên đề",
    keys=MEETING_KEYS | MINUTES_KEYS | {"topic_title", "purpose", "presenter_name", "presentation", "discussion"},
    required=MINUTES_REQUIRED | {"topic_title", "presenter_name", "discussion"},
    meeting=True, minutes=True, separate_sitting=True, period_months=3, due="quarter",
    needed=((("presentation", "discussion"), Msg(
        "biên bản chưa ghi nội dung chuyên đề: tóm tắt chuyên đề (presentation) và ý kiến "
        "thảo luận (discussion) đều trống",
        "the minutes record nothing of the topic: presentation and discussion are both empty")),),
    loose_refs=("proceedings[].speaker", "discussion[].speaker", "tasks[].owner"),
    aliases=("biên bản chuyên đề",),
)
