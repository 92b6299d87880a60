"""Reviewing a configuration: what is found is kept, a trial never touches the
configuration running workshops use, and only implementers may do any of it."""

from __future__ import annotations

import pytest

from sandbox.common.errors import NotAllowed, ValidationFailed
from sandbox.configuration.models import Bundle
from sandbox.golive import services
from sandbox.golive.models import ConfigurationReview
from sandbox.spaces.models import Member, Space
from tests.conftest import DEFAULT_BUNDLE

from .conftest import zip_folder

pytestmark = pytest.mark.django_db


def test_a_valid_bundle_is_reviewed_with_the_library(administrator, default_zip) -> None:  # type: ignore[no-untyped-def]
    review = services.review_upload(by=administrator, filename="my-config.zip", content=default_zip)
    assert review.kind == "bundle" and review.bundle_id_in_file == "default"
    assert review.languages == ["en", "fr", "ar", "es", "sw", "km"]
    assert review.errors == []
    ids = {s["id"] for s in review.golive["scenarios"]}
    assert "uasc-market-separation" in ids
    assert review.status in ("ready", "valid")
    assert review.status == ("ready" if review.golive["ok"] else "valid")


def test_an_invalid_bundle_keeps_every_problem_and_no_server_path(administrator) -> None:  # type: ignore[no-untyped-def]
    broken = (DEFAULT_BUNDLE / "roles.yaml").read_text(encoding="utf-8").replace(
        "scope: own", "scope: everyone", 1)
    content = zip_folder(DEFAULT_BUNDLE, edit={"roles.yaml": broken})
    review = services.review_upload(by=administrator, filename="broken.zip", content=content)
    assert review.status == "invalid" and review.golive == {}
    assert any(p["path"] == "roles.yaml" and "everyone" in p["message"] for p in review.errors), review.errors
    assert all("/tmp" not in p["path"] for p in review.validation)


def test_nothing_is_kept_from_an_unreadable_upload(administrator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed):
        services.review_upload(by=administrator, filename="notes.txt", content=b"hello")
    assert not ConfigurationReview.objects.exists()


def test_only_implementers_review(trainer, trainee, default_zip) -> None:  # type: ignore[no-untyped-def]
    for user in (trainer, trainee):
        with pytest.raises(NotAllowed):
            services.review_upload(by=user, filename="c.zip", content=default_zip)
    assert not ConfigurationReview.objects.exists()


def test_a_trial_loads_under_its_own_code_and_leaves_default_alone(administrator, default_zip) -> None:  # type: ignore[no-untyped-def]
    review = services.review_upload(by=administrator, filename="c.zip", content=default_zip)
    running = Bundle.objects.get(code="default")
    space = services.review_trial(by=administrator, review=review)
    review.refresh_from_db()
    assert review.trial_bundle is not None and review.trial_bundle.code == f"trial-{review.pk}"
    assert space.bundle == review.trial_bundle and space.slug == f"trial-{review.pk}"
    member = Member.objects.get(space=space, user=administrator)
    assert member.role == "caseworker"  # the bundle's case worker by its mapping or permissions
    assert Bundle.objects.get(code="default").loaded_at == running.loaded_at

    # Opening it again gives a new, empty space; removing the review removes both.
    again = services.review_trial(by=administrator, review=review, role="supervisor")
    assert again.pk != space.pk and not Space.objects.filter(pk=space.pk).exists()
    assert Member.objects.get(space=again, user=administrator).role == "supervisor"
    services.review_delete(by=administrator, review=review)
    assert not Space.objects.filter(pk=again.pk).exists()
    assert not Bundle.objects.filter(code=f"trial-{review.pk}").exists()
    assert Bundle.objects.filter(code="default").exists()


def test_a_trial_refuses_an_unknown_role_and_an_invalid_configuration(administrator, default_zip) -> None:  # type: ignore[no-untyped-def]
    review = services.review_upload(by=administrator, filename="c.zip", content=default_zip)
    with pytest.raises(ValidationFailed, match="Unknown role"):
        services.review_trial(by=administrator, review=review, role="nobody")
    assert not Space.objects.filter(slug=f"trial-{review.pk}").exists()
    review.status = ConfigurationReview.Status.INVALID
    review.save()
    with pytest.raises(ValidationFailed, match="block loading"):
        services.review_trial(by=administrator, review=review)


def _zip_tree(folder) -> bytes:  # type: ignore[no-untyped-def]
    return zip_folder(folder, prefix="valdoria/")


def test_a_primero_seed_tree_is_imported_validated_and_tried(administrator) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    seed = settings.BASE_DIR / "tests" / "fixtures" / "primero" / "seed"
    review = services.review_upload(by=administrator, filename="valdoria.zip", content=_zip_tree(seed))
    assert review.kind == "primero_tree" and review.bundle_id_in_file == "valdoria"
    assert review.import_report["summary"]["form_sections"] > 5
    assert review.errors == [] and review.languages[:1] == ["en"]
    space = services.review_trial(by=administrator, review=review)
    config = space.config
    assert "role-cp-case-worker" in config.roles  # Primero's own ids, unchanged
    assert Member.objects.get(space=space, user=administrator).role == config.mapping["roles"]["case_worker"]


def test_a_primero_export_that_cannot_be_read_keeps_nothing(administrator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed, match="Nothing could be imported"):
        services.review_upload(by=administrator, filename="config.json", content=b'{"unknown": []}')
    assert not ConfigurationReview.objects.exists()
