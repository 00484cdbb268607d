"""Nghị quyết đề nghị kết nạp đảng viên (docgen/kinds/nghi_quyet_ket_nap.py): the two-thirds
vote, the introducers, the person, the numbering shared with the monthly resolution, the text."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
from pathlib import Path
from typing import cast

from docgen.archive import Archive
from docgen.archive.ids import series_key
from docgen.config import Settings
from docgen.kinds import KINDS
from docgen.kinds import _membership as M
from docgen.kinds.nghi_quyet_ket_nap import admission_issues
from docgen.model import DocumentInput, Profile, load_input
from docgen.model.meta import Fileable, RenderedDocument
from docgen.render import Renderer

from .support import EXAMPLES, example_data, field_problems, parse, problems, text_of, warnings

KIND = "nghi-quyet-ket-nap"
example = functools.partial(example_data, KIND)  # the example, with changes


def with_official(profile: Profile, member_id: str, official: dt.date) -> Profile:
    members = tuple(dataclasses.replace(m, official=official) if m.id == member_id else m for m in profile.members)
    return dataclasses.replace(profile, members=members)


# --------------------------------------------------------------------------- the entry

def test_the_entry() -> None:
    spec = KINDS[KIND]
    assert spec.type_symbol == "NQ" and spec.type_name == "NGHỊ QUYẾT"
    assert spec.meeting and spec.resolution and spec.numbered and spec.period_months == 1
    assert spec.book_name.vi == "Nghị quyết đề nghị kết nạp đảng viên"
    assert spec.summary_builder({"candidate": {"name": "Lê Thị Hạnh"}}) == "đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng"


def test_the_example_loads_clean(settings: Settings) -> None:
    doc = load_input(EXAMPLES / f"{KIND}.yaml", settings)
    assert doc.warnings == ()
    assert doc.meta.number_text == "07-NQ/CB"
    assert doc.meta.title == "NGHỊ QUYẾT đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng"
    assert doc.figures is not None
    assert (doc.figures.denominator, doc.figures.present_official, doc.figures.present_probationary) == (18, 16, 2)


# --------------------------------------------------------------------------- the vote

def test_two_thirds_of_the_official_members_pass(settings: Settings, profile: Profile) -> None:
    data = example()
    data["vote"] = {"for": 12, "against": 3, "abstain": 1}  # 12/18 = exactly two thirds
    text = text_of(parse(data, settings, profile), settings)
    assert ("Biểu quyết đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng: 12/18 đồng chí tán thành, đạt 66,7%; "
            "3 đồng chí không tán thành; 1 đồng chí có ý kiến khác. Kết quả: thông qua (đạt ít nhất hai phần ba "
            "số đảng viên chính thức).") in text


def test_more_than_half_is_not_enough(settings: Settings, profile: Profile) -> None:
    data = example()
    data["vote"] = {"for": 11, "against": 5, "abstain": 0}  # 11/18: a monthly resolution would pass
    found = problems(data, settings, profile)
    message = found["vote.for"]
    assert "đề nghị kết nạp quần chúng Lê Thị Hạnh không được thông qua" in message
    assert "11/18 đồng chí tán thành, chỉ đạt 61,1%" in message
    assert "cần ít nhất hai phần ba số đảng viên chính thức, tức ít nhất 12/18 đồng chí tán thành" in message
    assert "không được ban hành, không lấy số" in message


def test_the_failed_vote_goes_to_the_minutes(settings: Settings, profile: Profile) -> None:
    data = example()
    data["vote"] = {"for": 2, "against": 14}
    hint = next(p.hint for p in field_problems(data, settings, profile) if p.path == "vote.for")
    assert hint is not None and "biên bản" in hint.vi and "type: admission" in hint.vi


def test_probationary_members_do_not_vote(settings: Settings, profile: Profile) -> None:
    data = example()
    data["vote"] = {"for": 17}  # 16 official members present (the 2 probationary do not vote)
    found = problems(data, settings, profile)
    assert "số đảng viên chính thức có mặt (16)" in found["vote.for"]
    data["vote"] = {"for": 16, "voters": ["m21"]}
    assert "đảng viên dự bị, không có quyền biểu quyết" in problems(data, settings, profile)["vote.voters[0]"]


def test_a_resolution_needs_its_vote_unless_a_draft(settings: Settings, profile: Profile) -> None:
    data = example()
    data["vote"] = None
    assert "Chưa điền Kết quả biểu quyết đề nghị kết nạp" in problems(data, settings, profile)["vote"]
    data.update({"draft": True, "number": None})
    doc = parse(data, settings, profile)
    assert doc.meta.number is None and doc.meta.draft
    text = text_of(doc, settings)
    assert "DỰ THẢO" in text and "Số      -NQ/CB" in text
    assert "KẾT QUẢ BIỂU QUYẾT" not in text and "Biểu quyết đề nghị" not in text
    assert "QUYẾT NGHỊ:" in text


def test_a_draft_with_a_vote_is_warned_about(settings: Settings, profile: Profile) -> None:
    data = {**example(), "draft": True, "number": None}
    assert any("dự thảo nghị quyết không ghi kết quả biểu quyết" in w for w in warnings(data, settings, profile))


# --------------------------------------------------------------------------- introducers

def test_two_official_members_introduce(settings: Settings, profile: Profile) -> None:
    data = {**example(), "introducers": ["m06"]}
    message = problems(data, settings, profile)["introducers"]
    assert "cần 2 đảng viên chính thức giới thiệu người vào Đảng (Điều lệ Đảng Điều 4); đang ghi 1" in message


def test_or_the_youth_union_and_one_member(settings: Settings, profile: Profile) -> None:
    data = {**example(), "introducers": ["m06"], "introducing_body": "Ban Chấp hành Đoàn xã Quang Kim"}
    text = text_of(parse(data, settings, profile), settings)
    assert ("- Người giới thiệu: Ban Chấp hành Đoàn xã Quang Kim và đồng chí Vũ Thị Phương (đảng viên chính thức "
            "từ 20/10/2015).") in text
    assert "nghị quyết giới thiệu của Ban Chấp hành Đoàn xã Quang Kim" in text
    data["introducers"] = ["m06", "m12"]
    assert "cần thêm 1 đảng viên chính thức" in problems(data, settings, profile)["introducers"]


def test_introducers_by_name(settings: Settings, profile: Profile) -> None:
    data = {**example(), "introducers": ["Vũ Thị Phương", "Lý Thị Mai"]}
    assert parse(data, settings, profile).data["introducers"] == ["m06", "m12"]


def test_a_probationary_member_cannot_introduce(settings: Settings, profile: Profile) -> None:
    data = {**example(), "introducers": ["m06", "m21"]}
    message = problems(data, settings, profile)["introducers[1]"]
    assert "người giới thiệu đồng chí Nguyễn Thị Xuân (m21) là đảng viên dự bị vào ngày 14/4/2026" in message
    assert "phải là đảng viên chính thức" in message


def test_an_introducer_is_official_for_a_year(settings: Settings, profile: Profile) -> None:
    recent = with_official(profile, "m12", dt.date(2025, 12, 1))
    message = problems(example(), settings, recent)["introducers[1]"]
    assert ("người giới thiệu đồng chí Lý Thị Mai (m12) là đảng viên chính thức từ 1/12/2025, chưa đủ 12 tháng "
            "vào ngày họp 14/4/2026 (đủ từ 1/12/2026)") in message
    # exactly twelve months is enough
    parse(example(), settings, with_official(profile, "m12", dt.date(2025, 4, 14)))


def test_the_year_is_a_kind_setting(settings: Settings, profile: Profile) -> None:
    data = parse(example(), settings, profile).data
    assert admission_issues(data, profile) == []
    longer = admission_issues(data, profile, {"introducer_official_months": 12 * 8})
    assert [i.field for i in longer] == ["introducers[1]"]  # m12: official since 8/3/2019
    assert "chưa đủ 96 tháng" in longer[0].message.vi
    assert KINDS[KIND].extra["introducer_official_months"] == 12


def test_an_introducer_belongs_to_the_cell(settings: Settings, profile: Profile) -> None:
    data = {**example(), "introducers": ["m06", "t01"]}
    message = problems(data, settings, profile)["introducers[1]"]
    assert "người giới thiệu đồng chí Đinh Văn Phúc (t01) không phải đảng viên của chi bộ vào ngày 14/4/2026" in message
    data["introducers"] = ["m06", "m99"]
    assert "m99" in problems(data, settings, profile)["introducers[1]"]


def test_an_absent_introducer_is_warned_about(settings: Settings, profile: Profile) -> None:
    data = example()
    data["absent"] = [*data["absent"], {"member": "m12", "reason": "ốm"}]
    data["vote"] = {"for": 15}
    assert any("người giới thiệu đồng chí Lý Thị Mai không có mặt" in w for w in warnings(data, settings, profile))


# --------------------------------------------------------------------------- the person

def test_the_application_precedes_the_meeting(settings: Settings, profile: Profile) -> None:
    data = example()
    data["candidate"] = {**data["candidate"], "application_date": "15/4/2026"}
    assert ("ngày làm đơn xin vào Đảng (15/4/2026) sau ngày chi bộ họp xét (14/4/2026)"
            in problems(data, settings, profile)["candidate.application_date"])


def test_the_person_is_eighteen(settings: Settings, profile: Profile) -> None:
    data = example()
    data["candidate"] = {**data["candidate"], "birth_date": "15/4/2008", "application_date": "1/4/2026"}
    message = problems(data, settings, profile)["candidate.birth_date"]
    assert "quần chúng Lê Thị Hạnh (sinh ngày 15/4/2008) chưa đủ 18 tuổi" in message
    assert "(đủ 18 tuổi ngày 15/4/2026)" in message
    data["candidate"]["birth_date"] = "14/4/2008"  # eighteen on the day
    parse(data, settings, profile)


def test_over_sixty_is_a_warning(settings: Settings, profile: Profile) -> None:
    data = example()
    data["candidate"] = {**data["candidate"], "birth_date": "1/1/1965"}
    found = warnings(data, settings, profile)
    assert any("đã quá 60 tuổi" in w and "cấp ủy trực thuộc Trung ương" in w for w in found)


def test_months_and_working_days() -> None:
    assert M.add_months(dt.date(2025, 9, 2), 12) == dt.date(2026, 9, 2)
    assert M.add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert M.whole_months(dt.date(1994, 7, 16), dt.date(2012, 7, 15)) == 215
    assert M.whole_months(dt.date(1994, 7, 16), dt.date(2012, 7, 16)) == 216
    assert M.working_days_after(dt.date(2026, 9, 2), dt.date(2026, 9, 8)) == 4  # Thu, Fri, Mon, Tue
    assert M.working_days_after(dt.date(2026, 9, 8), dt.date(2026, 9, 8)) == 0


# --------------------------------------------------------------------------- numbering

def test_one_nq_series_with_the_monthly_resolution(settings: Settings, tmp_path: Path) -> None:
    """numbering is per type symbol (docgen/archive/ids.series_key: cell, issuer, type symbol,
    term): the monthly resolution and both membership resolutions share one counter."""
    docs = [load_input(EXAMPLES / f"{kind}.yaml", settings)
            for kind in ("nghi-quyet", KIND, "nghi-quyet-chuyen-chinh-thuc")]
    assert len({series_key(d.meta, per_year=False) for d in docs}) == 1
    archive = Archive(tmp_path / "archive")
    renderer = Renderer(settings)

    def render(doc: Fileable) -> RenderedDocument:
        return renderer.render(cast(DocumentInput, doc))

    filed = []
    for doc in docs:
        unnumbered = dataclasses.replace(doc, data={**copy.deepcopy(doc.data), "number": None},
                                         _meta=dataclasses.replace(doc.meta, number=None))
        filed.append(archive.file(unnumbered, render, "an"))
    assert [f.meta.number_text for f in filed] == ["01-NQ/CB", "02-NQ/CB", "03-NQ/CB"]
    archive.close()


# --------------------------------------------------------------------------- the text

def test_the_rendered_resolution(settings: Settings, profile: Profile) -> None:
    text = text_of(parse(example(), settings, profile), settings)
    lines = text.splitlines()
    assert lines[6:8] == ["NGHỊ QUYẾT", "đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng"]
    assert ("tại Nhà văn hóa thôn An Thành, Chi bộ thôn An Thành tổ chức sinh hoạt chi bộ thường kỳ tháng 4 năm "
            "2026 để xét, đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng.") in text
    assert "Có mặt 18 đồng chí (chính thức 16, dự bị 2)" in text
    assert "Đồng chí Nguyễn Văn An, Bí thư Chi bộ, chủ trì; đồng chí Lê Văn Cường làm thư ký." in text
    assert "Sau khi xem xét đơn xin vào Đảng ngày 20/11/2025 của quần chúng Lê Thị Hạnh" in text
    assert "ý kiến nhận xét của Chi hội Phụ nữ thôn An Thành và Ban công tác Mặt trận thôn An Thành" in text
    assert "- Ngày sinh: 16/7/1994;" in lines
    assert "- Đồng chí Vũ Thị Phương (người giới thiệu): Cùng sinh hoạt" in text
    assert [x for x in lines if x[:3] in ("I. ", "II.", "III", "IV.")] == [
        "I. THÔNG TIN VỀ NGƯỜI VÀO ĐẢNG", "II. Ý KIẾN NHẬN XÉT", "III. NHẬN XÉT CỦA CHI BỘ", "IV. KẾT QUẢ BIỂU QUYẾT"]
    assert text.count("Tỷ lệ biểu quyết tính trên") == 1
    assert "Tỷ lệ biểu quyết tính trên 18 đảng viên chính thức (20 đảng viên chính thức, trừ" in text
    closing = lines[lines.index("QUYẾT NGHỊ:"):]
    assert closing[1] == ("Đề nghị Đảng ủy xã Quang Kim xem xét, quyết định kết nạp quần chúng Lê Thị Hạnh vào "
                          "Đảng Cộng sản Việt Nam.")
    assert closing[2:] == ["Nơi nhận:", "- Đảng ủy xã Quang Kim (để xem xét, quyết định),",
                           "- Đồng chí Đảng ủy viên phụ trách chi bộ,", "- Lưu Chi bộ.", "T/M CHI BỘ", "BÍ THƯ",
                           "Nguyễn Văn An"]
    assert "None" not in text and '"' not in text


def test_sections_are_numbered_as_they_appear(settings: Settings, profile: Profile) -> None:
    data = {**example(), "opinions": [], "weaknesses": None, "recipients": []}
    doc = parse(data, settings, profile)
    text = text_of(doc, settings)
    assert "II. NHẬN XÉT CỦA CHI BỘ" in text and "III. KẾT QUẢ BIỂU QUYẾT" in text
    assert "Ý KIẾN NHẬN XÉT" not in text and "Khuyết điểm" not in text
    assert "ý kiến nhận xét của" not in text
    assert "- Đảng ủy xã Quang Kim (để xem xét, quyết định),\n- Lưu Chi bộ." in text  # the default recipients
    assert any("khuyết điểm" in w.vi for w in doc.warnings)


def test_an_extraordinary_sitting(settings: Settings, profile: Profile) -> None:
    text = text_of(parse({**example(), "extraordinary": True}, settings, profile), settings)
    assert "Chi bộ thôn An Thành tổ chức họp chi bộ bất thường để xét, đề nghị kết nạp" in text
