"""Which analysis modules run compiled, and a guard that never lets a stale build shadow its source.

The build (``setup.py``) compiles the analysis stages with Cython when it can and writes
``_compiled.json``: for every compiled module, the hash of the ``.py`` it was compiled from.
Python's import system prefers an extension module over a ``.py`` of the same name, so in an
editable checkout an edited stage would silently keep running its old compiled code. ``guard``
runs before any stage is imported and sends the import of every module whose source changed since
the build (or every one, with ``SITROOM_PURE=1``) to the source file instead. This module itself
is never compiled.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path

MANIFEST = "_compiled.json"  # written by setup.py's build_ext
_HERE = Path(__file__).resolve().parent
_state: dict[str, frozenset[str]] = {"compiled": frozenset(), "stale": frozenset()}


class _SourceFirst(importlib.abc.MetaPathFinder):
    """Imports the named modules of this package from their ``.py`` files."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 - the finder protocol
        package, _, module = fullname.rpartition(".")
        if package != __package__ or module not in self.names:
            return None
        return importlib.util.spec_from_file_location(fullname, _HERE / f"{module}.py")


def _built_modules() -> set[str]:
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return {p.name.split(".", 1)[0] for p in _HERE.iterdir() if p.name.endswith(suffixes)}


def guard() -> None:
    """Load compiled modules only where they match their source; note which ones do."""
    built = _built_modules()
    if not built:
        return
    try:
        recorded = json.loads((_HERE / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    pure = bool(os.environ.get("SITROOM_PURE"))
    stale = set()
    for name in built:
        source = _HERE / f"{name}.py"
        if source.exists() and (pure or recorded.get(name) != hashlib.sha256(source.read_bytes()).hexdigest()):
            stale.add(name)
    _state["compiled"], _state["stale"] = frozenset(built - stale), frozenset(stale)
    if stale:
        sys.meta_path.insert(0, _SourceFirst(frozenset(stale)))
        if not pure:
            warnings.warn(
                f"sitroom: {len(stale)} compiled module(s) are older than their source "
                f"({', '.join(sorted(stale))}); running the source. Rebuild with `make build`.",
                RuntimeWarning,
                stacklevel=3,
            )


def compiled_modules() -> list[str]:
    """The sitroom modules running as compiled code in this process (empty: plain Python)."""
    return sorted(_state["compiled"])


guard()  # on import, before sitroom/__init__ imports any stage
