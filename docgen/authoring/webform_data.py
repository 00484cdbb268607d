"""Posted form fields ↔ the input dict the model validates, and a new form's first values.

Part of ``docgen.authoring.webform`` (import the public names from there).

The HTML names (``data_from_form`` reads them, ``form_pairs`` writes them):

- a top-level field by its key: ``chair``, ``date``, ``summary``;
- a field of a group by a dotted path: ``vote.for``, ``self_score.points``, ``topical.title``;
- a row of a list of objects by its number in brackets: ``tasks[3].content``,
  ``absent[0].member``, ``absent[0].reason``, nested as deep as the schema goes
  (``items[1].votes[0].for``); the numbers only order the rows: gaps (rows removed in the
  browser) are fine, rows are renumbered from 0 and a row left empty is dropped;
- a list of texts (agenda, recipients) by numbered names ``agenda[0]``, ``agenda[1]`` (or
  one name repeated); empty lines are dropped;
- several members (checkboxes) and topics: one name repeated, one value each
  (``exempt_present=m20&exempt_present=m09``); a single ``topics`` value may also be the
  text people type ("VSMT, nông thôn mới"): the model reads it as it reads it in a file;
- a checkbox: ticked is ``on`` (also true/1/yes/có), unticked is not posted.

Values are kept as typed (NFC, line breaks as ``\\n``, invisible control characters
dropped): an empty text leaves the key out, an integer field holds an int when the text is
one (else the text, for the model's own message), dates and times go as typed (the native
inputs' 2026-03-10 and 19:30 are read by the resolve step like 10/3/2026 and 19h30). A
group or a row holding nothing but its defaults (a select left at its first choice, a count
of 0) is empty; in a group or row that is not, an unticked checkbox whose default is true
is written false. Names the form does not have (a CSRF token, the submit button) are
ignored.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from docgen.authoring.form import BLANK, form_values
from docgen.authoring.webform_fields import MULTI, ROWS, Node, form_text, tree
from docgen.config import TRUE_WORDS, Settings
from docgen.model.files import _BAD_CHAR as _NOT_TEXT  # the characters an input file may not hold
from docgen.model.files import MAX_INT_DIGITS
from docgen.model.kinds import KINDS
from docgen.model.labels import path_text, split_path
from docgen.model.profile import Profile
from docgen.vn.text import clean

Data = dict[str, Any]
Pairs = list[tuple[str, str]]

_TICKED = frozenset({"on", "1", *TRUE_WORDS})
_INTEGER = re.compile(rf"[+-]?\d{{1,{MAX_INT_DIGITS}}}")
_DECIMAL = re.compile(rf"[+-]?\d{{1,{MAX_INT_DIGITS}}}(?:[.,]\d{{1,6}})?")
_SECONDS = re.compile(r"(\d{2}:\d{2}):00(?:\.0+)?")  # a native time input with a step: 19:30:00


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Any = _Missing()


def posted_text(value: str) -> str:
    """A posted value as the model reads text: line breaks as \\n (a textarea posts \\r\\n),
    no invisible control characters, NFC (``docgen.vn.text.clean``)."""
    return clean(_NOT_TEXT.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n")))


@dataclass
class _Posted:
    """The posted values under one name: its own values, its numbered items, its keys."""

    values: list[str] = field(default_factory=list)
    items: dict[int, _Posted] = field(default_factory=dict)
    keys: dict[str, _Posted] = field(default_factory=dict)

    def last(self) -> str | None:
        """The last value that is not blank (None when there is none)."""
        return next((v for v in reversed(self.values) if v.strip()), None)

    def rows(self) -> list[_Posted]:
        return [self.items[i] for i in sorted(self.items)]


def _posted(pairs: Iterable[tuple[str, str]]) -> _Posted:
    root = _Posted()
    for name, value in pairs:
        parts = split_path(name)
        if not parts or path_text(parts) != name:  # not a name of ours ("csrf_token" is one: ignored later)
            continue
        node = root
        for part in parts:
            if isinstance(part, int):
                node = node.items.setdefault(part, _Posted())
            else:
                node = node.keys.setdefault(part, _Posted())
        node.values.append(posted_text(value))
    return root


def _scalar(node: Node, text: str) -> Any:
    widget = node.widget
    plain = text.strip()
    if widget == "integer" and _INTEGER.fullmatch(plain):
        return int(plain)
    if widget == "number" and _DECIMAL.fullmatch(plain):
        number = plain.replace(",", ".")
        return int(number) if _INTEGER.fullmatch(number) else float(number)
    if widget == "time":
        seconds = _SECONDS.fullmatch(plain)
        return seconds.group(1) if seconds else text
    return text


def _defaulted(nodes: tuple[Node, ...], obj: Data) -> bool:
    """Whether every value of ``obj`` is its field's schema default."""
    by_key = {n.key: n for n in nodes}
    return all(key in by_key and "default" in by_key[key].schema and by_key[key].schema["default"] == value
               for key, value in obj.items())


def _object(nodes: tuple[Node, ...], posted: _Posted, top: bool = False) -> Any:
    """The object of ``nodes`` from ``posted``; _MISSING when it holds nothing but defaults
    (never at the top)."""
    out: Data = {}
    for node in nodes:
        sub = posted.keys.get(node.key)
        value = _value(node, sub) if sub is not None else _MISSING
        if value is not _MISSING:
            out[node.key] = value
    if not top and _defaulted(nodes, out):
        return _MISSING
    for node in nodes:  # an unticked checkbox posts nothing: false, when that is not the default
        if node.widget == "checkbox" and node.key not in out and node.schema.get("default", False) is not False:
            out[node.key] = False
    return out


