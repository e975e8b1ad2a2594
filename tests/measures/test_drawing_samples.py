"""Pen samples: every kind of bad input gets its own plain message; CSV files are read or refused clearly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from torsion.measures.drawing import MIN_SAMPLES, DrawingInputError, PenSamples, read_samples_csv

N = 20
T = np.arange(N) / 100.0
X = np.linspace(0, 10, N)
Y = np.linspace(5, 0, N)


def _with(array, index, value):
    changed = np.array(array, dtype=float)
    changed[index] = value
    return changed


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"t_s": T[:9], "x": X[:9], "y": Y[:9]}, "Too few samples: 9 given, at least 10 are needed."),
        ({"t_s": [], "x": [], "y": []}, "Too few samples: 0 given"),
        ({"t_s": _with(T, 5, T[4]), "x": X, "y": Y},
         "Time must increase from each sample to the next; at sample 6 it goes from 0.04 s to 0.04 s."),
        ({"t_s": _with(T, 5, 0.01), "x": X, "y": Y}, "at sample 6 it goes from 0.04 s to 0.01 s"),
        ({"t_s": T, "x": _with(X, 2, np.nan), "y": Y}, "x has a missing or not-a-number value at sample 3."),
        ({"t_s": T, "x": X, "y": _with(Y, 0, np.inf)}, "y has a missing or not-a-number value at sample 1."),
        ({"t_s": _with(T, 7, np.nan), "x": X, "y": Y}, "t has a missing or not-a-number value at sample 8."),
        ({"t_s": T, "x": np.full(N, 3.0), "y": np.full(N, 4.0)},
         "Every sample with the pen down is at a single point: nothing was drawn."),
        ({"t_s": T, "x": X, "y": Y[:-1]}, "y has 19 values but t has 20"),
        ({"t_s": T, "x": X, "y": np.c_[Y, Y]}, "y must be a list of numbers"),
        ({"t_s": T, "x": ["a"] * N, "y": Y}, "x must be numbers."),
        ({"t_s": T, "x": X, "y": Y, "pressure": _with(np.full(N, 0.5), 3, 1.2)}, "pressure must lie between 0 and 1."),
        ({"t_s": T, "x": X, "y": Y, "pressure": _with(np.full(N, 0.5), 3, np.nan)},
         "pressure has a missing or not-a-number value at sample 4."),
        ({"t_s": T, "x": X, "y": Y, "pen_down": _with(np.ones(N), 3, 2)}, "pen_down must be 1 (touching) or 0"),
        ({"t_s": T, "x": X, "y": Y, "pen_down": np.zeros(N)}, "No sample has the pen down: nothing was drawn."),
        ({"t_s": T, "x": X, "y": Y, "unit": "cm"}, "unit must be one of mm, px; got 'cm'."),
    ],
)
def test_bad_input_gets_its_message(arguments, message):
    with pytest.raises(DrawingInputError) as caught:
        PenSamples(**arguments)
    assert message in str(caught.value)


def test_pen_lifted_points_may_coincide_but_drawn_points_may_not():
    # Hover samples at one spot and a drawn stroke elsewhere: fine.
    pen_down = np.r_[np.zeros(5), np.ones(N - 5)].astype(bool)
    samples = PenSamples(T, np.r_[np.zeros(5), X[5:]], np.r_[np.zeros(5), Y[5:]], pen_down=pen_down)
    assert samples.segments() == [slice(5, N)]


def test_segments_split_at_lifts_and_the_callers_arrays_are_left_alone():
    pen_down = np.ones(N)
    pen_down[[4, 10, 11]] = 0
    x = X.copy()
    samples = PenSamples(T, x, Y, pen_down=pen_down)
    assert samples.segments() == [slice(0, 4), slice(5, 10), slice(12, N)]
    assert samples.n == N and samples.sample_rate_hz == pytest.approx(100.0)
    x[0] = 99.0  # the samples hold their own copy
    assert samples.x[0] == 0.0
    assert not samples.x.flags.writeable
    assert MIN_SAMPLES == 10


def _write(tmp_path, text, name="samples.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_columns_in_any_order_with_optional_columns(tmp_path):
    rows = "\n".join(f"{y:.2f},{t:.2f},{x:.2f},1,0.4" for t, x, y in zip(T, X, Y, strict=True))
    samples = read_samples_csv(_write(tmp_path, "y,t,x,pen_down,pressure\n" + rows + "\n"))
    assert samples.n == N and samples.pressure[0] == 0.4 and samples.pen_down.all()
    assert samples.x[-1] == pytest.approx(10.0) and samples.unit == "mm"
    assert read_samples_csv(_write(tmp_path, "t,x,y\n" + "\n".join(
        f"{t},{x},{y}" for t, x, y in zip(T, X, Y, strict=True))), unit="px").unit == "px"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty."),
        ("t,x\n0,1\n", "the first line must name the columns t,x,y (and optionally pressure, pen_down); missing y."),
        ("t,x,y\n0,1,2\n0.1,2\n", "line 3 has 2 cells; the header has 3."),
        ("t,x,y\n0,1,2\n0.1,two,2\n", "line 3: x = 'two' is not a number."),
        ("t,x,y\n" + "\n".join(f"{k / 100},{'nan' if k == 2 else k},1" for k in range(12)),
         "x has a missing or not-a-number value on line 4."),
        ("t,x,y\n" + "\n".join(f"{0.5 if k == 3 else k / 100},{k},1" for k in range(12)),
         "on line 6 it goes from 0.5 s to 0.04 s."),
        ("t,x,y\n" + "\n".join(f"{k / 100},3,4" for k in range(12)), "at a single point"),
    ],
)
def test_csv_problems_are_named_with_the_file(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(DrawingInputError) as caught:
        read_samples_csv(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DrawingInputError, match="no such file"):
        read_samples_csv(tmp_path / "absent.csv")
    with pytest.raises(DrawingInputError, match="is a folder"):
        read_samples_csv(tmp_path)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), min_size=MIN_SAMPLES, max_size=80).filter(lambda d: sum(d) >= 2))
def test_segments_are_exactly_the_runs_of_pen_down_samples(down):
    n = len(down)
    samples = PenSamples(np.arange(n) / 100.0, np.arange(n, dtype=float), np.zeros(n), pen_down=np.array(down, int))
    covered = np.zeros(n, dtype=bool)
    for part in samples.segments():
        assert all(down[part]) and part.stop > part.start
        assert part.start == 0 or not down[part.start - 1]
        assert part.stop == n or not down[part.stop]
        covered[part] = True
    assert covered.tolist() == list(down)
