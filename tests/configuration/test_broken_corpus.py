"""The broken-bundle corpus: every case reports exactly the problems it expects.

Each case in `broken/` edits a copy of the small valid bundle `base_bundle/` and
lists every problem the validator must report, as `PATH:LINE: message`. The list
is compared whole, so a problem missing or a knock-on report too many both fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sandbox.configuration.bundle.validate import validate_bundle

from .corpus import BASE, BROKEN, make_bundle, read_case, relative

CASES = sorted(BROKEN.glob("*.yaml"))
CHECKS = Path(__file__).resolve().parents[2] / "sandbox" / "configuration" / "bundle" / "checks"


def test_the_base_bundle_is_valid_without_a_single_warning() -> None:
    assert validate_bundle(BASE).sorted_problems() == []


def test_the_corpus_is_large() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_case_reports_exactly_what_it_expects(case: Path, tmp_path: Path) -> None:
    data = read_case(case)
    bundle = make_bundle(tmp_path, data["edits"])
    parsed = validate_bundle(bundle)
    found = [relative(p, bundle) for p in parsed.sorted_problems()]
    assert sorted(found) == sorted(data["expect"]), case.name
    assert found, f"{case.name} must report something"
    # Only warnings: the bundle may still be loaded.
    assert parsed.valid == all(": warning: " in line for line in found)


def _codes_in_corpus(tmp_path: Path) -> set[str]:
    codes: set[str] = set()
    for index, case in enumerate(CASES):
        bundle = make_bundle(tmp_path / str(index), read_case(case)["edits"])
        codes.update(p.code for p in validate_bundle(bundle).problems)
    return codes


def test_every_kind_of_problem_has_a_case(tmp_path: Path) -> None:
    """Each machine code a check can report appears in at least one corpus case."""
    in_code: set[str] = set()
    for path in CHECKS.glob("*.py"):
        in_code.update(re.findall(r'code="([a-z-]+)"', path.read_text(encoding="utf-8")))
        in_code.update(re.findall(r'^[A-Z]+ = "([a-z-]+)"$', path.read_text(encoding="utf-8"), re.M))
    covered = _codes_in_corpus(tmp_path)
    # Reported by the command line or by code paths no bundle directory reaches.
    elsewhere = {"missing-translations", "not-utf8"}
    assert sorted(in_code - covered - elsewhere) == []
