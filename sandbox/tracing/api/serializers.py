"""What the tracing API reads and answers."""

from __future__ import annotations

from rest_framework import serializers

from ..models import CareOutcome, Trace, TraceOutcome, TraceType, TracingMatch, TracingRequest

REQUEST_FIELDS = ["inquirer_name", "inquirer_relationship", "inquirer_contact", "name_first",
                  "name_last", "other_names", "sex", "age_from", "age_to", "description",
                  "separation_date", "separation_place", "circumstances", "data"]
DATA_HELP = ("The values of the configuration's tracing request sections (record_type: "
             "tracing_request): field id -> value, stored as a case's form data is. Checked "
             "against the configuration on every write; unknown fields are refused.")


class TraceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trace
        fields = ["id", "date", "trace_type", "place", "outcome", "note", "created_at"]


class MatchSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.display_id", help_text="The case ID.")
    case_name = serializers.CharField(source="case.full_name")
    reasons = serializers.JSONField(help_text="Why the case may be the child: [[reason, details]], "
                                              "reason one of same, nickname, sound, consonants, "
                                              "spelling, sex, age, place, date.")

    class Meta:
        model = TracingMatch
        fields = ["id", "case", "case_name", "score", "reasons", "status", "decision_reason",
                  "consent_override_reason", "decided_at", "verification_note", "verified_at",
                  "outcome", "outcome_date", "outcome_note"]


class RequestSummarySerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.name", default="")
    data = serializers.DictField(read_only=True, help_text=DATA_HELP)

    class Meta:
        model = TracingRequest
        fields = ["display_id", "status", "owner", *REQUEST_FIELDS, "created_at", "updated_at"]
        # Read here (RequestBody writes them, 0 to 25): no limit taken from the database's
        # integer ranges, which differ between SQLite and PostgreSQL.
        extra_kwargs = {"age_from": {"read_only": True}, "age_to": {"read_only": True}}


class RequestDetailSerializer(RequestSummarySerializer):
    traces = TraceSerializer(many=True, read_only=True)
    matches = MatchSerializer(many=True, read_only=True)

    class Meta(RequestSummarySerializer.Meta):
        fields = [*RequestSummarySerializer.Meta.fields, "traces", "matches"]


class RequestBody(serializers.Serializer):
    """A tracing request's fields; the service checks them against the configuration."""

    inquirer_name = serializers.CharField(max_length=200)
    inquirer_relationship = serializers.CharField(max_length=100)
    inquirer_contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_first = serializers.CharField(max_length=120, required=False, allow_blank=True)
    name_last = serializers.CharField(max_length=120, required=False, allow_blank=True)
    other_names = serializers.CharField(max_length=200, required=False, allow_blank=True)
    sex = serializers.CharField(required=False, allow_blank=True,
                                help_text="An option of the sex lookup.")
    age_from = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=25)
    age_to = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=25)
    description = serializers.CharField(required=False, allow_blank=True)
    separation_date = serializers.DateField(required=False, allow_null=True)
    separation_place = serializers.CharField(required=False, allow_blank=True,
                                             help_text="A location code.")
    circumstances = serializers.CharField(required=False, allow_blank=True)
    data = serializers.DictField(required=False, help_text=DATA_HELP + " On a PATCH, the "
                                 "fields not given keep their values.")


class TraceBody(serializers.Serializer):
    date = serializers.DateField()
    trace_type = serializers.ChoiceField(choices=TraceType.choices)
    outcome = serializers.ChoiceField(choices=TraceOutcome.choices)
    place = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionBody(serializers.Serializer):
    reason = serializers.CharField()
    consent_override_reason = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="To confirm without the case's consent for tracing (roles with consent.override).")


class NoteBody(serializers.Serializer):
    note = serializers.CharField()


class ReunificationBody(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CareOutcome.choices)
    date = serializers.DateField()
    note = serializers.CharField(help_text="The plan and its follow-up.")
