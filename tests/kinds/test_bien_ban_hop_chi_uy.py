"""Biên bản họp chi ủy (docgen/kinds/bien_ban_hop_chi_uy.py): the committee's attendance,
its own checks and votes (more than half of the committee), the prepared meeting's period,
the cell without a committee, and the rendered text."""

from __future__ import annotations

import copy
import functools
from typing import Any

import pytest

from docgen.config import Settings
from docgen.errors import InputError
from docgen.kinds import KINDS
from docgen.model import Profile, parse_profile
from docgen.model.resolve import resolve_kind

from .support import PROFILE, example_data, parse, plain, problems, text_of, warnings

KIND = "bien-ban-hop-chi-uy"
PROFILE_DATA: dict[str, Any] = plain(PROFILE)
example = functools.partial(example_data, KIND)  # the example, with changes


def profile_with(**officers: Any) -> Profile:
    data = copy.deepcopy(PROFILE_DATA)
    data["officers"] = officers
    return parse_profile(data, "profile.yaml")


# --------------------------------------------------------------------------- the registry entry

def test_registry_entry() -> None:
    spec = KINDS[KIND]
    assert spec.type_symbol == "BB" and spec.type_name == "BIÊN BẢN"
    assert spec.minutes and not spec.meeting and not spec.resolution
    assert spec.period_months == 1
    assert spec.book_name.vi == "Biên bản họp chi ủy"
    assert resolve_kind("Biên bản họp chi uỷ") == KIND  # old-style tone placement too
    assert resolve_kind("bien ban hop chi uy") == KIND


def test_default_summary_names_the_prepared_month(settings: Settings, profile: Profile) -> None:
    doc = parse(example(), settings, profile)
    assert doc.meta.title == "BIÊN BẢN họp chi ủy chuẩn bị sinh hoạt chi bộ tháng 3 năm 2026"
    assert doc.meta.number_text == "06-BB/CB"
    assert doc.warnings == ()


# --------------------------------------------------------------------------- attendance

def test_full_committee_present(settings: Settings, profile: Profile) -> None:
    ctx = parse(example(), settings, profile).context()
    committee = ctx["committee"]
    assert (committee["size"], committee["present"], committee["absent"]) == (3, 3, 0)
    assert committee["composition_text"] == "- Thành phần: Chi ủy Chi bộ gồm 3 đồng chí."
    assert committee["present_text"] == (
        "- Có mặt 3/3 đồng chí: đồng chí Nguyễn Văn An, Bí thư Chi bộ; đồng chí Trần Thị Bích, "
        "Phó Bí thư Chi bộ; đồng chí Lê Văn Cường, Chi ủy viên.")
    assert committee["absent_text"] == "- Vắng mặt: không có đồng chí nào."
    assert ctx["read_back_text"] == "Biên bản đã được đọc lại trước cuộc họp, 3/3 thành viên Chi ủy có mặt nhất trí."
    assert [g["text"] for g in ctx["guests"]] == ["đồng chí Trần Văn Bình, Đảng ủy viên, phụ trách chi bộ"]


def test_absent_member_written_short_with_reason(settings: Settings, profile: Profile) -> None:
    data = example(secretary="m02", absent=["Lê Văn Cường (đi công tác)"],
                   discussion=[{"speaker": "Trần Thị Bích", "content": "Thống nhất."}],
                   votes=[{"subject": "thống nhất chương trình", "for": 2}])
    doc = parse(data, settings, profile)
    assert doc.data["absent"] == [{"member": "m03", "reason": "đi công tác"}]
    ctx = doc.context()
    assert ctx["committee"]["present_text"].startswith("- Có mặt 2/3 đồng chí: đồng chí Nguyễn Văn An")
    assert ctx["committee"]["absent_text"] == "- Vắng mặt 1 đồng chí: đồng chí Lê Văn Cường, Chi ủy viên (đi công tác)."
    assert ctx["read_back_text"].endswith("2/2 thành viên Chi ủy có mặt nhất trí.")
    # a speaker written by name is shown with the position
    assert ctx["discussion"][0]["speaker"] == "Đồng chí Trần Thị Bích, Phó Bí thư Chi bộ"
    # the rate is on the whole committee, absent members included
    assert ctx["votes"][0]["sentence"] == (
        "Biểu quyết thống nhất chương trình: 2/3 đồng chí tán thành, đạt 66,7%; không có đồng chí nào "
        "không tán thành; không có đồng chí nào có ý kiến khác. Kết quả: thông qua.")
    assert ctx["denominator_text"] == (
        "Tỷ lệ biểu quyết tính trên tổng số 3 thành viên Chi ủy (kể cả thành viên vắng mặt); quyết định của "
        "Chi ủy được thông qua khi có hơn một nửa số thành viên Chi ủy tán thành (Điều lệ Đảng, Điều 9 khoản 5).")


