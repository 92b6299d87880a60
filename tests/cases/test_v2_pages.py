"""Format 2 on the pages and in the API: what is rendered (separators, read-only and
date-time inputs, options from agencies, groups and members), what never is (hidden
fields), and what is refused with a message naming the field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sandbox.cases import services as s
from sandbox.cases.models import Case

from .v2world import V2World, identity

pytestmark = pytest.mark.django_db


def url(v2: V2World, name: str, **kwargs: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"space": v2.space.slug, **kwargs})


def logged(client: Client, member: Any) -> Client:
    client.force_login(member.user)
    return client


def test_register_form_renders_every_field_kind(client: Client, v2: V2World) -> None:
    page = logged(client, v2.worker).get(url(v2, "register") + "?q=Amina").content.decode()
    assert 'data-separator="identity_heading"' in page and "Who the child is" in page
    assert 'name="record_source"' not in page                      # hidden: never rendered
    readonly = re.search(r'<input[^>]*name="registration_date"[^>]*>', page)
    assert readonly and "disabled" in readonly.group(0) and 'value="2026-03-02"' in readonly.group(0)
    identified = re.search(r'<input[^>]*name="date_identified"[^>]*>', page)
    assert identified and 'type="datetime-local"' in identified.group(0)
    assert 'value="2026-03-02T08:00"' in identified.group(0)        # `now` on the space's clock
    assert 'value="agency-unicef"' in page and "Children&#x27;s Fund" in page   # agencies
    assert 'value="group-none"' in page and "Volunteers" in page               # user groups
    assert f'value="{v2.colleague.ref}"' in page                               # members
    risk = re.search(r'<option value="medium" selected>', page)
    assert risk, "the default is pre-selected"
    assert "&quot;all&quot;: [{&quot;field&quot;: &quot;has_disability&quot;" in page
    assert 'name="identity_documents"' not in page  # documents are added on the form's own page


def test_register_through_the_page_keeps_defaults_and_hidden_values(client: Client,
                                                                    v2: V2World) -> None:
    response = logged(client, v2.worker).post(url(v2, "register"), {
        "name_first": "Amina", "name_last": "Diallo", "sex": "F", "age": "11",
        "location_current": "XX01", "risk_level": "high", "date_identified": "2026-03-01T09:15",
        "lead_agency": "agency-gov", "team": ["group-north"], "focal_point": v2.colleague.ref,
        "registration_date": "2020-01-01",  # a disabled input: Django keeps the initial value
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(space=v2.space)
    assert case.data["date_identified"] == "2026-03-01T09:15"
    assert case.data["registration_date"] == "2026-03-02" and case.data["record_source"] == "system-import"
    assert case.data["focal_point"] == "colleague" and case.data["team"] == ["group-north"]


def test_invalid_text_shows_the_configured_message(client: Client, v2: V2World) -> None:
    response = logged(client, v2.worker).post(url(v2, "register"), {
        "name_first": "Am1na", "name_last": "Diallo", "sex": "F"})
    assert response.status_code == 400
    assert "Letters, spaces, hyphens and apostrophes only." in response.content.decode()


def test_case_page_leaves_out_hidden_fields_and_shows_separators(client: Client,
                                                                 v2: V2World) -> None:
    case = v2.case(focal_point=v2.colleague.ref, lead_agency="agency-unicef")
    page = logged(client, v2.worker).get(
        url(v2, "detail", display_id=case.display_id) + "?section=basic-identity").content.decode()
    assert 'data-field="record_source"' not in page and "system-import" not in page.split("<main")[-1]
    assert 'data-separator="identity_heading"' in page
    assert v2.colleague.name in page and "Children&#x27;s Fund" in page
    assert "2 Mar 2026 08:00" in page  # date with time, as the locale (CLDR en_GB) writes it


def test_edit_page_disables_read_only_fields(client: Client, v2: V2World) -> None:
    case = v2.case()
    page = logged(client, v2.worker).get(
        url(v2, "section", display_id=case.display_id, section="basic-identity")).content.decode()
    field = re.search(r'<input[^>]*name="registration_date"[^>]*>', page)
    assert field and "disabled" in field.group(0) and 'value="2026-03-02"' in field.group(0)
    assert "Read-only: set by the system." in page
    assert 'name="record_source"' not in page


def test_consent_panel_reads_a_yes_no_field(client: Client, v2: V2World) -> None:
    case = v2.case()
    s.consent_record(actor=v2.worker, case=case, consent_type="share_information", given=True)
    s.consent_record(actor=v2.worker, case=case, consent_type="services", given=False)
    page = logged(client, v2.worker).get(url(v2, "detail", display_id=case.display_id)).content.decode()
    assert 'data-consent="share_information" data-given="yes"' in page
    assert 'data-consent="services" data-given="no"' in page
    response = client.post(url(v2, "action", display_id=case.display_id, action="consent"), {
        "consent__share_information": "no"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.data["consent_share"] == "false"


def test_a_form_without_its_list_says_so_and_the_action_is_refused(client: Client,
                                                                   v2: V2World) -> None:
    case = v2.case()
    s.consent_record(actor=v2.worker, case=case, consent_type="share_information", given=True)
    page = logged(client, v2.worker).get(url(v2, "detail", display_id=case.display_id)).content.decode()
    dialog = page[page.index('id="dialog-refer"'):]
    dialog = dialog[:dialog.index("</form>")]
    assert 'name="reason"' not in dialog and 'name="service_type"' in dialog
    assert "This configuration has no referral reasons list (system lookup &#x27;referral_reason&#x27;)" \
        in dialog
    response = client.post(url(v2, "action", display_id=case.display_id, action="refer"), {
        "service_type": "family_tracing", "to_member": str(v2.provider.pk)})
    assert response.status_code == 400
    assert "system lookup &#x27;referral_reason&#x27;" in response.content.decode()


# API ---------------------------------------------------------------------------------------------


def test_api_never_returns_hidden_fields_and_refuses_read_only_changes(v2: V2World) -> None:
    api = APIClient()
    api.force_login(v2.worker.user)
    base = f"/api/v1/spaces/{v2.space.slug}/cases/"
    created = api.post(base, {"data": identity()}, format="json")
    assert created.status_code == 201, created.content
    data = created.json()["data"]
    assert "record_source" not in data and data["registration_date"] == "2026-03-02"
    display_id = created.json()["display_id"]
    events = api.get(f"{base}{display_id}/events/").json()["results"]
    assert all("data.record_source" not in e["changes"] for e in events)
    refused = api.patch(f"{base}{display_id}/sections/basic-identity/",
                        {"data": {"registration_date": "2026-01-01"}}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["details"]["fields"]["registration_date"] == [
        "Registration date is read-only."]
    hidden = api.patch(f"{base}{display_id}/sections/basic-identity/",
                       {"data": {"record_source": "x"}}, format="json")
    assert hidden.status_code == 400
    assert hidden.json()["error"]["details"]["fields"]["record_source"] == [
        "Record source cannot be set by users."]


def test_configuration_api_describes_format_2(v2: V2World) -> None:
    api = APIClient()
    api.force_login(v2.worker.user)
    forms = api.get("/api/v1/config/v2-test/forms/").json()
    sections = forms if isinstance(forms, list) else forms["results"]
    identity_form = next(sec for sec in sections if sec["code"] == "basic-identity")
    fields = {f["code"]: f for f in identity_form["fields"]}
    assert fields["record_source"]["hidden"] and fields["registration_date"]["readonly"]
    assert fields["registration_date"]["default"] == "today"
    assert fields["name_first"]["validation"]["min_length"] == 2
    assert fields["focal_point"]["options_from"] == "users"
    bundle = api.get("/api/v1/config/v2-test/").json()
    groups = {g["code"]: g for g in bundle["user_groups"]}
    assert groups["group-north"]["agencies"] == ["agency-gov", "agency-unicef"]
    assert groups["group-none"]["agency"] is None and groups["group-v1"]["agencies"] == ["agency-gov"]
    agencies = {a["code"]: a for a in bundle["agencies"]}
    assert agencies["agency-unicef"]["type"] == "" and agencies["agency-unicef"]["short_name"]
    policy = bundle["modules"][0]["policy"]
    assert policy["consent_given"] == {"services": True, "share_information": "true"}
