"""The ASGI application `masthead run` serves (uvicorn).

Reads that `core.fastpath` can answer from the cache are sent straight from the event loop; everything
else runs Django's sync middleware chain and view in one call on a reused worker thread
(`core/handler.py` says why that is cheaper than Django's own ASGI handler).
"""

import gc
import os

from masthead.core.malloc import limit_arenas

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.base")

from django.core.asgi import get_asgi_application

limit_arenas()  # before the first thread: see core/malloc.py
get_asgi_application()  # django.setup()

from masthead.core.handler import MastheadASGIHandler  # noqa: E402

application = MastheadASGIHandler()

from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - import every view now rather than in the first requests

from masthead.core.fastpath import has_handlers  # noqa: E402

has_handlers()  # reads the hooks (and imports every wagtail_hooks module) before the freeze below

# What start-up loaded lives as long as the process: frozen, it is left out of the collector's full
# passes, which otherwise walked its ~190,000 objects in a 120 ms pause every few hundred posts (with
# the database's write lock held when the pause fell inside a transaction).
gc.collect()
gc.freeze()
