"""Render a module's inputs and outputs into its README, terraform-docs style.

terraform-docs is not served by the Go module proxy this project builds its
toolchain from, so this renders the same tables (between the same
`<!-- BEGIN_TF_DOCS -->` / `<!-- END_TF_DOCS -->` markers) with python-hcl2.

  python scripts/docs.py [--check] DIR...
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import hcl2

BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"


def clean(text) -> str:
    """Undo python-hcl2's quoting of strings, heredocs and expressions."""
    if not isinstance(text, str):
        return json.dumps(text)
    text = text.strip()
    if text.startswith('"') and text.endswith('"'):
        text = text[1:-1]
    heredoc = re.match(r"^<<-?(\w+)\n(.*)\n\s*\1$", text, re.S)
    if heredoc:
        text = " ".join(line.strip() for line in heredoc.group(2).splitlines())
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return text.replace('\\"', '"').replace("\\n", " ")


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def code(text: str) -> str:
    return f"`{cell(text)}`"


def default_of(spec: dict) -> str:
    if "default" not in spec:
        return "n/a"
    value = spec["default"]
    if isinstance(value, str):
        value = clean(value) if value.startswith("${") else json.loads(value)
        return code(json.dumps(value) if isinstance(value, str) else str(value))
    return code(json.dumps(value, separators=(",", ":")).replace('"__is_block__":true', ""))


def type_of(spec: dict, link: str) -> str:
    """The type cell. An object type, printed whole a row of hundreds of
    characters, is `object({…})` (inside its list()/map()) linked to its
    declaration, as Cloud Foundation Fabric's tfdoc prints it."""
    text = clean(spec.get("type", "any"))
    start = text.find("object(")
    if start < 0:
        return code(text)
    outer = text[:start]
    return f"[{code(outer + 'object({…})' + ')' * outer.count('('))}]({link})"


def blocks(directory: Path, kind: str) -> list[tuple[str, dict, str]]:
    """(name, spec, `file#Lline` of its declaration) of each block of a kind."""
    found = []
    for path in sorted(directory.glob("*.tf")):
        text = path.read_text()
        for block in hcl2.loads(text).get(kind, []):
            for name, spec in block.items():
                name = name.strip('"')
                declaration = re.search(rf'^{kind}\s+"{re.escape(name)}"', text, re.M)
                line = text.count("\n", 0, declaration.start()) + 1
                found.append((name, spec, f"{path.name}#L{line}"))
    return sorted(found, key=lambda item: item[0])


def render(directory: Path) -> str:
    lines = [BEGIN, "## Inputs", ""]
    lines += ["| Name | Description | Type | Default | Required |", "|---|---|---|---|:---:|"]
    variables = blocks(directory, "variable")
    for name, spec, link in sorted(variables, key=lambda item: ("default" in item[1], item[0])):
        required = "yes" if "default" not in spec else "no"
        lines.append(
            f"| `{name}` | {cell(clean(spec.get('description', '')))} | "
            f"{type_of(spec, link)} | {default_of(spec)} | {required} |"
        )
    lines += ["", "## Outputs", "", "| Name | Description |", "|---|---|"]
    for name, spec, _ in blocks(directory, "output"):
        sensitive = " (sensitive)" if spec.get("sensitive") is True else ""
        lines.append(f"| `{name}` | {cell(clean(spec.get('description', '')))}{sensitive} |")
    lines.append(END)
    return "\n".join(lines)


def update(directory: Path, check: bool) -> bool:
    readme = directory / "README.md"
    text = readme.read_text() if readme.exists() else f"# {directory.name}\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n{BEGIN}\n{END}\n"
    start, stop = text.index(BEGIN), text.index(END) + len(END)
    fresh = text[:start] + render(directory) + text[stop:]
    if fresh == text and readme.exists():
        return True
    if check:
        print(f"{readme}: inputs/outputs tables are stale; run `make docs`", file=sys.stderr)
        return False
    readme.write_text(fresh)
    print(f"updated {readme}")
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a README is stale")
    parser.add_argument("dirs", nargs="+", type=Path)
    args = parser.parse_args()
    results = [update(d, args.check) for d in args.dirs]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
