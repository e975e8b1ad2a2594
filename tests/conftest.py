from __future__ import annotations

import os

import pytest
from hypothesis import settings

# By default hypothesis fails any example that takes longer than 200 ms: a duration assertion that a
# busy machine trips. Speed is measured by benchmarks/, never by tests, so no example has a deadline.
#
# The suite is reproducible: each property test draws the same examples on every run (derandomize),
# so `make test` on a clean clone passes or fails the same way. Searching for new counterexamples is
# separate work: `make explore` (profile "explore": fresh random examples on every run, five runs),
# and what it finds becomes an explicit @example beside the test, with the fix.
settings.register_profile("torsion", deadline=None, derandomize=True)
settings.register_profile("explore", deadline=None, derandomize=False)
settings.load_profile(os.environ.get("TORSION_HYPOTHESIS_PROFILE", "torsion"))


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({'TORSION_TEST_POSTGRES_URL set' if os.environ.get('TORSION_TEST_POSTGRES_URL') else 'no PostgreSQL URL'})"


@pytest.fixture
def today():
    from torsion.web.records.services import today as local_today

    return local_today()
