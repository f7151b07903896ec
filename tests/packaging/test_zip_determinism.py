"""`make build` zips are byte-identical across clones, machines and times.

Each build runs on its own copy of the function folder, with different paths,
file times, file modes and a stray __pycache__, as two clones on two machines
would have.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from harness.terraform import REPO

FUNCTIONS = sorted(p.name for p in (REPO / "functions").iterdir() if (p / "handler.py").is_file())
BUILD = REPO / "scripts" / "build_zip.py"


def clone_function(name: str, dest: Path, mtime: int, mode: int) -> Path:
    copy = dest / "functions" / name
    shutil.copytree(REPO / "functions" / name, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "handler.cpython-313.pyc").write_bytes(os.urandom(32))
    for path in copy.rglob("*"):
        if path.is_file():
            path.chmod(mode)
            os.utime(path, (mtime, mtime))
    return copy


def build(source: Path, output: Path) -> bytes:
    subprocess.run([sys.executable, str(BUILD), str(source), str(output)], check=True)
    return output.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("name", FUNCTIONS)
def test_two_clones_build_identical_zips(name, tmp_path):
    first = clone_function(name, tmp_path / "clone-a", mtime=1_000_000_000, mode=0o644)
    other = tmp_path / "elsewhere" / "clone-b"
    second = clone_function(name, other, mtime=1_800_000_000, mode=0o755)

    zip_a = build(first, tmp_path / "a.zip")
    zip_b = build(second, tmp_path / "b.zip")

    assert zip_a == zip_b


@pytest.mark.parametrize("name", FUNCTIONS)
def test_zip_entries_are_normalised(name, tmp_path):
    source = clone_function(name, tmp_path, mtime=1_500_000_000, mode=0o700)
    archive = tmp_path / f"{name}.zip"
    build(source, archive)

    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        names = [info.filename for info in infos]
        assert "handler.py" in names
        assert "ajo_runtime/__init__.py" in names  # the shared runtime rides in every zip
        assert names == sorted(names)
        assert "requirements.txt" not in names
        # Only bytecode the build compiled for the runtime, never the stray cache.
        stray = [n for n in names if n.endswith(".pyc") and ".cpython-313." not in n]
        assert not stray
        if sys.version_info[:2] == (3, 13):  # unchecked-hash bytecode for the runtime
            assert (
                zf.read("__pycache__/handler.cpython-313.pyc")[4:8] == b"\x01\x00\x00\x00"
            )  # hash-based, unchecked
        assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {info.external_attr >> 16 for info in infos} == {0o100644}
        assert zf.testzip() is None


@pytest.mark.slow
@pytest.mark.skipif(
    sys.version_info[:2] != (3, 13),
    reason="dist/ is built by Python 3.13 (the Lambda runtime) and carries its bytecode",
)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_shipped_zip_matches_a_fresh_build(name, tmp_path):
    """dist/ ships with the module for registry consumers: it must be current."""
    shipped = REPO / "dist" / f"{name}.zip"
    assert shipped.is_file(), f"{shipped} missing: run `make build` and commit dist/"
    fresh = build(REPO / "functions" / name, tmp_path / f"{name}.zip")
    assert fresh == shipped.read_bytes(), f"{shipped} is stale: run `make build` and commit dist/"
