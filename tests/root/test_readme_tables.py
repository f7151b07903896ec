"""scripts/docs.py, the README inputs/outputs tables: object types print as
`object({…})` linked to their declaration; the root, every module and every
example has a README whose tables are fresh."""

from __future__ import annotations

import subprocess
import sys

from harness.terraform import REPO

VARIABLES = """\
variable "name" {
  type = string
}

variable "settings" {
  description = "Nested settings."
  type = object({
    size  = optional(number, 1)
    inner = optional(object({ a = string }), { a = "x" })
  })
  default = {}
}

variable "statements" {
  type    = list(object({ actions = list(string) }))
  default = []
}

variable "labels" {
  type    = map(string)
  default = {}
}
"""


def docs(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "docs.py"), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_object_types_print_short_and_link_to_their_line(tmp_path):
    (tmp_path / "variables.tf").write_text(VARIABLES)
    assert docs(tmp_path).returncode == 0
    rows = {
        line.split(" | ")[0].strip("| `"): line
        for line in (tmp_path / "README.md").read_text().splitlines()
        if line.startswith("| `")
    }
    assert "| [`object({…})`](variables.tf#L5) | `{}` | no |" in rows["settings"]
    assert "| [`list(object({…}))`](variables.tf#L14) | `[]` | no |" in rows["statements"]
    assert "| `string` | n/a | yes |" in rows["name"]
    assert "| `map(string)` | `{}` | no |" in rows["labels"]
    assert "optional(" not in "".join(rows.values())
    # A moved declaration makes the table stale.
    (tmp_path / "variables.tf").write_text("\n" + VARIABLES)
    stale = docs("--check", tmp_path)
    assert stale.returncode == 1 and "stale" in stale.stderr


def test_shipped_readmes_are_fresh_and_have_no_overlong_rows():
    # What `make docs` writes: the root, every module and every example.
    roots = [*REPO.glob("modules/*/variables.tf"), *REPO.glob("examples/*/variables.tf")]
    # pathlib's * matches dot folders too: skip other tests' scratch copies (.tmp-*).
    dirs = [REPO, *sorted(p.parent for p in roots if not p.parent.name.startswith("."))]
    result = docs("--check", *dirs)
    assert result.returncode == 0, result.stderr
    for directory in dirs:
        longest = max(len(line) for line in (directory / "README.md").read_text().splitlines())
        assert longest < 1000, (directory, longest)
