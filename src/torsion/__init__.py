"""Torsion: measure, record and understand dystonia."""

__version__ = "0.1.0"
