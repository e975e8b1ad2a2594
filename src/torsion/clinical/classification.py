"""Classify a person's dystonia along the two axes of the 2013 consensus, name its forms and code it.

Method: the consensus classification of Albanese et al. (Mov Disord 2013;28:863-873).

Axis I, clinical features:

- Age at onset, in bands: infancy 0-2 years, childhood 3-12, adolescence 13-20, early adulthood
  21-40, late adulthood over 40. Ages are banded by **completed years** (the whole number of
  birthdays had), as people state their age: 2.9 is infancy, 40.5 is early adulthood. Accepted ages
  run from 0 to 120 years inclusive.
- Body distribution over the regions of :mod:`torsion.clinical.regions`, with the project's
  adjacency convention, counting the lower face, jaw and tongue as one oromandibular region, and
  these rules, applied in order: one region is focal; the arm and the leg of one side, with no limb of
  the other side and nothing else on the other side (a face region may be given a side; without one
  it counts as midline, like the larynx, neck and trunk), is hemidystonia; the trunk plus at least two
  other regions is generalized; regions that form one connected group are segmental; anything else
  is multifocal. Whether the legs are involved is always recorded.
- Temporal pattern: course (static or progressive) and variability (persistent, action-specific,
  diurnal or paroxysmal). A task-specific dystonia is action-specific by definition.
- Associated features: none, or tremor alone, is isolated; anything else is combined.

Axis II, etiology: nervous-system pathology (degeneration, structural lesion, neither) and the
cause: inherited (with its mode, an optional gene and an optional named heredodegenerative disease
with its own code), acquired (with its kind; for a medicine, acute
or tardive) or idiopathic (sporadic or familial).

The forms (cervical dystonia, blepharospasm, Meige syndrome, writer's cramp, ...) are named from the
regions and the task; the older term (primary, secondary, dystonia-plus, heredodegenerative) follows
the approximate mapping in the project's reference; ICD-10-CM codes are chosen by
:mod:`torsion.clinical.codes`.

Facts that are missing are never guessed: whatever cannot be told is ``None`` in the result, named
in :attr:`Classification.undetermined` and explained in a sentence. Input that is invalid or
contradictory raises :class:`ClassificationInputError`, which lists every problem found.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from torsion.clinical.codes import (
    DEFAULT_CODING,
    AssignedCode,
    CodedForm,
    CodingSettings,
    select_icd10,
)
from torsion.clinical.regions import (
    ARM_REGIONS,
    CRANIAL_REGIONS,
    LEG_REGIONS,
    OROMANDIBULAR_REGIONS,
    describe,
    distribution_units,
    is_connected,
    ordered,
)
from torsion.clinical.classification_input import (  # noqa: F401  re-exported
    ACQUIRED_KINDS,
    ACQUIRED_KIND_ALIASES,
    AGE_BANDS,
    ASSOCIATED_FEATURES,
    BODY_DISTRIBUTIONS,
    CAUSE_KEYS,
    CAUSE_TYPES,
    COURSES,
    Cause,
    ClassificationInput,
    ClassificationInputError,
    DRUG_TIMINGS,
    FACE_SIDES,
    GENE_CURRENT_NAMES,
    IDIOPATHIC_KINDS,
    INHERITANCE_MODES,
    INPUT_KEYS,
    MAX_ONSET_AGE_YEARS,
    MIN_ONSET_AGE_YEARS,
    PATHOLOGIES,
    TASKS,
    Task,
    VARIABILITIES,
    _age_problem,
    _face_sides_problems,
    _regions_problems,
    current_gene_name,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Form:
    """A named form of dystonia found in a classification.

    Attributes
    ----------
    slug : str
        Machine name (``"cervical"``, ``"meige"``, ``"writers_cramp"``, ``"segmental"``, ...).
    name : str
        Name shown to people (``"cervical dystonia"``).
    regions : tuple of str
        The regions the form covers.
    also_called : str or None
        Another name people meet (``"spasmodic torticollis"``).
    task_specific : bool
        Whether the form appears only during one task.
    summary : bool
        Whether the form names the whole picture (segmental, multifocal, generalized, hemidystonia)
        rather than one part of it.
    """

    slug: str
    name: str
    regions: tuple[str, ...]
    also_called: str | None = None
    task_specific: bool = False
    summary: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.slug,
            "name": self.name,
            "also_called": self.also_called,
            "regions": list(self.regions),
            "task_specific": self.task_specific,
        }


@dataclass(frozen=True)
class Classification:
    """The result of :func:`classify`; ``None`` marks what could not be told from the input.

    Attributes
    ----------
    regions : tuple of str
        Affected regions, head to toe.
    face_sides : tuple of (str, str)
        Sides given to face regions, head to toe; the other face regions count as midline.
    onset_age_years : float
        Age at onset as given, in years.
    onset_completed_years : int
        Completed years at onset, used for the band.
    age_at_onset : str
        One of the codes in :data:`AGE_BANDS`.
    body_distribution : str
        One of :data:`BODY_DISTRIBUTIONS`.
    legs_involved : bool
        Whether a leg is among the regions (the consensus asks this to be recorded for generalized
        dystonia).
    course, variability : str or None
        The temporal pattern.
    isolated : bool or None
        ``True`` isolated, ``False`` combined, ``None`` when the associated features were not given.
    associated : tuple of str or None
        Associated features as given.
    combined_with : tuple of str
        The associated features that make the dystonia combined (all but tremor).
    etiology : Cause
        Axis II, with the gene under its current name.
    task_specific : str or None
        The task, when task-specific.
    forms : tuple of Form
        Named forms, the summary form first.
    legacy_term : {"primary", "secondary", "dystonia-plus", "heredodegenerative"} or None
        The approximate older term, ``None`` when it cannot be told.
    icd10 : tuple of AssignedCode
        ICD-10-CM codes with titles and reasons.
    undetermined : tuple of str
        Names of the output fields that could not be told.
    explanation : tuple of str
        Sentences, readable by patients, saying which rule gave which answer.
    """

    regions: tuple[str, ...]
    onset_age_years: float
    onset_completed_years: int
    age_at_onset: str
    body_distribution: str
    legs_involved: bool
    course: str | None
    variability: str | None
    isolated: bool | None
    associated: tuple[str, ...] | None
    combined_with: tuple[str, ...]
    etiology: Cause
    task_specific: str | None
    forms: tuple[Form, ...]
    legacy_term: str | None
    icd10: tuple[AssignedCode, ...]
    undetermined: tuple[str, ...] = ()
    explanation: tuple[str, ...] = ()
    face_sides: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form of the result (the ``torsion classify --json`` output)."""
        return {
            "regions": list(self.regions),
            "face_sides": dict(self.face_sides),
            "body_distribution": self.body_distribution,
            "legs_involved": self.legs_involved,
            "age_at_onset": self.age_at_onset,
            "onset_age_years": self.onset_age_years,
            "onset_completed_years": self.onset_completed_years,
            "temporal_pattern": {"course": self.course, "variability": self.variability},
            "isolated": self.isolated,
            "associated": None if self.associated is None else list(self.associated),
            "combined_with": list(self.combined_with),
            "etiology": self.etiology.to_dict(),
            "task_specific": self.task_specific,
            "forms": [form.name for form in self.forms],
            "form_details": [form.to_dict() for form in self.forms],
            "legacy_term": self.legacy_term,
            "icd10": [code.code for code in self.icd10],
            "icd10_codes": [code.to_dict() for code in self.icd10],
            "undetermined": list(self.undetermined),
            "explanation": list(self.explanation),
        }