def test_absent_without_reason(settings: Settings, profile: Profile) -> None:
    ctx = parse(example(absent=[{"member": "m02"}], discussion=[], votes=[]), settings, profile).context()
    assert ctx["committee"]["absent_text"] == (
        "- Vắng mặt 1 đồng chí: đồng chí Trần Thị Bích, Phó Bí thư Chi bộ (không có lý do).")


# --------------------------------------------------------------------------- votes

@pytest.mark.parametrize(("votes_for", "against", "abstain", "passed"), [(3, 0, 0, True), (2, 1, 0, True),
                                                                        (1, 1, 1, False), (0, 3, 0, False)])
def test_committee_vote_needs_more_than_half_of_the_committee(settings: Settings, profile: Profile, votes_for: int,
                                                              against: int, abstain: int, passed: bool) -> None:
    data = example(votes=[{"subject": "x", "for": votes_for, "against": against, "abstain": abstain}])
    vote = parse(data, settings, profile).context()["votes"][0]
    assert vote["passed"] is passed
    if not passed:
        assert "chỉ đạt" in vote["sentence"]
        assert vote["sentence"].endswith("Kết quả: không thông qua (cần hơn một nửa số thành viên Chi ủy tán thành).")


def test_two_of_three_present_can_still_pass(settings: Settings, profile: Profile) -> None:
    data = example(secretary="m02", absent=[{"member": "m03", "reason": "ốm"}],
                   votes=[{"subject": "x", "for": 2}], discussion=[])
    assert parse(data, settings, profile).context()["votes"][0]["passed"]


def test_chair_alone_is_no_meeting(settings: Settings, profile: Profile) -> None:
    data = example(chair="m01", secretary="m02", absent=[{"member": "m02"}, {"member": "m03"}], discussion=[],
                   votes=[])
    assert problems(data, settings, profile) == {"secretary": "Thư ký: đồng chí Trần Thị Bích được ghi vắng mặt"}


def test_votes_cast_exceed_the_members_present(settings: Settings, profile: Profile) -> None:
    data = example(secretary="m02", absent=[{"member": "m03", "reason": "ốm"}], discussion=[],
                   votes=[{"subject": "x", "for": 2, "against": 1}])
    found = problems(data, settings, profile)
    assert list(found) == ["votes[0].for"]
    assert "tổng số ý kiến biểu quyết (3) lớn hơn số thành viên Chi ủy có mặt (2)" in found["votes[0].for"]


def test_read_back_cannot_exceed_the_members_present(settings: Settings, profile: Profile) -> None:
    found = problems(example(read_back={"agree": 4}), settings, profile)
    assert "số đồng chí nhất trí thông qua biên bản (4) lớn hơn số thành viên Chi ủy có mặt (3)" in found["read_back.agree"]


# --------------------------------------------------------------------------- who sits

def test_chair_and_secretary_must_be_on_the_committee(settings: Settings, profile: Profile) -> None:
    found = problems(example(chair="m05", secretary="m06"), settings, profile)
    assert found["chair"].startswith("Chủ trì")
    assert "đồng chí Hoàng Văn Em không phải thành viên Chi ủy (Bí thư, Phó Bí thư, chi ủy viên)" in found["chair"]
    assert "đồng chí Vũ Thị Phương không phải thành viên Chi ủy" in found["secretary"]


def test_chair_is_not_the_secretary(settings: Settings, profile: Profile) -> None:
    found = problems(example(secretary="m01"), settings, profile)
    assert found == {"secretary": "thư ký và chủ trì là một người"}


def test_chair_and_presenter_cannot_be_absent(settings: Settings, profile: Profile) -> None:
    found = problems(example(absent=[{"member": "m01", "reason": "ốm"}]), settings, profile)
    assert found["chair"] == "Chủ trì: đồng chí Nguyễn Văn An được ghi vắng mặt"
    assert found["presenter"] == "Người báo cáo: đồng chí Nguyễn Văn An được ghi vắng mặt"


