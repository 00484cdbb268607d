"""Báo cáo của chi bộ gửi Đảng ủy xã: the cell's report to the superior committee ("Số 01-BC/CB").

Three report types in one kind (``report_type``):

``chuyen-de``
    the result of a topical session (HD 12: the cell reports its topical sessions to the
    superior committee): which topic, when and where, attendance, who presented, the main
    points of the presentation and the discussion, members' commitments, an assessment,
    shortcomings, next steps and proposals. Trích yếu "kết quả sinh hoạt chuyên đề quý I
    năm 2026".
``6-thang``
    sơ kết công tác 6 tháng đầu năm: "sơ kết công tác 6 tháng đầu năm 2026".
``nam``
    tổng kết công tác năm: "tổng kết công tác năm 2026".

A six-month or year-end report has I. đặc điểm tình hình and the results per area
(chính trị tư tưởng, kinh tế - xã hội, quốc phòng - an ninh, xây dựng Đảng), II. the
figures of the cell's meetings (``archive_figures``: what ``docgen form bao-cao`` read from
the archive, corrected by the user; printed as the input says, never recomputed), III. hạn
chế, nguyên nhân, IV. phương hướng, V. kiến nghị, đề xuất. Signed T/M CHI BỘ / BÍ THƯ with
Nơi nhận. The outline is common practice (the domain reference has no report outline, [U]).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.kinds._bao_cao_period import (
    HALF,
    REPORT_TYPES,
    TOPICAL,
    YEAR,
    ReportPeriod,
    period_of,
    report_type_of,
    step,
)
from docgen.kinds._bao_cao_prefill import prefill
from docgen.kinds.base import SIGNED_KEYS, Kind
from docgen.model import labels as L
from docgen.model import schemas as S
from docgen.model.arithmetic import Issue, MeetingFigures
from docgen.model.context import Context, recipients, signed_context
from docgen.model.profile import Profile
from docgen.model.roster import roster_on, totals_of
from docgen.model.text import line, paragraphs
from docgen.vn.dates import short_date, vn_date
from docgen.vn.numbers import roman

NAME = "bao-cao"
TYPE_WORDS = {TOPICAL: "báo cáo chuyên đề", HALF: "báo cáo 6 tháng", YEAR: "báo cáo năm"}
MAX_COUNT = 9999
PERCENT = re.compile(r"^(\d{1,3})(?:,(\d{1,2}))?%$")
RESULT_AREAS = (("politics", "Công tác chính trị, tư tưởng"),
                ("economy", "Lãnh đạo phát triển kinh tế - xã hội"),
                ("security", "Quốc phòng - an ninh"),
                ("party_building", "Công tác xây dựng Đảng"))
TOPICAL_ONLY = ("quarter", "session", "preparation", "presentation", "discussion", "commitments", "evaluation")
PERIODIC_ONLY = ("situation", "results", "archive_figures", "party_work")
EMPTY_FIGURES: dict[str, Any] = {"from": None, "to": None, "meetings_regular": 0, "meetings_extraordinary": 0,
                                 "meetings_topical": 0, "average_attendance_percent": None, "topics": [],
                                 "resolutions": []}

Data = dict[str, Any]

LABELS: L.FieldLabels = {
    **L.COMMON,
    "number": L._l("Số văn bản", "Document number", "3", "để trống để kho lưu trữ tự cấp số (01-BC/CB, …)",
                   "leave empty and the archive assigns the next one (01-BC/CB, …)"),
    "report_type": L._l("Loại báo cáo", "Report type", "chuyen-de",
                        "chuyen-de: kết quả một buổi sinh hoạt chuyên đề; 6-thang: sơ kết 6 tháng đầu năm; "
                        "nam: tổng kết năm",
                        "chuyen-de: the result of a topical session; 6-thang: the first half of the year; "
                        "nam: the year-end report"),
    "year": L._l("Năm báo cáo", "Year reported on", "2026",
                 "mặc định: năm của buổi sinh hoạt chuyên đề, hoặc của ngày báo cáo",
                 "default: the year of the topical session, or of the report's date"),
    "quarter": L._l("Quý", "Quarter", "1", "chỉ với báo cáo chuyên đề; mặc định: quý của buổi sinh hoạt",
                    "topical reports only; default: the quarter of the session"),
    "bases": L._l("Thực hiện, căn cứ", "Carrying out", None,
                  "văn bản mà báo cáo thực hiện, viết liền sau chữ \"Thực hiện\"",
                  "the papers the report carries out, as they follow the word \"Thực hiện\""),
    "bases[]": L._l("Văn bản thực hiện", "Paper carried out",
                    "\"Kế hoạch số 01-KH/CB, ngày 12/1/2026 của Chi bộ về sinh hoạt chuyên đề năm 2026\""),
    "session": L._l("Buổi sinh hoạt chuyên đề", "The topical session", None,
                    "báo cáo chuyên đề: docgen form bao-cao điền sẵn từ biên bản đã lưu",
                    "topical report: docgen form bao-cao fills it in from the filed minutes"),
    "session.title": L._l("Tên chuyên đề", "Title of the topic", "\"Chung tay giữ gìn vệ sinh môi trường\""),
    "session.date": L._l("Ngày sinh hoạt chuyên đề", "Date of the session", "24/3/2026",
                         "ngày/tháng/năm, ví dụ 24/3/2026", "day/month/year, e.g. 24/3/2026"),
    "session.place": L._l("Địa điểm", "Place", "\"Nhà văn hóa thôn An Thành\""),
    "session.presenter": L._member("Người chuẩn bị, trình bày", "Presenter", "m02"),
    "session.present": L._l("Số đảng viên có mặt", "Members present", "19",
                            "trong số được triệu tập (không tính đảng viên miễn sinh hoạt có mặt)",
                            "of those summoned (exempt members who came are not counted)"),
    "session.summoned": L._l("Số đảng viên được triệu tập", "Members summoned", "20",
                             "không tính đảng viên miễn sinh hoạt, sinh hoạt tạm thời nơi khác",
                             "without exempt members and those attending elsewhere"),
    "session.absent": L._l("Người vắng mặt", "Absent", "\"đồng chí Hoàng Văn Em (đi công tác)\"",
                           "họ tên và lý do", "names and reasons"),
    "preparation": L._text("Công tác chuẩn bị", "Preparation", "báo cáo chuyên đề, phần I",
                           "topical report, part I"),
    "presentation": L._text("Nội dung chính của chuyên đề", "Main points of the topic",
                            "báo cáo chuyên đề, phần II", "topical report, part II"),
    "discussion": L._text("Ý kiến thảo luận", "Discussion", "những ý chính", "the main points"),
    "commitments": L._l("Việc làm đảng viên đăng ký, cam kết", "Members' commitments", None,
                        "mỗi dòng một việc", "one commitment per line"),
    "commitments[]": L._l("Việc đăng ký", "Commitment",
                          "\"Đồng chí Nguyễn Thị Xuân: vận động 10 hộ xóm Đông phân loại rác tại nguồn\""),
    "evaluation": L._text("Đánh giá chung", "Overall assessment", "chất lượng, ý nghĩa của buổi sinh hoạt",
                          "quality and value of the session"),
    "situation": L._text("Đặc điểm tình hình", "Situation", "báo cáo 6 tháng, năm: phần I",
                         "six-month and year-end reports: part I"),
    "results": L._l("Kết quả thực hiện nhiệm vụ", "Results by area", None,
                    "báo cáo 6 tháng, năm: phần I, từng lĩnh vực", "six-month and year-end reports: part I, by area"),
    "results.politics": L._text("Công tác chính trị, tư tưởng", "Political and ideological work"),
    "results.economy": L._text("Lãnh đạo phát triển kinh tế - xã hội", "Economic and social development"),
    "results.security": L._text("Quốc phòng - an ninh", "Defence and security"),
    "results.party_building": L._text("Công tác xây dựng Đảng", "Party building"),
    "archive_figures": L._l("Số liệu sinh hoạt chi bộ", "Figures of the cell's meetings", None,
                            "docgen form bao-cao đọc từ kho lưu trữ; sửa nếu cần; in ở phần II",
                            "read from the archive by docgen form bao-cao; correct them if needed; printed in "
                            "part II"),
    "archive_figures.from": L._l("Tính từ ngày", "Counted from", "1/1/2026", "ngày/tháng/năm", "day/month/year"),
    "archive_figures.to": L._l("Tính đến ngày", "Counted until", "30/6/2026", "ngày/tháng/năm", "day/month/year"),
    "archive_figures.meetings_regular": L._l("Số buổi sinh hoạt thường kỳ", "Regular meetings held", "6"),
    "archive_figures.meetings_extraordinary": L._l("Số buổi sinh hoạt bất thường", "Extraordinary meetings held",
                                                   "0"),
    "archive_figures.meetings_topical": L._l("Số buổi sinh hoạt chuyên đề", "Topical sessions held", "2",
                                             "kể cả buổi kết hợp với sinh hoạt thường kỳ",
                                             "sessions combined with a regular meeting included"),
    "archive_figures.average_attendance_percent": L._l(
        "Tỷ lệ đảng viên dự sinh hoạt bình quân", "Average attendance", "\"91,2%\"",
        "số lượt có mặt trên số lượt được triệu tập; viết như 91,2%",
        "attendances over summons; written like 91,2%"),
    "archive_figures.topics": L._l("Các chủ đề sinh hoạt", "Topics covered", None,
                                   "viết thường như trong câu", "lower case, as inside a sentence"),
    "archive_figures.topics[]": L._l("Chủ đề sinh hoạt", "Topic covered", "\"vệ sinh môi trường\""),
    "archive_figures.resolutions": L._l("Các nghị quyết đã ban hành", "Resolutions issued"),
    "archive_figures.resolutions[]": L._l("Nghị quyết", "Resolution"),
    "archive_figures.resolutions[].number": L._l("Số nghị quyết", "Number", "\"05-NQ/CB\""),
    "archive_figures.resolutions[].date": L._l("Ngày nghị quyết", "Date", "10/3/2026", "ngày/tháng/năm",
                                               "day/month/year"),
    "archive_figures.resolutions[].summary": L._l("Trích yếu nghị quyết", "Summary line",
                                                  "\"lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026\""),
    "party_work": L._text("Công tác đảng viên", "Members and Party work",
                          "kết nạp, chuyển chính thức, đảng phí, khen thưởng; in ở phần II",
                          "admissions, conversions, dues, awards; printed in part II"),
    "shortcomings": L._text("Hạn chế, khuyết điểm", "Shortcomings", "phần III", "part III"),
    "causes": L._text("Nguyên nhân", "Causes", "phần III", "part III"),
    "next_tasks": L._l("Phương hướng, nhiệm vụ", "Tasks ahead", None, "phần IV, mỗi dòng một nhiệm vụ",
                       "part IV, one task per line"),
    "next_tasks[]": L._l("Nhiệm vụ", "Task", "\"Duy trì Ngày Chủ nhật xanh hằng tháng\""),
    "proposals": L._text("Kiến nghị, đề xuất", "Proposals", "phần V", "part V"),
    "signer": L.SIGNER,
    **L.recipients(),
}
LABELS["recipients"] = L._l("Nơi nhận", "Recipients", None,
                            "để trống để dùng mặc định (cấp ủy cấp trên (để báo cáo), lưu)",
                            "empty: the default list (superior committee, file copy)")


def _text() -> S.Schema:
    return S.p(["string", "null"], default=None)


def _count() -> S.Schema:
    return S.p("integer", default=0, minimum=0, maximum=MAX_COUNT)


def schema() -> S.Schema:
    session = S.p(["object", "null"], default=None, additionalProperties=False,
                  required=["title", "date", "presenter"], properties={
                      "title": S.text(),
                      "date": S.p("string", pattern=S.DATE_PATTERN),
                      "place": _text(),
                      "presenter": S.member_ref(),
                      "present": S.p(["integer", "null"], default=None, minimum=0, maximum=MAX_COUNT),
                      "summoned": S.p(["integer", "null"], default=None, minimum=1, maximum=MAX_COUNT),
                      "absent": _text(),
                  })
    figures = S.obj({
        "from": S.p(["string", "null"], default=None, pattern=S.DATE_PATTERN),
        "to": S.p(["string", "null"], default=None, pattern=S.DATE_PATTERN),
        "meetings_regular": _count(),
        "meetings_extraordinary": _count(),
        "meetings_topical": _count(),
        "average_attendance_percent": _text(),
        "topics": S.arr(S.p("string"), default=[]),
        "resolutions": S.arr(S.obj({
            "number": S.text(),
            "date": S.p(["string", "null"], default=None, pattern=S.DATE_PATTERN),
            "summary": _text(),
        }, ["number"]), default=[]),
    }, default=EMPTY_FIGURES)
    results = S.obj({key: _text() for key, _ in RESULT_AREAS}, default={key: None for key, _ in RESULT_AREAS})
    props = {**S.common(NAME, "kết quả sinh hoạt chuyên đề quý I năm 2026"),
             "report_type": S.p("string", default=TOPICAL, enum=list(REPORT_TYPES)),
             "year": S.p(["integer", "null"], default=None, minimum=1945, maximum=2200),
             "quarter": S.p(["integer", "null"], default=None, minimum=1, maximum=4),
             "bases": S.arr(S.p("string"), default=[]),
             "session": session,
             "preparation": _text(), "presentation": _text(), "discussion": _text(),
             "commitments": S.arr(S.p("string"), default=[]),
             "evaluation": _text(),
             "situation": _text(),
             "results": results,
             "archive_figures": figures,
             "party_work": _text(),
             "shortcomings": _text(), "causes": _text(),
             "next_tasks": S.arr(S.p("string"), default=[]),
             "proposals": _text(),
             "signer": S.p(["string", "null"], default=None, pattern=S.ID_PATTERN),
             "recipients": S.arr(S.p("string"), default=[], examples=[[
                 "Đảng ủy xã Quang Kim (để báo cáo)", "Đồng chí Đảng ủy viên phụ trách chi bộ"]])}
    return S.kind_schema(NAME, "Báo cáo của chi bộ", props, ["kind", "date"])


def summary(data: Data) -> str:
    return period_of(data).summary


# --------------------------------------------------------------------------- context

Block = dict[str, Any]


def _para(text: str, keep: bool = False) -> Block:
    return {"text": text, "bold": False, "keep": keep}


def _sub(text: str) -> Block:
    return {"text": text, "bold": True, "keep": True}


def _paras(value: Any) -> list[Block]:
    return [_para(p) for p in paragraphs(value)]


def _items(values: list[Any]) -> list[Block]:
    """"- a;" … "- z.": one line per item, the list's punctuation made uniform."""
    texts = [line(v).lstrip("-+•").strip().rstrip(";,.").strip() for v in values]
    texts = [t for t in texts if t]
    return [_para(f"- {t}{'.' if i == len(texts) - 1 else ';'}") for i, t in enumerate(texts)]


