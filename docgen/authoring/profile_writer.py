"""Write a new chi bộ profile (profile.yaml) and docgen.toml from ``docgen init`` answers.

The questions are asked by the CLI; this module turns the answers into the files of
docs/input-format.md, with Vietnamese comments so the roster can be edited by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from docgen.errors import ConfigError, InputError
from docgen.fsio import write_text_atomic
from docgen.i18n import Msg
from docgen.model.files import reads_as_text
from docgen.vn.dates import DateError, date_error_msg, parse_user_date, strip_quotes
from docgen.vn.text import clean

PROFILE_NAME = "profile.yaml"
CONFIG_NAME = "docgen.toml"

@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date | None = None
    note: str = ""  # reason (exempt) or where (temporarily out)


@dataclass(frozen=True)
class MemberAnswer:
    name: str
    admitted: dt.date
    official: dt.date | None = None  # None: still probationary (dự bị)
    exempt: Period | None = None
    temporary_out: Period | None = None


@dataclass(frozen=True)
class VisitorAnswer:
    """A member of another cell attending here temporarily (sinh hoạt tạm thời tại chi bộ)."""

    name: str
    home_cell: str
    admitted: dt.date
    official: dt.date | None
    period: Period


@dataclass(frozen=True)
class InitAnswers:
    cell_name: str
    superior: str
    superior_committee: str
    place: str
    symbol: str
    term_start: dt.date
    meeting_place: str
    members: tuple[MemberAnswer, ...] = ()
    bi_thu: int | None = None  # index into members
    pho_bi_thu: int | None = None
    chi_uy_vien: tuple[int, ...] = field(default_factory=tuple)
    visitors: tuple[VisitorAnswer, ...] = ()


def parse_date_answer(text: str, field_name: str = "") -> dt.date:
    """A date typed as people write it: 20/8/2025, 20/08/2025, 20.8.2025, 20-8-2025 or
    2025-08-20 (the one parser of every date docgen reads, ``docgen.vn.dates``)."""
    try:
        return parse_user_date(clean(text))
    except DateError as exc:
        message, hint = date_error_msg(strip_quotes(exc.text), exc.impossible)
        raise InputError(message, field=field_name or None, hint=hint) from exc


def member_id(index: int) -> str:
    """0 → "m01"."""
    return f"m{index + 1:02d}"


def visitor_id(index: int) -> str:
    """0 → "t01" (members of other cells attending temporarily)."""
    return f"t{index + 1:02d}"


def _scalar(value: object) -> str:
    """One YAML scalar (quoted when YAML needs it), dates ISO, None as null."""
    if value is None:
        return "null"
    if isinstance(value, dt.date):
        return value.isoformat()
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    dumped = dumped.removesuffix("\n...\n").removesuffix("\n")
    if isinstance(value, str) and dumped[:1] not in ("'", '"') and not reads_as_text(dumped):
        return json.dumps(value, ensure_ascii=False)  # read back with YAML 1.2: "010" is a number there
    return dumped


def _period_line(period: Period, note_key: str) -> str:
    item: dict[str, object] = {"from": period.start, "to": period.end}
    if period.note:
        item[note_key] = period.note
    flow = yaml.safe_dump(item, allow_unicode=True, default_flow_style=True, sort_keys=False,
                          width=10_000).strip()
    return f"      - {flow}"


def _member_lines(index: int, member: MemberAnswer) -> list[str]:
    lines = [
        f"  - id: {member_id(index)}",
        f"    name: {_scalar(member.name)}",
        f"    admitted: {_scalar(member.admitted)}",
        f"    official: {_scalar(member.official)}",
    ]
    if member.exempt is not None:
        lines += ["    exempt:", _period_line(member.exempt, "reason")]
    if member.temporary_out is not None:
        lines += ["    temporary_out:", _period_line(member.temporary_out, "where")]
    return lines


_PROFILE_HEAD = """\
# Hồ sơ chi bộ cho docgen (tạo bởi 'docgen init'; sửa trực tiếp bằng trình soạn thảo được).
# Định dạng: docs/input-format.md. Ngày viết ngày/tháng/năm (20/8/2025) hoặc năm-tháng-ngày (2025-08-20).
# Kiểm tra lại danh sách đảng viên bằng lệnh: docgen roster --date 10/3/2026
"""

_ROSTER_HELP = """\
# Danh sách đảng viên. Mỗi đảng viên một mục, bắt đầu bằng "- id:".
#   id        mã cố định (chữ thường, số, dấu gạch), dùng trong các tệp văn bản
#             (chair, secretary, absent …); KHÔNG đổi mã của người đã có.
#   admitted  ngày kết nạp (từ ngày này là đảng viên dự bị)
#   official  ngày chuyển chính thức (null: còn dự bị)
#   left      ngày chuyển đi / không còn sinh hoạt ở chi bộ (tùy chọn)
#   exempt    các thời gian miễn công tác và sinh hoạt đảng:
#               - {from: 2024-01-01, to: null, reason: "tuổi cao, sức khỏe yếu"}
#             (to: null = chưa hết hạn)
#   temporary_out  giới thiệu sinh hoạt tạm thời nơi khác:
#               - {from: 2026-01-05, to: 2026-06-30, where: Chi bộ Công ty X}
#   home_cell + temporary_in  đảng viên chi bộ khác đến sinh hoạt tạm thời tại chi bộ:
#               home_cell: Chi bộ thôn Y
#               temporary_in: [{from: 2026-02-01, to: 2026-12-31}]
#   suspended các thời gian bị đình chỉ sinh hoạt đảng (vẫn tính vào tổng số, không triệu tập):
#               - {from: 2026-03-01, to: 2026-05-31, reason: "..."}
# Thêm người mới: chép một mục, đặt mã mới (m05, m06 …).
"""


def _visitor_lines(index: int, visitor: VisitorAnswer) -> list[str]:
    period = Period(visitor.period.start, visitor.period.end)
    return [
        f"  - id: {visitor_id(index)}   # đảng viên chi bộ khác sinh hoạt tạm thời tại chi bộ",
        f"    name: {_scalar(visitor.name)}",
        f"    admitted: {_scalar(visitor.admitted)}",
        f"    official: {_scalar(visitor.official)}",
        f"    home_cell: {_scalar(visitor.home_cell)}",
        "    temporary_in:",
        _period_line(period, "note"),
    ]


def _officer_lines(answers: InitAnswers) -> list[str]:
    def ref(index: int | None) -> str:
        return member_id(index) if index is not None else "null"

    committee = ", ".join(member_id(i) for i in answers.chi_uy_vien)
    return [
        "officers:",
        f"  bi_thu: {ref(answers.bi_thu)}   # bí thư chi bộ (mã đảng viên)",
        f"  pho_bi_thu: {ref(answers.pho_bi_thu)}   # phó bí thư (null: không có)",
        f"  chi_uy_vien: [{committee}]   # chi ủy viên (danh sách mã, có thể để [])",
        "  # history: cấp ủy các thời kỳ trước, cũ nhất trước, ví dụ:",
        "  #   - {until: 2025-08-19, bi_thu: m02, pho_bi_thu: null}",
    ]


def profile_yaml(answers: InitAnswers) -> str:
    """The text of profile.yaml (docs/input-format.md) for ``answers``, NFC."""
    lines = [
        _PROFILE_HEAD.rstrip("\n"),
        "cell:",
        f"  name: {_scalar(answers.cell_name)}   # tên chi bộ, in hoa đậm ở đầu văn bản",
        f"  superior: {_scalar(answers.superior)}   # dòng cấp trên (in hoa)",
        f"  superior_committee: {_scalar(answers.superior_committee)}   # dùng ở Nơi nhận",
        f"  place: {_scalar(answers.place)}   # địa danh ở dòng ngày tháng",
        f"  symbol: {_scalar(answers.symbol)}   # ký hiệu chi bộ trong số văn bản (Số 05-NQ/CB)",
        f"  term_start: {_scalar(answers.term_start)}   # ngày bắt đầu nhiệm kỳ chi ủy hiện tại",
        f"  meeting_place: {_scalar(answers.meeting_place)}   # địa điểm họp thường lệ",
        "  # history: tên cũ (trước khi sáp nhập, đổi tên), cũ nhất trước; văn bản dùng tên của ngày văn bản:",
        "  #   - {until: 2025-06-30, superior: ĐẢNG BỘ XÃ AN HÒA, superior_committee: Đảng ủy xã An Hòa}",
        *_officer_lines(answers),
        _ROSTER_HELP.rstrip("\n"),
        "members:" if answers.members or answers.visitors else "members: []",
    ]
    for index, member in enumerate(answers.members):
        lines.extend(_member_lines(index, member))
    for index, visitor in enumerate(answers.visitors):
        lines.extend(_visitor_lines(index, visitor))
    return clean("\n".join(lines) + "\n")


CONFIG_TOML = """\
# Cấu hình docgen của chi bộ. Bỏ dấu # ở đầu dòng để dùng một thiết lập.
[docgen]
profile = "profile.yaml"   # hồ sơ chi bộ và danh sách đảng viên
archive = "archive"        # thư mục lưu trữ văn bản
# lang = "vi"              # ngôn ngữ thông báo: vi hoặc en
# numbering_per_year = false   # true: đánh số lại từ 01 mỗi năm (mặc định: theo nhiệm kỳ)
# min_meeting_minutes = 90     # thời lượng tối thiểu buổi sinh hoạt (phút)
# min_attendance_percent = 50  # cảnh báo khi số có mặt dưới tỷ lệ này số được triệu tập (thông lệ; 0: tắt)
# min_official_members = 3     # cảnh báo khi chi bộ dưới số đảng viên chính thức này (Điều lệ Điều 24.1; 0: tắt)
# suspended_in_denominator = false   # true: vẫn tính đảng viên bị đình chỉ sinh hoạt vào số biểu quyết

