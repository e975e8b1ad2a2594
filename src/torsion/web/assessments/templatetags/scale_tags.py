from django import template

from torsion.web.assessments.forms import format_score

register = template.Library()


@register.filter
def score(value):
    """A scale score as shown everywhere: ``14.5``, ``31.25``, ``41.67``, ``12``; a dash for nothing."""
    return format_score(value)
