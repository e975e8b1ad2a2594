"""Personal API keys: the command line and scripts use the API as a person, through the same permission check."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import logged_in
from torsion.web.accounts.models import ApiToken
from torsion.web.accounts.tokens import create_token

pytestmark = pytest.mark.django_db


def _bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_key_made_on_the_account_page_works_once_shown(patient):
    client = logged_in(patient.user)
    page = client.post("/accounts/profile/keys/", {"name": "laptop"}).content.decode()
    key = re.search(r'<code class="new-key">(tsn_[\w-]+)</code>', page).group(1)
    token = ApiToken.objects.get(user=patient.user)
    assert key not in token.key_hash and token.prefix == key[:10]
    assert key not in client.get("/accounts/profile/").content.decode()  # shown only once


def test_key_acts_as_its_owner_through_the_permission_check(client, patient, other_patient):
    _, key = create_token(patient.user, "script")
    me = client.get("/api/me", **_bearer(key))
    assert me.status_code == 200 and me.json()["patient_id"] == patient.pk
    assert client.get(f"/api/patients/{patient.pk}/diary", **_bearer(key)).status_code == 200
    assert client.get(f"/api/patients/{other_patient.pk}/diary", **_bearer(key)).status_code == 404
    # Writes with a key need no CSRF token (no cookie is involved).
    response = client.put(f"/api/patients/{patient.pk}/diary/2026-01-05", '{"severity": {"neck": 3}}',
                          content_type="application/json", **_bearer(key))
    assert response.status_code == 200


def test_revoked_or_wrong_keys_are_refused(client, patient):
    token, key = create_token(patient.user, "old")
    owner = logged_in(patient.user)
    assert owner.post(f"/accounts/profile/keys/{token.pk}/revoke/").status_code == 302
    assert client.get("/api/me", **_bearer(key)).status_code == 401
    assert client.get("/api/me", **_bearer("tsn_madeup")).status_code == 401
    assert client.get("/api/me", **_bearer("x" * 500)).status_code == 401


def test_nobody_can_revoke_another_persons_key(patient, other_patient):
    token, key = create_token(patient.user, "mine")
    response = logged_in(other_patient.user).post(f"/accounts/profile/keys/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_key_of_a_deactivated_account_stops_working(client, patient):
    _, key = create_token(patient.user, "mine")
    patient.user.is_active = False
    patient.user.save()
    assert client.get("/api/me", **_bearer(key)).status_code == 401
