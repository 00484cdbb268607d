"""Nghị quyết đề nghị công nhận đảng viên chính thức (docgen/kinds/nghi_quyet_chuyen_chinh_thuc.py):
the probation, the two-thirds vote without the member's own, the summary, the text."""

from __future__ import annotations

import datetime as dt
import functools

from docgen.config import Settings
from docgen.kinds import KINDS
from docgen.kinds.nghi_quyet_chuyen_chinh_thuc import conversion_issues, prefill
from docgen.model import Profile, load_input

from .support import EXAMPLES, example_data, parse, problems, text_of, warnings

KIND = "nghi-quyet-chuyen-chinh-thuc"
example = functools.partial(example_data, KIND)  # the example, with changes


def test_the_entry() -> None:
    spec = KINDS[KIND]
    assert spec.type_symbol == "NQ" and spec.meeting and spec.resolution and spec.period_months == 1
    assert spec.book_name.vi == "Nghị quyết đề nghị công nhận đảng viên chính thức"
    assert spec.extra["probation_months"] == 12


def test_the_example_loads_clean(settings: Settings) -> None:
    doc = load_input(EXAMPLES / f"{KIND}.yaml", settings)
    assert doc.warnings == ()
    assert doc.meta.number_text == "13-NQ/CB"
    assert doc.meta.title == "NGHỊ QUYẾT đề nghị công nhận đảng viên chính thức đối với đồng chí Nguyễn Thị Xuân"
    assert doc.figures is not None
    # m19 is back from 1/7/2026, m20 exempt and absent: 20 - 1 = 19; m21, m22 probationary
    assert (doc.figures.denominator, doc.figures.present_official, doc.figures.present_probationary) == (19, 18, 2)
    assert "m21" not in doc.figures.voter_ids


# --------------------------------------------------------------------------- the probation

def test_the_probation_must_be_complete(settings: Settings, profile: Profile) -> None:
    data = {**example(), "member": "m22", "summary": None}
    message = problems(data, settings, profile)["member"]
    assert ("đồng chí Trần Văn Yên (m22) chưa đủ 12 tháng dự bị: kết nạp ngày 22/12/2025, đủ 12 tháng dự bị ngày "
            "22/12/2026, ngày họp 8/9/2026 (Điều lệ Đảng Điều 5)") in message


def test_the_day_the_probation_ends_is_the_first_day(settings: Settings, profile: Profile) -> None:
    data = {**example(), "date": "1/9/2026"}
    assert "đủ 12 tháng dự bị ngày 2/9/2026, ngày họp 1/9/2026" in problems(data, settings, profile)["member"]
    parse({**example(), "date": "2/9/2026"}, settings, profile)


def test_an_official_member_is_not_converted(settings: Settings, profile: Profile) -> None:
    data = {**example(), "member": "m01", "summary": None}
    message = problems(data, settings, profile)["member"]
    assert ("đồng chí Nguyễn Văn An (m01) đã là đảng viên chính thức từ ngày 19/5/1999 (hồ sơ: kết nạp 19/5/1998), "
            "không phải đảng viên dự bị vào ngày họp 8/9/2026") in message


def test_a_member_of_another_cell_is_not_converted_here(settings: Settings, profile: Profile) -> None:
    message = problems({**example(), "member": "t01"}, settings, profile)["member"]
    assert "đồng chí Đinh Văn Phúc (t01) không phải đảng viên của chi bộ vào ngày họp 8/9/2026" in message


def test_the_probation_is_a_kind_setting(settings: Settings, profile: Profile) -> None:
    data = parse(example(), settings, profile).data
    other = {**data, "member": "m22"}
    assert [i.field for i in conversion_issues(other, profile)] == ["member"]
    assert conversion_issues(other, profile, {"probation_months": 6}) == []


def test_a_late_sitting_is_warned_about(settings: Settings, profile: Profile) -> None:
    data = {**example(), "date": "10/11/2026", "temporary_in_present": []}  # 49 working days after 2/9/2026
    found = warnings(data, settings, profile)
    assert any("sau 49 ngày làm việc" in w and "quá thời hạn 30 ngày làm việc" in w and "từ ngày 2/9/2026" in w
               for w in found)


