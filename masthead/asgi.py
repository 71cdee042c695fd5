"""The ASGI application `masthead run` serves (uvicorn).

Django's ASGI handler spends most of a cached hit on per-request set-up: a thread-sensitive context,
the request_started/request_finished signals run on a worker thread, a spooled body file. Reads that
`core.fastpath` can answer from the cache skip all of that and are sent straight from the event loop;
everything else goes to Django as usual.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.base")

from django.core.asgi import get_asgi_application

get_asgi_application()  # django.setup()

from masthead.core.fastpath import FastPathASGIHandler  # noqa: E402

application = FastPathASGIHandler()
