"""Trích biên bản: an extract of a filed minutes, for a dossier (kết nạp, chuyển chính thức).

The extract copies from one minutes (its number, date and title in ``source``) the facts
of the sitting (``meeting``: time, place, chair, secretary; ``attendance``: the figures as
the minutes state them) and the parts a dossier needs (``items``: each a heading, its
paragraphs and the votes taken, with their counts and denominator). Nothing is recomputed
from the roster: the figures are the minutes' own (``meeting=False``), so an extract made
years later, after the roster changed, still says what the meeting said. ``docgen extract
ID`` writes this input from an archived minutes; a paper minutes can be copied by hand.

Numbering (domain reference §1.4, §5.6): an extract is **not numbered**. It is a copy of a
document that already has its number in the BB series; a new BB number would put a paper
that records no meeting into the minutes register, and HD 36's "BS" series (bản sao,
"Số 24-BS/UBKTTU" [C]) belongs to bodies that keep a copies register, which a village
chi bộ does not [U]. Common practice [C observed: docx.com.vn, bocdau.com templates] is
"TRÍCH BIÊN BẢN" without a number, identified by the line naming the source: "Trích Biên
bản số 07-BB/CB ngày 10/3/2026 sinh hoạt chi bộ thường kỳ tháng 3 năm 2026". The date
line is the day the extract is made; the Bí thư certifies it ("TRÍCH ĐÚNG BIÊN BẢN",
T/M CHI BỘ, BÍ THƯ).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.kinds.base import Kind
from docgen.model import labels as L
from docgen.model import schemas as S
from docgen.model.arithmetic import Issue, MeetingFigures, VoteResult, vote_result
from docgen.model.context import Context, person, recipients, signed_context
from docgen.model.profile import Profile
from docgen.model.text import line, paragraphs
from docgen.model.validation import DATE_PATTERN, TIME_PATTERN
from docgen.model.votes import TWO_THIRDS_TYPES, tail_text, vote_sentence
from docgen.vn.dates import clock, party_date, short_date, vn_date
from docgen.vn.numbers import roman
from docgen.vn.text import fold

NAME = "trich-bien-ban"
CERTIFY_LABEL = "TRÍCH ĐÚNG BIÊN BẢN"
MINUTES_SYMBOL = "BB"
PLACEHOLDER_HEADING = "Nội dung trích"

LABELS: L.FieldLabels = {
    **L.COMMON,
    "date": L._l("Ngày trích", "Date of the extract", "10/3/2026",
                 "ngày lập bản trích (dòng ngày tháng); ngày/tháng/năm",
                 "the day the extract is made (the date line); day/month/year"),
    "number": L._l("Số văn bản", "Document number", None,
                   "bản trích không mang số riêng (nó ghi số của biên bản gốc): để trống",
                   "an extract has no number of its own (it names the minutes' number): leave it empty"),
    "summary": L._l("Trích yếu", "Summary line", None,
                    "để trống: trích yếu của biên bản gốc (hoặc \"xét đề nghị kết nạp đảng viên\" khi chỉ "
                    "trích biểu quyết kết nạp)",
                    "empty: the minutes' own summary (or \"xét đề nghị kết nạp đảng viên\" when only "
                    "admission votes are extracted)"),
    "source": L._l("Biên bản gốc", "The minutes extracted", None,
                   "số, ngày, trích yếu của biên bản được trích", "number, date and summary of the minutes"),
    "source.number": L._l("Số biên bản gốc", "Number of the minutes", "\"07-BB/CB\"",
                          "như trên biên bản; để trống nếu biên bản không có số",
                          "as on the minutes; empty if the minutes has none"),
    "source.date": L._l("Ngày họp (ngày biên bản gốc)", "Date of the minutes", "10/3/2026",
                        "ngày/tháng/năm", "day/month/year"),
    "source.title": L._l("Trích yếu biên bản gốc", "Summary of the minutes",
                         "\"sinh hoạt chi bộ thường kỳ tháng 3 năm 2026\"",
                         "dòng dưới chữ BIÊN BẢN", "the line under BIÊN BẢN"),
    "source.kind": L._l("Loại biên bản gốc", "Kind of the minutes", "bien-ban-thuong-ky",
                        "không in ra; docgen extract tự ghi", "not printed; written by docgen extract"),
    "source.archive_id": L._l("Mã lưu trữ biên bản gốc", "Archive id of the minutes", "\"3f9a1c2b7d\"",
                              "không in ra; để tìm lại bản gốc (docgen show MÃ)",
                              "not printed; to find the original (docgen show ID)"),
    "meeting": L._l("Thông tin buổi họp", "The sitting", None,
                    "chép từ biên bản gốc, không tính lại", "copied from the minutes, not recomputed"),
    "meeting.start": L._l("Giờ bắt đầu", "Start time", "\"19:30\"",
                          "giờ:phút theo 24 giờ; viết 19h30 cũng được",
                          "hours:minutes, 24-hour clock; 19h30 also works"),
    "meeting.end": L._l("Giờ kết thúc", "End time", "\"21:30\"", "để trống nếu không trích",
                        "empty if not extracted"),
    "meeting.place": L._l("Địa điểm", "Place", "\"Nhà văn hóa thôn An Thành\""),
    "meeting.chair": L._l("Chủ trì", "Chair", "\"Nguyễn Văn An\"", "họ tên như trong biên bản (hoặc mã đảng viên)",
                          "the name as in the minutes (or a member id)"),
    "meeting.chair_position": L._l("Chức vụ của chủ trì", "Chair's position", "\"Bí thư Chi bộ\""),
    "meeting.secretary": L._l("Thư ký", "Minute-taker", "\"Lê Văn Cường\"",
                              "họ tên như trong biên bản (hoặc mã đảng viên)",
                              "the name as in the minutes (or a member id)"),
    "meeting.secretary_position": L._l("Chức vụ của thư ký", "Minute-taker's position", "\"Chi ủy viên\""),
    "meeting.guests": L._l("Đại biểu dự", "Guests", "\"đồng chí Trần Văn Bình, Đảng ủy viên\"",
                           "như trong biên bản", "as in the minutes"),
    "attendance": L._l("Số đảng viên", "Attendance figures", None,
                       "các số như biên bản gốc ghi (không tính lại từ danh sách đảng viên)",
                       "the figures as the minutes state them (not recomputed from the roster)"),
    "attendance.total": L._l("Tổng số đảng viên", "Members in all", "22"),
    "attendance.official": L._l("Số đảng viên chính thức", "Official members", "20"),
    "attendance.probationary": L._l("Số đảng viên dự bị", "Probationary members", "2"),
    "attendance.exempt": L._l("Số đảng viên được miễn sinh hoạt", "Exempt members", "1"),
    "attendance.exempt_present": L._l("Đảng viên được miễn có mặt", "Exempt members present",
                                      "\"đồng chí Kiều Văn Vinh\"", "họ tên, như biên bản ghi", "names, as written"),
    "attendance.temp_out": L._l("Số đảng viên sinh hoạt tạm thời nơi khác", "Members attending elsewhere", "1"),
    "attendance.temp_in": L._l("Số đảng viên nơi khác sinh hoạt tạm thời tại chi bộ",
                               "Members of other cells attending here", "1"),
    "attendance.temp_in_present": L._l("Số đảng viên sinh hoạt tạm thời có mặt",
                                       "Of them present", "1"),
    "attendance.present": L._l("Số đảng viên có mặt", "Members present", "18"),
    "attendance.present_official": L._l("Số có mặt là đảng viên chính thức", "Official members present", "16"),
    "attendance.present_probationary": L._l("Số có mặt là đảng viên dự bị", "Probationary members present", "2"),
    "attendance.absent": L._l("Số đảng viên vắng mặt", "Members absent", "3"),
    "attendance.absent_with_reason": L._l("Vắng có lý do", "Absent with a reason",
                                          "\"đồng chí Hoàng Văn Em (đi công tác)\"",
                                          "họ tên và lý do, như biên bản ghi", "names and reasons, as written"),
    "attendance.absent_without_reason": L._l("Vắng không có lý do", "Absent without a reason",
                                             "\"đồng chí Trịnh Văn Oanh\""),
    "denominator_text": L._l("Câu giải thích tỷ lệ biểu quyết", "How the vote rates are computed",
                             "\"Tỷ lệ biểu quyết tính trên 19 đảng viên chính thức.\"",
                             "chép từ biên bản gốc; để trống: \"Tỷ lệ biểu quyết tính trên … đảng viên chính thức.\"",
                             "copied from the minutes; empty: a plain sentence naming the denominator"),
    "items": L._l("Các nội dung trích", "Extracted parts", None,
                  "mỗi mục: tiêu đề, các đoạn chép đúng từ biên bản, các biểu quyết",
                  "each: a heading, paragraphs copied from the minutes, the votes"),
    "items[]": L._l("Mục trích", "Extracted part"),
    "items[].heading": L._l("Tiêu đề mục", "Heading", "\"Xét đề nghị kết nạp đảng viên\""),
    "items[].text": L._text("Nội dung", "Text", "chép đúng biên bản", "copied from the minutes"),
    "items[].votes": L._l("Biểu quyết", "Votes", None,
                          "như biên bản ghi; mỗi biểu quyết: subject (Nội dung biểu quyết), type (Loại biểu "
                          "quyết), for (Số đồng chí tán thành), against (Số đồng chí không tán thành), abstain "
                          "(Số đồng chí có ý kiến khác), denominator (Mẫu số: số đảng viên chính thức tính tỷ lệ)",
                          "as the minutes record them; each: subject (What was voted on), type (Kind of vote), "
                          "for (Votes in favour), against (Votes against), abstain (Other opinions), "
                          "denominator (Denominator: the official members the rate is on)"),
    "items[].votes[]": L._l("Biểu quyết", "Vote"),
    "items[].votes[].subject": L._l("Nội dung biểu quyết", "What was voted on",
                                    "\"đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng\"",
                                    "viết tiếp sau chữ \"Biểu quyết\"", "as it follows the word \"Biểu quyết\""),
    "items[].votes[].type": L._l("Loại biểu quyết", "Kind of vote", "admission",
                                 "admission (kết nạp), conversion (chuyển chính thức): cần 2/3; các loại khác: "
                                 "hơn một nửa số đảng viên chính thức",
                                 "admission, conversion: two thirds; the others: more than half of the "
                                 "official members"),
    "items[].votes[].for": L._l("Số đồng chí tán thành", "Votes in favour", "17"),
    "items[].votes[].against": L._l("Số đồng chí không tán thành", "Votes against", "0"),
    "items[].votes[].abstain": L._l("Số đồng chí có ý kiến khác", "Other opinions", "0"),
    "items[].votes[].denominator": L._l("Mẫu số", "Denominator", "19",
                                        "số đảng viên chính thức tính tỷ lệ, như biên bản ghi: 15/19 thì ghi 19",
                                        "the official members the rate is on, as in the minutes: 15/19 gives 19"),
    "signer": L._l("Người ký xác nhận", "Certified by", "m01", "mã đảng viên; mặc định: Bí thư",
                   "a member id; default: the secretary of the cell"),
    **L.recipients(),
}
LABELS["recipients"] = L._l("Nơi nhận", "Recipients", None,
                            "để trống: cấp ủy cấp trên (để báo cáo) và lưu Chi bộ",
                            "empty: the superior committee and the cell's file copy")

def _text_or_null() -> S.Schema:
    return S.p(["string", "null"], default=None)


def _count() -> S.Schema:
    return S.p("integer", minimum=0)


def schema() -> S.Schema:
    common = S.common(NAME, "sinh hoạt chi bộ thường kỳ tháng 3 năm 2026")
    common["number"] = S.p("null", default=None)
    vote = S.obj({
        "subject": S.text(),
        "type": S.p("string", default="other", enum=list(S.VOTE_TYPE_NAMES)),
        "for": _count(),
        "against": S.p("integer", default=0, minimum=0),
        "abstain": S.p("integer", default=0, minimum=0),
        "denominator": S.p("integer", minimum=1),
    }, ["subject", "for", "denominator"])
    props = {
        **common,
        "source": S.obj({
            "number": _text_or_null(),
            "date": S.p("string", pattern=DATE_PATTERN),
            "title": S.text(),
            "kind": _text_or_null(),
            "archive_id": _text_or_null(),
        }, ["date", "title"]),
        "meeting": S.obj({
            "start": S.p("string", pattern=TIME_PATTERN),
            "end": S.p(["string", "null"], default=None, pattern=TIME_PATTERN),
            "place": _text_or_null(),
            "chair": _text_or_null(),
            "chair_position": _text_or_null(),
            "secretary": _text_or_null(),
            "secretary_position": _text_or_null(),
            "guests": _text_or_null(),
        }, ["start"]),
        "attendance": S.p(["object", "null"], default=None, additionalProperties=False,
                          required=["total", "official", "probationary", "present", "absent"], properties={
                              "total": _count(), "official": _count(), "probationary": _count(),
                              "exempt": S.p("integer", default=0, minimum=0),
                              "exempt_present": _text_or_null(),
                              "temp_out": S.p("integer", default=0, minimum=0),
                              "temp_in": S.p("integer", default=0, minimum=0),
                              "temp_in_present": S.p("integer", default=0, minimum=0),
                              "present": _count(),
                              "present_official": S.p(["integer", "null"], default=None, minimum=0),
                              "present_probationary": S.p(["integer", "null"], default=None, minimum=0),
                              "absent": _count(),
                              "absent_with_reason": _text_or_null(),
                              "absent_without_reason": _text_or_null(),
                          }),
        "denominator_text": _text_or_null(),
        "items": S.arr(S.obj({
            "heading": S.text(),
            "text": _text_or_null(),
            "votes": S.arr(vote, default=[]),
        }, ["heading"]), default=[], minItems=1),
        "signer": S.p(["string", "null"], default=None, pattern=S.ID_PATTERN),
        "recipients": {**S.recipients(), "examples": [["Đảng ủy xã Quang Kim (để báo cáo)"]]},
    }
    return S.kind_schema(NAME, "Trích biên bản", props, ["kind", "date", "source", "meeting", "items"])


# --------------------------------------------------------------------------- the source

_NUMBER = re.compile(r"^(?:s[oố]\s*:?\s*)?(\d{1,4})(?:\s*-\s*([^\W\d_]+)(?:\s*/\s*([^\W_][\w-]*))?)?$",
                     re.IGNORECASE)


def source_number(value: Any, cell_symbol: str) -> tuple[str, Issue | None]:
    """The minutes' number as printed ("07-BB/CB") from what was written: "07-BB/CB",
    "Số 7-bb/cb", "7" (the cell's symbol then); "" when none. An Issue (field
    "source.number") when it cannot be read or is not a minutes' number (BB)."""
    text = line(value)
    if not text:
        return "", None
    match = _NUMBER.match(text)
    if match is None:
        return text, Issue("source.number", Msg(f"không đọc được số biên bản gốc: \"{text}\"",
                                                f"not a minutes number: \"{text}\""),
                           Msg(f"ghi số như trên biên bản, ví dụ 07-{MINUTES_SYMBOL}/{cell_symbol}; "
                               "biên bản không có số thì để trống",
                               f"write the number as on the minutes, e.g. 07-{MINUTES_SYMBOL}/{cell_symbol}; "
                               "leave it empty if the minutes has none"))
    number, symbol, issuer = int(match.group(1)), match.group(2), match.group(3)
    if symbol and fold(symbol).upper() != MINUTES_SYMBOL:
        return text, Issue("source.number", Msg(
            f"số \"{text}\" không phải số của một biên bản (ký hiệu {symbol.upper()}, biên bản có ký hiệu "
            f"{MINUTES_SYMBOL}): chỉ trích biên bản",
            f"\"{text}\" is not the number of a minutes (symbol {symbol.upper()}, minutes are "
            f"{MINUTES_SYMBOL}): only minutes are extracted"),
            Msg(f"ghi số của biên bản, ví dụ 07-{MINUTES_SYMBOL}/{cell_symbol}",
                f"give the minutes' number, e.g. 07-{MINUTES_SYMBOL}/{cell_symbol}"))
    issuer_text = (issuer or cell_symbol).upper()
    return f"{number:02d}-{MINUTES_SYMBOL}/{issuer_text}", None


