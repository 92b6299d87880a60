"""The guide served by the sandbox under /help/, and the Help link of every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sandbox.accounts.models import User
from sandbox.help.pages import PAGES, help_path
from tests.cases.conftest import World

DOCS = Path(settings.BASE_DIR) / "docs"


@pytest.fixture
def site(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    """A tiny built guide: the home page, a page, a French page, the 404 page."""
    settings.HELP_SITE_DIR = tmp_path
    (tmp_path / "index.html").write_text("<h1>Guide home</h1>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<h1>No such page in the guide</h1>", encoding="utf-8")
    (tmp_path / "case-system").mkdir()
    (tmp_path / "case-system" / "index.html").write_text("<h1>Using the case system</h1>",
                                                         encoding="utf-8")
    (tmp_path / "fr" / "case-system").mkdir(parents=True)
    (tmp_path / "fr" / "case-system" / "index.html").write_text(
        "<h1>Utiliser le système</h1>", encoding="utf-8")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "guide.css").write_text("body{}", encoding="utf-8")
    (tmp_path.parent / "secret.txt").write_text("outside the guide", encoding="utf-8")
    return tmp_path


def content(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_pages_are_served_without_signing_in(client: Client, site: Path) -> None:
    response = client.get("/help/")
    assert response.status_code == 200
    assert b"Guide home" in content(response)
    response = client.get("/help/fr/case-system/")
    assert response.status_code == 200 and "Utiliser le système" in content(response).decode()
    css = client.get("/help/assets/guide.css")
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")


@pytest.mark.django_db
def test_a_directory_without_its_slash_is_redirected(client: Client, site: Path) -> None:
    response = client.get("/help/case-system")
    assert response.status_code == 302 and response["Location"] == "/help/case-system/"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["../secret.txt", "..%2Fsecret.txt", "%2E%2E/secret.txt",
                                  "fr/../../secret.txt", "nothing-here/"])
def test_nothing_outside_the_guide_and_unknown_pages_are_404(client: Client, site: Path,
                                                             path: str) -> None:
    response = client.get("/help/" + path)
    assert response.status_code == 404
    assert b"outside the guide" not in content(response)


@pytest.mark.django_db
def test_an_unknown_page_shows_the_guides_own_404(client: Client, site: Path) -> None:
    response = client.get("/help/no-such-page.html")
    assert response.status_code == 404 and b"No such page in the guide" in content(response)


@pytest.mark.django_db
def test_only_reading_is_allowed(client: Client, site: Path) -> None:
    assert client.post("/help/").status_code == 405


@pytest.mark.django_db
def test_a_guide_not_built_says_how_to_build_it(client: Client, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HELP_SITE_DIR = tmp_path / "missing"
    response = client.get("/help/")
    assert response.status_code == 503
    assert "make docs" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_guide_may_be_cached_and_runs_its_theme_scripts(client: Client, site: Path) -> None:
    response = client.get("/help/")
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy.split("script-src")[1].split(";")[0]
    # ...but nowhere else.
    login = client.get(reverse("login"))
    assert "'unsafe-inline'" not in login["Content-Security-Policy"].split("script-src")[1].split(";")[0]


def test_help_paths_put_english_at_the_root_and_other_languages_under_their_code() -> None:
    assert help_path("case-system/", "en") == "case-system/"
    assert help_path("case-system/", "fr") == "fr/case-system/"
    assert help_path("trainees/", "ar") == "ar/trainees/"
    assert help_path("trainees/", "km") == "km/trainees/"
    assert help_path("trainees/", "xx") == "trainees/"


def docs_source(page: str) -> Path:
    page = page.rstrip("/")
    return DOCS / f"{page}.md" if (DOCS / f"{page}.md").is_file() else DOCS / page / "index.md"


def test_every_help_target_is_a_page_of_the_docs() -> None:
    for name, page in {**PAGES, "home": "getting-started/"}.items():
        assert docs_source(page).is_file(), f"{name} -> {page}: no such page in docs/"


def _names(patterns, namespace: str = "") -> set[str]:  # type: ignore[no-untyped-def]
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


#: Pages with no guide page of their own: files, redirects, API and the admin.
NO_GUIDE_PAGE = {"home", "logout", "set_language", "viewport", "help:guide", "help:page", "favicon",
                 "workshops:results_csv", "workshops:xapi"}


def test_every_page_of_the_sandbox_has_its_guide_page() -> None:
    names = {n for n in _names(get_resolver().url_patterns)
             if not n.startswith(("admin:", "api-")) and n not in NO_GUIDE_PAGE}
    missing = sorted(names - set(PAGES))
    assert not missing, f"pages with no entry in sandbox/help/pages.py PAGES: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "language", "expected"), [
    (User.Kind.TRAINEE, "en", "/help/trainees/"),
    (User.Kind.TRAINEE, "ar", "/help/ar/trainees/"),
    (User.Kind.TRAINER, "fr", "/help/fr/trainers/quick-guide/"),
    (User.Kind.ADMINISTRATOR, "km", "/help/km/implementers/go-live-checklist/"),
])
def test_the_home_pages_help_link_depends_on_who_asks(client: Client, kind: str, language: str,
                                                      expected: str) -> None:
    user = User.objects.create_user("reader", password="pw-reader-123", kind=kind, language=language)
    client.force_login(user)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert f'id="help-link" href="{expected}"' in response.content.decode()


@pytest.mark.django_db
def test_the_case_pages_help_link_opens_the_case_system_page_in_the_users_language(
        client: Client, world: World) -> None:
    case = world.case()
    client.force_login(world.worker.user)
    client.post(reverse("set_language"), {"language": "sw", "next": "/"})
    page = reverse("cases:detail", kwargs={"space": world.space.slug, "display_id": case.display_id})
    response = client.get(page)
    assert response.status_code == 200
    assert 'id="help-link" href="/help/sw/case-system/"' in response.content.decode()


@pytest.mark.django_db
def test_the_login_pages_help_link_opens_getting_started(client: Client) -> None:
    response = client.get(reverse("login"))
    assert 'id="help-link" href="/help/getting-started/"' in response.content.decode()
