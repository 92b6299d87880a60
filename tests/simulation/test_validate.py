"""read_scenario + check_scenario: every problem as `PATH:LINE: message`, all at once.

The broken corpus (test_broken_corpus.py) has one file per defect; these tests edit
the template scenario for the checks that need a particular world, and for the
properties of the report itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sandbox.configuration.bundle.load import load_bundle
from sandbox.configuration.runtime import get_config
from sandbox.simulation.scenario.load import check_scenario, find_scenario, read_scenario
from sandbox.simulation.simtime import parse_duration, resolve
from tests.conftest import KENYA_BUNDLE

from .conftest import START, WriteScenario

LIBRARY_SCENARIO = "uasc-market-separation"


def edit(path: Path, old: str, new: str) -> int:
    """Replace text once in a scenario file; returns the 1-based line of the change."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def messages(path: Path, bundle: str | None = "default") -> list[str]:
    parsed = read_scenario(path)
    problems = parsed.problems or check_scenario(parsed, get_config(bundle) if bundle else None)
    return [str(p) for p in problems]


def find(path: Path, needle: str) -> list[str]:
    return [m for m in messages(path) if needle in m]


@pytest.fixture
def path(write_scenario: WriteScenario) -> Path:
    return write_scenario()


# -- valid files ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_template_is_valid(default_config: Any, path: Path) -> None:
    assert messages(path) == []


@pytest.mark.django_db
def test_the_library_scenario_is_valid(default_config: Any) -> None:
    assert messages(find_scenario(LIBRARY_SCENARIO)) == []


def test_find_scenario_by_id_or_path(path: Path) -> None:
    assert find_scenario(LIBRARY_SCENARIO).name == f"{LIBRARY_SCENARIO}.yaml"
    assert find_scenario(str(path)) == path


# -- the report -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_problem_reads_path_line_message(default_config: Any, path: Path) -> None:
    line = edit(path, "difficulty: beginner", "difficulty: easy")
    assert messages(path) == [
        f"{path}:{line}: difficulty: 'easy' is not one of 'beginner', 'intermediate' or 'advanced'"]


@pytest.mark.django_db
def test_every_problem_of_the_schema_is_reported_at_once(default_config: Any, path: Path) -> None:
    first = edit(path, "version: 1", 'version: "1"')
    second = edit(path, "duration_minutes: 30", "duration_minutes: 3")
    found = messages(path)
    assert len(found) == 2
    assert found[0].startswith(f"{path}:{first}: version:")
    assert found[1].startswith(f"{path}:{second}: duration_minutes:")


@pytest.mark.django_db
def test_every_problem_against_the_bundle_is_reported_at_once(default_config: Any,
                                                              path: Path) -> None:
    lines = [edit(path, "location: LR010101", "location: LR999999"),
             edit(path, "      risk: medium\n", "      risk: severe\n"),
             edit(path, "with: {query: Amina}", "with: {qry: Amina}")]
    found = messages(path)
    assert [int(m.split(":")[1]) for m in found] == lines
    assert "unknown location 'LR999999'" in found[0]
    assert "case 'yusuf': unknown risk level 'severe' (a concept: high, low, medium; " \
           "or one of the bundle's: high, low, medium)" in found[1]
    assert "'case.search' takes no parameter 'qry' (takes: age, location, query)" in found[2]


