"""One of each thing (issue 10): one filter and one matching rule for list, search, print and
export; one fold; one atomic write and one sha256 of a file; one exit-status table.

The filter tests file real documents (real .docx files) into an archive in tmp_path and
ask the real search index (built from that archive by the first search).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docgen.archive import Archive
from docgen.archive.bundle import export_bundle
from docgen.archive.filters import DocFilter, cell_key, number_text_key
from docgen.archive.integrity import list_checked
from docgen.cli import main
from docgen.config import Settings
from docgen.docxtext import docx_text
from docgen.errors import ArchiveError, ExitStatus
from docgen.model.meta import ArchivedDoc, DocMeta, RenderedDocument
from docgen.printing import Selection, select_documents
from docgen.search import SearchFilters, search_ids
from docgen.search.analysis import cleaned, fold_chars, folded_text, syllables
from docgen.search.topicmatch import suggest_topics
from docgen.vn.text import NO_BREAK_SPACES, ZERO_WIDTH, clean, fold

REPO = Path(__file__).resolve().parents[1]
AN_THANH = "CHI BỘ THÔN AN THÀNH"
TAN_THANH = "CHI BỘ THÔN TÂN THÀNH"
DONG_HOA = "CHI BỘ THÔN ĐÔNG HÒA"
NA_LUA = "CHI BỘ THÔN NÀ LỪA"
QUERY = "vệ sinh"
MENTION_QUERY = {"a1", "a2", "t1", "d1", "n1", "w1"}  # whose text says "vệ sinh"


@dataclasses.dataclass(frozen=True)
class _Input:
    meta: DocMeta
    body: str

    def with_number(self, number: int) -> _Input:
        return dataclasses.replace(self, meta=dataclasses.replace(self.meta, number=number))


def _render(doc: _Input) -> RenderedDocument:  # a small real .docx
    document = docx.Document()
    document.core_properties.created = dt.datetime(2026, 1, 1)
    document.core_properties.modified = dt.datetime(2026, 1, 1)
    document.add_paragraph(doc.meta.title)
    document.add_paragraph(doc.body)
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    return RenderedDocument(meta=doc.meta, docx=data, input_data={"body": doc.body},
                            text=docx_text(data), template_sha256="0" * 64)


def _input(name: str, cell: str, day: dt.date, body: str, kind: str = "nghi-quyet",
           topics: tuple[str, ...] = ()) -> _Input:
    symbol, title = {"nghi-quyet": ("NQ", "NGHỊ QUYẾT"),
                     "bien-ban-thuong-ky": ("BB", "BIÊN BẢN")}[kind]
    meta = DocMeta(kind=kind, cell=cell, superior="ĐẢNG BỘ XÃ QUANG KIM", issuer_symbol="CB",
                   type_symbol=symbol, number=None, date=day, title=f"{title} {name}",
                   topics=topics, term_start=dt.date(2025, 8, 1))
    return _Input(meta, body)


@dataclasses.dataclass
class Filed:
    root: Path
    settings: Settings
    docs: dict[str, ArchivedDoc]  # name → document (current version)

    def names(self, ids: set[str] | list[str]) -> set[str]:
        by_id = {d.id: n for n, d in self.docs.items()}
        return {by_id[i] for i in ids}


@pytest.fixture(scope="module")
def filed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Filed]:
    root = tmp_path_factory.mktemp("one-filter") / "archive"
    (root.parent / "aliases.yaml").write_text("Thôn Tân Hợp: [Thôn Nà Lừa]\n", "utf-8")
    settings = Settings(archive_root=root, aliases_file=root.parent / "aliases.yaml")
    archive = Archive(root)
    docs = {}
    inputs = {
        "a1": _input("ra quân vệ sinh", AN_THANH, dt.date(2026, 1, 10),
                     "Ra quân vệ sinh môi trường, thu gom rác thải.", topics=("vsmt",)),
        "a2": _input("họp tháng 2", AN_THANH, dt.date(2026, 2, 12),
                     "Họp chi bộ, bàn công tác vệ sinh đường làng ngõ xóm.",
                     kind="bien-ban-thuong-ky"),
        "a3": _input("an ninh", AN_THANH, dt.date(2025, 11, 5),
                     "Giữ vững an ninh trật tự trên địa bàn thôn.", topics=("antt",)),
        "t1": _input("Tân Thành", TAN_THANH, dt.date(2026, 1, 15),
                     "Vệ sinh môi trường khu dân cư.", topics=("vsmt",)),
        "d1": _input("Đông Hòa", DONG_HOA, dt.date(2026, 3, 1),
                     "Tổng vệ sinh trước Tết.", topics=("vsmt",)),
        "n1": _input("Nà Lừa", NA_LUA, dt.date(2024, 6, 1),
                     "Phong trào vệ sinh môi trường của thôn cũ.", topics=("vsmt",)),
        "w1": _input("thu hồi", AN_THANH, dt.date(2026, 1, 20),
                     "Vệ sinh môi trường (văn bản bị thu hồi).", topics=("vsmt",)),
        # names topic vsmt in its title without declaring it: search suggests the topic
        "d2": _input("thu gom rác", DONG_HOA, dt.date(2025, 5, 2),
                     "Phân loại rác tại nguồn ở từng hộ."),
    }
    for name, doc in inputs.items():
        docs[name] = archive.file(doc, _render, "test")
    docs["w1"] = archive.withdraw(docs["w1"].id, "ghi nhầm", "test")
    archive.close()
    yield Filed(root, settings, docs)


def _listed(filed: Filed, filt: DocFilter) -> set[str]:
    archive = Archive(filed.root)
    try:
        return filed.names([rec["id"] for _, rec in archive.matching(filt)])
    finally:
        archive.close()


def _checked(filed: Filed, filt: DocFilter) -> set[str]:
    """The path of `docgen list` (integrity.list_checked)."""
    archive = Archive(filed.root)
    try:
        return filed.names([doc.id for doc, _ in list_checked(archive, filt=filt)])
    finally:
        archive.close()


def _searched(filed: Filed, filt: DocFilter, query: str | None = None) -> set[str]:
    return filed.names(search_ids(filed.settings, query, filt))


def _printed(filed: Filed, filt: DocFilter) -> set[str]:
    return filed.names([d.id for d in select_documents(filed.settings, filt)])


def _exported(filed: Filed, filt: DocFilter, out: Path) -> set[str]:
    """The documents of the bundle export writes; none when `docgen export` would refuse
    to write an empty one (ArchiveError, nothing written)."""
    archive = Archive(filed.root)
    try:
        export_bundle(archive, out, filt, allow_empty=False)
    except ArchiveError as exc:
        assert "no documents match" in exc.message.en and not out.exists()
        assert exc.exit_code == ExitStatus.ARCHIVE
        export_bundle(archive, out, filt)  # the library writes it when asked to
        with zipfile.ZipFile(out) as zf:
            assert json.loads(zf.read("docgen-bundle.json"))["folders"] == []
        return set()
    finally:
        archive.close()
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("docgen-bundle.json"))
    ids = {folder.rsplit("_", 1)[-1].split(".v")[0] for folder in manifest["folders"]}
    return filed.names(ids)


# ------------------------------------------------------------- the An Thành bug
def test_a_query_narrows_the_cell_it_never_loses_it(filed: Filed) -> None:
    """Issue 10: ``Selection(cell="An Thành")`` found 3 documents, and with a query 0 (the
    query's hits were re-checked by exact equality of the cell)."""
    settings = filed.settings
    found = {d.id for d in select_documents(settings, Selection(cell="An Thành"))}
    assert filed.names(found) == {"a1", "a2", "a3"}
    narrowed = select_documents(settings, Selection(cell="An Thành", query=QUERY))
    assert filed.names([d.id for d in narrowed]) == {"a1", "a2"}
    # whole words: "An Thành" is not "Tân Thành"; the other cells' hits stay out
    assert filed.names(search_ids(settings, QUERY, SearchFilters())) >= {"t1", "d1", "n1"}


def test_the_cli_prints_what_it_lists_for_the_same_cell(filed: Filed, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--lang", "en", "--archive", str(filed.root)]
    listed = runner.invoke(main, [*base, "list", "--cell", "an thanh", "--json"])
    assert listed.exit_code == 0, listed.output
    assert filed.names([row["id"] for row in json.loads(listed.stdout)]) == {"a1", "a2", "a3"}
    dry = runner.invoke(main, [*base, "print", "--cell", "An Thành", "--query", QUERY,
                               "--dry-run"])
    assert dry.exit_code == 0, dry.output
    ids = [line.split("\t")[0] for line in dry.stdout.splitlines()
           if re.match(r"^[0-9a-f]{10}\t", line)]
    assert filed.names(ids) == {"a1", "a2"}


# ------------------------------------------------- one filter, one set, four paths
FILTERS = [
    DocFilter(cell="An Thành"),
    DocFilter(cell="an thanh"),
    DocFilter(cell="thôn  AN\u00a0THÀNH"),
    DocFilter(cell="Thành"),
    DocFilter(cell="An"),
    DocFilter(cell="Thôn Khác"),
    DocFilter(kind="Nghị quyết"),
    DocFilter(kinds=("nghi-quyet", "bien-ban-thuong-ky"), cell="an thanh"),
    DocFilter(topic="VSMT"),
    DocFilter(topic="vệ sinh môi trường", cell="An Thành"),
    DocFilter(topic="antt"),
    DocFilter(year=2026),
    DocFilter(date_from=dt.date(2026, 1, 12), date_to=dt.date(2026, 2, 28)),
    DocFilter(cell="an thanh", topic="vsmt", year=2026),
    DocFilter(cell="an thanh", include_withdrawn=True),
    DocFilter(topic="vsmt", include_withdrawn=True),
]


def _as_search_sees(doc: ArchivedDoc) -> ArchivedDoc:
    """``doc`` with the topics the index gives it: declared, then suggested."""
    topics = tuple(dict.fromkeys((*doc.meta.topics, *suggest_topics(doc.meta.title, doc.text))))
    return dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, topics=topics))


