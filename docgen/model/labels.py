"""Field labels: the one table naming every field of every input, in Vietnamese and English.

Every field of the five document kinds and of ``profile.yaml`` has a ``Label``: a short
name a secretary recognises ("Giờ bắt đầu"), its English twin ("Start time"), where useful
an example written as it goes in the file (``"19:30"``, ``10/3/2026``) and a note that
explains it ("giờ:phút theo 24 giờ; viết 19h30 cũng được"). Messages name fields by these labels,
``docgen form`` writes them as comments and ``docgen schema`` shows them as titles and
descriptions; the web forms reuse them.

Labels are keyed per kind by the field's *path pattern*: ``"start"``, ``"vote.for"``,
``"absent[]"`` (one item of the list), ``"absent[].member"``. Each kind's table is built
from shared groups (common fields, meeting fields, minutes fields…) plus its own fields, so
a kind's table can later move into that kind's module and register itself in
``KIND_LABELS`` (each kind's table lives in its module, docgen/kinds/).

``label_of("absent[2].member", kind)`` names a concrete field: "Đảng viên của người vắng
mặt thứ 3" / "Member (absent member 3)".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from docgen.i18n import Msg
from docgen.model.text import lower_first

PathPart = str | int
Path = tuple[PathPart, ...]

PROFILE = "profile"
"""The label table of profile.yaml (``KIND_LABELS[PROFILE]``)."""


@dataclass(frozen=True)
class Label:
    """How one field is named for people."""

    vi: str
    en: str
    example: str | None = None  # as written in the file: '"19:30"', "10/3/2026", "m01", "14"
    note: Msg | None = None  # what to write / what it does ("để trống: …")

    @property
    def name(self) -> Msg:
        return Msg(self.vi, self.en)

    @property
    def description(self) -> Msg:
        """Label and note, e.g. "Giờ bắt đầu — giờ:phút theo 24 giờ; viết 19h30 cũng được"."""
        if self.note is None:
            return self.name
        return Msg(f"{self.vi} — {self.note.vi}", f"{self.en} — {self.note.en}")


FieldLabels = dict[str, Label]


def _l(vi: str, en: str, example: str | None = None, note_vi: str = "", note_en: str = "") -> Label:
    return Label(vi, en, example, Msg(note_vi, note_en) if note_vi else None)


_TEXT = ("đoạn văn; xuống dòng để tách đoạn", "text; a new line starts a new paragraph")
_MEMBER = ("mã đảng viên (ví dụ m01) hoặc họ tên như trong danh sách",
           "a member id (e.g. m01) or the name as on the roster")
_DATE_NOTE = ("ngày/tháng/năm, ví dụ 10/3/2026", "day/month/year, e.g. 10/3/2026")
_TIME_NOTE = ("giờ:phút theo 24 giờ; viết 19h30 cũng được", "hours:minutes, 24-hour clock; 19h30 also works")


def _text(vi: str, en: str, note_vi: str = "", note_en: str = "") -> Label:
    """A free-text field whose new lines start paragraphs."""
    return _l(vi, en, None, f"{note_vi}; {_TEXT[0]}" if note_vi else _TEXT[0],
              f"{note_en}; {_TEXT[1]}" if note_en else _TEXT[1])


def _member(vi: str, en: str, example: str, note_vi: str = "", note_en: str = "") -> Label:
    return _l(vi, en, example, f"{_MEMBER[0]}; {note_vi}" if note_vi else _MEMBER[0],
              f"{_MEMBER[1]}; {note_en}" if note_en else _MEMBER[1])


# --------------------------------------------------------------------------- shared groups

COMMON: FieldLabels = {
    "kind": _l("Loại văn bản", "Document kind", None, "không sửa dòng này", "do not change this line"),
    "date": _l("Ngày văn bản", "Document date", "10/3/2026",
               f"{_DATE_NOTE[0]}; với biên bản, nghị quyết là ngày họp",
               f"{_DATE_NOTE[1]}; the meeting date for minutes and resolutions"),
    "number": _l("Số văn bản", "Document number", "5", "để trống để kho lưu trữ tự cấp số",
                 "leave empty and the archive assigns the next one"),
    "draft": _l("Dự thảo", "Draft", "true", "true: không cấp số, ghi \"DỰ THẢO\"",
                "true: filed without a number, marked \"DỰ THẢO\""),
    "topics": _l("Chủ đề", "Topics", "[vsmt, ntm]",
                 "mã hoặc tên chủ đề (xem docgen topics), ví dụ vsmt, ntm, antt",
                 "topic ids or names (see docgen topics), e.g. vsmt, ntm, antt"),
    "topics[]": _l("Chủ đề", "Topic", "vsmt"),
    "summary": _l("Trích yếu", "Summary line", None, "để trống để dùng trích yếu mặc định theo loại và kỳ",
                  "empty: the default for the kind and period"),
}

_VOTE: FieldLabels = {
    "vote": _l("Kết quả biểu quyết", "Vote result"),
    "vote.for": _l("Số đồng chí tán thành", "Votes in favour", "14"),
    "vote.against": _l("Số đồng chí không tán thành", "Votes against", "0"),
    "vote.abstain": _l("Số đồng chí có ý kiến khác", "Other opinions", "1"),
    "vote.special": _l("Biểu quyết kết nạp, chuyển chính thức", "Admission or conversion vote", "true",
                       "true: cần 2/3 số đảng viên chính thức tán thành",
                       "true: needs two thirds of the full members in favour"),
    "vote.subject": _l("Nội dung biểu quyết", "What was voted on",
                       "\"Nghị quyết lãnh đạo thực hiện nhiệm vụ tháng 3\""),
    "vote.voters": _l("Người biểu quyết", "Voters", None,
                      "danh sách đảng viên đã biểu quyết, không bắt buộc",
                      "the members who voted, optional"),
    "vote.voters[]": _member("Người biểu quyết", "Voter", "m01"),
}

MEETING: FieldLabels = {
    "month": _l("Tháng", "Month", "3", "tháng của kỳ sinh hoạt; mặc định: tháng của ngày họp",
                "the month the meeting is for; default: the month of the date"),
    "year": _l("Năm", "Year", "2026", "mặc định: năm của ngày họp", "default: the year of the date"),
    "start": _l("Giờ bắt đầu", "Start time", "\"19:30\"", *_TIME_NOTE),
    "end": _l("Giờ kết thúc", "End time", "\"21:30\"", *_TIME_NOTE),
    "place": _l("Địa điểm", "Place", "\"Nhà văn hóa thôn An Thành\"",
                "mặc định: địa điểm sinh hoạt trong hồ sơ chi bộ", "default: the profile's meeting place"),
    "chair": _member("Chủ trì", "Chair", "m01"),
    "secretary": _member("Thư ký", "Minute-taker", "m03"),
    "absent": _l("Đảng viên vắng mặt", "Absent members", None,
                 "không ghi người được miễn, người sinh hoạt tạm thời nơi khác",
                 "not exempt members, not members temporarily elsewhere"),
    "absent[]": _l("Người vắng mặt", "Absent member", None,
                   "hoặc chỉ ghi họ tên (hay mã), lý do trong ngoặc: - Hoàng Văn Em (đi công tác)",
                   "or just the name (or id), the reason in brackets: - Hoàng Văn Em (đi công tác)"),
    "absent[].member": _member("Đảng viên", "Member", "m05"),
    "absent[].reason": _l("Lý do vắng", "Reason", "đi công tác", "để trống: không có lý do",
                          "empty: no reason given"),
    "exempt_present": _l("Đảng viên được miễn sinh hoạt có mặt", "Exempt members present", None,
                         "được tính, được biểu quyết", "they count and vote"),
    "exempt_present[]": _member("Đảng viên được miễn có mặt", "Exempt member present", "m09"),
    "exempt_not_voting": _l("Đảng viên được miễn có mặt, không biểu quyết", "Exempt members present, not voting",
                            None, "dự họp nhưng không biểu quyết: không tính vào mẫu số",
                            "they attend but do not vote: not in the denominator"),
    "exempt_not_voting[]": _member("Đảng viên được miễn có mặt, không biểu quyết", "Exempt member present, not voting",
                                   "m20"),
    "temporary_in_present": _l("Đảng viên sinh hoạt tạm thời có mặt", "Temporary members present", None,
                               "đảng viên chi bộ khác sinh hoạt tạm thời tại chi bộ",
                               "members of other cells attending here temporarily"),
    "temporary_in_present[]": _member("Đảng viên sinh hoạt tạm thời có mặt", "Temporary member present", "t01"),
    "guests": _l("Đại biểu dự", "Guests"),
    "guests[]": _l("Đại biểu", "Guest"),
    "guests[].name": _l("Họ tên đại biểu", "Guest's name", "Trần Văn Bình"),
    "guests[].position": _l("Chức vụ", "Position", "\"Đảng ủy viên, phụ trách chi bộ\""),
    "combined_with_topical": _l("Kết hợp sinh hoạt chuyên đề", "Combined with a topical session", "true",
                                "true: sinh hoạt thường kỳ kết hợp chuyên đề (tối thiểu 120 phút)",
                                "true: regular and topical session in one sitting (at least 120 minutes)"),
    **_VOTE,
    "self_score": _l("Tự đánh giá buổi sinh hoạt", "Self-assessment of the meeting"),
    "self_score.points": _l("Điểm tự đánh giá", "Self-assessment points", "92", "thang 100", "out of 100"),
    "self_score.rating": _l("Xếp loại", "Rating", "Tốt",
                            "để trống để tính từ điểm: Tốt ≥ 90, Khá ≥ 70, Trung bình ≥ 50",
                            "empty: from the points (Tốt ≥ 90, Khá ≥ 70, Trung bình ≥ 50)"),
}


def speeches(key: str, vi: str, en: str, note_vi: str = "", note_en: str = "") -> FieldLabels:
    """A list of speeches: who spoke and the gist of it."""
    return {
        key: _l(vi, en, None, note_vi, note_en),
        f"{key}[]": _l("Ý kiến phát biểu", "Speech"),
        f"{key}[].speaker": _l("Người phát biểu", "Speaker", "m03",
                               "mã hoặc họ tên đảng viên, hoặc họ tên đại biểu",
                               "a member's id or name, or a guest's name"),
        f"{key}[].content": _text("Nội dung phát biểu", "What was said", "tóm tắt ý kiến", "the gist"),
    }


def task_table(key: str, vi: str, en: str) -> FieldLabels:
    """A table of tasks: what, who, by when."""
    return {
        key: _l(vi, en),
        f"{key}[]": _l("Nhiệm vụ", "Task"),
        f"{key}[].content": _l("Nội dung công việc", "Task", "\"Ra quân tổng vệ sinh đường làng\""),
        f"{key}[].owner": _l("Người phụ trách", "Responsible", "m04",
                             "mã, họ tên đảng viên hoặc tên bộ phận", "a member's id or name, or a body"),
        f"{key}[].deadline": _l("Thời hạn", "Deadline", "\"Trước 30/3/2026\"",
                                "chữ tự do hoặc ngày, ví dụ 30/3/2026", "free text or a date, e.g. 30/3/2026"),
        f"{key}[].note": _l("Ghi chú", "Note"),
    }


def recipients() -> FieldLabels:
    return {
        "recipients": _l("Nơi nhận", "Recipients", None,
                         "để trống để dùng mặc định (cấp ủy cấp trên (để báo cáo), đảng viên trong chi bộ, lưu)",
                         "empty: the default list (superior committee, the members, file copy)"),
        "recipients[]": _l("Nơi nhận", "Recipient", "\"Đảng ủy xã Quang Kim (để báo cáo)\"",
                           "không cần dấu \"-\" đầu dòng, không cần dấu phẩy cuối",
                           "no leading \"-\", no trailing comma"),
    }


_SIGNER = _l("Người ký", "Signer", "m01", "mã đảng viên; mặc định: Bí thư",
             "a member id; default: the secretary of the cell")

MINUTES: FieldLabels = {
    "agenda": _l("Nội dung sinh hoạt", "Agenda", None, "chương trình buổi sinh hoạt", "the meeting's programme"),
    "agenda[]": _l("Nội dung sinh hoạt", "Agenda item", "\"Thông tin thời sự\""),
    **speeches("proceedings", "Diễn biến", "Proceedings", "từng người phát biểu và tóm tắt ý kiến",
               "each speaker and the gist of what they said"),
    "conclusion": _text("Kết luận của chủ trì", "The chair's conclusion"),
    **task_table("tasks", "Phân công nhiệm vụ", "Task assignments"),
    "read_back": _l("Thông qua biên bản", "Minutes read back"),
    "read_back.agree": _l("Số đồng chí nhất trí thông qua biên bản", "Members approving the minutes", "18",
                          "mặc định: tất cả có mặt", "default: everyone present"),
}

SIGNER = _SIGNER

# --------------------------------------------------------------------------- more shared groups

VOTES_LIST: FieldLabels = {
    "votes": _l("Các biểu quyết khác", "Further votes", None,
                "kết nạp, chuyển chính thức, các quyết định khác; mỗi biểu quyết ghi nội dung và kết quả",
                "admission, conversion, other decisions; each with its subject and count"),
    "votes[]": _l("Biểu quyết", "Vote"),
    "votes[].subject": _l("Nội dung biểu quyết", "What was voted on",
                          "\"đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng\"",
                          "viết tiếp sau chữ \"Biểu quyết\"", "as it follows the word \"Biểu quyết\""),
    "votes[].type": _l("Loại biểu quyết", "Kind of vote", "admission",
                       "resolution, conclusion, other: cần hơn một nửa; admission (kết nạp), conversion "
                       "(chuyển chính thức): cần 2/3 số đảng viên chính thức",
                       "resolution, conclusion, other: more than half; admission, conversion: two thirds "
                       "of the official members"),
    "votes[].for": _l("Số đồng chí tán thành", "Votes in favour", "17"),
    "votes[].against": _l("Số đồng chí không tán thành", "Votes against", "0"),
    "votes[].abstain": _l("Số đồng chí có ý kiến khác", "Other opinions", "0"),
    "votes[].voters": _l("Người biểu quyết", "Voters", None, "không bắt buộc", "optional"),
    "votes[].voters[]": _member("Người biểu quyết", "Voter", "m01"),
}

EXTRAORDINARY: FieldLabels = {
    "extraordinary": _l("Sinh hoạt bất thường", "Extraordinary meeting", "true",
                        "true: cuộc họp bất thường (ngoài kỳ thường lệ), ghi lý do",
                        "true: a meeting outside the regular cycle; give the reason"),
    "reason": _l("Lý do họp bất thường", "Reason for the extraordinary meeting",
                 "\"Triển khai phòng, chống cơn bão số 3\""),
}

TOPICAL_PART: FieldLabels = {
    "topical": _l("Phần sinh hoạt chuyên đề", "The topical part", None,
                  "khi kết hợp sinh hoạt chuyên đề: tên chuyên đề, người trình bày, thảo luận",
                  "when combined with a topical session: its title, presenter, discussion"),
    "topical.title": _l("Tên chuyên đề", "Title of the topic", "\"Chung tay giữ gìn vệ sinh môi trường\""),
    "topical.presenter": _member("Người trình bày chuyên đề", "Presenter", "m02"),
    "topical.purpose": _text("Mục đích, yêu cầu", "Purpose and requirements"),
    "topical.presentation": _text("Nội dung chuyên đề được trình bày", "Summary of the presentation"),
    **speeches("topical.discussion", "Ý kiến thảo luận chuyên đề", "Discussion of the topic"),
    "topical.conclusion": _text("Kết luận chuyên đề", "Conclusion of the topic"),
}

def periods(key: str, vi: str, en: str, item_vi: str, item_en: str, note_key: str, note_vi: str,
            note_en: str) -> FieldLabels:
    """A member's list of periods (from, to and a note)."""
    return {
        key: _l(vi, en),
        f"{key}[]": _l(item_vi, item_en, None, "để trống Đến ngày: chưa kết thúc", "no To: still open"),
        f"{key}[].from": _l("Từ ngày", "From", "1/1/2026", *_DATE_NOTE),
        f"{key}[].to": _l("Đến ngày", "To", "30/6/2026", "để trống: chưa kết thúc", "empty: still open"),
        f"{key}[].{note_key}": _l(note_vi, note_en),
    }


