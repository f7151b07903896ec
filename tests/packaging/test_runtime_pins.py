"""The tests run the exact packages the zips ship.

A function's runtime dependencies (functions/<name>/requirements.txt, vendored into
its zip by scripts/build_zip.py) must be pinned in requirements-dev.txt at the same
version, and the test venv must hold that distribution and no other one providing
the same modules (phonenumbers and phonenumberslite both install `phonenumbers`).
"""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEV_REQUIREMENTS = REPO / "requirements-dev.txt"
FUNCTION_REQUIREMENTS = sorted((REPO / "functions").glob("*/requirements.txt"))
_PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def parse(text: str, source: str) -> dict[str, str]:
    """name -> version of a requirements file of exact pins; anything else is refused."""
    found = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = _PIN.fullmatch(line)
        assert match, f"{source}: not an exact pin: {line!r}"
        found[canonical(match[1])] = match[2]
    return found


def pins(path: Path) -> dict[str, str]:
    return parse(path.read_text(), str(path.relative_to(REPO)))


def runtime_pins() -> list[tuple[str, str, str]]:
    return [
        (path.parent.name, name, version)
        for path in FUNCTION_REQUIREMENTS
        for name, version in pins(path).items()
    ]


def test_the_parser_reads_pins_and_refuses_ranges():
    text = "# comment\nmoto[server]==5.2.5\nPhonenumbers_Lite==9.0.42  # why\n"
    assert parse(text, "x") == {"moto": "5.2.5", "phonenumbers-lite": "9.0.42"}
    for line in ("phonenumbers>=9", "-r other.txt", "phonenumbers"):
        with pytest.raises(AssertionError):
            parse(line, "x")
    assert "sms_send" in {function for function, _, _ in runtime_pins()}


@pytest.mark.parametrize(("function", "name", "version"), runtime_pins())
def test_the_tests_pin_what_the_zip_ships(function, name, version):
    assert pins(DEV_REQUIREMENTS).get(name) == version, (
        f"functions/{function}/requirements.txt ships {name}=={version}; "
        f"requirements-dev.txt must pin the same"
    )


@pytest.mark.parametrize(("function", "name", "version"), runtime_pins())
def test_the_venv_holds_what_the_zip_ships(function, name, version):
    try:
        installed = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        installed = None
    assert installed == version, f"the venv has {name} {installed}: make setup-python"
    providers = importlib.metadata.packages_distributions()
    modules = {
        path.parts[0].removesuffix(".py")
        for path in importlib.metadata.distribution(name).files or ()
        if not path.parts[0].endswith((".dist-info", ".data")) and path.parts[0] != ".."
    }
    assert modules
    for module in modules:
        others = {canonical(d) for d in providers.get(module, [])} - {name}
        assert not others, (
            f"{module} is also installed by {sorted(others)}: the tests would import it "
            f"instead of {name}=={version} (uninstall it from the venv)"
        )
