"""Ward accreditation pages: anonymous → sign-in, another organisation → 404 (a POST changes nothing), viewers
→ 403 on recording, and a matron's audit from start to level through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.accreditation.conftest import all_met
from tests.factories import db_state

from wellled.accreditation import services
from wellled.accreditation.models import WardAudit
from wellled.accreditation.urls import urlpatterns

pytestmark = pytest.mark.django_db

OBJECT_URLS = {
    "ward-detail": "ward",
    "ward-visit-detail": "audit",
    "ward-visit-edit": "audit",
    "ward-visit-complete": "audit",
    "ward-visit-decide": "audit",
    "ward-visit-action": "audit",
    "ward-visit-history": "audit",
}
PLAIN_URLS = {"accreditation-overview", "ward-visit-start", "wards-export", "wards-import"}
RECORDING = {
    "ward-visit-start",
    "ward-visit-edit",
    "ward-visit-complete",
    "ward-visit-decide",
    "ward-visit-action",
    "wards-import",
}
POST_ONLY = {"ward-visit-complete", "ward-visit-decide", "ward-visit-action"}


def state():
    return {**db_state(), "WardAudit": sorted(map(repr, WardAudit.objects.values()))}


@pytest.fixture
def objs(wards, draft):
    return {"ward": wards[0], "audit": draft}


def url(name, objs):
    kind = OBJECT_URLS.get(name)
    return reverse(name, args=[objs[kind].pk]) if kind else reverse(name)


def test_every_accreditation_url_is_listed_here():
    assert {p.name for p in urlpatterns} == set(OBJECT_URLS) | PLAIN_URLS


def test_anonymous_people_are_sent_to_sign_in(client, objs):
    for name in set(OBJECT_URLS) | PLAIN_URLS:
        response = client.get(url(name, objs))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_outsider_gets_404_for_every_ward_and_audit_and_a_post_changes_nothing(login, objs, outsider, scheme):
    client = login(outsider)
    before = state()
    for name in OBJECT_URLS:
        target = url(name, objs)
        assert client.get(target).status_code == (405 if name in POST_ONLY else 404), name
        post = client.post(target, {"version": objs["audit"].version, "answer_SAFE1": "met", "complete": "1"})
        assert post.status_code == 404, name
    body = client.get(reverse("accreditation-overview")).content.decode()
    assert "Ward 7" not in body
    posted = client.post(
        reverse("ward-visit-start"),
        {"unit": objs["ward"].pk, "scheme": scheme.pk, "audited_on": "2026-01-05"},
    )
    assert posted.status_code == 200 and "Select a valid choice" in posted.content.decode()
    assert state() == before


def test_viewers_see_the_pages_but_get_403_on_recording(login, people, objs):
    client = login(people["viewer"])
    for name in sorted((set(OBJECT_URLS) | PLAIN_URLS) - RECORDING):
        assert client.get(url(name, objs)).status_code == 200, name
    before = state()
    for name in sorted(RECORDING):
        target = url(name, objs)
        if name not in POST_ONLY:
            assert client.get(target).status_code == 403, name
        assert client.post(target, {"version": objs["audit"].version}).status_code == 403, name
    assert state() == before


def test_a_matron_records_an_audit_through_the_pages(login, lead, wards, scheme):
    client = login(lead)
    started = client.post(
        reverse("ward-visit-start"),
        {"unit": wards[1].pk, "scheme": scheme.pk, "audited_on": "2026-11-02"},
    )
    audit = WardAudit.objects.get(unit=wards[1])
    assert started["Location"] == reverse("ward-visit-edit", args=[audit.pk])
    answers = {f"answer_{code}": answer for code, answer in all_met(scheme, CARE1="partly_met").items()}
    answers["evidence_CARE1"] = "Three of five patients asked felt <b>involved</b>."
    # SAFE1 and SAFE2 are sampled: records meeting them of records checked (9 of 10 and 4 of 5 both meet 8 of 10).
    del answers["answer_SAFE1"], answers["answer_SAFE2"]
    answers |= {
        "answer_SAFE1_met": 9,
        "answer_SAFE1_checked": 10,
        "answer_SAFE2_met": 4,
        "answer_SAFE2_checked": 5,
    }
    completed = client.post(
        reverse("ward-visit-edit", args=[audit.pk]), {**answers, "version": audit.version, "complete": "1"}
    )
    assert completed["Location"] == reverse("ward-visit-detail", args=[audit.pk])
    page = client.get(completed["Location"]).content.decode()
    # CARE1 weighs two: Kind care 8 of 10 = 80%, under gold's 85% floor; overall 34 of 36 = 94.4%.
    assert "Result: Silver." in page and "94.4%" in page
    assert "SAFE2: 4 of 5 records = 80%, scored Met (Met needs 8 of 10, Partly met needs 6 of 10)" in page
    assert WardAudit.objects.get(pk=audit.pk).answers["SAFE1"] == "9/10"
    assert "&lt;b&gt;involved&lt;/b&gt;" in page  # evidence is escaped
    overview = client.get(reverse("accreditation-overview")).content.decode()
    assert "Larch ward" in overview and "Silver" in overview


def test_saving_an_audit_opened_before_someone_elses_save_is_refused_and_keeps_the_answers(
    login, lead, draft, scheme, editor
):
    opened_at = draft.version
    services.ward_audit_answers_record(
        audit=draft, by=editor, expected_version=opened_at, answers={"SAFE1": "met"}, evidence={}
    )
    response = login(lead).post(
        reverse("ward-visit-edit", args=[draft.pk]), {"version": opened_at, "answer_SAFE1": "not_met"}
    )
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    assert WardAudit.objects.get(pk=draft.pk).answers == {"SAFE1": "met"}


def test_a_missing_version_is_a_form_error_not_an_overwrite(login, lead, draft):
    response = login(lead).post(reverse("ward-visit-edit", args=[draft.pk]), {"answer_SAFE1": "not_met"})
    assert response.status_code == 200
    assert WardAudit.objects.get(pk=draft.pk).answers == {}


def test_the_panel_awards_through_the_audits_page_and_the_overview_shows_the_award(
    login, lead, editor, draft, scheme
):
    """Completing proposes; the ward holds a level only once the panel awards it (the page says who and why)."""
    done = services.ward_audit_answers_record(
        audit=draft, by=lead, expected_version=draft.version, answers=all_met(scheme), evidence={}
    )
    done = services.ward_audit_complete(audit=done, by=lead, expected_version=done.version)
    client = login(editor)
    overview = client.get(reverse("accreditation-overview")).content.decode()
    assert "Awaiting the panel" in overview and "proposes Gold" in overview
    page = client.get(reverse("ward-visit-detail", args=[done.pk])).content.decode()
    assert "The audit proposes" in page and "Record the panel's decision" in page
    refused = client.post(
        reverse("ward-visit-decide", args=[done.pk]),
        {"version": done.version, "decision": "awarded", "level": "gold", "decided_on": "2000-01-01"},
    )
    assert refused.status_code == 200 and "Give the panel&#39;s reason" in refused.content.decode()
    refused = client.post(
        reverse("ward-visit-decide", args=[done.pk]),
        {
            **{"version": done.version, "decision": "awarded", "level": "gold"},
            "decision_reason": "Fine.",
            "decided_on": "2000-01-01",
        },
    )
    assert refused.status_code == 200 and "between the audit" in refused.content.decode()
    awarded = client.post(
        reverse("ward-visit-decide", args=[done.pk]),
        {
            "version": done.version,
            "decision": "awarded",
            "level": "silver",
            "decision_reason": "Gold <b>next</b> year once the huddles are written up.",
            "decided_on": draft.audited_on.isoformat(),
        },
    )
    assert awarded["Location"] == reverse("ward-visit-detail", args=[done.pk])
    page = client.get(awarded["Location"]).content.decode()
    assert "Gold &lt;b&gt;next&lt;/b&gt; year" in page and "Awarded" in page
    overview = client.get(reverse("accreditation-overview")).content.decode()
    assert "<strong>Silver</strong>: 1 ward or team" in overview


def test_a_finding_raises_a_ward_action_on_the_trusts_plan_never_anothers(
    login, lead, editor, draft, scheme, plan, outsider
):
    """An audit's finding (a standard not fully met) becomes a plan action carrying its text, through the plans
    services, on a plan of the audit's own trust: another trust's plan is not a choice."""
    from wellled.plans.models import Action, Plan

    done = services.ward_audit_answers_record(
        audit=draft,
        by=lead,
        expected_version=draft.version,
        answers=all_met(scheme, SAFE1="7/10", ENV3="partly_met"),
        evidence={"ENV3": "Linen cage in the <i>fire</i> corridor."},
    )
    done = services.ward_audit_complete(audit=done, by=lead, expected_version=done.version)
    client = login(editor)
    page = client.get(reverse("ward-visit-detail", args=[done.pk])).content.decode()
    assert "SAFE1: " in page and "7 of 10 records: Partly met" in page and "Raise a ward action" in page
    theirs = Plan.objects.exclude(organisation=plan.organisation).first()
    refused = client.post(
        reverse("ward-visit-action", args=[done.pk]), {"standard": "ENV3", "plan": theirs.pk}
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not Action.objects.filter(reference__startswith="ACC").exists()
    response = client.post(
        reverse("ward-visit-action", args=[done.pk]), {"standard": "ENV3", "plan": plan.pk, "due_date": ""}
    )
    assert response["Location"] == reverse("ward-visit-detail", args=[done.pk])
    action = Action.objects.get(plan=plan, reference=f"ACC{done.pk}-ENV3")
    finding = action.findings.get()
    assert "ENV3 Corridors and fire exits are clear. Found: Partly met." in finding.text
    assert "<i>fire</i>" in finding.text
    page = client.get(response["Location"]).content.decode()
    assert f"ACC{done.pk}-ENV3" in page
    again = client.post(reverse("ward-visit-action", args=[done.pk]), {"standard": "ENV3", "plan": plan.pk})
    assert again.status_code == 200 and "already answers ENV3" in again.content.decode()