def _numbered(parts: list[tuple[str, list[Block]]]) -> list[Block]:
    """Sub-sections "1. …", "2. …" of the parts that have content (a lone part has no title
    when ``title`` is empty)."""
    filled = [(title, blocks) for title, blocks in parts if blocks]
    out: list[Block] = []
    for i, (title, blocks) in enumerate(filled, start=1):
        out += [_sub(f"{i}. {title}"), *blocks]
    return out


def _sentence_end(text: str) -> str:
    text = line(text).rstrip(";,")
    return text if text.endswith((".", "!", "?")) else text + "."


def _member_text(profile: Profile, ref: str) -> str:
    position = re.sub(r"\bchi bộ$", "Chi bộ", profile.position_of(ref))  # this cell: "Chi bộ"
    return f"đồng chí {profile.name_of(ref)}" + (f", {position}" if position else "")


def _attendance(session: Data) -> str:
    present, summoned = session.get("present"), session.get("summoned")
    if present is None or not summoned:
        return ""
    from docgen.vn.numbers import percent_vi

    text = (f"- Thành phần: có mặt {present}/{summoned} đồng chí đảng viên được triệu tập, "
            f"đạt {percent_vi(int(present), int(summoned))}")
    absent = line(session.get("absent")).rstrip(".;,")
    missing = int(summoned) - int(present)
    if missing <= 0:
        return text + "; không có đồng chí nào vắng mặt."
    return text + f"; vắng mặt {missing} đồng chí" + (f": {absent}." if absent else ".")


