"""Compile the analysis stages with Cython when the build can (the package stays plain Python).

Why: issue #7 asks for full analysis at no more than 2x spaCy's tokenizer and 200 articles/s on
one core. The stages are pure Python spread thinly over many small functions; compiling the same
source with Cython removes the interpreter's per-call and per-opcode cost (measured 1.2-1.35x on
``bench/throughput.py``) without a second implementation to keep in step.

- The ``.py`` files stay the source of truth and are installed beside the compiled modules.
- Every extension is ``optional``: with no C compiler the build warns and sitroom runs as plain
  Python. ``SITROOM_PURE=1`` at build time skips compiling; at run time it ignores compiled modules.
- ``_compiled.json`` records the hash of each source a module was compiled from.
  ``sitroom/_compiled.py`` loads a compiled module only when its source is unchanged since, so
  an edited ``.py`` in a development checkout is never shadowed by a stale build.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

PACKAGE = Path("src") / "sitroom"
# The per-document analysis path (pipeline and every stage it calls) plus the linker. Not the
# CLI, store, web app or I/O: they wait on disks and sockets, and Typer/FastAPI inspect signatures.
COMPILED = (
    "actors", "attribution", "contradictions", "dates", "events", "figures", "gazetteer", "language",
    "link", "model", "numbers", "pipeline", "places", "quotes", "segment", "textmatch",
)
MANIFEST = "_compiled.json"  # keep in step with sitroom/_compiled.py


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class BuildExt(build_ext):
    """build_ext that compiles in parallel and writes the manifest of the sources it compiled."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        super().run()
        built: dict[str, str] = {}
        out_dir = None
        for ext in self.extensions:
            target = Path(self.get_ext_fullpath(ext.name))
            if target.exists():
                out_dir = target.parent
                built[ext.name.rsplit(".", 1)[1]] = source_hash(Path(ext.sources[0].removesuffix(".c") + ".py"))
        if out_dir is not None:
            (out_dir / MANIFEST).write_text(json.dumps(built, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def extensions() -> list[Extension]:
    if os.environ.get("SITROOM_PURE"):
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        return []
    modules = [
        Extension(f"sitroom.{name}", [str(PACKAGE / f"{name}.py")], optional=True) for name in COMPILED
    ]
    # annotation_typing=False: type hints document the code; they must not become C-level checks
    # that would make the compiled module behave differently from the source (a frozenset passed
    # where a hint says set).
    return cythonize(
        modules,
        compiler_directives={"language_level": "3", "binding": True, "annotation_typing": False},
        nthreads=os.cpu_count() or 1,
        quiet=True,
    )


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildExt})
