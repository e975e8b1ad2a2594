from __future__ import annotations

import pytest
from django.test import Client

from tests import factories


@pytest.fixture
def patient(db):
    return factories.make_patient("pat", regions=("neck", "upper_face"))


@pytest.fixture
def other_patient(db):
    return factories.make_patient("other")


@pytest.fixture
def clinician(db, patient):
    clinician = factories.make_clinician("doc")
    factories.grant(patient, clinician, can_edit=True)
    return clinician


@pytest.fixture
def stranger_clinician(db):
    return factories.make_clinician("stranger")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def patient_client(patient):
    return logged_in(patient.user)


@pytest.fixture
def other_client(other_patient):
    return logged_in(other_patient.user)
