"""The READMEs' HCL examples plan, as Cloud Foundation Fabric tests its README blocks.

Every ```hcl block that calls a module, in the root README and in each
modules/*/README.md, is planned on its own against moto. Blocks are written as
a user writes them (`source = "./modules/X"` or the module's registry address,
`package = { filename = "dist/x.zip" }`); the test points those at this
checkout. A `# tftest resources=N modules=M` line in each block pins what it
plans: resources (data sources aside) and child modules, nested ones included;
`inventory=<name>.yaml` adds an inventory from tests/root/readme/ to match.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from harness.inventory import check_inventory
from harness.terraform import REPO

HERE = Path(__file__).parent
# The checkout as seen from a root under tests/root/ (conftest.hcl_root).
CHECKOUT = "../../.."
READMES = [REPO / "README.md", *sorted((REPO / "modules").glob("*/README.md"))]

BLOCK = re.compile(r"^```hcl\n(.*?)^```", re.S | re.M)
PIN = re.compile(r"#\s*tftest\s+(.*)")
PINNED = {"resources", "modules"}
INVENTORY = re.compile(r"\binventory=(\S+\.yaml)")
MODULE_CALL = re.compile(r'^module\s+"', re.M)
# A module block's source, its first argument by convention.
MODULE_SOURCE = re.compile(r'(module\s+"[^"]+"\s*\{\s*source\s*=\s*)"([^"]*)"')


def readme_blocks() -> list:
    """Each ```hcl block calling a module (fragments are not planned), named after its README."""
    params = []
    for readme in READMES:
        where = "root" if readme.parent == REPO else readme.parent.name
        examples = [b for b in BLOCK.findall(readme.read_text()) if MODULE_CALL.search(b)]
        params += [pytest.param(b, id=f"{where}-{i}") for i, b in enumerate(examples)]
    return params


BLOCKS = readme_blocks()


def pins(block: str) -> dict[str, int]:
    """The block's `# tftest key=N ...` pins."""
    line = PIN.search(block)
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line.group(1))} if line else {}


def localized(block: str) -> str:
    """The block with its module sources and dist/ packages in this checkout.

    `./modules/X` becomes the checkout's modules/X; any other module source
    (the root module's registry address) the checkout itself.
    """

    def source(match: re.Match) -> str:
        module = re.fullmatch(r"\./(modules/[a-z_]+)", match.group(2))
        path = f"{CHECKOUT}/{module.group(1)}" if module else CHECKOUT
        return f'{match.group(1)}"{path}"'

    return MODULE_SOURCE.sub(source, block).replace('"dist/', f'"{REPO / "dist"}/')


def test_readmes_have_module_examples():
    # The root README and every module README that shows one.
    assert {p.id.rsplit("-", 1)[0] for p in BLOCKS} >= {
        "root",
        "delivery",
        "event_export",
        "function",
        "messaging",
        "two_way",
    }


@pytest.mark.parametrize("block", BLOCKS)
def test_readme_block_is_pinned(block):
    found = pins(block)
    assert "resources" in found, "add a `# tftest resources=N modules=M` line to the block"
    assert set(found) <= PINNED, f"unknown tftest pins {set(found) - PINNED}"
    inventory = INVENTORY.search(PIN.search(block).group(1))
    assert inventory is None or (HERE / "readme" / inventory.group(1)).is_file()


@pytest.mark.parametrize("block", BLOCKS)
def test_readme_block_points_at_checkout(block):
    # Every module source and package resolves from a root under tests/root/.
    text = localized(block)
    sources = [m.group(2) for m in MODULE_SOURCE.finditer(text)]
    assert len(sources) == len(MODULE_CALL.findall(block))
    case = HERE / ".case-x"
    assert all(list((case / s).resolve().glob("*.tf")) for s in sources), sources
    packages = re.findall(r'filename\s*=\s*"([^"]+)"', text)
    assert all(Path(p).is_file() for p in packages), packages


@pytest.mark.slow
@pytest.mark.parametrize("block", BLOCKS)
def test_readme_block_plans(plan_hcl, block):
    summary = plan_hcl(localized(block))
    expected = pins(block)
    assert {k: summary.counts.get(k, 0) for k in expected} == expected
    inventory = INVENTORY.search(PIN.search(block).group(1))
    if inventory:
        check_inventory(summary, HERE / "readme" / inventory.group(1))
