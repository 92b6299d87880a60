"""A space and its attempts keep the scenario they were seeded from: editing or deleting the
file afterwards changes no score and breaks no report; upgrading is an explicit step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from ruamel.yaml import YAML

from sandbox.common.errors import ValidationFailed
from sandbox.scoring.attempts import score_space
from sandbox.scoring.models import Report
from sandbox.scoring.services import submit
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.services import play_solution, upgrade_scenario
from sandbox.simulation.world import clone_space, seed_from_file
from sandbox.spaces.models import Member

pytestmark = pytest.mark.django_db

UASC = Path(settings.BASE_DIR) / "scenarios" / "uasc-market-separation.yaml"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    path = tmp_path / "uasc-market-separation.yaml"
    shutil.copy(UASC, path)
    return path


def _edit(path: Path) -> None:
    """Halve every rule's points, raise the pass mark to 100 and bump the version."""
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["version"] = int(data["version"]) + 1
    data["pass_mark"] = 100
    for rule in data["expected"]:
        if rule.get("points"):
            rule["points"] = max(1, int(rule["points"]) // 2)
    # A rule nobody can meet: the played solution no longer scores 100%.
    data["expected"].append({"id": "impossible-rule", "rule": "count", "action": "case.search",
                             "at_least": 1000, "points": 50})
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def _trainee(space) -> Member:
    return Member.objects.filter(space=space, is_simulated=False).order_by("pk").first()


def test_editing_then_deleting_the_file_changes_no_score_and_no_report(default_config, copy):
    space = seed_from_file(copy, slug="pinned")
    play_solution(space)
    before = score_space(space).as_dict()
    kept = submit(member=_trainee(space))
    assert before["passed"] and before["percent"] == 100.0
    fingerprint = SpaceSeed.objects.get(space=space).scenario_sha256
    assert len(fingerprint) == 64 and kept.scenario_sha256 == fingerprint

    _edit(copy)
    assert score_space(space).as_dict() == before
    again = submit(member=_trainee(space))
    assert again.result == kept.result and again.scenario_version == kept.scenario_version

    copy.unlink()
    assert score_space(space).as_dict() == before
    assert submit(member=_trainee(space)).result == kept.result
    assert Report.objects.get(pk=kept.pk).result == kept.result
    call_command("score_space", "pinned", "--format", "json")  # no traceback, no error


def test_a_workshop_copy_of_a_space_keeps_the_content_too(default_config, copy):
    template = seed_from_file(copy, slug="pinned-template")
    copy.unlink()
    clone = clone_space(template, slug="pinned-clone")
    seed = SpaceSeed.objects.get(space=clone)
    assert seed.scenario_sha256 == SpaceSeed.objects.get(space=template).scenario_sha256
    play_solution(clone)
    assert score_space(clone).passed


def test_upgrading_is_explicit_and_leaves_earlier_reports_alone(default_config, copy):
    space = seed_from_file(copy, slug="pinned-up")
    play_solution(space)
    kept = submit(member=_trainee(space))
    _edit(copy)
    old_fingerprint = SpaceSeed.objects.get(space=space).scenario_sha256

    seed = upgrade_scenario(space)

    assert seed.scenario_sha256 != old_fingerprint
    assert seed.scenario_version == kept.scenario_version + 1
    upgraded = score_space(space)
    assert upgraded.version == kept.scenario_version + 1
    assert not upgraded.passed
    assert "impossible-rule" in [r.id for r in upgraded.rules]
    assert Report.objects.get(pk=kept.pk).result == kept.result


def test_upgrading_refuses_another_scenario_or_a_missing_file(default_config, copy, tmp_path):
    space = seed_from_file(copy, slug="pinned-refuse")
    other = tmp_path / "other.yaml"
    other.write_text(copy.read_text(encoding="utf-8").replace(
        "id: uasc-market-separation", "id: something-else", 1), encoding="utf-8")
    with pytest.raises(ValidationFailed, match="is not the space's scenario"):
        upgrade_scenario(space, other)
    copy.unlink()
    with pytest.raises(CommandError, match="file not found"):
        call_command("upgrade_scenario", "pinned-refuse")
    assert score_space(space).max_score > 0


def test_a_space_seeded_before_pinning_with_its_file_gone_is_a_clear_error(default_config, copy):
    space = seed_from_file(copy, slug="pinned-legacy")
    SpaceSeed.objects.filter(space=space).update(own_scenario_data={}, scenario_sha256="")
    copy.unlink()
    with pytest.raises(CommandError, match="can no longer be read"):
        call_command("score_space", "pinned-legacy")
