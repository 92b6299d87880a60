"""Who sees the outbox and the partners, on the pages and in the API.

The case system's world (tests/cases/conftest.py): the case worker and the supervisor
refer cases and see the outbox; the service provider does not refer (403); a trainee of
another space is not a member (404, as for a space that does not exist); anonymous
visitors are sent to log in (pages) or answered 401/403 (API). Nobody sees a secret.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sandbox.interop.models import OutboxMessage, OutboxStatus, Partner
from tests.cases.conftest import World
from tests.factories import MemberFactory, SpaceFactory

from .conftest import SECRET
from .test_exchange import amina, refer


@pytest.fixture
def stored(world: World, partner: Partner, django_capture_on_commit_callbacks: Any) -> OutboxMessage:
    """A referral whose partner is down: pending in the outbox."""
    with django_capture_on_commit_callbacks(execute=True):
        refer(world, amina(world), ["identity", "concerns"])
    return OutboxMessage.objects.get()


@pytest.fixture
def stranger(world: World) -> Any:
    """A case worker of another trainee's space."""
    return MemberFactory(space=SpaceFactory(), role="caseworker").user


@pytest.mark.django_db
def test_the_case_worker_sees_the_outbox_page_and_retries(client: Client, world: World,
                                                          stored: OutboxMessage) -> None:
    client.force_login(world.worker.user)
    page = client.get(reverse("interop:outbox", kwargs={"space": world.space.slug}))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-message="{stored.pk}" data-status="pending"' in html
    assert "unreachable" in html and "CFI case tool" in html and SECRET not in html
    retry = client.post(reverse("interop:outbox_retry", kwargs={"space": world.space.slug, "pk": stored.pk}))
    assert retry.status_code == 302
    stored.refresh_from_db()
    assert stored.tries == 2 and stored.status == OutboxStatus.PENDING


@pytest.mark.django_db
def test_who_may_not_see_the_outbox_page(client: Client, world: World, stored: OutboxMessage,
                                         stranger: Any) -> None:
    page = reverse("interop:outbox", kwargs={"space": world.space.slug})
    retry = reverse("interop:outbox_retry", kwargs={"space": world.space.slug, "pk": stored.pk})
    anonymous = client.get(page)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client.force_login(world.provider.user)
    assert client.get(page).status_code == 403
    assert client.post(retry).status_code == 403
    client.force_login(stranger)
    assert client.get(page).status_code == 404
    assert client.post(retry).status_code == 404
    # Nor through the stranger's own space: the message is not in it.
    own = stranger.memberships.get().space.slug
    elsewhere = reverse("interop:outbox_retry", kwargs={"space": own, "pk": stored.pk})
    assert client.post(elsewhere).status_code == 404
    stored.refresh_from_db()
    assert stored.tries == 1


@pytest.mark.django_db
def test_the_outbox_lists_only_cases_the_member_sees(client: Client, world: World,
                                                     stored: OutboxMessage) -> None:
    client.force_login(world.outsider.user)  # a case worker of another agency, same space
    html = client.get(reverse("interop:outbox", kwargs={"space": world.space.slug})).content.decode()
    assert f'data-message="{stored.pk}"' not in html and 'id="outbox-empty"' in html


@pytest.mark.django_db
def test_the_api_of_the_outbox_and_partners(world: World, stored: OutboxMessage, stranger: Any) -> None:
    api = APIClient()
    slug = world.space.slug
    outbox = reverse("api-outbox", kwargs={"slug": slug})
    partners = reverse("api-partners", kwargs={"slug": slug})
    retry = reverse("api-outbox-retry", kwargs={"slug": slug, "pk": stored.pk})
    assert api.get(outbox).status_code in (401, 403)
    api.force_authenticate(world.supervisor.user)
    rows = api.get(outbox).json()
    assert [(r["id"], r["partner"], r["status"], r["tries"]) for r in rows] == [
        (stored.pk, "cfi-tool", "pending", 1)]
    assert rows[0]["last_error"].startswith("unreachable")
    listed = api.get(partners)
    assert listed.status_code == 200 and listed.json()[0]["code"] == "cfi-tool"
    assert SECRET not in listed.content.decode() and "secret" not in listed.json()[0]
    answered = api.post(retry)
    assert answered.status_code == 200 and answered.json()["tries"] == 2
    api.force_authenticate(world.provider.user)
    for url in (outbox, partners):
        assert api.get(url).json()["error"]["code"] == "forbidden_by_role"
    assert api.post(retry).status_code == 403
    api.force_authenticate(stranger)
    for url in (outbox, partners):
        assert api.get(url).status_code == 404
    assert api.post(retry).status_code == 404
    stored.refresh_from_db()
    assert stored.tries == 2


@pytest.mark.django_db
def test_the_administration_lists_partners_and_messages(client: Client, administrator: Any,
                                                        stored: OutboxMessage) -> None:
    client.force_login(administrator)
    for model in ("partner", "outboxmessage", "inboxmessage"):
        assert client.get(f"/admin/interop/{model}/").status_code == 200
    assert "CFI case tool" in client.get("/admin/interop/partner/").content.decode()
    assert client.get(f"/admin/interop/outboxmessage/{stored.pk}/change/").status_code == 200


@pytest.mark.django_db
def test_the_outbox_page_reads_a_constant_number_of_queries(
        client: Client, world: World, stored: OutboxMessage, django_capture_on_commit_callbacks: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.worker.user)
    url = reverse("interop:outbox", kwargs={"space": world.space.slug})
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        for _i in range(3):
            refer(world, amina(world), ["concerns"])
    with CaptureQueriesContext(connection) as four:
        page = client.get(url)
    assert page.content.decode().count("data-message=") == 4
    assert len(four.captured_queries) == len(one.captured_queries)
