"""Suspended members, exempt members who attend without voting, attendance warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from docgen.config import Settings
from docgen.model import roster
from docgen.model.arithmetic import (
    Absence,
    MeetingFigures,
    attendance_issues,
    attendance_warnings,
    meeting_figures,
)
from docgen.vn.numbers import percent_vi

from .rosters import make_profile

DAY = dt.date(2026, 3, 10)
SUSPENDED = {"id": "s1", "name": "Đình Chỉ", "admitted": "2000-01-01", "official": "2001-01-01",
             "suspended": [{"from": "2026-02-01", "to": "2026-04-30", "reason": "đang bị xem xét kỷ luật"}]}
EXEMPT = {"id": "x1", "name": "Miễn Sinh Hoạt", "admitted": "1970-01-01", "official": "1971-01-01",
          "exempt": [{"from": "2024-01-01", "to": None, "reason": "tuổi cao"}]}


# ----------------------------------------------------------------------------- suspended


def test_a_suspended_member_is_counted_but_not_summoned() -> None:
    profile = make_profile(5, 1, [SUSPENDED])
    status = {s.id: s for s in roster.roster_on(profile, DAY)}["s1"]
    assert status.counted and status.official and status.suspended and not status.expected
    assert roster.suspended_reason(status.member, DAY) == "đang bị xem xét kỷ luật"
    totals = roster.totals_of(roster.roster_on(profile, DAY))
    assert (totals.total, totals.official, totals.suspended, totals.expected) == (7, 6, 1, 6)
    after = roster.status_on(status.member, dt.date(2026, 5, 1))
    assert not after.suspended and after.expected
    assert roster.status_on(status.member, dt.date(2026, 4, 30)).suspended  # both ends inclusive


def test_suspended_members_leave_the_denominator_unless_the_setting_keeps_them() -> None:
    profile = make_profile(5, 1, [SUSPENDED])
    f = meeting_figures(profile, DAY, [Absence("o05", "ốm")])
    assert (f.total, f.official, f.suspended, f.suspended_names) == (7, 6, 1, ("Đình Chỉ",))
    assert f.present == 5 and f.absent == 1  # the suspended member is neither
    assert "s1" not in f.present_ids and "s1" not in f.voter_ids
    assert f.denominator == 5
    assert f.summoned == 6 and f.present_summoned == 5
    kept = meeting_figures(profile, DAY, [Absence("o05", "ốm")], suspended_in_denominator=True)
    assert kept.denominator == 6 and kept.present == 5 and kept.voters_present == 4
    assert meeting_figures(profile, dt.date(2026, 5, 1), []).denominator == 6  # after the suspension


def test_a_suspended_member_is_not_absent_and_does_not_attend() -> None:
    profile = make_profile(3, 0, [SUSPENDED, {**EXEMPT, "id": "x2", "name": "Miễn Và Đình Chỉ",
                                              "suspended": [{"from": "2026-01-01"}]}])
    issues = attendance_issues(profile, DAY, [Absence("s1")], ["x2"], [])
    assert [i.field for i in issues] == ["absent[0].member", "exempt_present[0]"]
    absent = issues[0]
    assert "đình chỉ sinh hoạt đảng (đang bị xem xét kỷ luật)" in absent.message.vi
    assert "không tính là vắng" in absent.message.vi and "is not absent" in absent.message.en
    assert absent.hint is not None and "suspended của s1" in absent.hint.vi
    assert "không dự sinh hoạt chi bộ" in issues[1].message.vi
    f = meeting_figures(profile, DAY, [])
    assert f.suspended == 2 and f.exempt == 1 and f.denominator == 3


# ----------------------------------------------------------------------------- exempt, present, not voting


def test_an_exempt_member_who_attends_without_voting() -> None:
    profile = make_profile(10, 1, [EXEMPT])
    voting = meeting_figures(profile, DAY, [], exempt_present=["x1"])
    silent = meeting_figures(profile, DAY, [], exempt_not_voting=["x1"])
    assert voting.denominator == 11 and "x1" in voting.voter_ids
    assert silent.denominator == 10 and "x1" not in silent.voter_ids and "x1" in silent.present_ids
    assert silent.present == voting.present == 12
    assert silent.present_official == 11 and silent.voters_present == 10
    assert silent.exempt_present == ("Miễn Sinh Hoạt",)
    assert silent.exempt_present_not_voting == ("Miễn Sinh Hoạt",)
    assert voting.exempt_present_not_voting == ()
    both = meeting_figures(profile, DAY, [], exempt_present=["x1"], exempt_not_voting=["x1"])
    assert both == silent  # listed in both: does not vote
    assert silent.summoned == 11 and silent.present_summoned == 11  # the exempt were not summoned


def test_exempt_not_voting_is_checked_like_exempt_present() -> None:
    profile = make_profile(3, 0, [EXEMPT])
    issues = attendance_issues(profile, DAY, [Absence("x1")], [], [], exempt_not_voting=["o02", "zz9", "x1"])
    assert [i.field for i in issues] == ["exempt_not_voting[0]", "exempt_not_voting[1]", "exempt_not_voting[2]"]
    assert "không được miễn sinh hoạt" in issues[0].message.vi
    assert "zz9" in issues[1].message.vi
    assert "vừa có mặt vừa vắng" in issues[2].message.vi
    assert attendance_issues(profile, DAY, [], ["x1"], [], exempt_not_voting=["x1"]) == []
    # an exempt member who attends without voting is not "absent"
    assert attendance_issues(profile, DAY, [], [], [], exempt_not_voting=["x1"]) == []


def test_existing_callers_keep_working() -> None:
    profile = make_profile(4, 0)
    f = meeting_figures(profile, DAY, [], (), ())
    assert (f.suspended, f.suspended_names, f.exempt_present_not_voting) == (0, (), ())
    bare = MeetingFigures(4, 4, 0, 0, 0, 0, 4, 4, 0, (), (), 4, 4)
    assert bare.suspended == 0 and bare.summoned == 4


# ----------------------------------------------------------------------------- attendance warnings


def _figures(official: int, absent: int, probationary: int = 0) -> MeetingFigures:
    profile = make_profile(official, probationary)
    return meeting_figures(profile, DAY, [Absence(f"o{i:02d}", "bận") for i in range(1, absent + 1)])


def test_attendance_below_the_configured_share() -> None:
    f = _figures(20, 12)
    (warning,) = attendance_warnings(f, Settings())
    assert warning.vi == (f"chỉ có 8/20 đồng chí được triệu tập có mặt ({percent_vi(8, 20)}), dưới mức 50% "
                          "đặt trong docgen.toml (min_attendance_percent)")
    assert "8/20" in warning.en and "min_attendance_percent" in warning.en
    assert attendance_warnings(_figures(20, 10), Settings()) == []  # exactly half: not below
    assert attendance_warnings(f, replace(Settings(), min_attendance_percent=0)) == []
    assert len(attendance_warnings(_figures(20, 2), replace(Settings(), min_attendance_percent=95))) == 1


def test_the_share_is_of_the_members_summoned() -> None:
    extra = [{**EXEMPT, "id": f"x{i}", "name": f"Miễn {i}"} for i in range(1, 5)] + [SUSPENDED]
    profile = make_profile(6, 0, extra)
    f = meeting_figures(profile, DAY, [Absence("o01"), Absence("o02"), Absence("o03")],
                        exempt_present=["x1", "x2"])
    assert (f.summoned, f.present_summoned, f.present) == (6, 3, 5)
    assert attendance_warnings(f, Settings()) == []  # 3/6: the exempt and the suspended are not summoned
    f4 = meeting_figures(profile, DAY, [Absence(f"o0{i}") for i in range(1, 5)], exempt_present=["x1", "x2"])
    (warning,) = attendance_warnings(f4, Settings())
    assert "2/6" in warning.vi


def test_a_cell_with_fewer_than_three_official_members() -> None:
    f = _figures(2, 0, probationary=3)
    (warning,) = attendance_warnings(f, Settings())
    assert "chỉ có 2 đảng viên chính thức" in warning.vi and "Điều 24.1" in warning.vi
    assert "min_official_members" in warning.vi and "min_official_members" in warning.en
    assert attendance_warnings(f, replace(Settings(), min_official_members=0)) == []
    assert attendance_warnings(_figures(3, 0), Settings()) == []


def test_no_official_member_present() -> None:
    f = _figures(3, 3, probationary=2)
    messages = [w.vi for w in attendance_warnings(f, replace(Settings(), min_attendance_percent=0))]
    assert messages == ["không có đảng viên chính thức nào có mặt: buổi họp không thể biểu quyết, "
                        "thông qua nghị quyết"]


def test_official_members_present_who_all_abstain_from_voting() -> None:
    profile = make_profile(3, 0, [EXEMPT])
    f = meeting_figures(profile, DAY, [Absence("o01"), Absence("o02"), Absence("o03")], exempt_not_voting=["x1"])
    assert f.present_official == 1 and f.voters_present == 0
    messages = attendance_warnings(f, replace(Settings(), min_attendance_percent=0))
    assert len(messages) == 1 and "đều không biểu quyết" in messages[0].vi


@pytest.mark.parametrize("name", ["min_attendance_percent", "min_official_members", "suspended_in_denominator"])
def test_the_settings_have_documented_defaults(name: str) -> None:
    assert getattr(Settings(), name) == {"min_attendance_percent": 50, "min_official_members": 3,
                                         "suspended_in_denominator": False}[name]


def test_official_counts_from_the_recognition_decision() -> None:
    """``official`` is the end of probation; with ``official_decided`` the member votes only
    from the superior's decision, and the profile checks the two dates."""
    import json

    import yaml

    from docgen.errors import ConfigError
    from docgen.model import parse_profile

    from .rosters import EXAMPLES

    data = yaml.safe_load((EXAMPLES / "profile.yaml").read_text("utf-8"))
    data = json.loads(json.dumps(data, default=str))
    xuan = next(m for m in data["members"] if m["id"] == "m21")
    xuan.update({"official": "2026-09-02", "official_decided": "2026-10-05"})
    profile = parse_profile(data)
    member = profile.member("m21")
    assert member is not None and member.official_decided == dt.date(2026, 10, 5)
    assert roster.status_on(member, dt.date(2026, 9, 8)).probationary
    assert roster.status_on(member, dt.date(2026, 10, 5)).official
    xuan["official_decided"] = "2026-08-01"
    with pytest.raises(ConfigError) as info:
        parse_profile(data)
    assert "ngày quyết định công nhận 1/8/2026 trước ngày chính thức 2/9/2026" in info.value.render("vi")
