"""Test harness shared by unit, plan and end-to-end tests, the benchmarks and the demo.

Importable as `harness` with tests/ on the path: pytest's `pythonpath`, or
`PYTHONPATH=tests` for the entry points (`python -m bench.run`, `scripts/demo.py`).
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
