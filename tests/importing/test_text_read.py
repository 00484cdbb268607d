"""docgen.importing.text_read and docgen.importing.viqr: plain-text papers in UTF-8,
UTF-16, TCVN3 and VNI bytes, UTF-8 carrying legacy mojibake, NFD, and VIQR."""

from __future__ import annotations

import unicodedata

import pytest

from docgen.importing.recovered import Paragraph, ReadOptions, Recovered, Table, UnreadableFile
from docgen.importing.text_read import decode_guessed, read_text
from docgen.importing.viqr import decode_viqr
from docgen.vn.legacy import encode_tcvn3, encode_vni

HEADER = (
    "ĐẢNG BỘ XÃ QUANG KIM              ĐẢNG CỘNG SẢN VIỆT NAM\n"
    "CHI BỘ THÔN AN THÀNH      An Thành, ngày 10 tháng 3 năm 2026\n"
    "         *\n"
    "    Số 05-NQ/CB\n"
    "\n"
    "                         NGHỊ QUYẾT\n"
    "          lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026\n"
)
CELLS = (
    "ĐẢNG BỘ XÃ QUANG KIM\nCHI BỘ THÔN AN THÀNH\n*\nSố 05-NQ/CB",
    "ĐẢNG CỘNG SẢN VIỆT NAM\nAn Thành, ngày 10 tháng 3 năm 2026",
)
# every Vietnamese letter, in words (lowercase for TCVN3, which has no toned capitals)
LINES = [
    "Trường học của thôn được sửa chữa, người dân đồng tình ủng hộ.",
    "Uỷ ban nhân dân xã hứa hỗ trợ xi măng; ống cống cũ bị vỡ cần thay mới.",
    "Ẩn chứa trong lời dặn: uống nước nhớ nguồn, ăn quả nhớ kẻ trồng cây.",
    "Ưu tiên giải quyết dứt điểm kiến nghị; Ở khu dân cư, ổ gà được vá lại.",
    "Ý thức chấp hành pháp luật được nâng lên; Ếch kêu ộp oạp, Ôn lại truyền thống, Ơn nghĩa.",
    "MỖI ĐẢNG VIÊN CẦN DẪN ĐẦU, CHẲNG NỀ KHÓ KHĂN, BẰNG LÒNG TIN VỮNG CHẮC, KHÔNG BẴNG QUÊN.",
    "KIÊNG KỴ THÓI QUAN LIÊU; CHÍNH NGHĨA, ĐÚNG KỲ, NẶNG TÌNH, TRẺ NHỎ CŨNG ĐƯỢC GỠ KHÓ.",
    "CÙNG VÒNG TAY LỚN, MỚI LÊN, ĐỂ SẼ KÉM CHỈ TIÊU, ĐỒNG LÒNG, ÉP BUỘC, ỒN ÀO, ÚP MỞ, ỨNG XỬ.",
    "XÂY DỰNG ĐƯỜNG LÀNG, NGÕ XÓM SÁNG, XANH, SẠCH, ĐẸP; ỦNG HỘ QUỸ VÌ NGƯỜI NGHÈO; LỄ KỶ NIỆM.",
    "Thôn sẽ vừa làm vừa rút kinh nghiệm, mẹ ẵm con đi họp, cụ già không quỵ ngã, Ấp dụng.",
    "Chi bộ giao đồng chí Bí thư chỉ đạo; anh Phạm Quốc Hưng, chị Lê Thị Thủy, bà Trần Thị Ửng.",
    "Căn cứ Điều lệ Đảng, chi bộ thôn An Thành họp thường kỳ; mỗi đảng viên gương mẫu, giữ vững kỷ luật.",
    "Ấm áp tình người, ầm ĩ tiếng cười, ẩn hiện cánh cò, ẫm ờ câu hát, ậm ừ đôi câu, ẻo lả, khẽ, bẽn lẽn, bát chè.",
    "ÃI ẬP ẮT ẶN; ẲNG, ẴN, ẰNG, ẤN, ẦN, ẨN, ẪN; ĂN, ÂN, ÁN, ÀN, ẢN, ẠN; ÉN, ÈN, ẺN, ẼN, ẸN, ẾN, ỀN, ỂN, ỄN, "
    "ỆN, ÊN; ÍT, ÌN, ỈN, ĨN, ỊT; ÓT, ÒN, ỎN, ÕN, ỌT, ỐT, ỒN, ỔN, ỖN, ỘT, ÔN, ỚT, ỜN, ỞN, ỠN, ỢT, ƠN; "
    "ÚT, ÙN, ỦN, ŨN, ỤT, ỨT, ỪN, ỬN, ỮN, ỰT, ƯN; ÝN, ỲN, ỶN, ỸN, ỴN; ẤT, ắt, ặt, ẳng, ẵng, ằng, ấn, "
    "ầu, ẩn, ẫn, ậu, én, ẻn, ẽn, ẹn, ến, ền, ển, ễn, ệt, ít, ìn, ỉn, ĩn, ịt, ót, òn, ỏn, õn, ọt, ốt, "
    "ồn, ổn, ỗn, ột, ớt, ờn, ởn, ỡn, ợt, út, ùn, ủn, ũn, ụt, ứt, ừn, ửn, ữn, ựt, ýn, ỳn, ỷn, ỹn, ỵn.",
]
LETTERS = (
    "ÁáÀàẢảÃãẠạÂâẤấẦầẨẩẪẫẬậĂăẮắẰằẲẳẴẵẶặĐđÉéÈèẺẻẼẽẸẹÊêẾếỀềỂểỄễỆệÍíÌìỈỉĨĩỊịÓóÒòỎỏÕõỌọÔô"
    "ỐốỒồỔổỖỗỘộƠơỚớỜờỞởỠỡỢợÚúÙùỦủŨũỤụƯưỨứỪừỬửỮữỰựÝýỲỳỶỷỸỹỴỵ"
)


