"""Rating scales: one engine reading one definition file per scale.

Each scale (TWSTRS, BFMDRS, VHI-30, CDIP-58, ...) is a YAML file in ``definitions/``: its items with
their allowed answers and weights, its sections, derived scores and total, who rates it, its version
and what is known of its licence. Adding a scale is a file and its tests, not code. The engine checks
each file when it is loaded, validates every answer, and computes exactly (with fractions). The
format and each scale are described in ``docs/scales.md``.

Typical use::

    from torsion.clinical import scales

    [scale.id for scale in scales.list_scales()]          # ["adds", "bfmdrs", ...]
    twstrs = scales.get_scale("twstrs")
    result = scales.score("twstrs", answers)              # every item answered
    result.total, result.max_total, result.sections       # 31.25, 85, {"severity": ...}
    draft = scales.score_draft("twstrs", {"rotation": 2}) # running score of a draft

Nothing here imports the web layer.
"""

from torsion.clinical.scales.definition import (
    NOT_APPLICABLE,
    Answer,
    Interpretation,
    Item,
    Licence,
    NotApplicableRule,
    Rule,
    ScaleDefinition,
    Score,
)
from torsion.clinical.scales.loader import ScaleDefinitionError, load_definition
from torsion.clinical.scales.registry import (
    DEFINITIONS_DIR,
    UnknownScaleError,
    get_scale,
    list_scales,
    load_definitions,
    score,
    score_draft,
)
from torsion.clinical.scales.scoring import AnswerProblem, ScaleAnswerError, ScaleScore

__all__ = [
    "DEFINITIONS_DIR",
    "NOT_APPLICABLE",
    "Answer",
    "AnswerProblem",
    "Interpretation",
    "Item",
    "Licence",
    "NotApplicableRule",
    "Rule",
    "ScaleAnswerError",
    "ScaleDefinition",
    "ScaleDefinitionError",
    "ScaleScore",
    "Score",
    "UnknownScaleError",
    "get_scale",
    "list_scales",
    "load_definition",
    "load_definitions",
    "score",
    "score_draft",
]
