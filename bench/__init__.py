"""The benchmarks. They use the test harness (tests/harness: the loopback SMS API, moto,
the function loader), so they run as modules from the repository root with tests/ on
the path, e.g. `PYTHONPATH=tests .venv/bin/python -m bench.run` (what `make bench` does)."""