def _topical_sections(data: Data, profile: Profile) -> list[tuple[str, list[Block]]]:
    session = data.get("session") or {}
    first: list[Block] = []
    if session:
        day = dt.date.fromisoformat(session["date"])
        place = line(session.get("place"))
        first += [_para(f"- Tên chuyên đề: “{line(session.get('title'))}”."),
                  _para(f"- Người chuẩn bị, trình bày: {_member_text(profile.at(day), session['presenter'])}."),
                  _para(f"- Thời gian, địa điểm: ngày {short_date(day)}" + (f", tại {place}." if place else "."))]
        attendance = _attendance(session)
        if attendance:
            first.append(_para(attendance))
    first += _paras(data.get("preparation"))
    second = _numbered([("Nội dung chính của chuyên đề", _paras(data.get("presentation"))),
                        ("Ý kiến thảo luận, liên hệ bản thân và đơn vị", _paras(data.get("discussion"))),
                        ("Việc làm đảng viên đăng ký, cam kết", _items(data.get("commitments") or [])),
                        ("Đánh giá chung", _paras(data.get("evaluation")))])
    return [("CÔNG TÁC CHUẨN BỊ VÀ TỔ CHỨC SINH HOẠT", first), ("KẾT QUẢ BUỔI SINH HOẠT CHUYÊN ĐỀ", second)]


