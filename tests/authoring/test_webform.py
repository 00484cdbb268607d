"""The web form library (issue 12, "New paper"): fields from the schema, posted fields ↔ the
input dict, the model's messages and the live figures, on the real examples and profile."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from docgen.authoring.form import form_values, read_previous
from docgen.authoring.roster_view import roster_view
from docgen.authoring.webform import (
    WIDGETS,
    FormField,
    check_form,
    data_from_form,
    flat_values,
    form_fields,
    form_pairs,
    initial_values,
    live_figures,
    roster_choices,
)
from docgen.cli import main
from docgen.config import Settings, load_settings
from docgen.docxtext import docx_paragraphs
from docgen.errors import InputError
from docgen.kinds import KINDS
from docgen.model.document import parse_input
from docgen.model.files import read_mapping
from docgen.model.labels import schema_paths
from docgen.model.profile import Profile, load_profile
from docgen.model.validation import ID_PATTERN
from docgen.render.engine import Renderer

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DAY = dt.date(2026, 3, 10)
HOSTILE = ("<script>alert(1)</script>", "{{ 7*7 }}", "{% if true %}a{% endif %}", "& < > &amp; &lt;")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"archive_root": tmp_path / "archive"}, environ={}, cwd=EXAMPLES)


@pytest.fixture
def profile(settings: Settings) -> Profile:
    return load_profile(settings.profile_path)


def example(kind: str) -> dict[str, Any]:
    return read_mapping(EXAMPLES / KINDS[kind].example_name)


def every(fields: list[FormField] | tuple[FormField, ...]) -> Iterator[FormField]:
    for f in fields:
        yield f
        yield from every(f.fields)


def field(kind: str, name: str) -> FormField:
    return next(f for f in every(form_fields(kind)) if f.name == name)


# A resolution as a browser posts it: rows numbered with gaps, a token the form does not have.
RESOLUTION = [
    ("csrf_token", "abc"), ("date", "2026-03-10"), ("start", "19:30"), ("end", "21:30"),
    ("chair", "m01"), ("secretary", "m03"),
    ("absent[0].member", "m05"), ("absent[0].reason", "đi công tác"),
    ("absent[3].member", "m11"), ("absent[3].reason", ""),
    ("vote.for", "15"), ("vote.against", "0"), ("vote.abstain", "1"),
    ("assessment[0].heading", "Công tác chính trị, tư tưởng"), ("assessment[0].text", "Chi bộ đã thông tin."),
    ("assignments[1].content", "Ra quân tổng vệ sinh"), ("assignments[1].owner", "m06"),
]


def posted(pairs: list[tuple[str, str]], **changes: str) -> list[tuple[str, str]]:
    """``pairs`` with the values of ``changes`` (keys with "__" for "." and "_N_" for "[N]")."""
    names = {k.replace("__", ".").replace("_0_", "[0]"): v for k, v in changes.items()}
    return [(n, names.pop(n, v)) for n, v in pairs] + list(names.items())


# --------------------------------------------------------------------------- fields

@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_field_of_the_schema_has_its_label(kind: str, lang: str) -> None:
    spec = KINDS[kind]
    fields = list(every(form_fields(kind, lang)))
    for f in fields:
        assert f.widget in WIDGETS
        assert f.label == spec.labels[f.name].name.text(lang), f.name  # the table's, not a fallback
        if f.widget in ("rows", "absent", "lines", "members"):
            assert f.item_label == spec.labels[f"{f.name}[]"].name.text(lang)
    props = spec.schema["properties"]
    shown = {p for p in schema_paths(spec.schema) if not p.endswith("[]")}
    hidden = {"kind"} | {k for k, s in props.items() if s.get("type") == "null"}  # constant / never holds a value
    assert {f.name for f in fields} == shown - hidden
    required = {f.name for f in form_fields(kind) if f.required}
    assert required == (set(spec.schema["required"]) | set(spec.asked)) - {"kind"}


@pytest.mark.parametrize("kind", list(KINDS))
def test_member_fields_are_those_the_model_reads_as_members(kind: str) -> None:
    spec = KINDS[kind]
    fields = {f.name: f for f in every(form_fields(kind))}
    for ref in spec.strict_refs:  # the kind's member references, as the model checks them
        name = ref.removesuffix("[]")
        if name in fields:
            assert fields[name].widget == ("members" if ref.endswith("[]") else "member"), ref
    for f in fields.values():
        if f.widget == "member":
            node: dict[str, Any] = spec.schema
            for part in f.name.split("."):
                node = node["properties"][part.removesuffix("[]")]
                node = node["items"] if part.endswith("[]") else node
            assert node["pattern"] == ID_PATTERN
    assert fields["topics"].widget == "topics" and "vsmt" in {c.value for c in fields["topics"].choices}
    for ref in spec.loose_refs:  # a name of a member or not: free text with the roster offered
        if ref in fields:
            assert fields[ref].suggest_members and fields[ref].widget in ("text", "textarea")


def test_widgets_of_the_resolution() -> None:
    assert [field("nghi-quyet", n).widget for n in ("date", "start", "chair", "absent", "exempt_present",
                                                    "vote", "vote.for", "draft", "recipients", "assignments",
                                                    "assessment[].text", "self_score.rating")] == \
        ["date", "time", "member", "absent", "members", "group", "integer", "checkbox", "lines", "rows",
         "textarea", "select"]
    absent = field("nghi-quyet", "absent")
    assert [(f.name, f.widget) for f in absent.fields] == [("absent[].member", "member"), ("absent[].reason", "text")]
    assert absent.fields[0].html_name(3) == "absent[3].member"
    assert field("bien-ban-thuong-ky", "votes[].type").default == "other"
    assert field("nghi-quyet-ket-nap", "vote.special").default == "on"
    assert field("nghi-quyet", "start").example == "19:30"
    assert field("nghi-quyet", "start").help == "giờ:phút theo 24 giờ; viết 19h30 cũng được"
    assert field("nghi-quyet", "self_score.points").maximum == 100
    assert field("trich-bien-ban", "items[].votes[].for").html_name(2, 0) == "items[2].votes[0].for"


def test_roster_choices_on_the_meeting_date(profile: Profile) -> None:
    choices = {c.value: c for c in roster_choices(profile, DAY)}
    view = {row.id: row for row in roster_view(profile, DAY).rows}
    assert set(choices) == {m.id for m in profile.members}  # all of the cell's, and t01 attending here
    assert choices["m01"].label == "m01 — Nguyễn Văn An" and choices["m01"].position == "Bí thư Chi bộ"
    assert choices["m20"].status == view["m20"].status_text("vi") == "chính thức, miễn sinh hoạt"
    assert "exempt" in choices["m20"].tags and "expected" not in choices["m20"].tags
    assert choices["t01"].tags == ("temp_in",) and "probationary" in choices["m22"].tags
    before = roster_choices(profile, dt.date(2025, 9, 15), "en")
    ids = {c.value for c in before}
    assert "m22" not in ids and "t01" not in ids  # admitted 22/12/2025; attending here from 1/10/2025
    assert next(c.status for c in before if c.value == "m21") == "probationary"  # admitted 2/9/2025


# --------------------------------------------------------------------------- posted fields ↔ data

@pytest.mark.parametrize("kind", list(KINDS))
def test_example_round_trips_through_the_form(kind: str, settings: Settings, profile: Profile) -> None:
    data = example(kind)
    pairs = form_pairs(kind, data)
    widgets = {f.name: f.widget for f in every(form_fields(kind))}
    for name, value in pairs:
        pattern = re.sub(r"\[\d+\]", "[]", name)
        widget = widgets.get(pattern) or widgets[pattern.removesuffix("[]")]
        if widget == "date":
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), (name, value)
        if widget == "time":
            assert re.fullmatch(r"\d{2}:\d{2}", value), (name, value)
    back = data_from_form(kind, pairs)
    original = parse_input(data, settings, profile, "example")
    again = parse_input(back, settings, profile, "form")
    assert again.meta == original.meta
    assert again.context() == original.context()
    check = check_form(kind, back, profile, settings)
    assert check.ok and check.document is not None and check.document.meta == original.meta
    assert list(check.warnings) == [w.vi for w in original.warnings]


def test_form_pairs_show_what_people_wrote_as_the_native_inputs_want() -> None:
    data = {"kind": "nghi-quyet", "date": "10/3/2026", "start": "19h30", "end": "21 giờ", "draft": True,
            "exempt_present": ["m20", "m09"], "recipients": ["A", "B"], "vote": {"for": 15, "special": False},
            "self_score": {"points": 92.5}, "summary": None, "topics": ["vsmt", "ntm"],
            "assignments": [{"content": "Việc", "deadline": "30/3/2026"}]}
    assert form_pairs("nghi-quyet", data) == [
        ("date", "2026-03-10"), ("draft", "on"), ("topics", "vsmt"), ("topics", "ntm"), ("start", "19:30"),
        ("end", "21:00"), ("exempt_present", "m20"), ("exempt_present", "m09"), ("vote.for", "15"),
        ("self_score.points", "92.5"), ("assignments[0].content", "Việc"),
        ("assignments[0].deadline", "30/3/2026"), ("recipients[0]", "A"), ("recipients[1]", "B")]
    assert flat_values("nghi-quyet", data)["exempt_present"] == ["m20", "m09"]
    assert form_pairs("nghi-quyet", {"date": "30/2/2026"}) == [("date", "30/2/2026")]  # as written: the model says why


def test_posted_names_become_the_input_dict() -> None:
    data = data_from_form("bien-ban-thuong-ky", [
        ("date", "2026-03-10"), ("start", "19:30:00"), ("number", " 7 "), ("month", "ba"), ("place", "  "),
        ("draft", "on"), ("combined_with_topical", ""),
        ("absent[4].member", "m11"), ("absent[4].reason", "ốm"), ("absent[1].member", "m05"),
        ("absent[2].member", ""), ("absent[2].reason", ""),
        ("exempt_present", "m20"), ("exempt_present", "m09"), ("topics", "VSMT, nông thôn mới"),
        ("agenda[2]", "Thông tin thời sự"), ("agenda[0]", "Đánh giá"), ("agenda[1]", " "),
        ("proceedings[7].speaker", "m01"), ("proceedings[7].content", "Dòng 1\r\nDòng 2\x07"),
        ("votes[0].type", "other"), ("votes[0].against", "0"),  # a new row left as it came: empty
        ("votes[3].subject", "kết nạp"), ("votes[3].type", "admission"), ("votes[3].for", "17"),
        ("vote.special", ""), ("self_score.points", "92,5"), ("submit", "Lưu"), ("vote..for", "3"),
    ])
    assert data == {
        "kind": "bien-ban-thuong-ky", "date": "2026-03-10", "number": 7, "draft": True,
        "topics": "VSMT, nông thôn mới", "month": "ba", "start": "19:30",
        "absent": [{"member": "m05"}, {"member": "m11", "reason": "ốm"}],
        "exempt_present": ["m20", "m09"],
        "self_score": {"points": 92.5},
        "agenda": ["Đánh giá", "Thông tin thời sự"],
        "proceedings": [{"speaker": "m01", "content": "Dòng 1\nDòng 2"}],
        "votes": [{"subject": "kết nạp", "type": "admission", "for": 17}],
    }
    # an unticked checkbox whose default is true is false (once its group holds something)
    assert data_from_form("nghi-quyet-ket-nap", [("vote.for", "16")])["vote"] == {"for": 16, "special": False}
    assert data_from_form("nghi-quyet-ket-nap", [("vote.for", "16"), ("vote.special", "on")])["vote"] == \
        {"for": 16, "special": True}
    assert "vote" not in data_from_form("nghi-quyet-ket-nap", [("vote.special", "on"), ("vote.against", "0")])


def test_hostile_text_survives_literally(settings: Settings, profile: Profile) -> None:
    data = example("bien-ban-thuong-ky")
    data["summary"] = " ".join(HOSTILE)
    data["guests"] = [{"name": text, "position": text} for text in HOSTILE]
    data["proceedings"] = [{"speaker": text, "content": f"{text}\n{text}"} for text in HOSTILE]
    data["agenda"] = list(HOSTILE)
    back = data_from_form("bien-ban-thuong-ky", form_pairs("bien-ban-thuong-ky", data))
    for key in ("summary", "guests", "proceedings", "agenda"):
        assert back[key] == data[key]
    document = parse_input(back, settings, profile, "form")
    assert document.meta.title == f"BIÊN BẢN {' '.join(HOSTILE)}"
    context = document.context()
    assert [g["name"] for g in context["guests"]] == list(HOSTILE)
    assert [a["text"] for a in context["agenda"]] == list(HOSTILE)
    printed = docx_paragraphs(Renderer(settings).render(document).docx)
    assert " ".join(HOSTILE) in printed and all(any(p.endswith(text) for p in printed) for text in HOSTILE)


# --------------------------------------------------------------------------- a new form

def test_initial_values_prefill_as_docgen_form(settings: Settings, profile: Profile) -> None:
    values = initial_values("nghi-quyet", profile, DAY, None, settings)
    prefilled = form_values("nghi-quyet", profile, DAY, None)
    assert values["date"] == "2026-03-10" and values["kind"] == "nghi-quyet"
    assert (values["chair"], values["secretary"], values["place"]) == \
        (prefilled["chair"], prefilled["secretary"], prefilled["place"]) == ("m01", "m03", "Nhà văn hóa thôn An Thành")
    assert "start" not in values and "for" not in values["vote"]  # blanks are for the user
    draft = data_from_form("nghi-quyet", form_pairs("nghi-quyet", values))
    assert "vote" not in draft  # the prefilled 0 against / 0 abstain alone are no vote
    figures = live_figures("nghi-quyet", draft, profile, settings)
    assert figures is not None and figures.ready and figures.votes == () and figures.messages == ()
    assert (figures.present, figures.summoned, figures.denominator) == (20, 20, 18)

    previous = read_previous(EXAMPLES / "nghi-quyet.yaml", "nghi-quyet")
    following = initial_values("nghi-quyet", profile, None, previous, settings)
    assert following["date"] == "2026-04-10"
    # the month and year of April's date are left to follow the date the user types
    assert "month" not in following and "year" not in following
    moved = data_from_form("nghi-quyet", [*form_pairs("nghi-quyet", following), ("date", "2026-03-10")])
    assert moved["date"] == "2026-03-10" and "month" not in moved
    assert following["topics"] == ["vsmt", "ntm", "antt"] and following["start"] == "19:30"
    assert [a["heading"] for a in following["assessment"]] == [a["heading"] for a in previous["assessment"]]
    assert "number" not in following  # the NQ series is shared: the archive numbers it
    assert initial_values("bao-cao", profile, DAY, None, settings)["quarter"] == 1  # the kind's own prefill


# --------------------------------------------------------------------------- the model's messages

def test_bad_date_gives_the_clis_message(tmp_path: Path, settings: Settings, profile: Profile) -> None:
    data = example("nghi-quyet")
    data["date"] = "32/13/2026"
    path = tmp_path / "nq.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    env = {"DOCGEN_PROFILE": str(settings.profile_path), "DOCGEN_ARCHIVE": str(tmp_path / "archive"),
           "DOCGEN_LANG": "vi"}
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "nq.docx")], env=env)
    assert result.exit_code == 3
    cli = re.sub(r" \(dòng \d+\)", "", result.stderr)  # a form has no lines

    pairs = posted(form_pairs("nghi-quyet", example("nghi-quyet")), date="32/13/2026")
    check = check_form("nghi-quyet", data_from_form("nghi-quyet", pairs), profile, settings)
    assert not check.ok and [p.path for p in check.problems] == ["date"]
    problem = check.problems[0]
    assert problem.text == "Ngày văn bản: ngày không có thật: 32/13/2026"
    assert f"Lỗi: {problem.text}\n" in cli and f"Cách sửa: {problem.hint}\n" in cli
    assert check.messages == {"date": [f"Lỗi: {problem.text}\n  Cách sửa: {problem.hint}"]}
    native = check_form("nghi-quyet", data_from_form("nghi-quyet", posted(pairs, date="2026-02-30")),
                        profile, settings, "en")
    assert native.problems[0].text == "Document date: no such date: 2026-02-30"
    assert native.problems[0].cli.startswith("Error: Document date: no such date") and "How to fix: " in native.problems[0].cli


def test_messages_are_shown_by_the_input_that_holds_the_field(settings: Settings, profile: Profile) -> None:
    pairs = [*RESOLUTION, ("exempt_present", "m05"), ("topics", "khong-co")]
    check = check_form("nghi-quyet", data_from_form("nghi-quyet", pairs), profile, settings)
    assert {(p.path, p.field) for p in check.problems} >= {("exempt_present[0]", "exempt_present"),
                                                           ("topics[0]", "topics")}
    with pytest.raises(InputError) as model:
        parse_input(data_from_form("nghi-quyet", pairs), settings, profile, "form")
    assert [p.message.vi for p in model.value.problems] == [p.text for p in check.problems]
    assert check.for_field("exempt_present") == check.messages["exempt_present[0]"]


# --------------------------------------------------------------------------- live figures

def test_resolution_with_two_absentees_then_a_third(settings: Settings, profile: Profile) -> None:
    data = data_from_form("nghi-quyet", RESOLUTION)
    assert data["absent"] == [{"member": "m05", "reason": "đi công tác"}, {"member": "m11"}]
    figures = live_figures("nghi-quyet", data, profile, settings)
    assert figures is not None and figures.ready and figures.day == DAY
    # 22 members: m19 elsewhere, m20 exempt: 20 summoned; 20 official less m19 and m20: 18 vote
    assert (figures.summoned, figures.present, figures.absent, figures.denominator) == (20, 18, 2, 18)
    assert figures.attendance_percent == "90%"
    assert figures.absent_with_reason == (("Hoàng Văn Em", "đi công tác"),)
    assert figures.absent_without_reason == ("Dương Văn Lâm",)
    (vote,) = figures.votes
    assert (vote.votes_for, vote.against, vote.abstain, vote.denominator) == (15, 0, 1, 18)
    assert (vote.percent_text, vote.passed, vote.result_text) == ("83,3%", True, "thông qua")
    assert vote.threshold_text == "hơn một nửa" and figures.messages == ()
    document = parse_input(data, settings, profile, "form")  # the figures the paper prints
    assert document.figures is not None and document.figures.denominator == figures.denominator
    assert document.context()["denominator_text"] == figures.denominator_text
    assert document.context()["attendance_text"] == figures.attendance_text

    third = data_from_form("nghi-quyet", [*RESOLUTION, ("absent[9].member", "m14")])
    later = live_figures("nghi-quyet", third, profile, settings)
    assert later is not None
    assert (later.present, later.absent, later.attendance_percent) == (17, 3, "85%")
    assert later.denominator == 18 and later.votes[0].percent_text == "83,3%"  # absentees stay in the denominator
    assert later.absent_without_reason == ("Dương Văn Lâm", "Trịnh Văn Oanh")
    (message,) = later.messages  # 15 + 0 + 1 votes, 15 official members present
    assert message.path == "vote.for"
    assert "lớn hơn số đảng viên chính thức có mặt (15)" in message.text
    assert check_form("nghi-quyet", third, profile, settings).messages["vote.for"] == [message.cli]
    exempt = live_figures("nghi-quyet", data_from_form("nghi-quyet", [*RESOLUTION, ("exempt_present", "m20")]),
                          profile, settings)
    assert exempt is not None and exempt.denominator == 19 and exempt.votes[0].percent_text == "78,9%"


def test_failed_vote_does_not_pass(settings: Settings, profile: Profile) -> None:
    data = data_from_form("nghi-quyet", posted(RESOLUTION, vote__for="9"))
    figures = live_figures("nghi-quyet", data, profile, settings)
    assert figures is not None
    (vote,) = figures.votes
    assert (vote.passed, vote.result_text, vote.percent_text) == (False, "không thông qua", "50%")
    assert vote.outcome_text.startswith("không thông qua")
    check = check_form("nghi-quyet", data, profile, settings)
    assert not check.ok and list(check.messages) == ["vote.for"]
    assert "nghị quyết không được thông qua (9/18 đồng chí tán thành, chỉ đạt 50%" in check.problems[0].text
    admission = live_figures("bien-ban-thuong-ky", data_from_form("bien-ban-thuong-ky", [
        *RESOLUTION[:6], ("votes[0].subject", "kết nạp"), ("votes[0].type", "admission"), ("votes[0].for", "11"),
        ("votes[1].subject", "khác"), ("votes[1].for", "11")]), profile, settings)
    assert admission is not None
    assert [(v.path, v.passed, v.threshold_text) for v in admission.votes] == [
        ("votes[0]", False, "ít nhất hai phần ba"), ("votes[1]", True, "hơn một nửa")]  # 11/18


def test_unknown_absentee_is_left_out_and_named(settings: Settings, profile: Profile) -> None:
    pairs = [*RESOLUTION, ("absent[4].member", "m99"), ("absent[5].member", "Nguyễn Văn Zê"),
             ("absent[6].reason", "ốm")]
    figures = live_figures("nghi-quyet", data_from_form("nghi-quyet", pairs), profile, settings)
    assert figures is not None and (figures.present, figures.absent) == (18, 2)
    messages = {m.path: m.text for m in figures.messages}
    assert messages == {
        "absent[2].member": "Đảng viên của người vắng mặt thứ 3: không có đảng viên mã \"m99\" trong danh sách "
                            "đảng viên",
        "absent[3].member": "Đảng viên của người vắng mặt thứ 4: không có đảng viên tên \"Nguyễn Văn Zê\" trong "
                            "danh sách",
        "absent[4].member": "Thiếu Đảng viên của người vắng mặt thứ 5, ví dụ m05",
    }


def test_figures_of_a_form_barely_started(settings: Settings, profile: Profile) -> None:
    empty = live_figures("nghi-quyet", data_from_form("nghi-quyet", []), profile, settings, "en")
    assert empty is not None and not empty.ready and empty.present == 0
    assert [m.text for m in empty.messages] == ["Document date is missing, e.g. 10/3/2026"]
    typing = live_figures("nghi-quyet", data_from_form("nghi-quyet", [("date", "2026-03-10"),
                                                                       ("vote.against", "2")]), profile, settings)
    assert typing is not None and typing.ready and typing.votes == ()
    assert [m.path for m in typing.messages] == ["vote.for"]
    assert typing.to_json()["day"] == "2026-03-10" and typing.to_json()["denominator"] == 18
    for kind, spec in KINDS.items():
        if not spec.meeting:
            assert live_figures(kind, example(kind), profile, settings) is None


POSTS = [
    [],
    [("date", "hôm qua"), ("start", "25:99"), ("vote.for", "nhiều"), ("absent[0].member", "<script>")],
    [("absent[x].member", "m05"), ("[0]", "x"), ("vote", "15"), ("absent", "m05"), ("votes[0]", "1")],
    [("date", "2026-03-10"), ("absent[0].reason", "ốm"), ("vote.for", "99999999999999999999999999999999")],
    [("date", "0001-01-01"), ("exempt_present", "m05"), ("exempt_present", "m05"), ("self_score.points", "NaN")],
]


@pytest.mark.parametrize("pairs", POSTS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_bad_input_is_reported_never_raised(kind: str, pairs: list[tuple[str, str]], settings: Settings,
                                            profile: Profile) -> None:
    data = data_from_form(kind, pairs)
    check = check_form(kind, data, profile, settings)
    assert check.ok == (check.document is not None) == (not check.problems)
    assert all(p.cli.startswith("Lỗi: ") and p.text in p.cli for p in check.problems)
    if pairs != POSTS[3] or KINDS[kind].meeting:  # a plan or a report needs no more than a date
        assert not check.ok
    figures = live_figures(kind, data, profile, settings)
    assert (figures is None) == (not KINDS[kind].meeting)
