"""Web form fields of a document kind, read from its JSON Schema and its labels (issue 12).

Part of ``docgen.authoring.webform`` (import the public names from there). Nothing here
lists fields per kind: every descriptor comes from walking ``KINDS[kind].schema``, its
label, help and example from the kind's label table (docgen.model.labels). Dates, times
and member references are found as the resolve step finds them (docgen.model.resolve:
``walk`` reads every property by its string pattern: DATE_PATTERN a date, TIME_PATTERN a
time, ID_PATTERN a member id, ``topics`` excepted): ``_leaf_kinds`` runs that walk over a
skeleton of the schema. ``kind`` (a constant) and fields that can hold nothing but null
(the number of an unnumbered kind) are not form fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from docgen.authoring.roster_view import roster_view
from docgen.model import labels as L
from docgen.model.kinds import KINDS
from docgen.model.labels import Label, pattern_of
from docgen.model.profile import Profile
from docgen.model.resolve import ABSENT_KEY, TOPICS_KEY, TimeError, parse_user_time, walk
from docgen.model.resolve import Path as SchemaPath
from docgen.model.roster import member_label, roster_on
from docgen.model.schemas import example_value
from docgen.model.validation import DATE_PATTERN, ID_PATTERN, TIME_PATTERN
from docgen.topics import load_topics, topic_label
from docgen.vn.dates import DateError, parse_user_date

Schema = dict[str, Any]

WIDGETS = ("text", "textarea", "date", "time", "integer", "number", "checkbox", "select", "member",
           "members", "absent", "rows", "lines", "topics", "group")
"""Every widget a field may have: ``group`` is an object shown as a set of sub-fields (the
vote, the self-assessment), ``rows`` a list of objects (speakers, tasks), ``absent`` the
absentees' rows (member + reason), ``lines`` a list of strings, ``members`` several roster
members (checkboxes), ``member`` one roster member, ``topics`` topic ids."""

SCALARS = frozenset({"text", "textarea", "date", "time", "integer", "number", "checkbox", "select", "member"})
MULTI = frozenset({"members", "topics"})  # posted as one repeated name (checkboxes, a multiple select)
ROWS = frozenset({"rows", "absent"})

# The note ``labels._text`` gives a field whose new lines start paragraphs: a textarea.
_PARAGRAPHS = L._text("", "").note


@dataclass(frozen=True)
class Choice:
    """One option of a select, a member's checkbox, a topic."""

    value: str
    label: str
    status: str = ""  # a member's status on the day: "chính thức, miễn sinh hoạt"
    position: str = ""  # "Bí thư Chi bộ", … or ""
    tags: tuple[str, ...] = ()  # a member on the day: official, probationary, expected, exempt, …


@dataclass(frozen=True)
class FormField:
    """One field of a kind's form.

    ``name`` is the input path pattern, as the labels key it: "chair", "vote.for",
    "tasks[].content" (``[]`` stands for a row number); ``html_name(3)`` gives the posted
    name of row 3 ("tasks[3].content"). ``fields`` are the sub-fields of a group, of a row
    (rows, absent)."""

    name: str
    key: str  # the last part of the path: "content"
    label: str
    help: str  # the label's note ("giờ:phút theo 24 giờ; viết 19h30 cũng được"), or ""
    example: str  # the label's example as form text ("19:30", "10/3/2026"), or ""
    widget: str
    required: bool
    default: str = ""  # the schema default as form text ("on", "other", "0"), or ""
    choices: tuple[Choice, ...] = ()  # select: the enum; topics: the topic list
    fields: tuple[FormField, ...] = ()
    item_label: str = ""  # rows, lines, members: one item ("Nhiệm vụ", "Người vắng mặt")
    minimum: float | None = None
    maximum: float | None = None
    suggest_members: bool = False  # free text that may name a member (a speaker, a task owner)

    def html_name(self, *rows: int) -> str:
        """The posted name: each ``[]`` of ``name`` numbered in turn ("tasks[2].content")."""
        out = self.name
        for row in rows:
            out = out.replace("[]", f"[{row}]", 1)
        return out


# --------------------------------------------------------------------------- the schema tree

@dataclass(frozen=True, eq=False)
class Node:
    """A form field as the schema describes it, language aside (shared by the modules of
    the web form)."""

    key: str
    pattern: str
    widget: str
    schema: Schema
    required: bool
    children: tuple[Node, ...] = ()

    def child(self, key: str) -> Node | None:
        return next((c for c in self.children if c.key == key), None)


def _skeleton(schema: Schema) -> Any:
    """A value with every property and one item of every list the schema describes."""
    props = schema.get("properties")
    if isinstance(props, dict):
        return {key: _skeleton(sub) for key, sub in props.items() if isinstance(sub, dict)}
    items = schema.get("items")
    if isinstance(items, dict):
        return [_skeleton(items)]
    return None


def _leaf_kinds(schema: Schema) -> dict[str, str]:
    """Label pattern → "date", "time" or "member" for every field the resolve step reads as
    one (its ``walk``, with the test of ``_Resolver.leaf``: topics are not members)."""
    found: dict[str, str] = {}

    def leaf(pattern: str, value: Any, path: SchemaPath, sub: dict[str, Any]) -> Any:
        if pattern == DATE_PATTERN:
            found[pattern_of(path)] = "date"
        elif pattern == TIME_PATTERN:
            found[pattern_of(path)] = "time"
        elif pattern == ID_PATTERN and path[:1] != (TOPICS_KEY,):
            found[pattern_of(path)] = "member"
        return value

    walk(_skeleton(schema), schema, leaf)
    return found


def types_of(schema: Schema) -> set[str]:
    """The schema's types other than null."""
    kind = schema.get("type")
    names = set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()
    return {str(n) for n in names} - {"null"}