def paragraphs(rec: Recovered) -> list[str]:
    return [b.text for b in rec.blocks if isinstance(b, Paragraph)]


def test_the_lines_use_every_vietnamese_letter() -> None:
    assert [c for c in LETTERS if c not in "".join(LINES)] == []


def test_utf8_header_becomes_a_table() -> None:
    rec = read_text((HEADER + "\n".join(LINES)).encode("utf-8"), ReadOptions())
    assert rec.source == "txt" and rec.encoding == "unicode"
    assert rec.blocks[0] == Table(rows=(CELLS,))
    title = rec.blocks[1]
    assert title == Paragraph("NGHỊ QUYẾT", centered=True, upper=True)
    assert paragraphs(rec)[1] == "lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026"
    assert paragraphs(rec)[2:] == LINES


def test_tab_separated_header() -> None:
    text = ("ĐẢNG BỘ XÃ QUANG KIM\tĐẢNG CỘNG SẢN VIỆT NAM\n"
            "CHI BỘ THÔN AN THÀNH\t\tAn Thành, ngày 10 tháng 3 năm 2026\n"
            "BIÊN BẢN\n")
    rec = read_text(text.encode("utf-8"), ReadOptions())
    assert rec.blocks[0] == Table(rows=((
        "ĐẢNG BỘ XÃ QUANG KIM\nCHI BỘ THÔN AN THÀNH",
        "ĐẢNG CỘNG SẢN VIỆT NAM\nAn Thành, ngày 10 tháng 3 năm 2026",
    ),))
    assert paragraphs(rec) == ["BIÊN BẢN"]


def test_no_header_when_the_first_line_is_one_column() -> None:
    rec = read_text("BÁO CÁO\nTình hình tháng 3     và kế hoạch tháng 4\n".encode(), ReadOptions())
    assert not any(isinstance(b, Table) for b in rec.blocks)
    assert paragraphs(rec) == ["BÁO CÁO", "Tình hình tháng 3 và kế hoạch tháng 4"]


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-16-le", "utf-32"])
def test_unicode_encodings(codec: str) -> None:
    data = "\r\n".join(LINES).encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    rec = read_text(data, ReadOptions())
    assert rec.encoding == "unicode"
    assert paragraphs(rec) == LINES


