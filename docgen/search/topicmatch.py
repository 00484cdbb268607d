"""Topics suggested from a document's text and topic expansion of queries.

Every form of a topic (label parts, abbreviations, synonyms) is matched as a folded
syllable sequence, so "VSMT", "vệ sinh môi trường" and "ve sinh moi truong" all name
topic ``vsmt``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docgen.search.analysis import folded_text, syllables
from docgen.topics import Topic, load_topics

# A topic is suggested when the text names it in at least this many different forms
# (one form repeated, e.g. "thuế bảo vệ môi trường", is not enough), or in the title.
MIN_DISTINCT_FORMS = 2


@dataclass(frozen=True)
class TopicForms:
    id: str
    forms: tuple[tuple[str, ...], ...]  # folded syllable sequences


def _label_parts(label: str) -> list[str]:
    return [part.strip() for part in label.replace('"', " ").split(";") if part.strip()]


def _forms_of(topic: Topic) -> tuple[tuple[str, ...], ...]:
    seen: dict[tuple[str, ...], None] = {}
    for phrase in (*_label_parts(topic.label), *topic.abbreviations, *topic.synonyms):
        form = tuple(syllables(folded_text(phrase)))
        if form:
            seen.setdefault(form, None)
    return tuple(seen)


@lru_cache(maxsize=8)
def topic_forms(path: Path | None = None) -> tuple[TopicForms, ...]:
    return tuple(TopicForms(t.id, _forms_of(t)) for t in load_topics(path))


@lru_cache(maxsize=8)
def _form_pattern(path: Path | None) -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """One regex for every topic form (longest first) and form → topic ids."""
    owners: dict[str, list[str]] = {}
    for topic in topic_forms(path):
        for form in topic.forms:
            owners.setdefault(" ".join(form), []).append(topic.id)
    alternatives = sorted(owners, key=len, reverse=True)
    pattern = re.compile(r"(?<![^ ])(?:" + "|".join(map(re.escape, alternatives)) + r")(?![^ ])")
    return pattern, {k: tuple(v) for k, v in owners.items()}


def _forms_found(folded_syllables: str, path: Path | None) -> dict[str, set[str]]:
    """topic id → the distinct forms found in a space-joined folded syllable string."""
    pattern, owners = _form_pattern(path)
    found: dict[str, set[str]] = {}
    for form in set(pattern.findall(folded_syllables)):
        for topic_id in owners[form]:
            found.setdefault(topic_id, set()).add(form)
    return found


def suggest_topics(title: str, text: str, path: Path | None = None) -> tuple[str, ...]:
    """Topic ids the title and text name (see MIN_DISTINCT_FORMS)."""
    in_body = _forms_found(" ".join(syllables(folded_text(text))), path)
    in_title = _forms_found(" ".join(syllables(folded_text(title))), path)
    return tuple(t.id for t in topic_forms(path)
                 if len(in_body.get(t.id, ())) >= MIN_DISTINCT_FORMS or t.id in in_title)


@dataclass(frozen=True)
class TopicSpan:
    start: int
    end: int  # exclusive
    topic_ids: tuple[str, ...]


def find_topic_spans(words: Sequence[str], path: Path | None = None) -> list[TopicSpan]:
    """Longest runs of folded ``words`` that are a form of some topic (left to right)."""
    index: dict[tuple[str, ...], list[str]] = {}
    longest = 1
    for topic in topic_forms(path):
        for form in topic.forms:
            index.setdefault(form, []).append(topic.id)
            longest = max(longest, len(form))
    spans: list[TopicSpan] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            ids = index.get(tuple(words[i:i + size]))
            if ids:
                spans.append(TopicSpan(i, i + size, tuple(dict.fromkeys(ids))))
                i += size
                break
        else:
            i += 1
    return spans


def expansion_forms(topic_id: str, path: Path | None = None) -> tuple[tuple[str, ...], ...]:
    for topic in topic_forms(path):
        if topic.id == topic_id:
            return topic.forms
    return ()
