"""From what people write to the values the schema expects (runs before the JSON Schema check).

A secretary writes ``date: 10/3/2026``, ``start: 19h30``, ``chair: Nguyễn Văn An``,
``topics: [VSMT, nông thôn mới]`` and ``number: 05-NQ/CB``; the schema wants
``2026-03-10``, ``19:30``, ``m01``, ``[vsmt, ntm]`` and ``5``. The fields are found from
the kind's schema, not from a list: every property whose pattern is DATE_PATTERN is a
date, TIME_PATTERN a time, ID_PATTERN a member id (``topics`` excepted: topic ids).
An absentee may be written as a name alone, its reason in a trailing bracket
(``absent: [Trần Thị Bình (ốm), m11]``): it becomes ``{member, reason}`` first.

Only values the schema would refuse anyway are reported here (an impossible date, an
unknown or ambiguous name, a number whose symbol is not the kind's): a well-formed id
that is not on the roster ("m99") is left to the Party-rule checks that follow, so that
one run still lists every problem.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from docgen.i18n import Msg
from docgen.model.kinds import KINDS, KindSpec
from docgen.model.problems import Problems
from docgen.model.profile import Profile
from docgen.model.roster import find_member, member_hint, members_text
from docgen.model.validation import DATE_PATTERN, ID_PATTERN, TIME_PATTERN, add_problem
from docgen.topics import closest_topics, find_topics, phrase_form, topic_label
from docgen.vn.dates import DateError, date_error_msg, parse_user_date, strip_quotes
from docgen.vn.text import fold

Path = tuple[str | int, ...]
Leaf = Callable[[str, Any, Path, dict[str, Any]], Any]

_ID = re.compile(ID_PATTERN)
TOPICS_KEY = "topics"
ABSENT_KEY = "absent"


# --- Times ---------------------------------------------------------------------------

_TIME = re.compile(
    r"^(\d{1,2})\s*(?:[:.]\s*(\d{2})|(?:h|g|giờ)\s*(?:(\d{1,2})\s*(?:phút|p|')?)?)"
    r"\s*(sáng|chiều|tối)?$")


class TimeError(ValueError):
    """A typed time that is not a time; ``impossible`` for 25:00 or 19:75 (right shape)."""

    def __init__(self, text: str, impossible: bool) -> None:
        super().__init__(text)
        self.text = text
        self.impossible = impossible


def parse_user_time(text: str) -> dt.time:
    """A time as people write it: 19:30, 8:00, 19h30, 19g30, 19 giờ 30 (phút), 19h,
    "7 giờ 30 tối" (also in straight or curly quotes). Raises TimeError."""
    raw = " ".join(strip_quotes(str(text)).split()).casefold()
    match = _TIME.match(raw)
    if not match:
        raise TimeError(str(text), impossible=False)
    hour = int(match.group(1))
    minute = int(match.group(2) or match.group(3) or 0)
    period = match.group(4)
    if period in ("chiều", "tối") and hour < 12:
        hour += 12
    elif period == "sáng" and hour > 12:
        raise TimeError(str(text), impossible=True)
    if hour > 23 or minute > 59:
        raise TimeError(str(text), impossible=True)
    return dt.time(hour, minute)


def time_error_msg(text: str, impossible: bool) -> tuple[Msg, Msg]:
    """(message, hint) for a time that could not be read."""
    if impossible:
        return (Msg(f"giờ không có thật: {text}", f"no such time: {text}"),
                Msg("giờ từ 0 đến 23, phút từ 00 đến 59, ví dụ 19:30",
                    "hours run from 0 to 23 and minutes from 00 to 59, e.g. 19:30"))
    return (Msg(f"không đọc được giờ: {text}", f"not a time: {text}"),
            Msg("ghi giờ:phút, ví dụ 19:30 (hoặc 19h30, 19 giờ 30)",
                "write hours:minutes, e.g. 19:30 (or 19h30, 19 giờ 30)"))


# --- Document numbers ----------------------------------------------------------------

_SYMBOL = r"([^\W\d_][^\W_]{0,5})"
_ISSUER = r"([^\W_][\w\-]{0,15})"
_PARTY_NUMBER = re.compile(r"^(?:số\s*:?\s*)?(\d{1,9})(?:\s*-\s*" + _SYMBOL + r"\s*/\s*" + _ISSUER + r")?$",
                           re.IGNORECASE)
_STATE_NUMBER = re.compile(r"^(?:số\s*:?\s*)?(\d{1,9})\s*/\s*" + _SYMBOL + r"\s*-\s*" + _ISSUER + r"$",
                           re.IGNORECASE)


def _same_symbol(a: str, b: str) -> bool:
    return fold(a) == fold(b)


def number_problem(text: str, spec: KindSpec, cell_symbol: str) -> tuple[int | None, Msg | None, Msg | None]:
    """(number, message, hint) for a number as written on paper: "05-NQ/CB", "Số 05-NQ/CB",
    "05", "5" (also the state style "05/NQ-CB"). The symbols, when written, must be the
    kind's (NQ) and the cell's (CB, from the profile)."""
    raw = " ".join(strip_quotes(text).split())
    match = _PARTY_NUMBER.match(raw) or _STATE_NUMBER.match(raw)
    example = f"{spec.type_symbol}/{cell_symbol}"
    if not match:
        return None, Msg(f"không đọc được số: \"{raw}\"", f"not a number: \"{raw}\""), Msg(
            f"ghi số, ví dụ 5 hoặc 05-{example}; để trống để kho lưu trữ tự cấp số",
            f"write the number, e.g. 5 or 05-{example}; leave it empty to have the archive assign one")
    number = int(match.group(1))
    type_symbol, issuer = match.group(2), match.group(3)
    wrong_vi: list[str] = []
    wrong_en: list[str] = []
    if type_symbol and not _same_symbol(type_symbol, spec.type_symbol):
        kind_vi = spec.type_name.lower()
        wrong_vi.append(f"ký hiệu loại \"{type_symbol}\", nhưng {kind_vi} có ký hiệu \"{spec.type_symbol}\"")
        wrong_en.append(f"type symbol \"{type_symbol}\", but kind {spec.name} uses \"{spec.type_symbol}\"")
    if issuer and not _same_symbol(issuer, cell_symbol):
        wrong_vi.append(f"ký hiệu chi bộ \"{issuer}\" khác ký hiệu trong hồ sơ chi bộ \"{cell_symbol}\"")
        wrong_en.append(f"issuer symbol \"{issuer}\", not the profile's \"{cell_symbol}\"")
    if wrong_vi:
        return number, Msg(f"{raw} có " + "; ".join(wrong_vi), f"{raw} has " + "; ".join(wrong_en)), Msg(
            f"ghi {number:02d}-{example} (hoặc chỉ ghi số {number}), hoặc sửa kind / cell.symbol trong hồ sơ",
            f"write {number:02d}-{example} (or just {number}), or fix kind / cell.symbol in the profile")
    return number, None, None


# --- Walking data along its schema ---------------------------------------------------

def walk(value: Any, schema: dict[str, Any], leaf: Leaf, path: Path = ()) -> Any:
    """``value`` with ``leaf(pattern, value, path, schema)`` applied to every string-pattern
    property the schema describes (objects by ``properties``, lists by ``items``).

    Containers are copied only along the way to a changed value; parts of the data the
    schema does not describe (a typo'd key, a list where a mapping belongs) are left alone,
    so the walk is as deep as the schema, never deeper.
    """
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        out = value
        for key, sub in schema["properties"].items():
            if key in value and isinstance(sub, dict):
                new = walk(value[key], sub, leaf, (*path, key))
                if new is not value[key]:
                    if out is value:
                        out = dict(value)
                    out[key] = new
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        items: list[Any] | None = None
        for i, item in enumerate(value):
            new = walk(item, schema["items"], leaf, (*path, i))
            if new is not item:
                if items is None:
                    items = list(value)
                items[i] = new
        return value if items is None else items
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        return leaf(pattern, value, path, schema)
    return value


_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x85\u2028\u2029]")


def _blank(value: Any) -> bool:
    return isinstance(value, str) and not strip_quotes(value)


def _one_line(value: Any) -> bool:
    """A string without line breaks: only those are read; "19:30\\n" is left to the schema."""
    return isinstance(value, str) and _LINE_BREAK.search(value) is None


class _Resolver:
    def __init__(self, problems: Problems, profile: Profile | None, day: dt.date | None) -> None:
        self.problems = problems
        self.profile = profile
        self.day = day

    def add(self, path: Path, message: Msg, hint: Msg | None) -> None:
        add_problem(self.problems, path, message, hint)

    def leaf(self, pattern: str, value: Any, path: Path, schema: dict[str, Any]) -> Any:
        if isinstance(value, str) and not _one_line(value):
            return value
        if _blank(value):
            return None  # an emptied field ("", "“”") is an unfilled one
        if pattern == DATE_PATTERN:
            return self.date(value, path)
        if pattern == TIME_PATTERN:
            return self.time(value, path)
        if pattern == ID_PATTERN and self.profile is not None and path[:1] != (TOPICS_KEY,):
            return self.member(value, path)
        return value

    def date(self, value: Any, path: Path) -> Any:
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):
            return value.isoformat()
        if not isinstance(value, str):
            return value
        try:
            return parse_user_date(value).isoformat()
        except DateError as exc:
            self.add(path, *date_error_msg(strip_quotes(exc.text), exc.impossible))
            return value

    def time(self, value: Any, path: Path) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return parse_user_time(value).strftime("%H:%M")
        except TimeError as exc:
            self.add(path, *time_error_msg(strip_quotes(exc.text), exc.impossible))
            return value

    def member(self, value: Any, path: Path) -> Any:
        if not isinstance(value, str) or self.profile is None:
            return value
        text = strip_quotes(value)
        match = find_member(self.profile, text, self.day)
        if match.member is not None:
            return match.member.id
        if match.ambiguous:
            ids = ", ".join(m.id for m in match.candidates)
            self.add(path, Msg(f"có {len(match.candidates)} đảng viên tên \"{text}\": {members_text(match.candidates)}",
                               f"{len(match.candidates)} members are named \"{text}\": {members_text(match.candidates)}"),
                     Msg(f"ghi mã đảng viên ({ids}) thay cho tên", f"write the member id ({ids}) instead of the name"))
            return value
        if _ID.fullmatch(text):
            return text  # a well-formed id not on the roster: the Party-rule checks name it
        self.add(path, Msg(f"không có đảng viên tên \"{text}\" trong danh sách", f"no member named \"{text}\" on the roster"),
                 member_hint(self.profile, text))
        return value


def topic_hint(text: str) -> Msg:
    """"gần giống: vsmt — Vệ sinh môi trường…; …" or where to list the topics."""
    close = closest_topics(text)
    listing = "xem danh sách bằng \"docgen topics\""
    if close:
        shown = "; ".join(topic_label(t) for t in close)
        return Msg(f"gần giống: {shown}; {listing}", f"closest: {shown}; list them with \"docgen topics\"")
    return Msg(f"ghi mã, tên hoặc chữ viết tắt của chủ đề ({listing}, ví dụ vsmt, ntm, antt)",
               "write a topic id, label or abbreviation (list them with \"docgen topics\", e.g. vsmt, ntm, antt)")


def _topics(value: Any, resolver: _Resolver) -> Any:
    if _one_line(value):  # topics: VSMT, nông thôn mới (a label may hold a comma itself)
        whole = find_topics(strip_quotes(value))
        value = [value] if len(whole) == 1 else [part for part in re.split(r"[,;]", value) if part.strip()]
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    last_unknown = -1
    for i, item in enumerate(value):
        found = find_topics(strip_quotes(item)) if _one_line(item) else ()
        if len(found) == 1:
            out.append(found[0].id)
            continue
        last_unknown = i
        out.append(item)  # an unknown well-formed id is named by the Party-rule checks
        if not _one_line(item):
            continue
        text = strip_quotes(item)
        if found:
            shown = "; ".join(topic_label(t) for t in found)
            resolver.add((TOPICS_KEY, i), Msg(f"\"{text}\" có thể là nhiều chủ đề: {shown}",
                                              f"\"{text}\" may name several topics: {shown}"),
                         Msg("ghi mã chủ đề", "write the topic id"))
        elif not _ID.fullmatch(text) and phrase_form(text):
            resolver.add((TOPICS_KEY, i), Msg(f"không có chủ đề \"{text}\"", f"unknown topic \"{text}\""),
                         topic_hint(text))
    # "VSMT" and "vệ sinh môi trường" name one topic: listed once. Only repeats after the
    # last entry not understood are dropped, so that problems keep the positions of the file.
    seen: set[str] = set()
    kept: list[Any] = []
    for i, item in enumerate(out):
        if i > last_unknown and item in seen:
            continue
        if isinstance(item, str):
            seen.add(item)
        kept.append(item)
    return kept


# --- Absentees written short ---------------------------------------------------------

_REASON = re.compile(r"^(.*?\S)\s*\((.*)\)$")
"""A trailing "(…)" is the reason: "Trần Thị Bình (ốm)"; the name is what comes before."""
_SEPARATOR = re.compile(r"\s+[-–—]\s+|\s*[,;:]\s+")
"""What people may put between a name and a reason instead of brackets ("Bình - ốm")."""


def _absentee(item: Any, path: Path, resolver: _Resolver) -> Any:
    """One item of ``absent`` as people write it: "Trần Thị Bình", "m05", "Trần Thị Bình
    (ốm)" (a trailing bracket is the reason) or ``Trần Thị Bình: ốm`` (a mapping whose one
    key is a roster name) → ``{member: …, reason: …}``. Anything else is left as it is for
    the schema check ("member:" and "reason:" with an example)."""
    profile = resolver.profile
    if isinstance(item, dict) and len(item) == 1 and profile is not None:
        ((key, reason),) = item.items()
        if isinstance(key, str) and key not in ("member", "reason") and (reason is None or _one_line(reason)) \
                and find_member(profile, key, resolver.day).member is not None:
            return {"member": key, "reason": reason}
        return item
    if not _one_line(item) or _blank(item):
        return item
    text = strip_quotes(item).strip()
    if profile is None:
        return {"member": text}
    whole = find_member(profile, text, resolver.day)
    match = _REASON.match(text)
    if whole.member is not None or whole.ambiguous or match is None:
        head = _SEPARATOR.split(text, maxsplit=1)
        if whole.member is None and not whole.ambiguous and len(head) == 2 \
                and find_member(profile, head[0], resolver.day).member is not None:
            name, reason = head[0].strip(), head[1].strip()
            resolver.add(path, Msg(f"không rõ đâu là họ tên, đâu là lý do trong \"{text}\"",
                                   f"\"{text}\": which part is the name and which the reason?"),
                         Msg(f"ghi lý do trong ngoặc: - {name} ({reason}), hoặc - {{member: {name}, reason: {reason}}}",
                             f"put the reason in brackets: - {name} ({reason}), or - {{member: {name}, reason: {reason}}}"))
            return item
        return {"member": text}
    reason = match.group(2).strip()
    return {"member": match.group(1).strip(), "reason": reason or None}


def _absent(value: Any, resolver: _Resolver) -> Any:
    if not isinstance(value, list):
        return value
    out = [_absentee(item, (ABSENT_KEY, i), resolver) for i, item in enumerate(value)]
    return value if all(new is old for new, old in zip(out, value, strict=True)) else out


def _number(value: Any, spec: KindSpec, profile: Profile, resolver: _Resolver) -> Any:
    if not spec.numbered or not _one_line(value):
        return value
    if _blank(value):
        return None
    number, message, hint = number_problem(value, spec, profile.cell.symbol)
    if message is not None:
        resolver.add(("number",), message, hint)
        return value
    return number


@lru_cache(maxsize=1)
def _kind_aliases() -> dict[str, str]:
    """Every name of a kind as typed ("biên bản họp chi ủy", its label) → its id."""
    out: dict[str, str] = {}
    for name, spec in KINDS.items():
        for alias in (spec.label.vi, *spec.aliases):
            out.setdefault("-".join(phrase_form(alias)), name)
    return out


def resolve_kind(value: Any) -> Any:
    """"Nghị quyết", "bien ban thuong ky" → the kind name; anything else unchanged."""
    if not isinstance(value, str) or value in KINDS:
        return value
    name = "-".join(phrase_form(value))
    if name in KINDS:
        return name
    return _kind_aliases().get(name, value)


def _first_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return parse_user_date(value) if isinstance(value, str) else None
    except DateError:
        return None


def resolve_input(data: dict[str, Any], kind: str, profile: Profile, problems: Problems) -> dict[str, Any]:
    """``data`` with dates, times, member names, topics and the number in canonical form.

    Returns a new mapping (``data`` is not changed; unchanged parts are shared). Values
    that cannot be read are kept as written and reported in ``problems``.
    """
    spec = KINDS[kind]
    resolver = _Resolver(problems, profile, _first_date(data.get("date")))
    if ABSENT_KEY in data and ABSENT_KEY in spec.schema["properties"]:
        data = {**data, ABSENT_KEY: _absent(data[ABSENT_KEY], resolver)}  # before the names are read
    out: dict[str, Any] = walk(data, spec.schema, resolver.leaf)
    if out is data:
        out = dict(data)
    if TOPICS_KEY in out:
        out[TOPICS_KEY] = _topics(out[TOPICS_KEY], resolver)
    if "number" in out:
        out["number"] = _number(out["number"], spec, profile, resolver)
    return out


def resolve_dates(data: dict[str, Any], schema: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """``data`` with every date and time ``schema`` describes in ISO form (the profile)."""
    resolver = _Resolver(problems, None, None)
    out: dict[str, Any] = walk(data, schema, resolver.leaf)
    return out
