"""The ``torsion`` command. Thin: each subcommand parses arguments and calls the library or the web app.

Each module below adds its commands to :data:`torsion.cli.app.app` when imported.
"""

from torsion.cli import classify  # noqa: F401
from torsion.cli import cycles  # noqa: F401
from torsion.cli import exchange  # noqa: F401  export, import, set-password
from torsion.cli import measure  # noqa: F401
from torsion.cli import measure_drawing  # noqa: F401  spiral, line, writing
from torsion.cli import report  # noqa: F401
from torsion.cli import score  # noqa: F401
from torsion.cli import server  # noqa: F401  serve, demo
from torsion.cli.app import app


def main() -> None:
    app()
