"""The go-live report: the library on three bundles, the report's JSON and HTML, a refused
seeding as a finding, and the isolation of the bundle under check."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from sandbox.configuration.models import Bundle
from sandbox.configuration.runtime import get_config
from sandbox.scoring.golive import golive_report
from sandbox.scoring.golive.render import render_html
from sandbox.simulation.scenario.load import library
from sandbox.simulation.world import seed_from_file
from sandbox.spaces.models import Space
from tests.conftest import DEFAULT_BUNDLE, KENYA_BUNDLE
from tests.simulation import third_bundle
from tests.simulation.conftest import scenario_text

pytestmark = pytest.mark.django_db
LIBRARY = Path(settings.SCENARIOS_DIR)

@pytest.fixture
def write_scenario(tmp_path: Path) -> Any:
    """write_scenario(name="mini", **blocks): the simulation tests' small scenario, in tmp_path."""

    def write(name: str = "mini", **blocks: Any) -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(scenario_text(name, **blocks), encoding="utf-8")
        return path

    return write


def state() -> dict[str, Any]:
    return {"bundles": dict(Bundle.objects.values_list("code", "loaded_at")),
            "spaces": Space.objects.count()}


#: The library's scenarios of the GBV module: not applicable on a bundle without one.
GBV_MODULE_SCENARIOS = {"gbv-child-survivor-cp", "gbv-ipv-no-sharing", "gbv-sexual-assault-72h"}


def assert_library_runs(report: dict[str, Any], *, gbv: bool = True) -> None:
    assert report["bundle_problems"] == [] and report["mapping"]["problems"] == []
    checked = [r["id"] for r in report["scenarios"]]
    skipped = [r["id"] for r in report["not_applicable"]]
    assert len(checked) + len(skipped) == len(library()) == 14
    # only the scenarios of a module the bundle lacks are left out, and said why
    assert set(skipped) == (set() if gbv else GBV_MODULE_SCENARIOS)
    assert all("has no module for 'gbv'" in r["why"] for r in report["not_applicable"])
    for result in report["scenarios"]:
        assert result["ok"], (result["id"], result["problems"])
        assert result["solution"]["percent"] == 100.0
        assert result["empty"]["passed"] is False


def test_the_library_runs_on_the_default_bundle(default_config: Any) -> None:
    before = state()
    report = golive_report(library(), directory=DEFAULT_BUNDLE)
    assert_library_runs(report)
    # The Kenyan scenarios run here too; the national case category has no field here.
    by_id = {r["id"]: r for r in report["scenarios"]}
    steps = {s["id"]: s for s in by_id["kenya-child-labour-trafficking"]["steps"]}
    assert steps["case-category"]["runnable"] is False
    assert steps["case-category"]["why"] == [
        "no field for 'case_category': map `fields.case_category` in mapping.yaml"]
    assert steps["rescue-and-placement"]["runnable"] is True
    assert state() == before


def untraceable(report: dict[str, Any]) -> list[str]:
    """The steps of the tracing scenario left out because no role may trace families."""
    by_id = {r["id"]: r for r in report["scenarios"]}
    steps = by_id["family-tracing-aunt"]["steps"]
    return [s["id"] for s in steps if not s["runnable"]
            and any("no role of the bundle may take" in why for why in s["why"])]


def test_the_library_runs_on_the_kenyan_bundle(default_config: Any) -> None:
    report = golive_report(library(), directory=KENYA_BUNDLE)
    assert_library_runs(report, gbv=False)
    # No role of the Kenyan bundle traces families: those steps are left out, and said;
    # the follow-up after the reunification is still checked.
    assert "register-request" in untraceable(report)
    assert "follow-up" not in untraceable(report)
    by_id = {r["id"]: r for r in report["scenarios"]}
    reopen = {s["id"]: s for s in by_id["closure-and-reopening"]["steps"]}["reopen"]
    assert reopen["runnable"] is True
    # the default scenario's consent for tracing has no consent type here: left out, said
    notes = by_id["uasc-market-separation"]["notes"]
    assert any("the bundle has no consent type for 'tracing': map `consent.tracing`" in n
               for n in notes), notes
    # per SOP step: the consent step the solution leaves out is said with consent steps
    consent_step = {s["id"]: s for s in by_id["uasc-market-separation"]["steps"]}[
        "consent-before-referral"]
    assert consent_step["runnable"] is True
    assert any("consent type for 'tracing'" in n for n in consent_step["notes"])
    # and the report sums up what mapping.yaml could add, most wanted first
    wanted = {e["key"]: e for e in report["to_map"]}
    assert "uasc-market-separation" in wanted["consent.tracing"]["scenarios"]
    counts = [len(e["scenarios"]) for e in report["to_map"]]
    assert counts == sorted(counts, reverse=True)


