"""The installable app: manifest, service worker, offline page and the app's start address."""

from __future__ import annotations

import json

import pytest

from tests.web.conftest import logged_in
from torsion.web.core.pwa import OFFLINE_STATIC

pytestmark = pytest.mark.django_db


def test_manifest(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["start_url"] == "/check-in/" and data["scope"] == "/" and data["display"] == "standalone"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_icons_have_the_sizes_they_claim(client):
    from io import BytesIO

    from PIL import Image

    for icon in json.loads(client.get("/manifest.webmanifest").content)["icons"]:
        if icon["type"] == "image/png":
            body = b"".join(client.get(icon["src"]).streaming_content)
            width, height = Image.open(BytesIO(body)).size
            assert f"{width}x{height}" == icon["sizes"]


def test_service_worker_for_the_whole_site(client):
    worker = client.get("/service-worker.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/" and "no-cache" in worker["Cache-Control"]
    text = worker.content.decode()
    for name in OFFLINE_STATIC:
        assert f"/static/{name}" in text
    assert '"/offline/"' in text and "{{" not in text


def test_every_page_links_the_manifest_and_the_app_script(client):
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert "/static/torsion/js/app.js" in page and '<meta name="theme-color"' in page


def test_offline_page(client):
    page = client.get("/offline/").content.decode()
    assert "You are offline" in page and 'href="/check-in/"' in page


def test_app_start_opens_the_check_in(patient_client, patient, clinician, client):
    assert patient_client.get("/check-in/")["Location"] == f"/patients/{patient.pk}/check-in/"
    assert logged_in(clinician.user).get("/check-in/")["Location"] == "/dashboard/"
    assert client.get("/check-in/")["Location"].startswith("/accounts/login/?next=/check-in/")
