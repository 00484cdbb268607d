"""Write every kind's .docx template (docxtpl tags) under templates/docx/.

Run: .venv/bin/python scripts/build_templates.py [OUT_DIR]

Each kind builds its own template in its module (docgen/kinds/<kind>.py, ``template()``)
from the blocks of docgen/render/tplkit.py; this script writes one file per kind of the
registry. The generated files are committed so a secretary can open and restyle them in
Word or LibreOffice; tests/render/test_templates.py checks they are what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docgen.config import DEFAULT_TEMPLATES  # noqa: E402
from docgen.kinds import KINDS  # noqa: E402
from docgen.render.tplkit import template_bytes  # noqa: E402

__all__ = ["main", "template_bytes"]


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_TEMPLATES
    out_dir.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        path = out_dir / f"{kind}.docx"
        path.write_bytes(template_bytes(kind))
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
