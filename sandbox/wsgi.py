"""WSGI entry point (gunicorn sandbox.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings.production")
application = get_wsgi_application()

from sandbox.accounts.checks import refuse_unsafe_start  # noqa: E402
from sandbox.web.warmup import warm  # noqa: E402

refuse_unsafe_start()
warm()  # a worker's first requests are as fast as the next ones
# What the process holds now (Django, the views, catalogues, templates: about 180,000
# objects) lives as long as it does: the collector's full passes skip it, instead of
# pausing a request for 50-70 ms now and then to look through it all again.
gc.freeze()
