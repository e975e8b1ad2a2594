"""MediaPipe's C++ log lines: recognise them and keep them off the person's terminal.

MediaPipe (with TensorFlow Lite and Abseil inside) writes notes such as "Created TensorFlow Lite
XNNPACK delegate for CPU" and "Feedback manager requires a model with a single signature" straight
to the process's standard error (file descriptor 2), below Python. They mean nothing to someone
measuring a video or running the app, so the command line drops them:

* ``torsion measure`` points descriptor 2 at the null device while a measure runs
  (:func:`dropped`); Python's own ``sys.stderr`` keeps writing to the terminal.
* ``torsion serve`` reads the background worker's standard error and passes on every line except
  MediaPipe's (:func:`forward_without_native_logs`), so the worker's own log stays whole.

Set ``TORSION_NATIVE_LOGS=1`` to keep them when investigating a problem (:func:`kept`).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

__all__ = ["KEEP_VARIABLE", "dropped", "forward_without_native_logs", "is_native_log_line", "kept"]

#: Environment variable that keeps the native log lines.
KEEP_VARIABLE = "TORSION_NATIVE_LOGS"

#: Abseil/glog lines ("W0000 00:00:1795950339.086933   20419 file.cc:114] text") and the two
#: lines TensorFlow Lite and Abseil print before Abseil's logging is set up.
_NATIVE_LINE = re.compile(
    r"(?:[IWEF]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ [\w.+-]+:\d+\] "
    r"|INFO: Created TensorFlow Lite "
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR)"
)


def kept() -> bool:
    """True when ``TORSION_NATIVE_LOGS`` asks to keep the native log lines."""
    return bool(os.environ.get(KEEP_VARIABLE))


def is_native_log_line(line: str) -> bool:
    """True for a log line written by MediaPipe's C++ code (TensorFlow Lite, Abseil)."""
    return _NATIVE_LINE.match(line) is not None


def forward_without_native_logs(source: Iterable[bytes], target: BinaryIO) -> None:
    """Copy lines from ``source`` to ``target`` as they come, leaving out the native log lines."""
    for line in source:
        if not is_native_log_line(line.decode("utf-8", "replace")):
            target.write(line)
            target.flush()


@contextmanager
def dropped() -> Iterator[None]:
    """Send what native code writes to descriptor 2 to the null device for the duration.

    When Python's ``sys.stderr`` writes to descriptor 2 itself, it is pointed at a copy of the
    original descriptor meanwhile, so Python's messages and progress bars still show. Nothing is
    changed when :func:`kept` is true.
    """
    if kept():
        yield
        return
    python_stderr = sys.stderr
    try:
        python_uses_fd2 = python_stderr.fileno() == 2
    except (AttributeError, OSError, ValueError):  # a test runner's stream, for example
        python_uses_fd2 = False
    python_stderr.flush()
    original = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        if python_uses_fd2:
            sys.stderr = os.fdopen(
                os.dup(original), "w", buffering=1, encoding=python_stderr.encoding, errors=python_stderr.errors
            )
        os.dup2(null, 2)
        yield
    finally:
        if sys.stderr is not python_stderr:
            sys.stderr.close()
            sys.stderr = python_stderr
        os.dup2(original, 2)
        os.close(original)
        os.close(null)