def test_a_file_that_is_not_there(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    assert messages(missing, bundle=None) == [f"{missing}:1: file not found"]


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    listed = tmp_path / "list.yaml"
    listed.write_text("- id: one\n- id: two\n", encoding="utf-8")
    assert messages(listed, bundle=None) == [
        f"{listed}:1: a scenario file is a mapping (id, version, ...)"]


# -- the schema -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_key_in_a_role_suggests_the_right_one(default_config: Any, path: Path) -> None:
    """Like a misspelt top-level key, a misspelt key inside a role (a mapping under a
    free key of `roles`) should get its hint. (Engine bug: `_allowed_keys` stops at the
    role's reference, so the message has neither 'did you mean' nor 'allowed'.)"""
    line = edit(path, "agency: lcs,", "agancy: lcs,")
    assert messages(path) == [
        f"{path}:{line}: roles.tracing: unknown key 'agancy' (did you mean 'agency'?)"]


@pytest.mark.django_db
def test_unknown_key_in_a_case_suggests_the_right_one(default_config: Any, path: Path) -> None:
    line = edit(path, "      registration: identified", "      registraton: identified")
    assert messages(path) == [f"{path}:{line}: world.cases[0]: unknown key 'registraton' "
                              "(did you mean 'registration'?)"]


@pytest.mark.django_db
def test_a_bad_time_and_a_bad_duration(default_config: Any, path: Path) -> None:
    at = edit(path, 'at: "+2h"', 'at: "in two hours"')
    delay = edit(path, "delay: 3h}", "delay: soon}")
    found = messages(path)
    assert len(found) == 2
    assert found[0].startswith(f"{path}:{at}: timeline[1].at: 'in two hours' is not a valid value")
    assert found[1].startswith(f"{path}:{delay}: timeline[2].after.delay: 'soon' is not a valid value")


@pytest.mark.django_db
def test_an_unknown_rule_kind(default_config: Any, path: Path) -> None:
    line = edit(path, "rule: happened", "rule: occurred")
    [found] = messages(path)
    assert found.startswith(f"{path}:{line}: expected[0]")
    assert "occurred" in found


@pytest.mark.django_db
def test_a_final_rule_with_two_tests(default_config: Any, path: Path) -> None:
    line = edit(path, "expected:\n", "expected:\n  - {id: open, rule: final, case: amina, "
                "field: status, equals: open, not_equals: closed, points: 5}\n") + 1
    [found] = messages(path)
    assert found.startswith(f"{path}:{line}: ")
    assert "give exactly one of equals, in or not_equals" in found


# -- checks against the bundle and within the file -----------------------------------------


@pytest.mark.django_db
def test_a_scenario_checked_against_another_bundle(default_config: Any, path: Path) -> None:
    load_bundle(KENYA_BUNDLE)
    parsed = read_scenario(path)
    found = [str(p) for p in check_scenario(parsed, get_config("kenya_dcs"))]
    assert parsed.source is not None
    # A scenario may be checked on another bundle: what that bundle cannot give is said in
    # mapping terms (the Kenyan bundle has no role called 'caseworker' and no mapping for it).
    line = parsed.source.line("roles", "caseworker", "role")
    assert f"{path}:{line}: role 'caseworker': the bundle has no role for 'caseworker': " \
           "map `roles.caseworker` in mapping.yaml" in found
    assert not any("expects bundle" in m for m in found)


@pytest.mark.django_db
def test_an_unknown_module(default_config: Any, path: Path) -> None:
    # The default bundle has a GBV module; the Kenyan one has none.
    load_bundle(KENYA_BUNDLE)
    line = edit(path, "module: cp", "module: gbv")
    assert f"{path}:{line}: the bundle 'kenya_dcs' has no module for 'gbv': " \
           "map `modules.gbv` in mapping.yaml" in messages(path, "kenya_dcs")


@pytest.mark.django_db
def test_no_role_played_by_a_trainee(default_config: Any, path: Path) -> None:
    edit(path, "caseworker: {played_by: trainee", "caseworker: {played_by: simulated")
    assert find(path, "no role is played by a trainee")


@pytest.mark.django_db
def test_duplicate_references(default_config: Any, path: Path) -> None:
    case_line = edit(path, "    - ref: yusuf", "    - ref: amina")
    inject_line = edit(path, "  - id: school-calls", "  - id: aunt-calls")
    rule_line = edit(path, "  - {id: consent,", "  - {id: register,")
    assert find(path, "duplicate case reference") == [
        f"{path}:{case_line}: duplicate case reference 'amina'"]
    assert find(path, "duplicate inject id") == [
        f"{path}:{inject_line}: duplicate inject id 'aunt-calls'"]
    assert find(path, "duplicate rule id") == [f"{path}:{rule_line}: duplicate rule id 'register'"]


@pytest.mark.django_db
def test_an_update_of_an_unknown_case_or_field(default_config: Any, path: Path) -> None:
    line = edit(path, "update: {case: yusuf, data: {risk_level: low}}",
                "update: {case: yusef, data: {risk: low}}")
    found = messages(path)
    assert f"{path}:{line}: inject 'risk-drops': unknown case 'yusef'" in found
    assert f"{path}:{line}: unknown field 'risk' in module 'cp'" in found


@pytest.mark.django_db
def test_a_new_case_arriving_with_a_history(default_config: Any, path: Path) -> None:
    edit(path, "    update: {case: yusuf, data: {risk_level: low}}",
         "    new_case:\n      ref: fatou\n      owner: caseworker\n      history:\n"
         '        - {at: "-1d", do: case.register}')
    [found] = messages(path)
    assert found.endswith(": a case arriving during the exercise has no history")
    # The history step's own line.
    assert int(found.split(":")[1]) == path.read_text().splitlines().index(
        '        - {at: "-1d", do: case.register}') + 1


@pytest.mark.django_db
def test_an_inject_after_an_action_on_an_unknown_case(default_config: Any, path: Path) -> None:
    line = edit(path, "case: amina, delay: 3h", "case: fatou, delay: 3h")
    assert find(path, "unknown case") == [
        f"{path}:{line}: inject 'tracing-confirms': unknown case 'fatou'"]


@pytest.mark.django_db
def test_actors_for_an_unknown_role(default_config: Any, path: Path) -> None:
    line = edit(path, "  tracing:\n    referrals:", "  tracer:\n    referrals:")
    assert find(path, "actors:") == [f"{path}:{line}: actors: unknown role 'tracer'"]


@pytest.mark.django_db
def test_history_steps(default_config: Any, path: Path) -> None:
    unknown = edit(path, '{at: "-3d", do: case.register}', '{at: "-3d", do: case.enrol}')
    as_line = edit(path, "with: {summary: \"Alone at the market.\"}}",
                   "as: supervisor, with: {summary: \"Alone at the market.\", source: phone}}")
    found = messages(path)
    assert f"{path}:{unknown}: unknown action 'case.enrol'" in found
    assert f"{path}:{as_line}: 'case.identify' takes no parameter 'source'" in found
    assert len(found) == 2  # the supervisor may identify a case


@pytest.mark.django_db
def test_a_history_step_by_a_role_that_may_not_act(default_config: Any, path: Path) -> None:
    line = edit(path, '{at: "-14h", do: case.identify,', '{at: "-14h", as: tracing, do: case.identify,')
    assert messages(path) == [
        f"{path}:{line}: role 'tracing' (service_provider) may not take the action 'case.identify'"]


@pytest.mark.django_db
def test_solution_steps(default_config: Any, path: Path) -> None:
    both = edit(path, "  - {advance: 3h}", "  - {advance: 3h, do: note.add}")
    unknown = edit(path, "do: followup.record\n", "do: followup.write\n")
    to = edit(path, "to: tracing, urgency", "to: tracer, urgency")
    found = messages(path)
    assert f"{path}:{both}: a solution step has either 'do' (with 'as') or 'advance'" in found
    assert f"{path}:{unknown}: unknown action 'followup.write'" in found
    assert f"{path}:{to}: unknown role 'tracer'" in found
    assert len(found) == 3


@pytest.mark.django_db
def test_a_solution_step_with_invalid_data(default_config: Any, path: Path) -> None:
    line = edit(path, "        risk_level: high\n", "        risk_level: extreme\n")
    assert messages(path) == [
        f"{path}:{line}: field 'risk_level': 'extreme' is not one of the options. "
        "(one of: high, medium, low)"]


@pytest.mark.django_db
def test_rules_name_known_roles_and_fields(default_config: Any, path: Path) -> None:
    by = edit(path, "case: amina, points: 10}\n  - {id: consent",
              "case: amina, by: trainee, points: 10}\n  - {id: consent")
    final = edit(path, "expected:\n", "expected:\n  - {id: f1, rule: final, case: amina, "
                 "field: data.favourite_colour, equals: blue, points: 5}\n"
                 "  - {id: f2, rule: final, case: amina, field: colour, equals: blue, points: 5}\n"
                 "  - {id: f3, rule: final, field: status, equals: open, points: 5}\n") + 1
    found = messages(path)
    assert f"{path}:{by + 3}: rule 'register': unknown role 'trainee'" in found
    assert f"{path}:{final}: rule 'f1': unknown field 'favourite_colour'" in found
    assert any(m.startswith(f"{path}:{final + 1}: rule 'f2': unknown case field 'colour'")
               for m in found)
    assert f"{path}:{final + 2}: rule 'f3': a 'final' rule names its case" in found


@pytest.mark.django_db
def test_texts_in_every_declared_language(default_config: Any, path: Path) -> None:
    title = edit(path, 'fr: "Trouvée seule au marché"', 'fr: "  "')
    rule = edit(path, "action: case.register, case: amina, points: 10}",
                'action: case.register, case: amina, points: 10, title: {en: "Register"}}')
    found = messages(path)
    assert f"{path}:{title}: title: missing 'fr' text" in found
    assert f"{path}:{rule}: rule 'register' title: missing 'fr' text" in found


@pytest.mark.django_db
def test_actors_comments_in_every_declared_language(default_config: Any, path: Path) -> None:
    line = edit(path, 'comment: {en: "Add the school.", fr: "Ajoutez l\'école."}',
                'comment: {en: "Add the school."}')
    accepted = edit(path, 'comment: {en: "Accepted: we will trace the family.", fr: "Acceptée."}',
                    'comment: {en: "Accepted: we will trace the family.", fr: ""}')
    found = messages(path)
    assert f"{path}:{line}: actor 'supervisor' approvals.case_plan comment: missing 'fr' text" in found
    assert f"{path}:{accepted}: actor 'tracing' referrals comment: missing 'fr' text" in found


@pytest.mark.django_db
def test_a_language_the_bundle_has_no_labels_in(default_config: Any, path: Path) -> None:
    """Declared languages are the bundle's: on the scenario's own bundle another one is an
    error, on another bundle it runs on (portable scenarios) a note."""
    from sandbox.simulation.scenario.load import check_against

    line = edit(path, "languages: [en, fr]", "languages: [en, fr, xx]")
    found = [m for m in messages(path) if "no labels" in m]
    assert found == [f"{path}:{line}: language(s) xx declared, but bundle 'default' has no labels "
                     f"in them (its languages: en, fr, ar, es, sw, km): trainees would see its "
                     f"forms in another language"]
    edit(path, "languages: [en, fr, xx]", "languages: [en, fr, ar]")
    kenya = check_against(read_scenario(path), get_config("kenya_dcs"))
    assert not [p for p in kenya.problems if "no labels" in p.message]
    assert [str(p) for p in kenya.notes if "no labels" in p.message] == [
        f"{path}:{line}: language(s) fr, ar declared, but bundle 'kenya_dcs' has no labels in "
        f"them (its languages: en, sw): trainees would see its forms in another language"]


@pytest.mark.django_db
def test_a_solution_with_rules_that_give_no_points(default_config: Any, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("points: 10}", "points: 0}"), encoding="utf-8")
    line = text.splitlines().index("expected:") + 1
    assert messages(path) == [f"{path}:{line}: no rule gives points"]


# -- simulated times ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("day 1 09:00", START.replace(hour=9)),
    ("day 2 14:30", START + dt.timedelta(days=1, hours=6, minutes=30)),
    ("+2h", START + dt.timedelta(hours=2)),
    ("+1d4h", START + dt.timedelta(days=1, hours=4)),
    ("-3d", START - dt.timedelta(days=3)),
    ("-1d2h30m", START - dt.timedelta(days=1, hours=2, minutes=30)),
])
def test_resolve_times(text: str, expected: dt.datetime) -> None:
    assert resolve(text, START) == expected


