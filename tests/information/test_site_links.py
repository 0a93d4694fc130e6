"""Every link in every e-mail Wellled sends starts with the configured site address (issue 27): a representative
run sends an invitation, a cycle's reminders, a risk review reminder and an information request's answer, and each
link in them is checked. Also: `wellled demo --addrport` and `wellled serve --bind` make the address they serve the
site address when WELLLED_SITE_URL does not say."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import override_settings
from django.utils import timezone

from wellled.core import services as core_services
from wellled.core.choices import Role
from wellled.core.url_kit import SITE_URL_VARIABLE, site_url_for, site_url_imply
from wellled.information import services as information_services
from wellled.plans import selectors as plan_selectors
from wellled.plans import services as plan_services
from wellled.risks import services as risk_services

SITE = "https://wellled.trust.example:8443"
LINK = re.compile(r"(?:https?://|www\.)[^\s)>\"']+")


@pytest.mark.django_db
def test_every_link_in_every_e_mail_uses_the_site_address(
    register, director, org, people, plan, mailoutbox, django_capture_on_commit_callbacks
):
    admin, editor, lead = people["administrator"], people["governance_editor"], people["lead"]
    with override_settings(SITE_URL=SITE), django_capture_on_commit_callbacks(execute=True):
        core_services.person_invite(
            organisation=org, by=admin, email="newcomer@example.org", role=Role.LEAD, first_name="Noor"
        )
        cycle = plan_services.cycle_open(
            plan=plan,
            by=editor,
            name="This month",
            position_as_at=timezone.localdate(),
            update_deadline=timezone.localdate() + datetime.timedelta(days=7),
        )
        awaiting = plan_selectors.cycle_awaiting_by_lead(cycle=cycle, user=editor, organisation=org)
        assert plan_services.cycle_send_reminders(cycle=cycle, by=editor, awaiting=awaiting) == 1
        risk_services.risk_create(
            organisation=org,
            by=editor,
            title="Late reviews",
            inherent=(3, 3),
            current=(3, 3),
            target=(1, 1),
            owner=lead,
            next_review_on=timezone.localdate() - datetime.timedelta(days=3),
        )
        assert risk_services.review_reminders_send(organisation=org, by=editor, on=timezone.localdate()) == 1
        request = register(
            asked_by_organisation=None,
            asked_by_name="Care Quality Commission",
            asked_by_email="cqc@cqc.example",
        )
        information_services.answer_produce(request=request, by=director)
    subjects = [message.subject for message in mailoutbox]
    assert len(mailoutbox) == 4, subjects
    linked = 0
    for message in mailoutbox:
        texts = [message.body, *(content for content, _type in getattr(message, "alternatives", []))]
        for link in (link for text in texts for link in LINK.findall(str(text))):
            assert link.startswith(SITE + "/"), (message.subject, link)
            linked += 1
    assert linked >= 3  # the invitation, the cycle's reminder and the risk reminder each carry one at least


def test_the_served_address_becomes_the_site_address_unless_one_is_configured(monkeypatch, settings):
    assert site_url_for("0.0.0.0:8000") == "http://127.0.0.1:8000"
    assert site_url_for("192.168.1.20:8123") == "http://192.168.1.20:8123"
    assert site_url_for("8001") == "http://127.0.0.1:8001"
    monkeypatch.setenv(SITE_URL_VARIABLE, "")  # not configured (and put back as it was afterwards)
    assert site_url_imply("10.0.0.5:9000") == ("http://10.0.0.5:9000", True)
    assert settings.SITE_URL == "http://10.0.0.5:9000"
    import os

    assert os.environ[SITE_URL_VARIABLE] == "http://10.0.0.5:9000"  # the worker started afterwards reads it
    monkeypatch.setenv(SITE_URL_VARIABLE, "https://wellled.example.nhs.uk")
    settings.SITE_URL = "https://wellled.example.nhs.uk"
    assert site_url_imply("0.0.0.0:8000") == ("https://wellled.example.nhs.uk", False)
