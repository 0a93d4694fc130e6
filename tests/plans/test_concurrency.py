"""Two people saving the same thing at once: the second is told, keeps what they typed, and nothing is overwritten."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.factories import PASSWORD, db_state, make_person, status, valid_post_data

from wellled.core.choices import Role
from wellled.core.models import AuditLog
from wellled.core.service_kit import ConcurrentEditError
from wellled.plans import services
from wellled.plans.models import Action, ProgressUpdate
from wellled.plans.views import CONCURRENT_UPDATE_MESSAGE

STALE_MESSAGE = "was changed by someone else while you were editing it"


def signed_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def hidden_version(page: str) -> int:
    """The version the form was opened on, as the browser would send it back."""
    return int(re.search(r'<input type="hidden" name="version" value="(\d+)"', page).group(1))


def text(response) -> str:
    return html.unescape(response.content.decode())


# What the second person types into each edit form (the first person submits tests.factories.valid_post_data).
SECOND_PERSONS_EDIT = {
    "plan-edit": ("plan", {"name": "Second person's plan name", "kind": "self_review", "description": ""}),
    "section-edit": ("section", {"code": "W1", "title": "Second person's section title"}),
    "action-edit": ("action", {"reference": "W1a", "title": "Second person's planned action"}),
    "action-timescale": (
        "action",
        {"due_date": "2027-06-30", "precision": "month", "reason": "Second person's reason"},
    ),
    "action-state": ("action", {"state": "completed", "assurance_evidence": "Second person's evidence"}),
    "finding-edit": (
        "finding",
        {"text": "Second person's finding", "finding_type": "must_do", "source": "self_review"},
    ),
}


@pytest.fixture
def two_editors(org, people):
    second = make_person(org, role=Role.GOVERNANCE_EDITOR, username="second_editor")
    return signed_in(people[Role.GOVERNANCE_EDITOR]), signed_in(second)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SECOND_PERSONS_EDIT))
def test_second_save_is_refused_and_keeps_their_text_when_someone_saved_first(two_editors, objects, name):
    first, second = two_editors
    kind, typed = SECOND_PERSONS_EDIT[name]
    url = reverse(name, args=[objects[kind].pk])
    first_page, second_page = first.get(url), second.get(url)
    assert first_page.status_code == second_page.status_code == 200

    data = valid_post_data(name, objects) | {"version": hidden_version(first_page.content.decode())}
    assert first.post(url, data).status_code == 302
    after_first = db_state()

    response = second.post(url, typed | {"version": hidden_version(second_page.content.decode())})
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page and STALE_MESSAGE in page
    for value in typed.values():
        assert value in page, f"the second person's {value!r} is not in the re-shown form"
    assert db_state() == after_first, "the refused save changed something"


@pytest.mark.django_db
def test_second_person_can_save_deliberately_when_they_resubmit_after_being_told(two_editors, objects):
    first, second = two_editors
    action = objects["action"]
    url = reverse("action-edit", args=[action.pk])
    second_page = second.get(url).content.decode()
    assert (
        first.post(
            url,
            {
                "reference": "W1a",
                "title": "First person's title",
                "version": hidden_version(first.get(url).content.decode()),
            },
        ).status_code
        == 302
    )
    refused = text(
        second.post(
            url,
            {"reference": "W1a", "title": "Second person's title", "version": hidden_version(second_page)},
        )
    )
    assert STALE_MESSAGE in refused
    # The re-shown form now carries the current version: saving again is a deliberate choice, and it goes through.
    response = second.post(
        url, {"reference": "W1a", "title": "Second person's title", "version": hidden_version(refused)}
    )
    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).title == "Second person's title"
    edits = AuditLog.objects.filter(
        object_id=str(action.pk), content_type__model="action", action="update", note=""
    ).order_by("pk")
    titles = [r.after["title"] for r in edits]
    assert titles == ["First person's title", "Second person's title"]  # both saves are in the History


@pytest.mark.django_db
def test_second_progress_update_is_refused_and_keeps_the_narrative_when_someone_updated_first(
    org, people, lead, objects
):
    action = objects["action"]
    url = reverse("action-update", args=[action.pk])
    lead_client, editor_client = signed_in(lead), signed_in(people[Role.GOVERNANCE_EDITOR])
    lead_page = lead_client.get(url).content.decode()
    editor_page = editor_client.get(url).content.decode()
    assert (
        editor_client.post(
            url,
            {
                "narrative": "Editor's update from the board meeting",
                "status": status(org, "A/R").pk,
                "update_date": timezone.localdate().isoformat(),
                "version": hidden_version(editor_page),
            },
        ).status_code
        == 302
    )
    after_first = db_state()

    typed = {
        "narrative": "Lead's own words about cohort two",
        "status": status(org, "G").pk,
        "update_date": timezone.localdate().isoformat(),
    }
    response = lead_client.post(url, typed | {"version": hidden_version(lead_page)})
    assert response.status_code == 200
    page = text(response)
    assert CONCURRENT_UPDATE_MESSAGE.format(reference="W1a") in page
    assert "Lead's own words about cohort two" in page
    assert "Editor's update from the board meeting" in page  # the latest position is shown to read
    assert db_state() == after_first
    action.refresh_from_db()
    assert action.status == status(org, "A/R")

    # Having read it, the lead submits again and both updates stand, the lead's now the latest.
    assert lead_client.post(url, typed | {"version": hidden_version(page)}).status_code == 302
    narratives = list(
        ProgressUpdate.objects.filter(action=action)
        .order_by("created_at", "id")
        .values_list("narrative", flat=True)
    )
    assert narratives[-2:] == ["Editor's update from the board meeting", "Lead's own words about cohort two"]
    action.refresh_from_db()
    assert action.status == status(org, "G")


@pytest.mark.django_db
def test_stale_version_raises_and_writes_nothing_when_a_service_is_called(org, editor, lead, objects):
    plan, section, finding, action = (
        objects["plan"],
        objects["section"],
        objects["finding"],
        objects["action"],
    )
    services.action_update(action=action, by=editor, expected_version=action.version, title="Moved on")
    stale_action = action.version  # the copy everyone else still holds
    services.plan_update(plan=plan, by=editor, expected_version=plan.version, description="Moved on")
    services.section_update(section=section, by=editor, expected_version=section.version, title="Moved on")
    services.finding_update(finding=finding, by=editor, expected_version=finding.version, text="Moved on")
    before = db_state()
    attempts = [
        lambda: services.plan_update(plan=plan, by=editor, expected_version=plan.version, name="Stale"),
        lambda: services.section_update(
            section=section, by=editor, expected_version=section.version, title="Stale"
        ),
        lambda: services.finding_update(
            finding=finding, by=editor, expected_version=finding.version, text="Stale"
        ),
        lambda: services.action_update(
            action=action, by=editor, expected_version=stale_action, title="Stale"
        ),
        lambda: services.action_timescale_revise(
            action=action,
            by=editor,
            expected_version=stale_action,
            due_date=action.due_date.replace(year=2027),
            reason="Stale",
        ),
        lambda: services.action_state_set(
            action=action, by=editor, expected_version=stale_action, state="completed"
        ),
        lambda: services.progress_update_record(
            action=action, by=lead, narrative="Stale", status=status(org, "G"), expected_version=stale_action
        ),
    ]
    for number, attempt in enumerate(attempts):
        with pytest.raises(ConcurrentEditError):
            attempt()
        assert db_state() == before, f"attempt {number} wrote something"
    assert Action.objects.get(pk=action.pk).title == "Moved on"
