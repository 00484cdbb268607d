"""Biên bản sinh hoạt chi bộ thường kỳ: minutes of the regular monthly meeting (§5.1).

Also an extraordinary sitting (``extraordinary: true`` with its ``reason``) and a sitting
combined with a topical session (``combined_with_topical: true`` with its ``topical`` part).
"""

from __future__ import annotations

from typing import Any

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.kinds.base import MEETING_KEYS, MINUTES_KEYS, MINUTES_REQUIRED, Kind
from docgen.kinds.common import (
    extraordinary_checks,
    meeting_words,
    resolution_subject,
    topical_checks,
)
from docgen.model import labels as L
from docgen.model import schemas as S
from docgen.model.arithmetic import MeetingFigures
from docgen.model.context import Context, meeting_context, minutes_context
from docgen.model.profile import Profile

NAME = "bien-ban-thuong-ky"

LABELS: L.FieldLabels = {**L.COMMON, **L.MEETING, **L.MINUTES, **L.VOTES_LIST, **L.EXTRAORDINARY, **L.TOPICAL_PART}


def schema() -> S.Schema:
    props = {**S.common(NAME, "sinh hoạt chi bộ thường kỳ tháng 3 năm 2026"), **S.meeting(),
             **S.extraordinary(), **S.minutes_body(), "votes": S.votes_list(), "topical": S.topical_part()}
    return S.kind_schema(NAME, "Biên bản sinh hoạt chi bộ thường kỳ", props,
                         ["kind", "date", "start", "end", "chair", "secretary"])


def context(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures | None) -> Context:
    assert figures is not None
    return {**meeting_context(data, profile, figures, resolution_subject(data)),
            **minutes_context(data, profile, settings, figures)}


def summary(data: dict[str, Any]) -> str:
    return meeting_words(data)


def template() -> Any:
    from docgen.render import tplkit as t

    doc = t.new_document()
    t.header_block(doc, numbered=True)
    t.title_block(doc)
    t.extraordinary_reason(doc)
    t.participants(doc)
    t.heading(doc, "I. NỘI DUNG SINH HOẠT")
    t.loop_paragraphs(doc, "agenda", "{{ a.label }} {{ a.text }}", var="a")
    t.heading(doc, "II. DIỄN BIẾN BUỔI SINH HOẠT")
    t.speeches(doc, "proceedings")
    t.heading(doc, "III. KẾT LUẬN, BIỂU QUYẾT VÀ PHÂN CÔNG NHIỆM VỤ")
    t.tag(doc, "{%p if conclusion %}")
    t.intro(doc, "Đồng chí {{ chair_name }} (chủ trì) kết luận:", italic=True)
    t.loop_paragraphs(doc, "conclusion")
    t.tag(doc, "{%p endif %}")
    t.votes_block(doc)
    t.tasks_block(doc, "tasks")
    t.topical_part(doc, "IV")  # HD 42: the topical part follows the regular one
    t.tag(doc, "{%p if self_score %}")
    t.tag(doc, "{%p if topical %}")
    t.heading(doc, "V. ĐÁNH GIÁ CHẤT LƯỢNG BUỔI SINH HOẠT")
    t.tag(doc, "{%p else %}")
    t.heading(doc, "IV. ĐÁNH GIÁ CHẤT LƯỢNG BUỔI SINH HOẠT")
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p endif %}")
    t.minutes_closing(doc)
    return doc


KIND = Kind(
    general=True,
    name=NAME, order=10,
    label=Msg("Biên bản sinh hoạt chi bộ thường kỳ", "Minutes of the regular meeting"),
    description=Msg("Biên bản sinh hoạt chi bộ thường kỳ (cả họp bất thường)",
                    "Minutes of the regular monthly cell meeting (also an extraordinary one)"),
    type_symbol="BB", type_name="BIÊN BẢN",
    schema_builder=schema, labels=LABELS, context_builder=context, summary_builder=summary,
    template_builder=template, template_title="Mẫu biên bản sinh hoạt chi bộ thường kỳ",
    keys=MEETING_KEYS | MINUTES_KEYS, required=MINUTES_REQUIRED | {"proceedings"},
    meeting=True, minutes=True, period_months=1, due="month",
    needed=((("agenda", "proceedings", "conclusion"), Msg(
        "biên bản chưa ghi nội dung buổi sinh hoạt: chương trình (agenda), diễn biến "
        "(proceedings) và kết luận (conclusion) đều trống",
        "the minutes record nothing of the meeting: agenda, proceedings and conclusion are all empty")),),
    loose_refs=("proceedings[].speaker", "tasks[].owner", "topical.discussion[].speaker"),
    strict_refs=("chair", "secretary", "topical.presenter"),
    checks=(extraordinary_checks, topical_checks),
    aliases=("biên bản thường kỳ", "biên bản sinh hoạt thường kỳ", "biên bản họp bất thường"),
)