def age_at_onset_band(onset_age_years: float) -> str:
    """Consensus age-at-onset band, by completed years.

    Parameters
    ----------
    onset_age_years : float
        Age at onset in years, 0 to 120 inclusive.

    Returns
    -------
    str
        ``"infancy"`` (0-2 completed years), ``"childhood"`` (3-12), ``"adolescence"`` (13-20),
        ``"early_adulthood"`` (21-40) or ``"late_adulthood"`` (41 and over).

    Raises
    ------
    ClassificationInputError
        If the age is not a number from 0 to 120.
    """
    problem = _age_problem(onset_age_years)
    if problem:
        raise ClassificationInputError([problem])
    completed = math.floor(onset_age_years)
    for code, _label, first, last in AGE_BANDS:
        if first <= completed and (last is None or completed <= last):
            return code
    raise AssertionError(f"age band table does not cover {completed} years")


def _distribution(
    regions: tuple[str, ...], face_sides: Mapping[str, str]
) -> tuple[str, str | None, list[str]]:
    """Body distribution, the hemidystonia side if any, and the sentences saying which rule applied."""
    region_set = set(regions)
    units = distribution_units(regions)
    where = describe(regions, face_sides)
    sentences: list[str] = []
    oromandibular = ordered(region_set & OROMANDIBULAR_REGIONS)
    if len(oromandibular) > 1:
        together = describe(oromandibular)
        sentences.append(
            f"{together[0].upper()}{together[1:]} count together as one region, the mouth and jaw "
            "(oromandibular) region, for the body distribution."
        )
    if len(units) == 1:
        sentences.append(f"Only one body region is affected ({where}), so the distribution is focal.")
        return "focal", None, sentences
    for side, other in (("left", "right"), ("right", "left")):
        if not {f"{side}_arm", f"{side}_leg"} <= region_set or region_set & {f"{other}_arm", f"{other}_leg"}:
            continue
        other_face = [code for code, given in face_sides.items() if given == other]
        if other_face:
            sentences.append(
                f"The arm and the leg of the {side} side are affected, but so is {describe(other_face)} on the "
                f"{other} side, so the dystonia does not keep to one side and is not hemidystonia."
            )
            break
        face_note = f" and no face region on the {other} side" if face_sides else ""
        sentences.append(
            f"The arm and the leg of the {side} side are affected, with no arm or leg of the {other} side"
            f"{face_note} ({where}), so the distribution is hemidystonia (one side of the body)."
        )
        if "trunk" in region_set:
            sentences.append(
                "The trunk lies in the middle of the body, so its involvement does not make this dystonia "
                "generalized: it still keeps to one side."
            )
        return "hemidystonia", side, sentences
    if "trunk" in units and len(units) >= 3:
        sentences.append(
            f"The trunk and at least two other regions are affected ({where}), so the dystonia is generalized."
        )
        return "generalized", None, sentences
    if is_connected(regions):
        sentences.append(
            f"The affected regions ({where}) all neighbour each other in one connected group, so the "
            "distribution is segmental."
        )
        return "segmental", None, sentences
    sentences.append(
        f"The affected regions ({where}) do not all neighbour each other in one connected group, so the "
        "distribution is multifocal."
    )
    return "multifocal", None, sentences


