"""Tracing records are part of the space: purging a space (as a reset does) removes them,
and a captured space holds them."""

from __future__ import annotations

import pickle

from sandbox.simulation import snapshot
from sandbox.tracing import services as s
from sandbox.tracing.models import RequestView, Trace, TracingMatch, TracingRequest

from .conftest import World, request_data
from .test_services import misspelt_case


def test_purge_and_capture_include_tracing(world: World) -> None:
    misspelt_case(world)
    request = s.tracing_request_create(actor=world.worker, data=request_data())
    s.trace_record(actor=world.worker, request=request, date="2026-03-01", trace_type="visit",
                   outcome="lead")
    s.match_search(actor=world.worker, request=request)
    RequestView.record(world.worker, request)
    rows = pickle.loads(snapshot.capture(world.space))["rows"]
    for model in (TracingRequest, Trace, TracingMatch, RequestView):
        assert len(rows[model._meta.label]) == 1, model
    snapshot.purge(world.space)
    for model in (TracingRequest, Trace, TracingMatch, RequestView):
        assert not model.objects.filter(space=world.space).exists(), model
