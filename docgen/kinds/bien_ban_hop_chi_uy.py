"""Biên bản họp chi ủy: minutes of the committee meeting that prepares the monthly cell
meeting (HD 42-HD/BTCTW, preparation step 2; domain reference §2.2, "Mẫu 1: Nội dung ghi
biên bản họp chi uỷ chi bộ").

"Chi ủy họp (hoặc bí thư, phó bí thư ở nơi không có chi ủy) để thống nhất nội dung sinh
hoạt, đánh giá kết quả lãnh đạo của tháng trước và đề ra nhiệm vụ tháng tiếp theo; xác định
các nội dung trọng tâm cần thảo luận, biểu quyết…"

The sitting is the committee's, not the cell's: the committee is the officers in force on
the date (``profile.officers``: bí thư, phó bí thư, chi ủy viên); where the cell has no chi
ủy viên, the bí thư and phó bí thư meet. The kind is therefore not a ``meeting`` (no cell
attendance figures): it computes its own attendance (committee members present and absent,
with reasons; invited guests) and its own checks (chair, secretary, presenter and absentees
are committee members; the end after the start). The committee's own decisions are voted
among its members present and pass with more than half of all its members (Điều lệ Đảng
Điều 9 khoản 5: "hơn một nửa số thành viên trong cơ quan đó tán thành"), which the text
says. Numbered "BB" like the other minutes (whether a committee's minutes carry a number is
unconfirmed [U], §9 item 7); filed in the book of minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.kinds.base import Kind
from docgen.model import labels as L
from docgen.model import schemas as S
from docgen.model.arithmetic import Issue, MeetingFigures, vote_result
from docgen.model.context import Context, numbered, person, speeches, task_rows
from docgen.model.profile import Profile
from docgen.model.roster import find_member
from docgen.model.text import line, paragraphs
from docgen.model.validation import DATE_PATTERN, TIME_PATTERN
from docgen.model.votes import tail_text
from docgen.vn.dates import clock, parse_user_date, party_date, vn_date
from docgen.vn.numbers import roman

NAME = "bien-ban-hop-chi-uy"
Data = dict[str, Any]

LABELS: L.FieldLabels = {
    **L.COMMON,
    "month": L._l("Tháng của kỳ sinh hoạt chi bộ", "Month of the cell meeting prepared", "3",
                  "mặc định: tháng của ngày sinh hoạt dự kiến, không có thì tháng của ngày họp",
                  "default: the month of the planned meeting date, else of the date"),
    "year": L._l("Năm", "Year", "2026", "mặc định: năm của ngày sinh hoạt dự kiến, không có thì năm của ngày họp",
                 "default: the year of the planned meeting date, else of the date"),
    "start": L.MEETING["start"],
    "end": L.MEETING["end"],
    "place": L._l("Địa điểm họp chi ủy", "Place of the committee meeting", "\"Nhà văn hóa thôn An Thành\"",
                  "mặc định: địa điểm sinh hoạt trong hồ sơ chi bộ", "default: the profile's meeting place"),
    "chair": L._member("Chủ trì", "Chair", "m01", "thành viên chi ủy (thường là Bí thư)",
                       "a committee member (usually the secretary of the cell)"),
    "secretary": L._member("Thư ký", "Minute-taker", "m03", "thành viên chi ủy, khác người chủ trì",
                           "a committee member other than the chair"),
    "absent": L._l("Thành viên chi ủy vắng mặt", "Committee members absent", None,
                   "chỉ ghi bí thư, phó bí thư, chi ủy viên vắng; để trống: đủ mặt",
                   "only the secretary, deputy and committee members absent; empty: all present"),
    "absent[]": L._l("Người vắng mặt", "Absent member", None,
                     "hoặc chỉ ghi họ tên (hay mã), lý do trong ngoặc: - Lê Văn Cường (đi công tác)",
                     "or just the name (or id), the reason in brackets: - Lê Văn Cường (đi công tác)"),
    "absent[].member": L._member("Thành viên chi ủy", "Committee member", "m03"),
    "absent[].reason": L._l("Lý do vắng", "Reason", "đi công tác", "để trống: không có lý do",
                            "empty: no reason given"),
    "guests": L._l("Đại biểu mời dự", "Invited guests", None,
                   "cấp ủy cấp trên, đảng viên được mời; không biểu quyết",
                   "superior committee, members invited; they do not vote"),
    "guests[]": L._l("Đại biểu", "Guest"),
    "guests[].name": L._l("Họ tên đại biểu", "Guest's name", "Trần Văn Bình",
                          "họ tên, hoặc mã đảng viên của chi bộ được mời", "a name, or the id of a member invited"),
    "guests[].position": L.MEETING["guests[].position"],
    "meeting_date": L._l("Ngày sinh hoạt chi bộ dự kiến", "Planned date of the cell meeting", "10/3/2026",
                         "ngày/tháng/năm; tài liệu đăng trên Sổ tay đảng viên điện tử ít nhất 01 ngày trước",
                         "day/month/year; materials go on the e-handbook at least 1 day before"),
    "meeting_start": L._l("Giờ sinh hoạt chi bộ dự kiến", "Planned start of the cell meeting", "\"19:30\"",
                          "giờ:phút theo 24 giờ", "hours:minutes, 24-hour clock"),
    "meeting_place": L._l("Địa điểm sinh hoạt chi bộ", "Place of the cell meeting", "\"Nhà văn hóa thôn An Thành\"",
                          "mặc định: địa điểm sinh hoạt trong hồ sơ chi bộ", "default: the profile's meeting place"),
    "presenter": L._member("Người báo cáo", "Presenter", "m01",
                           "thành viên chi ủy trình bày đánh giá, dự kiến nhiệm vụ; mặc định: chủ trì",
                           "the committee member who reports; default: the chair"),
    "evaluation": L._text("I. Đánh giá kết quả lãnh đạo tháng trước", "I. Assessment of last month's leadership"),
    "directions": L._l("II. Phương hướng, nhiệm vụ tháng tiếp theo", "II. Tasks for the month", None,
                       "mỗi dòng một nhiệm vụ", "one task per line"),
    "directions[]": L._l("Nhiệm vụ", "Task", "\"Ra quân tổng vệ sinh đường làng\""),
    **L.speeches("discussion", "Ý kiến thảo luận", "Discussion", "thành viên chi ủy, đại biểu phát biểu",
                 "committee members and guests who spoke"),
    "agenda": L._l("Nội dung, chương trình sinh hoạt chi bộ", "Agenda agreed for the cell meeting", None,
                   "chương trình buổi sinh hoạt chi bộ đã thống nhất", "the programme agreed for the cell meeting"),
    "agenda[]": L._l("Nội dung sinh hoạt", "Agenda item", "\"Thông tin thời sự\""),
    "key_issues": L._l("Nội dung trọng tâm cần thảo luận, biểu quyết", "Key issues to discuss and vote on", None,
                       "nhất là vấn đề mới, phức tạp phát sinh ở cơ sở (HD 42)",
                       "above all new or complex local issues (HD 42)"),
    "key_issues[]": L._l("Nội dung trọng tâm", "Key issue", "\"Giải pháp xóa điểm đổ rác ở cầu Đồng Bông\""),
    **L.task_table("preparation", "Phân công chuẩn bị", "Preparation tasks"),
    "preparation[]": L._l("Việc chuẩn bị", "Preparation task"),
    "preparation[].content": L._l("Việc chuẩn bị", "What to prepare",
                                  "\"Dự thảo Nghị quyết lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026\""),
    "preparation[].deadline": L._l("Thời hạn", "Deadline", "\"8/3/2026\"",
                                   "chữ tự do hoặc ngày, trước ngày sinh hoạt chi bộ",
                                   "free text or a date, before the cell meeting"),
    "conclusion": L._text("Kết luận của chủ trì", "The chair's conclusion"),
    "votes": L._l("Biểu quyết của chi ủy", "Committee votes", None,
                  "tính trên tổng số thành viên chi ủy; thông qua khi hơn một nửa tán thành",
                  "on the number of committee members; passes with more than half in favour"),
    "votes[]": L._l("Biểu quyết", "Vote"),
    "votes[].subject": L._l("Nội dung biểu quyết", "What was voted on",
                            "\"thống nhất nội dung, chương trình sinh hoạt chi bộ tháng 3 năm 2026\"",
                            "viết tiếp sau chữ \"Biểu quyết\"", "as it follows the word \"Biểu quyết\""),
    "votes[].for": L._l("Số đồng chí tán thành", "Votes in favour", "3"),
    "votes[].against": L._l("Số đồng chí không tán thành", "Votes against", "0"),
    "votes[].abstain": L._l("Số đồng chí có ý kiến khác", "Other opinions", "0"),
    "read_back": L.MINUTES["read_back"],
    "read_back.agree": L._l("Số đồng chí nhất trí thông qua biên bản", "Members approving the minutes", "3",
                            "mặc định: tất cả thành viên chi ủy có mặt", "default: every committee member present"),
}


def schema() -> S.Schema:
    props = {
        **S.common(NAME, "họp chi ủy chuẩn bị sinh hoạt chi bộ tháng 3 năm 2026"),
        "month": S.p(["integer", "null"], default=None, minimum=1, maximum=12),
        "year": S.p(["integer", "null"], default=None, minimum=1945, maximum=2200),
        "start": S.p("string", pattern=TIME_PATTERN),
        "end": S.p("string", pattern=TIME_PATTERN),
        "place": S.p(["string", "null"], default=None),
        "chair": S.member_ref(),
        "secretary": S.member_ref(),
        "absent": S.arr(S.obj({
            "member": S.member_ref(),
            "reason": S.p(["string", "null"], default=None),
        }, ["member"]), default=[]),
        "guests": S.arr(S.obj({
            "name": S.text(),
            "position": S.p(["string", "null"], default=None),
        }, ["name"]), default=[]),
        "meeting_date": S.p(["string", "null"], default=None, pattern=DATE_PATTERN),
        "meeting_start": S.p(["string", "null"], default=None, pattern=TIME_PATTERN),
        "meeting_place": S.p(["string", "null"], default=None),
        "presenter": S.p(["string", "null"], default=None, pattern=S.ID_PATTERN),
        "evaluation": S.p(["string", "null"], default=None),
        "directions": S.arr(S.p("string"), default=[]),
        "discussion": S.speech(),
        "agenda": S.arr(S.p("string"), default=[],
                        examples=[["Thông tin thời sự", "Đánh giá kết quả thực hiện nghị quyết tháng 2 năm 2026"]]),
        "key_issues": S.arr(S.p("string"), default=[]),
        "preparation": S.tasks_table(),
        "conclusion": S.p(["string", "null"], default=None),
        "votes": S.arr(S.obj({
            "subject": S.text(examples=["thống nhất nội dung, chương trình sinh hoạt chi bộ tháng 3 năm 2026"]),
            "for": S.p("integer", minimum=0),
            "against": S.p("integer", default=0, minimum=0),
            "abstain": S.p("integer", default=0, minimum=0),
        }, ["subject", "for"]), default=[]),
        "read_back": S.p(["object", "null"], default=None, additionalProperties=False,
                         properties={"agree": S.p("integer", minimum=0)}),
    }
    return S.kind_schema(NAME, "Biên bản họp chi ủy chuẩn bị sinh hoạt chi bộ", props,
                         ["kind", "date", "start", "end", "chair", "secretary"])


# --------------------------------------------------------------------------- the committee

@dataclass(frozen=True)
class Committee:
    """Who sits: the officers in force on the date, bí thư first."""

    ids: tuple[str, ...]
    has_committee: bool  # chi ủy viên elected; otherwise the bí thư and phó bí thư meet

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def body(self) -> str:
        """Who decides, as a sentence names it: "Chi ủy" or "Bí thư, Phó Bí thư"."""
        if self.has_committee:
            return "Chi ủy"
        return "Bí thư, Phó Bí thư" if self.size > 1 else "Bí thư"

    @property
    def members_word(self) -> str:
        """"thành viên Chi ủy" or, without a committee, "đồng chí"."""
        return "thành viên Chi ủy" if self.has_committee else "đồng chí"


def committee_of(profile: Profile) -> Committee:
    officers = profile.officers
    ids: list[str] = []
    for member_id in (officers.bi_thu, officers.pho_bi_thu, *officers.chi_uy_vien):
        if member_id and member_id not in ids:
            ids.append(member_id)
    extra = [m for m in officers.chi_uy_vien if m and m not in (officers.bi_thu, officers.pho_bi_thu)]
    return Committee(tuple(ids), bool(extra))


def prepared_period(data: Data) -> tuple[int, int]:
    """(month, year) of the cell meeting prepared: given, else the planned meeting date's,
    else the committee meeting's date's."""
    planned = data.get("meeting_date")
    base = dt.date.fromisoformat(planned) if planned else dt.date.fromisoformat(data["date"])
    return int(data.get("month") or base.month), int(data.get("year") or base.year)


def previous_period(month: int, year: int) -> tuple[int, int]:
    return (12, year - 1) if month == 1 else (month - 1, year)


def summary(data: Data) -> str:
    month, year = prepared_period(data)
    return f"họp chi ủy chuẩn bị sinh hoạt chi bộ tháng {month} năm {year}"


def _absences(data: Data) -> dict[str, str]:
    """Absent committee members → reason ("" for none), in the order written (first kept)."""
    out: dict[str, str] = {}
    for item in data.get("absent") or []:
        out.setdefault(item["member"], line(item.get("reason")))
    return out


def _member_of(profile: Profile, ref: Any, day: dt.date) -> str | None:
    """The roster id a free-text reference names (an id or a unique name), else None."""
    text = line(ref)
    if not text:
        return None
    found = find_member(profile, text, day).member
    return found.id if found else None


def _with_position(profile: Profile, member_id: str) -> str:
    position = profile.position_of(member_id)
    return f"đồng chí {profile.name_of(member_id)}" + (f", {position}" if position else "")


# --------------------------------------------------------------------------- context

def _guests(profile: Profile, data: Data) -> list[Context]:
    out = []
    for guest in data.get("guests") or []:
        name = person(profile, guest["name"])
        position = line(guest.get("position"))
        out.append({"name": name, "position": position,
                    "text": f"đồng chí {name}" + (f", {position}" if position else "")})
    return out


def _speeches(profile: Profile, data: Data, day: dt.date) -> list[dict[str, Any]]:
    """The discussion with speakers written by name read as roster ids (their position shows)."""
    out = []
    for speech in data.get("discussion") or []:
        member_id = _member_of(profile, speech["speaker"], day)
        out.append({**speech, "speaker": member_id} if member_id else speech)
    return out


def _attendance(profile: Profile, committee: Committee, absences: dict[str, str]) -> Context:
    present = [m for m in committee.ids if m not in absences]
    absent = [m for m in committee.ids if m in absences]
    if committee.has_committee:
        composition = f"- Thành phần: Chi ủy Chi bộ gồm {committee.size} đồng chí."
    else:
        composition = (f"- Thành phần: {committee.body} Chi bộ (Chi bộ không có chi ủy), "
                       f"gồm {committee.size} đồng chí.")
    present_text = (f"- Có mặt {len(present)}/{committee.size} đồng chí: "
                    + "; ".join(_with_position(profile, m) for m in present) + ".")
    if absent:
        absent_text = (f"- Vắng mặt {len(absent)} đồng chí: " + "; ".join(
            f"{_with_position(profile, m)} ({absences[m] or 'không có lý do'})" for m in absent) + ".")
    else:
        absent_text = "- Vắng mặt: không có đồng chí nào."
    return {"size": committee.size, "present": len(present), "absent": len(absent),
            "has_committee": committee.has_committee, "body": committee.body,
            "composition_text": composition, "present_text": present_text, "absent_text": absent_text}


def _vote_sentence(subject: str, votes_for: int, against: int, abstain: int, committee: Committee) -> Context:
    result = vote_result(votes_for, against, abstain, committee.size)
    outcome = "thông qua" if result.passed else f"không thông qua (cần hơn một nửa số {committee.members_word} tán thành)"
    lead = f"Biểu quyết {subject}" if subject else "Biểu quyết"
    return {"subject": subject, "passed": result.passed, "rate_text": result.rate_text,
            "sentence": f"{lead}: {result.rate_text}; {tail_text(result)}. Kết quả: {outcome}."}


def denominator_text(committee: Committee, absent: int) -> str:
    """Why the rates are on the committee's size (Điều lệ Điều 9 khoản 5)."""
    who = (f"{committee.size} thành viên Chi ủy" if committee.has_committee
           else f"{committee.size} đồng chí {committee.body}")
    counted = " (kể cả thành viên vắng mặt)" if absent and committee.has_committee else (
        " (kể cả đồng chí vắng mặt)" if absent else "")
    body = committee.body if committee.has_committee else "cuộc họp"
    return (f"Tỷ lệ biểu quyết tính trên tổng số {who}{counted}; quyết định của {body} được thông qua khi có "
            f"hơn một nửa số {committee.members_word} tán thành (Điều lệ Đảng, Điều 9 khoản 5).")