def body_distribution(regions: Iterable[str], face_sides: Mapping[str, str] | None = None) -> str:
    """Consensus body distribution of a set of affected regions.

    Parameters
    ----------
    regions : iterable of str
        Region codes, at least one; order and duplicates do not matter. The lower face, jaw and
        tongue count as one oromandibular region.
    face_sides : mapping of str to {"left", "right"}, optional
        Sides given to affected face regions (``{"lower_face": "right"}``); a face region without
        one counts as midline.

    Returns
    -------
    str
        One of :data:`BODY_DISTRIBUTIONS`.

    Raises
    ------
    ClassificationInputError
        If no region is given, a region is unknown, or a side is given that does not fit.
    """
    regions = list(regions)
    problems = _regions_problems(regions) + _face_sides_problems(face_sides, regions)
    if problems:
        raise ClassificationInputError(problems)
    return _distribution(ordered(regions), dict(face_sides or {}))[0]


def _component_forms(
    region_set: set[str], focal: bool, task_code: str | None, face_sides: Mapping[str, str]
) -> list[tuple[Form, str]]:
    """Name each part of a focal, segmental or multifocal dystonia, with a sentence for each."""
    task = TASKS[task_code] if task_code else None
    named: list[tuple[Form, str]] = []

    def add(
        slug: str, name: str, regions: Iterable[str], also: str | None = None, specific: bool = False
    ) -> None:
        covered = ordered(regions)
        doing = f" that appears only during {task.label}" if specific and task else ""
        sentence = f"Dystonia of {describe(covered, face_sides)}{doing} is called {name}"
        sentence += f", also known as {also}." if also else "."
        named.append((Form(slug, name, covered, also, specific), sentence))

    def task_applies(regions: set[str]) -> bool:
        return task is not None and bool(regions & task.regions)

    oral = region_set & OROMANDIBULAR_REGIONS
    if "upper_face" in region_set and oral:
        add("meige", "Meige syndrome", {"upper_face"} | oral, "blepharospasm with oromandibular dystonia")
    elif "upper_face" in region_set:
        add("blepharospasm", "blepharospasm", {"upper_face"}, "eyelid dystonia")
    elif oral and task_code == "playing_instrument":
        add("embouchure", "embouchure dystonia", oral, "musician's dystonia of the mouth", specific=True)
    elif oral:
        add("oromandibular", "oromandibular dystonia", oral)
    if "larynx" in region_set:
        add("laryngeal", "laryngeal dystonia", {"larynx"}, "spasmodic dysphonia")
    if "neck" in region_set:
        add("cervical", "cervical dystonia", {"neck"}, "spasmodic torticollis")
    if "trunk" in region_set:
        add("truncal", "focal truncal dystonia" if focal else "truncal dystonia", {"trunk"}, "axial dystonia")
    arms = region_set & ARM_REGIONS
    if arms and task_applies(arms):
        if task_code == "writing":
            add("writers_cramp", "writer's cramp", arms, "task-specific hand dystonia", specific=True)
        elif task_code == "playing_instrument":
            add("musicians_hand", "musician's hand dystonia", arms, "musician's dystonia", specific=True)
        else:
            add("task_specific_hand", "task-specific hand dystonia", arms, specific=True)
    elif len(arms) == 2:
        add("bibrachial", "bibrachial dystonia", arms, "dystonia of both arms")
    elif arms:
        add("arm", "focal arm dystonia" if focal else "arm dystonia", arms, "limb dystonia")
    legs = region_set & LEG_REGIONS
    if legs and task_applies(legs):
        if task_code == "running":
            add("runners", "runner's dystonia", legs, "task-specific leg dystonia", specific=True)
        else:
            add("task_specific_leg", "task-specific leg dystonia", legs, specific=True)
    elif len(legs) == 2:
        add("both_legs", "dystonia of both legs", legs)
    elif legs:
        add("leg", "focal leg dystonia" if focal else "leg dystonia", legs, "limb dystonia")
    return named