def test_nfd_text_comes_back_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "\n".join(LINES))
    assert nfd != "\n".join(LINES)
    rec = read_text(nfd.encode("utf-8"), ReadOptions())
    assert paragraphs(rec) == LINES and rec.encoding == "unicode"


def test_tcvn3_bytes() -> None:
    lower = [line.lower() for line in LINES]
    data = "\r\n".join(encode_tcvn3(line) for line in lower).encode("cp1252")
    assert b"\xad" in data  # "ư" is the soft-hyphen byte, and must survive
    rec = read_text(data, ReadOptions())
    assert rec.encoding == "tcvn3"
    assert paragraphs(rec) == lower


def test_vni_bytes_every_letter() -> None:
    data = "\n".join(encode_vni(line) for line in LINES).encode("cp1252")
    rec = read_text(data, ReadOptions())
    assert rec.encoding == "vni"
    assert paragraphs(rec) == LINES


def test_legacy_bytes_mixed_per_paragraph() -> None:
    data = b"\n".join([
        encode_tcvn3("Uỷ ban nhân dân xã Quang Kim").encode("cp1252"),
        encode_vni("Xin chào các bạn, Việt Nam mến yêu").encode("cp1252"),
        b"Chi bo thon An Thanh",
    ])
    rec = read_text(data, ReadOptions())
    assert rec.encoding == "mixed"
    assert paragraphs(rec) == ["Uỷ ban nhân dân xã Quang Kim", "Xin chào các bạn, Việt Nam mến yêu",
                               "Chi bo thon An Thanh"]


def test_other_8bit_text_is_read_as_windows_1252() -> None:
    rec = read_text("Café “Rosé” – 5 €".encode("cp1252"), ReadOptions())
    assert paragraphs(rec) == ["Café “Rosé” – 5 €"]
    assert rec.encoding == "unicode"


def test_utf8_mojibake_is_decoded_per_paragraph() -> None:
    text = "\n".join([
        "Chi bộ thôn An Thành",  # Unicode
        "Uû ban nh©n d©n x· Quang Kim",  # TCVN3 shown in cp1252
        "Tr\xadêng häc cña th«n",  # TCVN3 with its ư (soft hyphen)
        "Xin chaøo caùc baïn",  # VNI
    ])
    rec = read_text(text.encode("utf-8"), ReadOptions())
    assert paragraphs(rec) == ["Chi bộ thôn An Thành", "Uỷ ban nhân dân xã Quang Kim",
                               "Trường học của thôn", "Xin chào các bạn"]
    assert rec.encoding == "mixed"


def test_utf8_mojibake_header_in_tcvn3() -> None:
    head = ("®¶ng bé x· quang kim        §¶ng céng s¶n viÖt nam\n"
            "Chi bé th«n An Thµnh     An Thµnh, ngµy 10 th¸ng 3 n¨m 2026\n\n"
            "Tr\xadêng häc cña th«n ®\xadîc söa ch÷a\n")
    rec = read_text(head.encode("utf-8"), ReadOptions())
    assert rec.encoding == "tcvn3"
    assert rec.blocks[0] == Table(rows=((
        "đảng bộ xã quang kim\nChi bộ thôn An Thành",
        "Đảng cộng sản việt nam\nAn Thành, ngày 10 tháng 3 năm 2026",
    ),))
    assert paragraphs(rec) == ["Trường học của thôn được sửa chữa"]


def test_forced_encodings() -> None:
    moji = "Uû ban nh©n d©n"
    assert paragraphs(read_text(moji.encode(), ReadOptions(encoding="unicode"))) == [moji]
    forced = read_text(moji.encode(), ReadOptions(encoding="tcvn3"))
    assert paragraphs(forced) == ["Uỷ ban nhân dân"] and forced.encoding == "tcvn3"
    vni = encode_vni("Xin chào").encode("cp1252")
    assert paragraphs(read_text(vni, ReadOptions(encoding="vni"))) == ["Xin chào"]
    # forced Unicode on legacy bytes: the Windows-1252 characters, undecoded
    assert paragraphs(read_text(vni, ReadOptions(encoding="unicode"))) == ["Xin chaøo"]


