"""Importing members from .xlsx and CSV (docgen.authoring.roster_import): header found
below titles, a preview with one message per bad row, only the good rows written."""

from __future__ import annotations

import datetime as dt
import errno
import io
import shutil
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from docgen.authoring import roster_import
from docgen.authoring.roster_edit import ProfileChangedError, edit_member, read_roster
from docgen.authoring.roster_import import (
    ADD,
    ERROR,
    UNCHANGED,
    UPDATE,
    ImportPreview,
    SheetRow,
    apply_import,
    header_key,
    preview_import,
    read_sheet,
)
from docgen.errors import ConfigError, InputError
from docgen.model.profile import load_profile

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "profile.yaml"


@pytest.fixture
def profile_path(tmp_path: Path) -> Path:
    path = tmp_path / "profile.yaml"
    shutil.copyfile(EXAMPLE, path)
    return path


def xlsx(path: Path, rows: Sequence[Sequence[object]] | list[list[object]], *, title: str = "Danh sách") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def preview_of(profile_path: Path, rows: list[SheetRow]) -> ImportPreview:
    snapshot = read_roster(profile_path)
    return preview_import(snapshot.profile, rows, profile_sha256=snapshot.sha256)


def by_row(preview: ImportPreview) -> dict[int, roster_import.ImportRow]:
    return {r.number: r for r in preview.rows}


SHEET: list[list[object]] = [
    ["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN AN THÀNH"],  # row 1: a title
    ["(kèm theo báo cáo ngày 10/3/2026)"],
    [],
    ["STT", "Họ và tên", "Ngày vào Đảng", "Ngày chính thức", "Ghi chú"],  # row 4: the header
    [1, "Nguyễn Văn An", dt.datetime(1998, 5, 19), dt.datetime(1999, 5, 19), ""],  # unchanged (a real date)
    [2, "PHẠM VĂN DŨNG", "22/12/1985", "22/12/1987", "sửa ngày chính thức"],  # update, matched by name
    [3, "Lê Thị Mới", "2/9/2025", None, "kết nạp lớp 2025"],  # add
    [4, "Người Sai Ngày", "30/2/2020", "", ""],  # a date that does not exist
    [5, "Chính Thức Sớm", "1/3/2020", "1/1/2020", ""],  # official before admitted
    [6, "", "1/3/2020", "", ""],  # no name
    [7, "le thi moi", "2/9/2025", "", ""],  # the same person as row 7, without accents
    [8, "<script>alert(1)</script>", "1/3/2021", "", ""],  # hostile text: stored as it is
    [9, "{{ 7*7 }}", "1/3/2021", "", ""],
    [10, "& < >", "1/3/2021", "", ""],
]


def test_xlsx_preview_finds_the_header_below_titles_and_says_what_each_row_does(
        profile_path: Path, tmp_path: Path) -> None:
    rows = read_sheet(xlsx(tmp_path / "ds.xlsx", SHEET))
    assert rows[0] == SheetRow(1, ("DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN AN THÀNH",))
    assert [r.number for r in rows][:4] == [1, 2, 4, 5]  # the blank row 3 dropped, numbers as in Excel
    preview = preview_of(profile_path, rows)
    assert preview.header_row == 4
    assert dict(preview.columns) == {"name": "Họ và tên (B)", "admitted": "Ngày vào Đảng (C)",
                                     "official": "Ngày chính thức (D)", "note": "Ghi chú (E)"}
    rows_by = by_row(preview)
    assert {n: r.action for n, r in rows_by.items()} == {
        5: UNCHANGED, 6: UPDATE, 7: ADD, 8: ERROR, 9: ERROR, 10: ERROR, 11: ERROR, 12: ADD, 13: ADD, 14: ADD}
    assert rows_by[5].member_id == "m01"
    assert rows_by[6].member_id == "m04" and rows_by[6].name == "Phạm Văn Dũng"  # the roster's spelling stays
    assert [c.vi for c in rows_by[6].changes] == ["ngày chính thức: 22/12/1986 → 22/12/1987"]
    assert rows_by[7].member_id == "m23" and rows_by[12].member_id == "m24"
    assert rows_by[7].note == "kết nạp lớp 2025" and preview.has_note
    assert preview.summary().vi == "4 đảng viên mới, 1 cập nhật, 1 không đổi, 4 dòng lỗi (không nhập)"


