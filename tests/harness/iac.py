"""Run OpenTofu/Terraform against a local moto server (demo, e2e and plan tests).

The CLI and its config come from scripts/setup-iac.sh (the offline build, or
the tofu/terraform on PATH); every AWS call goes to the given endpoint with
fake credentials through AWS_ENDPOINT_URL, which the aws provider honours for
all services.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from harness import REPO
from harness.moto_server import FAKE_CREDENTIALS

# A developer's real profile or session must never reach a local run.
_SCRUBBED = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL")


def _setup_iac(flag: str) -> str:
    return subprocess.run(
        [str(REPO / "scripts" / "setup-iac.sh"), flag], check=True, capture_output=True, text=True
    ).stdout.strip()


def cli_binary() -> str:
    """$TERRAFORM (`TERRAFORM=terraform`: HashiCorp Terraform), else the
    offline-built tofu, else tofu/terraform on PATH."""
    return _setup_iac("--which")


def cli_version() -> str:
    """First line of `<cli> version`, e.g. "Terraform v1.11.4" ("not installed")."""
    try:
        done = subprocess.run(
            [cli_binary(), "version"], env=full_env(None), capture_output=True, text=True
        )
    except OSError:
        return "not installed"
    return (done.stdout.splitlines() or ["unknown"])[0]


def cli_env(endpoint_url: str | None) -> dict[str, str]:
    """Environment overrides for the CLI: fake credentials, AWS on `endpoint_url`."""
    env = dict(FAKE_CREDENTIALS, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    config = _setup_iac("--config")
    if config:
        env["TF_CLI_CONFIG_FILE"] = config
    if endpoint_url:
        env["AWS_ENDPOINT_URL"] = endpoint_url
    return env


def full_env(endpoint_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env.update(cli_env(endpoint_url))
    return env


def sibling_copy(root: Path) -> Path:
    """Copy a root next to itself, so relative module sources still resolve."""
    root = root.resolve()
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{root.name}-", dir=root.parent))
    ignored = {".terraform", "terraform.tfstate", "terraform.tfstate.backup", ".terraform.lock.hcl"}
    shutil.copytree(
        root,
        tmp,
        dirs_exist_ok=True,
        ignore=lambda _, names: {n for n in names if n in ignored or n.startswith(".tmp-")},
    )
    return tmp


class Deployment:
    """A copy of a Terraform root applied to a local endpoint."""

    def __init__(self, root: Path, endpoint_url: str, echo: bool = False):
        self.dir = sibling_copy(root)
        self.env = full_env(endpoint_url)
        self.binary = cli_binary()
        self.echo = echo

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        if self.echo:
            print(f"$ {Path(self.binary).name} {' '.join(args)}", flush=True)
        done = subprocess.run(
            [self.binary, *args], cwd=self.dir, env=self.env, capture_output=True, text=True
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-4000:]}{done.stderr}")
        return done

    def init(self) -> None:
        self.run("init", "-input=false", "-no-color")

    def apply(self) -> None:
        self.run("apply", "-input=false", "-no-color", "-auto-approve")

    def plan_json(self) -> dict:
        """The machine-readable plan (`show -json` of a saved plan)."""
        self.run("plan", "-input=false", "-no-color", "-out=e2e.tfplan")
        return json.loads(self.run("show", "-json", "e2e.tfplan").stdout)

    def outputs(self) -> dict:
        raw = json.loads(self.run("output", "-json", "-no-color").stdout)
        return {name: item["value"] for name, item in raw.items()}

    def state_addresses(self) -> list[str]:
        done = self.run("state", "list", check=False)
        return [line for line in done.stdout.splitlines() if line.strip()]

    def destroy(self) -> None:
        self.run("destroy", "-input=false", "-no-color", "-auto-approve")

    def cleanup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
