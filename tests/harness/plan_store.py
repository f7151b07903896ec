"""Plan each configuration once per test run, whichever xdist worker asks first.

A configuration is the root's own files and the folder it sits in (which
decides what its relative module sources resolve to, whatever the root's own
name: two roots written with the same content are one configuration), the
var files' contents, the -var values and the CLI. The first test to ask plans
it under a file lock; every later one, in any worker, reads the stored
summary. Each line of `log` says which happened, so a run can report how many
plans it saved.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from harness import REPO
from harness.terraform import PlanSummary

# What a root's copy or a plan leaves beside its files: not configuration.
_NOT_CONFIG = {".terraform", ".terraform.lock.hcl", "terraform.tfstate", "terraform.tfstate.backup"}


def run_directory(basetemp: Path) -> Path:
    """The directory every worker of this run shares: an xdist worker's
    basetemp is `<run's basetemp>/<worker id>`."""
    return basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp


def _root_files(root: Path) -> list[tuple[str, bytes]]:
    return [
        (path.name, path.read_bytes())
        for path in sorted(root.iterdir())
        if path.is_file() and path.name not in _NOT_CONFIG and not path.name.startswith(".")
    ]


class PlanStore:
    def __init__(self, directory: Path, cli: str):
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.cli = cli

    def key(self, root: Path, var_files: Sequence[Path], tf_vars: dict) -> str:
        digest = hashlib.sha256()
        try:
            place = str(root.parent.relative_to(REPO))
        except ValueError:
            place = str(root.parent)
        digest.update(json.dumps([self.cli, place, tf_vars], sort_keys=True, default=str).encode())
        for name, content in _root_files(root):
            digest.update(name.encode() + b"\0" + content + b"\0")
        for var_file in var_files:
            digest.update(b"var-file\0" + Path(var_file).read_bytes() + b"\0")
        return digest.hexdigest()[:32]

    def summary(self, key: str, plan: Callable[[], PlanSummary], label: str) -> PlanSummary:
        stored = self.directory / f"{key}.json"
        with (self.directory / f"{key}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if stored.exists():
                self._log("reused", label)
                return PlanSummary(**json.loads(stored.read_text()))
            summary = plan()
            stored.write_text(json.dumps(dataclasses.asdict(summary)))
            self._log("planned", label)
            return summary

    def _log(self, what: str, label: str) -> None:
        with (self.directory / "log").open("a") as log:
            log.write(f"{what} {label}\n")

    def counts(self) -> dict[str, int]:
        """{"planned": n, "reused": m} over the whole run so far."""
        log = self.directory / "log"
        lines = log.read_text().splitlines() if log.exists() else []
        return {
            what: sum(line.startswith(what + " ") for line in lines)
            for what in ("planned", "reused")
        }
