"""docgen form: commented, prefilled YAML inputs that validate once the blanks are filled."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from docgen.authoring.form import add_months
from docgen.cli import main
from docgen.config import load_settings
from docgen.model import KINDS, load_input
from docgen.vn.dates import parse_user_date

from .helpers import write_profile

FILL = {"date": '"10/3/2026"', "start": '"19:30"', "end": '"21:30"', "for": "1", "secretary": "m03",
        "topic_title": "Chung tay giữ gìn vệ sinh môi trường", "presenter": "m01",
        "title": "Chủ đề thử", "text": "Nội dung đánh giá."}
# A blank is `start: ""   # <- ĐIỀN Giờ bắt đầu, ví dụ "19:30"` (a number: `for:   # <- ĐIỀN …`).
FILL_LINE = re.compile(r'^(\s*-?\s*)(\w+):(?: "")?   # <- (?:ĐIỀN|FILL IN) .+$', re.MULTILINE)


def form(tmp_path: Path, *args: str, lang: str = "vi") -> Result:
    env = {"DOCGEN_PROFILE": str(tmp_path / "profile.yaml"), "DOCGEN_LANG": lang,
           "DOCGEN_ARCHIVE": str(tmp_path / "archive")}
    return CliRunner().invoke(main, ["form", *args], env=env)


def fill_blanks(path: Path) -> str:
    text = FILL_LINE.sub(lambda m: f"{m.group(1)}{m.group(2)}: {FILL[m.group(2)]}",
                         path.read_text("utf-8"))
    path.write_text(text, "utf-8")
    return text


def line_of(text: str, start: str) -> int:
    """The 1-based line of the first line of ``text`` starting with ``start``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_settings({"profile_path": tmp_path / "profile.yaml",
                          "archive_root": tmp_path / "archive"}, environ={}, cwd=tmp_path)


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _at(data: Any, path: str) -> Any:
    """The value at a dotted path ("vote.for", "introducers[0]") of ``data``; KeyError if absent."""
    for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        data = data[int(index)] if index else data[key]
    return data


def _put(data: Any, path: str, value: Any) -> None:
    parts = re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)
    for key, index in parts[:-1]:
        data = data[int(index)] if index else data[key]
    key, index = parts[-1]
    data[int(index) if index else key] = value


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_validates_once_blanks_are_filled(tmp_path: Path, kind: str) -> None:
    """Every kind of the registry: its form names every field by its label, prefills from the
    profile, and validates once each blank holds what the kind's example gives there."""
    from docgen.authoring.form import build_form
    from docgen.model import load_profile

    example = yaml.safe_load((EXAMPLES / KINDS[kind].example_name).read_text("utf-8"))
    day = parse_user_date(str(example["date"]))
    profile = load_profile(EXAMPLES / "profile.yaml")
    result = build_form(kind, profile, day=day, out_name=f"{kind}.yaml")
    text = result.text
    schema = KINDS[kind].schema
    for name, sub in schema["properties"].items():
        assert re.search(rf"^{re.escape(name)}:", text, re.MULTILINE), name
        assert "# " + sub["title"] in text  # the field's label (docgen.model.labels)
    assert "null   # <-" not in text and ": null   #" not in text
    data = yaml.safe_load(text)
    assert data["kind"] == kind
    assert data["date"] == f"{day.day}/{day.month}/{day.year}"  # day first, as people write it
    assert "m01: Nguyễn Văn An, chính thức (Bí thư Chi bộ)" in text
    if "chair" in data:
        assert data["chair"] == "m01"
    for path in result.blanks:
        try:
            _put(data, path, copy.deepcopy(_at(example, path)))
        except (KeyError, IndexError, TypeError):
            pytest.fail(f"{kind}: the form asks for {path}, which examples/{kind}.yaml does not show")
    for key, value in example.items():  # what the user writes into empty lists and sections
        if data.get(key) in (None, [], {}, "") and value not in (None, [], {}, ""):
            data[key] = copy.deepcopy(value)
    out = tmp_path / f"{kind}.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    doc = load_input(out, load_settings({"profile_path": EXAMPLES / "profile.yaml",
                                         "archive_root": tmp_path / "archive"}, environ={}, cwd=tmp_path))
    assert doc.kind == kind
    assert doc.meta.date == day


