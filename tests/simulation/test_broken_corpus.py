"""The corpus of broken scenarios: each file has exactly one defect, and says in
its header which problem must be reported (`# expect: <part of the message>`)
and on which line (`# line: <N>`).

For every file: `validate_scenarios` reports it as `FILE:LINE: message` (text and
JSON) and exits with status 1; `seed_scenario` refuses it with status 1 and writes
nothing at all, not even over an existing space of the same slug.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sandbox.cases.models import Case, Event, Task
from sandbox.configuration.bundle.load import load_bundle
from sandbox.simulation.models import Inject, SpaceSeed
from sandbox.simulation.scenario.load import library
from sandbox.spaces.models import Member, Space
from tests.conftest import KENYA_BUNDLE

from .conftest import BROKEN, WriteScenario, seed, state

FILES = sorted(BROKEN.glob("*.yaml"))


@dataclass(frozen=True)
class Expectation:
    substring: str
    line: int


def expectation(path: Path) -> Expectation:
    text = path.read_text(encoding="utf-8")
    expect = re.search(r"^# expect: (.+)$", text, re.MULTILINE)
    line = re.search(r"^# line: (\d+)$", text, re.MULTILINE)
    assert expect and line, f"{path} has no '# expect:' and '# line:' header"
    return Expectation(expect.group(1).strip(), int(line.group(1)))


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Space, SpaceSeed, Member, Case, Event, Task, Inject)}


def test_the_corpus_is_large_and_every_file_has_its_header() -> None:
    assert len(FILES) >= 24
    for path in FILES:
        expectation(path)


@pytest.fixture(params=FILES, ids=[p.stem for p in FILES])
def broken(request: pytest.FixtureRequest) -> Path:
    return request.param


@pytest.mark.django_db
def test_validate_reports_the_problem_on_its_line(default_config: Any, broken: Path) -> None:
    expected = expectation(broken)
    err = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("validate_scenarios", str(broken), stdout=io.StringIO(), stderr=err)
    assert info.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert lines, "no problem printed"
    for line in lines:  # every problem is PATH:LINE: message
        assert re.match(rf"^{re.escape(str(broken))}:\d+: .+", line), line
    wanted = f"{broken}:{expected.line}: "
    assert any(line.startswith(wanted) and expected.substring in line for line in lines), (
        f"expected a problem at line {expected.line} containing {expected.substring!r}; got:\n"
        + "\n".join(lines))


@pytest.mark.django_db
def test_validate_json_reports_the_problem_on_its_line(default_config: Any, broken: Path) -> None:
    expected = expectation(broken)
    out = io.StringIO()
    with pytest.raises(SystemExit) as info:
        call_command("validate_scenarios", str(broken), "--format", "json", stdout=out,
                     stderr=io.StringIO())
    assert info.value.code == 1
    report = json.loads(out.getvalue())
    assert report["valid"] is False
    [result] = report["scenarios"]
    assert result["path"] == str(broken)
    assert result["valid"] is False
    assert any(p["path"] == str(broken) and p["line"] == expected.line
               and expected.substring in p["message"] for p in result["problems"]), result


@pytest.mark.django_db
def test_seeding_a_broken_file_writes_nothing(default_config: Any, broken: Path) -> None:
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("seed_scenario", str(broken), "--space", "broken-x", stdout=io.StringIO(),
                     stderr=err)
    assert info.value.returncode == 1
    expected = expectation(broken)
    assert f"{broken}:{expected.line}: " in err.getvalue()
    assert expected.substring in err.getvalue()
    assert not Space.objects.filter(slug="broken-x").exists()
    assert counts() == before


@pytest.mark.django_db
def test_seeding_a_broken_file_leaves_an_existing_space_as_it_was(
        default_config: Any, broken: Path, write_scenario: WriteScenario) -> None:
    valid = write_scenario("valid", background="")
    space = seed(valid, "broken-x")
    before, totals = state(space), counts()
    with pytest.raises(CommandError) as info:
        call_command("seed_scenario", str(broken), "--space", "broken-x", stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert info.value.returncode == 1
    assert Space.objects.get(slug="broken-x").pk == space.pk
    assert SpaceSeed.objects.get(space=space).scenario_path == str(valid)
    assert state(space) == before
    assert counts() == totals


@pytest.mark.django_db
def test_the_scenario_library_validates(default_config: Any) -> None:
    """Every file in scenarios/ when the test runs, with the shipped bundles loaded."""
    load_bundle(KENYA_BUNDLE)
    paths = library()
    assert paths, "no scenario in scenarios/"
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("validate_scenarios", stdout=out, stderr=err)
    except CommandError:
        pytest.fail(f"the library has problems:\n{err.getvalue()}")
    assert f"{len(paths)} scenario(s) valid" in out.getvalue()
