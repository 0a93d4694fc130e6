"""The Jinja2 environment: our templates first, then the NHS.UK frontend macros from their package."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    select_autoescape,
)
from markupsafe import Markup, escape

from wellled.core.formatting import counted, day_text, figure, long_date, month_year, short_date, short_month
from wellled.core.navigation import navigation
from wellled.core.permissions import Permission, role_allows
from wellled.measures.jinja import measure_globals
from wellled.risks.jinja import risk_globals


def url(name: str, *args, **kwargs) -> str:
    """reverse() for templates, each address worked out once: a plan page links every row (issue 24)."""
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


def can(request, permission: str) -> bool:
    """True if the signed-in person's role in the current organisation grants the permission."""
    membership = getattr(request, "membership", None)
    return role_allows(membership.role if membership else None, Permission(permission))


def status_tag(status) -> Markup:
    """A delivery status as its code on its colour, with the label for screen readers: colour never alone."""
    if status is None:
        return Markup(
            '<span class="wl-status wl-status--none">—<span class="nhsuk-u-visually-hidden"> no status</span></span>'
        )
    return _status_tag(status.colour, status.text_colour, status.code, status.label)


@functools.lru_cache(maxsize=1024)
def _status_tag(colour: str, text_colour: str, code: str, label: str) -> Markup:
    """The tag of a status's words, made once: a plan page shows the same few statuses on every row (issue 24)."""
    return Markup(
        '<span class="wl-status" style="background:{bg};color:{fg}" title="{label}">{code}'
        '<span class="nhsuk-u-visually-hidden"> ({label})</span></span>'
    ).format(bg=colour, fg=text_colour, code=code, label=label)


def widget_type(bound_field) -> str:
    """The widget's class name, so one form macro can pick the NHS.UK component for a field."""
    return type(bound_field.field.widget).__name__


def field_value(bound_field):
    """The field's current value as the component needs it (a list for multiple choices)."""
    value = bound_field.value()
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return "" if value is None else value


def environment(**options) -> Environment:
    """Build the environment Django's Jinja2 backend uses."""
    # Django passes a FileSystemLoader over TEMPLATES["DIRS"]; the NHS.UK macros come from their package.
    loaders = [
        options.pop("loader", None) or FileSystemLoader([]),
        PackageLoader("nhsuk_frontend_jinja", "templates"),
    ]
    options["undefined"] = ChainableUndefined  # the NHS.UK macros read optional nested params
    # Escape everything but plain-text e-mail templates (*.txt.jinja).
    options["autoescape"] = select_autoescape(
        disabled_extensions=("txt.jinja",), default_for_string=True, default=True
    )
    env = Environment(loader=ChoiceLoader(loaders), extensions=["jinja2.ext.do"], **options)  # noqa: S701 (select_autoescape above)
    env.globals.update(
        {
            "url": url,
            "static": static,
            "can": can,
            "status_tag": status_tag,
            "get_messages": messages.get_messages,
            "csrf_token_value": get_token,
            "now": timezone.now,
            "today": timezone.localdate,
            "widget_type": widget_type,
            "field_value": field_value,
            "navigation": navigation,
        }
    )
    env.globals.update(measure_globals())
    env.globals.update(risk_globals())
    env.filters.update(
        {
            "month_year": month_year,
            "long_date": long_date,
            "short_date": short_date,
            "day_text": day_text,
            "short_month": short_month,
            "figure": figure,
            "e": escape,
            "counted": counted,
        }
    )
    return env