def _plan_text(data: Data, profile: Profile, committee: Committee, month: int, year: int) -> str:
    planned = data.get("meeting_date")
    agenda = bool(data.get("agenda"))
    if planned:
        when = party_date(dt.date.fromisoformat(planned))
        start = data.get("meeting_start")
        if start:
            when = f"lúc {clock(dt.time.fromisoformat(start))}, {when}"
        place = line(data.get("meeting_place")) or profile.cell.meeting_place
        text = (f"{committee.body} thống nhất tổ chức sinh hoạt chi bộ thường kỳ tháng {month} năm {year} "
                f"vào {when}" + (f", tại {place}" if place else ""))
        return text + (", với nội dung, chương trình như sau:" if agenda else ".")
    text = f"{committee.body} thống nhất nội dung, chương trình sinh hoạt chi bộ thường kỳ tháng {month} năm {year}"
    return text + (" như sau:" if agenda else ".")


def _sections(data: Data, month: int, year: int, prev: tuple[int, int], has_votes: bool) -> dict[str, str]:
    """The headings of the parts that are filled, numbered I, II, III… in order."""
    wanted = [
        ("evaluation", bool(paragraphs(data.get("evaluation"))),
         f"ĐÁNH GIÁ KẾT QUẢ LÃNH ĐẠO THÁNG {prev[0]} NĂM {prev[1]}"),
        ("directions", bool(data.get("directions")), f"PHƯƠNG HƯỚNG, NHIỆM VỤ THÁNG {month} NĂM {year}"),
        ("discussion", bool(data.get("discussion")), "Ý KIẾN THẢO LUẬN"),
        ("plan", True, f"NỘI DUNG SINH HOẠT CHI BỘ THÁNG {month} NĂM {year}"),
        ("preparation", bool(data.get("preparation")), "PHÂN CÔNG CHUẨN BỊ"),
        ("conclusion", bool(paragraphs(data.get("conclusion"))) or has_votes,
         "KẾT LUẬN VÀ BIỂU QUYẾT" if has_votes else "KẾT LUẬN"),
    ]
    out: dict[str, str] = {}
    number = 0
    for key, filled, title in wanted:
        if filled:
            number += 1
            out[key] = f"{roman(number)}. {title}"
        else:
            out[key] = ""
    return out