def meetings_sentence(period: ReportPeriod, figures: Data) -> str:
    """"Trong 6 tháng đầu năm 2026, Chi bộ tổ chức 6 buổi sinh hoạt thường kỳ, 2 buổi sinh
    hoạt chuyên đề; tỷ lệ đảng viên dự sinh hoạt bình quân 91,2%."."""
    kinds = ((int(figures.get("meetings_regular") or 0), "buổi sinh hoạt thường kỳ", True),
             (int(figures.get("meetings_extraordinary") or 0), "buổi sinh hoạt bất thường", False),
             (int(figures.get("meetings_topical") or 0), "buổi sinh hoạt chuyên đề", True))
    held = [f"{n} {words}" for n, words, _ in kinds if n]
    lead = f"Trong {period.words}, Chi bộ"
    if held:
        text = f"{lead} tổ chức {', '.join(held)}"
        text += "".join(f", không tổ chức {words} nào" for n, words, always in kinds if always and not n)
    else:
        text = f"{lead} không tổ chức buổi sinh hoạt nào"
    percent = line(figures.get("average_attendance_percent"))
    if held and percent:
        text += f"; tỷ lệ đảng viên dự sinh hoạt bình quân {percent}"
    return text + "."


def _resolution_text(item: Data) -> str:
    text = f"Nghị quyết số {line(item.get('number'))}"
    if item.get("date"):
        text += f", ngày {short_date(dt.date.fromisoformat(item['date']))}"
    summary = line(item.get("summary")).rstrip(".;,")
    if summary:
        text += f" {summary}" if summary.casefold().startswith("về ") else f" về {summary}"
    return text