def source_line(number_text: str, day: dt.date, title: str) -> str:
    """"Trích Biên bản số 07-BB/CB ngày 10/3/2026 sinh hoạt chi bộ thường kỳ tháng 3 năm 2026"."""
    number = f" số {number_text}" if number_text else ""
    return f"Trích Biên bản{number} ngày {short_date(day)} {title}".rstrip()


def _votes(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(path, vote) of every vote of the extract, in order."""
    return [(f"items[{i}].votes[{j}]", vote) for i, item in enumerate(data.get("items") or [])
            for j, vote in enumerate(item.get("votes") or [])]


def _result(vote: dict[str, Any]) -> VoteResult:
    kind = str(vote.get("type") or "other")
    return vote_result(int(vote["for"]), int(vote.get("against") or 0), int(vote.get("abstain") or 0),
                       int(vote["denominator"]), kind in TWO_THIRDS_TYPES)


def summary(data: dict[str, Any]) -> str:
    """The minutes' own summary; "xét đề nghị kết nạp đảng viên" (or "… công nhận đảng viên
    chính thức") when every vote extracted is an admission (a conversion)."""
    types = {str(v.get("type") or "other") for _path, v in _votes(data)}
    if types == {"admission"}:
        return "xét đề nghị kết nạp đảng viên"
    if types == {"conversion"}:
        return "xét đề nghị công nhận đảng viên chính thức"
    return line((data.get("source") or {}).get("title"))


# --------------------------------------------------------------------------- context

def _comrade(profile: Profile, ref: Any, position: Any) -> str:
    """"đồng chí Nguyễn Văn An, Bí thư Chi bộ" (an id becomes the member's name)."""
    name = re.sub(r"^đồng chí\s+", "", person(profile, ref), flags=re.IGNORECASE)
    if not name:
        return ""
    return f"đồng chí {name}" + (f", {line(position)}" if line(position) else "")


def _of(count: int, what: str) -> str:
    """"chính thức 20 đồng chí"; 0 → "không có đảng viên chính thức"."""
    return f"{what} {count} đồng chí" if count else f"không có đảng viên {what}"


def attendance_lines(a: dict[str, Any]) -> list[str]:
    """The attendance as the minutes state it, one line each (zero counts in words)."""
    out = [f"- Tổng số đảng viên của Chi bộ: {a['total']} đồng chí; trong đó {_of(a['official'], 'chính thức')}, "
           f"{_of(a['probationary'], 'dự bị')}."]
    if a.get("exempt"):
        present = line(a.get("exempt_present"))
        out.append(f"+ Số đảng viên được miễn công tác và sinh hoạt đảng: {a['exempt']} đồng chí"
                   + (f" (có mặt: {present})." if present else "."))
    if a.get("temp_out"):
        out.append(f"+ Số đảng viên được giới thiệu sinh hoạt tạm thời nơi khác: {a['temp_out']} đồng chí.")
    if a.get("temp_in"):
        came = a.get("temp_in_present") or 0
        out.append(f"+ Số đảng viên nơi khác sinh hoạt tạm thời tại Chi bộ: {a['temp_in']} đồng chí"
                   + (f" (có mặt {came} đồng chí)." if came else "."))
    split = ""
    official, probationary = a.get("present_official"), a.get("present_probationary")
    if official is not None and probationary is not None:
        split = (f" (chính thức {official} đồng chí, dự bị {probationary} đồng chí)" if probationary
                 else f" (chính thức {official} đồng chí)")
    out.append(f"- Số đảng viên có mặt: {a['present']} đồng chí{split}.")
    if not a["absent"]:
        out.append("- Số đảng viên vắng mặt: không có đồng chí nào.")
    else:
        with_reason, without = line(a.get("absent_with_reason")), line(a.get("absent_without_reason"))
        text = f"- Số đảng viên vắng mặt: {a['absent']} đồng chí"
        text += f"; có lý do: {with_reason}" if with_reason else ""
        text += f"; không có lý do: {without}" if without else ""
        out.append(text + ".")
    return out


def fact_lines(data: dict[str, Any], profile: Profile) -> list[str]:
    """Time, place, figures, guests, chair and secretary of the sitting, as the minutes list them."""
    meeting = data.get("meeting") or {}
    day = dt.date.fromisoformat(data["source"]["date"])
    start = clock(dt.time.fromisoformat(meeting["start"]))
    end = meeting.get("end")
    when = (f"từ {start} đến {clock(dt.time.fromisoformat(end))}, {party_date(day)}" if end
            else f"bắt đầu lúc {start}, {party_date(day)}")
    out = [f"- Thời gian: {when}."]
    if line(meeting.get("place")):
        out.append(f"- Địa điểm: {line(meeting['place'])}.")
    if data.get("attendance"):
        out += attendance_lines(data["attendance"])
    if line(meeting.get("guests")):
        out.append(f"- Đại biểu dự: {line(meeting['guests'])}.")
    chair = _comrade(profile, meeting.get("chair"), meeting.get("chair_position"))
    if chair:
        out.append(f"- Chủ trì: {chair}.")
    secretary = _comrade(profile, meeting.get("secretary"), meeting.get("secretary_position"))
    if secretary:
        out.append(f"- Thư ký: {secretary}.")
    return out


def denominator_sentence(data: dict[str, Any]) -> str:
    """The minutes' sentence on the denominator; else one naming it (all votes share one)."""
    given = line(data.get("denominator_text"))
    if given:
        return given
    dens = sorted({int(v["denominator"]) for _path, v in _votes(data)})
    if len(dens) == 1:
        return f"Tỷ lệ biểu quyết tính trên {dens[0]} đảng viên chính thức."
    return ""


def body_lines(data: dict[str, Any]) -> list[Context]:
    """The extracted parts as the template prints them, one entry per paragraph: ``style``
    is heading, text, intro (kept with what follows), vote or note; ``keep`` marks the last
    paragraph, which stays with the signatures."""
    body: list[Context] = []
    items = data.get("items") or []
    last_voted = max((i for i, item in enumerate(items) if item.get("votes")), default=-1)
    note = denominator_sentence(data)
    for i, item in enumerate(items):
        body.append({"style": "heading", "text": f"{roman(i + 1)}. {line(item['heading']).upper()}"})
        texts = paragraphs(item.get("text"))
        body += [{"style": "text", "text": p} for p in texts]
        votes = item.get("votes") or []
        if votes:
            if texts or "bieu quyet" not in fold(item["heading"]):  # "I. BIỂU QUYẾT" needs no second title
                body.append({"style": "intro", "text": "Kết quả biểu quyết:"})
            body += [{"style": "vote", "text": "- " + vote_sentence(line(v["subject"]), _result(v))} for v in votes]
            if i == last_voted and note:
                body.append({"style": "note", "text": note})
    for entry in body:
        entry["keep"] = entry["style"] in ("heading", "intro")
    if body:
        body[-1]["keep"] = True
    return body


def context(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures | None) -> Context:
    source = data["source"]
    day = dt.date.fromisoformat(source["date"])
    number, _issue = source_number(source.get("number"), profile.cell.symbol)
    signed = signed_context(data, profile, settings)
    if not data.get("recipients"):
        signed["recipients"] = recipients(profile, [f"{profile.cell.superior_committee} (để báo cáo)"])
    return {
        "source_number_text": number, "source_date_text": short_date(day), "source_title": line(source["title"]),
        "source_line": source_line(number, day, line(source["title"])),
        "facts": fact_lines(data, profile), "body": body_lines(data), "certify_label": CERTIFY_LABEL,
        **signed,
    }


# --------------------------------------------------------------------------- rules

def source_checks(data: dict[str, Any], profile: Profile, settings: Settings,
                  figures: MeetingFigures | None) -> list[Issue]:
    """The minutes' number is a minutes' number; the extract is not dated before the meeting."""
    source = data["source"]
    issues: list[Issue] = []
    _number, issue = source_number(source.get("number"), profile.cell.symbol)
    if issue is not None:
        issues.append(issue)
    met, made = dt.date.fromisoformat(source["date"]), dt.date.fromisoformat(data["date"])
    if met > made:
        issues.append(Issue("source.date", Msg(
            f"biên bản gốc ghi ngày {vn_date(met)}, sau ngày lập bản trích {vn_date(made)}",
            f"the minutes are dated {vn_date(met)}, after the extract ({vn_date(made)})"),
            Msg("sửa ngày họp (source.date) hoặc ngày trích (date)",
                "fix the meeting date (source.date) or the extract's date (date)")))
    return issues


def _too_many(path: str, part: str, part_en: str, count: int, whole: str, whole_en: str, bound: int) -> Issue:
    return Issue(path, Msg(f"{part} ({count}) lớn hơn {whole} ({bound})",
                           f"{part_en} ({count}) exceed {whole_en} ({bound})"),
                 Msg("chép lại đúng các số của biên bản gốc", "copy the figures of the minutes again"))


def figure_checks(data: dict[str, Any], profile: Profile, settings: Settings,
                  figures: MeetingFigures | None) -> list[Issue]:
    """The copied figures agree with each other, and each vote with them (a misprint in the
    copy is caught here; nothing is recomputed from the roster)."""
    issues: list[Issue] = []
    a = data.get("attendance")
    if a:
        if a["official"] + a["probationary"] != a["total"]:
            issues.append(Issue("attendance.total", Msg(
                f"tổng số đảng viên ({a['total']}) khác số chính thức cộng dự bị "
                f"({a['official']} + {a['probationary']} = {a['official'] + a['probationary']})",
                f"members in all ({a['total']}) differ from official plus probationary "
                f"({a['official']} + {a['probationary']})"),
                Msg("chép lại đúng các số của biên bản gốc", "copy the figures of the minutes again")))
        held = a["present"] + a["absent"] + (a.get("temp_out") or 0)
        if held > a["total"]:
            issues.append(_too_many("attendance.present", "số có mặt, vắng mặt và sinh hoạt tạm thời nơi khác",
                                    "members present, absent and attending elsewhere", held,
                                    "tổng số đảng viên", "the members in all", a["total"]))
        official, probationary = a.get("present_official"), a.get("present_probationary")
        if official is not None and probationary is not None and official + probationary != a["present"]:
            issues.append(Issue("attendance.present_official", Msg(
                f"số có mặt ({a['present']}) khác số chính thức có mặt cộng dự bị có mặt "
                f"({official} + {probationary})",
                f"members present ({a['present']}) differ from official plus probationary present "
                f"({official} + {probationary})"),
                Msg("chép lại đúng các số của biên bản gốc", "copy the figures of the minutes again")))
        if official is not None and official > a["official"]:
            issues.append(_too_many("attendance.present_official", "số đảng viên chính thức có mặt",
                                    "official members present", official, "số đảng viên chính thức",
                                    "the official members", a["official"]))
    for path, vote in _votes(data):
        cast = int(vote["for"]) + int(vote.get("against") or 0) + int(vote.get("abstain") or 0)
        den = int(vote["denominator"])
        if cast > den:
            issues.append(_too_many(f"{path}.for", "số phiếu (tán thành, không tán thành, ý kiến khác)",
                                    "the votes cast", cast, "mẫu số", "the denominator", den))
        if a and den > a["official"]:
            issues.append(_too_many(f"{path}.denominator", "mẫu số", "the denominator", den,
                                    "số đảng viên chính thức", "the official members", a["official"]))
        voters = a.get("present_official") if a else None
        if voters is not None and cast > voters:
            issues.append(_too_many(f"{path}.for", "số phiếu", "the votes cast", cast,
                                    "số đảng viên chính thức có mặt", "the official members present", voters))
    return issues


def item_checks(data: dict[str, Any], profile: Profile, settings: Settings,
                figures: MeetingFigures | None) -> list[Issue]:
    """Every extracted part holds something: a paragraph or a vote."""
    return [Issue(f"items[{i}].text", Msg(f"mục trích thứ {i + 1} (\"{line(item['heading'])}\") chưa có nội dung",
                                          f"extracted part {i + 1} (\"{line(item['heading'])}\") is empty"),
                  Msg("chép đoạn biên bản vào text, hoặc thêm votes, hoặc xóa mục này",
                      "copy the minutes' paragraphs into text, add votes, or remove the part"))
            for i, item in enumerate(data.get("items") or [])
            if not paragraphs(item.get("text")) and not item.get("votes")]


def extract_warnings(data: dict[str, Any], profile: Profile, settings: Settings,
                     figures: MeetingFigures | None) -> list[Msg]:
    out: list[Msg] = []
    meeting = data.get("meeting") or {}
    missing = [vi for key, vi in (("chair", "chủ trì"), ("secretary", "thư ký")) if not line(meeting.get(key))]
    if missing:
        out.append(Msg(f"bản trích chưa ghi {' và '.join(missing)} của buổi họp (meeting)",
                       "the extract names no " + " and no ".join(
                           "chair" if m == "chủ trì" else "minute-taker" for m in missing) + " (meeting)"))
    for path, vote in _votes(data):
        result = _result(vote)
        if not result.passed:
            out.append(Msg(
                f"biểu quyết {line(vote['subject'])} ({path}) không được thông qua ({result.rate_text}; "
                f"{tail_text(result)}; cần {result.threshold_text} số đảng viên chính thức): bản trích ghi "
                "đúng kết quả đó",
                f"the vote {line(vote['subject'])} ({path}) did not pass ({result.votes_for}/{result.denominator} "
                f"for, {result.percent_text}): the extract states that result"))
    return out


def prefill(settings: Settings, profile: Profile, day: dt.date | None) -> dict[str, Any]:
    """``docgen form``: one part to fill in (``docgen extract ID`` fills everything from a
    filed minutes)."""
    from docgen.authoring.form import BLANK

    return {"items": [{"heading": PLACEHOLDER_HEADING, "text": BLANK}]}


# --------------------------------------------------------------------------- template

def _signature(doc: Any) -> None:
    """Nơi nhận on the left; on the right the certification (TRÍCH ĐÚNG BIÊN BẢN), the
    authority (T/M CHI BỘ), the position and the signer (tplkit's signature_with_recipients
    plus the certification line)."""
    from docgen.render import tplkit as t

    table = t.signature_table(doc)
    left, right = table.rows[0].cells
    t.para(left, "Nơi nhận:", underline=True, align=t.LEFT, indent=False, after=0, first=True, before=12)
    t.tag(left, "{%p for r in recipients %}")
    t.para(left, "{{ r }}", size=12, align=t.LEFT, indent=False, after=0)
    t.tag(left, "{%p endfor %}")
    t.para(right, "{{ certify_label }}", bold=True, align=t.CENTER, indent=False, after=0, first=True, before=12)
    t.para(right, "{{ authority_label }}", bold=True, align=t.CENTER, indent=False, after=0)
    t.para(right, "{{ signer_position }}", align=t.CENTER, indent=False, after=0)
    for _ in range(4):
        t.para(right, "", align=t.CENTER, indent=False, after=0)
    t.para(right, "{{ signer_name }}", bold=True, align=t.CENTER, indent=False, after=0)
    t.keep_table_together(table)


def template() -> Any:
    from docgen.render import tplkit as t

    doc = t.new_document()
    t.header_block(doc, numbered=False)
    t.title_block(doc)
    t.intro(doc, "{{ source_line }} như sau:", italic=True)
    t.loop_paragraphs(doc, "facts", "{{ f }}", var="f")
    t.tag(doc, "{%p for b in body %}")
    t.tag(doc, "{%p if b.style == 'heading' %}")
    t.heading(doc, "{{ b.text }}")
    t.tag(doc, "{%p elif b.style == 'intro' %}")
    t.intro(doc, "{{ b.text }}", italic=True)
    for style, italic in (("text", False), ("vote", False), ("note", True)):
        t.tag(doc, f"{{%p elif b.style == '{style}' and b.keep %}}")
        t.keep_with_next(t.para(doc, "{{ b.text }}", italic=italic))
        t.tag(doc, f"{{%p elif b.style == '{style}' %}}")
        t.para(doc, "{{ b.text }}", italic=italic)
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p endfor %}")
    _signature(doc)
    return doc


