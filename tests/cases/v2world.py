"""A practice space on the format 2 test bundle (fixtures/bundle_v2), with a cast:
a case worker, a colleague, a manager who decides case plans only, a supervisor
who decides everything, and a service provider who reads identity only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sandbox.cases import services as s
from sandbox.cases.models import Case
from sandbox.configuration.bundle.load import load_bundle
from sandbox.configuration.models import Bundle
from sandbox.spaces.models import Member, Space
from tests.factories import MemberFactory, SpaceFactory

BUNDLE_V2 = Path(__file__).parent / "fixtures" / "bundle_v2"
#: The space's clock: Monday 2 March 2026, 08:00.
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def identity(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name_first": "Amina", "name_last": "Diallo", "sex": "F", "age": 11,
                            "location_current": "XX01", "risk_level": "high"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@dataclass
class V2World:
    space: Space
    worker: Member
    colleague: Member
    manager: Member      # decides case-plan approvals only, requests closures only
    supervisor: Member   # decides and requests every kind
    provider: Member     # reads "basic-identity" only

    def case(self, **overrides: Any) -> Case:
        return s.case_register(actor=self.worker, data=identity(**overrides))


def v2_bundle() -> Bundle:
    return Bundle.objects.filter(code="v2-test").first() or load_bundle(BUNDLE_V2)


def make_world(slug: str | None = None) -> V2World:
    bundle = v2_bundle()
    extra = {"slug": slug} if slug else {}
    space = SpaceFactory(bundle=bundle, module="primero-cp", clock=NOW, **extra)

    def member(role: str, agency: str = "agency-gov", groups: tuple[str, ...] = ("group-north",),
               ref: str = "") -> Member:
        return MemberFactory(space=space, role=role, agency=agency, user_groups=list(groups), ref=ref)

    return V2World(
        space=space,
        worker=member("role-cp-case-worker", ref="worker"),
        colleague=member("role-cp-case-worker", ref="colleague"),
        manager=member("role-plan-manager", ref="manager"),
        supervisor=member("role-supervisor", ref="supervisor"),
        provider=member("role-provider", agency="agency-unicef", groups=(), ref="provider"),
    )


@pytest.fixture
def v2(db: object) -> V2World:
    return make_world()
