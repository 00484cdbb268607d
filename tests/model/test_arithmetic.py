"""Party arithmetic: figures from the roster, the QĐ 294 denominator, vote results."""

from __future__ import annotations

import datetime as dt

from docgen.i18n import Msg
from docgen.model.arithmetic import (
    Absence,
    attendance_issues,
    duration_warning,
    meeting_figures,
    missing_quarters,
    rating_for,
    vote_issues,
    vote_result,
    vote_warning,
)

from .rosters import make_profile

DAY = dt.date(2026, 3, 10)


def test_worked_example_denominator_is_twenty() -> None:
    # Domain reference §3.1: 22 members (20 official, 2 probationary), 4 absent on
    # business (3 official, 1 probationary): the rate is computed on 20, not on those present.
    profile = make_profile(20, 2)
    absent = [Absence("o02", "đi công tác"), Absence("o03", "đi công tác"), Absence("o04", "đi công tác"),
              Absence("p01", "đi công tác")]
    f = meeting_figures(profile, DAY, absent)
    assert (f.total, f.official, f.probationary) == (22, 20, 2)
    assert f.denominator == 20
    assert f.present == 18
    assert (f.present_official, f.present_probationary) == (17, 1)
    assert f.voters_present == 17
    assert len(f.absent_with_reason) == 4 and f.absent_without_reason == ()
    result = vote_result(14, 2, 1, f.denominator)
    assert result.passed
    assert result.rate_text == "14/20 đồng chí tán thành, đạt 70%"


def test_rate_text_uses_decimal_comma() -> None:
    assert vote_result(14, 0, 1, 15).rate_text == "14/15 đồng chí tán thành, đạt 93,3%"


def test_more_than_half_is_strict() -> None:
    assert not vote_result(10, 0, 0, 20).passed
    assert vote_result(11, 0, 0, 20).passed
    assert vote_result(8, 0, 0, 15).passed
    assert not vote_result(7, 0, 0, 15).passed


def test_special_majority_two_thirds() -> None:
    assert vote_result(12, 0, 0, 18, special=True).passed
    assert not vote_result(11, 0, 0, 18, special=True).passed
    assert vote_result(14, 0, 0, 20, special=True).passed  # 42 >= 40
    assert not vote_result(13, 0, 0, 20, special=True).passed


def test_temporarily_out_and_absent_exempt_leave_the_denominator() -> None:
    extra = [
        {"id": "x1", "name": "Miễn Sinh Hoạt", "admitted": "1970-01-01", "official": "1971-01-01",
         "exempt": [{"from": "2024-01-01", "to": None, "reason": "tuổi cao"}]},
        {"id": "x2", "name": "Đi Nơi Khác", "admitted": "2000-01-01", "official": "2001-01-01",
         "temporary_out": [{"from": "2026-01-01", "to": "2026-06-30", "where": "Chi bộ X"}]},
    ]
    profile = make_profile(10, 1, extra)
    f = meeting_figures(profile, DAY, [])
    assert (f.total, f.official, f.exempt, f.temp_out) == (13, 12, 1, 1)
    assert f.denominator == 10
    assert f.present == 11  # 10 official + 1 probationary
    with_exempt = meeting_figures(profile, DAY, [], exempt_present=["x1"])
    assert with_exempt.denominator == 11
    assert with_exempt.voters_present == 11
    assert with_exempt.exempt_present == ("Miễn Sinh Hoạt",)
    after = meeting_figures(profile, dt.date(2026, 7, 1), [])
    assert after.temp_out == 0 and after.denominator == 11


def test_probationary_member_becomes_official_on_the_date() -> None:
    extra = [{"id": "n1", "name": "Mới Chính Thức", "admitted": "2025-03-01", "official": "2026-03-10"}]
    profile = make_profile(3, 0, extra)
    assert meeting_figures(profile, dt.date(2026, 3, 9), []).probationary == 1
    assert meeting_figures(profile, DAY, []).official == 4


def test_temporarily_in_members_are_not_counted() -> None:
    extra = [{"id": "t1", "name": "Nơi Khác", "admitted": "2000-01-01", "official": "2001-01-01",
              "home_cell": "Chi bộ trường", "temporary_in": [{"from": "2026-01-01", "to": None}]}]
    profile = make_profile(5, 0, extra)
    f = meeting_figures(profile, DAY, [], temp_in_present=["t1"])
    assert (f.total, f.temp_in, f.denominator, f.present) == (5, 1, 5, 5)
    assert f.temp_in_present == ("Nơi Khác",)


