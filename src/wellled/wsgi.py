"""WSGI entry point for `wellled serve` (gunicorn) and other WSGI servers."""

import os

from django.core.wsgi import get_wsgi_application

from wellled.core.collector import YOUNGEST_GENERATION_THRESHOLD, settle_collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellled.settings")
application = get_wsgi_application()

# Loaded once per web worker: what it loaded at start (Django, the apps, their templates) is frozen out of the
# collector's passes, which run less often (wellled.core.collector; issue 24).
settle_collector()

__all__ = ["YOUNGEST_GENERATION_THRESHOLD", "application"]
