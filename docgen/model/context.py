"""What a template sees: the parts every kind shares (header, meeting, minutes, signature).

Each kind's module (docgen/kinds/) builds its context from these parts. Everything printed
is computed in Python (figures, vote sentences, labels a), b), đ)…), so templates only place
text. No value is None and no value contains a line break.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from docgen.config import Settings
from docgen.model.arithmetic import MeetingFigures, rating_for
from docgen.model.profile import Profile
from docgen.model.text import line, paragraphs, printed, scrub, upper_first
from docgen.model.votes import denominator_text, meeting_votes, vote_context
from docgen.topics import topic_by_id
from docgen.vn.dates import clock, party_date, party_date_line, short_date
from docgen.vn.numbers import roman
from docgen.vn.text import nfc

Context = dict[str, Any]

DEFAULT_RECIPIENTS_TAIL = ("Đảng viên trong chi bộ",)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _names(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"đồng chí {n}" for n in names)


def person(profile: Profile, ref: Any) -> str:
    """A roster id becomes the member's name; anything else is printed as given."""
    text = line(ref)
    member = profile.member(text)
    return member.name if member else text


def deadline_text(value: Any) -> str:
    text = line(value)
    try:
        return short_date(dt.date.fromisoformat(text))
    except ValueError:
        return text


def _speaker(profile: Profile, guests: list[dict[str, Any]], ref: str) -> str:
    member = profile.member(ref)
    if member is not None:
        position = profile.position_of(ref)
        return f"Đồng chí {member.name}" + (f", {position}" if position else "")
    for guest in guests:
        if guest.get("name") == ref and guest.get("position"):
            return f"Đồng chí {line(ref)}, {line(guest['position'])}"
    return f"Đồng chí {line(ref)}"


def speeches(profile: Profile, guests: list[dict[str, Any]], items: list[dict[str, Any]]) -> list[Context]:
    out = []
    for item in items:
        paras = paragraphs(item.get("content")) or [""]
        out.append({"speaker": _speaker(profile, guests, item["speaker"]), "first": paras[0],
                    "rest": paras[1:]})
    return out


def task_rows(profile: Profile, items: list[dict[str, Any]]) -> list[Context]:
    return [{"index": str(i), "content": line(t.get("content")), "owner": person(profile, t.get("owner")),
             "deadline": deadline_text(t.get("deadline")), "note": line(t.get("note"))}
            for i, t in enumerate(items, start=1)]


def numbered(items: list[Any]) -> list[Context]:
    return [{"label": f"{i}.", "text": line(text)} for i, text in enumerate(items, start=1)]


def recipients(profile: Profile, given: list[str]) -> list[str]:
    """"- X," lines ending with "- Lưu Chi bộ." (HD 36: comma after each, full stop last)."""
    names = [line(g).lstrip("-").strip().rstrip(",.;").strip() for g in given]
    names = [n for n in names if n and not n.casefold().startswith("lưu")]
    if not names:
        names = [f"{profile.cell.superior_committee} (để báo cáo)", *DEFAULT_RECIPIENTS_TAIL]
    return [f"- {n}," for n in names] + ["- Lưu Chi bộ."]


def figures_context(f: MeetingFigures) -> Context:
    reasons = ", ".join(f"đồng chí {name} ({reason})" for name, reason in f.absent_with_reason)
    return {
        "total": f.total, "official": f.official, "probationary": f.probationary, "exempt": f.exempt,
        "temp_out": f.temp_out, "temp_in": f.temp_in, "present": f.present,
        "present_official": f.present_official, "present_probationary": f.present_probationary,
        "absent": f.absent, "absent_with_reason": len(f.absent_with_reason),
        "absent_without_reason": len(f.absent_without_reason), "denominator": f.denominator,
        "voters_present": f.voters_present, "attendance_percent": f.attendance_percent,
        "absent_with_reason_text": reasons,
        "absent_without_reason_text": _names(f.absent_without_reason),
        "exempt_present_text": _names(f.exempt_present),
        "exempt_names_text": _names(f.exempt_names),
        "temp_out_names_text": _names(f.temp_out_names),
        "temp_in_present": len(f.temp_in_present),
        "temp_in_present_text": _names(f.temp_in_present),
        "suspended": f.suspended, "suspended_names_text": _names(f.suspended_names),
        "exempt_not_voting_text": _names(f.exempt_present_not_voting),
        "summoned": f.summoned,
    }


def self_score_context(score: dict[str, Any] | None) -> Context | None:
    if not score:
        return None
    points = float(score["points"])
    points_text = str(int(points)) if points == int(points) else f"{points:.1f}".replace(".", ",")
    rating = line(score.get("rating")) or rating_for(points)
    return {"points": points_text, "rating": rating,
            "sentence": f"Chi bộ tự đánh giá chất lượng buổi sinh hoạt đạt {points_text}/100 điểm, xếp loại {rating}."}


