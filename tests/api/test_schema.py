"""The committed OpenAPI schema is the one the code generates, and the docs work offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from sandbox.accounts.models import User

COMMITTED = Path(settings.BASE_DIR) / "docs" / "reference" / "openapi.yaml"


def test_the_committed_schema_is_up_to_date(tmp_path: Path) -> None:
    generated = tmp_path / "openapi.yaml"
    # --fail-on-warn: a warning means an endpoint the schema could not describe.
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn",
                 "--lang", "en")
    current = yaml.safe_load(generated.read_text(encoding="utf-8"))
    committed = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    if committed != current:
        changed = sorted(set(current["paths"]) ^ set(committed["paths"])) or [
            path for path in current["paths"] if current["paths"][path] != committed["paths"].get(path)]
        pytest.fail(f"docs/reference/openapi.yaml is stale: run `make schema` and commit it. "
                    f"Paths that differ: {changed[:10]} (or the components)")


def test_every_operation_documents_its_answers() -> None:
    schema = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            codes = set(operation["responses"])
            assert codes & {"200", "201"}, (method, path)
            # A document's content is its own type, exports are files; every other answer is JSON.
            expected = "application/octet-stream" if path.endswith("/documents/{key}/") \
                and method == "get" else "application/json"
            if "/exports/" in path:
                expected = "application/pdf" if path.endswith("{display_id}/") else "text/csv"
            assert expected in operation["responses"][min(codes)]["content"], (method, path)
            if path.startswith("/api/v1/spaces/{slug}/"):
                assert {"401", "404"} <= codes, (method, path)
            if method in ("post", "put", "patch") and "/actions/" in path and not path.endswith(
                    ("assessment.request/", "case.unflag/")):
                assert "requestBody" in operation, (method, path)


@pytest.fixture
def logged_in(trainee: User) -> Client:
    client = Client()
    client.force_login(trainee)
    return client


@pytest.mark.django_db
def test_the_schema_is_served(logged_in: Client) -> None:
    response = logged_in.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert "/api/v1/spaces/{slug}/cases/{display_id}/actions/referral.create/" in schema["paths"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_docs_use_local_files_only(logged_in: Client, page: str) -> None:
    response = logged_in.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r"""<(?:script|link)[^>]*?(?:src|href)=["']([^"']+)["']""", html)
    assert assets, html[:500]
    remote = [url for url in assets if re.match(r"(https?:)?//", url)]
    assert remote == [], remote
    assert not re.search(r"""["'](https?:)?//[^"']*\.(js|css)""", html)
    for url in assets:
        if url.startswith(settings.STATIC_URL):
            assert logged_in.get(url).status_code == 200, url
