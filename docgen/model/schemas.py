"""JSON Schemas (draft 2020-12) of the five input kinds, with Vietnamese descriptions.

Every property has a Vietnamese ``description``; most have a ``default`` and
``examples``: ``docgen form`` writes commented YAML forms from them.
"""

from __future__ import annotations

import copy
from typing import Any

from docgen.model.validation import DATE_PATTERN, ID_PATTERN, TIME_PATTERN

Schema = dict[str, Any]

# The archive keeps numbers in SQLite (64-bit) and the numbering registry: without a
# bound, "number: 99999999999999999999" was a traceback (OverflowError) in docgen new.
MAX_NUMBER = 9999

KIND_NAMES = ("bien-ban-thuong-ky", "bien-ban-chuyen-de", "nghi-quyet", "ke-hoach-chuyen-de",
              "de-cuong-chuyen-de")


def p(types: str | list[str], description: str, default: Any = ..., examples: list[Any] | None = None,
      **extra: Any) -> Schema:
    """One property schema."""
    out: Schema = {"type": types, "description": description}
    if default is not ...:
        out["default"] = default
    if examples:
        out["examples"] = examples
    out.update(extra)
    return out


def obj(description: str, properties: dict[str, Schema], required: list[str] | None = None,
        **extra: Any) -> Schema:
    out: Schema = {"type": "object", "description": description, "additionalProperties": False,
                   "properties": properties}
    if required:
        out["required"] = required
    out.update(extra)
    return out


def arr(description: str, items: Schema, default: Any = ..., examples: list[Any] | None = None,
        **extra: Any) -> Schema:
    return p("array", description, default, examples, items=items, **extra)


TEXT = "Đoạn văn; xuống dòng để tách đoạn"


def member_ref(description: str, **kw: Any) -> Schema:
    return p("string", description, pattern=ID_PATTERN, **kw)


def _common(kind: str, summary_example: str) -> dict[str, Schema]:
    return {
        "kind": p("string", "Loại văn bản", const=kind, examples=[kind]),
        "date": p("string", "Ngày của văn bản (ngày họp với biên bản, nghị quyết), dạng YYYY-MM-DD",
                  pattern=DATE_PATTERN, examples=["2026-03-10"]),
        "number": p(["integer", "null"], "Số văn bản; để trống để kho lưu trữ tự cấp số", default=None,
                    minimum=1, maximum=MAX_NUMBER, examples=[5]),
        "draft": p("boolean", "Dự thảo: không cấp số, ghi \"DỰ THẢO\"", default=False),
        "topics": arr("Mã chủ đề (xem docgen topics), ví dụ vsmt, ntm, antt",
                      p("string", "Mã chủ đề", pattern=ID_PATTERN), default=[], examples=[["vsmt", "ntm"]],
                      uniqueItems=True),
        "summary": p(["string", "null"], "Trích yếu; để trống để dùng trích yếu mặc định theo loại và kỳ",
                     default=None, examples=[summary_example]),
    }


def _speech(description: str) -> Schema:
    return arr(description, obj("Một ý kiến phát biểu", {
        "speaker": p("string", "Mã đảng viên (ví dụ m03) hoặc họ tên đại biểu", examples=["m03"]),
        "content": p("string", "Tóm tắt nội dung phát biểu; " + TEXT, examples=["Thống nhất với báo cáo..."]),
    }, ["speaker", "content"]), default=[])


def _tasks_table(description: str) -> Schema:
    return arr(description, obj("Một nhiệm vụ", {
        "content": p("string", "Nội dung công việc", examples=["Ra quân tổng vệ sinh đường làng"]),
        "owner": p(["string", "null"], "Người/bộ phận phụ trách: mã đảng viên hoặc tên", default=None,
                   examples=["m04"]),
        "deadline": p(["string", "null"], "Thời hạn (chữ tự do hoặc YYYY-MM-DD)", default=None,
                      examples=["Trước 30/3/2026"]),
        "note": p(["string", "null"], "Ghi chú", default=None),
    }, ["content"]), default=[])


def _recipients() -> Schema:
    return arr("Nơi nhận; để trống để dùng mặc định (Đảng ủy xã (để báo cáo), đảng viên trong chi bộ, lưu)",
               p("string", "Một nơi nhận (không cần dấu \"-\" đầu dòng, không cần dấu phẩy cuối)"),
               default=[], examples=[["Đảng ủy xã Quang Kim (để báo cáo)", "Đảng viên trong chi bộ"]])


