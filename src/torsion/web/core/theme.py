"""The colour theme: follow the system (default), or a choice kept in a cookie so pages render right."""

THEME_COOKIE = "torsion_theme"
THEMES = {"system": "System", "light": "Light", "dark": "Dark (low glare)"}
_CYCLE = {"system": "dark", "dark": "light", "light": "system"}


def theme_of(request) -> str:
    value = request.COOKIES.get(THEME_COOKIE, "system")
    return value if value in THEMES else "system"


def next_theme(theme: str) -> str:
    return _CYCLE[theme]
