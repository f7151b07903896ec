"""Every example has a plan case (tftest.yaml), which matches its inventory."""

from pathlib import Path

from harness.tftest_cases import cases

HERE = Path(__file__).parent


def test_every_example_has_a_plan_case():
    # Hidden entries are other workers' plan copies (harness/iac.py: .tmp-<root>-*).
    examples = (HERE.parents[1] / "examples").iterdir()
    roots = sorted(p.name for p in examples if p.is_dir() and not p.name.startswith("."))
    planned = cases(HERE)
    assert sorted(planned) == roots
    assert all(case.root.name == name for name, case in planned.items())
