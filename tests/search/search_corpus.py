"""Documents for the search tests (imported by conftest and tests): realistic chi bộ texts by topic, plus hard negatives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import unicodedata
from pathlib import Path
from typing import Any

import docx

from docgen.model.meta import ArchivedDoc, DocMeta, RenderedDocument

TOPIC_TEXTS = {
    "vsmt": ("vệ sinh môi trường", "Chi bộ lãnh đạo ra quân tổng vệ sinh môi trường, thu gom rác thải, "
             "phân loại rác tại nguồn; mỗi hộ đăng ký tuyến đường xanh sạch đẹp. Đảng viên gương mẫu "
             "không đổ rác thải nhựa ra kênh mương."),
    "ntm": ("xây dựng nông thôn mới", "Tiếp tục xây dựng nông thôn mới nâng cao, hoàn thành tiêu chí "
            "nông thôn mới kiểu mẫu, vận động nhân dân hiến đất làm đường, chỉnh trang vườn mẫu và "
            "khu dân cư kiểu mẫu."),
    "antt": ("an ninh trật tự", "Giữ vững an ninh trật tự trên địa bàn thôn, tổ an ninh cơ sở tuần tra "
             "ban đêm, nắm tình hình người lạ, bảo đảm trật tự an toàn xã hội dịp Tết."),
    "atgt": ("an toàn giao thông", "Tuyên truyền an toàn giao thông, đội mũ bảo hiểm khi đi xe máy, "
             "đã uống rượu bia không lái xe; phối hợp giảm tai nạn giao thông trên tuyến tỉnh lộ."),
    "cds": ("chuyển đổi số", "Đẩy mạnh chuyển đổi số ở thôn: hướng dẫn người dân cài đặt VNeID, nộp hồ sơ "
            "dịch vụ công trực tuyến, thực hiện phong trào Bình dân học vụ số."),
    "dang-phi": ("thu nộp đảng phí", "Chi ủy đôn đốc đảng viên thu nộp đảng phí đúng quy định; thủ quỹ báo "
                 "cáo tình hình nộp đảng phí quý I, không để đảng viên nợ đảng phí."),
    "ptdv": ("phát triển đảng viên", "Chi bộ bồi dưỡng quần chúng ưu tú, cử hai quần chúng đi học lớp nhận "
             "thức về Đảng; phấn đấu kết nạp đảng viên mới trong năm, làm tốt công tác phát triển đảng viên."),
    "pccc": ("phòng cháy chữa cháy", "Kiểm tra phòng cháy chữa cháy tại các hộ kinh doanh, hướng dẫn an toàn "
             "điện, trang bị bình chữa cháy, phòng ngừa cháy nổ mùa khô."),
}
CELLS = ["CHI BỘ THÔN AN THÀNH", "CHI BỘ THÔN ĐÔNG HÒA", "CHI BỘ THÔN BẢN XÈO", "CHI BỘ TỔ DÂN PHỐ 3"]
KINDS = [("nghi-quyet", "NQ", "NGHỊ QUYẾT"), ("bien-ban", "BB", "BIÊN BẢN")]
COMMON = ("Đồng chí Bí thư chi bộ chủ trì, đánh giá kết quả thực hiện nhiệm vụ tháng trước và triển khai "
          "nhiệm vụ tháng tới. Đảng ủy xã chỉ đạo các chi bộ thực hiện nghiêm túc.")


def make_doc(doc_id: str, title: str, text: str, *, kind: str = "nghi-quyet", cell: str = CELLS[0],
             date: dt.date = dt.date(2023, 3, 15), topics: tuple[str, ...] = (), number: int = 1,
             version: int = 1, status: str = "current") -> ArchivedDoc:
    sym = {"nghi-quyet": "NQ", "bien-ban": "BB"}.get(kind, "KH")
    meta = DocMeta(kind=kind, cell=cell, superior="ĐẢNG BỘ XÃ QUANG KIM", issuer_symbol="CB",
                   type_symbol=sym, number=number, date=date, title=title, topics=topics)
    return ArchivedDoc(id=doc_id, meta=meta, version=version, status=status,
                       folder=Path("/nonexistent") / doc_id, docx_path=Path("/nonexistent") / doc_id / "a.docx",
                       docx_sha256=f"sha-{doc_id}-{version}", created_at="2026-01-01T00:00:00Z",
                       created_by="test", text=text)


def corpus() -> list[ArchivedDoc]:
    docs = []
    n = 0
    for t_i, (topic, (phrase, body)) in enumerate(TOPIC_TEXTS.items()):
        for j in range(7):
            kind, _sym, type_name = KINDS[j % 2]
            n += 1
            docs.append(make_doc(
                f"{topic}-{j}", f"{type_name} về {phrase} tháng {j + 3} năm {2020 + (j + t_i) % 6}",
                f"{COMMON}\n{body}\nChi bộ thống nhất giao chi ủy theo dõi, đôn đốc.",
                kind=kind, cell=CELLS[(j + t_i) % len(CELLS)],
                date=dt.date(2020 + (j + t_i) % 6, j + 3, 10), topics=(topic,) if j % 3 else (), number=n))
    docs += [
        make_doc("neg-thue", "THÔNG BÁO thuế bảo vệ môi trường", "Cục thuế thông báo mức thuế bảo vệ môi "
                 "trường đối với xăng dầu. Doanh nghiệp kê khai thuế bảo vệ môi trường theo quý.",
                 kind="cong-van", date=dt.date(2023, 6, 1)),
        make_doc("neg-bank", "BÁO CÁO ngân hàng", "Ngân hàng thương mại đẩy mạnh chuyển đổi số, mở rộng "
                 "ứng dụng ngân hàng di động cho khách hàng doanh nghiệp.", kind="bao-cao",
                 date=dt.date(2024, 2, 1)),
        make_doc("plain-vs", "BIEN BAN hop chi bo", "Chi bo thong nhat ve sinh moi truong, don rac khu "
                 "dan cu (van ban go khong dau).", kind="bien-ban", date=dt.date(2022, 5, 5)),
        make_doc("nfd-dang", unicodedata.normalize("NFD", "NGHỊ QUYẾT của Đảng uỷ về hoà giải ở cơ sở"),
                 unicodedata.normalize("NFD", "Đảng uỷ xã chỉ đạo hoà giải ở cơ sở; ý kiến của nhân dân "
                                       "được lắng nghe. Thực hiện dân chủ ở cơ sở."),
                 date=dt.date(2021, 8, 8)),
        make_doc("old-name", "NGHỊ QUYẾT về công tác dân vận", "Chi bộ thôn Bản Xèo cũ làm tốt công tác dân "
                 "vận khéo, Ngày hội đại đoàn kết.", cell="CHI BỘ THÔN BẢN XÈO CŨ", date=dt.date(2019, 11, 18)),
    ]
    return docs




@dataclasses.dataclass(frozen=True)
class FiledInput:
    """A document as something the archive files (a Fileable): metadata and text."""

    meta: DocMeta
    text: str

    def with_number(self, number: int) -> FiledInput:
        return dataclasses.replace(self, meta=dataclasses.replace(self.meta, number=number))


def _render(doc: Any) -> RenderedDocument:
    out = io.BytesIO()
    docx.Document().save(out)  # the text is what search reads: content.txt
    return RenderedDocument(meta=doc.meta, docx=out.getvalue(), input_data={"text": doc.text},
                            text=doc.text, template_sha256="0" * 64)


def file_corpus(root: Path, docs: list[ArchivedDoc] | None = None) -> dict[str, str]:
    """File the corpus into a real archive at ``root``: corpus id → archive id."""
    from docgen.archive import Archive

    archive = Archive(root)
    ids = {}
    for doc in corpus() if docs is None else docs:
        filed = archive.file(FiledInput(dataclasses.replace(doc.meta, number=None), doc.text),
                             _render, "test")
        ids[doc.id] = filed.id
    archive.close()
    return ids