def _forms(
    regions: tuple[str, ...],
    distribution: str,
    side: str | None,
    task_code: str | None,
    face_sides: Mapping[str, str],
) -> list[tuple[Form, str]]:
    region_set = set(regions)
    if distribution == "generalized":
        return [
            (
                Form("generalized", "generalized dystonia", regions, summary=True),
                "Dystonia of the trunk and at least two other regions is called generalized dystonia.",
            )
        ]
    if distribution == "hemidystonia":
        name = f"{side} hemidystonia"
        return [
            (
                Form("hemidystonia", name, regions, summary=True),
                f"Dystonia that keeps to the {side} side of the body is called {name}.",
            )
        ]
    parts = _component_forms(region_set, distribution == "focal", task_code, face_sides)
    if len(parts) < 2:
        return parts
    if distribution == "multifocal":
        summary = Form("multifocal", "multifocal dystonia", regions, summary=True)
    elif region_set <= CRANIAL_REGIONS | {"neck"} and "neck" in region_set:
        summary = Form("craniocervical", "craniocervical dystonia", regions, summary=True)
    elif region_set <= CRANIAL_REGIONS:
        summary = Form("cranial_segmental", "cranial segmental dystonia", regions, summary=True)
    else:
        summary = Form("segmental", "segmental dystonia", regions, summary=True)
    names = " and ".join(form.name for form, _sentence in parts)
    sentence = f"Together, {names} make up {summary.name}."
    return [(summary, sentence), *parts]