def header_context(data: dict[str, Any], profile: Profile, meta_number_text: str, kind_symbol: str,
                   numbered_kind: bool, type_name: str, summary: str, draft_mark: str) -> Context:
    day = dt.date.fromisoformat(data["date"])
    if not numbered_kind:
        number_line = ""
    elif meta_number_text:
        number_line = f"Số {meta_number_text}"
    else:
        number_line = f"Số      -{kind_symbol}/{profile.cell.symbol}"
    topic_labels = []
    for tid in data.get("topics") or []:
        topic = topic_by_id(tid)
        topic_labels.append(topic.label if topic else tid)
    return {
        "kind": data["kind"], "superior": profile.cell.superior, "cell": profile.cell.name,
        "cell_text": cell_text(profile.cell.name),
        "symbol": profile.cell.symbol, "place_name": profile.cell.place, "number_line": number_line,
        "number_text": meta_number_text, "date_line": party_date_line(profile.cell.place, day),
        "doc_date_text": party_date(day), "type_name": type_name, "summary": summary,
        "title": f"{type_name} {summary}", "draft_mark": draft_mark,
        "topics": list(data.get("topics") or []), "topic_labels": topic_labels,
    }


_UNIT_WORDS = frozenset({"chi", "bộ", "thôn", "xóm", "tổ", "dân", "phố", "khu", "ấp", "bản", "làng", "số",
                        "trường", "cơ", "quan", "xã", "phường", "thị", "trấn", "đảng", "buôn", "khóm", "sóc"})


def cell_text(name: str) -> str:
    """The cell's name inside a sentence: "CHI BỘ THÔN AN THÀNH" → "Chi bộ thôn An Thành"
    (the header prints it in capitals; a sentence capitalises "Chi bộ" and proper names)."""
    words = name.split()
    if not words or name != name.upper():
        return name
    out = []
    for i, word in enumerate(words):
        low = word.lower()
        if i == 0:
            out.append(low[:1].upper() + low[1:])
        elif low in _UNIT_WORDS and all(w.lower() in _UNIT_WORDS for w in words[:i]):
            out.append(low)
        else:
            out.append(low[:1].upper() + low[1:])
    return " ".join(out)


def chair_title(profile: Profile, chair: str) -> str:
    """"BÍ THƯ", "PHÓ BÍ THƯ" or "CHỦ TRÌ": who concludes, as the heading names them."""
    position = profile.position_of(chair)
    if position.startswith("Bí thư"):
        return "BÍ THƯ"
    if position.startswith("Phó Bí thư"):
        return "PHÓ BÍ THƯ"
    return "CHỦ TRÌ"


def guests_context(data: dict[str, Any]) -> list[Context]:
    return [{"name": line(g["name"]), "position": line(g.get("position")),
             "text": f"đồng chí {line(g['name'])}" + (f", {line(g.get('position'))}" if g.get("position") else "")}
            for g in data.get("guests") or []]


def attendance_text(figures: MeetingFigures, guests: list[Context]) -> str:
    """The resolution's preamble on who was there: official and probationary members apart,
    guests and members attending temporarily named; a count of zero is not printed."""
    f = figures
    parts = [f"Tổng số đảng viên của Chi bộ: {f.total} đồng chí (chính thức {f.official}, dự bị {f.probationary})."]
    present = f"Có mặt {f.present} đồng chí (chính thức {f.present_official}, dự bị {f.present_probationary})"
    if not f.absent:
        parts.append(f"{present}; không có đồng chí nào vắng mặt.")
    else:
        why = [f"có lý do {len(f.absent_with_reason)}" if f.absent_with_reason else "",
               f"không có lý do {len(f.absent_without_reason)}" if f.absent_without_reason else ""]
        parts.append(f"{present}; vắng mặt {f.absent} đồng chí ({', '.join(w for w in why if w)}).")
    voting_exempt = [n for n in f.exempt_present if n not in f.exempt_present_not_voting]
    came = f" (có mặt, tham gia biểu quyết: {_names(voting_exempt)})" if voting_exempt else ""
    away = [f"miễn công tác và sinh hoạt đảng {f.exempt} đồng chí{came}" if f.exempt else "",
            f"sinh hoạt tạm thời nơi khác {f.temp_out} đồng chí" if f.temp_out else "",
            f"đang bị đình chỉ sinh hoạt đảng {f.suspended} đồng chí" if f.suspended else ""]
    away = [a for a in away if a]
    if away:
        text = "; ".join(away)
        parts.append(upper_first(text) + ".")
    if f.temp_in_present:
        parts.append(f"Đảng viên nơi khác sinh hoạt tạm thời tại Chi bộ dự: {_names(f.temp_in_present)}.")
    if guests:
        parts.append("Đại biểu dự: " + "; ".join(g["text"] for g in guests) + ".")
    return " ".join(parts)


