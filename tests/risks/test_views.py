"""Every risk and BAF page, tried by each kind of visitor: the organisation's own people get the page, another
organisation's people get 404 (and change nothing), a role without the permission gets 403, and nobody signed out
gets past the sign-in page. Every URL of the app is listed here, so a new page needs a decision."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import db_state, make_person

from wellled.core.choices import Role
from wellled.risks import paper_kind, services
from wellled.risks.models import Risk, RiskReview
from wellled.risks.urls import urlpatterns

from .conftest import make_risk

pytestmark = pytest.mark.django_db

# URL name -> (object kind it names or None, extra args); READ pages are for every member.
READ = {
    "risk-register": None,
    "risk-heat-map": None,
    "risk-overdue": None,
    "risk-export": None,
    "baf": None,
    "baf-papers": None,
    "risk-detail": "risk",
    "risk-history": "risk",
    "baf-paper-detail": "paper",
    "baf-paper-file": "paper",
    "baf-job": "job",
    "risk-settings": None,
}
MANAGE = {
    "risk-create": None,
    "risk-edit": "risk",
    "risk-status": "risk",
    "risk-links": "risk",
    "risk-baf-entry": "risk",
    "risk-control-add": "risk",
    "risk-gap-add": "risk",
    "control-assurance-add": "control",
    "control-edit": "control",
    "baf-issue": None,
    "risk-import": None,
    "risk-category-create": None,
    "risk-category-edit": "category",
    "risk-objective-create": None,
    "risk-objective-edit": "objective",
}
POST_ONLY = {"risk-remind"}
OWN_REVIEW = {"risk-review": "risk"}
EXTRA = {"baf-paper-file": ["pdf"]}


def test_every_risk_url_has_a_permission_decision_when_the_url_map_changes():
    assert {p.name for p in urlpatterns} == set(READ) | set(MANAGE) | set(OWN_REVIEW) | POST_ONLY


@pytest.fixture
def things(org, editor, lead, risk, objective, category):
    services.risk_baf_set(
        risk=risk,
        by=editor,
        expected_version=risk.version,
        principal=True,
        objective=objective,
        lead_committee="Quality committee",
        lead_executive=editor,
        assurance_rating="limited",
    )
    job = paper_kind.baf_job_start(organisation=org, as_at=timezone.localdate(), by=editor)
    job.refresh_from_db()
    assert job.paper_id, job.error
    return {
        "risk": risk,
        "control": risk.controls.get(),
        "paper": job.paper,
        "job": job,
        "category": category,
        "objective": objective,
    }


def url(name, things):
    kind = {**READ, **MANAGE, **OWN_REVIEW}[name]
    args = [things[kind].pk] if kind else []
    return reverse(name, args=args + EXTRA.get(name, []))


def test_member_gets_every_read_page_when_the_objects_are_theirs(login, viewer, things):
    client = login(viewer)
    for name in READ:
        response = client.get(url(name, things))
        expected = 302 if name == "baf-job" else 200  # a finished job shows its paper
        assert response.status_code == expected, (name, response.status_code)


def test_editor_gets_every_form_when_managing_risks(login, editor, things):
    client = login(editor)
    for name in [*MANAGE, *OWN_REVIEW]:
        assert client.get(url(name, things)).status_code == 200, name


def test_outsider_gets_404_and_changes_nothing_when_naming_another_organisations_objects(
    login, outsider, things
):
    client = login(outsider)
    before = db_state()
    for name, kind in {**READ, **MANAGE, **OWN_REVIEW}.items():
        if kind is None:
            continue
        assert client.get(url(name, things)).status_code == 404, name
        if name not in READ:  # read pages answer GET only
            assert client.post(url(name, things), {"title": "x", "narrative": "x"}).status_code == 404, name
    assert db_state() == before


def test_outsider_sees_none_of_another_organisations_risks_on_the_list_pages(login, outsider, things):
    client = login(outsider)
    for name in ("risk-register", "risk-heat-map", "baf", "baf-papers", "risk-overdue"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert things["risk"].title.encode() not in response.content, name


@pytest.mark.parametrize("role", [Role.VIEWER, Role.LEAD])
def test_role_gets_403_and_changes_nothing_when_it_does_not_manage_risks(login, org, people, things, role):
    client = login(people[role])
    before = db_state()
    for name in MANAGE:
        assert client.get(url(name, things)).status_code == 403, name
        assert client.post(url(name, things), {"title": "x"}).status_code == 403, name
    assert db_state() == before


def test_lead_gets_403_when_reviewing_a_risk_they_do_not_own(login, org, editor, things):
    other = make_person(org, role=Role.LEAD)
    assert login(other).get(url("risk-review", things)).status_code == 403


def test_viewer_gets_403_when_reviewing_even_a_risk_they_own(login, org, editor, viewer):
    # No one can give a viewer a risk (core.service_kit.people_check): the viewer was its owner's lead role before.
    from wellled.core.models import Membership

    Membership.objects.filter(user=viewer, organisation=org).update(role=Role.LEAD)
    risk = make_risk(org, editor, owner=viewer)
    Membership.objects.filter(user=viewer, organisation=org).update(role=Role.VIEWER)
    assert login(viewer).get(reverse("risk-review", args=[risk.pk])).status_code == 403


def test_anonymous_sent_to_sign_in_for_every_risk_page(client, things):
    for name in {**READ, **MANAGE, **OWN_REVIEW}:
        response = client.get(url(name, things))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_owner_reviews_and_rescores_through_the_form_when_it_is_their_risk(login, lead, risk):
    client = login(lead)
    response = client.post(
        reverse("risk-review", args=[risk.pk]),
        {
            "reviewed_on": timezone.localdate().isoformat(),
            "likelihood": "4",
            "consequence": "4",
            "narrative": "Vacancies up again this month.",
            "version": risk.version,
        },
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.current_score == 16 and risk.escalated
    page = client.get(reverse("risk-detail", args=[risk.pk])).content.decode()
    assert "Up 4 from 12" in page and "Vacancies up again" in page


def test_review_form_says_what_is_wrong_when_the_date_is_in_the_future(login, lead, risk):
    response = login(lead).post(
        reverse("risk-review", args=[risk.pk]),
        {
            "reviewed_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "likelihood": "2",
            "consequence": "2",
            "narrative": "Early.",
            "version": risk.version,
        },
    )
    assert response.status_code == 200
    assert services.REVIEW_IN_FUTURE in response.content.decode()
    assert not RiskReview.objects.exists()


def test_action_page_lists_the_risks_it_mitigates_when_linked(login, viewer, editor, risk, objects):
    services.risk_links_set(risk=risk, by=editor, expected_version=risk.version, actions=[objects["action"]])
    page = login(viewer).get(reverse("action-detail", args=[objects["action"].pk])).content.decode()
    assert "Risks this action mitigates" in page and risk.title in page


def test_heat_map_cell_shows_count_and_score_in_words_when_risks_sit_there(login, viewer, org, editor, risk):
    make_risk(org, editor, current=(3, 4))
    page = login(viewer).get(reverse("risk-heat-map")).content.decode()
    assert "score 12, high" in page
    assert '2</span> <span class="nhsuk-u-visually-hidden">risks at likelihood 3, consequence 4' in page


def test_register_filters_to_a_heat_map_cell_when_asked(login, viewer, org, editor, risk):
    other = make_risk(org, editor, title="Ageing estate", current=(2, 2))
    page = login(viewer).get(reverse("risk-register") + "?likelihood=2&consequence=2").content.decode()
    assert other.title in page and risk.title not in page


def test_register_lists_only_the_organisations_risks_when_another_has_some(
    login, viewer, other_org, outsider, risk
):
    theirs = make_risk(other_org, outsider, title="Southvale only risk")
    page = login(viewer).get(reverse("risk-register")).content.decode()
    assert risk.title in page and theirs.title not in page
    assert Risk.objects.count() == 2


def test_threshold_refused_with_403_when_a_viewer_posts_it(login, viewer, things):
    response = login(viewer).post(reverse("risk-settings"), {"escalation_threshold": "12"})
    assert response.status_code == 403
    assert services.escalation_threshold(things["risk"].organisation) == 15


def test_editor_lowers_the_threshold_and_the_register_is_reflagged(login, editor, things):
    response = login(editor).post(reverse("risk-settings"), {"escalation_threshold": "12"})
    assert response.status_code == 302
    things["risk"].refresh_from_db()
    assert things["risk"].escalated


def test_import_page_lists_problems_by_row_and_column_and_imports_nothing(login, editor, org):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = b"Risk ID,Title,Current rating\r\nX1,Lifts out of order,4x5=18\r\nX2,,3x3\r\n"
    client = login(editor)
    response = client.post(reverse("risk-import"), {"do": "import", "file": SimpleUploadedFile("r.csv", csv)})
    page = response.content.decode()
    assert response.status_code == 400 and "Nothing was imported" in page
    assert "4 x 5 is 20, not 18" in page and "the risk has no title" in page
    assert not Risk.objects.filter(reference__startswith="X").exists()
    good = b"Risk ID,Title,Current rating\r\nX1,Lifts out of order,4x5=20\r\n"
    response = client.post(reverse("risk-import"), {"do": "check", "file": SimpleUploadedFile("r.csv", good)})
    assert response.status_code == 200 and "The file is ready" in response.content.decode()
    assert not Risk.objects.filter(reference="X1").exists()
    response = client.post(
        reverse("risk-import"), {"do": "import", "file": SimpleUploadedFile("r.csv", good)}
    )  # not checked first: shown, not imported
    assert response.status_code == 200 and not Risk.objects.filter(reference="X1").exists()
    checked = hashlib.sha256(good).hexdigest()
    response = client.post(
        reverse("risk-import"),
        {"do": "import", "checked": checked, "file": SimpleUploadedFile("r.csv", good)},
    )
    assert response.status_code == 302 and Risk.objects.get(reference="X1").current_score == 20


def test_owners_reminded_of_overdue_reviews_when_the_editor_asks(
    login, editor, viewer, org, lead, mailoutbox
):
    import datetime

    from wellled.risks.models import ReviewReminder

    make_risk(org, editor, owner=lead, next_review_on=timezone.localdate() - datetime.timedelta(days=3))
    make_risk(org, editor, owner=lead, title="Not due yet", next_review_on=timezone.localdate())
    response = login(editor).post(reverse("risk-remind"))
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [lead.email]
    assert "Staff shortages" in mailoutbox[0].body and "Not due yet" not in mailoutbox[0].body
    assert ReviewReminder.objects.get().risk_count == 1
    client = login(editor)
    assert client.get(reverse("risk-remind")).status_code == 405
    client.logout()
    assert login(viewer).post(reverse("risk-remind")).status_code == 403
    assert ReviewReminder.objects.count() == 1


def test_key_risk_indicator_shown_with_its_spc_icons_beside_the_risk(login, viewer, editor, org, risk):
    import datetime

    from wellled.measures import services as measure_services

    measure = measure_services.measure_create(
        organisation=org, by=editor, name="Nurse vacancy rate", target=8.0
    )
    rows = [
        measure_services.ValueRow(
            measure_id=measure.pk,
            period=datetime.date(2024, 1, 1) + datetime.timedelta(days=31 * i),
            value=10.0 + (i % 3) * 0.5,
        )
        for i in range(20)
    ]
    measure_services.values_load(organisation=org, by=editor, rows=rows, source="test")
    services.risk_links_set(risk=risk, by=editor, expected_version=risk.version, measures=[measure])
    page = login(viewer).get(reverse("risk-detail", args=[risk.pk])).content.decode()
    assert "Nurse vacancy rate" in page
    assert (
        'role="img" aria-label="Common cause variation"' in page
    )  # the variation icon, named for screen readers
    assert 'role="img" aria-label="Assurance: ' in page


def test_baf_page_shows_movement_since_the_last_issued_baf_when_rescored(login, editor, lead, org, things):
    import datetime

    paper_kind.baf_paper_issue(
        organisation=org, as_at=timezone.localdate() - datetime.timedelta(days=1), by=editor
    )
    risk = things["risk"]
    risk.refresh_from_db()
    services.risk_review_record(
        risk=risk,
        by=lead,
        expected_version=risk.version,
        reviewed_on=timezone.localdate(),
        narrative="Better.",
        likelihood=2,
        consequence=4,
    )
    page = login(editor).get(reverse("baf")).content.decode()
    assert "Score down from 12" in page
    assert "Quality committee" in page and "Limited" in page


def test_links_page_puts_a_risk_beneath_a_principal_risk_shown_on_both_pages(login, editor, org, things):
    principal = things["risk"]  # made principal by the fixture
    local = make_risk(org, editor, title="Ward 7 agency reliance")
    client = login(editor)
    response = client.post(
        reverse("risk-links", args=[local.pk]), {"parent": principal.pk, "version": local.version}
    )
    assert response.status_code == 302
    assert (
        "Ward 7 agency reliance" in client.get(reverse("risk-detail", args=[principal.pk])).content.decode()
    )
    page = client.get(reverse("risk-detail", args=[local.pk])).content.decode()
    assert "Principal risk it feeds" in page and principal.title in page
