"""The five document kinds: names, symbols, schemas, what their templates may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docgen.i18n import Msg
from docgen.model.schemas import schema_for


@dataclass(frozen=True)
class KindSpec:
    name: str
    description: Msg  # one line, Vietnamese / English
    type_symbol: str  # "BB", "NQ", "KH"; "" when never numbered
    type_name: str  # printed type name, e.g. "NGHỊ QUYẾT"
    numbered: bool
    schema: dict[str, Any]
    context_keys: frozenset[str]  # top-level names a template of this kind may use
    required_keys: frozenset[str]  # names a template of this kind must show

    @property
    def template_name(self) -> str:
        return f"{self.name}.docx"


COMMON_KEYS = frozenset({
    "kind", "superior", "cell", "symbol", "place_name", "number_line", "number_text", "date_line",
    "doc_date_text", "type_name", "summary", "title", "draft_mark", "topics", "topic_labels",
})
MEETING_KEYS = frozenset({
    "month", "year", "quarter", "quarter_roman", "start_text", "end_text", "meeting_date_text",
    "place", "chair_name", "chair_position", "secretary_name", "secretary_position", "figures",
    "guests", "combined_with_topical", "vote", "self_score", "duration_minutes",
})
MINUTES_KEYS = frozenset({
    "agenda", "proceedings", "conclusion", "tasks", "read_back", "sign_left_label",
    "sign_right_label", "sign_left_name", "sign_right_name",
})
SIGNED_KEYS = frozenset({"authority_label", "signer_position", "signer_name", "recipients"})

_HEADER_REQUIRED = frozenset({"superior", "cell", "date_line", "type_name", "summary"})
_MINUTES_REQUIRED = frozenset({
    "start_text", "end_text", "place", "chair_name", "secretary_name", "figures", "sign_left_label",
    "sign_right_label", "sign_left_name", "sign_right_name",
})


def _spec(name: str, vi: str, en: str, symbol: str, type_name: str, keys: frozenset[str],
          required: frozenset[str]) -> KindSpec:
    numbered = bool(symbol)
    all_keys = COMMON_KEYS | keys
    req = _HEADER_REQUIRED | required | ({"number_line"} if numbered else frozenset())
    return KindSpec(name, Msg(vi, en), symbol, type_name, numbered, schema_for(name), all_keys, req)


KINDS: dict[str, KindSpec] = {
    "bien-ban-thuong-ky": _spec(
        "bien-ban-thuong-ky", "Biên bản sinh hoạt chi bộ thường kỳ hằng tháng",
        "Minutes of the regular monthly cell meeting", "BB", "BIÊN BẢN",
        MEETING_KEYS | MINUTES_KEYS, _MINUTES_REQUIRED | {"proceedings"}),
    "bien-ban-chuyen-de": _spec(
        "bien-ban-chuyen-de", "Biên bản sinh hoạt chuyên đề",
        "Minutes of a topical session", "BB", "BIÊN BẢN",
        MEETING_KEYS | MINUTES_KEYS | {"topic_title", "purpose", "presenter_name", "presentation", "discussion"},
        _MINUTES_REQUIRED | {"topic_title", "presenter_name", "discussion"}),
    "nghi-quyet": _spec(
        "nghi-quyet", "Nghị quyết chi bộ hằng tháng (lãnh đạo thực hiện nhiệm vụ)",
        "Monthly cell resolution", "NQ", "NGHỊ QUYẾT",
        MEETING_KEYS | SIGNED_KEYS | {"assessment", "directions", "assignments", "previous_month",
                                      "previous_year"},
        frozenset({"figures", "vote", "assignments", "recipients", "authority_label", "signer_name",
                   "signer_position"})),
    "ke-hoach-chuyen-de": _spec(
        "ke-hoach-chuyen-de", "Kế hoạch sinh hoạt chuyên đề (năm hoặc quý)",
        "Topical-session plan (year or quarter)", "KH", "KẾ HOẠCH",
        SIGNED_KEYS | {"year", "quarter", "quarter_roman", "bases", "purpose", "schedule", "organisation"},
        frozenset({"schedule", "recipients", "authority_label", "signer_name", "signer_position"})),
    "de-cuong-chuyen-de": _spec(
        "de-cuong-chuyen-de", "Đề cương sinh hoạt chuyên đề (dự thảo đến khi được thông qua)",
        "Outline of a topical paper (draft until approved)", "", "ĐỀ CƯƠNG",
        frozenset({"year", "quarter", "quarter_roman", "topic_title", "presenter_name", "presenter_position",
                   "purpose", "content", "situation", "tasks", "questions", "sign_right_label"}),
        frozenset({"topic_title", "presenter_name", "draft_mark"})),
}