def has_figures(figures: Data | None) -> bool:
    """True when ``archive_figures`` holds figures: its period, a count, a topic or a resolution."""
    if not figures:
        return False
    return bool(figures.get("from") or figures.get("to")) or _filled(figures)


def figures_blocks(period: ReportPeriod, figures: Data) -> list[Block]:
    """Part II's paragraphs from ``archive_figures`` (as the input says)."""
    out = [_para(meetings_sentence(period, figures))]
    topics = [line(t).rstrip(".;,") for t in figures.get("topics") or [] if line(t)]
    if topics:
        out.append(_para(f"Nội dung sinh hoạt tập trung vào các chủ đề: {'; '.join(topics)}."))
    resolutions = figures.get("resolutions") or []
    if not resolutions:
        out.append(_para("Chi bộ không ban hành nghị quyết nào."))
    elif len(resolutions) == 1:
        out.append(_para(f"Chi bộ ban hành 1 nghị quyết: {_resolution_text(resolutions[0])}."))
    else:
        out.append(_para(f"Chi bộ ban hành {len(resolutions)} nghị quyết:", keep=True))
        out += _items([_resolution_text(r) for r in resolutions])
    return out


def _periodic_sections(data: Data, period: ReportPeriod) -> list[tuple[str, list[Block]]]:
    results = data.get("results") or {}
    first = _paras(data.get("situation")) + _numbered(
        [(title, _paras(results.get(key))) for key, title in RESULT_AREAS])
    figures = data.get("archive_figures") or {}
    second = (figures_blocks(period, figures) if has_figures(figures) else []) + _paras(data.get("party_work"))
    return [("ĐẶC ĐIỂM TÌNH HÌNH VÀ KẾT QUẢ THỰC HIỆN NHIỆM VỤ", first),
            ("KẾT QUẢ SINH HOẠT CHI BỘ VÀ CÔNG TÁC ĐẢNG VIÊN", second)]


def _shortcomings(data: Data) -> list[Block]:
    faults, causes = _paras(data.get("shortcomings")), _paras(data.get("causes"))
    if faults and causes:
        return _numbered([("Hạn chế, khuyết điểm", faults), ("Nguyên nhân", causes)])
    return faults or ([_sub("Nguyên nhân"), *causes] if causes else [])


def sections(data: Data, profile: Profile) -> list[Context]:
    """The report's numbered parts (I, II, …) that have content, each a list of blocks."""
    period = period_of(data)
    parts = _topical_sections(data, profile) if period.report_type == TOPICAL else _periodic_sections(data, period)
    parts += [("HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN", _shortcomings(data)),
              (period.ahead, _items(data.get("next_tasks") or [])),
              ("KIẾN NGHỊ, ĐỀ XUẤT", _paras(data.get("proposals")))]
    filled = [(title, blocks) for title, blocks in parts if blocks]
    if filled:
        filled[-1][1][-1]["keep"] = True  # the last paragraph stays with the signature
    return [{"heading": f"{roman(i)}. {title}", "blocks": blocks} for i, (title, blocks) in enumerate(filled, 1)]


def _basis(value: Any) -> str:
    text = line(value).rstrip(";,.")
    for word in ("thực hiện", "căn cứ"):
        if text.casefold().startswith(word):
            text = text[len(word):].strip()
    return text


