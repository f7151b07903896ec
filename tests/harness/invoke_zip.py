"""Run a Lambda handler from its deployment zip, the way Lambda would.

The zip is unpacked to a temp dir that becomes the working directory and import
root (as /var/task is Lambda's), the environment is the function's deployed
configuration (plus endpoint overrides for local stand-ins), and each call is one
fresh interpreter: a cold start with exactly that environment and nothing from
this repository.

  PYTHONPATH=tests python -m harness.invoke_zip ZIP HANDLER < event.json  (AWS_* from the caller)

`invoke(zip, event, env)` does the same from Python and returns
{"result": ...} or {"error": "<exception message>"}, with the invocation's "logs".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

# The child: `python -c` puts its working directory, the unpacked zip, first on sys.path.
_CHILD = r"""
import importlib, json, sys
event = json.load(sys.stdin)
module_name, function_name = sys.argv[1].rsplit(".", 1)
function = getattr(importlib.import_module(module_name), function_name)
# Lambda prints logs to stderr/CloudWatch; keep stdout for the result.
stdout, sys.stdout = sys.stdout, sys.stderr
try:
    outcome = {"result": function(event, None)}
except Exception as error:  # an authorizer's "Unauthorized" is an exception
    outcome = {"error": str(error)}
finally:
    sys.stdout = stdout
print(json.dumps(outcome))
"""


def invoke(zip_path: Path, event: dict, env: dict[str, str], handler: str = "handler.handler"):
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    child_env.pop("PYTHONPATH", None)
    child_env.update(env)
    with tempfile.TemporaryDirectory() as root:
        zipfile.ZipFile(zip_path).extractall(root)
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, handler],
            cwd=root,
            input=json.dumps(event),
            capture_output=True,
            text=True,
            env=child_env,
            timeout=60,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"invocation failed ({done.returncode}): {done.stderr[-2000:]}")
    *log_lines, last = done.stdout.strip().splitlines()
    outcome = json.loads(last)
    outcome["logs"] = "\n".join(log_lines) + done.stderr
    return outcome


if __name__ == "__main__":
    caller_aws = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
    print(json.dumps(invoke(Path(sys.argv[1]), json.load(sys.stdin), caller_aws, sys.argv[2])))
