"""docgen.app: batch filing with the real model and renderer, IndexHook calls."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from docgen import app
from docgen.config import load_settings
from docgen.errors import InputError
from docgen.model.meta import ArchivedDoc

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class RecordingHook:
    def __init__(self) -> None:
        self.calls: list[list[tuple[str, str, int]]] = []

    def documents_changed(self, docs: Sequence[ArchivedDoc]) -> None:
        self.calls.append([(d.id, d.status, d.version) for d in docs])


def _input(tmp_path: Path, name: str, **changes: object) -> Path:
    data = yaml.safe_load((EXAMPLES / "nghi-quyet.yaml").read_text("utf-8"))
    data.update(changes)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def test_bad_inputs_alone_write_nothing_at_all(tmp_path: Path) -> None:
    settings = load_settings({"config_path": EXAMPLES / "docgen.toml",
                              "archive_root": tmp_path / "arch", "user": "tk"}, environ={})
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [a]\n", "utf-8")
    report = app.new_documents(settings, [bad, tmp_path / "missing.yaml"], None, RecordingHook())
    assert [p for p, _ in report.failed] == [bad, tmp_path / "missing.yaml"]
    assert not (tmp_path / "arch").exists()  # no archive folder, lock or catalog


def test_batch_tells_the_index_once_and_goes_past_bad_inputs(tmp_path: Path) -> None:
    settings = load_settings({"config_path": EXAMPLES / "docgen.toml",
                              "archive_root": tmp_path / "arch", "user": "tk"}, environ={})
    hook = RecordingHook()
    missing = tmp_path / "missing.yaml"
    paths = [_input(tmp_path, "a", number=None), missing, _input(tmp_path, "b", number=None)]
    seen: list[Path] = []

    def progress(items: Sequence[Path]) -> list[Path]:
        seen.extend(items)
        return list(items)

    report = app.new_documents(settings, paths, progress, hook)
    assert seen == [paths[0], paths[2]]  # every input is read before the archive is opened
    assert [d.meta.number for d in report.filed] == [1, 2]
    assert [p for p, _ in report.failed] == [missing]
    assert isinstance(report.failed[0][1], InputError)
    assert hook.calls == [[(d.id, "current", 1) for d in report.filed]]
    doc_id = report.filed[0].id
    amended = app.amend_document(settings, doc_id, _input(tmp_path, "c", number=None), hook)
    assert amended.version == 2 and amended.meta.number == 1
    withdrawn = app.withdraw_document(settings, doc_id, "nhầm", hook)
    assert hook.calls[-1] == [(doc_id, "withdrawn", 3)] and withdrawn.created_by == "tk"
    draft = app.new_documents(settings, [_input(tmp_path, "d", number=None, draft=True)])
    final = app.finalize_document(settings, draft.filed[0].id, hook)
    assert final.meta.number == 3 and not final.meta.draft
    assert hook.calls[-1] == [(final.id, "current", 2)]
