"""The topic list shipped with docgen (domain reference §6)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from docgen.vn.text import clean, fold

# Syllables as search cuts them (docgen.search.analysis.syllables): runs of letters and digits.
_SYLLABLE = re.compile(r"[^\W_]+")
SUGGESTIONS = 5
_CLOSE = 0.6


@dataclass(frozen=True)
class Topic:
    id: str
    group: str
    label: str
    abbreviations: tuple[str, ...]
    synonyms: tuple[str, ...]

    @property
    def phrases(self) -> tuple[str, ...]:
        """Every form that names this topic: label, abbreviations, synonyms."""
        return (self.label, *self.abbreviations, *self.synonyms)

    @property
    def label_parts(self) -> tuple[str, ...]:
        """The label cut at ";" (each part names the topic on its own), quotes removed."""
        return tuple(part.strip() for part in self.label.replace('"', " ").split(";") if part.strip())

    @property
    def forms(self) -> tuple[tuple[str, ...], ...]:
        """The folded syllable sequences that name this topic, as search matches them:
        each label part, each abbreviation and each synonym ("VSMT", "vệ sinh môi trường"
        and "ve sinh moi truong" are one form)."""
        seen: dict[tuple[str, ...], None] = {}
        for phrase in (*self.label_parts, *self.abbreviations, *self.synonyms):
            form = phrase_form(phrase)
            if form:
                seen.setdefault(form, None)
        return tuple(seen)


def phrase_form(text: str) -> tuple[str, ...]:
    """The folded syllables of ``text``: "Vệ sinh môi-trường" → ("ve", "sinh", "moi", "truong")."""
    return tuple(_SYLLABLE.findall(fold(clean(text))))


def _parse(raw: list[dict[str, object]]) -> tuple[Topic, ...]:
    topics = []
    for item in raw:
        topics.append(
            Topic(
                id=str(item["id"]),
                group=clean(str(item.get("group", ""))),
                label=clean(str(item["label"])),
                abbreviations=tuple(clean(str(a)) for a in item.get("abbreviations") or []),  # type: ignore[attr-defined]
                synonyms=tuple(clean(str(s)) for s in item.get("synonyms") or []),  # type: ignore[attr-defined]
            )
        )
    return tuple(topics)


@lru_cache(maxsize=8)
def load_topics(path: Path | None = None) -> tuple[Topic, ...]:
    """The shipped topic list, or a user's own list at ``path``."""
    if path is None:
        # the package folder, as importlib.resources.files("docgen") gives it on disk,
        # without importing importlib.resources and zipfile into every search
        text = (Path(__file__).resolve().parent / "data" / "topics.yaml").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    return _parse(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))  # C: 2 ms, not 13


def topic_ids(path: Path | None = None) -> frozenset[str]:
    return frozenset(t.id for t in load_topics(path))


def topic_by_id(topic_id: str, path: Path | None = None) -> Topic | None:
    for topic in load_topics(path):
        if topic.id == topic_id:
            return topic
    return None


def find_topics(text: str, path: Path | None = None) -> tuple[Topic, ...]:
    """The topics ``text`` names as a whole: its id (any case, spaces for hyphens), its whole
    label or a label part, an abbreviation or a synonym, accents and case ignored
    ("VSMT", "nông thôn mới", "ANTT"). Several topics when a form is shared; none if unknown.
    """
    topics = load_topics(path)
    form = phrase_form(text)
    if not form:
        return ()
    as_id = "-".join(form)
    by_id = [t for t in topics if t.id == as_id]
    if by_id:
        return tuple(by_id)
    return tuple(t for t in topics if form in t.forms or form == phrase_form(t.label))


def topic_label(topic: Topic) -> str:
    """"vsmt — Vệ sinh môi trường", how a topic is listed in a message (the label's first part)."""
    return f"{topic.id} — {(topic.label_parts or (topic.label,))[0]}"


def closest_topics(text: str, limit: int = SUGGESTIONS, path: Path | None = None) -> tuple[Topic, ...]:
    """Up to ``limit`` topics whose id, label or forms are closest to ``text``."""
    from difflib import SequenceMatcher

    key = " ".join(phrase_form(text))
    if not key:
        return ()
    scored: list[tuple[float, int, Topic]] = []
    for order, topic in enumerate(load_topics(path)):
        candidates = {topic.id.replace("-", " "), " ".join(phrase_form(topic.label)),
                      *(" ".join(f) for f in topic.forms)}
        score = max(SequenceMatcher(None, key, c).ratio() for c in candidates)
        if score >= _CLOSE:
            scored.append((-score, order, topic))
    return tuple(t for _, _, t in sorted(scored, key=lambda s: (s[0], s[1]))[:limit])
