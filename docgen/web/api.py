"""The JSON API under /api/: ``search``, ``list`` and ``show`` as their ``--json`` prints
them, for the same user and with the same permissions as the screens (the session of a
logged-in browser, or ``Authorization: Bearer <token>`` from ``docgen users token LOGIN``).

- ``GET /api/search?q=&cell=&kind=&year=&topic=&from=&to=&sort=&page=&limit=``: the
  shape of ``docgen search --json`` (``SearchResults.to_json``).
- ``GET /api/list?cell=&kind=&year=&topic=&from=&to=&number=&all=``: ``docgen list
  --json``, a list of papers; ``folder`` and ``docx`` (absolute server paths there) are
  URLs here: the paper's page and its .docx download, with ``pdf`` and ``input`` beside.
- ``GET /api/show/<id>``: ``docgen show --json`` (the paper's meta.json, ``damaged``),
  ``folder`` and ``docx`` as URLs likewise, each version with its downloads.

A bad parameter is a 400 with the error in Vietnamese (English with the session's
language), naming the parameter and the fix; a paper outside the user's cells is a 404,
as one that does not exist (docgen.web.app's error handler answers JSON under /api/).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, request, url_for

from docgen.archive.integrity import damage_of, quick_damage
from docgen.archive.records import archived
from docgen.model.meta import ArchivedDoc
from docgen.web.app import reader
from docgen.web.browse import parse_query, record_of, versions_of

bp = Blueprint("api", __name__, url_prefix="/api")

MAX_LIMIT = 1000  # as ``docgen search --limit``


def _json(data: Any, status: int = 200) -> Response:
    resp = Response(json.dumps(data, ensure_ascii=False, default=str), status, mimetype="application/json")
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _files(doc: ArchivedDoc) -> dict[str, str]:
    """The downloads of one version, as URLs of this server (never a server path)."""
    return {name: url_for(endpoint, doc_id=doc.id, version=doc.version, _external=True)
            for name, endpoint in (("docx", "browse.docx"), ("pdf", "browse.pdf"),
                                   ("input", "browse.input_file"))}


def _links(doc: ArchivedDoc) -> dict[str, str]:
    """``folder`` (the paper's page) and the downloads of the version ``doc``."""
    return {"folder": url_for("browse.paper", doc_id=doc.id, _external=True), **_files(doc)}


@bp.route("/search")
def search() -> Response:
    query = parse_query(request.args, max_limit=MAX_LIMIT)
    found = reader().search(query.q or None, query.filt, sort=query.sort, limit=query.limit, page=query.page)
    return _json(found.to_json())


@bp.route("/list")
def list_papers() -> Response:
    query = parse_query(request.args, listing=True)
    # the catalog's records of the reader's papers, in the reader's scope: the records
    # (not only the papers Reader.list gives) are what the quick damage check compares
    rows = reader().records(query.filt)
    out = []
    for relpath, record in rows:
        doc = archived(reader().settings.archive_root, relpath, record)
        damage = [d.to_json() for d in quick_damage(doc, record)]
        data: dict[str, Any] = {"id": doc.id, "version": doc.version, "status": doc.status,
                                **doc.meta.to_json(), **_links(doc), "docx_sha256": doc.docx_sha256,
                                "created_at": doc.created_at, "created_by": doc.created_by,
                                "damaged": bool(damage)}
        if damage:
            data["damage"] = damage
        out.append(data)
    return _json(out)


@bp.route("/show/<doc_id>")
def show(doc_id: str) -> Response:
    doc = reader().get(doc_id)
    record = record_of(doc)
    history = versions_of(doc.id)
    versions = []
    for entry in record.get("versions") or []:
        item = {k: v for k, v in dict(entry).items() if k != "folder"}  # a server path
        version = history.get(int(item.get("version", 0)))
        if version is not None:
            item.update(_files(version))
        versions.append(item)
    data = {**record, **_links(doc), "versions": versions,
            "damaged": [d.to_json() for d in damage_of(doc, record)]}
    return _json(data)
