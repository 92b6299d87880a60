"""De-identified incident data, scanned: a seeded world of survivors with known names,
dates of birth, phone numbers and places; the Incident Recorder export and the monthly
statistics carry none of them, leave out the incidents without consent to statistics,
and suppress every cell below the policy's minimum count."""

from __future__ import annotations

import json

import pytest

from sandbox.gbv import services as gs
from sandbox.gbv.recorder import (
    COLUMNS,
    as_json,
    monthly_statistics,
    recorder_csv,
    recorder_rows,
    statistics,
    suppress,
)

from .conftest import GbvWorld

pytestmark = pytest.mark.django_db

#: (first name, last name, date of birth, phone, address, commune, age, acts, statistics consent)
SURVIVORS = [
    ("Nadira", "Belkacem", "1994-07-23", "+000 555 0101", "12 Rue des Oliviers", "LR010101", 31,
     ["rape"], True),
    ("Samira", "Ouchene", "1990-01-02", "+000 555 0102", "4 Impasse du Puits", "LR010102", 35,
     ["rape", "physical_assault"], True),
    ("Houria", "Medjdoub", "2001-03-14", "+000 555 0103", "Cité des Palmiers 9", "LR010101", 24,
     ["rape"], True),
    ("Lamia", "Zerrouki", "1987-11-30", "+000 555 0104", "Route de Kefrane km 3", "LR010104", 38,
     ["rape"], True),
    ("Karima", "Haddadi", "1999-05-05", "+000 555 0105", "Bloc C, Douar Salem", "LR010103", 26,
     ["sexual_assault"], True),
    ("Fatma", "Boukhari", "1985-08-19", "+000 555 0106", "Rue du Marché 44", "LR010102", 40,
     ["sexual_assault"], True),
    ("Yamina", "Tebboune", "1996-12-01", "+000 555 0107", "Ferme Ait Ali", "LR010101", 29,
     ["sexual_assault", "psychological_abuse"], True),
    ("Zohra", "Kaci", "1980-02-29", "+000 555 0108", "Les Jardins 7", "LR010103", 45,
     ["physical_assault"], True),
    # No consent to statistics: their incidents never leave the case system.
    ("Warda", "Nezzar", "1992-06-06", "+000 555 0109", "Quartier Neuf 18", "LR010102", 33,
     ["forced_marriage"], False),
    ("Salima", "Ferhat", "2003-09-09", "+000 555 0110", "Oued Sidi 2", "LR010104", 22,
     ["denial_of_resources"], False),
]
COMMUNE_NAMES = ("Belmar Centre", "Ain Zerga", "Douar Salem", "Kefrane")


@pytest.fixture
def seeded(gbv: GbvWorld) -> dict[str, bool]:
    """Incidents of the world: incident ID -> whether the survivor consented to statistics."""
    incidents = {}
    for first, last, born, phone, address, commune, age, acts, stats in SURVIVORS:
        case = gbv.case(name_first=first, name_last=last, date_of_birth=born, phone=phone,
                        address_current=address, location_current=commune, age=age)
        gbv.consent(case, services=["health"], statistics=stats)
        incident = gs.incident_create(actor=gbv.worker, case=case, data={
            "incident_date": "2026-02-27", "acts": acts, "perpetrator_relationship": "intimate_partner",
            "services_provided": ["psychosocial"]})
        incidents[incident.display_id] = stats
    return incidents


def secrets() -> list[str]:
    values = []
    for first, last, born, phone, address, commune, *_ in SURVIVORS:
        values += [first, last, born, phone, address, commune, born[:7]]
    return values + list(COMMUNE_NAMES)


def test_the_export_and_the_statistics_carry_nothing_identifying(gbv: GbvWorld,
                                                                seeded: dict[str, bool]) -> None:
    rows = recorder_rows(viewer=gbv.supervisor)
    text = recorder_csv(rows) + json.dumps(as_json(statistics(viewer=gbv.supervisor)))
    assert [value for value in secrets() if value in text] == []
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert {row["area"] for row in rows} == {"LR0101"}            # the district, never the commune
    assert {row["age_group"] for row in rows} <= {"18-25", "26-40", "41-60"}


def test_incidents_without_consent_to_statistics_are_absent(gbv: GbvWorld,
                                                           seeded: dict[str, bool]) -> None:
    exported = {row["incident_id"] for row in recorder_rows(viewer=gbv.supervisor)}
    assert exported == {ident for ident, stats in seeded.items() if stats}
    assert len(exported) == 8
    kinds = {row["gbv_type"] for row in recorder_rows(viewer=gbv.supervisor)}
    assert not kinds & {"forced_marriage", "denial_of_resources"}


def test_small_cells_are_suppressed(gbv: GbvWorld, seeded: dict[str, bool]) -> None:
    assert gbv.space.config.modules["gbv"].policy.min_cell_count == 3
    (month,) = statistics(viewer=gbv.supervisor)
    assert month.total == 8
    types = next(t for t in month.tables if t.dimension == "gbv_type").cells
    # rape 4, sexual assault 3, physical assault 1: the 1 is suppressed, and the 3 with it,
    # or the total (8) would give the 1 away.
    assert types == {"physical_assault": None, "rape": 4, "sexual_assault": None}
    for table in month.tables:
        assert all(count is None or count >= 3 for count in table.cells.values()), table


def test_suppression_rule() -> None:
    assert suppress({"a": 5, "b": 4, "c": 6}, 3) == {"a": 5, "b": 4, "c": 6}
    assert suppress({"a": 5, "b": 1, "c": 6}, 3) == {"a": None, "b": None, "c": 6}
    assert suppress({"a": 1, "b": 2, "c": 6}, 3) == {"a": None, "b": None, "c": 6}
    assert suppress({"a": 1}, 1) == {"a": 1}
    months = monthly_statistics([{"reported_month": "2026-03", "gbv_type": "rape", "age_group": "18-25",
                                  "sex": "female", "area": "LR0101", "services_provided": "",
                                  "referred_to": ""}], 3)
    assert months[0].total is None


def test_only_roles_with_incident_access_get_data(gbv: GbvWorld, seeded: dict[str, bool]) -> None:
    for member in (*gbv.providers.values(), gbv.cp_worker, gbv.other_space):
        assert recorder_rows(viewer=member) == []
