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
"""


def test_local_settings_serve_the_login_page(tmp_path: object) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sandbox.settings.local",
           "DATABASE_URL": f"sqlite:///{tmp_path}/local.sqlite3"}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", SCRIPT], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.split()[-2:] == ["200", "True"], result.stdout + result.stderr
