from django import template

from torsion.clinical.regions import REGIONS

register = template.Library()


@register.filter
def words(code) -> str:
    """A stored code as words: ``late_adulthood`` -> ``late adulthood``."""
    return str(code).replace("_", " ") if code is not None else ""


@register.filter
def region_labels(codes) -> str:
    return ", ".join(REGIONS[c].label if c in REGIONS else str(c) for c in codes or [])
