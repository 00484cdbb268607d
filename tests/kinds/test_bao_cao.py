"""Báo cáo (docgen/kinds/bao_cao.py): the three report types, their period and wording, the
Party-rule errors and warnings, the rendered text, and the prefill of ``docgen form bao-cao``
read from a real archive (the examples filed with ``docgen new``, plus more sittings: one
extraordinary, one combined with a topical session, a draft, a withdrawn one, another
cell's)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from docgen.authoring.form import BLANK
from docgen.config import Settings, load_settings
from docgen.kinds import KINDS
from docgen.kinds._bao_cao_period import ReportPeriod
from docgen.kinds._bao_cao_prefill import prefill
from docgen.kinds.bao_cao import figures_blocks, meetings_sentence
from docgen.model import Profile, load_input, load_profile
from docgen.model.resolve import resolve_kind

from .support import (
    CONFIG,
    EXAMPLES,
    PROFILE,
    example_data,
    parse,
    plain,
    problems,
    run,
    text_of,
    warnings,
)

KIND = "bao-cao"
EXAMPLE: dict[str, Any] = example_data(KIND)
example = functools.partial(example_data, KIND)  # the example, with changes


def periodic(report_type: str = "6-thang", **changes: Any) -> dict[str, Any]:
    """A six-month (or year-end) report of 2026 with figures for its whole period."""
    end = "2026-06-30" if report_type == "6-thang" else "2026-12-31"
    data = example(report_type=report_type, date=end, quarter=None, session=None, preparation=None,
                   presentation=None, discussion=None, commitments=[], evaluation=None,
                   situation="Tình hình chính trị ở thôn ổn định.",
                   results={"politics": "Chi bộ thông tin kịp thời.", "economy": None, "security": None,
                            "party_building": "Kết nạp 01 đảng viên."},
                   archive_figures={"from": "2026-01-01", "to": end,
                                    "meetings_regular": 6 if report_type == "6-thang" else 12,
                                    "meetings_extraordinary": 0,
                                    "meetings_topical": 2 if report_type == "6-thang" else 4,
                                    "average_attendance_percent": "91,2%", "topics": ["vệ sinh môi trường"],
                                    "resolutions": [{"number": "05-NQ/CB", "date": "2026-03-10",
                                                     "summary": "lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026"}]})
    data.update(changes)
    return data


# --------------------------------------------------------------------------- the kind

def test_the_kind_entry() -> None:
    spec = KINDS[KIND]
    assert (spec.type_symbol, spec.type_name, spec.numbered) == ("BC", "BÁO CÁO", True)
    assert spec.book_name.vi == "Báo cáo" and spec.prefill is prefill
    for name in ("Báo cáo", "báo cáo sơ kết 6 tháng", "bao cao tong ket nam", "báo cáo chuyên đề"):
        assert resolve_kind(name) == KIND
    # from one report to the next: a topical one to the next quarter's, a six-month one to
    # the year-end one, a year-end one to next year's six-month report
    assert spec.step_months({"report_type": "chuyen-de"}) == 3
    assert spec.step_months({"report_type": "6-thang"}) == 6
    assert spec.step_months({"report_type": "nam"}) == 6
    assert spec.step_months({}) == 3


@pytest.mark.parametrize(("report_type", "date", "year", "quarter", "summary"), [
    ("chuyen-de", "2026-03-26", None, None, "kết quả sinh hoạt chuyên đề quý I năm 2026"),
    ("chuyen-de", "2026-04-02", 2026, 1, "kết quả sinh hoạt chuyên đề quý I năm 2026"),
    ("6-thang", "2026-06-25", None, None, "sơ kết công tác 6 tháng đầu năm 2026"),
    ("nam", "2026-12-15", None, None, "tổng kết công tác năm 2026"),
    ("nam", "2027-01-08", 2026, None, "tổng kết công tác năm 2026"),
])
def test_the_default_summary_follows_the_type_and_period(report_type: str, date: str, year: int | None,
                                                         quarter: int | None, summary: str) -> None:
    data = {"kind": KIND, "date": date, "report_type": report_type, "year": year, "quarter": quarter}
    assert KINDS[KIND].summary_builder(data) == summary


def test_a_topical_report_takes_its_quarter_from_the_session() -> None:
    data = {"kind": KIND, "date": "2026-04-02", "report_type": "chuyen-de",
            "session": {"title": "X", "date": "2026-03-28", "presenter": "m02"}}
    assert KINDS[KIND].summary_builder(data) == "kết quả sinh hoạt chuyên đề quý I năm 2026"


def test_the_example_is_consistent_with_the_topical_minutes(settings: Settings) -> None:
    """The example reports the session of examples/bien-ban-chuyen-de.yaml: same topic,
    date, presenter, attendance (present / summoned) and absentee, two days later."""
    minutes = load_input(EXAMPLES / "bien-ban-chuyen-de.yaml", settings)
    report = load_input(EXAMPLES / f"{KIND}.yaml", settings)
    assert report.warnings == ()
    session = report.data["session"]
    figures = minutes.figures
    assert figures is not None
    assert session["title"] == minutes.data["topic_title"]
    assert session["date"] == minutes.data["date"] and session["presenter"] == minutes.data["presenter"]
    assert (session["present"], session["summoned"]) == (figures.present_summoned, figures.summoned) == (19, 20)
    assert session["absent"] == "đồng chí Hoàng Văn Em (đi công tác)"
    assert report.meta.number_text == "03-BC/CB"
    assert report.meta.title == "BÁO CÁO kết quả sinh hoạt chuyên đề quý I năm 2026"
    plan = load_input(EXAMPLES / "ke-hoach-chuyen-de.yaml", settings)
    assert (plan.meta.number_text, plan.meta.date) == ("01-KH/CB", dt.date(2026, 1, 12))
    assert plan.meta.title == "KẾ HOẠCH sinh hoạt chuyên đề năm 2026"
    assert report.data["bases"] == ["Kế hoạch số 01-KH/CB, ngày 12/1/2026 của Chi bộ về sinh hoạt chuyên đề năm 2026"]


def test_the_topical_report_reads_as_a_clerk_writes_it(settings: Settings, profile: Profile) -> None:
    text = text_of(parse(example(), settings, profile), settings)
    assert ("Thực hiện Kế hoạch số 01-KH/CB, ngày 12/1/2026 của Chi bộ về sinh hoạt chuyên đề năm 2026, "
            "Chi bộ thôn An Thành báo cáo kết quả sinh hoạt chuyên đề quý I năm 2026 như sau:") in text
    assert "Số 03-BC/CB" in text and "Quang Kim, ngày 26 tháng 3 năm 2026" in text
    assert "- Người chuẩn bị, trình bày: đồng chí Trần Thị Bích, Phó Bí thư Chi bộ." in text
    assert "- Thời gian, địa điểm: ngày 24/3/2026, tại Nhà văn hóa thôn An Thành." in text
    assert ("- Thành phần: có mặt 19/20 đồng chí đảng viên được triệu tập, đạt 95%; vắng mặt 1 đồng chí: "
            "đồng chí Hoàng Văn Em (đi công tác).") in text
    headings = [line for line in text.splitlines() if line[:3] in ("I. ", "II.", "III", "IV.", "V. ")]
    assert headings == ["I. CÔNG TÁC CHUẨN BỊ VÀ TỔ CHỨC SINH HOẠT", "II. KẾT QUẢ BUỔI SINH HOẠT CHUYÊN ĐỀ",
                        "III. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
                        "V. KIẾN NGHỊ, ĐỀ XUẤT"]
    assert "- Đồng chí Ngô Văn Khánh: lắp biển cấm đổ rác ở cầu Đồng Bông;" in text
    assert "- Kiểm điểm các việc đảng viên đã đăng ký tại kỳ sinh hoạt tháng 4/2026." in text  # last: "."
    assert "Trong quý" not in text  # a topical report prints no figures of the period
    assert text.rstrip().endswith("Nơi nhận:\n- Đảng ủy xã Quang Kim (để báo cáo),\n"
                                  "- Đồng chí Đảng ủy viên phụ trách chi bộ,\n- Lưu Chi bộ.\n"
                                  "T/M CHI BỘ\nBÍ THƯ\nNguyễn Văn An")


def test_a_report_goes_to_the_superior_committee_by_default(settings: Settings, profile: Profile) -> None:
    doc = parse(example(recipients=[]), settings, profile)
    assert doc.context()["recipients"] == ["- Đảng ủy xã Quang Kim (để báo cáo),", "- Lưu Chi bộ."]


def test_full_attendance_and_missing_parts(settings: Settings, profile: Profile) -> None:
    session = {**EXAMPLE["session"], "present": 20, "absent": None}
    doc = parse(example(session=session, shortcomings=None, causes="Thời gian chuẩn bị ngắn.", proposals=None),
                settings, profile)
    text = text_of(doc, settings)
    assert "có mặt 20/20 đồng chí đảng viên được triệu tập, đạt 100%; không có đồng chí nào vắng mặt." in text
    assert "III. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN\nNguyên nhân\nThời gian chuẩn bị ngắn." in text
    assert "KIẾN NGHỊ" not in text  # an empty part is left out, the others keep their order


def test_a_six_month_report(settings: Settings, profile: Profile) -> None:
    doc = parse(periodic(), settings, profile)
    assert doc.warnings == ()
    text = text_of(doc, settings)
    assert "BÁO CÁO\nsơ kết công tác 6 tháng đầu năm 2026\n-----" in text
    assert ("II. KẾT QUẢ SINH HOẠT CHI BỘ VÀ CÔNG TÁC ĐẢNG VIÊN\nTrong 6 tháng đầu năm 2026, Chi bộ tổ chức 6 buổi "
            "sinh hoạt thường kỳ, 2 buổi sinh hoạt chuyên đề; tỷ lệ đảng viên dự sinh hoạt bình quân 91,2%.\n"
            "Nội dung sinh hoạt tập trung vào các chủ đề: vệ sinh môi trường.\n"
            "Chi bộ ban hành 1 nghị quyết: Nghị quyết số 05-NQ/CB, ngày 10/3/2026 về lãnh đạo thực hiện "
            "nhiệm vụ tháng 3 năm 2026.") in text
    assert "I. ĐẶC ĐIỂM TÌNH HÌNH VÀ KẾT QUẢ THỰC HIỆN NHIỆM VỤ\nTình hình chính trị ở thôn ổn định.\n" \
           "1. Công tác chính trị, tư tưởng\nChi bộ thông tin kịp thời.\n2. Công tác xây dựng Đảng\n" in text
    assert "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2026" in text
    assert "Tên chuyên đề" not in text


def test_a_year_end_report(settings: Settings, profile: Profile) -> None:
    doc = parse(periodic("nam"), settings, profile)
    assert doc.warnings == ()
    text = text_of(doc, settings)
    assert "tổng kết công tác năm 2026" in text and "Trong năm 2026, Chi bộ tổ chức 12 buổi" in text
    assert "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027" in text


# --------------------------------------------------------------------------- part II wording

HALF = ReportPeriod("6-thang", 2026)


@pytest.mark.parametrize(("counts", "percent", "sentence"), [
    ((6, 1, 2), "91,2%", "Trong 6 tháng đầu năm 2026, Chi bộ tổ chức 6 buổi sinh hoạt thường kỳ, 1 buổi sinh hoạt "
                         "bất thường, 2 buổi sinh hoạt chuyên đề; tỷ lệ đảng viên dự sinh hoạt bình quân 91,2%."),
    ((5, 0, 0), "88%", "Trong 6 tháng đầu năm 2026, Chi bộ tổ chức 5 buổi sinh hoạt thường kỳ, không tổ chức buổi "
                       "sinh hoạt chuyên đề nào; tỷ lệ đảng viên dự sinh hoạt bình quân 88%."),
    ((0, 0, 1), None, "Trong 6 tháng đầu năm 2026, Chi bộ tổ chức 1 buổi sinh hoạt chuyên đề, không tổ chức buổi "
                      "sinh hoạt thường kỳ nào."),
    ((0, 0, 0), "90%", "Trong 6 tháng đầu năm 2026, Chi bộ không tổ chức buổi sinh hoạt nào."),
])
def test_the_meetings_sentence(counts: tuple[int, int, int], percent: str | None, sentence: str) -> None:
    regular, extraordinary, topical = counts
    figures = {"meetings_regular": regular, "meetings_extraordinary": extraordinary, "meetings_topical": topical,
               "average_attendance_percent": percent}
    assert meetings_sentence(HALF, figures) == sentence


def test_resolutions_none_one_several() -> None:
    def texts(resolutions: list[dict[str, Any]]) -> list[str]:
        return [b["text"] for b in figures_blocks(HALF, {"meetings_regular": 1, "resolutions": resolutions})][1:]

    assert texts([]) == ["Chi bộ không ban hành nghị quyết nào."]
    two: list[dict[str, Any]] = [
        {"number": "05-NQ/CB", "date": "2026-03-10", "summary": "lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026"},
        {"number": "06-NQ/CB", "date": None, "summary": "về công tác phòng, chống bão số 3"}]
    assert texts(two) == ["Chi bộ ban hành 2 nghị quyết:",
                          "- Nghị quyết số 05-NQ/CB, ngày 10/3/2026 về lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026;",
                          "- Nghị quyết số 06-NQ/CB về công tác phòng, chống bão số 3."]


# --------------------------------------------------------------------------- errors

def test_a_topical_report_names_its_session(settings: Settings, profile: Profile) -> None:
    found = problems(example(session=None), settings, profile)
    assert found == {"session": "Buổi sinh hoạt chuyên đề: báo cáo chuyên đề chưa ghi buổi sinh hoạt được báo cáo"}


def test_the_session_comes_before_the_report(settings: Settings, profile: Profile) -> None:
    found = problems(example(session={**EXAMPLE["session"], "date": "2026-03-28"}), settings, profile)
    assert found == {"session.date": "Ngày sinh hoạt chuyên đề: 28/3/2026 là sau ngày báo cáo 26/3/2026"}


def test_more_present_than_summoned(settings: Settings, profile: Profile) -> None:
    found = problems(example(session={**EXAMPLE["session"], "present": 21}), settings, profile)
    assert found == {"session.present": "Số đảng viên có mặt: 21 đồng chí, nhiều hơn số đảng viên được triệu tập (20)"}


def test_a_presenter_must_be_on_the_roster(settings: Settings, profile: Profile) -> None:
    found = problems(example(session={**EXAMPLE["session"], "presenter": "m99"}), settings, profile)
    assert "session.presenter" in found and "m99" in found["session.presenter"]


def test_names_are_read_in_the_session(settings: Settings, profile: Profile) -> None:
    doc = parse(example(session={**EXAMPLE["session"], "presenter": "Trần Thị Bích", "date": "24/3/2026"}),
                settings, profile)
    assert doc.data["session"]["presenter"] == "m02" and doc.data["session"]["date"] == "2026-03-24"


def test_a_report_on_a_period_not_begun(settings: Settings, profile: Profile) -> None:
    found = problems(periodic("nam", year=2027), settings, profile)
    assert found == {"year": "Năm báo cáo: báo cáo tổng kết công tác năm 2027 đề ngày 31/12/2026, trước khi kỳ báo cáo bắt đầu "
                             "(1/1/2027)"}
    found = problems(example(quarter=2), settings, profile)
    assert set(found) == {"quarter"}


@pytest.mark.parametrize("percent", ["91.2%", "91,2", "101%", "100,5%", "chín mươi"])
def test_the_average_attendance_is_a_percentage(settings: Settings, profile: Profile, percent: str) -> None:
    data = periodic()
    data["archive_figures"]["average_attendance_percent"] = percent
    found = problems(data, settings, profile)
    assert found == {"archive_figures.average_attendance_percent":
                     f"Tỷ lệ đảng viên dự sinh hoạt bình quân: \"{percent}\" không phải một tỷ lệ phần trăm từ 0% "
                     "đến 100%"}


@pytest.mark.parametrize("percent", ["100%", "0%", "93,33%", "9,5%"])
def test_percentages_written_the_vietnamese_way_pass(settings: Settings, profile: Profile, percent: str) -> None:
    data = periodic()
    data["archive_figures"]["average_attendance_percent"] = percent
    assert parse(data, settings, profile).warnings == ()


def test_figures_end_before_they_start(settings: Settings, profile: Profile) -> None:
    data = periodic()
    data["archive_figures"].update({"from": "2026-06-30", "to": "2026-01-01"})
    assert problems(data, settings, profile) == {
        "archive_figures.to": "Tính đến ngày: 1/1/2026 là trước ngày bắt đầu tính 30/6/2026"}


# --------------------------------------------------------------------------- warnings

def test_a_periodic_report_without_figures_is_warned_about(settings: Settings, profile: Profile) -> None:
    data = periodic(archive_figures={})
    assert warnings(data, settings, profile) == [
        "báo cáo 6 tháng chưa có số liệu sinh hoạt chi bộ ở phần II (archive_figures): docgen form bao-cao đọc "
        "số liệu từ kho lưu trữ, hoặc tự ghi"]
    assert "KẾT QUẢ SINH HOẠT CHI BỘ" not in text_of(parse(data, settings, profile), settings)


def test_figures_of_another_period(settings: Settings, profile: Profile) -> None:
    data = periodic("nam")
    data["archive_figures"].update({"from": "2026-01-01", "to": "2026-06-30"})
    assert warnings(data, settings, profile) == [
        "số liệu phần II tính từ 1/1/2026 đến 30/6/2026, không phải kỳ báo cáo năm 2026 (1/1/2026 – 31/12/2026): "
        "chạy lại docgen form bao-cao hoặc sửa archive_figures"]


def test_fewer_meetings_than_the_rules_ask_for(settings: Settings, profile: Profile) -> None:
    data = periodic()
    data["archive_figures"].update({"meetings_regular": 4, "meetings_topical": 1})
    assert warnings(data, settings, profile) == [
        "trong 6 tháng Chi bộ chỉ tổ chức 4 buổi sinh hoạt thường kỳ (Điều lệ Đảng Điều 24: chi bộ họp thường lệ "
        "mỗi tháng một lần): kiểm tra biên bản đã lưu hoặc archive_figures.meetings_regular",
        "trong 2 quý Chi bộ chỉ tổ chức 1 buổi sinh hoạt chuyên đề (HD 12: ít nhất mỗi quý một lần): kiểm tra "
        "biên bản đã lưu hoặc archive_figures.meetings_topical"]


def test_months_not_over_are_not_expected(settings: Settings, profile: Profile) -> None:
    """A six-month report of 20/6 counts to 20/6: June is not over, five meetings suffice."""
    data = periodic(date="2026-06-20")
    data["archive_figures"].update({"to": "2026-06-20", "meetings_regular": 5})
    assert warnings(data, settings, profile) == []


def test_parts_of_the_other_type_are_not_printed(settings: Settings, profile: Profile) -> None:
    data = periodic(presentation="Nội dung chuyên đề.", commitments=["Việc A"])
    assert warnings(data, settings, profile) == [
        "báo cáo 6 tháng không in: Nội dung chính của chuyên đề (presentation), "
        "Việc làm đảng viên đăng ký, cam kết (commitments)"]
    figures = periodic()["archive_figures"]
    assert warnings(example(situation="Tình hình ổn định.", archive_figures=figures), settings, profile) == [
        "báo cáo chuyên đề không in: Đặc điểm tình hình (situation), Số liệu sinh hoạt chi bộ (archive_figures)"]


def test_an_empty_part_one_and_an_early_date(settings: Settings, profile: Profile) -> None:
    data = periodic(date="2026-03-31", situation=None, results={})
    data["archive_figures"]["to"] = "2026-03-31"
    data["archive_figures"].update({"meetings_regular": 3, "meetings_topical": 1})
    assert warnings(data, settings, profile) == [
        "báo cáo 6 tháng chưa có phần I. Đặc điểm tình hình và kết quả thực hiện nhiệm vụ (situation, results đều "
        "trống)",
        "báo cáo sơ kết công tác 6 tháng đầu năm 2026 đề ngày 31/3/2026, khi kỳ báo cáo còn hơn hai tháng mới kết "
        "thúc: kiểm tra năm (year) hoặc ngày báo cáo"]


def test_a_session_of_another_quarter_and_a_wrong_summoned(settings: Settings, profile: Profile) -> None:
    session = {**EXAMPLE["session"], "summoned": 21, "present": 20}
    assert warnings(example(date="2026-04-03", quarter=2, session=session), settings, profile) == [
        "buổi sinh hoạt chuyên đề ngày 24/3/2026 không thuộc quý II năm 2026 của báo cáo: kiểm tra quý (quarter), "
        "năm (year) hoặc session.date",
        "số đảng viên được triệu tập (21) khác số tính từ hồ sơ chi bộ ngày 24/3/2026 (20): kiểm tra "
        "session.summoned"]


def test_a_topical_report_without_results(settings: Settings, profile: Profile) -> None:
    data = example(presentation=None, discussion=None, commitments=[], evaluation=None)
    assert warnings(data, settings, profile) == [
        "báo cáo chuyên đề chưa ghi kết quả buổi sinh hoạt (phần II: presentation, discussion, commitments, "
        "evaluation đều trống)"]


# --------------------------------------------------------------------------- prefill from the archive

def _variant(tmp: Path, name: str, kind: str, **changes: Any) -> Path:
    data = example_data(kind, number=None, **changes)
    path = tmp / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _filed(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output.split("Đã lưu ", 1)[1].split(" ", 1)[0]


@dataclasses.dataclass(frozen=True)
class Filed:
    root: Path
    settings: Settings
    profile: Profile


@pytest.fixture(scope="module")
def filed(tmp_path_factory: pytest.TempPathFactory) -> Filed:
    """The examples (but the report) filed with ``docgen new``, and more sittings of 2026:
    14/4 regular (1 absent) and its resolution, 12/5 a draft, 20/5 extraordinary (2 absent),
    9/6 regular withdrawn, 16/6 regular combined with a topical session (none absent), and a
    sitting of another cell."""
    tmp = tmp_path_factory.mktemp("bao-cao")
    root = tmp / "archive"
    examples = [EXAMPLES / f"{k}.yaml" for k in ("bien-ban-thuong-ky", "bien-ban-chuyen-de", "nghi-quyet",
                                                  "ke-hoach-chuyen-de", "de-cuong-chuyen-de")]
    assert run(root, "new", *map(str, examples)).exit_code == 0
    regular = {"absent": [{"member": "m05", "reason": "đi làm ăn xa"}], "exempt_present": [],
               "temporary_in_present": [], "guests": [], "vote": {"for": 16, "against": 0, "abstain": 0}}
    inputs = [
        _variant(tmp, "t4", "bien-ban-thuong-ky", date="2026-04-14", month=4, topics=["ntm"], **regular),
        _variant(tmp, "nq4", "nghi-quyet", date="2026-04-14", month=4, topics=["ntm"], **regular),
        _variant(tmp, "t5-draft", "bien-ban-thuong-ky", date="2026-05-12", month=5, topics=["pcmt"], draft=True,
                 **regular),
        _variant(tmp, "bt5", "bien-ban-thuong-ky", date="2026-05-20", month=5, topics=["thien-tai"],
                 extraordinary=True, reason="Triển khai phòng, chống bão số 2",
                 **{**regular, "absent": [{"member": "m05", "reason": "đi làm ăn xa"}, {"member": "m11"}],
                    "vote": {"for": 16, "against": 0, "abstain": 0}}),
        _variant(tmp, "t6", "bien-ban-thuong-ky", date="2026-06-16", month=6, topics=["antt"],
                 start="19:00", end="21:30", combined_with_topical=True,
                 topical={"title": "Giữ gìn an ninh trật tự ở khu dân cư", "presenter": "m18",
                          "presentation": "Tình hình an ninh trật tự quý II.", "discussion": [],
                          "conclusion": "Duy trì tổ an ninh cơ sở."},
                 **{**regular, "absent": []}),
    ]
    assert run(root, "new", *map(str, inputs)).exit_code == 0
    withdrawn = _filed(run(root, "new", str(_variant(tmp, "t6-x", "bien-ban-thuong-ky", date="2026-06-09", month=6,
                                                   topics=["pcmt"], **regular))))
    assert run(root, "withdraw", withdrawn, "--reason", "lưu nhầm").exit_code == 0
    other = plain(PROFILE)
    other["cell"]["name"] = "CHI BỘ THÔN AN LẠC"
    (tmp / "other").mkdir()
    (tmp / "other" / "profile.yaml").write_text(yaml.safe_dump(other, allow_unicode=True), "utf-8")
    (tmp / "other" / "docgen.toml").write_text('[docgen]\nprofile = "profile.yaml"\n', "utf-8")
    assert run(root, "new", str(_variant(tmp, "an-lac", "bien-ban-thuong-ky", date="2026-04-15", month=4,
                                         topics=["pcmt"], **regular)),
               config=tmp / "other" / "docgen.toml").exit_code == 0
    settings = load_settings({"config_path": CONFIG, "archive_root": root}, environ={})
    return Filed(root, settings, load_profile(PROFILE))


def _files(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*")
            if p.is_file() and ".docgen" not in p.relative_to(root).parts}


def test_prefill_counts_the_six_months(filed: Filed) -> None:
    before = _files(filed.root)
    values = prefill(filed.settings, filed.profile, dt.date(2026, 6, 30))
    assert _files(filed.root) == before  # the archive is only read
    assert (values["report_type"], values["year"], values["quarter"], values["session"]) == ("6-thang", 2026,
                                                                                            None, None)
    # regular: 10/3, 14/4, 16/6 (not the draft of 12/5, the withdrawn 9/6, the other cell's 15/4);
    # extraordinary: 20/5; topical: 24/3 and the topical part of 16/6; present / summoned:
    # 17/20 + 19/20 + 19/20 + 18/20 + 20/20 = 93/100
    assert values["archive_figures"] == {
        "from": dt.date(2026, 1, 1), "to": dt.date(2026, 6, 30),
        "meetings_regular": 3, "meetings_extraordinary": 1, "meetings_topical": 2,
        "average_attendance_percent": "93%",
        "topics": ["xây dựng nông thôn mới", "vệ sinh môi trường", "an ninh trật tự", "thu nộp đảng phí",
                   "phòng, chống thiên tai, ứng phó biến đổi khí hậu"],
        "resolutions": [
            {"number": "05-NQ/CB", "date": dt.date(2026, 3, 10), "summary": "lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026"},
            {"number": "06-NQ/CB", "date": dt.date(2026, 4, 14), "summary": "lãnh đạo thực hiện nhiệm vụ tháng 4 năm 2026"}],
    }
    assert values["topics"] == ["ntm", "vsmt", "antt", "dang-phi", "thien-tai"]


def test_prefill_counts_up_to_the_date(filed: Filed) -> None:
    """A six-month report of 30/5 (June: not yet) counts until 30/5 ... and a January date
    gives the year-end report of the year before."""
    values = prefill(filed.settings, filed.profile, dt.date(2026, 6, 1))
    assert values["archive_figures"]["to"] == dt.date(2026, 6, 1)
    assert (values["archive_figures"]["meetings_regular"], values["archive_figures"]["meetings_topical"]) == (2, 1)
    year_end = prefill(filed.settings, filed.profile, dt.date(2027, 1, 10))
    assert (year_end["report_type"], year_end["year"]) == ("nam", 2026)
    assert year_end["archive_figures"]["to"] == dt.date(2026, 12, 31)
    assert year_end["archive_figures"]["meetings_regular"] == 3


def test_prefill_of_a_topical_report_reads_the_minutes(filed: Filed) -> None:
    values = prefill(filed.settings, filed.profile, dt.date(2026, 3, 26))
    assert (values["report_type"], values["year"], values["quarter"]) == ("chuyen-de", 2026, 1)
    session = {**EXAMPLE["session"], "date": dt.date(2026, 3, 24)}
    assert values["session"] == session
    assert values["bases"] == EXAMPLE["bases"] and values["topics"] == ["vsmt"]
    assert "archive_figures" not in values
    assert values["presentation"].startswith("Thực trạng: toàn thôn có 412 hộ")
    assert values["discussion"].splitlines()[0] == ("Đồng chí Vũ Thị Phương: Chi hội Phụ nữ nhận trồng và chăm sóc "
                                                    "500 m đường hoa xóm Tây; đề nghị thôn hỗ trợ cây giống.")
    assert values["commitments"] == [
        "Đồng chí Trần Thị Bích: hoàn thiện chuyên đề sau thảo luận (thời hạn 31/3/2026)",
        "Đồng chí Ngô Văn Khánh: lắp biển cấm đổ rác tại cầu Đồng Bông (thời hạn 15/4/2026)"]
    assert values["evaluation"].splitlines()[-1] == ("Chi bộ tự đánh giá chất lượng buổi sinh hoạt đạt 88/100 "
                                                     "điểm, xếp loại Khá.")


def test_prefill_reads_a_sitting_combined_with_a_topical_session(filed: Filed) -> None:
    values = prefill(filed.settings, filed.profile, dt.date(2026, 6, 18))
    assert (values["report_type"], values["quarter"]) == ("chuyen-de", 2)
    assert values["session"] == {"title": "Giữ gìn an ninh trật tự ở khu dân cư", "date": dt.date(2026, 6, 16),
                                 "place": "Nhà văn hóa thôn An Thành", "presenter": "m18", "present": 20,
                                 "summoned": 20, "absent": None}


def test_docgen_form_writes_the_figures(filed: Filed, tmp_path: Path) -> None:
    out = tmp_path / "bc-6-thang.yaml"
    result = run(filed.root, "form", "bao-cao", "-o", str(out), "--date", "30/6/2026")
    assert result.exit_code == 0, result.output
    assert "Cần điền: -" in result.output
    text = out.read_text("utf-8")
    assert "report_type: 6-thang\n" in text
    for written in ('  from: "1/1/2026"\n', '  to: "30/6/2026"\n', "  meetings_regular: 3\n",
                    "  meetings_extraordinary: 1\n", "  meetings_topical: 2\n",
                    "  average_attendance_percent: 93%\n", '    - number: 05-NQ/CB\n      date: "10/3/2026"\n'):
        assert written in text, written
    form = yaml.safe_load(text)
    assert form["archive_figures"]["resolutions"] == [
        {"number": "05-NQ/CB", "date": "10/3/2026", "summary": "lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026"},
        {"number": "06-NQ/CB", "date": "14/4/2026", "summary": "lãnh đạo thực hiện nhiệm vụ tháng 4 năm 2026"}]
    assert form["archive_figures"]["topics"][:2] == ["xây dựng nông thôn mới", "vệ sinh môi trường"]
    assert form["topics"] == ["ntm", "vsmt", "antt", "dang-phi", "thien-tai"]
    doc = load_input(out, filed.settings)  # the form is a valid input as written
    assert doc.data["archive_figures"]["meetings_regular"] == 3
    assert ("Trong 6 tháng đầu năm 2026, Chi bộ tổ chức 3 buổi sinh hoạt thường kỳ, 1 buổi sinh hoạt bất thường, "
            "2 buổi sinh hoạt chuyên đề; tỷ lệ đảng viên dự sinh hoạt bình quân 93%.") in text_of(doc, filed.settings)
    # the user corrects a figure: the paper prints the input, not the archive
    form["archive_figures"]["meetings_regular"] = 6
    out.write_text(yaml.safe_dump(form, allow_unicode=True, sort_keys=False), "utf-8")
    assert "tổ chức 6 buổi sinh hoạt thường kỳ" in text_of(load_input(out, filed.settings), filed.settings)


def test_docgen_form_of_a_topical_report(filed: Filed, tmp_path: Path) -> None:
    out = tmp_path / "bc-q1.yaml"
    result = run(filed.root, "form", "bao-cao", "-o", str(out), "--date", "26/3/2026")
    assert result.exit_code == 0, result.output
    form = yaml.safe_load(out.read_text("utf-8"))
    assert form["session"]["title"] == EXAMPLE["session"]["title"]
    assert (form["session"]["date"], form["session"]["present"], form["session"]["summoned"]) == ("24/3/2026", 19, 20)
    assert load_input(out, filed.settings).warnings == ()


def test_a_reported_session_is_not_offered_again(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    assert run(root, "new", str(EXAMPLES / "bien-ban-chuyen-de.yaml"), str(EXAMPLES / f"{KIND}.yaml")).exit_code == 0
    settings = load_settings({"config_path": CONFIG, "archive_root": root}, environ={})
    profile = load_profile(PROFILE)
    values = prefill(settings, profile, dt.date(2026, 3, 27))
    assert values["report_type"] == "chuyen-de"
    assert values["session"]["presenter"] is BLANK and values["session"]["place"] == "Nhà văn hóa thôn An Thành"
    out = tmp_path / "again.yaml"
    result = run(root, "form", "bao-cao", "-o", str(out), "--date", "27/3/2026")
    assert result.exit_code == 0
    assert "Cần điền: Tên chuyên đề (dòng" in result.output
    # without --date: the period after the newest report (26/3 + 3 months), the six-month one
    nxt = tmp_path / "next.yaml"
    assert run(root, "form", "bao-cao", "-o", str(nxt)).exit_code == 0
    form = yaml.safe_load(nxt.read_text("utf-8"))
    assert (form["date"], form["number"], form["report_type"], form["year"]) == ("26/6/2026", 4, "6-thang", 2026)
    assert form["archive_figures"]["meetings_topical"] == 1 and form["archive_figures"]["meetings_regular"] == 0
    assert prefill(settings, profile, None)["report_type"] == "6-thang"


def test_prefill_without_an_archive(tmp_path: Path) -> None:
    settings = load_settings({"config_path": CONFIG, "archive_root": tmp_path / "none"}, environ={})
    profile = load_profile(PROFILE)
    values = prefill(settings, profile, dt.date(2026, 6, 30))
    assert values["archive_figures"] == {"from": dt.date(2026, 1, 1), "to": dt.date(2026, 6, 30),
                                         "meetings_regular": 0, "meetings_extraordinary": 0, "meetings_topical": 0,
                                         "average_attendance_percent": None, "topics": [], "resolutions": []}
    assert values["topics"] == []
    topical = prefill(settings, profile, dt.date(2026, 3, 26))
    assert topical["report_type"] == "chuyen-de" and topical["bases"] == []
    assert not (tmp_path / "none").exists()  # nothing created
