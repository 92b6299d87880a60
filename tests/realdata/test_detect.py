"""What the real-data guard recognises, per shipped bundle, and what it leaves alone."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from faker import Faker

from sandbox.realdata.detect import GuardSettings, luhn, mask, scan, scan_text
from sandbox.realdata.guard import guard_settings


def _declared(folder: str) -> GuardSettings:
    """A shipped bundle's guard settings, as its bundle.yaml declares them."""
    path = Path(settings.SEED_DATA_DIR) / folder / "bundle.yaml"
    return GuardSettings.from_dict(yaml.safe_load(path.read_text(encoding="utf-8"))["real_data"])


LORENDIA = _declared("default")
KENYA = _declared("kenya-dcs")


@pytest.mark.parametrize("text", [
    "Mother's phone: +254 712 345 678",
    "call 0712 345678 after 5pm",
    "0722-123-456",
    "ID 23456789",
    "national id: 1234567",
    "write to wanjiru.kamau@gmail.com",
    "card 4111 1111 1111 1111",
    "+33 6 12 34 56 78",
])
def test_real_looking_data_is_flagged_for_kenya(text: str) -> None:
    assert scan_text(text, KENYA), text


@pytest.mark.parametrize("text", [
    "Reached her aunt on +254 712 345 678",
    "+33 6 12 34 56 78",
    "+1 415 555 2671",
    "contact jean.dupont@orange.fr",
    "5500 0000 0000 0004",
])
def test_real_looking_data_is_flagged_for_lorendia(text: str) -> None:
    assert scan_text(text, LORENDIA), text


@pytest.mark.parametrize("text", [
    "0711 000 482", "+254 711 000 482", "+000 21 555 0142", "case KE-2026-000123",
    "born 2026-03-12", "a.teacher@example.org", "x@school.test", "household of 7 children",
    "Amina Diallo, 11, lives in LR010101", "registered 12345678 times",
])
def test_invented_conventions_are_not_flagged_for_kenya(text: str) -> None:
    assert scan_text(text, KENYA) == []


def test_lorendia_does_not_read_kenyan_national_forms() -> None:
    assert scan_text("0712 345678", LORENDIA) == []
    assert scan_text("ID 23456789", LORENDIA) == []


def test_findings_are_masked() -> None:
    [finding] = scan_text("phone +254 712 345 678", KENYA)
    assert finding.masked == "+2•• ••• ••• •78"
    assert "345" not in finding.masked
    assert mask("abc") == "•••"


def test_scan_walks_nested_values_and_names_the_path() -> None:
    found = scan({"data": {"caregivers": [{"phone": "0712 345678"}]}, "note": "fine"}, KENYA)
    assert list(found) == ["data.caregivers[0].phone"]


def test_luhn() -> None:
    assert luhn("4111111111111111")
    assert not luhn("4111111111111112")


def test_every_shipped_bundle_declares_its_guard() -> None:
    for bundle in Path(settings.SEED_DATA_DIR).iterdir():
        if (bundle / "bundle.yaml").is_file():
            declared = yaml.safe_load((bundle / "bundle.yaml").read_text())["real_data"]
            assert declared["invented_patterns"], bundle.name
    kenya = yaml.safe_load((Path(settings.SEED_DATA_DIR) / "kenya-dcs" / "bundle.yaml").read_text())
    assert GuardSettings.from_dict(kenya["real_data"]).country == "KE"



@pytest.mark.django_db
def test_the_guard_reads_the_loaded_bundles() -> None:
    assert guard_settings("kenya_dcs") == KENYA and guard_settings("default") == LORENDIA
    assert guard_settings("no-such-bundle") == GuardSettings.from_dict(None)


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


@pytest.mark.parametrize("guard", [LORENDIA, KENYA], ids=["default", "kenya-dcs"])
def test_no_false_alarm_on_the_scenario_library(guard: GuardSettings) -> None:
    texts = [s for path in sorted(Path(settings.SCENARIOS_DIR).glob("*.yaml"))
             for s in strings(yaml.safe_load(path.read_text(encoding="utf-8")))]
    assert len(texts) > 500
    flagged = {t: scan_text(t, guard) for t in texts if scan_text(t, guard)}
    assert flagged == {}


@pytest.mark.parametrize("guard", [LORENDIA, KENYA], ids=["default", "kenya-dcs"])
def test_no_false_alarm_on_generated_people(guard: GuardSettings) -> None:
    from sandbox.simulation.factories import CaregiverFactory

    faker, rng = Faker(["en_US", "fr_FR", "sw"]), random.Random(7)
    faker.seed_instance(7)
    for _ in range(300):
        person = CaregiverFactory(faker=faker, rng=rng)
        assert scan_text(f"{person['name']} {person['phone']}", guard) == [], person
