"""Topics suggested from a document's text and topic expansion of queries.

The forms of a topic are docgen.topics' (``Topic.forms``, ``form_owners``): the ones input
files and ``--topic`` accept, matched here inside running text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from docgen.topics import Form, form_owners, load_topics, phrase_form, topic_by_id

# A topic is suggested when the text names it in at least this many different forms
# (one form repeated, e.g. "thuế bảo vệ môi trường", is not enough), or in the title.
MIN_DISTINCT_FORMS = 2


@lru_cache(maxsize=8)
def _form_pattern(path: Path | None) -> re.Pattern[str]:
    """One regex for every topic form (longest first), over space-joined syllables."""
    alternatives = sorted((" ".join(form) for form in form_owners(path)), key=len, reverse=True)
    return re.compile(r"(?<![^ ])(?:" + "|".join(map(re.escape, alternatives)) + r")(?![^ ])")


def _forms_found(text: str, path: Path | None) -> dict[str, set[str]]:
    """topic id → the distinct forms ``text`` names it by."""
    owners = form_owners(path)
    found: dict[str, set[str]] = {}
    for form in set(_form_pattern(path).findall(" ".join(phrase_form(text)))):
        for topic_id in owners[tuple(form.split(" "))]:
            found.setdefault(topic_id, set()).add(form)
    return found


def suggest_topics(title: str, text: str, path: Path | None = None) -> tuple[str, ...]:
    """Topic ids the title and text name (see MIN_DISTINCT_FORMS), in list order."""
    in_body = _forms_found(text, path)
    in_title = _forms_found(title, path)
    return tuple(t.id for t in load_topics(path)
                 if len(in_body.get(t.id, ())) >= MIN_DISTINCT_FORMS or t.id in in_title)


class TopicSpan(NamedTuple):
    start: int
    end: int  # exclusive
    topic_ids: tuple[str, ...]


@lru_cache(maxsize=8)
def _longest(path: Path | None) -> int:
    return max((len(form) for form in form_owners(path)), default=1)


def find_topic_spans(words: Sequence[str], path: Path | None = None) -> list[TopicSpan]:
    """Longest runs of folded ``words`` that are a form of some topic (left to right)."""
    owners, longest = form_owners(path), _longest(path)
    spans: list[TopicSpan] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            ids = owners.get(tuple(words[i:i + size]))
            if ids:
                spans.append(TopicSpan(i, i + size, ids))
                i += size
                break
        else:
            i += 1
    return spans


def expansion_forms(topic_id: str, path: Path | None = None) -> tuple[Form, ...]:
    """Every form of the topic (a query naming one form also looks for the others)."""
    topic = topic_by_id(topic_id, path)
    return () if topic is None else topic.forms
