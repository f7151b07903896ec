#!/usr/bin/env bash
# Prints the newest usable Python interpreter, preferring the Lambda runtime's
# version (3.13) so tests run on what AWS runs. pyenv shims that exist but
# are not activated fail the probe and are skipped.
for candidate in python3.13 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13 \
                 python3.12 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12 python3; do
  if "$candidate" -c 'import sys, venv; assert sys.version_info >= (3, 11)' 2>/dev/null; then
    command -v "$candidate" || echo "$candidate"
    exit 0
  fi
done
echo "no Python >= 3.11 found" >&2
exit 1
