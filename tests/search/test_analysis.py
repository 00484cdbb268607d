from __future__ import annotations

import unicodedata

from docgen.search.analysis import exact_text, folded_grams, folded_text, syllables, tone_variants


def test_no_stop_words_and_one_letter_syllables_kept() -> None:
    assert syllables(folded_text("an ninh ở thôn, ý kiến")) == ["an", "ninh", "o", "thon", "y", "kien"]


def test_nfd_and_nfc_fold_the_same() -> None:
    text = "Đảng ủy xã Hòa Bình"
    assert folded_text(unicodedata.normalize("NFD", text)) == folded_text(text) == "dang uy xa hoa binh"


def test_d_stroke_folds_to_d() -> None:
    assert folded_text("ĐẢNG đoàn") == "dang doan"


def test_old_and_new_tone_placement_are_equal() -> None:
    assert exact_text("Đảng uỷ Thanh Hoá hoà") == exact_text("Đảng ủy Thanh Hóa hòa")
    assert exact_text(unicodedata.normalize("NFD", "uỷ")) == "ủy"
    assert tone_variants("hòa bình") == ("hòa bình", "hoà bình")


def test_pairs_do_not_cross_clauses_but_join_hyphens() -> None:
    grams = folded_grams("môi trường. Rác xanh-sạch-đẹp")
    assert "truong_rac" not in grams
    assert grams["xanh_sach"] == 1 and grams["moi_truong"] == 1
