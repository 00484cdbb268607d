"""The dated, immutable archive: store, layout, checksums, numbering, lock, audit, bundles.

See docs/archive.md for the on-disk layout and every meta.json field.
"""

from docgen.archive.bundle import ImportReport
from docgen.archive.ids import check_id
from docgen.archive.store import Archive
from docgen.archive.verify import Problem, VerifyReport

__all__ = ["Archive", "ImportReport", "Problem", "VerifyReport", "check_id"]
