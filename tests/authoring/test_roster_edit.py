"""The roster editor (docgen.authoring.roster_edit): add and edit members of profile.yaml
for a web form, history of a member, concurrent edits, atomic writes."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import stat
from pathlib import Path

import pytest

from docgen.authoring import roster_edit
from docgen.authoring.profile_writer import InitAnswers, MemberAnswer, profile_yaml
from docgen.authoring.roster_edit import (
    MemberDraft,
    ProfileChangedError,
    RosterSnapshot,
    add_member,
    change_members,
    edit_member,
    member_history,
    next_member_id,
    profile_lock,
    read_roster,
)
from docgen.errors import ConfigError, InputError
from docgen.model.files import read_mapping
from docgen.model.profile import Member, Period, load_profile

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "profile.yaml"


@pytest.fixture
def profile_path(tmp_path: Path) -> Path:
    path = tmp_path / "profile.yaml"
    shutil.copyfile(EXAMPLE, path)
    return path


def _fields(problem: InputError) -> list[str | None]:
    return [p.field for p in problem.problems]


# --------------------------------------------------------------------------- add

def test_add_appends_one_member_and_keeps_every_other_byte(profile_path: Path) -> None:
    before = profile_path.read_text("utf-8")
    new_id = add_member(profile_path, {"name": "  Nguyễn   Thị Mới ", "admitted": "10/3/2026", "official": ""})
    assert new_id == "m23"  # after m01…m22 (t01 is a visitor: its own scheme)
    after = profile_path.read_text("utf-8")
    assert after.startswith(before)  # cell, officers, history, comments, members: untouched
    assert after[len(before):] == ("  - id: m23\n    name: Nguyễn Thị Mới\n"
                                   "    admitted: 2026-03-10\n    official: null\n")
    member = load_profile(profile_path).member("m23")
    assert member == Member("m23", "Nguyễn Thị Mới", dt.date(2026, 3, 10))


@pytest.mark.parametrize("name", ["<script>alert('x')</script>", "{{ 7*7 }}", "& < >", "{% if 1 %}x{% endif %}",
                                  "null", "010", "503750e460", "- a: b #c", "\"quoted\" 'too'"])
def test_hostile_names_are_stored_literally(profile_path: Path, name: str) -> None:
    new_id = add_member(profile_path, {"name": name, "admitted": "2026-01-02"})
    assert load_profile(profile_path).name_of(new_id) == name
    raw = read_mapping(profile_path)
    assert raw["members"][-1]["name"] == name  # the YAML itself holds the text, not a number or a null


def test_visitor_gets_the_visitor_scheme_and_periods(profile_path: Path) -> None:
    new_id = add_member(profile_path, {
        "name": "Đinh Văn Khách", "admitted": "15/6/2009", "official": "15/6/2010",
        "home_cell": "Chi bộ thôn Đông",
        "temporary_in": [{"from": "1/4/2026", "to": "30/9/2026", "note": "theo giấy giới thiệu 12"},
                         {"from": "", "to": "", "note": ""}],  # an empty row of the form
    })
    assert new_id == "t02"
    member = load_profile(profile_path).member("t02")
    assert member is not None and member.home_cell == "Chi bộ thôn Đông"
    assert member.temporary_in == (Period(dt.date(2026, 4, 1), dt.date(2026, 9, 30), "theo giấy giới thiệu 12"),)


def test_new_ids_never_reuse_a_gap_or_a_given_id(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(EXAMPLE.read_text("utf-8").replace("id: m22,", "id: m40,").replace(
        "  - {id: m21, name: Nguyễn Thị Xuân, admitted: 2025-09-02, official: null}\n", ""), "utf-8")
    profile = load_profile(path)
    assert next_member_id(profile) == "m41"
    assert next_member_id(profile, taken=["m41"]) == "m42"
    with pytest.raises(InputError) as caught:
        add_member(path, {"id": "m05", "name": "Người Khác", "admitted": "1/1/2020"})
    assert _fields(caught.value) == ["id"]
    assert "đã có (m05 — Hoàng Văn Em)" in caught.value.render()
    assert add_member(path, {"id": "M77", "name": "Người Khác", "admitted": "1/1/2020"}) == "m77"


def test_same_name_is_refused_unless_allowed(profile_path: Path) -> None:
    before = profile_path.read_bytes()
    with pytest.raises(InputError) as caught:
        add_member(profile_path, {"name": "NGUYEN VAN AN", "admitted": "1/1/2020"})
    assert "m01 — Nguyễn Văn An" in caught.value.render()
    assert profile_path.read_bytes() == before
    assert add_member(profile_path, {"name": "Nguyễn Văn An", "admitted": "1/1/2020"},
                      allow_same_name=True) == "m23"


def test_bad_fields_name_each_field_and_write_nothing(profile_path: Path) -> None:
    before = profile_path.read_bytes()
    with pytest.raises(InputError) as caught:
        add_member(profile_path, {"name": " ", "admitted": "30/2/2026", "official": "hôm qua",
                                  "exempt": [{"from": "1/5/2026", "to": "1/4/2026", "reason": "ốm"}],
                                  "nickname": "x"})
    error = caught.value
    assert set(_fields(error)) == {"name", "admitted", "official", "exempt[0].to", "nickname"}
    text = error.render()
    assert "Họ và tên: chưa ghi" in text
    assert "Ngày kết nạp: ngày không có thật: 30/2/2026" in text
    assert "Ngày chuyển chính thức: không đọc được ngày: hôm qua" in text
    assert "Đến ngày (thời kỳ miễn sinh hoạt thứ 1): 1/4/2026 trước ngày bắt đầu 1/5/2026" in text
    assert "Cách sửa" in text
    english = error.render("en")
    assert "Admission date: no such date: 30/2/2026" in english
    assert profile_path.read_bytes() == before


def test_official_before_admission_and_decision_without_official(profile_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        add_member(profile_path, {"name": "A", "admitted": "1/3/2026", "official": "1/1/2026"})
    assert _fields(caught.value) == ["official"]
    assert "1/1/2026 trước ngày kết nạp 1/3/2026" in caught.value.render()
    with pytest.raises(InputError) as caught:
        add_member(profile_path, {"name": "A", "admitted": "1/3/2025", "official_decided": "1/4/2026"})
    assert _fields(caught.value) == ["official_decided"]
    with pytest.raises(InputError) as caught:
        add_member(profile_path, {"name": "A", "admitted": "1/3/1925"})
    assert "trước ngày thành lập Đảng" in caught.value.render()


def test_control_characters_and_line_breaks(profile_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        add_member(profile_path, {"name": "An\x07", "admitted": "1/1/2020"})
    assert "U+0007" in caught.value.render()
    new_id = add_member(profile_path, {"name": "Trần\nVăn\u2028Ba\t", "admitted": "1/1/2020"})
    assert load_profile(profile_path).name_of(new_id) == "Trần Văn Ba"


# --------------------------------------------------------------------------- edit

def test_edit_rewrites_only_that_member(profile_path: Path) -> None:
    before = profile_path.read_text("utf-8").splitlines()
    saved = edit_member(profile_path, "m05", {"official": "3/2/2014", "left": "1/5/2026"})
    assert saved.official == dt.date(2014, 2, 3) and saved.left == dt.date(2026, 5, 1)
    after = profile_path.read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("  - {id: m05, name: Hoàng Văn Em, admitted: 2012-02-03, official: 2013-02-03}",
                        "  - {id: m05, name: Hoàng Văn Em, admitted: 2012-02-03, official: 2014-02-03, "
                        "left: 2026-05-01}")]


def test_edit_periods_of_a_block_member_keeps_the_comments(profile_path: Path) -> None:
    edit_member(profile_path, "m20", {"exempt": [{"from": "1/1/2024", "to": "31/12/2025",
                                                  "reason": "tuổi cao, sức khỏe yếu"}]})
    text = profile_path.read_text("utf-8")
    assert "      - {from: 2024-01-01, to: 2025-12-31, reason: \"tuổi cao, sức khỏe yếu\"}\n" in text
    assert text.count("#") == EXAMPLE.read_text("utf-8").count("#")  # every comment kept
    member = load_profile(profile_path).member("m20")
    assert member is not None and member.exempt[0].end == dt.date(2025, 12, 31)
    edit_member(profile_path, "m20", {"exempt": []})
    member = load_profile(profile_path).member("m20")
    assert member is not None and member.exempt == ()


def test_edit_refuses_an_unknown_member_and_a_new_id(profile_path: Path) -> None:
    before = profile_path.read_bytes()
    with pytest.raises(InputError) as caught:
        edit_member(profile_path, "m99", {"name": "X"})
    assert "không có đảng viên mã m99" in caught.value.render()
    with pytest.raises(InputError) as caught:
        edit_member(profile_path, "m01", {"id": "m100", "name": "X"})
    assert _fields(caught.value) == ["id"]
    with pytest.raises(InputError):
        edit_member(profile_path, "m01", {"name": ""})  # the name is required
    assert profile_path.read_bytes() == before


def test_edit_with_nothing_changed_writes_nothing(profile_path: Path) -> None:
    os.utime(profile_path, (1_000_000, 1_000_000))
    edit_member(profile_path, "m01", {"name": "Nguyễn Văn An", "admitted": "19/5/1998"})
    assert profile_path.stat().st_mtime == 1_000_000


def test_comments_of_a_written_profile_survive_an_edit(tmp_path: Path) -> None:
    answers = InitAnswers("CHI BỘ THÔN A", "ĐẢNG BỘ XÃ B", "Đảng ủy xã B", "B", "CB", dt.date(2025, 8, 20),
                          "Nhà văn hóa", (MemberAnswer("Nguyễn Văn An", dt.date(1998, 5, 19), dt.date(1999, 5, 19)),
                                          MemberAnswer("Trần Thị Bình", dt.date(2025, 11, 3))), bi_thu=0)
    path = tmp_path / "profile.yaml"
    path.write_text(profile_yaml(answers), "utf-8")
    comments = [line for line in path.read_text("utf-8").splitlines() if "#" in line]
    edit_member(path, "m02", {"official": "3/11/2026"})
    add_member(path, {"name": "Lê Văn Cường", "admitted": "2/9/2026"})
    text = path.read_text("utf-8")
    assert all(line in text.splitlines() for line in comments)
    assert "  - id: m02\n    name: Trần Thị Bình\n    admitted: 2025-11-03\n    official: 2026-11-03\n" in text
    assert [m.id for m in load_profile(path).members] == ["m01", "m02", "m03"]


def test_a_flow_members_list_is_written_anew_without_losing_data(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text("# a comment\ncell: {name: CB A, superior: ĐB B, place: B, symbol: CB}\n"
                    "officers: {bi_thu: m01}\n"
                    "members: [{id: m01, name: An, admitted: 19/5/1998, official: 19/5/1999}]\n", "utf-8")
    edit_member(path, "m01", {"name": "Nguyễn Văn An"})
    profile = load_profile(path)
    assert profile.cell.name == "CB A" and profile.officers.bi_thu == "m01"
    assert profile.members == (Member("m01", "Nguyễn Văn An", dt.date(1998, 5, 19), dt.date(1999, 5, 19)),)
    assert "# a comment" not in path.read_text("utf-8")  # the documented loss: a whole new file


def test_windows_line_endings_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_bytes(EXAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    add_member(path, {"name": "Người Mới", "admitted": "1/1/2026"})
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert raw.endswith(b"    official: null\r\n")


def test_permissions_are_kept(profile_path: Path) -> None:
    profile_path.chmod(0o640)
    add_member(profile_path, {"name": "Người Mới", "admitted": "1/1/2026"})
    assert stat.S_IMODE(profile_path.stat().st_mode) == 0o640


# --------------------------------------------------------------------------- concurrency, failures

def test_a_stale_form_is_refused(profile_path: Path) -> None:
    seen = read_roster(profile_path)  # user A opens the form
    edit_member(profile_path, "m02", {"name": "Trần Thị Bích Ngọc"})  # user B saves first
    after_b = profile_path.read_bytes()
    with pytest.raises(ProfileChangedError) as caught:
        edit_member(profile_path, "m03", {"left": "1/6/2026"}, expected_sha256=seen.sha256)
    assert "vừa được sửa ở nơi khác" in caught.value.render()
    assert profile_path.read_bytes() == after_b  # B's edit kept, A's not written over it
    fresh = read_roster(profile_path)
    edit_member(profile_path, "m03", {"left": "1/6/2026"}, expected_sha256=fresh.sha256)
    assert load_profile(profile_path).name_of("m02") == "Trần Thị Bích Ngọc"


def test_a_hand_edit_during_the_save_is_not_overwritten(profile_path: Path) -> None:
    hand = EXAMPLE.read_text("utf-8").replace("Nguyễn Văn An", "Nguyễn Văn Ân")

    def plan(snapshot: RosterSnapshot) -> list[MemberDraft]:
        profile_path.write_text(hand, "utf-8")  # an editor saves meanwhile (it takes no lock)
        member = snapshot.profile.member("m04")
        assert member is not None
        draft = MemberDraft.from_member(member)
        draft.name = "Phạm Văn Dũng Mới"
        return [draft]

    with pytest.raises(ProfileChangedError):
        change_members(profile_path, plan)
    assert profile_path.read_text("utf-8") == hand
    assert not [p for p in profile_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_second_writer_waits_for_the_lock(profile_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_edit, "LOCK_TIMEOUT", 0.2)
    before = profile_path.read_bytes()
    with profile_lock(profile_path), pytest.raises(ConfigError) as caught:
        add_member(profile_path, {"name": "Người Mới", "admitted": "1/1/2026"})
    assert "đang được người khác lưu" in caught.value.render()
    assert profile_path.read_bytes() == before


def test_a_failed_write_leaves_the_file_byte_identical(profile_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = profile_path.read_bytes()

    def full_disk(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr("docgen.fsio.os.replace", full_disk)
    with pytest.raises(ConfigError) as caught:
        add_member(profile_path, {"name": "Người Mới", "admitted": "1/1/2026"})
    assert "đĩa đã đầy" in caught.value.render() and "tệp vẫn như cũ" in caught.value.render()
    assert profile_path.read_bytes() == before
    assert sorted(p.name for p in profile_path.parent.iterdir()) == [".profile.yaml.lock", "profile.yaml"]


def test_the_loader_validates_the_whole_new_profile(profile_path: Path) -> None:
    before = profile_path.read_bytes()

    def plan(snapshot: RosterSnapshot) -> list[MemberDraft]:
        return [MemberDraft("m30", "Không Có Ngày")]  # no admission date: the schema refuses it

    with pytest.raises(InputError) as caught:
        change_members(profile_path, plan)
    assert "sẽ không hợp lệ" in caught.value.message.vi
    text = caught.value.render()
    assert caught.value.problems and "Chưa điền Ngày kết nạp của đảng viên thứ 24" in text
    assert "members[23].admitted" in text and "dòng" not in text  # no line of a text never written
    assert profile_path.read_bytes() == before


def test_a_broken_profile_is_reported_not_edited(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(EXAMPLE.read_text("utf-8").replace("bi_thu: m01", "bi_thu: m99"), "utf-8")
    before = path.read_bytes()
    with pytest.raises(ConfigError) as caught:
        add_member(path, {"name": "Người Mới", "admitted": "1/1/2026"})
    assert "m99" in caught.value.render()
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- history

def test_history_in_date_order() -> None:
    member = Member("m09", "Đỗ Thị Hoa", dt.date(2016, 5, 19), dt.date(2017, 5, 19), dt.date(2017, 6, 2),
                    left=dt.date(2026, 2, 1),
                    exempt=(Period(dt.date(2024, 1, 1), None, "ốm"),),
                    temporary_out=(Period(dt.date(2020, 1, 5), dt.date(2020, 6, 30), "Chi bộ Công ty X"),),
                    suspended=(Period(dt.date(2022, 3, 1), dt.date(2022, 5, 31), "vi phạm"),))
    events = member_history(member)
    assert [(e.date, e.kind) for e in events] == [
        (dt.date(2016, 5, 19), "admitted"), (dt.date(2017, 5, 19), "official"),
        (dt.date(2017, 6, 2), "official_decided"), (dt.date(2020, 1, 5), "temporary_out_start"),
        (dt.date(2020, 6, 30), "temporary_out_end"), (dt.date(2022, 3, 1), "suspended_start"),
        (dt.date(2022, 5, 31), "suspended_end"), (dt.date(2024, 1, 1), "exempt_start"),
        (dt.date(2026, 2, 1), "left")]
    assert events[0].text == "Kết nạp vào Đảng (đảng viên dự bị)"
    assert events[3].text == "Đi sinh hoạt tạm thời nơi khác (nơi sinh hoạt: Chi bộ Công ty X)"
    assert events[7].text.endswith("(lý do: ốm), chưa kết thúc")
    english = member_history(member, "en")
    assert english[1].text == "Made an official member (end of probation; recognised on 2/6/2017)"
    assert english[-1].message.vi == events[-1].text == "Chuyển đi / thôi sinh hoạt tại chi bộ"


def test_history_of_a_visitor_from_the_example() -> None:
    visitor = load_profile(EXAMPLE).member("t01")
    assert visitor is not None
    events = member_history(visitor)
    assert [e.kind for e in events] == ["admitted", "official", "temporary_in_start", "temporary_in_end"]
    assert "chi bộ gốc: Chi bộ Trường Tiểu học Quang Kim" in events[0].text


def test_comments_between_members_and_keys_after_the_list(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text("members:\n"
                    "  # first the members\n"
                    "  - id: m01\n"
                    "    name: An\n"
                    "    admitted: 19/5/1998   # hand-written date\n"
                    "    exempt:\n"
                    "      - from: 2024-01-01\n"
                    "        reason: |\n"
                    "          # not a comment: the text of the reason\n"
                    "  # between\n"
                    "  - {id: m02, name: Bình, admitted: 2020-01-01}\n"
                    "\n"
                    "  # trailing comment\n"
                    "cell: {name: CB A, superior: ĐB B, place: B, symbol: CB}\n"
                    "officers:\n"
                    "  bi_thu: m01   # the secretary\n", "utf-8")
    edit_member(path, "m01", {"name": "An Mới"})
    add_member(path, {"name": "Cường", "admitted": "1/1/2021"})
    assert path.read_text("utf-8") == (
        "members:\n"
        "  # first the members\n"
        "  - id: m01\n"
        "    name: An Mới\n"
        "    admitted: 1998-05-19\n"
        "    official: null\n"
        "    exempt:\n"
        "      - {from: 2024-01-01, to: null, reason: \"# not a comment: the text of the reason\\n\"}\n"
        "  # between\n"
        "  - {id: m02, name: Bình, admitted: 2020-01-01}\n"
        "  - {id: m03, name: Cường, admitted: 2021-01-01, official: null}\n"
        "\n"
        "  # trailing comment\n"
        "cell: {name: CB A, superior: ĐB B, place: B, symbol: CB}\n"
        "officers:\n"
        "  bi_thu: m01   # the secretary\n")
    member = load_profile(path).member("m01")
    assert member is not None and member.exempt[0].note == "# not a comment: the text of the reason\n"
