""".doc/.odt/.rtf → .docx through LibreOffice (Converter.to_docx) and the reader of those
files (docgen.importing.office.read_office): legacy font names kept, TCVN3 text decoded,
corrupt and password-protected files refused without waiting, nothing left behind.

The originals are made here: a .docx written with python-docx (a ``.VnTime`` run whose
"ư" is the 0xAD byte, stored as ``w:softHyphen`` as Word does, and a Unicode run), turned
into .doc, .odt and .rtf, and into password-protected .doc and .odt, by a LibreOffice of
the test's own (profile in the test's folder) driven over UNO."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))

from importing_support import require_tool  # noqa: E402

from docgen.config import Settings  # noqa: E402
from docgen.importing.office import office_problem, read_office  # noqa: E402
from docgen.importing.recovered import ReadOptions, UnreadableFile  # noqa: E402
from docgen.printing.converter import (  # noqa: E402
    UNO_PYTHON,
    ConversionFailed,
    Converter,
    has_uno,
    wait_gone,
)
from docgen.printing.pdfcheck import pdf_problem  # noqa: E402
from docgen.printing.service import WarmConverter  # noqa: E402
from docgen.vn.legacy import encode_tcvn3  # noqa: E402

pytestmark = pytest.mark.libreoffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEGACY_TEXT = "Trường học thường ở Hưng Yên"
UNICODE_TEXT = "Chi bộ Thôn Đông Hòa"
PASSWORD = "matkhau-2024"
KINDS = ("doc", "odt", "rtf")

# Run by Debian's python3 (python3-uno): a LibreOffice of its own stores the .docx in
# each format, and as password-protected .doc and .odt ("Password" in the store args).
_MAKER = textwrap.dedent('''
    import subprocess, sys, time, uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    soffice, profile, pipe, src, out = sys.argv[1:6]  # argv[6]: the password
    office = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--norestore", "--nodefault",
         "--nolockcheck", "-env:UserInstallation=" + profile,
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                       (prop("Hidden", True),))
    targets = [("source.doc", "MS Word 97", None), ("source.odt", "writer8", None),
               ("source.rtf", "Rich Text Format", None),
               ("locked.doc", "MS Word 97", sys.argv[6]),
               ("locked.odt", "writer8", sys.argv[6])]
    for name, filter_name, password in targets:
        args = [prop("FilterName", filter_name)]
        if password:
            args.append(prop("Password", password))
        doc.storeToURL(uno.systemPathToFileUrl(out + "/" + name), tuple(args))
    doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
    office.wait(timeout=30)
''')


def write_legacy_docx(path: Path) -> None:
    """A .docx with a ``.VnTime`` run (TCVN3 bytes, 0xAD as ``w:softHyphen``, which
    python-docx cannot write, so the run's XML is edited) and a Times New Roman run."""
    document = Document()
    run = document.add_paragraph().add_run("")
    run.font.name = ".VnTime"
    fonts = run._r.get_or_add_rPr().find(qn("w:rFonts"))
    assert fonts is not None
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), ".VnTime")
    for old in run._r.findall(qn("w:t")):
        run._r.remove(old)
    for i, piece in enumerate(encode_tcvn3(LEGACY_TEXT).split("\xad")):
        if i:
            etree.SubElement(run._r, qn("w:softHyphen"))
        if piece:
            text = etree.SubElement(run._r, qn("w:t"))
            text.text = piece
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    document.add_paragraph().add_run(UNICODE_TEXT).font.name = "Times New Roman"
    document.save(str(path))


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


@dataclasses.dataclass
class Originals:
    folder: Path
    files: dict[str, Path]  # "doc", "odt", "rtf", "locked.doc", "locked.odt", "corrupt.doc"


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> Originals:
    soffice = require_tool("soffice")
    if not has_uno():
        if os.environ.get("CI") == "true":
            pytest.fail("python3-uno must be installed in CI (make sysdeps)")
        pytest.skip("python3-uno is not installed (make sysdeps)")
    folder = tmp_path_factory.mktemp("office")
    source = folder / "source.docx"
    write_legacy_docx(source)
    maker = folder / "maker.py"
    maker.write_text(_MAKER, encoding="utf-8")
    profile = folder / "profile"
    proc = subprocess.Popen(
        [UNO_PYTHON, str(maker), soffice, profile.as_uri(), f"docgen-test-{os.getpid()}",
         str(source), str(folder), PASSWORD],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=120)
    finally:
        _kill_group(proc.pid)  # the maker's group holds its soffice too
    assert proc.returncode == 0, err
    files = {kind: folder / f"source.{kind}" for kind in KINDS}
    files["locked.doc"] = folder / "locked.doc"
    files["locked.odt"] = folder / "locked.odt"
    corrupt = folder / "corrupt.doc"
    corrupt.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(20000))
    files["corrupt.doc"] = corrupt
    for path in files.values():
        assert path.is_file() and path.stat().st_size > 0, path
    return Originals(folder, files)


@pytest.fixture(scope="module")
def warm(originals: Originals) -> Iterator[WarmConverter]:
    with WarmConverter(Settings()) as converter:
        yield converter
    assert not converter.pids


