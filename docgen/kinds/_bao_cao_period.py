"""The period a report (bao-cao) is about, and its wording: shared by the kind and its prefill.

Three report types: ``chuyen-de`` (the result of one topical session: a quarter),
``6-thang`` (sơ kết 6 tháng đầu năm: 1 January to 30 June) and ``nam`` (tổng kết năm:
the calendar year).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from docgen.vn.numbers import roman

TOPICAL = "chuyen-de"
HALF = "6-thang"
YEAR = "nam"
REPORT_TYPES = (TOPICAL, HALF, YEAR)

# How ``docgen form`` steps from one report to the next (months): a topical report to the
# next quarter's, a six-month report to the year-end one, a year-end one to next year's
# six-month report.
STEP_MONTHS = {TOPICAL: 3, HALF: 6, YEAR: 6}


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _iso(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ReportPeriod:
    """What a report covers: its type, year and (topical report) quarter."""

    report_type: str
    year: int
    quarter: int | None = None

    @property
    def start(self) -> dt.date:
        if self.report_type == TOPICAL and self.quarter:
            return dt.date(self.year, 3 * self.quarter - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        if self.report_type == TOPICAL and self.quarter:
            month = 3 * self.quarter
            return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])
        if self.report_type == HALF:
            return dt.date(self.year, 6, 30)
        return dt.date(self.year, 12, 31)

    @property
    def words(self) -> str:
        """"quý I năm 2026", "6 tháng đầu năm 2026", "năm 2026"."""
        if self.report_type == TOPICAL:
            return f"quý {roman(self.quarter or 1)} năm {self.year}"
        if self.report_type == HALF:
            return f"6 tháng đầu năm {self.year}"
        return f"năm {self.year}"

    @property
    def summary(self) -> str:
        """The default trích yếu."""
        if self.report_type == TOPICAL:
            return f"kết quả sinh hoạt chuyên đề {self.words}"
        if self.report_type == HALF:
            return f"sơ kết công tác {self.words}"
        return f"tổng kết công tác {self.words}"

    @property
    def ahead(self) -> str:
        """The heading of the report's tasks ahead."""
        if self.report_type == HALF:
            return f"PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM {self.year}"
        if self.report_type == YEAR:
            return f"PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {self.year + 1}"
        return "PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"


def report_type_of(data: dict[str, Any]) -> str:
    value = data.get("report_type")
    return value if value in REPORT_TYPES else TOPICAL


def session_date(data: dict[str, Any]) -> dt.date | None:
    session = data.get("session")
    return _iso(session.get("date")) if isinstance(session, dict) else None


def period_of(data: dict[str, Any]) -> ReportPeriod:
    """The period of a (validated) report: ``year`` and ``quarter`` as given, else from the
    topical session's date (a topical report) or the report's date."""
    kind = report_type_of(data)
    day = _iso(data.get("date")) or dt.date.today()
    base = (session_date(data) or day) if kind == TOPICAL else day
    year = _int(data.get("year")) or base.year
    if kind != TOPICAL:
        return ReportPeriod(kind, year)
    return ReportPeriod(kind, year, _int(data.get("quarter")) or quarter_of(base.month))


def step(previous: dict[str, Any]) -> int:
    """Months from ``previous`` to the next report (``Kind.period_step``)."""
    return STEP_MONTHS[report_type_of(previous)]
