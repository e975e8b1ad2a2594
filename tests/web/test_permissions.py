"""Nobody reads or changes another person's records: every page and API route is tried as the wrong user.

The URL patterns and the OpenAPI schema are walked, so a page or route added later is covered
automatically (and the test fails until it is given a sample value for any new keyword).
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, timedelta

import pytest

from tests import factories
from tests.urlwalk import fill, walk
from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.clinical import scales
from torsion.web.accounts.models import Patient
from torsion.web.accounts.permissions import Access, can_access
from torsion.web.api import api

# URL keywords that identify something other than patient data, with where they may appear.
NON_PATIENT_PREFIXES = ("admin/", "accounts/", "api/", "learn/", "theme/", "static/")


def patient_patterns():
    return [(route, entry) for route, entry in walk() if "<int:patient_id>" in route]


@pytest.fixture
def victim_urls(patient, today):
    values = {"patient_id": patient.pk}
    values.update({k: (v.pk if hasattr(v, "pk") else v) for k, v in factories.fill_record(patient, today=today).items()})
    return [(route, fill(route, values)) for route, _ in patient_patterns()]


def test_every_patient_url_goes_through_the_permission_check():
    routes = patient_patterns()
    assert len(routes) >= 4
    unguarded = [route for route, entry in routes if not hasattr(entry.callback, "patient_access")]
    assert unguarded == []


def test_no_object_url_outside_a_patient_scope():
    """Every address with an object number lives under /patients/<patient_id>/ (or is Django's own)."""
    offenders = [
        route for route, _ in walk()
        if re.search(r"<int:\w+>", route) and "<int:patient_id>" not in route and not route.startswith(NON_PATIENT_PREFIXES)
    ]
    assert offenders == []


@pytest.mark.parametrize("attacker", ["other_patient", "stranger_clinician"])
def test_wrong_user_gets_not_found_on_every_page(request, attacker, victim_urls):
    user = request.getfixturevalue(attacker).user
    client = logged_in(user)
    before = database_state()
    for route, url in victim_urls:
        get = client.get(url)
        assert get.status_code in (403, 404), f"GET {url} gave {get.status_code}"
        post = client.post(url, {"note": "intrusion", "regions": ["neck"], "severity_neck": 1})
        assert post.status_code in (403, 404), f"POST {url} gave {post.status_code}"
    assert database_state() == before


def test_anonymous_visitor_is_sent_to_log_in(client, victim_urls):
    for route, url in victim_urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def _allowed(access: Access, *, owner: bool, can_edit: bool) -> bool:
    return owner or access is Access.VIEW or (access is Access.EDIT and can_edit)


@pytest.fixture
def victim_pages(patient, today):
    values = {"patient_id": patient.pk}
    values.update({k: (v.pk if hasattr(v, "pk") else v) for k, v in factories.fill_record(patient, today=today).items()})
    return [(fill(route, values), entry.callback.patient_access) for route, entry in patient_patterns()]


def test_owner_and_granted_clinician_open_what_their_access_allows(patient, clinician, victim_pages):
    """The patient opens every page; a recording clinician every page but the patient's own (diary, sharing)."""
    for user, owner in ((patient.user, True), (clinician.user, False)):
        client = logged_in(user)
        for url, access in victim_pages:
            response = client.get(url)
            if _allowed(access, owner=owner, can_edit=True):
                # 405: a POST-only action (such as "save"), reached by the right person with the wrong method.
                assert response.status_code in (200, 302, 405), f"{user} GET {url} gave {response.status_code}"
            else:
                assert response.status_code == 404, f"{user} GET {url} gave {response.status_code}"


def test_read_only_clinician_cannot_write_anywhere(patient, stranger_clinician, victim_pages):
    factories.grant(patient, stranger_clinician, can_edit=False)
    client = logged_in(stranger_clinician.user)
    before = database_state(exclude=("audit_accessevent",))
    for url, access in victim_pages:
        expected_get = (200, 302, 405) if access is Access.VIEW else (404,)
        assert client.get(url).status_code in expected_get, url
        post = client.post(url, {"note": "changed", "regions": ["neck"], "severity_neck": 1, "level": "edit", "days": 7})
        assert post.status_code in (404, 405), f"POST {url} gave {post.status_code}"
    assert database_state(exclude=("audit_accessevent",)) == before


def test_revoked_grant_ends_access(patient, clinician, victim_urls):
    grant = patient.grants.get(clinician=clinician)
    grant.revoke()
    client = logged_in(clinician.user)
    for route, url in victim_urls:
        assert client.get(url).status_code == 404, url


def test_read_only_grant_cannot_edit(patient, stranger_clinician):
    factories.grant(patient, stranger_clinician, can_edit=False)
    user = stranger_clinician.user
    assert can_access(user, patient, Access.VIEW)
    assert not can_access(user, patient, Access.EDIT)
    assert not can_access(user, patient, Access.OWNER)


def test_administrator_role_gives_no_access_to_health_data(patient, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x-Long-password-1", role="admin")
    assert not can_access(admin, patient, Access.VIEW)


# --- API -------------------------------------------------------------------------------------------

def _api_operations():
    schema = api.get_openapi_schema(path_prefix="/api")
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def _sample_video():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("rest.webm", b"\x1a\x45\xdf\xa3" + b"\0" * 60, content_type="video/webm")


#: Routes that take a multipart form (file uploads): a function returning valid form data.
def _sample_frame():
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000080000000808020000004b6d29dc0000002349444154081d6dc101"
                        "0100000001205e37df0155e429f214798a3c459e224f91a7c833dfa80b49e5af19af0000000049454e44ae426082")
    return SimpleUploadedFile("frame.png", png, content_type="image/png")


SAMPLE_MULTIPART = {
    ("POST", "/api/patients/{patient_id}/recordings"): lambda: {"kind": "head", "task": "rest", "video": _sample_video()},
    ("POST", "/api/patients/{patient_id}/recordings/camera-check"): lambda: {"frame": _sample_frame(), "fps": "30"},
}

_RECENT = (date.today() - timedelta(days=10)).isoformat()  # after every date fill_record uses, not in the future
_INJECTION = {"date": _RECENT, "product": "incobotulinumtoxinA", "guidance": "ultrasound",
              "lines": [{"muscle": "splenius_capitis", "side": "right", "units": 50, "sites": 2},
                        {"muscle": "sternocleidomastoid", "side": "left", "units": 30}],
              "confirm": True}  # 10 days after fill_record's neck injection: the interval check is confirmed
_MEDICATION = {"drug": "baclofen", "dose_amount": 10, "times_per_day": 3, "start": _RECENT}
_PROGRAMMING = {"date": _RECENT, "settings": {"left": {"contacts": "1-, C+", "amplitude": 2.5, "amplitude_unit": "mA",
                                                       "pulse_width_us": 90, "frequency_hz": 130}}}
_IMPLANT = {"implant_date": _RECENT, "target": "gpi", "side": "bilateral"}
_PROCEDURE = {"date": _RECENT, "kind": "myectomy"}
_THERAPY = {"date": _RECENT, "kind": "speech", "duration_min": 30}
_ADVERSE_EVENT = {"onset": _RECENT, "kind": "neck_weakness", "severity": "moderate", "duration_days": 9}

_STROKE_T = [k / 100 for k in range(40)]
_DRAWING = {"task": "spiral", "hand": "left", "pointer_type": "touch", "t_s": _STROKE_T,
            "x": [100 + 50 * math.cos(t * 6) for t in _STROKE_T], "y": [100 + 50 * math.sin(t * 6) for t in _STROKE_T]}

_BSDI = {"scale": "bsdi", "administered_on": _RECENT,
         "answers": {item.id: item.allowed[0] for item in scales.get_scale("bsdi").items}}

SAMPLE_BODIES = {
    ("POST", "/api/patients/{patient_id}/scales"): _BSDI,
    ("POST", "/api/patients/{patient_id}/drawings"): _DRAWING,
    ("PUT", "/api/patients/{patient_id}/diary/{day}"): {"severity": {"neck": 2}, "pain": 1},
    ("POST", "/api/patients/{patient_id}/diary"): {"date": _RECENT, "period": "evening", "severity": {"neck": 2}},
    ("PUT", "/api/patients/{patient_id}/diary/check-ins/{entry_id}"): {"severity": {"neck": 3}, "period": "morning"},
    ("POST", "/api/patients/{patient_id}/injections"): _INJECTION,
    ("PUT", "/api/patients/{patient_id}/injections/{injection_id}"): _INJECTION,
    ("POST", "/api/patients/{patient_id}/medications"): _MEDICATION,
    ("PUT", "/api/patients/{patient_id}/medications/{medication_id}"): _MEDICATION,
    ("POST", "/api/patients/{patient_id}/dbs-implants/{implant_id}/programming"): _PROGRAMMING,
    ("PUT", "/api/patients/{patient_id}/dbs-implants/{implant_id}/programming/{programming_id}"): _PROGRAMMING,
    ("POST", "/api/patients/{patient_id}/dbs-implants"): _IMPLANT,
    ("PUT", "/api/patients/{patient_id}/dbs-implants/{implant_id}"): _IMPLANT,
    ("POST", "/api/patients/{patient_id}/procedures"): _PROCEDURE,
    ("PUT", "/api/patients/{patient_id}/procedures/{procedure_id}"): _PROCEDURE,
    ("POST", "/api/patients/{patient_id}/therapy-sessions"): _THERAPY,
    ("PUT", "/api/patients/{patient_id}/therapy-sessions/{therapy_id}"): _THERAPY,
    ("POST", "/api/patients/{patient_id}/adverse-events"): _ADVERSE_EVENT,
    ("PUT", "/api/patients/{patient_id}/adverse-events/{event_id}"): _ADVERSE_EVENT,
}


@pytest.fixture
def victim_api_calls(patient, today):
    values = {"patient_id": patient.pk}
    values.update({k: (v.pk if hasattr(v, "pk") else v) for k, v in factories.fill_record(patient, today=today).items()})
    calls = []
    for path, method, _ in _api_operations():
        if "{patient_id}" not in path:
            continue
        names = re.findall(r"{(\w+)}", path)
        missing = [n for n in names if n not in values]
        assert not missing, f"Add a sample value for API parameter(s) {missing} in {path}"
        url = re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)
        body = SAMPLE_BODIES.get((method, path)) or SAMPLE_MULTIPART.get((method, path))
        if method in ("POST", "PUT", "PATCH"):
            assert body is not None, f"Add a valid sample body for {method} {path} to SAMPLE_BODIES"
        calls.append((method, url, body))
    assert calls
    return calls


