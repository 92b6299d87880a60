"""The GBVIMS vocabulary of the incident record: fixed by the inter-agency GBV
Classification Tool, the same on every bundle (so that incident data compare across
agencies), and translated through the interface catalogues.

A plain module (no models), so that the scorer and the scenario checks can name the
values without loading the case system.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class GbvType(models.TextChoices):
    """The six GBVIMS core types, in the order the classification rule reads them."""

    RAPE = "rape", _("Rape")
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")
    PHYSICAL_ASSAULT = "physical_assault", _("Physical assault")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    DENIAL_OF_RESOURCES = "denial_of_resources", _("Denial of resources, opportunities or services")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological or emotional abuse")


class PerpetratorRelationship(models.TextChoices):
    """The alleged perpetrator's relationship to the survivor (never a name)."""

    INTIMATE_PARTNER = "intimate_partner", _("Intimate partner or former partner")
    PRIMARY_CAREGIVER = "primary_caregiver", _("Primary caregiver")
    FAMILY_OTHER = "family_other", _("Family other than spouse or caregiver")
    SUPERVISOR_EMPLOYER = "supervisor_employer", _("Supervisor or employer")
    TEACHER = "teacher", _("Teacher or school official")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    FAMILY_FRIEND_NEIGHBOUR = "family_friend_neighbour", _("Family friend or neighbour")
    COMMUNITY_MEMBER = "community_member", _("Other community member")
    NO_RELATION = "no_relation", _("No relation")
    UNKNOWN = "unknown", _("Unknown")


class IncidentContext(models.TextChoices):
    """The context of the incident, as GBVIMS records it (any that apply)."""

    INTIMATE_PARTNER_VIOLENCE = "intimate_partner_violence", _("Intimate partner violence")
    CHILD_SEXUAL_ABUSE = "child_sexual_abuse", _("Child sexual abuse")
    EARLY_MARRIAGE = "early_marriage", _("Early marriage")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Possible sexual exploitation")
    TRAFFICKING = "trafficking", _("Possible trafficking")
    NONE = "none", _("None of these")


class ServiceArea(models.TextChoices):
    """The services a survivor was offered, by provider type (the bundle's GBV providers)."""

    HEALTH = "health", _("Health")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL = "legal", _("Legal aid")
    SAFETY = "safety", _("Safety and safe shelter")


class AgeGroup(models.TextChoices):
    """The survivor's age group: the only age the de-identified data carry."""

    AGE_0_11 = "0-11", _("0 to 11")
    AGE_12_17 = "12-17", _("12 to 17")
    AGE_18_25 = "18-25", _("18 to 25")
    AGE_26_40 = "26-40", _("26 to 40")
    AGE_41_60 = "41-60", _("41 to 60")
    AGE_61 = "61+", _("61 and over")
    UNKNOWN = "unknown", _("Unknown")