def _vote(required: bool) -> Schema:
    extra: dict[str, Any] = {"examples": [{"for": 14, "against": 0, "abstain": 1}]} if required else {"default": None}
    return p(["object", "null"] if not required else "object", "Kết quả biểu quyết", **extra,
             additionalProperties=False, required=["for"], properties={
                 "for": p("integer", "Số đồng chí tán thành", minimum=0, examples=[14]),
                 "against": p("integer", "Số đồng chí không tán thành", default=0, minimum=0),
                 "abstain": p("integer", "Số đồng chí có ý kiến khác", default=0, minimum=0),
                 "special": p("boolean", "Biểu quyết kết nạp / chuyển chính thức (cần 2/3)", default=False),
                 "subject": p(["string", "null"], "Nội dung biểu quyết", default=None,
                              examples=["Nghị quyết lãnh đạo thực hiện nhiệm vụ tháng 3"]),
                 "voters": p(["array", "null"], "Danh sách mã đảng viên đã biểu quyết (không bắt buộc)",
                             default=None, items={"type": "string", "pattern": ID_PATTERN}),
             })


def _meeting() -> dict[str, Schema]:
    return {
        "month": p(["integer", "null"], "Tháng của kỳ sinh hoạt (mặc định: tháng của ngày họp)", default=None,
                   minimum=1, maximum=12, examples=[3]),
        "year": p(["integer", "null"], "Năm (mặc định: năm của ngày họp)", default=None, minimum=1945,
                  maximum=2200, examples=[2026]),
        "start": p("string", "Giờ bắt đầu, dạng \"19:30\"", pattern=TIME_PATTERN, examples=["19:30"]),
        "end": p("string", "Giờ kết thúc, dạng \"21:30\"", pattern=TIME_PATTERN, examples=["21:30"]),
        "place": p(["string", "null"], "Địa điểm (mặc định: địa điểm sinh hoạt trong hồ sơ)", default=None,
                   examples=["Nhà văn hóa thôn An Thành"]),
        "chair": member_ref("Mã đảng viên chủ trì", examples=["m01"]),
        "secretary": member_ref("Mã đảng viên làm thư ký", examples=["m03"]),
        "absent": arr("Đảng viên vắng mặt (không ghi người được miễn, người sinh hoạt tạm thời nơi khác)",
                      obj("Một người vắng", {
                          "member": member_ref("Mã đảng viên", examples=["m05"]),
                          "reason": p(["string", "null"], "Lý do; để trống: không có lý do", default=None,
                                      examples=["đi công tác"]),
                      }, ["member"]), default=[]),
        "exempt_present": arr("Mã đảng viên được miễn sinh hoạt nhưng có mặt (được tính, được biểu quyết)",
                              {"type": "string", "pattern": ID_PATTERN}, default=[], uniqueItems=True),
        "temporary_in_present": arr("Mã đảng viên nơi khác sinh hoạt tạm thời có mặt",
                                    {"type": "string", "pattern": ID_PATTERN}, default=[], uniqueItems=True),
        "guests": arr("Đại biểu dự", obj("Một đại biểu", {
            "name": p("string", "Họ tên", examples=["Trần Văn Bình"]),
            "position": p(["string", "null"], "Chức vụ", default=None, examples=["Đảng ủy viên, phụ trách chi bộ"]),
        }, ["name"]), default=[]),
        "combined_with_topical": p("boolean", "Sinh hoạt thường kỳ kết hợp chuyên đề (tối thiểu 120 phút)",
                                   default=False),
        "vote": _vote(False),
        "self_score": p(["object", "null"], "Tự đánh giá chất lượng buổi sinh hoạt", default=None,
                        additionalProperties=False, required=["points"], properties={
                            "points": p("number", "Số điểm (thang 100)", minimum=0, maximum=100, examples=[92]),
                            "rating": p(["string", "null"], "Xếp loại; để trống để tính từ điểm (Tốt ≥ 90, Khá ≥ 70, Trung bình ≥ 50)",
                                        default=None, enum=[None, "Tốt", "Khá", "Trung bình", "Kém"]),
                        }),
    }