def test_absent_must_be_committee_members_once(settings: Settings, profile: Profile) -> None:
    found = problems(example(absent=[{"member": "m05", "reason": "ốm"}, {"member": "m02"}, {"member": "m02"}]),
                     settings, profile)
    assert "đồng chí Hoàng Văn Em không phải thành viên Chi ủy" in found["absent[0].member"]
    assert "được ghi vắng mặt hai lần" in found["absent[2].member"]
    assert "absent[1].member" not in found


def test_unknown_member_id(settings: Settings, profile: Profile) -> None:
    found = problems(example(absent=[{"member": "m99"}]), settings, profile)
    assert "không có đảng viên mã \"m99\"" in found["absent[0].member"]


def test_end_after_start(settings: Settings, profile: Profile) -> None:
    found = problems(example(start="21:00", end="19:30"), settings, profile)
    assert found == {"end": "giờ kết thúc (19:30) không sau giờ bắt đầu (21:00)"}


def test_a_committee_member_is_no_guest(settings: Settings, profile: Profile) -> None:
    found = problems(example(guests=[{"name": "Lê Văn Cường"}]), settings, profile)
    assert "là thành viên Chi ủy, không phải đại biểu mời dự" in found["guests[0].name"]


def test_speakers_attended(settings: Settings, profile: Profile) -> None:
    data = example(secretary="m02", absent=[{"member": "m03"}],
                   discussion=[{"speaker": "m03", "content": "a"}, {"speaker": "m13", "content": "b"}])
    found = problems(data, settings, profile)
    assert found["discussion[0].speaker"].endswith("đồng chí Lê Văn Cường được ghi vắng mặt")
    assert "đồng chí Phan Văn Nam không dự cuộc họp" in found["discussion[1].speaker"]
    data = example(guests=[{"name": "m13", "position": "Trưởng thôn"}],
                   discussion=[{"speaker": "Phan Văn Nam", "content": "Thống nhất."}])
    ctx = parse(data, settings, profile).context()  # an invited member may speak
    assert ctx["guests"][0]["text"] == "đồng chí Phan Văn Nam, Trưởng thôn"
    assert ctx["discussion"][0]["speaker"] == "Đồng chí Phan Văn Nam"


def test_planned_meeting_not_before_the_committee_meeting(settings: Settings, profile: Profile) -> None:
    found = problems(example(meeting_date="2026-03-04"), settings, profile)
    assert found == {"meeting_date": "ngày sinh hoạt chi bộ dự kiến (4/3/2026) trước ngày họp chi ủy (5/3/2026)"}


# --------------------------------------------------------------------------- warnings

def test_warnings(settings: Settings, profile: Profile) -> None:
    def warned(**changes: Any) -> list[str]:
        return warnings(example(**changes), settings, profile)

    assert any("chưa ghi ngày sinh hoạt chi bộ dự kiến" in w for w in warned(meeting_date=None))
    assert any("ít nhất 01 ngày trước" in w for w in warned(meeting_date="2026-03-05"))
    assert any("không thuộc tháng 3 năm 2026" in w for w in warned(meeting_date="2026-04-02"))
    assert any("tháng đã qua" in w for w in warned(month=2))
    late = [{"content": "Dự thảo nghị quyết", "owner": "m02", "deadline": "11/3/2026"}]
    assert warned(preparation=late) == [
        "việc chuẩn bị thứ 1 (“Dự thảo nghị quyết”) có thời hạn 11/3/2026, sau ngày sinh hoạt chi bộ 10/3/2026"]
    assert warned(discussion=[{"speaker": "Nguyễn Khách", "content": "a"}]) == [
        "người phát biểu thứ 1 (“Nguyễn Khách”) không có trong đại biểu mời dự"]
    assert warned(evaluation=None, directions=[], agenda=[], key_issues=[]) == [
        "biên bản họp chi ủy chưa ghi đánh giá kết quả lãnh đạo tháng trước (evaluation)",
        "biên bản họp chi ủy chưa ghi phương hướng, nhiệm vụ tháng tiếp theo (directions)",
        "biên bản họp chi ủy chưa ghi nội dung sinh hoạt chi bộ đã thống nhất: chương trình (agenda) và "
        "nội dung trọng tâm (key_issues) đều trống"]


def test_half_the_committee_present_is_warned(settings: Settings) -> None:
    four = profile_with(bi_thu="m01", pho_bi_thu="m02", chi_uy_vien=["m03", "m04"])
    data = example(absent=[{"member": "m03"}, {"member": "m04"}], secretary="m02", discussion=[], votes=[])
    assert warnings(data, settings, four) == [
        "chỉ 2/4 thành viên Chi ủy có mặt: không quyết định nào đạt hơn một nửa số thành viên Chi ủy (Điều lệ Đảng, "
        "Điều 9 khoản 5)"]


