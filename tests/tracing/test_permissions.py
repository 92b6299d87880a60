"""Who may act on a tracing request: the role's permissions and its scope, as for cases;
and nobody reads another space's tracing requests."""

from __future__ import annotations

import pytest
from django.http import Http404

from sandbox.common.errors import NotAllowed, NotFound
from sandbox.tracing import selectors as sel
from sandbox.tracing import services as s
from tests.factories import MemberFactory, SpaceFactory

from .conftest import World, request_data


def test_a_role_without_the_permission_cannot_register(world: World) -> None:
    for member in (world.provider, world.admin):
        with pytest.raises(NotAllowed) as caught:
            s.tracing_request_create(actor=member, data=request_data())
        assert caught.value.code == "forbidden_by_role"


def test_scope_own_group_agency(world: World) -> None:
    request = s.tracing_request_create(actor=world.worker, data=request_data())
    # Another case worker (own scope) may not touch it, even in the same group.
    for member in (world.colleague, world.outsider):
        with pytest.raises(NotAllowed) as caught:
            s.trace_record(actor=member, request=request, date="2026-03-01", trace_type="visit",
                           outcome="lead")
        assert caught.value.code == "forbidden_by_scope"
        with pytest.raises(NotAllowed):
            s.match_search(actor=member, request=request)
        assert not sel.request_list(viewer=member).exists()
        with pytest.raises(Http404):
            sel.request_get(viewer=member, display_id=request.display_id)
    # The supervisor of the group may; the service provider sees nothing.
    s.tracing_request_update(actor=world.supervisor, request=request, data={"age_to": 13})
    assert list(sel.request_list(viewer=world.supervisor)) == [request]
    assert sel.request_get(viewer=world.worker, display_id=request.display_id) == request
    assert not sel.request_list(viewer=world.provider).exists()


def test_a_manager_of_the_agency_reads_but_does_not_act(world: World) -> None:
    manager = MemberFactory(space=world.space, role="manager", agency=world.worker.agency,
                            user_groups=[])
    request = s.tracing_request_create(actor=world.worker, data=request_data())
    assert list(sel.request_list(viewer=manager)) == [request]
    with pytest.raises(NotAllowed):
        s.match_search(actor=manager, request=request)


def test_another_space_is_out_of_reach(world: World) -> None:
    request = s.tracing_request_create(actor=world.worker, data=request_data())
    elsewhere = MemberFactory(space=SpaceFactory(), role="administrator", user_groups=[])
    stranger = MemberFactory(space=elsewhere.space, role="supervisor", user_groups=["dsw_north"])
    assert not sel.request_list(viewer=stranger).exists()
    with pytest.raises(Http404):
        sel.request_get(viewer=stranger, display_id=request.display_id)
    with pytest.raises(NotFound):
        s.trace_record(actor=stranger, request=request, date="2026-03-01", trace_type="visit",
                       outcome="lead")
    with pytest.raises(NotFound):
        s.tracing_request_update(actor=stranger, request=request, data={"age_to": 13})
