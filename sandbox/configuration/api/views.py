"""Read-only configuration endpoints, for any signed-in user.

They read the runtime configuration (`get_config`), the same in-memory copy the
case system validates against, so a client sees exactly the forms, lookups,
places and roles the services apply.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sandbox.common.errors import NotFound, ValidationFailed
from sandbox.configuration.models import Bundle
from sandbox.configuration.runtime import BundleConfig, get_config

from . import serializers as s
from .shared import AUTHENTICATION_CLASSES, RENDERER_CLASSES, errors

TAGS = ["configuration"]


def bundle_config(code: str) -> BundleConfig:
    try:
        return get_config(code)
    except Bundle.DoesNotExist:
        raise NotFound(_("No such configuration bundle.")) from None


class ConfigView(APIView):
    authentication_classes = AUTHENTICATION_CLASSES
    renderer_classes = RENDERER_CLASSES


class BundleView(ConfigView):
    @extend_schema(operation_id="config_bundle", tags=TAGS,
                   summary="The bundle: languages, admin levels, modules with their policy, "
                           "agencies and user groups.",
                   responses={200: s.BundleSerializer, **errors(401, 404)})
    def get(self, request: Request, bundle: str) -> Response:
        return Response(s.BundleSerializer(bundle_config(bundle)).data)


class FormsView(ConfigView):
    @extend_schema(operation_id="config_forms", tags=TAGS,
                   summary="The form sections, in SOP step order, with their fields; then "
                           "the tracing request's sections (record_type tracing_request).",
                   parameters=[OpenApiParameter("module", OpenApiTypes.STR,
                                                description="Only the sections of this module.")],
                   responses={200: s.SectionSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, bundle: str) -> Response:
        config = bundle_config(bundle)
        module = request.query_params.get("module", "")
        sections = [section for code, m in config.modules.items() if not module or code == module
                    for section in (*m.sections, *m.tracing_sections)]
        return Response(s.SectionSerializer(sections, many=True).data)


class LookupsView(ConfigView):
    @extend_schema(operation_id="config_lookups", tags=TAGS,
                   summary="The lookups (translated option lists), by code.",
                   responses={200: s.LookupSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, bundle: str) -> Response:
        config = bundle_config(bundle)
        lookups = [config.lookups[code] for code in sorted(config.lookups)]
        return Response(s.LookupSerializer(lookups, many=True).data)


class LocationsView(ConfigView):
    @extend_schema(operation_id="config_locations", tags=TAGS,
                   summary="The places of the location hierarchy, country first.",
                   parameters=[
                       OpenApiParameter("level", OpenApiTypes.INT,
                                        description="Only the places of this admin level."),
                       OpenApiParameter("parent", OpenApiTypes.STR,
                                        description="Only the places directly under this one."),
                   ],
                   responses={200: s.LocationSerializer(many=True), **errors(400, 401, 404)})
    def get(self, request: Request, bundle: str) -> Response:
        config = bundle_config(bundle)
        places = sorted(config.locations.values(), key=lambda place: place.path)
        level = request.query_params.get("level", "")
        if level:
            if not level.isdigit():
                raise ValidationFailed(_("The level is a whole number."),
                                       details={"fields": {"level": [_("Enter a whole number.")]}})
            places = [place for place in places if place.admin_level == int(level)]
        parent = request.query_params.get("parent", "")
        if parent:
            places = [place for place in places if place.parent == parent]
        return Response(s.LocationSerializer(places, many=True).data)


class RolesView(ConfigView):
    @extend_schema(operation_id="config_roles", tags=TAGS,
                   summary="The roles: scope, permitted actions and access to each form section.",
                   responses={200: s.RoleSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, bundle: str) -> Response:
        config = bundle_config(bundle)
        roles = [config.roles[code] for code in sorted(config.roles)]
        return Response(s.RoleSerializer(roles, many=True).data)
