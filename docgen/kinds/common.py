"""Pieces several kinds share: period wording, meeting checks, the default vote subjects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.model.arithmetic import Issue, MeetingFigures
from docgen.model.profile import Profile
from docgen.model.text import line
from docgen.vn.dates import party_date
from docgen.vn.numbers import roman

Data = dict[str, Any]


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def period(data: Data) -> tuple[int, int, int]:
    """(month, quarter, year) a paper is for: given, or from its date."""
    day = dt.date.fromisoformat(data["date"])
    month = data.get("month") or day.month
    year = data.get("year") or day.year
    quarter = data.get("quarter") or quarter_of(month)
    return int(month), int(quarter), int(year)


def meeting_words(data: Data) -> str:
    """"sinh hoạt chi bộ thường kỳ tháng 3 năm 2026" or, for an extraordinary sitting,
    "sinh hoạt chi bộ bất thường ngày 20 tháng 8 năm 2026"."""
    month, _quarter, year = period(data)
    if data.get("extraordinary"):
        return f"sinh hoạt chi bộ bất thường {party_date(dt.date.fromisoformat(data['date']))}"
    if data.get("combined_with_topical"):
        return f"sinh hoạt chi bộ thường kỳ tháng {month} năm {year} kết hợp sinh hoạt chuyên đề"
    return f"sinh hoạt chi bộ thường kỳ tháng {month} năm {year}"


def quarter_words(data: Data) -> str:
    _month, quarter, year = period(data)
    return f"sinh hoạt chuyên đề quý {roman(quarter)} năm {year}"


def extraordinary_checks(data: Data, profile: Profile, settings: Settings,
                         figures: MeetingFigures | None) -> list[Issue]:
    """An extraordinary sitting states its reason; a regular one has none to state."""
    if data.get("extraordinary") and not line(data.get("reason")):
        return [Issue("reason", Msg("cuộc họp bất thường chưa ghi lý do", "the extraordinary meeting gives no reason"),
                      Msg("ghi lý do, ví dụ reason: \"Triển khai phòng, chống cơn bão số 3\"",
                          "give the reason, e.g. reason: \"Triển khai phòng, chống cơn bão số 3\""))]
    if line(data.get("reason")) and not data.get("extraordinary"):
        return [Issue("reason", Msg("có lý do họp bất thường nhưng chưa ghi extraordinary: true",
                                    "a reason is given but extraordinary is not true"),
                      Msg("thêm extraordinary: true hoặc xóa reason", "add extraordinary: true or remove reason"))]
    return []


def topical_checks(data: Data, profile: Profile, settings: Settings, figures: MeetingFigures | None) -> list[Issue]:
    """A sitting combined with a topical session contains the topical part (and only then)."""
    part = data.get("topical")
    if data.get("combined_with_topical") and not part:
        return [Issue("topical", Msg("buổi sinh hoạt kết hợp chuyên đề nhưng chưa có phần chuyên đề (topical)",
                                     "the sitting is combined with a topical session but has no topical part"),
                      Msg("thêm topical: với title (tên chuyên đề), presenter, presentation, discussion",
                          "add topical: with title, presenter, presentation, discussion"))]
    if part and not data.get("combined_with_topical"):
        return [Issue("combined_with_topical", Msg(
            "có phần chuyên đề (topical) nhưng chưa ghi combined_with_topical: true",
            "a topical part is given but combined_with_topical is not true"),
            Msg("ghi combined_with_topical: true hoặc xóa topical", "set combined_with_topical: true or remove topical"))]
    return []


def resolution_subject(data: Data) -> str:
    """What the resolution vote adopts, as it follows "Biểu quyết"."""
    summary = line(data.get("summary"))
    if summary:
        return f"thông qua Nghị quyết {summary}"
    month, _quarter, year = period(data)
    if data.get("extraordinary"):
        return "thông qua Nghị quyết của cuộc họp bất thường"
    return f"thông qua Nghị quyết lãnh đạo thực hiện nhiệm vụ tháng {month} năm {year}"
