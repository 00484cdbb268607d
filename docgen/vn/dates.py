"""Party date lines (HD 36): day < 10 and months 1–2 get a leading zero."""

from __future__ import annotations

import datetime as dt


def party_date(d: dt.date) -> str:
    """"ngày 05 tháng 02 năm 2024"; "ngày 15 tháng 6 năm 2024"."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def party_date_line(place: str, d: dt.date) -> str:
    """"An Thành, ngày 05 tháng 02 năm 2024"."""
    return f"{place}, {party_date(d)}"


def short_date(d: dt.date) -> str:
    """Citation form inside the body: "05/9/2026" (day padded, month not)."""
    return f"{d.day:02d}/{d.month}/{d.year}"


def clock(t: dt.time) -> str:
    """"19 giờ 30 phút"; "8 giờ 00 phút"."""
    return f"{t.hour} giờ {t.minute:02d} phút"
