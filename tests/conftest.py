from __future__ import annotations

import os

import pytest


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({'TORSION_TEST_POSTGRES_URL set' if os.environ.get('TORSION_TEST_POSTGRES_URL') else 'no PostgreSQL URL'})"


@pytest.fixture
def today():
    from torsion.web.records.services import today as local_today

    return local_today()
