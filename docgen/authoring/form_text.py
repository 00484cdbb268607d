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
        "how": "Điền các chỗ có '<- ĐIỀN' (chữ, ngày, giờ viết giữa hai dấu nháy \"\"), sửa các giá trị "
               "khác nếu cần, rồi chạy:",
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
        "how": "Fill in the places marked '<- FILL IN' (text, dates and times between the quotes \"\"), "
               "change other values if needed, then run:",
        "previous": "Prefilled from the previous document: {path}",
        "fields": "fields:",
        "choices": "one of",
    },
}
