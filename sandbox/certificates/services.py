"""What trainers do with certificates: set the criteria, issue, revoke."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sandbox.accounts.models import User
from sandbox.common.errors import Conflict, NotAllowed, ValidationFailed
from sandbox.workshops.models import Workshop

from .models import Certificate, Criteria
from .selectors import standings


def _check(by: User, workshop: Workshop) -> None:
    if not (by.is_administrator or workshop.trainer_id == by.pk):
        raise NotAllowed(_("Only the workshop's trainer can manage its certificates."))


@transaction.atomic
def criteria_set(*, by: User, workshop: Workshop, min_days_present: int, min_exercises_joined: int,
                 min_exercises_passed: int, min_post_test_percent: int) -> Criteria:
    _check(by, workshop)
    if min_post_test_percent > 100:
        raise ValidationFailed(_("A score is at most 100%."))
    criteria, _created = Criteria.objects.update_or_create(workshop=workshop, defaults={
        "min_days_present": min_days_present,
        "min_exercises_joined": min_exercises_joined,
        "min_exercises_passed": min_exercises_passed,
        "min_post_test_percent": min_post_test_percent})
    return criteria


@transaction.atomic
def certificates_issue(*, by: User, workshop: Workshop, enrolment_ids: list[int] | None = None,
                       on_progress: Callable[[int, int], None] | None = None) -> list[Certificate]:
    """Issue a certificate to each chosen trainee (all who meet the criteria by default)
    who has none yet. Nothing is issued if one chosen trainee does not meet them."""
    _check(by, workshop)
    Workshop.objects.select_for_update().filter(pk=workshop.pk).first()  # one issuing at a time
    rows = standings(workshop)
    if enrolment_ids is not None:
        chosen = [r for r in rows if r.enrolment.pk in set(enrolment_ids)]
        short = [r.enrolment.user.display_name for r in chosen if not r.meets]
        if short:
            raise ValidationFailed(_("These trainees do not meet the criteria: %(names)s.")
                                   % {"names": ", ".join(short)})
    else:
        chosen = [r for r in rows if r.meets]
    issued = []
    for n, row in enumerate(chosen, start=1):
        if on_progress is not None:
            on_progress(n, len(chosen))
        if row.certificate is not None:
            continue
        issued.append(Certificate.objects.create(
            workshop=workshop, enrolment=row.enrolment,
            holder_name=row.enrolment.user.display_name, workshop_title=workshop.title,
            starts_on=workshop.starts_on, ends_on=workshop.ends_on,
            issuer_name=workshop.trainer.display_name, language=workshop.language, issued_by=by))
    return issued


@transaction.atomic
def certificate_revoke(*, by: User, certificate: Certificate) -> Certificate:
    """Revoke a certificate: the public check then shows it as revoked."""
    _check(by, certificate.workshop)
    if certificate.revoked_at is not None:
        raise Conflict(_("This certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["revoked_at"])
    return certificate
