"""Which database the model and API tests ran on: SQLite always, PostgreSQL in a second run."""

import os

import pytest
from django.db import connection


def test_postgres_run_is_configured():
    if not os.environ.get("TORSION_TEST_POSTGRES_URL"):
        pytest.skip("TORSION_TEST_POSTGRES_URL is not set: the model and API tests run on SQLite only "
                    "(.ci/run sets it and `make test` then repeats them on PostgreSQL)")
    assert os.environ["TORSION_TEST_POSTGRES_URL"].startswith(("postgres://", "postgresql://"))


@pytest.mark.django_db
def test_tests_run_on_the_database_they_were_given():
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")) \
        else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("select 1")
        assert cursor.fetchone() == (1,)
