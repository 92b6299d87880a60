"""Resolving a portable scenario's concepts for a bundle: each kind of concept, what cannot
be mapped (per step, at its line), and the bundle's own SOP (approvals, later steps)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from sandbox.configuration.runtime import BundleConfig, get_config
from sandbox.configuration.vocabulary import Resolver
from sandbox.simulation.scenario.load import check_against, read_scenario
from sandbox.simulation.scenario.portable import resolve_scenario
from sandbox.simulation.scenario.schema import Scenario

from .conftest import WriteScenario

pytestmark = pytest.mark.django_db


def with_mapping(config: BundleConfig, mapping: dict[str, Any]) -> BundleConfig:
    return dataclasses.replace(config, mapping=mapping)


@pytest.fixture
def kenya(default_config: Any) -> BundleConfig:
    return get_config("kenya_dcs")


@pytest.fixture
def default(default_config: Any) -> BundleConfig:
    return get_config("default")


# -- the resolver, one kind of concept at a time -----------------------------------------------


@pytest.mark.parametrize(("kind", "concept", "expected"), [
    ("roles", "case_worker", "children_officer"),
    ("roles", "supervisor", "sub_county_children_officer"),
    ("agencies", "rescue_centre", "statutory_rescue_centre"),
    ("user_groups", "lead_office", "dcs_westlands"),
    ("consent", "share_information", "share_information"),
    ("services", "family_tracing", "reunited"),
    ("services", "court_orders", "judicial_orders"),
    ("referral_reasons", "immediate_safety", "safe_shelter"),
    ("followup_types", "remote_video", "remote"),
    ("closure_reasons", "goals_met", "needs_met"),
    ("risk", "high", "high"),
    ("locations", "home_village", "KE04500203"),
])
def test_each_kind_of_concept_resolves_through_the_mapping(kenya: BundleConfig, kind: str,
                                                           concept: str, expected: str) -> None:
    assert Resolver(kenya, kenya.modules["cp"]).id(kind, concept) == expected


def test_a_concept_the_mapping_leaves_out_resolves_to_nothing(kenya: BundleConfig) -> None:
    resolver = Resolver(kenya, kenya.modules["cp"])
    assert resolver.id("roles", "manager") is None
    assert resolver.id("consent", "tracing") is None          # no such consent in the bundle
    # a bundle without an urgency list stores the urgency as written
    assert resolver.id("urgency", "immediate") == "immediate"


def test_an_id_of_the_bundle_resolves_to_itself(default: BundleConfig) -> None:
    """A scenario written with one bundle's ids still runs there (the same name)."""
    resolver = Resolver(default, default.modules["cp"])
    assert resolver.id("roles", "caseworker") == "caseworker"
    assert resolver.id("services", "psychosocial_support") == "psychosocial_support"


def test_a_mapped_id_the_bundle_does_not_have_is_not_used(default: BundleConfig) -> None:
    broken = with_mapping(default, {"roles": {"case_worker": "nobody"}})
    assert Resolver(broken, broken.modules["cp"]).id("roles", "case_worker") is None


def test_fields_core_consent_mapped_and_columns(kenya: BundleConfig) -> None:
    resolver = Resolver(kenya, kenya.modules["cp"])
    assert resolver.field("name_first").code == "child_first_name"          # core field
    assert resolver.field("location").code == "home_location"
    assert resolver.field("consent_share_information").code == "consent_share_information"
    assert resolver.field("consent_tracing") is None
    assert resolver.field("assessed_needs").code == "immediate_needs"        # mapped
    plan = resolver.field("case_plan_items")
    assert plan.code == "plan_items"
    assert resolver.column("case_plan_items", plan, "plan_need").code == "plan_need"
    assert resolver.option("case_plan_items.plan_need", resolver.column(
        "case_plan_items", plan, "plan_need"), "health") == "medical_care"
    # option concepts of a field whose lookup is a system lookup resolve through its kind
    closure = resolver.field("closure_reason")
    assert closure.code == "closure_outcome"
    assert resolver.option("closure_reason", closure, "reunified") == "reunited"


# -- a scenario on another bundle ----------------------------------------------------------------


@pytest.fixture
def mini(write_scenario: WriteScenario) -> Path:
    return write_scenario()