def meeting_name(data: dict[str, Any], month: int, year: int, day: dt.date) -> str:
    """"sinh hoạt chi bộ thường kỳ tháng 3 năm 2026" or "sinh hoạt chi bộ bất thường"."""
    if data.get("extraordinary"):
        return "sinh hoạt chi bộ bất thường"
    if data.get("combined_with_topical"):
        return f"sinh hoạt chi bộ thường kỳ tháng {month} năm {year} kết hợp sinh hoạt chuyên đề"
    return f"sinh hoạt chi bộ thường kỳ tháng {month} năm {year}"


def meeting_context(data: dict[str, Any], profile: Profile, figures: MeetingFigures, main_subject: str,
                    main_type: str = "resolution") -> Context:
    """The sitting: time, place, chair, figures, every vote with its subject, and the one
    sentence explaining the votes' denominator."""
    day = dt.date.fromisoformat(data["date"])
    month = data.get("month") or day.month
    year = data.get("year") or day.year
    start, end = _time(data["start"]), _time(data["end"])
    guests = guests_context(data)
    votes = meeting_votes(data, figures, main_subject, main_type)
    main = next((v for v in votes if v.path == "vote"), None)
    return {
        "month": month, "year": year, "quarter": data.get("quarter") or quarter_of(month),
        "quarter_roman": roman(data.get("quarter") or quarter_of(month)),
        "start_text": clock(start), "end_text": clock(end), "meeting_date_text": party_date(day),
        "place": line(data.get("place")) or profile.cell.meeting_place,
        "chair_name": profile.name_of(data["chair"]), "chair_position": profile.position_of(data["chair"]),
        "chair_title": chair_title(profile, data["chair"]),
        "secretary_name": profile.name_of(data["secretary"]),
        "secretary_position": profile.position_of(data["secretary"]),
        "figures": figures_context(figures), "guests": guests,
        "combined_with_topical": bool(data.get("combined_with_topical")),
        "vote": vote_context(main) if main else None,
        "votes": [vote_context(v) for v in votes],
        "denominator_text": denominator_text(figures) if votes else "",
        "self_score": self_score_context(data.get("self_score")),
        "duration_minutes": (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute),
        "extraordinary": bool(data.get("extraordinary")),
        "extraordinary_reason": line(data.get("reason")),
        "meeting_name": meeting_name(data, month, year, day),
        "attendance_text": attendance_text(figures, guests),
    }


def minutes_context(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures) -> Context:
    read_back = data.get("read_back") or {}
    agree = read_back.get("agree", figures.present)
    return {
        "agenda": numbered(data.get("agenda") or []),
        "proceedings": speeches(profile, data.get("guests") or [], data.get("proceedings") or []),
        "conclusion": paragraphs(data.get("conclusion")),
        "tasks": task_rows(profile, data.get("tasks") or []),
        "read_back": {"agree": agree, "present": figures.present,
                      "sentence": f"Biên bản đã được đọc lại trước Chi bộ, {agree}/{figures.present} đồng chí có mặt nhất trí."},
        "sign_left_label": settings.minutes_left_label, "sign_right_label": settings.minutes_right_label,
        "sign_left_name": profile.name_of(data["secretary"]), "sign_right_name": profile.name_of(data["chair"]),
        "conclusion_heading": f"KẾT LUẬN CỦA ĐỒNG CHÍ {chair_title(profile, data['chair'])}",
        "topical": topical_context(data, profile),
    }


def topical_context(data: dict[str, Any], profile: Profile) -> Context | None:
    """The topical part of a regular sitting combined with a topical session (HD 42: the
    parts run one after the other in one sitting of at least 120 minutes)."""
    part = data.get("topical")
    if not data.get("combined_with_topical") or not part:
        return None
    guests = data.get("guests") or []
    presenter = part.get("presenter")
    return {"title": line(part.get("title")), "purpose": paragraphs(part.get("purpose")),
            "presenter_name": profile.name_of(presenter) if presenter else "",
            "presentation": paragraphs(part.get("presentation")),
            "discussion": speeches(profile, guests, part.get("discussion") or []),
            "conclusion": paragraphs(part.get("conclusion"))}


def signed_context(data: dict[str, Any], profile: Profile, settings: Settings) -> Context:
    signer = data.get("signer") or profile.officers.bi_thu
    position = "PHÓ BÍ THƯ" if signer == profile.officers.pho_bi_thu and signer != profile.officers.bi_thu else "BÍ THƯ"
    return {"authority_label": settings.authority_label, "signer_position": position,
            "signer_name": profile.name_of(signer), "recipients": recipients(profile, data.get("recipients") or [])}


def build_context(header: Context, body: Context) -> Context:
    """The header and a kind's body as the template sees them (safe text, NFC keys)."""
    ctx: Context = printed(scrub({**header, **body}))
    return {nfc(k): v for k, v in ctx.items()}