# --------------------------------------------------------------------------- the vote

def test_two_thirds_without_the_members_own_vote(settings: Settings, profile: Profile) -> None:
    data = example()
    data["vote"] = {"for": 13, "against": 5}
    text = text_of(parse(data, settings, profile), settings)
    assert "13/19 đồng chí tán thành, đạt 68,4%" in text and "Kết quả: thông qua (đạt ít nhất hai phần ba" in text
    assert "Đồng chí Nguyễn Thị Xuân là đảng viên dự bị, không tham gia biểu quyết." in text
    data["vote"] = {"for": 12, "against": 6}
    message = problems(data, settings, profile)["vote.for"]
    assert "12/19 đồng chí tán thành, chỉ đạt 63,2%" in message and "ít nhất 13/19 đồng chí" in message
    assert "nghị quyết không được ban hành, không lấy số" in message


def test_the_member_does_not_vote(settings: Settings, profile: Profile) -> None:
    data = example()
    data["vote"] = {"for": 17, "voters": ["m21"]}
    assert "là đảng viên dự bị, không có quyền biểu quyết" in problems(data, settings, profile)["vote.voters[0]"]
    data["vote"] = {"for": 19}  # 18 official members present
    assert "(18)" in problems(data, settings, profile)["vote.for"]


# --------------------------------------------------------------------------- helpers, summary, presence

def test_helpers(settings: Settings, profile: Profile) -> None:
    data = {**example(), "helpers": ["m06", "m21"]}
    assert "là đảng viên dự bị được xét, không phải đảng viên giúp đỡ" in problems(data, settings, profile)["helpers[1]"]
    data["helpers"] = ["m06", "m22"]
    assert any("đảng viên giúp đỡ đồng chí Trần Văn Yên không phải đảng viên chính thức" in w
               for w in warnings(data, settings, profile))


def test_the_summary_names_the_member(settings: Settings, profile: Profile) -> None:
    data = {**example(), "summary": None}
    doc = parse(data, settings, profile)
    # The default trích yếu names the member from the roster.
    assert doc.meta.title == "NGHỊ QUYẾT đề nghị công nhận đảng viên chính thức đối với đồng chí Nguyễn Thị Xuân"
    assert doc.warnings == ()
    data["summary"] = "đề nghị công nhận đảng viên chính thức đối với đồng chí Trần Văn Yên"
    assert any("không có họ tên đồng chí Nguyễn Thị Xuân" in w for w in warnings(data, settings, profile))


def test_the_member_absent_is_warned_about(settings: Settings, profile: Profile) -> None:
    data = example()
    data["absent"] = [*data["absent"], {"member": "m21", "reason": "ốm"}]
    assert any("Nguyễn Thị Xuân (đảng viên dự bị được xét) không có mặt" in w for w in warnings(data, settings, profile))


def test_form_prefills_the_member_whose_probation_is_complete(settings: Settings, profile: Profile) -> None:
    assert prefill(settings, profile, dt.date(2026, 9, 8)) == {
        "member": "m21", "summary": "đề nghị công nhận đảng viên chính thức đối với đồng chí Nguyễn Thị Xuân"}
    assert prefill(settings, profile, dt.date(2026, 3, 10)) == {}  # nobody yet
    assert prefill(settings, profile, dt.date(2026, 12, 22)) == {}  # m21 and m22: the user chooses
    assert prefill(settings, profile, None) == {}


# --------------------------------------------------------------------------- the text

