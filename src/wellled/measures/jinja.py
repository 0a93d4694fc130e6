"""Template helpers for measures, registered in wellled.jinja2 with `env.globals.update(measure_globals())`.

`measure_summary(action)` gives the action's linked success measure (latest value, icons, target met) from a cache
kept on the request: the first call loads every link of the organisation in a constant number of queries, so a plan
page of any length costs the same.
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup

from wellled.core import formatting
from wellled.spc.icons import assurance_icon_svg, variation_icon_svg

_CACHE_ATTR = "_wellled_measure_summaries"


def _summaries(request) -> dict:
    if request is None or not getattr(request, "organisation", None) or not request.user.is_authenticated:
        return {}
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is None:
        from .selectors import success_measure_summaries

        cached = success_measure_summaries(user=request.user, organisation=request.organisation)
        setattr(request, _CACHE_ATTR, cached)
    return cached


@pass_context
def measure_summary(context, action):
    """The action's success-measure summary, or None when its success measure is not linked to a measure."""
    if action is None or not getattr(action, "pk", None):
        return None
    return _summaries(context.get("request")).get(action.pk)


@pass_context
def measure_exceptions(context):
    """Actions marked complete whose linked measure shows concern or is consistently failing its target."""
    rows = [
        s
        for s in _summaries(context.get("request")).values()
        if s.action_is_complete and s.shows_exception and not s.link.action.plan.archived
    ]
    return sorted(rows, key=lambda s: (s.link.action.plan.name, s.link.action.reference))


def variation_icon(variation, size: int = 32) -> Markup:
    return Markup(variation_icon_svg(variation, size=size))  # noqa: S704 (built by wellled.spc, escaped there)


def assurance_icon(assurance, size: int = 32) -> Markup:
    return Markup(assurance_icon_svg(assurance, size=size))  # noqa: S704 (built by wellled.spc, escaped there)


def measure_number(value, measure=None) -> str:
    """A figure as the measure's unit writes it: '36.2%', '268', '4.1 per 1,000'."""
    return formatting.measure_number(value, measure.unit_label if measure is not None else "")


def measure_period(day, measure=None) -> str:
    """A period as people write it: 'Oct 2025' for months and quarters, '3 Oct 2025' for days and weeks."""
    if day is None:
        return ""
    if measure is None or measure.frequency in ("monthly", "quarterly"):
        return formatting.short_month(day)
    return formatting.short_date(day)


def measure_globals() -> dict:
    return {
        "measure_period": measure_period,
        "measure_summary": measure_summary,
        "measure_exceptions": measure_exceptions,
        "variation_icon": variation_icon,
        "assurance_icon": assurance_icon,
        "measure_number": measure_number,
    }
