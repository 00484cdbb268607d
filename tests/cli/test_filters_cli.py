"""The filter options of list, search, print and export as typed on the command line: an
unknown --kind, a --from after its --to, a short --year, an empty selection and an unknown
topic are each one clear message, never a silent "0 văn bản" (CliRunner on docgen.cli:main,
a real archive of the example inputs filed in tmp_path)."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docgen.cli import main
from docgen.kinds import KINDS as REGISTRY

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CONFIG = EXAMPLES / "docgen.toml"
KINDS = tuple(REGISTRY)  # every kind of the registry (docgen/kinds/)


@dataclasses.dataclass(frozen=True)
class Filed:
    root: Path
    ids: dict[str, str]  # kind → id (one example of each kind)


def run(root: Path, *args: str, lang: str = "vi", env: dict[str, str | None] | None = None
        ) -> Result:
    return CliRunner().invoke(
        main, ["--lang", lang, "--config", str(CONFIG), "--archive", str(root), *args],
        env={"DOCGEN_USER": "thu-ky", **(env or {})})


@pytest.fixture(scope="module")
def filed(tmp_path_factory: pytest.TempPathFactory) -> Filed:
    root = tmp_path_factory.mktemp("filters") / "archive"
    result = run(root, "new", *(str(EXAMPLES / f"{kind}.yaml") for kind in KINDS))
    assert result.exit_code == 0, result.output
    listed = run(root, "list", "--json")
    assert listed.exit_code == 0, listed.output
    return Filed(root, {doc["kind"]: doc["id"] for doc in json.loads(listed.stdout)})


def _listed(result: Result) -> set[str]:
    assert result.exit_code == 0, result.output
    return {doc["id"] for doc in json.loads(result.stdout)}


def _searched(result: Result) -> set[str]:
    assert result.exit_code == 0, result.output
    return {hit["id"] for hit in json.loads(result.stdout)["hits"]}


# ------------------------------------------------------------------------ --kind
UNKNOWN_KIND = [
    ("list", "--kind", "NQX"),
    ("search", "", "--kind", "NQX"),
    ("print", "--kind", "NQX", "--dry-run"),
    ("export", "--kind", "NQX", "-o", "{tmp}/k.zip"),
]


@pytest.mark.parametrize("args", UNKNOWN_KIND, ids=lambda a: a[0])
def test_an_unknown_kind_is_a_usage_error_naming_the_kinds(filed: Filed, tmp_path: Path,
                                                           args: tuple[str, ...]) -> None:
    typed = [a.format(tmp=tmp_path) for a in args]
    result = run(filed.root, *typed)
    assert result.exit_code == 2, result.output
    assert "không có loại văn bản 'NQX'" in result.stderr
    for kind in KINDS:
        assert kind in result.stderr
    assert "nghi-quyet (NQ)" in result.stderr and "de-cuong-chuyen-de (DC)" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "k.zip").exists()
    english = run(filed.root, *typed, lang="en")
    assert english.exit_code == 2 and "no document kind 'NQX'" in english.stderr


@pytest.mark.parametrize("typed", ["nghi-quyet", "Nghị quyết", "nghi quyet", "nghị quyết hằng tháng"])
def test_a_kind_by_id_symbol_or_name_selects_the_same_documents(filed: Filed, tmp_path: Path,
                                                                typed: str) -> None:
    wanted = {filed.ids["nghi-quyet"]}
    assert _listed(run(filed.root, "list", "--kind", typed, "--json")) == wanted
    assert _searched(run(filed.root, "search", "", "--kind", typed, "--json")) == wanted
    dry = run(filed.root, "print", "--kind", typed, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert [line.split("\t")[0] for line in dry.stdout.splitlines()[1:] if "\t" in line] == [
        filed.ids["nghi-quyet"]]
    bundle = tmp_path / "nq.zip"
    assert run(filed.root, "export", "--kind", typed, "-o", str(bundle)).exit_code == 0
    assert bundle.is_file()


def test_a_symbol_of_several_kinds_names_them(filed: Filed) -> None:
    for symbol in ("BB", "NQ"):  # the minutes' and the resolutions' series are shared
        owners = [k for k, spec in REGISTRY.items() if spec.type_symbol == symbol]
        assert len(owners) > 1
        result = run(filed.root, "list", "--kind", symbol)
        assert result.exit_code == 2
        assert f"'{symbol}' là ký hiệu chung của {len(owners)} loại văn bản: {', '.join(owners)}" in result.stderr
    assert _listed(run(filed.root, "list", "--kind", "KH", "--json")) == {
        filed.ids["ke-hoach-chuyen-de"]}
    assert _listed(run(filed.root, "list", "--kind", "DC", "--json")) == {
        filed.ids["de-cuong-chuyen-de"]}


def test_form_takes_a_vietnamese_kind_name(filed: Filed, tmp_path: Path) -> None:
    out = tmp_path / "nq.yaml"
    result = run(filed.root, "form", "nghị quyết", "-o", str(out), "--no-previous",
                 "--date", "10/4/2026")
    assert result.exit_code == 0, result.output
    assert "kind: nghi-quyet" in out.read_text("utf-8")
    refused = run(filed.root, "form", "NQX", "-o", str(tmp_path / "x.yaml"))
    assert refused.exit_code == 2 and "không có loại văn bản 'NQX'" in refused.stderr
    assert not (tmp_path / "x.yaml").exists()


# ------------------------------------------------------------------ --from / --to
PERIOD = [
    ("list",),
    ("search", ""),
    ("print", "--dry-run"),
    ("export", "-o", "{tmp}/p.zip"),
]


@pytest.mark.parametrize("args", PERIOD, ids=lambda a: a[0])
@pytest.mark.parametrize("order", ["from-first", "to-first"])
def test_a_from_after_the_to_is_a_usage_error_naming_both(filed: Filed, tmp_path: Path,
                                                          args: tuple[str, ...],
                                                          order: str) -> None:
    dates = ["--from", "15/3/2026", "--to", "1/3/2026"]
    if order == "to-first":
        dates = dates[2:] + dates[:2]
    result = run(filed.root, *(a.format(tmp=tmp_path) for a in args), *dates)
    assert result.exit_code == 2, result.output
    assert "--from 15/3/2026" in result.stderr and "--to 1/3/2026" in result.stderr
    assert "ở sau" in result.stderr and not (tmp_path / "p.zip").exists()
    # the same day at both ends is a period of one day
    same = run(filed.root, *(a.format(tmp=tmp_path) for a in args), "--from", "10/3/2026",
               "--to", "10/3/2026")
    assert same.exit_code == 0, same.output


# ------------------------------------------------------------------------ --year
@pytest.mark.parametrize("year", ["26", "hai", "20260", "1800"])
def test_search_year_must_be_four_digits(filed: Filed, year: str) -> None:
    result = run(filed.root, "search", "nghị quyết", "--year", year)
    assert result.exit_code == 2, result.output
    assert f"'{year}' không phải là năm" in result.stderr and "4 chữ số" in result.stderr


def test_search_year_2026_finds_the_documents(filed: Filed) -> None:
    found = _searched(run(filed.root, "search", "", "--year", "2026", "--json", "--limit", "50"))
    assert found == set(filed.ids.values())


@pytest.mark.parametrize("query", ["year:hai", "nghị quyết year:26", "năm:hai"])
def test_a_year_in_a_query_that_is_not_a_year_is_a_search_error(filed: Filed,
                                                                 query: str) -> None:
    result = run(filed.root, "search", query)
    assert result.exit_code == 8, result.output
    typed = query.split()[-1]
    assert f"{typed}: năm phải ghi đủ 4 chữ số" in result.stderr


# --------------------------------------------------------------- nothing matched
def test_export_refuses_an_empty_bundle(filed: Filed, tmp_path: Path) -> None:
    out = tmp_path / "empty.zip"
    result = run(filed.root, "export", "--from", "1/1/2030", "-o", str(out))
    assert result.exit_code == 6, result.output
    assert "không có văn bản nào phù hợp để xuất" in result.stderr
    assert "Cách sửa" in result.stderr and not out.exists()
    english = run(filed.root, "export", "--cell", "Thôn Khác", "-o", str(out), lang="en")
    assert english.exit_code == 6 and "no documents match" in english.stderr
    assert not out.exists()


def test_print_with_nothing_selected_is_exit_6(filed: Filed, tmp_path: Path) -> None:
    result = run(filed.root, "print", "--kind", "nghi-quyet", "--from", "1/1/2030",
                 "-o", str(tmp_path / "b.pdf"))
    assert result.exit_code == 6, result.output
    assert "không có văn bản nào phù hợp để in" in result.stderr
    assert not (tmp_path / "b.pdf").exists()


# ----------------------------------------------------------------------- --topic
@pytest.mark.parametrize(("typed", "close"), [("Vệ sinh", "vsmt"), ("ve sinh moi tr", "vsmt"),
                                              ("an ninh", "antt")])
def test_an_unknown_topic_suggests_the_topics_holding_its_words(filed: Filed, typed: str,
                                                                close: str) -> None:
    result = run(filed.root, "list", "--topic", typed)
    assert result.exit_code == 8, result.output
    assert f"không có chủ đề '{typed}'" in result.stderr
    hint = next(line for line in result.stderr.splitlines() if "Cách sửa" in line)
    assert "gần giống: " in hint
    assert hint.split("gần giống: ", 1)[1].startswith(close)


# ------------------------------------------------------------------------ open
@pytest.mark.parametrize(("program", "reason"), [
    ("/nonexistent/program", "không có tệp hoặc thư mục đó"),
    ("{tmp}/not-executable", "không có quyền truy cập"),
])
def test_open_failure_says_why_in_vietnamese(filed: Filed, tmp_path: Path, program: str,
                                             reason: str) -> None:
    (tmp_path / "not-executable").write_text("#!/bin/sh\n", "utf-8")
    os.chmod(tmp_path / "not-executable", 0o644)
    # (root too: execve refuses a file without any x bit)
    opener = program.format(tmp=tmp_path)
    result = run(filed.root, "open", filed.ids["nghi-quyet"], env={"DOCGEN_OPEN": opener})
    assert result.exit_code == 5, result.output
    assert f"bằng {opener} ({reason})" in result.stderr
    for english in ("No such file", "Permission denied"):
        assert english not in result.stderr
    en = run(filed.root, "open", filed.ids["nghi-quyet"], env={"DOCGEN_OPEN": opener},
             lang="en")
    assert en.exit_code == 5 and f"with {opener} (" in en.stderr