@pytest.mark.parametrize("text", ["", "2h", "+", "day x 09:00", "tomorrow"])
def test_resolve_refuses_what_is_not_a_time(text: str) -> None:
    with pytest.raises(ValueError, match="invalid time"):
        resolve(text, START)


def test_durations() -> None:
    assert parse_duration("30m") == dt.timedelta(minutes=30)
    assert parse_duration("1d4h") == dt.timedelta(days=1, hours=4)
    for text in ("", "4", "h", "-2h"):
        with pytest.raises(ValueError, match="invalid duration"):
            parse_duration(text)


@pytest.mark.django_db
@pytest.mark.parametrize(("condition", "wrong"), [
    ("{has: diary}", "'diary'"), ("{in: [identity, secrets]}", "'secrets'"), ("[identity, x]", "'x'")])
def test_what_a_referral_discloses_is_a_known_kind(default_config: Any, path: Path,
                                                    condition: str, wrong: str) -> None:
    line = edit(path, "expected:\n", "expected:\n  - {id: shared, rule: never, action: "
                f"referral.create, where: {{details.disclosed: {condition}}}, penalty: 5}}\n") + 1
    found = find(path, "details.disclosed")
    assert len(found) == 1 and found[0].startswith(f"{path}:{line}: ") and wrong in found[0], found


@pytest.mark.django_db
def test_a_known_disclosure_and_the_has_operator_are_accepted(default_config: Any,
                                                              path: Path) -> None:
    edit(path, "expected:\n", "expected:\n  - {id: shared, rule: never, action: referral.create, "
         "where: {details.disclosed: {has: incident}}, penalty: 5}\n")
    assert messages(path) == []
