"""Information requests answered from a committee's records (issue 22, ADR 0063): the terms of reference in force,
a meeting's approved minutes without its private part, and a confirmed chair's report; a record that cannot be
given is refused with a message naming the field."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from tests.committees.builders import build_board

from wellled.committees.choices import MeetingStatus, MinutesStatus
from wellled.committees.services.reports import chairs_report_save
from wellled.core.models import Organisation
from wellled.core.service_kit import AS_IT_STANDS
from wellled.information import services
from wellled.information.forms import RequestForm
from wellled.information.selectors import parameter_choices

pytestmark = pytest.mark.django_db


@pytest.fixture
def b():
    board = build_board()
    board.meeting.starts_at = timezone.now() - datetime.timedelta(days=30)
    board.meeting.status = MeetingStatus.HELD
    board.meeting.minutes_status = MinutesStatus.APPROVED
    board.meeting.save()
    board.public_item.minute = "The committee noted the falls rate had improved."
    board.public_item.save()
    board.private_item.minute = "Details of the confidential incident."
    board.private_item.save()
    return board


def _ask(b, kind, parameters):
    return services.request_register(
        organisation=b.org,
        by=b.governance,
        subject=b.org,
        question="Please send it.",
        received_on=timezone.localdate(),
        due_on=timezone.localdate() + datetime.timedelta(days=20),
        kind=kind,
        parameters=parameters,
        asked_by_name="A journalist",
        asked_by_email="news@example.org",
    )


def _answered(b, kind, parameters) -> str:
    asked = _ask(b, kind, parameters)
    outcome = services.answer_produce(request=asked, by=b.governance)
    return str(outcome.answer.paper.data)


def test_the_terms_of_reference_in_force_answer_a_request(b, mailoutbox):
    text = _answered(b, "terms", {"committee": b.quality.pk})
    assert "Seeks assurance on the quality and safety of care." in text
    assert "2 members present, of whom at least 1 non-executive" in text


def test_minutes_are_given_without_the_private_part(b, mailoutbox):
    text = _answered(b, "minutes", {"meeting": b.meeting.pk})
    assert "falls rate had improved" in text
    assert "confidential incident" not in text and "Serious incident" not in text


def test_draft_minutes_and_a_committee_without_approved_terms_are_refused_by_field(b):
    b.meeting.minutes_status = MinutesStatus.DRAFT
    b.meeting.save()
    with pytest.raises(ValidationError) as refused:
        services.answer_produce(request=_ask(b, "minutes", {"meeting": b.meeting.pk}), by=b.governance)
    assert "not approved yet" in str(refused.value.message_dict["meeting"])
    with pytest.raises(ValidationError) as refused:
        services.answer_produce(request=_ask(b, "terms", {"committee": b.sub.pk}), by=b.governance)
    assert "no terms of reference approved" in str(refused.value.message_dict["committee"])


def test_a_confirmed_chairs_report_answers_and_a_draft_does_not(b, mailoutbox):
    report = chairs_report_save(meeting=b.meeting, by=b.chair, alert="Two wards short of nurses")
    with pytest.raises(ValidationError) as refused:
        services.answer_produce(request=_ask(b, "chairs_rpt", {"report": report.pk}), by=b.governance)
    assert "report" in refused.value.message_dict
    chairs_report_save(
        meeting=b.meeting,
        by=b.chair,
        alert="Two wards short of nurses",
        confirm=True,
        expected_version=AS_IT_STANDS,
    )
    assert "Two wards short of nurses" in _answered(b, "chairs_rpt", {"report": report.pk})


def test_another_trusts_committee_cannot_be_asked_for(b):
    other = build_board()
    with pytest.raises(ValidationError) as refused:
        services.answer_produce(request=_ask(b, "terms", {"committee": other.quality.pk}), by=b.governance)
    assert "committee" in refused.value.message_dict


def test_the_form_offers_only_the_trusts_own_records(b):
    other = build_board()
    choices = parameter_choices(user=b.governance, subject=b.org)
    form = RequestForm(bodies=Organisation.objects.none(), **choices)
    assert set(form.fields["committee"].queryset) == {b.board, b.quality, b.sub}
    assert list(form.fields["meeting"].queryset) == [b.meeting]
    assert other.quality not in form.fields["committee"].queryset
