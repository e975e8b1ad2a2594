"""Body regions used to describe where dystonia is, and which regions count as neighbours.

The eleven regions follow the body-distribution axis of the 2013 consensus classification
(Albanese et al., Mov Disord 2013;28:863-873): the face is split into upper face (eyelids and brow),
lower face, jaw and tongue; the hand belongs to the arm and the foot to the leg.

The consensus calls a group of affected regions *segmental* when they are contiguous, but does not
list which pairs touch. Torsion fixes the pairs below as a project convention:

- all pairs among the cranial regions (upper face, lower face, jaw, tongue, larynx);
- each cranial region with the neck;
- the neck with the trunk and with each arm;
- the left arm with the right arm (bibrachial);
- the trunk with each arm and each leg;
- the left leg with the right leg.

Everything else is not contiguous; the consensus gives neck + leg, upper face + arm and arm + leg as
examples.

For the body distribution, the lower face, the jaw and the tongue count as **one oromandibular
region** (:data:`OROMANDIBULAR_REGIONS`, :func:`distribution_units`): the consensus names
oromandibular dystonia, of any of the three, as a focal form. They stay three regions everywhere else
(choosing, naming, describing), because which of them is involved matters to a patient and to the
injector.

Each region also has a side (``left``, ``right`` or ``midline``), a label and a short description
written for patients; the web app's body map uses them. Face regions are ``midline`` by default; a
classification may give one of them a side (for example the right lower face after a stroke).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

Side = Literal["left", "right", "midline"]


@dataclass(frozen=True)
class Region:
    """One body region of the consensus body-distribution axis.

    Attributes
    ----------
    code : str
        Stable identifier stored in records and accepted as input (``"left_arm"``).
    label : str
        Short name shown to people (``"Left arm and hand"``).
    description : str
        One sentence, in plain words, of what belongs to the region.
    side : {"left", "right", "midline"}
        Side of the body; regions in the middle of the body (face, larynx, neck, trunk) are
        ``"midline"`` even though both sides of them may be affected.
    group : {"cranial", "axial", "arm", "leg"}
        Coarse group used to name the forms of dystonia.
    """

    code: str
    label: str
    description: str
    side: Side
    group: Literal["cranial", "axial", "arm", "leg"]


REGIONS: dict[str, Region] = {
    region.code: region
    for region in (
        Region(
            "upper_face",
            "Eyelids and brow",
            "The eyelids, the muscles around the eyes and the forehead: blinking, squeezing or "
            "closing of the eyes.",
            "midline",
            "cranial",
        ),
        Region(
            "lower_face",
            "Lower face and lips",
            "The cheeks, mouth and lips below the eyes: grimacing, pursing or pulling of the lips.",
            "midline",
            "cranial",
        ),
        Region(
            "jaw",
            "Jaw",
            "The jaw and chewing muscles: clenching, opening, or moving the jaw to one side.",
            "midline",
            "cranial",
        ),
        Region(
            "tongue",
            "Tongue",
            "The tongue: pushing out, curling or pulling back of the tongue.",
            "midline",
            "cranial",
        ),
        Region(
            "larynx",
            "Voice box",
            "The vocal folds in the throat: a strained, broken, whispery or breathy voice.",
            "midline",
            "cranial",
        ),
        Region(
            "neck",
            "Neck",
            "The neck and the muscles that hold the head: turning, tilting, pulling forward or back "
            "of the head, or raising of a shoulder.",
            "midline",
            "axial",
        ),
        Region(
            "trunk",
            "Trunk",
            "The chest, back, belly and hips: bending, twisting or arching of the body.",
            "midline",
            "axial",
        ),
        Region(
            "left_arm",
            "Left arm and hand",
            "The left shoulder, arm, wrist, hand and fingers.",
            "left",
            "arm",
        ),
        Region(
            "right_arm",
            "Right arm and hand",
            "The right shoulder, arm, wrist, hand and fingers.",
            "right",
            "arm",
        ),
        Region(
            "left_leg",
            "Left leg and foot",
            "The left hip muscles, leg, ankle, foot and toes.",
            "left",
            "leg",
        ),
        Region(
            "right_leg",
            "Right leg and foot",
            "The right hip muscles, leg, ankle, foot and toes.",
            "right",
            "leg",
        ),
    )
}

#: Region codes in head-to-toe order; outputs list regions in this order.
REGION_CODES: tuple[str, ...] = tuple(REGIONS)

CRANIAL_REGIONS: frozenset[str] = frozenset(c for c, r in REGIONS.items() if r.group == "cranial")
ARM_REGIONS: frozenset[str] = frozenset({"left_arm", "right_arm"})
LEG_REGIONS: frozenset[str] = frozenset({"left_leg", "right_leg"})
LIMB_REGIONS: frozenset[str] = ARM_REGIONS | LEG_REGIONS
#: The lower face, jaw and tongue: one oromandibular region for the body distribution.
OROMANDIBULAR_REGIONS: frozenset[str] = frozenset({"lower_face", "jaw", "tongue"})
#: The face regions, which may be given a side: the upper face and the oromandibular regions.
FACE_REGIONS: frozenset[str] = OROMANDIBULAR_REGIONS | {"upper_face"}
#: Name of the one unit the oromandibular regions make for the body distribution.
OROMANDIBULAR = "oromandibular"


def _contiguous_pairs() -> frozenset[frozenset[str]]:
    pairs: set[frozenset[str]] = {frozenset(p) for p in combinations(sorted(CRANIAL_REGIONS), 2)}
    pairs |= {frozenset({cranial, "neck"}) for cranial in CRANIAL_REGIONS}
    pairs |= {frozenset({"neck", other}) for other in ("trunk", "left_arm", "right_arm")}
    pairs.add(frozenset(ARM_REGIONS))
    pairs |= {frozenset({"trunk", limb}) for limb in LIMB_REGIONS}
    pairs.add(frozenset(LEG_REGIONS))
    return frozenset(pairs)


#: Unordered pairs of regions that touch (project convention, see the module docstring).
CONTIGUOUS_PAIRS: frozenset[frozenset[str]] = _contiguous_pairs()


def are_contiguous(first: str, second: str) -> bool:
    """Whether two different regions touch under the project's adjacency convention.

    Parameters
    ----------
    first, second : str
        Region codes from :data:`REGION_CODES`.

    Returns
    -------
    bool
        ``True`` for a contiguous pair, ``False`` otherwise (including a region with itself).

    Raises
    ------
    KeyError
        If either code is not a known region (a programming error; user input is checked earlier).
    """
    for code in (first, second):
        if code not in REGIONS:
            raise KeyError(f"unknown region code {code!r}")
    return frozenset({first, second}) in CONTIGUOUS_PAIRS


def is_connected(regions: Iterable[str]) -> bool:
    """Whether the regions form one group in which each touches the rest through contiguous pairs.

    Parameters
    ----------
    regions : iterable of str
        Region codes; duplicates are ignored.

    Returns
    -------
    bool
        ``True`` if the set is non-empty and connected under :data:`CONTIGUOUS_PAIRS` (a single
        region is connected), ``False`` otherwise.
    """
    remaining = set(regions)
    for code in remaining:
        if code not in REGIONS:
            raise KeyError(f"unknown region code {code!r}")
    if not remaining:
        return False
    frontier = [remaining.pop()]
    while frontier:
        current = frontier.pop()
        reached = {other for other in remaining if frozenset({current, other}) in CONTIGUOUS_PAIRS}
        remaining -= reached
        frontier.extend(reached)
    return not remaining


def distribution_units(regions: Iterable[str]) -> tuple[str, ...]:
    """The distinct units that the body distribution counts, head to toe.

    Each region is its own unit, except that the lower face, jaw and tongue together make the one
    unit :data:`OROMANDIBULAR` (project convention, see the module docstring).

    Parameters
    ----------
    regions : iterable of str
        Region codes from :data:`REGION_CODES`; duplicates are ignored.

    Returns
    -------
    tuple of str
        Region codes and :data:`OROMANDIBULAR`, in head-to-toe order.

    Examples
    --------
    >>> distribution_units(["tongue", "neck", "jaw"])
    ('oromandibular', 'neck')
    """
    units: list[str] = []
    for code in ordered(regions):
        unit = OROMANDIBULAR if code in OROMANDIBULAR_REGIONS else code
        if unit not in units:
            units.append(unit)
    return tuple(units)


def ordered(regions: Iterable[str]) -> tuple[str, ...]:
    """Return the distinct region codes in head-to-toe order (the order of :data:`REGION_CODES`)."""
    wanted = set(regions)
    return tuple(code for code in REGION_CODES if code in wanted)


def describe(regions: Iterable[str], sides: Mapping[str, str] | None = None) -> str:
    """Join the lower-case labels of regions into a phrase, e.g. ``"the neck and the trunk"``.

    Parameters
    ----------
    regions : iterable of str
        Region codes; listed head to toe.
    sides : mapping of str to {"left", "right"}, optional
        Sides given to face regions; such a region reads ``"the lower face and lips (right side)"``.

    Returns
    -------
    str
        A phrase for use inside a sentence.
    """
    sides = sides or {}

    def name(code: str) -> str:
        side = f" ({sides[code]} side)" if code in sides else ""
        return f"the {REGIONS[code].label.lower()}{side}"

    names = [name(code) for code in ordered(regions)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
