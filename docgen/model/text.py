"""Text shaping for templates: paragraphs from line breaks, safe single lines."""

from __future__ import annotations

import re
from typing import Any

# docxtpl turns \n, \t, \a, \f in values into breaks, tabs and paragraphs: values
# reaching a template carry none of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t]+")


def line(value: Any) -> str:
    """One line of text: None → "", line breaks and tabs → one space, controls removed."""
    if value is None:
        return ""
    text = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return _SPACES.sub(" ", text.replace("\n", " ").replace("\t", " ")).strip()


def lower_first(text: str) -> str:
    """A phrase as it goes on inside a sentence: "Triển khai …" → "triển khai …"; a word in
    capitals stays ("UBND xã", "HTX")."""
    word = text.split(" ", 1)[0]
    return text if len(word) > 1 and word.isupper() else text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """A phrase as it starts a sentence or a line: "sinh hoạt …" → "Sinh hoạt …"."""
    return text[:1].upper() + text[1:]


def paragraphs(value: Any) -> list[str]:
    """A long text field as paragraphs: one per non-empty line."""
    if value is None:
        return []
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return [p for p in (line(part) for part in text.split("\n")) if p]


def scrub(value: Any) -> Any:
    """Make every string inside a context safe for docxtpl (no control characters)."""
    if isinstance(value, str):
        return line(value) if any(c in value for c in "\n\r\t") or _CONTROL.search(value) else value
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


_OPENING = re.compile(r'(^|[\s(\[{“‘—–-])"')


def curly_quotes(text: str) -> str:
    """One style of quotation marks in print: "Ngày Chủ nhật xanh" → “Ngày Chủ nhật xanh”.

    A straight quote at the start or after a space or an opening bracket opens; any other
    closes. Text already in curly quotes is unchanged."""
    if '"' not in text:
        return text
    return _OPENING.sub(lambda m: m.group(1) + "“", text).replace('"', "”")


def printed(value: Any) -> Any:
    """Every string of a template context with curly quotation marks (``curly_quotes``)."""
    if isinstance(value, str):
        return curly_quotes(value)
    if isinstance(value, dict):
        return {k: printed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printed(v) for v in value]
    return value
