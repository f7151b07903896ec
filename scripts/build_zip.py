"""Build a Lambda zip for one function folder, byte-for-byte reproducibly.

The zip holds the folder's sources plus its requirements installed for the
Lambda platform. Entries are sorted, timestamps and modes fixed, caches and
installer metadata dropped, so two clones on two machines produce the same
bytes and `source_code_hash` never drifts between a laptop and a pipeline.

Usage: python scripts/build_zip.py SOURCE_DIR OUTPUT_ZIP [--arch arm64|x86_64]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # earliest date a zip entry can hold
PLATFORMS = {"arm64": "manylinux2014_aarch64", "x86_64": "manylinux2014_x86_64"}
# Files that differ between installs of the same wheel, or that Lambda never reads.
SKIPPED_NAMES = {"__pycache__", "RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
SKIPPED_SUFFIXES = (".pyc", ".pyo")


def install_requirements(requirements: Path, target: Path, arch: str, python: str) -> None:
    """Install pinned wheels for the Lambda platform (never sdists: they would
    build for this machine, not for Lambda)."""
    if not requirements.is_file() or not requirements.read_text().strip():
        return
    subprocess.run(
        [
            sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--no-compile", "--no-deps", "--only-binary=:all:",
            "--platform", PLATFORMS[arch], "--implementation", "cp",
            "--python-version", python, "--target", str(target),
            "-r", str(requirements),
        ],
        check=True,
    )  # fmt: skip


def collect(root: Path) -> dict[str, Path]:
    """Map archive names to files under root, skipping caches and metadata noise."""
    entries = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIPPED_NAMES]
        for name in filenames:
            if name in SKIPPED_NAMES or name.endswith(SKIPPED_SUFFIXES):
                continue
            path = Path(dirpath) / name
            entries[path.relative_to(root).as_posix()] = path
    return entries


def write_zip(entries: dict[str, Path], output: Path) -> None:
    tmp = output.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w") as archive:
        for arcname in sorted(entries):
            info = zipfile.ZipInfo(arcname, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so external_attr is read as a mode
            info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
            archive.writestr(info, entries[arcname].read_bytes(), compresslevel=9)
    tmp.replace(output)


def build(source: Path, output: Path, arch: str, python: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        deps = Path(tmp) / "deps"
        install_requirements(source / "requirements.txt", deps, arch, python)
        entries = collect(deps) if deps.exists() else {}
        # The function's own files win over a dependency of the same name.
        entries.update(
            {name: path for name, path in collect(source).items() if name != "requirements.txt"}
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        write_zip(entries, output)
    return hashlib.sha256(output.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--arch", choices=sorted(PLATFORMS), default="arm64")
    parser.add_argument("--python-version", default="3.13")
    args = parser.parse_args()
    if not (args.source / "handler.py").is_file():
        parser.error(f"{args.source} has no handler.py")
    digest = build(args.source, args.output, args.arch, args.python_version)
    size = args.output.stat().st_size
    print(f"{args.output}  {size / 1024:.0f} KiB  sha256 {digest}")


if __name__ == "__main__":
    main()
