"""load_input / parse_input: schema + Party rules, every problem reported at once."""

from __future__ import annotations

import copy
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from docgen.config import Settings
from docgen.errors import ConfigError, InputError
from docgen.model import (
    KINDS,
    DocumentInput,
    Profile,
    load_input,
    load_profile,
    parse_input,
    parse_profile,
)

from .rosters import EXAMPLES, roster_data


def example(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / f"{kind}.yaml").read_text("utf-8"))
    return json.loads(json.dumps(data, default=str))


def parse(data: dict[str, Any], settings: Settings, profile: Profile) -> DocumentInput:
    return parse_input(data, settings, profile, "input.yaml")


def problems_of(data: dict[str, Any], settings: Settings, profile: Profile) -> dict[str, str]:
    with pytest.raises(InputError) as info:
        parse(data, settings, profile)
    assert info.value.exit_code == 3
    return {p.field or "": p.message.vi for p in info.value.problems}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_example_loads_without_warnings(kind: str, settings: Settings) -> None:
    doc = load_input(EXAMPLES / f"{kind}.yaml", settings)
    assert doc.kind == kind
    assert doc.warnings == ()
    assert doc.meta.kind == kind and doc.meta.cell == "CHI BỘ THÔN AN THÀNH"
    assert doc.meta.numbered == KINDS[kind].numbered
    assert set(doc.context()) <= KINDS[kind].context_keys
    assert KINDS[kind].required_keys <= set(doc.context())


def test_meta_and_with_number(settings: Settings) -> None:
    doc = load_input(EXAMPLES / "nghi-quyet.yaml", settings)
    assert doc.meta.number_text == "05-NQ/CB"
    assert doc.meta.title == "NGHỊ QUYẾT lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026"
    renumbered = doc.with_number(12)
    assert renumbered.meta.number == 12 and renumbered.data["number"] == 12
    assert renumbered.context()["number_line"] == "Số 12-NQ/CB"
    assert doc.meta.number == 5  # the original is unchanged
    outline = load_input(EXAMPLES / "de-cuong-chuyen-de.yaml", settings)
    assert outline.with_number(3).meta.number is None and outline.meta.number_text == ""
    assert outline.context()["number_line"] == "" and outline.context()["draft_mark"] == "DỰ THẢO"


def test_draft_has_blank_number(settings: Settings, example_profile: Profile) -> None:
    data = example("nghi-quyet")
    data["draft"] = True
    doc = parse(data, settings, example_profile)
    assert doc.meta.number is None and doc.meta.draft
    assert doc.context()["number_line"] == "Số      -NQ/CB"
    assert doc.context()["draft_mark"] == "DỰ THẢO"


def test_all_party_rule_problems_in_one_error(settings: Settings, example_profile: Profile) -> None:
    data = example("nghi-quyet")
    data["absent"].append({"member": "m99", "reason": "ốm"})
    data["start"], data["end"] = "21:00", "19:00"
    data["topics"] = ["vsmt", "khong-co"]
    data["chair"] = "m77"
    data["vote"] = {"for": 17, "against": 0, "abstain": 0, "voters": ["m21"]}
    found = problems_of(data, settings, example_profile)
    assert set(found) == {"absent[3].member", "end", "topics[1]", "chair", "vote.for", "vote.voters[0]"}
    assert "m99" in found["absent[3].member"]
    assert "dự bị" in found["vote.voters[0]"]


def test_read_back_larger_than_present(settings: Settings, example_profile: Profile) -> None:
    data = example("bien-ban-thuong-ky")
    data["read_back"] = {"agree": 19}
    assert set(problems_of(data, settings, example_profile)) == {"read_back.agree"}
    data["read_back"] = {"agree": 17}
    doc = parse(data, settings, example_profile)
    assert doc.context()["read_back"]["sentence"].endswith("17/18 đồng chí có mặt nhất trí.")


def test_schema_problems_name_the_field(settings: Settings, example_profile: Profile) -> None:
    data = example("bien-ban-thuong-ky")
    del data["chair"]
    data["date"] = "31/4/2026"  # 10/3/2026 and 7h30 are read (docgen.model.resolve)
    data["start"] = "7 rưỡi"
    data["absent"][0]["member"] = "M 05"
    data["vote"]["for"] = "mười lăm"
    data["colour"] = "đỏ"
    found = problems_of(data, settings, example_profile)
    assert set(found) == {"chair", "date", "start", "absent[0].member", "vote.for", "colour"}
    assert found["chair"].startswith("Thiếu Chủ trì")  # named by its label (docgen.model.labels)


