"""docgen roster: each member's status on a date and the totals."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from docgen.cli import main

from .helpers import PROFILE, write_profile


def roster(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    env = {"DOCGEN_PROFILE": str(tmp_path / "profile.yaml"), "DOCGEN_LANG": "vi"}
    return CliRunner().invoke(main, [*args[:2], "roster", *args[2:]] if args[:1] == ("--lang",)
                              else ["roster", *args], env=env)


def test_statuses_and_totals_on_a_date(tmp_path: Path) -> None:
    write_profile(tmp_path)
    result = roster(tmp_path, "--date", "10/03/2026")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "CHI BỘ THÔN AN THÀNH: danh sách đảng viên ngày 10/3/2026"
    row = {line.split()[1]: line for line in lines if line[:1].isdigit()}
    assert "chính thức" in row["m01"] and "Bí thư Chi bộ" in row["m01"]
    assert "dự bị" in row["m02"]
    assert "miễn sinh hoạt" in row["m03"] and "tuổi cao, sức khỏe yếu" in row["m03"]
    assert "sinh hoạt tạm thời nơi khác" in row["m04"] and "Chi bộ Công ty X" in row["m04"]
    assert "đã chuyển đi" in row["m05"]
    assert "sinh hoạt tạm thời tại chi bộ" in row["t01"]
    assert "Tổng số đảng viên: 4 (chính thức 3, dự bị 1)" in result.output
    assert "miễn sinh hoạt: 1; sinh hoạt tạm thời nơi khác: 1; sinh hoạt tạm thời tại chi bộ: 1" \
        in result.output
    assert "phải có mặt khi họp: 2" in result.output


def test_json_on_an_earlier_date(tmp_path: Path) -> None:
    write_profile(tmp_path)
    result = roster(tmp_path, "--date", "2025-10-01", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_id = {m["id"]: m for m in data["members"]}
    assert by_id["m02"]["status"] == "chưa kết nạp" and not by_id["m02"]["counted"]
    assert by_id["m04"]["status"] == "chính thức"
    assert by_id["m05"]["status"] == "chính thức"
    assert by_id["t01"]["status"] == "không sinh hoạt tại chi bộ"
    assert data["totals"] == {"total": 4, "official": 4, "probationary": 0, "exempt": 1,
                              "temp_out": 0, "temp_in": 0, "expected": 3, "suspended": 0}


def test_english(tmp_path: Path) -> None:
    write_profile(tmp_path)
    result = roster(tmp_path, "--lang", "en", "--date", "2026-03-10")
    assert result.exit_code == 0, result.output
    assert "roster on 10/3/2026" in result.output
    assert "Total members: 4 (official 3, probationary 1)" in result.output


SUSPENDED = """\
  - id: m06
    name: Vũ Văn Giang
    admitted: 2000-01-01
    official: 2001-01-01
    suspended: [{from: 2026-02-01, to: 2026-04-30, reason: đang xem xét kỷ luật}]
"""


def test_a_suspended_member_is_shown_and_counted(tmp_path: Path) -> None:
    write_profile(tmp_path, PROFILE.replace("  - id: t01\n", SUSPENDED + "  - id: t01\n"))
    result = roster(tmp_path, "--date", "10/3/2026")
    assert result.exit_code == 0, result.output
    row = {line.split()[1]: line for line in result.output.splitlines() if line[:1].isdigit()}
    assert "chính thức, đình chỉ sinh hoạt đảng" in row["m06"] and "đang xem xét kỷ luật" in row["m06"]
    assert "Tổng số đảng viên: 5 (chính thức 4, dự bị 1)" in result.output
    assert "sinh hoạt tạm thời tại chi bộ: 1; đình chỉ sinh hoạt đảng: 1" in result.output
    assert "phải có mặt khi họp: 2" in result.output  # the suspended member is not summoned
    data = json.loads(roster(tmp_path, "--date", "2026-03-10", "--json").output)
    assert data["totals"]["suspended"] == 1 and data["totals"]["expected"] == 2
    english = roster(tmp_path, "--lang", "en", "--date", "2026-03-10")
    assert "suspended: 1" in english.output and "suspended from Party activities" in english.output
    later = roster(tmp_path, "--date", "1/5/2026")
    assert "đình chỉ" not in later.output  # no suspended member: no count shown


def test_names_and_officers_in_force_on_the_date(tmp_path: Path) -> None:
    history = ("  meeting_place: Nhà văn hóa thôn An Thành\n"
               "  history:\n    - {until: 30/6/2025, name: CHI BỘ THÔN AN THÀNH CŨ}\n")
    text = PROFILE.replace("  meeting_place: Nhà văn hóa thôn An Thành\n", history).replace(
        "  chi_uy_vien: [m03]\n", "  chi_uy_vien: [m03]\n  history: [{until: 30/6/2025, bi_thu: m03}]\n")
    write_profile(tmp_path, text)
    old = roster(tmp_path, "--date", "1/6/2025")
    assert old.exit_code == 0, old.output
    assert old.output.splitlines()[0] == "CHI BỘ THÔN AN THÀNH CŨ: danh sách đảng viên ngày 1/6/2025"
    row = {line.split()[1]: line for line in old.output.splitlines() if line[:1].isdigit()}
    assert "Bí thư Chi bộ" in row["m03"] and "Bí thư" not in row["m01"]
    new = roster(tmp_path, "--date", "1/7/2025")
    assert new.output.splitlines()[0].startswith("CHI BỘ THÔN AN THÀNH: ")


def test_bad_profile_names_file_and_field(tmp_path: Path) -> None:
    path = write_profile(tmp_path, PROFILE.replace("admitted: 1998-05-19", "admitted: 31/02/1998"))
    result = roster(tmp_path, "--date", "2026-03-10")
    assert result.exit_code == 5
    assert str(path) in result.output
    assert "members" in result.output
    assert "Traceback" not in result.output


def test_missing_profile_and_bad_date(tmp_path: Path) -> None:
    result = roster(tmp_path, "--date", "2026-03-10")
    assert result.exit_code == 5
    assert "profile.yaml" in result.output
    write_profile(tmp_path)
    bad = roster(tmp_path, "--date", "31/02/2026")
    assert bad.exit_code == 2  # a command-line value: usage error, like every DATE option
    assert "--date" in bad.output
