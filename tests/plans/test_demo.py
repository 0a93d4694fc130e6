"""The demo data: shaped like a board self-review, with history, every role, audited, and loaded only once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from wellled.core.choices import Role
from wellled.core.models import AuditLog, Membership, Organisation, OrganisationUnit, User
from wellled.core.services import organisation_create
from wellled.demo.loader import DemoDates, data
from wellled.demo.plans import (
    DEMO_ODS_CODE,
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    SECOND_ODS_CODE,
    VIEWER_OF_BOTH,
    DemoDataError,
    demo_load,
    plan_names,
)
from wellled.plans.choices import ActionState, CycleState, FindingType, PlanOrganisedBy
from wellled.plans.models import (
    Action,
    Finding,
    Plan,
    ProgressUpdate,
    ReportingCycle,
    Section,
    TimescaleRevision,
)

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
AUDITED_MODELS = (
    Organisation,
    OrganisationUnit,
    User,
    Membership,
    Plan,
    Section,
    Finding,
    Action,
    ProgressUpdate,
    ReportingCycle,
)

pytestmark = pytest.mark.django_db

# The plans' names carry a year placed at load, and the findings the inspection's date: as loaded today.
SELF_REVIEW_PLAN = plan_names()[DEMO_ODS_CODE]
WORKSTREAM_PLAN = plan_names()[SECOND_ODS_CODE]
INSPECTION_YEAR = DemoDates().date(data("plans.yaml")["plans"][0]["inspection"]).year


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = [FAST_HASHER]


@pytest.fixture
def demo():
    return demo_load()


@pytest.fixture
def plan(demo):
    return Plan.objects.get(organisation__ods_code=DEMO_ODS_CODE, name=SELF_REVIEW_PLAN)


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_demo_trust_has_sites_and_care_groups(demo):
    trust = demo.organisation
    assert demo.created and trust.ods_code == DEMO_ODS_CODE and trust.ods_code.startswith("Z")
    kinds = set(trust.units.values_list("kind", flat=True))
    assert {"site", "care_group", "directorate"} <= kinds
    assert trust.units.filter(parent__isnull=False).exists()


def test_the_self_review_has_all_eight_kloe_sections(plan):
    assert plan.organised_by == PlanOrganisedBy.FRAMEWORK and plan.framework.key == "nhs-well-led-2017"
    sections = list(plan.sections.order_by("order"))
    assert [s.code for s in sections] == [f"W{n}" for n in range(1, 9)]
    assert all(s.framework_element and s.actions.exists() for s in sections)


def test_actions_have_measures_leads_and_slipped_timescales(plan):
    actions = plan.actions.all()
    assert actions.count() >= 15
    assert all(a.success_measure for a in actions)
    slipped = actions.annotate(n=Count("timescales")).filter(n__gt=1)
    assert slipped.count() >= 15
    assert actions.filter(lead__isnull=True, lead_note="Varied").exists()
    assert actions.filter(other_leads__isnull=False).distinct().count() >= 2
    shared = plan.actions.get(reference="W4a").leads_display
    assert shared.startswith("GMc / ") and set(shared.split(" / ")) == {"GMc", "MW", "AK"}


def test_statuses_are_spread_and_move_between_cycles(plan):
    codes = set(plan.actions.values_list("status__code", flat=True))
    assert len(codes) >= 3 and {"G", "A/G", "A/R", "R"} <= codes
    assert plan.actions.filter(state=ActionState.COMPLETED).exists()
    closed = plan.actions.filter(state=ActionState.CLOSED)
    assert closed.exists() and all(a.assurance_evidence for a in closed)
    improved = worsened = 0
    for action in plan.actions.all():
        ranks = [u.status.rank for u in action.updates.select_related("status").order_by("created_at")]
        improved += any(b > a for a, b in zip(ranks, ranks[1:], strict=False))
        worsened += any(b < a for a, b in zip(ranks, ranks[1:], strict=False))
    assert improved >= 3 and worsened >= 3
    correction = ProgressUpdate.objects.get(action__plan=plan, supersedes__isnull=False)
    assert correction.supersedes.cycle == correction.cycle
    assert correction.action.status == correction.status


def test_findings_are_numbered_typed_and_answered(plan):
    findings = list(plan.findings.order_by("number"))
    assert [f.number for f in findings] == list(range(1, len(findings) + 1)) and len(findings) >= 12
    assert {FindingType.MUST_DO, FindingType.SHOULD_DO, FindingType.BREACH} <= {
        f.finding_type for f in findings
    }
    assert all(
        f.regulation.startswith("Regulation ") for f in findings if f.finding_type == FindingType.BREACH
    )
    assert all(f.source_date and f.source_date.year == INSPECTION_YEAR for f in findings)
    assert all(f.actions.exists() for f in findings)
    assert plan.actions.filter(section__isnull=True, reference__startswith="F").count() >= 12


def test_three_past_cycles_and_an_open_one_with_updates_awaited(plan):
    cycles = list(plan.cycles.order_by("opened_at"))
    assert len(cycles) >= 4
    assert [c.state for c in cycles] == [CycleState.CLOSED] * (len(cycles) - 1) + [CycleState.OPEN]
    for cycle in cycles[:-1]:
        updates = cycle.updates.all()
        assert updates.exists()
        assert all(cycle.opened_at <= u.created_at <= cycle.closed_at for u in updates)
    current = cycles[-1]
    open_actions = plan.actions.filter(state=ActionState.OPEN)
    updated = open_actions.filter(updates__cycle=current).distinct().count()
    assert 0 < updated < open_actions.count()


def test_every_moment_is_in_the_past(plan):
    now = timezone.now()
    assert not ProgressUpdate.objects.filter(created_at__gt=now).exists()
    assert not TimescaleRevision.objects.filter(created_at__gt=now).exists()
    assert not ReportingCycle.objects.filter(opened_at__gt=now).exists()


def test_people_for_every_role_and_a_viewer_of_both_trusts(demo):
    roles = set(
        Membership.objects.filter(organisation__ods_code=DEMO_ODS_CODE).values_list("role", flat=True)
    )
    assert roles == set(Role.values)
    director = User.objects.get(username=VIEWER_OF_BOTH)
    assert set(director.memberships.values_list("organisation__ods_code", flat=True)) == {
        DEMO_ODS_CODE,
        SECOND_ODS_CODE,
    }
    for username in DEMO_USERNAMES:
        user = User.objects.get(username=username)
        assert user.email and user.initials and user.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="grace.mcallister").display_initials == "GMc"
    assert {login.username for login in demo.logins} == set(DEMO_USERNAMES)


def test_the_second_trust_has_a_workstream_plan_kept_apart(demo):
    plan = Plan.objects.get(organisation__ods_code=SECOND_ODS_CODE, name=WORKSTREAM_PLAN)
    assert plan.organised_by == PlanOrganisedBy.WORKSTREAM
    assert plan.sections.count() >= 3 and not plan.sections.filter(executive_lead__isnull=True).exists()
    assert 4 <= plan.actions.count() <= 6
    leads = User.objects.filter(led_actions__plan=plan).distinct()
    assert all(u.memberships.filter(organisation=plan.organisation).exists() for u in leads)
    assert not Membership.objects.filter(user__in=leads, organisation__ods_code=DEMO_ODS_CODE).exists()


def test_loading_twice_creates_nothing_more(demo):
    before = _counts()
    again = demo_load()
    assert not again.created
    assert _counts() == before
    assert again.logins == demo.logins


def test_every_demo_write_left_an_audit_record(demo):
    audited = set(AuditLog.objects.values_list("content_type_id", "object_id"))
    for model in AUDITED_MODELS:
        content_type = ContentType.objects.get_for_model(model)
        missing = [
            pk
            for pk in model.objects.values_list("pk", flat=True)
            if (content_type.pk, str(pk)) not in audited
        ]
        assert not missing, f"{model.__name__} without an audit record: {missing[:5]}"
    revised = Action.objects.annotate(n=Count("timescales")).filter(n__gt=1)
    for action in revised:
        notes = AuditLog.objects.filter(object_id=str(action.pk), note__startswith="Timescale revised")
        assert notes.count() == action.timescales.count() - 1


def test_a_partly_present_demo_is_refused_rather_than_duplicated():
    organisation_create(name="Someone else", ods_code=DEMO_ODS_CODE, by=None)
    with pytest.raises(DemoDataError, match=DEMO_ODS_CODE):
        demo_load()
    assert not Plan.objects.exists()


def test_the_demo_command_prepares_and_prints_the_logins():
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for username in DEMO_USERNAMES:
        assert username in text
    assert "Governance editor" in text and "Improvement director" in text
    call_command("demo", "--no-serve", stdout=StringIO())
    assert Plan.objects.filter(name=SELF_REVIEW_PLAN).count() == 1
