"""CLI tests of the archive commands with click's CliRunner (real model and renderer)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from docgen.archive import Archive
from docgen.cli import main
from docgen.cli.archive_cmds import COMMANDS

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CONFIG = EXAMPLES / "docgen.toml"


def run(archive: Path, *args: str, lang: str = "en") -> Result:
    return CliRunner().invoke(
        main, ["--lang", lang, "--config", str(CONFIG), "--archive", str(archive), *args],
        env={"DOCGEN_USER": "thu-ky"})


def variant(tmp_path: Path, name: str, **changes: Any) -> Path:
    data = yaml.safe_load((EXAMPLES / "nghi-quyet.yaml").read_text("utf-8"))
    data.update(changes)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def filed_ids(archive: Path) -> list[str]:
    return [d.id for d in Archive(archive).list(include_withdrawn=True)]


def new_id(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout.split()[1]


@pytest.mark.parametrize("command", [c.name for c in COMMANDS])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_help_of_every_command(command: str, lang: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"], env={"DOCGEN_LANG": lang})
    assert result.exit_code == 0
    assert ("Cách dùng" if lang == "vi" else "Usage") in result.stdout
    assert len(result.stdout.splitlines()) > 3


def test_new_files_the_example_and_list_shows_it(tmp_path: Path) -> None:
    archive = tmp_path / "arch"
    doc_id = new_id(run(archive, "new", str(EXAMPLES / "nghi-quyet.yaml")))
    listed = run(archive, "list", "--json")
    assert listed.exit_code == 0
    rows = json.loads(listed.stdout)
    assert [r["id"] for r in rows] == [doc_id]
    assert rows[0]["number_text"] == "05-NQ/CB" and rows[0]["created_by"] == "thu-ky"
    table = run(archive, "list", "--kind", "nghi-quyet", "--topic", "vsmt", "--from",
                "2026-01-01", "--to", "2026-12-31", "--number", "5")
    assert doc_id in table.stdout
    assert run(archive, "list", "--kind", "de-cuong-chuyen-de").stdout == ""
    path = run(archive, "path", doc_id)
    assert path.exit_code == 0 and Path(path.stdout.strip()).is_file()
    shown = run(archive, "show", doc_id)
    assert shown.exit_code == 0 and "05-NQ/CB" in shown.stdout and "Versions:" in shown.stdout
    assert json.loads(run(archive, "show", "--json", doc_id).stdout)["id"] == doc_id
    assert run(archive, "verify").exit_code == 0


def test_new_taken_number_exit_6_names_the_holder(tmp_path: Path) -> None:
    archive = tmp_path / "arch"
    doc_id = new_id(run(archive, "new", str(EXAMPLES / "nghi-quyet.yaml")))
    again = run(archive, "new", str(EXAMPLES / "nghi-quyet.yaml"))
    assert again.exit_code == 6 and doc_id in again.stderr and "Traceback" not in again.output


def test_new_batch_continues_past_bad_inputs(tmp_path: Path) -> None:
    archive = tmp_path / "arch"
    bad = tmp_path / "bad.yaml"
    bad.write_bytes("kind: nghi-quyet\nsummary: Đảng\n".encode("utf-16"))
    good = [variant(tmp_path, f"g{i}", number=None) for i in range(2)]
    result = run(archive, "new", str(good[0]), str(bad), str(good[1]))
    assert result.exit_code == 10, result.output
    assert str(bad) in result.stderr
    numbers = sorted(d.meta.number or 0 for d in Archive(archive).list())
    assert numbers == [1, 2]


def test_new_single_bad_input_exit_3_nothing_written(tmp_path: Path) -> None:
    archive = tmp_path / "arch"
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"kind: nghi-quyet\ntitle: \xff\xfe\n")
    result = run(archive, "new", str(bad))
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert filed_ids(archive) == []


def test_amend_finalize_withdraw(tmp_path: Path) -> None:
    archive = tmp_path / "arch"
    doc_id = new_id(run(archive, "new", str(variant(tmp_path, "a", number=None))))
    amended = run(archive, "amend", doc_id, str(variant(tmp_path, "b", number=None,
                                                        summary="về công tác vệ sinh môi trường")))
    assert amended.exit_code == 0 and "version 2" in amended.stdout
    history = Archive(archive).history(doc_id)
    assert [d.version for d in history] == [1, 2]
    assert history[0].meta.number == history[1].meta.number == 1
    draft_id = new_id(run(archive, "new", str(variant(tmp_path, "d", number=None, draft=True))))
    assert Archive(archive).get(draft_id).meta.number is None
    final = run(archive, "finalize", draft_id)
    assert final.exit_code == 0, final.output
    assert Archive(archive).get(draft_id).meta.number == 2
    assert run(archive, "finalize", doc_id).exit_code == 6
    withdrawn = run(archive, "withdraw", doc_id, "--reason", "ban hành nhầm")
    assert withdrawn.exit_code == 0
    assert doc_id not in run(archive, "list").stdout
    assert doc_id in run(archive, "list", "--all").stdout
    assert run(archive, "withdraw", draft_id).exit_code == 2  # --reason is required
    assert run(archive, "verify").exit_code == 0


@pytest.mark.parametrize("bad", ["../../etc", "a/b", "ABC$", "x" * 50])
def test_bad_ids_exit_6(tmp_path: Path, bad: str) -> None:
    for command in (["show", bad], ["path", bad], ["withdraw", bad, "--reason", "x"],
                    ["finalize", bad]):
        result = run(tmp_path / "arch", *command)
        assert result.exit_code == 6, (command, result.output)
        assert "invalid document id" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "arch").exists()


def test_unknown_id_exit_6_in_vietnamese(tmp_path: Path) -> None:
    result = run(tmp_path / "arch", "show", "abcdef1234", lang="vi")
    assert result.exit_code == 6 and "không có văn bản" in result.stderr


def test_verify_tampering_exit_7_and_gc(tmp_path: Path) -> None:
    archive = tmp_path / "arch"
    doc_id = new_id(run(archive, "new", str(EXAMPLES / "nghi-quyet.yaml")))
    docx = Path(run(archive, "path", doc_id).stdout.strip())
    (archive / ".tmp" / "deadbeef").mkdir(parents=True)
    ok = run(archive, "verify")
    assert ok.exit_code == 0 and "stray" in ok.stdout
    assert run(archive, "gc").exit_code == 0
    assert not (archive / ".tmp" / "deadbeef").exists()
    docx.write_bytes(docx.read_bytes() + b"x")
    bad = run(archive, "verify")
    assert bad.exit_code == 7 and doc_id in bad.stdout and "sha256" in bad.stdout
    as_json = json.loads(run(archive, "verify", "--json").stdout)
    assert as_json["ok"] is False and as_json["problems"][0]["id"] == doc_id


def test_export_and_import_bundle(tmp_path: Path) -> None:
    source = tmp_path / "cell"
    doc_id = new_id(run(source, "new", str(EXAMPLES / "nghi-quyet.yaml")))
    bundle = tmp_path / "cell.zip"
    assert run(source, "export", "--kind", "nghi-quyet", "-o", str(bundle)).exit_code == 0
    target = tmp_path / "commune"
    first = run(target, "import-bundle", str(bundle))
    assert first.exit_code == 0 and "Imported 1" in first.stdout
    second = run(target, "import-bundle", str(bundle))
    assert second.exit_code == 0 and "Imported 0" in second.stdout
    assert filed_ids(target) == [doc_id]
    other = tmp_path / "other"
    new_id(run(other, "new", str(EXAMPLES / "nghi-quyet.yaml")))
    conflict = run(other, "import-bundle", str(bundle))
    assert conflict.exit_code == 10 and "conflict" in conflict.stdout
    junk = tmp_path / "junk.zip"
    junk.write_text("not a bundle")
    refused = run(target, "import-bundle", str(junk))
    assert refused.exit_code == 6 and "not a valid docgen bundle" in refused.stderr


def test_new_feeds_the_search_index_and_verify_checks_it(tmp_path: Path) -> None:
    archive = tmp_path / "arch"
    doc_id = new_id(run(archive, "new", str(EXAMPLES / "nghi-quyet.yaml")))
    assert (archive / ".docgen" / "index").is_dir()
    assert run(archive, "verify").exit_code == 0
    Archive(archive).withdraw(doc_id, "bypassing the index hook", "test")
    # the index follows the archive's change sequence: the next command catches it up
    found = run(archive, "search", "nghị quyết", "--json")
    assert found.exit_code == 0 and doc_id not in found.stdout
    assert run(archive, "verify").exit_code == 0
    assert run(archive, "withdraw", doc_id, "--reason", "again").exit_code == 6
    shutil.rmtree(archive / ".docgen" / "index")  # a deleted index folder is reported
    missing = run(archive, "verify")
    assert missing.exit_code == 7 and "no usable search index" in missing.stdout
