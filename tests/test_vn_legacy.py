"""docgen.vn.legacy: TCVN3 and VNI-Windows decoding, encoding, fonts and guessing."""

from __future__ import annotations

import unicodedata

import pytest

from docgen.model.files import _TCVN3_LETTERS, _VNI_PAIRS, _guess_legacy
from docgen.vn import legacy
from docgen.vn.legacy import (
    LegacyFont,
    decode_tcvn3,
    decode_vni,
    encode_tcvn3,
    encode_vni,
    font_encoding,
    guess_encoding,
    is_syllable,
)

# The Vietnamese letters built from Unicode itself, not from the module's table:
# 12 vowels × (no tone + 5 tones), minus the 6 plain ASCII vowels, plus đ.
_VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
_TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
LOWER = sorted({unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES} - set("aeiouy")
               | {"đ"})
UPPER = [letter.upper() for letter in LOWER]
ASCII = "".join(chr(c) for c in range(0x20, 0x7F)) + "\t\n"
PHRASES = ["Chi bộ thôn An Thành", "Đảng Cộng sản Việt Nam", "NGHỊ QUYẾT", "Trường học",
           "vệ sinh môi trường", "ươ ưu ư"]
SENTENCES = [
    "Chi bộ thôn An Thành họp để đánh giá kết quả lãnh đạo thực hiện nhiệm vụ chính trị "
    "năm qua và đề ra phương hướng, nhiệm vụ của năm tới.",
    "Đảng Cộng sản Việt Nam là đội tiên phong của giai cấp công nhân, đồng thời là đội "
    "tiên phong của nhân dân lao động và của dân tộc Việt Nam.",
    "Uỷ ban nhân dân xã chỉ đạo vệ sinh môi trường, giữ gìn trật tự ở khu dân cư.",
]


def test_the_letters_are_the_134():
    assert len(LOWER) == 67 and len(set(UPPER)) == 67
    assert set(legacy._LETTERS) == set(LOWER) | set(UPPER)


@pytest.mark.parametrize("letter", LOWER + UPPER)
def test_vni_round_trips_every_letter(letter):
    encoded = encode_vni(letter)
    assert 1 <= len(encoded) <= 2 and all("\x41" <= c <= "\xff" for c in encoded)
    assert decode_vni(encoded) == letter
    assert decode_vni(encoded.encode("cp1252")) == letter


@pytest.mark.parametrize("letter", LOWER)
def test_tcvn3_round_trips_every_lowercase_letter(letter):
    encoded = encode_tcvn3(letter)
    assert len(encoded) == 1 and "\xa1" <= encoded <= "\xfe"
    assert decode_tcvn3(encoded) == letter
    assert decode_tcvn3(encoded.encode("cp1252")) == letter


@pytest.mark.parametrize("letter", UPPER)
def test_tcvn3_round_trips_every_capital_through_the_h_font(letter):
    encoded = encode_tcvn3(letter, capitals=True)
    assert encoded == encode_tcvn3(letter.lower())  # the lowercase code
    assert decode_tcvn3(encoded, capitals=True) == letter


def test_tcvn3_untoned_capitals_have_their_own_codes_and_toned_ones_none():
    assert {c: encode_tcvn3(c) for c in "ĂÂĐÊÔƠƯ"} == dict(zip("ĂÂĐÊÔƠƯ", "\xa1\xa2\xa7\xa3\xa4\xa5\xa6", strict=True))
    assert decode_tcvn3("\xa1\xa2\xa7\xa3\xa4\xa5\xa6") == "ĂÂĐÊÔƠƯ"
    for letter in set(UPPER) - set("ĂÂĐÊÔƠƯ"):
        with pytest.raises(ValueError, match="capitals=True"):
            encode_tcvn3(letter)


def test_all_letters_and_ascii_in_one_text_round_trip():
    text = "".join(LOWER) + ASCII + "".join(UPPER)
    assert decode_vni(encode_vni(text)) == text
    lower = "".join(LOWER) + ASCII.lower()
    assert decode_tcvn3(encode_tcvn3(lower)) == lower
    upper = "".join(UPPER) + ASCII.upper()
    assert decode_tcvn3(encode_tcvn3(upper, capitals=True), capitals=True) == upper
    assert encode_tcvn3(ASCII) == ASCII and encode_vni(ASCII) == ASCII


