"""Small builders for authoring tests: hand-made .docx templates and init answers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import docx


def make_docx(path: Path, paragraphs: Sequence[str] = (), rows: Sequence[Sequence[str]] = (),
              header: str | None = None, footer: str | None = None) -> Path:
    """A .docx with ``paragraphs``, then a table of ``rows``, optional header/footer text."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        document.sections[0].footer.paragraphs[0].text = footer
    document.save(str(path))
    return path


def init_input(lines: Sequence[str]) -> str:
    return "\n".join(lines) + "\n"


CELL_ANSWERS = [
    "chi bộ thôn an thành",  # cell name (upper-cased)
    "đảng bộ xã quang kim",  # superior (upper-cased)
    "",  # superior committee: accept the default
    "Quang Kim",  # place
    "",  # symbol: default CB
]
MEMBER_ANSWERS = [
    "Nguyễn Văn An", "19/05/1998", "19/05/1999", "", "",
    "Trần Thị Bình", "2020-01-03", "", "01/03/2025", "tuổi cao, sức khỏe yếu",
    "05/01/2026", "30/06/2026", "Chi bộ Công ty X",
    "Lê Văn Cường", "03/02/2010", "03/02/2011", "", "",
    "",  # end of the list
]
VISITOR_ANSWERS = [
    "Đinh Văn Phúc", "Chi bộ Trường Tiểu học Quang Kim", "15/06/2009", "15/06/2010",
    "01/10/2025", "30/09/2026",
    "",  # no more visitors
]
OFFICER_ANSWERS = ["1", "2", "2,3"]


def happy_init_lines(term: Sequence[str] = ("20/08/2025",)) -> list[str]:
    return [*CELL_ANSWERS, *term, "Nhà văn hóa thôn An Thành", *MEMBER_ANSWERS, *VISITOR_ANSWERS,
            *OFFICER_ANSWERS]


PROFILE = """\
cell:
  name: CHI BỘ THÔN AN THÀNH
  superior: ĐẢNG BỘ XÃ QUANG KIM
  superior_committee: Đảng ủy xã Quang Kim
  place: Quang Kim
  symbol: CB
  term_start: 2025-08-20
  meeting_place: Nhà văn hóa thôn An Thành
officers:
  bi_thu: m01
  chi_uy_vien: [m03]
members:
  - {id: m01, name: Nguyễn Văn An, admitted: 1998-05-19, official: 1999-05-19}
  - {id: m02, name: Trần Thị Bình, admitted: 2025-11-03, official: null}
  - id: m03
    name: Lê Văn Cường
    admitted: 2000-01-01
    official: 2001-01-01
    exempt: [{from: 2024-01-01, to: null, reason: "tuổi cao, sức khỏe yếu"}]
  - id: m04
    name: Phạm Thị Dung
    admitted: 2010-01-01
    official: 2011-01-01
    temporary_out: [{from: 2026-01-05, to: 2026-06-30, where: Chi bộ Công ty X}]
  - {id: m05, name: Hoàng Văn Em, admitted: 2010-01-01, official: 2011-01-01, left: 2026-02-01}
  - id: t01
    name: Đỗ Văn Phúc
    admitted: 2005-01-01
    official: 2006-01-01
    home_cell: Chi bộ thôn Đông
    temporary_in: [{from: 2026-03-01, to: 2026-12-31}]
"""


def write_profile(folder: Path, text: str = PROFILE) -> Path:
    path = folder / "profile.yaml"
    path.write_text(text, "utf-8")
    return path
