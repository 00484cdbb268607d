"""Highlighted snippets: the clauses that contain the query's words, words in ** **."""

from __future__ import annotations

import re

from docgen.search.analysis import folded_text

MAX_SNIPPETS = 2
MAX_CHARS = 220
_SENTENCE = re.compile(r"[^.!?\n;]+[.!?;]?")
_WORD = re.compile(r"[^\W_]+")


def _matched_spans(sentence: str, units: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    words = [(m.start(), m.end(), folded_text(m.group())) for m in _WORD.finditer(sentence)]
    folded = [w[2] for w in words]
    spans = []
    for unit in units:
        n = len(unit)
        for i in range(len(folded) - n + 1):
            if len(unit) == 1 and "*" not in unit[0] and folded[i] == unit[0] or (
                    n > 1 and tuple(folded[i:i + n]) == unit):
                spans.append((words[i][0], words[i + n - 1][1]))
    return spans


def _marked(sentence: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in sorted(set(spans)):
        if start < last:
            continue
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
    units = [tuple(u.split()) for u in folded_units if u.strip()]
    scored = []
    for m in _SENTENCE.finditer(text):
        sentence = m.group()
        spans = _matched_spans(sentence, units)
        if spans:
            scored.append((len(set(spans)), -m.start(), sentence, spans))
    scored.sort(reverse=True)
    return tuple(_marked(s, sp) for _, _, s, sp in scored[:MAX_SNIPPETS])