def test_each_bad_row_has_a_message_naming_the_column_and_the_fix(profile_path: Path, tmp_path: Path) -> None:
    preview = preview_of(profile_path, read_sheet(xlsx(tmp_path / "ds.xlsx", SHEET)))
    rows = by_row(preview)
    assert rows[8].message().vi == (
        "Dòng 8, cột Ngày vào Đảng (C): ngày không có thật: 30/2/2020 — cách sửa: kiểm tra ngày và tháng "
        "(tháng 2 có 28 hoặc 29 ngày; tháng 4, 6, 9, 11 có 30 ngày)")
    assert rows[9].problems[0].column == "Ngày chính thức (D)"
    assert "1/1/2020 trước ngày kết nạp 1/3/2020" in rows[9].message().vi
    assert rows[10].message().vi.startswith("Dòng 10, cột Họ và tên (B): chưa ghi — cách sửa: ghi họ và tên")
    assert rows[11].message().vi.startswith("Dòng 11, cột Họ và tên (B): trùng với dòng 7")
    assert rows[11].message().en.startswith("Row 11, column Họ và tên (B): the same member as row 7")
    assert [r.number for r in preview.errors] == [8, 9, 10, 11]


def test_apply_writes_the_good_rows_only(profile_path: Path, tmp_path: Path) -> None:
    preview = preview_of(profile_path, read_sheet(xlsx(tmp_path / "ds.xlsx", SHEET)))
    summary = apply_import(profile_path, preview)
    assert summary.added == ("m23", "m24", "m25", "m26") and summary.updated == ("m04",)
    assert summary.unchanged == 1 and summary.skipped_rows == (8, 9, 10, 11)
    assert summary.message().vi == "Đã thêm 4 đảng viên, cập nhật 1, 1 không đổi, bỏ qua 4 dòng lỗi"
    profile = load_profile(profile_path)
    names = [m.name for m in profile.members]
    assert names[-4:] == ["Lê Thị Mới", "<script>alert(1)</script>", "{{ 7*7 }}", "& < >"]  # literally
    assert not {"Người Sai Ngày", "Chính Thức Sớm", "le thi moi"} & set(names)
    dung = profile.member("m04")
    assert dung is not None and dung.official == dt.date(1987, 12, 22)
    new = profile.member("m23")
    assert new is not None and new.official is None  # a blank official cell: probationary
    assert summary.profile_sha256 == read_roster(profile_path).sha256
    assert EXAMPLE.read_text("utf-8").splitlines()[:20] == profile_path.read_text("utf-8").splitlines()[:20]


def test_unaccented_and_english_headers(profile_path: Path, tmp_path: Path) -> None:
    rows = read_sheet(xlsx(tmp_path / "a.xlsx", [["Ho ten", "Ngay ket nap", "Ngay chinh thuc", "Ma"],
                                                  ["Trần Thị Bích", "26/3/2005", "", "m02"]]))
    assert dict(preview_of(profile_path, rows).columns).keys() == {"name", "admitted", "official", "id"}
    rows = read_sheet(b"Full name,Admitted,Official,Note\nAn Binh,1/2/2024,,x\n", "members.csv")
    preview = preview_of(profile_path, rows)
    assert [r.action for r in preview.rows] == [ADD]
    assert header_key("  Họ và tên (*) ") == "ho va ten"


def test_update_by_id_renames_and_a_blank_cell_keeps_the_date(profile_path: Path) -> None:
    rows = read_sheet("Mã;Họ và tên;Ngày vào Đảng;Ngày chính thức\n"
                      "m02;Trần Thị Bích Ngọc;;\n"
                      "M03;Lê Văn Cường;2/9/2010;2/9/2011\n".encode(), "ds.csv")
    preview = preview_of(profile_path, rows)
    rows_by = by_row(preview)
    assert rows_by[2].action == UPDATE and rows_by[2].member_id == "m02"
    assert [c.vi for c in rows_by[2].changes] == ["họ tên: Trần Thị Bích → Trần Thị Bích Ngọc"]
    assert rows_by[3].action == UNCHANGED
    apply_import(profile_path, preview)
    m02 = load_profile(profile_path).member("m02")
    assert m02 is not None and m02.name == "Trần Thị Bích Ngọc"
    assert m02.admitted == dt.date(2005, 3, 26) and m02.official == dt.date(2006, 3, 26)  # blank cells: kept


def test_ids_in_the_sheet(profile_path: Path) -> None:
    rows = read_sheet("Mã,Họ và tên,Ngày vào Đảng\n"
                      "m50,Người Có Mã,1/1/2024\n"
                      "m99,Nguyễn Văn An,1/1/2024\n"
                      "Sai Mã!,Người Khác,1/1/2024\n"
                      ",Người Không Mã,1/1/2024\n".encode(), "ds.csv")
    rows_by = by_row(preview_of(profile_path, rows))
    assert (rows_by[2].action, rows_by[2].member_id) == (ADD, "m50")
    assert rows_by[3].action == ERROR and "họ tên trùng với m01 — Nguyễn Văn An" in rows_by[3].message().vi
    assert rows_by[4].action == ERROR and rows_by[4].problems[0].column == "Mã (A)"
    assert (rows_by[5].action, rows_by[5].member_id) == (ADD, "m51")  # after the highest id in use


