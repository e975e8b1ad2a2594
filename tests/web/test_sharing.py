"""Sharing a record through the real pages: invite, accept, the wrong codes, stop sharing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests import factories
from tests.web.conftest import logged_in
from torsion.web.accounts import sharing
from torsion.web.accounts.models import CareGrant, Invitation


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()


def _invite(client, patient, level="read", days=7) -> str:
    response = client.post(f"/patients/{patient.pk}/sharing/", {"level": level, "days": days})
    assert response.status_code == 200
    match = re.search(r"data-invitation-code>([0-9A-Z]{5}-[0-9A-Z]{5})<", response.content.decode())
    assert match, "the new code is shown on the page"
    return match.group(1)


def _accept(client, code):
    return client.post("/clinic/accept/", {"code": code})


def test_invite_accept_and_stop_sharing_through_the_pages(patient, stranger_clinician):
    owner = logged_in(patient.user)
    doctor = logged_in(stranger_clinician.user)
    assert doctor.get(f"/patients/{patient.pk}/").status_code == 404

    code = _invite(owner, patient, level="edit", days=14)
    invitation = Invitation.objects.get(patient=patient)
    assert invitation.can_edit and invitation.state == "pending"
    assert code.replace("-", "") not in invitation.code_hash  # only a hash is kept
    assert abs((invitation.expires_at - timezone.now()) - timedelta(days=14)) < timedelta(minutes=1)
    assert "Invitations not yet used" in owner.get(f"/patients/{patient.pk}/sharing/").content.decode()

    # The link form of the code pre-fills the page; typing it loosely (lower case, spaces) works.
    assert code in doctor.get(f"/clinic/accept/?code={code}").content.decode()
    response = _accept(doctor, " " + code.lower().replace("-", " ") + " ")
    assert response.status_code == 302 and response["Location"] == f"/patients/{patient.pk}/"
    grant = CareGrant.objects.active().get(patient=patient, clinician=stranger_clinician)
    assert grant.can_edit
    assert doctor.get(f"/patients/{patient.pk}/").status_code == 200
    assert patient.user.shown_name in doctor.get("/clinic/").content.decode()

    page = owner.get(f"/patients/{patient.pk}/sharing/").content.decode()
    assert "Who has access now" in page and str(stranger_clinician) in page and "may see your record and add to it" in page.lower()

    response = owner.post(f"/patients/{patient.pk}/sharing/{grant.pk}/stop/")
    assert response.status_code == 302
    assert doctor.get(f"/patients/{patient.pk}/").status_code == 404
    assert not CareGrant.objects.active().filter(patient=patient, clinician=stranger_clinician).exists()
    assert "Access you have ended" in owner.get(f"/patients/{patient.pk}/sharing/").content.decode()


def test_a_code_works_once(patient, stranger_clinician):
    code = _invite(logged_in(patient.user), patient)
    assert _accept(logged_in(stranger_clinician.user), code).status_code == 302
    second = factories.make_clinician("second")
    response = _accept(logged_in(second.user), code)
    assert response.status_code == 400 and "already been used" in response.content.decode()
    assert not CareGrant.objects.filter(clinician=second).exists()


@pytest.mark.parametrize(("typed", "message"), [
    ("ABCDE", "ten letters and digits"),
    ("ABCDE-1234U", "ten letters and digits"),  # U is not in the alphabet
    ("ZZZZZ-ZZZZZ", "No invitation has this code"),
    ("", "This field is required"),
])
def test_mistyped_codes_get_a_clear_message_and_change_nothing(patient, stranger_clinician, typed, message):
    _invite(logged_in(patient.user), patient)
    response = _accept(logged_in(stranger_clinician.user), typed)
    assert response.status_code == 400 and message in response.content.decode()
    assert not CareGrant.objects.filter(clinician=stranger_clinician).exists()


def test_an_expired_code_is_refused(patient, stranger_clinician):
    code = _invite(logged_in(patient.user), patient, days=1)
    Invitation.objects.filter(patient=patient).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = _accept(logged_in(stranger_clinician.user), code)
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert not CareGrant.objects.filter(clinician=stranger_clinician).exists()


def test_a_cancelled_invitation_is_refused(patient, stranger_clinician):
    owner = logged_in(patient.user)
    code = _invite(owner, patient)
    invitation = Invitation.objects.get(patient=patient)
    assert owner.post(f"/patients/{patient.pk}/sharing/invitations/{invitation.pk}/cancel/").status_code == 302
    response = _accept(logged_in(stranger_clinician.user), code)
    assert response.status_code == 400 and "cancelled" in response.content.decode()


def test_repeated_wrong_codes_are_slowed_down(patient, stranger_clinician):
    code = _invite(logged_in(patient.user), patient)
    doctor = logged_in(stranger_clinician.user)
    for _ in range(sharing.MAX_FAILURES):
        _accept(doctor, "ZZZZZ-ZZZZZ")
    response = _accept(doctor, code)
    assert response.status_code == 400 and "Too many codes" in response.content.decode()
    assert not CareGrant.objects.filter(clinician=stranger_clinician).exists()


def test_accepting_again_replaces_the_old_grant_with_the_new_level(patient, clinician):
    old = CareGrant.objects.active().get(patient=patient, clinician=clinician)
    assert old.can_edit
    code = _invite(logged_in(patient.user), patient, level="read")
    assert _accept(logged_in(clinician.user), code).status_code == 302
    active = CareGrant.objects.active().get(patient=patient, clinician=clinician)
    assert active.pk != old.pk and not active.can_edit


def test_patients_cannot_accept_codes_and_clinicians_cannot_invite(patient, other_patient, clinician):
    code = _invite(logged_in(patient.user), patient)
    response = _accept(logged_in(other_patient.user), code)
    assert response.status_code == 403
    assert Invitation.objects.get(patient=patient).state == "pending"
    assert logged_in(clinician.user).post(f"/patients/{patient.pk}/sharing/", {"level": "edit", "days": 7}).status_code == 404


def test_invalid_invitation_choices_change_nothing(patient):
    response = logged_in(patient.user).post(f"/patients/{patient.pk}/sharing/", {"level": "everything", "days": 365})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_code_normalisation_reads_ambiguous_letters_one_way():
    assert sharing.normalise(" abcde-fgh1o ") == "ABCDEFGH10"
    assert sharing.normalise("iIlL0oO") == "1111000"
