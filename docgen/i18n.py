"""Bilingual messages: Vietnamese by default, English on request.

Library code never decides the language. It builds ``Msg`` objects carrying both
texts; the CLI picks one with ``Msg.text(lang)``.

Vietnamese is the default on every machine, whatever the system locale says (most
Vietnamese office PCs run an English Windows or Linux): English only by ``--lang en``,
``DOCGEN_LANG=en`` or ``lang = "en"`` in docgen.toml (see ``docgen.config``).

The CLI's chosen language is kept here (``set_lang`` / ``current_lang``) so that help
texts and click's own words, which are formatted outside any command, follow it. Help
texts are written ``h(vi, en)``: every pair is remembered, so a help text created in
one language can be shown in the other (``help_text``) when the language changes
after the command was defined (a test running several languages in one process).
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
    """The language DOCGEN_LANG asks for, else Vietnamese.

    LANG, LC_ALL and the other locale variables are deliberately ignored: a
    Vietnamese secretary on an English system still gets Vietnamese.
    """
    import os

    env = os.environ if environ is None else environ
    explicit = env.get("DOCGEN_LANG", "").strip().lower()
    return explicit if explicit in LANGS else DEFAULT_LANG


_current = DEFAULT_LANG


def set_lang(lang: str) -> None:
    """Choose the language of help texts and click's words for this process."""
    global _current
    _current = lang if lang in LANGS else DEFAULT_LANG


def current_lang() -> str:
    """The language chosen with ``set_lang`` (Vietnamese until then)."""
    return _current


# Every h() pair, both ways: text (as written and as click cleans it) → (vi, en).
_PAIRS: dict[str, tuple[str, str]] = {}
# Texts given two different translations (one text must have one translation, or the
# help could not follow a change of language): see ``ambiguous_help``.
_AMBIGUOUS: set[str] = set()


def _cleaned(text: str) -> str:
    """``inspect.cleandoc(text)``, which click applies to an option's help."""
    if "\n" not in text:
        return text.expandtabs().lstrip()
    import inspect

    return inspect.cleandoc(text)


def _remember(vi: str, en: str) -> None:
    for pair in ((vi, en), (_cleaned(vi), _cleaned(en))):
        for text in pair:
            known = _PAIRS.setdefault(text, pair)
            if known != pair:
                _AMBIGUOUS.add(text)


def ambiguous_help() -> list[str]:
    """The help texts written so far with two different translations."""
    return sorted(_AMBIGUOUS)


def h(vi: str, en: str) -> str:
    """A help text for click in the current language; the other stays known to
    ``help_text`` so the help can follow a language chosen later."""
    _remember(vi, en)
    return en if _current == "en" else vi


def help_text(text: str, lang: str) -> str:
    """``text`` (one side of an ``h()`` pair) in ``lang``; other texts unchanged."""
    pair = _PAIRS.get(text)
    if pair is None:
        return text
    return pair[1] if lang == "en" else pair[0]


def docs_en(count: int) -> str:
    """"1 document", "3 documents" (Vietnamese has no plural: "{n} văn bản")."""
    return f"{count} document" if count == 1 else f"{count} documents"