def test_the_test_scenario_resolves_cleanly_on_its_own_bundle(default: BundleConfig,
                                                             mini: Path) -> None:
    parsed = read_scenario(mini)
    assert parsed.scenario is not None
    resolved = resolve_scenario(parsed.scenario, default)
    assert resolved.problems == [] and resolved.dropped_rules == {}


def test_what_cannot_be_mapped_is_said_per_step_at_its_line(default: BundleConfig,
                                                          mini: Path) -> None:
    """Without a consent type for tracing, the step recording it is left out, at its line;
    a rule on it cannot be checked, at the rule's line; the rest still runs."""
    text = mini.read_text(encoding="utf-8")
    text = text.replace("config: default", "config: elsewhere")
    text = text.replace("expected:\n", "expected:\n  - {id: tracing-consent, rule: happened, "
                        "action: consent.record, where: {details.consent_type: tracing}, points: 5}\n")
    text = text.replace("solution:\n", "solution:\n  - {as: caseworker, do: consent.record, "
                        "case: amina, with: {consent_type: tracing, given: true}}\n")
    mini.write_text(text, encoding="utf-8")
    parsed = read_scenario(mini)
    assert parsed.scenario is not None and parsed.source is not None
    no_tracing = with_mapping(default, {"consent": {"services": "services"}})
    # the bundle lacks the consent type for tracing: drop it from the lookup view
    lookups = dict(no_tracing.lookups)
    consent = lookups["consent_type"]
    lookups["consent_type"] = dataclasses.replace(
        consent, options={k: v for k, v in consent.options.items() if k != "tracing"})
    no_tracing = dataclasses.replace(no_tracing, lookups=lookups)
    checked = check_against(parsed, no_tracing)
    notes = [str(n) for n in checked.notes]
    step_line = parsed.source.line("solution", 0, "with", "consent_type")
    rule_line = parsed.source.line("expected", 0)
    assert f"{mini}:{step_line}: step 'consent.record' is left out on this bundle: the bundle " \
           "has no consent type for 'tracing': map `consent.tracing` in mapping.yaml" in notes
    assert f"{mini}:{rule_line}: SOP step 'tracing-consent' cannot be checked on this bundle: " \
           "the bundle has no consent type for 'tracing': map `consent.tracing` in mapping.yaml" \
           in notes
    assert checked.resolved is not None
    assert "tracing-consent" in checked.resolved.dropped_rules
    assert [s.do for s in checked.resolved.scenario.solution][:2] == ["case.search", "case.register"]
    assert checked.problems == []


def test_on_its_own_bundle_an_unknown_name_is_a_problem(default: BundleConfig, mini: Path) -> None:
    text = mini.read_text(encoding="utf-8").replace(
        "solution:\n", "solution:\n  - {as: caseworker, do: consent.record, case: amina, "
        "with: {consent_type: tracking, given: true}}\n")
    mini.write_text(text, encoding="utf-8")
    parsed = read_scenario(mini)
    problems = check_against(parsed, default).problems
    assert parsed.source is not None
    line = parsed.source.line("solution", 0, "with", "consent_type")
    assert any(p.line == line and "'consent.record': unknown consent type 'tracking'" in p.message
               for p in problems), problems


def test_problems_after_a_left_out_step_keep_their_line(default: BundleConfig, mini: Path) -> None:
    """A step left out shifts the later ones: their problems still point at their own line."""
    text = mini.read_text(encoding="utf-8").replace("config: default", "config: elsewhere")
    text = text.replace("solution:\n", "solution:\n  - {as: caseworker, do: consent.record, "
                        "case: amina, with: {consent_type: reporting, given: true}}\n"
                        "  - {as: tracing, do: case.flag, case: amina, with: {reason: x}}\n")
    mini.write_text(text, encoding="utf-8")
    parsed = read_scenario(mini)
    no_reporting = with_mapping(default, {})
    lookups = dict(no_reporting.lookups)
    consent = lookups["consent_type"]
    lookups["consent_type"] = dataclasses.replace(
        consent, options={k: v for k, v in consent.options.items() if k != "reporting"})
    checked = check_against(parsed, dataclasses.replace(no_reporting, lookups=lookups))
    assert parsed.source is not None
    line = parsed.source.line("solution", 1, "do")
    assert [(p.line, p.message) for p in checked.problems] == [
        (line, "role 'tracing' (service_provider) may not take the action 'case.flag'")]