# --------------------------------------------------------------------------- period

def test_month_defaults_to_the_planned_meeting(settings: Settings, profile: Profile) -> None:
    data = example(date="2026-02-27", meeting_date="2026-03-03", month=None, year=None,
                   preparation=[], votes=[])
    doc = parse(data, settings, profile)
    assert doc.meta.title.endswith("tháng 3 năm 2026")
    assert doc.context()["sections"]["evaluation"] == "I. ĐÁNH GIÁ KẾT QUẢ LÃNH ĐẠO THÁNG 2 NĂM 2026"
    data = example(date="2026-01-05", meeting_date=None, month=None, year=None, preparation=[], votes=[])
    ctx = parse(data, settings, profile).context()
    assert (ctx["month"], ctx["year"], ctx["previous_month"], ctx["previous_year"]) == (1, 2026, 12, 2025)
    assert ctx["plan_text"] == ("Chi ủy thống nhất nội dung, chương trình sinh hoạt chi bộ thường kỳ tháng 1 "
                                "năm 2026 như sau:")


def test_sections_are_numbered_in_order_of_what_is_filled(settings: Settings, profile: Profile) -> None:
    sections = parse(example(), settings, profile).context()["sections"]
    assert list(sections.values()) == [
        "I. ĐÁNH GIÁ KẾT QUẢ LÃNH ĐẠO THÁNG 2 NĂM 2026", "II. PHƯƠNG HƯỚNG, NHIỆM VỤ THÁNG 3 NĂM 2026",
        "III. Ý KIẾN THẢO LUẬN", "IV. NỘI DUNG SINH HOẠT CHI BỘ THÁNG 3 NĂM 2026", "V. PHÂN CÔNG CHUẨN BỊ",
        "VI. KẾT LUẬN VÀ BIỂU QUYẾT"]
    sections = parse(example(discussion=[], votes=[], preparation=[]), settings, profile).context()["sections"]
    assert sections["plan"] == "III. NỘI DUNG SINH HOẠT CHI BỘ THÁNG 3 NĂM 2026"
    assert sections["discussion"] == sections["preparation"] == ""
    assert sections["conclusion"] == "IV. KẾT LUẬN"


def test_plan_sentence(settings: Settings, profile: Profile) -> None:
    ctx = parse(example(), settings, profile).context()
    assert ctx["plan_text"] == (
        "Chi ủy thống nhất tổ chức sinh hoạt chi bộ thường kỳ tháng 3 năm 2026 vào lúc 19 giờ 30 phút, "
        "ngày 10 tháng 3 năm 2026, tại Nhà văn hóa thôn An Thành, với nội dung, chương trình như sau:")
    ctx = parse(example(meeting_start=None, meeting_place=None, agenda=[]), settings, profile).context()
    assert ctx["plan_text"] == ("Chi ủy thống nhất tổ chức sinh hoạt chi bộ thường kỳ tháng 3 năm 2026 vào ngày "
                                "10 tháng 3 năm 2026, tại Nhà văn hóa thôn An Thành.")


# --------------------------------------------------------------------------- the committee on the date

def test_cell_without_committee(settings: Settings) -> None:
    two = profile_with(bi_thu="m01", pho_bi_thu="m02", chi_uy_vien=[])
    found = problems(example(), settings, two)
    assert "đồng chí Lê Văn Cường không phải Bí thư hay Phó Bí thư (Chi bộ không có chi ủy)" in found["secretary"]
    doc = parse(example(secretary="m02", discussion=[], votes=[{"subject": "x", "for": 2}]), settings, two)
    ctx = doc.context()
    assert ctx["committee"]["composition_text"] == (
        "- Thành phần: Bí thư, Phó Bí thư Chi bộ (Chi bộ không có chi ủy), gồm 2 đồng chí.")
    assert ctx["plan_text"].startswith("Bí thư, Phó Bí thư thống nhất tổ chức sinh hoạt chi bộ")
    assert ctx["read_back_text"].endswith("2/2 đồng chí có mặt nhất trí.")
    assert ctx["denominator_text"].startswith("Tỷ lệ biểu quyết tính trên tổng số 2 đồng chí Bí thư, Phó Bí thư;")
    assert any("có thể ghi summary: “họp bí thư, phó bí thư chuẩn bị sinh hoạt chi bộ tháng 3 năm 2026”" in w.vi
               for w in doc.warnings)
    with_summary = example(secretary="m02", discussion=[], votes=[],
                           summary="họp bí thư, phó bí thư chuẩn bị sinh hoạt chi bộ tháng 3 năm 2026")
    assert parse(with_summary, settings, two).warnings == ()


