"""What a cell owes on a day (docgen.web.due): this month's minutes and resolution, this
quarter's topical session; pure functions over papers and drafts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docgen.model.meta import ArchivedDoc, DocMeta
from docgen.web.drafts import Draft
from docgen.web.due import (
    DONE,
    IN_PROGRESS,
    MISSING,
    DueItem,
    draft_day,
    due_items,
    missing_count,
    month_period,
    quarter_period,
    window,
)

CELL = "CHI BỘ THÔN AN THÀNH"
# the kinds a cell owes (Kind.due in the registry)
MINUTES, RESOLUTION, TOPICAL = "bien-ban-thuong-ky", "nghi-quyet", "bien-ban-chuyen-de"


def paper(kind: str, day: str, status: str = "current", draft: bool = False, doc_id: str = "") -> ArchivedDoc:
    date = dt.date.fromisoformat(day)
    meta = DocMeta(kind=kind, cell=CELL, superior="ĐẢNG BỘ XÃ QUANG KIM", issuer_symbol="CB",
                   type_symbol="BB", number=None if draft else 3, date=date, title=f"{kind} {day}",
                   draft=draft)
    folder = Path("/nowhere") / (doc_id or f"{kind}-{day}")
    return ArchivedDoc(id=doc_id or f"{kind}-{day}", meta=meta, version=1, status=status, folder=folder,
                       docx_path=folder / "x.docx", docx_sha256="0" * 64, created_at="", created_by="")


def draft(kind: str, fields: list[tuple[str, str]], saved_at: str = "2026-03-02T08:00:00+00:00",
          amends: str | None = None) -> Draft:
    return Draft(id="0123456789abcdef", cell="an-thanh", kind=kind, fields=fields, saved_at=saved_at,
                 saved_by="bt.a", amends=amends)


def states(items: list[DueItem]) -> dict[str, str]:
    return {item.kind: item.state for item in items}


def test_month_and_quarter_periods() -> None:
    feb = month_period(dt.date(2028, 2, 10))
    assert (feb.start, feb.end) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))  # a leap year
    assert feb.name.vi == "tháng 2/2028" and feb.name.en == "February 2028"
    dec = month_period(dt.date(2026, 12, 31))
    assert (dec.start, dec.end) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    q1 = quarter_period(dt.date(2026, 3, 31))
    assert (q1.start, q1.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert q1.name.vi == "quý I/2026" and q1.name.en == "Q1 2026"
    q4 = quarter_period(dt.date(2026, 10, 1))
    assert (q4.start, q4.end, q4.name.vi) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31), "quý IV/2026")
    assert q4.days_left(dt.date(2026, 12, 29)) == 2 and q4.holds(dt.date(2026, 11, 5))
    assert not q4.holds(dt.date(2027, 1, 1))
    assert window(dt.date(2026, 5, 20)) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def test_everything_filed_is_done() -> None:
    papers = [paper(MINUTES, "2026-03-10"), paper(RESOLUTION, "2026-03-10"), paper(TOPICAL, "2026-01-24")]
    items = due_items(papers, dt.date(2026, 3, 20))
    assert [i.kind for i in items] == [MINUTES, RESOLUTION, TOPICAL]
    assert states(items) == {MINUTES: DONE, RESOLUTION: DONE, TOPICAL: DONE}
    assert missing_count(items) == 0
    assert [d.id for d in items[2].final] == [f"{TOPICAL}-2026-01-24"]
    assert items[0].period.name.vi == "tháng 3/2026" and items[2].period.name.vi == "quý I/2026"


def test_last_month_and_other_kinds_do_not_count() -> None:
    papers = [paper(MINUTES, "2026-02-27"), paper("nghi-quyet-ket-nap", "2026-03-05"),
              paper(TOPICAL, "2025-12-20"), paper("bien-ban-hop-chi-uy", "2026-03-03")]
    items = due_items(papers, dt.date(2026, 3, 1))
    assert states(items) == {MINUTES: MISSING, RESOLUTION: MISSING, TOPICAL: MISSING}
    assert missing_count(items) == 3
    assert all(not i.papers for i in items)


def test_withdrawn_paper_does_not_count_and_a_filed_draft_is_in_progress() -> None:
    papers = [paper(MINUTES, "2026-03-10", status="withdrawn"), paper(RESOLUTION, "2026-03-11", draft=True)]
    items = due_items(papers, dt.date(2026, 3, 20))
    assert states(items) == {MINUTES: MISSING, RESOLUTION: IN_PROGRESS, TOPICAL: MISSING}
    assert items[1].papers and not items[1].final
    assert missing_count(items) == 3


def test_drafts_in_progress_for_the_period() -> None:
    today = dt.date(2026, 4, 15)
    drafts = [
        draft(MINUTES, [("date", "08/04/2026")]),  # typed day first: this month
        draft(RESOLUTION, [("date", "2026-03-30")]),  # last month's: not this one
        draft(TOPICAL, [("title", "x")], saved_at="2026-04-02T01:00:00+00:00"),  # no date: saved this quarter
        draft(MINUTES, [("date", "2026-04-09")], amends="585d136bea"),  # an amendment: no new paper
    ]
    items = due_items([], today, drafts)
    assert states(items) == {MINUTES: IN_PROGRESS, RESOLUTION: MISSING, TOPICAL: IN_PROGRESS}
    assert len(items[0].drafts) == 1 and items[0].drafts[0].amends is None
    # a filed final paper wins over a draft
    done = due_items([paper(MINUTES, "2026-04-10")], today, drafts)
    assert states(done)[MINUTES] == DONE


def test_draft_day() -> None:
    assert draft_day(draft(MINUTES, [("date", "10/3/2026")])) == dt.date(2026, 3, 10)
    assert draft_day(draft(MINUTES, [("date", "2026-03-10")])) == dt.date(2026, 3, 10)
    # a date that does not exist, or none: the day the draft was saved
    assert draft_day(draft(MINUTES, [("date", "30/02/2026")], saved_at="2026-05-01T10:00:00+00:00")) \
        == dt.date(2026, 5, 1)
    assert draft_day(draft(MINUTES, [], saved_at="")) is None
