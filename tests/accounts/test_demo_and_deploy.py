"""Demo accounts for the quick start, and production's refusal to run with them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import override_settings

from sandbox.accounts.checks import check_demo_accounts, refuse_unsafe_start
from sandbox.accounts.models import User


@pytest.mark.django_db
def test_demo_creates_and_prints_accounts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo")
    call_command("demo")  # running it twice works
    out = capsys.readouterr().out
    assert "trainee3" in out and "sandbox-trainee" in out
    assert User.objects.filter(kind=User.Kind.TRAINEE, username__startswith="trainee").count() == 3
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("sandbox-admin")
    assert User.objects.get(username="trainer").kind == User.Kind.TRAINER


@pytest.mark.django_db
@override_settings(REFUSE_DEMO_ACCOUNTS=True)
def test_production_refuses_demo_accounts() -> None:
    assert check_demo_accounts() == []
    refuse_unsafe_start()  # no demo accounts: starts
    call_command("demo")
    errors = check_demo_accounts()
    assert [e.id for e in errors] == ["sandbox.E001"]
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="demo accounts present"):
        refuse_unsafe_start()


def _production(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sandbox.settings.production", **env_extra}
    env.pop("DEBUG", None)
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_production_refuses_debug_and_missing_secret() -> None:
    result = _production({"SECRET_KEY": "x" * 60, "DEBUG": "1"}, "check")
    assert result.returncode != 0 and "DEBUG must be off" in result.stderr
    result = _production({"SECRET_KEY": ""}, "check")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean(tmp_path: object) -> None:
    result = _production(
        {"SECRET_KEY": "k" * 30 + "-production-secret-" + "z" * 20,
         "DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3",
         "ALLOWED_HOSTS": "sandbox.example.org"},
        "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_demo_world_with_roles(default_config: object) -> None:
    from sandbox.spaces.models import Space

    call_command("demo")
    call_command("demo")
    space = Space.objects.get(slug="demo")
    roles = dict(space.members.values_list("user__username", "role"))
    assert roles == {"admin": "administrator", "trainer": "supervisor", "trainee1": "caseworker",
                     "trainee2": "caseworker", "trainee3": "service_provider"}


@pytest.mark.django_db
def test_demo_workshop_with_a_running_exercise(default_config: object) -> None:
    from sandbox.workshops.models import Attempt, Exercise, Workshop

    call_command("demo")
    call_command("demo")
    workshop = Workshop.objects.get(trainer__username="trainer")
    assert workshop.enrolments.count() == 3
    exercise = workshop.exercises.get()
    assert exercise.status == Exercise.Status.RUNNING
    assert Attempt.objects.filter(exercise=exercise).count() == 3
    assert {a.space.members.get(user=a.enrolment.user).role
            for a in Attempt.objects.filter(exercise=exercise)} == {"caseworker"}


@pytest.mark.django_db
@override_settings(SITE_URL="http://127.0.0.1:8123")
def test_demo_prints_the_address_really_served(default_config: object,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/spaces/" in out and ":8000" not in out
