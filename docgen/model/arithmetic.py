"""Party arithmetic: meeting figures from the roster, vote results (QĐ 294 điểm 9.3.2).

Pure functions. The denominator of a chi bộ vote is the number of official members,
minus those temporarily transferred to another cell, minus exempt members who are not
present (exempt members who attend and vote count; ``exempt_not_voting`` lists those who
attend without voting), minus members suspended from Party activities (đình chỉ sinh hoạt
đảng: QĐ 24's list, unconfirmed for QĐ 294, so ``suspended_in_denominator`` in docgen.toml
can keep them in). Probationary members never vote. A
resolution passes when votes for are more than half the denominator; admission and
conversion to official membership need two thirds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docgen.i18n import Msg
from docgen.model.profile import Member, Period, Profile
from docgen.model.roster import (
    MemberStatus,
    member_hint,
    roster_on,
    suspended_reason,
    temp_out_where,
    totals_of,
)
from docgen.vn.dates import vn_date
from docgen.vn.numbers import percent_vi

if TYPE_CHECKING:
    from docgen.config import Settings


@dataclass(frozen=True)
class Absence:
    member: str  # roster id
    reason: str | None = None


@dataclass(frozen=True)
class Issue:
    """One problem or warning, with the field path it concerns."""

    field: str
    message: Msg
    hint: Msg | None = None


@dataclass(frozen=True)
class MeetingFigures:
    """Attendance figures of one meeting, all computed from the roster on its date."""

    total: int
    official: int
    probationary: int
    exempt: int
    temp_out: int
    temp_in: int
    present: int
    present_official: int
    present_probationary: int
    absent_with_reason: tuple[tuple[str, str], ...]  # (name, reason)
    absent_without_reason: tuple[str, ...]  # names
    denominator: int
    voters_present: int
    exempt_present: tuple[str, ...] = ()  # names of exempt members who attended
    temp_in_present: tuple[str, ...] = ()  # names of members from other cells who attended
    exempt_names: tuple[str, ...] = ()
    temp_out_names: tuple[str, ...] = ()
    present_ids: frozenset[str] = frozenset()
    voter_ids: frozenset[str] = frozenset()  # official members present who vote
    suspended: int = 0  # đình chỉ sinh hoạt đảng: in the total, not summoned, never absent
    suspended_names: tuple[str, ...] = ()
    exempt_present_not_voting: tuple[str, ...] = ()  # names: exempt, present, not voting (in exempt_present too)
    # Official members left out of the denominator, by why (explained once in the text):
    excluded_temp_out: int = 0  # sinh hoạt tạm thời nơi khác
    excluded_exempt: int = 0  # miễn công tác và sinh hoạt đảng, not present
    excluded_exempt_silent: int = 0  # miễn công tác và sinh hoạt đảng, present without voting
    excluded_suspended: int = 0  # đình chỉ sinh hoạt đảng

    @property
    def absent(self) -> int:
        return len(self.absent_with_reason) + len(self.absent_without_reason)

    @property
    def present_summoned(self) -> int:
        """Members present who were summoned (exempt members who came were not)."""
        return self.present - len(self.exempt_present)

    @property
    def summoned(self) -> int:
        """Members summoned (triệu tập): counted, not exempt, not temporarily out, not suspended."""
        return self.present_summoned + self.absent

    @property
    def attendance_percent(self) -> str:
        """Present among those summoned, "93,3%"."""
        return percent_vi(self.present, self.present + self.absent)


@dataclass(frozen=True)
class VoteResult:
    votes_for: int
    against: int
    abstain: int
    denominator: int
    special: bool
    passed: bool
    rate_text: str  # "14/15 đồng chí tán thành, đạt 93,3%"
    percent_text: str  # "93,3%"

    @property
    def threshold_text(self) -> str:
        return "ít nhất hai phần ba" if self.special else "hơn một nửa"


def vote_result(votes_for: int, against: int, abstain: int, denominator: int,
                special: bool = False) -> VoteResult:
    """Whether a vote passes and the sentence fragment that states the arithmetic."""
    if special:
        passed = denominator > 0 and votes_for * 3 >= denominator * 2
    else:
        passed = votes_for * 2 > denominator
    percent = percent_vi(votes_for, denominator)
    reached = "đạt" if passed else "chỉ đạt"
    rate = f"{votes_for}/{denominator} đồng chí tán thành, {reached} {percent}"
    return VoteResult(votes_for, against, abstain, denominator, special, passed, rate, percent)


def rating_for(points: float) -> str:
    """Self-score class (HD 42 practice): Tốt ≥ 90, Khá ≥ 70, Trung bình ≥ 50, Kém."""
    if points >= 90:
        return "Tốt"
    if points >= 70:
        return "Khá"
    if points >= 50:
        return "Trung bình"
    return "Kém"


def _name(statuses: dict[str, MemberStatus], member_id: str) -> str:
    return statuses[member_id].member.name


def who(member: Member) -> str:
    """"Đinh Văn Phúc (t01)": a roster entry in a message, by name and id."""
    return f"{member.name} ({member.id})"


def periods_text(periods: Sequence[Period]) -> Msg | None:
    """"từ 1/10/2025 đến 30/9/2026; từ 1/1/2027 (chưa kết thúc)" / "from … to …"; None for none."""
    if not periods:
        return None
    vi = [f"từ {vn_date(p.start)} đến {vn_date(p.end)}" if p.end else f"từ {vn_date(p.start)} (chưa kết thúc)"
          for p in periods]
    en = [f"from {vn_date(p.start)} to {vn_date(p.end)}" if p.end else f"from {vn_date(p.start)} (still open)"
          for p in periods]
    return Msg("; ".join(vi), "; ".join(en))


def _membership_dates(member: Member) -> Msg:
    """"ngày kết nạp 2/9/2025, ngày chuyển đi 1/2/2026" as the profile has them."""
    vi, en = [f"ngày kết nạp {vn_date(member.admitted)}"], [f"admitted {vn_date(member.admitted)}"]
    if member.left:
        vi.append(f"ngày chuyển đi {vn_date(member.left)}")
        en.append(f"left {vn_date(member.left)}")
    return Msg(", ".join(vi), ", ".join(en))


def _unknown_id(path: str, member_id: str, profile: Profile) -> Issue:
    return Issue(path, Msg(f"không có đảng viên mã \"{member_id}\" trong danh sách đảng viên",
                           f"no member with id \"{member_id}\" on the roster"),
                 member_hint(profile, member_id))


def _not_a_member(path: str, status: MemberStatus, day: dt.date) -> Issue:
    member = status.member
    if member.home_cell:
        return Issue(path, Msg(f"đồng chí {who(member)} là đảng viên {member.home_cell}, không phải đảng viên "
                               f"của chi bộ vào ngày {vn_date(day)}",
                               f"{who(member)} belongs to {member.home_cell}, not to this cell, on {vn_date(day)}"),
                     Msg("đảng viên nơi khác sinh hoạt tạm thời có mặt thì ghi vào temporary_in_present; "
                         "vắng thì không ghi",
                         "list members of other cells who attended under temporary_in_present; "
                         "do not list them as absent"))
    dates = _membership_dates(member)
    return Issue(path, Msg(f"đồng chí {who(member)} không phải đảng viên của chi bộ vào ngày {vn_date(day)} "
                           f"(hồ sơ: {dates.vi})",
                           f"{who(member)} is not a member of the cell on {vn_date(day)} (profile: {dates.en})"),
                 Msg("sửa ngày họp, hoặc admitted/left trong profile.yaml, hoặc xóa khỏi danh sách vắng",
                     "fix the meeting date, or admitted/left in profile.yaml, or remove the absentee"))


def _not_exempt(path: str, status: MemberStatus, day: dt.date) -> Issue:
    member = status.member
    periods = periods_text(member.exempt)
    message = Msg(f"đồng chí {who(member)} không được miễn sinh hoạt vào ngày họp {vn_date(day)}",
                  f"{who(member)} is not exempt on the meeting date {vn_date(day)}")
    if not status.counted:
        dates = _membership_dates(member)
        message = Msg(f"đồng chí {who(member)} không phải đảng viên của chi bộ vào ngày họp {vn_date(day)} "
                      f"(hồ sơ: {dates.vi})",
                      f"{who(member)} is not a member of the cell on the meeting date {vn_date(day)} "
                      f"(profile: {dates.en})")
    if periods:
        found = Msg(f"thời kỳ miễn sinh hoạt trong hồ sơ: {periods.vi}", f"exemption periods in the profile: {periods.en}")
    else:
        found = Msg(f"hồ sơ không ghi thời kỳ miễn sinh hoạt (exempt) nào của {member.id}",
                    f"the profile lists no exemption period (exempt) for {member.id}")
    return Issue(path, message, Msg(
        f"{found.vi}; chỉ ghi ở đây đảng viên đang được miễn (người không được miễn có mặt thì không cần ghi), "
        f"hoặc sửa exempt của {member.id} trong profile.yaml",
        f"{found.en}; list here only members exempt on that day (others who attend need no entry), "
        f"or fix exempt of {member.id} in profile.yaml"))


def _not_temporary(path: str, status: MemberStatus, day: dt.date) -> Issue:
    member = status.member
    if not member.home_cell:
        return Issue(path, Msg(f"đồng chí {who(member)} là đảng viên của chi bộ, không phải đảng viên nơi khác "
                               "sinh hoạt tạm thời",
                               f"{who(member)} is a member of this cell, not of another cell attending here"),
                     Msg("xóa khỏi danh sách này: đảng viên của chi bộ có mặt được tính từ hồ sơ (chỉ ghi người vắng)",
                         "remove from this list: the cell's own members present come from the roster "
                         "(list only the absent)"))
    periods = periods_text(member.temporary_in)
    if periods:
        found = Msg(f"thời kỳ sinh hoạt tạm thời tại chi bộ trong hồ sơ: {periods.vi}",
                    f"periods attending here in the profile: {periods.en}")
    else:
        found = Msg(f"hồ sơ không ghi thời kỳ sinh hoạt tạm thời tại chi bộ (temporary_in) nào của {member.id}",
                    f"the profile lists no period attending here (temporary_in) for {member.id}")
    dates = _membership_dates(member)
    if any(p.covers(day) for p in member.temporary_in):  # in a period, but not a Party member on that day
        found = Msg(f"{found.vi}; {dates.vi}", f"{found.en}; {dates.en}")
    return Issue(path, Msg(f"đồng chí {who(member)} không sinh hoạt tạm thời tại chi bộ vào ngày họp {vn_date(day)}",
                           f"{who(member)} is not attending here temporarily on the meeting date {vn_date(day)}"),
                 Msg(f"{found.vi}; sửa ngày họp, hoặc temporary_in của {member.id} trong profile.yaml, "
                     "hoặc xóa khỏi danh sách này",
                     f"{found.en}; fix the meeting date, or temporary_in of {member.id} in profile.yaml, "
                     "or remove from this list"))


def _suspended(path: str, status: MemberStatus, day: dt.date, absent: bool) -> Issue:
    member = status.member
    reason = suspended_reason(member, day)
    why = f" ({reason})" if reason else ""
    if absent:
        return Issue(path, Msg(f"đồng chí {who(member)} đang bị đình chỉ sinh hoạt đảng{why} vào ngày "
                               f"{vn_date(day)}, không được triệu tập nên không tính là vắng",
                               f"{who(member)} is suspended from Party activities{why} on {vn_date(day)}, "
                               "is not summoned and so is not absent"),
                     Msg("xóa khỏi danh sách vắng (số đảng viên bị đình chỉ tự tính từ hồ sơ), hoặc sửa "
                         f"suspended của {member.id} trong profile.yaml",
                         "remove from the absentees (the suspended are counted from the roster), or fix "
                         f"suspended of {member.id} in profile.yaml"))
    return Issue(path, Msg(f"đồng chí {who(member)} đang bị đình chỉ sinh hoạt đảng{why} vào ngày "
                           f"{vn_date(day)}, không dự sinh hoạt chi bộ",
                           f"{who(member)} is suspended from Party activities{why} on {vn_date(day)} and "
                           "does not attend"),
                 Msg(f"xóa khỏi danh sách này, hoặc sửa suspended của {member.id} trong profile.yaml",
                     f"remove from this list, or fix suspended of {member.id} in profile.yaml"))


def _check_exempt_list(path: str, ids: Sequence[str], statuses: dict[str, MemberStatus], absent: set[str],
                       profile: Profile, day: dt.date) -> list[Issue]:
    issues: list[Issue] = []
    for i, member_id in enumerate(ids):
        item = f"{path}[{i}]"
        status = statuses.get(member_id)
        if status is None:
            issues.append(_unknown_id(item, member_id, profile))
        elif status.counted and status.suspended:
            issues.append(_suspended(item, status, day, absent=False))
        elif not status.exempt:
            issues.append(_not_exempt(item, status, day))
        elif member_id in absent:
            issues.append(Issue(item, Msg(f"đồng chí {who(status.member)} vừa có mặt vừa vắng",
                                          f"{who(status.member)} is both present and absent"),
                                Msg("xóa một trong hai", "remove one of them")))
    return issues


def attendance_issues(profile: Profile, day: dt.date, absent: Sequence[Absence],
                      exempt_present: Sequence[str], temp_in_present: Sequence[str], *,
                      exempt_not_voting: Sequence[str] = ()) -> list[Issue]:
    """Impossible attendance: unknown absentees, non-members, duplicates, wrong lists.

    Members are named by name and id ("đồng chí Đinh Văn Phúc (t01)"), whatever was
    written (the resolve step has turned names into ids), with the profile's dates.
    ``exempt_not_voting`` (exempt members present who do not vote) is checked like
    ``exempt_present``, its problems under ``exempt_not_voting[i]``; a member may be in
    both lists."""
    statuses = {s.id: s for s in roster_on(profile, day)}
    issues: list[Issue] = []
    seen: set[str] = set()
    for i, item in enumerate(absent):
        path = f"absent[{i}].member"
        status = statuses.get(item.member)
        if status is None:
            issues.append(_unknown_id(path, item.member, profile))
            continue
        name = who(status.member)
        if item.member in seen:
            issues.append(Issue(path, Msg(f"đồng chí {name} bị ghi vắng hai lần",
                                          f"{name} is listed absent twice"),
                                Msg("xóa dòng trùng", "remove the duplicate line")))
        seen.add(item.member)
        if not status.counted:
            issues.append(_not_a_member(path, status, day))
        elif status.suspended:
            issues.append(_suspended(path, status, day, absent=True))
        elif status.temp_out:
            where = temp_out_where(status.member, day)
            at = (f" ({where})", f" ({where})") if where else ("", "")
            issues.append(Issue(path, Msg(f"đồng chí {name} đang sinh hoạt tạm thời nơi khác{at[0]}, "
                                          "không tính là vắng",
                                          f"{name} is temporarily in another cell{at[1]} and is not absent"),
                                Msg("xóa khỏi danh sách vắng (số liệu tự tính từ hồ sơ)",
                                    "remove from the absentees (figures come from the roster)")))
        elif status.exempt and item.member not in exempt_present and item.member not in exempt_not_voting:
            issues.append(Issue(path, Msg(f"đồng chí {name} được miễn sinh hoạt, không tính là vắng",
                                          f"{name} is exempt and is not absent"),
                                Msg("xóa khỏi danh sách vắng", "remove from the absentees")))
    issues += _check_exempt_list("exempt_present", exempt_present, statuses, seen, profile, day)
    issues += _check_exempt_list("exempt_not_voting", exempt_not_voting, statuses, seen, profile, day)
    for i, member_id in enumerate(temp_in_present):
        path = f"temporary_in_present[{i}]"
        status = statuses.get(member_id)
        if status is None:
            issues.append(_unknown_id(path, member_id, profile))
        elif not status.temp_in:
            issues.append(_not_temporary(path, status, day))
    return issues


def _in_denominator(status: MemberStatus, voting_exempt: set[str], suspended_in_denominator: bool) -> bool:
    """QĐ 294 điểm 9.3.2: official members summoned, minus those temporarily elsewhere, minus
    exempt members who do not attend and vote, minus (QĐ 24's list) the suspended."""
    if not status.official or status.temp_out:
        return False
    if status.exempt:
        return status.id in voting_exempt and not status.suspended
    return suspended_in_denominator or not status.suspended


def meeting_figures(profile: Profile, day: dt.date, absent: Sequence[Absence],
                    exempt_present: Sequence[str] = (), temp_in_present: Sequence[str] = (), *,
                    exempt_not_voting: Sequence[str] = (),
                    suspended_in_denominator: bool = False) -> MeetingFigures:
    """The figures of a meeting on ``day`` (inputs already checked by attendance_issues).

    ``exempt_not_voting``: exempt members present who do not vote (present, in
    ``exempt_present`` and ``exempt_present_not_voting``, not in the denominator nor
    ``voter_ids``; listing them in ``exempt_present`` as well changes nothing). Suspended
    members are in the totals, never present or absent, and out of the denominator unless
    ``suspended_in_denominator`` (docgen.toml)."""
    statuses = {s.id: s for s in roster_on(profile, day)}
    totals = totals_of(tuple(statuses.values()))
    counted = [s for s in statuses.values() if s.counted]
    absent_ids = {a.member for a in absent}
    attending_exempt = set(exempt_present) | set(exempt_not_voting)
    silent = {s.id for s in counted if s.exempt and s.id in set(exempt_not_voting)}
    present = [s for s in counted if not s.temp_out and not s.suspended
               and (not s.exempt or s.id in attending_exempt) and s.id not in absent_ids]
    with_reason = tuple((_name(statuses, a.member), a.reason) for a in absent if a.reason)
    without = tuple(_name(statuses, a.member) for a in absent if not a.reason)
    denominator = sum(1 for s in counted
                      if _in_denominator(s, attending_exempt - silent, suspended_in_denominator))
    voters = frozenset(s.id for s in present if s.official and s.id not in silent)
    temp_in_ids = set(temp_in_present)
    left_out = [s for s in counted if s.official
                and not _in_denominator(s, attending_exempt - silent, suspended_in_denominator)]
    return MeetingFigures(
        total=totals.total,
        official=totals.official,
        probationary=totals.probationary,
        exempt=totals.exempt,
        temp_out=totals.temp_out,
        temp_in=totals.temp_in,
        present=len(present),
        present_official=sum(1 for s in present if s.official),
        present_probationary=sum(1 for s in present if s.probationary),
        absent_with_reason=with_reason,
        absent_without_reason=without,
        denominator=denominator,
        voters_present=len(voters),
        exempt_present=tuple(s.member.name for s in present if s.exempt),
        temp_in_present=tuple(s.member.name for s in statuses.values() if s.temp_in and s.id in temp_in_ids),
        exempt_names=tuple(s.member.name for s in counted if s.exempt),
        temp_out_names=tuple(s.member.name for s in counted if s.temp_out),
        present_ids=frozenset(s.id for s in present),
        voter_ids=voters,
        suspended=totals.suspended,
        suspended_names=tuple(s.member.name for s in counted if s.suspended),
        exempt_present_not_voting=tuple(s.member.name for s in present if s.id in silent),
        excluded_temp_out=sum(1 for s in left_out if s.temp_out),
        excluded_exempt=sum(1 for s in left_out if not s.temp_out and s.exempt and s.id not in silent),
        excluded_exempt_silent=sum(1 for s in left_out if not s.temp_out and s.exempt and s.id in silent),
        excluded_suspended=sum(1 for s in left_out if not s.temp_out and not s.exempt and s.suspended),
    )


def attendance_warnings(figures: MeetingFigures, settings: Settings) -> list[Msg]:
    """Attendance that does not stop the document but should be checked (the quorum rule of
    a monthly meeting is unconfirmed [U], so every limit is a docgen.toml setting; 0 turns
    it off): fewer official members than ``min_official_members`` in the cell (Điều lệ Đảng
    Điều 24.1: from 3), fewer of those summoned present than ``min_attendance_percent``
    (practice, not a confirmed rule), no official member present to vote."""
    out: list[Msg] = []
    least = settings.min_official_members
    if least and figures.official < least:
        out.append(Msg(
            f"chi bộ chỉ có {figures.official} đảng viên chính thức vào ngày họp, dưới mức {least} đặt trong "
            "docgen.toml (min_official_members; Điều lệ Đảng Điều 24.1: chi bộ có từ 3 đảng viên chính thức "
            "trở lên)",
            f"the cell has only {figures.official} official members on the meeting date, below the {least} set "
            "in docgen.toml (min_official_members; Party Charter art. 24.1: a cell has at least 3 official "
            "members)"))
    share, present, summoned = settings.min_attendance_percent, figures.present_summoned, figures.summoned
    if share and summoned and present * 100 < share * summoned:
        percent = percent_vi(present, summoned)
        out.append(Msg(
            f"chỉ có {present}/{summoned} đồng chí được triệu tập có mặt ({percent}), dưới mức {share}% đặt "
            "trong docgen.toml (min_attendance_percent)",
            f"only {present}/{summoned} of the members summoned are present ({percent}), below the {share}% "
            "set in docgen.toml (min_attendance_percent)"))
    if figures.present_official == 0:
        out.append(Msg("không có đảng viên chính thức nào có mặt: buổi họp không thể biểu quyết, "
                       "thông qua nghị quyết",
                       "no official member is present: the meeting cannot vote or pass a resolution"))
    elif figures.voters_present == 0:
        out.append(Msg("các đảng viên chính thức có mặt đều không biểu quyết: buổi họp không thể "
                       "thông qua nghị quyết",
                       "none of the official members present votes: the meeting cannot pass a resolution"))
    return out


def vote_issues(figures: MeetingFigures, profile: Profile, day: dt.date, votes_for: int, against: int,
                abstain: int, voters: Sequence[str] | None, path: str = "vote") -> list[Issue]:
    """Impossible votes: more votes than voters present, probationary or absent voters."""
    issues: list[Issue] = []
    cast = votes_for + against + abstain
    if cast > figures.voters_present:
        issues.append(Issue(f"{path}.for", Msg(
            f"tổng số phiếu ({votes_for} + {against} + {abstain} = {cast}) lớn hơn số đảng viên chính thức có mặt ({figures.voters_present})",
            f"votes cast ({votes_for} + {against} + {abstain} = {cast}) exceed the official members present ({figures.voters_present})"),
            Msg("đảng viên dự bị không biểu quyết; sửa số phiếu hoặc danh sách vắng",
                "probationary members do not vote; fix the counts or the absentees")))
    statuses = {s.id: s for s in roster_on(profile, day)}
    for i, voter in enumerate(voters or ()):
        vpath = f"{path}.voters[{i}]"
        status = statuses.get(voter)
        if status is None:
            issues.append(Issue(vpath, Msg(f"không có đảng viên mã \"{voter}\"", f"no member with id \"{voter}\""),
                                member_hint(profile, voter)))
        elif status.probationary:
            issues.append(Issue(vpath, Msg(f"đồng chí {who(status.member)} là đảng viên dự bị, không có quyền biểu quyết",
                                           f"{who(status.member)} is a probationary member and cannot vote"),
                                Msg("xóa đảng viên dự bị khỏi danh sách biểu quyết",
                                    "remove probationary members from the voters")))
        elif voter not in figures.voter_ids:
            issues.append(Issue(vpath, Msg(f"đồng chí {who(status.member)} không có mặt (hoặc không thuộc chi bộ) nên không thể biểu quyết",
                                           f"{who(status.member)} was not present (or not in the cell) and cannot vote"),
                                Msg("xóa khỏi danh sách biểu quyết hoặc khỏi danh sách vắng",
                                    "remove from the voters or from the absentees")))
    if voters and cast > len(voters):
        issues.append(Issue(f"{path}.for", Msg(
            f"tổng số phiếu ({cast}) lớn hơn danh sách người biểu quyết ({len(voters)})",
            f"votes cast ({cast}) exceed the listed voters ({len(voters)})"),
            Msg("sửa số phiếu hoặc danh sách voters", "fix the counts or the voters list")))
    return issues


def duration_minutes(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def duration_warning(minutes: int, minimum: int, combined: bool) -> Msg | None:
    if minutes >= minimum:
        return None
    what_vi = "sinh hoạt thường kỳ kết hợp chuyên đề" if combined else "buổi sinh hoạt"
    what_en = "a combined regular and topical sitting" if combined else "a meeting"
    return Msg(f"buổi họp chỉ kéo dài {minutes} phút; {what_vi} cần ít nhất {minimum} phút (HD 42-HD/BTCTW)",
               f"the meeting lasted only {minutes} minutes; {what_en} needs at least {minimum} (HD 42-HD/BTCTW)")


def vote_warning(result: VoteResult) -> Msg | None:
    if result.passed:
        return None
    need_vi = "ít nhất 2/3" if result.special else "hơn một nửa"
    need_en = "at least 2/3" if result.special else "more than half"
    return Msg(f"nghị quyết KHÔNG được thông qua: {result.rate_text}, cần {need_vi} của {result.denominator} đảng viên chính thức",
               f"the resolution does NOT pass: {result.votes_for}/{result.denominator} for ({result.percent_text}), "
               f"needs {need_en} of {result.denominator} official members")


def missing_quarters(quarters: Sequence[int | None], plan_quarter: int | None) -> list[int]:
    """Quarters of a yearly plan (or the plan's own quarter) with no topical session."""
    wanted = [plan_quarter] if plan_quarter else [1, 2, 3, 4]
    have = {q for q in quarters if q}
    return [q for q in wanted if q not in have]
