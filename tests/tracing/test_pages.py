"""The tracing pages: who may open them, the steps through forms, and isolation between
members and between spaces (the other space's tracing request answers 404, never its
inquirer's name)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sandbox.cases import services as cs
from sandbox.tracing import services as s
from sandbox.tracing.models import MatchStatus, RequestView, TracingMatch, TracingRequest
from tests.factories import MemberFactory, SpaceFactory

from .conftest import World, request_data
from .test_services import misspelt_case


def client_for(member) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(member.user)
    return client


def url(world: World, name: str, **kwargs: str) -> str:
    return reverse(f"tracing:{name}", kwargs={"space": world.space.slug, **kwargs})


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    request = s.tracing_request_create(actor=world.worker, data=request_data())
    for address in (url(world, "list"), url(world, "register"),
                    url(world, "detail", display_id=request.display_id)):
        answer = Client().get(address)
        assert answer.status_code == 302 and "login" in answer["Location"]


def test_register_list_and_detail_with_the_access_log(world: World) -> None:
    client = client_for(world.worker)
    answer = client.post(url(world, "register"), {**request_data(), "age_to": "9"})
    assert answer.status_code == 400
    assert not TracingRequest.objects.filter(space=world.space).exists()
    answer = client.post(url(world, "register"), request_data())
    assert answer.status_code == 302
    request = TracingRequest.objects.get(space=world.space)
    assert answer["Location"] == url(world, "detail", display_id=request.display_id)
    listing = client.get(url(world, "list"))
    assert listing.status_code == 200 and "Halima Diallo" in listing.content.decode()
    page = client.get(url(world, "detail", display_id=request.display_id))
    assert page.status_code == 200 and "Aminah Dialo" in page.content.decode()
    assert RequestView.objects.filter(tracing_request=request, viewer=world.worker).count() == 1


def test_the_steps_through_the_page(world: World) -> None:
    case = misspelt_case(world)
    cs.consent_record(actor=world.colleague, case=case, consent_type="tracing", given=True,
                      given_by="both")
    request = s.tracing_request_create(actor=world.worker, data=request_data())
    client = client_for(world.worker)

    def step(action: str, data: dict[str, str]) -> int:
        answer = client.post(url(world, "step", display_id=request.display_id, action=action), data)
        return answer.status_code

    assert step("trace", {"date": "2026-03-01", "trace_type": "visit", "outcome": "lead"}) == 302
    assert step("trace", {"date": "2026-03-01", "trace_type": "visit", "outcome": "maybe"}) == 400
    assert step("search", {}) == 302
    match = TracingMatch.objects.get(tracing_request=request, case=case)
    page = client.get(url(world, "detail", display_id=request.display_id)).content.decode()
    assert case.display_id in page and "same sex" in page
    prefix = f"m{match.pk}"
    assert step("confirm", {"match": str(match.pk), f"{prefix}-reason": ""}) == 400
    assert step("confirm", {"match": str(match.pk), f"{prefix}-reason": "Same scar."}) == 302
    assert step("verify", {"match": str(match.pk), f"{prefix}-note": "They recognised each other."}) == 302
    assert step("reunify", {"match": str(match.pk), f"{prefix}-outcome": "reunified",
                            f"{prefix}-date": "2026-03-02", f"{prefix}-note": "Visit in 2 weeks."}) == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.CLOSED
    assert step("dance", {}) == 404
    assert step("verify", {"match": "999999"}) == 404


def test_who_may_open_the_pages(world: World) -> None:
    request = s.tracing_request_create(actor=world.worker, data=request_data())
    detail = url(world, "detail", display_id=request.display_id)
    # A service provider's role has no tracing permission: 403 on every page.
    provider = client_for(world.provider)
    assert provider.get(url(world, "list")).status_code == 403
    assert provider.get(detail).status_code == 403
    # Another case worker (own scope), even of the same group: not found.
    for member in (world.colleague, world.outsider):
        answer = client_for(member).get(detail)
        assert answer.status_code == 404 and "Halima" not in answer.content.decode()
        answer = client_for(member).post(url(world, "step", display_id=request.display_id,
                                             action="search"))
        assert answer.status_code == 404
    assert client_for(world.supervisor).get(detail).status_code == 200
    # The administrator's role does not register tracing requests.
    assert client_for(world.admin).get(url(world, "register")).status_code == 403


def test_another_space_answers_404(world: World) -> None:
    request = s.tracing_request_create(actor=world.worker, data=request_data())
    other_space = SpaceFactory()
    other = MemberFactory(space=other_space, role="supervisor", user_groups=["dsw_north"])
    client = client_for(other)
    # The other space's request, asked for in one's own space...
    answer = client.get(reverse("tracing:detail", kwargs={"space": other_space.slug,
                                                           "display_id": request.display_id}))
    assert answer.status_code == 404 and "Halima" not in answer.content.decode()
    # ... and in its own space, where one is not a member.
    assert client.get(url(world, "detail", display_id=request.display_id)).status_code == 404
    assert client.get(url(world, "list")).status_code == 404


def test_the_list_costs_the_same_queries_for_one_request_or_many(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.worker)
    s.tracing_request_create(actor=world.worker, data=request_data())
    client.get(url(world, "list"))  # warm: the configuration in memory
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(world, "list")).status_code == 200
    for _ in range(4):
        s.tracing_request_create(actor=world.worker, data=request_data())
    with CaptureQueriesContext(connection) as five:
        assert client.get(url(world, "list")).status_code == 200
    assert len(five) == len(one)


@pytest.mark.django_db(transaction=True)
def test_a_request_a_reset_removed_after_it_was_read_is_no_error(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """As for cases: the trainer's reset removes the request between the read and the look;
    the page goes back to the list saying why, the API answers 409; nothing is written."""
    from django.contrib.messages import get_messages

    from sandbox.simulation import snapshot
    from sandbox.tracing import selectors as sel
    from sandbox.tracing import views

    request = s.tracing_request_create(actor=world.worker, data=request_data())
    read = sel.request_get

    def read_then_reset(**kwargs):  # type: ignore[no-untyped-def]
        found = read(**kwargs)
        snapshot.purge(world.space)  # what a reset removes first
        return found

    monkeypatch.setattr(views.sel, "request_get", read_then_reset)
    answer = client_for(world.worker).get(url(world, "detail", display_id=request.display_id))
    assert answer.status_code == 302 and answer["Location"] == url(world, "list")
    said = [str(m) for m in get_messages(answer.wsgi_request)]
    assert said and said[0].startswith("The space was reset while you were working")
    assert not RequestView.objects.exists()
