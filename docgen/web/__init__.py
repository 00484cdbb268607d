"""docgen serve: the commune's web app (issue 12).

A thin layer over the library, like the CLI: every rule stays in docgen.model, archive,
search and printing. Flask renders the pages on the server (Jinja2, autoescaped); a few
lines of vendored JavaScript (static/app.js) add rows, tick absentees and ask the server
for the live figures. waitress serves it (docgen.web.server).

Who may read what is decided in one place, ``docgen.web.reads.Reader``: every catalog
query, search, facet count, similar list, download and book goes through the reader of
the request's user, which limits the one filter to the user's cells (``DocFilter.scope``).
"""

from docgen.web.app import create_app

__all__ = ["create_app"]
