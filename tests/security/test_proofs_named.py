"""SECURITY.md and the README name the tests that prove each promise; a test that moves or is
renamed must take its reference along, or the promise points at nothing."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# `tests/x/test_y.py` or `tests/x/test_y.py::test_name` (a trailing `*` names a family of tests).
REFERENCE = re.compile(r"(tests/[\w/]+\.py)(?:::(\w+)(\*)?)?")


def references(document: str) -> list[tuple[str, str | None, bool]]:
    text = (ROOT / document).read_text(encoding="utf-8")
    return [(path, name, bool(star)) for path, name, star in REFERENCE.findall(text)]


@pytest.mark.parametrize("document", ["SECURITY.md", "README.md"])
def test_every_test_a_document_names_exists(document):
    missing = []
    for path, name, family in references(document):
        source = ROOT / path
        if not source.is_file():
            missing.append(path)
            continue
        if name:
            pattern = rf"^(?:async )?def {name}{'' if family else r'\b'}"
            if not re.search(pattern, source.read_text(encoding="utf-8"), re.MULTILINE):
                missing.append(f"{path}::{name}")
    assert not missing, f"{document} names tests that do not exist: {missing}"


def test_the_reference_pattern_finds_files_tests_and_families():
    found = REFERENCE.findall(
        "see `tests/a/test_b.py::test_c`, `tests/d.py` and `tests/e.py::test_f*`"
    )
    assert found == [
        ("tests/a/test_b.py", "test_c", ""),
        ("tests/d.py", "", ""),
        ("tests/e.py", "test_f", "*"),
    ]
