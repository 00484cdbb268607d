"""Biên bản kiểm điểm, đánh giá, xếp loại (bien-ban-danh-gia-xep-loai): the rules of the
year-end review minutes, their context and their rendered text."""

from __future__ import annotations

import copy
import io
import zipfile
from typing import Any

import pytest

from docgen.config import Settings
from docgen.kinds import KINDS
from docgen.kinds import bien_ban_danh_gia_xep_loai as K
from docgen.model import Profile
from docgen.render import Renderer

from .support import example_data, field_problems, parse, problems, warnings

NAME = "bien-ban-danh-gia-xep-loai"


@pytest.fixture
def data() -> dict[str, Any]:
    return example_data(NAME)


def index_of(data: dict[str, Any], member: str) -> int:
    return next(i for i, r in enumerate(data["ratings"]) if r["member"] == member)


# --------------------------------------------------------------------------- the levels

@pytest.mark.parametrize(("typed", "code"), [
    ("htxs", "htxs"), ("HTXS", "htxs"), ("HTXSNV", "htxs"), ("Hoàn thành xuất sắc nhiệm vụ", "htxs"),
    ("hoan thanh xuat sac", "htxs"), ("  Hoàn  thành xuất sắc  ", "htxs"),
    ("htt", "htt"), ("HTTNV", "htt"), ("HOÀN THÀNH TỐT NHIỆM VỤ", "htt"), ("Hoàn thành tốt", "htt"),
    ("ht", "ht"), ("htnv", "ht"), ("Hoàn thành nhiệm vụ", "ht"), ("hoàn thành", "ht"),
    ("khtnv", "khtnv"), ("KHTNV", "khtnv"), ("Không hoàn thành nhiệm vụ", "khtnv"), ("không hoàn thành", "khtnv"),
    ("“Hoàn thành tốt nhiệm vụ”", "htt"),
])
def test_levels_are_read_from_codes_and_names(typed: str, code: str) -> None:
    level = K.level_of(typed)
    assert level is not None and level.code == code


@pytest.mark.parametrize("typed", ["khá", "tốt", "xuất sắc", "", "htx", None, 3])
def test_other_words_are_not_levels(typed: Any) -> None:
    assert K.level_of(typed) is None


def test_four_levels_in_order() -> None:
    assert [lv.name for lv in K.LEVELS] == ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ",
                                            "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ"]


# --------------------------------------------------------------------------- the registry entry

def test_registry_entry() -> None:
    spec = KINDS[NAME]
    assert spec is K.KIND
    assert spec.meeting and spec.minutes and not spec.resolution
    assert spec.type_symbol == "BB" and spec.type_name == "BIÊN BẢN" and spec.numbered
    assert spec.period_months == 12 and spec.step_months({}) == 12
    assert spec.book_name.vi == "Biên bản kiểm điểm, đánh giá, xếp loại"
    assert spec.extra["htxs_quota_percent"] == 20
    assert "ratings[].member" in spec.strict_refs


def test_default_summary_names_the_year() -> None:
    assert K.summary({"date": "2026-12-15"}) == \
        "kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm 2026"
    assert K.summary({"date": "2027-01-08", "year": 2026}).endswith("năm 2026")


def test_the_kind_is_found_by_its_vietnamese_names(data: dict[str, Any], settings: Settings,
                                                  profile: Profile) -> None:
    for typed in ("Biên bản kiểm điểm, đánh giá, xếp loại", "bien ban kiem diem", "biên bản xếp loại đảng viên"):
        assert parse({**data, "kind": typed}, settings, profile).kind == NAME


# --------------------------------------------------------------------------- the example