def test_absentee_not_on_roster_is_an_error() -> None:
    issues = attendance_issues(make_profile(5, 0), DAY, [Absence("zz9")], [], [])
    assert [i.field for i in issues] == ["absent[0].member"]
    assert "zz9" in issues[0].message.vi and issues[0].hint is not None


def test_absentee_not_yet_admitted_exempt_or_duplicate() -> None:
    extra = [
        {"id": "late", "name": "Chưa Kết Nạp", "admitted": "2026-05-01"},
        {"id": "ex", "name": "Miễn", "admitted": "1970-01-01", "official": "1971-01-01",
         "exempt": [{"from": "2020-01-01"}]},
    ]
    profile = make_profile(3, 0, extra)
    issues = attendance_issues(profile, DAY, [Absence("late"), Absence("ex"), Absence("o02"), Absence("o02")], [], [])
    assert [i.field for i in issues] == ["absent[0].member", "absent[1].member", "absent[3].member"]


def test_vote_larger_than_voters_present_is_an_error() -> None:
    profile = make_profile(5, 2)
    f = meeting_figures(profile, DAY, [Absence("o05")])
    issues = vote_issues(f, profile, DAY, 4, 0, 1, None)
    assert [i.field for i in issues] == ["vote.for"]
    assert "(4)" in issues[0].message.vi
    assert vote_issues(f, profile, DAY, 3, 0, 1, None) == []


def test_probationary_voter_is_an_error() -> None:
    profile = make_profile(5, 2)
    f = meeting_figures(profile, DAY, [])
    issues = vote_issues(f, profile, DAY, 2, 0, 0, ["o01", "p01"])
    assert [i.field for i in issues] == ["vote.voters[1]"]
    assert "dự bị" in issues[0].message.vi
    unknown = vote_issues(f, profile, DAY, 1, 0, 0, ["nobody"])
    assert [i.field for i in unknown] == ["vote.voters[0]"]


def test_warnings_duration_vote_and_quarters() -> None:
    assert duration_warning(90, 90, False) is None
    short = duration_warning(75, 90, False)
    assert short is not None and "75" in short.vi and "90" in short.vi
    combined = duration_warning(100, 120, True)
    assert combined is not None and "120" in combined.en
    assert vote_warning(vote_result(11, 0, 0, 20)) is None
    failed = vote_warning(vote_result(10, 0, 0, 20))
    assert failed is not None and "KHÔNG" in failed.vi
    assert missing_quarters([1, 2, 4, None], None) == [3]
    assert missing_quarters([1], 2) == [2]
    assert missing_quarters([2], 2) == []


def test_rating_from_points() -> None:
    assert [rating_for(p) for p in (95, 90, 89.5, 70, 69, 50, 10)] == [
        "Tốt", "Tốt", "Khá", "Khá", "Trung bình", "Trung bình", "Kém"]


# Messages name a member by name and id, with the profile's dates (never the id alone).

VISITOR = {"id": "t1", "name": "Nơi Khác", "admitted": "2009-06-15", "official": "2010-06-15",
           "home_cell": "Chi bộ Trường Tiểu học", "temporary_in": [{"from": "2025-10-01", "to": "2026-01-31"}]}


def test_temporary_member_outside_the_period_is_named_with_the_period() -> None:
    profile = make_profile(3, 0, [VISITOR])
    [issue] = attendance_issues(profile, DAY, [], [], ["t1"])
    assert issue.field == "temporary_in_present[0]"
    assert issue.message == Msg("đồng chí Nơi Khác (t1) không sinh hoạt tạm thời tại chi bộ vào ngày họp 10/3/2026",
                                "Nơi Khác (t1) is not attending here temporarily on the meeting date 10/3/2026")
    assert issue.hint is not None
    assert issue.hint.vi.startswith("thời kỳ sinh hoạt tạm thời tại chi bộ trong hồ sơ: từ 1/10/2025 đến 31/1/2026; "
                                    "sửa ngày họp, hoặc temporary_in của t1 trong profile.yaml")
    assert issue.hint.en.startswith("periods attending here in the profile: from 1/10/2025 to 31/1/2026;")
    assert "home_cell" not in issue.hint.vi


