"""Reads of frameworks: the shipped ones and the organisation's own."""

from django.db.models import Q, QuerySet

from wellled.core.models import Organisation

from .models import Framework, FrameworkElement


def frameworks_available(*, organisation: Organisation) -> QuerySet[Framework]:
    """Frameworks an organisation may organise plans by: shipped ones and its own."""
    return Framework.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation))


def elements_available(*, organisation: Organisation) -> QuerySet[FrameworkElement]:
    """Every element of the frameworks the organisation may use (shipped ones and its own), with its framework."""
    return FrameworkElement.objects.filter(
        framework__in=frameworks_available(organisation=organisation)
    ).select_related("framework")
