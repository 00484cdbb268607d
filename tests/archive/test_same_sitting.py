"""Same sitting, same facts (issue 11, defect 9): the minutes and the resolution of one
meeting date must record the same attendance and the same vote; filing the second one
warns, naming each difference, and still files (exit 0).

Unit tests of ``sitting_differences`` on fakes, then the real thing: the shipped
examples, ``docgen new`` / ``amend`` / ``finalize`` / ``import-bundle`` through click's
CliRunner on an archive in tmp_path, and ``Archive.verify`` with ``sitting_check``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result

from docgen.archive import Archive
from docgen.archive.sitting import (
    PROBLEM_CODE,
    SittingDifference,
    paper_name,
    same_sitting_warnings,
    sitting_check,
    sitting_differences,
    sitting_warning,
)
from docgen.cli import main
from docgen.config import Settings, load_settings
from docgen.kinds import KINDS
from docgen.model import load_input
from docgen.model.arithmetic import MeetingFigures, vote_result
from docgen.model.meta import DocMeta
from docgen.model.profile import load_profile
from docgen.model.votes import MeetingVote

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CONFIG = EXAMPLES / "docgen.toml"
DAY = dt.date(2026, 3, 10)
SAME = "cùng buổi họp"


# --------------------------------------------------------------------------- fakes
def figures(**changes: Any) -> MeetingFigures:
    """A sitting of the example cell: 22 members, 17 present, 18 in the denominator."""
    base = MeetingFigures(
        total=22, official=20, probationary=2, exempt=1, temp_out=1, temp_in=1, present=17,
        present_official=16, present_probationary=1,
        absent_with_reason=(("Hoàng Văn Em", "đi công tác"), ("Dương Văn Lâm", "ốm"),
                            ("Trần Văn Yên", "đi học lớp trung cấp")),
        absent_without_reason=(), denominator=18, voters_present=16,
        temp_in_present=("Đinh Văn Phúc",), exempt_names=("Kiều Văn Vinh",),
        temp_out_names=("Chu Văn Uy",))
    return dataclasses.replace(base, **changes)


def vote(votes_for: int = 15, denominator: int = 18, against: int = 0, abstain: int = 1,
         path: str = "vote", kind: str = "resolution", subject: str = "") -> MeetingVote:
    special = kind in ("admission", "conversion")
    return MeetingVote(path, subject, kind,
                       vote_result(votes_for, against, abstain, denominator, special))


@dataclass(frozen=True)
class Paper:
    kind: str
    figures: MeetingFigures | None
    votes: tuple[MeetingVote, ...] = ()


def resolution(f: MeetingFigures | None = None, *votes: MeetingVote) -> Paper:
    return Paper("nghi-quyet", f or figures(), votes or (vote(),))


def minutes(f: MeetingFigures | None = None, *votes: MeetingVote) -> Paper:
    return Paper("bien-ban-thuong-ky", f or figures(), votes or (vote(),))


def meta(kind: str, number: int, symbol: str) -> DocMeta:
    return DocMeta(kind=kind, cell="CHI BỘ THÔN AN THÀNH", superior="ĐẢNG BỘ XÃ QUANG KIM",
                   issuer_symbol="CB", type_symbol=symbol, number=number, date=DAY, title="")


def messages(found: list[SittingDifference], lang: str = "vi") -> list[str]:
    return [d.message.text(lang) for d in found]


# ---------------------------------------------------------------- the comparison
def test_papers_recording_the_same_sitting_agree() -> None:
    assert sitting_differences(resolution(), minutes()) == []
    assert sitting_differences(minutes(), resolution()) == []


def test_the_warning_names_each_difference_both_numbers_first_paper_first() -> None:
    nq = resolution(figures(present=19), vote(14))
    bb = minutes(figures(present=18))
    found = sitting_differences(nq, bb)
    assert [d.field for d in found] == ["present", "vote"]
    assert messages(found) == ["có mặt 19 / 18 đồng chí",
                               "biểu quyết thông qua nghị quyết 14/18 / 15/18"]
    assert messages(found, "en") == ["present 19 / 18 members",
                                     "vote adopting a resolution 14/18 / 15/18"]
    warning = sitting_warning(paper_name(meta("nghi-quyet", 5, "NQ")),
                              paper_name(meta("bien-ban-thuong-ky", 3, "BB")), DAY, found)
    assert warning.vi.startswith(
        "Nghị quyết 05-NQ/CB và biên bản 03-BB/CB cùng buổi họp ngày 10/3/2026 ghi khác nhau: "
        "có mặt 19 / 18 đồng chí; biểu quyết thông qua nghị quyết 14/18 / 15/18.")
    assert warning.en.startswith(
        "Resolution 05-NQ/CB and minutes 03-BB/CB of the same meeting on 10/3/2026 differ: "
        "present 19 / 18 members; vote adopting a resolution 14/18 / 15/18.")
    # the other way round: the minutes' figures first
    assert messages(sitting_differences(bb, nq)) == [
        "có mặt 18 / 19 đồng chí", "biểu quyết thông qua nghị quyết 15/18 / 14/18"]


def test_every_count_is_compared() -> None:
    changed = figures(total=23, official=21, probationary=1, present=18, present_official=17,
                      present_probationary=0, denominator=19)
    fields = [d.field for d in sitting_differences(resolution(changed, vote(15, 19)), minutes())]
    assert fields == ["total", "official", "probationary", "present", "present_official",
                      "present_probationary", "denominator", "vote"]
    found = sitting_differences(resolution(changed, vote(15, 19)), minutes())
    assert "tỷ lệ biểu quyết tính trên 19 / 18 đảng viên chính thức" in messages(found)


def test_the_same_people_absent_with_the_same_reasons() -> None:
    other = figures(absent_with_reason=(("Hoàng Văn Em", "đi công tác"), ("Dương Văn Lâm", "Ốm"),
                                        ("Trần Văn Yên", "đi làm ăn xa")))
    found = sitting_differences(resolution(other), minutes())
    assert messages(found) == [  # same count; one reason differs (case and spaces ignored)
        "người vắng mặt: đồng chí Trần Văn Yên (đi làm ăn xa) / "
        "đồng chí Trần Văn Yên (đi học lớp trung cấp)"]
    swapped = figures(absent_with_reason=(("Hoàng Văn Em", "đi công tác"), ("Dương Văn Lâm", "ốm")),
                      absent_without_reason=("Trịnh Văn Oanh",))
    found = sitting_differences(resolution(swapped), minutes())
    assert [d.field for d in found] == ["absent_with_reason", "absent_without_reason", "absentees"]
    assert messages(found)[0] == "vắng mặt có lý do 2 / 3 đồng chí"
    assert messages(found)[2] == ("người vắng mặt: đồng chí Trịnh Văn Oanh (không có lý do) / "
                                  "đồng chí Trần Văn Yên (đi học lớp trung cấp)")
    assert messages(found, "en")[2] == ("absentees: Trịnh Văn Oanh (no reason) / "
                                        "Trần Văn Yên (đi học lớp trung cấp)")


def test_exempt_and_temporary_members_present() -> None:
    other = figures(exempt_present=("Kiều Văn Vinh",), temp_in_present=())
    assert messages(sitting_differences(minutes(other), resolution())) == [
        "đảng viên miễn sinh hoạt có mặt: đồng chí Kiều Văn Vinh / không có",
        "đảng viên nơi khác sinh hoạt tạm thời có mặt: không có / đồng chí Đinh Văn Phúc"]


def test_against_and_abstentions_are_shown_when_they_differ() -> None:
    found = sitting_differences(resolution(None, vote(15, against=1, abstain=0)), minutes())
    assert messages(found) == ["biểu quyết thông qua nghị quyết 15/18 (1 không tán thành, 0 ý kiến "
                               "khác) / 15/18 (0 không tán thành, 1 ý kiến khác)"]


def test_minutes_without_the_vote_adopting_the_resolution() -> None:
    bb = minutes(None, vote(15, kind="conclusion"))
    assert messages(sitting_differences(resolution(), bb)) == [
        "biểu quyết thông qua nghị quyết 15/18 / không ghi"]
    assert messages(sitting_differences(resolution(), bb), "en") == [
        "vote adopting a resolution 15/18 / not recorded"]
    assert sitting_differences(Paper("nghi-quyet", figures()), bb) == []  # no vote: nothing to compare


def test_an_admission_resolution_is_compared_with_the_minutes_admission_vote() -> None:
    bb = minutes(None, vote(15), vote(16, path="votes[0]", kind="admission",
                                      subject="đề nghị kết nạp quần chúng Nguyễn Văn Tài"))
    admission = Paper("nghi-quyet", figures(), (vote(16, kind="admission"),))
    assert sitting_differences(admission, bb) == []
    wrong = Paper("nghi-quyet", figures(), (vote(13, kind="admission"),))
    assert messages(sitting_differences(wrong, bb)) == [
        "biểu quyết đề nghị kết nạp đảng viên 13/18 / 16/18"]


def test_several_votes_of_one_type_the_matching_one_or_the_same_subject() -> None:
    bb = minutes(None, vote(15, subject="thông qua Nghị quyết tháng 3"),
                 vote(12, path="votes[0]", subject="thông qua nghị quyết chuyên đề"))
    assert sitting_differences(resolution(None, vote(12)), bb) == []
    off = resolution(None, vote(11, subject="Nghị quyết chuyên đề"))
    assert messages(sitting_differences(off, bb)) == [
        "biểu quyết thông qua nghị quyết 11/18 / 12/18"]


def test_two_papers_that_are_not_minutes_compare_attendance_only() -> None:
    other = resolution(figures(present=18), vote(10))
    assert [d.field for d in sitting_differences(resolution(), other)] == ["present"]


def test_a_paper_without_figures_is_not_compared() -> None:
    assert sitting_differences(Paper("ke-hoach-chuyen-de", None), minutes()) == []


# ----------------------------------------------------------------- the examples
def _example_settings() -> Settings:
    return load_settings({"config_path": CONFIG}, environ={})


def test_the_examples_of_one_sitting_agree() -> None:
    settings = _example_settings()
    profile = load_profile(settings.profile_path)
    papers = [load_input(EXAMPLES / spec.example_name, settings, profile)
              for spec in KINDS.values()
              if spec.meeting and (EXAMPLES / spec.example_name).is_file()]
    pairs = [(a, b) for a, b in itertools.combinations(papers, 2)
             if a.meta.date == b.meta.date and a.meta.cell == b.meta.cell]
    assert any(a.kind == "nghi-quyet" or b.kind == "nghi-quyet" for a, b in pairs)
    for a, b in pairs:
        found = sitting_differences(a, b)
        assert found == [], (a.kind, b.kind, messages(found))
    minutes_vote = load_input(EXAMPLES / "bien-ban-thuong-ky.yaml", settings, profile).votes[0]
    assert minutes_vote.type == "resolution"
    assert minutes_vote.subject in ("", "thông qua Nghị quyết lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026")


# ------------------------------------------------------------------ the archive
def run(root: Path, *args: str, lang: str = "vi") -> Result:
    return CliRunner().invoke(
        main, ["--lang", lang, "--config", str(CONFIG), "--archive", str(root), *args],
        env={"DOCGEN_USER": "thu-ky"})


def variant(tmp_path: Path, name: str, kind: str = "nghi-quyet", **changes: Any) -> Path:
    data = yaml.safe_load((EXAMPLES / f"{kind}.yaml").read_text("utf-8"))
    data.update(changes)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def filed_id(result: Result) -> str:
    """The id of the (last) document a command filed: exit 0 required."""
    assert result.exit_code == 0, result.output
    found = re.findall(r"(?:Đã lưu|Filed) ([a-z0-9]+) ", result.stdout)
    assert found, result.stdout
    return str(found[-1])


def off_vote(tmp_path: Path, name: str = "nq-14", **changes: Any) -> Path:
    """The example resolution with 14 for and 2 other views (the minutes say 15 and 1)."""
    values: dict[str, Any] = {
        "number": None, "vote": {"for": 14, "against": 0, "abstain": 2,
                                 "subject": "Nghị quyết lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026"}}
    return variant(tmp_path, name, **{**values, **changes})


def test_filing_the_two_examples_gives_no_such_warning(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    both = run(root, "new", str(EXAMPLES / "bien-ban-thuong-ky.yaml"),
               str(EXAMPLES / "nghi-quyet.yaml"))
    assert both.exit_code == 0, both.output
    assert SAME not in both.stderr
    one_by_one = tmp_path / "arch2"
    for kind in ("nghi-quyet", "bien-ban-thuong-ky"):
        result = run(one_by_one, "new", str(EXAMPLES / f"{kind}.yaml"))
        assert result.exit_code == 0 and SAME not in result.stderr, result.output
    settings = load_settings({"config_path": CONFIG, "archive_root": one_by_one}, environ={})
    report = Archive(one_by_one).verify([sitting_check(settings)])
    assert report.ok and [p for p in report.problems if p.code == PROBLEM_CODE] == []


def test_a_resolution_whose_vote_differs_from_the_minutes_warns_and_is_filed(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    filed_id(run(root, "new", str(EXAMPLES / "bien-ban-thuong-ky.yaml")))
    result = run(root, "new", str(off_vote(tmp_path)))
    doc_id = filed_id(result)  # exit 0: a warning
    number = Archive(root).get(doc_id).meta.number_text
    assert (f"Cảnh báo (nq-14.yaml): Nghị quyết {number} và biên bản 07-BB/CB cùng buổi họp "
            "ngày 10/3/2026 ghi khác nhau: biểu quyết thông qua nghị quyết 14/19 (0 không tán "
            "thành, 2 ý kiến khác) / 15/19 (0 không tán thành, 1 ý kiến khác).") in result.stderr
    assert result.stderr.count(SAME) == 1
    english = run(root, "new", str(off_vote(tmp_path, "nq-en")), lang="en")
    assert english.exit_code == 0, english.output
    assert "and minutes 07-BB/CB of the same meeting on 10/3/2026 differ: vote adopting a " \
           "resolution 14/19 (0 against, 2 abstaining) / 15/19 (0 against, 1 abstaining)" \
           in english.stderr


def test_filed_first_the_resolution_then_the_minutes_warn(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    filed_id(run(root, "new", str(EXAMPLES / "nghi-quyet.yaml")))
    late = variant(tmp_path, "bb", kind="bien-ban-thuong-ky", number=None,
                   absent=[{"member": "m05", "reason": "đi công tác"}, {"member": "m11", "reason": "ốm"}])
    result = run(root, "new", str(late))
    filed_id(result)
    assert ("Nghị quyết 05-NQ/CB và biên bản 01-BB/CB cùng buổi họp ngày 10/3/2026 ghi khác "
            "nhau: có mặt 18 / 19 đồng chí; có mặt chính thức 16 / 17 đồng chí; vắng mặt không có "
            "lý do 1 / 0 đồng chí; người vắng mặt: đồng chí Trịnh Văn Oanh (không có lý do) / "
            "không có. ") in result.stderr


def test_one_batch_with_both_papers_warns_once(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    result = run(root, "new", str(EXAMPLES / "bien-ban-thuong-ky.yaml"), str(off_vote(tmp_path)))
    assert result.exit_code == 0, result.output
    assert result.stderr.count(SAME) == 1 and "14/19" in result.stderr
    assert "Cảnh báo (nq-14.yaml): Nghị quyết 01-NQ/CB và biên bản 07-BB/CB" in result.stderr


def test_withdrawn_and_superseded_papers_are_ignored(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    early = variant(tmp_path, "bb-v1", kind="bien-ban-thuong-ky",
                    vote={"for": 14, "against": 0, "abstain": 2})
    minutes_id = filed_id(run(root, "new", str(early)))
    amended = run(root, "amend", minutes_id, str(EXAMPLES / "bien-ban-thuong-ky.yaml"))
    assert amended.exit_code == 0 and SAME not in amended.stderr, amended.output
    agreeing = run(root, "new", str(EXAMPLES / "nghi-quyet.yaml"))
    filed_id(agreeing)
    assert SAME not in agreeing.stderr  # version 1 said 14: only the current version counts
    assert run(root, "withdraw", minutes_id, "--reason", "ghi nhầm").exit_code == 0
    alone = run(root, "new", str(off_vote(tmp_path)))
    filed_id(alone)
    assert SAME not in alone.stderr  # the minutes were withdrawn


def test_amend_warns_and_amending_back_clears_it(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    filed_id(run(root, "new", str(EXAMPLES / "bien-ban-thuong-ky.yaml")))
    doc_id = filed_id(run(root, "new", str(EXAMPLES / "nghi-quyet.yaml")))
    wrong = run(root, "amend", doc_id, str(off_vote(tmp_path, number=5)))
    assert wrong.exit_code == 0, wrong.output
    assert "Cảnh báo (nq-14.yaml): Nghị quyết 05-NQ/CB và biên bản 07-BB/CB cùng buổi họp" in wrong.stderr
    assert "14/19" in wrong.stderr
    back = run(root, "amend", doc_id, str(EXAMPLES / "nghi-quyet.yaml"))
    assert back.exit_code == 0 and SAME not in back.stderr, back.output


def test_a_draft_is_not_compared_until_finalize(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    filed_id(run(root, "new", str(EXAMPLES / "bien-ban-thuong-ky.yaml")))
    draft = run(root, "new", str(off_vote(tmp_path, draft=True)))
    draft_id = filed_id(draft)
    assert SAME not in draft.stderr
    final = run(root, "finalize", draft_id)
    assert final.exit_code == 0, final.output
    assert f"Cảnh báo ({draft_id}): Nghị quyết 01-NQ/CB và biên bản 07-BB/CB" in final.stderr
    assert "14/19" in final.stderr


def test_import_of_a_bundle_warns(tmp_path: Path) -> None:
    source = tmp_path / "cell"
    filed_id(run(source, "new", str(off_vote(tmp_path))))
    bundle = tmp_path / "cell.zip"
    assert run(source, "export", "-o", str(bundle)).exit_code == 0
    target = tmp_path / "commune"
    filed_id(run(target, "new", str(EXAMPLES / "bien-ban-thuong-ky.yaml")))
    imported = run(target, "import-bundle", str(bundle))
    assert imported.exit_code == 0, imported.output
    assert "Cảnh báo (cell.zip): Nghị quyết 01-NQ/CB và biên bản 07-BB/CB" in imported.stderr


def test_a_vote_missing_from_one_minutes_is_looked_for_in_the_sitting_s_other_minutes(
        tmp_path: Path) -> None:
    """A topical session held the same evening, with its own minutes and no vote: the
    resolution's vote is in the regular minutes, not missing."""
    topical = variant(tmp_path, "cd", kind="bien-ban-chuyen-de", number=None, date="2026-03-10",
                      absent=[{"member": "m05", "reason": "đi công tác"},
                              {"member": "m11", "reason": "ốm"}, {"member": "m14"}],
                      exempt_present=["m20"], temporary_in_present=["t01"], vote=None)
    root = tmp_path / "arch"
    filed = run(root, "new", str(EXAMPLES / "bien-ban-thuong-ky.yaml"), str(topical),
                str(EXAMPLES / "nghi-quyet.yaml"))
    assert filed.exit_code == 0 and SAME not in filed.stderr, filed.output
    alone = tmp_path / "alone"
    filed_id(run(alone, "new", str(topical)))
    missing = run(alone, "new", str(EXAMPLES / "nghi-quyet.yaml"))
    filed_id(missing)
    assert ("Nghị quyết 05-NQ/CB và biên bản 01-BB/CB cùng buổi họp ngày 10/3/2026 ghi khác nhau: "
            "biểu quyết thông qua nghị quyết 15/19 / không ghi.") in missing.stderr


