"""The topic list shipped with docgen (domain reference §6)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from docgen.vn.text import clean


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
        text = resources.files("docgen").joinpath("data/topics.yaml").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    return _parse(yaml.safe_load(text))


def topic_ids(path: Path | None = None) -> frozenset[str]:
    return frozenset(t.id for t in load_topics(path))


def topic_by_id(topic_id: str, path: Path | None = None) -> Topic | None:
    for topic in load_topics(path):
        if topic.id == topic_id:
            return topic
    return None