def _legacy_term(etiology: Cause, isolated: bool | None) -> tuple[str | None, str]:
    """The older term (approximate mapping from the project's reference) and the sentence saying why."""
    older = "primary, secondary, dystonia-plus or heredodegenerative"
    if etiology.type is None:
        return None, f"The older term ({older}) cannot be told without the cause."
    if etiology.type == "acquired":
        return "secondary", (
            "In the older scheme, dystonia with an acquired cause was called secondary dystonia."
        )
    if isolated is None:
        return None, (
            f"The older term ({older}) cannot be told without knowing whether other signs come with the "
            "dystonia."
        )
    if not isolated:
        if etiology.pathology == "degeneration":
            return "heredodegenerative", (
                "In the older scheme, combined dystonia with degeneration of the nervous system was called "
                "heredodegenerative."
            )
        if etiology.pathology is None:
            return None, (
                f"The older term ({older}) cannot be told for combined dystonia without knowing whether the "
                "nervous system shows degeneration."
            )
        return "dystonia-plus", (
            "In the older scheme, combined dystonia without degeneration of the nervous system was called "
            "dystonia-plus."
        )
    if etiology.pathology in ("degeneration", "structural_lesion"):
        return None, (
            "Isolated dystonia with degeneration or a structural lesion of the nervous system does not fit "
            "any of the older groups, so no older term is given."
        )
    return "primary", (
        "In the older scheme, isolated dystonia that is inherited or has no known cause was called primary "
        "dystonia."
    )


def _etiology_sentences(etiology: Cause, undetermined: list[str]) -> list[str]:
    sentences: list[str] = []
    if etiology.pathology is None:
        undetermined.append("pathology")
        sentences.append(
            "Whether the nervous system shows degeneration or a structural lesion was not given, "
            "so it is left open."
        )
    else:
        sentences.append(f"The nervous system shows {PATHOLOGIES[etiology.pathology]}.")
    if etiology.type is None:
        undetermined.append("cause")
        sentences.append("The cause was not given, so it is left open.")
    elif etiology.type == "inherited":
        details = []
        if etiology.inheritance:
            details.append(f"{INHERITANCE_MODES[etiology.inheritance]} inheritance")
        if etiology.gene:
            details.append(f"gene {etiology.gene}")
        within = f": the dystonia is part of {etiology.disease}" if etiology.disease else ""
        sentences.append(f"The cause is inherited{within}" + (f" ({', '.join(details)})." if details else "."))
        if etiology.inheritance is None:
            undetermined.append("inheritance")
            sentences.append("How it is inherited was not given, so it is left open.")
    elif etiology.type == "acquired":
        if etiology.acquired_kind is None:
            undetermined.append("acquired_kind")
            sentences.append("The cause is acquired; what caused it was not given, so it is left open.")
        else:
            sentences.append(f"The cause is acquired: {ACQUIRED_KINDS[etiology.acquired_kind]}.")
        if etiology.acquired_kind == "drug":
            if etiology.drug_timing is None:
                undetermined.append("drug_timing")
                sentences.append(
                    "Whether it was a sudden (acute) or a late (tardive) reaction was not given, "
                    "so it is left open."
                )
            else:
                sentences.append(f"It is {DRUG_TIMINGS[etiology.drug_timing]}.")
    else:
        if etiology.idiopathic_kind is None:
            undetermined.append("idiopathic_kind")
            sentences.append(
                "No cause has been found (idiopathic); whether it runs in the family was not given, so it is "
                "left open."
            )
        else:
            kind = IDIOPATHIC_KINDS[etiology.idiopathic_kind]
            sentences.append(f"No cause has been found (idiopathic), and it is {kind}.")
    return sentences


