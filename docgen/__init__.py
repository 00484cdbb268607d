"""docgen: documents of Vietnamese Party cells (chi bộ), from input to print."""

from docgen.errors import DocgenError
from docgen.i18n import Msg

__version__ = "0.1.0"

__all__ = ["DocgenError", "Msg", "__version__"]
