"""Readers for the parts of a plan the summary's `values` cannot show:
configuration wiring and values known only after apply."""

from __future__ import annotations


def module_config(summary, module: str, address: str) -> dict:
    """The configuration block (expressions, references) of a resource in a
    module call of the planned root: what a value is wired to, even when the
    value itself is only known after apply."""
    config = summary.raw["configuration"]["root_module"]["module_calls"][module]["module"]
    for resource in config["resources"]:
        if resource["address"] == address:
            return resource
    raise KeyError(f"{address} not in module.{module}")


def unknown_after_plan(summary, address: str) -> dict:
    for change in summary.raw["resource_changes"]:
        if change["address"] == address:
            return change["change"]["after_unknown"]
    raise KeyError(address)