def opening(data: Data, profile: Profile, summary_text: str) -> str:
    from docgen.model.context import cell_text

    bases = [b for b in (_basis(v) for v in data.get("bases") or []) if b]
    who = cell_text(profile.cell.name)
    lead = f"Thực hiện {'; '.join(bases)}, {who}" if bases else who
    return f"{lead} báo cáo {summary_text} như sau:"


def context(data: Data, profile: Profile, settings: Settings, figures: MeetingFigures | None) -> Context:
    period = period_of(data)
    summary_text = line(data.get("summary")) or period.summary
    signed = signed_context(data, profile, settings)
    if not data.get("recipients"):
        signed["recipients"] = recipients(profile, [f"{profile.cell.superior_committee} (để báo cáo)"])
    return {"report_type": period.report_type, "period_text": period.words, "year": period.year,
            "quarter": period.quarter or "", "quarter_roman": roman(period.quarter) if period.quarter else "",
            "opening": opening(data, profile, summary_text), "sections": sections(data, profile), **signed}


# --------------------------------------------------------------------------- rules

def _day(data: Data) -> dt.date:
    return dt.date.fromisoformat(data["date"])


def _filled(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_filled(v) for v in value.values())
    if isinstance(value, str):
        return bool(paragraphs(value))
    return value is not None and value != [] and value != 0


def _names(data: Data, keys: tuple[str, ...]) -> list[str]:
    return [f"{LABELS[k].vi} ({k})" for k in keys if _filled(data.get(k))]


def _period_field(data: Data) -> str:
    if report_type_of(data) == TOPICAL and data.get("quarter"):
        return "quarter"
    return "year" if data.get("year") else "date"


def report_checks(data: Data, profile: Profile, settings: Settings, figures: MeetingFigures | None) -> list[Issue]:
    """Errors: a topical report names its session; dates in order; possible figures."""
    issues: list[Issue] = []
    kind, day, period = report_type_of(data), _day(data), period_of(data)
    session = data.get("session")
    if kind == TOPICAL and not session:
        issues.append(Issue("session", Msg(
            "báo cáo chuyên đề chưa ghi buổi sinh hoạt được báo cáo",
            "the topical report names no topical session"),
            Msg("ghi session: với title (tên chuyên đề), date (ngày sinh hoạt), presenter (người trình bày); "
                "docgen form bao-cao điền sẵn từ biên bản sinh hoạt chuyên đề đã lưu",
                "write session: with title, date and presenter; docgen form bao-cao fills it in from the "
                "filed minutes of the topical session")))
    if session:
        held = dt.date.fromisoformat(session["date"])
        if held > day:
            issues.append(Issue("session.date", Msg(
                f"{vn_date(held)} là sau ngày báo cáo {vn_date(day)}",
                f"{vn_date(held)} is after the report's date {vn_date(day)}"),
                Msg("báo cáo sau khi sinh hoạt: sửa ngày sinh hoạt (session.date) hoặc ngày báo cáo (date)",
                    "a report follows its session: fix session.date or date")))
        present, summoned = session.get("present"), session.get("summoned")
        if present is not None and summoned is not None and present > summoned:
            issues.append(Issue("session.present", Msg(
                f"{present} đồng chí, nhiều hơn số đảng viên được triệu tập ({summoned})",
                f"{present}, more than the members summoned ({summoned})"),
                Msg("sửa session.present hoặc session.summoned (đảng viên miễn sinh hoạt có mặt không tính)",
                    "fix session.present or session.summoned (exempt members who came are not counted)")))
    if day < period.start:
        issues.append(Issue(_period_field(data), Msg(
            f"báo cáo {period.summary} đề ngày {vn_date(day)}, trước khi kỳ báo cáo bắt đầu ({vn_date(period.start)})",
            f"the report on {period.words} is dated {vn_date(day)}, before its period starts "
            f"({vn_date(period.start)})"),
            Msg("sửa năm (year), quý (quarter) hoặc ngày báo cáo (date)", "fix year, quarter or date")))
    issues += _figures_checks(data.get("archive_figures"))
    return issues


def _figures_checks(figures: Data | None) -> list[Issue]:
    if not figures:
        return []
    issues: list[Issue] = []
    percent = line(figures.get("average_attendance_percent"))
    match = PERCENT.match(percent)
    if percent and (match is None or int(match.group(1)) > 100 or (int(match.group(1)) == 100 and
                                                                    (match.group(2) or "0").strip("0"))):
        issues.append(Issue("archive_figures.average_attendance_percent", Msg(
            f"\"{percent}\" không phải một tỷ lệ phần trăm từ 0% đến 100%",
            f"\"{percent}\" is not a percentage from 0% to 100%"),
            Msg("viết như 91,2% (dấu phẩy thập phân, có dấu %), hoặc để trống",
                "write it like 91,2% (decimal comma, with %), or leave it empty")))
    start, end = figures.get("from"), figures.get("to")
    if start and end and start > end:
        issues.append(Issue("archive_figures.to", Msg(
            f"{vn_date(dt.date.fromisoformat(end))} là trước ngày bắt đầu tính "
            f"{vn_date(dt.date.fromisoformat(start))}",
            f"{vn_date(dt.date.fromisoformat(end))} is before the figures start "
            f"({vn_date(dt.date.fromisoformat(start))})"),
            Msg("sửa archive_figures.from / archive_figures.to", "fix archive_figures.from / archive_figures.to")))
    return issues