def test_impossible_date(settings: Settings, example_profile: Profile) -> None:
    data = example("ke-hoach-chuyen-de")
    data["date"] = "2026-02-30"
    assert set(problems_of(data, settings, example_profile)) == {"date"}


def test_impossible_date_in_yaml_file(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "x.yaml"
    path.write_text((EXAMPLES / "ke-hoach-chuyen-de.yaml").read_text("utf-8").replace(
        "date: 2026-01-12", "date: 2026-13-01"), "utf-8")
    with pytest.raises(InputError) as info:
        load_input(path, settings)
    assert [p.field for p in info.value.problems] == ["date"]


def test_unknown_kind(settings: Settings, example_profile: Profile) -> None:
    found = problems_of({"kind": "to-trinh", "date": "2026-03-01"}, settings, example_profile)
    assert set(found) == {"kind"}


def test_unknown_speaker_id_and_owner_id(settings: Settings, example_profile: Profile) -> None:
    data = example("bien-ban-thuong-ky")
    data["proceedings"].append({"speaker": "m55", "content": "Ý kiến"})
    data["tasks"][0]["owner"] = "m66"
    data["proceedings"].append({"speaker": "Nguyễn Văn Khách", "content": "Khách mời phát biểu"})
    found = problems_of(data, settings, example_profile)
    assert set(found) == {"proceedings[4].speaker", "tasks[0].owner"}


def test_short_meeting_warns(settings: Settings, example_profile: Profile) -> None:
    data = example("nghi-quyet")
    data["end"] = "20:40"
    doc = parse(data, settings, example_profile)
    texts = [w.vi for w in doc.warnings]
    assert len(texts) == 1
    assert "70 phút" in texts[0] and "90" in texts[0]


def test_a_failed_resolution_is_not_issued(settings: Settings, example_profile: Profile) -> None:
    # Issue 11, defect 1: a resolution whose vote fails is an error naming the vote, not a warning.
    data = example("nghi-quyet")
    data["vote"] = {"for": 9, "against": 5, "abstain": 2}
    found = problems_of(data, settings, example_profile)
    assert set(found) == {"vote.for"}
    assert "9/19 đồng chí tán thành, chỉ đạt 47,4%" in found["vote.for"]
    assert "không được ban hành, không lấy số" in found["vote.for"]


def test_a_failed_vote_is_recorded_in_the_minutes(settings: Settings, example_profile: Profile) -> None:
    data = example("bien-ban-thuong-ky")
    data["vote"] = {"for": 9, "against": 5, "abstain": 2, "subject": "thông qua Nghị quyết tháng 3 năm 2026"}
    doc = parse(data, settings, example_profile)
    vote = doc.context()["votes"][0]
    assert vote["sentence"] == (
        "Biểu quyết thông qua Nghị quyết tháng 3 năm 2026: 9/19 đồng chí tán thành, chỉ đạt 47,4%; 5 đồng chí "
        "không tán thành; 2 đồng chí có ý kiến khác. Kết quả: không thông qua (cần hơn một nửa số đảng viên "
        "chính thức tán thành).")


def test_signer_is_the_secretary_or_deputy(settings: Settings, example_profile: Profile) -> None:
    data = example("nghi-quyet")
    data["signer"] = "m02"
    ctx = parse(data, settings, example_profile).context()
    assert (ctx["signer_position"], ctx["signer_name"]) == ("PHÓ BÍ THƯ", "Trần Thị Bích")
    data["signer"] = "m09"
    assert set(problems_of(data, settings, example_profile)) == {"signer"}


def test_minimum_minutes_is_a_setting(example_profile: Profile) -> None:
    data = example("nghi-quyet")
    data["end"] = "20:40"
    relaxed = Settings(profile_path=EXAMPLES / "profile.yaml", min_meeting_minutes=60)
    assert parse(data, relaxed, example_profile).warnings == ()


def test_attendance_lists_are_checked(settings: Settings, example_profile: Profile) -> None:
    data = example("bien-ban-thuong-ky")
    data["exempt_present"] = ["m20", "m01"]
    data["temporary_in_present"] = ["m02"]
    data["absent"].append({"member": "m19", "reason": "đi làm ăn xa"})
    found = problems_of(data, settings, example_profile)
    assert set(found) == {"exempt_present[1]", "temporary_in_present[0]", "absent[3].member"}
    assert "tạm thời nơi khác" in found["absent[3].member"]


def test_combined_meeting_needs_120_minutes(settings: Settings, example_profile: Profile) -> None:
    data = example("bien-ban-thuong-ky")
    data["combined_with_topical"] = True
    data["end"] = "21:00"
    assert set(problems_of(data, settings, example_profile)) == {"topical"}  # it contains the topical part
    data["topical"] = {"title": "Chung tay giữ gìn vệ sinh môi trường", "presenter": "m02"}
    doc = parse(data, settings, example_profile)
    assert len(doc.warnings) == 1 and "120" in doc.warnings[0].vi


def test_plan_without_a_quarter_warns(settings: Settings, example_profile: Profile) -> None:
    data = example("ke-hoach-chuyen-de")
    data["schedule"] = [s for s in data["schedule"] if s["period"] != "Quý III"]
    data["schedule"][0]["period"] = "Tháng 2"
    doc = parse(data, settings, example_profile)
    assert [w.vi for w in doc.warnings] == [
        "kế hoạch không có buổi sinh hoạt chuyên đề nào trong quý III (HD 12: ít nhất mỗi quý một lần)"]


def test_nfd_input_equals_nfc(tmp_path: Path, settings: Settings) -> None:
    text = (EXAMPLES / "bien-ban-thuong-ky.yaml").read_text("utf-8")
    nfd = tmp_path / "nfd.yaml"
    nfd.write_text(unicodedata.normalize("NFD", text), "utf-8")
    assert unicodedata.normalize("NFD", text) != text
    assert load_input(nfd, settings).data == load_input(EXAMPLES / "bien-ban-thuong-ky.yaml", settings).data


def test_json_input_equals_yaml(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "nq.json"
    path.write_text(json.dumps(example("nghi-quyet"), ensure_ascii=False), "utf-8")
    assert load_input(path, settings).context() == load_input(EXAMPLES / "nghi-quyet.yaml", settings).context()


def test_non_utf8_input(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "cp1258.yaml"
    path.write_bytes("kind: nghi-quyet\nplace: Nhà văn hóa\n".encode("cp1258"))
    with pytest.raises(InputError) as info:
        load_input(path, settings)
    assert "UTF-8" in info.value.message.vi and info.value.file == str(path)
    assert info.value.hint is not None


def test_yaml_syntax_error_names_the_line(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("kind: nghi-quyet\nabsent: [\n  - x: 1\n", "utf-8")
    with pytest.raises(InputError) as info:
        load_input(path, settings)
    assert "dòng" in info.value.message.vi


def test_missing_input_file(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(InputError):
        load_input(tmp_path / "none.yaml", settings)


def test_profile_missing_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_profile(tmp_path / "profile.yaml")
    assert info.value.exit_code == 5 and "docgen init" in (info.value.hint.vi if info.value.hint else "")


def test_profile_problems_are_collected() -> None:
    data = roster_data(3, 0)
    data["members"].append(copy.deepcopy(data["members"][0]))
    data["officers"]["pho_bi_thu"] = "m99"
    data["members"][1]["official"] = "1990-01-01"
    with pytest.raises(ConfigError) as info:
        parse_profile(data, "p.yaml")
    fields = {p.field for p in info.value.problems}  # type: ignore[attr-defined]
    assert fields == {"members[3].id", "officers.pho_bi_thu", "members[1].official"}
    assert "members[3].id" in info.value.render("en")


def test_profile_comma_in_flow_mapping_hint(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    text = (EXAMPLES / "profile.yaml").read_text("utf-8").replace('"tuổi cao, sức khỏe yếu"', "tuổi cao, sức khỏe yếu")
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as info:
        load_profile(path)
    assert "nháy kép" in info.value.render("vi")


def test_every_schema_property_has_a_vietnamese_description() -> None:
    def walk(schema: dict[str, Any], where: str) -> None:
        for name, prop in schema.get("properties", {}).items():
            assert prop.get("description"), f"{where}.{name}"
            walk(prop, f"{where}.{name}")
            if isinstance(prop.get("items"), dict):
                walk(prop["items"], f"{where}.{name}[]")
    for kind, spec in KINDS.items():
        assert spec.schema["$schema"].endswith("2020-12/schema")
        assert spec.template_name == f"{kind}.docx"
        walk(spec.schema, kind)
    assert all(s.type_symbol == s.type_symbol.upper() for s in KINDS.values())
    assert {"BB", "NQ", "KH", ""} <= {s.type_symbol for s in KINDS.values()}