def test_viqr_is_decoded_only_when_asked() -> None:
    viqr = "Chi bo^. tho^n An Tha`nh ho.p nga`y 10 tha'ng 3.\nDDa?ng Co^.ng sa?n Vie^.t Nam"
    plain = read_text(viqr.encode(), ReadOptions())
    assert paragraphs(plain) == viqr.split("\n") and plain.encoding == "unicode"
    rec = read_text(viqr.encode(), ReadOptions(encoding="viqr"))
    assert rec.encoding == "viqr"
    assert paragraphs(rec) == ["Chi bộ thôn An Thành họp ngày 10 tháng 3.", "Đảng Cộng sản Việt Nam"]


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\n"])
def test_empty_text_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_text(data, ReadOptions())
    assert "rỗng" in caught.value.message.vi and caught.value.hint is not None


def test_too_large_text_is_refused() -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_text(b"x" * 2000, ReadOptions(max_bytes=1000))
    assert "MB" in caught.value.message.vi


def test_decode_guessed() -> None:
    assert decode_guessed("Hello") == ("Hello", None)
    assert decode_guessed("Việt Nam") == ("Việt Nam", "unicode")
    assert decode_guessed("ViÖt Nam") == ("Việt Nam", "tcvn3")
    assert decode_guessed("Vieät Nam") == ("Việt Nam", "vni")


# ---------------------------------------------------------------- VIQR


@pytest.mark.parametrize(
    ("viqr", "unicode"),
    [
        ("a( a^ e^ o^ o+ u+ dd DD Dd", "ă â ê ô ơ ư đ Đ Đ"),
        ("A( A^ E^ O^ O+ U+", "Ă Â Ê Ô Ơ Ư"),
        ("ba' ba` ba? ba~ ba.", "bá bà bả bã bạ"),
        ("Xin cha`o ca'c ba.n", "Xin chào các bạn"),
        ("Vie^.t Nam", "Việt Nam"),
        ("Tru+o+`ng ho.c cu?a tho^n ddu+o+.c su+?a chu+~a", "Trường học của thôn được sửa chữa"),
        ("nu+o+'c", "nước"),
        ("a^'y a'^y", "ấy ấy"),  # modifier and tone in either order
        ("KIE^`U DDA(NG", "KIỀU ĐĂNG"),
        # punctuation after a consonant, after a toned word, escaped, or a sentence mark run
        ("Ha` No^.i.", "Hà Nội."),
        ("To^i ddi ho.c.", "Tôi đi học."),
        ("Anh ddi dda^'u?", "Anh đi đấu?"),
        ("Ddi dda^u\\?", "Đi đâu?"),
        ("Cha`o ba.n\\.", "Chào bạn."),
        ("Me.. Ba`.", "Mẹ. Bà."),  # the first mark after an untoned vowel is its tone
        ("Ai ddo'? To^i\\.", "Ai đó? Tôi."),
        ("don't 'Nam'", "don't 'Nam'"),
        ("back\\\\slash", "back\\slash"),
        ("2.5 va` 3.0", "2.5 và 3.0"),
    ],
)
def test_decode_viqr(viqr: str, unicode: str) -> None:
    assert decode_viqr(viqr) == unicode


def test_viqr_every_letter_round_trips() -> None:
    tones = {"\u0301": "'", "\u0300": "`", "\u0309": "?", "\u0303": "~", "\u0323": "."}
    mods = {"\u0306": "(", "\u0302": "^", "\u031b": "+"}

    def to_viqr(letter: str) -> str:
        if letter in "đĐ":
            return "dd" if letter == "đ" else "DD"
        base, *marks = unicodedata.normalize("NFD", letter)
        return base + "".join(mods[m] for m in marks if m in mods) + "".join(
            tones[m] for m in marks if m in tones)

    words = [to_viqr(letter) for letter in LETTERS]
    assert decode_viqr(" ".join(words)) == " ".join(LETTERS)