@pytest.mark.parametrize("phrase", PHRASES)
def test_phrases_round_trip(phrase):
    assert decode_vni(encode_vni(phrase)) == phrase
    if phrase.isupper():
        assert decode_tcvn3(encode_tcvn3(phrase, capitals=True), capitals=True) == phrase
    else:
        assert decode_tcvn3(encode_tcvn3(phrase)) == phrase
    # decomposed input encodes alike
    assert encode_vni(unicodedata.normalize("NFD", phrase)) == encode_vni(phrase)


def test_known_codes():
    # the byte facts checked with glibc iconv (domain notes §8.4) and the VNI example
    assert decode_tcvn3("U\xfb ban nh\xa9n d\xa9n") == "Uỷ ban nhân dân"
    assert decode_tcvn3("M\xad\xeang Kh\xad\xacng") == "Mường Khương"
    assert decode_tcvn3(b"\xa7\xb6ng") == "Đảng"
    assert [encode_tcvn3(c) for c in "đĐâơưàáệờỷýỵ"] == list("\xae\xa7\xa9\xac\xad\xb5\xb8\xd6\xea\xfb\xfd\xfe")
    assert encode_vni("Xin chào các bạn") == "Xin chaøo caùc baïn"
    assert encode_vni("CHÀO") == "CHAØO"
    assert encode_tcvn3("Đảng Cộng sản Việt Nam") == "\xa7\xb6ng C\xe9ng s\xb6n Vi\xd6t Nam"
    assert encode_vni("Đảng Cộng sản") == "\xd1a\xfbng Co\xe4ng sa\xfbn"


def test_soft_hyphen_is_u_horn_never_dropped():
    assert decode_tcvn3("\xad") == "ư"
    assert decode_tcvn3(b"\xad") == "ư"
    assert decode_tcvn3("\xad", capitals=True) == "Ư"
    assert decode_tcvn3("tr\xadêng") == "trường"
    assert decode_tcvn3("TR\xadêNG", capitals=True) == "TRƯỜNG"
    assert encode_tcvn3("ư") == "\xad"


def test_h_font_capitals():
    assert encode_tcvn3("NGHỊ QUYẾT", capitals=True) == "ngh\xde quy\xd5t"
    assert decode_tcvn3("ngh\xde quy\xd5t", capitals=True) == "NGHỊ QUYẾT"
    assert decode_tcvn3("ngh\xde quy\xd5t") == "nghị quyết"
    assert decode_tcvn3("\xa7\xb6ng c\xe9ng s\xb6n", capitals=True) == "ĐẢNG CỘNG SẢN"
    with pytest.raises(ValueError, match="lowercase"):
        encode_tcvn3("Nghị quyết", capitals=True)


def test_cp1252_view_of_0x80_to_0x9f():
    for byte in [*range(0x80, 0xA0)]:
        try:
            char = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            char = chr(byte)  # 0x81 0x8D 0x8F 0x90 0x9D: no cp1252 character
        # the latin-1 view (control characters), the cp1252 view and the raw byte agree,
        # and none of them is a letter (glibc's TCVN5712-1 would make capitals of them)
        for reading in (chr(byte), char, bytes([byte])):
            assert decode_tcvn3(reading) == char
            assert decode_vni(reading) == char
    assert decode_tcvn3("\u201cNgh\xd6 quy\xd5t\u201d \u2013 \x93s\xe8\x94") == "“Nghệ quyết” – “số”"
    assert decode_vni("\x93soá\x94 \u2019") == "“số” ’"
    assert encode_tcvn3("“số” – ‘a’") == "“s\xe8” – ‘a’"
    assert encode_vni("“số”") == "“soá”"


def test_encoders_refuse_what_they_cannot_hold():
    # latin-1 symbols whose bytes are letters or marks there, other scripts, and a tone
    # on a consonant (no precomposed letter after NFC)
    for text in ["©", "°", "ß", "ñ", "Ω", "中", "b\u0301"]:
        with pytest.raises(ValueError, match="cannot hold"):
            encode_tcvn3(f"a{text}")
        with pytest.raises(ValueError, match="cannot hold"):
            encode_vni(f"a{text}")
    assert encode_tcvn3("a\u0301") == "\xb8"  # NFC first: á
    assert encode_tcvn3("a\u00a0b") == "a\u00a0b"


def test_vni_mark_of_the_other_case_still_reads():
    assert decode_vni("Aø") == "À"
    assert decode_vni("aØ") == "à"
    assert decode_vni("Öôø") == "Ườ"  # a base byte keeps its own case: ô (0xF4) is ơ
    assert decode_vni("TRÖÔØNG") == "TRƯỜNG" == decode_vni("TRÖÔøNG")