def test_search_knows_the_suggested_topic_the_catalog_does_not(filed: Filed) -> None:
    d2 = filed.docs["d2"]
    assert d2.meta.topics == () and "vsmt" in _as_search_sees(d2).meta.topics
    filt = DocFilter(topic="VSMT")
    assert "d2" in _searched(filed, filt) and "d2" not in _listed(filed, filt) | _printed(filed, filt)


@pytest.mark.parametrize("filt", FILTERS, ids=repr)
def test_list_search_print_and_export_agree(filed: Filed, filt: DocFilter, tmp_path: Path) -> None:
    """The same rule on every path; only the topics differ: the catalog knows the declared
    ones, the index the declared and the suggested ones (docs/search.md, "Chủ đề")."""
    expected = {name for name, doc in filed.docs.items() if filt.matches(doc)}
    assert _listed(filed, filt) == expected
    assert _checked(filed, filt) == expected
    assert _printed(filed, filt) == expected
    assert _exported(filed, filt, tmp_path / "out.zip") == expected
    # the index holds current documents only: withdrawn ones are never search hits
    current = {name for name, doc in filed.docs.items()
               if doc.status == "current" and filt.matches(_as_search_sees(doc))}
    assert _searched(filed, filt) == current
    # a query narrows the same set, whichever path answers it; print narrows the search's
    # hits by the catalog's topics
    with_query = dataclasses.replace(filt, query=QUERY)
    hits = _searched(filed, filt, QUERY)
    assert hits == _searched(filed, with_query) == current & MENTION_QUERY
    assert _printed(filed, with_query) == hits & expected