def _value(node: Node, posted: _Posted) -> Any:
    widget = node.widget
    if widget == "checkbox":
        return True if any(v.strip().casefold() in _TICKED for v in posted.values) else _MISSING
    if widget == "group":
        return _object(node.children, posted)
    if widget in ROWS:
        rows = [row for item in posted.rows() if (row := _object(node.children, item)) is not _MISSING]
        return rows or _MISSING
    if widget in MULTI or widget == "lines":
        numbered = [text for item in posted.rows() if (text := item.last()) is not None]
        repeated = [v for v in posted.values if v.strip()]
        if widget == "topics" and len(repeated) == 1 and not numbered:
            return repeated[0]  # "VSMT, nông thôn mới": read by the model as in a file
        return [*numbered, *repeated] or _MISSING
    text = posted.last()
    return _MISSING if text is None else _scalar(node, text)


def data_from_form(kind: str, pairs: Iterable[tuple[str, str]]) -> Data:
    """The input dict of ``kind`` from posted (name, value) pairs (see the module's naming
    scheme); ``kind`` is set. KeyError for an unknown kind; never raises for what a user
    typed (the model reports it: ``check_form``)."""
    nodes = tree(kind)
    data: Data = {"kind": kind}
    data.update(_object(nodes, _posted(pairs), top=True))
    return data


# --------------------------------------------------------------------------- data → form

def _pairs_object(nodes: tuple[Node, ...], data: Mapping[str, Any], prefix: str, out: Pairs) -> None:
    for node in nodes:
        if node.key in data:
            _pairs_value(node, data[node.key], f"{prefix}.{node.key}" if prefix else node.key, out)


def _member_key(node: Node) -> str:
    return next((c.key for c in node.children if c.widget == "member"), "member")


def _pairs_value(node: Node, value: Any, name: str, out: Pairs) -> None:
    widget = node.widget
    if widget == "group":
        if isinstance(value, Mapping):
            _pairs_object(node.children, value, name, out)
    elif widget in ROWS:
        for i, item in enumerate(value if isinstance(value, list) else []):
            if isinstance(item, Mapping):
                _pairs_object(node.children, item, f"{name}[{i}]", out)
            elif widget == "absent" and (text := form_text("member", item)) is not None:
                out.append((f"{name}[{i}].{_member_key(node)}", text))  # "Trần Thị Bình (ốm)", as written
    elif widget in MULTI:
        for item in value if isinstance(value, list) else [value]:
            if (text := form_text(widget, item)) is not None:
                out.append((name, text))
    elif widget == "lines":
        items = value if isinstance(value, list) else [value]
        out += [(f"{name}[{i}]", text) for i, item in enumerate(items) if (text := form_text("text", item)) is not None]
    elif (text := form_text(widget, value)) is not None:
        out.append((name, text))


def form_pairs(kind: str, data: Mapping[str, Any]) -> Pairs:
    """The (name, value) pairs that show ``data`` (a filed input, a saved draft,
    ``initial_values``) in ``kind``'s form, as ``data_from_form`` reads them back: dates as
    YYYY-MM-DD, times as HH:MM, a ticked checkbox as "on", rows numbered from 0."""
    out: Pairs = []
    _pairs_object(tree(kind), data, "", out)
    return out


def flat_values(kind: str, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """``form_pairs`` by name: every value of each name (several for members, topics)."""
    out: dict[str, list[str]] = {}
    for name, value in form_pairs(kind, data):
        out.setdefault(name, []).append(value)
    return out


# --------------------------------------------------------------------------- a new form

def _pruned(value: Any) -> Any:
    """``form_values``' values without its blanks: BLANK, None, empty lists and groups
    left out; dates as ISO text."""
    if value is BLANK or value is None:
        return _MISSING
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        out = {k: v for k, sub in value.items() if (v := _pruned(sub)) is not _MISSING}
        return out or _MISSING
    if isinstance(value, list):
        items = [v for sub in value if (v := _pruned(sub)) is not _MISSING]
        return items or _MISSING
    return copy.deepcopy(value)


def initial_values(kind: str, profile: Profile, day: dt.date | None, previous: Mapping[str, Any] | None,
                   settings: Settings) -> Data:
    """The input dict a new form of ``kind`` starts from, as ``docgen form`` prefills its
    YAML (``authoring.form.form_values``): chair, secretary and place from the profile; the
    next period, topics, agenda, guests… from ``previous`` (the newest paper of the kind:
    ``authoring.form.latest_archived(settings, kind)``, or one the user picked); what the
    kind reads from the archive (a report's figures: ``Kind.prefill``). Without ``day`` the
    date follows ``previous``, else it is today (as ``docgen form``). Blanks are left out:
    show the result with ``form_pairs``."""
    spec = KINDS[kind]
    when = day or (None if previous else dt.date.today())
    values = form_values(kind, profile, when, dict(previous) if previous else None)
    if spec.prefill is not None:
        props = spec.schema["properties"]
        values.update({k: v for k, v in spec.prefill(settings, profile, when).items() if k in props})
    pruned = _pruned(values)
    if not isinstance(pruned, dict):
        return {"kind": kind}
    return _period_follows_date(pruned)


def _period_follows_date(values: Data) -> Data:
    """``month``/``year`` equal to the date's are left out, so that they follow the date
    the user types (the kinds default them from the date): a form prefilled for April
    whose date is changed to 10/3 prints "tháng 3", not "tháng 4"."""
    try:
        day = dt.date.fromisoformat(str(values.get("date")))
    except ValueError:
        return values
    out = dict(values)
    if out.get("month") == day.month and out.get("year") in (None, day.year):
        out.pop("month")
        if out.get("year") == day.year:
            out.pop("year")
    return out