def _minutes_body() -> dict[str, Schema]:
    return {
        "agenda": arr("Nội dung sinh hoạt (chương trình)", p("string", "Một nội dung"), default=[],
                      examples=[["Thông tin thời sự", "Đánh giá kết quả thực hiện nghị quyết tháng 2"]]),
        "proceedings": _speech("Diễn biến: từng người phát biểu và tóm tắt ý kiến"),
        "conclusion": p(["string", "null"], "Kết luận của đồng chí chủ trì; " + TEXT, default=None),
        "tasks": _tasks_table("Phân công nhiệm vụ"),
        "read_back": p(["object", "null"], "Thông qua biên bản", default=None, additionalProperties=False,
                       properties={"agree": p("integer", "Số đồng chí nhất trí (mặc định: tất cả có mặt)", minimum=0,
                                             examples=[18])}),
    }


def _schema(kind: str, title: str, properties: dict[str, Schema], required: list[str]) -> Schema:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://docgen.local/schema/{kind}.json",
        "title": kind,
        "description": title,
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }


def _thuong_ky() -> Schema:
    props = {**_common("bien-ban-thuong-ky", "sinh hoạt chi bộ thường kỳ tháng 3 năm 2026"),
             **_meeting(), **_minutes_body()}
    return _schema("bien-ban-thuong-ky", "Biên bản sinh hoạt chi bộ thường kỳ", props,
                   ["kind", "date", "start", "end", "chair", "secretary"])


def _chuyen_de_minutes() -> Schema:
    props = {**_common("bien-ban-chuyen-de", "sinh hoạt chuyên đề quý I năm 2026"), **_meeting(),
             **_minutes_body(),
             "quarter": p(["integer", "null"], "Quý (mặc định: quý của ngày họp)", default=None, minimum=1,
                          maximum=4, examples=[1]),
             "topic_title": p("string", "Tên chuyên đề", examples=["Chung tay giữ gìn vệ sinh môi trường"]),
             "purpose": p(["string", "null"], "Mục đích, yêu cầu (bí thư nêu); " + TEXT, default=None),
             "presenter": member_ref("Mã đảng viên trình bày chuyên đề", examples=["m02"]),
             "presentation": p(["string", "null"], "Tóm tắt nội dung chuyên đề được trình bày; " + TEXT,
                               default=None),
             "discussion": _speech("Ý kiến thảo luận, liên hệ bản thân, đơn vị")}
    return _schema("bien-ban-chuyen-de", "Biên bản sinh hoạt chuyên đề", props,
                   ["kind", "date", "start", "end", "chair", "secretary", "topic_title", "presenter"])


def _nghi_quyet() -> Schema:
    props = {**_common("nghi-quyet", "lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026"), **_meeting(),
             "vote": _vote(True),
             "assessment": arr("I. Đánh giá kết quả tháng trước: các mục có tiêu đề và nội dung",
                               obj("Một mục đánh giá", {
                                   "heading": p("string", "Tiêu đề mục", examples=["Công tác chính trị, tư tưởng"]),
                                   "text": p("string", "Nội dung; " + TEXT,
                                             examples=["Chi bộ đã thông tin kịp thời tình hình thời sự đến đảng viên."]),
                               }, ["heading", "text"]), default=[]),
             "directions": arr("II. Phương hướng, nhiệm vụ: các mục, mỗi mục có các ý a), b), c)…",
                               obj("Một mục nhiệm vụ", {
                                   "heading": p("string", "Tiêu đề mục", examples=["Nhiệm vụ chính trị"]),
                                   "items": arr("Các ý (đánh a, b, c, d, đ, e…)", p("string", "Một ý"), default=[]),
                               }, ["heading"]), default=[]),
             "assignments": _tasks_table("III. Phân công nhiệm vụ (bảng)"),
             "signer": p(["string", "null"], "Mã đảng viên ký (mặc định: Bí thư)", default=None,
                         pattern=ID_PATTERN),
             "recipients": _recipients()}
    return _schema("nghi-quyet", "Nghị quyết chi bộ hằng tháng", props,
                   ["kind", "date", "start", "end", "chair", "secretary", "vote"])


