"""The compiled build never shadows an edited source, and SITROOM_PURE turns it off.

Each case copies the package to a temporary directory, plants a file named like a compiled
``places`` module and imports sitroom there in a subprocess. The planted file is not a real
extension: importing it would fail, so a clean import proves the guard sent the import to
``places.py``, and an ImportError proves it let the (recorded, unchanged) build through.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sitroom

PACKAGE = Path(sitroom.__file__).resolve().parent
FAKE = "places" + importlib.machinery.EXTENSION_SUFFIXES[0]
PROBE = "import warnings, sitroom, sitroom.places as p; print(p.__file__); print(sitroom.compiled_modules())"


def _copy(tmp_path: Path, manifest_hash: str | None) -> Path:
    root = tmp_path / "site"
    shutil.copytree(PACKAGE, root / "sitroom", ignore=shutil.ignore_patterns("data", "web", "__pycache__", "*.c"))
    # The gazetteer's data is large: link it instead of copying it.
    (root / "sitroom" / "data").symlink_to(PACKAGE / "data")
    for built in (root / "sitroom").glob("*.so"):
        built.unlink()
    (root / "sitroom" / "_compiled.json").unlink(missing_ok=True)
    (root / "sitroom" / FAKE).write_bytes(b"not an extension module")
    if manifest_hash is not None:
        (root / "sitroom" / "_compiled.json").write_text(json.dumps({"places": manifest_hash}))
    return root


def _import(root: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "SITROOM_PURE"} | {"PYTHONPATH": str(root), **env}
    return subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=environ, cwd=root,
                          timeout=120)


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_build_of_a_changed_source_is_not_used(tmp_path: Path) -> None:
    root = _copy(tmp_path, manifest_hash="0" * 64)
    run = _import(root)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].endswith("places.py")
    assert run.stdout.splitlines()[1] == "[]"
    assert "older than their source (places)" in run.stderr


def test_a_build_with_no_manifest_is_not_used(tmp_path: Path) -> None:
    run = _import(_copy(tmp_path, manifest_hash=None))
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].endswith("places.py")


def test_a_build_of_the_unchanged_source_is_used(tmp_path: Path) -> None:
    root = _copy(tmp_path, manifest_hash=None)
    (root / "sitroom" / "_compiled.json").write_text(json.dumps({"places": _hash(root / "sitroom" / "places.py")}))
    run = _import(root)
    # The planted file is what Python tried to load: proof the guard let the build through.
    assert run.returncode != 0
    assert FAKE in run.stderr or "dynamic module" in run.stderr or "invalid ELF" in run.stderr


def test_sitroom_pure_ignores_every_build(tmp_path: Path) -> None:
    root = _copy(tmp_path, manifest_hash=None)
    (root / "sitroom" / "_compiled.json").write_text(json.dumps({"places": _hash(root / "sitroom" / "places.py")}))
    run = _import(root, SITROOM_PURE="1")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].endswith("places.py")
    assert "older than" not in run.stderr


def test_this_install_reports_what_it_runs() -> None:
    import sitroom.places

    compiled = sitroom.compiled_modules()
    assert ("places" in compiled) == (not sitroom.places.__file__.endswith(".py"))
    if os.environ.get("CI") and not os.environ.get("SITROOM_PURE"):
        # CI builds from a fresh clone with Cython in the build requirements: the stages must be compiled.
        assert {"places", "events", "actors", "figures", "pipeline"} <= set(compiled)


@pytest.mark.parametrize("name", ["cli", "store", "_compiled"])
def test_shells_and_the_guard_stay_python(name: str) -> None:
    module = __import__(f"sitroom.{name}", fromlist=["_"])
    assert module.__file__.endswith(".py")
