"""The votes of one sitting: each with its subject, threshold, count and result.

A meeting's input holds its main vote (``vote``: the resolution or the conclusion) and,
for minutes, further votes (``votes``: an admission, a conversion, other decisions). The
threshold follows the vote's type: more than half of the official members, or at least
two thirds for admission and conversion (Điều lệ Điều 4, 5; domain reference §3.1). Every
rate is on one denominator, which the text explains once (``denominator_text``) because it
differs from the attendance figures listed above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docgen.model.arithmetic import MeetingFigures, VoteResult, vote_result
from docgen.model.text import line

# type → (needs two thirds, Vietnamese name, English name)
VOTE_TYPES: dict[str, tuple[bool, str, str]] = {
    "resolution": (False, "thông qua nghị quyết", "adopting a resolution"),
    "conclusion": (False, "thông qua kết luận", "adopting the conclusion"),
    "admission": (True, "đề nghị kết nạp đảng viên", "proposing an admission"),
    "conversion": (True, "đề nghị công nhận đảng viên chính thức", "proposing conversion to official"),
    "rating": (False, "đánh giá, xếp loại", "a rating"),
    "discipline": (False, "xử lý kỷ luật", "a disciplinary measure"),
    "other": (False, "nội dung khác", "another decision"),
}
TWO_THIRDS_TYPES = frozenset(t for t, (two_thirds, _vi, _en) in VOTE_TYPES.items() if two_thirds)


@dataclass(frozen=True)
class MeetingVote:
    """One vote of a sitting as the minutes state it."""

    path: str  # where it is in the input: "vote", "votes[1]"
    subject: str  # what was voted on, as it follows "Biểu quyết": "thông qua Nghị quyết tháng 3"
    type: str  # a key of VOTE_TYPES
    result: VoteResult

    @property
    def passed(self) -> bool:
        return self.result.passed

    @property
    def sentence(self) -> str:
        return vote_sentence(self.subject, self.result)


def count_text(count: int, what: str) -> str:
    """0 → "không có đồng chí nào không tán thành"; 2 → "2 đồng chí không tán thành"."""
    return f"không có đồng chí nào {what}" if count == 0 else f"{count} đồng chí {what}"


def tail_text(result: VoteResult) -> str:
    return f"{count_text(result.against, 'không tán thành')}; {count_text(result.abstain, 'có ý kiến khác')}"


def outcome_text(result: VoteResult) -> str:
    need = f"{result.threshold_text} số đảng viên chính thức"
    if result.passed:
        return "thông qua" if not result.special else f"thông qua (đạt {need})"
    return f"không thông qua (cần {need} tán thành)"


def vote_sentence(subject: str, result: VoteResult) -> str:
    """"Biểu quyết thông qua Nghị quyết tháng 3: 14/18 đồng chí tán thành, đạt 77,8%;
    không có đồng chí nào không tán thành; 1 đồng chí có ý kiến khác. Kết quả: thông qua."""
    lead = f"Biểu quyết {subject}" if subject else "Biểu quyết"
    return f"{lead}: {result.rate_text}; {tail_text(result)}. Kết quả: {outcome_text(result)}."


def denominator_text(figures: MeetingFigures) -> str:
    """Why the rates are on this number, once: "Tỷ lệ biểu quyết tính trên 18 đảng viên
    chính thức (20 đảng viên chính thức, trừ 1 đồng chí sinh hoạt tạm thời nơi khác và 1
    đồng chí được miễn sinh hoạt vắng mặt)."""
    den, official = figures.denominator, figures.official
    voting_exempt = [n for n in figures.exempt_present if n not in figures.exempt_present_not_voting]
    counted = ("; " + ", ".join(f"đồng chí {n}" for n in voting_exempt)
               + " được miễn công tác và sinh hoạt đảng nhưng có mặt, tham gia biểu quyết nên được tính"
               ) if voting_exempt else ""
    if den == official:
        if counted:
            return f"Tỷ lệ biểu quyết tính trên tổng số {den} đảng viên chính thức của Chi bộ ({counted[2:]})."
        return f"Tỷ lệ biểu quyết tính trên tổng số {den} đảng viên chính thức của Chi bộ."
    parts: list[str] = []
    temp_out, exempt_absent, suspended = figures.excluded_temp_out, figures.excluded_exempt, figures.excluded_suspended
    silent = figures.excluded_exempt_silent
    if temp_out:
        parts.append(f"{temp_out} đồng chí sinh hoạt tạm thời nơi khác")
    if exempt_absent:
        parts.append(f"{exempt_absent} đồng chí được miễn công tác và sinh hoạt đảng không có mặt")
    if silent:
        parts.append(f"{silent} đồng chí được miễn công tác và sinh hoạt đảng có mặt nhưng không biểu quyết")
    if suspended:
        parts.append(f"{suspended} đồng chí đang bị đình chỉ sinh hoạt đảng")
    if temp_out + exempt_absent + silent + suspended != official - den or not parts:
        parts = [f"{official - den} đồng chí không tính theo quy định"]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]
    return (f"Tỷ lệ biểu quyết tính trên {den} đảng viên chính thức ({official} đảng viên chính thức, trừ "
            f"{listed}{counted}).")


def _ints(vote: dict[str, Any]) -> tuple[int, int, int]:
    return int(vote["for"]), int(vote.get("against") or 0), int(vote.get("abstain") or 0)


def meeting_votes(data: dict[str, Any], figures: MeetingFigures, main_subject: str,
                  main_type: str = "resolution") -> list[MeetingVote]:
    """The sitting's votes in the order the input gives them: ``vote`` then ``votes``."""
    out: list[MeetingVote] = []
    vote = data.get("vote")
    if vote:
        kind = "admission" if vote.get("special") and main_type not in TWO_THIRDS_TYPES else main_type
        subject = line(vote.get("subject")) or main_subject
        out.append(MeetingVote("vote", subject, kind, vote_result(*_ints(vote), figures.denominator,
                                                                   kind in TWO_THIRDS_TYPES)))
    for i, item in enumerate(data.get("votes") or []):
        kind = str(item.get("type") or "other")
        out.append(MeetingVote(f"votes[{i}]", line(item.get("subject")), kind,
                               vote_result(*_ints(item), figures.denominator, kind in TWO_THIRDS_TYPES)))
    return out


def vote_context(vote: MeetingVote) -> dict[str, Any]:
    r = vote.result
    return {"subject": vote.subject, "type": vote.type, "votes_for": r.votes_for, "against": r.against,
            "abstain": r.abstain, "denominator": r.denominator, "rate_text": r.rate_text,
            "percent_text": r.percent_text, "passed": r.passed, "special": r.special,
            "result_text": "thông qua" if r.passed else "không thông qua", "outcome_text": outcome_text(r),
            "tail_text": tail_text(r), "sentence": vote.sentence}
