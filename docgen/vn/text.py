"""NFC normalisation, accent folding (with đ → d) and tone-placement normalisation.

Facts (domain reference §8): đ/Đ have no Unicode decomposition, so folding maps them
by hand; old ("hoà", "uỷ") and new ("hòa", "ủy") tone placement are different NFC
strings; Windows' built-in keyboard types decomposed (NFD) text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Invisible characters that copy and paste (Word, web pages, phone keyboards) leave in
# names and text: zero-width space / non-joiner / joiner, word joiner, byte-order mark.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# Spaces that must not break a line, but are spaces: no-break, figure, narrow no-break.
NO_BREAK_SPACES = "\u00a0\u2007\u202f"
_CLEAN_TABLE: dict[int, str | None] = {
    **dict.fromkeys(map(ord, ZERO_WIDTH), None),
    **dict.fromkeys(map(ord, NO_BREAK_SPACES), " "),
}
_SPECIAL = re.compile(f"[{ZERO_WIDTH}{NO_BREAK_SPACES}]")
# Combining marks dropped by ``fold``: the combining diacritical blocks (Vietnamese tone
# and vowel marks are all in U+0300-U+036F once decomposed).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")

# Tone marks as combining characters (NFD).
_TONES = "\u0300\u0301\u0303\u0309\u0323"

# Old style puts the tone on the second vowel of open "oa", "oe", "uy" syllables
# ("hoà", "khoẻ", "thuỷ"); new style on the first ("hòa", "khỏe", "thủy"). In "qu"
# the u is part of the consonant, so "quý" is the same in both styles.
_OLD_TONE = re.compile(
    r"(?<![qQ\w])([^\W\d_]*?)(?<![qQ])([oO][aAeE]|[uU][yY])([" + _TONES + r"])(?![^\W\d_])"
)


def nfc(value: str) -> str:
    """NFC-normalise ``value`` (composed Unicode, TCVN 6909:2001)."""
    return unicodedata.normalize("NFC", value)


def clean(value: str) -> str:
    """NFC, no-break spaces (U+00A0, U+2007, U+202F) to spaces, zero-width characters
    (U+200B, U+200C, U+200D, U+2060, U+FEFF) removed.

    U+00AD (soft hyphen) is kept: in legacy TCVN3 text it is the letter "ư".
    """
    if _SPECIAL.search(value) is not None:
        value = value.translate(_CLEAN_TABLE)
    return value if unicodedata.is_normalized("NFC", value) else nfc(value)


def clean_tree(value: Any) -> Any:
    """``clean`` every string inside nested dicts and lists (keys too)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean_tree(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v) for v in value]
    return value


def _move_tone(match: re.Match[str]) -> str:
    prefix, pair, tone = match.group(1), match.group(2), match.group(3)
    return prefix + pair[0] + tone + pair[1]


def normalize_tone(value: str) -> str:
    """Rewrite old-style tone placement to new style: "hoà" → "hòa", "uỷ" → "ủy".

    Returns NFC text.
    """
    decomposed = unicodedata.normalize("NFD", value)
    # In NFD a vowel's own marks (circumflex, breve, horn) come before or after the
    # tone; only bare o/u + a/e/y + tone are the ambiguous syllables.
    return nfc(_OLD_TONE.sub(_move_tone, decomposed))


_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words (syllables) of ``text`` in order: runs of letters and digits."""
    return _WORD.findall(text)


def fold(value: str) -> str:
    """Accent-folded, case-folded form: "Đảng ủy" → "dang uy".

    The one fold of docgen: search's index and queries, the catalog's cell filter,
    numbering's folder names. ``clean`` first (no-break spaces become spaces,
    zero-width characters go), then decompose, drop the combining marks, map đ/Đ
    (which have no decomposition) to d, and casefold. NFC and NFD input fold alike.
    Only C-level passes: it runs over every indexed text.
    """
    if _SPECIAL.search(value) is not None:
        value = value.translate(_CLEAN_TABLE)
    decomposed = unicodedata.normalize("NFD", value)
    return _MARKS.sub("", decomposed).replace("đ", "d").replace("Đ", "D").casefold()