# [format]
# margins_mm = { top = 20, bottom = 20, left = 30, right = 15 }   # lề trang (mm)

# [labels]
# minutes_left = "THƯ KÝ"      # chữ ký bên trái của biên bản
# minutes_right = "CHỦ TRÌ"    # chữ ký bên phải của biên bản
# authority = "T/M CHI BỘ"     # thẩm quyền ký nghị quyết, kế hoạch

# [templates]                  # mẫu .docx riêng cho từng loại văn bản
# nghi-quyet = "mau/nghi-quyet.docx"
"""


def init_targets(directory: Path) -> tuple[Path, Path]:
    return directory / PROFILE_NAME, directory / CONFIG_NAME


def check_init_targets(directory: Path, force: bool) -> None:
    """Raise when ``docgen init`` would overwrite a file and ``force`` is not set."""
    existing = [p for p in init_targets(directory) if p.exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise ConfigError(
            Msg(f"tệp đã có, không ghi đè: {names}", f"file already exists, not overwritten: {names}"),
            file=str(existing[0]),
            hint=Msg("dùng --force để ghi đè, hoặc chọn thư mục khác với --dir",
                     "use --force to overwrite, or choose another folder with --dir"),
        )


def _validate_profile_text(directory: Path, text: str) -> None:
    """Load the new profile with the model before writing it (nothing written if bad)."""
    from docgen.model.profile import load_profile

    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".profile.", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        load_profile(Path(tmp))
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_init(directory: Path, answers: InitAnswers, force: bool = False) -> tuple[Path, Path]:
    """Write profile.yaml and docgen.toml into ``directory``; returns their paths."""
    check_init_targets(directory, force)
    directory.mkdir(parents=True, exist_ok=True)
    text = profile_yaml(answers)
    _validate_profile_text(directory, text)
    profile, config = init_targets(directory)
    write_text_atomic(profile, text)
    write_text_atomic(config, CONFIG_TOML)
    return profile, config
