"""Kế hoạch sinh hoạt chuyên đề: the year's (or a quarter's) topical-session plan (§5.4).

HD 12: a topical session at least once a quarter; a plan missing a quarter is warned about.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.kinds.base import SIGNED_KEYS, Kind
from docgen.model import labels as L
from docgen.model import schemas as S
from docgen.model.arithmetic import MeetingFigures, missing_quarters
from docgen.model.context import Context, person, signed_context
from docgen.model.profile import Profile
from docgen.model.text import line, paragraphs
from docgen.vn.numbers import roman

NAME = "ke-hoach-chuyen-de"
_ROMAN = {roman(q): q for q in range(1, 5)}

LABELS: L.FieldLabels = {
    **L.COMMON,
    "year": L._l("Năm của kế hoạch", "Year of the plan", "2026", "mặc định: năm của ngày văn bản",
                 "default: the year of the date"),
    "quarter": L._l("Quý", "Quarter", "1", "để trống: kế hoạch cả năm", "empty: a plan for the whole year"),
    "bases": L._l("Căn cứ", "Legal bases"),
    "bases[]": L._l("Căn cứ", "Basis", "\"Điều lệ Đảng Cộng sản Việt Nam\""),
    "purpose": L._text("I. Mục đích, yêu cầu", "I. Purpose and requirements"),
    "schedule": L._l("II. Nội dung, thời gian", "II. Schedule", None, "bảng các buổi sinh hoạt chuyên đề",
                     "a table of the topical sessions"),
    "schedule[]": L._l("Buổi sinh hoạt chuyên đề", "Topical session"),
    "schedule[].period": L._l("Thời gian", "When", "\"Quý I\"", "ví dụ \"Quý I\" hoặc \"Tháng 3\"",
                              "e.g. \"Quý I\" or \"Tháng 3\""),
    "schedule[].quarter": L._l("Quý", "Quarter", "1", "mặc định: đọc từ Thời gian", "default: read from When"),
    "schedule[].title": L._l("Tên chuyên đề", "Title", "\"Chung tay giữ gìn vệ sinh môi trường\""),
    "schedule[].preparer": L._l("Người chuẩn bị", "Preparer", "m02", "mã hoặc họ tên", "an id or a name"),
    "schedule[].owner": L._l("Người phụ trách", "In charge", "m01", "mã hoặc họ tên", "an id or a name"),
    "schedule[].note": L._l("Ghi chú", "Note"),
    "organisation": L._text("III. Tổ chức thực hiện", "III. Organisation"),
    "signer": L.SIGNER,
    **L.recipients(),
}


def schema() -> S.Schema:
    props = {**S.common(NAME, "sinh hoạt chuyên đề năm 2026"),
             "year": S.p(["integer", "null"], default=None, minimum=1945, maximum=2200),
             "quarter": S.p(["integer", "null"], default=None, minimum=1, maximum=4),
             "bases": S.arr(S.p("string"), default=[],
                            examples=[["Điều lệ Đảng Cộng sản Việt Nam",
                                       "Hướng dẫn số 42-HD/BTCTW ngày 28/10/2025 của Ban Tổ chức Trung ương"]]),
             "purpose": S.p(["string", "null"], default=None),
             "schedule": S.arr(S.obj({
                 "period": S.text(),
                 "quarter": S.p(["integer", "null"], default=None, minimum=1, maximum=4),
                 "title": S.text(),
                 "preparer": S.p(["string", "null"], default=None),
                 "owner": S.p(["string", "null"], default=None),
                 "note": S.p(["string", "null"], default=None),
             }, ["period", "title"]), default=[]),
             "organisation": S.p(["string", "null"], default=None),
             "signer": S.p(["string", "null"], default=None, pattern=S.ID_PATTERN),
             "recipients": S.recipients()}
    return S.kind_schema(NAME, "Kế hoạch sinh hoạt chuyên đề", props, ["kind", "date"])


def summary(data: dict[str, Any]) -> str:
    year = data.get("year") or dt.date.fromisoformat(data["date"]).year
    q = data.get("quarter")
    return f"sinh hoạt chuyên đề quý {roman(q)} năm {year}" if q else f"sinh hoạt chuyên đề năm {year}"


def _basis(value: Any) -> str:
    """"Căn cứ Điều lệ Đảng;" is written by the template: strip a typed "Căn cứ" and end punctuation."""
    text = line(value).rstrip(";,.")
    if text.casefold().startswith("căn cứ"):
        text = text[len("căn cứ"):].strip()
    return text


def context(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures | None) -> Context:
    day = dt.date.fromisoformat(data["date"])
    quarter = data.get("quarter")
    rows = [{"index": str(i), "period": line(s["period"]), "title": line(s["title"]),
             "preparer": person(profile, s.get("preparer")), "owner": person(profile, s.get("owner")),
             "note": line(s.get("note"))} for i, s in enumerate(data.get("schedule") or [], start=1)]
    return {"year": data.get("year") or day.year, "quarter": quarter or "",
            "quarter_roman": roman(quarter) if quarter else "",
            "bases": [_basis(b) for b in data.get("bases") or []], "purpose": paragraphs(data.get("purpose")),
            "schedule": rows, "organisation": paragraphs(data.get("organisation")),
            **signed_context(data, profile, settings)}


def quarter_of_period(entry: dict[str, Any]) -> int | None:
    if entry.get("quarter"):
        return int(entry["quarter"])
    text = line(entry.get("period")).upper()
    match = re.search(r"QUÝ\s+([IV]+|[1-4])\b", text)
    if match:
        token = match.group(1)
        return int(token) if token.isdigit() else _ROMAN.get(token)
    match = re.search(r"THÁNG\s+(\d{1,2})\b", text)
    if match and 1 <= int(match.group(1)) <= 12:
        return (int(match.group(1)) - 1) // 3 + 1
    return None


def quarter_warnings(data: dict[str, Any], profile: Profile, settings: Settings,
                     figures: MeetingFigures | None) -> list[Msg]:
    if not data.get("schedule"):  # an empty plan is warned about once, by ``needed``
        return []
    quarters = [quarter_of_period(s) for s in data.get("schedule") or []]
    return [Msg(f"kế hoạch không có buổi sinh hoạt chuyên đề nào trong quý {roman(q)} (HD 12: ít nhất mỗi quý một lần)",
                f"the plan has no topical session in quarter {q} (HD 12: at least once a quarter)")
            for q in missing_quarters(quarters, data.get("quarter"))]


def step(previous: dict[str, Any]) -> int:
    """A quarter's plan follows the previous quarter; a year's plan, the previous year."""
    quarter = previous.get("quarter")
    return 3 if isinstance(quarter, int) and not isinstance(quarter, bool) and quarter else 12


def template() -> Any:
    from docgen.render import tplkit as t

    doc = t.new_document()
    t.header_block(doc, numbered=True)
    t.title_block(doc)
    t.loop_paragraphs(doc, "bases", "- Căn cứ {{ b }}{% if loop.last %},{% else %};{% endif %}", var="b")
    t.intro(doc, "Chi bộ xây dựng Kế hoạch {{ summary }} như sau:")
    t.heading(doc, "I. MỤC ĐÍCH, YÊU CẦU")
    t.loop_paragraphs(doc, "purpose")
    t.heading(doc, "II. NỘI DUNG, THỜI GIAN")
    t.grid_table(doc, ["TT", "Thời gian", "Tên chuyên đề", "Đồng chí chuẩn bị", "Đồng chí phụ trách", "Ghi chú"],
                 ["{{ s.index }}", "{{ s.period }}", "{{ s.title }}", "{{ s.preparer }}", "{{ s.owner }}",
                  "{{ s.note }}"], "s in schedule", t.SCHEDULE_WIDTHS)
    t.heading(doc, "III. TỔ CHỨC THỰC HIỆN")
    t.loop_paragraphs(doc, "organisation", keep_last=True)
    t.signature_with_recipients(doc)
    return doc


KIND = Kind(
    name=NAME, order=50,
    label=Msg("Kế hoạch sinh hoạt chuyên đề", "Topical-session plan"),
    description=Msg("Kế hoạch sinh hoạt chuyên đề (năm hoặc quý)", "Topical-session plan (year or quarter)"),
    type_symbol="KH", type_name="KẾ HOẠCH",
    schema_builder=schema, labels=LABELS, context_builder=context, summary_builder=summary,
    template_builder=template, template_title="Mẫu kế hoạch sinh hoạt chuyên đề",
    keys=SIGNED_KEYS | {"year", "quarter", "quarter_roman", "bases", "purpose", "schedule", "organisation"},
    required=frozenset({"schedule", "recipients", "authority_label", "signer_name", "signer_position"}),
    period_months=12, period_step=step,
    needed=((("schedule",), Msg("kế hoạch chưa có buổi sinh hoạt chuyên đề nào (phần II, schedule)",
                                "the plan lists no topical session (part II, schedule)")),),
    strict_refs=("signer",),
    loose_refs=("schedule[].preparer", "schedule[].owner"),
    warnings=(quarter_warnings,),
    aliases=("kế hoạch chuyên đề",),
)
