from django import template

register = template.Library()


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