def _elapsed(start: dt.date, end: dt.date, months: int) -> int:
    """Whole periods of ``months`` months (from 1 January) inside ``start``..``end``."""
    count = 0
    for first in range(1, 13, months):
        lo = dt.date(start.year, first, 1)
        last_month = first + months - 1
        hi = (dt.date(start.year + 1, 1, 1) if last_month == 12 else dt.date(start.year, last_month + 1, 1)) \
            - dt.timedelta(days=1)
        if start <= lo and hi <= end:
            count += 1
    return count


def _figures_warnings(data: Data, period: ReportPeriod) -> list[Msg]:
    figures = data.get("archive_figures") or {}
    if not has_figures(figures):
        return [Msg(f"{TYPE_WORDS[period.report_type]} chưa có số liệu sinh hoạt chi bộ ở phần II (archive_figures): "
                    "docgen form bao-cao đọc số liệu từ kho lưu trữ, hoặc tự ghi",
                    "the report has no figures of the cell's meetings in part II (archive_figures): docgen form "
                    "bao-cao reads them from the archive, or write them")]
    out: list[Msg] = []
    expected_end = min(period.end, _day(data))
    start = dt.date.fromisoformat(figures["from"]) if figures.get("from") else period.start
    end = dt.date.fromisoformat(figures["to"]) if figures.get("to") else expected_end
    if start != period.start or end > period.end or end < expected_end - dt.timedelta(days=31):
        out.append(Msg(
            f"số liệu phần II tính từ {vn_date(start)} đến {vn_date(end)}, không phải kỳ báo cáo {period.words} "
            f"({vn_date(period.start)} – {vn_date(period.end)}): chạy lại docgen form bao-cao hoặc sửa "
            "archive_figures",
            f"the figures of part II run from {vn_date(start)} to {vn_date(end)}, not the period reported on "
            f"({vn_date(period.start)} – {vn_date(period.end)}): run docgen form bao-cao again or fix "
            "archive_figures"))
        return out
    months, quarters = _elapsed(start, end, 1), _elapsed(start, end, 3)
    regular, topical = int(figures.get("meetings_regular") or 0), int(figures.get("meetings_topical") or 0)
    if regular < months:
        out.append(Msg(f"trong {months} tháng Chi bộ chỉ tổ chức {regular} buổi sinh hoạt thường kỳ "
                       "(Điều lệ Đảng Điều 24: chi bộ họp thường lệ mỗi tháng một lần): kiểm tra biên bản "
                       "đã lưu hoặc archive_figures.meetings_regular",
                       f"the cell held {regular} regular meetings in {months} months (Party Charter art. 24: "
                       "one a month): check the filed minutes or archive_figures.meetings_regular"))
    if topical < quarters:
        out.append(Msg(f"trong {quarters} quý Chi bộ chỉ tổ chức {topical} buổi sinh hoạt chuyên đề "
                       "(HD 12: ít nhất mỗi quý một lần): kiểm tra biên bản đã lưu hoặc "
                       "archive_figures.meetings_topical",
                       f"the cell held {topical} topical sessions in {quarters} quarters (HD 12: at least one "
                       "a quarter): check the filed minutes or archive_figures.meetings_topical"))
    return out


def _session_warnings(data: Data, profile: Profile, period: ReportPeriod) -> list[Msg]:
    session = data.get("session")
    if not session:
        return []
    out: list[Msg] = []
    held = dt.date.fromisoformat(session["date"])
    if not period.start <= held <= period.end:
        out.append(Msg(f"buổi sinh hoạt chuyên đề ngày {vn_date(held)} không thuộc {period.words} của báo cáo: "
                       "kiểm tra quý (quarter), năm (year) hoặc session.date",
                       f"the topical session of {vn_date(held)} is not in the period reported on "
                       f"({period.words}): check quarter, year or session.date"))
    summoned = session.get("summoned")
    expected = totals_of(roster_on(profile, held)).expected
    if summoned is not None and summoned != expected:
        out.append(Msg(f"số đảng viên được triệu tập ({summoned}) khác số tính từ hồ sơ chi bộ ngày {vn_date(held)} "
                       f"({expected}): kiểm tra session.summoned",
                       f"members summoned ({summoned}) differ from the roster on {vn_date(held)} ({expected}): "
                       "check session.summoned"))
    return out


