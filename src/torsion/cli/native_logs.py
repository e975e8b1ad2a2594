"""MediaPipe's C++ log lines: recognise them and keep them off the person's terminal.

MediaPipe (with TensorFlow Lite and Abseil inside) writes notes such as "Created TensorFlow Lite
XNNPACK delegate for CPU" and "Feedback manager requires a model with a single signature" straight
to the process's standard error (file descriptor 2), below Python. They mean nothing to someone
measuring a video or running the app, so the command line filters them out: its information and
warning lines are dropped, its error and fatal lines are kept, and so is everything else.

* ``torsion measure`` points descriptor 2 at a pipe while a measure runs, and a thread passes on
  what comes through it (:func:`filtered`); Python's own ``sys.stderr`` keeps writing to the
  terminal directly.
* ``torsion serve`` reads the background worker's standard error the same way
  (:func:`forward_without_native_logs`), so the worker's own log stays whole.

Set ``TORSION_NATIVE_LOGS=1`` to keep every line when investigating a problem (:func:`kept`).
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

__all__ = ["KEEP_VARIABLE", "filtered", "forward_without_native_logs", "is_native_log_line", "kept"]

#: Environment variable that keeps the native log lines.
KEEP_VARIABLE = "TORSION_NATIVE_LOGS"

#: Abseil/glog information and warning lines ("W0000 00:00:1795950339.086933   20419 file.cc:114]
#: text"; error and fatal lines start with E and F and are kept), and the two lines TensorFlow Lite
#: and Abseil print before Abseil's logging is set up.
_NATIVE_LINE = re.compile(
    r"(?:[IW]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ [\w.+-]+:\d+\] "
    r"|INFO: Created TensorFlow Lite "
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR)"
)


def kept() -> bool:
    """True when ``TORSION_NATIVE_LOGS`` asks to keep the native log lines."""
    return bool(os.environ.get(KEEP_VARIABLE))


def is_native_log_line(line: str) -> bool:
    """True for an information or warning line written by MediaPipe's C++ code."""
    return _NATIVE_LINE.match(line) is not None


def forward_without_native_logs(source: Iterable[bytes], target: BinaryIO) -> None:
    """Copy lines from ``source`` to ``target`` as they come, leaving out the native log lines.

    Reads ``source`` to its end even when ``target`` can no longer be written to, so that the
    writer is never blocked on a full pipe.
    """
    for line in source:
        if is_native_log_line(line.decode("utf-8", "replace")):
            continue
        try:
            target.write(line)
            target.flush()
        except (OSError, ValueError):  # closed or broken: keep draining
            pass


@contextmanager
def filtered() -> Iterator[None]:
    """Filter what native code writes to descriptor 2 for the duration (module docstring).

    When Python's ``sys.stderr`` writes to descriptor 2 itself, it is pointed at a copy of the
    original descriptor meanwhile, so Python's messages and progress bars are not delayed. Nothing
    is changed when :func:`kept` is true or when the process has no standard error.
    """
    python_stderr = sys.stderr
    try:
        original = os.dup(2)
    except OSError:  # no descriptor 2 at all
        original = None
    if kept() or original is None or python_stderr is None:
        if original is not None:
            os.close(original)
        yield
        return
    try:
        python_uses_fd2 = python_stderr.fileno() == 2
    except (AttributeError, OSError, ValueError):  # a test runner's stream, for example
        python_uses_fd2 = False
    python_stderr.flush()
    read_end, write_end = os.pipe()
    terminal = os.fdopen(os.dup(original), "wb")
    forwarder = threading.Thread(
        target=forward_without_native_logs,
        args=(os.fdopen(read_end, "rb"), terminal),
        name="torsion-native-log",
        daemon=True,
    )
    forwarder.start()
    try:
        if python_uses_fd2:
            sys.stderr = os.fdopen(
                os.dup(original), "w", buffering=1, encoding=python_stderr.encoding, errors=python_stderr.errors
            )
        os.dup2(write_end, 2)
        os.close(write_end)
        yield
    finally:
        if sys.stderr is not python_stderr:
            sys.stderr.close()
            sys.stderr = python_stderr
        os.dup2(original, 2)  # closes the pipe's last writing end: the forwarder reads to the end
        os.close(original)
        forwarder.join(timeout=5)
        terminal.close()
