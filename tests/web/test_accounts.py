from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from tests import factories
from tests.web.snapshot import database_state
from torsion.web import settings as real_settings
from torsion.web.accounts.models import Clinician, Patient, User

pytestmark = pytest.mark.django_db

STRONG = "violet-Harbour-1987"


def test_signup_creates_a_patient_and_logs_in(client):
    response = client.post("/accounts/signup/", {
        "username": "newperson", "display_name": "Sam", "email": "", "role": "patient",
        "password1": STRONG, "password2": STRONG,
    })
    assert response.status_code == 302
    user = User.objects.get(username="newperson")
    assert user.role == "patient" and Patient.objects.filter(user=user).exists()
    assert user.password.startswith("md5$")  # the test settings' fast hasher; production uses argon2
    assert client.get("/dashboard/").status_code == 302


def test_signup_as_clinician_is_unverified(client):
    client.post("/accounts/signup/", {"username": "drx", "role": "clinician", "password1": STRONG, "password2": STRONG})
    clinician = Clinician.objects.get(user__username="drx")
    assert clinician.verified is False
    assert not hasattr(clinician.user, "patient")


def test_real_settings_hash_passwords_with_argon2():
    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    from django.contrib.auth.hashers import Argon2PasswordHasher

    encoded = Argon2PasswordHasher().encode("secret", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")


def test_login_logout(client, db):
    patient = factories.make_patient("ann")
    response = client.post("/accounts/login/", {"username": "ann", "password": factories.PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client.get("/dashboard/")["Location"] == f"/patients/{patient.pk}/"
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get(f"/patients/{patient.pk}/").status_code == 302  # back to log-in


def test_wrong_password_message(client, db):
    factories.make_patient("ann")
    response = client.post("/accounts/login/", {"username": "ann", "password": "wrong-one"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_login_is_throttled_after_five_failures(client, db):
    factories.make_patient("ann")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ann", "password": "wrong-one"})
    response = client.post("/accounts/login/", {"username": "ann", "password": factories.PASSWORD})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    # Another user name from the same address is not locked.
    factories.make_patient("bob")
    assert client.post("/accounts/login/", {"username": "bob", "password": factories.PASSWORD}).status_code == 302


def test_password_change(client, db):
    patient = factories.make_patient("ann")
    client.force_login(patient.user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/accounts/password/change/", {
        "old_password": factories.PASSWORD, "new_password1": STRONG, "new_password2": STRONG,
    })
    assert response.status_code == 302
    patient.user.refresh_from_db()
    assert patient.user.check_password(STRONG)


def test_password_reset_by_email(client, db):
    factories.make_patient("ann")
    response = client.post("/accounts/password/reset/", {"email": "ann@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG})
    assert done.status_code == 302
    assert User.objects.get(username="ann").check_password(STRONG)


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=(self)" in response["Permissions-Policy"]


def test_cookies_are_secure_and_http_only_when_not_debugging(client, db):
    factories.make_patient("ann")
    response = client.post("/accounts/login/", {"username": "ann", "password": factories.PASSWORD})
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["secure"] and session["samesite"] == "Lax"


def test_csrf_is_enforced(db):
    factories.make_patient("ann")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "ann", "password": factories.PASSWORD})
    assert response.status_code == 403
    assert b"Form expired" in response.content


def test_theme_cookie_and_safe_redirect(client):
    response = client.post("/theme/", {"theme": "dark", "next": "/learn/"})
    assert response.status_code == 302 and response["Location"] == "/learn/"
    assert response.cookies["torsion_theme"].value == "dark"
    assert b'data-theme="dark"' in client.get("/").content
    elsewhere = client.post("/theme/", {"theme": "light", "next": "https://evil.example/"})
    assert elsewhere["Location"] == "/"
    assert client.post("/theme/", {"theme": "neon"}).cookies["torsion_theme"].value == "system"


def test_profile_update(client, db):
    patient = factories.make_patient("ann")
    client.force_login(patient.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post("/accounts/profile/", {"display_name": "Annie", "email": "a@example.org"}).status_code == 302
    patient.user.refresh_from_db()
    assert patient.user.display_name == "Annie"


@override_settings(DEBUG=False)
def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"There is nothing at this address" in response.content


def test_api_docs_served_without_cdn(client):
    html = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_bad_signup_changes_nothing(client, db):
    before = database_state()
    response = client.post("/accounts/signup/", {"username": "x y!", "role": "wizard", "password1": "123",
                                                 "password2": "456"})
    assert response.status_code == 200
    assert database_state() == before


def test_password_reset_confirm_rejects_mismatch_and_keeps_the_old_password(client, db):
    factories.make_patient("ann")
    client.post("/accounts/password/reset/", {"email": "ann@example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG + "x"})
    html = response.content.decode()
    assert 'id="id_new_password2_error"' in html and "didn’t match" in html
    assert User.objects.get(username="ann").check_password(factories.PASSWORD)
