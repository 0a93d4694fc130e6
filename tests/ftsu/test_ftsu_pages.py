"""Every Freedom to Speak Up page, for every role: no case detail reaches anyone but a guardian of the case's own
trust (administrators, governance editors, leads, viewers, champions, an oversight body, another trust: not found),
and a post by any of them changes nothing; the anonymous route needs no account and shows only its own case."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from wellled.core.choices import OrganisationKind, Role
from wellled.core.services import organisation_create, portfolio_trust_add
from wellled.ftsu import services
from wellled.ftsu.models import Case, CaseAction, CaseReading, ConfidentialityBreak, Contact
from wellled.ftsu.urls import urlpatterns

from .conftest import CONCERN, EMAIL, NAME

pytestmark = pytest.mark.django_db

CASE_URLS = {
    "ftsu-case-detail",
    "ftsu-case-edit",
    "ftsu-case-contact",
    "ftsu-case-action",
    "ftsu-case-consent",
    "ftsu-case-close",
    "ftsu-case-break",
    "ftsu-case-erase",
}
GUARDIAN_URLS = {
    "ftsu-case-list",
    "ftsu-case-create",
    "ftsu-return",
    "ftsu-return-csv",
    "ftsu-return-xlsx",
    "ftsu-return-issue",
}
# An issued return's file: the suppressed copy, for any member (tests/ftsu/test_return.py).
ISSUED_URLS = {"ftsu-return-issued"}
CHAMPION_URLS = {"ftsu-champion"}
PUBLIC_URLS = {"ftsu-anonymous-raise", "ftsu-anonymous-case"}
# The board report and learning pages (ADR 0059): their access for every role is tried in test_board_pages.py.
BOARD_URLS = {
    "ftsu-report-list",
    "ftsu-report-create",
    "ftsu-report-detail",
    "ftsu-report-edit",
    "ftsu-report-issue",
    "ftsu-board-issued",
    "ftsu-learning",
}
# Pages any member may open: the return, suppressed outside the guardian role.
MEMBER_URLS = {"ftsu-return", "ftsu-return-csv", "ftsu-return-xlsx"}
POST = {
    "text": "x",
    "reason": "x",
    "told": "x",
    "outcome": "x",
    "concern": "x",
    "on": "2024-06-01",
    "closed_on": "2024-06-01",
    "taken_on": "2024-06-01",
    "description": "x",
    "kind": "note",
    "consent": "none",
    "feedback": "yes",
    "version": 1,
    "received_on": "2024-06-01",
    "route": "phone",
    "openness": "open",
    "worker_group": "nursing",
    "detriment": "no",
}


def state():
    return {
        m.__name__: sorted(map(repr, m.objects.values()))
        for m in (Case, Contact, CaseAction, ConfidentialityBreak)
    }


def url(name, case):
    return reverse(name, args=[case.pk]) if name in CASE_URLS else reverse(name)


def test_every_ftsu_url_is_listed_here():
    assert {
        p.name for p in urlpatterns
    } == CASE_URLS | GUARDIAN_URLS | CHAMPION_URLS | PUBLIC_URLS | ISSUED_URLS | BOARD_URLS


def test_signed_out_people_are_sent_to_sign_in(client, case):
    for name in CASE_URLS | GUARDIAN_URLS | CHAMPION_URLS:
        response = client.get(url(name, case))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


@pytest.fixture
def overseer(org):
    region = organisation_create(
        name="Test Region", ods_code="ZR009", by=None, kind=OrganisationKind.OVERSIGHT
    )
    portfolio_trust_add(oversight_body=region, trust=org, by=None, joined_on=datetime.date(2024, 1, 1))
    from tests.factories import make_person

    return make_person(region, role=Role.ADMINISTRATOR, username="overseer")


def _everyone_but_the_guardian(people, champion, other_guardian, overseer):
    return [*people.values(), champion, other_guardian, overseer]


def test_no_case_detail_reaches_anyone_but_the_guardian(
    login, client, org, people, guardian, champion, other_guardian, overseer, case
):
    services.contact_add(
        case=case, by=guardian, on=datetime.date(2024, 5, 20), kind="to_worker", text="Reply here"
    )
    before = state()
    for person in _everyone_but_the_guardian(people, champion, other_guardian, overseer):
        login(person)
        if person is overseer:  # working in the trust its portfolio lends it
            session = client.session
            session["wellled_organisation_id"] = org.pk
            session.save()
        for name in sorted(CASE_URLS | GUARDIAN_URLS | CHAMPION_URLS):
            if name in MEMBER_URLS or (name in CHAMPION_URLS | {"ftsu-case-create"} and person is champion):
                continue
            if person is other_guardian and name not in CASE_URLS:  # a guardian of their own trust's cases
                assert case.reference not in client.get(url(name, case)).content.decode(), name
                continue
            assert client.get(url(name, case)).status_code == 404, (person.username, name)
            assert client.post(url(name, case), POST).status_code in (404, 405), (person.username, name)
        for name in sorted(MEMBER_URLS):
            body = client.get(url(name, case)).content.decode("utf-8", "replace")
            assert "Quillfeather" not in body and "marigold" not in body
        client.logout()
    assert state() == before


def test_the_guardian_works_the_case_through_the_pages(login, org, guardian, case):
    client = login(guardian)
    page = client.get(reverse("ftsu-case-detail", args=[case.pk])).content.decode()
    assert NAME in page and EMAIL in page and CONCERN in page
    assert case.reference in client.get(reverse("ftsu-case-list") + "?quarter=2024/25 Q1").content.decode()
    assert (
        case.reference not in client.get(reverse("ftsu-case-list") + "?quarter=2024/25 Q2").content.decode()
    )
    assert "2024/25 Q1" in client.get(reverse("ftsu-case-list") + "?quarter=2024/25 Q9").content.decode()
    client.post(
        reverse("ftsu-case-contact", args=[case.pk]),
        {"on": "2024-05-20", "kind": "meeting", "text": "Met <b>again</b>"},
    )
    client.post(
        reverse("ftsu-case-action", args=[case.pk]),
        {"taken_on": "2024-05-21", "description": "Rota fixed", "taken_by": "Matron"},
    )
    client.post(
        reverse("ftsu-case-consent", args=[case.pk]),
        {"consent": "role", "to": "Ward manager", "on": "2024-05-22", "version": case.version},
    )
    case.refresh_from_db()
    client.post(
        reverse("ftsu-case-close", args=[case.pk]),
        {
            "closed_on": "2024-06-30",
            "outcome": "Handovers now kept",
            "learning": "Agency induction",
            "feedback": "yes",
            "version": case.version,
        },
    )
    case.refresh_from_db()
    assert case.closed_on == datetime.date(2024, 6, 30) and case.consent == "role"
    page = client.get(reverse("ftsu-case-detail", args=[case.pk])).content.decode()
    assert "Met &lt;b&gt;again&lt;/b&gt;" in page and "Rota fixed" in page and "Ward manager" in page
    assert CaseReading.objects.filter(case=case, reader=guardian).count() == 2


def test_a_stale_close_is_refused_on_the_page(login, guardian, case):
    client = login(guardian)
    client.post(
        reverse("ftsu-case-edit", args=[case.pk]), {**POST, "concern": "Changed", "version": case.version}
    )
    response = client.post(
        reverse("ftsu-case-close", args=[case.pk]), {**POST, "version": case.version}, follow=True
    )
    case.refresh_from_db()
    assert case.closed_on is None and "changed by someone else" in response.content.decode()


def _key(response):
    return re.search(r'id="case-key"><code>([A-Z0-9-]+)</code>', response.content.decode())[1]


def test_the_anonymous_route_raises_and_reads_with_the_key_alone(client, org, guardian, other_org):
    raise_url = reverse("ftsu-anonymous-raise", args=[org.ods_code])
    form = client.get(raise_url).content.decode()
    assert "name" not in [f for f in ('name="name"', 'name="email"') if f in form]
    response = client.post(
        raise_url, {"concern": "Medicines cupboard left open", "elements": ["patient_safety"]}
    )
    key = _key(response)
    case = Case.objects.get(route="online")
    assert (
        case.openness == "anonymous" and case.identity_sealed == "" and key not in repr(Case.objects.values())
    )
    services.contact_add(
        case=case, by=guardian, on=datetime.date.today(), kind="to_worker", text="Thank you, looking into it"
    )
    services.contact_add(
        case=case, by=guardian, on=datetime.date.today(), kind="note", text="Internal note only"
    )
    case_url = reverse("ftsu-anonymous-case", args=[org.ods_code])
    body = client.post(case_url, {"key": key.lower().replace("-", " ")}).content.decode()
    assert "Thank you, looking into it" in body and "Internal note only" not in body
    client.post(case_url, {"key": key, "text": "It happened again"})
    assert Contact.objects.filter(case=case, kind="from_worker").count() == 2
    # The key of one trust's case opens nothing at another, and a wrong key nothing at all.
    assert (
        client.post(reverse("ftsu-anonymous-case", args=[other_org.ods_code]), {"key": key}).status_code
        == 404
    )
    assert client.post(case_url, {"key": "AAAA-BBBB"}).status_code == 404


def test_another_cases_key_reads_only_its_own_case(client, org, guardian):
    raise_url = reverse("ftsu-anonymous-raise", args=[org.ods_code])
    first = _key(client.post(raise_url, {"concern": "First worker's concern"}))
    client.post(raise_url, {"concern": "Second worker's concern"})
    body = client.post(reverse("ftsu-anonymous-case", args=[org.ods_code]), {"key": first}).content.decode()
    assert "First worker" in body and "Second worker" not in body


def test_the_anonymous_route_is_rate_limited(client, org, settings):
    settings.WELLLED_FTSU_ROUTE_CONCERNS_PER_HOUR = 2
    raise_url = reverse("ftsu-anonymous-raise", args=[org.ods_code])
    codes = [client.post(raise_url, {"concern": f"Concern {n}"}).status_code for n in range(3)]
    assert codes == [200, 200, 429] and Case.objects.count() == 2


def test_the_header_offers_speak_up_to_guardians_and_champions_only(
    login, client, people, guardian, champion
):
    from wellled.core.navigation import entries_for

    assert "Speak up" in [e.text for e in entries_for(oversight=False, role="viewer", speak_up="guardian")]
    assert "Speak-up contacts" in [
        e.text for e in entries_for(oversight=False, role="lead", speak_up="champion")
    ]
    everyone = [e.text for e in entries_for(oversight=False, role="administrator")]
    assert "Speak up" not in everyone and "Speak-up contacts" not in everyone
    assert 'href="/speak-up/cases/"' in login(guardian).get("/").content.decode()
    client.logout()
    assert 'href="/speak-up/cases/"' not in login(people["administrator"]).get("/").content.decode()
