"""Names in force on a date: ``cell.history``, ``officers.history`` and ``Profile.at``."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from docgen.errors import ConfigError
from docgen.model import Profile, parse_profile

from .rosters import EXAMPLES, roster_data

TODAY = dt.date(2026, 12, 1)


def _data(cell_history: list[dict[str, Any]] | None = None,
          officers_history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    data = roster_data(4, 0)
    data["cell"] = {"name": "Chi bộ thôn Mới", "superior": "Đảng bộ xã Mới", "superior_committee": "Đảng ủy xã Mới",
                    "place": "Mới", "symbol": "CB", "meeting_place": "Nhà văn hóa thôn Mới"}
    data["officers"] = {"bi_thu": "o01", "pho_bi_thu": "o02", "chi_uy_vien": ["o03"]}
    if cell_history is not None:
        data["cell"]["history"] = cell_history
    if officers_history is not None:
        data["officers"]["history"] = officers_history
    return data


def _profile(cell_history: list[dict[str, Any]] | None = None,
             officers_history: list[dict[str, Any]] | None = None) -> Profile:
    return parse_profile(_data(cell_history, officers_history), "p.yaml", today=TODAY)


def _problems(data: dict[str, Any], today: dt.date = TODAY) -> dict[str, Any]:
    with pytest.raises(ConfigError) as info:
        parse_profile(data, "p.yaml", today=today)
    return {p.field: p for p in info.value.problems}  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- Profile.at


def test_the_example_superior_before_the_merger(example_profile: Profile) -> None:
    before = example_profile.at(dt.date(2025, 6, 30))
    assert before.cell.superior == "ĐẢNG BỘ XÃ AN HÒA"
    assert before.cell.superior_committee == "Đảng ủy xã An Hòa"
    assert before.cell.place == "An Hòa"
    assert before.cell.name == "CHI BỘ THÔN AN THÀNH"  # not given: today's
    assert before.cell.symbol == "CB" and before.cell.meeting_place == "Nhà văn hóa thôn An Thành"
    assert before.members == example_profile.members and before.officers == example_profile.officers


@pytest.mark.parametrize("day", [dt.date(2025, 7, 1), dt.date(2026, 3, 10), dt.date(2030, 1, 1)])
def test_documents_after_the_last_change_use_todays_profile_unchanged(example_profile: Profile,
                                                                      day: dt.date) -> None:
    assert example_profile.at(day) is example_profile
    assert example_profile.cell.superior == "ĐẢNG BỘ XÃ QUANG KIM"


def test_a_profile_without_history_is_the_same_on_every_day() -> None:
    profile = _profile()
    assert profile.cell_history == () and profile.officers_history == ()
    assert profile.at(dt.date(1990, 1, 1)) is profile


def test_fields_not_given_fall_back_to_the_newer_entry() -> None:
    profile = _profile([
        {"until": "2020-12-31", "name": "Chi bộ thôn Cũ"},
        {"until": "2025-06-30", "superior": "Đảng bộ xã Cũ", "place": "Cũ"},
    ])
    oldest = profile.at(dt.date(2020, 12, 31)).cell
    assert (oldest.name, oldest.superior, oldest.place) == ("CHI BỘ THÔN CŨ", "ĐẢNG BỘ XÃ CŨ", "Cũ")
    # a superior without its committee: that superior's committee, as for today's cell
    assert oldest.superior_committee == "Đảng bộ xã Cũ"
    assert oldest.meeting_place == "Nhà văn hóa thôn Mới"
    middle = profile.at(dt.date(2021, 1, 1)).cell
    assert (middle.name, middle.superior, middle.place) == ("CHI BỘ THÔN MỚI", "ĐẢNG BỘ XÃ CŨ", "Cũ")
    assert profile.at(dt.date(2025, 6, 30)).cell.superior == "ĐẢNG BỘ XÃ CŨ"  # until is inclusive
    assert profile.at(dt.date(2025, 7, 1)).cell == profile.cell
    assert profile.at(dt.date(1900, 1, 1)).cell == oldest  # the oldest entry has no start


def test_at_is_idempotent_and_can_go_back_to_today() -> None:
    profile = _profile([{"until": "2025-06-30", "superior": "Đảng bộ xã Cũ"}],
                       [{"until": "2025-08-19", "bi_thu": "o04"}])
    old = profile.at(dt.date(2025, 1, 1))
    assert old.cell.superior == "ĐẢNG BỘ XÃ CŨ" and old.officers.bi_thu == "o04"
    assert old.at(dt.date(2025, 1, 1)) == old
    assert old.at(dt.date(2026, 1, 1)) == profile
    assert old.at(dt.date(2025, 7, 15)).cell == profile.cell  # the cell changed first
    assert old.at(dt.date(2025, 7, 15)).officers.bi_thu == "o04"


def test_officers_in_force_on_a_date() -> None:
    profile = _profile(officers_history=[
        {"until": "2020-08-19", "bi_thu": "o03", "pho_bi_thu": None, "chi_uy_vien": []},
        {"until": "2025-08-19", "bi_thu": "o02", "pho_bi_thu": "o01"},
    ])
    first = profile.at(dt.date(2019, 5, 1))
    assert first.officers.bi_thu == "o03" and first.officers.pho_bi_thu is None
    assert first.officers.chi_uy_vien == ()
    assert first.position_of("o03") == "Bí thư Chi bộ" and first.position_of("o01") == ""
    second = profile.at(dt.date(2025, 8, 19))
    assert (second.officers.bi_thu, second.officers.pho_bi_thu) == ("o02", "o01")
    assert second.officers.chi_uy_vien == ("o03",)  # not given: today's
    assert second.position_of("o01") == "Phó Bí thư Chi bộ"
    assert profile.at(dt.date(2025, 8, 20)).officers == profile.officers
    assert profile.position_of("o01") == "Bí thư Chi bộ"


def test_history_dates_as_people_write_them() -> None:
    profile = _profile([{"until": "30/6/2025", "superior": "Đảng bộ xã Cũ"}])
    assert profile.cell_history[0][0] == dt.date(2025, 6, 30)
    assert profile.cell_history[-1] == (None, profile.cell)


# ----------------------------------------------------------------------------- validation


def test_until_dates_must_increase() -> None:
    found = _problems(_data([
        {"until": "2025-06-30", "superior": "Đảng bộ xã A"},
        {"until": "2025-06-30", "superior": "Đảng bộ xã B"},
        {"until": "2020-01-01", "superior": "Đảng bộ xã C"},
    ]))
    assert set(found) == {"cell.history[1].until", "cell.history[2].until"}
    problem = found["cell.history[1].until"]
    assert "30/6/2025 không sau ngày until của mục trước (cell.history[0]: 30/6/2025)" in problem.message.vi
    assert problem.message.vi.startswith("Dùng đến ngày của tên cũ thứ 2")
    assert "cũ nhất trước" in problem.hint.vi and "oldest first" in problem.hint.en
    assert "(cell.history[1]: 30/6/2025)" in found["cell.history[2].until"].message.vi


def test_until_must_be_before_today() -> None:
    data = _data([{"until": "2026-12-01", "superior": "Đảng bộ xã A"}],
                 [{"until": "2027-01-01", "bi_thu": "o02"}])
    found = _problems(data, today=dt.date(2026, 12, 1))
    assert set(found) == {"cell.history[0].until", "officers.history[0].until"}
    cell = found["cell.history[0].until"].message
    assert "1/12/2026 chưa qua (hôm nay là 1/12/2026)" in cell.vi and "cell.name" in cell.vi
    assert "has not passed yet" in cell.en
    assert "officers.bi_thu" in found["officers.history[0].until"].message.vi
    assert parse_profile(copy.deepcopy(data), "p.yaml", today=dt.date(2027, 1, 2)).cell_history


def test_officers_in_history_must_be_on_the_roster() -> None:
    found = _problems(_data(officers_history=[{"until": "2025-01-01", "bi_thu": "zz1", "chi_uy_vien": ["o02", "zz2"]}]))
    assert set(found) == {"officers.history[0].bi_thu", "officers.history[0].chi_uy_vien[1]"}
    problem = found["officers.history[0].bi_thu"]
    assert "không có đảng viên mã zz1 trong danh sách" in problem.message.vi
    assert problem.hint.vi == "dùng mã có trong members"


def test_an_entry_with_only_until_is_a_problem() -> None:
    found = _problems(_data([{"until": "2025-01-01"}], [{"until": "2025-01-01"}]))
    assert set(found) == {"cell.history[0]", "officers.history[0]"}
    assert "chỉ có ngày until, không ghi tên cũ nào" in found["cell.history[0]"].message.vi
    assert "không ghi cấp ủy cũ nào" in found["officers.history[0]"].message.vi


def test_unknown_history_keys_and_missing_until_are_schema_problems() -> None:
    found = _problems(_data([{"superior": "Đảng bộ xã A", "term_start": "2020-01-01"}]))
    assert any(field.startswith("cell.history[0]") for field in found)
    for problem in found.values():
        assert not problem.message.vi.isascii()


def test_a_paper_renders_with_the_names_in_force_on_its_date() -> None:
    """Issue 11, defect 11: a resolution of 10/6/2025 (before the 07/2025 merger) carries the
    old superior and the officers of that day; one of 10/3/2026 today's."""
    import json

    import yaml

    from docgen.config import Settings
    from docgen.model import load_profile, parse_input
    from docgen.render import Renderer

    settings = Settings(profile_path=EXAMPLES / "profile.yaml")
    profile = load_profile(EXAMPLES / "profile.yaml")
    data = json.loads(json.dumps(yaml.safe_load((EXAMPLES / "nghi-quyet.yaml").read_text("utf-8")), default=str))
    data = {**data, "date": "2025-06-10", "month": 6, "year": 2025, "number": None, "temporary_in_present": []}
    old = Renderer(settings).render(parse_input(data, settings, profile, "nq-2025.yaml"))
    earlier = profile.at(dt.date(2025, 6, 10))
    assert earlier.cell.superior != profile.cell.superior
    assert old.text.splitlines()[0] == earlier.cell.superior
    assert profile.cell.superior not in old.text
    assert old.meta.superior == earlier.cell.superior
    new = Renderer(settings).render(parse_input({**data, "date": "2026-03-10", "month": 3, "year": 2026},
                                                settings, profile, "nq-2026.yaml"))
    assert new.text.splitlines()[0] == profile.cell.superior
