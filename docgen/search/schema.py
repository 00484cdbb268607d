"""The index schema and its version (a changed version means: rebuild the index)."""

from __future__ import annotations

from whoosh import fields as wfields

from docgen.search.analysis import GramField

# Bump whenever the schema, the analysis (docgen.search.analysis) or the indexed
# values change; an index with another version asks for `docgen reindex`.
# 3: one fold (docgen.vn.text.fold); declared topics, number and number key for DocFilter
# (the field of declared topics is gone since: DocFilter.topic is answered from "topics",
# declared or suggested; a version-3 index that still has it answers the same, so no bump)
SCHEMA_VERSION = 3
VERSION_FILE = "docgen-schema-version"

# Field weights of the scorer (docgen.search.engine).
FIELD_WEIGHTS = {"body": 1.0, "title": 2.5, "org": 1.0, "topics": 3.0}


def build_schema() -> wfields.Schema:
    return wfields.Schema(
        id=wfields.ID(stored=True, unique=True),
        kind=wfields.ID(stored=False),
        cell=wfields.ID(stored=False),
        year=wfields.ID(stored=False),
        day=wfields.ID(stored=False),
        topics=wfields.KEYWORD(stored=False, scorable=True),  # declared and suggested (DocFilter.topic)
        number=wfields.ID(stored=False),  # "5" (DocFilter.number)
        number_key=wfields.ID(stored=False),  # "5-nq/cb" (docgen.archive.filters.number_text_key)
        title=GramField(folded=True),
        org=GramField(folded=True),
        body=GramField(folded=True),
        doc=wfields.STORED(),
    )
