"""Compare a plan summary against a small YAML inventory, as a subset.

An inventory has up to three keys, each optional:

  values:   {address: {attribute: expected, ...}}  # subset of planned attributes
  counts:   {resource_type: n}                     # exact for the types listed
  outputs:  {name: expected}                       # subset of planned outputs

An address whose expected value is `__missing__` must not be planned.
"""

from __future__ import annotations

from pathlib import Path

import yaml

MISSING = "__missing__"


def assert_subset(expected, actual, path: str = "") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected a map, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key}: not in plan (has {sorted(actual)})"
            assert_subset(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        assert len(expected) == len(actual), (
            f"{path}: {len(actual)} items, expected {len(expected)}"
        )
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            assert_subset(want, got, f"{path}[{index}]")
    else:
        assert expected == actual, f"{path}: expected {expected!r}, got {actual!r}"


def check_inventory(summary, inventory: Path | dict) -> None:
    if not isinstance(inventory, dict):
        inventory = yaml.safe_load(Path(inventory).read_text()) or {}
    for address, expected in (inventory.get("values") or {}).items():
        if expected == MISSING:
            assert address not in summary.values, f"{address} is planned but should not be"
            continue
        assert address in summary.values, (
            f"{address} not planned; planned: {sorted(summary.values)}"
        )
        assert_subset(expected or {}, summary.values[address], address)
    for kind, count in (inventory.get("counts") or {}).items():
        assert summary.counts.get(kind, 0) == count, (
            f"counts[{kind}] = {summary.counts.get(kind, 0)}, expected {count}"
        )
    assert_subset(inventory.get("outputs") or {}, summary.outputs, "outputs")
