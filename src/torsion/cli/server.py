"""``torsion serve`` and ``torsion demo``: the web application's shell commands."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import typer

from torsion.cli import native_logs
from torsion.cli.app import app, fail


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torsion.web.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


@app.command()
def demo(
    reset: bool = typer.Option(False, "--reset", help="Replace the demo accounts' records with fresh ones."),
) -> None:
    """Migrate the database if needed and create the demo patient and clinician with sample data."""
    setup_django()
    from django.conf import settings

    from torsion.web.core.demo import DEMO_CLINICIAN, DEMO_PASSWORD, DEMO_PATIENT, DemoRefused, create_demo

    if settings.PRODUCTION:
        fail("refusing to create demo accounts on a production site (TORSION_ENV=production)")
    _migrate()
    try:
        result = create_demo(reset=reset)
    except DemoRefused as exc:
        fail(str(exc))
    state = "created" if result.created else "already present (use --reset to recreate)"
    typer.echo(f"Demo data {state}: {result.diary_entries} diary entries, {result.injections} injections.")
    if result.voice_examples:
        typer.echo(f"Example voice recordings synthesised and analysed: {result.voice_examples}.")
    typer.echo(f"Demo logins: {DEMO_PATIENT} / {DEMO_PASSWORD}    {DEMO_CLINICIAN} / {DEMO_PASSWORD}")


def _stop(process: subprocess.Popen, grace_s: float = 10.0) -> None:
    """Ask ``process`` to stop, and make it stop if it has not within ``grace_s`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@app.command()
def serve(
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    threads: int = typer.Option(8, "--threads", min=1, max=64, help="Worker threads of the web server."),
    worker: bool = typer.Option(True, "--worker/--no-worker", help="Also run the background analysis worker."),
) -> None:
    """Serve the web application (and run the background worker beside it)."""
    setup_django()
    from django.conf import settings

    _migrate()
    from waitress import create_server

    from torsion.web.wsgi import application

    try:
        server = create_server(application, host=host, port=port, threads=threads, ident="Torsion",
                               max_request_body_size=settings.TORSION_MAX_UPLOAD_BYTES + 1024 * 1024)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    # A service manager stops the app with SIGTERM: leave through the same path as Ctrl+C, so the
    # background worker is stopped too rather than left running on its own.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    background = forwarder = None
    try:
        if worker and not settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend"):
            log_target = None if native_logs.kept() else getattr(sys.stderr, "buffer", None)
            background = subprocess.Popen(
                [sys.executable, "-m", "django", "db_worker", "--queue-name", "*", "--interval", "1"],
                env={**os.environ, "DJANGO_SETTINGS_MODULE": "torsion.web.settings"},
                stderr=None if log_target is None else subprocess.PIPE,
            )
            if log_target is not None:  # the worker's log, without MediaPipe's C++ lines
                forwarder = threading.Thread(
                    target=native_logs.forward_without_native_logs,
                    args=(background.stderr, log_target),
                    name="torsion-worker-log",
                    daemon=True,
                )
                forwarder.start()
        typer.echo(f"Torsion is running at http://{host}:{port}/  (data in {settings.DATA_DIR}; Ctrl+C stops it)")
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not cut the shutdown short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        server.close()
        if background is not None:
            _stop(background)
        if forwarder is not None:
            forwarder.join(timeout=5)  # the worker's last lines
