"""API test data: one object of every kind the API serves, in `org`, and tokens for its people."""

from __future__ import annotations

import datetime

import pytest

from wellled.core.service_kit import AS_IT_STANDS


@pytest.fixture
def token_for(db):
    """A personal access token's text for a person in their organisation, made through the service."""

    def _token(user, organisation=None):
        from wellled.api.services import token_create
        from wellled.core.models import Membership

        organisation = organisation or Membership.objects.filter(user=user).first().organisation
        return token_create(user=user, organisation=organisation, name="Tests", by=user)[1]

    return _token


@pytest.fixture
def api(client, token_for):
    """A client calling the API with a person's token: api(user).get(url) and so on."""

    class Caller:
        def __init__(self, raw: str):
            self.headers = {"Authorization": f"Bearer {raw}"}

        def get(self, url, **kwargs):
            return client.get(url, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs)

        def patch(self, url, data, **kwargs):
            return client.patch(
                url,
                data,
                content_type="application/json",
                headers={**self.headers, **kwargs.pop("headers", {})},
                **kwargs,
            )

        def post(self, url, data, **kwargs):
            return client.post(
                url,
                data,
                content_type="application/json",
                headers={**self.headers, **kwargs.pop("headers", {})},
                **kwargs,
            )

    return lambda user: Caller(token_for(user))


@pytest.fixture
def api_objects(objects, org, editor):
    """Every kind of object the API serves, in `org`: the plan objects, a measure with values, an assessment
    published with its ratings."""
    from tests.assessments.helpers import WELL_LED_24, score

    from wellled.assessments import services as assessment_services
    from wellled.assessments.choices import AssessorKind
    from wellled.assessments.models import PublishedRating
    from wellled.frameworks.models import Framework
    from wellled.measures import services as measure_services

    measure = measure_services.measure_create(
        organisation=org, by=editor, name="Staff survey response rate", kind="value", target=60
    )
    rows = [
        measure_services.ValueRow(measure.pk, datetime.date(2025, month, 1), value=50.0 + month)
        for month in range(1, 13)
    ]
    measure_services.values_load(organisation=org, by=editor, rows=rows, source="seed.csv")
    kloes = Framework.objects.get(key="nhs-well-led-2017", organisation__isnull=True)
    assessment = assessment_services.assessment_create(
        organisation=org,
        by=editor,
        framework=kloes,
        assessed_on=datetime.date(2026, 3, 1),
        assessor_kind=AssessorKind.SELF_ASSESSMENT,
    )
    score(assessment, editor, WELL_LED_24)
    assessment = assessment_services.assessment_publish(
        assessment=assessment, by=editor, expected_version=AS_IT_STANDS
    )
    return {
        **objects,
        "measure": measure,
        "assessment": assessment,
        "rating": PublishedRating.objects.filter(organisation=org).first(),
        "organisation": org,
        **risk_objects(org, editor, objects["action"].lead),
        **qi_objects(org, editor, objects["action"].lead, measure),
    }


def _ago(days: int) -> datetime.date:
    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def accreditation_objects(org, lead):
    """Two wards of `org`: the first with a completed audit (every standard met), the second with a draft."""
    from wellled.accreditation import services as accreditation_services
    from wellled.accreditation.models import AccreditationScheme
    from wellled.core.choices import UnitKind
    from wellled.core.services import organisation_unit_create

    wards = [
        organisation_unit_create(organisation=org, kind=UnitKind.WARD, name=name, by=None)
        for name in ("Ward 7 (acute medicine)", "Larch ward")
    ]
    scheme = AccreditationScheme.objects.get(key="wellled-ward-accreditation")
    audit = accreditation_services.ward_audit_start(
        organisation=org, unit=wards[0], scheme=scheme, audited_on=_ago(3), by=lead
    )
    audit = accreditation_services.ward_audit_answers_record(
        audit=audit,
        by=lead,
        expected_version=audit.version,
        answers={s.code: "met" for s in scheme.scheme.standards()},
        evidence={},
    )
    audit = accreditation_services.ward_audit_complete(audit=audit, by=lead, expected_version=audit.version)
    draft = accreditation_services.ward_audit_start(
        organisation=org, unit=wards[1], scheme=scheme, audited_on=_ago(1), by=lead
    )
    return {"ward": wards[0], "draft_ward": wards[1], "scheme": scheme, "audit": audit, "draft": draft}