def test_the_legacy_call_sites_use_the_same_rule(filed: Filed, tmp_path: Path) -> None:
    """Archive.list / Archive.export (what the CLI calls with separate options) and
    SearchFilters / Selection (names of DocFilter) give the filter's set."""
    assert SearchFilters is DocFilter and Selection is DocFilter
    archive = Archive(filed.root)
    try:
        assert filed.names([d.id for d in archive.list(cell="An Thành")]) == {"a1", "a2", "a3"}
        assert filed.names([d.id for d in archive.list(topic="VSMT", cell="thanh")]) == {
            "a1", "t1"}
        archive.export(tmp_path / "b.zip", cell="an thanh")
    finally:
        archive.close()
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        folders = json.loads(zf.read("docgen-bundle.json"))["folders"]
    ids = {f.rsplit("_", 1)[-1].split(".v")[0] for f in folders}
    assert filed.names(ids) == {"a1", "a2", "a3", "w1"}  # export takes withdrawn ones too


def test_numbers_as_on_paper(filed: Filed, tmp_path: Path) -> None:
    a1 = filed.docs["a1"].meta
    assert a1.number is not None and a1.number_text.startswith("0")
    for number in (a1.number, str(a1.number), a1.number_text, a1.number_text.lower().lstrip("0"),
                   a1.number_text.replace("-", " - ")):
        filt = DocFilter(number=number, cell="an thanh", kind="nghi-quyet")
        assert _listed(filed, filt) == _searched(filed, filt) == _printed(filed, filt) == {"a1"}
    assert number_text_key("05-NQ/CB") == number_text_key(" 5 - nq / cb") == "5-nq/cb"


