"""Pre-Unicode Vietnamese encodings: TCVN3 (ABC) and VNI-Windows, decoded and encoded.

Old commune papers were typed in 8-bit fonts. A .docx keeps each legacy byte as the
character of the same value in Windows-1252 (latin-1 for 0xA0–0xFF, cp1252 punctuation
such as ’ “ – for 0x80–0x9F) and names the font of the run (``.VnTime``, ``VNI-Times``);
the Vietnamese letters, all above 0x7F, sit in the run's ``w:hAnsi`` font. This module
turns such text (or the raw bytes) into NFC Unicode and back. It is pure: no I/O.

- **TCVN3** (fonts ``.Vn…``): one byte per letter. It has the untoned capitals
  Ă Â Ê Ô Ơ Ư Đ (0xA1–0xA7) but no toned capitals: all-caps text is typed with the
  *lowercase* codes in an "H" font (``.VnTimeH``), which draws every letter as a capital.
  ``ư`` is 0xAD, the soft-hyphen code: it is decoded to ``ư``, never dropped.
  Bytes 0x80–0x9F stay cp1252 punctuation (glibc's ``iconv -f TCVN5712-1`` turns them
  into capitals; this module does not).
- **VNI-Windows** (fonts ``VNI-…``): a base letter followed by a mark byte
  ("chào" is ``chaøo``); a capital's mark byte is its lowercase mark minus 0x20
  ("CHÀO" is ``CHAØO``). đ Đ í ì ỉ ĩ ị ơ ư ỵ and their capitals are single bytes.

Source of the tables (a mapping table is a fact; the code here is this module's own):
Unikey's converter library VnConv by Pham Kim Long, file ``ukengine/data.cpp`` of
https://github.com/vn-input/ibus-unikey (blob 733ed3579d729a91aae2fe5eb3152cead2ec436e,
unchanged since commit a58e6c45f671eb801fff74c5b053fa98d80fa272, read at HEAD
31894a09498974f204a3053af53060f99fa4de33): ``SingleByteTables`` entry "TCVN3",
``DoubleByteTables`` entry "VNI-WIN" and ``UnicodeTable`` (the order of the letters).
Below, the 134 letters are listed in Unikey's order with their codes copied byte for
byte. The 134 TCVN3 codes were also checked one by one against glibc's
``iconv -f TCVN5712-1`` (same letter, lowercase for the toned capitals).
Two deliberate differences from Unikey: bytes 0x80–0x9F decode to their cp1252
characters (Unikey maps 0x82 to U+20A1 ₡, cp1252 has U+201A ‚), and a VNI mark byte of
the other case after a vowel (``Aø``) is read as the mark all the same, with the case of
the base letter (what the font draws); the encoders never write it.
Unmapped bytes (TCVN3 0xA0, 0xAF–0xB4; VNI bytes that are not letters or marks) keep
their latin-1 character, as in Unikey.

Which encoding a run is in comes from its font (``font_encoding``); only text with no
font (PDF text layers, .txt files) is guessed (``guess_encoding``). Never decode text
whose font is not a legacy one: Unicode "á" read as TCVN3 becomes "ỏ".
``docgen.model.files._guess_legacy`` is a different tool: it scores raw bytes of a file
that is not UTF-8 for the hint message (it also knows cp1258); the tests check that it
agrees with these tables.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal, NamedTuple

__all__ = [
    "LegacyFont",
    "decode_tcvn3",
    "decode_vni",
    "encode_tcvn3",
    "encode_vni",
    "font_encoding",
    "guess_encoding",
    "is_syllable",
]

# The 134 Vietnamese letters outside ASCII, capital then lowercase, in the order of
# Unikey's UnicodeTable (a â ă đ e ê i o ô ơ u ư y; tones: acute, grave, hook, tilde, dot).
_LETTERS = (
    "ÁáÀàẢảÃãẠạÂâ"
    "ẤấẦầẨẩẪẫẬậĂă"
    "ẮắẰằẲẳẴẵẶặĐđ"
    "ÉéÈèẺẻẼẽẸẹÊê"
    "ẾếỀềỂểỄễỆệÍí"
    "ÌìỈỉĨĩỊịÓóÒò"
    "ỎỏÕõỌọÔôỐốỒồ"
    "ỔổỖỗỘộƠơỚớỜờ"
    "ỞởỠỡỢợÚúÙùỦủ"
    "ŨũỤụƯưỨứỪừỬử"
    "ỮữỰựÝýỲỳỶỷỸỹ"
    "Ỵỵ"
)
_TCVN3_CODES = (
    b"\xb8\xb8\xb5\xb5\xb6\xb6\xb7\xb7\xb9\xb9\xa2\xa9"
    b"\xca\xca\xc7\xc7\xc8\xc8\xc9\xc9\xcb\xcb\xa1\xa8"
    b"\xbe\xbe\xbb\xbb\xbc\xbc\xbd\xbd\xc6\xc6\xa7\xae"
    b"\xd0\xd0\xcc\xcc\xce\xce\xcf\xcf\xd1\xd1\xa3\xaa"
    b"\xd5\xd5\xd2\xd2\xd3\xd3\xd4\xd4\xd6\xd6\xdd\xdd"
    b"\xd7\xd7\xd8\xd8\xdc\xdc\xde\xde\xe3\xe3\xdf\xdf"
    b"\xe1\xe1\xe2\xe2\xe4\xe4\xa4\xab\xe8\xe8\xe5\xe5"
    b"\xe6\xe6\xe7\xe7\xe9\xe9\xa5\xac\xed\xed\xea\xea"
    b"\xeb\xeb\xec\xec\xee\xee\xf3\xf3\xef\xef\xf1\xf1"
    b"\xf2\xf2\xf4\xf4\xa6\xad\xf8\xf8\xf5\xf5\xf6\xf6"
    b"\xf7\xf7\xf9\xf9\xfd\xfd\xfa\xfa\xfb\xfb\xfc\xfc"
    b"\xfe\xfe"
)
_VNI_CODES = (
    0xD941, 0xF961, 0xD841, 0xF861, 0xDB41, 0xFB61, 0xD541, 0xF561, 0xCF41, 0xEF61, 0xC241, 0xE261,
    0xC141, 0xE161, 0xC041, 0xE061, 0xC541, 0xE561, 0xC341, 0xE361, 0xC441, 0xE461, 0xCA41, 0xEA61,
    0xC941, 0xE961, 0xC841, 0xE861, 0xDA41, 0xFA61, 0xDC41, 0xFC61, 0xCB41, 0xEB61, 0x00D1, 0x00F1,
    0xD945, 0xF965, 0xD845, 0xF865, 0xDB45, 0xFB65, 0xD545, 0xF565, 0xCF45, 0xEF65, 0xC245, 0xE265,
    0xC145, 0xE165, 0xC045, 0xE065, 0xC545, 0xE565, 0xC345, 0xE365, 0xC445, 0xE465, 0x00CD, 0x00ED,
    0x00CC, 0x00EC, 0x00C6, 0x00E6, 0x00D3, 0x00F3, 0x00D2, 0x00F2, 0xD94F, 0xF96F, 0xD84F, 0xF86F,
    0xDB4F, 0xFB6F, 0xD54F, 0xF56F, 0xCF4F, 0xEF6F, 0xC24F, 0xE26F, 0xC14F, 0xE16F, 0xC04F, 0xE06F,
    0xC54F, 0xE56F, 0xC34F, 0xE36F, 0xC44F, 0xE46F, 0x00D4, 0x00F4, 0xD9D4, 0xF9F4, 0xD8D4, 0xF8F4,
    0xDBD4, 0xFBF4, 0xD5D4, 0xF5F4, 0xCFD4, 0xEFF4, 0xD955, 0xF975, 0xD855, 0xF875, 0xDB55, 0xFB75,
    0xD555, 0xF575, 0xCF55, 0xEF75, 0x00D6, 0x00F6, 0xD9D6, 0xF9F6, 0xD8D6, 0xF8F6, 0xDBD6, 0xFBF6,
    0xD5D6, 0xF5F6, 0xCFD6, 0xEFF6, 0xD959, 0xF979, 0xD859, 0xF879, 0xDB59, 0xFB79, 0xD559, 0xF579,
    0x00CE, 0x00EE,
)

# cp1252's characters for 0x80–0x9F (the five undefined bytes have none).
_CP1252 = {byte: char for byte in range(0x80, 0xA0)
           if (char := bytes([byte]).decode("cp1252", "ignore"))}
_CP1252_BYTE = {char: byte for byte, char in _CP1252.items()}

_TCVN3_DECODE: dict[int, str] = {}
for _letter, _code in zip(_LETTERS, _TCVN3_CODES, strict=True):
    # toned capitals share the lowercase code: the lowercase letter wins
    if _code not in _TCVN3_DECODE or _letter.islower():
        _TCVN3_DECODE[_code] = _letter
_TCVN3_ENCODE = {
    letter: code for letter, code in zip(_LETTERS, _TCVN3_CODES, strict=True)
    if _TCVN3_DECODE[code] == letter
}

# VNI: a word is base | mark << 8 (mark 0: one byte).
_VNI_ENCODE: dict[str, str] = {}
_VNI_SINGLE: dict[int, str] = {}
_VNI_PAIR: dict[tuple[int, int], str] = {}
for _letter, _word in zip(_LETTERS, _VNI_CODES, strict=True):
    _base, _mark = _word & 0xFF, _word >> 8
    if _mark:
        _VNI_PAIR[_base, _mark] = _letter
        _VNI_ENCODE[_letter] = chr(_base) + chr(_mark)
    else:
        _VNI_SINGLE[_base] = _letter
        _VNI_ENCODE[_letter] = chr(_base)
# a mark of the other case (capital marks are the lowercase ones minus 0x20)
for (_base, _mark), _letter in list(_VNI_PAIR.items()):
    _VNI_PAIR.setdefault((_base, _mark ^ 0x20), _letter)
del _letter, _code, _word, _base, _mark


def _units(value: str | bytes) -> list[int]:
    """The legacy byte behind each character (latin-1 or cp1252 view); characters that
    are neither (real Unicode letters in a mixed text) keep their code point (> 0xFF)."""
    if isinstance(value, bytes | bytearray):
        return list(value)
    return [_CP1252_BYTE.get(char, ord(char)) for char in value]


def _plain(unit: int) -> str:
    """A unit that is no letter of the encoding: cp1252 punctuation, else itself."""
    return _CP1252.get(unit, chr(unit))


def _upper(text: str) -> str:
    """Upper-case letter by letter (never "ß" → "SS")."""
    return "".join(u if len(u := char.upper()) == 1 else char for char in text)


def decode_tcvn3(text: str | bytes, capitals: bool = False) -> str:
    """TCVN3 (ABC) text or bytes → NFC Unicode.

    ``text`` is what a .docx holds for a ``.VnTime`` run (each byte as its latin-1 or
    cp1252 character) or the raw bytes. ``capitals=True`` for the H fonts
    (``.VnTimeH``): the lowercase codes are drawn as capitals, so the result is
    upper-cased. "U\\xfb ban nh\\xa9n d\\xa9n" → "Uỷ ban nhân dân".
    """
    out = "".join(_TCVN3_DECODE.get(unit) or _plain(unit) for unit in _units(text))
    if capitals:
        out = _upper(out)
    return unicodedata.normalize("NFC", out)


def decode_vni(text: str | bytes) -> str:
    """VNI-Windows text or bytes → NFC Unicode: "Xin chaøo caùc baïn" → "Xin chào các bạn"."""
    units = _units(text)
    out: list[str] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if i + 1 < len(units) and (pair := _VNI_PAIR.get((unit, units[i + 1]))):
            out.append(pair)
            i += 2
            continue
        out.append(_VNI_SINGLE.get(unit) or _plain(unit))
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def _other(char: str, name: str) -> str:
    """A character that is not a Vietnamese letter, kept as is when the encoding can hold
    it: ASCII, no-break space and cp1252's punctuation (the bytes 0x80–0x9F)."""
    if char < "\x80" or char == "\xa0" or char in _CP1252_BYTE:
        return char
    raise ValueError(f"{name} cannot hold {char!r} (U+{ord(char):04X})")


