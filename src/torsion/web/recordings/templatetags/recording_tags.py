"""Words and units for recording results: one unit style (degrees as "°"), the scale's own item names."""

from django import template

from torsion.measures.tremor import AXIS_NAMES, TREMOR_BAND_HZ, rhythm_kind

register = template.Library()

#: The TWSTRS severity items as the scale names them.
TWSTRS_ITEM_NAMES = {
    "rotation": "Rotation (torticollis)",
    "laterocollis": "Tilt (laterocollis)",
    "antero_retrocollis": "Forward or back (antero/retrocollis)",
    "lateral_shift": "Lateral shift",
    "sagittal_shift": "Sagittal shift",
}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def signed_direction(value, directions: str):
    """``12.3|signed_direction:"right,left"`` -> "12° to the right"; near zero -> "about straight"."""
    if not isinstance(value, (int, float)):
        return "not measured"
    positive, negative = directions.split(",")
    if abs(value) < 1:
        return "about straight"
    return f"{abs(value):.0f}° {positive if value > 0 else negative}"


@register.filter
def twstrs_item(code: str) -> str:
    return TWSTRS_ITEM_NAMES.get(code, str(code).replace("_", " ").capitalize())


@register.filter
def with_unit(value, unit: str) -> str:
    """An excursion with its unit: whole degrees as "7°" (the scale's bands are in whole degrees)."""
    if value is None:
        return "–"
    if unit in ("deg", "°", "degrees"):
        return f"{value:.0f}°"
    return f"{value:.2f} {unit}"


@register.filter
def tremor_words(tremor) -> str:
    """The head measure's rhythmic movement in words; below the tremor band it is not called tremor."""
    if not isinstance(tremor, dict) or tremor.get("detected") is None:
        return "could not be looked for"
    if not tremor.get("detected"):
        return "none found"
    frequency = tremor.get("peak_frequency_hz")
    movement = (f"{frequency:.1f} Hz, {tremor.get('amplitude_deg') or 0:.1f}° peak to peak, mostly "
                f"{AXIS_NAMES.get(tremor.get('dominant_axis'), tremor.get('dominant_axis'))}")
    if (tremor.get("kind") or rhythm_kind(frequency)) == "tremor":
        return movement
    low = f"{TREMOR_BAND_HZ[0]:g}"
    return f"none; a slow rhythmic head movement (below {low} Hz) at {movement}"
