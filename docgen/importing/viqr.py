"""VIQR (Vietnamese Quoted-Readable, RFC 1456): Vietnamese typed in ASCII, decoded.

A vowel is followed by its modifier and then its tone: ``a(`` ă, ``a^`` â, ``e^`` ê,
``o^`` ô, ``o+`` ơ, ``u+`` ư; ``dd`` đ (``DD``, ``Dd`` Đ); tones ``'`` sắc, `` ` ``
huyền, ``?`` hỏi, ``~`` ngã, ``.`` nặng ("Vie^.t Nam" → "Việt Nam"). A backslash keeps
the next character as it is ("ddi dda^u\\?" → "đi đâu?").

VIQR is ambiguous: "?" and "." also end sentences, "'" quotes. A mark directly after a
vowel is that vowel's tone, unless the word already has a tone: then it is punctuation
("dda^'u?" → "đấu?"). After any other character it is punctuation ("Ha` No^.i." →
"Hà Nội."). A sentence mark right after an untoned vowel must be escaped ("To^i\\." →
"Tôi."), as RFC 1456 says. So only decode text the user says is VIQR.
"""

from __future__ import annotations

import unicodedata

__all__ = ["decode_viqr"]

_VOWELS = set("aeiouyAEIOUY")
_MODIFIERS = {
    ("a", "("): "\u0306", ("a", "^"): "\u0302", ("e", "^"): "\u0302", ("o", "^"): "\u0302",
    ("o", "+"): "\u031b", ("u", "+"): "\u031b",
}
_TONES = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}


def _is_letter(char: str) -> bool:
    return char.isalpha()


def decode_viqr(text: str) -> str:
    """VIQR text → NFC Unicode: "Xin cha`o ca'c ba.n" → "Xin chào các bạn"."""
    out: list[str] = []
    i = 0
    n = len(text)
    word_toned = False  # the current word already has a tone
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n:
            out.append(text[i + 1])
            word_toned = word_toned and _is_letter(text[i + 1])
            i += 2
            continue
        if char in "dD" and i + 1 < n and text[i + 1] in "dD" and (char == "D" or text[i + 1] == "d"):
            out.append("Đ" if char == "D" else "đ")
            i += 2
            continue
        if char in _VOWELS:
            modifier = tone = ""
            i += 1
            while i < n and not (modifier and tone):
                nxt = text[i]
                if not modifier and (char.lower(), nxt) in _MODIFIERS:
                    modifier = _MODIFIERS[char.lower(), nxt]
                elif not tone and not word_toned and nxt in _TONES:
                    tone = _TONES[nxt]
                    word_toned = True
                else:
                    break
                i += 1
            out.append(char + modifier + tone)  # the modifier first, as NFC composes
            continue
        if not _is_letter(char):
            word_toned = False
        out.append(char)
        i += 1
    return unicodedata.normalize("NFC", "".join(out))
