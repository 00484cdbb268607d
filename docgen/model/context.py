"""What a template sees: a plain dict of strings, lists and small dicts per kind.

Everything printed is computed here (figures, vote sentence, labels a), b), đ)…), so
templates only place text. No value is None and no value contains a line break.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from docgen.config import Settings
from docgen.model.arithmetic import MeetingFigures, rating_for, vote_result
from docgen.model.profile import Profile
from docgen.model.text import line, paragraphs, scrub
from docgen.topics import topic_by_id
from docgen.vn.dates import clock, party_date, party_date_line, short_date
from docgen.vn.numbers import letter_label, roman
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
    }


def vote_context(vote: dict[str, Any] | None, figures: MeetingFigures, resolution: bool) -> Context | None:
    if not vote:
        return None
    against, abstain = int(vote.get("against") or 0), int(vote.get("abstain") or 0)
    result = vote_result(int(vote["for"]), against, abstain, figures.denominator, bool(vote.get("special")))
    tail = f"{against} đồng chí không tán thành; {abstain} đồng chí có ý kiến khác"
    if resolution:
        verb = "thông qua" if result.passed else "không đủ số đồng chí tán thành để thông qua"
        sentence = f"Nghị quyết được Chi bộ biểu quyết {verb} với {result.rate_text}; {tail}."
        if not result.passed:
            sentence = (f"Chi bộ biểu quyết: {result.rate_text}; {tail}. Nghị quyết không được thông qua "
                        f"(cần {result.threshold_text} số đảng viên chính thức).")
    else:
        outcome = "thông qua" if result.passed else "không thông qua"
        sentence = f"Biểu quyết: {result.rate_text}; {tail}. Kết quả: {outcome}."
    return {"votes_for": result.votes_for, "against": against, "abstain": abstain,
            "denominator": result.denominator, "rate_text": result.rate_text,
            "percent_text": result.percent_text, "passed": result.passed, "special": result.special,
            "subject": line(vote.get("subject")), "result_text": "thông qua" if result.passed else "không thông qua",
            "sentence": sentence}


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
        "symbol": profile.cell.symbol, "place_name": profile.cell.place, "number_line": number_line,
        "number_text": meta_number_text, "date_line": party_date_line(profile.cell.place, day),
        "doc_date_text": party_date(day), "type_name": type_name, "summary": summary,
        "title": f"{type_name} {summary}", "draft_mark": draft_mark,
        "topics": list(data.get("topics") or []), "topic_labels": topic_labels,
    }


def meeting_context(data: dict[str, Any], profile: Profile, figures: MeetingFigures, resolution: bool) -> Context:
    day = dt.date.fromisoformat(data["date"])
    month = data.get("month") or day.month
    year = data.get("year") or day.year
    start, end = _time(data["start"]), _time(data["end"])
    guests = [{"name": line(g["name"]), "position": line(g.get("position")),
               "text": f"Đồng chí {line(g['name'])}" + (f", {line(g.get('position'))}" if g.get("position") else "")}
              for g in data.get("guests") or []]
    return {
        "month": month, "year": year, "quarter": data.get("quarter") or quarter_of(month),
        "quarter_roman": roman(data.get("quarter") or quarter_of(month)),
        "start_text": clock(start), "end_text": clock(end), "meeting_date_text": party_date(day),
        "place": line(data.get("place")) or profile.cell.meeting_place,
        "chair_name": profile.name_of(data["chair"]), "chair_position": profile.position_of(data["chair"]),
        "secretary_name": profile.name_of(data["secretary"]),
        "secretary_position": profile.position_of(data["secretary"]),
        "figures": figures_context(figures), "guests": guests,
        "combined_with_topical": bool(data.get("combined_with_topical")),
        "vote": vote_context(data.get("vote"), figures, resolution),
        "self_score": self_score_context(data.get("self_score")),
        "duration_minutes": (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute),
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
    }


def signed_context(data: dict[str, Any], profile: Profile, settings: Settings) -> Context:
    signer = data.get("signer") or profile.officers.bi_thu
    position = "PHÓ BÍ THƯ" if signer == profile.officers.pho_bi_thu and signer != profile.officers.bi_thu else "BÍ THƯ"
    return {"authority_label": settings.authority_label, "signer_position": position,
            "signer_name": profile.name_of(signer), "recipients": recipients(profile, data.get("recipients") or [])}


def thuong_ky(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures) -> Context:
    return {**meeting_context(data, profile, figures, False), **minutes_context(data, profile, settings, figures)}


def chuyen_de_minutes(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures) -> Context:
    ctx = thuong_ky(data, profile, settings, figures)
    quarter = data.get("quarter") or quarter_of(dt.date.fromisoformat(data["date"]).month)
    ctx.update({
        "quarter": quarter, "quarter_roman": roman(quarter), "topic_title": line(data["topic_title"]),
        "purpose": paragraphs(data.get("purpose")), "presenter_name": profile.name_of(data["presenter"]),
        "presentation": paragraphs(data.get("presentation")),
        "discussion": speeches(profile, data.get("guests") or [], data.get("discussion") or []),
    })
    return ctx


def nghi_quyet(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures) -> Context:
    ctx = meeting_context(data, profile, figures, True)
    month, year = ctx["month"], ctx["year"]
    prev_month, prev_year = (12, year - 1) if month == 1 else (month - 1, year)
    assessment = [{"label": f"{i}.", "heading": line(a["heading"]), "paragraphs": paragraphs(a.get("text"))}
                  for i, a in enumerate(data.get("assessment") or [], start=1)]
    directions = [{"label": f"{i}.", "heading": line(d["heading"]),
                   "entries": [{"label": letter_label(j), "text": line(t)} for j, t in enumerate(d.get("items") or [])]}
                  for i, d in enumerate(data.get("directions") or [], start=1)]
    ctx.update({"previous_month": prev_month, "previous_year": prev_year, "assessment": assessment,
                "directions": directions, "assignments": task_rows(profile, data.get("assignments") or []),
                **signed_context(data, profile, settings)})
    return ctx


def _basis(value: Any) -> str:
    """"Căn cứ Điều lệ Đảng;" is written by the template: strip a typed "Căn cứ" and end punctuation."""
    text = line(value).rstrip(";,.")
    if text.casefold().startswith("căn cứ"):
        text = text[len("căn cứ"):].strip()
    return text


def ke_hoach(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures | None) -> Context:
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


def de_cuong(data: dict[str, Any], profile: Profile, settings: Settings, figures: MeetingFigures | None) -> Context:
    day = dt.date.fromisoformat(data["date"])
    quarter = data.get("quarter") or quarter_of(day.month)
    return {"year": data.get("year") or day.year, "quarter": quarter, "quarter_roman": roman(quarter),
            "topic_title": line(data["title"]), "presenter_name": profile.name_of(data["presenter"]),
            "presenter_position": profile.position_of(data["presenter"]),
            "purpose": paragraphs(data.get("purpose")), "content": paragraphs(data.get("content")),
            "situation": paragraphs(data.get("situation")), "tasks": paragraphs(data.get("tasks")),
            "questions": numbered(data.get("questions") or []), "sign_right_label": "NGƯỜI CHUẨN BỊ"}


BUILDERS = {
    "bien-ban-thuong-ky": thuong_ky,
    "bien-ban-chuyen-de": chuyen_de_minutes,
    "nghi-quyet": nghi_quyet,
    "ke-hoach-chuyen-de": ke_hoach,
    "de-cuong-chuyen-de": de_cuong,
}


def default_summary(kind: str, data: dict[str, Any]) -> str:
    day = dt.date.fromisoformat(data["date"])
    month = data.get("month") or day.month
    year = data.get("year") or day.year
    quarter = data.get("quarter") or quarter_of(month)
    if kind == "bien-ban-thuong-ky":
        return f"sinh hoạt chi bộ thường kỳ tháng {month} năm {year}"
    if kind == "bien-ban-chuyen-de":
        return f"sinh hoạt chuyên đề quý {roman(quarter)} năm {year}"
    if kind == "nghi-quyet":
        return f"lãnh đạo thực hiện nhiệm vụ tháng {month} năm {year}"
    if kind == "ke-hoach-chuyen-de":
        q = data.get("quarter")
        return f"sinh hoạt chuyên đề quý {roman(q)} năm {year}" if q else f"sinh hoạt chuyên đề năm {year}"
    return f"sinh hoạt chuyên đề quý {roman(quarter)} năm {year}"


def build_context(kind: str, header: Context, data: dict[str, Any], profile: Profile, settings: Settings,
                  figures: MeetingFigures | None) -> Context:
    body = BUILDERS[kind](data, profile, settings, figures)  # type: ignore[operator, arg-type]
    ctx: Context = scrub({**header, **body})
    return {nfc(k): v for k, v in ctx.items()}