@pytest.fixture
def region(db):
    from wellled.core.choices import OrganisationKind
    from wellled.core.services import organisation_create

    return organisation_create(
        name="NHS England Test Region", ods_code="ZR001", by=None, kind=OrganisationKind.OVERSIGHT
    )


@pytest.fixture
def director(region):
    """The region's improvement director: a governance editor there, nothing in any trust."""
    from tests.factories import make_person

    from wellled.core.choices import Role

    return make_person(region, role=Role.GOVERNANCE_EDITOR, username="director", first_name="Dana")


@pytest.fixture
def oversight_objects(org, plan, region, director):
    """`org` in the region's portfolio with a status, and an exit criterion judged once with an action of the
    trust's as evidence."""
    from tests.oversight.records import oversight_exit_records, oversight_records

    from wellled.core.services import portfolio_trust_add

    portfolio_trust_add(oversight_body=region, trust=org, by=None, joined_on=_ago(400))
    made = oversight_records(region=region, org=org, director=director, plan=plan)
    return {
        "region": region,
        "director": director,
        "status": made["status"],
        "criterion": made["criterion"],
        "evidence": made["evidence"],
        **oversight_exit_records(region=region, org=org, director=director),
    }


@pytest.fixture
def information_objects(org, plan, editor, oversight_objects):
    """Requests about `org`'s plan: one the trust answered for the region (so shared with it), one open in the
    trust's register (asked by a body outside Wellled), one open in the region's."""
    from django.utils import timezone

    from wellled.information import services as information_services
    from wellled.information.models import Delivery

    region, director = oversight_objects["region"], oversight_objects["director"]
    today = timezone.localdate()
    asked = {
        "subject": org,
        "question": "Your improvement plan's position at month end.",
        "received_on": today,
        "due_on": today + datetime.timedelta(days=14),
        "kind": "plan",
        "parameters": {"plan": plan.pk, "as_at": _ago(1)},
    }
    answered = information_services.request_register(
        organisation=org, by=editor, asked_by_organisation=region, **asked
    )
    outcome = information_services.answer_produce(request=answered, by=editor)
    open_request = information_services.request_register(
        organisation=org,
        by=editor,
        asked_by_name="Care Quality Commission",
        asked_by_email="information@cqc.example",
        **{**asked, "parameters": {"plan": plan.pk, "as_at": _ago(2)}},
    )
    region_request = information_services.request_register(
        organisation=region,
        by=director,
        asked_by_name="Regional quality board",
        asked_by_email="quality@region.example",
        **asked,
    )
    return {
        "answered_request": answered,
        "answer": outcome.answer,
        "shared": Delivery.objects.get(request=answered, shared_with=region),
        "open_request": open_request,
        "region_request": region_request,
    }


@pytest.fixture
def api_world(api_objects, accreditation_objects, oversight_objects, information_objects, org):
    """`api_objects`, with ward accreditation, an oversight region with `org` in its portfolio, information
    requests in both registers (the region's improvement director is `director`), and a committee's confirmed
    chair's report with an item it referred to the board."""
    return {
        **api_objects,
        **accreditation_objects,
        **oversight_objects,
        **information_objects,
        **committee_objects(org),
    }


