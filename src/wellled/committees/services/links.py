"""Turning the lead committee texts typed on risks into links to committees (ADR 0062), once the administrator has
confirmed which committee each text means; every risk changed is audited."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.service_kit import permission_require, record_change
from wellled.risks.models import Risk

from ..models import Committee

OTHER_TRUST = "Choose one of your own trust's committees."


@transaction.atomic
def risks_link(*, organisation: Organisation, by: User, chosen: Mapping[str, Committee | None]) -> int:
    """Link every unlinked risk whose lead committee text is a key of `chosen` to the committee chosen for it (None
    leaves it unlinked); the text is kept as typed. Returns how many risks were linked."""
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_ORGANISATION)
    if any(c is not None and c.organisation_id != organisation.pk for c in chosen.values()):
        raise ValidationError(OTHER_TRUST)
    linked = 0
    risks = (
        Risk.objects.select_for_update()
        .filter(organisation=organisation, committee__isnull=True, lead_committee__in=list(chosen))
        .order_by("pk")
    )
    for risk in risks:
        committee = chosen.get(risk.lead_committee)
        if committee is None:
            continue
        record_change(
            risk,
            {"committee": committee},
            by=by,
            organisation=organisation,
            note=f"Lead committee '{risk.lead_committee}' linked to {committee.name}",
        )
        linked += 1
    return linked