def report_warnings(data: Data, profile: Profile, settings: Settings, figures: MeetingFigures | None) -> list[Msg]:
    """Advice: parts of the other report type, empty parts, figures of another period,
    fewer meetings than the Party rules ask for, a period not over yet."""
    period, day = period_of(data), _day(data)
    kind = period.report_type
    out: list[Msg] = []
    other = _names(data, PERIODIC_ONLY if kind == TOPICAL else TOPICAL_ONLY)
    if other:
        out.append(Msg(f"{TYPE_WORDS[kind]} không in: {', '.join(other)}",
                       f"a {kind} report does not print: {', '.join(other)}"))
    if kind == TOPICAL:
        out += _session_warnings(data, profile, period)
        if not any(_filled(data.get(k)) for k in ("presentation", "discussion", "commitments", "evaluation")):
            out.append(Msg("báo cáo chuyên đề chưa ghi kết quả buổi sinh hoạt (phần II: presentation, discussion, "
                           "commitments, evaluation đều trống)",
                           "the topical report records no result of the session (part II: presentation, "
                           "discussion, commitments, evaluation are all empty)"))
        return out
    if not any(_filled(data.get(k)) for k in ("situation", "results")):
        out.append(Msg(f"{TYPE_WORDS[kind]} chưa có phần I. Đặc điểm tình hình và kết quả thực hiện nhiệm vụ "
                       "(situation, results đều trống)",
                       "the report has no part I, situation and results (situation, results are both empty)"))
    if day < period.end - dt.timedelta(days=60):
        out.append(Msg(f"báo cáo {period.summary} đề ngày {vn_date(day)}, khi kỳ báo cáo còn hơn hai tháng mới kết "
                       "thúc: kiểm tra năm (year) hoặc ngày báo cáo",
                       f"the report on {period.words} is dated {vn_date(day)}, more than two months before its "
                       "period ends: check year or date"))
    return out + _figures_warnings(data, period)


def template() -> Any:
    from docgen.render import tplkit as t

    doc = t.new_document()
    t.header_block(doc, numbered=True)
    t.title_block(doc)
    t.tag(doc, "{%p if sections %}")
    t.para(doc, "{{ opening }}")
    t.tag(doc, "{%p else %}")
    t.para(doc, "{{ opening }}", keep_next=True)
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p for s in sections %}")
    t.heading(doc, "{{ s.heading }}")
    t.tag(doc, "{%p for b in s.blocks %}")
    t.tag(doc, "{%p if b.bold %}")
    t.para(doc, "{{ b.text }}", bold=True, keep_next=True)
    t.tag(doc, "{%p elif b.keep %}")
    t.para(doc, "{{ b.text }}", keep_next=True)
    t.tag(doc, "{%p else %}")
    t.para(doc, "{{ b.text }}")
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p endfor %}")
    t.tag(doc, "{%p endfor %}")
    t.signature_with_recipients(doc)
    return doc


KIND = Kind(
    general=True,
    name=NAME, order=70,
    label=Msg("Báo cáo", "Report"),
    description=Msg("Báo cáo gửi Đảng ủy xã: kết quả sinh hoạt chuyên đề, sơ kết 6 tháng, tổng kết năm",
                    "Report to the commune committee: a topical session's result, the first half, the year"),
    type_symbol="BC", type_name="BÁO CÁO",
    schema_builder=schema, labels=LABELS, context_builder=context, summary_builder=summary,
    template_builder=template, template_title="Mẫu báo cáo của chi bộ",
    keys=SIGNED_KEYS | {"report_type", "period_text", "year", "quarter", "quarter_roman", "opening", "sections"},
    required=frozenset({"opening", "sections", "recipients", "authority_label", "signer_name", "signer_position"}),
    period_months=6, period_step=step,
    strict_refs=("session.presenter", "signer"),
    checks=(report_checks,),
    warnings=(report_warnings,),
    copied=("recipients", "signer"),
    book_label=Msg("Báo cáo", "Reports"),
    aliases=("báo cáo chi bộ", "báo cáo chuyên đề", "báo cáo kết quả sinh hoạt chuyên đề", "báo cáo sơ kết",
             "báo cáo sơ kết 6 tháng", "báo cáo 6 tháng", "báo cáo tổng kết", "báo cáo tổng kết năm",
             "báo cáo năm"),
    prefill=prefill,
)
