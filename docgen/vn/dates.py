"""Party date lines (HD 36): day < 10 and months 1–2 get a leading zero."""

from __future__ import annotations

import datetime as dt
import re

from docgen.i18n import Msg


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


# --- Dates as people type them ------------------------------------------------------

_DAY_FIRST = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_QUOTES = "\"'“”‘’„‟«»`"


class DateError(ValueError):
    """A typed date that is not a date. ``impossible`` is set for 30/02/2026 (right shape)."""

    def __init__(self, text: str, impossible: bool) -> None:
        super().__init__(text)
        self.text = text
        self.impossible = impossible


def strip_quotes(text: str) -> str:
    """Remove the quotes Word or a phone keyboard puts around a value: “19:30” → 19:30."""
    text = text.strip()
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text


def parse_user_date(text: str) -> dt.date:
    """A date as a Vietnamese user types it, day first.

    Accepted: 10/3/2026, 10/03/2026, 10.3.2026, 10-3-2026 and ISO 2026-03-10 (also with
    curly or straight quotes around it). Raises DateError; ``impossible`` tells a date of
    the right shape that does not exist (30/02/2026) from text that is not a date at all.
    """
    raw = strip_quotes(str(text)).replace("\u00a0", " ")
    if raw.isascii():
        match = _ISO.match(raw)
        if match:
            year, month, day = (int(g) for g in match.groups())
        else:
            match = _DAY_FIRST.match(raw)
            if not match:
                raise DateError(str(text), impossible=False)
            day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise DateError(str(text), impossible=True) from None
    raise DateError(str(text), impossible=False)


def vn_date(d: dt.date) -> str:
    """A date inside a message or a table, the Vietnamese way: "10/3/2026"."""
    return f"{d.day}/{d.month}/{d.year}"


def vn_local_time(stamp: str) -> str:
    """A UTC time stamp as this computer's local time, the Vietnamese way:
    "2026-03-10T12:45:03Z" → "10/3/2026 19:45"; a stamp that is not one stays as it is."""
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    return f"{vn_date(when.date())} {when:%H:%M}"


def date_error_msg(text: str, impossible: bool) -> tuple[Msg, Msg]:
    """(message, hint) for a date that could not be read."""
    if impossible:
        return (Msg(f"ngày không có thật: {text}", f"no such date: {text}"),
                Msg("kiểm tra ngày và tháng (tháng 2 có 28 hoặc 29 ngày; tháng 4, 6, 9, 11 có 30 ngày)",
                    "check the day and the month (February has 28 or 29 days; April, June, "
                    "September and November have 30)"))
    return (Msg(f"không đọc được ngày: {text}", f"not a date: {text}"),
            Msg("ghi ngày/tháng/năm, ví dụ 10/3/2026", "write day/month/year, e.g. 10/3/2026"))
