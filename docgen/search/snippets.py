"""Highlighted snippets: the sentences that contain the query's words, words in ** **."""

from __future__ import annotations

import re
from functools import lru_cache

from docgen.search.analysis import fold_chars

MAX_SNIPPETS = 2
MAX_CHARS = 220
_SENTENCE = re.compile(r"[^.!?\n;]+[.!?;]?")


@lru_cache(maxsize=256)
def _pattern(units: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted({r"[\W_]+".join(map(re.escape, u.split())) for u in units if u.split()},
                          key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])")


def _marked(sentence: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in spans:
        out.append(sentence[last:start] + "**" + sentence[start:end] + "**")
        last = end
    out.append(sentence[last:])
    text = "".join(out).strip()
    if len(text) > MAX_CHARS:
        first = text.find("**")
        begin = max(0, first - MAX_CHARS // 3)
        text = ("…" if begin else "") + text[begin:begin + MAX_CHARS].strip() + "…"
    return text


def snippets_for(text: str, folded_units: list[str]) -> tuple[str, ...]:
    """Up to two sentences of ``text`` with the most matches of ``folded_units``."""
    units = tuple(u for u in folded_units if u.strip())
    if not units or not text:
        return ()
    folded = fold_chars(text)
    matches = [m.span() for m in _pattern(units).finditer(folded)]
    if not matches:
        return ()
    scored = []
    for sm in _SENTENCE.finditer(text):
        s0, s1 = sm.span()
        inside = [(a - s0, b - s0) for a, b in matches if s0 <= a and b <= s1]
        if inside:
            scored.append((len({folded[s0 + a:s0 + b] for a, b in inside}), len(inside), -s0,
                           text[s0:s1], inside))
    scored.sort(reverse=True)
    return tuple(_marked(s, sp) for *_, s, sp in scored[:MAX_SNIPPETS])
