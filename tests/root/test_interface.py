"""Static checks of the module's interface, read from the .tf files.

A root object type silently drops any attribute it does not declare, so a
field added to a submodule's variable is lost for root users unless the root
type declares it too: every submodule field must be reachable from the root
(or filled by the root itself). And one provider constraint everywhere.
"""

from __future__ import annotations

import re

import hcl2
import pytest
from harness.terraform import REPO

# (root variable[, attribute]) -> (submodule, its variable), passed through
# whole or by merge() in the root's module call.
PASSED_THROUGH = {
    ("delivery",): ("modules/delivery", "delivery"),
    ("event_export", "bucket"): ("modules/event_export", "bucket"),
    ("event_export", "delivery"): ("modules/event_export", "delivery"),
    ("event_export", "glue"): ("modules/event_export", "glue"),
    ("event_export", "aep_forwarding"): ("modules/event_export", "aep_forwarding"),
    ("event_export", "ajo_feedback_webhook"): ("modules/event_export", "ajo_feedback_webhook"),
    ("sms", "configuration_set"): ("modules/messaging", "configuration_set"),
    ("sms", "opt_out_list"): ("modules/messaging", "opt_out_list"),
    ("sms", "origination_identities"): ("modules/messaging", "origination_identities"),
    ("sms", "phone_numbers"): ("modules/messaging", "phone_numbers"),
    ("sms", "legacy_pinpoint"): ("modules/messaging", "legacy_pinpoint"),
    ("operations", "alarms"): ("modules/operations", "alarms"),
    ("two_way", "keywords"): ("modules/two_way", "keywords"),
    ("two_way", "replies"): ("modules/two_way", "replies"),
    ("two_way", "ajo_inbound_webhook"): ("modules/two_way", "ajo_inbound_webhook"),
    ("two_way", "function"): ("modules/two_way", "function"),
    ("two_way", "queue"): ("modules/two_way", "queue"),
}
# Submodule fields the root fills from its other inputs (event_export.tf, messaging.tf,
# two_way.tf).
FILLED_BY_ROOT = {
    ("event_export", "aep_forwarding"): {"package", "architecture"},
    ("sms", "configuration_set"): {"default_message_type"},
    ("sms", "legacy_pinpoint"): {"enabled"},
    ("two_way", "function"): {
        "runtime",
        "architecture",
        "tracing_mode",
        "log_retention_days",
        "role_path",
        "role_permissions_boundary",
    },
}


def _skip_expression(text: str, i: int) -> int:
    """Index of the ',' or closing bracket that ends the expression at i."""
    depth, quoted = 0, False
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\":
                i += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                return i
            depth -= 1
        elif char == "," and depth == 0:
            return i
        i += 1
    return i


def parse_type(text: str, i: int = 0):
    """A type expression -> nested dicts for objects, the element's type for
    optional()/map()/list(), and a name for primitive types."""
    match = re.compile(r"\s*(\w+)\s*").match(text, i)
    name, i = match.group(1), match.end()
    if i >= len(text) or text[i] != "(":
        return name, i
    i += 1
    if name == "object":
        fields: dict = {}
        i = text.index("{", i) + 1
        while True:
            field = re.compile(r"\s*,?\s*(\w+)\s*=\s*|\s*,?\s*}").match(text, i)
            i = field.end()
            if field.group(1) is None:
                break
            fields[field.group(1)], i = parse_type(text, i)
        return fields, text.index(")", i) + 1
    inner, i = parse_type(text, i)
    if name == "optional" and text[i] == ",":  # skip the default
        i = _skip_expression(text, i + 1)
    return inner, text.index(")", i) + 1


def variable_types(directory: str) -> dict[str, object]:
    found = {}
    for path in sorted((REPO / directory).glob("*.tf")):
        with path.open() as handle:
            for block in hcl2.load(handle).get("variable", []):
                for name, spec in block.items():
                    raw = spec.get("type", "any").strip()
                    if raw.startswith("${"):
                        raw = raw[2:-1]
                    found[name.strip('"')] = parse_type(raw)[0]
    return found


def missing_fields(root, module, path=()) -> list[str]:
    """Fields of the module's object type that the root type does not declare."""
    if not isinstance(module, dict):
        return []
    if not isinstance(root, dict):
        return [".".join(path) or "(whole object)"]
    missing = []
    for field, field_type in module.items():
        if field not in root:
            missing.append(".".join((*path, field)))
        else:
            missing += missing_fields(root[field], field_type, (*path, field))
    return missing


def test_type_parser_reads_nested_objects_and_defaults():
    parsed, _ = parse_type(
        'object({a = optional(string, "x, y"), b = optional(object({c = number}), {}), '
        'd = map(object({e = list(string)})), f = optional(list(string), ["SMS"])})'
    )
    assert parsed == {"a": "string", "b": {"c": "number"}, "d": {"e": "string"}, "f": "string"}


@pytest.mark.parametrize(("root", "target"), PASSED_THROUGH.items(), ids="/".join)
def test_root_type_declares_every_submodule_field(root, target):
    root_type = variable_types(".")
    for name in root:
        root_type = root_type[name]
    module_type = variable_types(target[0])[target[1]]
    filled = FILLED_BY_ROOT.get(root, set())
    missing = [f for f in missing_fields(root_type, module_type) if f not in filled]
    assert missing == [], f"{'.'.join(root)} drops {target[0]}'s {target[1]} fields {missing}"


def test_every_versions_tf_has_the_same_constraints():
    constraints = {}
    for path in sorted(REPO.rglob("versions.tf")):
        if any(part.startswith((".tmp-", ".case-", ".terraform")) for part in path.parts):
            continue
        with path.open() as handle:
            (terraform,) = hcl2.load(handle)["terraform"]
        (providers,) = terraform["required_providers"]
        aws = providers["aws"]
        constraints[str(path.relative_to(REPO))] = (terraform["required_version"], aws["version"])
    assert len(constraints) >= 15, sorted(
        constraints
    )  # root, 4 modules, 3 examples, demo, 6 fixtures
    assert set(constraints.values()) == {('">= 1.11"', '">= 6.47.1, < 7.0"')}, constraints
