"""The organisation the caller works in, with their role and its delivery-status scale."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view

from wellled.core.models import Organisation
from wellled.core.selectors import delivery_statuses, memberships_for_user

from .. import serializers
from ..authentication import api_role, api_scope
from .base import ListRetrieve


def organisations_in_scope(*, user, organisation) -> QuerySet[Organisation]:
    """The organisation the caller works in (a token's, or the session's), if they still belong to it."""
    ids = memberships_for_user(user=user).filter(organisation=organisation).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids)


@extend_schema_view(
    list=extend_schema(summary="The organisation you are working in, with your role and its scale"),
    retrieve=extend_schema(summary="One organisation"),
)
class OrganisationViewSet(ListRetrieve):
    serializer_class = serializers.OrganisationSerializer
    selector = staticmethod(organisations_in_scope)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        scope = api_scope(self.request)
        context["role"] = api_role(self.request) or ""
        context["statuses"] = delivery_statuses(organisation=scope["organisation"])
        return context
