"""Upload fields: documents checked (size, type, content), stored per space, listed and
downloaded only by members of the space whose role reads the form, through the
services, the pages and the API; a space reset removes and restores them, a copy
of a space takes them along; another space never reaches them."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sandbox.cases import services as s
from sandbox.cases.models import Case, Document, Event
from sandbox.common.errors import NotAllowed, ValidationFailed
from sandbox.simulation import snapshot
from sandbox.simulation.models import SpaceSeed
from tests.factories import SpaceFactory

from .v2world import V2World, make_world, v2_bundle

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def upload(name: str, content: bytes, content_type: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def with_document(v2: V2World) -> tuple[Case, Document]:
    case = v2.case()
    document = s.document_upload(actor=v2.worker, case=case, field="identity_documents",
                                 upload=upload("birth-certificate.pdf", PDF, "application/pdf"))
    case.refresh_from_db()
    return case, document


def test_an_upload_is_stored_with_its_space_and_listed_in_the_case_data(v2: V2World) -> None:
    case, document = with_document(v2)
    assert document.space_id == v2.space.pk and document.case_id == case.pk
    assert bytes(document.content) == PDF and document.content_type == "application/pdf"
    assert case.data["identity_documents"] == [{"id": document.key, "name": "birth-certificate.pdf",
                                                "size": len(PDF), "content_type": "application/pdf"}]
    event = Event.objects.filter(space=v2.space, case=case).latest("sequence")
    assert event.action == "case.update" and event.details["document"] == "birth-certificate.pdf"
    assert "data.identity_documents" in event.changes


@pytest.mark.parametrize(("name", "content", "content_type", "message"), [
    ("big.pdf", PDF + b" " * 1100, "application/pdf",
     "big.pdf is too large for Identity documents: at most 1 KB."),
    ("tool.exe", b"MZ\x90\x00", "application/octet-stream",
     "tool.exe is not accepted for Identity documents: accepted types are pdf, png."),
    ("photo.png", PDF, "image/png", "photo.png does not look like a PNG file: its content does "
                                    "not match its name."),
    ("scan.pdf", PDF, "image/png", "scan.pdf does not look like a PDF file: its content does "
                                   "not match its name."),
])
def test_a_wrong_file_is_refused_with_a_clear_message(v2: V2World, name: str, content: bytes,
                                                      content_type: str, message: str) -> None:
    case = v2.case()
    with pytest.raises(ValidationFailed) as info:
        s.document_upload(actor=v2.worker, case=case, field="identity_documents",
                          upload=upload(name, content, content_type))
    assert str(info.value.message) == message
    assert info.value.details["fields"]["identity_documents"] == [message]
    assert not Document.objects.filter(case=case).exists()


def test_upload_needs_write_access_to_the_form(v2: V2World) -> None:
    case = v2.case()
    with pytest.raises(NotAllowed):
        s.document_upload(actor=v2.provider, case=case, field="identity_documents",
                          upload=upload("a.pdf", PDF))
    with pytest.raises(ValidationFailed):
        s.document_upload(actor=v2.worker, case=case, field="name_first", upload=upload("a.pdf", PDF))


def test_a_document_id_of_another_case_is_refused_in_a_form_save(v2: V2World) -> None:
    _case, document = with_document(v2)
    other = v2.case(name_first="Bako")
    with pytest.raises(ValidationFailed) as info:
        s.case_update(actor=v2.worker, case=other, section="documents",
                      data={"identity_documents": [{"id": document.key}]})
    assert "identity_documents" in info.value.details["fields"]


def test_a_form_save_that_drops_a_document_deletes_it(v2: V2World) -> None:
    case, document = with_document(v2)
    s.case_update(actor=v2.worker, case=case, section="documents",
                  data={"identity_documents": [], "document_notes": "Removed the copy."})
    case.refresh_from_db()
    assert "identity_documents" not in case.data
    assert not Document.objects.filter(pk=document.pk).exists()


def test_remove_a_document(v2: V2World) -> None:
    case, document = with_document(v2)
    s.document_remove(actor=v2.worker, case=case, key=document.key)
    case.refresh_from_db()
    assert "identity_documents" not in case.data and not Document.objects.filter(case=case).exists()


# Pages -------------------------------------------------------------------------------------------


def test_upload_through_the_form_page_and_download(client: Client, v2: V2World) -> None:
    case = v2.case()
    client.force_login(v2.worker.user)
    edit = reverse("cases:section", kwargs={"space": v2.space.slug, "display_id": case.display_id,
                                            "section": "documents"})
    form = client.get(edit).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form
    assert 'accept=".pdf,.png"' in form
    wrong = client.post(edit, {"identity_documents": upload("x.exe", b"MZ")})
    assert wrong.status_code == 400
    assert "x.exe is not accepted for Identity documents" in wrong.content.decode()
    response = client.post(edit, {"identity_documents": upload("card.png", PNG, "image/png"),
                                  "document_notes": "ID card"})
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(case=case)
    page = client.get(reverse("cases:detail", kwargs={
        "space": v2.space.slug, "display_id": case.display_id}) + "?section=documents").content.decode()
    assert f'data-document="{document.key}"' in page and "card.png" in page
    download = client.get(reverse("cases:document", kwargs={
        "space": v2.space.slug, "display_id": case.display_id, "key": document.key}))
    assert download.status_code == 200 and download.content == PNG
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith('attachment; filename="card.png"')
    # Saving the form again with the box unticked removes it.
    client.post(edit, {"document_notes": "ID card"})
    assert not Document.objects.filter(case=case).exists()


def test_download_refused_without_access_to_the_form(client: Client, v2: V2World) -> None:
    case, document = with_document(v2)
    url = reverse("cases:document", kwargs={"space": v2.space.slug, "display_id": case.display_id,
                                            "key": document.key})
    client.force_login(v2.provider.user)  # reads "basic-identity" only
    assert client.get(url).status_code == 404
    client.force_login(v2.supervisor.user)
    assert client.get(url).status_code == 200


def test_another_space_never_reaches_the_document(client: Client, v2: V2World) -> None:
    case, document = with_document(v2)
    other = make_world()
    other_case = other.case()
    client.force_login(other.supervisor.user)
    for space, display_id in [(v2.space.slug, case.display_id),
                              (other.space.slug, other_case.display_id),
                              (other.space.slug, case.display_id)]:
        response = client.get(reverse("cases:document", kwargs={
            "space": space, "display_id": display_id, "key": document.key}))
        assert response.status_code == 404
    api = APIClient()
    api.force_login(other.supervisor.user)
    base = f"/api/v1/spaces/{other.space.slug}/cases/{other_case.display_id}/documents/"
    assert api.get(base + f"{document.key}/").status_code == 404
    assert api.delete(base + f"{document.key}/").status_code == 404
    assert api.get(base).json() == []
    assert Document.objects.filter(pk=document.pk).exists()


# API ---------------------------------------------------------------------------------------------


def test_documents_through_the_api(v2: V2World) -> None:
    case = v2.case()
    api = APIClient()
    api.force_login(v2.worker.user)
    base = f"/api/v1/spaces/{v2.space.slug}/cases/{case.display_id}/documents/"
    refused = api.post(base, {"field": "identity_documents",
                              "file": upload("big.pdf", PDF + b" " * 2000, "application/pdf")},
                       format="multipart")
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == "big.pdf is too large for Identity documents: at most 1 KB."
    created = api.post(base, {"field": "identity_documents",
                              "file": upload("letter.pdf", PDF, "application/pdf")},
                       format="multipart")
    assert created.status_code == 201, created.content
    key = created.json()["id"]
    assert api.get(base).json()[0]["name"] == "letter.pdf"
    detail = api.get(f"/api/v1/spaces/{v2.space.slug}/cases/{case.display_id}/").json()
    assert detail["data"]["identity_documents"][0]["id"] == key
    assert api.get(f"{base}{key}/").content == PDF
    assert api.delete(f"{base}{key}/").json() == []
    provider = APIClient()
    provider.force_login(v2.provider.user)
    # The provider sees the case but not the documents form: no documents, and no download.
    assert provider.get(base).json() == []
    kept = api.post(base, {"field": "identity_documents", "file": upload("b.pdf", PDF)},
                    format="multipart").json()["id"]
    assert provider.get(f"{base}{kept}/").status_code == 404
    assert "identity_documents" not in provider.get(
        f"/api/v1/spaces/{v2.space.slug}/cases/{case.display_id}/").json()["data"]


# Resets and copies -------------------------------------------------------------------------------


def test_a_reset_removes_later_documents_and_restores_seeded_ones(v2: V2World) -> None:
    case, seeded = with_document(v2)
    seed = SpaceSeed.objects.create(space=v2.space, scenario_id="test", scenario_version=1,
                                    scenario_path="test.yaml", seed=1, snapshot=b"")
    seed.snapshot = snapshot.capture(v2.space)
    seed.save()
    later = s.document_upload(actor=v2.worker, case=case, field="identity_documents",
                              upload=upload("later.png", PNG, "image/png"))
    s.document_remove(actor=v2.worker, case=case, key=seeded.key)
    assert list(Document.objects.filter(space=v2.space).values_list("key", flat=True)) == [later.key]
    snapshot.restore(seed)
    restored = Document.objects.get(space=v2.space)
    assert restored.key == seeded.key and bytes(restored.content) == PDF
    case.refresh_from_db()
    assert [d["id"] for d in case.data["identity_documents"]] == [seeded.key]


def test_a_copied_space_has_its_own_copy_of_the_documents(v2: V2World) -> None:
    case, document = with_document(v2)
    seed = SpaceSeed.objects.create(space=v2.space, scenario_id="test", scenario_version=1,
                                    scenario_path="test.yaml", seed=1, snapshot=b"")
    seed.snapshot = snapshot.capture(v2.space)
    seed.save()
    copy_space = SpaceFactory(bundle=v2_bundle(), module="primero-cp", clock=v2.space.clock)
    snapshot.clone(seed, copy_space, {})
    copied = Document.objects.get(space=copy_space)
    assert copied.key == document.key and copied.pk != document.pk
    copied_case = Case.objects.get(space=copy_space)
    assert copied.case_id == copied_case.pk
    assert copied_case.data["identity_documents"][0]["id"] == copied.key
    # Removing it in one space leaves the other's.
    s.document_remove(actor=v2.worker, case=case, key=document.key)
    assert Document.objects.filter(space=copy_space).count() == 1


def test_the_file_is_read_once_and_bounded(v2: V2World) -> None:
    """A client that gives no size is still held to the limit while reading."""
    class Stream(io.BytesIO):
        name = "big.pdf"
        content_type = "application/pdf"
        size = None  # type: ignore[assignment]

    case = v2.case()
    with pytest.raises(ValidationFailed) as info:
        s.document_upload(actor=v2.worker, case=case, field="identity_documents",
                          upload=Stream(PDF + b" " * 5000))  # type: ignore[arg-type]
    assert "too large" in str(info.value.message)
