"""The incident record in the API: codes and dates, never free text or names."""

from __future__ import annotations

from rest_framework import serializers

from ..vocabulary import GbvType, IncidentContext, PerpetratorRelationship, ServiceArea


class IncidentSerializer(serializers.Serializer):
    display_id = serializers.CharField()
    case = serializers.CharField(source="case.display_id")
    incident_date = serializers.DateField()
    location = serializers.CharField()
    acts = serializers.ListField(child=serializers.ChoiceField(GbvType.choices))
    gbv_type = serializers.ChoiceField(GbvType.choices)
    perpetrator_relationship = serializers.ChoiceField(PerpetratorRelationship.choices)
    context = serializers.ListField(child=serializers.ChoiceField(IncidentContext.choices))
    services_provided = serializers.ListField(child=serializers.ChoiceField(ServiceArea.choices))
    referred_to = serializers.ListField(child=serializers.ChoiceField(ServiceArea.choices))
    survivor_age = serializers.IntegerField(allow_null=True)
    survivor_sex = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class IncidentBodySerializer(serializers.Serializer):
    """An incident's values; on create, the area and referrals default to the case's."""

    incident_date = serializers.DateField(required=False)
    location = serializers.CharField(required=False)
    acts = serializers.ListField(child=serializers.CharField(), required=False)
    perpetrator_relationship = serializers.CharField(required=False)
    context = serializers.ListField(child=serializers.CharField(), required=False)
    services_provided = serializers.ListField(child=serializers.CharField(), required=False)
    referred_to = serializers.ListField(child=serializers.CharField(), required=False)


class RecorderRowSerializer(serializers.Serializer):
    """One incident, de-identified: the Incident Recorder's columns."""

    incident_id = serializers.CharField()
    reported_month = serializers.CharField()
    incident_month = serializers.CharField()
    area = serializers.CharField()
    gbv_type = serializers.CharField()
    acts = serializers.CharField()
    age_group = serializers.CharField()
    sex = serializers.CharField()
    perpetrator_relationship = serializers.CharField()
    context = serializers.CharField()
    services_provided = serializers.CharField()
    referred_to = serializers.CharField()


class StatisticsMonthSerializer(serializers.Serializer):
    """A month's counts per dimension; null where a count is suppressed."""

    month = serializers.CharField()
    total = serializers.IntegerField(allow_null=True)
    tables = serializers.DictField(child=serializers.DictField(
        child=serializers.IntegerField(allow_null=True)))
