"""CloudWatch Embedded Metric Format (EMF): metrics carried by the JSON log
line a function prints anyway. CloudWatch Logs extracts them, so counting an
outcome costs no PutMetricData call, no latency on the request and no IAM.

Every line declares the same two dimension sets, the function and the
outcome code, never anything derived from a phone number or a message."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping

DEFAULT_NAMESPACE = "AjoSms"
DIMENSIONS = [["FunctionName"], ["FunctionName", "Code"]]
_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,63}")  # the contract's codes: bounded, never data


class Emf:
    """The `_aws` metadata and metric members for one kind of log line, as a JSON
    fragment: the static part (namespace, dimensions, metric names) is encoded once
    at cold start, so a line only adds its timestamp, code and values."""

    def __init__(
        self,
        names: tuple[str, ...],
        env: Mapping[str, str],
        clock: Callable[[], float] = time.time,
    ):
        namespace = env.get("METRICS_NAMESPACE", "").strip() or DEFAULT_NAMESPACE
        metrics = [{"Name": name, "Unit": "Count"} for name in names]
        directives = [{"Namespace": namespace, "Dimensions": DIMENSIONS, "Metrics": metrics}]
        function = json.dumps(env.get("AWS_LAMBDA_FUNCTION_NAME") or "local")
        counts = ",".join(f'"{name}":%d' for name in names)
        self._template = (
            '"_aws":{"Timestamp":%d,"CloudWatchMetrics":'
            + json.dumps(directives, separators=(",", ":")).replace("%", "%%")
            + '},"FunctionName":'
            + function.replace("%", "%%")
            + ',"Code":"%s",'
            + counts
        )
        self._names = names
        self._codes: dict[str, str] = {}  # code -> code as a dimension (a bounded set)
        self._clock = clock

    def fragment(self, code: str, values: Mapping[str, int]) -> str:
        """Members to append to a JSON log line (without braces). Every declared metric
        is present (0 unless given), so rates over all requests need no missing data."""
        dimension = self._codes.get(code)
        if dimension is None:
            # Then no escaping is needed, and no data (a number) becomes a dimension.
            dimension = code if _CODE.fullmatch(code) else "OTHER"
            if len(self._codes) < 512:
                self._codes[code] = dimension
        counts = [values.get(name, 0) for name in self._names]
        return self._template % (self._clock() * 1000, dimension, *counts)


def append(line: str, fragment: str | None) -> str:
    """A JSON object's text with `fragment`'s members added."""
    return f"{line[:-1]},{fragment}}}" if fragment else line