def test_old_names_of_a_cell_are_one_cell_everywhere(filed: Filed, tmp_path: Path) -> None:
    """aliases.yaml: "Thôn Tân Hợp" is the current name of "Thôn Nà Lừa"."""
    filt = DocFilter(cell="Tân Hợp").using(filed.settings)
    assert _listed(filed, filt) == _checked(filed, filt) == {"n1"}
    assert _searched(filed, filt) == _printed(filed, filt) == {"n1"}
    assert _exported(filed, filt, tmp_path / "old.zip") == {"n1"}
    # search and print read the settings' alias list themselves
    assert _searched(filed, DocFilter(cell="Tân Hợp")) == {"n1"}
    assert _printed(filed, DocFilter(cell="Tân Hợp")) == {"n1"}


def test_documents_named_by_id_are_taken_whatever_their_status(filed: Filed) -> None:
    w1, a1 = filed.docs["w1"], filed.docs["a1"]
    filt = DocFilter(ids=(w1.id, a1.id))
    assert _printed(filed, filt) == _listed(filed, filt) == {"w1", "a1"}
    assert _printed(filed, dataclasses.replace(filt, kind="bien-ban-thuong-ky")) == set()


def test_an_unknown_topic_is_one_clear_error_everywhere(filed: Filed) -> None:
    from docgen.errors import SearchError

    filt = DocFilter(topic="vệ sinh môi trườngg")
    for path in (_listed, _searched, _printed):
        with pytest.raises(SearchError) as err:
            path(filed, filt)
        assert err.value.hint is not None and "vsmt" in err.value.hint.en


def test_the_cell_rule_is_words_in_a_row() -> None:
    key = cell_key(AN_THANH)
    assert key == " chi bo thon an thanh "
    assert DocFilter(cell="thon an").matches_record(_record(AN_THANH))
    assert not DocFilter(cell="an thon").matches_record(_record(AN_THANH))
    assert not DocFilter(cell="An Thành").matches_record(_record(TAN_THANH))
    assert not DocFilter(cell="—").matches_record(_record(AN_THANH))  # no words: nothing
    assert DocFilter(cell="  ").matches_record(_record(AN_THANH))  # blank: no condition
    assert DocFilter(cell="Tha\u0300nh").matches_record(_record(AN_THANH))  # decomposed


def _record(cell: str) -> dict[str, object]:
    return {"id": "0123456789", "status": "current", "kind": "nghi-quyet", "cell": cell,
            "topics": [], "date": "2026-01-01", "number": 1, "number_text": "01-NQ/CB"}


# --------------------------------------------------------------------- one fold
INVISIBLE = ZERO_WIDTH + NO_BREAK_SPACES


@pytest.mark.parametrize("char", ["\u00a0", "\u2007", "\u202f", "\u200b", "\u200c", "\u200d",
                                  "\u2060", "\ufeff"], ids=lambda c: f"U+{ord(c):04X}")
