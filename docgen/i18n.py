"""Bilingual messages: Vietnamese by default, English on request.

Library code never decides the language. It builds ``Msg`` objects carrying both
texts; the CLI picks one with ``Msg.text(lang)``.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"


@dataclass(frozen=True)
class Msg:
    """A message in Vietnamese and English, formatted lazily with ``args``."""

    vi: str
    en: str

    def text(self, lang: str = DEFAULT_LANG) -> str:
        return self.en if lang == "en" else self.vi

    def format(self, **kwargs: object) -> Msg:
        return Msg(self.vi.format(**kwargs), self.en.format(**kwargs))

    def __str__(self) -> str:
        return self.vi


def lang_from_env(environ: dict[str, str] | None = None) -> str:
    """Language from DOCGEN_LANG, then LANG/LC_ALL (``en*`` → English)."""
    import os

    env = os.environ if environ is None else environ
    explicit = env.get("DOCGEN_LANG", "").strip().lower()
    if explicit in LANGS:
        return explicit
    for var in ("LC_ALL", "LANG"):
        value = env.get(var, "").lower()
        if value.startswith("en"):
            return "en"
        if value.startswith("vi"):
            return "vi"
    return DEFAULT_LANG


def h(vi: str, en: str) -> str:
    """Help text for click, chosen once at import time from the environment."""
    return en if lang_from_env() == "en" else vi
