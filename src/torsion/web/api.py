"""The JSON API (django-ninja). OpenAPI schema and interactive docs at /api/docs.

Every route that touches a patient's data resolves the patient through
:mod:`torsion.web.accounts.permissions`, exactly as the pages do. Authentication is either the
browser session (with CSRF protection on writes) or a personal API key made on the account page and
sent as ``Authorization: Bearer <key>``.
"""

from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from torsion import __version__


class ApiKeyAuth(HttpBearer):
    """A personal API key; the request then acts as the key's owner, through the same permission check."""

    def authenticate(self, request, token):
        from torsion.web.accounts.tokens import user_for_key

        user = user_for_key(token)
        if user is None:
            return None
        request.user = user
        return user


api = NinjaAPI(
    title="Torsion API",
    version=__version__,
    description="Everything the Torsion pages do, for the capture pages, the command line and other clients.",
    auth=[ApiKeyAuth(), django_auth],
    urls_namespace="api",
)

from torsion.web.records.api import router as records_router  # noqa: E402
from torsion.web.accounts.api import router as accounts_router  # noqa: E402
from torsion.web.recordings.api import router as recordings_router  # noqa: E402
from torsion.web.recordings.api_drawing import router as drawings_router  # noqa: E402
from torsion.web.assessments.api import router as scales_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/", records_router)
api.add_router("/", recordings_router)
api.add_router("/", drawings_router)
api.add_router("/", scales_router)
