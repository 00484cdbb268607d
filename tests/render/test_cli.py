"""docgen render / kinds / schema / templates list through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from docgen.cli import main
from docgen.docxtext import docx_text

from .support import EXAMPLES, KIND_NAMES, example_data, example_path

CONFIG = str(EXAMPLES / "docgen.toml")


def run(*args: str, lang: str = "vi") -> object:
    runner = CliRunner()
    return runner.invoke(main, ["--lang", lang, "--config", CONFIG, *args], env={"DOCGEN_LANG": lang})


def test_render_one_input_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "nq.docx"
    result = run("render", str(example_path("nghi-quyet")), "-o", str(out))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert f"Đã tạo {out}" in result.stdout  # type: ignore[attr-defined]
    assert result.stderr == ""  # type: ignore[attr-defined]
    assert "Số 05-NQ/CB" in docx_text(out)


def test_render_several_inputs_continues_past_a_bad_one(tmp_path: Path) -> None:
    bad = tmp_path / "hong.yaml"
    data = example_data("nghi-quyet")
    data["absent"].append({"member": "m99"})
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    out = tmp_path / "out"
    inputs = [str(example_path(k)) for k in KIND_NAMES]
    result = run("render", inputs[0], str(bad), *inputs[1:], "-o", str(out))
    assert result.exit_code == 10
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{k}.docx" for k in KIND_NAMES)
    assert f"Đã tạo {len(KIND_NAMES)}/{len(KIND_NAMES) + 1} văn bản." in result.stdout  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert str(bad) in err and "absent[3].member" in err and "m99" in err


def test_render_glob_skips_the_profile(tmp_path: Path) -> None:
    inputs = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))
    assert str(EXAMPLES / "profile.yaml") in inputs
    result = run("render", *inputs, "-o", str(tmp_path))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "Bỏ qua profile.yaml" in result.stderr  # type: ignore[attr-defined]
    assert len(list(tmp_path.glob("*.docx"))) == len(KIND_NAMES)


def test_render_single_bad_input_exits_3_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "hong.yaml"
    data = example_data("bien-ban-thuong-ky")
    data["end"] = "18:00"
    data["vote"]["for"] = 30
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    out = tmp_path / "out.docx"
    result = run("render", str(bad), "-o", str(out))
    assert result.exit_code == 3
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["hong.yaml"]
    err = result.stderr  # type: ignore[attr-defined]
    assert "Trường: end" in err and "Trường: vote.for" in err and "Cách sửa" in err
    english = run("render", str(bad), "-o", str(out), lang="en")
    assert "Field: end" in english.stderr and "How to fix" in english.stderr  # type: ignore[attr-defined]


def test_render_prints_warnings_to_stderr(tmp_path: Path) -> None:
    short = tmp_path / "ngan.yaml"
    data = example_data("nghi-quyet")
    data["end"] = "20:30"
    short.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = run("render", str(short), "-o", str(tmp_path / "ngan.docx"))
    assert result.exit_code == 0
    assert "Cảnh báo (ngan.yaml)" in result.stderr and "60 phút" in result.stderr  # type: ignore[attr-defined]


def test_render_markup_and_nfd_via_cli(tmp_path: Path) -> None:
    import unicodedata

    data = example_data("de-cuong-chuyen-de")
    data["questions"] = ["Rác & nước thải < 5 kg? {{ cell }} {% for x in y %}"]
    path = tmp_path / "dc.yaml"
    path.write_text(unicodedata.normalize("NFD", yaml.safe_dump(data, allow_unicode=True)), "utf-8")
    result = run("render", str(path), "-o", str(tmp_path / "dc.docx"))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    text = docx_text(tmp_path / "dc.docx")
    assert "1. Rác & nước thải < 5 kg? {{ cell }} {% for x in y %}" in text
    assert unicodedata.is_normalized("NFC", text)


def test_missing_profile_exits_5(tmp_path: Path) -> None:
    config = tmp_path / "docgen.toml"
    config.write_text('[docgen]\nprofile = "khong-co.yaml"\n', "utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "render", str(example_path("nghi-quyet")),
                                       "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 5 and "docgen init" in result.stderr


def test_kinds_lists_every_kind() -> None:
    result = run("kinds")
    assert result.exit_code == 0
    header, *lines = result.stdout.splitlines()  # type: ignore[attr-defined]
    assert header.split() == ["Loại", "Mô", "tả"]
    assert [line.split()[0] for line in lines] == KIND_NAMES
    assert "Nghị quyết chi bộ hằng tháng" in result.stdout  # type: ignore[attr-defined]
    assert "Monthly cell resolution" in run("kinds", lang="en").stdout  # type: ignore[attr-defined]


def test_schema_prints_json() -> None:
    result = run("schema", "nghi-quyet")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert schema["title"] == "nghi-quyet" and "vote" in schema["properties"]
    assert "Số đồng chí tán thành" in result.stdout  # type: ignore[attr-defined]
    assert run("schema", "to-trinh").exit_code == 2


def test_templates_list_shows_overrides(tmp_path: Path) -> None:
    result = run("templates", "list")
    assert result.exit_code == 0
    header, *rows = [line.split("\t") for line in result.stdout.splitlines()]  # type: ignore[attr-defined]
    assert header == ["Loại", "Tệp mẫu", "Mẫu riêng", "sha256"]
    assert [r[0] for r in rows] == KIND_NAMES and all(r[2] == "không" and len(r[3]) == 12 for r in rows)
    custom = tmp_path / "rieng.docx"
    custom.write_bytes((EXAMPLES.parent / "templates" / "docx" / "nghi-quyet.docx").read_bytes())
    config = tmp_path / "docgen.toml"
    config.write_text(f'[docgen]\nprofile = "{EXAMPLES / "profile.yaml"}"\n[templates]\nnghi-quyet = "rieng.docx"\n',
                      "utf-8")
    result = CliRunner().invoke(main, ["--lang", "en", "--config", str(config), "templates", "list"])
    header, *rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert header == ["Kind", "Template", "Overridden", "sha256"]
    nq = KIND_NAMES.index("nghi-quyet")
    assert rows[nq] == ["nghi-quyet", str(custom), "yes", rows[nq][3]]


@pytest.mark.parametrize("args", [["render"], ["kinds"], ["schema"], ["templates"], ["templates", "list"]])
def test_help(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0
    assert "Cách dùng:" in result.stdout and len(result.stdout.splitlines()) > 3
