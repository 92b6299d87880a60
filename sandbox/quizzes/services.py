"""What trainers and trainees do with knowledge checks: assign one, open or close it, take it."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from sandbox.accounts.models import User
from sandbox.common.errors import Conflict, NotAllowed, ValidationFailed
from sandbox.workshops.models import Enrolment, Workshop

from .load import find_quiz
from .models import QuizAssignment, QuizResponse
from .schema import Quiz
from .scoring import mark


def can_manage(user: User, workshop: Workshop) -> bool:
    return user.is_administrator or workshop.trainer_id == user.pk


@transaction.atomic
def quiz_assign(*, by: User, workshop: Workshop, quiz_id: str, kind: str) -> QuizAssignment:
    """Give a quiz to the workshop as its pre-test or post-test (one of each)."""
    if not can_manage(by, workshop):
        raise NotAllowed(_("Only the workshop's trainer can assign knowledge checks."))
    if kind not in QuizAssignment.Kind.values:
        raise ValidationFailed(_("Choose pre-test or post-test."))
    if find_quiz(quiz_id) is None:
        raise ValidationFailed(_("No valid quiz has the id %(id)s.") % {"id": quiz_id})
    if QuizAssignment.objects.filter(workshop=workshop, kind=kind).exists():
        raise Conflict(_("This workshop already has a pre-test.") if kind == QuizAssignment.Kind.PRE
                       else _("This workshop already has a post-test."))
    return QuizAssignment.objects.create(workshop=workshop, quiz_id=quiz_id, kind=kind,
                                         assigned_by=by)


@transaction.atomic
def quiz_open(*, by: User, assignment: QuizAssignment, is_open: bool) -> QuizAssignment:
    if not can_manage(by, assignment.workshop):
        raise NotAllowed(_("Only the workshop's trainer can open or close a knowledge check."))
    assignment.is_open = is_open
    assignment.save(update_fields=["is_open"])
    return assignment


@transaction.atomic
def quiz_submit(*, user: User, assignment: QuizAssignment, quiz: Quiz,
                answers: dict[str, Any]) -> QuizResponse:
    """Score and keep a trainee's answers. Each trainee takes each check once: the
    comparison of pre and post means nothing if the pre-test can be retaken."""
    enrolment = Enrolment.objects.filter(workshop=assignment.workshop, user=user).first()
    if enrolment is None:
        raise NotAllowed(_("You are not a trainee of this workshop."))
    if not assignment.is_open:
        raise Conflict(_("This knowledge check is closed."))
    blank = [q.id for q in quiz.questions if answers.get(q.id) is None]
    if blank:
        raise ValidationFailed(_("Answer every question before submitting."),
                               details={"blank": blank})
    marked = mark(quiz, answers)
    try:
        with transaction.atomic():
            return QuizResponse.objects.create(
                assignment=assignment, enrolment=enrolment,
                answers={q.id: answers.get(q.id) for q in quiz.questions},
                correct=sum(m.right for m in marked), total=len(marked),
                quiz_version=quiz.version, language=translation.get_language() or "en")
    except IntegrityError:
        raise Conflict(_("You have already taken this knowledge check.")) from None