def _paragraphs(label: Label | None) -> bool:
    return bool(label and label.note and _PARAGRAPHS and label.note.vi.endswith(_PARAGRAPHS.vi))


class _Builder:
    def __init__(self, kind: str) -> None:
        self.schema = KINDS[kind].schema
        self.labels = KINDS[kind].labels
        self.leaves = _leaf_kinds(self.schema)

    def children(self, schema: Schema, prefix: str, extra_required: Sequence[str] = ()) -> tuple[Node, ...]:
        required = set(schema.get("required") or ()) | set(extra_required)
        out: list[Node] = []
        for key, sub in (schema.get("properties") or {}).items():
            if isinstance(sub, dict):
                node = self.node(key, f"{prefix}.{key}" if prefix else key, sub, key in required)
                if node is not None:
                    out.append(node)
        return tuple(out)

    def node(self, key: str, pattern: str, schema: Schema, required: bool) -> Node | None:
        types = types_of(schema)
        if "const" in schema or not types:
            return None  # the kind; a number an unnumbered kind never has
        found = schema.get("items")
        items: Schema = found if isinstance(found, dict) else {}
        children: tuple[Node, ...] = ()
        if "enum" in schema:
            widget = "select"
        elif "object" in types:
            widget, children = "group", self.children(schema, pattern)
        elif "array" in types:
            item = f"{pattern}[]"
            if pattern == TOPICS_KEY:
                widget = "topics"
            elif "object" in types_of(items):
                widget = "absent" if pattern == ABSENT_KEY else "rows"
                children = self.children(items, item)
            else:
                widget = "members" if self.leaves.get(item) == "member" else "lines"
        elif "boolean" in types:
            widget = "checkbox"
        elif "integer" in types:
            widget = "integer"
        elif "number" in types:
            widget = "number"
        else:
            widget = self.leaves.get(pattern) or ("textarea" if _paragraphs(self.labels.get(pattern)) else "text")
        return Node(key, pattern, widget, schema, required, children)


@lru_cache(maxsize=64)
def tree(kind: str) -> tuple[Node, ...]:
    """The top-level form nodes of ``kind``, in the schema's order (KeyError for an unknown kind)."""
    spec = KINDS[kind]
    return _Builder(kind).children(spec.schema, "", spec.asked)


# --------------------------------------------------------------------------- form text

def number_text(value: float) -> str:
    """92.0 → "92", 92.5 → "92.5" (what a number input shows)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def form_text(widget: str, value: Any) -> str | None:
    """A value as its form field shows it (None: nothing to show): a date as the native
    date input wants it (2026-03-10), a time as HH:MM, True as "on"; a date or time that
    cannot be read stays as written."""
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        if widget == "checkbox":
            return "on" if value else None
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    text = str(value)
    if widget == "date":
        try:
            return parse_user_date(text).isoformat()
        except DateError:
            return text
    if widget == "time":
        try:
            return parse_user_time(text).strftime("%H:%M")
        except TimeError:
            return text
    return text


def _example(label: Label | None) -> str:
    if label is None or label.example is None:
        return ""
    value = example_value(label.example)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return form_text("text", value) or ""


def _bound(schema: Schema, key: str) -> float | None:
    value = schema.get(key)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


@lru_cache(maxsize=1)
def _topic_choices() -> tuple[Choice, ...]:
    return tuple(Choice(t.id, topic_label(t)) for t in load_topics())


def _choices(node: Node) -> tuple[Choice, ...]:
    if node.widget == "topics":
        return _topic_choices()
    if node.widget == "select":
        return tuple(Choice(str(v), str(v)) for v in node.schema.get("enum") or () if v is not None)
    return ()


def _field(node: Node, kind: str, lang: str) -> FormField:
    spec = KINDS[kind]
    label = spec.labels.get(node.pattern)
    item = spec.labels.get(f"{node.pattern}[]")
    return FormField(
        name=node.pattern, key=node.key,
        label=label.name.text(lang) if label else node.key,
        help=label.note.text(lang) if label and label.note else "",
        example=_example(label if label and label.example else item),
        widget=node.widget, required=node.required,
        default=form_text(node.widget, node.schema.get("default")) or "",
        choices=_choices(node),
        fields=tuple(_field(child, kind, lang) for child in node.children),
        item_label=item.name.text(lang) if item else "",
        minimum=_bound(node.schema, "minimum"), maximum=_bound(node.schema, "maximum"),
        suggest_members=node.pattern in spec.loose_refs,
    )


def form_fields(kind: str, lang: str = "vi") -> list[FormField]:
    """The fields of ``kind``'s form, in the schema's order, labelled in ``lang``.

    KeyError for an unknown kind. Members' choices depend on the meeting date: see
    ``roster_choices``."""
    return [_field(node, kind, lang) for node in tree(kind)]


# --------------------------------------------------------------------------- the roster

_STATUS_TAGS = ("official", "probationary", "expected", "exempt", "temp_out", "temp_in", "suspended")


def roster_choices(profile: Profile, day: dt.date, lang: str = "vi") -> list[Choice]:
    """The members a paper of ``day`` may name: the cell's members on that day and members
    of other cells attending temporarily, each with its status on that day in ``lang``
    (docgen roster's words) and its tags (official, probationary, expected: summoned,
    exempt, temp_out, temp_in, suspended)."""
    statuses = {s.id: s for s in roster_on(profile, day)}
    out: list[Choice] = []
    for row in roster_view(profile, day).rows:
        status = statuses[row.id]
        if not (status.counted or status.temp_in):
            continue
        tags = tuple(t for t in _STATUS_TAGS if getattr(status, t))
        out.append(Choice(row.id, member_label(status.member), row.status_text(lang), row.position, tags))
    return out
