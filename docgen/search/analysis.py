"""Vietnamese text analysis for the index: exact and folded syllables and syllable pairs.

The field types defined here are pickled into the index schema: keep this module's
import path (``docgen.search.analysis``) and the class names stable, and bump
``SCHEMA_VERSION`` in ``docgen.search.schema`` whenever the analysis changes.

Text is cut into *clauses* at sentence and clause punctuation and line breaks; inside a
clause, syllables are runs of letters and digits (one-letter syllables such as "ý", "ở"
are kept; there are no stop words). A field indexes every syllable and every pair of
neighbouring syllables of a clause ("ve", "sinh", "ve_sinh"), so a phrase query becomes
an AND of syllable pairs and needs no positions.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator

from whoosh import analysis as wanalysis
from whoosh import fields as wfields
from whoosh import formats as wformats

from docgen.vn.text import clean, fold, normalize_tone, words

PAIR_JOINER = "_"
# Clause boundaries: bigrams never cross them. Hyphens and slashes join ("xanh-sạch-đẹp").
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”‘’«»…|•\n\r\t]+")


def exact_text(value: str) -> str:
    """NFC, new-style tone placement, lower case: the accented form compared exactly."""
    return normalize_tone(cleaned(value)).lower()


_FOLD_TABLE: dict[int, str] = {}


def fold_chars(text: str) -> str:
    """``fold`` applied character by character to NFC ``text`` (same length, cached table).

    Every Vietnamese letter folds to one character, so offsets in the result are offsets
    in ``text``; characters whose fold is not one character (a zero-width space folds to
    nothing) are kept as they are, a no-break space becomes a space.
    """
    table = _FOLD_TABLE
    for ch in {c for c in set(text) if ord(c) not in table}:
        folded = fold(ch)
        table[ord(ch)] = folded if len(folded) == 1 else ch
    return text.translate(table)


# The one implementation lives in docgen.vn.text; these are its names in the analysis.
cleaned = clean  # NFC, no-break spaces to spaces, zero-width characters removed
folded_text = fold  # accent- and case-folded, đ → d (NFC and NFD input alike)
syllables = words  # runs of letters and digits of already-normalised text


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _old_style(syllable: str) -> str:
    """The old tone placement of a new-style syllable ("hòa" → "hoà"), or the syllable."""
    chars = list(unicodedata.normalize("NFD", syllable))
    for i, ch in enumerate(chars[:-1]):
        if ch in _TONE_MARKS and chars[i + 1].isalpha():
            moved = chars[:i] + [chars[i + 1], ch] + chars[i + 2:]
            candidate = unicodedata.normalize("NFC", "".join(moved))
            if normalize_tone(candidate) == syllable:
                return candidate
    return syllable


def tone_variants(exact_unit: str) -> tuple[str, ...]:
    """``exact_unit`` (new-style, lower case) and its old-style spelling."""
    old = " ".join(_old_style(s) for s in exact_unit.split())
    return (exact_unit,) if old == exact_unit else (exact_unit, old)


def clauses(text: str) -> list[list[str]]:
    """The syllables of each clause of already-normalised ``text``."""
    out: list[list[str]] = []
    for part in _CLAUSE_BREAK.split(text):
        syllables = words(part)
        if syllables:
            out.append(syllables)
    return out


def pair(first: str, second: str) -> str:
    """The index term for two neighbouring syllables."""
    return f"{first}{PAIR_JOINER}{second}"


def gram_counts(text: str) -> Counter[str]:
    """Counts of syllables and syllable pairs of already-normalised ``text``."""
    counts: Counter[str] = Counter()
    for syl in clauses(text):
        counts.update(syl)
        if len(syl) > 1:
            counts.update(map(pair, syl, syl[1:]))
    return counts


def folded_grams(value: str) -> Counter[str]:
    return gram_counts(folded_text(value))


def exact_grams(value: str) -> Counter[str]:
    return gram_counts(exact_text(value))


class VnTokenizer(wanalysis.Tokenizer):  # type: ignore[misc]
    """Whoosh tokenizer giving folded (or exact) syllables; used by whoosh-side tools."""

    def __init__(self, folded: bool = True) -> None:
        self.folded = folded

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VnTokenizer) and other.folded == self.folded

    def __hash__(self) -> int:
        return hash(("VnTokenizer", self.folded))

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: object) -> Iterator[wanalysis.Token]:
        text = folded_text(value) if self.folded else exact_text(value)
        token = wanalysis.Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, syl in enumerate(syllables(text)):
            token.text = syl
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            yield token


class GramField(wfields.FieldType):  # type: ignore[misc]
    """A scorable field of syllables and syllable pairs, without positions.

    ``index`` counts grams with ``collections.Counter`` instead of going through
    whoosh's token stream: about five times faster on 1,000-word documents.
    """

    def __init__(self, folded: bool = True, field_boost: float = 1.0) -> None:
        # Existence: no per-posting value bytes; the weight carries the term frequency.
        super().__init__(wformats.Existence(field_boost=field_boost),
                         wanalysis.CompositeAnalyzer(VnTokenizer(folded)), scorable=True)
        self.folded = folded

    def grams(self, value: str | Iterable[str]) -> Counter[str]:
        text = value if isinstance(value, str) else "\n".join(value)
        return folded_grams(text) if self.folded else exact_grams(text)

    def index(self, value: str | Iterable[str], **kwargs: object) -> Iterator[tuple[bytes, int, float, bytes]]:
        boost = float(self.format.field_boost)
        for term, freq in self.grams(value).items():
            yield term.encode("utf-8"), freq, freq * boost, b""
