"""What the two membership resolutions share: the resolution proposing the admission of a
person to the Party (``nghi-quyet-ket-nap``) and the one proposing that a probationary
member be recognised as official (``nghi-quyet-chuyen-chinh-thuc``).

Both are resolutions of a sitting of the cell (meeting, numbered NQ in the cell's one NQ
series with the monthly resolution): the preamble of the monthly resolution (the cell,
attendance split official / probationary), the person, the opinions heard, the cell's
assessment (ưu điểm, khuyết điểm), the vote, "QUYẾT NGHỊ:" and the proposal to the
superior committee, signed T/M CHI BỘ / BÍ THƯ with Nơi nhận.

The vote needs **at least two thirds** of the official members (HD 06-HD/TW 2025 3.6b for
an admission, Điều lệ Điều 5 for a conversion: domain reference §3.1, computed by
``docgen.model.votes`` with the vote type "admission" / "conversion"). Probationary members
never vote, the member being converted included. A vote that does not reach two thirds is
an error: the resolution is not issued, not numbered, and its result belongs in the
minutes of the sitting.

Thresholds the domain reference does not confirm are kind settings (``Kind.extra``, the
``EXTRA`` defaults below), read by the checks; see docs/kinds/nghi-quyet-ket-nap.md and
docs/kinds/nghi-quyet-chuyen-chinh-thuc.md for their sources.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.kinds.base import MEETING_KEYS, SIGNED_KEYS, Checker
from docgen.model import labels as L
from docgen.model import schemas as S
from docgen.model.arithmetic import Issue, MeetingFigures
from docgen.model.context import Context, meeting_context, recipients, signed_context
from docgen.model.profile import Member, Profile
from docgen.model.roster import find_member
from docgen.model.text import line, paragraphs, upper_first
from docgen.model.votes import meeting_votes, tail_text
from docgen.vn.dates import short_date, vn_date
from docgen.vn.numbers import roman

Data = dict[str, Any]

# Defaults of the kind settings (Kind.extra). None is confirmed by the domain reference:
EXTRA: Mapping[str, int] = {
    # Điều lệ Điều 4.1: "được hai đảng viên chính thức giới thiệu" (quoted on lawnet.vn,
    # nghean.dcs.vn) [P]; with a youth / trade-union organisation introducing, it and one
    # official member.
    "introducer_count": 2,
    # An introducer has been an official member for at least this many months on the day of
    # the meeting: as the brief asks; NOT found in the sources quoted (QĐ 24 §3.2.1 asks for
    # an official member who has worked or lived with the person for 12 months) [U].
    "introducer_official_months": 12,
    # QĐ 232/294 điểm 1.1.1: 18 to 60 years old on the day the cell considers the admission,
    # in months (quoted on truongchinhtrithainguyen.gov.vn) [P]; over 60 the committee
    # directly under the Central Committee decides (a warning, not an error).
    "min_age": 18,
    "max_age": 60,
    # Điều lệ Điều 5.1: "thời kỳ dự bị mười hai tháng, tính từ ngày chi bộ tổ chức lễ kết
    # nạp" (quoted on luatvietnam.vn) [P].
    "probation_months": 12,
    # QĐ 29 (2016) điểm 4.2a, kept in the later rules as far as quoted: within 30 working days
    # of the end of the probation the cell considers the conversion (thuvienphapluat.vn) [P];
    # counted Monday to Friday (public holidays are not known): a warning.
    "conversion_deadline_working_days": 30,
}

KEYS = MEETING_KEYS | SIGNED_KEYS | frozenset({
    "purpose_text", "basis_text", "facts", "facts_heading", "self_review", "self_review_heading",
    "self_review_intro", "opinions", "opinions_heading", "strengths", "weaknesses", "review_heading",
    "strengths_label", "weaknesses_label", "vote_heading", "vote_note", "proposal_text",
})
REQUIRED = frozenset({
    "start_text", "meeting_date_text", "place", "attendance_text", "chair_name", "secretary_name",
    "purpose_text", "facts", "proposal_text", "recipients", "authority_label", "signer_name",
    "signer_position",
})


def setting(extra: Mapping[str, Any], key: str) -> int:
    """A kind setting: the kind's value, else the default of ``EXTRA``."""
    return int(extra.get(key, EXTRA[key]))


# --------------------------------------------------------------------------- dates

