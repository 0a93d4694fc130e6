"""Registering requests, answering once for every body that asked the same thing, freezing, reuse (ADR 0041)."""

from __future__ import annotations

import datetime
import io
import smtplib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from wellled.core.models import AuditLog
from wellled.information import services
from wellled.information.fingerprint import fingerprint
from wellled.information.models import Answer, Delivery, InformationRequest, RequestStatus
from wellled.information.selectors import register_figures, request_page
from wellled.plans import services as plan_services
from wellled.plans.models import Action
from wellled.reports.models import IssuedPaper, IssuedPaperFile, PaperKind


def _cqc(register, **more):
    return register(
        asked_by_organisation=None,
        asked_by_name="Care Quality Commission",
        asked_by_email="information@cqc.example",
        their_reference="CQC-77",
        **more,
    )


@pytest.mark.django_db
def test_registering_a_request_records_it_with_its_fingerprint_and_an_audit_record(
    register, region, org, plan, as_at
):
    request = register(their_reference="ICB/12")
    assert request.status == RequestStatus.OPEN
    assert request.parameters == {"plan": plan.pk, "as_at": as_at.isoformat()}
    assert request.fingerprint == fingerprint(
        subject_id=org.pk, kind="plan", parameters={"plan": plan.pk, "as_at": as_at}
    )
    created = AuditLog.objects.get(
        organisation=region, object_id=str(request.pk), note__startswith="Information"
    )
    assert created.note == f"Information request from {request.body_name} registered"


@pytest.mark.django_db
def test_answering_once_answers_every_body_that_asked_the_same_thing(register, director, icb, mailoutbox):
    first = register()
    second = _cqc(register)
    outcome = services.answer_produce(request=first, by=director)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == RequestStatus.ANSWERED
    assert first.answer_id == second.answer_id == outcome.answer.pk
    assert not first.answered_by_reuse and second.answered_by_reuse
    assert Answer.objects.count() == 1
    shared = Delivery.objects.get(request=first)
    assert shared.method == "shared" and shared.shared_with == icb
    emailed = Delivery.objects.get(request=second)
    assert emailed.method == "email" and emailed.sent_to == "information@cqc.example"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["information@cqc.example"]
    assert {name for name, _content, _type in mailoutbox[0].attachments} == {
        f.filename for f in IssuedPaperFile.objects.filter(paper=outcome.answer.paper)
    }
    figures = register_figures(user=director, organisation=first.organisation)
    assert (figures.answered, figures.by_reuse, figures.answers_produced) == (2, 1, 1)


@pytest.mark.django_db
def test_answering_moves_each_request_on_and_audits_it_when_the_answer_is_delivered(register, director):
    first = register()
    second = _cqc(register)
    versions = first.version, second.version
    services.answer_produce(request=first, by=director)
    for asked, version, how in zip(
        (first, second), versions, ("answered", "answered by reusing an earlier answer"), strict=True
    ):
        asked.refresh_from_db()
        assert asked.version == version + 1
        record = AuditLog.objects.get(
            object_id=str(asked.pk), action="update", note__startswith="Information"
        )
        assert record.note == f"Information request {how}"
        assert (record.before["status"], record.after["status"]) == ("open", "answered")
        assert record.before["answer_id"] is None and record.after["answer_id"] == asked.answer_id


@pytest.mark.django_db
def test_requests_asking_something_else_are_not_answered_when_one_is(register, director, plan, as_at):
    asked = register()
    other_day = register(parameters={"plan": plan.pk, "as_at": as_at - datetime.timedelta(days=1)})
    ratings = register(kind="ratings", parameters={"as_at": as_at})
    services.answer_produce(request=asked, by=director)
    other_day.refresh_from_db()
    ratings.refresh_from_db()
    assert other_day.status == ratings.status == RequestStatus.OPEN


