"""The README's HCL examples plan, as Cloud Foundation Fabric tests its README blocks.

Every ```hcl block that calls the module is planned with the module's source
pointed at this checkout. A `# tftest resources=N` line in a block pins the
number of resources it plans.
"""

import re

import pytest
from harness.terraform import REPO

BLOCK = re.compile(r"```hcl\n(.*?)```", re.S)
BLOCKS = [b for b in BLOCK.findall((REPO / "README.md").read_text()) if "module " in b]


def test_readme_has_module_examples():
    assert BLOCKS


@pytest.mark.slow
@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_block_plans(plan_hcl, block):
    text = re.sub(r'source\s*=\s*"[^"]*"', 'source = "../../.."', block, count=1)
    summary = plan_hcl(text)
    expected = re.search(r"#\s*tftest\s+resources=(\d+)", block)
    if expected:
        assert summary.counts["resources"] == int(expected.group(1))
    else:
        assert summary.counts["resources"] > 0
