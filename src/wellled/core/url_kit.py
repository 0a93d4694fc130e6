"""The standard set of paths for one kind of record, so every app's urls.py names its pages once instead of writing
the same list/new/detail/edit/history lines again (issue 21)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import ModuleType

from django.urls import URLPattern, path

# Pages that sit on the collection rather than on one record: page -> path after the prefix.
COLLECTION_PAGES = {"list": "", "create": "new/"}
RECORD_PAGE = "<int:pk>/"


def record_paths(
    prefix: str, views: ModuleType, stem: str, pages: Sequence[str], *, name: str = ""
) -> list[URLPattern]:
    """Paths for each page of a record kind: `list` at the prefix, `create` at `new/`, `detail` at `<int:pk>/` and
    any other page at `<int:pk>/<page>/`; the view is `<stem>_<page>` and the URL name `<name>-<page>`."""
    url_name = name or stem.replace("_", "-")
    patterns = []
    for page in pages:
        if page in COLLECTION_PAGES:
            route = prefix + COLLECTION_PAGES[page]
        elif page == "detail":
            route = prefix + RECORD_PAGE
        else:
            route = f"{prefix}{RECORD_PAGE}{page}/"
        patterns.append(path(route, getattr(views, f"{stem}_{page}"), name=f"{url_name}-{page}"))
    return patterns


def named_pages(views: ModuleType, routes: Mapping[str, str]) -> list[URLPattern]:
    """Paths for pages named after their view: route -> name of the view in `views`, the URL name being that name
    with hyphens (`risk_heat_map` is `risk-heat-map`), so a page's name is not written out a second time."""
    return [path(route, getattr(views, view), name=view.replace("_", "-")) for route, view in routes.items()]