def _legacy_runs(docx: Path) -> dict[str, str]:
    """Font name → text of the runs in that font (``w:softHyphen`` as U+00AD)."""
    with zipfile.ZipFile(docx) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    found: dict[str, str] = {}
    for run in root.iter(W + "r"):
        fonts = run.find(f"{W}rPr/{W}rFonts")
        name = fonts.get(W + "hAnsi") if fonts is not None else None
        text = "".join((child.text or "") if child.tag == W + "t" else "\xad"
                       for child in run if child.tag in (W + "t", W + "softHyphen"))
        if name is not None and text:
            found[name] = found.get(name, "") + text
    return found


def _processes_mentioning(marker: str) -> list[int]:
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker in cmdline.read_bytes().decode("utf-8", "replace"):
                pids.append(int(cmdline.parent.name))
        except (OSError, ValueError):
            continue
    return pids


# ------------------------------------------------------------------------- to_docx
@pytest.mark.parametrize("kind", KINDS)
def test_to_docx_keeps_the_legacy_font_and_its_bytes(originals: Originals, warm: WarmConverter,
                                                     kind: str, tmp_path: Path) -> None:
    out = tmp_path / "back.docx"
    assert warm.to_docx(originals.files[kind], out) == out
    with zipfile.ZipFile(out) as archive:
        assert "word/document.xml" in archive.namelist()
    runs = _legacy_runs(out)
    assert runs[".VnTime"] == encode_tcvn3(LEGACY_TEXT)  # ư kept as 0xAD ("Tr\xadêng häc…")
    assert runs["Times New Roman"] == UNICODE_TEXT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["back.docx"]  # nothing beside it


def test_the_pdf_path_still_works_on_the_same_listener(originals: Originals,
                                                       warm: WarmConverter,
                                                       tmp_path: Path) -> None:
    docx = warm.to_docx(originals.files["doc"], tmp_path / "a.docx")
    starts = warm.starts
    pdf = warm.convert(docx, tmp_path / "a.pdf")
    assert pdf_problem(pdf) is None
    assert warm.starts == starts  # one listener for both kinds of request


@pytest.mark.parametrize("name", ["locked.doc", "locked.odt", "corrupt.doc"])
def test_unopenable_files_fail_at_once_without_a_restart(originals: Originals,
                                                         warm: WarmConverter, name: str,
                                                         tmp_path: Path) -> None:
    warm.start()
    pids, starts = warm.pids, warm.starts
    began = time.monotonic()
    with pytest.raises(ConversionFailed) as caught:
        warm.to_docx(originals.files[name], tmp_path / "x.docx")
    assert time.monotonic() - began < 10  # no password prompt waited on, no retry
    assert "LibreOffice không mở được tệp" in caught.value.message.vi
    assert "có thể hỏng hoặc có mật khẩu" in caught.value.message.vi
    assert warm.pids == pids and warm.starts == starts  # the listener carries on
    assert list(tmp_path.iterdir()) == []


def test_to_docx_refuses_other_names_and_empty_files(warm: WarmConverter,
                                                     tmp_path: Path) -> None:
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"PK\x03\x04")
    with pytest.raises(ValueError):
        warm.to_docx(docx, tmp_path / "b.docx")
    empty = tmp_path / "empty.doc"
    empty.write_bytes(b"")
    with pytest.raises(ConversionFailed) as caught:
        warm.to_docx(empty, tmp_path / "b.docx")
    assert "rỗng" in caught.value.message.vi
    with pytest.raises(ConversionFailed):
        warm.to_docx(tmp_path / "missing.rtf", tmp_path / "b.docx")


def test_a_hang_is_retried_once_within_the_timeout_given(originals: Originals,
                                                        tmp_path: Path) -> None:
    with Converter(Settings()) as converter:
        with pytest.raises(ConversionFailed) as caught:
            converter.to_docx(originals.files["doc"], tmp_path / "a.docx", timeout=0.01)
        assert converter.starts == 2 and converter._listener is None
        assert converter.timeout == Settings().convert_timeout  # only this call's limit
    assert "retried once, limit 0.01 s" in caught.value.message.en
    assert list(tmp_path.iterdir()) == []


def test_without_uno_one_soffice_per_document(originals: Originals, tmp_path: Path) -> None:
    with Converter(Settings(), mode="cli") as converter:
        converter.to_docx(originals.files["doc"], tmp_path / "a.docx")
        with pytest.raises(ConversionFailed) as caught:
            converter.to_docx(originals.files["locked.doc"], tmp_path / "b.docx")
        profile = converter._oneshot.profile if converter._oneshot else None
    assert _legacy_runs(tmp_path / "a.docx")[".VnTime"] == encode_tcvn3(LEGACY_TEXT)
    assert "có thể hỏng hoặc có mật khẩu" in caught.value.message.vi
    assert not (tmp_path / "b.docx").exists()
    assert profile is not None and not profile.exists()
    assert _processes_mentioning(str(profile)) == []


