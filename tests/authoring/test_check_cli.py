"""docgen templates check (exit 0 clean, 4 on problems) and --help of the authoring commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docgen.cli import main
from docgen.model import KINDS

from .helpers import make_docx

VI = {"DOCGEN_LANG": "vi"}


def check(*args: str) -> Result:
    return CliRunner().invoke(main, ["templates", "check", *args], env=VI)


def showing_required(kind: str) -> list[str]:
    return [f"{{{{ {key} }}}}" for key in sorted(KINDS[kind].required_keys)]


def test_clean_template_for_a_kind_named_by_its_file(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "nghi-quyet.docx", showing_required("nghi-quyet"),
                     header="{{ cell }}")
    result = check(str(path))
    assert result.exit_code == 0, result.output
    assert "(loại nghi-quyet)" in result.output
    assert "Tốt: không có lỗi" in result.output


def test_problems_exit_4_with_a_report(tmp_path: Path) -> None:
    paras = [*showing_required("nghi-quyet"), "{{ ten_chi_bo }}", "Biểu quyết {{ vote.",
             "text }}"]
    path = make_docx(tmp_path / "mau-cua-toi.docx", paras)
    result = check(str(path), "--kind", "nghi-quyet")
    assert result.exit_code == 4
    assert "ten_chi_bo" in result.output
    assert "Biểu quyết {{ vote. ¶ text }}" in result.output
    assert "Traceback" not in result.output


def test_missing_required_field(tmp_path: Path) -> None:
    required = showing_required("de-cuong-chuyen-de")
    path = make_docx(tmp_path / "de-cuong-chuyen-de.docx", required[1:])
    result = check(str(path), "--json")
    assert result.exit_code == 4
    data = json.loads(result.output)
    assert data["kind"] == "de-cuong-chuyen-de" and data["ok"] is False
    missing = [p["context"] for p in data["problems"] if p["code"] == "missing-required"]
    assert missing == [sorted(KINDS["de-cuong-chuyen-de"].required_keys)[0]]


def test_kind_cannot_be_guessed(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "mau.docx", ["{{ cell }}"])
    result = check(str(path))
    assert result.exit_code == 4
    assert "--kind" in result.output
    bad = check(str(path), "--kind", "bien-ban")
    assert bad.exit_code == 4
    assert "bien-ban-thuong-ky" in bad.output


def test_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "nghi-quyet.docx"
    path.write_bytes(b"PK\x03\x04 broken")
    result = check(str(path))
    assert result.exit_code == 4
    assert str(path) in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["init"], ["roster"], ["form"], ["templates", "check"]])
def test_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Cách dùng:" in result.output  # Vietnamese by default, click's words too
    assert len(result.output.splitlines()) > 4


def test_shipped_templates_pass() -> None:
    from docgen.authoring.lint import lint_template
    from docgen.config import DEFAULT_TEMPLATES

    for kind, spec in KINDS.items():
        path = DEFAULT_TEMPLATES / spec.template_name
        report = lint_template(path)
        assert report.kind == kind
        assert report.problems == (), report.problems
        assert spec.required_keys <= report.variables
        result = check(str(path))
        assert result.exit_code == 0, result.output