PROFILE_LABELS: FieldLabels = {
    "cell": _l("Thông tin chi bộ", "The cell"),
    "cell.name": _l("Tên chi bộ", "Name of the cell", "CHI BỘ THÔN AN THÀNH", "dòng cơ quan ban hành",
                    "the issuer line"),
    "cell.superior": _l("Cấp trên trực tiếp", "Superior body", "ĐẢNG BỘ XÃ QUANG KIM"),
    "cell.superior_committee": _l("Cấp ủy cấp trên", "Superior committee", "Đảng ủy xã Quang Kim",
                                  "dùng ở Nơi nhận", "used under Recipients"),
    "cell.place": _l("Địa danh", "Place name", "Quang Kim", "ở dòng ngày tháng", "on the date line"),
    "cell.symbol": _l("Ký hiệu chi bộ", "Cell symbol", "CB", "trong số văn bản, ví dụ 05-NQ/CB",
                      "in document numbers, e.g. 05-NQ/CB"),
    "cell.term_start": _l("Ngày bắt đầu nhiệm kỳ", "Start of the committee term", "20/8/2025", *_DATE_NOTE),
    "cell.meeting_place": _l("Địa điểm sinh hoạt", "Meeting place", "Nhà văn hóa thôn An Thành",
                             "địa điểm sinh hoạt thường dùng", "where the cell usually meets"),
    "cell.history": _l("Tên cũ của chi bộ", "Earlier names of the cell", None,
                       "tên, cấp trên, địa danh đã dùng trước đây (trước khi sáp nhập, đổi tên), cũ nhất "
                       "trước; văn bản ghi ngày nào dùng tên của ngày đó",
                       "names, superiors, place names used before (before a merger or renaming), oldest "
                       "first; a document uses the names in force on its date"),
    "cell.history[]": _l("Tên cũ", "Earlier names", None,
                         "chỉ ghi những gì khác với mục sau nó (hoặc với tên hiện tại)",
                         "only what differs from the next entry (or from today's names)"),
    "cell.history[].until": _l("Dùng đến ngày", "In force until", "30/6/2025",
                               "ngày cuối cùng dùng các tên này; ngày/tháng/năm",
                               "the last day these names were used; day/month/year"),
    "cell.history[].name": _l("Tên chi bộ cũ", "Earlier name of the cell", "CHI BỘ THÔN AN THÀNH"),
    "cell.history[].superior": _l("Cấp trên trực tiếp cũ", "Earlier superior body", "ĐẢNG BỘ XÃ AN HÒA"),
    "cell.history[].superior_committee": _l("Cấp ủy cấp trên cũ", "Earlier superior committee",
                                            "Đảng ủy xã An Hòa",
                                            "để trống: theo cấp trên cũ nếu có ghi, không thì như mục sau",
                                            "empty: the earlier superior if given, else as the next entry"),
    "cell.history[].place": _l("Địa danh cũ", "Earlier place name", "An Hòa"),
    "cell.history[].symbol": _l("Ký hiệu chi bộ cũ", "Earlier cell symbol", "CB"),
    "cell.history[].meeting_place": _l("Địa điểm sinh hoạt cũ", "Earlier meeting place",
                                       "Nhà văn hóa thôn An Thành"),
    "officers": _l("Cấp ủy chi bộ", "Cell committee"),
    "officers.bi_thu": _l("Bí thư", "Secretary of the cell", "m01", "mã đảng viên", "a member id"),
    "officers.pho_bi_thu": _l("Phó Bí thư", "Deputy secretary", "m02", "mã đảng viên, nếu có",
                              "a member id, if any"),
    "officers.chi_uy_vien": _l("Chi ủy viên", "Committee members", "[m03]", "mã đảng viên", "member ids"),
    "officers.chi_uy_vien[]": _l("Chi ủy viên", "Committee member", "m03"),
    "officers.history": _l("Cấp ủy các thời kỳ trước", "Earlier committees", None,
                           "bí thư, phó bí thư, chi ủy viên trước đây, cũ nhất trước; văn bản ghi ngày nào "
                           "dùng cấp ủy của ngày đó",
                           "earlier secretaries, deputies, committee members, oldest first; a document uses "
                           "the committee in force on its date"),
    "officers.history[]": _l("Cấp ủy trước đây", "Earlier committee", None,
                             "chỉ ghi những gì khác với mục sau nó (hoặc với cấp ủy hiện tại)",
                             "only what differs from the next entry (or from today's committee)"),
    "officers.history[].until": _l("Đến ngày", "In force until", "19/8/2025",
                                   "ngày cuối cùng của cấp ủy này; ngày/tháng/năm",
                                   "the last day of this committee; day/month/year"),
    "officers.history[].bi_thu": _l("Bí thư", "Secretary of the cell", "m04", "mã đảng viên", "a member id"),
    "officers.history[].pho_bi_thu": _l("Phó Bí thư", "Deputy secretary", "m01",
                                        "mã đảng viên; null: không có", "a member id; null: none"),
    "officers.history[].chi_uy_vien": _l("Chi ủy viên", "Committee members", "[m03]",
                                         "mã đảng viên; []: không có", "member ids; []: none"),
    "officers.history[].chi_uy_vien[]": _l("Chi ủy viên", "Committee member", "m03"),
    "members": _l("Danh sách đảng viên", "Members"),
    "members[]": _l("Đảng viên", "Member"),
    "members[].id": _l("Mã đảng viên", "Member id", "m01", "chữ thường không dấu, số và dấu gạch nối",
                       "lowercase ASCII letters, digits and hyphens"),
    "members[].name": _l("Họ và tên", "Full name", "Nguyễn Văn An"),
    "members[].admitted": _l("Ngày kết nạp", "Admission date", "19/5/1998", *_DATE_NOTE),
    "members[].official": _l("Ngày chuyển chính thức", "Date made a full member", "19/5/1999",
                             "để trống: còn dự bị", "empty: still probationary"),
    "members[].official_decided": _l("Ngày quyết định công nhận chính thức", "Date of the recognition decision",
                                     "5/10/2026", "ngày cấp ủy cấp trên quyết định; trước ngày này vẫn tính là "
                                     "dự bị (không biểu quyết)", "the superior committee's decision; until "
                                     "then the member counts as probationary (no vote)"),
    "members[].left": _l("Ngày chuyển đi", "Date left", "1/2/2026", "chuyển đi hoặc thôi sinh hoạt ở chi bộ",
                         "moved away or no longer in this cell"),
    **periods("members[].exempt", "Thời kỳ miễn sinh hoạt", "Exemption periods",
              "Thời kỳ miễn sinh hoạt", "Exemption period", "reason", "Lý do miễn", "Reason"),
    **periods("members[].temporary_out", "Thời kỳ sinh hoạt tạm thời nơi khác", "Periods attending elsewhere",
              "Thời kỳ sinh hoạt tạm thời nơi khác", "Period elsewhere", "where", "Nơi sinh hoạt tạm thời",
              "Where"),
    "members[].home_cell": _l("Chi bộ gốc", "Home cell", "\"Chi bộ thôn Đông\"",
                              "đảng viên chi bộ khác sinh hoạt tạm thời tại đây",
                              "for a member of another cell attending here temporarily"),
    **periods("members[].temporary_in", "Thời kỳ sinh hoạt tạm thời tại chi bộ", "Periods attending here",
              "Thời kỳ sinh hoạt tạm thời tại chi bộ", "Period attending here", "note", "Ghi chú", "Note"),
    **periods("members[].suspended", "Thời kỳ đình chỉ sinh hoạt đảng", "Suspension periods",
              "Thời kỳ đình chỉ sinh hoạt đảng", "Suspension period", "reason", "Lý do đình chỉ", "Reason"),
}