def context(data: Data, profile: Profile, settings: Settings, figures: MeetingFigures | None) -> Context:
    day = dt.date.fromisoformat(data["date"])
    month, year = prepared_period(data)
    prev = previous_period(month, year)
    committee = committee_of(profile)
    absences = _absences(data)
    attendance = _attendance(profile, committee, absences)
    start, end = dt.time.fromisoformat(data["start"]), dt.time.fromisoformat(data["end"])
    guests = _guests(profile, data)
    votes = [_vote_sentence(line(v["subject"]), int(v["for"]), int(v.get("against") or 0),
                            int(v.get("abstain") or 0), committee) for v in data.get("votes") or []]
    presenter = data.get("presenter") or data["chair"]
    read_back: dict[str, Any] = data.get("read_back") or {}
    agree = int(read_back["agree"]) if read_back.get("agree") is not None else int(attendance["present"])
    chair, secretary = data["chair"], data["secretary"]
    return {
        "month": month, "year": year, "previous_month": prev[0], "previous_year": prev[1],
        "start_text": clock(start), "end_text": clock(end), "sitting_date_text": party_date(day),
        "place": line(data.get("place")) or profile.cell.meeting_place,
        "chair_name": profile.name_of(chair), "chair_position": profile.position_of(chair),
        "secretary_name": profile.name_of(secretary), "secretary_position": profile.position_of(secretary),
        "committee": attendance, "guests": guests,
        "purpose_text": (f"- Nội dung: thống nhất nội dung sinh hoạt chi bộ thường kỳ tháng {month} năm {year}; "
                         f"đánh giá kết quả lãnh đạo tháng {prev[0]} năm {prev[1]} và đề ra nhiệm vụ tháng "
                         f"{month} năm {year}; xác định những nội dung trọng tâm cần thảo luận, biểu quyết."),
        "sections": _sections(data, month, year, prev, bool(votes)),
        "presenter_text": f"Đồng chí {profile.name_of(presenter)}"
                          + (f", {profile.position_of(presenter)}," if profile.position_of(presenter) else "")
                          + " báo cáo:",
        "evaluation": paragraphs(data.get("evaluation")),
        "directions": numbered(data.get("directions") or []),
        "discussion": speeches(profile, data.get("guests") or [], _speeches(profile, data, day)),
        "plan_text": _plan_text(data, profile, committee, month, year),
        "agenda": numbered(data.get("agenda") or []),
        "key_issues": [line(k) for k in data.get("key_issues") or [] if line(k)],
        "preparation": task_rows(profile, data.get("preparation") or []),
        "conclusion": paragraphs(data.get("conclusion")),
        "votes": votes,
        "denominator_text": denominator_text(committee, attendance["absent"]) if votes else "",
        "read_back_text": (f"Biên bản đã được đọc lại trước cuộc họp, {agree}/{attendance['present']} "
                           f"{committee.members_word} có mặt nhất trí."),
        "sign_left_label": settings.minutes_left_label, "sign_right_label": settings.minutes_right_label,
        "sign_left_name": profile.name_of(secretary), "sign_right_name": profile.name_of(chair),
    }


