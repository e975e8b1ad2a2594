from django import template

from torsion.web.records.regions import REGION_LABELS

register = template.Library()


@register.filter
def region_label(code: str) -> str:
    return REGION_LABELS.get(code, code)