def test_another_day_is_another_sitting(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    filed_id(run(root, "new", str(EXAMPLES / "bien-ban-thuong-ky.yaml")))
    other_day = run(root, "new", str(off_vote(tmp_path, date="2026-03-11")))
    filed_id(other_day)
    assert SAME not in other_day.stderr


def test_verify_lists_the_disagreeing_pair_as_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    assert run(root, "new", str(EXAMPLES / "bien-ban-thuong-ky.yaml"), str(off_vote(tmp_path)),
               str(EXAMPLES / "nghi-quyet.yaml")).exit_code == 0
    settings = load_settings({"config_path": CONFIG, "archive_root": root}, environ={})
    report = Archive(root).verify([sitting_check(settings)])
    found = [p for p in report.problems if p.code == PROBLEM_CODE]
    assert report.ok and len(found) == 1  # the agreeing resolution is not listed
    assert found[0].severity == "warning" and "14/19" in found[0].message.vi
    archive = Archive(root)
    off = next(d for d in archive.list(kind="nghi-quyet") if d.id == found[0].doc_id)
    assert len(same_sitting_warnings(archive, settings, off)) == 1


def test_one_sitting_has_one_self_assessment(tmp_path: Path) -> None:
    """The resolution repeats the score the minutes recorded (HD 42 sheet): a different one
    is named; a topical session held the same evening scores itself (no warning)."""
    root = tmp_path / "arch"
    filed_id(run(root, "new", str(EXAMPLES / "bien-ban-thuong-ky.yaml")))
    other = variant(tmp_path, "nq-92", number=None, self_score={"points": 92})
    result = run(root, "new", str(other))
    assert result.exit_code == 0, result.output
    assert "tự đánh giá chất lượng buổi sinh hoạt 92 điểm, Tốt / 90 điểm, Tốt" in result.stderr
    topical = variant(tmp_path, "cd", kind="bien-ban-chuyen-de", number=None, date="2026-03-10",
                      self_score={"points": 75})
    assert "tự đánh giá" not in run(root, "new", str(topical)).stderr