def test_blanks_are_reported_and_marked(tmp_path: Path) -> None:
    write_profile(tmp_path)
    out = tmp_path / "nq.yaml"
    result = form(tmp_path, "nghi-quyet", "-o", str(out), "--date", "2026-03-10")
    text = out.read_text("utf-8")
    # named by label and line of the written file, never by field id (issue 10)
    assert (f"Cần điền: Giờ bắt đầu (dòng {line_of(text, 'start:')}), Giờ kết thúc (dòng {line_of(text, 'end:')}), "
            f"Số đồng chí tán thành (dòng {line_of(text, '  for:')})\n") in result.output
    assert "vote.for" not in result.output
    assert 'start: ""   # <- ĐIỀN Giờ bắt đầu, ví dụ "19:30"' in text
    assert "  for:   # <- ĐIỀN Số đồng chí tán thành, ví dụ 14" in text
    assert "# Kết quả biểu quyết (bắt buộc)" in text


def test_english_comments(tmp_path: Path) -> None:
    write_profile(tmp_path)
    out = tmp_path / "bb.yaml"
    result = form(tmp_path, "bien-ban-thuong-ky", "-o", str(out), "--date", "2026-03-10", lang="en")
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "# Chair — a member id (e.g. m01) or the name as on the roster (required)" in text
    assert 'start: ""   # <- FILL IN Start time, e.g. "19:30"' in text
    assert "Roster on 10/3/2026" in text  # day first, as in every message
    assert (f"To fill in: Start time (line {line_of(text, 'start:')}), End time (line {line_of(text, 'end:')})"
            "\n") in result.output


PREVIOUS = """\
kind: nghi-quyet
date: 2025-12-10
number: 5
topics: [vsmt, ntm]
month: 12
year: 2025
start: "19:00"
end: "21:00"
chair: m01
secretary: m03
guests: [{name: Trần Văn Bình, position: Đảng ủy viên}]
vote: {for: 2}
assessment:
  - {heading: "Công tác chính trị, tư tưởng", text: Tháng 12 tốt.}
  - {heading: Xây dựng Đảng, text: Đảng phí đủ.}
directions:
  - {heading: Nhiệm vụ chính trị, items: [Làm đường]}
assignments:
  - {content: Làm đường, owner: m01}
"""


def test_from_previous_gives_next_month_number_and_topics(tmp_path: Path) -> None:
    write_profile(tmp_path)
    prev = tmp_path / "thang12.yaml"
    prev.write_text(PREVIOUS, "utf-8")
    out = tmp_path / "thang1.yaml"
    result = form(tmp_path, "nghi-quyet", "-o", str(out), "--from", str(prev))
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    texts = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("    text: ")]
    assert (f"Cần điền: Số đồng chí tán thành (dòng {line_of(text, '  for:')}), "
            f"Nội dung đánh giá của mục đánh giá thứ 1 (dòng {texts[0]}), "
            f"Nội dung đánh giá của mục đánh giá thứ 2 (dòng {texts[1]})\n") in result.output
    data = yaml.safe_load(text)
    assert data["date"] == "10/1/2026"
    assert 'date: "10/1/2026"' in text and 'start: "19:00"' in text
    # NQ is a series several kinds share (monthly, admission, conversion): the archive numbers it.
    assert (data["month"], data["year"], data["number"]) == (1, 2026, None)
    assert data["topics"] == ["vsmt", "ntm"]
    assert (data["start"], data["end"]) == ("19:00", "21:00")
    assert data["guests"] == [{"name": "Trần Văn Bình", "position": "Đảng ủy viên"}]
    assert [a["heading"] for a in data["assessment"]] == ["Công tác chính trị, tư tưởng",
                                                          "Xây dựng Đảng"]
    assert data["directions"] == [{"heading": "Nhiệm vụ chính trị", "items": []}]
    assert data["assignments"] == []
    assert f"Điền sẵn từ văn bản trước: {prev}" in text
    fill_blanks(out)
    # On 10/1/2026 two official members vote (m04 is away from 5/1): 2 of 2 pass the resolution.
    out.write_text(out.read_text("utf-8").replace("  for: 1", "  for: 2"), "utf-8")
    assert load_input(out, settings(tmp_path)).meta.number is None


def test_from_previous_quarter_rolls_over_the_year(tmp_path: Path) -> None:
    write_profile(tmp_path)
    prev = tmp_path / "q4.yaml"
    prev.write_text("kind: de-cuong-chuyen-de\ndate: 2025-11-20\nyear: 2025\nquarter: 4\n"
                    "title: An ninh trật tự\npresenter: m01\ntopics: [antt]\n", "utf-8")
    out = tmp_path / "q1.yaml"
    assert form(tmp_path, "de-cuong-chuyen-de", "-o", str(out), "--from", str(prev)).exit_code == 0
    data = yaml.safe_load(out.read_text("utf-8"))
    assert (data["date"], data["quarter"], data["year"]) == ("20/2/2026", 1, 2026)
    assert data["number"] is None and data["topics"] == ["antt"]