# --------------------------------------------------------------------------- checks

def _not_on_committee(profile: Profile, committee: Committee, member_id: str) -> Msg:
    name = profile.name_of(member_id)
    if committee.has_committee:
        return Msg(f"đồng chí {name} không phải thành viên Chi ủy (Bí thư, Phó Bí thư, chi ủy viên)",
                   f"{name} is not on the cell committee (secretary, deputy, committee members)")
    return Msg(f"đồng chí {name} không phải Bí thư hay Phó Bí thư (Chi bộ không có chi ủy)",
               f"{name} is neither the secretary nor the deputy (the cell has no committee)")


def _committee_hint(profile: Profile, committee: Committee) -> Msg:
    listed = ", ".join(f"{m} — {profile.name_of(m)}" for m in committee.ids)
    return Msg(f"ghi mã một thành viên chi ủy: {listed} (cấp ủy theo officers trong profile.yaml)",
               f"give a committee member's id: {listed} (the committee is officers in profile.yaml)")


def committee_checks(data: Data, profile: Profile, settings: Settings, figures: MeetingFigures | None) -> list[Issue]:
    """Who sits: chair, secretary, presenter and absentees are on the committee in force
    on the date; the chair, secretary and presenter are present; the end is after the start."""
    issues: list[Issue] = []
    day = dt.date.fromisoformat(data["date"])
    committee = committee_of(profile)
    start, end = dt.time.fromisoformat(data["start"]), dt.time.fromisoformat(data["end"])
    if end <= start:
        issues.append(Issue("end", Msg(f"giờ kết thúc ({data['end']}) không sau giờ bắt đầu ({data['start']})",
                                       f"end time ({data['end']}) is not after the start time ({data['start']})"),
                            Msg("sửa start/end (dạng 24 giờ, ví dụ end: 21:00)",
                                "fix start/end (24-hour, e.g. end: 21:00)")))
    if committee.size < 2:
        issues.append(Issue("kind", Msg(
            f"Chi bộ chỉ có Bí thư (không có Phó Bí thư, chi ủy viên) vào ngày {vn_date(day)}: không có cuộc họp "
            "chi ủy để ghi biên bản (HD 42: chi ủy họp, hoặc bí thư, phó bí thư ở nơi không có chi ủy)",
            f"the cell has only a secretary (no deputy, no committee members) on {vn_date(day)}: there is no "
            "committee meeting to record (HD 42: the committee meets, or the secretary and deputy where there is none)"),
            Msg("ghi Phó Bí thư, chi ủy viên vào officers trong profile.yaml nếu chi bộ có",
                "add the deputy and committee members to officers in profile.yaml if the cell has them")))
        return issues
    absences: dict[str, int] = {}
    for i, item in enumerate(data.get("absent") or []):
        member_id = item["member"]
        path = f"absent[{i}].member"
        if member_id not in committee.ids:
            issues.append(Issue(path, _not_on_committee(profile, committee, member_id),
                                Msg("chỉ ghi thành viên chi ủy vắng mặt; đảng viên khác không được triệu tập họp chi ủy",
                                    "list only absent committee members; other members are not summoned")))
        elif member_id in absences:
            issues.append(Issue(path, Msg(f"đồng chí {profile.name_of(member_id)} được ghi vắng mặt hai lần "
                                          f"(người vắng mặt thứ {absences[member_id] + 1})",
                                          f"{profile.name_of(member_id)} is listed as absent twice "
                                          f"(absent member {absences[member_id] + 1})"),
                                Msg("xóa dòng trùng", "remove the repeated entry")))
        else:
            absences[member_id] = i
    present = [m for m in committee.ids if m not in absences]
    for key in ("chair", "secretary", "presenter"):
        ref = data.get(key)
        if not ref or profile.member(ref) is None:
            continue
        if ref not in committee.ids:
            issues.append(Issue(key, _not_on_committee(profile, committee, ref), _committee_hint(profile, committee)))
        elif ref in absences:
            issues.append(Issue(key, Msg(f"đồng chí {profile.name_of(ref)} được ghi vắng mặt",
                                         f"{profile.name_of(ref)} is listed as absent"),
                                Msg("xóa khỏi danh sách vắng hoặc chọn người khác", "remove from absent or choose another")))
    if data["chair"] == data["secretary"] and data["chair"] in committee.ids:
        issues.append(Issue("secretary", Msg("thư ký và chủ trì là một người", "the minute-taker is the chair"),
                            Msg("cử một thành viên chi ủy khác làm thư ký", "choose another committee member")))
    issues += _guest_issues(data, profile, committee, day)
    issues += _speaker_issues(data, profile, committee, set(absences), day)
    issues += _vote_issues(data, len(present), committee)
    return issues


