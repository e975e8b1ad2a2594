"""Torsion as an installable web app: the manifest, the service worker, the offline page and the app's start.

The service worker is served from the site's root (``/service-worker.js``) so that it may look after
every page of the site. It keeps the static files the check-in page needs and, each time the
patient opens their check-in page while online, a copy of that page on the device, so that the app
opens on the check-in page without a connection. Check-ins made offline are kept on the device by
the page's script (``static/torsion/js/app.js``, IndexedDB) and sent with their key when the
connection is back (:func:`torsion.web.records.services.add_check_in` stores each key once). Other
pages are never kept: offline, they show the offline page.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import cache_control

from torsion import __version__

THEME_COLOUR = "#1f5f8b"

#: Static files the check-in page needs offline (``torsion/...`` paths under STATIC_URL).
OFFLINE_STATIC = [
    "torsion/css/site.css",
    "torsion/css/checkin.css",
    "torsion/js/site.js",
    "torsion/js/app.js",
    "torsion/js/checkin.js",
    "torsion/img/icon.svg",
    "torsion/img/icon-192.png",
]
OFFLINE_PAGE = "/offline/"
START_PAGE = "/check-in/"


def _offline_version() -> str:
    """Changes whenever Torsion's version or a file kept for offline use changes, so devices take the new ones."""
    digest = hashlib.sha256(__version__.encode())
    for name in OFFLINE_STATIC:
        path = finders.find(name)
        if path is None:
            raise RuntimeError(f"The static file {name} kept for offline use does not exist.")
        with open(path, "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:16]


@cache_control(max_age=3600)
def manifest(request):
    data = {
        "name": "Torsion",
        "short_name": "Torsion",
        "description": "Your dystonia diary, treatments and measurements.",
        "id": "/",
        "start_url": START_PAGE,
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("torsion/img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("torsion/img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("torsion/img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
            {"src": static("torsion/img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
        "shortcuts": [{"name": "Check in", "url": START_PAGE}],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"indent": 1})


@cache_control(no_cache=True)
def service_worker(request):
    # Rendered without the request: the worker is the same for everyone and needs no session.
    response = HttpResponse(render_to_string("core/service-worker.js", {
        "version": _offline_version(),
        "precache": json.dumps([static(name) for name in OFFLINE_STATIC] + [OFFLINE_PAGE]),
        "offline_page": json.dumps(OFFLINE_PAGE),
        "start_page": json.dumps(START_PAGE),
    }), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


def offline(request):
    return render(request, "core/offline.html", {"title": "You are offline"})


@login_required
def start(request):
    """Where the installed app opens: a patient's check-in page; the usual start page for anyone else."""
    patient = getattr(request.user, "patient", None)
    if patient is not None:
        return redirect("records:check_in", patient_id=patient.pk)
    return redirect("core:dashboard")


__all__ = ["OFFLINE_STATIC", "THEME_COLOUR", "manifest", "offline", "service_worker", "start"]