def test_one_fold_for_no_break_and_zero_width_spaces(char: str) -> None:
    assert char in INVISIBLE
    text = f"Chi{char}bộ thôn An{char}Thành"
    folded = fold(text)
    assert folded == fold(clean(text)) == folded_text(text)
    assert char not in folded
    spaced = char in NO_BREAK_SPACES
    assert folded == ("chi bo thon an thanh" if spaced else "chibo thon anthanh")
    assert syllables(folded_text(text)) == folded.split()
    assert fold(unicodedata.normalize("NFD", text)) == folded
    # the character-by-character fold of the snippets keeps offsets
    assert len(fold_chars(cleaned(text))) == len(cleaned(text))
    assert fold_chars(cleaned(text)) == fold(cleaned(text))


def test_search_uses_the_vn_fold() -> None:
    assert folded_text is fold and cleaned is clean
    from docgen.archive.filters import words_key

    assert words_key("CHI\u00a0BỘ\u200b THÔN  AN\ufeffTHÀNH") == "chi bo thon anthanh"


def test_fold_chars_agrees_with_fold_on_every_character() -> None:
    for code in range(0x20, 0x3000):
        ch = chr(code)
        if unicodedata.category(ch) in ("Cs", "Co", "Cn"):
            continue
        nfc = unicodedata.normalize("NFC", ch)
        if len(nfc) != 1:
            continue
        folded = fold(nfc)
        assert fold_chars(nfc) == (folded if len(folded) == 1 else nfc), hex(code)


def test_a_cell_typed_with_a_no_break_space_is_found(tmp_path: Path) -> None:
    """Filed as typed (the archive keeps its names), found without it, in the catalog and
    in the index alike."""
    root = tmp_path / "archive"
    archive = Archive(root)
    doc = archive.file(_input("nbsp", "CHI BỘ THÔN AN\u00a0THÀNH\u200b", dt.date(2026, 1, 2),
                              "Vệ sinh môi trường."), _render, "t")
    archive.close()
    settings = Settings(archive_root=root)
    filt = DocFilter(cell="an thanh")
    assert [d.id for d in select_documents(settings, filt)] == [doc.id]
    assert search_ids(settings, None, filt) == [doc.id]
    assert search_ids(settings, 'cell:"thôn an thành"', DocFilter()) == [doc.id]


# ----------------------------------------------- one atomic write, one sha256
def test_one_sha256_of_a_file(tmp_path: Path) -> None:
    import hashlib

    from docgen import fsio
    from docgen.archive import fsutil, integrity
    from docgen.printing import cache

    data = bytes(range(256)) * 9000  # over one block
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    want = hashlib.sha256(data).hexdigest()
    assert fsutil.sha256_file is fsio.sha256_file and integrity.hash_file is fsio.sha256_file
    assert fsio.sha256_file(path) == fsio.sha256_bytes(data) == want
    assert fsio.sha256_file(path, tmp_path / "copy.bin") == want
    assert (tmp_path / "copy.bin").read_bytes() == data
    assert cache.docx_sha256(_archived_stub(path)) == want


def _archived_stub(path: Path) -> ArchivedDoc:
    meta = DocMeta(kind="nghi-quyet", cell=AN_THANH, superior="", issuer_symbol="CB",
                   type_symbol="NQ", number=1, date=dt.date(2026, 1, 1), title="T")
    return ArchivedDoc(id="0123456789", meta=meta, version=1, status="current",
                       folder=path.parent, docx_path=path, docx_sha256="", created_at="",
                       created_by="")