def encode_tcvn3(text: str, capitals: bool = False) -> str:
    """NFC Unicode → TCVN3, as the characters a .docx holds for a ``.VnTime`` run (latin-1
    for the letters; ``.encode("cp1252")`` gives the bytes).

    TCVN3 has no toned capitals: with ``capitals=False`` they raise ValueError; with
    ``capitals=True`` the text must be all capitals and comes out as the lowercase codes
    of the H fonts (``.VnTimeH``). Any other character the encoding cannot hold raises
    ValueError.
    """
    text = unicodedata.normalize("NFC", text)
    if capitals:
        lower = [char for char in text if char.islower()]
        if lower:
            raise ValueError(f"TCVN3 H fonts draw only capitals: {lower[0]!r} is lowercase")
        text = "".join(low if len(low := char.lower()) == 1 else char for char in text)
    out: list[str] = []
    for char in text:
        code = _TCVN3_ENCODE.get(char)
        if code is not None:
            out.append(chr(code))
        elif char in _LETTERS:
            raise ValueError(f"TCVN3 has no capital {char!r}: type it as {char.lower()!r} "
                             "in an H font (capitals=True)")
        else:
            out.append(_other(char, "TCVN3"))
    return "".join(out)


def encode_vni(text: str) -> str:
    """NFC Unicode → VNI-Windows, as the characters a .docx holds for a ``VNI-Times`` run
    (``.encode("cp1252")`` gives the bytes). Characters it cannot hold raise ValueError."""
    text = unicodedata.normalize("NFC", text)
    return "".join(_VNI_ENCODE.get(char) or _other(char, "VNI-Windows") for char in text)