def test_the_library_runs_on_a_bundle_with_other_ids_and_languages(
        default_config: Any, tmp_path: Path) -> None:
    directory = third_bundle.build(DEFAULT_BUNDLE, tmp_path / "tercero", get_config("default"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in directory.rglob("*.yaml")
                     if p.name != "mapping.yaml")
    # none of the default bundle's ids is left (they only appear prefixed)
    assert not re.search(r"(?<![\w])(caseworker|dsw|family_tracing|LR01\w*)(?![\w])", text)
    report = golive_report(library(), directory=directory)
    assert report["bundle"]["id"] == "tercero"
    assert_library_runs(report)
    assert not Bundle.objects.filter(code__startswith="golive").exists()
    assert not Bundle.objects.filter(code="tercero").exists()


def test_checking_a_bundle_with_the_id_of_a_loaded_one_leaves_that_one_alone(
        default_config: Any, tmp_path: Path, write_scenario: Any) -> None:
    """Workshops keep their configuration while an edited copy of it is checked."""
    space = seed_from_file(write_scenario(background=""), slug="running")
    before = state()
    config = get_config("default")
    copy = tmp_path / "default-edited"
    shutil.copytree(DEFAULT_BUNDLE, copy)
    roles = (copy / "roles.yaml").read_text(encoding="utf-8")
    (copy / "roles.yaml").write_text(roles.replace("      - case.reopen\n", "", 1), encoding="utf-8")
    report = golive_report([LIBRARY / "closure-and-reopening.yaml"], directory=copy)
    assert report["bundle"]["id"] == "default"
    [result] = report["scenarios"]
    assert any("role 'caseworker' (caseworker) may not take the action 'case.reopen'" in p
               for p in result["problems"]), result["problems"]
    assert state() == before
    assert get_config("default").roles["caseworker"].can("case.reopen")
    assert get_config("default").roles == config.roles
    assert Space.objects.filter(pk=space.pk).exists()


def refused(tmp_path: Path, write_scenario: Any) -> tuple[Path, int]:
    """A scenario the static checks accept but the case system refuses to seed: a case plan
    saved in the history of a case that was never assessed."""
    path = write_scenario("refused", background="")
    text = path.read_text(encoding="utf-8")
    marker = '        - {at: "-14h", do: case.identify, with: {summary: "Alone at the market."}}\n'
    assert marker in text
    step = '        - {at: "-13h", do: case_plan.save}\n'
    path.write_text(text.replace(marker, marker + step), encoding="utf-8")
    return path, path.read_text(encoding="utf-8").splitlines().index(step.rstrip("\n")) + 1


def test_a_refused_seeding_is_a_finding_and_the_others_are_checked(
        default_config: Any, tmp_path: Path, write_scenario: Any) -> None:
    path, line = refused(tmp_path, write_scenario)
    uasc = LIBRARY / "uasc-market-separation.yaml"
    report = golive_report([path, uasc])
    first, second = report["scenarios"]
    assert first["ok"] is False
    # The small test scenario ties no rule to an objective: those findings aside, the seeding.
    problems = [p for p in first["problems"] if "names no objective" not in p]
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:{line}: seeding failed: ")
    assert second["ok"] is True and second["id"] == "uasc-market-separation"


def test_the_command_reports_a_refused_seeding_without_a_traceback(
        default_config: Any, tmp_path: Path, write_scenario: Any) -> None:
    path, line = refused(tmp_path, write_scenario)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("check_scenarios", str(path), str(LIBRARY / "uasc-market-separation.yaml"),
                     stdout=out, stderr=err)
    assert info.value.returncode == 1
    assert "Traceback" not in err.getvalue()
    assert f"{path}:{line}: seeding failed: " in err.getvalue()
    assert "ok   uasc-market-separation" in out.getvalue()


def test_json_report_to_a_file(default_config: Any, tmp_path: Path) -> None:
    # The Kenyan bundle as it was before its Children Officers could reopen a case.
    copy = tmp_path / "kenya-dcs"
    shutil.copytree(KENYA_BUNDLE, copy)
    roles = (copy / "roles.yaml").read_text(encoding="utf-8")
    (copy / "roles.yaml").write_text(roles.replace("      - case.reopen\n", "", 1), encoding="utf-8")
    out = tmp_path / "report.json"
    with pytest.raises(SystemExit) as info:
        call_command("check_scenarios", "--config", str(copy), "--format", "json",
                     "--out", str(out), str(LIBRARY / "closure-and-reopening.yaml"),
                     str(LIBRARY / "uasc-market-separation.yaml"), stdout=io.StringIO())
    assert info.value.code == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["ok"] is False
    assert report["bundle"]["id"] == "kenya_dcs"
    assert report["summary"]["scenarios"] == 2 and report["summary"]["scenarios_ok"] == 1
    closing, uasc = report["scenarios"]
    assert set(closing) >= {"id", "ok", "problems", "steps", "notes"}
    assert closing["ok"] is False and uasc["ok"] is True
    for step in closing["steps"]:
        assert set(step) == {"id", "title", "actions", "runnable", "why", "notes"}
    assert all(re.match(r"^.+\.yaml:\d+: ", p) for p in closing["problems"])


def test_html_report_is_a_standalone_page(default_config: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    call_command("check_scenarios", "--config", str(DEFAULT_BUNDLE), "--format", "html",
                 "--out", str(out), str(LIBRARY / "kenya-neglect-teacher-report.yaml"),
                 stdout=io.StringIO())
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en" dir="ltr">' in page
    assert "Go-live report" in page and "kenya-neglect-teacher-report" in page
    assert "case-category" in page and "map `fields.case_category` in mapping.yaml" in page
    # nothing is fetched from elsewhere: the page works offline
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "<link" not in page and "<script" not in page


def test_html_report_right_to_left(default_config: Any) -> None:
    page = render_html({"ok": True, "bundle": None, "bundle_problems": [],
                        "mapping": {"problems": []}, "scenarios": [],
                        "summary": {"scenarios": 0, "scenarios_ok": 0, "steps": 0,
                                    "steps_runnable": 0, "mapping_problems": 0}}, "ar")
    assert '<html lang="ar" dir="rtl">' in page


def test_an_invalid_bundle_is_reported_and_nothing_else_is_checked(
        default_config: Any, tmp_path: Path) -> None:
    copy = tmp_path / "broken"
    shutil.copytree(DEFAULT_BUNDLE, copy)
    (copy / "roles.yaml").write_text("roles: 3\n", encoding="utf-8")
    report = golive_report(library(), directory=copy)
    assert report["ok"] is False and report["scenarios"] == []
    assert report["bundle_problems"] and all("roles.yaml" in p for p in report["bundle_problems"])


def test_a_mapping_problem_fails_the_report(default_config: Any, tmp_path: Path) -> None:
    copy = tmp_path / "mapped"
    shutil.copytree(DEFAULT_BUNDLE, copy)
    with (copy / "mapping.yaml").open("a", encoding="utf-8") as handle:
        handle.write("closure_reasons:\n  goals_met: done\n")
    report = golive_report([LIBRARY / "uasc-market-separation.yaml"], directory=copy)
    # The validator checks mapping.yaml with the rest of the bundle: it is not loaded.
    assert report["ok"] is False and report["scenarios"] == []
    assert len(report["bundle_problems"]) == 1
    assert "closure_reasons.goals_met: the bundle has no closure reason 'done'" in \
        report["bundle_problems"][0]


def test_a_loaded_bundle_by_its_code(default_config: Any) -> None:
    report = golive_report([LIBRARY / "uasc-market-separation.yaml"], bundle_code="kenya_dcs")
    assert report["bundle"]["id"] == "kenya_dcs"
    assert report["ok"] is True, report["scenarios"][0]["problems"]


def test_the_library_runs_on_an_imported_primero_configuration(
        default_config: Any, tmp_path: Path) -> None:
    """Primero's ids (role-cp-case-worker, lookup-risk-level...), English and Spanish, a
    module called primeromodule-cp: the library runs through the proposed mapping."""
    from sandbox.configuration.importers.primero import import_primero

    imported = import_primero(Path(settings.BASE_DIR) / "tests" / "fixtures" / "primero" / "seed",
                              tmp_path / "bundle" / "valdoria")
    report = golive_report(library(), directory=imported.bundle_dir)
    assert report["bundle"]["id"] == "valdoria"
    assert_library_runs(report, gbv=False)
    # Primero's tracing requests are another resource than cases, not imported: the
    # tracing scenario's steps on them are left out, and said so.
    tracing = untraceable(report)
    assert len(tracing) == 8
    assert report["summary"]["steps_runnable"] >= report["summary"]["steps"] - 2 - len(tracing)


def test_a_sloppy_score_that_drifts_fails_on_the_scenario_own_bundle(
        default_config: Any, tmp_path: Path) -> None:
    text = (LIBRARY / "case-plan-rejected-revised.yaml").read_text(encoding="utf-8")
    assert "\n  score: 21\n" in text
    path = tmp_path / "case-plan-rejected-revised.yaml"
    path.write_text(text.replace("\n  score: 21\n", "\n  score: 40\n"), encoding="utf-8")
    report = golive_report([path], directory=DEFAULT_BUNDLE)
    assert report["scenarios"][0]["ok"] is False
    assert f"{path}:1: the sloppy attempt scores 21%, the scenario says 40%" in \
        report["scenarios"][0]["problems"]


def test_a_scenario_of_a_module_the_bundle_lacks_is_not_applicable(default_config: Any) -> None:
    """The Kenyan bundle has no GBV module: a GBV scenario is said to be not applicable there,
    and is not a problem of the report; on its own bundle it is checked."""
    path = LIBRARY / "gbv-ipv-no-sharing.yaml"
    report = golive_report([path], directory=KENYA_BUNDLE)
    assert report["ok"] is True and report["scenarios"] == []
    assert [(r["id"], r["module"]) for r in report["not_applicable"]] == [("gbv-ipv-no-sharing", "gbv")]
    html = render_html(report)
    assert "Scenarios of a module this configuration does not have" in html
    assert "gbv-ipv-no-sharing" in html
    own = golive_report([path], directory=DEFAULT_BUNDLE)
    assert own["not_applicable"] == [] and own["scenarios"][0]["ok"] is True
