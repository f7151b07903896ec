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
        # Pieces joined per line: concatenation copies each once, where %-formatting a
        # template of this size scans all of it (it was most of the cost).
        self._head = (
            '"_aws":{"CloudWatchMetrics":'
            + json.dumps(directives, separators=(",", ":"))
            + ',"Timestamp":'
        )
        self._function = '},"FunctionName":' + function + ',"Code":"'
        self._counts = ",".join(f'"{name}":%d' for name in names)
        self._names, self._zeros = names, (0,) * len(names)
        self._codes: dict[str, str] = {}  # code -> the line's tail up to the counts
        self._clock = clock

    def fragment(self, code: str, values: Mapping[str, int]) -> str:
        """Members to append to a JSON log line (without braces). Every declared metric
        is present (0 unless given), so rates over all requests need no missing data."""
        tail = self._codes.get(code)
        if tail is None:
            # Then no escaping is needed, and no data (a number) becomes a dimension.
            tail = self._function + (code if _CODE.fullmatch(code) else "OTHER") + '",'
            if len(self._codes) < 512:  # a bounded set
                self._codes[code] = tail
        counts = self._counts % tuple(map(values.get, self._names, self._zeros))
        return self._head + str(int(self._clock() * 1000)) + tail + counts


def append(line: str, fragment: str | None) -> str:
    """A JSON object's text with `fragment`'s members added."""
    return f"{line[:-1]},{fragment}}}" if fragment else line