class LegacyFont(NamedTuple):
    """The encoding a font implies, and whether it draws lowercase codes as capitals."""

    encoding: Literal["tcvn3", "vni"]
    capitals: bool


def font_encoding(font_name: str | None) -> LegacyFont | None:
    """The legacy encoding of a run's font, or None for any other (Unicode) font.

    ".VnTime", ".VnArial Narrow" → ("tcvn3", False); ".VnTimeH", ".VnArial NarrowH" →
    ("tcvn3", True); "VNI-Times", "VNI-Helve" → ("vni", False). Text in a None font must
    not be decoded.
    """
    name = (font_name or "").strip()
    if name[:3].lower() == ".vn" and len(name) > 3:
        return LegacyFont("tcvn3", name.endswith("H"))
    if re.match(r"vni[- ]\w", name, re.IGNORECASE):
        return LegacyFont("vni", False)
    return None


# Vietnamese syllables: initial consonant, vowel nucleus (with its glide), final
# consonant; at most one tone, and only the acute or dot tone before c, ch, p, t.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_INITIAL = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"


def _alternation(words: str) -> str:
    """A regex alternation of the space-separated ``words``, longest first."""
    return "|".join(sorted(words.split(), key=len, reverse=True))


# nuclei that end the syllable (a glide included), and those before a final consonant
_OPEN_RE = _alternation("a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu oa oai oao oay oe "
                        "oeo oi ôi ơi ua ui uê uơ uy uya uyu ưa ưi ưu iêu yêu uôi ươi ươu uây")