def _guest_issues(data: Data, profile: Profile, committee: Committee, day: dt.date) -> list[Issue]:
    issues: list[Issue] = []
    for i, guest in enumerate(data.get("guests") or []):
        member_id = _member_of(profile, guest.get("name"), day)
        if member_id in committee.ids:
            assert member_id is not None
            issues.append(Issue(f"guests[{i}].name", Msg(
                f"đồng chí {profile.name_of(member_id)} là thành viên Chi ủy, không phải đại biểu mời dự",
                f"{profile.name_of(member_id)} is on the committee, not an invited guest"),
                Msg("xóa khỏi đại biểu; nếu đồng chí vắng thì ghi vào danh sách vắng mặt (absent)",
                    "remove from the guests; if absent, list under absent")))
    return issues


def _speaker_issues(data: Data, profile: Profile, committee: Committee, absent: set[str],
                    day: dt.date) -> list[Issue]:
    """A speaker attended: a committee member present or an invited guest."""
    guests = {_member_of(profile, g.get("name"), day) for g in data.get("guests") or []} - {None}
    issues: list[Issue] = []
    for i, speech in enumerate(data.get("discussion") or []):
        member_id = _member_of(profile, speech.get("speaker"), day)
        if member_id is None:
            continue
        name = profile.name_of(member_id)
        if member_id in absent:
            issues.append(Issue(f"discussion[{i}].speaker", Msg(
                f"đồng chí {name} được ghi vắng mặt", f"{name} is listed as absent"),
                Msg("xóa ý kiến này hoặc xóa đồng chí khỏi danh sách vắng", "remove the speech or the absence")))
        elif member_id not in committee.ids and member_id not in guests:
            issues.append(Issue(f"discussion[{i}].speaker", Msg(
                f"đồng chí {name} không dự cuộc họp (không phải thành viên Chi ủy, không có trong đại biểu mời dự)",
                f"{name} did not attend (not on the committee, not among the invited guests)"),
                Msg(f"thêm vào đại biểu mời dự (guests: - {{name: {name}}}) hoặc sửa người phát biểu",
                    f"add to the guests (guests: - {{name: {name}}}) or fix the speaker")))
    return issues


