"""click parameter types shared by every command: one date type (day first)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from docgen.i18n import h


class DateType(click.ParamType):  # type: ignore[type-arg]
    """A date typed day first (10/3/2026, 10.3.2026, 10-3-2026) or ISO (2026-03-10)."""

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return h("NGÀY/THÁNG/NĂM", "DD/MM/YYYY")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        from docgen.vn.dates import DateError, date_error_msg, parse_user_date

        try:
            return parse_user_date(str(value))
        except DateError as exc:
            message, hint = date_error_msg(exc.text, exc.impossible)
            lang = "en" if h("vi", "en") == "en" else "vi"
            self.fail(f"{message.text(lang)} ({hint.text(lang)})", param, ctx)


DATE = DateType()
