"""Trích biên bản (docgen/kinds/trich_bien_ban.py) and ``docgen extract``
(docgen/authoring/extract.py, docgen/cli/extract_cmds.py).

The kind's rules: the source's number and date, copied figures that agree with each other
(never recomputed from the roster), votes printed with their own denominator and
threshold, no number of its own. The command: the minutes filed in a real on-disk archive
through the CLI (examples/docgen.toml), their vote extracted, the extract filed, and the
printed text naming the minutes' number and date; the errors (unknown ID, not minutes,
withdrawn, draft, a part out of range, an existing file) with their exit statuses, nothing
written.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from docgen.config import Settings
from docgen.errors import ExitStatus
from docgen.kinds import KINDS
from docgen.model import Profile, load_input
from docgen.model.resolve import resolve_kind

from .support import EXAMPLES, example_data, parse, problems, run, text_of

KIND = "trich-bien-ban"
MINUTES = EXAMPLES / "bien-ban-thuong-ky.yaml"
EXAMPLE: dict[str, Any] = example_data(KIND)
example = functools.partial(example_data, KIND)  # the example, with changes


def vote(**changes: Any) -> dict[str, Any]:
    return {"subject": "đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng", "type": "admission", "for": 16,
            "against": 0, "abstain": 0, "denominator": 19, **changes}


# ------------------------------------------------------------------------ the kind

def test_the_example_is_an_unnumbered_extract_of_07_bb_cb(settings: Settings, profile: Profile) -> None:
    doc = load_input(EXAMPLES / f"{KIND}.yaml", settings)
    assert doc.meta.numbered is False and doc.meta.number_text == ""
    assert doc.meta.title == "TRÍCH BIÊN BẢN sinh hoạt chi bộ thường kỳ tháng 3 năm 2026"
    assert doc.figures is None and doc.warnings == ()
    ctx = doc.context()
    assert ctx["number_line"] == ""
    assert ctx["source_line"] == ("Trích Biên bản số 07-BB/CB ngày 10/3/2026 sinh hoạt chi bộ thường kỳ "
                                  "tháng 3 năm 2026")
    text = text_of(doc, settings)
    assert "Quang Kim, ngày 13 tháng 3 năm 2026" in text
    assert "Số " not in text.split("TRÍCH BIÊN BẢN")[0]  # no number line in the header
    assert "Trích Biên bản số 07-BB/CB ngày 10/3/2026 sinh hoạt chi bộ thường kỳ tháng 3 năm 2026 như sau:" in text
    assert "- Thời gian: từ 19 giờ 30 phút đến 21 giờ 30 phút, ngày 10 tháng 3 năm 2026." in text
    assert ("- Biểu quyết thông qua Nghị quyết lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026: 15/19 đồng chí tán "
            "thành, đạt 78,9%; không có đồng chí nào không tán thành; 1 đồng chí có ý kiến khác. Kết quả: thông "
            "qua.") in text
    assert "TRÍCH ĐÚNG BIÊN BẢN\nT/M CHI BỘ\nBÍ THƯ\nNguyễn Văn An" in text
    assert "- Đảng ủy xã Quang Kim (để báo cáo),\n- Lưu Chi bộ." in text


def test_people_name_the_kind_in_vietnamese() -> None:
    assert resolve_kind("Trích biên bản") == KIND
    assert resolve_kind("bản trích biên bản") == KIND
    assert KINDS[KIND].book_name.vi == "Trích biên bản"
    assert not KINDS[KIND].numbered and not KINDS[KIND].meeting and not KINDS[KIND].minutes


def test_figures_are_copied_not_recomputed(settings: Settings, profile: Profile) -> None:
    """The roster has 22 members; the minutes said 30: the extract says what they said."""
    attendance = {**EXAMPLE["attendance"], "total": 30, "official": 28, "present": 26, "present_official": 24}
    doc = parse(example(attendance=attendance), settings, profile)
    text = text_of(doc, settings)
    assert "Tổng số đảng viên của Chi bộ: 30 đồng chí; trong đó chính thức 28 đồng chí" in text
    assert "- Số đảng viên có mặt: 26 đồng chí (chính thức 24 đồng chí, dự bị 2 đồng chí)." in text


@pytest.mark.parametrize(("written", "printed"), [
    ("7", "07-BB/CB"), ("Số 7-bb/cb", "07-BB/CB"), ("07-BB/CB", "07-BB/CB"), ("12-BB", "12-BB/CB"),
])
def test_the_source_number_is_read_as_on_paper(settings: Settings, profile: Profile, written: str,
                                               printed: str) -> None:
    source = {**EXAMPLE["source"], "number": written}
    doc = parse(example(source=source), settings, profile)
    assert doc.context()["source_line"].startswith(f"Trích Biên bản số {printed} ngày 10/3/2026")


def test_minutes_without_a_number(settings: Settings, profile: Profile) -> None:
    source = {**EXAMPLE["source"], "number": None}
    doc = parse(example(source=source), settings, profile)
    assert doc.context()["source_line"] == ("Trích Biên bản ngày 10/3/2026 sinh hoạt chi bộ thường kỳ tháng 3 "
                                            "năm 2026")


@pytest.mark.parametrize(("written", "words"), [
    ("05-NQ/CB", "không phải số của một biên bản"), ("năm", "không đọc được số biên bản gốc"),
])
def test_a_number_that_is_not_a_minutes_number_is_refused(settings: Settings, profile: Profile, written: str,
                                                          words: str) -> None:
    found = problems(example(source={**EXAMPLE["source"], "number": written}), settings, profile)
    assert words in found["source.number"]


def test_an_extract_is_not_made_before_the_meeting(settings: Settings, profile: Profile) -> None:
    found = problems(example(date="9/3/2026"), settings, profile)
    assert "biên bản gốc ghi ngày 10/3/2026, sau ngày lập bản trích 9/3/2026" in found["source.date"]


def test_copied_figures_must_agree(settings: Settings, profile: Profile) -> None:
    attendance = {**EXAMPLE["attendance"], "total": 21}
    found = problems(example(attendance=attendance), settings, profile)
    assert "tổng số đảng viên (21) khác số chính thức cộng dự bị (20 + 2 = 22)" in found["attendance.total"]
    attendance = {**EXAMPLE["attendance"], "present": 19}
    found = problems(example(attendance=attendance), settings, profile)
    assert "số có mặt, vắng mặt và sinh hoạt tạm thời nơi khác (23) lớn hơn tổng số đảng viên (22)" \
        in found["attendance.present"]


def test_a_vote_cannot_exceed_its_denominator_or_the_members(settings: Settings, profile: Profile) -> None:
    item = {**EXAMPLE["items"][0], "votes": [vote(**{"for": 18, "abstain": 2})]}
    found = problems(example(items=[item], attendance=None), settings, profile)
    assert "số phiếu (tán thành, không tán thành, ý kiến khác) (20) lớn hơn mẫu số (19)" \
        in found["items[0].votes[0].for"]
    found = problems(example(items=[item]), settings, profile)  # and more than the 16 official members present
    assert "số phiếu (20) lớn hơn số đảng viên chính thức có mặt (16)" in found["items[0].votes[0].for"]
    item = {**EXAMPLE["items"][0], "votes": [vote(denominator=21)]}
    found = problems(example(items=[item]), settings, profile)
    assert "mẫu số (21) lớn hơn số đảng viên chính thức (20)" in found["items[0].votes[0].denominator"]


def test_every_part_holds_something(settings: Settings, profile: Profile) -> None:
    found = problems(example(items=[{"heading": "Biểu quyết", "text": None, "votes": []}]), settings, profile)
    assert "mục trích thứ 1 (\"Biểu quyết\") chưa có nội dung" in found["items[0].text"]
    found = problems(example(items=[]), settings, profile)
    assert "items" in found


def test_an_admission_vote_needs_two_thirds_and_names_the_paper(settings: Settings, profile: Profile) -> None:
    passed = parse(example(items=[{"heading": "Xét đề nghị kết nạp đảng viên", "votes": [vote()]}]),
                   settings, profile)
    assert passed.meta.title == "TRÍCH BIÊN BẢN xét đề nghị kết nạp đảng viên"
    assert "16/19 đồng chí tán thành, đạt 84,2%" in text_of(passed, settings)
    assert "Kết quả: thông qua (đạt ít nhất hai phần ba số đảng viên chính thức)." in text_of(passed, settings)
    failed = parse(example(items=[{"heading": "Xét đề nghị kết nạp đảng viên", "votes": [vote(**{"for": 12})]}]),
                   settings, profile)
    text = text_of(failed, settings)
    assert "12/19 đồng chí tán thành, chỉ đạt 63,2%" in text
    assert "không thông qua (cần ít nhất hai phần ba số đảng viên chính thức tán thành)" in text
    assert any("không được thông qua" in w.vi and "bản trích ghi đúng kết quả đó" in w.vi for w in failed.warnings)


def test_a_votes_only_part_has_no_second_title(settings: Settings, profile: Profile) -> None:
    doc = parse(example(items=[{"heading": "Biểu quyết", "votes": [vote()]}]), settings, profile)
    text = text_of(doc, settings)
    assert "I. BIỂU QUYẾT\n- Biểu quyết đề nghị kết nạp" in text
    assert "Kết quả biểu quyết:" not in text
    body = doc.context()["body"]
    assert body[-1]["keep"] and body[-1]["style"] == "note"  # the last line stays with the signature


def test_zero_counts_in_words_and_optional_lines_left_out(settings: Settings, profile: Profile) -> None:
    attendance = {"total": 12, "official": 12, "probationary": 0, "present": 12, "absent": 0,
                  "present_official": 12, "present_probationary": 0}
    meeting = {"start": "19:30"}
    items = [{"heading": "Biểu quyết", "votes": [vote(**{"for": 10, "denominator": 12})]}]
    doc = parse(example(attendance=attendance, meeting=meeting, denominator_text=None, items=items), settings,
                profile)
    text = text_of(doc, settings)
    assert "trong đó chính thức 12 đồng chí, không có đảng viên dự bị." in text
    assert "- Số đảng viên vắng mặt: không có đồng chí nào." in text
    assert "- Số đảng viên có mặt: 12 đồng chí (chính thức 12 đồng chí)." in text
    assert "- Thời gian: bắt đầu lúc 19 giờ 30 phút, ngày 10 tháng 3 năm 2026." in text
    for absent in ("+ Số đảng viên", "Địa điểm", "Đại biểu dự", "Chủ trì", "Thư ký:"):
        assert absent not in text
    assert "Tỷ lệ biểu quyết tính trên 12 đảng viên chính thức." in text  # the plain sentence
    assert [w.vi for w in doc.warnings] == ["bản trích chưa ghi chủ trì và thư ký của buổi họp (meeting)"]


def test_without_attendance_a_warning(settings: Settings, profile: Profile) -> None:
    doc = parse(example(attendance=None), settings, profile)
    assert [w.vi for w in doc.warnings] == [
        "bản trích chưa ghi số đảng viên của buổi họp (attendance: tổng số, có mặt, vắng mặt)"]
    assert "Tổng số đảng viên" not in text_of(doc, settings)


def test_members_by_id_and_the_deputy_certifies(settings: Settings, profile: Profile) -> None:
    meeting = {**EXAMPLE["meeting"], "chair": "m01", "secretary": "đồng chí Lê Văn Cường"}
    doc = parse(example(meeting=meeting, signer="m02"), settings, profile)
    text = text_of(doc, settings)
    assert "- Chủ trì: đồng chí Nguyễn Văn An, Bí thư Chi bộ." in text
    assert "- Thư ký: đồng chí Lê Văn Cường, Chi ủy viên." in text
    assert "T/M CHI BỘ\nPHÓ BÍ THƯ\nTrần Thị Bích" in text
    found = problems(example(signer="m05"), settings, profile)
    assert "không phải Bí thư hay Phó Bí thư" in found["signer"]
    found = problems(example(meeting={**EXAMPLE["meeting"], "chair": "m99"}), settings, profile)
    assert "m99" in found["meeting.chair"]


# ------------------------------------------------------------------------ docgen extract

def _ids(root: Path) -> dict[str, str]:
    listed = run(root, "list", "--json", "--all")
    assert listed.exit_code == 0, listed.output
    return {doc["number_text"] or doc["id"]: doc["id"] for doc in json.loads(listed.stdout)}


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """The March minutes (07-BB/CB) and resolution (05-NQ/CB) filed through the CLI."""
    root = tmp_path / "archive"
    filed = run(root, "new", str(MINUTES), str(EXAMPLES / "nghi-quyet.yaml"))
    assert filed.exit_code == 0, filed.output
    return root


def test_extract_its_vote_file_it_and_it_names_the_minutes(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "trich.yaml"
    result = run(archive, "extract", "07-BB/CB", "--vote", "1", "--date", "13/3/2026", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "bản trích Biên bản số 07-BB/CB ngày 10/3/2026 (1 biểu quyết)" in result.stdout
    text = out.read_text("utf-8")
    assert "# Số biên bản gốc — như trên biên bản" in text  # commented like docgen form
    assert f"#   docgen new {_default_name()}" in text
    data = yaml.safe_load(text)
    assert data["kind"] == KIND and data["date"] == "13/3/2026"
    assert data["source"] == {"number": "07-BB/CB", "date": "10/3/2026",
                              "title": "sinh hoạt chi bộ thường kỳ tháng 3 năm 2026", "kind": "bien-ban-thuong-ky",
                              "archive_id": _ids(archive)["07-BB/CB"]}
    source_vote = yaml.safe_load(MINUTES.read_text("utf-8"))["vote"]
    assert data["items"] == [{"heading": "Biểu quyết", "votes": [
        {"subject": source_vote["subject"], "type": "resolution", "for": source_vote["for"],
         "against": source_vote["against"], "abstain": source_vote["abstain"], "denominator": 19}]}]
    assert data["attendance"]["present"] == 18 and data["attendance"]["absent"] == 3
    filed = run(archive, "new", str(out))
    assert filed.exit_code == 0, filed.output
    assert "không đánh số" in filed.stdout
    listed = json.loads(run(archive, "list", "--json", "--kind", KIND).stdout)
    assert len(listed) == 1 and listed[0]["number_text"] == "" and listed[0]["date"] == "2026-03-13"
    printed = Path(listed[0]["docx"])
    from docgen.docxtext import docx_text

    words = docx_text(printed.read_bytes())
    assert "TRÍCH BIÊN BẢN" in words
    assert "Trích Biên bản số 07-BB/CB ngày 10/3/2026 sinh hoạt chi bộ thường kỳ tháng 3 năm 2026 như sau:" in words
    assert "15/19 đồng chí tán thành, đạt 78,9%" in words
    found = json.loads(run(archive, "search", "Trích biên bản", "--json").stdout)
    assert listed[0]["id"] in {hit["id"] for hit in found["hits"]}


def _default_name() -> str:
    return "trich-BB-07-2026-03-10-an-thanh.yaml"


def test_the_example_is_what_extract_writes(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "ex.yaml"
    result = run(archive, "extract", "07-BB/CB", "--conclusion", "--date", "13/3/2026", "-o", str(out))
    assert result.exit_code == 0, result.output
    written = yaml.safe_load(out.read_text("utf-8"))
    expected = yaml.safe_load((EXAMPLES / f"{KIND}.yaml").read_text("utf-8"))
    written["source"]["archive_id"] = None
    expected["recipients"] = []
    assert written == expected


def test_file_at_once_with_items_speeches_and_the_conclusion(archive: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(archive, "extract", "07-BB/CB", "--item", "4", "--speech", "2", "--speech", "4", "--conclusion",
                 "--date", "20/3/2026", "--file")
    assert result.exit_code == 0, result.output
    assert "Đã lưu" in result.stdout and "không đánh số" in result.stdout
    assert not list(tmp_path.glob("*.yaml"))  # --file without -o writes nothing outside the archive
    doc = json.loads(run(archive, "list", "--json", "--kind", KIND).stdout)[0]
    from docgen.docxtext import docx_text

    words = docx_text(Path(doc["docx"]).read_bytes())
    assert "I. NỘI DUNG SINH HOẠT\n4. Công tác đảng viên, thu nộp đảng phí" in words
    assert "II. DIỄN BIẾN BUỔI SINH HOẠT\n- Đồng chí Trần Thị Bích, Phó Bí thư Chi bộ: Đề nghị bổ sung" in words
    assert "- Đồng chí Trần Văn Bình, Đảng ủy viên, phụ trách chi bộ: Ghi nhận kết quả" in words
    assert "III. KẾT LUẬN, BIỂU QUYẾT\nĐồng chí Nguyễn Văn An (chủ trì) kết luận:" in words
    assert "Quang Kim, ngày 20 tháng 3 năm 2026" in words


def test_without_o_the_file_is_named_after_the_minutes(archive: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first = run(archive, "extract", "7-bb/cb")
    assert first.exit_code == 0, first.output
    assert (tmp_path / _default_name()).is_file()
    again = run(archive, "extract", "7-bb/cb")
    assert again.exit_code == ExitStatus.INPUT
    assert "đã có, không ghi đè" in again.stderr and "--force" in again.stderr
    assert run(archive, "extract", "7-bb/cb", "--force").exit_code == 0


def _nothing_written(tmp_path: Path) -> None:
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize(("args", "status", "words"), [
    (("99-BB/CB",), ExitStatus.ARCHIVE, "không có văn bản số 99-BB/CB"),
    (("05-NQ/CB",), ExitStatus.ARCHIVE, "là nghị quyết, không phải biên bản: chỉ trích được biên bản"),
    (("07-BB/CB", "--item", "9"), ExitStatus.USAGE, "--item 9: biên bản 07-BB/CB chỉ có 4 nội dung sinh hoạt"),
    (("07-BB/CB", "--speech", "5"), ExitStatus.USAGE, "--speech 5: biên bản 07-BB/CB chỉ có 4 ý kiến phát biểu"),
    (("07-BB/CB", "--vote", "2"), ExitStatus.USAGE, "--vote 2: biên bản 07-BB/CB chỉ có 1 biểu quyết"),
    (("07-BB/CB", "--date", "1/3/2026"), ExitStatus.USAGE, "không thể lập trước ngày họp 10/3/2026"),
    (("07-BB/CB", "--item", "0"), ExitStatus.USAGE, "--item"),
])
def test_errors_name_the_argument_and_write_nothing(archive: Path, tmp_path: Path, args: tuple[str, ...],
                                                    status: int, words: str) -> None:
    result = run(archive, "extract", *args, "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == status, result.output
    assert words in result.stderr
    assert "Traceback" not in result.output
    _nothing_written(tmp_path)


def test_the_fix_is_said(archive: Path, tmp_path: Path) -> None:
    result = run(archive, "extract", "07-BB/CB", "--item", "9", "-o", str(tmp_path / "x.yaml"))
    assert "Trường: --item" in result.stderr
    assert "Cách sửa: chọn --item từ 1 đến 4: 1. Thông tin thời sự" in result.stderr
    english = run(archive, "extract", "07-BB/CB", "--item", "9", "-o", str(tmp_path / "x.yaml"), lang="en")
    assert "--item 9: the minutes 07-BB/CB have 4 agenda items (1 to 4)" in english.stderr


def test_a_withdrawn_or_draft_minutes_is_not_extracted(archive: Path, tmp_path: Path) -> None:
    minutes_id = _ids(archive)["07-BB/CB"]
    assert run(archive, "withdraw", minutes_id, "--reason", "ghi nhầm ngày").exit_code == 0
    result = run(archive, "extract", minutes_id, "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == ExitStatus.ARCHIVE
    assert "đã bị thu hồi (lý do: ghi nhầm ngày): không trích từ văn bản đã thu hồi" in result.stderr
    draft = yaml.safe_load(MINUTES.read_text("utf-8"))
    draft.update({"draft": True, "number": None, "date": "2026-04-14", "month": 4})
    path = tmp_path / "nhap.yaml"
    path.write_text(yaml.safe_dump(draft, allow_unicode=True), "utf-8")
    assert run(archive, "new", str(path)).exit_code == 0
    draft_id = next(i for key, i in _ids(archive).items() if key == i and i != minutes_id)
    result = run(archive, "extract", draft_id, "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == ExitStatus.ARCHIVE
    assert "còn là dự thảo" in result.stderr and f"docgen finalize {draft_id}" in result.stderr
    _nothing_written(tmp_path)


def test_minutes_without_votes_need_a_choice(archive: Path, tmp_path: Path) -> None:
    data = yaml.safe_load(MINUTES.read_text("utf-8"))
    data.update({"vote": None, "number": 9, "date": "2026-04-14", "month": 4})
    path = tmp_path / "bb4.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert run(archive, "new", str(path)).exit_code == 0
    result = run(archive, "extract", "09-BB/CB", "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == ExitStatus.USAGE
    assert "không có biểu quyết nào để trích" in result.stderr and "--item N" in result.stderr
    _nothing_written(tmp_path)
    assert run(archive, "extract", "09-BB/CB", "--conclusion", "-o", str(tmp_path / "x.yaml")).exit_code == 0


def test_the_admission_vote_for_the_dossier(archive: Path, tmp_path: Path) -> None:
    """The use the kind is for: minutes with an admission vote, extracted for the dossier."""
    data = yaml.safe_load(MINUTES.read_text("utf-8"))
    data.update({"number": 9, "date": "2026-04-14", "month": 4, "agenda": [
        *data["agenda"], "Xét đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng"],
        "votes": [{"subject": "đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng", "type": "admission", "for": 16}]})
    path = tmp_path / "bb4.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert run(archive, "new", str(path)).exit_code == 0
    out = tmp_path / "kn.yaml"
    result = run(archive, "extract", "09-BB/CB", "--item", "5", "--vote", "2", "--date", "15/4/2026", "-o", str(out))
    assert result.exit_code == 0, result.output
    extract = yaml.safe_load(out.read_text("utf-8"))
    assert extract["topics"] == ["ptdv"]
    assert extract["items"][-1]["votes"] == [{"subject": "đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng",
                                              "type": "admission", "for": 16, "against": 0, "abstain": 0,
                                              "denominator": 19}]
    assert run(archive, "new", str(out)).exit_code == 0
    doc = json.loads(run(archive, "list", "--json", "--kind", KIND).stdout)[0]
    assert doc["title"] == "TRÍCH BIÊN BẢN xét đề nghị kết nạp đảng viên"
    from docgen.docxtext import docx_text

    words = docx_text(Path(doc["docx"]).read_bytes())
    assert "Trích Biên bản số 09-BB/CB ngày 14/4/2026 sinh hoạt chi bộ thường kỳ tháng 4 năm 2026 như sau:" in words
    assert "5. Xét đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng" in words
    assert ("- Biểu quyết đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng: 16/19 đồng chí tán thành, đạt 84,2%; "
            "không có đồng chí nào không tán thành; không có đồng chí nào có ý kiến khác. Kết quả: thông qua "
            "(đạt ít nhất hai phần ba số đảng viên chính thức).") in words
    assert words.count("- Biểu quyết ") == 1  # only the vote asked for


def test_votes_without_counts_are_copied_as_their_sentence() -> None:
    """A minutes kind whose context gives a vote only as its printed sentence (a committee's
    minutes): the extract copies the sentence as text, and structured votes stay votes."""
    from docgen.authoring.extract import Selection, _items, _Source

    sentence = "Biểu quyết thống nhất chương trình: 3/3 đồng chí tán thành, đạt 100%. Kết quả: thông qua."
    counted = {"subject": "kết nạp", "type": "admission", "votes_for": 3, "against": 0, "abstain": 0,
               "denominator": 3, "sentence": "…"}
    context = {"agenda": [], "proceedings": None, "conclusion": [], "chair_name": "Nguyễn Văn An",
               "votes": [{"subject": "thống nhất chương trình", "sentence": sentence}, counted]}
    source = _Source(doc=None, record={}, context=context, data={})  # type: ignore[arg-type]
    items, votes = _items(source, Selection(), "06-BB/CB")
    assert votes == 2
    assert items == [{"heading": "Biểu quyết", "text": f"- {sentence}", "votes": [
        {"subject": "kết nạp", "type": "admission", "for": 3, "against": 0, "abstain": 0, "denominator": 3}]}]