def _vote_issues(data: Data, present: int, committee: Committee) -> list[Issue]:
    issues: list[Issue] = []
    for i, vote in enumerate(data.get("votes") or []):
        cast = int(vote["for"]) + int(vote.get("against") or 0) + int(vote.get("abstain") or 0)
        if cast > present:
            issues.append(Issue(f"votes[{i}].for", Msg(
                f"tổng số ý kiến biểu quyết ({cast}) lớn hơn số {committee.members_word} có mặt ({present})",
                f"the votes cast ({cast}) exceed the committee members present ({present})"),
                Msg("chỉ thành viên chi ủy có mặt biểu quyết (đại biểu mời dự không biểu quyết); sửa số phiếu",
                    "only committee members present vote (guests do not); fix the counts")))
    agree = (data.get("read_back") or {}).get("agree")
    if agree is not None and agree > present:
        issues.append(Issue("read_back.agree", Msg(
            f"số đồng chí nhất trí thông qua biên bản ({agree}) lớn hơn số {committee.members_word} có mặt ({present})",
            f"members approving the minutes ({agree}) exceed the committee members present ({present})"),
            Msg("sửa read_back.agree hoặc để trống (mặc định: tất cả có mặt)",
                "fix read_back.agree or leave it empty (default: everyone present)")))
    return issues


def plan_checks(data: Data, profile: Profile, settings: Settings, figures: MeetingFigures | None) -> list[Issue]:
    """The cell meeting prepared comes after the committee meeting."""
    planned = data.get("meeting_date")
    if planned and planned < data["date"]:
        shown, day = vn_date(dt.date.fromisoformat(planned)), vn_date(dt.date.fromisoformat(data["date"]))
        return [Issue("meeting_date", Msg(f"ngày sinh hoạt chi bộ dự kiến ({shown}) trước ngày họp chi ủy ({day})",
                                          f"the planned cell meeting ({shown}) is before the committee meeting ({day})"),
                      Msg("sửa ngày sinh hoạt dự kiến hoặc ngày họp chi ủy (date)",
                          "fix the planned date or the committee meeting's date"))]
    return []


# --------------------------------------------------------------------------- warnings

def _deadline(value: Any) -> dt.date | None:
    text = line(value)
    try:
        return parse_user_date(text) if text else None
    except ValueError:
        return None