def test_csv_utf8_with_bom_semicolons_and_quotes(profile_path: Path) -> None:
    text = ("Danh sách đảng viên;;\n"
            "Họ và tên;Ngày kết nạp;Ghi chú\n"
            "\"Hoàng; Thị\nHai Dòng\";10.3.2026;\"có \"\"nháy\"\"\"\n")
    rows = read_sheet(b"\xef\xbb\xbf" + text.encode(), "ds.csv")
    assert rows[1] == SheetRow(2, ("Họ và tên", "Ngày kết nạp", "Ghi chú"))
    preview = preview_of(profile_path, rows)
    (row,) = preview.rows
    assert (row.number, row.action, row.name, row.admitted) == (3, ADD, "Hoàng; Thị Hai Dòng", dt.date(2026, 3, 10))
    assert row.note == "có \"nháy\""


def test_csv_utf16_from_excel_unicode_text(profile_path: Path) -> None:
    data = "Họ và tên\tNgày vào Đảng\nVõ Thị Sáu\t1/1/2024\n".encode("utf-16")
    preview = preview_of(profile_path, read_sheet(data, "ds.txt"))
    assert [(r.action, r.name) for r in preview.rows] == [(ADD, "Võ Thị Sáu")]


def cp1258(text: str) -> bytes:
    """Windows-1258 as Excel's plain "CSV" writes it on a Vietnamese Windows: â ê ô ă ơ ư đ
    precomposed, the other tones as combining bytes after the vowel."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            rest = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += rest.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def test_csv_in_a_legacy_encoding_is_explained() -> None:
    data = cp1258("Họ và tên,Ngày vào Đảng\nNguyễn Văn Được,1/1/2024\nTrần Thị Bình,2/2/2022\n")
    with pytest.raises(InputError) as caught:
        read_sheet(data, "ds.csv")
    text = caught.value.render()
    assert "không phải UTF-8" in text and "CSV UTF-8" in text and "Windows-1258" in text
    assert "is not UTF-8" in caught.value.render("en")


def test_merged_header_with_du_bi_and_chinh_thuc(profile_path: Path, tmp_path: Path) -> None:
    rows = read_sheet(xlsx(tmp_path / "ds.xlsx", [
        ["TT", "Họ và tên", "Ngày vào Đảng", None],
        [None, None, "Dự bị", "Chính thức"],
        [1, "Kim Văn Đồng", "5/5/2020", "5/5/2021"]]))
    preview = preview_of(profile_path, rows)
    assert preview.header_row == 2
    (row,) = preview.rows
    assert (row.number, row.admitted, row.official) == (3, dt.date(2020, 5, 5), dt.date(2021, 5, 5))


def test_numbers_and_tcvn3_text_in_cells(profile_path: Path, tmp_path: Path) -> None:
    rows = read_sheet(xlsx(tmp_path / "ds.xlsx", [
        ["Họ và tên", "Ngày vào Đảng"],
        ["Người Có Số", 45000],
        ["NguyÔn V¨n An", "1/1/2020"],  # "Nguyễn Văn An" typed with a .VnTime font
    ]))
    rows_by = by_row(preview_of(profile_path, rows))
    assert "ô ghi số 45000, không phải ngày" in rows_by[2].message().vi
    assert "phông TCVN3" in rows_by[3].message().vi


def test_no_header_row(profile_path: Path) -> None:
    rows = read_sheet("Tên,Tuổi\nAn,30\n".encode(), "ds.csv")
    with pytest.raises(InputError) as caught:
        preview_of(profile_path, rows)
    assert "không tìm thấy dòng tiêu đề" in caught.value.render()
    with pytest.raises(InputError) as caught:
        preview_of(profile_path, read_sheet("Họ và tên,Ghi chú\nAn,x\n".encode(), "ds.csv"))
    assert "không có cột Ngày vào Đảng" in caught.value.render()


# --------------------------------------------------------------------------- concurrency, failures

def test_apply_refuses_when_the_profile_changed_since_the_preview(profile_path: Path, tmp_path: Path) -> None:
    preview = preview_of(profile_path, read_sheet(xlsx(tmp_path / "ds.xlsx", SHEET)))
    edit_member(profile_path, "m04", {"official": "22/12/1990"})  # someone else saves meanwhile
    after_edit = profile_path.read_bytes()
    with pytest.raises(ProfileChangedError) as caught:
        apply_import(profile_path, preview)
    assert "đã thay đổi từ lúc xem trước" in caught.value.render()
    assert profile_path.read_bytes() == after_edit


def test_apply_without_a_sha_still_refuses_a_changed_plan(profile_path: Path, tmp_path: Path) -> None:
    rows = read_sheet(xlsx(tmp_path / "ds.xlsx", SHEET))
    preview = preview_import(load_profile(profile_path), rows)  # no sha: the plan is compared instead
    edit_member(profile_path, "m04", {"official": "22/12/1987"})  # row 6 would now change nothing
    with pytest.raises(ProfileChangedError):
        apply_import(profile_path, preview)


def test_a_failed_import_write_leaves_the_file_byte_identical(
        profile_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    preview = preview_of(profile_path, read_sheet(xlsx(tmp_path / "ds.xlsx", SHEET)))
    before = profile_path.read_bytes()

    def read_only(src: object, dst: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(dst))

    monkeypatch.setattr("docgen.fsio.os.replace", read_only)
    with pytest.raises(ConfigError) as caught:
        apply_import(profile_path, preview)
    assert "chỉ cho đọc" in caught.value.render()
    assert profile_path.read_bytes() == before


# --------------------------------------------------------------------------- hostile files

def test_files_over_the_size_limit(tmp_path: Path) -> None:
    big = b"Ho ten,Ngay vao Dang\n" + b"x" * roster_import.MAX_IMPORT_BYTES
    with pytest.raises(InputError) as caught:
        read_sheet(big, "ds.csv")
    assert "tệp quá lớn" in caught.value.render()
    path = tmp_path / "big.csv"
    path.write_bytes(big)
    with pytest.raises(InputError):
        read_sheet(path)


def test_too_many_rows(profile_path: Path) -> None:
    lines = ["Họ và tên,Ngày vào Đảng"] + [f"Người {i},1/1/2020" for i in range(roster_import.MAX_IMPORT_ROWS + 11)]
    with pytest.raises(InputError) as caught:
        read_sheet("\n".join(lines).encode(), "ds.csv")
    assert f"tối đa {roster_import.MAX_IMPORT_ROWS} đảng viên" in caught.value.render()
    rows = [SheetRow(1, ("Họ và tên", "Ngày vào Đảng"))] + [
        SheetRow(i + 2, (f"N {i}", "1/1/2020")) for i in range(roster_import.MAX_IMPORT_ROWS + 1)]
    with pytest.raises(InputError):
        preview_of(profile_path, rows)


def test_an_xlsx_that_is_not_a_zip() -> None:
    with pytest.raises(InputError) as caught:
        read_sheet(b"this is not a workbook at all", "ds.xlsx")
    assert "bị hỏng hoặc không phải tệp .xlsx" in caught.value.render()
    with pytest.raises(InputError) as caught:
        read_sheet(b"PK\x03\x04" + b"\x00" * 100, "ds.xlsx")
    assert "bị hỏng" in caught.value.render()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_opened() -> None:
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                 "xl/worksheets/sheet1.xml": b" " * (roster_import.MAX_UNCOMPRESSED_BYTES + 1)})
    assert len(bomb) < roster_import.MAX_IMPORT_BYTES  # small on disk
    with pytest.raises(InputError) as caught:
        read_sheet(bomb, "ds.xlsx")
    assert "quá lớn khi giải nén" in caught.value.render()


def test_xml_entities_are_refused() -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
              b"<workbook>&lol;</workbook>")
    with pytest.raises(InputError) as caught:
        read_sheet(_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": laughs}), "ds.xlsx")
    assert "bị hỏng" in caught.value.render()


def test_a_damaged_workbook_gets_a_message_not_a_traceback() -> None:
    broken = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook><not closed"})
    with pytest.raises(InputError) as caught:
        read_sheet(broken, "ds.xlsx")
    assert "không đọc được tệp Excel" in caught.value.render()


def test_old_excel_and_other_formats() -> None:
    with pytest.raises(InputError) as caught:
        read_sheet(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "ds.xls")
    assert "Excel 97-2003 (.xls)" in caught.value.render()
    with pytest.raises(InputError) as caught:
        read_sheet(_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}),
                   "ds.ods")
    assert "OpenDocument (.ods)" in caught.value.render()
    with pytest.raises(InputError) as caught:
        read_sheet(b"%PDF-1.7 ...", "ds.pdf")
    assert "không nhập được tệp .pdf" in caught.value.render()
    with pytest.raises(InputError) as caught:
        read_sheet(b"  \n", "ds.csv")
    assert "tệp rỗng" in caught.value.render()


def test_the_first_sheet_with_a_header_is_read(profile_path: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Hướng dẫn: điền danh sách ở trang tính sau"])
    other = book.create_sheet("Đảng viên")
    other.append(["Họ và tên", "Ngày vào Đảng"])
    other.append(["Từ Trang Hai", dt.date(2024, 4, 1)])
    book.save(tmp_path / "ds.xlsx")
    preview = preview_of(profile_path, read_sheet(tmp_path / "ds.xlsx"))
    assert [(r.action, r.name, r.admitted) for r in preview.rows] == [(ADD, "Từ Trang Hai", dt.date(2024, 4, 1))]