def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` (the day clamped to the month's length: 29/2 + 12 → 28/2)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def whole_months(start: dt.date, end: dt.date) -> int:
    """Full months from ``start`` to ``end`` (age "tính theo tháng"): 16/7/1994 → 15/7/2012 is 215."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if add_months(start, months) > end else months


def working_days_after(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days after ``start`` up to ``end`` included (0 when ``end`` ≤ ``start``)."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def day_of(data: Data) -> dt.date:
    return dt.date.fromisoformat(data["date"])


# --------------------------------------------------------------------------- schema and labels

def opinions_schema() -> S.Schema:
    return S.arr(S.obj({
        "source": S.text(),
        "content": S.text(examples=["Đồng chí gương mẫu, nhiệt tình trong các hoạt động của thôn."]),
    }, ["source", "content"]), default=[])


def review_schema() -> dict[str, S.Schema]:
    return {"strengths": S.p(["string", "null"], default=None),
            "weaknesses": S.p(["string", "null"], default=None)}


# Meeting fields these resolutions do not print: the sitting's self-score and its topical part
# belong in the minutes and the monthly resolution.
_NOT_SHOWN = frozenset({"self_score", "combined_with_topical"})


def meeting_schema() -> dict[str, S.Schema]:
    """The sitting (time, place, chair, attendance, vote): the monthly resolution's, with an
    extraordinary sitting named by a flag (its purpose is the resolution's)."""
    props = {k: v for k, v in S.meeting().items() if k not in _NOT_SHOWN}
    props["extraordinary"] = S.p("boolean", default=False)
    props["vote"]["examples"] = [{"for": 16, "against": 0, "abstain": 0, "special": True}]
    # the threshold is always two thirds here; ``special: true`` also tells the archive's
    # same-sitting check (DocumentInput.votes) that this is a two-thirds vote
    props["vote"]["properties"]["special"]["default"] = True
    return props


def signed_schema() -> dict[str, S.Schema]:
    return {"signer": S.p(["string", "null"], default=None, pattern=S.ID_PATTERN), "recipients": S.recipients()}


LABELS: L.FieldLabels = {
    **L.COMMON, **{k: v for k, v in L.MEETING.items() if k.split(".")[0] not in _NOT_SHOWN},
    "vote.special": L._l("Biểu quyết 2/3", "Two-thirds vote", "true",
                         "nghị quyết này luôn cần ít nhất 2/3 số đảng viên chính thức tán thành; ghi true",
                         "this resolution always needs two thirds of the official members; write true"),
    "extraordinary": L._l("Sinh hoạt bất thường", "Extraordinary meeting", "true",
                          "true: chi bộ họp bất thường (ngoài kỳ sinh hoạt thường lệ) để xét",
                          "true: the cell met outside its regular monthly meeting to consider it"),
    "opinions": L._l("Ý kiến nhận xét", "Opinions", None,
                     "của các đoàn thể, chi ủy nơi cư trú, đảng viên; mỗi ý kiến ghi nơi (người) nhận xét và nội dung",
                     "of the mass organisations, the residential committee, members; each with its source and gist"),
    "opinions[]": L._l("Ý kiến nhận xét", "Opinion"),
    "opinions[].source": L._l("Nơi (người) nhận xét", "Source", "\"Chi hội Phụ nữ thôn An Thành\"",
                              "tên đoàn thể, hoặc mã hay họ tên đảng viên",
                              "a mass organisation's name, or a member's id or name"),
    "opinions[].content": L._text("Nội dung nhận xét", "What they said", "tóm tắt ý kiến", "the gist"),
    "strengths": L._text("Ưu điểm", "Strengths", "chi bộ nhận xét", "the cell's assessment"),
    "weaknesses": L._text("Khuyết điểm", "Weaknesses", "chi bộ nhận xét", "the cell's assessment"),
    "signer": L.SIGNER,
    **L.recipients(),
    "recipients": L._l("Nơi nhận", "Recipients", None,
                       "để trống để dùng mặc định (cấp ủy cấp trên (để xem xét, quyết định), lưu Chi bộ)",
                       "empty: the default list (the superior committee, to consider and decide; file copy)"),
}


# --------------------------------------------------------------------------- rules

def _ints(vote: Mapping[str, Any]) -> tuple[int, int, int]:
    return int(vote["for"]), int(vote.get("against") or 0), int(vote.get("abstain") or 0)


def vote_issues(data: Data, figures: MeetingFigures | None, subject: str, vote_type: str,
                what: Msg) -> list[Issue]:
    """The resolution is issued with a vote that reached two thirds; a draft has none yet.

    ``what`` names the proposal: "đề nghị kết nạp" / "the admission proposal"."""
    if data.get("draft") or figures is None:
        return []
    if not data.get("vote"):
        return [Issue("vote", Msg(f"Chưa điền Kết quả biểu quyết {what.vi}", f"The vote on {what.en} is missing"),
                      Msg("ghi vote: {for: 16, against: 0, abstain: 0}; nghị quyết chưa biểu quyết thì ghi draft: true",
                          "write vote: {for: 16, against: 0, abstain: 0}; a resolution not yet voted is draft: true"))]
    main = meeting_votes(data, figures, subject, vote_type)[0]
    if main.passed:
        return []
    result = main.result
    need = -(-2 * result.denominator // 3)  # the smallest count reaching two thirds
    return [Issue("vote.for", Msg(
        f"{what.vi} không được thông qua ({result.rate_text}; {tail_text(result)}; cần "
        f"{result.threshold_text} số đảng viên chính thức, tức ít nhất {need}/{result.denominator} đồng chí "
        "tán thành): nghị quyết không được ban hành, không lấy số",
        f"{what.en} did not pass ({result.votes_for}/{result.denominator} for, {result.percent_text}; it needs "
        f"two thirds of the official members, at least {need}/{result.denominator}): the resolution is not "
        "issued and gets no number"),
        Msg("ghi kết quả biểu quyết này vào biên bản cuộc họp (votes của biên bản, type: "
            f"{vote_type}); sửa số phiếu nếu ghi nhầm",
            f"record this vote in the meeting's minutes (their votes, type: {vote_type}); fix the counts if "
            "they are wrong"))]


def checks(rules: Callable[[Data, Profile], list[Issue]], vote_type: str,
           vote_subject: Callable[[Data, Profile], tuple[str, Msg]]) -> tuple[Checker, Checker]:
    """``Kind.checks`` of a membership resolution: ``rules(data, profile)`` (the Party rules on
    the person or the member), then the two-thirds vote (``vote_issues``) on what
    ``vote_subject(data, profile)`` gives: the subject, as it follows "Biểu quyết", and the
    name an error gives it."""

    def rule_checks(data: Data, profile: Profile, settings: Settings, figures: MeetingFigures | None) -> list[Issue]:
        return rules(data, profile)

    def vote_checks(data: Data, profile: Profile, settings: Settings, figures: MeetingFigures | None) -> list[Issue]:
        subject, what = vote_subject(data, profile)
        return vote_issues(data, figures, subject, vote_type, what)

    return rule_checks, vote_checks


def review_needed(whose: Msg) -> tuple[tuple[tuple[str, ...], Msg], ...]:
    """``Kind.needed`` for the cell's assessment of ``whose`` ("người vào Đảng" / "the
    person"): its strengths, its weaknesses."""
    return ((("strengths",), Msg(f"nghị quyết chưa ghi ưu điểm của {whose.vi} (strengths)",
                                 f"the resolution gives no strengths of {whose.en} (strengths)")),
            (("weaknesses",), Msg(f"nghị quyết chưa ghi khuyết điểm của {whose.vi} (weaknesses)",
                                  f"the resolution gives no weaknesses of {whose.en} (weaknesses)")))


def draft_warnings(data: Data, profile: Profile, settings: Settings, figures: MeetingFigures | None) -> list[Msg]:
    if data.get("draft") and data.get("vote"):
        return [Msg("dự thảo nghị quyết không ghi kết quả biểu quyết (dự thảo gửi trước cuộc họp): "
                    "kết quả biểu quyết (vote) không được in",
                    "a draft resolution carries no vote result (it is posted before the meeting): the vote is not printed")]
    return []


def absent_ids(data: Data) -> set[str]:
    return {str(a.get("member")) for a in data.get("absent") or [] if isinstance(a, dict)}


# --------------------------------------------------------------------------- context

def member_name(profile: Profile, ref: Any) -> str:
    return profile.name_of(str(ref)) if ref else ""


def comrades(names: list[str]) -> str:
    """["A", "B", "C"] → "đồng chí A, đồng chí B và đồng chí C"."""
    items = [f"đồng chí {n}" for n in names if n]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def fact_lines(pairs: list[tuple[str, str]]) -> list[str]:
    """"- Họ và tên: Lê Thị Hạnh;" … the last ending with "." (empty values left out)."""
    shown = [(label, text) for label, text in pairs if text]
    return [f"- {label}: {text}{'.' if i == len(shown) - 1 else ';'}" for i, (label, text) in enumerate(shown)]


def opinion_rows(profile: Profile, day: dt.date, items: list[dict[str, Any]],
                 roles: Mapping[str, str]) -> list[Context]:
    """Each opinion with who gave it: a member by name (with their role here: "người giới
    thiệu", or their position), anything else as written ("Chi hội Phụ nữ thôn An Thành")."""
    out = []
    for item in items:
        source = line(item.get("source"))
        match = find_member(profile, source, day)
        if match.member is not None:
            role = roles.get(match.member.id) or profile.position_of(match.member.id)
            source = f"Đồng chí {match.member.name}" + (f" ({role})" if role else "")
        else:
            source = upper_first(source)
        paras = paragraphs(item.get("content")) or [""]
        out.append({"source": source, "first": paras[0], "rest": paras[1:]})
    return out


def organisations(profile: Profile, day: dt.date, items: list[dict[str, Any]]) -> str:
    """The opinions' sources that are not members, joined: "Chi hội Phụ nữ thôn An Thành và
    Ban công tác Mặt trận thôn An Thành" ("" when every opinion is a member's)."""
    names = []
    for item in items:
        source = line(item.get("source"))
        if source and find_member(profile, source, day).member is None and source not in names:
            names.append(source)
    return ", ".join(names[:-1]) + " và " + names[-1] if len(names) > 1 else "".join(names)


def membership_context(data: Data, profile: Profile, settings: Settings, figures: MeetingFigures | None, *,
                       vote_type: str, subject: str, considered: str, facts_heading: str,
                       facts: list[str], decision: str, roles: Mapping[str, str],
                       self_review: list[str] | None = None, self_review_intro: str = "",
                       vote_note: str = "") -> Context:
    """The context both kinds share; the sections are numbered I, II, … as they appear.

    ``subject``: what the sitting considers and votes on ("đề nghị kết nạp quần chúng Lê Thị
    Hạnh vào Đảng"); ``considered``: the papers the cell looked at ("đơn xin vào Đảng …, lý
    lịch …"); ``decision``: what the superior committee is asked to decide ("kết nạp quần
    chúng Lê Thị Hạnh vào Đảng Cộng sản Việt Nam")."""
    assert figures is not None
    day = day_of(data)
    shown = {**data, "vote": None} if data.get("draft") else data  # a draft is posted before the vote
    ctx = meeting_context(shown, profile, figures, subject, vote_type)
    if data.get("extraordinary"):
        ctx["meeting_name"] = "họp chi bộ bất thường"
    opinions = opinion_rows(profile, day, list(data.get("opinions") or []), roles)
    strengths, weaknesses = paragraphs(data.get("strengths")), paragraphs(data.get("weaknesses"))
    numbers = iter(range(1, 10))

    def head(text: str, present: bool = True) -> str:
        return f"{roman(next(numbers))}. {text}" if present else ""

    committee = profile.cell.superior_committee
    signed = signed_context(data, profile, settings)
    default_recipients = [f"{committee} (để xem xét, quyết định)"]
    signed["recipients"] = recipients(profile, list(data.get("recipients") or []) or default_recipients)
    ctx.update({
        "purpose_text": f"xét, {subject}",
        "basis_text": f"Sau khi xem xét {considered}, Chi bộ thảo luận, thống nhất như sau:",
        "facts_heading": head(facts_heading), "facts": facts,
        "self_review_heading": head("TỰ KIỂM ĐIỂM CỦA ĐẢNG VIÊN DỰ BỊ", bool(self_review)),
        "self_review_intro": self_review_intro, "self_review": self_review or [],
        "opinions_heading": head("Ý KIẾN NHẬN XÉT", bool(opinions)), "opinions": opinions,
        "review_heading": head("NHẬN XÉT CỦA CHI BỘ", bool(strengths or weaknesses)),
        "strengths": strengths, "weaknesses": weaknesses,
        "strengths_label": "1. Ưu điểm" if strengths else "",
        "weaknesses_label": f"{2 if strengths else 1}. Khuyết điểm" if weaknesses else "",
        "vote_heading": head("KẾT QUẢ BIỂU QUYẾT", bool(ctx["vote"])),
        "vote_note": vote_note if ctx["vote"] else "",
        "proposal_text": f"Đề nghị {committee} xem xét, quyết định {decision}.",
        **signed,
    })
    return ctx


def introducer_text(profile: Profile, member_id: str) -> str:
    """"đồng chí Vũ Thị Phương (đảng viên chính thức từ 20/10/2015)"."""
    member = profile.member(member_id)
    if member is None:
        return f"đồng chí {member_id}"
    since = f" (đảng viên chính thức từ {short_date(member.official)})" if member.official else ""
    return f"đồng chí {member.name}{since}"


def membership_dates(member: Member) -> str:
    """"kết nạp 2/9/2025, chính thức 2/9/2026" as the profile has them (for messages)."""
    parts = [f"kết nạp {vn_date(member.admitted)}"]
    parts.append(f"chính thức {vn_date(member.official)}" if member.official else "còn dự bị")
    return ", ".join(parts)


# --------------------------------------------------------------------------- template

@contextmanager
def _shown_if(doc: Any, condition: str) -> Iterator[None]:
    """What the block writes shows only when ``condition`` (a template expression) holds."""
    from docgen.render import tplkit as t

    t.tag(doc, f"{{%p if {condition} %}}")
    yield
    t.tag(doc, "{%p endif %}")


def template(blocks: tuple[str, ...]) -> Any:
    """The template both kinds share; ``blocks`` lists the optional sections in order
    ("facts", "self_review", "opinions", "review", "vote"); each shows only when filled."""
    from docgen.render import tplkit as t

    doc = t.new_document()
    t.header_block(doc, numbered=True)
    t.title_block(doc)
    t.para(doc, "Vào lúc {{ start_text }}, {{ meeting_date_text }}, tại {{ place }}, {{ cell_text }} tổ chức "
                "{{ meeting_name }} để {{ purpose_text }}. {{ attendance_text }} Đồng chí {{ chair_name }}"
                "{% if chair_position %}, {{ chair_position }},{% endif %} chủ trì; đồng chí {{ secretary_name }} "
                "làm thư ký.")
    with _shown_if(doc, "basis_text"):
        t.para(doc, "{{ basis_text }}")
    for block in blocks:
        _BLOCKS[block](doc)
    t.para(doc, "QUYẾT NGHỊ:", bold=True, align=t.CENTER, indent=False, before=6, keep_next=True)
    t.para(doc, "{{ proposal_text }}", keep_next=True)
    t.signature_with_recipients(doc)
    return doc


def _facts(doc: Any) -> None:
    from docgen.render import tplkit as t

    t.heading(doc, "{{ facts_heading }}")
    t.loop_paragraphs(doc, "facts", "{{ f }}", var="f")


def _self_review(doc: Any) -> None:
    from docgen.render import tplkit as t

    with _shown_if(doc, "self_review"):
        t.heading(doc, "{{ self_review_heading }}")
        t.intro(doc, "{{ self_review_intro }}")
        t.loop_paragraphs(doc, "self_review")


def _opinions(doc: Any) -> None:
    from docgen.render import tplkit as t

    with _shown_if(doc, "opinions"):
        t.heading(doc, "{{ opinions_heading }}")
        t.tag(doc, "{%p for o in opinions %}")
        t.para(doc, "- {{ o.source }}: {{ o.first }}")
        t.loop_paragraphs(doc, "o.rest")
        t.tag(doc, "{%p endfor %}")


def _review(doc: Any) -> None:
    from docgen.render import tplkit as t

    with _shown_if(doc, "review_heading"):
        t.heading(doc, "{{ review_heading }}")
        for part in ("strengths", "weaknesses"):  # each under its label ("1. Ưu điểm")
            with _shown_if(doc, part):
                t.para(doc, "{{ " + part + "_label }}", bold=True, keep_next=True)
                t.loop_paragraphs(doc, part)


def _vote(doc: Any) -> None:
    from docgen.render import tplkit as t

    with _shown_if(doc, "vote"):
        t.heading(doc, "{{ vote_heading }}")
        t.para(doc, "{{ vote.sentence }}")
        t.para(doc, "{{ denominator_text }}", italic=True)
        with _shown_if(doc, "vote_note"):
            t.para(doc, "{{ vote_note }}", italic=True)


_BLOCKS = {"facts": _facts, "self_review": _self_review, "opinions": _opinions, "review": _review,
           "vote": _vote}