def plan_warnings(data: Data, profile: Profile, settings: Settings, figures: MeetingFigures | None) -> list[Msg]:
    out: list[Msg] = []
    day = dt.date.fromisoformat(data["date"])
    month, year = prepared_period(data)
    if (year, month) < (day.year, day.month):
        out.append(Msg(f"họp chi ủy ngày {vn_date(day)} chuẩn bị sinh hoạt chi bộ tháng {month} năm {year}, "
                       "tháng đã qua: kiểm tra month/year",
                       f"the committee meets on {vn_date(day)} to prepare the meeting of {month}/{year}, a month "
                       "already past: check month/year"))
    planned = data.get("meeting_date")
    if not planned:
        out.append(Msg("chưa ghi ngày sinh hoạt chi bộ dự kiến (meeting_date): HD 42, bí thư thông báo thời gian, "
                       "địa điểm, nội dung sinh hoạt đến đảng viên",
                       "no planned date of the cell meeting (meeting_date): HD 42, the secretary notifies the "
                       "members of the time, place and content"))
        return out
    meeting = dt.date.fromisoformat(planned)
    if meeting < day:
        return out  # an error already (plan_checks)
    if meeting == day:
        out.append(Msg(f"chi ủy họp cùng ngày sinh hoạt chi bộ ({vn_date(day)}): HD 42, tài liệu sinh hoạt đăng "
                       "trên Sổ tay đảng viên điện tử ít nhất 01 ngày trước khi sinh hoạt",
                       f"the committee meets on the day of the cell meeting ({vn_date(day)}): HD 42, the materials "
                       "go on the e-handbook at least 1 day before"))
    if data.get("month") and (meeting.month, meeting.year) != (month, year):
        out.append(Msg(f"ngày sinh hoạt dự kiến {vn_date(meeting)} không thuộc tháng {month} năm {year}",
                       f"the planned meeting date {vn_date(meeting)} is not in {month}/{year}"))
    for i, task in enumerate(data.get("preparation") or [], start=1):
        due = _deadline(task.get("deadline"))
        if due is not None and due > meeting:
            out.append(Msg(f"việc chuẩn bị thứ {i} (“{line(task.get('content'))}”) có thời hạn {vn_date(due)}, "
                           f"sau ngày sinh hoạt chi bộ {vn_date(meeting)}",
                           f"preparation task {i} is due on {vn_date(due)}, after the cell meeting "
                           f"{vn_date(meeting)}"))
    return out


def committee_warnings(data: Data, profile: Profile, settings: Settings, figures: MeetingFigures | None) -> list[Msg]:
    out: list[Msg] = []
    committee = committee_of(profile)
    day = dt.date.fromisoformat(data["date"])
    if not committee.has_committee and committee.size > 1 and not line(data.get("summary")):
        month, year = prepared_period(data)
        out.append(Msg("Chi bộ không có chi ủy (chỉ có Bí thư, Phó Bí thư): trích yếu mặc định ghi “họp chi ủy”; "
                       f"có thể ghi summary: “họp bí thư, phó bí thư chuẩn bị sinh hoạt chi bộ tháng {month} năm {year}”",
                       "the cell has no committee (only a secretary and a deputy): the default summary says "
                       f"“họp chi ủy”; you may write summary: “họp bí thư, phó bí thư chuẩn bị sinh hoạt chi bộ "
                       f"tháng {month} năm {year}”"))
    absent = {item["member"] for item in data.get("absent") or []} & set(committee.ids)
    present = committee.size - len(absent)
    if committee.size >= 2 and present * 2 <= committee.size:
        out.append(Msg(f"chỉ {present}/{committee.size} {committee.members_word} có mặt: không quyết định nào "
                       f"đạt hơn một nửa số {committee.members_word} (Điều lệ Đảng, Điều 9 khoản 5)",
                       f"only {present}/{committee.size} committee members present: no decision can reach more "
                       "than half of the committee (Party Charter, art. 9.5)"))
    guests = {_member_of(profile, g.get("name"), day) for g in data.get("guests") or []}
    names = {line(g.get("name")) for g in data.get("guests") or []}
    for i, speech in enumerate(data.get("discussion") or [], start=1):
        speaker = line(speech.get("speaker"))
        if speaker and _member_of(profile, speaker, day) is None and speaker not in names and speaker not in guests:
            out.append(Msg(f"người phát biểu thứ {i} (“{speaker}”) không có trong đại biểu mời dự",
                           f"speaker {i} (“{speaker}”) is not among the invited guests"))
    return out


# --------------------------------------------------------------------------- template

# Wider "Đồng chí phụ trách" than tplkit.TASK_WIDTHS: the owners here are full names, kept on one line.
PREPARATION_WIDTHS = [12.0, 68.0, 36.0, 25.0, 24.0]