# ----------------------------------------------------------------------- read_office
@pytest.mark.parametrize("kind", KINDS)
def test_read_office_decodes_the_legacy_text(originals: Originals, warm: WarmConverter,
                                             kind: str) -> None:
    done = warm.conversions
    recovered = read_office(originals.files[kind].read_bytes(), f".{kind}", ReadOptions(),
                            warm, Settings())
    assert recovered.text().splitlines() == [LEGACY_TEXT, UNICODE_TEXT]
    assert recovered.source == kind and recovered.encoding == "mixed"
    assert recovered.unicode_docx is not None
    assert warm.conversions == done + 1 and warm.pids  # the warm converter stays warm


def test_read_office_alone_starts_and_stops_its_own_libreoffice(
        originals: Originals, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # profile and work folders here
    recovered = read_office(originals.files["doc"].read_bytes(), ".doc", ReadOptions(), None,
                            Settings())
    assert LEGACY_TEXT in recovered.text()
    assert list(scratch.iterdir()) == []  # work folder and LibreOffice profile removed
    assert wait_gone(_processes_mentioning(str(scratch)))


@pytest.mark.parametrize("name", ["locked.doc", "locked.odt"])
def test_password_protected_files_are_named_as_such(originals: Originals, name: str) -> None:
    data = originals.files[name].read_bytes()
    kind = name.rsplit(".", 1)[1]
    problem = office_problem(data, "doc" if kind == "doc" else "odt")
    assert problem is not None
    with pytest.raises(UnreadableFile) as caught:
        # No converter is started for it: the bytes say it (Settings would start one).
        read_office(data, f".{kind}", ReadOptions(), None, Settings(soffice="/nonexistent"))
    assert caught.value.message.vi == f"tệp .{kind} được bảo vệ bằng mật khẩu: docgen không mở được"
    assert caught.value.hint is not None and "mật khẩu" in caught.value.hint.vi


def test_an_unprotected_doc_passes_the_byte_checks(originals: Originals) -> None:
    for kind in ("doc", "odt", "rtf"):
        assert office_problem(originals.files[kind].read_bytes(), kind) is None


def test_damaged_docs_are_unreadable(originals: Originals, warm: WarmConverter,
                                     tmp_path: Path) -> None:
    random_ole = originals.files["corrupt.doc"].read_bytes()
    truncated = originals.files["doc"].read_bytes()[:1536]  # header and a few sectors
    for data in (random_ole, truncated):
        assert office_problem(data, "doc") is None  # the listener judges these
        assert office_problem(data, "doc", structure=True) is not None
        with pytest.raises(UnreadableFile) as caught:
            read_office(data, ".doc", ReadOptions(), warm, Settings())
        assert "LibreOffice không mở được tệp" in caught.value.message.vi
        assert "hỏng" in caught.value.message.vi and caught.value.hint is not None
    # soffice --convert-to would show the bytes as text: the structure check refuses them.
    with Converter(Settings(), mode="cli") as oneshot:
        for data in (random_ole, truncated):
            with pytest.raises(UnreadableFile) as caught:
                read_office(data, ".doc", ReadOptions(), oneshot, Settings())
            assert caught.value.message.vi.startswith("tệp .doc bị hỏng: không đọc được cấu trúc")
        assert oneshot.starts == 0  # refused before LibreOffice


def test_header_miscounts_are_left_to_libreoffice(originals: Originals,
                                                  warm: WarmConverter) -> None:
    # A header claiming two allocation-table sectors where the file has one: LibreOffice
    # reads it, so the byte checks must not refuse it.
    data = bytearray(originals.files["doc"].read_bytes())
    fat_count = int.from_bytes(data[0x2C:0x30], "little")
    data[0x2C:0x30] = (fat_count + 1).to_bytes(4, "little")
    assert office_problem(bytes(data), "doc", structure=True) is None
    recovered = read_office(bytes(data), ".doc", ReadOptions(), warm, Settings())
    assert LEGACY_TEXT in recovered.text()


def test_garbage_that_passes_the_byte_checks_fails_in_libreoffice(warm: WarmConverter) -> None:
    # Not OLE nor zip: the byte checks say nothing; LibreOffice only "opens" it as text.
    data = bytes(range(1, 256)) * 40
    with pytest.raises(UnreadableFile) as caught:
        read_office(data, ".doc", ReadOptions(), warm, Settings())
    assert "có thể hỏng hoặc có mật khẩu" in caught.value.message.vi


def test_empty_and_oversized_files(warm: WarmConverter) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_office(b"", ".rtf", ReadOptions(), warm, Settings())
    assert "rỗng" in caught.value.message.vi
    with pytest.raises(UnreadableFile) as caught:
        read_office(b"{\\rtf1 " + b"x" * 4096 + b"}", ".rtf", ReadOptions(max_bytes=1024), warm,
                    Settings())
    assert "quá lớn (4 KB, tối đa 1 KB)" in caught.value.message.vi
    with pytest.raises(ValueError):
        read_office(b"{\\rtf1 x}", ".txt", ReadOptions(), warm, Settings())