def _call(client, method, url, body):
    if callable(body):
        return client.post(url, body())
    return client.generic(method, url, data=None if body is None else json.dumps(body),
                          content_type="application/json")


def test_every_api_route_with_patient_data_is_patient_scoped():
    for path, method, _ in _api_operations():
        if path in ("/api/me",):
            continue
        assert path.startswith("/api/patients/{patient_id}/"), f"{method} {path} is not under a patient scope"


@pytest.mark.parametrize("attacker", ["other_patient", "stranger_clinician"])
def test_wrong_user_gets_not_found_on_every_api_route(request, attacker, victim_api_calls):
    client = logged_in(request.getfixturevalue(attacker).user)
    before = database_state()
    for method, url, body in victim_api_calls:
        response = _call(client, method, url, body)
        assert response.status_code in (403, 404), f"{method} {url} gave {response.status_code}"
    assert database_state() == before


def test_api_needs_authentication(client, victim_api_calls):
    for method, url, body in victim_api_calls:
        response = client.generic(method, url, content_type="application/json")
        assert response.status_code in (401, 403), f"{method} {url} gave {response.status_code}"
    assert client.get("/api/me").status_code == 401


def test_owner_can_use_every_api_route(patient, victim_api_calls):
    client = logged_in(patient.user)
    for method, url, body in victim_api_calls:
        response = _call(client, method, url, body)
        assert response.status_code < 300, f"{method} {url} gave {response.status_code}: {response.content[:200]}"


