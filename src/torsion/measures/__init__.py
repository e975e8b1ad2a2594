"""Objective measures from video, sound and drawing.

Pure analysis on NumPy/SciPy and MediaPipe: nothing here imports Django or any part of
:mod:`torsion.web`. Each measure has one public entry point that returns one result type.
"""
