"""Reminders: the cycle page shows when each lead was last reminded, and reminding a lead again within a day asks
first (nothing is sent until the sender confirms)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from wellled.plans import selectors, services
from wellled.plans.models import ReminderSent

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(plan, editor):
    return services.cycle_open(
        plan=plan,
        by=editor,
        name="November board",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 12, 7),
    )


def awaiting(cycle, editor, org):
    found = selectors.cycle_awaiting_by_lead(user=editor, organisation=org, cycle=cycle)
    found.pop(None, None)
    return found


def test_a_second_reminder_within_a_day_needs_the_sender_to_say_so(cycle, editor, lead, org):
    assert services.cycle_send_reminders(cycle=cycle, by=editor, awaiting=awaiting(cycle, editor, org)) == 1
    with pytest.raises(services.RemindedRecently) as caught:
        services.cycle_send_reminders(cycle=cycle, by=editor, awaiting=awaiting(cycle, editor, org))
    assert list(caught.value.last) == [lead]
    assert ReminderSent.objects.count() == 1 and len(mail.outbox) == 1
    sent = services.cycle_send_reminders(
        cycle=cycle, by=editor, awaiting=awaiting(cycle, editor, org), repeat=True
    )
    assert sent == 1 and ReminderSent.objects.count() == 2


def test_the_cycle_page_shows_when_each_lead_was_last_reminded_and_asks_before_repeating(
    cycle, editor, lead, org, login
):
    client = login(editor)
    page = client.get(reverse("cycle-detail", args=[cycle.pk])).content.decode()
    assert "Last reminded" in page and "Not yet" in page
    client.post(reverse("cycle-remind", args=[cycle.pk]), {"lead": [lead.pk]})
    assert ReminderSent.objects.count() == 1
    page = client.get(reverse("cycle-detail", args=[cycle.pk])).content.decode()
    assert "Not yet" not in page
    asked = client.post(reverse("cycle-remind", args=[cycle.pk]), {"lead": [lead.pk]})
    assert asked.status_code == 200 and "Send reminders again?" in asked.content.decode()
    assert ReminderSent.objects.count() == 1
    confirmed = client.post(reverse("cycle-remind", args=[cycle.pk]), {"lead": [lead.pk], "repeat": "yes"})
    assert confirmed.status_code == 302 and ReminderSent.objects.count() == 2