def test_temporary_member_without_any_period_says_so() -> None:
    profile = make_profile(3, 0, [{**VISITOR, "temporary_in": []}])
    [issue] = attendance_issues(profile, DAY, [], [], ["t1"])
    assert "Nơi Khác (t1)" in issue.message.vi
    assert issue.hint is not None and issue.hint.vi.startswith(
        "hồ sơ không ghi thời kỳ sinh hoạt tạm thời tại chi bộ (temporary_in) nào của t1;")
    open_period = make_profile(3, 0, [{**VISITOR, "temporary_in": [{"from": "2026-04-01"}]}])
    [later] = attendance_issues(open_period, DAY, [], [], ["t1"])
    assert later.hint is not None and "từ 1/4/2026 (chưa kết thúc)" in later.hint.vi
    assert "from 1/4/2026 (still open)" in later.hint.en


def test_own_member_listed_as_temporary_and_unknown_ids() -> None:
    profile = make_profile(3, 0, [VISITOR])
    own, unknown = attendance_issues(profile, DAY, [], [], ["o02", "o77"])
    assert own.message.vi == ("đồng chí Chính Thức 2 (o02) là đảng viên của chi bộ, không phải đảng viên nơi khác "
                              "sinh hoạt tạm thời")
    assert unknown.message.vi == 'không có đảng viên mã "o77" trong danh sách đảng viên'
    assert unknown.hint is not None  # the closest roster entries, as for any unknown id


def test_exempt_present_who_is_not_exempt_gets_the_periods() -> None:
    extra = [{"id": "ex", "name": "Miễn Trước", "admitted": "1970-01-01", "official": "1971-01-01",
              "exempt": [{"from": "2020-01-01", "to": "2025-12-31"}]}]
    profile = make_profile(3, 0, extra)
    ended, never = attendance_issues(profile, DAY, [], ["ex", "o01"], [])
    assert ended.message.vi == "đồng chí Miễn Trước (ex) không được miễn sinh hoạt vào ngày họp 10/3/2026"
    assert ended.hint is not None and ended.hint.vi.startswith(
        "thời kỳ miễn sinh hoạt trong hồ sơ: từ 1/1/2020 đến 31/12/2025;")
    assert never.hint is not None and never.hint.vi.startswith(
        "hồ sơ không ghi thời kỳ miễn sinh hoạt (exempt) nào của o01;")
    assert "Chính Thức 1 (o01)" in never.message.vi


def test_absentee_who_is_not_a_member_gets_the_profile_dates() -> None:
    extra = [{"id": "late", "name": "Chưa Kết Nạp", "admitted": "2026-05-01"},
             {"id": "gone", "name": "Đã Chuyển", "admitted": "2000-01-01", "official": "2001-01-01",
              "left": "2026-02-01"}]
    profile = make_profile(3, 0, [*extra, VISITOR])
    late, gone, visitor = attendance_issues(profile, DAY, [Absence("late"), Absence("gone"), Absence("t1")], [], [])
    assert late.message.vi == ("đồng chí Chưa Kết Nạp (late) không phải đảng viên của chi bộ vào ngày 10/3/2026 "
                               "(hồ sơ: ngày kết nạp 1/5/2026)")
    assert gone.message.en == ("Đã Chuyển (gone) is not a member of the cell on 10/3/2026 "
                               "(profile: admitted 1/1/2000, left 1/2/2026)")
    assert "Nơi Khác (t1) là đảng viên Chi bộ Trường Tiểu học" in visitor.message.vi
    assert visitor.hint is not None and "temporary_in_present" in visitor.hint.vi


def test_voters_are_named_by_name_and_id() -> None:
    profile = make_profile(5, 2)
    f = meeting_figures(profile, DAY, [Absence("o05")])
    probationary, absent = vote_issues(f, profile, DAY, 2, 0, 0, ["p01", "o05"])
    assert probationary.message.vi.startswith("đồng chí Dự Bị 1 (p01) là đảng viên dự bị")
    assert absent.message.en.startswith("Chính Thức 5 (o05) was not present")
