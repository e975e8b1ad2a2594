"""MediaPipe's C++ log lines are recognised exactly, and only they are left out of what is passed on."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from torsion.cli import native_logs

NATIVE = [
    "INFO: Created TensorFlow Lite XNNPACK delegate for CPU.",
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    "W0000 00:00:1795950339.086933   20419 inference_feedback_manager.cc:114] Feedback manager requires a "
    "model with a single signature inference. Disabling support for feedback tensors.",
    "I0000 00:00:1795950339.113925   20420 gl_context.cc:369] GL version: 2.1",
]
OWN = [
    # MediaPipe's own errors and fatal checks say why something failed: they are kept.
    "E1129 10:41:02.123456 7 calculator_graph.cc:887] INTERNAL: something failed",
    "F0000 00:00:1795950339.113925   20420 image_frame.cc:12] Check failed: width > 0",
    "INFO 2026-11-29 10:41:02,123 db_worker Task 5 (analyse recording) succeeded",
    "WARNING: a recording could not be analysed",
    "Traceback (most recent call last):",
    "W0000 is not a log line without the rest",
    "  File \"/x/y.py\", line 3, in <module>",
    "",
]


@pytest.mark.parametrize("line", NATIVE)
def test_native_lines_are_recognised(line):
    assert native_logs.is_native_log_line(line)


@pytest.mark.parametrize("line", OWN)
def test_other_lines_are_not(line):
    assert not native_logs.is_native_log_line(line)


def test_forwarding_keeps_every_other_line_in_order():
    lines = [NATIVE[0], OWN[0], NATIVE[2], OWN[2], OWN[4], NATIVE[1], OWN[1]]
    source = io.BytesIO("".join(f"{line}\n" for line in lines).encode() + "ünïcode without newline".encode())
    target = io.BytesIO()
    native_logs.forward_without_native_logs(source, target)
    expected = [OWN[0], OWN[2], OWN[4], OWN[1]]
    assert target.getvalue().decode() == "".join(f"{line}\n" for line in expected) + "ünïcode without newline"


class BrokenTerminal(io.BytesIO):
    def write(self, data):
        raise BrokenPipeError("the terminal went away")


def test_forwarding_reads_to_the_end_when_the_terminal_is_gone():
    source = io.BytesIO(b"".join(f"{line}\n".encode() for line in OWN * 50))
    native_logs.forward_without_native_logs(source, BrokenTerminal())
    assert source.tell() == len(source.getvalue())


SCRIPT = """
import os, sys
from torsion.cli import native_logs
with native_logs.filtered():
    os.write(2, b"W0000 00:00:1.0   1 native.cc:1] from native code\\n")
    os.write(2, b"E0000 00:00:1.0   1 native.cc:2] a native error\\n")
    print("from Python", file=sys.stderr, flush=True)
os.write(2, b"after\\n")
"""


@pytest.mark.parametrize(("keep", "expected"), [
    (None, ["E0000 00:00:1.0   1 native.cc:2] a native error", "from Python", "after"]),
    ("1", ["W0000 00:00:1.0   1 native.cc:1] from native code", "E0000 00:00:1.0   1 native.cc:2] a native error",
           "from Python", "after"]),
], ids=["filtered", "kept on request"])
def test_descriptor_2_is_filtered_only_while_a_measure_runs(keep, expected):
    env = {k: v for k, v in os.environ.items() if k != native_logs.KEEP_VARIABLE}
    if keep:
        env[native_logs.KEEP_VARIABLE] = keep
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True,
                          timeout=60)
    lines = done.stderr.splitlines()
    assert sorted(lines) == sorted(expected)  # Python's lines and the filtered native ones may interleave
    assert lines[-1] == "after"


def test_a_process_without_standard_error_is_left_alone():
    script = "import sys; sys.stderr = None\nfrom torsion.cli import native_logs\nwith native_logs.filtered(): print('ok')"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout == "ok\n"
