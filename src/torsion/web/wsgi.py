"""WSGI entry point used by ``torsion serve`` (waitress) and by any WSGI server in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torsion.web.settings")
application = get_wsgi_application()
