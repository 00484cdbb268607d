"""Commands as people use them (issue 10): `list` with a header and the cell, `show` by
number, prefix or id with a Vietnamese summary, one resolver for every command taking an
ID, `render` that does not overwrite, `open` with the system's program, `amend` that
keeps a number, warnings for a date before the committee term.

Real inputs (examples/), a real archive in tmp_path, the real CLI through CliRunner.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from docgen.archive import Archive
from docgen.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CONFIG = EXAMPLES / "docgen.toml"
NQ = EXAMPLES / "nghi-quyet.yaml"


def run(archive: Path, *args: str, lang: str = "vi", config: Path = CONFIG,
        env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(
        main, ["--lang", lang, "--config", str(config), "--archive", str(archive), *args],
        env={"DOCGEN_USER": "thu-ky", **(env or {})})


def filed(result: Result) -> str:
    """The id a `new`/`amend` printed ("Đã lưu <id> …")."""
    assert result.exit_code == 0, result.output
    return result.stdout.split()[2]


def variant(tmp_path: Path, name: str, source: Path = NQ, **changes: Any) -> Path:
    data = yaml.safe_load(source.read_text("utf-8"))
    data.update(changes)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def cell_config(tmp_path: Path, folder: str, cell: str | None = None,
                term_start: str | None = None) -> Path:
    """A docgen.toml beside a copy of the example profile, with another cell name or
    committee term."""
    where = tmp_path / folder
    where.mkdir()
    profile = (EXAMPLES / "profile.yaml").read_text("utf-8")
    if cell is not None:
        profile = profile.replace("name: CHI BỘ THÔN AN THÀNH", f"name: {cell}")
    if term_start is not None:
        profile = profile.replace("term_start: 2025-08-20", f"term_start: {term_start}")
    (where / "profile.yaml").write_text(profile, "utf-8")
    (where / "docgen.toml").write_text(CONFIG.read_text("utf-8"), "utf-8")
    return where / "docgen.toml"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return tmp_path / "arch"


# -------------------------------------------------------------------------- list


def test_list_has_a_header_the_cell_and_vietnamese_dates(archive: Path, tmp_path: Path) -> None:
    nq = filed(run(archive, "new", str(NQ)))
    draft = filed(run(archive, "new", str(variant(tmp_path, "d", number=None, draft=True,
                                                   date="2026-04-02"))))
    header, *rows = run(archive, "list").stdout.splitlines()
    assert header.split() == ["Số", "Ngày", "Loại", "Chi", "bộ", "Mã", "Trích", "yếu"]
    assert rows[0].split()[:3] == ["DỰ", "THẢO", "2/4/2026"] and draft in rows[0]
    assert rows[1].split()[:3] == ["05-NQ/CB", "10/3/2026", "nghi-quyet"] and nq in rows[1]
    assert all("CHI BỘ THÔN AN THÀNH" in row for row in rows)
    # the columns line up under the header
    assert {row.index(nq) for row in rows if nq in row} == {header.index("Mã")}
    english = run(archive, "list", lang="en").stdout.splitlines()
    assert english[0].split() == ["Number", "Date", "Kind", "Cell", "ID", "Title"]
    assert english[1].split()[0] == "DRAFT"
    # day-first dates in the options (the shared DATE type)
    march = run(archive, "list", "--from", "1/3/2026", "--to", "31.3.2026").stdout
    assert nq in march and draft not in march
    impossible = run(archive, "list", "--from", "30/02/2026")
    assert impossible.exit_code == 2 and "30/02/2026" in impossible.output


def test_an_empty_list_prints_no_header(archive: Path) -> None:
    result = run(archive, "list")
    assert result.exit_code == 0 and result.stdout == ""


# -------------------------------------------------------------------------- show


def test_show_by_number_prefix_or_id_prints_a_vietnamese_summary(archive: Path) -> None:
    doc_id = filed(run(archive, "new", str(NQ)))
    by_id = run(archive, "show", doc_id)
    assert by_id.exit_code == 0, by_id.output
    for ref in ("05-NQ/CB", "5-nq/cb", "05-NQ", "Số 05-NQ/CB", "5", doc_id[:4],
                doc_id[:6].upper()):
        again = run(archive, "show", ref)
        assert again.exit_code == 0, (ref, again.output)
        assert again.stdout == by_id.stdout, ref
    text = by_id.stdout
    assert text.splitlines()[0] == "Nghị quyết (nghi-quyet)"
    fields = dict(re.findall(r"^  ([^:\n]+):\s+(.*)$", text, re.M))
    assert fields["Số"] == "05-NQ/CB" and fields["Ngày"] == "10/3/2026"
    assert fields["Chi bộ"] == "CHI BỘ THÔN AN THÀNH (ĐẢNG BỘ XÃ QUANG KIM)"
    assert fields["Trích yếu"].startswith("NGHỊ QUYẾT")
    assert fields["Tình trạng"] == "hiện hành (phiên bản 1)" and fields["Mã"] == doc_id
    assert fields["Chủ đề"].startswith("vsmt — Vệ sinh môi trường")
    assert fields["Lưu lúc"].endswith(", thu-ky")
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", text)  # no ISO timestamps
    assert "Tệp:" in text and "Các phiên bản:" in text
    assert re.search(r"^  Phiên bản\s+Sự kiện\s+Tình trạng\s+Lưu lúc\s+Người lưu\s+Thư mục$",
                     text, re.M)
    english = run(archive, "show", "05-NQ/CB", lang="en").stdout
    assert english.startswith("Resolution (nghi-quyet)")
    assert "  Status:  current (version 1)" in english and "Versions:" in english


def test_show_marks_versions_current_superseded_and_withdrawn(archive: Path,
                                                              tmp_path: Path) -> None:
    doc_id = filed(run(archive, "new", str(NQ)))
    amended = run(archive, "amend", "05-NQ/CB", str(variant(tmp_path, "b", summary="về vệ "
                                                                "sinh môi trường")))
    assert amended.exit_code == 0, amended.output
    versions = _versions(run(archive, "show", doc_id).stdout)
    assert versions == [["v1", "lập mới", "đã thay thế"], ["v2", "sửa", "hiện hành"]]
    assert run(archive, "withdraw", doc_id[:5], "--reason", "ban hành nhầm").exit_code == 0
    shown = run(archive, "show", "05-NQ/CB")  # withdrawn documents are still found
    assert shown.exit_code == 0, shown.output
    assert _versions(shown.stdout) == [["v1", "lập mới", "đã thay thế"],
                                       ["v2", "sửa", "đã thay thế"],
                                       ["v3", "thu hồi", "đã thu hồi"]]
    assert "  Tình trạng:  đã thu hồi (phiên bản 3) — lý do: ban hành nhầm" in shown.stdout
    en = run(archive, "show", doc_id, lang="en").stdout
    assert [row[2] for row in _versions(en)] == ["superseded", "superseded", "withdrawn"]


def _versions(text: str) -> list[list[str]]:
    """(version, event, status) of each row of show's versions table."""
    return [list(row) for row in re.findall(r"^  (v\d+)\s{2,}(.+?)\s{2,}(.+?)\s{2,}", text,
                                            re.M)]


