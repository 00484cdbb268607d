"""click parameter types shared by every command: one date type (day first)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from docgen.i18n import current_lang

METAVARS = {"vi": "NGÀY/THÁNG/NĂM", "en": "DD/MM/YYYY"}


class DateType(click.ParamType):  # type: ignore[type-arg]
    """A date typed day first (10/3/2026, 10.3.2026, 10-3-2026) or ISO (2026-03-10).

    Its placeholder in the help and its error message are in the language of the moment
    (``--lang``, DOCGEN_LANG, docgen.toml), not the one of the import.
    """

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return METAVARS["en" if current_lang() == "en" else "vi"]

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
            lang = current_lang()
            self.fail(f"{message.text(lang)} ({hint.text(lang)})", param, ctx)


DATE = DateType()
