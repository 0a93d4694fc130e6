"""An administrator words the delivery-status scale and chooses which codes are in use (for example, no B); each
change is audited, and nobody else may do it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from tests.factories import db_state, status

from wellled.core.choices import Role
from wellled.core.models import AuditLog, DeliveryStatus
from wellled.core.services import delivery_scale_update

pytestmark = pytest.mark.django_db


def test_administrator_rewords_a_status_and_stops_using_b_audited(org, people):
    admin = people[Role.ADMINISTRATOR]
    g, b = status(org, "G"), status(org, "B")
    changed = delivery_scale_update(
        organisation=org,
        by=admin,
        changes={
            g.pk: {
                "label": "Complete",
                "meaning": "Action completed and improvement achieved",
                "active": True,
            },
            b.pk: {"label": b.label, "meaning": b.meaning, "active": False},
        },
    )
    assert {s.code for s in changed} == {"G", "B"}
    assert DeliveryStatus.objects.get(pk=g.pk).meaning == "Action completed and improvement achieved"
    assert not DeliveryStatus.objects.get(pk=b.pk).active
    record = AuditLog.objects.get(content_type__model="deliverystatus", object_id=str(b.pk), action="update")
    assert record.actor == admin and record.before["active"] is True and record.after["active"] is False


def test_the_scale_keeps_a_status_in_use_that_means_delivered(org, people):
    admin = people[Role.ADMINISTRATOR]
    complete = DeliveryStatus.objects.filter(organisation=org, is_complete=True)
    with pytest.raises(ValidationError):
        delivery_scale_update(
            organisation=org,
            by=admin,
            changes={s.pk: {"label": s.label, "meaning": s.meaning, "active": False} for s in complete},
        )
    assert DeliveryStatus.objects.filter(organisation=org, is_complete=True, active=True).count() == 2


@pytest.mark.parametrize("role", [Role.GOVERNANCE_EDITOR, Role.LEAD, Role.VIEWER])
def test_only_an_administrator_changes_the_scale(org, people, login, role):
    g = status(org, "G")
    with pytest.raises(PermissionDenied):
        delivery_scale_update(organisation=org, by=people[role], changes={g.pk: {"label": "Done"}})
    client = login(people[role])
    before = db_state()
    assert client.get(reverse("delivery-scale")).status_code == 403
    assert client.post(reverse("delivery-scale"), {f"label-{g.pk}": "Done"}).status_code == 403
    assert db_state() == before


def test_the_page_saves_the_wording_and_what_is_in_use(org, people, login):
    client = login(people[Role.ADMINISTRATOR])
    page = client.get(reverse("delivery-scale"))
    assert page.status_code == 200 and "Delivery status scale" in page.content.decode()
    data = {}
    for s in DeliveryStatus.objects.filter(organisation=org):
        data[f"label-{s.pk}"] = s.label
        data[f"meaning-{s.pk}"] = s.meaning
        if s.code != "B":
            data[f"active-{s.pk}"] = "on"
    data[f"label-{status(org, 'A/R').pk}"] = "Plan in doubt"
    response = client.post(reverse("delivery-scale"), data)
    assert response.status_code == 302
    assert status(org, "A/R").label == "Plan in doubt" and not status(org, "B").active
    assert "Not in use: B." in client.get(reverse("organisation-detail")).content.decode()


def test_another_organisations_scale_is_not_touched(org, other_org, people):
    theirs = status(other_org, "G")
    with pytest.raises(ValueError):
        delivery_scale_update(
            organisation=org, by=people[Role.ADMINISTRATOR], changes={theirs.pk: {"label": "X"}}
        )
