"""The JSON API (django-ninja). OpenAPI schema and interactive docs at /api/docs.

Every route that touches a patient's data resolves the patient through
:mod:`torsion.web.accounts.permissions`, exactly as the pages do. Authentication is the browser
session (with CSRF protection on writes).
"""

from ninja import NinjaAPI
from ninja.security import django_auth

from torsion import __version__

api = NinjaAPI(
    title="Torsion API",
    version=__version__,
    description="Everything the Torsion pages do, for the capture pages, the command line and other clients.",
    auth=django_auth,
    urls_namespace="api",
)

from torsion.web.records.api import router as records_router  # noqa: E402
from torsion.web.accounts.api import router as accounts_router  # noqa: E402
from torsion.web.recordings.api import router as recordings_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/", records_router)
api.add_router("/", recordings_router)
