"""Member status on a date (docs/input-format.md, "Status of a member on a date D")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from docgen.i18n import Msg
from docgen.model.profile import Member, Period, Profile
from docgen.vn.text import fold


@dataclass(frozen=True)
class MemberStatus:
    """Where one member stands on one day."""

    member: Member
    counted: bool  # in the cell's totals (a member of this cell on that day)
    official: bool
    probationary: bool
    exempt: bool
    temp_out: bool
    temp_in: bool  # from another cell, attending here temporarily
    suspended: bool = False  # đình chỉ sinh hoạt đảng: counted, not summoned

    @property
    def id(self) -> str:
        return self.member.id

    @property
    def expected(self) -> bool:
        """Summoned to the meeting: counted, not temporarily out, not exempt, not suspended."""
        return self.counted and not self.temp_out and not self.exempt and not self.suspended


def _covered(periods: tuple[Period, ...], day: dt.date) -> Period | None:
    for period in periods:
        if period.covers(day):
            return period
    return None


def is_member_on(member: Member, day: dt.date) -> bool:
    """Admitted on or before ``day`` and not yet left."""
    return member.admitted <= day and (member.left is None or day < member.left)


def is_official_on(member: Member, day: dt.date) -> bool:
    """An official member on ``day``: official from ``official`` (the end of probation), but
    only once the recognition was decided (``official_decided``, when given)."""
    if member.official is None or member.official > day:
        return False
    return member.official_decided is None or member.official_decided <= day


def status_on(member: Member, day: dt.date) -> MemberStatus:
    """The member's status on ``day``; not counted before admission or after leaving."""
    here = is_member_on(member, day)
    if member.home_cell:
        temp_in = here and _covered(member.temporary_in, day) is not None
        return MemberStatus(member, False, False, False, False, False, temp_in)
    official = here and is_official_on(member, day)
    return MemberStatus(
        member=member,
        counted=here,
        official=official,
        probationary=here and not official,
        exempt=here and _covered(member.exempt, day) is not None,
        temp_out=here and _covered(member.temporary_out, day) is not None,
        temp_in=False,
        suspended=here and _covered(member.suspended, day) is not None,
    )


def roster_on(profile: Profile, day: dt.date) -> tuple[MemberStatus, ...]:
    """Every roster entry's status on ``day`` (including the uncounted ones)."""
    return tuple(status_on(m, day) for m in profile.members)


def counted_on(profile: Profile, day: dt.date) -> tuple[MemberStatus, ...]:
    """The cell's members on ``day`` (its totals)."""
    return tuple(s for s in roster_on(profile, day) if s.counted)


def temp_in_on(profile: Profile, day: dt.date) -> tuple[MemberStatus, ...]:
    """Members of other cells attending here temporarily on ``day``."""
    return tuple(s for s in roster_on(profile, day) if s.temp_in)


@dataclass(frozen=True)
class RosterTotals:
    """The cell's counts on a day (domain reference §2.6 "member counts")."""

    total: int
    official: int
    probationary: int
    exempt: int
    temp_out: int
    temp_in: int
    expected: int  # summoned: counted, not exempt, not temporarily out, not suspended
    suspended: int = 0  # đình chỉ sinh hoạt đảng (counted in the total)


def totals_of(statuses: tuple[MemberStatus, ...]) -> RosterTotals:
    """Counts over ``statuses`` (as returned by ``roster_on``)."""
    counted = [s for s in statuses if s.counted]
    return RosterTotals(
        total=len(counted),
        official=sum(s.official for s in counted),
        probationary=sum(s.probationary for s in counted),
        exempt=sum(s.exempt for s in counted),
        temp_out=sum(s.temp_out for s in counted),
        temp_in=sum(s.temp_in for s in statuses),
        expected=sum(s.expected for s in counted),
        suspended=sum(s.suspended for s in counted),
    )


def exempt_reason(member: Member, day: dt.date) -> str:
    period = _covered(member.exempt, day)
    return period.note if period else ""


def suspended_reason(member: Member, day: dt.date) -> str:
    period = _covered(member.suspended, day)
    return period.note if period else ""


def temp_out_where(member: Member, day: dt.date) -> str:
    period = _covered(member.temporary_out, day)
    return period.note if period else ""


# --- Members by name as well as id ------------------------------------------------

