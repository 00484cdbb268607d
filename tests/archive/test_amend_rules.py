"""An amendment is the same document: `docgen amend` keeps its kind, number and cell.

An input of another kind, number or cell is refused (exit 6) and nothing is written; an
input without a number gets the filed one; the numbering registry never moves. `verify`
reports an archive an older docgen left with versions that disagree. Also: the hint of an
ambiguous number names what tells the candidates apart, the candidate list speaks one
language, and an outline (never numbered) is "không đánh số" when filed or finalised.

Real inputs (examples/), a real archive in tmp_path, the library and the real CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

from docgen.archive import Archive
from docgen.archive.numbering import REGISTRY_FILE
from docgen.errors import ArchiveError

from .fakes import fake_doc, render
from .test_commands_people import EXAMPLES, NQ, cell_config, filed, run, variant

BB = EXAMPLES / "bien-ban-thuong-ky.yaml"
KH = EXAMPLES / "ke-hoach-chuyen-de.yaml"
OUTLINE = EXAMPLES / "de-cuong-chuyen-de.yaml"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return tmp_path / "arch"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the archive but the derived catalog, with its content."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".docgen" not in p.relative_to(root).parts}


def refused(result: Result, before: dict[str, bytes], root: Path) -> str:
    """The stderr of a refused command that wrote nothing."""
    assert result.exit_code == 6, result.output
    assert "Traceback" not in result.output
    assert snapshot(root) == before
    return result.stderr


# ------------------------------------------------------------------ the number


def test_amend_to_another_number_is_refused_and_writes_nothing(archive: Path,
                                                               tmp_path: Path) -> None:
    doc_id = filed(run(archive, "new", str(NQ)))  # 05-NQ/CB
    before = snapshot(archive)
    err = refused(run(archive, "amend", "05-NQ/CB", str(variant(tmp_path, "nq6", number=6))),
                  before, archive)
    assert "bản sửa phải giữ số 05-NQ/CB; muốn văn bản mới thì dùng docgen new" in err
    assert "06-NQ/CB" in err and "Trường: number" in err and "number: 5" in err
    jump = run(archive, "amend", doc_id[:6], str(variant(tmp_path, "nq20", number=20)),
               lang="en")
    err = refused(jump, before, archive)
    assert "must keep number 05-NQ/CB" in err and "20-NQ/CB" in err and "docgen new" in err
    assert "số" not in err  # one language
    # the document is still 05-NQ/CB, and the series did not move
    shown = run(archive, "show", "05-NQ/CB")
    assert shown.exit_code == 0 and doc_id in shown.stdout
    assert [d.meta.number for d in Archive(archive).history(doc_id)] == [5]
    following = run(archive, "new", str(variant(tmp_path, "next", number=None)))
    assert "số 06-NQ/CB" in following.stdout


def test_amend_without_a_number_or_with_the_same_one_keeps_it(archive: Path,
                                                              tmp_path: Path) -> None:
    doc_id = filed(run(archive, "new", str(NQ)))
    registry = (archive / REGISTRY_FILE).read_bytes()
    nonum = variant(tmp_path, "nonum", number=None, summary="về vệ sinh môi trường")
    kept = run(archive, "amend", "05-NQ/CB", str(nonum))
    assert kept.exit_code == 0, kept.output
    assert f"Đã lưu {doc_id} (phiên bản 2, số 05-NQ/CB)" in kept.stdout
    same = run(archive, "amend", doc_id, str(NQ))  # number: 5
    assert same.exit_code == 0 and "(phiên bản 3, số 05-NQ/CB)" in same.stdout
    history = Archive(archive).history(doc_id)
    assert [d.meta.number_text for d in history] == ["05-NQ/CB"] * 3
    assert (archive / REGISTRY_FILE).read_bytes() == registry  # never advanced
    assert run(archive, "verify").exit_code == 0
    assert "số 06-NQ/CB" in run(archive, "new", str(variant(tmp_path, "n", number=None))).stdout


def test_a_number_a_document_once_carried_is_never_given_again(tmp_path: Path) -> None:
    """An archive an older docgen left: its amend renumbered 05 to 06. 05 stays taken,
    and verify reports the document (a warning: the history cannot change)."""
    root = tmp_path / "arch"
    archive = Archive(root)
    doc = archive.file(fake_doc(number=5), render, "an")
    with archive._locked() as cat:  # what the old amend did: the input's number, unchecked
        prev = archive.record(doc.id)
        archive._commit_rendered(cat, doc.id, 2, render(fake_doc(number=6)), "an", "amend",
                                 prev["versions"])
    with pytest.raises(ArchiveError) as taken:
        archive.file(fake_doc(number=5), render, "an")
    assert doc.id in taken.value.message.vi and taken.value.field == "number"
    assert archive.file(fake_doc(), render, "an").meta.number == 7
    report = archive.verify()
    assert report.ok  # a warning, not an error
    problems = [p for p in report.problems if p.code == "versions-disagree"]
    assert len(problems) == 1 and problems[0].severity == "warning"
    assert problems[0].doc_id == doc.id
    assert "v1 nghi-quyet 05-NQ/CB; v2 nghi-quyet 06-NQ/CB" in problems[0].message.vi
    assert "khác nhau về số" in problems[0].message.vi
    assert "disagree on number" in problems[0].message.en
    archive.close()
    assert run(root, "reindex").exit_code == 0  # filed through the library: no index yet
    shown = run(root, "verify")
    assert shown.exit_code == 0 and f"[cảnh báo] {doc.id}" in shown.stdout
    assert "1 cảnh báo" in shown.stdout
    as_json = json.loads(run(root, "verify", "--json").stdout)
    assert [p["code"] for p in as_json["problems"]] == ["versions-disagree"]


def test_verify_reports_a_kind_changed_by_an_old_amend(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "arch")
    doc = archive.file(fake_doc(kind="bien-ban-thuong-ky", symbol="BB", number=1), render, "an")
    with archive._locked() as cat:
        prev = archive.record(doc.id)
        archive._commit_rendered(cat, doc.id, 2, render(fake_doc(number=22)), "an", "amend",
                                 prev["versions"])
    problems = [p for p in archive.verify().problems if p.code == "versions-disagree"]
    assert len(problems) == 1
    assert "khác nhau về loại, số" in problems[0].message.vi
    assert "v1 bien-ban-thuong-ky 01-BB/CB; v2 nghi-quyet 22-NQ/CB" in problems[0].message.vi
    archive.close()


# ------------------------------------------------------------- kind and cell


def test_amend_with_an_input_of_another_kind_is_refused(archive: Path, tmp_path: Path) -> None:
    doc_id = filed(run(archive, "new", str(variant(tmp_path, "bb1", source=BB, number=1))))
    filed(run(archive, "new", str(variant(tmp_path, "nq", number=21))))
    before = snapshot(archive)
    nq = variant(tmp_path, "nq-nonum", number=None)
    err = refused(run(archive, "amend", "01-BB/CB", str(nq)), before, archive)
    assert f"văn bản {doc_id} số 01-BB/CB là biên bản" in err
    assert "(bien-ban-thuong-ky)" in err and "(nghi-quyet)" in err
    assert "bản sửa phải cùng loại văn bản" in err and "Trường: kind" in err
    assert "`docgen new TỆP`" in err
    # another minutes kind, even of the same type symbol (BB), is another document
    chuyen_de = variant(tmp_path, "bb-cd", source=EXAMPLES / "bien-ban-chuyen-de.yaml",
                        number=None)
    err = refused(run(archive, "amend", doc_id, str(chuyen_de), lang="en"), before, archive)
    assert "of kind bien-ban-thuong-ky" in err and "of kind bien-ban-chuyen-de" in err
    assert "docgen new FILE" in err
    record = Archive(archive).record(doc_id)
    assert (record["kind"], record["number_text"], record["version"]) == \
        ("bien-ban-thuong-ky", "01-BB/CB", 1)
    nxt = run(archive, "new", str(variant(tmp_path, "nq-next", number=None)))
    assert "số 22-NQ/CB" in nxt.stdout  # the NQ series did not move either


def test_amend_under_another_cells_profile_is_refused(archive: Path, tmp_path: Path) -> None:
    doc_id = filed(run(archive, "new", str(NQ)))
    before = snapshot(archive)
    other = cell_config(tmp_path, "binh-an", cell="CHI BỘ THÔN BÌNH AN")
    err = refused(run(archive, "amend", doc_id, str(variant(tmp_path, "b", number=None)),
                      config=other), before, archive)
    assert "CHI BỘ THÔN AN THÀNH" in err and "CHI BỘ THÔN BÌNH AN" in err
    assert "bản sửa phải cùng chi bộ" in err and "Trường: cell" in err and "--config" in err
    english = run(archive, "amend", doc_id, str(NQ), config=other, lang="en")
    assert "a correction keeps the cell" in refused(english, before, archive)


def test_amend_keeps_the_series_when_the_profile_starts_a_new_term(archive: Path,
                                                                   tmp_path: Path) -> None:
    doc_id = filed(run(archive, "new", str(NQ)))
    registry = (archive / REGISTRY_FILE).read_bytes()
    later = cell_config(tmp_path, "later", term_start="2026-06-01")
    amended = run(archive, "amend", doc_id, str(variant(tmp_path, "b", number=None)),
                  config=later)
    assert amended.exit_code == 0 and "số 05-NQ/CB" in amended.stdout, amended.output
    records = [json.loads((d.folder / "meta.json").read_text("utf-8"))
               for d in Archive(archive).history(doc_id)]
    assert [r["number_text"] for r in records] == ["05-NQ/CB", "05-NQ/CB"]
    assert records[0]["series"] == records[1]["series"]  # the term it was numbered in
    assert (archive / REGISTRY_FILE).read_bytes() == registry
    assert run(archive, "verify").exit_code == 0


# ------------------------------------------------------------------ drafts


def test_amend_of_a_draft_stays_a_draft_and_finalize_numbers_it(archive: Path,
                                                                tmp_path: Path) -> None:
    filed(run(archive, "new", str(NQ)))
    draft = filed(run(archive, "new", str(variant(tmp_path, "d", number=None, draft=True))))
    before = snapshot(archive)
    err = refused(run(archive, "amend", draft, str(variant(tmp_path, "nd", number=None))),
                  before, archive)
    assert f"văn bản {draft} là dự thảo" in err and "amend không cấp số" in err
    assert f"`docgen finalize {draft}`" in err and "Trường: draft" in err
    err = refused(run(archive, "amend", draft, str(NQ)), before, archive)  # number: 5
    assert "dự thảo" in err
    again = run(archive, "amend", draft, str(variant(tmp_path, "d2", number=None, draft=True,
                                                     summary="về đảng phí")))
    assert again.exit_code == 0 and "(phiên bản 2, số DỰ THẢO)" in again.stdout
    final = run(archive, "finalize", draft[:6])
    assert final.exit_code == 0 and "(phiên bản 3, số 06-NQ/CB)" in final.stdout


# ------------------------------------------------------------------ the library


def test_the_library_applies_the_same_rules(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "arch")
    doc = archive.file(fake_doc(number=5), render, "an")
    registry = (archive.root / REGISTRY_FILE).read_bytes()
    before = snapshot(archive.root)
    for changed, field in ((fake_doc(number=6), "number"),
                           (fake_doc(kind="bien-ban-thuong-ky", symbol="BB"), "kind"),
                           (fake_doc(cell="CHI BỘ THÔN BÌNH AN"), "cell"),
                           (fake_doc(draft=True), "draft")):
        with pytest.raises(ArchiveError) as info:
            archive.amend(doc.id, changed, render, "an")
        assert info.value.field == field and info.value.exit_code == 6
        assert snapshot(archive.root) == before, field
    kept = archive.amend(doc.id, fake_doc(body="bản sửa"), render, "an")
    assert kept.meta.number_text == "05-NQ/CB" and kept.version == 2
    assert archive.amend(doc.id, fake_doc(number=5), render, "an").version == 3
    assert (archive.root / REGISTRY_FILE).read_bytes() == registry
    assert archive.file(fake_doc(), render, "an").meta.number == 6
    archive.close()


# ------------------------------------------------------- an ambiguous number


def test_a_number_two_kinds_of_one_cell_share_suggests_the_full_numbers(
        archive: Path, tmp_path: Path) -> None:
    bb = filed(run(archive, "new", str(variant(tmp_path, "bb1", source=BB, number=1))))
    kh = filed(run(archive, "new", str(KH)))  # 01-KH/CB
    both = run(archive, "show", "1")
    assert both.exit_code == 6 and "số 1 ứng với 2 văn bản" in both.stderr
    assert "ghi đủ số: 01-BB/CB hoặc 01-KH/CB" in both.stderr
    assert "--cell" not in both.stderr  # one cell: it would not help
    assert "ghi mã văn bản" in both.stderr
    for ref, doc_id in (("01-BB/CB", bb), ("01-KH/CB", kh)):
        assert doc_id in run(archive, "path", ref).stdout
    english = run(archive, "show", "01", lang="en")
    assert "type the full number: 01-BB/CB or 01-KH/CB" in english.stderr
    assert "--cell" not in english.stderr and "document's id" in english.stderr


def test_a_number_two_cells_share_suggests_cell_not_the_same_number(archive: Path,
                                                                   tmp_path: Path) -> None:
    filed(run(archive, "new", str(NQ)))
    filed(run(archive, "new", str(NQ), config=cell_config(tmp_path, "b", cell="CHI BỘ THÔN "
                                                                           "BÌNH AN")))
    both = run(archive, "show", "05-NQ/CB")
    assert both.exit_code == 6 and "--cell" in both.stderr
    assert "ghi đủ số" not in both.stderr  # both are 05-NQ/CB


def test_the_candidate_list_speaks_one_language(archive: Path, tmp_path: Path) -> None:
    filed(run(archive, "new", str(variant(tmp_path, "bb1", source=BB, number=1))))
    kh = filed(run(archive, "new", str(KH)))
    assert run(archive, "withdraw", kh, "--reason", "lập nhầm").exit_code == 0
    vi = run(archive, "show", "1").stderr
    kh_line = next(line for line in vi.splitlines() if kh in line)
    assert kh_line.endswith("[đã thu hồi]") and "withdrawn" not in vi
    en = run(archive, "show", "1", lang="en").stderr
    assert next(line for line in en.splitlines() if kh in line).endswith("[withdrawn]")
    assert "thu hồi" not in en


# ------------------------------------------------------------------ an outline


def test_an_outline_is_not_numbered_when_filed_and_finalised(archive: Path) -> None:
    new = run(archive, "new", str(OUTLINE))
    doc_id = filed(new)
    assert "(phiên bản 1, không đánh số, dự thảo)" in new.stdout
    final = run(archive, "finalize", doc_id)
    assert final.exit_code == 0, final.output
    assert "(phiên bản 2, không đánh số)" in final.stdout and "số -" not in final.stdout
    again = run(archive, "finalize", doc_id)
    assert again.exit_code == 6
    assert f"văn bản {doc_id} không phải dự thảo (không đánh số)" in again.stderr
    english = run(archive, "finalize", doc_id, lang="en")
    assert "is not a draft (not numbered)" in english.stderr
    numbered = filed(run(archive, "new", str(NQ)))
    assert "không phải dự thảo (số 05-NQ/CB)" in run(archive, "finalize", numbered).stderr
