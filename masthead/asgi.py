"""The ASGI application `masthead run` serves (uvicorn).

Reads that `core.fastpath` can answer from the cache are sent straight from the event loop; everything
else runs Django's sync middleware chain and view in one call on a reused worker thread
(`core/handler.py` says why that is cheaper than Django's own ASGI handler).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.base")

from django.core.asgi import get_asgi_application

get_asgi_application()  # django.setup()

from masthead.core.handler import MastheadASGIHandler  # noqa: E402

application = MastheadASGIHandler()
