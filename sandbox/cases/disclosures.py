"""What a referral may share about the child: a fixed vocabulary, the same on every bundle.

A plain module (no models), so that the scenario checks can name the values
without loading the case system.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Disclosure(models.TextChoices):
    """What a referral may share about the child: the information, by kind."""

    IDENTITY = "identity", _("Identity (name, age, sex)")
    CONTACT = "contact", _("Contact details and whereabouts")
    FAMILY = "family", _("Family and caregivers")
    CONCERNS = "concerns", _("Protection concerns")
    ASSESSMENT = "assessment", _("Assessment findings")
    CASE_PLAN = "case_plan", _("Case plan")
    HEALTH = "health", _("Health information")
    INCIDENT = "incident", _("Account of the incident")


#: What a referral shares when nobody chose: what the recipient needs to act, no more.
DEFAULT_DISCLOSED = (Disclosure.IDENTITY, Disclosure.CONTACT, Disclosure.CONCERNS)
