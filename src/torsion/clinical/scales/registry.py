"""The scales that ship with Torsion: every definition file in ``definitions/``, loaded once and checked.

A broken definition file stops the first call here with a :class:`ScaleDefinitionError` naming the
file and field, so it is found by the tests and at start-up rather than by a patient.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from torsion.clinical.scales import scoring
from torsion.clinical.scales.definition import ScaleDefinition
from torsion.clinical.scales.loader import load_definition

__all__ = [
    "DEFINITIONS_DIR",
    "UnknownScaleError",
    "get_scale",
    "list_scales",
    "load_definitions",
    "score",
    "score_draft",
]

#: Where the shipped definition files live.
DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"


class UnknownScaleError(LookupError):
    """No scale has the id asked for; the message lists the ids that exist."""

    def __init__(self, scale_id: str, known: list[str]) -> None:
        self.scale_id = scale_id
        super().__init__(f"No scale is called {scale_id!r}; the scales are: {', '.join(known)}.")


def load_definitions(directory: str | Path = DEFINITIONS_DIR) -> dict[str, ScaleDefinition]:
    """Load every ``*.yaml`` file of ``directory``, by scale id (the file name without ``.yaml``).

    Raises
    ------
    ScaleDefinitionError
        For the first file that is not a valid definition.
    """
    return {path.stem: load_definition(path) for path in sorted(Path(directory).glob("*.yaml"))}


@functools.cache
def _shipped() -> Mapping[str, ScaleDefinition]:
    return load_definitions(DEFINITIONS_DIR)


def list_scales() -> list[ScaleDefinition]:
    """Every shipped scale, ordered by id."""
    return list(_shipped().values())


def get_scale(scale_id: str) -> ScaleDefinition:
    """The shipped scale with this id.

    Raises
    ------
    UnknownScaleError
        When there is none (a :class:`LookupError`).
    """
    scales = _shipped()
    if scale_id not in scales:
        raise UnknownScaleError(scale_id, list(scales))
    return scales[scale_id]


def _definition(scale: str | ScaleDefinition) -> ScaleDefinition:
    return scale if isinstance(scale, ScaleDefinition) else get_scale(scale)


def score(scale: str | ScaleDefinition, answers: Mapping[str, Any]) -> scoring.ScaleScore:
    """Score complete answers to a scale given by id or definition; see :func:`scoring.score`."""
    return scoring.score(_definition(scale), answers)


def score_draft(scale: str | ScaleDefinition, answers: Mapping[str, Any]) -> scoring.ScaleScore:
    """Running score of the answers given so far; see :func:`scoring.score_draft`."""
    return scoring.score_draft(_definition(scale), answers)
