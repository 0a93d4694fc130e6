"""Fields the risks' and improvement's bodies share: ids of objects in the caller's scope, plausible dates, and text
as long as the model takes."""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wellled.core.limits import limit_of

from .authentication import api_scope
from .filters import ID_MAX

# Dates a person could mean: not before the NHS began, nor more than ten years ahead (a year typed wrongly).
EARLIEST_DAY = datetime.date(1948, 1, 1)
YEARS_AHEAD = 10


def _plausible(day: datetime.date) -> None:
    today = timezone.localdate()
    latest = today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))
    if not EARLIEST_DAY <= day <= latest:
        raise serializers.ValidationError(
            f"Give a date from {EARLIEST_DAY.isoformat()} to {latest.isoformat()}."
        )


def Day(**kwargs) -> serializers.DateField:  # noqa: N802 (a field, named as fields are)
    """A date (YYYY-MM-DD) no earlier than 1948 and no more than ten years ahead."""
    return serializers.DateField(validators=[_plausible], **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class InScope(serializers.PrimaryKeyRelatedField):
    """The id of an object of the caller's organisation, found through a selector in their scope: an id of another
    organisation's object is refused as not found, like one that does not exist."""

    def __init__(self, selector=None, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.selector(**api_scope(self.context["request"]))

    def to_internal_value(self, data):
        number = serializers.IntegerField(min_value=1, max_value=ID_MAX).run_validation(data)
        return super().to_internal_value(number)


def text_of(model, name: str, **kwargs) -> serializers.CharField:
    """Text as long as the model's field takes (core.limits)."""
    return serializers.CharField(max_length=limit_of(model, name), **kwargs)
