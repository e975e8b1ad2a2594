from __future__ import annotations

import os

import pytest
from hypothesis import settings

# By default hypothesis fails any example that takes longer than 200 ms: a duration assertion that a
# busy machine trips. Speed is measured by benchmarks/, never by tests, so no example has a deadline.
settings.register_profile("torsion", deadline=None)
settings.load_profile("torsion")


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({'TORSION_TEST_POSTGRES_URL set' if os.environ.get('TORSION_TEST_POSTGRES_URL') else 'no PostgreSQL URL'})"


@pytest.fixture
def today():
    from torsion.web.records.services import today as local_today

    return local_today()
