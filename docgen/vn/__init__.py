"""Vietnamese text helpers: NFC, folding, tone placement, Party dates and numbering."""

from docgen.vn.dates import party_date, party_date_line, short_date
from docgen.vn.numbers import decimal_vi, letter_label, percent_vi
from docgen.vn.text import clean, fold, nfc, normalize_tone

__all__ = [
    "clean",
    "decimal_vi",
    "fold",
    "letter_label",
    "nfc",
    "normalize_tone",
    "party_date",
    "party_date_line",
    "percent_vi",
    "short_date",
]