def test_a_required_approval_the_scenario_lacks_is_asked_for(kenya: BundleConfig,
                                                            default: BundleConfig) -> None:
    """The Kenyan SOP has no assessment approval; on the default bundle, whose policy requires
    it before the case plan, the step before the plan asks for it and waits for the answer."""
    path = Path(__file__).resolve().parents[2] / "scenarios" / "kenya-neglect-teacher-report.yaml"
    parsed = read_scenario(path)
    assert parsed.scenario is not None
    scenario: Scenario = resolve_scenario(parsed.scenario, default).scenario
    steps = [(s.do, s.with_.get("kind"), s.advance) for s in scenario.solution]
    plan = steps.index(("case_plan.save", None, None))
    assert steps[plan - 2:plan] == [("approval.request", "assessment", None), (None, None, "1h")]
    on_kenya = resolve_scenario(parsed.scenario, kenya).scenario
    assert not any(s.do == "approval.request" and s.with_.get("kind") == "assessment"
                   for s in on_kenya.solution)


def test_a_value_recorded_at_a_later_step_is_carried_there(default: BundleConfig,
                                                          kenya: BundleConfig) -> None:
    """The default bundle records the risk level at registration, the Kenyan one with the
    assessment: a default scenario's risk reaches the Kenyan assessment."""
    path = Path(__file__).resolve().parents[2] / "scenarios" / "uasc-market-separation.yaml"
    parsed = read_scenario(path)
    assert parsed.scenario is not None
    scenario = resolve_scenario(parsed.scenario, kenya).scenario
    assessment = next(s for s in scenario.solution if s.do == "assessment.complete")
    assert assessment.with_["data"]["risk_level"] == "high"
    register = next(s for s in scenario.solution if s.do == "case.register")
    assert "risk_level" not in register.with_["data"]
    assert register.with_["data"]["home_location"] == "KE00100101"   # city_centre, mapped


# -- scenarios of a module: the mapping's `by_module` section ----------------------------------


GBV_SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "gbv-ipv-no-sharing.yaml"


def test_a_gbv_scenario_resolves_with_the_gbv_lines_of_the_mapping(default: BundleConfig) -> None:
    parsed = read_scenario(GBV_SCENARIO)
    assert parsed.scenario is not None
    resolved = resolve_scenario(parsed.scenario, default)
    assert resolved.problems == [] and resolved.dropped_rules == {}
    roles = resolved.scenario.roles
    assert (roles["caseworker"].role, roles["supervisor"].role, roles["counsellor"].role) == (
        "gbv_caseworker", "gbv_supervisor", "gbv_provider_psychosocial")
    rules = {r.id: r for r in resolved.scenario.expected}
    assert rules["refer-chosen-provider"].when == {"data.gbv_consent_providers": {"has": ["psychosocial"]}}
    assert rules["refusal-statistics"].where["details.consent_type"] == "statistics"
    update = next(s for s in resolved.scenario.solution if s.do == "case.update")
    assert update.with_["data"]["gbv_consent_providers"] == ["psychosocial"]


def test_without_its_module_lines_a_gbv_concept_is_a_problem_at_its_line(
        default: BundleConfig) -> None:
    parsed = read_scenario(GBV_SCENARIO)
    assert parsed.source is not None
    mapping = {k: v for k, v in default.mapping.items() if k != "by_module"}
    problems = check_against(parsed, with_mapping(default, mapping)).problems
    line = parsed.source.line("roles", "counsellor", "role")
    assert any(p.line == line and "unknown role 'psychosocial_provider'" in p.message
               for p in problems), problems


def test_a_consent_purpose_the_module_lacks_is_a_problem_at_its_line(default: BundleConfig,
                                                                    mini: Path) -> None:
    """`statistics` is a consent purpose of the GBV module: a CP scenario may not name it."""
    text = mini.read_text(encoding="utf-8").replace(
        "solution:\n", "solution:\n  - {as: caseworker, do: consent.record, case: amina, "
        "with: {consent_type: statistics, given: true}}\n")
    mini.write_text(text, encoding="utf-8")
    parsed = read_scenario(mini)
    problems = check_against(parsed, default).problems
    assert parsed.source is not None
    line = parsed.source.line("solution", 0, "with", "consent_type")
    assert any(p.line == line and "unknown consent type 'statistics'" in p.message
               for p in problems), problems
