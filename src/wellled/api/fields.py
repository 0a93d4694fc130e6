"""Fields the risks' and improvement's bodies share: ids of objects in the caller's scope, plausible dates (`Day`,
from serializers), and text as long as the model takes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wellled.core.limits import limit_of

from .authentication import api_scope
from .filters import ID_MAX
from .serializers import Day

__all__ = ["Day", "InScope", "text_of"]


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