def _ke_hoach() -> Schema:
    props = {**_common("ke-hoach-chuyen-de", "sinh hoạt chuyên đề năm 2026"),
             "year": p(["integer", "null"], "Năm của kế hoạch (mặc định: năm của ngày văn bản)", default=None,
                       minimum=1945, maximum=2200, examples=[2026]),
             "quarter": p(["integer", "null"], "Quý (để trống: kế hoạch cả năm)", default=None, minimum=1,
                          maximum=4),
             "bases": arr("Căn cứ", p("string", "Một căn cứ"), default=[],
                          examples=[["Điều lệ Đảng Cộng sản Việt Nam",
                                     "Hướng dẫn số 42-HD/BTCTW ngày 28/10/2025 của Ban Tổ chức Trung ương"]]),
             "purpose": p(["string", "null"], "I. Mục đích, yêu cầu; " + TEXT, default=None),
             "schedule": arr("II. Nội dung, thời gian (bảng)", obj("Một buổi sinh hoạt chuyên đề", {
                 "period": p("string", "Thời gian, ví dụ \"Quý I\" hoặc \"Tháng 3\"", examples=["Quý I"]),
                 "quarter": p(["integer", "null"], "Quý (mặc định: đọc từ period)", default=None, minimum=1,
                              maximum=4),
                 "title": p("string", "Tên chuyên đề", examples=["Chung tay giữ gìn vệ sinh môi trường"]),
                 "preparer": p(["string", "null"], "Đồng chí chuẩn bị (mã hoặc tên)", default=None),
                 "owner": p(["string", "null"], "Đồng chí phụ trách (mã hoặc tên)", default=None),
                 "note": p(["string", "null"], "Ghi chú", default=None),
             }, ["period", "title"]), default=[]),
             "organisation": p(["string", "null"], "III. Tổ chức thực hiện; " + TEXT, default=None),
             "signer": p(["string", "null"], "Mã đảng viên ký (mặc định: Bí thư)", default=None,
                         pattern=ID_PATTERN),
             "recipients": _recipients()}
    return _schema("ke-hoach-chuyen-de", "Kế hoạch sinh hoạt chuyên đề", props, ["kind", "date"])


def _de_cuong() -> Schema:
    common = _common("de-cuong-chuyen-de", "sinh hoạt chuyên đề quý I năm 2026")
    common["number"] = p("null", "Đề cương không mang số", default=None)
    props = {**common,
             "year": p(["integer", "null"], "Năm (mặc định: năm của ngày văn bản)", default=None, minimum=1945,
                       maximum=2200),
             "quarter": p(["integer", "null"], "Quý (mặc định: quý của ngày văn bản)", default=None, minimum=1,
                          maximum=4),
             "title": p("string", "Chủ đề", examples=["Chung tay giữ gìn vệ sinh môi trường, xây dựng thôn sáng - xanh - sạch - đẹp"]),
             "presenter": member_ref("Mã đảng viên chuẩn bị, trình bày", examples=["m02"]),
             "approved": p("boolean", "Đã được chi ủy/bí thư thông qua (false: ghi \"DỰ THẢO\")", default=False),
             "purpose": p(["string", "null"], "I. Mục đích, yêu cầu, sự cần thiết; " + TEXT, default=None),
             "content": p(["string", "null"], "II. Nội dung chính; " + TEXT, default=None),
             "situation": p(["string", "null"], "III. Thực trạng ở thôn, chi bộ; " + TEXT, default=None),
             "tasks": p(["string", "null"], "IV. Nhiệm vụ, giải pháp, trách nhiệm của đảng viên; " + TEXT,
                        default=None),
             "questions": arr("V. Gợi ý thảo luận, liên hệ bản thân", p("string", "Một câu hỏi"), default=[])}
    return _schema("de-cuong-chuyen-de", "Đề cương sinh hoạt chuyên đề", props,
                   ["kind", "date", "title", "presenter"])


_BUILDERS = {
    "bien-ban-thuong-ky": _thuong_ky,
    "bien-ban-chuyen-de": _chuyen_de_minutes,
    "nghi-quyet": _nghi_quyet,
    "ke-hoach-chuyen-de": _ke_hoach,
    "de-cuong-chuyen-de": _de_cuong,
}


def schema_for(kind: str) -> Schema:
    """A fresh copy of the JSON Schema of ``kind``."""
    return copy.deepcopy(_BUILDERS[kind]())