def test_annual_plan_lists_the_four_quarters(tmp_path: Path) -> None:
    write_profile(tmp_path)
    out = tmp_path / "kh.yaml"
    result = form(tmp_path, "ke-hoach-chuyen-de", "-o", str(out), "--date", "2026-01-15")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text("utf-8"))
    assert [row["period"] for row in data["schedule"]] == ["Quý I", "Quý II", "Quý III", "Quý IV"]
    titles = [n for n, line in enumerate(out.read_text("utf-8").splitlines(), 1) if "title: \"\"" in line]
    assert len(titles) == 4
    assert f"Tên chuyên đề của buổi sinh hoạt chuyên đề thứ 4 (dòng {titles[3]})" in result.output
    assert "schedule[" not in result.output
    fill_blanks(out)
    doc = load_input(out, settings(tmp_path))
    assert not doc.warnings


def test_previous_of_another_kind_is_refused(tmp_path: Path) -> None:
    write_profile(tmp_path)
    prev = tmp_path / "prev.yaml"
    prev.write_text(PREVIOUS, "utf-8")
    out = tmp_path / "bb.yaml"
    result = form(tmp_path, "bien-ban-thuong-ky", "-o", str(out), "--from", str(prev))
    assert result.exit_code == 3
    assert "nghi-quyet" in result.output
    assert not out.exists()


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    write_profile(tmp_path)
    out = tmp_path / "nq.yaml"
    out.write_text("giữ nguyên\n", "utf-8")
    result = form(tmp_path, "nghi-quyet", "-o", str(out), "--date", "2026-03-10")
    assert result.exit_code == 3
    assert "--force" in result.output
    assert out.read_text("utf-8") == "giữ nguyên\n"
    forced = form(tmp_path, "nghi-quyet", "-o", str(out), "--date", "2026-03-10", "--force")
    assert forced.exit_code == 0
    assert out.read_text("utf-8").count("kind: nghi-quyet") == 1


def test_unknown_kind_lists_the_kinds(tmp_path: Path) -> None:
    write_profile(tmp_path)
    result = form(tmp_path, "bien-ban", "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == 2
    for kind in KINDS:
        assert kind in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_missing_profile(tmp_path: Path) -> None:
    result = form(tmp_path, "nghi-quyet", "-o", str(tmp_path / "x.yaml"), "--date", "2026-03-10")
    assert result.exit_code == 5
    assert "profile.yaml" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_add_months() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 12, 10), 1) == dt.date(2026, 1, 10)
    assert add_months(dt.date(2025, 11, 20), 3) == dt.date(2026, 2, 20)


def test_previous_comes_from_the_archive(tmp_path: Path) -> None:
    from docgen.archive import Archive
    from docgen.render import Renderer

    write_profile(tmp_path)
    prev = tmp_path / "thang12.yaml"
    prev.write_text(PREVIOUS, "utf-8")
    conf = settings(tmp_path)
    filed = Archive(conf.archive_root).file(load_input(prev, conf), Renderer(conf).render, "test")
    assert filed.meta.number == 5
    out = tmp_path / "thang1.yaml"
    result = form(tmp_path, "nghi-quyet", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert str(filed.folder) in text
    data = yaml.safe_load(text)
    assert (data["date"], data["number"], data["topics"]) == ("10/1/2026", None, ["vsmt", "ntm"])
    fresh = tmp_path / "fresh.yaml"
    result = form(tmp_path, "nghi-quyet", "-o", str(fresh), "--no-previous", "--date", "2026-01-12")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(fresh.read_text("utf-8"))
    assert (data["number"], data["topics"]) == (None, [])


@pytest.mark.parametrize("text", ["503750e460", "1e5", "0x1F", "010", ".inf", "true", "null", "19:30", "m01"])
def test_a_written_value_reads_back_as_the_same_text(text: str) -> None:
    """The form writes YAML that docgen reads with the YAML 1.2 core schema: a text such as
    an archive id "503750e460" (a float there) is quoted; "m01" is not."""
    from docgen.authoring.form import scalar
    from docgen.model.files import parse_text_lines

    written = scalar(text)
    data, _lines = parse_text_lines(f"value: {written}\n", "x.yaml")
    assert data["value"] == text
    assert (written == text) == (text == "m01")
