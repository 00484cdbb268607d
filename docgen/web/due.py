"""What a cell has to file now: this month's minutes and resolution, this quarter's
topical session (HD 12: a regular meeting and its resolution every month, a topical
session at least once a quarter).

Pure functions over what the Reader returned (the cell's papers, ``ArchivedDoc``) and the
cell's drafts in progress (``docgen.web.drafts.Draft``), for a given day: nothing here
reads the archive, the clock or a request. A paper counts for a period by its date; a
withdrawn paper does not count; a paper filed as a draft (DỰ THẢO, no number yet) or a
draft being written in the browser makes the item "in progress", not done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docgen.i18n import Msg
from docgen.kinds import KINDS
from docgen.model.meta import ArchivedDoc
from docgen.vn.dates import parse_user_date
from docgen.vn.numbers import roman
from docgen.web.drafts import Draft

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
DONE, IN_PROGRESS, MISSING = "done", "in-progress", "missing"
STATES = {
    DONE: Msg("đã có", "filed"),
    IN_PROGRESS: Msg("đang soạn", "in progress"),
    MISSING: Msg("chưa có", "not yet"),
}


@dataclass(frozen=True)
class Period:
    """A month or a quarter: its first and last day and how it is named."""

    start: dt.date
    end: dt.date
    name: Msg  # "tháng 3/2026", "quý I/2026"

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def days_left(self, today: dt.date) -> int:
        """Days from ``today`` to the period's last day (0 on the last day, negative after)."""
        return (self.end - today).days


def month_period(day: dt.date) -> Period:
    start = day.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return Period(start, following - dt.timedelta(days=1),
                  Msg(f"tháng {day.month}/{day.year}", f"{MONTHS_EN[day.month - 1]} {day.year}"))


def quarter_period(day: dt.date) -> Period:
    quarter = (day.month - 1) // 3 + 1
    start = dt.date(day.year, 3 * quarter - 2, 1)
    last_month = dt.date(day.year, 3 * quarter, 1)
    end = (last_month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return Period(start, end, Msg(f"quý {roman(quarter)}/{day.year}", f"Q{quarter} {day.year}"))


@dataclass(frozen=True)
class DueItem:
    """One paper the cell owes for a period, and what of it exists."""

    kind: str  # the kind id that fulfils it
    what: Msg  # "Biên bản sinh hoạt chi bộ thường kỳ"
    period: Period
    papers: tuple[ArchivedDoc, ...]  # current papers of the kind dated in the period
    drafts: tuple[Draft, ...]  # drafts of the kind being written for the period

    @property
    def final(self) -> tuple[ArchivedDoc, ...]:
        """The papers that fulfil it: filed, not drafts."""
        return tuple(d for d in self.papers if not d.meta.draft)

    @property
    def state(self) -> str:
        if self.final:
            return DONE
        if self.papers or self.drafts:
            return IN_PROGRESS
        return MISSING

    @property
    def done(self) -> bool:
        return self.state == DONE


def due_kinds() -> list[tuple[str, Msg, bool]]:
    """What is due, the month's before the quarter's, each in the registry's order: (kind,
    its name, monthly?) for every kind a cell owes each month or quarter (``Kind.due``)."""
    owed = [(k.name, k.label, k.due == "month") for k in KINDS.values() if k.due]
    return sorted(owed, key=lambda item: not item[2])


def window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The days whose papers ``due_items`` looks at: this quarter (it holds this month)."""
    quarter = quarter_period(today)
    return quarter.start, quarter.end


def draft_day(draft: Draft) -> dt.date | None:
    """The date a draft is for: its ``date`` field as typed, else the day it was saved."""
    for key, value in draft.fields:
        if key == "date" and value.strip():
            try:
                return parse_user_date(value)
            except ValueError:
                break
    try:
        return dt.datetime.fromisoformat(draft.saved_at).date()
    except ValueError:
        return None


def due_items(papers: Iterable[ArchivedDoc], today: dt.date,
              drafts: Iterable[Draft] = ()) -> list[DueItem]:
    """What one cell owes on ``today``: this month's minutes and resolution, this
    quarter's topical session. ``papers`` are the cell's papers (any dates: those outside
    the periods are ignored); ``drafts`` the cell's drafts in progress (amendments of a
    filed paper are not new papers and do not count)."""
    current = [d for d in papers if d.status != "withdrawn"]
    new_drafts = [d for d in drafts if not d.amends]
    items = []
    for kind, what, monthly in due_kinds():
        period = month_period(today) if monthly else quarter_period(today)
        found = tuple(sorted((d for d in current if d.meta.kind == kind and period.holds(d.meta.date)),
                             key=lambda d: d.meta.date))
        writing = tuple(d for d in new_drafts if d.kind == kind
                        and ((day := draft_day(d)) is None or period.holds(day)))
        items.append(DueItem(kind, what, period, found, writing))
    return items


def missing_count(items: Sequence[DueItem]) -> int:
    """How many of ``items`` are not done."""
    return sum(1 for item in items if not item.done)