def classify(
    facts: ClassificationInput | Mapping[str, Any], *, coding: CodingSettings = DEFAULT_CODING
) -> Classification:
    """Classify a dystonia by the 2013 consensus, name its forms, give the older term and the codes.

    Parameters
    ----------
    facts : ClassificationInput or mapping
        The facts; a mapping is read with :meth:`ClassificationInput.from_dict`.
    coding : CodingSettings
        The configurable code choices (laryngeal dystonia, task-specific forms, Meige syndrome).

    Returns
    -------
    Classification

    Raises
    ------
    ClassificationInputError
        If a mapping is given and it is invalid or contradictory.
    """
    if not isinstance(facts, ClassificationInput):
        facts = ClassificationInput.from_dict(facts)
    explanation: list[str] = []
    undetermined: list[str] = []

    age = facts.onset_age_years
    completed = math.floor(age)
    band = age_at_onset_band(age)
    band_label = next(label for code, label, _first, _last in AGE_BANDS if code == band)
    if completed == age:
        explanation.append(f"The dystonia began at age {completed}, which is {band_label}.")
    else:
        explanation.append(
            f"The dystonia began at age {age:g}, that is {completed} completed years, which is {band_label}."
        )

    face_sides = dict(facts.face_sides)
    distribution, side, distribution_sentences = _distribution(facts.regions, face_sides)
    explanation += distribution_sentences
    legs_involved = bool(set(facts.regions) & LEG_REGIONS)
    if distribution == "generalized":
        explanation.append("The legs are involved." if legs_involved else "The legs are not involved.")

    if facts.course is None:
        undetermined.append("course")
        explanation.append(
            "Whether the dystonia stays the same or gets worse over time was not given, so it is left open."
        )
    else:
        explanation.append(f"Its course is {COURSES[facts.course]}.")
    variability = facts.variability
    if variability is None and facts.task_specific is not None:
        variability = "action_specific"
        explanation.append(
            f"It appears only during {TASKS[facts.task_specific].label}, "
            "so its variability is action-specific."
        )
    elif variability is None:
        undetermined.append("variability")
        explanation.append("How the dystonia varies through the day was not given, so it is left open.")
    else:
        explanation.append(f"Its variability is {VARIABILITIES[variability]}.")

    combined_with: tuple[str, ...] = ()
    if facts.associated is None:
        isolated = None
        undetermined.append("isolated")
        explanation.append(
            "Whether other signs (such as another movement disorder) come with the dystonia was not "
            "given, so whether it is isolated or combined is left open."
        )
    else:
        combined_with = tuple(f for f in facts.associated if f != "tremor")
        isolated = not combined_with
        if combined_with:
            signs = " and ".join(ASSOCIATED_FEATURES[f] for f in combined_with)
            explanation.append(f"The dystonia comes with {signs}, so it is combined.")
        elif facts.associated:
            explanation.append("Tremor is the only other sign, and tremor alone keeps the dystonia isolated.")
        else:
            explanation.append("No other sign comes with the dystonia, so it is isolated.")

    etiology = facts.cause or Cause()
    renamed = None
    if etiology.gene is not None:
        current = current_gene_name(etiology.gene)
        if current.upper() != etiology.gene.upper():
            renamed = f"The gene {etiology.gene} is now called {current}."
        etiology = replace(etiology, gene=current)
    explanation += _etiology_sentences(etiology, undetermined)
    if renamed:
        explanation.append(renamed)

    named = _forms(facts.regions, distribution, side, facts.task_specific, face_sides)
    forms = tuple(form for form, _sentence in named)
    explanation += [sentence for _form, sentence in named]

    legacy_term, legacy_sentence = _legacy_term(etiology, isolated)
    if legacy_term is None:
        undetermined.append("legacy_term")
    explanation.append(legacy_sentence)

    whole_body = forms[0].name if distribution in ("generalized", "hemidystonia") else None
    codes = select_icd10(
        whole_body_form=whole_body,
        forms=[CodedForm(f.slug, f.name, f.task_specific) for f in forms if not f.summary],
        regions=facts.regions,
        cause_type=etiology.type,
        acquired_kind=etiology.acquired_kind,
        drug_timing=etiology.drug_timing,
        idiopathic_kind=etiology.idiopathic_kind,
        disease=etiology.disease,
        disease_code=etiology.disease_code,
        settings=coding,
    )
    if not codes:
        explanation.append(
            "Functional (psychogenic) dystonia has no code in the dystonia group G24 of ICD-10-CM; its code "
            "comes from the chapter on functional disorders, which Torsion does not choose."
        )
    explanation += [code.reason for code in codes]
    if etiology.type is None and any(code.code != "G24.9" for code in codes):
        explanation.append(
            "Because the cause is not known, these codes assume the dystonia is not caused by a medicine or "
            "inherited; they may change once the cause is known."
        )

    logger.debug("classified %s as %s", facts.regions, distribution)
    return Classification(
        regions=facts.regions,
        face_sides=facts.face_sides,
        onset_age_years=age,
        onset_completed_years=completed,
        age_at_onset=band,
        body_distribution=distribution,
        legs_involved=legs_involved,
        course=facts.course,
        variability=variability,
        isolated=isolated,
        associated=facts.associated,
        combined_with=combined_with,
        etiology=etiology,
        task_specific=facts.task_specific,
        forms=forms,
        legacy_term=legacy_term,
        icd10=codes,
        undetermined=tuple(undetermined),
        explanation=tuple(explanation),
    )
