"""NFC normalisation, accent folding (with đ → d) and tone-placement normalisation.

Facts (domain reference §8): đ/Đ have no Unicode decomposition, so folding maps them
by hand; old ("hoà", "uỷ") and new ("hòa", "ủy") tone placement are different NFC
strings; Windows' built-in keyboard types decomposed (NFD) text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f"), " ")

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
    """NFC, non-breaking spaces to spaces, zero-width characters removed.

    U+00AD (soft hyphen) is kept: in legacy TCVN3 text it is the letter "ư".
    """
    return nfc(value.translate(_ZERO_WIDTH).translate(_SPACES))


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


def fold(value: str) -> str:
    """Accent-folded, case-folded form: "Đảng ủy" → "dang uy"."""
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D").casefold()