KIND = Kind(
    general=True,
    name=NAME, order=27,
    label=Msg("Trích biên bản", "Extract of minutes"),
    description=Msg("Trích biên bản (một hoặc vài nội dung của biên bản đã lưu, cho hồ sơ kết nạp, "
                    "chuyển chính thức; không đánh số)",
                    "Extract of filed minutes (one or a few items, for an admission or conversion "
                    "dossier; not numbered)"),
    type_symbol="", type_name="TRÍCH BIÊN BẢN", code="TrBB",
    schema_builder=schema, labels=LABELS, context_builder=context, summary_builder=summary,
    template_builder=template, template_title="Mẫu trích biên bản",
    keys=frozenset({"source_number_text", "source_date_text", "source_title", "source_line", "facts", "body",
                    "certify_label", "authority_label", "signer_position", "signer_name", "recipients"}),
    required=frozenset({"source_line", "facts", "body", "certify_label", "authority_label", "signer_position",
                        "signer_name", "recipients"}),
    period_months=1,
    needed=((("attendance",), Msg(
        "bản trích chưa ghi số đảng viên của buổi họp (attendance: tổng số, có mặt, vắng mặt)",
        "the extract states no attendance figures (attendance: total, present, absent)")),),
    strict_refs=("signer",), loose_refs=("meeting.chair", "meeting.secretary"),
    checks=(source_checks, figure_checks, item_checks),
    warnings=(extract_warnings,),
    copied=("recipients", "signer"),
    book_label=Msg("Trích biên bản", "Extracts of minutes"),
    aliases=("trích biên bản họp chi bộ", "bản trích biên bản"),
    prefill=prefill,
)