@pytest.mark.django_db
def test_the_answer_is_frozen_when_the_plan_changes_afterwards(register, director, editor, plan, as_at):
    asked = register()
    outcome = services.answer_produce(request=asked, by=director)
    paper = outcome.answer.paper
    data, sha = paper.data, paper.data_sha256
    xlsx = IssuedPaperFile.objects.get(paper=paper, format="xlsx")
    book = load_workbook(io.BytesIO(bytes(xlsx.content)))
    references = [row[0] for row in book.worksheets[2].iter_rows(min_row=4, values_only=True)]
    assert "W1a" in references  # the plan's actions are in the answer
    action = Action.objects.get(plan=plan, reference="W1a")
    plan_services.action_update(
        action=action, by=editor, expected_version=action.version, title="Renamed later"
    )
    paper.refresh_from_db()
    assert paper.data == data and paper.data_sha256 == sha and paper.data_intact
    assert "Renamed later" not in str(paper.data)
    with pytest.raises(PermissionError):
        paper.save()
    with pytest.raises(PermissionError):
        Answer.objects.filter(pk=outcome.answer.pk).update(kind="ratings")


@pytest.mark.django_db
def test_a_later_request_for_the_same_thing_is_offered_the_earlier_answer_and_reuse_shares_it(
    register, director
):
    asked = register()
    outcome = services.answer_produce(request=asked, by=director)
    later = _cqc(register)
    page = request_page(user=director, organisation=later.organisation, pk=later.pk)
    assert page.reusable == outcome.answer
    assert page.reusable_for == "Moorland Integrated Care Board"
    services.answer_share(request=later, answer=page.reusable, by=director)
    later.refresh_from_db()
    assert later.status == RequestStatus.ANSWERED and later.answered_by_reuse
    assert IssuedPaper.objects.filter(kind=PaperKind.ANSWER).count() == 1  # nothing built again


@pytest.mark.django_db
def test_reuse_is_refused_when_the_answer_was_for_something_else(register, director, as_at):
    asked = register()
    outcome = services.answer_produce(request=asked, by=director)
    ratings = register(kind="ratings", parameters={"as_at": as_at})
    with pytest.raises(ValidationError):
        services.answer_share(request=ratings, answer=outcome.answer, by=director)
    assert request_page(user=director, organisation=ratings.organisation, pk=ratings.pk).reusable is None


@pytest.mark.django_db
def test_a_withdrawn_answer_is_not_offered_again(register, director):
    from wellled.reports.services import paper_withdraw

    asked = register()
    outcome = services.answer_produce(request=asked, by=director)
    paper_withdraw(paper=outcome.answer.paper, by=director, reason="Figures corrected")
    later = _cqc(register)
    assert request_page(user=director, organisation=later.organisation, pk=later.pk).reusable is None
    with pytest.raises(ValidationError):
        services.answer_share(request=later, answer=outcome.answer, by=director)


