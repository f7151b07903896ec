"""CloudWatch Embedded Metric Format, as AWS specifies it, to check log lines against.

From "Specification: Embedded metric format" (Amazon CloudWatch User Guide): the root
node holds `_aws` = {Timestamp: ms since the epoch, CloudWatchMetrics: [MetricDirective]}
(objects of the spec take no other members). A MetricDirective has a Namespace (a
non-empty string), Dimensions (DimensionSets: arrays of at most 30 member names) and
Metrics (at most 100 MetricDefinitions: Name, optional Unit from CloudWatch's units,
optional StorageResolution 1 or 60). Every name a directive references is a root member
("target member"): a dimension's is a string, a metric's a number or an array of at most
100 numbers. A log event is at most 1 MB.
"""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema

UNITS = [
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes",
    "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
    "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
    "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
    "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
]  # fmt: skip

SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Root Node",
    "required": ["_aws"],
    "properties": {
        "_aws": {
            "type": "object",
            "title": "Metadata",
            "required": ["Timestamp", "CloudWatchMetrics"],
            "additionalProperties": False,
            "properties": {
                "Timestamp": {"type": "integer", "minimum": 0},
                "LogGroupName": {"type": "string", "minLength": 1},
                "CloudWatchMetrics": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "title": "MetricDirective",
                        "required": ["Namespace", "Dimensions", "Metrics"],
                        "additionalProperties": False,
                        "properties": {
                            "Namespace": {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": 1024,
                                "pattern": r"^\S",
                            },
                            "Dimensions": {
                                "type": "array",
                                "items": {
                                    "type": "array",
                                    "title": "DimensionSet",
                                    "maxItems": 30,
                                    "items": {"type": "string", "minLength": 1},
                                },
                            },
                            "Metrics": {
                                "type": "array",
                                "maxItems": 100,
                                "items": {
                                    "type": "object",
                                    "title": "MetricDefinition",
                                    "required": ["Name"],
                                    "additionalProperties": False,
                                    "properties": {
                                        "Name": {
                                            "type": "string",
                                            "minLength": 1,
                                            "maxLength": 1024,
                                        },
                                        "Unit": {"type": "string", "enum": UNITS},
                                        "StorageResolution": {"type": "integer", "enum": [1, 60]},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        }
    },
}
jsonschema.Draft7Validator.check_schema(SCHEMA)
_VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
# An unmasked phone number: 7 or more digits in a row, optionally after a '+'.
_NUMBER = re.compile(r"\+?\d{7,}")


def check_emf(line: dict[str, Any]) -> list[str]:
    """Why `line` is not a valid EMF document that is safe to publish ([] if it is)."""
    problems = [error.message for error in _VALIDATOR.iter_errors(line)]
    if problems:
        return problems
    if len(json.dumps(line)) > 1_000_000:
        problems.append("larger than a log event may be")
    for directive in line["_aws"]["CloudWatchMetrics"]:
        for dimension in {name for names in directive["Dimensions"] for name in names}:
            value = line.get(dimension)
            if not isinstance(value, str) or not 0 < len(value) <= 1024:
                problems.append(f"dimension {dimension} is not a string member: {value!r}")
            elif _NUMBER.search(value):
                problems.append(f"dimension {dimension} carries a number: {value!r}")
        for metric in directive["Metrics"]:
            value = line.get(metric["Name"])
            values = value if isinstance(value, list) else [value]
            if not 0 < len(values) <= 100 or not all(_is_number(v) for v in values):
                problems.append(f"metric {metric['Name']} is not a number member: {value!r}")
    return problems


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
