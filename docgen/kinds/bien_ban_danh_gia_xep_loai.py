"""Biên bản kiểm điểm, đánh giá, xếp loại: minutes of the year-end review meeting.

The cell reviews its year (QĐ 366-QĐ/TW 30/8/2025, HD 43-HD/BTCTW 31/10/2025; domain
reference §4): the collective's self-assessment (the report's summary, strengths,
weaknesses, causes, remedies) with the rating the cell proposes for itself and its vote,
then each member's proposed rating with its vote. Four levels for both: Hoàn thành xuất
sắc / tốt / Hoàn thành / Không hoàn thành nhiệm vụ (input: the name or htxs, htt, ht,
khtnv). Every vote is on the denominator of every chi bộ vote (MeetingFigures.denominator)
and passes with more than half of it: the general rule [C], since no special threshold
for ratings was found [U].

Errors: exempt members are not rated (QĐ 232-QĐ/TW điểm 7.2.3 [C]); a member is rated
once; rated ids are members of the cell on the date; a vote cannot exceed the voters
present. Warnings: official members neither rated nor exempt; HTXS above the quota
(``KIND.extra["htxs_quota_percent"]``, the old HD 21/2019 rule of at most 20% of those
rated HTT, unconfirmed for QĐ 366 [U]); HTXS under 90 points when points are given; a
rating whose vote did not pass.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.kinds.base import MEETING_KEYS, MINUTES_KEYS, MINUTES_REQUIRED, Kind
from docgen.model import labels as L
from docgen.model import schemas as S
from docgen.model.arithmetic import Issue, MeetingFigures, VoteResult, vote_issues, vote_result, who
from docgen.model.context import Context, meeting_context, minutes_context, speeches
from docgen.model.profile import Profile
from docgen.model.roster import MemberStatus, roster_on
from docgen.model.text import line, paragraphs
from docgen.model.votes import denominator_text, vote_sentence
from docgen.vn.dates import vn_date
from docgen.vn.numbers import decimal_vi, percent_vi, roman
from docgen.vn.text import fold

NAME = "bien-ban-danh-gia-xep-loai"

HTXS_QUOTA_PERCENT = 20
"""HD 21-HD/BTCTW (2019): HTXS members at most 20% of those rated HTT [C for HD 21];
whether QĐ 366 / HD 43 keep it is unconfirmed [U]: a warning only, KIND.extra setting."""
HTXS_MIN_POINTS = 90  # QĐ 366 Điều 11 khoản 1: HTXS from 90 points (plus conditions) [C]

DEFAULT_BASES = (
    "Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị về kiểm điểm và đánh giá, xếp loại chất lượng "
    "đối với tập thể, cá nhân trong hệ thống chính trị",
    "Hướng dẫn số 43-HD/BTCTW, ngày 31/10/2025 của Ban Tổ chức Trung ương",
)


@dataclass(frozen=True)
class Level:
    code: str  # htxs, htt, ht, khtnv
    name: str  # "Hoàn thành xuất sắc nhiệm vụ"
    short: str  # HTXSNV


LEVELS = (
    Level("htxs", "Hoàn thành xuất sắc nhiệm vụ", "HTXSNV"),
    Level("htt", "Hoàn thành tốt nhiệm vụ", "HTTNV"),
    Level("ht", "Hoàn thành nhiệm vụ", "HTNV"),
    Level("khtnv", "Không hoàn thành nhiệm vụ", "KHTNV"),
)
_BY_CODE = {level.code: level for level in LEVELS}


def _key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


# Every way a level may be typed, folded: the code, the abbreviation, the name with or
# without "nhiệm vụ" ("Hoàn thành tốt", "HOÀN THÀNH TỐT NHIỆM VỤ", "httnv", "HTT").
_SPELLINGS: dict[str, Level] = {}
for _level in LEVELS:
    for _form in (_level.code, _level.short, _level.name, _level.name.removesuffix(" nhiệm vụ")):
        _SPELLINGS[_key(_form)] = _level
        _SPELLINGS[_key(_form).replace(" ", "")] = _level
_SPELLINGS["kht"] = _BY_CODE["khtnv"]

CHOICES_TEXT = "htxs, htt, ht, khtnv hoặc tên mức: " + "; ".join(f"“{level.name}”" for level in LEVELS)


def level_of(value: Any) -> Level | None:
    """The level a typed rating names ("htxs", "HTTNV", "Hoàn thành tốt nhiệm vụ"), or None."""
    if not isinstance(value, str):
        return None
    key = _key(value)
    return _SPELLINGS.get(key) or _SPELLINGS.get(key.replace(" ", ""))


# --------------------------------------------------------------------------- schema, labels

_RATING_NOTE = ("mã htxs, htt, ht, khtnv hoặc tên mức (Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt "
                "nhiệm vụ, Hoàn thành nhiệm vụ, Không hoàn thành nhiệm vụ)",
                "the code htxs, htt, ht, khtnv or the level's Vietnamese name")
_POINTS_NOTE = ("thang 100 (QĐ 366); không bắt buộc; Hoàn thành xuất sắc cần từ 90 điểm",
                "out of 100 (QĐ 366); optional; HTXS needs 90 or more")


def _vote_labels(key: str, vi: str, en: str) -> L.FieldLabels:
    return {
        key: L._l(vi, en, None, "số đảng viên chính thức có mặt biểu quyết; cần hơn một nửa số đảng viên "
                  "chính thức của Chi bộ tán thành", "official members present vote; more than half of "
                  "the official members must be in favour"),
        f"{key}.for": L._l("Số đồng chí tán thành", "Votes in favour", "17"),
        f"{key}.against": L._l("Số đồng chí không tán thành", "Votes against", "0"),
        f"{key}.abstain": L._l("Số đồng chí có ý kiến khác", "Other opinions", "0"),
    }


_MEETING_LEFT_OUT = ("month", "combined_with_topical", "vote")

LABELS: L.FieldLabels = {
    **L.COMMON,
    **{k: v for k, v in L.MEETING.items() if k.split(".")[0] not in _MEETING_LEFT_OUT},
    **L.MINUTES, **L.VOTES_LIST,
    "year": L._l("Năm được kiểm điểm", "Year under review", "2026", "mặc định: năm của ngày họp",
                 "default: the year of the meeting date"),
    "bases": L._l("Căn cứ", "Legal bases", None,
                  "để trống: Quy định 366-QĐ/TW và Hướng dẫn 43-HD/BTCTW",
                  "empty: QĐ 366-QĐ/TW and HD 43-HD/BTCTW"),
    "bases[]": L._l("Căn cứ", "Basis", "\"Hướng dẫn số 15-HD/ĐU, ngày 20/11/2026 của Đảng ủy xã Quang Kim\""),
    "collective": L._l("Kiểm điểm tập thể Chi bộ", "Review of the cell as a collective", None,
                       "tóm tắt báo cáo kiểm điểm, mức xếp loại Chi bộ tự đề nghị và kết quả biểu quyết",
                       "the review report in brief, the rating the cell proposes for itself, the vote"),
    "collective.presenter": L._member("Người trình bày báo cáo kiểm điểm", "Presenter of the report", "m01",
                                      "mặc định: chủ trì", "default: the chair"),
    "collective.report": L._text("Tóm tắt báo cáo kiểm điểm", "The review report in brief"),
    "collective.strengths": L._text("Ưu điểm", "Strengths"),
    "collective.weaknesses": L._text("Hạn chế, khuyết điểm", "Weaknesses"),
    "collective.causes": L._text("Nguyên nhân", "Causes"),
    "collective.remedies": L._text("Biện pháp khắc phục", "Remedies"),
    "collective.points": L._l("Điểm tự chấm của Chi bộ", "The cell's points", "88", *_POINTS_NOTE),
    "collective.rating": L._l("Mức xếp loại Chi bộ tự đề nghị", "Rating the cell proposes for itself", "htt",
                              *_RATING_NOTE),
    **_vote_labels("collective.vote", "Biểu quyết mức xếp loại của Chi bộ", "Vote on the cell's rating"),
    **L.speeches("discussion", "Ý kiến góp ý đối với đảng viên", "Comments on the members",
                 "góp ý bản kiểm điểm của từng đảng viên", "comments on each member's self-review"),
    "ratings": L._l("Xếp loại đảng viên", "Members' ratings", None,
                    "mỗi đảng viên một dòng (cả đảng viên dự bị); không ghi đảng viên được miễn công tác "
                    "và sinh hoạt đảng",
                    "one line per member (probationary members too); not the exempt members"),
    "ratings[]": L._l("Đảng viên được xếp loại", "Member rated"),
    "ratings[].member": L._member("Đảng viên", "Member", "m04"),
    "ratings[].rating": L._l("Mức xếp loại đề nghị", "Proposed rating", "htt", *_RATING_NOTE),
    "ratings[].points": L._l("Điểm", "Points", "85", *_POINTS_NOTE),
    **_vote_labels("ratings[].vote", "Kết quả biểu quyết", "Vote"),
}


def _vote() -> S.Schema:
    return S.obj({
        "for": S.p("integer", minimum=0),
        "against": S.p("integer", default=0, minimum=0),
        "abstain": S.p("integer", default=0, minimum=0),
    }, ["for"])


def schema() -> S.Schema:
    meeting = {k: v for k, v in S.meeting().items() if k not in _MEETING_LEFT_OUT}
    collective_vote = _vote()
    collective_vote["type"] = ["object", "null"]
    collective_vote["default"] = None
    rating_vote = _vote()
    rating_vote["examples"] = [{"for": 17, "against": 0, "abstain": 0}]
    props = {
        **S.common(NAME, "kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm 2026"),
        **meeting, **S.minutes_body(), "votes": S.votes_list(),
        "bases": S.arr(S.p("string"), default=[]),
        "collective": S.obj({
            "presenter": S.p(["string", "null"], default=None, pattern=S.ID_PATTERN),
            "report": S.p(["string", "null"], default=None),
            "strengths": S.p(["string", "null"], default=None),
            "weaknesses": S.p(["string", "null"], default=None),
            "causes": S.p(["string", "null"], default=None),
            "remedies": S.p(["string", "null"], default=None),
            "points": S.p(["number", "null"], default=None, minimum=0, maximum=100),
            "rating": S.p(["string", "null"], default=None),
            "vote": collective_vote,
        }),
        "discussion": S.speech(),
        "ratings": S.arr(S.obj({
            "member": S.member_ref(),
            "rating": S.text(),
            "points": S.p(["number", "null"], default=None, minimum=0, maximum=100),
            "vote": rating_vote,
        }, ["member", "rating", "vote"]), default=[]),
    }
    return S.kind_schema(NAME, "Biên bản kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên",
                         props, ["kind", "date", "start", "end", "chair", "secretary"])


# --------------------------------------------------------------------------- shared pieces

def review_year(data: dict[str, Any]) -> int:
    return int(data.get("year") or dt.date.fromisoformat(data["date"]).year)


def summary(data: dict[str, Any]) -> str:
    return f"kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm {review_year(data)}"


def _ints(vote: dict[str, Any]) -> tuple[int, int, int]:
    return int(vote["for"]), int(vote.get("against") or 0), int(vote.get("abstain") or 0)


def _result(vote: dict[str, Any], figures: MeetingFigures) -> VoteResult:
    """A rating vote: more than half of the denominator of every chi bộ vote."""
    return vote_result(*_ints(vote), figures.denominator, False)


def _points_text(points: Any) -> str:
    value = float(points)
    return str(int(value)) if value == int(value) else decimal_vi(value)


def _statuses(profile: Profile, data: dict[str, Any]) -> dict[str, MemberStatus]:
    return {s.id: s for s in roster_on(profile, dt.date.fromisoformat(data["date"]))}


def _rated(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in data.get("ratings") or [] if isinstance(r, dict)]


def _collective(data: dict[str, Any]) -> dict[str, Any]:
    value = data.get("collective")
    return value if isinstance(value, dict) else {}


# --------------------------------------------------------------------------- context

def _cell_vote_text(result: VoteResult) -> str:
    """The table cell: "17/19 tán thành (89,5%)", "…; 1 không tán thành", "…: không thông qua"."""
    text = f"{result.votes_for}/{result.denominator} tán thành ({result.percent_text})"
    if result.against:
        text += f"; {result.against} không tán thành"
    if result.abstain:
        text += f"; {result.abstain} ý kiến khác"
    return text if result.passed else f"{text}; không thông qua"


def _count_text(count: int, total: int) -> str:
    return "không có đồng chí nào" if count == 0 else f"{count} đồng chí ({percent_vi(count, total)})"


def _join_names(names: Sequence[str]) -> str:
    return ", ".join(f"đồng chí {n}" for n in names)


def rating_counts(data: dict[str, Any]) -> dict[str, int]:
    """Members per level code, among the ratings whose level is understood."""
    counts = dict.fromkeys(_BY_CODE, 0)
    for item in _rated(data):
        level = level_of(item.get("rating"))
        if level is not None:
            counts[level.code] += 1
    return counts


def _collective_context(data: dict[str, Any], profile: Profile, figures: MeetingFigures, year: int) -> Context:
    part = _collective(data)
    presenter = part.get("presenter") or data["chair"]
    position = profile.position_of(presenter)
    sections = [(title, paragraphs(part.get(key))) for key, title in (
        ("strengths", "Ưu điểm"), ("weaknesses", "Hạn chế, khuyết điểm"), ("causes", "Nguyên nhân"),
        ("remedies", "Biện pháp khắc phục"))]
    level = level_of(part.get("rating"))
    points = part.get("points")
    points_text = f" ({_points_text(points)}/100 điểm)" if points is not None else ""
    vote = part.get("vote")
    subject = f"đề nghị xếp loại Chi bộ năm {year} mức “{level.name}”" if level else ""
    sentence = vote_sentence(subject, _result(vote, figures)) if vote and level else ""
    proposal = ""
    if level:
        proposal = (f"Chi bộ tự đánh giá, đề nghị xếp loại chất lượng tổ chức đảng năm {year}: "
                    f"“{level.name}”{points_text}.")
    return {
        "presenter_text": f"Đồng chí {profile.name_of(presenter)}" + (f", {position}," if position else "")
                          + f" trình bày báo cáo kiểm điểm tập thể Chi bộ năm {year}",
        "report": paragraphs(part.get("report")),
        "sections": [{"heading": f"{i}. {title}", "paragraphs": paras}
                     for i, (title, paras) in enumerate([s for s in sections if s[1]], start=1)],
        "rating": level.name if level else "", "proposal": proposal, "vote_sentence": sentence,
    }


def _ratings_context(data: dict[str, Any], profile: Profile, figures: MeetingFigures) -> Context:
    statuses = _statuses(profile, data)
    rows: list[Context] = []
    failed: list[str] = []
    official = probationary = 0
    for i, item in enumerate(_rated(data), start=1):
        status = statuses.get(item["member"])
        name = profile.name_of(item["member"])
        if status is not None and status.probationary:
            probationary += 1
        else:
            official += 1
        level = level_of(item.get("rating"))
        rating = level.name if level else line(item.get("rating"))
        if item.get("points") is not None:
            rating += f" ({_points_text(item['points'])} điểm)"
        result = _result(item["vote"], figures)
        if not result.passed:
            failed.append(name)
        rows.append({"index": str(i), "name": name + (" (dự bị)" if status is not None and status.probationary
                                                      else ""),
                     "rating": rating, "vote": _cell_vote_text(result)})
    total = len(rows)
    counts = rating_counts(data)
    levels = [{"text": f"- {level.name}: {_count_text(counts[level.code], total)}"
                       + ("." if n == len(LEVELS) - 1 else ";")} for n, level in enumerate(LEVELS)]
    exempt = [s.member.name for s in statuses.values() if s.counted and s.exempt]
    total_text = ""
    if total:
        total_text = (f"Tổng số đảng viên được đánh giá, xếp loại: {total} đồng chí (chính thức {official} "
                      f"đồng chí, dự bị {probationary} đồng chí). Kết quả Chi bộ đề nghị xếp loại:")
    exempt_text = ""
    if exempt:
        exempt_text = (f"Không đánh giá, xếp loại {len(exempt)} đồng chí được miễn công tác và sinh hoạt đảng: "
                       f"{_join_names(exempt)}.")
    failed_text = ""
    if failed:
        failed_text = (f"Biểu quyết mức xếp loại chưa đạt hơn một nửa số đảng viên chính thức, chưa được "
                       f"thông qua: {_join_names(failed)}.")
    return {"ratings": rows, "rating_summary": levels if total else [], "rated_total_text": total_text,
            "not_rated_text": exempt_text, "failed_text": failed_text}


def _headings(ctx: Context) -> Context:
    """Section headings numbered I, II, III… over the sections the minutes have."""
    parts = [
        ("agenda_heading", bool(ctx["agenda"]), "NỘI DUNG"),
        ("collective_heading", bool(ctx["collective"]["report"] or ctx["collective"]["sections"]
                                    or ctx["collective"]["proposal"] or ctx["proceedings"]),
         "KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI TẬP THỂ CHI BỘ"),
        ("members_heading", bool(ctx["ratings"] or ctx["discussion"]), "KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI ĐẢNG VIÊN"),
        ("conclusion_part_heading", bool(ctx["conclusion"] or ctx["tasks"] or ctx["votes"]),
         "KẾT LUẬN VÀ PHÂN CÔNG NHIỆM VỤ"),
    ]
    out: Context = {}
    number = 0
    for key, shown, title in parts:
        if shown:
            number += 1
        out[key] = f"{roman(number)}. {title}" if shown else ""
    return out


def _basis(value: Any) -> str:
    text = line(value).rstrip(";,.")
    if text.casefold().startswith("căn cứ"):
        text = text[len("căn cứ"):].strip()
    return text


def context(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures | None) -> Context:
    assert figures is not None
    year = review_year(data)
    ctx = {**meeting_context(data, profile, figures, ""), **minutes_context(data, profile, settings, figures)}
    bases = [b for b in (_basis(b) for b in data.get("bases") or []) if b] or list(DEFAULT_BASES)
    listed = bases[0] if len(bases) == 1 else "; ".join(bases[:-1]) + " và " + bases[-1]
    ctx.update({
        "year": year,
        "bases_text": f"Thực hiện {listed}",
        "collective": _collective_context(data, profile, figures, year),
        "discussion": speeches(profile, data.get("guests") or [], data.get("discussion") or []),
        **_ratings_context(data, profile, figures),
        "rating_denominator_text": denominator_text(figures),
    })
    ctx.update(_headings(ctx))
    return ctx


# --------------------------------------------------------------------------- rules

def _bad_rating(path: str, value: Any) -> Issue:
    shown = line(value)
    return Issue(path, Msg(f"không rõ mức xếp loại “{shown}”", f"unknown rating “{shown}”"),
                 Msg(f"ghi {CHOICES_TEXT}", "write htxs, htt, ht or khtnv (or the level's Vietnamese name)"))


def _rating_member_issue(path: str, member_id: str, status: MemberStatus | None, day: dt.date) -> Issue | None:
    if status is None:  # an unknown id: named by the reference checks
        return None
    member = status.member
    if member.home_cell:
        return Issue(path, Msg(
            f"đồng chí {who(member)} là đảng viên {member.home_cell}, không phải đảng viên của Chi bộ vào ngày "
            f"{vn_date(day)}: chi bộ nơi sinh hoạt chính thức đánh giá, xếp loại đồng chí này",
            f"{who(member)} belongs to {member.home_cell}, not to this cell, on {vn_date(day)}: the home "
            "cell rates them"),
            Msg("xóa khỏi danh sách xếp loại (ratings)", "remove from the ratings"))
    if not status.counted:
        return Issue(path, Msg(
            f"đồng chí {who(member)} không phải đảng viên của Chi bộ vào ngày họp {vn_date(day)} "
            f"(ngày kết nạp {vn_date(member.admitted)}"
            + (f", ngày chuyển đi {vn_date(member.left)})" if member.left else ")"),
            f"{who(member)} is not a member of the cell on the meeting date {vn_date(day)}"),
            Msg("xóa khỏi danh sách xếp loại, hoặc sửa ngày họp / admitted, left trong profile.yaml",
                "remove from the ratings, or fix the meeting date / admitted, left in profile.yaml"))
    if status.exempt:
        return Issue(path, Msg(
            f"đồng chí {who(member)} được miễn công tác và sinh hoạt đảng vào ngày họp {vn_date(day)}, được miễn "
            "đánh giá chất lượng đảng viên (QĐ 232-QĐ/TW, điểm 7.2.3): không xếp loại",
            f"{who(member)} is exempt from Party work and activities on {vn_date(day)} and is not rated "
            "(QĐ 232-QĐ/TW, point 7.2.3)"),
            Msg("xóa khỏi danh sách xếp loại (biên bản tự ghi đồng chí được miễn không xếp loại), hoặc sửa "
                f"exempt của {member.id} trong profile.yaml",
                f"remove from the ratings (the minutes name the exempt members themselves), or fix exempt of "
                f"{member.id} in profile.yaml"))
    return None


def rating_checks(data: dict[str, Any], profile: Profile, settings: Settings,
                  figures: MeetingFigures | None) -> list[Issue]:
    """Party rules of the ratings: who may be rated, once, with a level and a possible vote."""
    if figures is None:
        return []
    day = dt.date.fromisoformat(data["date"])
    statuses = _statuses(profile, data)
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(_rated(data)):
        member_id = item["member"]
        path = f"ratings[{i}]"
        if member_id in seen:
            member = profile.member(member_id)
            name = who(member) if member else member_id
            issues.append(Issue(f"{path}.member", Msg(
                f"đồng chí {name} đã được xếp loại ở dòng thứ {seen[member_id] + 1}: mỗi đảng viên chỉ xếp loại "
                "một lần", f"{name} is already rated in entry {seen[member_id] + 1}: one rating per member"),
                Msg("xóa dòng trùng", "remove the duplicate entry")))
        else:
            seen[member_id] = i
        issue = _rating_member_issue(f"{path}.member", member_id, statuses.get(member_id), day)
        if issue is not None:
            issues.append(issue)
        if level_of(item.get("rating")) is None:
            issues.append(_bad_rating(f"{path}.rating", item.get("rating")))
        issues += vote_issues(figures, profile, day, *_ints(item["vote"]), None, f"{path}.vote")
    part = _collective(data)
    presenter = part.get("presenter")
    if presenter:
        status = statuses.get(presenter)
        if status is not None and not status.counted and not status.temp_in:
            issues.append(Issue("collective.presenter", Msg(
                f"đồng chí {who(status.member)} không thuộc Chi bộ vào ngày {vn_date(day)}",
                f"{who(status.member)} is not in the cell on {vn_date(day)}"),
                Msg("chọn đảng viên khác hoặc để trống (chủ trì trình bày)",
                    "choose another member or leave it empty (the chair presents)")))
    rating = part.get("rating")
    if line(rating) and level_of(rating) is None:
        issues.append(_bad_rating("collective.rating", rating))
    vote = part.get("vote")
    if vote:
        if not line(rating):
            issues.append(Issue("collective.vote", Msg(
                "có kết quả biểu quyết nhưng chưa ghi mức xếp loại Chi bộ tự đề nghị",
                "a vote is given but not the rating the cell proposes for itself"),
                Msg("ghi collective.rating, ví dụ rating: htt", "write collective.rating, e.g. rating: htt")))
        issues += vote_issues(figures, profile, day, *_ints(vote), None, "collective.vote")
    elif line(rating) and not data.get("draft"):
        issues.append(Issue("collective.vote", Msg(
            "mức xếp loại Chi bộ tự đề nghị chưa có kết quả biểu quyết",
            "the rating the cell proposes for itself has no vote"),
            Msg("ghi vote: {for: 17, against: 0, abstain: 0} trong collective",
                "write vote: {for: 17, against: 0, abstain: 0} under collective")))
    return issues


def quota_warning(counts: dict[str, int], quota_percent: float) -> Msg | None:
    """HTXS above ``quota_percent`` of those rated HTT (HD 21/2019; unconfirmed for QĐ 366)."""
    excellent, good = counts["htxs"], counts["htt"]
    if not excellent or not quota_percent or excellent * 100 <= quota_percent * good:
        return None
    share = f"{excellent}/{good} ({percent_vi(excellent, good)})" if good else f"{excellent}/0"
    quota = decimal_vi(quota_percent).removesuffix(",0")
    return Msg(
        f"số đảng viên đề nghị “Hoàn thành xuất sắc nhiệm vụ” so với số “Hoàn thành tốt nhiệm vụ” là {share}, "
        f"vượt mức {quota}% (quy định cũ HD 21-HD/BTCTW năm 2019; chưa xác nhận còn áp dụng theo QĐ 366-QĐ/TW): "
        "kiểm tra lại hướng dẫn của Đảng ủy cấp trên",
        f"members proposed HTXS against those proposed HTT: {share}, above {quota}% (the old HD 21-HD/BTCTW "
        "2019 rule; unconfirmed under QĐ 366-QĐ/TW): check the superior committee's guidance")


def rating_warnings(data: dict[str, Any], profile: Profile, settings: Settings,
                    figures: MeetingFigures | None) -> list[Msg]:
    out: list[Msg] = []
    day = dt.date.fromisoformat(data["date"])
    statuses = _statuses(profile, data)
    rated = {item["member"] for item in _rated(data)}
    missing = [s.member for s in statuses.values()
               if s.counted and s.official and not s.exempt and s.id not in rated]
    if missing and _rated(data):  # no ratings at all is warned about once, by ``needed``
        names = ", ".join(who(m) for m in missing)
        out.append(Msg(
            f"{len(missing)} đảng viên chính thức chưa được xếp loại (không được miễn sinh hoạt vào ngày "
            f"{vn_date(day)}): {names}",
            f"{len(missing)} official members are not rated (not exempt on {vn_date(day)}): {names}"))
    year = review_year(data)
    if year > day.year:
        out.append(Msg(f"năm được kiểm điểm ({year}) sau năm của ngày họp ({day.year})",
                       f"the year under review ({year}) is after the meeting's year ({day.year})"))
    quota = float(KIND.extra.get("htxs_quota_percent", HTXS_QUOTA_PERCENT))
    warning = quota_warning(rating_counts(data), quota)
    if warning is not None:
        out.append(warning)
    for item in _rated(data):
        level = level_of(item.get("rating"))
        name = who(m) if (m := profile.member(item["member"])) else item["member"]
        points = item.get("points")
        if level is not None and level.code == "htxs" and points is not None and points < HTXS_MIN_POINTS:
            out.append(Msg(
                f"đồng chí {name} được đề nghị “Hoàn thành xuất sắc nhiệm vụ” nhưng chỉ có {_points_text(points)} "
                f"điểm (QĐ 366-QĐ/TW: từ {HTXS_MIN_POINTS} điểm)",
                f"{name} is proposed HTXS with only {_points_text(points)} points (QĐ 366-QĐ/TW: "
                f"{HTXS_MIN_POINTS} or more)"))
        if figures is not None and not _result(item["vote"], figures).passed:
            result = _result(item["vote"], figures)
            out.append(Msg(
                f"mức xếp loại của đồng chí {name} chưa được thông qua ({result.rate_text}; cần hơn một nửa số "
                "đảng viên chính thức): Chi bộ cần biểu quyết lại",
                f"the rating of {name} did not pass ({result.votes_for}/{result.denominator} for): the cell "
                "must vote again"))
    part = _collective(data)
    level = level_of(part.get("rating"))
    if level is not None and level.code == "htxs" and part.get("points") is not None \
            and part["points"] < HTXS_MIN_POINTS:
        out.append(Msg(
            f"Chi bộ tự đề nghị “Hoàn thành xuất sắc nhiệm vụ” nhưng chỉ có {_points_text(part['points'])} điểm "
            f"(QĐ 366-QĐ/TW: từ {HTXS_MIN_POINTS} điểm)",
            f"the cell proposes HTXS for itself with only {_points_text(part['points'])} points "
            f"(QĐ 366-QĐ/TW: {HTXS_MIN_POINTS} or more)"))
    if figures is not None and level is not None and part.get("vote") \
            and not _result(part["vote"], figures).passed:
        result = _result(part["vote"], figures)
        out.append(Msg(
            f"mức xếp loại Chi bộ tự đề nghị chưa được thông qua ({result.rate_text}; cần hơn một nửa số đảng "
            "viên chính thức)",
            f"the cell's own rating did not pass ({result.votes_for}/{result.denominator} for)"))
    if not line(part.get("rating")):
        out.append(Msg("biên bản chưa ghi mức xếp loại Chi bộ tự đề nghị (collective.rating)",
                       "the minutes give no rating the cell proposes for itself (collective.rating)"))
    out += _head_above_cell(data, profile, level)
    return out


def _head_above_cell(data: dict[str, Any], profile: Profile, cell_level: Level | None) -> list[Msg]:
    """The secretary is not rated above the cell they lead (HD 21-HD/BTCTW 2019: the head's
    rating is not higher than the organisation's; unconfirmed for QĐ 366 [U]: a warning,
    ``extra["head_not_above_cell"]``)."""
    if not KIND.extra.get("head_not_above_cell", True) or cell_level is None:
        return []
    rank = {level.code: i for i, level in enumerate(LEVELS)}  # 0 is the highest
    head = profile.officers.bi_thu
    for item in _rated(data):
        level = level_of(item.get("rating"))
        if item.get("member") == head and level is not None and rank[level.code] < rank[cell_level.code]:
            name = profile.name_of(head)
            return [Msg(f"Bí thư Chi bộ (đồng chí {name}) được đề nghị “{level.name}”, cao hơn mức của Chi bộ "
                        f"(“{cell_level.name}”): người đứng đầu không xếp loại cao hơn tập thể mình lãnh đạo "
                        "(HD 21-HD/BTCTW 2019; chưa xác nhận với QĐ 366)",
                        f"the secretary ({name}) is proposed “{level.name}”, above the cell's “{cell_level.name}”: "
                        "the head is not rated above the organisation they lead (HD 21-HD/BTCTW 2019; "
                        "unconfirmed for QĐ 366)")]
    return []


# --------------------------------------------------------------------------- template

RATING_HEADERS = ["TT", "Họ và tên", "Mức xếp loại đề nghị", "Kết quả biểu quyết"]
RATING_WIDTHS = [10.0, 51.0, 52.0, 52.0]


def template() -> Any:
    from docgen.render import tplkit as t

    doc = t.new_document()
    t.header_block(doc, numbered=True)
    t.title_block(doc)
    t.para(doc, "{{ bases_text }}, {{ cell_text }} tổ chức hội nghị kiểm điểm, đánh giá, xếp loại chất lượng "
                "tổ chức đảng và đảng viên năm {{ year }}.")
    t.participants(doc)
    t.tag(doc, "{%p if agenda_heading %}")
    t.heading(doc, "{{ agenda_heading }}")
    t.tag(doc, "{%p endif %}")
    t.loop_paragraphs(doc, "agenda", "{{ a.label }} {{ a.text }}", var="a")
    # II. The collective.
    t.tag(doc, "{%p if collective_heading %}")
    t.heading(doc, "{{ collective_heading }}")
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p if collective.report or collective.sections %}")
    t.intro(doc, "{{ collective.presenter_text }}; nội dung chính:")
    t.tag(doc, "{%p endif %}")
    t.loop_paragraphs(doc, "collective.report")
    t.tag(doc, "{%p for s in collective.sections %}")
    t.heading(doc, "{{ s.heading }}", before=0)
    t.loop_paragraphs(doc, "s.paragraphs")
    t.tag(doc, "{%p endfor %}")
    t.tag(doc, "{%p if proceedings %}")
    t.intro(doc, "Ý kiến thảo luận, góp ý:", italic=True)
    t.tag(doc, "{%p endif %}")
    t.speeches(doc, "proceedings")
    t.tag(doc, "{%p if collective.proposal %}")
    t.tag(doc, "{%p if collective.vote_sentence %}")
    t.intro(doc, "{{ collective.proposal }}")
    t.tag(doc, "{%p else %}")
    t.para(doc, "{{ collective.proposal }}")
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p if collective.vote_sentence %}")
    t.para(doc, "{{ collective.vote_sentence }}")
    t.tag(doc, "{%p endif %}")
    # III. The members.
    t.tag(doc, "{%p if members_heading %}")
    t.heading(doc, "{{ members_heading }}")
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p if discussion %}")
    t.intro(doc, "Từng đảng viên trình bày bản kiểm điểm cá nhân; ý kiến góp ý:", italic=True)
    t.tag(doc, "{%p endif %}")
    t.speeches(doc, "discussion")
    t.tag(doc, "{%p if ratings %}")
    t.intro(doc, "Chi bộ biểu quyết mức xếp loại đề nghị đối với từng đảng viên như sau:")
    t.intro(doc, "{{ rating_denominator_text }}", italic=True)
    t.tag(doc, "{%p endif %}")
    t.grid_table(doc, RATING_HEADERS, ["{{ r.index }}", "{{ r.name }}", "{{ r.rating }}", "{{ r.vote }}"],
                 "r in ratings", RATING_WIDTHS)
    t.tag(doc, "{%p if ratings %}")
    t.intro(doc, "{{ rated_total_text }}", before=6)
    t.tag(doc, "{%p endif %}")
    t.loop_paragraphs(doc, "rating_summary", "{{ s.text }}", var="s")
    t.tag(doc, "{%p if failed_text %}")
    t.para(doc, "{{ failed_text }}")
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p if not_rated_text %}")
    t.para(doc, "{{ not_rated_text }}")
    t.tag(doc, "{%p endif %}")
    # IV. Conclusion, further votes, tasks.
    t.tag(doc, "{%p if conclusion_part_heading %}")
    t.heading(doc, "{{ conclusion_part_heading }}")
    t.tag(doc, "{%p endif %}")
    t.tag(doc, "{%p if conclusion %}")
    t.intro(doc, "Đồng chí {{ chair_name }} (chủ trì) kết luận:", italic=True)
    t.loop_paragraphs(doc, "conclusion")
    t.tag(doc, "{%p endif %}")
    t.votes_block(doc)
    t.tasks_block(doc, "tasks")
    t.minutes_closing(doc, "Hội nghị kết thúc vào lúc {{ end_text }} cùng ngày. {{ read_back.sentence }}")
    return doc


KIND = Kind(
    header_cues=("danh gia xep loai",),
    name=NAME, order=40,
    label=Msg("Biên bản kiểm điểm, đánh giá, xếp loại", "Minutes of the annual review and rating"),
    description=Msg("Biên bản hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên "
                    "cuối năm (QĐ 366-QĐ/TW)",
                    "Minutes of the year-end review and rating of the cell and its members (QĐ 366-QĐ/TW)"),
    type_symbol="BB", type_name="BIÊN BẢN",
    schema_builder=schema, labels=LABELS, context_builder=context, summary_builder=summary,
    template_builder=template, template_title="Mẫu biên bản kiểm điểm, đánh giá, xếp loại",
    keys=MEETING_KEYS | MINUTES_KEYS | {
        "bases_text", "collective", "discussion", "ratings", "rating_summary",
        "rated_total_text", "not_rated_text", "failed_text", "rating_denominator_text", "agenda_heading",
        "collective_heading", "members_heading", "conclusion_part_heading"},
    required=MINUTES_REQUIRED | {"collective", "ratings", "rating_summary", "rating_denominator_text",
                                 "not_rated_text"},
    meeting=True, minutes=True, period_months=12,
    needed=((("ratings",), Msg(
        "biên bản chưa xếp loại đảng viên nào (ratings)", "the minutes rate no member (ratings)")),),
    strict_refs=("chair", "secretary", "collective.presenter", "ratings[].member"),
    loose_refs=("proceedings[].speaker", "discussion[].speaker", "tasks[].owner"),
    checks=(rating_checks,),
    warnings=(rating_warnings,),
    # not the agenda nor the bases: they name the year and the superior's yearly guidance
    copied=("topics", "place", "start", "end", "chair", "secretary", "guests"),
    book_label=Msg("Biên bản kiểm điểm, đánh giá, xếp loại", "Minutes of the annual review and rating"),
    aliases=("biên bản kiểm điểm", "biên bản đánh giá xếp loại", "biên bản kiểm điểm đánh giá xếp loại",
             "biên bản xếp loại đảng viên", "biên bản kiểm điểm cuối năm"),
    extra={"htxs_quota_percent": HTXS_QUOTA_PERCENT, "head_not_above_cell": True},
)