def committee_objects(org) -> dict:
    """The committees of `tests.committees.builders` in `org`, the quality committee's meeting held, an item
    referred to the board, a decision and an action on its log, and the chair's report confirmed."""
    from django.utils import timezone
    from tests.committees.builders import build_board

    from wellled.committees.choices import MeetingStatus
    from wellled.committees.models import Meeting
    from wellled.committees.services.escalations import escalation_raise
    from wellled.committees.services.meetings import action_raise, decision_record
    from wellled.committees.services.reports import chairs_report_save

    b = build_board(org)
    b.meeting.starts_at = timezone.now() - datetime.timedelta(days=7)
    b.meeting.status = MeetingStatus.HELD
    b.meeting.save()
    Meeting.objects.create(committee=b.board, starts_at=timezone.now() + datetime.timedelta(days=14))
    # A decision and an action-log entry, so the committees endpoints have real records to read.
    decision_record(
        meeting=b.meeting,
        by=b.governance,
        item=b.public_item,
        text="Agreed the ward staffing plan",
        under_delegation=True,
    )
    action_raise(
        meeting=b.meeting,
        by=b.governance,
        item=b.public_item,
        title="Bring the staffing plan back with a year's figures",
        lead=b.member,
        due_date=timezone.localdate() + datetime.timedelta(days=60),
    )
    escalation = escalation_raise(
        from_committee=b.quality,
        to_committee=b.board,
        from_item=b.public_item,
        title="Maternity staffing",
        reason="Beyond the committee's authority",
        by=b.chair,
        raised_on=b.meeting.starts_at.date(),
    )
    report = chairs_report_save(meeting=b.meeting, by=b.chair, alert="Two wards short", confirm=True)
    return {"chairs_report": report, "escalation": escalation}


def risk_objects(org, editor, lead) -> dict:
    """A principal risk on the BAF owned by `lead`, above its category's appetite, with a control, an assurance on
    it and a review; made through the risks services."""
    from wellled.risks import services

    category = services.category_create(
        organisation=org, by=editor, name="Workforce", appetite="cautious", tolerance=12
    )
    objective = services.objective_create(
        organisation=org, by=editor, code="SO1", title="Safe, high-quality care"
    )
    risk = services.risk_create(
        organisation=org,
        by=editor,
        reference="CR1",
        title="Too few registered nurses on the night shift",
        inherent=(4, 5),
        current=(4, 4),
        target=(2, 3),
        opened_on=datetime.date(2026, 1, 5),
        owner=lead,
        category=category,
        controls=["Daily staffing huddle"],
    )
    risk = services.risk_baf_set(
        risk=risk,
        by=editor,
        expected_version=AS_IT_STANDS,
        principal=True,
        objective=objective,
        lead_committee="Quality and safety committee",
    )
    control = risk.controls.get()
    services.assurance_add(
        control=control, by=editor, source="Monthly safe staffing report", line="second", level="limited"
    )
    review = services.risk_review_record(
        risk=risk,
        by=lead,
        expected_version=AS_IT_STANDS,
        reviewed_on=datetime.date(2026, 2, 2),
        narrative="Agency use is down; vacancies remain.",
        likelihood=4,
        consequence=4,
    )
    return {
        "risk": risk,
        "control": control,
        "risk_review": review,
        "category": category,
        "objective": objective,
    }


def qi_objects(org, editor, lead, measure) -> dict:
    """A QI project led by `lead`, watching `measure`, with one PDSA cycle; made through the improvement services."""
    from wellled.improvement import services

    project = services.project_create(
        organisation=org,
        by=editor,
        title="Fewer missed appraisals",
        aim="Every member of staff appraised within the year by next March.",
        started_on=datetime.date(2026, 2, 1),
        lead=lead,
    )
    services.project_measure_link(project=project, by=editor, measure=measure, role="outcome")
    cycle = services.pdsa_record(
        project=project,
        by=lead,
        title="Appraisal reminders by text",
        plan="Text every member of staff a month before their appraisal is due.",
        prediction="Fewer appraisals are missed on the two pilot wards.",
        started_on=datetime.date(2026, 3, 2),
    )
    return {"project": project, "pdsa": cycle}
