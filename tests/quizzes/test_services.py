"""Assigning, taking and comparing knowledge checks."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from sandbox.common.errors import Conflict, NotAllowed, ValidationFailed
from sandbox.quizzes import selectors, services
from sandbox.quizzes.load import find_quiz
from sandbox.quizzes.models import QuizAssignment
from sandbox.quizzes.schema import Quiz
from sandbox.quizzes.scoring import mark
from tests.workshops.conftest import Cast

pytestmark = pytest.mark.django_db

QUIZ = "sop-pre-post"


def answers(quiz: Quiz, right: int) -> dict[str, object]:
    """The first `right` questions answered rightly, the rest wrongly."""
    given: dict[str, object] = {}
    for index, question in enumerate(quiz.questions):
        if index < right:
            given[question.id] = question.answer
        elif question.kind == "true_false":
            given[question.id] = not question.answer
        else:
            given[question.id] = next(o.id for o in question.options if o.id != question.answer)
    return given


def test_marking_is_strict_about_types() -> None:
    quiz = find_quiz(QUIZ)
    assert quiz is not None
    tf = next(q for q in quiz.questions if q.kind == "true_false")
    assert [m.right for m in mark(quiz, {tf.id: tf.answer}) if m.question_id == tf.id] == [True]
    # "true" as text is not true: the form's values are parsed before marking.
    assert [m.right for m in mark(quiz, {tf.id: str(tf.answer)}) if m.question_id == tf.id] == [False]


def test_pre_and_post_compared_per_trainee_and_for_the_cohort(cast: Cast) -> None:
    quiz = find_quiz(QUIZ)
    assert quiz is not None
    pre = services.quiz_assign(by=cast.trainer, workshop=cast.workshop, quiz_id=QUIZ, kind="pre")
    post = services.quiz_assign(by=cast.trainer, workshop=cast.workshop, quiz_id=QUIZ, kind="post")
    services.quiz_submit(user=cast.trainee, assignment=pre, quiz=quiz, answers=answers(quiz, 4))
    services.quiz_submit(user=cast.classmate, assignment=pre, quiz=quiz, answers=answers(quiz, 8))
    services.quiz_submit(user=cast.trainee, assignment=post, quiz=quiz, answers=answers(quiz, 9))
    services.quiz_submit(user=cast.classmate, assignment=post, quiz=quiz, answers=answers(quiz, 6))
    rows, cohort = selectors.comparison(cast.workshop)
    by_name = {r.enrolment.user.username: r for r in rows}
    assert (by_name["amani"].pre, by_name["amani"].post, by_name["amani"].change) == (40, 90, 50)
    assert (by_name["zanele"].pre, by_name["zanele"].post, by_name["zanele"].change) == (80, 60, -20)
    assert (cohort.pre_mean, cohort.post_mean, cohort.pre_median, cohort.post_median) == (60, 75, 60, 75)
    assert (cohort.both, cohort.improved, cohort.mean_change) == (2, 1, 15)

    client = Client()
    client.force_login(cast.trainer)
    response = client.get(reverse("quizzes:results_csv", kwargs={"pk": cast.workshop.pk}))
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["username"], r["pre_percent"], r["post_percent"], r["change"]) for r in table] == [
        ("amani", "40.0", "90.0", "50.0"), ("zanele", "80.0", "60.0", "-20.0")]


def test_each_check_is_taken_once_only_by_the_workshops_trainees_while_open(cast: Cast) -> None:
    quiz = find_quiz(QUIZ)
    assert quiz is not None
    pre = services.quiz_assign(by=cast.trainer, workshop=cast.workshop, quiz_id=QUIZ, kind="pre")
    with pytest.raises(ValidationFailed):
        services.quiz_submit(user=cast.trainee, assignment=pre, quiz=quiz, answers={})
    services.quiz_submit(user=cast.trainee, assignment=pre, quiz=quiz, answers=answers(quiz, 10))
    with pytest.raises(Conflict):
        services.quiz_submit(user=cast.trainee, assignment=pre, quiz=quiz, answers=answers(quiz, 10))
    with pytest.raises(NotAllowed):
        services.quiz_submit(user=cast.other_trainee, assignment=pre, quiz=quiz,
                             answers=answers(quiz, 10))
    services.quiz_open(by=cast.trainer, assignment=pre, is_open=False)
    with pytest.raises(Conflict):
        services.quiz_submit(user=cast.classmate, assignment=pre, quiz=quiz, answers=answers(quiz, 10))


def test_assigning_is_for_the_trainer_once_per_kind_with_a_valid_quiz(cast: Cast) -> None:
    with pytest.raises(NotAllowed):
        services.quiz_assign(by=cast.other_trainer, workshop=cast.workshop, quiz_id=QUIZ, kind="pre")
    with pytest.raises(ValidationFailed):
        services.quiz_assign(by=cast.trainer, workshop=cast.workshop, quiz_id="nope", kind="pre")
    services.quiz_assign(by=cast.trainer, workshop=cast.workshop, quiz_id=QUIZ, kind="pre")
    with pytest.raises(Conflict):
        services.quiz_assign(by=cast.trainer, workshop=cast.workshop,
                             quiz_id="data-protection-consent", kind="pre")
    assert QuizAssignment.objects.filter(workshop=cast.workshop).count() == 1


def test_taking_it_on_one_page_in_arabic_with_feedback(cast: Cast) -> None:
    quiz = find_quiz(QUIZ)
    assert quiz is not None
    pre = services.quiz_assign(by=cast.trainer, workshop=cast.workshop, quiz_id=QUIZ, kind="pre")
    client = Client()
    client.force_login(cast.trainee)
    client.cookies["django_language"] = "ar"
    url = reverse("quizzes:take", kwargs={"pk": cast.workshop.pk, "quiz": pre.pk})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page and quiz.questions[0].text["ar"] in page
    form = {f"q-{q.id}": ("true" if a is True else "false" if a is False else a)
            for q, a in zip(quiz.questions, answers(quiz, 7).values(), strict=True)}
    blank = client.post(url, {k: v for k, v in list(form.items())[1:]}, HTTP_ACCEPT_LANGUAGE="ar")
    assert blank.status_code == 400
    assert client.post(url, form, HTTP_ACCEPT_LANGUAGE="ar").status_code == 302
    done = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'id="quiz-score"' in done and quiz.questions[0].feedback["ar"] in done
    assert done.count('data-right="yes"') == 7 and done.count('data-right="no"') == 3
