"""The topic list shipped with docgen (domain reference §6), and how text names a topic.

One implementation of topic names for the whole of docgen: input files (docgen.model.resolve),
the ``--topic`` option of every command (docgen.archive.filters) and search (suggested
topics and query expansion, docgen.search.topicmatch) all use the *forms* of this module.
A form is a folded syllable sequence (``phrase_form``: the syllables search cuts, accents
and case folded), so "VSMT", "vệ sinh môi trường" and "ve sinh moi truong" are one form
each of topic ``vsmt``. No whoosh here: light commands import this module.

The list is ``data/topics.yaml``; ``data/topics.json`` is the same list already parsed
(reading it needs no YAML parser, which costs a search more than the whole rest of the
topic code). The JSON records the CRC-32 of the YAML text it was made from: when the YAML
has been edited since, the YAML is read instead, and tests/search/test_topics_data.py fails
until ``python -m docgen.topics`` writes the JSON again.
"""

from __future__ import annotations

import json
import zlib
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from docgen.vn.text import clean, fold, words

DATA = Path(__file__).resolve().parent / "data"  # the package folder, without importlib.resources
TOPICS_YAML = DATA / "topics.yaml"
TOPICS_JSON = DATA / "topics.json"
SUGGESTIONS = 5
_CLOSE = 0.6

Form = tuple[str, ...]  # folded syllables: ("ve", "sinh", "moi", "truong")


class Topic:
    """One entry of the topic list (compared by value; a plain class: a dataclass costs
    every process that imports it a few tenths of a millisecond)."""

    def __init__(self, id: str, group: str, label: str, abbreviations: tuple[str, ...] = (),
                 synonyms: tuple[str, ...] = ()) -> None:
        self.id = id
        self.group = group
        self.label = label
        self.abbreviations = tuple(abbreviations)
        self.synonyms = tuple(synonyms)

    def _key(self) -> tuple[object, ...]:
        return (self.id, self.group, self.label, self.abbreviations, self.synonyms)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Topic) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"Topic(id={self.id!r}, group={self.group!r}, label={self.label!r}, "
                f"abbreviations={self.abbreviations!r}, synonyms={self.synonyms!r})")

    @property
    def phrases(self) -> tuple[str, ...]:
        """Every form that names this topic: label, abbreviations, synonyms."""
        return (self.label, *self.abbreviations, *self.synonyms)

    @property
    def label_parts(self) -> tuple[str, ...]:
        """The label cut at ";" (each part names the topic on its own), quotes removed."""
        return tuple(part.strip() for part in self.label.replace('"', " ").split(";") if part.strip())

    @cached_property
    def forms(self) -> tuple[Form, ...]:
        """The forms that name this topic, as search matches them: each label part, each
        abbreviation and each synonym, in that order, each once."""
        seen: dict[Form, None] = {}
        for phrase in (*self.label_parts, *self.abbreviations, *self.synonyms):
            form = phrase_form(phrase)
            if form:
                seen.setdefault(form, None)
        return tuple(seen)

    @cached_property
    def names(self) -> tuple[Form, ...]:
        """What names this topic as a whole value (``find_topics``): its forms and its whole
        label ("Vệ sinh môi trường; thu gom, phân loại rác" in one piece)."""
        whole = phrase_form(self.label)
        return self.forms if not whole or whole in self.forms else (*self.forms, whole)


def phrase_form(text: str) -> Form:
    """The folded syllables of ``text``, as search's analysis cuts them:
    "Vệ sinh môi-trường" → ("ve", "sinh", "moi", "truong")."""
    return tuple(words(fold(text)))


# ------------------------------------------------------------------------- the list
def _parse(raw: list[dict[str, Any]]) -> tuple[Topic, ...]:
    return tuple(
        Topic(id=str(item["id"]), group=clean(str(item.get("group", ""))),
              label=clean(str(item["label"])),
              abbreviations=tuple(clean(str(a)) for a in item.get("abbreviations") or []),
              synonyms=tuple(clean(str(s)) for s in item.get("synonyms") or []))
        for item in raw)


