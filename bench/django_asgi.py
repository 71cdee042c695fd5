"""Django's own ASGIHandler over Masthead's settings: variant (b) of `bench live`'s serving A/B.

Not served by Masthead; it exists so the bench can measure what `core/handler.py` saves.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.base")

from django.core.asgi import get_asgi_application

application = get_asgi_application()
