"""Query syntax: words, "phrases", AND/OR/NOT, prefix*, field:value, parentheses.

    vệ sinh môi trường            every word (any accent, any case), pairs rank higher
    "nông thôn mới" 2023          the phrase and the word
    rác OR "phân loại"            either
    ANTT NOT "thuế"               the first without the second (also: -thuế)
    chuyển*                       words starting with "chuyen"
    topic:vsmt kind:nghi-quyet cell:"An Thành" year:2023 title:"kế hoạch"
"""

from __future__ import annotations

import re
from typing import NamedTuple

from docgen.errors import SearchError
from docgen.i18n import Msg

FIELDS = ("topic", "kind", "cell", "year", "title", "from", "to")
_FIELD_ALIASES = {"chude": "topic", "chủ đề": "topic", "loai": "kind", "loại": "kind",
                  "chibo": "cell", "nam": "year", "năm": "year", "tieude": "title"}


class Node:
    """A node of the parsed query, compared by value. Plain classes with ``__slots__``:
    each dataclass costs every `docgen search` a few tenths of a millisecond to create."""

    __slots__: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclasses were

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({inner})"


class Words(Node):
    __slots__ = ("words",)

    def __init__(self, words: list[str]) -> None:
        self.words = words  # bare words as typed, in order


class Phrase(Node):
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class Prefix(Node):
    __slots__ = ("stem",)

    def __init__(self, stem: str) -> None:
        self.stem = stem


class FieldQ(Node):
    __slots__ = ("name", "value")

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self.value = value


class And(Node):
    __slots__ = ("children",)

    def __init__(self, children: list[Node] | None = None) -> None:
        self.children: list[Node] = [] if children is None else children


class Or(Node):
    __slots__ = ("children",)

    def __init__(self, children: list[Node] | None = None) -> None:
        self.children: list[Node] = [] if children is None else children


class Not(Node):
    __slots__ = ("child",)

    def __init__(self, child: Node) -> None:
        self.child = child


_TOKEN = re.compile(
    r'\s*(?:(?P<lpar>\()|(?P<rpar>\))|(?P<field>[^\W\d][\w-]*):(?P<fval>"[^"]*"?|[^\s()"]*)'
    r'|(?P<phrase>"[^"]*"?)|(?P<minus>-)(?=[^\s-])|(?P<word>[^\s()"]+))'
)


def _error(query: str, pos: int, vi: str, en: str) -> SearchError:
    pointer = query + "\n" + " " * pos + "^"
    return SearchError(
        Msg(f"truy vấn không hợp lệ: {vi}\n{pointer}", f"malformed query: {en}\n{pointer}"),
        field="query",
        hint=Msg('ví dụ đúng: "nông thôn mới" 2023 topic:vsmt; đóng ngoặc kép và ngoặc đơn, '
                 "AND/OR/NOT cần từ ở hai bên",
                 'a valid example: "nông thôn mới" 2023 topic:vsmt; close quotes and '
                 "parentheses, AND/OR/NOT need words on both sides"),
    )


class _Tok(NamedTuple):
    kind: str
    value: str
    pos: int
    extra: str = ""