def template() -> Any:
    from docgen.render import tplkit as t

    doc = t.new_document()
    t.header_block(doc, numbered=True)
    t.title_block(doc)
    t.para(doc, "- Thời gian: bắt đầu lúc {{ start_text }}, {{ sitting_date_text }}.")
    t.para(doc, "- Địa điểm: {{ place }}.")
    t.para(doc, "{{ committee.composition_text }}")
    t.para(doc, "{{ committee.present_text }}")
    t.para(doc, "{{ committee.absent_text }}")
    t.para(doc, "- Đại biểu mời dự: {% for g in guests %}{{ g.text }}{% if not loop.last %}; {% endif %}"
                "{% else %}không có{% endfor %}.")
    t.para(doc, "- Chủ trì: đồng chí {{ chair_name }}{% if chair_position %}, {{ chair_position }}{% endif %}.")
    t.para(doc, "- Thư ký: đồng chí {{ secretary_name }}{% if secretary_position %}, {{ secretary_position }}"
                "{% endif %}.")
    t.para(doc, "{{ purpose_text }}")
    t.tag(doc, "{%p if sections.evaluation %}")
    t.heading(doc, "{{ sections.evaluation }}")
    t.intro(doc, "{{ presenter_text }}", italic=True)
    t.loop_paragraphs(doc, "evaluation")
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p if sections.directions %}")
    t.heading(doc, "{{ sections.directions }}")
    t.loop_paragraphs(doc, "directions", "{{ d.label }} {{ d.text }}", var="d")
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p if sections.discussion %}")
    t.heading(doc, "{{ sections.discussion }}")
    t.speeches(doc, "discussion")
    t.tag(doc, "{%p endif %}")
    t.heading(doc, "{{ sections.plan }}")
    t.tag(doc, "{%p if agenda %}")
    t.intro(doc, "{{ plan_text }}")
    t.tag(doc, "{%p else %}")
    t.para(doc, "{{ plan_text }}")
    t.tag(doc, "{%p endif %}")
    t.loop_paragraphs(doc, "agenda", "{{ a.label }} {{ a.text }}", var="a")
    t.tag(doc, "{%p if key_issues %}")
    t.intro(doc, "Những nội dung trọng tâm cần thảo luận, biểu quyết tại buổi sinh hoạt:", italic=True)
    t.loop_paragraphs(doc, "key_issues", "- {{ k }}", var="k")
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p if sections.preparation %}")
    t.heading(doc, "{{ sections.preparation }}")
    t.tag(doc, "{%p endif %}")
    t.grid_table(doc, ["TT", "Việc chuẩn bị", "Đồng chí phụ trách", "Thời hạn", "Ghi chú"], t.task_cells("t"),
                 "t in preparation", PREPARATION_WIDTHS)
    t.tag(doc, "{%p if sections.conclusion %}")
    t.heading(doc, "{{ sections.conclusion }}")
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p if conclusion %}")
    t.intro(doc, "Đồng chí {{ chair_name }} (chủ trì) kết luận:", italic=True)
    t.loop_paragraphs(doc, "conclusion")
    t.tag(doc, "{%p endif %}")
    t.votes_block(doc)
    t.minutes_closing(doc, "Cuộc họp kết thúc vào lúc {{ end_text }} cùng ngày. {{ read_back_text }}",
                      self_score=False)
    return doc


KIND = Kind(
    header_cues=("chi uy",),
    name=NAME, order=15,
    label=Msg("Biên bản họp chi ủy", "Minutes of the committee meeting"),
    description=Msg("Biên bản họp chi ủy chuẩn bị sinh hoạt chi bộ hằng tháng (HD 42, bước chuẩn bị)",
                    "Minutes of the committee meeting that prepares the monthly cell meeting (HD 42)"),
    type_symbol="BB", type_name="BIÊN BẢN",
    schema_builder=schema, labels=LABELS, context_builder=context, summary_builder=summary,
    template_builder=template, template_title="Mẫu biên bản họp chi ủy chuẩn bị sinh hoạt chi bộ",
    keys=frozenset({
        "month", "year", "previous_month", "previous_year", "start_text", "end_text", "sitting_date_text", "place",
        "chair_name", "chair_position", "secretary_name", "secretary_position", "committee", "guests",
        "purpose_text", "sections", "presenter_text", "evaluation", "directions", "discussion", "plan_text",
        "agenda", "key_issues", "preparation", "conclusion", "votes", "denominator_text", "read_back_text",
        "sign_left_label", "sign_right_label", "sign_left_name", "sign_right_name",
    }),
    required=frozenset({"start_text", "end_text", "sitting_date_text", "place", "chair_name", "secretary_name",
                        "committee", "sections", "plan_text", "read_back_text", "sign_left_label",
                        "sign_right_label", "sign_left_name", "sign_right_name"}),
    meeting=False, minutes=True, period_months=1,
    needed=(
        (("evaluation",), Msg("biên bản họp chi ủy chưa ghi đánh giá kết quả lãnh đạo tháng trước (evaluation)",
                              "the committee minutes give no assessment of last month (evaluation)")),
        (("directions",), Msg("biên bản họp chi ủy chưa ghi phương hướng, nhiệm vụ tháng tiếp theo (directions)",
                              "the committee minutes give no tasks for the month (directions)")),
        (("agenda", "key_issues"), Msg(
            "biên bản họp chi ủy chưa ghi nội dung sinh hoạt chi bộ đã thống nhất: chương trình (agenda) và "
            "nội dung trọng tâm (key_issues) đều trống",
            "the committee minutes record no agreed content of the cell meeting: agenda and key_issues are "
            "both empty")),
    ),
    strict_refs=("chair", "secretary", "presenter", "absent[].member"),
    loose_refs=("guests[].name", "discussion[].speaker", "preparation[].owner"),
    checks=(committee_checks, plan_checks),
    warnings=(plan_warnings, committee_warnings),
    copied=("topics", "place", "start", "end", "chair", "secretary", "agenda", "meeting_start", "meeting_place"),
    book_label=Msg("Biên bản họp chi ủy", "Minutes of the committee meetings"),
    aliases=("biên bản chi ủy", "họp chi ủy", "biên bản họp chi ủy chuẩn bị sinh hoạt",
             "biên bản họp bí thư, phó bí thư"),
)
