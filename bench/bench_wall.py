"""Developer wall times: `make test`, and a plan of examples/complete.

  make test             floor: pytest collecting the same tests (start-up + collection),
                        so the ratio is what running them adds;
  plan of the example   floor: a plan of a root with only the same provider block and the
                        example's one data source (aws_caller_identity), against the same
                        moto server, so the ratio is what planning the module adds over
                        starting and configuring the aws provider. `init` is timed apart.

Both need OpenTofu and the hashicorp/aws provider. With no registry here the provider is
built locally (scripts/setup-iac.sh); until its CLI config exists (toolchain cache
`tofurc`) these figures are skipped with a message, never half-measured.

Usage: python -m bench.bench_wall [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import REPO
from harness.moto_server import moto_process

EXAMPLE = REPO / "examples" / "complete"
PYTHON = REPO / ".venv" / "bin" / "python"

FLOOR_ROOT = """\
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 6.47.1, < 7.0" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}
"""


def toolchain_cache() -> Path:
    done = subprocess.run(
        [str(REPO / "scripts" / "toolchain.sh"), "path"], capture_output=True, text=True
    )
    path = done.stdout.strip()
    return Path(path) if done.returncode == 0 and path else Path.home() / ".cache/ajo-sms-toolchain"


def skip_reason() -> str | None:
    """Why the wall figures cannot be taken now, or None."""
    if os.environ.get("TERRAFORM"):
        return None  # an explicitly chosen CLI: trust it
    tofurc = toolchain_cache() / "tofurc"
    if not tofurc.is_file():
        return (
            f"skipped: the aws provider for plans is not built yet (no {tofurc}); "
            "run `make setup-iac`, then `make bench` again"
        )
    return None


def _timed(cmd: list[str], cwd: Path = REPO, env: dict | None = None) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - t0, done.returncode, (done.stdout + done.stderr)[-3000:]


def make_test() -> dict:
    floor_s, floor_rc, floor_out = _timed(
        [str(PYTHON), "-m", "pytest", "--collect-only", "-q", "-m", "not e2e", "tests"]
    )
    collected = next((line for line in floor_out.splitlines() if "collected" in line), "")
    subject_s, rc, out = _timed(["make", "test"])
    summary = next(
        (
            line
            for line in reversed(out.splitlines())
            if any(word in line for word in (" passed", " failed", " error"))
        ),
        out.splitlines()[-1] if out else "",
    )
    return {
        "figure": "make test",
        "floor": "pytest --collect-only (same tests)",
        "floor_s": floor_s,
        "floor_ok": floor_rc == 0,  # a collection error is the suite's, reported as such
        "collected": collected.strip(),
        "wall_s": subject_s,
        "ratio": subject_s / floor_s,
        "exit_code": rc,
        "summary": ("" if rc == 0 else "FAILED: ") + summary.strip("= "),
    }


def plan_example(moto_url: str) -> dict:
    from harness.iac import Deployment

    floor_dir = Path(tempfile.mkdtemp(prefix="bench-plan-floor-"))
    (floor_dir / "main.tf").write_text(FLOOR_ROOT)
    figures = {}
    try:
        for label, root in (("floor", floor_dir), ("example", EXAMPLE)):
            deployment = Deployment(root, moto_url)
            try:
                t0 = time.perf_counter()
                deployment.init()
                t1 = time.perf_counter()
                done = deployment.run(
                    "plan", "-input=false", "-no-color", "-detailed-exitcode", check=False
                )
                t2 = time.perf_counter()
            finally:
                deployment.cleanup()
            figures[label] = {
                "init_s": t1 - t0,
                "plan_s": t2 - t1,
                "exit_code": done.returncode,  # 2: changes to make, as expected; 1: failed
                "error": _first_error(done.stdout + done.stderr) if done.returncode == 1 else None,
            }
            if label == "floor" and done.returncode == 1:
                raise RuntimeError(f"the floor plan failed: {figures[label]['error']}")
    finally:
        shutil.rmtree(floor_dir, ignore_errors=True)
    return {
        "figure": "plan examples/complete",
        "floor": "plan of the provider block + aws_caller_identity only",
        "floor_s": figures["floor"]["plan_s"],
        "wall_s": figures["example"]["plan_s"],
        "init_s": figures["example"]["init_s"],
        "floor_init_s": figures["floor"]["init_s"],
        "ratio": figures["example"]["plan_s"] / figures["floor"]["plan_s"],
        "exit_code": figures["example"]["exit_code"],
        "summary": (
            f"FAILED: {figures['example']['error']}" if figures["example"]["error"] else "plan ok"
        ),
    }


def _first_error(text: str) -> str:
    """The first `Error:` line of a CLI run and the line after it (where it points)."""
    lines = [line.strip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        if line.startswith("Error:"):
            where = next((x for x in lines[i + 1 : i + 4] if x.startswith("on ")), "")
            return f"{line} ({where})" if where else line
    return lines[-1] if lines else "no output"


def measure(moto_url: str) -> dict:
    reason = skip_reason()
    if reason:
        return {"skipped": reason, "rows": []}
    return {"skipped": None, "rows": [plan_example(moto_url), make_test()]}


def main() -> int:

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    with moto_process() as moto_url:
        result = measure(moto_url)
    if result["skipped"]:
        print(result["skipped"])
    for row in result["rows"]:
        print(
            f"{row['figure']:<24} {row['wall_s']:.1f} s, floor {row['floor_s']:.1f} s "
            f"({row['floor']}), ratio {row['ratio']:.2f}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
