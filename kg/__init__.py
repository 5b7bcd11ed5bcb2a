"""kg: news articles in, an event timeline knowledge graph out.

>>> import kg
>>> callable(kg.build) and callable(kg.load)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["build", "add", "remove", "load", "KnowledgeGraph", "__version__"]

if TYPE_CHECKING:
    from kg.api import KnowledgeGraph, add, build, load, remove


def __getattr__(name: str) -> Any:
    # Importing the API pulls in spaCy; keep `import kg` (and `kg --help`) fast.
    if name in ("build", "add", "remove", "load", "KnowledgeGraph"):
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
