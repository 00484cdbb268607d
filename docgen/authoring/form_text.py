"""The fixed words of ``docgen form`` in Vietnamese and English.

The fields themselves are named by the labels of the model (docgen.model.labels): one
table for messages, forms, ``docgen schema`` and the web forms.
"""

from __future__ import annotations

LABELS = {
    "vi": {
        "required": "bắt buộc",
        "fill": "<- ĐIỀN",
        "eg": "ví dụ",
        "example": "Ví dụ:",
        "roster": "Danh sách đảng viên ngày {day} (mã: họ tên, tình trạng), để tham khảo:",
        "head": "Biểu mẫu: {desc} ({kind}).",
        "how": "Điền các chỗ có '<- ĐIỀN' (viết vào chỗ \"\") và sửa các giá trị khác nếu cần.\n"
               "Ngày, giờ không cần dấu nháy (date: 10/3/2026, start: 19:30); chỉ cần dấu nháy khi\n"
               "chữ có \": \" hoặc bắt đầu bằng ký tự đặc biệt: - [ { # & * ! | > ' \" % @ `\n"
               "Xong thì chạy:",
        "previous": "Điền sẵn từ văn bản trước: {path}",
        "fields": "các trường:",
        "choices": "chọn một trong",
    },
    "en": {
        "required": "required",
        "fill": "<- FILL IN",
        "eg": "e.g.",
        "example": "Example:",
        "roster": "Roster on {day} (id: name, status), for reference:",
        "head": "Form: {desc} ({kind}).",
        "how": "Fill in the places marked '<- FILL IN' (write in the \"\") and change other values if needed.\n"
               "Quotes are optional for dates and times (date: 10/3/2026, start: 19:30); they are needed\n"
               "only for text containing \": \" or starting with a special character: - [ { # & * ! | > ' \" % @ `\n"
               "Then run:",
        "previous": "Prefilled from the previous document: {path}",
        "fields": "fields:",
        "choices": "one of",
    },
}
