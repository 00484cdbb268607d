"""Search quality: judged queries over the test corpus; recall@10, MRR and nDCG@10."""

from __future__ import annotations

import math
import unicodedata

from search_corpus import TOPIC_TEXTS

from docgen.search import SearchFilters, SearchIndex


def _topic(t: str) -> set[str]:
    return {f"{t}-{j}" for j in range(7)}


F = SearchFilters
# (query, filters, relevant ids)
EVAL = [
    ("vệ sinh môi trường", F(), _topic("vsmt") | {"plain-vs"}),
    ("ve sinh moi truong", F(), _topic("vsmt") | {"plain-vs"}),
    ("VSMT", F(), _topic("vsmt")),
    ("vsmt", F(), _topic("vsmt")),
    ("rác thải", F(), _topic("vsmt")),
    ('"phân loại rác"', F(), _topic("vsmt")),
    ("VỆ SINH MÔI TRƯỜNG", F(), _topic("vsmt") | {"plain-vs"}),
    (unicodedata.normalize("NFD", "vệ sinh môi trường"), F(), _topic("vsmt") | {"plain-vs"}),
    ("nông thôn mới", F(), _topic("ntm")),
    ('"nông thôn mới"', F(), _topic("ntm")),
    ("NTM", F(), _topic("ntm")),
    ("nong thon moi", F(), _topic("ntm")),
    ('"nông thôn mới" 2023', F(), {"ntm-2"}),
    ("khu dân cư kiểu mẫu", F(), _topic("ntm")),
    ("an ninh trật tự", F(), _topic("antt")),
    ("ANTT", F(), _topic("antt")),
    ("an ninh trat tu", F(), _topic("antt")),
    ("trật tự an toàn xã hội", F(), _topic("antt")),
    ("an toàn giao thông", F(), _topic("atgt")),
    ("ATGT", F(), _topic("atgt")),
    ("mũ bảo hiểm", F(), _topic("atgt")),
    ("tai nan giao thong", F(), _topic("atgt")),
    ("chuyển đổi số", F(), _topic("cds")),
    ("CĐS", F(), _topic("cds")),
    ("CDS", F(), _topic("cds")),
    ("VNeID", F(), _topic("cds")),
    ("đảng phí", F(), _topic("dang-phi")),
    ("dang phi", F(), _topic("dang-phi")),
    ("nộp đảng phí", F(), _topic("dang-phi")),
    ("PTĐV", F(), _topic("ptdv")),
    ("phát triển đảng viên", F(), _topic("ptdv")),
    ("kết nạp đảng", F(), _topic("ptdv")),
    ("quần chúng ưu tú", F(), _topic("ptdv")),
    ("PCCC", F(), _topic("pccc")),
    ("phong chay chua chay", F(), _topic("pccc")),
    ("Đảng uỷ hoà giải", F(), {"nfd-dang"}),
    ("đảng ủy hòa giải", F(), {"nfd-dang"}),
    ("ý kiến", F(), {"nfd-dang"}),
    ("chuyển*", F(), _topic("cds")),
    ("vệ sinh môi trường", F(kind="bien-ban"), {"vsmt-1", "vsmt-3", "vsmt-5", "plain-vs"}),
    ("topic:atgt kind:nghi-quyet", F(), {"atgt-0", "atgt-2", "atgt-4", "atgt-6"}),
    ("an toàn giao thông", F(year=2021), {f"atgt-{j}" for j in range(7) if 2020 + (j + 3) % 6 == 2021}),
    ("dân vận", F(cell="Thôn Bản Xèo"), {"old-name"}),
    ("thuế bảo vệ môi trường", F(), {"neg-thue"}),
]


def _metrics(index: SearchIndex) -> tuple[float, float, float, list[str]]:
    recalls, rrs, ndcgs, misses = [], [], [], []
    for query, filters, relevant in EVAL:
        hits = [h.id for h in index.search(query, filters, limit=10).hits]
        found = [h for h in hits if h in relevant]
        recalls.append(len(found) / min(len(relevant), 10))
        rank = next((i for i, h in enumerate(hits, 1) if h in relevant), None)
        rrs.append(1 / rank if rank else 0.0)
        dcg = sum(1 / math.log2(i + 1) for i, h in enumerate(hits, 1) if h in relevant)
        ideal = sum(1 / math.log2(i + 1) for i in range(1, min(len(relevant), 10) + 1))
        ndcgs.append(dcg / ideal)
        if recalls[-1] < 1 or rrs[-1] < 1:
            misses.append(f"{query!r} {filters}: recall {recalls[-1]:.2f} rr {rrs[-1]:.2f} {hits[:5]}")
    n = len(EVAL)
    return sum(recalls) / n, sum(rrs) / n, sum(ndcgs) / n, misses


def test_eval_set_is_big_enough() -> None:
    assert len(EVAL) >= 40 and len(TOPIC_TEXTS) * 7 + 5 >= 60


def test_search_quality(built_index: SearchIndex) -> None:
    recall, mrr, ndcg, misses = _metrics(built_index)
    print(f"\nsearch eval: {len(EVAL)} queries, recall@10 {recall:.3f}, MRR {mrr:.3f}, nDCG@10 {ndcg:.3f}")
    print("\n".join(misses))
    assert recall >= 0.9
    assert mrr >= 0.9
    assert ndcg >= 0.85


def test_hard_negatives_rank_below_topic_documents(built_index: SearchIndex) -> None:
    hits = [h.id for h in built_index.search("VSMT", limit=10).hits]
    assert "neg-thue" not in hits[:7]
    hits = [h.id for h in built_index.search("chuyển đổi số", limit=10).hits]
    assert hits.index("neg-bank") >= 7 if "neg-bank" in hits else True


def test_exact_accents_rank_above_folded_only(built_index: SearchIndex) -> None:
    hits = [h.id for h in built_index.search("vệ sinh môi trường", F(kind="bien-ban")).hits]
    assert hits[-1] == "plain-vs"
    hits = [h.id for h in built_index.search("ve sinh moi truong", F(kind="bien-ban")).hits]
    assert set(hits) == {"vsmt-1", "vsmt-3", "vsmt-5", "plain-vs"}
