"""click parameter types shared by every command: one date type (day first), the document
kind, the year, and the check that a period's --from is not after its --to.

Only click and docgen.i18n at module level (start-up time): the kinds and the date parser
are imported when a value is converted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from docgen.i18n import Msg, current_lang

METAVARS = {"vi": "NGÀY/THÁNG/NĂM", "en": "DD/MM/YYYY"}
KIND_METAVARS = {"vi": "LOẠI", "en": "KIND"}
YEAR_METAVARS = {"vi": "NĂM", "en": "YEAR"}
YEARS = (1900, 2100)  # the years --year accepts


def _lang() -> str:
    return "en" if current_lang() == "en" else "vi"


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


class KindType(click.ParamType):  # type: ignore[type-arg]
    """A document kind as a person types it: its id (nghi-quyet), its name as input files
    write it ("Nghị quyết") or the type symbol of one kind (NQ); converted to the id
    (docgen.archive.filters.kind_id). Anything else is a usage error (exit 2) listing the
    kinds. A blank value stays blank (no condition, as the filters take it)."""

    name = "kind"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return KIND_METAVARS[_lang()]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if not text.strip():
            return text
        from docgen.archive.filters import kind_id
        from docgen.errors import DocgenError

        try:
            return kind_id(text)
        except DocgenError as exc:
            lang = _lang()
            hint = f"; {exc.hint.text(lang)}" if exc.hint is not None else ""
            self.fail(exc.message.text(lang) + hint, param, ctx)


KIND = KindType()


class YearType(click.ParamType):  # type: ignore[type-arg]
    """A year written in full, four digits between ``YEARS`` (2026, not 26)."""

    name = "year"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return YEAR_METAVARS[_lang()]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        text = str(value).strip()
        lo, hi = YEARS
        if text.isdigit() and len(text) == 4 and lo <= int(text) <= hi:
            return int(text)
        message = Msg(f"'{value}' không phải là năm: ghi đủ 4 chữ số, từ {lo} đến {hi} "
                      f"(vd. 2026)",
                      f"'{value}' is not a year: write all four digits, {lo} to {hi} "
                      f"(e.g. 2026)")
        self.fail(message.text(_lang()), param, ctx)


YEAR = YearType()

_OTHER_END = {"date_from": ("date_to", "--to"), "date_to": ("date_from", "--from")}


def check_period(ctx: click.Context, param: click.Parameter, value: dt.date | None
                 ) -> dt.date | None:
    """The callback of the --from and --to options (parameters ``date_from`` and
    ``date_to``): a --from after the --to is a usage error naming both dates. Whichever of
    the two click converts second sees the other in ``ctx.params``."""
    if value is None or param.name not in _OTHER_END:
        return value
    other_name, _ = _OTHER_END[param.name]
    other = ctx.params.get(other_name)
    if not isinstance(other, dt.date):
        return value
    start, end = (value, other) if param.name == "date_from" else (other, value)
    if start > end:
        from docgen.vn.dates import vn_date

        a, b = vn_date(start), vn_date(end)
        raise click.UsageError(Msg(
            f"ngày bắt đầu --from {a} ở sau ngày kết thúc --to {b}: không văn bản nào "
            f"nằm trong khoảng đó; đổi lại: --from {b} --to {a}",
            f"the start date --from {a} is after the end date --to {b}: no document can "
            f"fall between them; swap them: --from {b} --to {a}").text(_lang()), ctx)
    return value
