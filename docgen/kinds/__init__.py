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

from docgen.kinds.base import Kind

__all__ = ["KINDS", "Kind", "kind_names", "get_kind"]

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
