"""Member status on a date (docs/input-format.md, "Status of a member on a date D")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docgen.model.profile import Member, Period, Profile


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

    @property
    def id(self) -> str:
        return self.member.id

    @property
    def expected(self) -> bool:
        """Summoned to the meeting: counted, not temporarily out, not exempt."""
        return self.counted and not self.temp_out and not self.exempt


def _covered(periods: tuple[Period, ...], day: dt.date) -> Period | None:
    for period in periods:
        if period.covers(day):
            return period
    return None


def is_member_on(member: Member, day: dt.date) -> bool:
    """Admitted on or before ``day`` and not yet left."""
    return member.admitted <= day and (member.left is None or day < member.left)


def is_official_on(member: Member, day: dt.date) -> bool:
    return member.official is not None and member.official <= day


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
    expected: int  # summoned: counted, not exempt, not temporarily out


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
    )


def exempt_reason(member: Member, day: dt.date) -> str:
    period = _covered(member.exempt, day)
    return period.note if period else ""


def temp_out_where(member: Member, day: dt.date) -> str:
    period = _covered(member.temporary_out, day)
    return period.note if period else ""
