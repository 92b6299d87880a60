"""The implementers' pages: who may see them, and what an upload shows."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sandbox.golive import services

pytestmark = pytest.mark.django_db


def test_only_implementers_reach_the_pages(client, trainer, trainee, administrator, default_zip) -> None:  # type: ignore[no-untyped-def]
    review = services.review_upload(by=administrator, filename="c.zip", content=default_zip)
    urls = [reverse("golive:list"), reverse("golive:detail", kwargs={"pk": review.pk}),
            reverse("golive:report", kwargs={"pk": review.pk})]
    posts = [reverse("golive:trial", kwargs={"pk": review.pk}),
             reverse("golive:delete", kwargs={"pk": review.pk})]
    for url in urls + posts:
        response = client.get(url) if url in urls else client.post(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    for user in (trainer, trainee):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403
        for url in posts:
            assert client.post(url).status_code == 403
    assert review.__class__.objects.filter(pk=review.pk).exists()


def test_upload_review_and_trial_through_the_pages(client, administrator, default_zip) -> None:  # type: ignore[no-untyped-def]
    client.force_login(administrator)
    page = client.get(reverse("golive:list"))
    assert page.status_code == 200 and b'id="upload-form"' in page.content
    response = client.post(reverse("golive:list"),
                           {"file": SimpleUploadedFile("my-config.zip", default_zip)})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    html = detail.content.decode()
    assert 'id="validation"' in html and 'id="golive"' in html and "uasc-market-separation" in html
    review = administrator.configuration_reviews.get()
    report = client.get(reverse("golive:report", kwargs={"pk": review.pk}))
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    assert b"uasc-market-separation" in report.content and b"<html" in report.content
    trial = client.post(reverse("golive:trial", kwargs={"pk": review.pk}), {"role": "caseworker"})
    assert trial.status_code == 302 and f"/spaces/trial-{review.pk}/" in trial["Location"]
    assert client.get(trial["Location"]).status_code == 200


def test_a_bad_upload_is_explained_on_the_page(client, administrator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(administrator)
    response = client.post(reverse("golive:list"), {"file": SimpleUploadedFile("notes.txt", b"hello")})
    assert response.status_code == 400
    assert "Upload a .zip file" in response.content.decode()


def test_unknown_review_is_404(client, administrator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(administrator)
    assert client.get(reverse("golive:detail", kwargs={"pk": 999})).status_code == 404
