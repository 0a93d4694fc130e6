"""The standard set of paths for one kind of record, so every app's urls.py names its pages once instead of writing
the same list/new/detail/edit/history lines again (issue 21)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from types import ModuleType

from django.urls import URLPattern, get_resolver, get_script_prefix, get_urlconf, path, reverse
from django.utils.translation import get_language

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


def address(name: str, *args, **kwargs) -> str:
    """reverse() with each address worked out once per process: every page links its header's entries and a plan
    page every row (issue 24). The one place templates and the header's menu reverse a URL name."""
    resolver = get_resolver(get_urlconf())
    try:
        typed = tuple((type(a), a) for a in args)  # 1 and True are equal keys, yet not the same address
        named = tuple(sorted((k, type(v), v) for k, v in kwargs.items()))
        return _reversed(resolver, get_script_prefix(), get_language(), name, typed, named)
    except TypeError:  # an argument that cannot be a key
        return reverse(name, args=args or None, kwargs=kwargs or None)


@functools.lru_cache(maxsize=8192)
def _reversed(resolver, prefix: str, language: str | None, name: str, args: tuple, kwargs: tuple) -> str:
    """An address as reverse() gives it. The URL map (its resolver, which clear_url_caches replaces), the script
    prefix and the language are part of the key, so none of them changed is ever answered from before."""
    return reverse(
        name,
        urlconf=resolver.urlconf_name,
        args=[a for _, a in args] or None,
        kwargs={k: v for k, _, v in kwargs} or None,
    )


# The site's address: set once (WELLLED_SITE_URL), used by every e-mail and absolute link ---------------------

SITE_URL_VARIABLE = "WELLLED_SITE_URL"
# Addresses that mean "every interface": a link needs a name to reach, so links use the loopback address.
ANY_INTERFACE = {"0.0.0.0", "::", "[::]", ""}  # noqa: S104 - read, never bound to


def site_url(path: str = "") -> str:
    """An absolute link on this Wellled: the configured site address (settings.SITE_URL, from WELLLED_SITE_URL)
    followed by the path. Every e-mail and absolute link is made here, so all of them use one address."""
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + path


def site_url_for(address: str, *, scheme: str = "http") -> str:
    """The site address a server on `address` ("HOST:PORT", or a port alone) is reached at."""
    host, _, port = address.rpartition(":") if ":" in address else ("", "", address)
    host = "127.0.0.1" if host in ANY_INTERFACE else host
    return f"{scheme}://{host}:{port}" if port else f"{scheme}://{host}"


def site_url_imply(address: str) -> tuple[str, bool]:
    """When WELLLED_SITE_URL is not set, make the address being served the site address, for this process and the
    worker it starts (`wellled demo --addrport`, `wellled serve --bind`). Returns the address now in force and
    whether it was implied (False: the one configured is kept)."""
    import os

    from django.conf import settings

    if os.environ.get(SITE_URL_VARIABLE):
        return settings.SITE_URL, False
    url = site_url_for(address)
    os.environ[SITE_URL_VARIABLE] = url
    settings.SITE_URL = url
    return url, True
