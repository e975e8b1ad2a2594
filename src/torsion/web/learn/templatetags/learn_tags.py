from django import template

from torsion.clinical.regions import REGIONS

register = template.Library()


@register.filter
def words(code) -> str:
    """A stored code as words: ``late_adulthood`` -> ``late adulthood``."""
    return str(code).replace("_", " ") if code is not None else ""


@register.filter
def years(value) -> str:
    """An age in years as people write it: ``45.0`` -> "45 years", ``1`` -> "1 year", ``2.5`` -> "2.5 years"."""
    if value is None or value == "":
        return ""
    number = float(value)
    shown = f"{number:.0f}" if number.is_integer() else f"{number:g}"
    return f"{shown} year" if shown == "1" else f"{shown} years"


@register.filter
def region_labels(codes) -> str:
    return ", ".join(REGIONS[c].label if c in REGIONS else str(c) for c in codes or [])
