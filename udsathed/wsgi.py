"""WSGI entry point: `gunicorn udsathed.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "udsathed.settings")

application = get_wsgi_application()
