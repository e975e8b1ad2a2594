"""Walk Django's URL patterns so that tests cover every page, including pages added later."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

_KEYWORD = re.compile(r"<(?:(\w+):)?(\w+)>")


def walk(patterns=None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """(route, pattern) for every URL pattern, routes written as in urls.py (without a leading /)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def keywords(route: str) -> list[str]:
    return [match.group(2) for match in _KEYWORD.finditer(route)]


def fill(route: str, values: dict[str, object]) -> str:
    """The address for ``route`` with its keywords replaced from ``values`` (an error names any missing)."""

    def replace(match: re.Match) -> str:
        name = match.group(2)
        if name not in values:
            raise AssertionError(f"Add a sample value for URL keyword {name!r} (in {route!r}) to this test.")
        return str(values[name])

    return "/" + _KEYWORD.sub(replace, route)
