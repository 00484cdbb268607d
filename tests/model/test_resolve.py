"""The resolve step: dates, times, member names, topics and numbers as people write them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from docgen.config import Settings
from docgen.errors import ConfigError, InputError
from docgen.model import (
    KINDS,
    PROFILE_SCHEMA,
    DocumentInput,
    Profile,
    load_input,
    load_profile,
    parse_input,
)
from docgen.model.resolve import parse_user_time, walk
from docgen.model.validation import DATE_PATTERN, ID_PATTERN, TIME_PATTERN
from docgen.topics import load_topics

from .rosters import EXAMPLES


def write(tmp_path: Path, kind: str, *changes: tuple[str, str], name: str = "input.yaml") -> Path:
    """The shipped example of ``kind`` with whole lines replaced (regex on one line)."""
    text = (EXAMPLES / f"{kind}.yaml").read_text("utf-8")
    for pattern, repl in changes:
        text, count = re.subn(pattern, repl, text, count=1, flags=re.MULTILINE)
        assert count == 1, pattern
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def load(path: Path, settings: Settings, profile: Profile | None = None) -> DocumentInput:
    return load_input(path, settings, profile)


def problems(path: Path, settings: Settings, profile: Profile | None = None) -> dict[str, tuple[str, str]]:
    """field → (message, hint) in Vietnamese."""
    with pytest.raises(InputError) as info:
        load_input(path, settings, profile)
    assert info.value.exit_code == 3
    return {p.field or "": (p.message.vi, p.hint.vi if p.hint else "") for p in info.value.problems}


def profile_with(tmp_path: Path, *lines: str, **replace: str) -> Profile:
    """The example profile with member lines appended and text replaced, loaded from a file."""
    text = (EXAMPLES / "profile.yaml").read_text("utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "profile.yaml"
    path.write_text(text.rstrip("\n") + "\n" + "".join(f"  - {line}\n" for line in lines), "utf-8")
    return load_profile(path)


# ----------------------------------------------------------------------------- dates

@pytest.mark.parametrize("written", [
    "10/3/2026", "10/03/2026", "10.3.2026", "10-3-2026", "2026-03-10", '"2026-03-10"', "“10/3/2026”",
    "‘10.03.2026’", "'10/3/2026'",
])
def test_document_date_as_people_write_it(tmp_path: Path, settings: Settings, written: str) -> None:
    doc = load(write(tmp_path, "nghi-quyet", (r"^date: .*$", f"date: {written}")), settings)
    assert doc.data["date"] == "2026-03-10" and doc.meta.date == dt.date(2026, 3, 10)
    assert doc.context()["doc_date_text"] == "ngày 10 tháng 3 năm 2026"


def test_impossible_and_unreadable_dates_are_named(tmp_path: Path, settings: Settings) -> None:
    found = problems(write(tmp_path, "nghi-quyet", (r"^date: .*$", "date: 30/02/2026")), settings)
    assert set(found) == {"date"} and "30/02/2026" in found["date"][0] and "không có thật" in found["date"][0]
    found = problems(write(tmp_path, "nghi-quyet", (r"^date: .*$", "date: mười tháng ba")), settings)
    assert "không đọc được ngày: mười tháng ba" in found["date"][0] and "10/3/2026" in found["date"][1]


def test_every_date_field_is_found_in_the_schema() -> None:
    """The walk reaches every DATE_PATTERN property, however deep (profile periods too)."""
    def paths_in(schema: dict[str, Any], path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
        out = {path} if schema.get("pattern") == DATE_PATTERN else set()
        for key, sub in (schema.get("properties") or {}).items():
            out |= paths_in(sub, (*path, key))
        if isinstance(schema.get("items"), dict):
            out |= paths_in(schema["items"], (*path, "[]"))
        return out

    expected = paths_in(PROFILE_SCHEMA)
    assert ("members", "[]", "exempt", "[]", "from") in expected and ("cell", "term_start") in expected
    data = {"cell": {"term_start": "1/10/2025", "history": [{"until": "30/6/2025"}]},
            "officers": {"history": [{"until": "19/8/2025"}]},
            "members": [{"admitted": "19/5/1998", "official": "19.5.1999", "official_decided": "20/5/1999",
                         "exempt": [{"from": "1/1/2024", "to": None}],
                         "temporary_out": [{"from": "5-1-2026", "to": "30/6/2026"}],
                         "temporary_in": [{"from": "1/2/2026", "to": "31/12/2026"}],
                         "suspended": [{"from": "1/2/2026", "to": "30/4/2026"}]}]}
    seen: set[tuple[str, ...]] = set()

    def leaf(pattern: str, value: Any, path: tuple[str | int, ...], schema: dict[str, Any]) -> Any:
        if pattern == DATE_PATTERN:
            seen.add(tuple("[]" if isinstance(p, int) else p for p in path))
        return value

    walk(data, PROFILE_SCHEMA, leaf)
    assert seen == expected - {("members", "[]", "left")}  # "left" is not in the data
    for kind, spec in KINDS.items():  # every kind's date is where the schema says
        assert ("date",) in paths_in(spec.schema), kind


def test_profile_dates_as_people_write_them(tmp_path: Path) -> None:
    profile = profile_with(
        tmp_path, "{id: m23, name: Mai Văn Tư, admitted: 20/8/2025, official: null, "
                  "exempt: [{from: 1.1.2026, to: “30/6/2026”, reason: ốm}]}",
        **{"term_start: 2025-08-20": "term_start: 20/08/2025",
           "admitted: 1998-05-19, official: 1999-05-19": "admitted: 19/5/1998, official: 19-05-1999"})
    assert profile.cell.term_start == dt.date(2025, 8, 20)
    an = profile.member("m01")
    assert an is not None and (an.admitted, an.official) == (dt.date(1998, 5, 19), dt.date(1999, 5, 19))
    tu = profile.member("m23")
    assert tu is not None and tu.admitted == dt.date(2025, 8, 20)
    assert (tu.exempt[0].start, tu.exempt[0].end) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def test_profile_impossible_date_and_dates_in_messages(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        profile_with(tmp_path, "{id: m23, name: Mai Văn Tư, admitted: 31/4/2025}")
    fields = {p.field: p.message.vi for p in info.value.problems}  # type: ignore[attr-defined]
    assert "31/4/2025" in fields["members[23].admitted"]
    with pytest.raises(ConfigError) as info:
        profile_with(tmp_path, "{id: m23, name: Mai Văn Tư, admitted: 20/8/2025, official: 1/10/2024}")
    message = info.value.problems[0].message.vi  # type: ignore[attr-defined]
    assert "1/10/2024" in message and "20/8/2025" in message and "2025-08-20" not in message


# ----------------------------------------------------------------------------- times

@pytest.mark.parametrize(("written", "canonical"), [
    ('"19:30"', "19:30"), ('"8:00"', "08:00"), ("19h30", "19:30"), ("19H30", "19:30"), ("19g30", "19:30"),
    ("19 giờ 30", "19:30"), ("19 giờ 30 phút", "19:30"), ("“19:30”", "19:30"), ("7 giờ 30 tối", "19:30"),
    ("19h", "19:00"), ("8h05", "08:05"),
])
def test_start_time_as_people_write_it(tmp_path: Path, settings: Settings, written: str, canonical: str) -> None:
    doc = load(write(tmp_path, "bien-ban-thuong-ky", (r"^start: .*$", f"start: {written}"),
                     (r"^end: .*$", 'end: "23:00"')), settings)
    assert doc.data["start"] == canonical
    assert doc.context()["start_text"] == f"{int(canonical[:2])} giờ {canonical[3:]} phút"


def test_impossible_and_unreadable_times(tmp_path: Path, settings: Settings) -> None:
    found = problems(write(tmp_path, "nghi-quyet", (r"^start: .*$", 'start: "25:00"'),
                           (r"^end: .*$", "end: bảy rưỡi")), settings)
    assert set(found) == {"start", "end"}
    assert "giờ không có thật: 25:00" in found["start"][0]
    assert "không đọc được giờ: bảy rưỡi" in found["end"][0] and "19:30" in found["end"][1]
    for bad in ("19:3", "1930", "", "19:30:00", "7 giờ 30 sáng mai"):
        with pytest.raises(ValueError):
            parse_user_time(bad)


# ----------------------------------------------------------------------------- members

def test_members_by_name_accents_and_case_ignored(tmp_path: Path, settings: Settings) -> None:
    doc = load(write(tmp_path, "nghi-quyet",
                     (r"^chair: .*$", "chair: nguyen van an"),
                     (r"^secretary: .*$", "secretary: Đ/c LÊ VĂN CƯỜNG"),
                     (r"\{member: m05,", "{member: Hoàng Văn Em,"),
                     (r"^temporary_in_present: .*$", "temporary_in_present: [Đinh Văn Phúc]"),
                     (r"^recipients:", "signer: Tran Thi Bich\nrecipients:")), settings)
    assert (doc.data["chair"], doc.data["secretary"], doc.data["signer"]) == ("m01", "m03", "m02")
    assert doc.data["absent"][0]["member"] == "m05" and doc.data["temporary_in_present"] == ["t01"]
    ctx = doc.context()
    assert ctx["chair_name"] == "Nguyễn Văn An" and ctx["signer_position"] == "PHÓ BÍ THƯ"


def test_d_with_stroke_folds_to_d(tmp_path: Path, settings: Settings) -> None:
    doc = load(write(tmp_path, "bien-ban-thuong-ky", (r"^chair: .*$", "chair: Dang Van Giang")), settings)
    assert doc.data["chair"] == "m07"  # Đặng Văn Giang


def test_given_name_alone_when_unique(tmp_path: Path, settings: Settings) -> None:
    doc = load(write(tmp_path, "bien-ban-thuong-ky", (r"^secretary: .*$", "secretary: Cường")), settings)
    assert doc.data["secretary"] == "m03"


def test_unknown_name_lists_the_closest_members(tmp_path: Path, settings: Settings) -> None:
    found = problems(write(tmp_path, "nghi-quyet", (r"^chair: .*$", "chair: Nguyễn Văn Ann"),
                           (r"\{member: m05,", "{member: Hoang Van,")), settings)
    assert set(found) == {"chair", "absent[0].member"}
    message, hint = found["chair"]
    assert 'không có đảng viên tên "Nguyễn Văn Ann"' in message
    assert "m01 — Nguyễn Văn An" in hint
    assert "m05 — Hoàng Văn Em" in found["absent[0].member"][1]


def test_ambiguous_name_lists_both_and_the_date_can_decide(tmp_path: Path, settings: Settings) -> None:
    twin = "{id: m23, name: Nguyễn Văn An, admitted: 2020-01-01, official: 2021-01-01}"
    profile = profile_with(tmp_path, twin)
    path = write(tmp_path, "bien-ban-thuong-ky", (r"^chair: .*$", "chair: Nguyễn Văn An"))
    message, hint = problems(path, settings, profile)["chair"]
    assert 'có 2 đảng viên tên "Nguyễn Văn An"' in message
    assert "m01 — Nguyễn Văn An" in message and "m23 — Nguyễn Văn An" in message and "m01, m23" in hint
    # One of them had left the cell before the meeting: the name means the other one.
    left = profile_with(tmp_path, twin.replace("}", ", left: 2024-06-30}"))
    assert load(path, settings, left).data["chair"] == "m01"


def test_unknown_id_is_left_to_the_party_rules_with_suggestions(tmp_path: Path, settings: Settings) -> None:
    found = problems(write(tmp_path, "nghi-quyet", (r"^chair: .*$", "chair: m77"),
                           (r"^end: .*$", 'end: "19:00"')), settings)
    assert set(found) == {"chair", "end"}  # one run still lists the Party-rule problem too
    assert 'mã "m77"' in found["chair"][0] and "m07 — Đặng Văn Giang" in found["chair"][1]


ABSENT_BLOCK = r"^absent:\n(?:  - .*\n)+"


def with_absent(tmp_path: Path, *items: str) -> Path:
    """bien-ban-thuong-ky with its absent list replaced by ``items`` (one "- " line each)."""
    return write(tmp_path, "bien-ban-thuong-ky",
                 (ABSENT_BLOCK, "absent:\n" + "".join(f"  - {item}\n" for item in items)))


def test_absentees_as_a_plain_list_of_names(tmp_path: Path, settings: Settings) -> None:
    doc = load(with_absent(tmp_path, "Hoàng Văn Em", "{member: m11, reason: ốm}", "m14"), settings)
    assert doc.data["absent"] == [{"member": "m05"}, {"member": "m11", "reason": "ốm"}, {"member": "m14"}]
    assert doc.figures is not None
    assert doc.figures.absent_without_reason == ("Hoàng Văn Em", "Trịnh Văn Oanh")
    flow = load(write(tmp_path, "bien-ban-thuong-ky", (ABSENT_BLOCK, "absent: [Hoàng Văn Em, m11]\n")), settings)
    assert flow.data["absent"] == [{"member": "m05"}, {"member": "m11"}]


def test_absentee_with_the_reason_in_trailing_brackets(tmp_path: Path, settings: Settings) -> None:
    doc = load(with_absent(tmp_path, "Hoàng Văn Em (đi công tác)", "m11 (ốm (nằm viện))", "Trịnh Văn Oanh ()"),
               settings)
    assert doc.data["absent"] == [{"member": "m05", "reason": "đi công tác"},
                                  {"member": "m11", "reason": "ốm (nằm viện)"}, {"member": "m14"}]
    assert doc.figures is not None
    assert doc.figures.absent_with_reason == (("Hoàng Văn Em", "đi công tác"), ("Dương Văn Lâm", "ốm (nằm viện)"))
    assert doc.figures.absent_without_reason == ("Trịnh Văn Oanh",)


def test_absentee_as_name_colon_reason(tmp_path: Path, settings: Settings) -> None:
    # "- Hoàng Văn Em: ốm" is a mapping in YAML; read so only when the key is a roster name.
    doc = load(with_absent(tmp_path, "Hoàng Văn Em: ốm", "m11:"), settings)
    assert doc.data["absent"] == [{"member": "m05", "reason": "ốm"}, {"member": "m11", "reason": None}]
    typo = problems(with_absent(tmp_path, "membr: m05"), settings)
    assert set(typo) == {"absent[0].membr", "absent[0].member"}  # an unknown key, and member missing
    assert '"membr"' in typo["absent[0].membr"][0] and '"member"' in typo["absent[0].membr"][1]


def test_a_name_whose_brackets_are_part_of_it_stays_whole(tmp_path: Path, settings: Settings) -> None:
    profile = profile_with(tmp_path, "{id: m23, name: Nguyễn Văn An (B), admitted: 2020-01-01, official: 2021-01-01}")
    doc = load(with_absent(tmp_path, "Nguyễn Văn An (B)"), settings, profile)
    assert doc.data["absent"] == [{"member": "m23"}]


def test_unknown_absentee_with_a_reason_names_the_name(tmp_path: Path, settings: Settings) -> None:
    found = problems(with_absent(tmp_path, "Hoàng Văn Emm (ốm)"), settings)
    assert set(found) == {"absent[0].member"}
    message, hint = found["absent[0].member"]
    assert message.endswith('không có đảng viên tên "Hoàng Văn Emm" trong danh sách')
    assert "m05 — Hoàng Văn Em" in hint


@pytest.mark.parametrize(("written", "name", "reason"), [
    ("Hoàng Văn Em - đi làm ăn xa", "Hoàng Văn Em", "đi làm ăn xa"),
    ("Hoàng Văn Em – ốm", "Hoàng Văn Em", "ốm"),
    ('"Hoàng Văn Em: ốm"', "Hoàng Văn Em", "ốm"),
    ("m05, đi công tác", "m05", "đi công tác"),
])
def test_name_and_reason_without_brackets_are_not_guessed(tmp_path: Path, settings: Settings, written: str,
                                                          name: str, reason: str) -> None:
    found = problems(with_absent(tmp_path, written), settings)
    assert set(found) == {"absent[0]"}  # one problem: the schema's "must be a mapping" is not added
    message, hint = found["absent[0]"]
    assert message.startswith("Người vắng mặt thứ 1 (dòng 15): không rõ đâu là họ tên, đâu là lý do")
    assert hint == f"ghi lý do trong ngoặc: - {name} ({reason}), hoặc - {{member: {name}, reason: {reason}}}"


@pytest.mark.parametrize("written", ["5", "[m05, ốm]", "true"])
def test_a_wrongly_shaped_absentee_names_the_member_and_reason_keys(tmp_path: Path, settings: Settings,
                                                                   written: str) -> None:
    path = with_absent(tmp_path, written)
    found = problems(path, settings)
    assert set(found) == {"absent[0]"}
    message, hint = found["absent[0]"]
    assert message.startswith("Người vắng mặt thứ 1 (dòng 15) phải là nhóm khóa: giá trị")
    assert hint == ("ghi các khóa member: (Đảng viên), reason: (Lý do vắng), ví dụ - {member: m05, reason: đi công tác}; "
                    "hoặc chỉ ghi họ tên (hay mã), lý do trong ngoặc: - Hoàng Văn Em (đi công tác)")
    with pytest.raises(InputError) as info:
        load_input(path, Settings(profile_path=settings.profile_path, lang="en"))
    english = info.value.problems[0].hint
    assert english is not None and english.en.startswith(
        "write the keys member: (Member), reason: (Reason), e.g. - {member: m05, reason: đi công tác}")


# ----------------------------------------------------------------------------- topics

def test_topics_by_id_label_or_abbreviation(tmp_path: Path, settings: Settings) -> None:
    doc = load(write(tmp_path, "nghi-quyet", (r"^topics: .*$",
                                              "topics: [VSMT, nông thôn mới, An ninh trật tự, vệ sinh môi trường, Dang phi]")),
               settings)
    assert doc.data["topics"] == ["vsmt", "ntm", "antt", "dang-phi"]  # two names of vsmt: one topic
    assert doc.meta.topics == ("vsmt", "ntm", "antt", "dang-phi")
    doc = load(write(tmp_path, "nghi-quyet", (r"^topics: .*$", "topics: VSMT, NTM")), settings)
    assert doc.data["topics"] == ["vsmt", "ntm"]


def test_unknown_topic_lists_the_closest(tmp_path: Path, settings: Settings) -> None:
    found = problems(write(tmp_path, "nghi-quyet", (r"^topics: .*$", "topics: [vsmt, vệ sinh môi trườngg]")),
                     settings)
    message, hint = found["topics[1]"]
    assert 'không có chủ đề "vệ sinh môi trườngg"' in message and "vsmt — Vệ sinh môi trường" in hint
    found = problems(write(tmp_path, "nghi-quyet", (r"^topics: .*$", "topics: [ntm, khong-co]")), settings)
    assert set(found) == {"topics[1]"} and "docgen topics" in found["topics[1]"][1]


def test_topic_forms_are_the_ones_search_matches() -> None:
    from docgen.search.topicmatch import find_topic_spans

    for topic in load_topics():
        for form in topic.forms:  # each form an input file accepts is one span of a query
            (span,) = find_topic_spans(list(form))
            assert (span.start, span.end) == (0, len(form)) and topic.id in span.topic_ids


# ----------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("written", ["05-NQ/CB", "Số 05-NQ/CB", "'số: 05 - NQ/CB'", "05/NQ-CB", '"05"', '"5"', "5",
                                     "05-nq/cb"])
def test_number_as_written_on_paper(tmp_path: Path, settings: Settings, written: str) -> None:
    doc = load(write(tmp_path, "nghi-quyet", (r"^number: .*$", f"number: {written}")), settings)
    assert doc.data["number"] == 5 and doc.meta.number_text == "05-NQ/CB"


def test_number_symbols_must_be_the_kinds_and_the_cells(tmp_path: Path, settings: Settings) -> None:
    message, hint = problems(write(tmp_path, "nghi-quyet", (r"^number: .*$", "number: 05-BB/CB")), settings)["number"]
    assert '"BB"' in message and '"NQ"' in message and "05-NQ/CB" in hint
    message, _ = problems(write(tmp_path, "nghi-quyet", (r"^number: .*$", "number: 05-NQ/ĐU")), settings)["number"]
    assert '"ĐU"' in message and '"CB"' in message
    message, _ = problems(write(tmp_path, "bien-ban-thuong-ky", (r"^number: .*$", "number: bảy")), settings)["number"]
    assert 'không đọc được số: "bảy"' in message
    doc = load(write(tmp_path, "ke-hoach-chuyen-de", (r"^number: .*$", 'number: ""')), settings)
    assert doc.data["number"] is None and doc.meta.number is None


def test_kind_by_its_vietnamese_name(tmp_path: Path, settings: Settings) -> None:
    doc = load(write(tmp_path, "nghi-quyet", (r"^kind: .*$", "kind: Nghị quyết")), settings)
    assert doc.kind == "nghi-quyet" and doc.data["kind"] == "nghi-quyet"


# ----------------------------------------------------------------------------- warnings

def test_empty_sections_a_document_needs_warn(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path, "nghi-quyet")
    data = load(path, settings).data
    bare = {k: v for k, v in data.items() if k not in ("assessment", "directions", "assignments")}
    doc = parse_input(bare, settings, load(path, settings).profile, "nq.yaml")
    texts = [w.vi for w in doc.warnings]
    assert any("đánh giá" in t.lower() and "assessment" in t for t in texts)
    assert any("nhiệm vụ" in t and "directions" in t and "assignments" in t for t in texts)
    minutes = load(write(tmp_path, "bien-ban-thuong-ky"), settings)
    empty = {k: v for k, v in minutes.data.items() if k not in ("agenda", "proceedings", "conclusion")}
    assert ["biên bản chưa ghi nội dung" in w.vi for w in parse_input(empty, settings, minutes.profile,
                                                                     "bb.yaml").warnings] == [True]
    plan = load(write(tmp_path, "ke-hoach-chuyen-de"), settings)
    warnings = parse_input({**plan.data, "schedule": []}, settings, plan.profile, "kh.yaml").warnings
    assert [w.vi for w in warnings] == ["kế hoạch chưa có buổi sinh hoạt chuyên đề nào (phần II, schedule)"]


def test_document_dated_before_the_term_warns(tmp_path: Path, settings: Settings) -> None:
    doc = load(write(tmp_path, "ke-hoach-chuyen-de", (r"^date: .*$", "date: 10/3/2020"),
                     (r"^year: .*$", "year: 2020")), settings)
    assert "ngày văn bản 10/3/2020 trước ngày bắt đầu nhiệm kỳ 20/8/2025 trong hồ sơ" in [w.vi for w in doc.warnings]


# ----------------------------------------------------------------------------- messages

def test_dates_in_messages_are_written_the_vietnamese_way(tmp_path: Path, settings: Settings) -> None:
    profile = profile_with(tmp_path, "{id: m23, name: Mai Văn Tư, admitted: 2026-05-01}")
    found = problems(write(tmp_path, "bien-ban-thuong-ky", (r"^chair: .*$", "chair: Mai Văn Tư"),
                           (r"\{member: m05,", "{member: m23,")), settings, profile)
    for field in ("chair", "absent[0].member"):
        assert "10/3/2026" in found[field][0] and "2026-03-10" not in found[field][0], found[field]
    found = problems(write(tmp_path, "nghi-quyet", (r"^date: .*$", "date: 1/1/1970")), settings)
    assert "1/1/1980" in found["date"][1] and "1980-01-01" not in found["date"][1]


def test_parse_input_takes_the_lines_of_the_file(tmp_path: Path, settings: Settings,
                                                 example_profile: Profile) -> None:
    data = load(write(tmp_path, "nghi-quyet"), settings).data
    with pytest.raises(InputError) as info:
        parse_input({**data, "chair": "Không Ai"}, settings, example_profile, "nq.yaml", {("chair",): 12})
    problem = info.value.problems[0]
    assert problem.field == "chair" and "dòng 12" in problem.message.vi
    assert getattr(problem, "line", None) == 12


def test_resolved_values_are_what_is_kept(tmp_path: Path, settings: Settings) -> None:
    """The document carries the canonical values: what the archive files and the templates see."""
    path = write(tmp_path, "nghi-quyet", (r"^date: .*$", "date: 10/3/2026"), (r"^start: .*$", "start: 19h30"),
                 (r"^chair: .*$", "chair: Nguyễn Văn An"), (r"^number: .*$", "number: 05-NQ/CB"),
                 (r"^topics: .*$", "topics: [VSMT, NTM, ANTT]"))
    assert load(path, settings).context() == load(EXAMPLES / "nghi-quyet.yaml", settings).context()
    assert all(re.fullmatch(ID_PATTERN, m["member"]) for m in load(path, settings).data["absent"])
    assert re.fullmatch(TIME_PATTERN, load(path, settings).data["start"])


def test_load_input_names_the_line_of_a_resolve_problem(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path, "nghi-quyet", (r"^chair: .*$", "chair: Không Ai"), (r"^date: .*$", "date: 31/4/2026"))
    with pytest.raises(InputError) as info:
        load_input(path, settings)
    text = path.read_text("utf-8").splitlines()
    by_field = {p.field: p for p in info.value.problems}
    assert getattr(by_field["chair"], "line", None) == text.index("chair: Không Ai") + 1
    assert [p.field for p in info.value.problems] == ["date", "chair"]  # in file order


def test_a_topic_label_with_a_comma_as_one_string(tmp_path: Path, settings: Settings) -> None:
    doc = load(write(tmp_path, "nghi-quyet", (r"^topics: .*$", 'topics: "Kiểm tra, giám sát; kỷ luật đảng"')),
               settings)
    assert doc.data["topics"] == ["ktgs"]
    path = write(tmp_path, "nghi-quyet", (r"^topics: .*$", "topics: [ntm, khong-co, VSMT, vệ sinh môi trường]"))
    found = problems(path, settings)
    assert set(found) == {"topics[1]"}  # the position in the file
    assert load(write(tmp_path, "nghi-quyet", (r"^topics: .*$", "topics: [VSMT, ntm, vsmt]")),
                settings).data["topics"] == ["vsmt", "ntm"]