def _tokens(query: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if m is None or m.end() == pos:
            if query[pos:].strip() == "":
                break
            raise _error(query, pos, "ký tự không đọc được", "unreadable character")
        start = m.start(m.lastgroup or 0)
        if m.group("lpar"):
            toks.append(_Tok("(", "(", start))
        elif m.group("rpar"):
            toks.append(_Tok(")", ")", start))
        elif m.group("field") is not None:
            toks.append(_field_token(query, m, start))
        elif m.group("phrase") is not None:
            text = m.group("phrase")
            if len(text) < 2 or not text.endswith('"'):
                raise _error(query, start, "thiếu dấu ngoặc kép đóng", "missing closing quote")
            toks.append(_Tok("phrase", text[1:-1], start))
        elif m.group("minus"):
            toks.append(_Tok("NOT", "-", start))
        else:
            word = m.group("word")
            kind = word if word in ("AND", "OR", "NOT") else "word"
            toks.append(_Tok(kind, word, start))
        pos = m.end()
    return toks


def _field_token(query: str, m: re.Match[str], start: int) -> _Tok:
    name = m.group("field").lower()
    name = _FIELD_ALIASES.get(name, name)
    value = m.group("fval")
    if name not in FIELDS:
        raise _error(query, start, f"không có trường '{m.group('field')}' (dùng: {', '.join(FIELDS)})",
                     f"no field '{m.group('field')}' (use: {', '.join(FIELDS)})")
    if value.startswith('"'):
        if len(value) < 2 or not value.endswith('"'):
            raise _error(query, start, "thiếu dấu ngoặc kép đóng", "missing closing quote")
        value = value[1:-1]
    if not value.strip():
        raise _error(query, start, f"trường {name}: thiếu giá trị", f"field {name}: value missing")
    if name == "year" and not re.fullmatch(r"\d{4}", value.strip()):
        typed = f"{m.group('field')}:{value}"
        raise _error(query, start, f"{typed}: năm phải ghi đủ 4 chữ số (vd. year:2026)",
                     f"{typed}: a year has four digits (e.g. year:2026)")
    return _Tok("field", value, start, extra=name)


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.toks = _tokens(query)
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def fail(self, tok: _Tok | None, vi: str, en: str) -> SearchError:
        return _error(self.query, tok.pos if tok else len(self.query), vi, en)

    def parse(self) -> Node:
        if not self.toks:
            raise self.fail(None, "truy vấn trống", "empty query")
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:
            raise self.fail(tok, "dấu ngoặc đóng ')' thừa", "unexpected ')'")
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Or(parts)

    def and_expr(self) -> Node:
        parts: list[Node] = []
        words: list[str] = []
        while (tok := self.peek()) is not None and tok.kind not in ("OR", ")"):
            if tok.kind == "AND":
                self.take()
                if not parts and not words:
                    raise self.fail(tok, "AND cần từ ở bên trái", "AND needs a word on its left")
                nxt = self.peek()
                if nxt is None or nxt.kind in ("OR", ")", "AND"):
                    raise self.fail(tok, "AND cần từ ở bên phải", "AND needs a word on its right")
                continue
            if tok.kind == "word" and not tok.value.endswith("*"):
                words.append(self.take().value)
                continue
            if words:
                parts.append(Words(words))
                words = []
            parts.append(self.unary())
        if words:
            parts.append(Words(words))
        if not parts:
            tok = self.peek()
            raise self.fail(tok, "thiếu từ tìm kiếm (trước OR hoặc ')')",
                            "a search word is missing (before OR or ')')")
        return parts[0] if len(parts) == 1 else And(parts)

    def unary(self) -> Node:
        tok = self.take()
        if tok.kind == "NOT":
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "AND", ")", "NOT"):
                raise self.fail(tok, "NOT cần một từ theo sau", "NOT needs a word after it")
            return Not(self.unary())
        if tok.kind == "(":
            if (nxt := self.peek()) is not None and nxt.kind == ")":
                raise self.fail(nxt, "cặp ngoặc rỗng", "empty parentheses")
            node = self.or_expr()
            close = self.peek()
            if close is None or close.kind != ")":
                raise self.fail(tok, "thiếu dấu ngoặc đóng ')'", "missing closing ')'")
            self.take()
            return node
        if tok.kind == "phrase":
            if not tok.value.strip():
                raise self.fail(tok, "cụm từ trong ngoặc kép trống", "empty quoted phrase")
            return Phrase(tok.value)
        if tok.kind == "field":
            return FieldQ(tok.extra, tok.value)
        if tok.kind == "word":
            stem = tok.value.rstrip("*")
            if not stem or "*" in stem:
                raise self.fail(tok, "dấu * chỉ đặt ở cuối một từ (vd: chuyển*)",
                                "* goes at the end of a word (e.g. chuyen*)")
            return Prefix(stem)
        raise self.fail(tok, f"không mong đợi '{tok.value}'", f"unexpected '{tok.value}'")


def parse_query(query: str) -> Node:
    """Parse ``query`` into a tree; SearchError with a pointer for malformed input."""
    return _Parser(query).parse()
