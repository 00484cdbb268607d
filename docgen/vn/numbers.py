"""Numbers the Vietnamese way: decimal comma, letter labels a, b, c, d, đ, e."""

from __future__ import annotations

# Vietnamese list letters: no f, j, w, z; đ after d (domain reference §1.7).
LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q",
           "r", "s", "t", "u", "v", "x", "y")


def decimal_vi(value: float, places: int = 1) -> str:
    """93.333 → "93,3" (decimal comma)."""
    return f"{value:.{places}f}".replace(".", ",")


def percent_vi(part: int, whole: int, places: int = 1) -> str:
    """14, 15 → "93,3%"; a whole percentage has no decimals: 10, 10 → "100%", 1, 2 → "50%"."""
    if whole <= 0:
        return "0%"
    text = decimal_vi(100 * part / whole, places)
    if "," in text and not text.split(",")[1].strip("0"):
        text = text.split(",")[0]
    return text + "%"


def letter_label(index: int) -> str:
    """0 → "a)", 4 → "đ)"; past "y" it continues "aa)", "ab)"."""
    if index < len(LETTERS):
        return LETTERS[index] + ")"
    first, second = divmod(index, len(LETTERS))
    return LETTERS[first - 1] + LETTERS[second] + ")"


def roman(value: int) -> str:
    """1 → "I", 4 → "IV" (section headings)."""
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for size, numeral in numerals:
        count, value = divmod(value, size)
        out.append(numeral * count)
    return "".join(out)
