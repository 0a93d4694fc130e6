"""WSGI entry point for `wellled serve` (gunicorn) and other WSGI servers."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellled.settings")
application = get_wsgi_application()

# Python's cycle collector, tuned for a long-lived web process (issue 24; docs/performance.md). Everything loaded at
# start (Django, the apps, their templates: some 200,000 objects) is frozen out of its passes, and the youngest
# generation is collected after this many new objects rather than Python's 700, so a page is not interrupted a
# dozen times: together about a tenth of a page's CPU. Cycles are still collected.
YOUNGEST_GENERATION_THRESHOLD = 20_000


def settle_collector() -> None:
    """Collect once, freeze what survives (it lives as long as the process), and raise the first threshold."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNGEST_GENERATION_THRESHOLD, middle, oldest)


settle_collector()