def test_the_atomic_write_leaves_the_old_file_or_the_new_one(tmp_path: Path) -> None:
    from docgen.fsio import replace_via_temp, write_bytes_atomic, write_text_atomic

    target = tmp_path / "sub" / "out.txt"
    write_text_atomic(target, "một\n", sync=True)
    assert target.read_bytes() == "một\n".encode()

    def fail(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        replace_via_temp(target, fail, sync=True, suffix=".part")
    assert target.read_bytes() == "một\n".encode()
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.txt"]
    write_bytes_atomic(target, b"hai")
    assert target.read_bytes() == b"hai"


# Renames that are not "write a file atomically": folders published or swapped, and the
# archive's staged files (written, fsynced together with a version's files, then renamed).
RENAMES_ALLOWED = {
    "docgen/fsio.py": 2,  # the one atomic write (replace_via_temp, create_via_temp)
    "docgen/archive/fsutil.py": 1,  # publish_folder: a version folder into place
    "docgen/archive/numbering.py": 1,  # install: the staged registry
    "docgen/archive/audit.py": 1,  # set_pending: the staged marker
    "docgen/printing/converter.py": 2,  # a finished PDF moved, in one file system
    "docgen/search/index.py": 2,  # the rebuilt index folder swapped in
    "docgen/web/writing.py": 1,  # a draft's finished preview folder (pdf + page images) into place
    "docgen/web/importing.py": 1,  # an uploaded zip moved aside so its folder takes its name
}


def test_no_other_hand_rolled_atomic_write_or_sha256() -> None:
    renames: dict[str, int] = {}
    for path in sorted((REPO / "docgen").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        text = path.read_text("utf-8")
        if rel != "docgen/fsio.py":
            assert "hashlib.sha256" not in text, f"{rel}: use docgen.fsio.sha256_*"
            assert "NamedTemporaryFile" not in text, f"{rel}: use docgen.fsio.replace_via_temp"
        count = len(re.findall(r"os\.replace\(|os\.rename\(|\.rename\(", text))
        if count:
            renames[rel] = count
    assert renames == RENAMES_ALLOWED, (
        "write files with docgen.fsio.replace_via_temp / create_via_temp (or add a folder "
        "rename of the crash protocol to RENAMES_ALLOWED, saying why)")


# ---------------------------------------------------------- one exit-status table
def _table_after(text: str, heading: re.Pattern[str]) -> list[list[str]]:
    """The rows (cells) of the first Markdown table under the heading ``heading`` matches."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.startswith("#") and heading.search(line))
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return [row for row in rows if row and row[0].isdigit()]


def test_the_readme_exit_status_table_is_the_enum() -> None:
    rows = _table_after((REPO / "README.md").read_text("utf-8"), re.compile("(?i)mã thoát"))
    assert [int(row[0]) for row in rows] == [s.value for s in ExitStatus]
    assert all(row[1] for row in rows)  # each has a meaning


def test_the_vietnamese_exit_status_table_names_the_enum() -> None:
    path = REPO / "docs" / "vi" / "README.md"
    if not path.exists():
        pytest.skip("no Vietnamese README yet")
    rows = _table_after(path.read_text("utf-8"), re.compile("(?i)^#+ *mã thoát"))
    assert [(int(row[0]), row[1].strip("`")) for row in rows] == [
        (s.value, s.name) for s in ExitStatus]


def test_the_errors_docstring_table_is_the_enum() -> None:
    import docgen.errors

    doc = docgen.errors.__doc__ or ""
    assert '"Mã thoát"' in doc or "mã thoát" in doc
    codes = [int(m.group(1)) for m in re.finditer(r"(?m)^(\d+)\s+\S", doc)]
    assert codes == [s.value for s in ExitStatus]


def test_error_families_carry_the_enum() -> None:
    from docgen import errors

    families = {errors.InputError: ExitStatus.INPUT, errors.TemplateError: ExitStatus.TEMPLATE,
                errors.ConfigError: ExitStatus.CONFIG, errors.ArchiveError: ExitStatus.ARCHIVE,
                errors.IntegrityError: ExitStatus.INTEGRITY,
                errors.SearchError: ExitStatus.SEARCH, errors.PrintError: ExitStatus.PRINT,
                errors.BatchError: ExitStatus.PARTIAL}
    for cls, status in families.items():
        assert cls.exit_code is status, cls


def test_no_literal_exit_status_in_docgen() -> None:
    pattern = re.compile(r"(?:sys\.exit|ctx\.exit|\.exit)\(\s*\d+\s*\)|exit_code\s*=\s*\d+\b")
    found = []
    for path in sorted((REPO / "docgen").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        if rel == "docgen/printing/uno_worker.py":  # a child process's own protocol
            continue
        found += [f"{rel}: {m.group(0)}" for m in pattern.finditer(path.read_text("utf-8"))]
    assert found == []
