"""The settings of `make run` serve the login page (a smoke test in a real process)."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
response = Client().get("/accounts/login/")
print(response.status_code)
print("synthetic data only" in response.content.decode())
missing = Client().get("/no/such/page/")
print(missing.status_code)
print('data-status="404"' in missing.content.decode() and "URLconf" not in missing.content.decode())
"""


def test_local_settings_serve_the_login_page(tmp_path: object) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sandbox.settings.local",
           "DATABASE_URL": f"sqlite:///{tmp_path}/local.sqlite3"}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", SCRIPT], env=env,
                            capture_output=True, text=True, timeout=120)
    # The login page, then a wrong link: the sandbox's own 404, not Django's debug page.
    assert result.stdout.split()[-4:] == ["200", "True", "404", "True"], result.stdout + result.stderr


def test_make_run_serves_and_prints_the_port_it_is_given() -> None:
    result = subprocess.run(["make", "-n", "run", "PORT=8123"], capture_output=True, text=True,
                            timeout=60, env={k: v for k, v in os.environ.items() if k != "SITE_URL"})
    assert "runserver 127.0.0.1:8123" in result.stdout, result.stdout + result.stderr
    assert "http://127.0.0.1:8123/" in result.stdout and ":8000" not in result.stdout
