"""Vietnamese text helpers: the facts of domain reference §8 and the HD 36 date rule."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from docgen.vn import (
    clean,
    decimal_vi,
    fold,
    letter_label,
    nfc,
    normalize_tone,
    party_date,
    party_date_line,
    percent_vi,
    short_date,
)
from docgen.vn.dates import clock
from docgen.vn.numbers import roman
from docgen.vn.text import clean_tree


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đảng Cộng sản Việt Nam", "dang cong san viet nam"),
        ("đường", "duong"),
        ("VỆ SINH MÔI TRƯỜNG", "ve sinh moi truong"),
        ("ưu tiên ơn", "uu tien on"),
        ("ý kiến ở nhà", "y kien o nha"),
    ],
)
def test_fold_strips_every_mark_and_maps_d_stroke(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold(nfd(text)) == folded


def test_nfc_and_clean_unify_decomposed_input() -> None:
    assert nfc(nfd("Đảng ủy xã")) == "Đảng ủy xã"
    assert clean("a\u00a0b\u200bc") == "a bc"


def test_clean_keeps_soft_hyphen_which_is_tcvn3_u_horn() -> None:
    assert clean("M\u00adêng") == "M\u00adêng"


def test_clean_tree_normalises_nested_values_and_keys() -> None:
    data = {nfd("tên"): [nfd("Đảng"), {"x": nfd("ủy")}], "n": 3}
    assert clean_tree(data) == {"tên": ["Đảng", {"x": "ủy"}], "n": 3}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("Đảng uỷ", "Đảng ủy"),
        ("khoẻ", "khỏe"),
        ("thuỷ lợi", "thủy lợi"),
        ("HUYỆN UỶ ĐỊNH HOÁ", "HUYỆN ỦY ĐỊNH HÓA"),
    ],
)
def test_normalize_tone_moves_old_style_marks(old: str, new: str) -> None:
    assert normalize_tone(old) == new
    assert normalize_tone(nfd(old)) == new
    assert normalize_tone(new) == new


@pytest.mark.parametrize("word", ["quý", "hoàng", "hoài", "thuyền", "quỳnh", "khuya"])
def test_normalize_tone_leaves_unambiguous_syllables(word: str) -> None:
    assert normalize_tone(word) == word


def test_party_date_leading_zero_rule() -> None:
    assert party_date(dt.date(2024, 2, 5)) == "ngày 05 tháng 02 năm 2024"
    assert party_date(dt.date(2018, 4, 3)) == "ngày 03 tháng 4 năm 2018"
    assert party_date(dt.date(2024, 1, 15)) == "ngày 15 tháng 01 năm 2024"
    assert party_date(dt.date(2024, 12, 31)) == "ngày 31 tháng 12 năm 2024"
    assert party_date_line("An Thành", dt.date(2024, 2, 5)) == "An Thành, ngày 05 tháng 02 năm 2024"


def test_short_date_and_clock() -> None:
    assert short_date(dt.date(2026, 9, 5)) == "05/9/2026"
    assert clock(dt.time(19, 30)) == "19 giờ 30 phút"
    assert clock(dt.time(8, 0)) == "8 giờ 00 phút"


def test_decimal_comma_and_percent() -> None:
    assert decimal_vi(93.333) == "93,3"
    assert percent_vi(14, 15) == "93,3%"
    assert percent_vi(20, 20) == "100%"
    assert percent_vi(1, 0) == "0%"


def test_letter_labels_follow_vietnamese_order() -> None:
    labels = [letter_label(i) for i in range(7)]
    assert labels == ["a)", "b)", "c)", "d)", "đ)", "e)", "g)"]
    assert letter_label(23) == "aa)"


def test_roman_numerals() -> None:
    assert [roman(i) for i in (1, 2, 3, 4, 5, 9, 14)] == ["I", "II", "III", "IV", "V", "IX", "XIV"]
