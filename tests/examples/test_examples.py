"""Every example plans offline and matches its inventory (tests/examples/*.yaml)."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent
EXAMPLES = sorted(p.stem for p in HERE.glob("*.yaml"))


def test_every_example_has_an_inventory():
    roots = sorted(p.name for p in (HERE.parents[1] / "examples").iterdir() if p.is_dir())
    assert roots == EXAMPLES


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES)
def test_example_plan(plan_inventory, example):
    plan_inventory(f"examples/{example}", HERE / f"{example}.yaml")