def test_cell_with_only_a_secretary(settings: Settings) -> None:
    one = profile_with(bi_thu="m01")
    found = problems(example(secretary="m01"), settings, one)
    assert list(found) == ["kind"]
    assert "Chi bộ chỉ có Bí thư (không có Phó Bí thư, chi ủy viên) vào ngày 5/3/2026" in found["kind"]


def test_committee_in_force_on_the_date(settings: Settings) -> None:
    data = copy.deepcopy(PROFILE_DATA)
    data["officers"]["history"] = [{"until": "2025-08-19", "bi_thu": "m04", "pho_bi_thu": "m01",
                                    "chi_uy_vien": ["m03"]}]
    dated = parse_profile(data, "profile.yaml")
    old = example(date="2025-08-05", meeting_date="2025-08-10", month=None, year=None, chair="m04",
                  secretary="m03", presenter="m04", discussion=[], votes=[], preparation=[])
    ctx = parse(old, settings, dated).context()
    assert ctx["committee"]["present_text"] == (
        "- Có mặt 3/3 đồng chí: đồng chí Phạm Văn Dũng, Bí thư Chi bộ; đồng chí Nguyễn Văn An, "
        "Phó Bí thư Chi bộ; đồng chí Lê Văn Cường, Chi ủy viên.")
    found = problems({**old, "secretary": "m02"}, settings, dated)  # m02 joined the committee later
    assert "đồng chí Trần Thị Bích không phải thành viên Chi ủy" in found["secretary"]


# --------------------------------------------------------------------------- odd values

@pytest.mark.parametrize("changes", [
    {"votes": [{"subject": "x", "for": 10 ** 12}]},
    {"preparation": [{"content": "x", "deadline": "30/2/2026"}, {"content": "y", "deadline": "{{ x }}"}]},
    {"guests": [{"name": "<b>&</b>", "position": "{% raw %}"}], "discussion": [{"speaker": "<b>&</b>", "content": "x"}]},
    {"read_back": {"agree": 0}},
])
def test_odd_values_are_refused_or_printed_never_a_traceback(settings: Settings, profile: Profile,
                                                           changes: dict[str, Any]) -> None:
    try:
        doc = parse(example(**changes), settings, profile)
    except InputError as error:
        assert error.problems
        return
    assert text_of(doc, settings)


# --------------------------------------------------------------------------- the rendered paper

def test_rendered_text(settings: Settings, profile: Profile) -> None:
    text = text_of(parse(example(), settings, profile), settings)
    lines = text.splitlines()
    assert lines[:10] == ["ĐẢNG BỘ XÃ QUANG KIM", "CHI BỘ THÔN AN THÀNH", "*", "Số 06-BB/CB", "ĐẢNG CỘNG SẢN VIỆT NAM",
                          "Quang Kim, ngày 05 tháng 3 năm 2026", "BIÊN BẢN",
                          "họp chi ủy chuẩn bị sinh hoạt chi bộ tháng 3 năm 2026", "-----",
                          "- Thời gian: bắt đầu lúc 19 giờ 30 phút, ngày 05 tháng 3 năm 2026."]
    assert "Đồng chí Nguyễn Văn An, Bí thư Chi bộ, báo cáo:" in lines
    assert "Đồng chí Nguyễn Văn An (chủ trì) kết luận:" in lines
    assert ("Cuộc họp kết thúc vào lúc 21 giờ 00 phút cùng ngày. Biên bản đã được đọc lại trước cuộc họp, "
            "3/3 thành viên Chi ủy có mặt nhất trí.") in lines
    assert lines[-6:] == ["THƯ KÝ", "(Ký, ghi rõ họ tên)", "Lê Văn Cường", "CHỦ TRÌ", "(Ký, ghi rõ họ tên)",
                          "Nguyễn Văn An"]
    assert "None" not in text


def test_draft_has_no_number(settings: Settings, profile: Profile) -> None:
    doc = parse(example(draft=True), settings, profile)
    assert doc.meta.number is None
    text = text_of(doc, settings)
    assert "DỰ THẢO" in text and "Số      -BB/CB" in text