def test_example_roster_on_15_12_2026(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    doc = parse(data, settings, profile)
    f = doc.figures
    assert f is not None
    # m19 is back (temporary-out ended 30/6/2026), m20 exempt, m21 and m22 probationary, t01 gone.
    assert (f.total, f.official, f.probationary, f.exempt, f.temp_out, f.temp_in) == (22, 20, 2, 1, 0, 0)
    assert (f.present, f.present_official, f.present_probationary) == (19, 17, 2)
    assert f.denominator == 19 and f.voters_present == 17
    assert doc.warnings == ()


def test_example_context(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    ctx = parse(data, settings, profile).context()
    rows = ctx["ratings"]
    assert len(rows) == 21
    assert rows[0] == {"index": "1", "name": "Nguyễn Văn An", "rating": "Hoàn thành tốt nhiệm vụ (89 điểm)",
                       "vote": "16/19 tán thành (84,2%); 1 ý kiến khác"}
    assert rows[5]["rating"] == "Hoàn thành xuất sắc nhiệm vụ (92 điểm)"  # typed as the name
    assert rows[18] == {"index": "19", "name": "Chu Văn Uy", "rating": "Hoàn thành tốt nhiệm vụ",
                        "vote": "17/19 tán thành (89,5%)"}
    assert rows[19]["name"] == "Nguyễn Thị Xuân (dự bị)" and rows[20]["name"] == "Trần Văn Yên (dự bị)"
    assert all("Kiều Văn Vinh" not in r["name"] and "Đinh Văn Phúc" not in r["name"] for r in rows)
    assert [s["text"] for s in ctx["rating_summary"]] == [
        "- Hoàn thành xuất sắc nhiệm vụ: 1 đồng chí (4,8%);",
        "- Hoàn thành tốt nhiệm vụ: 15 đồng chí (71,4%);",
        "- Hoàn thành nhiệm vụ: 5 đồng chí (23,8%);",
        "- Không hoàn thành nhiệm vụ: không có đồng chí nào.",
    ]
    assert ctx["rated_total_text"].startswith(
        "Tổng số đảng viên được đánh giá, xếp loại: 21 đồng chí (chính thức 19 đồng chí, dự bị 2 đồng chí).")
    assert ctx["not_rated_text"] == ("Không đánh giá, xếp loại 1 đồng chí được miễn công tác và sinh hoạt đảng: "
                                     "đồng chí Kiều Văn Vinh.")
    assert ctx["failed_text"] == ""
    assert ctx["rating_denominator_text"].startswith("Tỷ lệ biểu quyết tính trên 19 đảng viên chính thức")
    collective = ctx["collective"]
    assert collective["rating"] == "Hoàn thành tốt nhiệm vụ"
    assert collective["proposal"] == ("Chi bộ tự đánh giá, đề nghị xếp loại chất lượng tổ chức đảng năm 2026: "
                                      "“Hoàn thành tốt nhiệm vụ” (88/100 điểm).")
    assert collective["vote_sentence"] == (
        "Biểu quyết đề nghị xếp loại Chi bộ năm 2026 mức “Hoàn thành tốt nhiệm vụ”: 17/19 đồng chí tán thành, "
        "đạt 89,5%; không có đồng chí nào không tán thành; không có đồng chí nào có ý kiến khác. "
        "Kết quả: thông qua.")
    assert [s["heading"] for s in collective["sections"]] == [
        "1. Ưu điểm", "2. Hạn chế, khuyết điểm", "3. Nguyên nhân", "4. Biện pháp khắc phục"]
    assert (ctx["agenda_heading"], ctx["collective_heading"], ctx["members_heading"],
            ctx["conclusion_part_heading"]) == (
        "I. NỘI DUNG", "II. KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI TẬP THỂ CHI BỘ",
        "III. KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI ĐẢNG VIÊN", "IV. KẾT LUẬN VÀ PHÂN CÔNG NHIỆM VỤ")
    assert ctx["bases_text"].startswith("Thực hiện Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị")
    assert "Hướng dẫn số 43-HD/BTCTW, ngày 31/10/2025 của Ban Tổ chức Trung ương" in ctx["bases_text"]


def test_headings_are_renumbered_over_the_parts_present(data: dict[str, Any], settings: Settings,
                                                       profile: Profile) -> None:
    data["agenda"] = []
    data["conclusion"] = None
    data["tasks"] = []
    ctx = parse(data, settings, profile).context()
    assert ctx["agenda_heading"] == "" and ctx["conclusion_part_heading"] == ""
    assert ctx["collective_heading"].startswith("I. ") and ctx["members_heading"].startswith("II. ")


def test_given_bases_replace_the_default(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    data["bases"] = ["Căn cứ Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị;",
                     "Hướng dẫn số 15-HD/ĐU, ngày 20/11/2026 của Đảng ủy xã Quang Kim",
                     "Kế hoạch số 30-KH/ĐU, ngày 25/11/2026 của Đảng ủy xã Quang Kim."]
    text = parse(data, settings, profile).context()["bases_text"]
    assert text == ("Thực hiện Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị; Hướng dẫn số 15-HD/ĐU, "
                    "ngày 20/11/2026 của Đảng ủy xã Quang Kim và Kế hoạch số 30-KH/ĐU, ngày 25/11/2026 của "
                    "Đảng ủy xã Quang Kim")


def test_members_may_be_named_instead_of_ids(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    data["ratings"][1]["member"] = "Trần Thị Bích"
    doc = parse(data, settings, profile)
    assert doc.data["ratings"][1]["member"] == "m02"


# --------------------------------------------------------------------------- errors

def test_an_exempt_member_is_not_rated(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    data["ratings"].append({"member": "m20", "rating": "ht", "vote": {"for": 17}})
    found = field_problems(data, settings, profile)
    assert len(found) == 1
    problem = found[0]
    assert problem.path == "ratings[21].member"
    assert "Kiều Văn Vinh (m20)" in problem.message.vi and "miễn công tác và sinh hoạt đảng" in problem.message.vi
    assert "7.2.3" in problem.message.vi
    assert problem.label is not None and problem.label.vi == "Đảng viên của đảng viên được xếp loại thứ 22"
    assert "Đảng viên của đảng viên được xếp loại thứ 22" in problem.render("vi")


def test_an_exempt_member_present_is_still_not_rated(data: dict[str, Any], settings: Settings,
                                                    profile: Profile) -> None:
    data["exempt_present"] = ["m20"]
    doc = parse(data, settings, profile)  # present and voting: the denominator grows, m20 is not rated
    assert doc.figures is not None and doc.figures.denominator == 20 and doc.figures.voters_present == 18
    assert doc.context()["ratings"][0]["vote"] == "16/20 tán thành (80%); 1 ý kiến khác"
    data["ratings"].append({"member": "m20", "rating": "ht", "vote": {"for": 18}})
    assert "được miễn công tác" in problems(data, settings, profile)["ratings[21].member"]


def test_a_member_is_rated_once(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    data["ratings"].append({"member": "m02", "rating": "htxs", "vote": {"for": 10}})
    message = problems(data, settings, profile)["ratings[21].member"]
    assert "Trần Thị Bích (m02)" in message and "dòng thứ 2" in message and "một lần" in message


def test_a_member_of_another_cell_is_not_rated_here(data: dict[str, Any], settings: Settings,
                                                   profile: Profile) -> None:
    data["ratings"].append({"member": "t01", "rating": "htt", "vote": {"for": 17}})
    message = problems(data, settings, profile)["ratings[21].member"]
    assert "Đinh Văn Phúc (t01)" in message and "Chi bộ Trường Tiểu học Quang Kim" in message


def test_a_member_not_yet_admitted_is_not_rated(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    data["date"] = "2025-10-20"  # m22 is admitted on 22/12/2025
    data["year"] = None
    data["tasks"] = []
    message = problems(data, settings, profile)[f"ratings[{index_of(data, 'm22')}].member"]
    assert "Trần Văn Yên (m22)" in message and "không phải đảng viên của Chi bộ" in message
    assert "22/12/2025" in message


def test_an_unknown_id(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    data["ratings"][0]["member"] = "m99"
    assert "m99" in problems(data, settings, profile)["ratings[0].member"]


def test_an_unknown_rating_names_the_choices(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    data["ratings"][3]["rating"] = "khá"
    found = [p for p in field_problems(data, settings, profile) if p.path == "ratings[3].rating"]
    assert len(found) == 1
    assert found[0].message.vi == "Mức xếp loại đề nghị của đảng viên được xếp loại thứ 4: không rõ mức xếp loại “khá”"
    assert found[0].hint is not None and "htxs, htt, ht, khtnv" in found[0].hint.vi


def test_a_missing_rating_or_vote_is_a_schema_problem(data: dict[str, Any], settings: Settings,
                                                      profile: Profile) -> None:
    del data["ratings"][0]["vote"]
    data["ratings"][1]["rating"] = ""
    fields = problems(data, settings, profile)
    assert set(fields) >= {"ratings[0].vote", "ratings[1].rating"}


def test_a_rating_vote_cannot_exceed_the_voters_present(data: dict[str, Any], settings: Settings,
                                                        profile: Profile) -> None:
    data["ratings"][2]["vote"] = {"for": 16, "against": 1, "abstain": 1}  # 18 > 17 official members present
    message = problems(data, settings, profile)["ratings[2].vote.for"]
    assert "16 + 1 + 1 = 18" in message and "(17)" in message


def test_the_cells_vote_cannot_exceed_the_voters_present(data: dict[str, Any], settings: Settings,
                                                         profile: Profile) -> None:
    data["collective"]["vote"] = {"for": 19}
    assert "(17)" in problems(data, settings, profile)["collective.vote.for"]


def test_the_cells_rating_and_its_vote_go_together(data: dict[str, Any], settings: Settings,
                                                   profile: Profile) -> None:
    without_vote = copy.deepcopy(data)
    without_vote["collective"]["vote"] = None
    assert "chưa có kết quả biểu quyết" in problems(without_vote, settings, profile)["collective.vote"]
    without_rating = copy.deepcopy(data)
    without_rating["collective"]["rating"] = None
    assert "chưa ghi mức xếp loại" in problems(without_rating, settings, profile)["collective.vote"]
    wrong = copy.deepcopy(data)
    wrong["collective"]["rating"] = "tốt"
    assert problems(wrong, settings, profile)["collective.rating"] == \
        "Mức xếp loại Chi bộ tự đề nghị: không rõ mức xếp loại “tốt”"


def test_a_draft_may_propose_the_cells_rating_before_the_vote(data: dict[str, Any], settings: Settings,
                                                              profile: Profile) -> None:
    data["draft"] = True
    data["collective"]["vote"] = None
    ctx = parse(data, settings, profile).context()
    assert ctx["collective"]["vote_sentence"] == "" and ctx["draft_mark"] == "DỰ THẢO"


def test_a_presenter_outside_the_cell(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    data["collective"]["presenter"] = "t01"  # temporary period ended 30/9/2026
    assert "không thuộc Chi bộ" in problems(data, settings, profile)["collective.presenter"]


# --------------------------------------------------------------------------- warnings

def test_official_members_not_rated_are_named(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    data["ratings"] = [r for r in data["ratings"] if r["member"] not in ("m04", "m19", "m21")]
    found = warnings(data, settings, profile)
    assert len(found) == 1
    assert found[0].startswith("2 đảng viên chính thức chưa được xếp loại")
    assert "Phạm Văn Dũng (m04)" in found[0] and "Chu Văn Uy (m19)" in found[0]
    assert "m21" not in found[0] and "m20" not in found[0]  # probationary, exempt


def test_probationary_members_are_rated_without_a_warning(data: dict[str, Any], settings: Settings,
                                                          profile: Profile) -> None:
    doc = parse(data, settings, profile)
    assert {"m21", "m22"} <= {r["member"] for r in doc.data["ratings"]} and doc.warnings == ()


def test_no_ratings_at_all_is_one_warning(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    data["ratings"] = []
    assert warnings(data, settings, profile) == ["biên bản chưa xếp loại đảng viên nào (ratings)"]


def test_quota_of_excellent_members() -> None:
    assert K.quota_warning({"htxs": 2, "htt": 10, "ht": 0, "khtnv": 0}, 20) is None  # 2 ≤ 20% of 10
    over = K.quota_warning({"htxs": 3, "htt": 10, "ht": 0, "khtnv": 0}, 20)
    assert over is not None and "3/10 (30%)" in over.vi and "vượt mức 20%" in over.vi and "HD 21" in over.vi
    none_good = K.quota_warning({"htxs": 1, "htt": 0, "ht": 5, "khtnv": 0}, 20)
    assert none_good is not None and "1/0" in none_good.vi
    assert K.quota_warning({"htxs": 5, "htt": 1, "ht": 0, "khtnv": 0}, 0) is None  # 0 turns it off
    assert K.quota_warning({"htxs": 3, "htt": 10, "ht": 0, "khtnv": 0}, 30) is None
    assert "vượt mức 12,5%" in (K.quota_warning({"htxs": 2, "htt": 10, "ht": 0, "khtnv": 0}, 12.5) or over).vi


def test_the_example_over_the_quota_is_warned(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    for member in ("m04", "m07"):  # 3 HTXS against 13 HTT: 23,1% (no points given)
        data["ratings"][index_of(data, member)]["rating"] = "htxs"
    found = warnings(data, settings, profile)
    assert len(found) == 1 and "3/13 (23,1%)" in found[0]


def test_excellent_needs_90_points_when_points_are_given(data: dict[str, Any], settings: Settings,
                                                         profile: Profile) -> None:
    i = index_of(data, "m06")
    data["ratings"][i]["points"] = 85.5
    found = warnings(data, settings, profile)
    assert found == ["đồng chí Vũ Thị Phương (m06) được đề nghị “Hoàn thành xuất sắc nhiệm vụ” nhưng chỉ có "
                     "85,5 điểm (QĐ 366-QĐ/TW: từ 90 điểm)"]
    data["ratings"][i]["points"] = None  # no points: no warning
    assert parse(data, settings, profile).warnings == ()


def test_a_vote_that_does_not_pass(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    i = index_of(data, "m14")
    data["ratings"][i]["vote"] = {"for": 9, "against": 6, "abstain": 2}  # 9 is not more than half of 19
    doc = parse(data, settings, profile)
    found = [w.vi for w in doc.warnings]
    assert len(found) == 1 and "Trịnh Văn Oanh (m14)" in found[0] and "chỉ đạt 47,4%" in found[0]
    ctx = doc.context()
    assert ctx["ratings"][i]["vote"] == "9/19 tán thành (47,4%); 6 không tán thành; 2 ý kiến khác; không thông qua"
    assert "đồng chí Trịnh Văn Oanh" in ctx["failed_text"]
    data["ratings"][i]["vote"] = {"for": 10}  # 10 of 19: more than half
    assert parse(data, settings, profile).warnings == ()


def test_the_cell_rating_vote_that_does_not_pass(data: dict[str, Any], settings: Settings,
                                                 profile: Profile) -> None:
    data["collective"]["vote"] = {"for": 8, "against": 9}
    doc = parse(data, settings, profile)
    assert any("Chi bộ tự đề nghị chưa được thông qua" in w.vi for w in doc.warnings)
    assert doc.context()["collective"]["vote_sentence"].endswith(
        "Kết quả: không thông qua (cần hơn một nửa số đảng viên chính thức tán thành).")


def test_no_rating_of_the_cell_is_warned(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    data["collective"] = {"report": "Báo cáo tóm tắt."}
    assert warnings(data, settings, profile) == [
        "biên bản chưa ghi mức xếp loại Chi bộ tự đề nghị (collective.rating)"]


def test_a_future_year_is_warned(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    data["year"] = 2027
    assert warnings(data, settings, profile) == ["năm được kiểm điểm (2027) sau năm của ngày họp (2026)"]


def test_a_january_meeting_reviews_the_year_before(data: dict[str, Any], settings: Settings,
                                                   profile: Profile) -> None:
    data["date"] = "2027-01-08"
    data["tasks"] = []
    doc = parse(data, settings, profile)
    assert doc.meta.title == "BIÊN BẢN kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm 2026"


# --------------------------------------------------------------------------- rendered

def test_rendered_text(data: dict[str, Any], settings: Settings, profile: Profile) -> None:
    rendered = Renderer(settings).render(parse(data, settings, profile))
    text = rendered.text
    for expected in [
        "Số 21-BB/CB", "BIÊN BẢN",
        "kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm 2026",
        "Chi bộ thôn An Thành tổ chức hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng "
        "viên năm 2026.",
        "II. KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI TẬP THỂ CHI BỘ",
        "TT\nHọ và tên\nMức xếp loại đề nghị\nKết quả biểu quyết\n1\nNguyễn Văn An\n"
        "Hoàn thành tốt nhiệm vụ (89 điểm)\n16/19 tán thành (84,2%); 1 ý kiến khác",
        "- Hoàn thành xuất sắc nhiệm vụ: 1 đồng chí (4,8%);",
        "- Không hoàn thành nhiệm vụ: không có đồng chí nào.",
        "Hội nghị kết thúc vào lúc 22 giờ 00 phút cùng ngày.",
    ]:
        assert expected in text, expected
    assert "None" not in text and "{{" not in text and "{%" not in text
    assert "\nĐồng chí Nguyễn Văn An, Bí thư Chi bộ, trình bày báo cáo kiểm điểm tập thể Chi bộ năm 2026" in text
    assert "được miễn công tác và sinh hoạt đảng: đồng chí Kiều Văn Vinh." in text  # lower case inside a sentence
    assert '"' not in text  # quotes are “…”


def test_the_ratings_table_rows_never_split_and_its_header_repeats(data: dict[str, Any], settings: Settings,
                                                                   profile: Profile) -> None:
    from xml.etree import ElementTree as etree

    rendered = Renderer(settings).render(parse(data, settings, profile))
    with zipfile.ZipFile(io.BytesIO(rendered.docx)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    table = next(t for t in root.iter(f"{{{ns['w']}}}tbl")
                 if "Mức xếp loại đề nghị" in "".join(t.itertext()))
    rows = table.findall("w:tr", ns)
    assert len(rows) == 22  # header + 21 members
    assert rows[0].find("w:trPr/w:tblHeader", ns) is not None
    assert all(r.find("w:trPr/w:cantSplit", ns) is not None for r in rows)


def test_the_secretary_is_not_rated_above_the_cell(data: dict[str, Any], settings: Settings,
                                                   profile: Profile) -> None:
    data["ratings"][index_of(data, "m01")]["rating"] = "htxs"  # the cell proposes "Hoàn thành tốt"
    data["ratings"][index_of(data, "m01")]["points"] = 95
    found = warnings(data, settings, profile)
    assert any("Bí thư Chi bộ (đồng chí Nguyễn Văn An) được đề nghị “Hoàn thành xuất sắc nhiệm vụ”, cao hơn "
               "mức của Chi bộ (“Hoàn thành tốt nhiệm vụ”)" in w for w in found), found
