"""docgen form names every field by its label, quotes dates and times, and an unfilled form
is refused with "Chưa điền <label> (dòng N)"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from docgen.authoring.form import build_form
from docgen.cli import main
from docgen.model import KINDS, load_profile
from docgen.model.labels import labels_for, schema_paths

from .helpers import write_profile


def run(tmp_path: Path, *args: str, lang: str = "vi") -> Result:
    env = {"DOCGEN_PROFILE": str(tmp_path / "profile.yaml"), "DOCGEN_LANG": lang,
           "DOCGEN_ARCHIVE": str(tmp_path / "archive")}
    return CliRunner().invoke(main, list(args), env=env)


def line_of(text: str, start: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(start):
            return number
    raise AssertionError(start)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_field_is_commented_with_its_label(tmp_path: Path, kind: str, lang: str) -> None:
    write_profile(tmp_path)
    out = tmp_path / "form.yaml"
    assert run(tmp_path, "form", kind, "-o", str(out), "--date", "10/3/2026", lang=lang).exit_code == 0
    text = out.read_text("utf-8")
    comments = "\n".join(line.split("#", 1)[1] for line in text.splitlines() if "#" in line)
    comments = re.sub(r"\s+", " ", comments.replace("\n #", " "))
    table = labels_for(kind)
    for path in schema_paths(KINDS[kind].schema):
        if path.endswith("[]"):  # an item: named through its fields or its list
            continue
        name = table[path].name.text(lang)
        assert name in comments, (path, name)
    assert re.search(r": null[ \t]+#", text) is None  # never "start: null # <- ĐIỀN"


def test_placeholders_are_quoted_and_say_what_to_fill(tmp_path: Path) -> None:
    write_profile(tmp_path)
    form = build_form("bien-ban-chuyen-de", load_profile(tmp_path / "profile.yaml"), day=None)
    text = form.text
    assert 'date: ""   # <- ĐIỀN Ngày văn bản, ví dụ 10/3/2026' in text
    assert 'start: ""   # <- ĐIỀN Giờ bắt đầu, ví dụ "19:30"' in text
    assert 'topic_title: ""   # <- ĐIỀN Tên chuyên đề, ví dụ "Chung tay giữ gìn vệ sinh môi trường"' in text
    assert "# Giờ bắt đầu — giờ:phút theo 24 giờ; viết 19h30 cũng được (bắt buộc)" in text
    assert "nháy" not in "\n".join(line for line in text.splitlines() if "Giờ" in line or "Time" in line)
    assert form.blanks == ("date", "start", "end", "topic_title", "presenter")
    dated = build_form("bien-ban-chuyen-de", load_profile(tmp_path / "profile.yaml"), day=dt.date(2026, 3, 10))
    assert 'date: "10/3/2026"' in dated.text
    english = build_form("nghi-quyet", load_profile(tmp_path / "profile.yaml"), day=None, lang="en")
    assert '  for:   # <- FILL IN Votes in favour, e.g. 14' in english.text


def test_prefilled_times_and_dates_stay_quoted(tmp_path: Path) -> None:
    write_profile(tmp_path)
    prev = tmp_path / "truoc.yaml"
    prev.write_text("kind: nghi-quyet\ndate: 10/12/2025\nnumber: 05-NQ/CB\nstart: '19:00'\nend: 21:00\n"
                    "chair: m01\nsecretary: m03\nvote: {for: 1}\n", "utf-8")
    out = tmp_path / "sau.yaml"
    result = run(tmp_path, "form", "nghi-quyet", "-o", str(out), "--from", str(prev))
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert 'date: "10/1/2026"' in text
    assert 'start: "19:00"' in text and 'end: "21:00"' in text
    # "05-NQ/CB" as written on paper is read, but NQ is a series several kinds share: the
    # archive gives the next number when the paper is filed.
    assert yaml.safe_load(text)["number"] is None
    assert yaml.safe_load(text)["start"] == "19:00"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_unfilled_form_names_label_line_and_example(tmp_path: Path, lang: str) -> None:
    write_profile(tmp_path)
    out = tmp_path / "nq.yaml"
    assert run(tmp_path, "form", "nghi-quyet", "-o", str(out), "--date", "10/3/2026").exit_code == 0
    text = out.read_text("utf-8")
    result = run(tmp_path, "render", str(out), "-o", str(tmp_path / "nq.docx"), lang=lang)
    assert result.exit_code == 3
    start, end, votes = (line_of(text, f"{key}:") for key in ("start", "end", "for"))
    if lang == "vi":
        expected = [f"Lỗi: Chưa điền Giờ bắt đầu (dòng {start}), ví dụ \"19:30\"",
                    f"Lỗi: Chưa điền Giờ kết thúc (dòng {end}), ví dụ \"21:30\"",
                    f"Lỗi: Chưa điền Số đồng chí tán thành (dòng {votes}), ví dụ 14"]
        assert "Trường: start" in result.output and "Trường: vote.for" in result.output
    else:
        expected = [f"Error: Start time is not filled in (line {start}), e.g. \"19:30\"",
                    f"Error: End time is not filled in (line {end}), e.g. \"21:30\"",
                    f"Error: Votes in favour is not filled in (line {votes}), e.g. 14"]
    heads = [line for line in result.output.splitlines() if line.startswith(("Lỗi:", "Error:"))]
    assert heads == expected  # in file order
    assert not (tmp_path / "nq.docx").exists()


def test_filled_like_people_write_it_renders(tmp_path: Path) -> None:
    write_profile(tmp_path)
    out = tmp_path / "nq.yaml"
    assert run(tmp_path, "form", "nghi-quyet", "-o", str(out), "--date", "10/3/2026").exit_code == 0
    text = (out.read_text("utf-8").replace('start: ""', "start: 19:30").replace('end: ""', "end: 21h30")
            .replace("  for:   #", "  for: 1   #"))
    out.write_text(text, "utf-8")
    result = run(tmp_path, "render", str(out), "-o", str(tmp_path / "nq.docx"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "nq.docx").is_file()


def test_header_says_quotes_are_optional_for_dates_and_times(tmp_path: Path) -> None:
    write_profile(tmp_path)
    profile = load_profile(tmp_path / "profile.yaml")
    vi = build_form("nghi-quyet", profile, day=None, out_name="nq.yaml").text.splitlines()
    head = "\n".join(vi[:vi.index("#   docgen render nq.yaml -o nq.docx")])
    assert "<- ĐIỀN" in head and "giữa hai dấu nháy" not in head
    assert "Ngày, giờ không cần dấu nháy (date: 10/3/2026, start: 19:30)" in head
    assert "chỉ cần dấu nháy khi\n# chữ có \": \" hoặc bắt đầu bằng ký tự đặc biệt" in head
    en = build_form("nghi-quyet", profile, day=None, lang="en", out_name="nq.yaml").text.splitlines()
    head_en = "\n".join(en[:en.index("#   docgen render nq.yaml -o nq.docx")])
    assert "Quotes are optional for dates and times (date: 10/3/2026, start: 19:30)" in head_en
    assert "between the quotes" not in head_en
    assert all(len(line) <= 100 for line in [*vi, *en][:8])


def test_a_form_filled_without_quotes_as_the_header_says_loads(tmp_path: Path) -> None:
    from docgen.config import load_settings
    from docgen.model import load_input

    write_profile(tmp_path)
    out = tmp_path / "nq.yaml"
    assert run(tmp_path, "form", "nghi-quyet", "-o", str(out)).exit_code == 0
    text = out.read_text("utf-8")
    for key, value in (("date", "10/3/2026"), ("start", "19:30"), ("end", "21:30"), ("  for", "1"),
                       ("summary", '"Nghị quyết: lãnh đạo tháng 3"')):  # ": " in text: quoted
        text, count = re.subn(rf"(?m)^{key}:.*$", f"{key}: {value}", text, count=1)
        assert count == 1, key
    out.write_text(text, "utf-8")
    settings = load_settings({"profile_path": tmp_path / "profile.yaml", "archive_root": tmp_path / "archive"},
                             environ={}, cwd=tmp_path)
    doc = load_input(out, settings)
    assert (doc.data["date"], doc.data["start"], doc.data["end"]) == ("2026-03-10", "19:30", "21:30")


def test_blanks_are_named_by_label_and_line(tmp_path: Path) -> None:
    write_profile(tmp_path)
    form = build_form("nghi-quyet", load_profile(tmp_path / "profile.yaml"), day=dt.date(2026, 3, 10))
    assert form.blanks == ("start", "end", "vote.for")
    start, end, votes = line_of(form.text, "start:"), line_of(form.text, "end:"), line_of(form.text, "for:")
    assert form.blank_lines == (start, end, votes)
    text = form.blanks_text()
    assert text.vi == f"Giờ bắt đầu (dòng {start}), Giờ kết thúc (dòng {end}), Số đồng chí tán thành (dòng {votes})"
    assert text.en == f"Start time (line {start}), End time (line {end}), Votes in favour (line {votes})"
    bare = dataclasses.replace(form, blank_lines=())  # lines unknown: the labels alone
    assert bare.blanks_text().vi == "Giờ bắt đầu, Giờ kết thúc, Số đồng chí tán thành"
    assert dataclasses.replace(form, blanks=(), blank_lines=()).blanks_text().vi == "-"
