"""The tracing API: each action through its endpoint, the error shape, the access log of
API views, and isolation: every URL of the tracing API, tried by another space's member or
another case worker, answers 404 without the inquirer's name."""

from __future__ import annotations

from rest_framework.test import APIClient

from sandbox.cases import services as cs
from sandbox.tracing.api.urls import urlpatterns
from sandbox.tracing.models import MatchStatus, RequestView, TracingMatch, TracingRequest
from tests.factories import MemberFactory, SpaceFactory

from .conftest import World, request_data
from .test_services import misspelt_case


def api(member) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(member.user)
    return client


def base(world: World) -> str:
    return f"/api/v1/spaces/{world.space.slug}/tracing-requests/"


def test_the_whole_path_through_the_api(world: World) -> None:
    case = misspelt_case(world)
    client = api(world.worker)
    answer = client.post(base(world), {**request_data(), "age_from": 14}, format="json")
    assert answer.status_code == 400 and "age_to" in answer.json()["error"]["details"]["fields"]
    answer = client.post(base(world), request_data(), format="json")
    assert answer.status_code == 201, answer.json()
    tracing = base(world) + answer.json()["display_id"] + "/"
    assert client.patch(tracing, {"age_to": 13}, format="json").json()["age_to"] == 13
    answer = client.post(tracing + "traces/", {"date": "2026-03-01", "trace_type": "phone",
                                               "outcome": "lead"}, format="json")
    assert answer.status_code == 201 and len(answer.json()["traces"]) == 1
    matches = client.post(tracing + "matches/search/").json()["matches"]
    assert matches[0]["case"] == case.display_id
    assert ["sex", {}] in matches[0]["reasons"]
    match = f"{tracing}matches/{matches[0]['id']}/"
    answer = client.post(match + "confirm/", {"reason": "Same scar."}, format="json")
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "consent_required"
    cs.consent_record(actor=world.colleague, case=case, consent_type="tracing", given=True,
                      given_by="both")
    assert client.post(match + "confirm/", {"reason": "Same scar."}, format="json").status_code == 200
    assert client.post(match + "verify/", {"note": "They knew each other."},
                       format="json").status_code == 200
    answer = client.post(match + "reunify/", {"outcome": "interim_care", "date": "2026-03-02",
                                              "note": "With a foster family until the aunt moves."},
                         format="json")
    assert answer.status_code == 200 and answer.json()["status"] == MatchStatus.CLOSED
    assert client.get(tracing).status_code == 200
    assert RequestView.objects.filter(viewer=world.worker, via="api").count() == 1
    assert [r["display_id"] for r in client.get(base(world)).json()] == ["TR-0001"]


def test_roles_and_scope(world: World) -> None:
    api(world.worker).post(base(world), request_data(), format="json")
    tracing = base(world) + "TR-0001/"
    assert api(world.provider).get(base(world)).status_code == 403
    assert api(world.provider).get(tracing).status_code == 403
    assert api(world.admin).post(base(world), request_data(), format="json").status_code == 403
    assert api(world.colleague).get(base(world)).json() == []
    assert api(world.supervisor).get(tracing).status_code == 200
    assert APIClient().get(base(world)).status_code in (401, 403)


def every_url(prefix: str, display_id: str, match_id: int) -> list[str]:
    urls = []
    for pattern in urlpatterns:
        route = str(pattern.pattern).replace("<slug:slug>", prefix).replace(
            "<str:display_id>", display_id).replace("<int:id>", str(match_id))
        urls.append("/api/v1/" + route)
    return urls


def test_nothing_reaches_another_member_or_space(world: World) -> None:
    misspelt_case(world)
    api(world.worker).post(base(world), request_data(), format="json")
    api(world.worker).post(base(world) + "TR-0001/matches/search/")
    match = TracingMatch.objects.filter(space=world.space).first()
    assert match is not None
    other = MemberFactory(space=SpaceFactory(), role="supervisor", user_groups=["dsw_north"])
    TracingRequestOfTheirs = TracingRequest.objects.filter(space=world.space).count()
    for member, slug in ((other, other.space.slug), (other, world.space.slug),
                         (world.outsider, world.space.slug), (world.colleague, world.space.slug)):
        for url in every_url(slug, "TR-0001", match.pk):
            if url.endswith("tracing-requests/"):
                answer = api(member).get(url)
                assert answer.status_code in (200, 404), url
                assert "Halima" not in answer.content.decode(), url
                continue
            for method in ("get", "post", "patch"):
                answer = getattr(api(member), method)(url, {}, format="json")
                assert answer.status_code in (404, 405), (member, url, method, answer.status_code)
                assert "Halima" not in answer.content.decode()
    assert TracingRequest.objects.filter(space=world.space).count() == TracingRequestOfTheirs
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED
