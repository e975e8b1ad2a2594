"""The facts a classification starts from: the words allowed for each answer, and the checked input.

:class:`ClassificationInput` (and its :class:`Cause`) accept only what the consensus axes know and
raise :class:`ClassificationInputError` listing every problem found; :mod:`torsion.clinical.classification`
applies the rules to them. See that module for the method.
"""

from __future__ import annotations

import json
import math
import numbers
import re
from decimal import Decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from torsion.clinical.regions import (
    ARM_REGIONS,
    FACE_REGIONS,
    LEG_REGIONS,
    OROMANDIBULAR_REGIONS,
    REGION_CODES,
    REGIONS,
    ordered,
)


MIN_ONSET_AGE_YEARS = 0
MAX_ONSET_AGE_YEARS = 120

#: Age-at-onset bands: code, label and the first and last completed year (``None``: no upper end).
AGE_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("infancy", "infancy (birth to 2 years)", 0, 2),
    ("childhood", "childhood (3 to 12 years)", 3, 12),
    ("adolescence", "adolescence (13 to 20 years)", 13, 20),
    ("early_adulthood", "early adulthood (21 to 40 years)", 21, 40),
    ("late_adulthood", "late adulthood (over 40 years)", 41, None),
)

BODY_DISTRIBUTIONS: tuple[str, ...] = ("focal", "segmental", "multifocal", "generalized", "hemidystonia")

COURSES: dict[str, str] = {
    "static": "static (it stays about the same over the years)",
    "progressive": "progressive (it spreads or gets worse over time)",
}

VARIABILITIES: dict[str, str] = {
    "persistent": "persistent (about the same all through the day)",
    "action_specific": "action-specific (it appears only during a particular activity or task)",
    "diurnal": "diurnal (it changes in a regular pattern through the day)",
    "paroxysmal": "paroxysmal (sudden episodes that pass, often set off by a trigger)",
}

#: Signs that may come with dystonia. Tremor alone keeps a dystonia isolated; any other makes it
#: combined.
ASSOCIATED_FEATURES: dict[str, str] = {
    "tremor": "tremor",
    "myoclonus": "myoclonus (brief jerks)",
    "parkinsonism": "parkinsonism (slowness and stiffness)",
    "chorea": "chorea (flowing, dance-like movements)",
    "ataxia": "ataxia (poor balance and coordination)",
    "tics": "tics",
    "other_movement_disorder": "another movement disorder",
    "pyramidal_signs": "spasticity or other pyramidal signs",
    "cognitive_impairment": "problems with thinking or learning",
    "seizures": "seizures",
    "neuropathy": "nerve damage in the arms or legs (neuropathy)",
    "eye_movement_abnormality": "abnormal eye movements",
    "psychiatric_features": "psychiatric symptoms",
    "other_neurological": "another neurological sign",
    "systemic_features": "signs outside the nervous system (for example of the liver or blood)",
}

PATHOLOGIES: dict[str, str] = {
    "degeneration": "degeneration (nerve cells are being lost over time)",
    "structural_lesion": "a structural lesion (a fixed area of damage, for example after a stroke or a "
    "brain injury at birth)",
    "none": "neither degeneration nor a structural lesion",
}

CAUSE_TYPES: dict[str, str] = {
    "inherited": "inherited",
    "acquired": "acquired",
    "idiopathic": "idiopathic (no cause has been found)",
}

INHERITANCE_MODES: dict[str, str] = {
    "autosomal_dominant": "autosomal dominant",
    "autosomal_recessive": "autosomal recessive",
    "x_linked_recessive": "X-linked recessive",
    "mitochondrial": "mitochondrial",
}

ACQUIRED_KINDS: dict[str, str] = {
    "perinatal_brain_injury": "a brain injury around the time of birth",
    "infection": "an infection",
    "drug": "a medicine",
    "toxic": "a toxic substance",
    "vascular": "a stroke or another problem of the blood vessels",
    "neoplastic": "a tumour",
    "other_brain_injury": "another brain injury",
    "psychogenic": "a functional (psychogenic) disorder",
}

#: Other spellings accepted for an acquired kind; the consensus says psychogenic, today's clinics
#: mostly say functional.
ACQUIRED_KIND_ALIASES: dict[str, str] = {"functional": "psychogenic"}

DRUG_TIMINGS: dict[str, str] = {
    "acute": "a sudden (acute) reaction soon after a medicine was started or raised",
    "tardive": "a late (tardive) reaction after long use of a medicine",
}

IDIOPATHIC_KINDS: dict[str, str] = {
    "sporadic": "sporadic (no one else in the family has it)",
    "familial": "familial (it runs in the family)",
}

#: Gene names accepted as input (upper case), mapped to the current names used by the consensus:
#: older DYT numbers, bare gene symbols, the spelling DYT-PARK-GCH1, and the current names themselves
#: (so that any upper or lower case is read).
GENE_CURRENT_NAMES: dict[str, str] = {
    "DYT-TOR1A": "DYT-TOR1A",
    "DYT1": "DYT-TOR1A",
    "TOR1A": "DYT-TOR1A",
    "DYT-THAP1": "DYT-THAP1",
    "DYT6": "DYT-THAP1",
    "THAP1": "DYT-THAP1",
    "DYT/PARK-GCH1": "DYT/PARK-GCH1",
    "DYT-PARK-GCH1": "DYT/PARK-GCH1",
    "DYT5": "DYT/PARK-GCH1",
    "DYT5A": "DYT/PARK-GCH1",
    "GCH1": "DYT/PARK-GCH1",
}

#: Sides a face region may be given; a face region without one counts as midline.
FACE_SIDES: tuple[str, ...] = ("left", "right")


@dataclass(frozen=True)
class Task:
    """An activity that a task-specific dystonia appears in, and where it can be."""

    label: str
    regions: frozenset[str]
    needs: str


TASKS: dict[str, Task] = {
    "writing": Task("writing", ARM_REGIONS, "an arm (left_arm or right_arm)"),
    "typing": Task("typing", ARM_REGIONS, "an arm (left_arm or right_arm)"),
    "playing_instrument": Task(
        "playing a musical instrument",
        ARM_REGIONS | {"lower_face", "jaw", "tongue"},
        "an arm, the lower face, the jaw or the tongue",
    ),
    "running": Task("running", LEG_REGIONS, "a leg (left_leg or right_leg)"),
    "other": Task("a particular task", frozenset(REGION_CODES), "a body region"),
}

INPUT_KEYS: tuple[str, ...] = (
    "regions",
    "face_sides",
    "onset_age",
    "course",
    "variability",
    "associated",
    "cause",
    "task_specific",
)
CAUSE_KEYS: tuple[str, ...] = (
    "type",
    "pathology",
    "inheritance",
    "gene",
    "disease",
    "disease_code",
    "acquired_kind",
    "drug_timing",
    "idiopathic_kind",
)

#: Which cause type each detail belongs to.
_CAUSE_DETAIL_TYPE: dict[str, str] = {
    "inheritance": "inherited",
    "gene": "inherited",
    "disease": "inherited",
    "disease_code": "inherited",
    "acquired_kind": "acquired",
    "drug_timing": "acquired",
    "idiopathic_kind": "idiopathic",
}

#: An ICD-10-CM code: a letter, two characters, and up to four more after a dot (E83.01, G10).
_ICD10_CODE = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$")


class ClassificationInputError(ValueError):
    """The facts given cannot be classified; :attr:`problems` holds one sentence per problem."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__(" ".join(self.problems))


class _Skip:
    """Marks a field whose problem was already reported while reading a dictionary."""


_SKIP: Any = _Skip()


def _show(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _token(value: Any) -> Any:
    """Normalise a choice typed by a person: ``"Action-specific "`` becomes ``"action_specific"``."""
    if isinstance(value, str):
        return value.strip().lower().replace("-", "_").replace(" ", "_")
    return value


def _distinct(items: Iterable[Any]) -> list[Any]:
    """Items without repeats, in order; works for unhashable JSON values too."""
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _is_one_of(value: Any, choices: Iterable[str]) -> bool:
    """Whether a value of any JSON type is one of the given choices (safe for unhashable values)."""
    return isinstance(value, str) and value in choices


def _choice_problem(value: Any, what: str, choices: Iterable[str]) -> str | None:
    if value is None or value is _SKIP:
        return None
    choices = tuple(choices)
    if _is_one_of(value, choices):
        return None
    return f"{_show(value)} is not a known {what}; use one of: {', '.join(choices)}."


def _age_problem(value: Any) -> str | None:
    if value is _SKIP:
        return None
    if value is None:
        return "The age at onset is missing: give the age in years when the dystonia first appeared."
    # Decimal is not a numbers.Real, but is what a database decimal field holds.
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal)):
        return f"The age at onset must be a number of years (got {_show(value)})."
    if not math.isfinite(value):
        return f"The age at onset must be a finite number of years (got {value})."
    if value < MIN_ONSET_AGE_YEARS:
        return f"The age at onset cannot be below {MIN_ONSET_AGE_YEARS} years (got {value:g})."
    if value > MAX_ONSET_AGE_YEARS:
        return f"The age at onset cannot be above {MAX_ONSET_AGE_YEARS} years (got {value:g})."
    return None


def _cause_problems(values: Mapping[str, Any]) -> list[str]:
    """Problems with the fields of a cause, including details that contradict its type."""
    problems = [
        problem
        for problem in (
            _choice_problem(values.get("type"), "type of cause", CAUSE_TYPES),
            _choice_problem(values.get("pathology"), "nervous-system pathology", PATHOLOGIES),
            _choice_problem(values.get("inheritance"), "mode of inheritance", INHERITANCE_MODES),
            _choice_problem(values.get("acquired_kind"), "kind of acquired cause", ACQUIRED_KINDS),
            _choice_problem(values.get("drug_timing"), "drug timing", DRUG_TIMINGS),
            _choice_problem(values.get("idiopathic_kind"), "kind of idiopathic dystonia", IDIOPATHIC_KINDS),
        )
        if problem
    ]
    gene = values.get("gene")
    if gene is not None and (not isinstance(gene, str) or not gene.strip()):
        problems.append(f'The gene must be a name such as "DYT-TOR1A" (got {_show(gene)}).')
    disease = values.get("disease")
    if disease is not None and (not isinstance(disease, str) or not disease.strip()):
        problems.append(f'The disease must be a name such as "Wilson\'s disease" (got {_show(disease)}).')
    disease_code = values.get("disease_code")
    if disease_code is not None:
        code = disease_code.strip().upper() if isinstance(disease_code, str) else None
        if code is None or not _ICD10_CODE.match(code):
            problems.append(
                f'The disease code must be an ICD-10-CM code such as "E83.01" (got {_show(disease_code)}).'
            )
        elif code.startswith("G24"):
            problems.append(
                f'The disease code must be the code of the disease itself, not a dystonia code (got "{code}"); '
                "Torsion adds the dystonia code."
            )
        if disease is None:
            problems.append('A disease code is given without the disease; name it in "disease".')
    cause_type = values.get("type")
    for detail, owner in _CAUSE_DETAIL_TYPE.items():
        if values.get(detail) is None:
            continue
        if cause_type is None:
            problems.append(f'The cause gives "{detail}" but not its type; set "type" to "{owner}".')
        elif _is_one_of(cause_type, CAUSE_TYPES) and cause_type != owner:
            problems.append(
                f'The cause has type "{cause_type}", but "{detail}" only fits an {owner} cause.'
            )
    kind = values.get("acquired_kind")
    if values.get("drug_timing") is not None and cause_type == "acquired":
        if kind is None:
            problems.append(
                '"drug_timing" only fits a cause that is a medicine; set "acquired_kind" to "drug".'
            )
        elif _is_one_of(kind, ACQUIRED_KINDS) and kind != "drug":
            problems.append(
                f'"drug_timing" only fits a cause that is a medicine, but "acquired_kind" is "{kind}".'
            )
    return problems


@dataclass(frozen=True)
class Cause:
    """Axis II of the consensus: nervous-system pathology and cause, each optional.

    Attributes
    ----------
    type : {"inherited", "acquired", "idiopathic"} or None
        The kind of cause; ``None`` when not known.
    pathology : {"degeneration", "structural_lesion", "none"} or None
        What imaging or examination shows in the nervous system; ``None`` when not known.
    inheritance : str or None
        Mode of inheritance, one of :data:`INHERITANCE_MODES` (inherited only).
    gene : str or None
        Gene or DYT name, for example ``"DYT-TOR1A"`` (inherited only).
    disease : str or None
        The named heredodegenerative disease the dystonia is part of, for example
        ``"Wilson's disease"`` (inherited only).
    disease_code : str or None
        The ICD-10-CM code of that disease, for example ``"E83.01"``; stored in upper case. Not
        needed for a disease Torsion knows (:data:`torsion.clinical.codes.DISEASE_CODES`).
    acquired_kind : str or None
        One of :data:`ACQUIRED_KINDS` (acquired only).
    drug_timing : {"acute", "tardive"} or None
        Only when ``acquired_kind`` is ``"drug"``.
    idiopathic_kind : {"sporadic", "familial"} or None
        Idiopathic only.

    Raises
    ------
    ClassificationInputError
        If a value is unknown or a detail does not fit the type.
    """

    type: str | None = None
    pathology: str | None = None
    inheritance: str | None = None
    gene: str | None = None
    disease: str | None = None
    disease_code: str | None = None
    acquired_kind: str | None = None
    drug_timing: str | None = None
    idiopathic_kind: str | None = None

    def __post_init__(self) -> None:
        problems = _cause_problems({f.name: getattr(self, f.name) for f in fields(self)})
        if problems:
            raise ClassificationInputError(problems)
        for name in ("gene", "disease"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, " ".join(getattr(self, name).split()))
        if self.disease_code is not None:
            object.__setattr__(self, "disease_code", self.disease_code.strip().upper())

    def to_dict(self) -> dict[str, str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def current_gene_name(gene: str) -> str:
    """Current name of a gene given by an older DYT number or a bare symbol (``"DYT1"``: ``"DYT-TOR1A"``).

    Unknown names come back unchanged.
    """
    return GENE_CURRENT_NAMES.get(gene.strip().upper(), gene.strip())


def _read_cause(raw: Any, problems: list[str]) -> Any:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        problems.append(f'The cause must be an object such as {{"type": "idiopathic"}} (got {_show(raw)}).')
        return _SKIP
    for key in raw:
        if key not in CAUSE_KEYS:
            problems.append(
                f"{_show(key)} is not a part of the cause Torsion knows; "
                f"the parts are: {', '.join(CAUSE_KEYS)}."
            )
    free_text = ("gene", "disease", "disease_code")
    values = {key: raw.get(key) if key in free_text else _token(raw.get(key)) for key in CAUSE_KEYS}
    if isinstance(values["acquired_kind"], str):
        values["acquired_kind"] = ACQUIRED_KIND_ALIASES.get(values["acquired_kind"], values["acquired_kind"])
    cause_problems = _cause_problems(values)
    if cause_problems:
        problems.extend(cause_problems)
        return _SKIP
    return Cause(**values)


def _regions_problems(regions: Any) -> list[str]:
    if regions is _SKIP:
        return []
    is_list = isinstance(regions, Iterable) and not isinstance(regions, str)
    if regions is None or (is_list and not list(regions)):
        return ["No body region was given: choose at least one region where the dystonia is."]
    if isinstance(regions, str) or not isinstance(regions, Iterable):
        return [f'The regions must be a list of region names, such as ["neck"] (got {_show(regions)}).']
    return [
        f"{_show(code)} is not a body region Torsion knows; the regions are: {', '.join(REGION_CODES)}."
        for code in _distinct(regions)
        if not (isinstance(code, str) and code in REGIONS)
    ]


def _face_sides_problems(face_sides: Any, regions: Any) -> list[str]:
    if face_sides is None or face_sides is _SKIP:
        return []
    if not isinstance(face_sides, Mapping):
        return [f'The face sides must be an object such as {{"lower_face": "right"}} (got {_show(face_sides)}).']
    is_list = isinstance(regions, Iterable) and not isinstance(regions, str)
    given = {code for code in regions if isinstance(code, str)} if is_list else set()
    problems = []
    for code, side in face_sides.items():
        if not (isinstance(code, str) and code in FACE_REGIONS):
            problems.append(
                f"{_show(code)} cannot be given a side; only the face regions can: "
                f"{', '.join(ordered(FACE_REGIONS))}."
            )
        elif not _is_one_of(side, FACE_SIDES):
            problems.append(f"{_show(side)} is not a known side for {code}; use one of: {', '.join(FACE_SIDES)}.")
        elif given and code not in given:
            problems.append(f'A side is given for "{code}", but "{code}" is not among the regions.')
    return problems


def _associated_problems(associated: Any) -> list[str]:
    if associated is None or associated is _SKIP:
        return []
    if isinstance(associated, str) or not isinstance(associated, Iterable):
        return [
            "The associated features must be a list, empty when there are none, such as "
            f'["tremor"] (got {_show(associated)}).'
        ]
    found = (_choice_problem(f, "associated feature", ASSOCIATED_FEATURES) for f in _distinct(associated))
    return [problem for problem in found if problem]


def _input_problems(
    regions: Any,
    face_sides: Any,
    onset_age_years: Any,
    course: Any,
    variability: Any,
    associated: Any,
    cause: Any,
    task_specific: Any,
) -> list[str]:
    """Every problem with a set of input fields; fields marked as already reported are skipped."""
    problems = _regions_problems(regions)
    problems += _face_sides_problems(face_sides, regions)
    problems += [p for p in (_age_problem(onset_age_years),) if p]
    problems += [
        p
        for p in (
            _choice_problem(course, "course", COURSES),
            _choice_problem(variability, "variability", VARIABILITIES),
        )
        if p
    ]
    problems += _associated_problems(associated)
    if cause is not None and cause is not _SKIP and not isinstance(cause, Cause):
        problems.append(f"The cause must be a Cause (got {_show(cause)}).")
    task_problem = _choice_problem(task_specific, "task for a task-specific dystonia", TASKS)
    if task_problem:
        problems.append(task_problem)
    elif task_specific is not None and task_specific is not _SKIP:
        task = TASKS[task_specific]
        # Only check where the task is when some regions were given; a missing list is reported above.
        is_list = isinstance(regions, Iterable) and not isinstance(regions, str)
        given = {code for code in regions if isinstance(code, str)} if is_list else set()
        if given and not given & task.regions:
            problems.append(
                f"A dystonia specific to {task.label} needs {task.needs} among the regions, "
                "but none is given."
            )
        if _is_one_of(variability, VARIABILITIES) and variability != "action_specific":
            problems.append(
                "A task-specific dystonia is action-specific by definition, so its variability cannot be "
                f"{_show(variability)}."
            )
    return problems


@dataclass(frozen=True)
class ClassificationInput:
    """The facts about one person's dystonia that the classification needs.

    Attributes
    ----------
    regions : tuple of str
        Affected regions from :data:`torsion.clinical.regions.REGION_CODES`; at least one. Any
        iterable is accepted and stored head to toe without duplicates.
    face_sides : tuple of (str, str)
        Sides given to affected face regions, as (region, ``"left"`` or ``"right"``) pairs head to toe;
        a mapping such as ``{"lower_face": "right"}`` is accepted. A face region without a side counts
        as midline. Empty when no side is given.
    onset_age_years : float
        Age in years when the dystonia first appeared, 0 to 120 inclusive.
    course : {"static", "progressive"} or None
        ``None`` when not known.
    variability : {"persistent", "action_specific", "diurnal", "paroxysmal"} or None
        ``None`` when not known.
    associated : tuple of str or None
        Other signs from :data:`ASSOCIATED_FEATURES`; empty when there are none (isolated), ``None``
        when not known.
    cause : Cause or None
        Axis II facts; ``None`` when nothing is known.
    task_specific : str or None
        The task from :data:`TASKS` when the dystonia appears only during one task.

    Raises
    ------
    ClassificationInputError
        With every problem found.
    """

    regions: tuple[str, ...]
    onset_age_years: float
    course: str | None = None
    variability: str | None = None
    associated: tuple[str, ...] | None = None
    cause: Cause | None = None
    task_specific: str | None = None
    face_sides: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for name in ("regions", "associated"):
            value = getattr(self, name)
            if isinstance(value, Iterable) and not isinstance(value, (str, tuple)):
                object.__setattr__(self, name, tuple(value))
        sides = self.face_sides
        if sides is not None and not isinstance(sides, (Mapping, str)):
            try:
                sides = dict(sides)
            except (TypeError, ValueError):
                pass  # reported as not an object below
        problems = _input_problems(**{f.name: getattr(self, f.name) for f in fields(self)} | {"face_sides": sides})
        if problems:
            raise ClassificationInputError(problems)
        object.__setattr__(self, "regions", ordered(self.regions))
        sides = sides or {}
        object.__setattr__(self, "face_sides", tuple((code, sides[code]) for code in ordered(sides)))
        if self.associated is not None:
            wanted = set(self.associated)
            object.__setattr__(self, "associated", tuple(f for f in ASSOCIATED_FEATURES if f in wanted))
        if not isinstance(self.onset_age_years, int):
            object.__setattr__(self, "onset_age_years", float(self.onset_age_years))

    @classmethod
    def from_dict(cls, data: Any) -> ClassificationInput:
        """Read and check the JSON-like form of the input.

        Parameters
        ----------
        data : mapping
            Keys from :data:`INPUT_KEYS`: ``regions`` (list of region codes), ``face_sides`` (object
            giving a face region a side, ``{"lower_face": "right"}``), ``onset_age`` (years),
            ``course``, ``variability``, ``associated`` (list; empty means isolated), ``cause``
            (object with keys from :data:`CAUSE_KEYS`) and ``task_specific``. Only ``regions`` and
            ``onset_age`` are required; a missing or ``null`` optional key means "not known".
            Choices are matched ignoring case, surrounding spaces, and hyphens versus underscores.

        Returns
        -------
        ClassificationInput

        Raises
        ------
        ClassificationInputError
            Listing every problem found: unknown keys or values, wrong types, an age out of range,
            and contradictions (a writing-specific dystonia without an arm, a cause detail that does
            not fit its type, ...).
        """
        if not isinstance(data, Mapping):
            raise ClassificationInputError(
                [f'The input must be an object with at least "regions" and "onset_age" (got {_show(data)}).']
            )
        problems = [
            f"{_show(key)} is not an input Torsion knows; the inputs are: {', '.join(INPUT_KEYS)}."
            for key in data
            if key not in INPUT_KEYS
        ]
        regions = data.get("regions")
        if isinstance(regions, list):
            regions = [_token(code) for code in regions]
        elif regions is not None:
            problems += _regions_problems(regions)
            regions = _SKIP
        associated = data.get("associated")
        if isinstance(associated, list):
            associated = [_token(feature) for feature in associated]
        elif associated is not None:
            problems += _associated_problems(associated)
            associated = _SKIP
        face_sides = data.get("face_sides")
        if isinstance(face_sides, Mapping):
            face_sides = {_token(code): _token(side) for code, side in face_sides.items()}
        elif face_sides is not None:
            problems += _face_sides_problems(face_sides, regions)
            face_sides = _SKIP
        values = {
            "regions": regions,
            "face_sides": face_sides,
            "onset_age_years": data.get("onset_age"),
            "course": _token(data.get("course")),
            "variability": _token(data.get("variability")),
            "associated": associated,
            "cause": _read_cause(data.get("cause"), problems),
            "task_specific": _token(data.get("task_specific")),
        }
        problems += _input_problems(**values)
        if problems:
            raise ClassificationInputError(problems)
        return cls(**values)
