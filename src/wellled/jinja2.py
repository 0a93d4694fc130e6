"""The Jinja2 environment: our templates first, then the NHS.UK frontend macros from their package."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.utils import timezone
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
from wellled.core.switcher import organisation_options
from wellled.core.url_kit import address
from wellled.measures.jinja import measure_globals
from wellled.risks.jinja import risk_globals


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


# The layout's NHS.UK components drawn once for each distinct set of parameters, and kept by the process (at most
# this many, the oldest dropped first): what a component draws depends on its parameters alone, and the header drawn through its macros cost
# about 3 ms of every page (issue 24). Nothing outside the parameters goes in, so no one sees another's header.
DRAWN_MAX = 2048
_drawn: dict[tuple, Markup] = {}


def _frozen(value):
    """The parameters as a key: every value with its type, so a Markup and the same text as str differ."""
    if isinstance(value, dict):
        return dict, tuple((key, _frozen(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return list, tuple(_frozen(item) for item in value)
    return type(value), value


def drawn_once(macro, params: dict) -> Markup:
    """The component's macro called with the parameters, or what it drew for the same parameters before."""
    try:
        key = (macro, _frozen(params))
        html = _drawn.get(key)
    except TypeError:  # a parameter that cannot be a key: drawn afresh
        return macro(params)
    if html is None:
        if len(_drawn) >= DRAWN_MAX:  # the oldest kept drawing goes (dicts keep the order of insertion)
            try:
                del _drawn[next(iter(_drawn))]
            except (RuntimeError, StopIteration, KeyError):  # changed under us by another thread: start again
                _drawn.clear()
        html = _drawn[key] = macro(params)
    return html


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
            "url": address,
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
            "organisation_options": organisation_options,
            "drawn_once": drawn_once,
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
