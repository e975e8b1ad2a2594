from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.test import override_settings

from torsion import __version__
from torsion.web.accounts.models import CareGrant
from torsion.web.core.demo import DEMO_CLINICIAN, DEMO_PATIENT, DemoRefused, create_demo
from torsion.web.records.models import DiaryEntry, InjectionLine, ToxinInjection

TORSION = [sys.executable, "-m", "torsion.cli"]


@pytest.mark.django_db
def test_demo_creates_two_years_and_several_cycles():
    today = date(2026, 6, 1)
    result = create_demo(today=today)
    assert result.created
    entries = DiaryEntry.objects.filter(patient__user__username=DEMO_PATIENT)
    first, last = entries.order_by("date").first().date, entries.order_by("date").last().date
    assert (last - first) >= timedelta(days=730) and last <= today
    assert entries.count() > 600  # gaps are deliberate, but most days are there
    injections = ToxinInjection.objects.filter(patient__user__username=DEMO_PATIENT)
    assert injections.count() >= 6
    assert InjectionLine.objects.filter(injection__in=injections).count() == 5 * injections.count()
    assert CareGrant.objects.active().filter(clinician__user__username=DEMO_CLINICIAN).count() == 1


@pytest.mark.django_db
def test_demo_is_not_duplicated_and_reset_recreates():
    first = create_demo(today=date(2026, 6, 1))
    again = create_demo(today=date(2026, 6, 1))
    assert not again.created and again.diary_entries == first.diary_entries
    reset = create_demo(today=date(2026, 6, 1), reset=True, seed=8)
    assert reset.created and DiaryEntry.objects.count() == reset.diary_entries


@pytest.mark.django_db
@override_settings(PRODUCTION=True)
def test_demo_refuses_production():
    with pytest.raises(DemoRefused, match="never created on a production site"):
        create_demo()


def _clean_env(extra=None) -> dict[str, str]:
    """The environment of a fresh shell: none of the test suite's own settings leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TORSION_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    return {**env, **(extra or {})}


def _run(args, env_extra=None, **kwargs):
    env = _clean_env(env_extra)
    return subprocess.run(TORSION + args, capture_output=True, text=True, env=env, timeout=300, **kwargs)


def test_version():
    result = _run(["--version"])
    assert result.returncode == 0 and result.stdout.strip() == f"torsion {__version__}"


def test_demo_command_refuses_production(tmp_path):
    result = _run(["demo"], {"TORSION_DATA_DIR": str(tmp_path), "TORSION_ENV": "production",
                             "TORSION_SECRET_KEY": "k" * 50, "TORSION_ALLOWED_HOSTS": "example.org"})
    assert result.returncode == 2
    assert "refusing to create demo accounts on a production site" in result.stderr


def test_production_without_secret_key_fails_loudly(tmp_path):
    result = _run(["demo"], {"TORSION_DATA_DIR": str(tmp_path), "TORSION_ENV": "production"})
    assert result.returncode != 0 and "TORSION_SECRET_KEY must be set" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_demo_then_serve_like_make_run(tmp_path):
    """What `make run` does: create the demo data in a fresh data folder, then serve it."""
    data_dir = tmp_path / "data"
    env = {"TORSION_DATA_DIR": str(data_dir)}
    demo = _run(["demo"], env)
    assert demo.returncode == 0, demo.stderr
    assert "demo-patient / torsion-demo" in demo.stdout
    assert (data_dir / "torsion.sqlite3").exists() and (data_dir / "logs").is_dir()
    assert (data_dir / "secret_key").stat().st_mode & 0o077 == 0

    port = _free_port()
    environment = _clean_env(env)
    server = subprocess.Popen(TORSION + ["serve", "--port", str(port)], env=environment,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    worker = None
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert "Measure, record and understand dystonia" in body
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
        if children.exists():  # Linux
            (worker,) = map(int, children.read_text().split())  # the background worker beside the server
    finally:
        server.terminate()  # SIGTERM, as a service manager stops it
        output = server.communicate(timeout=20)[0]
    assert server.returncode == 0, output
    assert f"Torsion is running at http://127.0.0.1:{port}/" in output
    if worker is not None:
        assert not Path(f"/proc/{worker}").exists(), "the worker was stopped with the server"
    assert Path(data_dir / "logs" / "torsion.log").exists()


@pytest.mark.slow
def test_serve_on_a_port_in_use_says_so(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _run(["serve", "--port", str(port), "--no-worker"], {"TORSION_DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == f"torsion: cannot listen on 127.0.0.1:{port}: Address already in use"