def test_the_rendered_resolution(settings: Settings, profile: Profile) -> None:
    text = text_of(parse(example(), settings, profile), settings)
    lines = text.splitlines()
    assert lines[6:8] == ["NGHỊ QUYẾT", "đề nghị công nhận đảng viên chính thức đối với đồng chí Nguyễn Thị Xuân"]
    assert ("Chi bộ thôn An Thành tổ chức sinh hoạt chi bộ thường kỳ tháng 9 năm 2026 để xét, đề nghị công nhận "
            "đảng viên chính thức đối với đồng chí Nguyễn Thị Xuân.") in text
    assert "Có mặt 20 đồng chí (chính thức 18, dự bị 2)" in text
    assert ("- Ngày kết nạp vào Đảng: 02/9/2025 (Quyết định số 112-QĐ/ĐU ngày 15/8/2025 của Đảng ủy xã Quang "
            "Kim);") in lines
    assert "- Ngày đủ 12 tháng dự bị: 02/9/2026;" in lines
    assert "- Đảng viên được phân công giúp đỡ: đồng chí Vũ Thị Phương và đồng chí Đỗ Thị Hoa." in lines
    assert "Đồng chí Nguyễn Thị Xuân đọc bản tự kiểm điểm trong thời gian dự bị; nội dung chính:" in lines
    assert "- Đồng chí Vũ Thị Phương (đảng viên được phân công giúp đỡ): Đồng chí Xuân" in text
    assert [x for x in lines if x[:3] in ("I. ", "II.", "III", "IV.", "V. ")] == [
        "I. THÔNG TIN VỀ ĐẢNG VIÊN DỰ BỊ", "II. TỰ KIỂM ĐIỂM CỦA ĐẢNG VIÊN DỰ BỊ", "III. Ý KIẾN NHẬN XÉT",
        "IV. NHẬN XÉT CỦA CHI BỘ", "V. KẾT QUẢ BIỂU QUYẾT"]
    assert ("Tỷ lệ biểu quyết tính trên 19 đảng viên chính thức (20 đảng viên chính thức, trừ 1 đồng chí được "
            "miễn công tác và sinh hoạt đảng") in text
    assert text.count("Tỷ lệ biểu quyết tính trên") == 1
    closing = lines[lines.index("QUYẾT NGHỊ:"):]
    assert closing[1] == ("Đề nghị Đảng ủy xã Quang Kim xem xét, quyết định công nhận đảng viên chính thức đối "
                          "với đồng chí Nguyễn Thị Xuân.")
    assert closing[-3:] == ["T/M CHI BỘ", "BÍ THƯ", "Nguyễn Văn An"]
    assert "None" not in text


def test_without_a_self_review_the_sections_renumber(settings: Settings, profile: Profile) -> None:
    doc = parse({**example(), "self_review": None, "helpers": []}, settings, profile)
    text = text_of(doc, settings)
    assert "TỰ KIỂM ĐIỂM" not in text and "II. Ý KIẾN NHẬN XÉT" in text and "IV. KẾT QUẢ BIỂU QUYẾT" in text
    assert "bản nhận xét của đảng viên được phân công giúp đỡ" not in text
    assert any("tự kiểm điểm" in w.vi for w in doc.warnings)


def test_recorded_after_the_decision_the_conversion_still_files() -> None:
    """The official date is the end of probation (before the meeting); with the superior's
    decision date recorded (official_decided), the member was still probationary at the
    meeting: the conversion still validates, and later sittings count them as official."""
    import dataclasses

    from docgen.model import load_profile
    from docgen.model.roster import status_on

    settings = Settings(profile_path=EXAMPLES / "profile.yaml")
    base = load_profile(EXAMPLES / "profile.yaml")
    members = tuple(dataclasses.replace(m, official=dt.date(2026, 9, 2), official_decided=dt.date(2026, 10, 5))
                    if m.id == "m21" else m for m in base.members)
    profile = dataclasses.replace(base, members=members)
    xuan = profile.member("m21")
    assert xuan is not None
    assert status_on(xuan, dt.date(2026, 9, 8)).probationary
    assert status_on(xuan, dt.date(2026, 12, 15)).official
    doc = parse(example(), settings, profile)
    assert doc.kind == "nghi-quyet-chuyen-chinh-thuc"
    without = dataclasses.replace(base, members=tuple(
        dataclasses.replace(m, official=dt.date(2026, 9, 2)) if m.id == "m21" else m for m in base.members))
    assert "đã là đảng viên chính thức từ ngày 2/9/2026" in problems(example(), settings, without)["member"]