_CLOSED_RE = _alternation("a ă â e ê i o ô ơ u ư y oa oă oe oo uâ uê uy iê yê uô ươ uyê")
_SYLLABLE = re.compile(
    rf"(?:{_INITIAL})?(?:(?P<open>{_OPEN_RE})|(?:{_CLOSED_RE})(?P<final>ch|ng|nh|[cmnpt]))"
)


def is_syllable(word: str) -> bool:
    """Whether ``word`` (any case, NFC or NFD) is a well-formed Vietnamese syllable."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [char for char in decomposed if char in _TONE_MARKS]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    match = _SYLLABLE.fullmatch(bare)
    if match is None:
        return False
    final = match.group("final")
    return not (final in ("c", "ch", "p", "t") and tones and tones[0] not in "\u0301\u0323")


# punctuation around a word, after decoding (never a letter of any of the encodings)
_EDGE = "\"'()[]{}.,;:!?-–—…‘’“”«»*/"


def _valid_share(text: str) -> tuple[int, int]:
    """(letters in well-formed syllables, letters in all words) of ``text``."""
    good = total = 0
    for token in text.split():
        word = token.strip(_EDGE)
        if not word or any(char.isdigit() for char in word):
            continue
        total += len(word)
        if is_syllable(word):
            good += len(word)
    return good, total


def guess_encoding(text: str | bytes) -> Literal["unicode", "tcvn3", "vni"]:
    """"unicode", "tcvn3" or "vni" for a text with no font (PDF text layer, .txt): the
    reading under which the most letters form well-formed Vietnamese syllables.
    Unicode wins ties (plain ASCII, or nothing Vietnamese): a legacy reading must do
    strictly better. Bytes are read as cp1252/latin-1 for the Unicode reading.
    """
    plain = text if isinstance(text, str) else "".join(_plain(b) for b in text)
    readings: dict[Literal["unicode", "tcvn3", "vni"], str] = {
        "unicode": unicodedata.normalize("NFC", plain),
        "tcvn3": decode_tcvn3(text),
        "vni": decode_vni(text),
    }
    scores = {name: _valid_share(reading)[0] for name, reading in readings.items()}
    best = max(scores.values())
    if scores["unicode"] == best:
        return "unicode"
    return "tcvn3" if scores["tcvn3"] >= scores["vni"] else "vni"