_SYLLABLE = re.compile(r"[^\W_]+")
_TITLES = ("đồng chí ", "đ/c ", "đ/c.", "đc ", "đc.")
SUGGESTIONS = 5
_CLOSE_NAME = 0.75  # difflib ratios: "nguyen van anh" ~ "nguyen van an", not ~ "ngo van khanh"
_CLOSE_ID = 0.6  # "m77" ~ "m07", "m17"


def name_key(text: str) -> str:
    """The form names are compared in: folded (accents, case, đ → d), punctuation and
    spacing ignored, a leading "đồng chí" / "đ/c" dropped: "Đ/c Nguyễn Văn  An" → "nguyen van an"."""
    lowered = " ".join(str(text).split()).casefold()
    for title in _TITLES:
        if lowered.startswith(title) and lowered[len(title):].strip():
            lowered = lowered[len(title):]
            break
    return " ".join(_SYLLABLE.findall(fold(lowered)))


def member_label(member: Member) -> str:
    """"m01 — Nguyễn Văn An", how a roster entry is listed in a message."""
    return f"{member.id} — {member.name}"


@dataclass(frozen=True)
class MemberMatch:
    """What a member reference (id, full name, or given name alone) names.

    ``member`` is set for a unique match; ``candidates`` lists the members an ambiguous
    name fits (two "Nguyễn Văn An"), empty when nothing matched.
    """

    member: Member | None
    by: str  # "id" | "name" | "given" | "" (no unique match)
    candidates: tuple[Member, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.member is None and len(self.candidates) > 1


def _narrow(found: list[Member], day: dt.date | None) -> list[Member]:
    """Of several members with one name, those attending the cell on ``day`` (if any)."""
    if len(found) < 2 or day is None:
        return found
    here = [m for m in found if status_on(m, day).counted or status_on(m, day).temp_in]
    return here or found


def find_member(profile: Profile, text: str, day: dt.date | None = None) -> MemberMatch:
    """The roster entry ``text`` names: its id, its full name (accents and case ignored),
    or its given name alone when only one member has it. With ``day``, a name shared by a
    member of the cell on that day and one who had left (or not yet joined) means the
    former."""
    text = str(text).strip()
    exact = profile.member(text)
    if exact is not None:
        return MemberMatch(exact, "id")
    key = name_key(text)
    if not key:
        return MemberMatch(None, "")
    found = _narrow([m for m in profile.members if name_key(m.name) == key], day)
    if len(found) == 1:
        return MemberMatch(found[0], "name")
    if found:
        return MemberMatch(None, "", tuple(found))
    if " " not in key:
        given = _narrow([m for m in profile.members if name_key(m.name).rsplit(" ", 1)[-1] == key], day)
        if len(given) == 1:
            return MemberMatch(given[0], "given")
        if given:
            return MemberMatch(None, "", tuple(given))
    return MemberMatch(None, "")


def closest_members(profile: Profile, text: str, limit: int = SUGGESTIONS) -> tuple[Member, ...]:
    """Up to ``limit`` roster entries whose id, name or given name is closest to ``text``."""
    key, raw = name_key(text), str(text).strip().casefold()
    scored: list[tuple[float, int, Member]] = []
    for order, member in enumerate(profile.members):
        full = name_key(member.name)
        ratios = [(SequenceMatcher(None, key, full).ratio(), _CLOSE_NAME),
                  (SequenceMatcher(None, raw, member.id).ratio(), _CLOSE_ID)]
        if key and " " not in key:
            ratios.append((SequenceMatcher(None, key, full.rsplit(" ", 1)[-1]).ratio(), _CLOSE_NAME))
        score = max((r for r, cutoff in ratios if r >= cutoff), default=0.0)
        if score:
            scored.append((-score, order, member))
    return tuple(m for _, _, m in sorted(scored, key=lambda s: (s[0], s[1]))[:limit])


def members_text(members: tuple[Member, ...] | list[Member]) -> str:
    """"m01 — Nguyễn Văn An; m14 — Nguyễn Văn An"."""
    return "; ".join(member_label(m) for m in members)


def member_hint(profile: Profile, text: str) -> Msg:
    """"gần giống: m01 — Nguyễn Văn An; …" for an unknown id or name, or where to look."""
    close = closest_members(profile, text)
    if close:
        return Msg(f"gần giống: {members_text(close)}; ghi đúng họ tên hoặc mã đảng viên",
                   f"closest: {members_text(close)}; write the full name or the member id")
    return Msg("ghi họ tên như trong hồ sơ chi bộ hoặc mã đảng viên (xem docgen roster)",
               "write the name as in the profile or the member id (see docgen roster)")