def test_patient_ids_are_not_guessable_into_access(other_patient, patient):
    """Trying neighbouring ids does not reveal whether they exist: the answer is the same 404."""
    client = logged_in(other_patient.user)
    missing_id = Patient.objects.order_by("-pk").first().pk + 100
    assert client.get(f"/patients/{patient.pk}/").status_code == client.get(f"/patients/{missing_id}/").status_code == 404


def _bearer(user) -> dict[str, str]:
    from torsion.web.accounts.tokens import create_token

    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'script')[1]}"}


def test_revoked_grant_ends_api_access_for_sessions_and_api_keys(patient, clinician, victim_api_calls):
    from django.test import Client

    headers = _bearer(clinician.user)
    keyed = Client(**headers)
    assert keyed.get(f"/api/patients/{patient.pk}/diary").status_code == 200
    patient.grants.get(clinician=clinician).revoke()
    session = logged_in(clinician.user)
    before = database_state(exclude=("audit_accessevent", "accounts_apitoken"))
    for method, url, body in victim_api_calls:
        for client in (session, keyed):
            response = _call(client, method, url, body)
            assert response.status_code in (403, 404), f"{method} {url} gave {response.status_code} after revocation"
    assert database_state(exclude=("audit_accessevent", "accounts_apitoken")) == before


def test_read_only_clinician_reads_but_cannot_write_through_the_api(patient, stranger_clinician, victim_api_calls):
    from django.test import Client

    factories.grant(patient, stranger_clinician, can_edit=False)
    client = Client(**_bearer(stranger_clinician.user))
    before = database_state(exclude=("audit_accessevent", "accounts_apitoken"))
    for method, url, body in victim_api_calls:
        response = _call(client, method, url, body)
        if method == "GET":
            assert response.status_code == 200, f"GET {url} gave {response.status_code}"
        else:
            assert response.status_code in (403, 404), f"{method} {url} gave {response.status_code}"
    assert database_state(exclude=("audit_accessevent", "accounts_apitoken")) == before
