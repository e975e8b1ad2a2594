from decimal import Decimal

from django import template

from torsion.web.records.regions import REGION_LABELS

register = template.Library()


@register.filter
def region_label(code: str) -> str:
    return REGION_LABELS.get(code, code)


@register.filter
def units(value) -> str:
    """A number of units as written by hand: 40, 12.5 (never 40.00); "–" when unknown."""
    if value is None or value == "":
        return "–"
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return f"{number.normalize():f}"



@register.filter
def at(sequence, index: int):
    """``columns|at:forloop.counter0``: the item of a list at a loop's position (a cell's column)."""
    return sequence[index]
