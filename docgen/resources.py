"""Where docgen finds the files it ships: the .docx templates.

The templates live in the repository's top-level ``templates/docx/`` (the repository's
contract). The wheel carries them inside the package as ``docgen/templates_docx/``
(pyproject.toml maps the package ``docgen.templates_docx`` to that folder), so an
installed docgen needs no clone; in a clone (an editable install, or ``python -m docgen``
from the tree) the repository's folder is used.

The package's folder is found from this file, which is what
``importlib.resources.files("docgen")`` answers for a package on disk (wheels install
unpacked), without importing importlib.resources, zipfile and tempfile into every
command (start-up time; docgen.config computes the default at import).
"""

from __future__ import annotations

from pathlib import Path

TEMPLATES_PACKAGE_DIR = "templates_docx"  # docgen.templates_docx in the wheel
PACKAGE_DIR = Path(__file__).resolve().parent
REPO_TEMPLATES = PACKAGE_DIR.parent / "templates" / "docx"


def default_templates_dir() -> Path:
    """The shipped templates' folder: the installed package's, else the repository's."""
    shipped = PACKAGE_DIR / TEMPLATES_PACKAGE_DIR
    return shipped if shipped.is_dir() else REPO_TEMPLATES
