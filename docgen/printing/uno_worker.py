"""UNO side of the converter: run with Debian's /usr/bin/python3 (which has python3-uno).

It must not import docgen (the project venv cannot import uno, and this interpreter has
none of docgen's dependencies). Protocol, one JSON object per line:

  argv[1]  the pipe name of a running ``soffice --accept=pipe,name=...;urp;`` listener
  stdout   {"ready": true} once connected (or {"ready": false, "error": ...})
  stdin    {"in": "/abs/a.docx", "out": "/abs/a.pdf", "pdfa": false}
  stdout   {"ok": true} or {"ok": false, "error": "..."} ("crashed": true when
           LibreOffice died; the helper then exits)
  stdin    {"in": "/abs/a.doc", "out": "/abs/a.docx", "filter": "MS Word 2007 XML"}
           any document LibreOffice Writer opens, stored with that export filter; the
           import filter is the one LibreOffice's type detection picks on load
  stdout   {"ok": true, "filter": "MS Word 97"} (the import filter), or {"ok": false,
           "unreadable": true, "error": "..."} when the document cannot be opened as a
           word-processing document: corrupt, password-protected (no password and no
           interaction handler are given, so the load fails at once instead of asking),
           or only readable by the plain-text fallback filter
  stdin    {"quit": true}  → terminates LibreOffice and exits (so does the end of stdin)
"""

import contextlib
import json
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]
from com.sun.star.lang import DisposedException  # type: ignore[import-not-found]

CONNECT_SECONDS = 90.0


def prop(name: str, value: Any) -> Any:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def send(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def connect(pipe: str) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def filter_data(pdfa: bool) -> Any:
    items = [prop("ExportNotes", False), prop("EmbedStandardFonts", True)]
    if pdfa:
        items.append(prop("SelectPdfVersion", 2))
    return uno.Any("[]com.sun.star.beans.PropertyValue", tuple(items))


class Unreadable(Exception):
    """LibreOffice could not open the document as a word-processing document."""


# Type detection falls back to these for bytes no document filter claims (a corrupt .doc
# or .odt is "opened" as its bytes shown as text): not a document.
PLAIN_TEXT_FILTERS = ("Text", "Text (encoded)", "Text - txt - csv (StarCalc)")


def export(desktop: Any, request: dict[str, Any]) -> str:
    """Store the document at request["in"] with the export filter request["filter"];
    returns the import filter LibreOffice detected. No "Password" and no
    "InteractionHandler" are passed: an encrypted document fails to load (None) rather
    than waiting on a password prompt."""
    src = uno.systemPathToFileUrl(request["in"])
    dst = uno.systemPathToFileUrl(request["out"])
    load = (prop("Hidden", True), prop("ReadOnly", True), prop("UpdateDocMode", 0),
            prop("MacroExecutionMode", 0))
    try:
        document = desktop.loadComponentFromURL(src, "_blank", 0, load)
    except DisposedException:
        raise
    except Exception as exc:  # IllegalArgumentException, IOException: not loadable
        raise Unreadable(f"{type(exc).__name__}: {exc}") from exc
    if document is None:
        raise Unreadable("LibreOffice could not open the document")
    try:
        args = {p.Name: p.Value for p in document.getArgs()}
        detected = str(args.get("FilterName", ""))
        if detected in PLAIN_TEXT_FILTERS:
            raise Unreadable(f"only the plain-text filter ({detected}) opened it")
        if not document.supportsService("com.sun.star.text.GenericTextDocument"):
            raise Unreadable(f"not a text document (filter {detected})")
        store = (prop("FilterName", request["filter"]), prop("Overwrite", True))
        uno.invoke(document, "storeToURL", (dst, store))
    finally:
        document.close(True)
    return detected


def convert(desktop: Any, request: dict[str, Any]) -> None:
    src = uno.systemPathToFileUrl(request["in"])
    dst = uno.systemPathToFileUrl(request["out"])
    load = (prop("Hidden", True), prop("ReadOnly", True), prop("UpdateDocMode", 0),
            prop("MacroExecutionMode", 0))
    document = desktop.loadComponentFromURL(src, "_blank", 0, load)
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        relayout(document)
        store = (prop("FilterName", "writer_pdf_Export"),
                 prop("FilterData", filter_data(bool(request.get("pdfa")))))
        uno.invoke(document, "storeToURL", (dst, store))
    finally:
        document.close(True)


def relayout(document: Any) -> None:
    """Lay the pages out again before printing. LibreOffice 7.4 sometimes ignores "keep with
    next" in its first layout of a loaded document (a heading then ends a page; reproduced
    with a plain python-docx file); any change of a paragraph attribute makes it lay the
    document out again, correctly. The change is undone at once."""
    try:
        style = document.StyleFamilies.getByName("ParagraphStyles").getByName("Standard")
        orphans = style.ParaOrphans
        style.ParaOrphans = orphans + 1
        style.ParaOrphans = orphans
    except Exception:  # noqa: BLE001 - a document without the style prints as it is
        return


def main() -> int:
    try:
        desktop = connect(sys.argv[1])
    except Exception as exc:  # reported to docgen, which raises PrintError
        send({"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        return 1
    send({"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("quit"):
            # The listener is going away; docgen kills it if it lingers.
            with contextlib.suppress(Exception):
                desktop.terminate()
            return 0
        try:
            if request.get("filter"):
                detected = export(desktop, request)
            else:
                convert(desktop, request)
                detected = None
        except DisposedException as exc:  # LibreOffice died: docgen restarts it
            send({"ok": False, "crashed": True, "error": f"{type(exc).__name__}: {exc}"})
            return 2
        except Unreadable as exc:
            send({"ok": False, "unreadable": True, "error": str(exc)})
        except Exception as exc:
            send({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
        else:
            send({"ok": True} if detected is None else {"ok": True, "filter": detected})
    # stdin closed without "quit": docgen died (e.g. killed); do not leave LibreOffice behind.
    with contextlib.suppress(Exception):
        desktop.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
