import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healing.settings")
application = get_wsgi_application()
# Load the URL tables (and through them every view, serializer and model) now rather than in the
# first request, then leave everything made so far out of the garbage collector's full passes:
# it lives as long as the process, and a full pass over its ~120,000 objects holds the GIL for
# 40-70 ms, a pause for every request in the process (docs/performance.md, "Twenty coders at
# once"). Collections of what requests create go on as before.
get_resolver().url_patterns  # noqa: B018 - imports the URLconf
gc.freeze()