def _parse_yaml(text: str) -> tuple[Topic, ...]:
    import yaml  # only for a user's own list, or a shipped YAML newer than its JSON

    return _parse(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _shipped() -> tuple[Topic, ...]:
    text = TOPICS_YAML.read_text("utf-8")
    try:
        data = json.loads(TOPICS_JSON.read_text("utf-8"))
        if data.get("yaml_crc32") == _crc(text):
            return _parse(data["topics"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return _parse_yaml(text)


def topics_json(topics: tuple[Topic, ...] | None = None) -> str:
    """The text of data/topics.json for the shipped YAML (``topics``: as parsed from it)."""
    text = TOPICS_YAML.read_text("utf-8")
    parsed = _parse_yaml(text) if topics is None else topics
    items = [{"id": t.id, "group": t.group, "label": t.label,
              "abbreviations": list(t.abbreviations), "synonyms": list(t.synonyms)}
             for t in parsed]
    rows = ",\n".join(f"  {json.dumps(item, ensure_ascii=False)}" for item in items)
    return ('{"generated_from": "topics.yaml by python -m docgen.topics",\n'
            f' "yaml_crc32": {_crc(text)},\n "topics": [\n{rows}\n]}}\n')


@lru_cache(maxsize=8)
def load_topics(path: Path | None = None) -> tuple[Topic, ...]:
    """The shipped topic list, or a user's own list (YAML) at ``path``."""
    return _shipped() if path is None else _parse_yaml(path.read_text("utf-8"))


def topic_ids(path: Path | None = None) -> frozenset[str]:
    return frozenset(t.id for t in load_topics(path))


def topic_by_id(topic_id: str, path: Path | None = None) -> Topic | None:
    for topic in load_topics(path):
        if topic.id == topic_id:
            return topic
    return None


# ------------------------------------------------------------- forms → topics
@lru_cache(maxsize=8)
def form_owners(path: Path | None = None) -> dict[Form, tuple[str, ...]]:
    """Every form of the list → the ids of the topics it is a form of (list order)."""
    owners: dict[Form, list[str]] = {}
    for topic in load_topics(path):
        for form in topic.forms:
            owners.setdefault(form, []).append(topic.id)
    return {form: tuple(ids) for form, ids in owners.items()}


@lru_cache(maxsize=8)
def _name_owners(path: Path | None) -> dict[Form, tuple[Topic, ...]]:
    owners: dict[Form, list[Topic]] = {}
    for topic in load_topics(path):
        for name in topic.names:
            owners.setdefault(name, []).append(topic)
    return {name: tuple(topics) for name, topics in owners.items()}


def find_topics(text: str, path: Path | None = None) -> tuple[Topic, ...]:
    """The topics ``text`` names as a whole: its id (any case, spaces for hyphens), its whole
    label or a label part, an abbreviation or a synonym, accents and case ignored
    ("VSMT", "nông thôn mới", "ANTT"). Several topics when a form is shared; none if unknown.
    """
    form = phrase_form(text)
    if not form:
        return ()
    by_id = topic_by_id("-".join(form), path)
    if by_id is not None:
        return (by_id,)
    return _name_owners(path).get(form, ())


def topic_label(topic: Topic) -> str:
    """"vsmt — Vệ sinh môi trường", how a topic is listed in a message (the label's first part)."""
    return f"{topic.id} — {(topic.label_parts or (topic.label,))[0]}"


def _holds(name: str, key: str) -> bool:
    """True when ``name`` holds the words of ``key`` in a row; the last one may be the start
    of a word when ``key`` has three letters or more."""
    return f" {key} " in f" {name} " or (len(key) >= 3 and f" {key}" in f" {name}")


def closest_topics(text: str, limit: int = SUGGESTIONS, path: Path | None = None) -> tuple[Topic, ...]:
    """Up to ``limit`` topics whose id, label or forms are closest to ``text``: first those
    with a name that holds its words in a row, the last one maybe cut short ("vệ sinh",
    "ve sinh moi tr" → vsmt), the fullest match first; then the most alike."""
    from difflib import SequenceMatcher

    key = " ".join(phrase_form(text))
    if not key:
        return ()
    scored: list[tuple[float, int, Topic]] = []
    for order, topic in enumerate(load_topics(path)):
        candidates = {topic.id.replace("-", " "), *(" ".join(n) for n in topic.names)}
        score = max(1 + len(key) / len(c) if _holds(c, key) else
                    SequenceMatcher(None, key, c).ratio() for c in candidates)
        if score >= _CLOSE:
            scored.append((-score, order, topic))
    return tuple(t for _, _, t in sorted(scored, key=lambda s: (s[0], s[1]))[:limit])


if __name__ == "__main__":  # python -m docgen.topics: write data/topics.json from the YAML
    TOPICS_JSON.write_text(topics_json(), "utf-8")
    print(f"{TOPICS_JSON}: {len(load_topics())} topics")