def test_unicode_text_passes_through_decoders_and_is_destroyed_if_decoded():
    # characters above 0xFF that are not cp1252 are kept: mixed text survives
    assert decode_tcvn3("Việt \xa7\xb6ng") == "Việt Đảng"
    # but decoding Unicode as TCVN3 would garble it: the reason font_encoding says None
    assert decode_tcvn3("các") == "cỏc"
    assert font_encoding("Times New Roman") is None


@pytest.mark.parametrize(("font", "expected"), [
    (".VnTime", ("tcvn3", False)),
    (".VnArial", ("tcvn3", False)),
    (".VnArial Narrow", ("tcvn3", False)),
    (".vntime", ("tcvn3", False)),
    (" .VnTime ", ("tcvn3", False)),
    (".VnTimeH", ("tcvn3", True)),
    (".VnArialH", ("tcvn3", True)),
    (".VnArial NarrowH", ("tcvn3", True)),
    ("VNI-Times", ("vni", False)),
    ("VNI-Helve", ("vni", False)),
    ("VNI-Helve-Condense", ("vni", False)),
    ("vni-times", ("vni", False)),
    ("Times New Roman", None),
    ("Arial", None),
    ("VnTime", None),
    (".Vn", None),
    ("VNI", None),
    ("", None),
    (None, None),
])
def test_font_encoding(font, expected):
    result = font_encoding(font)
    assert result == expected
    if result is not None:
        assert isinstance(result, LegacyFont) and result.encoding == expected[0]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_guess_encoding(sentence):
    assert guess_encoding(sentence) == "unicode"
    assert guess_encoding(encode_tcvn3(sentence)) == "tcvn3"
    assert guess_encoding(encode_tcvn3(sentence).encode("cp1252")) == "tcvn3"
    assert guess_encoding(encode_vni(sentence)) == "vni"
    assert guess_encoding(encode_vni(sentence).encode("cp1252")) == "vni"
    upper = sentence.upper()
    assert guess_encoding(encode_tcvn3(upper, capitals=True)) == "tcvn3"
    assert guess_encoding(encode_vni(upper)) == "vni"


@pytest.mark.parametrize("phrase", ["Chi bộ thôn An Thành", "Đảng Cộng sản Việt Nam",
                                    "vệ sinh môi trường", "Trường học"])
def test_guess_encoding_on_short_phrases(phrase):
    assert guess_encoding(phrase) == "unicode"
    assert guess_encoding(encode_tcvn3(phrase)) == "tcvn3"
    assert guess_encoding(encode_vni(phrase)) == "vni"


def test_guess_encoding_prefers_unicode_on_ties():
    assert guess_encoding("Report 2024, page 5") == "unicode"
    assert guess_encoding("") == "unicode"
    # "các bạn" read as TCVN3 is "cỏc bạn": no better, so Unicode stays
    assert guess_encoding("các bạn chào nhau") == "unicode"


def test_is_syllable():
    good = ["nghiêng", "quyết", "giữa", "gì", "người", "thuyền", "khuya", "hoặc", "khỏe",
            "khoẻ", "uống", "ấy", "ạ", "NGHỊ", "Trường", "xoong", "khuỷu", "đ" + "ường"]
    bad = ["cỏc", "chaøo", "ươ", "ăa", "bé̀", "nq", "tửt", "lảc", "abc", "§¶ng", "tr\xadêng"]
    assert [w for w in good if not is_syllable(w)] == []
    assert [w for w in bad if is_syllable(w)] == []


def test_tables_agree_with_the_byte_hint_of_model_files():
    # _guess_legacy (the hint for non-UTF-8 files) and these tables tell the same story
    tcvn3_codes = {ord(encode_tcvn3(letter)) for letter in LOWER + list("ĂÂĐÊÔƠƯ")}
    # its byte ranges also hold 0xBA and 0xBF, no letter in Unikey's TCVN3 (glibc's
    # TCVN5712-1 superset has capitals Ẳ Ẵ there): two extra, harmless signs
    assert set(_TCVN3_LETTERS) - tcvn3_codes == {0xBA, 0xBF}
    vni_pairs = {ord(e[0]) << 8 | ord(e[1]) for e in map(encode_vni, LOWER + UPPER) if len(e) == 2}
    assert vni_pairs <= _VNI_PAIRS
    text = " ".join(SENTENCES)
    assert _guess_legacy(encode_tcvn3(text).encode("cp1252")) == "tcvn3"
    assert _guess_legacy(encode_vni(text).encode("cp1252")) == "vni"
