from django.urls import reverse

from torsion import __version__
from torsion.web.core.theme import THEMES, next_theme, theme_of


def _nav_items(request):
    user = request.user
    items = [("Home", reverse("core:home")), ("Learn", reverse("learn:index"))]
    if user.is_authenticated:
        if hasattr(user, "patient"):
            items.append(("My dashboard", reverse("core:dashboard")))
        if hasattr(user, "clinician"):
            items.append(("My patients", reverse("clinic:patients")))
        items.append(("Account", reverse("accounts:profile")))
    else:
        items.append(("Sign up", reverse("accounts:signup")))
    path = request.path
    return [
        {"label": label, "url": url, "current": path == url or (url != "/" and path.startswith(url))}
        for label, url in items
    ]


def site(request):
    theme = theme_of(request)
    return {
        "version": __version__,
        "theme": theme,
        "theme_label": THEMES[theme],
        "next_theme": next_theme(theme),
        "nav_items": _nav_items(request),
    }
