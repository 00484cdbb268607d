"""The registry of document kinds: every module of this package that defines ``KIND``.

Adding a kind is adding ``docgen/kinds/<name>.py`` (its ``Kind`` entry), its template
(built by ``scripts/build_templates.py`` from the entry's ``template_builder``), its example
``examples/<name>.yaml`` and its docs. Nothing else lists kinds: the model, ``form``,
``schema``, ``templates``, search facets, the printed book and the tests iterate
``KINDS``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from functools import lru_cache

from docgen.i18n import Msg
from docgen.kinds.base import Kind

__all__ = ["KINDS", "OTHER_KIND", "Kind", "get_kind", "kind_names", "label_of"]

OTHER_KIND = "van-ban-khac"
"""The kind of an imported old paper of a type docgen does not write (a notice, a
decision, a letter…) or whose type could not be read (docgen.importing): not in the
registry (nothing is written as it), it keeps the type symbol printed on it."""
OTHER_LABEL = Msg("Văn bản khác", "Other paper")

_NOT_KINDS = frozenset({"base", "common"})


@lru_cache(maxsize=1)
def _registry() -> dict[str, Kind]:
    found: list[Kind] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name in _NOT_KINDS:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, Kind):
            found.append(kind)
    found.sort(key=lambda k: (k.order, k.name))
    names = [k.name for k in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:  # pragma: no cover - a programming error, caught by the tests
        raise RuntimeError(f"two kind modules define {', '.join(duplicates)}")
    return {k.name: k for k in found}


class _Kinds(Mapping[str, Kind]):
    """``KINDS["nghi-quyet"]``: the registry, loaded on first use (start-up stays fast)."""

    def __getitem__(self, name: str) -> Kind:
        return _registry()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_registry())

    def __len__(self) -> int:
        return len(_registry())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in _registry()

    def __repr__(self) -> str:
        return f"KINDS({', '.join(_registry())})"


KINDS: Mapping[str, Kind] = _Kinds()


def kind_names() -> tuple[str, ...]:
    return tuple(_registry())


def get_kind(name: str) -> Kind | None:
    return _registry().get(name)


def label_of(kind: str) -> Msg:
    """A kind's label; for ``OTHER_KIND`` its own; an unknown kind shows its id."""
    spec = get_kind(kind)
    if spec is not None:
        return spec.label
    return OTHER_LABEL if kind == OTHER_KIND else Msg(kind, kind)