class _KindLabels(Mapping[str, Mapping[str, Label]]):
    """Labels per kind (each kind's module holds its table, docgen/kinds/) and ``PROFILE``."""

    def _tables(self) -> dict[str, Mapping[str, Label]]:
        return _label_tables()

    def __getitem__(self, kind: str) -> Mapping[str, Label]:
        return self._tables()[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables())

    def __len__(self) -> int:
        return len(self._tables())


@lru_cache(maxsize=1)
def _label_tables() -> dict[str, Mapping[str, Label]]:
    """Every kind's table (read once from the registry) and the profile's."""
    from docgen.kinds import KINDS

    return {**{name: kind.labels for name, kind in KINDS.items()}, PROFILE: PROFILE_LABELS}


KIND_LABELS: Mapping[str, Mapping[str, Label]] = _KindLabels()
"""Labels per kind (and ``PROFILE``)."""


@lru_cache(maxsize=1)
def _merged() -> FieldLabels:
    out: FieldLabels = {}
    for table in KIND_LABELS.values():
        for key, label in table.items():
            out.setdefault(key, label)
    return out


# --------------------------------------------------------------------------- paths

_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def path_text(parts: Iterable[Any]) -> str:
    """deque(['absent', 2, 'member']) → "absent[2].member"."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def split_path(path: str | Iterable[Any]) -> Path:
    """"absent[2].member" → ("absent", 2, "member"); a tuple or deque is returned as a tuple."""
    if not isinstance(path, str):
        return tuple(part if isinstance(part, int) else str(part) for part in path)
    return tuple(int(index) if index else key for index, key in _PART.findall(path))


def pattern_of(path: str | Iterable[Any]) -> str:
    """The label key of a concrete path: "absent[2].member" → "absent[].member"."""
    return path_text("[]" if isinstance(p, int) else p for p in split_path(path)).replace(".[]", "[]")


def labels_for(kind: str | None) -> Mapping[str, Label]:
    """The label table of ``kind`` ("profile" for profile.yaml); every kind's at once for None
    or an unknown kind (the first kind defining a pattern wins)."""
    if kind == PROFILE:
        return PROFILE_LABELS
    table = KIND_LABELS.get(kind) if kind else None
    return table if table is not None else _merged()


def field_label(path: str | Iterable[Any], kind: str | None = None) -> Label | None:
    """The label entry of a path ("absent[2].member" finds "absent[].member"); None when unknown."""
    return labels_for(kind).get(pattern_of(path))


def example_of(path: str | Iterable[Any], kind: str | None = None) -> str | None:
    """The example of a field as written in the file ('"19:30"', "10/3/2026"), or None."""
    label = field_label(path, kind)
    return label.example if label else None


def label_of(path: str | Iterable[Any], kind: str | None = None) -> Msg:
    """The readable name of a concrete field.

    "start" → "Giờ bắt đầu"; "absent[2].member" → "Đảng viên của người vắng mặt thứ 3" /
    "Member (absent member 3)"; "topics[1]" → "Chủ đề thứ 2" / "Topic 2"; nested lists name
    every level, innermost first. A field without a label is shown by its key in quotes.
    """
    parts = split_path(path)
    if not parts:
        return Msg("tệp", "the file")
    table = labels_for(kind)
    qualifiers: list[tuple[Label | None, int]] = []  # (item label, 1-based number), outermost first
    for i, part in enumerate(parts):
        if isinstance(part, int):
            qualifiers.append((table.get(pattern_of(parts[:i + 1])), part + 1))
    if isinstance(parts[-1], int):  # the field is a list item itself: "Chủ đề thứ 2"
        item, number = qualifiers.pop()
        name = item.name if item else Msg(f"\"{path_text(parts[:-1])}\"", f"\"{path_text(parts[:-1])}\"")
        vi, en = f"{name.vi} thứ {number}", f"{name.en} {number}"
    else:
        label = table.get(pattern_of(parts))
        key = str(parts[-1])
        vi, en = (label.vi, label.en) if label else (f"\"{key}\"", f"\"{key}\"")
    if not qualifiers:
        return Msg(vi, en)
    inner = list(reversed(qualifiers))
    vi += "".join(f" của {lower_first(item.vi) if item else 'mục'} thứ {n}" for item, n in inner)
    en += " (" + ", ".join(f"{lower_first(item.en) if item else 'item'} {n}" for item, n in inner) + ")"
    return Msg(vi, en)


def schema_paths(schema: Mapping[str, Any], prefix: str = "") -> Iterable[str]:
    """Every label key a schema needs: its properties and list items, nested (in order)."""
    for name, sub in schema.get("properties", {}).items():
        key = f"{prefix}.{name}" if prefix else name
        yield key
        yield from _sub_paths(sub, key)


def _sub_paths(schema: Mapping[str, Any], key: str) -> Iterable[str]:
    yield from schema_paths(schema, key)
    items = schema.get("items")
    if isinstance(items, dict):
        yield f"{key}[]"
        yield from _sub_paths(items, f"{key}[]")