@pytest.mark.django_db
def test_a_failing_mail_server_leaves_the_request_open_with_the_reason(register, director, monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPConnectError(421, "unavailable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    asked = _cqc(register)
    outcome = services.answer_produce(request=asked, by=director)
    asked.refresh_from_db()
    assert asked.status == RequestStatus.OPEN
    assert outcome.failures and "could not be e-mailed to Care Quality Commission" in outcome.failures[0]
    failed = Delivery.objects.get(request=asked)
    assert not failed.succeeded and failed.failure


@pytest.mark.django_db
def test_a_subject_trust_outside_the_portfolio_is_refused(register, other_org):
    with pytest.raises(ValidationError) as refused:
        register(subject=other_org, parameters={"as_at": timezone.localdate()}, kind="ratings")
    assert "subject" in refused.value.message_dict


@pytest.mark.django_db
def test_a_trust_answers_only_for_itself(org, editor, other_org, as_at):
    asked = services.request_register(
        organisation=org,
        by=editor,
        subject=org,
        question="Ratings",
        received_on=timezone.localdate(),
        due_on=timezone.localdate(),
        kind="ratings",
        parameters={"as_at": as_at},
        asked_by_name="Commissioner",
        asked_by_email="c@example.org",
    )
    assert asked.subject == org
    with pytest.raises(ValidationError):
        services.request_register(
            organisation=org,
            by=editor,
            subject=other_org,
            question="Ratings",
            received_on=timezone.localdate(),
            due_on=timezone.localdate(),
            kind="ratings",
            parameters={"as_at": as_at},
            asked_by_name="Commissioner",
            asked_by_email="c@example.org",
        )


@pytest.mark.django_db
def test_a_viewer_of_the_region_may_not_register_or_answer(register, region, org, as_at):
    from tests.factories import make_person

    viewer = make_person(region, role="viewer", username="regionviewer")
    asked = register()
    with pytest.raises(PermissionDenied):
        register(by=viewer)
    with pytest.raises(PermissionDenied):
        services.answer_produce(request=asked, by=viewer)
    assert InformationRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_plan_of_another_trust_is_refused_as_a_parameter(register, outsider):
    from wellled.plans.models import Plan

    theirs = Plan.objects.get(name="Southvale plan")
    with pytest.raises(ValidationError) as refused:
        register(parameters={"plan": theirs.pk, "as_at": timezone.localdate()})
    assert "plan" in refused.value.message_dict


@pytest.mark.django_db
def test_the_body_asking_must_be_named_with_an_address_if_outside_wellled(register):
    with pytest.raises(ValidationError) as refused:
        register(asked_by_organisation=None, asked_by_name="Commissioner")
    assert "asked_by_email" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        register(asked_by_organisation=None)
    assert "asked_by_name" in refused.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["measures", "ratings", "risks"])
def test_every_kind_produces_an_answer_in_every_format(register, director, kind, as_at, org, editor):
    from wellled.measures import services as measure_services

    parameters = {"as_at": as_at}
    if kind == "measures":
        measure = measure_services.measure_create(
            organisation=org, by=editor, name="Falls per month", kind="count"
        )
        parameters |= {"measures": [measure.pk], "indicator_codes": "ab12"}
    asked = register(kind=kind, parameters=parameters)
    outcome = services.answer_produce(request=asked, by=director)
    formats = set(IssuedPaperFile.objects.filter(paper=outcome.answer.paper).values_list("format", flat=True))
    assert formats == {"xlsx", "csv"}
    assert outcome.answer.paper.data_intact


@pytest.mark.django_db
def test_a_formula_in_the_question_or_the_data_is_written_as_text(register, director, editor, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    plan_services.action_update(
        action=action, by=editor, expected_version=action.version, title="=HYPERLINK(1)"
    )
    asked = register()
    outcome = services.answer_produce(request=asked, by=director)
    csv = bytes(IssuedPaperFile.objects.get(paper=outcome.answer.paper, format="csv").content).decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK(1)" in csv


@pytest.mark.django_db
def test_an_issued_paper_asked_for_travels_with_the_answer_byte_for_byte(
    register, director, editor, plan, as_at
):
    from wellled.reports.services import paper_issue

    issued = paper_issue(plan=plan, cycle_or_as_at=as_at, by=editor)
    asked = _cqc(register, kind="paper", parameters={"paper": issued.pk})
    outcome = services.answer_produce(request=asked, by=director)
    pdf = IssuedPaperFile.objects.get(paper=outcome.answer.paper, format="pdf")
    assert pdf.sha256 == IssuedPaperFile.objects.get(paper=issued, format="pdf").sha256
    assert outcome.answer.paper.as_at == issued.as_at


@pytest.mark.django_db
def test_a_failing_mail_server_is_said_on_the_page_not_a_server_error(register, director, login, monkeypatch):
    from django.urls import reverse

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    asked = _cqc(register)
    client = login(director)
    response = client.post(reverse("information-request-answer", args=[asked.pk]), follow=True)
    assert response.status_code == 200
    assert "could not be e-mailed to Care Quality Commission" in response.content.decode()