# ---------------------------------------------------------------- the one resolver


def test_a_number_two_cells_share_lists_them_and_cell_picks_one(archive: Path,
                                                               tmp_path: Path) -> None:
    ours = filed(run(archive, "new", str(NQ)))
    other_cell = cell_config(tmp_path, "binh-an", cell="CHI BỘ THÔN BÌNH AN")
    theirs = filed(run(archive, "new", str(NQ), config=other_cell))
    both = run(archive, "show", "05-NQ/CB")
    assert both.exit_code == 6 and "Traceback" not in both.output
    assert "số 05-NQ/CB ứng với 2 văn bản" in both.stderr
    assert ours in both.stderr and theirs in both.stderr and "CHI BỘ THÔN BÌNH AN" in both.stderr
    assert "--cell" in both.stderr and "10/3/2026" in both.stderr
    picked = run(archive, "show", "05-NQ/CB", "--cell", "binh an")
    assert picked.exit_code == 0 and f"Mã:          {theirs}" in picked.stdout
    path = run(archive, "path", "05-NQ/CB", "--cell", "An Thành")
    assert path.exit_code == 0 and ours in path.stdout
    nowhere = run(archive, "show", "05-NQ/CB", "--cell", "Hòa Bình", lang="en")
    assert nowhere.exit_code == 6 and "no document numbered 05-NQ/CB of the cell" in nowhere.stderr
    english = run(archive, "path", "5", lang="en")
    assert english.exit_code == 6 and "the number 5 matches 2 documents" in english.stderr


