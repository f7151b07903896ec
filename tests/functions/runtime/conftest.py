"""The shared runtime's unit tests: ajo_runtime imports as it does in every zip."""

from __future__ import annotations

from harness.functions import function_dir

function_dir("runtime")
