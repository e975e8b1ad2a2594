"""ICD-10-CM diagnosis codes for dystonia, and the rules that pick them for a classification.

Codes and titles are those of ICD-10-CM category G24 ("Dystonia") plus the two codes used for
laryngeal dystonia, which has no G24 code of its own, and the codes of the named heredodegenerative
diseases in :data:`DISEASE_CODES`. The choice rules are Torsion's, built on the entries of the
ICD-10-CM index; ICD-10-CM gives the codes but no algorithm from the consensus axes to a code. In
order:

1. A functional (psychogenic) cause gets no G24 code: ICD-10-CM codes functional movement
   disorders in its mental and behavioural chapter, and Torsion does not choose that code.
2. A cause that is a medicine gets drug codes, whatever the body distribution: when the dystonia is
   tardive, G24.01 for the eyelids and mouth (upper face, lower face, jaw, tongue) and G24.09 for any
   other region (the index sends tardive dystonia of the eyelids or mouth to G24.01 and tardive
   dystonia elsewhere, such as the neck, to G24.09; a dystonia in both places gets both); G24.02 when
   it is acute; G24.09 when the timing is not known.
3. An inherited cause that is part of a named heredodegenerative disease gets the disease's own code
   first (for example E83.01 for Wilson's disease) and G24.8 beside it, as the index asks for
   dystonia due to another disease. Any other inherited cause gets G24.1 (genetic torsion dystonia)
   alone.
4. Otherwise each named focal form gets its site code: cervical dystonia G24.3, blepharospasm
   G24.5, oromandibular dystonia G24.4 (G24.8 when the cause is acquired, since the G24.4 title
   says "idiopathic"), Meige syndrome :attr:`CodingSettings.meige_codes`, laryngeal dystonia
   :attr:`CodingSettings.laryngeal_code`, writer's cramp and the other task-specific forms
   :attr:`CodingSettings.task_specific_code`. Whatever is left without a site code (generalized
   dystonia, hemidystonia, the trunk, a limb that is not task-specific) gets one code from the cause:
   G24.2 idiopathic nonfamilial (sporadic); G24.1 idiopathic familial, and idiopathic with the family
   history not known (the index sends idiopathic torsion dystonia without further detail to G24.1);
   G24.8 acquired; G24.9 when the cause is not known.

Writer's cramp: the ICD-10-CM index sends it to F48.8, a code for a mental disorder (occupational
neurosis). Torsion does not use that code, because writer's cramp is a focal dystonia, a disorder of
the brain's control of movement; it uses :attr:`CodingSettings.task_specific_code` (G24.8) and says
so in the code's reason.

Unverified choices are settings, with these defaults: laryngeal dystonia J38.3 (R49.0 is also in
use), task-specific dystonia including writer's cramp G24.8, Meige syndrome G24.5 plus G24.4 (some
code lists index Meige syndrome to G24.4 alone).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from torsion.clinical.regions import FACE_REGIONS, describe, ordered


@dataclass(frozen=True)
class Icd10Code:
    """One ICD-10-CM code with its official title."""

    code: str
    title: str


ICD10_CM: dict[str, Icd10Code] = {
    entry.code: entry
    for entry in (
        Icd10Code("G24.01", "Drug induced subacute dyskinesia"),
        Icd10Code("G24.02", "Drug induced acute dystonia"),
        Icd10Code("G24.09", "Other drug induced dystonia"),
        Icd10Code("G24.1", "Genetic torsion dystonia"),
        Icd10Code("G24.2", "Idiopathic nonfamilial dystonia"),
        Icd10Code("G24.3", "Spasmodic torticollis"),
        Icd10Code("G24.4", "Idiopathic orofacial dystonia"),
        Icd10Code("G24.5", "Blepharospasm"),
        Icd10Code("G24.8", "Other dystonia"),
        Icd10Code("G24.9", "Dystonia, unspecified"),
        Icd10Code("J38.3", "Other diseases of vocal cords"),
        Icd10Code("R49.0", "Dysphonia"),
    )
}

#: ICD-10-CM codes of the named heredodegenerative diseases Torsion knows, by name in lower case
#: (see :func:`known_disease_code`). Any other disease's code can be given with the classification.
DISEASE_CODES: dict[str, Icd10Code] = {
    name: Icd10Code("E83.01", "Wilson's disease")
    for name in ("wilson's disease", "wilson disease", "wilsons disease", "hepatolenticular degeneration")
}

#: Regions of the eyelids and mouth, where tardive dystonia is coded G24.01 (G24.09 elsewhere).
TARDIVE_G24_01_REGIONS: frozenset[str] = FACE_REGIONS

#: What Torsion says about the code ICD-10-CM's index gives writer's cramp, and why it is not used.
WRITERS_CRAMP_NOTE = (
    "ICD-10-CM's index sends writer's cramp to F48.8, a code for mental disorders (occupational neurosis); "
    "Torsion does not use that code, because writer's cramp is a focal dystonia, a disorder of the brain's "
    "control of movement."
)

#: Codes accepted for laryngeal dystonia (unverified which one to prefer).
LARYNGEAL_CODE_CHOICES: tuple[str, ...] = ("J38.3", "R49.0")


@dataclass(frozen=True)
class CodingSettings:
    """Code choices that the literature does not settle (all unverified; see the module docstring).

    Attributes
    ----------
    laryngeal_code : str
        Code for laryngeal dystonia (spasmodic dysphonia), one of :data:`LARYNGEAL_CODE_CHOICES`.
    task_specific_code : str
        Code for writer's cramp and the other task-specific forms.
    meige_codes : tuple of str
        Codes for Meige syndrome (blepharospasm with oromandibular dystonia).

    Raises
    ------
    ValueError
        If a code is not in :data:`ICD10_CM`, or the laryngeal code is not one of the accepted
        choices.
    """

    laryngeal_code: str = "J38.3"
    task_specific_code: str = "G24.8"
    meige_codes: tuple[str, ...] = ("G24.5", "G24.4")

    def __post_init__(self) -> None:
        if self.laryngeal_code not in LARYNGEAL_CODE_CHOICES:
            raise ValueError(
                f"The laryngeal dystonia code must be one of {', '.join(LARYNGEAL_CODE_CHOICES)} "
                f"(got {self.laryngeal_code!r})."
            )
        for code in (self.task_specific_code, *self.meige_codes):
            if code not in ICD10_CM:
                raise ValueError(
                    f"{code!r} is not one of the dystonia codes Torsion knows: {', '.join(ICD10_CM)}."
                )
        if not self.meige_codes:
            raise ValueError("Meige syndrome needs at least one code.")


DEFAULT_CODING = CodingSettings()


@dataclass(frozen=True)
class AssignedCode:
    """A code chosen for one classification, with the sentence that says why."""

    code: str
    title: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "title": self.title, "reason": self.reason}


@dataclass(frozen=True)
class CodedForm:
    """What the code rules need to know about one named form.

    Attributes
    ----------
    slug : str
        Machine name of the form (``"cervical"``, ``"writers_cramp"``, ...).
    name : str
        Name shown to people, used in the reason sentences.
    task_specific : bool
        Whether the form is a task-specific dystonia.
    """

    slug: str
    name: str
    task_specific: bool = False


_FIXED_SITE_CODES: dict[str, str] = {"cervical": "G24.3", "blepharospasm": "G24.5", "oromandibular": "G24.4"}

#: Site codes whose title says "idiopathic" and so do not fit an acquired cause.
_IDIOPATHIC_SITE_CODES = frozenset({"G24.4"})


def site_codes(form: CodedForm, settings: CodingSettings = DEFAULT_CODING) -> tuple[str, ...]:
    """Site codes of one named form, or an empty tuple if the form has none.

    Parameters
    ----------
    form : CodedForm
        The form.
    settings : CodingSettings
        The configurable code choices.

    Returns
    -------
    tuple of str
        Codes from :data:`ICD10_CM`, in the order they are reported.
    """
    if form.task_specific:
        return (settings.task_specific_code,)
    if form.slug == "laryngeal":
        return (settings.laryngeal_code,)
    if form.slug == "meige":
        return settings.meige_codes
    if form.slug in _FIXED_SITE_CODES:
        return (_FIXED_SITE_CODES[form.slug],)
    return ()


def _assign(code: str, reason: str) -> AssignedCode:
    title = ICD10_CM[code].title
    return AssignedCode(code, title, f"{code} ({title}) {reason}")


def known_disease_code(disease: str) -> Icd10Code | None:
    """ICD-10-CM code of a named heredodegenerative disease from :data:`DISEASE_CODES`, or ``None``.

    The name is matched ignoring case, the kind of apostrophe and extra spaces
    (``"Wilson’s  disease"`` finds E83.01).
    """
    name = " ".join(disease.replace("\u2019", "'").lower().split())
    return DISEASE_CODES.get(name)


def _cause_code(cause_type: str | None, idiopathic_kind: str | None) -> tuple[str, str]:
    """The code for a part of the dystonia that has no site code, and the words for why."""
    if cause_type == "idiopathic" and idiopathic_kind == "sporadic":
        return "G24.2", "no cause has been found and it does not run in the family"
    if cause_type == "idiopathic" and idiopathic_kind == "familial":
        return "G24.1", "no cause has been found but it runs in the family"
    if cause_type == "acquired":
        return "G24.8", "it was caused by another condition or event"
    if cause_type == "idiopathic":
        return "G24.1", (
            "no cause has been found; whether it runs in the family is not known, and ICD-10-CM codes "
            "idiopathic dystonia without that detail here"
        )
    return "G24.9", "the cause is not known"


def _drug_codes(regions: Iterable[str], drug_timing: str | None) -> tuple[AssignedCode, ...]:
    """Codes of a dystonia caused by a medicine (rule 2 of the module docstring)."""
    if drug_timing == "acute":
        why = "is used because the dystonia is a sudden (acute) reaction to a medicine."
        return (_assign("G24.02", why),)
    if drug_timing != "tardive":
        return (
            _assign(
                "G24.09",
                "is used because the dystonia is caused by a medicine and it was not given whether the "
                "reaction was sudden (acute) or late (tardive).",
            ),
        )
    regions = ordered(regions)
    face = [code for code in regions if code in TARDIVE_G24_01_REGIONS]
    elsewhere = [code for code in regions if code not in TARDIVE_G24_01_REGIONS]
    codes = []
    if face:
        codes.append(
            _assign(
                "G24.01",
                f"is used for {describe(face)} because the dystonia there is a late (tardive) reaction to a "
                "medicine; ICD-10-CM codes tardive dystonia of the eyelids or mouth here.",
            )
        )
    if elsewhere:
        codes.append(
            _assign(
                "G24.09",
                f"is used for {describe(elsewhere)} because the dystonia there is a late (tardive) reaction to "
                "a medicine outside the eyelids and mouth.",
            )
        )
    return tuple(codes)


def _disease_codes(disease: str, disease_code: str | None) -> tuple[AssignedCode, ...]:
    """Codes of a dystonia that is part of a named heredodegenerative disease (rule 3)."""
    known = known_disease_code(disease)
    code = disease_code or (known.code if known else None)
    if code is None:
        return (
            _assign(
                "G24.8",
                f"is used for the dystonia, which is part of {disease}. The code of {disease} itself should "
                "come first; Torsion does not know it, so it has to be added.",
            ),
        )
    title = known.title if known is not None and known.code == code else disease
    first = AssignedCode(
        code,
        title,
        f"{code} ({title}) comes first because the dystonia is part of {disease}, and ICD-10-CM codes the "
        "disease itself first.",
    )
    beside = _assign("G24.8", f"is used beside {code} for the dystonia that {disease} causes.")
    return first, beside


def select_icd10(
    *,
    whole_body_form: str | None,
    forms: Sequence[CodedForm],
    regions: Iterable[str],
    cause_type: str | None,
    acquired_kind: str | None = None,
    drug_timing: str | None = None,
    idiopathic_kind: str | None = None,
    disease: str | None = None,
    disease_code: str | None = None,
    settings: CodingSettings = DEFAULT_CODING,
) -> tuple[AssignedCode, ...]:
    """Choose the ICD-10-CM codes for a classified dystonia (rules in the module docstring).

    Parameters
    ----------
    whole_body_form : str or None
        Name of the form when the distribution is generalized or hemidystonia (these take no site
        code), else ``None``.
    forms : sequence of CodedForm
        The named focal forms when ``whole_body_form`` is ``None``; a form without a site code makes
        the rules add one code from the cause.
    regions : iterable of str
        The affected regions (they choose between G24.01 and G24.09 for a tardive dystonia).
    cause_type : {"inherited", "acquired", "idiopathic"} or None
        Type of cause, ``None`` when not known.
    acquired_kind, drug_timing, idiopathic_kind : str or None
        Details of the cause, ``None`` when not known or not applicable.
    disease, disease_code : str or None
        For an inherited cause, the named heredodegenerative disease the dystonia is part of and that
        disease's ICD-10-CM code (``None``: look the name up in :data:`DISEASE_CODES`).
    settings : CodingSettings
        The configurable code choices.

    Returns
    -------
    tuple of AssignedCode
        The codes, without duplicates, in reporting order; empty for a functional cause. Each
        reason is a full sentence naming the code and its title.
    """
    if cause_type == "acquired" and acquired_kind == "psychogenic":
        return ()
    if cause_type == "acquired" and acquired_kind == "drug":
        return _drug_codes(regions, drug_timing)
    if cause_type == "inherited" and disease:
        return _disease_codes(disease, disease_code)
    if cause_type == "inherited":
        return (_assign("G24.1", "is used because the cause is inherited."),)

    # One entry per code, whose reason names every form it stands for.
    reasons: dict[str, list[str]] = {}
    notes: dict[str, str] = {}
    uncoded: list[str] = [whole_body_form] if whole_body_form is not None else []
    for form in forms:
        codes = site_codes(form, settings)
        if not codes:
            uncoded.append(form.name)
        for code in codes:
            if cause_type == "acquired" and code in _IDIOPATHIC_SITE_CODES:
                uncoded.append(form.name)
            else:
                reasons.setdefault(code, []).append(f"for {form.name}")
                if form.slug == "writers_cramp":
                    notes[code] = WRITERS_CRAMP_NOTE
    if uncoded:
        code, why = _cause_code(cause_type, idiopathic_kind)
        names = " and ".join(dict.fromkeys(uncoded))
        reasons.setdefault(code, []).append(f"for {names} because {why}")
    return tuple(
        _assign(code, "is used " + ", and ".join(parts) + "." + (f" {notes[code]}" if code in notes else ""))
        for code, parts in reasons.items()
    )