def test_an_ambiguous_prefix_lists_the_candidates(archive: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    ids = iter(["abcd000001", "abcd000002", "ffff000003"])
    monkeypatch.setattr("docgen.archive.batch.new_id", lambda: next(ids))
    first = filed(run(archive, "new", str(variant(tmp_path, "a", number=None))))
    second = filed(run(archive, "new", str(variant(tmp_path, "b", number=None))))
    assert (first, second) == ("abcd000001", "abcd000002")
    result = run(archive, "show", "abcd")
    assert result.exit_code == 6
    assert "mã rút gọn abcd ứng với 2 văn bản" in result.stderr
    assert "abcd000001  01-NQ/CB  10/3/2026" in result.stderr
    assert "abcd000002  02-NQ/CB  10/3/2026" in result.stderr
    assert run(archive, "show", "abcd0000").exit_code == 6
    assert run(archive, "show", "abcd000002").exit_code == 0
    short = run(archive, "show", "abc")
    assert short.exit_code == 6 and "quá ngắn" in short.stderr
    unknown = run(archive, "show", "beef01", lang="en")
    assert unknown.exit_code == 6 and "no document with id beef01" in unknown.stderr


def test_every_command_taking_an_id_resolves_numbers_and_prefixes(archive: Path,
                                                                 tmp_path: Path) -> None:
    doc_id = filed(run(archive, "new", str(NQ)))
    draft = filed(run(archive, "new", str(variant(tmp_path, "d", number=None, draft=True))))
    path = run(archive, "path", "05-nq/cb")
    assert path.exit_code == 0 and Path(path.stdout.strip()).is_file() and doc_id in path.stdout
    amended = run(archive, "amend", "05-NQ/CB", str(variant(tmp_path, "b", summary="sửa lại")))
    assert amended.exit_code == 0 and doc_id in amended.stdout, amended.output
    final = run(archive, "finalize", draft[:6])
    assert final.exit_code == 0, final.output
    assert Archive(archive).get(draft).meta.number_text == "06-NQ/CB"
    withdrawn = run(archive, "withdraw", "06-NQ/CB", "--reason", "trùng")
    assert withdrawn.exit_code == 0 and draft in withdrawn.stdout
    assert Archive(archive).get(draft).status == "withdrawn"
    assert run(archive, "finalize", "05-NQ/CB").exit_code == 6  # not a draft


def test_similar_takes_a_number_or_a_prefix_as_every_command_does(archive: Path,
                                                                  tmp_path: Path) -> None:
    doc_id = filed(run(archive, "new", str(NQ)))
    filed(run(archive, "new", str(variant(tmp_path, "b", number=6, summary="vệ sinh"))))
    by_id = run(archive, "similar", doc_id, "--json")
    assert by_id.exit_code == 0, by_id.output
    for ref in ("05-NQ/CB", "5-nq/cb", doc_id[:6]):
        again = run(archive, "similar", ref, "--json")
        assert again.exit_code == 0, (ref, again.output)
        assert json.loads(again.stdout) == json.loads(by_id.stdout), ref
    assert doc_id not in {hit["id"] for hit in json.loads(by_id.stdout)["hits"]}
    unknown = run(archive, "similar", "09-NQ/CB")
    assert unknown.exit_code == 6 and "không có văn bản số 09-NQ/CB" in unknown.stderr
    assert "--cell" in run(archive, "similar", "--help").stdout


# ------------------------------------------------------- list and export: the one filter


def _three_cells(archive: Path, tmp_path: Path) -> dict[str, str]:
    """An An Thành, a Nà Lừa (the old name of Tân Hợp) and a Bình An document, with the
    archive's aliases.yaml saying so."""
    ids = {"an": filed(run(archive, "new", str(NQ)))}
    old = cell_config(tmp_path, "na-lua", cell="CHI BỘ THÔN NÀ LỪA")
    ids["old"] = filed(run(archive, "new", str(NQ), config=old))
    other = cell_config(tmp_path, "binh-an", cell="CHI BỘ THÔN BÌNH AN")
    ids["other"] = filed(run(archive, "new", str(NQ), config=other))
    (archive / "aliases.yaml").write_text("Thôn Tân Hợp: [Thôn Nà Lừa]\n", "utf-8")
    return ids


def _listed(archive: Path, *args: str) -> set[str]:
    result = run(archive, "list", "--json", *args)
    assert result.exit_code == 0, result.output
    return {row["id"] for row in json.loads(result.stdout)}


def test_list_follows_the_alias_list_and_the_one_cell_rule(archive: Path,
                                                           tmp_path: Path) -> None:
    ids = _three_cells(archive, tmp_path)
    assert _listed(archive, "--cell", "Tân Hợp") == {ids["old"]}  # its old name
    assert _listed(archive, "--cell", "tan hop") == {ids["old"]}
    assert _listed(archive, "--cell", "Chi bộ thôn Tân Hợp") == {ids["old"]}
    assert _listed(archive, "--cell", "na lua") == {ids["old"]}
    assert _listed(archive, "--cell", "an thanh") == {ids["an"]}
    assert _listed(archive, "--cell", "an") == {ids["an"], ids["other"]}  # whole words
    assert _listed(archive, "--cell", "thanh an") == set()  # in a row
    assert _listed(archive, "--topic", "VSMT", "--cell", "tân hợp") == {ids["old"]}
    table = run(archive, "list", "--cell", "Tân Hợp")
    assert table.exit_code == 0 and "CHI BỘ THÔN NÀ LỪA" in table.stdout
    bad = run(archive, "list", "--topic", "vệ sinh môi trườngg")
    assert bad.exit_code != 0 and "Traceback" not in bad.output and "vsmt" in bad.stderr


def test_export_follows_the_alias_list_and_takes_every_version(archive: Path,
                                                               tmp_path: Path) -> None:
    ids = _three_cells(archive, tmp_path)
    amended = run(archive, "amend", ids["old"], str(variant(tmp_path, "b", summary="sửa")),
                  config=tmp_path / "na-lua" / "docgen.toml")
    assert amended.exit_code == 0, amended.output
    assert run(archive, "withdraw", ids["old"], "--reason", "thử").exit_code == 0
    bundle = tmp_path / "tan-hop.zip"
    result = run(archive, "export", "--cell", "tan hop", "-o", str(bundle))
    assert result.exit_code == 0, result.output
    target = tmp_path / "commune"
    imported = run(target, "import-bundle", str(bundle))
    assert imported.exit_code == 0, imported.output
    assert "Đã nhập 3 phiên bản" in imported.stdout  # new, amend, withdraw
    assert {d.id for d in Archive(target).list(include_withdrawn=True)} == {ids["old"]}
    both = tmp_path / "an.zip"
    assert run(archive, "export", "--cell", "an", "-o", str(both)).exit_code == 0
    mixed = tmp_path / "mixed"
    assert run(mixed, "import-bundle", str(both)).exit_code == 0
    assert {d.id for d in Archive(mixed).list()} == {ids["an"], ids["other"]}


# ------------------------------------------------------------------------- amend


def test_amend_of_a_numbered_document_into_a_draft_is_refused(archive: Path,
                                                              tmp_path: Path) -> None:
    doc_id = filed(run(archive, "new", str(NQ)))
    result = run(archive, "amend", doc_id, str(variant(tmp_path, "d", draft=True)))
    assert result.exit_code == 6 and "Traceback" not in result.output
    err = result.stderr
    assert f"văn bản {doc_id} đã có số 05-NQ/CB" in err and "draft: true" in err
    assert "Cách sửa: bỏ dòng draft: true" in err and f"docgen withdraw {doc_id}" in err
    assert [d.version for d in Archive(archive).history(doc_id)] == [1]
    english = run(archive, "amend", doc_id, str(variant(tmp_path, "d", draft=True)), lang="en")
    assert "cannot be a draft" in english.stderr


def test_amend_prints_the_inputs_warnings(archive: Path, tmp_path: Path) -> None:
    doc_id = filed(run(archive, "new", str(NQ)))
    short = variant(tmp_path, "ngan", end="20:30")
    result = run(archive, "amend", doc_id, str(short))
    assert result.exit_code == 0, result.output
    assert f"Cảnh báo ({short.name}):" in result.stderr and "60 phút" in result.stderr


def test_filing_before_the_committee_term_warns_new_amend_and_import(tmp_path: Path) -> None:
    later = cell_config(tmp_path, "later", term_start="2026-06-01")
    source = tmp_path / "cell"
    new = run(source, "new", str(NQ), config=later)
    doc_id = filed(new)
    # DocumentInput's warning (docgen.model), printed by the filing commands
    assert "nhiệm kỳ" in new.stderr and "1/6/2026" in new.stderr
    amended = run(source, "amend", doc_id, str(variant(tmp_path, "b", summary="sửa")),
                  config=later)
    assert amended.exit_code == 0 and "nhiệm kỳ" in amended.stderr and "1/6/2026" in amended.stderr
    bundle = tmp_path / "cell.zip"
    assert run(source, "export", "-o", str(bundle), config=later).exit_code == 0
    imported = run(tmp_path / "commune", "import-bundle", str(bundle))
    assert imported.exit_code == 0, imported.output
    assert (f"văn bản {doc_id} (số 05-NQ/CB) ghi ngày 10/3/2026, trước ngày bắt đầu nhiệm kỳ "
            "1/6/2026") in imported.stderr
    assert imported.stderr.count(doc_id) == 1  # once per document, not per version
    quiet = run(tmp_path / "other", "new", str(NQ))  # the example's term began 20/8/2025
    assert quiet.exit_code == 0 and "nhiệm kỳ" not in quiet.stderr


# ------------------------------------------------------------------------ verify


def test_verify_problems_have_a_header_and_exit_7(archive: Path) -> None:
    doc_id = filed(run(archive, "new", str(NQ)))
    sound = run(archive, "verify")
    assert sound.exit_code == 0 and "[Mức]" not in sound.stdout
    docx = Path(run(archive, "path", doc_id).stdout.strip())
    docx.write_bytes(docx.read_bytes() + b"x")
    bad = run(archive, "verify")
    assert bad.exit_code == 7
    assert bad.stdout.splitlines()[0] == "[Mức] Văn bản, đường dẫn: vấn đề"
    assert "[lỗi] " + doc_id in bad.stdout
    assert "kho lưu trữ có 1 lỗi toàn vẹn" in bad.stderr and "Cách sửa" in bad.stderr
    as_json = run(archive, "verify", "--json")
    assert as_json.exit_code == 7 and json.loads(as_json.stdout)["ok"] is False


# ------------------------------------------------------------------------ render


def test_render_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "nq.docx"
    out.write_bytes(b"my own edits")
    refused = run(tmp_path / "a", "render", str(NQ), "-o", str(out))
    assert refused.exit_code == 3 and "Traceback" not in refused.output
    assert f"tệp {out} đã có, không ghi đè" in refused.stderr and "--force" in refused.stderr
    assert out.read_bytes() == b"my own edits"
    forced = run(tmp_path / "a", "render", str(NQ), "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert out.read_bytes().startswith(b"PK")
    beside = variant(tmp_path, "thang3")  # no -o: beside the input
    assert run(tmp_path / "a", "render", str(beside)).exit_code == 0
    again = run(tmp_path / "a", "render", str(beside), lang="en")
    assert again.exit_code == 3 and f"{beside.with_suffix('.docx')} already exists" in again.stderr


def test_render_into_a_folder_refuses_each_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    kept = out / "nghi-quyet.docx"
    kept.write_bytes(b"edited by hand")
    inputs = [str(EXAMPLES / f"{k}.yaml") for k in ("bien-ban-thuong-ky", "nghi-quyet",
                                                     "ke-hoach-chuyen-de")]
    result = run(tmp_path / "a", "render", *inputs, "-o", str(out))
    assert result.exit_code == 10, result.output
    assert "Đã tạo 2/3 văn bản." in result.stdout
    assert f"✗ {EXAMPLES / 'nghi-quyet.yaml'}" in result.stderr
    assert f"tệp {kept} đã có, không ghi đè" in result.stderr
    assert kept.read_bytes() == b"edited by hand"
    assert sorted(p.name for p in out.iterdir()) == ["bien-ban-thuong-ky.docx",
                                                      "ke-hoach-chuyen-de.docx", "nghi-quyet.docx"]
    forced = run(tmp_path / "a", "render", *inputs, "-o", str(out), "--force")
    assert forced.exit_code == 0 and "Đã tạo 3/3 văn bản." in forced.stdout
    assert kept.read_bytes().startswith(b"PK")


# -------------------------------------------------------------------------- open


def _recorder(folder: Path, name: str = "opener", exit_code: int = 0) -> tuple[Path, Path]:
    """A small program that writes the path it is given into a file: (program, file)."""
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / f"{name}.txt"
    script = folder / name
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{record}"\n'
                      f'echo "cannot show it" >&2\nexit {exit_code}\n', "utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, record


@pytest.fixture
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder, for this test (tempfile.gettempdir())."""
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _open_folder(system_temp: Path) -> Path:
    return system_temp / ("docgen-open" if os.name == "nt" else f"docgen-open-{os.getuid()}")


def test_open_hands_a_read_only_copy_to_the_program_in_docgen_open(
        archive: Path, tmp_path: Path, system_temp: Path) -> None:
    doc_id = filed(run(archive, "new", str(NQ)))
    docx = Archive(archive).get(doc_id).docx_path
    program, record = _recorder(tmp_path / "bin")
    result = run(archive, "open", "05-NQ/CB", env={"DOCGEN_OPEN": str(program)})
    assert result.exit_code == 0, result.output
    copy = _open_folder(system_temp) / "NQ-05-2026-03-10-an-thanh.docx"
    assert record.read_text("utf-8").splitlines() == [str(copy.resolve())]
    assert result.stdout.strip() == str(copy)
    assert archive.resolve() not in copy.resolve().parents  # never the archived file
    assert copy.read_bytes() == docx.read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o444  # Word opens it read-only
    if os.name != "nt":
        assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700  # the user's own
    assert f"bản sao chỉ đọc {copy}" in result.stderr
    assert f"docgen amend {doc_id}" in result.stderr
    english = run(archive, "open", doc_id, lang="en", env={"DOCGEN_OPEN": str(program)})
    assert english.exit_code == 0 and english.stdout.strip() == str(copy)  # reused
    assert "read-only copy" in english.stderr and "docgen amend" in english.stderr
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]
    assert run(archive, "verify").exit_code == 0  # the archive is untouched


def test_open_never_replaces_an_edited_copy_and_names_later_versions(
        archive: Path, tmp_path: Path, system_temp: Path) -> None:
    doc_id = filed(run(archive, "new", str(NQ)))
    program, _ = _recorder(tmp_path / "bin")
    env: dict[str, str | None] = {"DOCGEN_OPEN": str(program)}
    copy = Path(run(archive, "open", doc_id, env=env).stdout.strip())
    copy.chmod(0o644)
    copy.write_bytes(b"edited in Word after all")
    again = run(archive, "open", doc_id, env=env)
    assert again.exit_code == 0, again.output
    second = copy.with_name("NQ-05-2026-03-10-an-thanh-2.docx")
    assert again.stdout.strip() == str(second)
    assert f"{copy.name} đã có (nội dung khác, không ghi đè)" in again.stderr
    assert copy.read_bytes() == b"edited in Word after all"
    assert second.read_bytes() == Archive(archive).get(doc_id).docx_path.read_bytes()
    amended = run(archive, "amend", doc_id, str(variant(tmp_path, "b", summary="về vệ sinh")))
    assert amended.exit_code == 0, amended.output
    later = run(archive, "open", doc_id, env=env)
    assert later.exit_code == 0, later.output
    assert Path(later.stdout.strip()).name == "NQ-05-2026-03-10-an-thanh-v2.docx"
    assert Path(later.stdout.strip()).read_bytes() == \
        Archive(archive).get(doc_id).docx_path.read_bytes()


@pytest.mark.skipif(os.name == "nt", reason="the shared /tmp of POSIX systems")
def test_open_never_uses_a_folder_that_is_not_the_users_own(tmp_path: Path,
                                                           system_temp: Path) -> None:
    from docgen.app import open_folder

    elsewhere = tmp_path / "someone-elses"
    elsewhere.mkdir()
    _open_folder(system_temp).symlink_to(elsewhere)
    folder = open_folder()
    assert folder.parent == system_temp and folder.name.startswith("docgen-open-")
    assert not folder.is_symlink() and folder != _open_folder(system_temp)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_open_uses_xdg_open_from_path_on_linux(archive: Path, tmp_path: Path,
                                               system_temp: Path) -> None:
    if sys.platform != "linux":
        pytest.skip("xdg-open is the Linux opener")
    doc_id = filed(run(archive, "new", str(NQ)))
    bin_dir = tmp_path / "bin"
    _, record = _recorder(bin_dir, "xdg-open")
    env = {"DOCGEN_OPEN": None, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = run(archive, "open", doc_id[:6], env=env)
    assert result.exit_code == 0, result.output
    assert record.read_text("utf-8").splitlines() == [
        str((_open_folder(system_temp) / "NQ-05-2026-03-10-an-thanh.docx").resolve())]


def test_open_without_a_program_or_with_a_failing_one_is_exit_5(
        archive: Path, tmp_path: Path, system_temp: Path) -> None:
    if sys.platform != "linux":
        pytest.skip("the Linux opener is looked for on PATH")
    doc_id = filed(run(archive, "new", str(NQ)))
    empty = tmp_path / "empty"
    empty.mkdir()
    none = run(archive, "open", doc_id, env={"DOCGEN_OPEN": None, "PATH": str(empty)})
    assert none.exit_code == 5 and "Traceback" not in none.output
    assert "xdg-open" in none.stderr and "DOCGEN_OPEN" in none.stderr
    assert not _open_folder(system_temp).exists()  # said before any copy is made
    failing, record = _recorder(tmp_path / "bin", exit_code=3)
    failed = run(archive, "open", doc_id, lang="en", env={"DOCGEN_OPEN": str(failing)})
    assert failed.exit_code == 5 and record.exists()
    assert "exit status 3: cannot show it" in failed.stderr
    assert "NQ-05-2026-03-10-an-thanh.docx" in failed.stderr  # the copy it tried
    missing = run(archive, "open", doc_id, env={"DOCGEN_OPEN": str(tmp_path / "nope")})
    assert missing.exit_code == 5 and "nope" in missing.stderr
    unknown = run(archive, "open", "09-NQ/CB", env={"DOCGEN_OPEN": str(failing)})
    assert unknown.exit_code == 6


# -------------------------------------------------------------------- start-up


def test_the_command_modules_import_nothing_heavy_at_start() -> None:
    code = ("import sys\n"
            "import docgen.cli.archive_cmds, docgen.cli.render_cmds, docgen.cli.print_cmds\n"
            "heavy = ('docgen.app', 'docgen.archive', 'docgen.printing', 'docgen.render',\n"
            "         'docgen.model', 'docgen.search', 'jsonschema', 'docx', 'docxtpl',\n"
            "         'whoosh', 'pypdf')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy\n"
            "             or any(m == h or m.startswith(h + '.') for h in heavy)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO).stdout
    assert out.strip() == "[]"


def test_print_orders_match_the_library() -> None:
    from docgen.cli.print_cmds import ORDERS
    from docgen.printing.batch import ORDERS as LIBRARY

    assert ORDERS == LIBRARY
