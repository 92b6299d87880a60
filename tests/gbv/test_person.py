"""GBV pages speak of the survivor, child protection pages of the child: the word is the
module's `person` (modules.yaml), in the page's language, never a test of the module's id."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from sandbox.cases import services as s
from sandbox.cases.person import person_of
from sandbox.spaces.models import Member
from tests.cases.conftest import registration_data
from tests.factories import MemberFactory, SpaceFactory

from .conftest import GbvWorld

pytestmark = pytest.mark.django_db


def web(member: Member, language: str) -> Client:
    client = Client()
    client.force_login(member.user)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


def pages(member: Member, display_id: str, language: str) -> tuple[str, str]:
    """The case page and the case list, as `member` reads them in `language`."""
    client = web(member, language)
    slug = member.space.slug
    case_page = client.get(reverse("cases:detail", kwargs={"space": slug, "display_id": display_id}))
    case_list = client.get(reverse("cases:list", kwargs={"space": slug}))
    assert case_page.status_code == 200 and case_list.status_code == 200
    return case_page.content.decode(), case_list.content.decode()


def page_text(html: str) -> str:
    """What the page itself says: without the options of the bundle's lookups (the GBV
    forms share some lists with child protection, "the child or family")."""
    return re.sub(r"<option[^>]*>.*?</option>", "", html, flags=re.S)


@pytest.fixture
def cp_worker(default_config: object) -> Member:
    space = SpaceFactory()
    return MemberFactory(space=space, role="caseworker", user_groups=["dsw_north"])


def test_a_gbv_case_page_says_survivor_in_english(gbv: GbvWorld) -> None:
    case = gbv.case()
    case_page, case_list = pages(gbv.worker, case.display_id, "en")
    assert '<span id="case-person">Survivor</span>' in case_page
    assert '<th scope="col" id="column-person">Survivor</th>' in case_list
    assert "Register a survivor" in case_list
    for text in map(page_text, (case_page, case_list)):
        assert "Register a child" not in text and "the child" not in text


def test_a_gbv_case_page_says_survivor_in_french(gbv: GbvWorld) -> None:
    case = gbv.case()
    case_page, case_list = pages(gbv.worker, case.display_id, "fr")
    assert '<span id="case-person">Survivante / survivant</span>' in case_page
    assert '<th scope="col" id="column-person">Survivante / survivant</th>' in case_list
    assert "une survivante / un survivant" in case_list
    for text in map(page_text, (case_page, case_list)):
        assert "un enfant" not in text and "Enregistrer l&#x27;enfant" not in text


def test_a_cp_case_page_says_child_in_english(cp_worker: Member) -> None:
    case = s.case_register(actor=cp_worker, data=registration_data())
    case_page, case_list = pages(cp_worker, case.display_id, "en")
    assert '<span id="case-person">Child</span>' in case_page
    assert '<th scope="col" id="column-person">Child</th>' in case_list
    assert "Register a child" in case_list and "survivor" not in case_list.lower()


def test_a_cp_case_page_says_child_in_french(cp_worker: Member) -> None:
    case = s.case_register(actor=cp_worker, data=registration_data())
    case_page, case_list = pages(cp_worker, case.display_id, "fr")
    assert '<span id="case-person">Enfant</span>' in case_page
    assert '<th scope="col" id="column-person">Enfant</th>' in case_list
    assert "survivant" not in case_page and "survivant" not in case_list


def test_the_step_bar_names_the_person(gbv: GbvWorld) -> None:
    case = s.case_identify(actor=gbv.worker, data={"name_first": "Nadira", "sex": "female"},
                           summary="Woman of 31 at the centre.")
    case_page, _ = pages(gbv.worker, case.display_id, "en")
    assert "Register the survivor: search for duplicates" in case_page
    assert "Register the child" not in case_page


def test_a_module_without_person_says_child(gbv: GbvWorld) -> None:
    module = gbv.space.config.modules["gbv"]
    assert person_of(module).the == "the survivor"
    bare = type(module)(**{**module.__dict__, "person": {}})
    assert (person_of(bare).one, person_of(bare).a, person_of(bare).the) == (
        "Child", "a child", "the child")
