"""A token lives no longer than its person's membership: leaving an organisation (or being merged into someone)
revokes the person's tokens for it, audited, and a revoked token answers 401 on every endpoint of the schema.
Malformed Authorization headers answer 401 too, never a server error."""

from __future__ import annotations

import json
import re

import pytest

from wellled.api.models import ApiToken
from wellled.core.choices import Role
from wellled.core.models import AuditLog, Membership
from wellled.core.service_kit import AS_IT_STANDS
from wellled.core.services import membership_set, person_deactivate

pytestmark = pytest.mark.django_db

LEFT_NOTE = "API token revoked: its person left the organisation"


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def leave(person, organisation, by):
    membership = Membership.objects.get(user=person, organisation=organisation)
    return person_deactivate(membership=membership, by=by, expected_version=AS_IT_STANDS)


def test_person_in_two_organisations_who_leaves_one_loses_only_that_ones_token(
    client, plan, org, other_org, outsider, people, token_for
):
    """Fails before tokens ended with the membership: the token was only refused while the membership stayed
    ended, was never revoked, and worked again the moment the person was re-added."""
    membership_set(user=outsider, organisation=org, role=Role.VIEWER, by=None)
    here, there = token_for(outsider, organisation=org), token_for(outsider, organisation=other_org)
    assert client.get("/api/plans/", headers=bearer(here)).status_code == 200

    leave(outsider, org, by=people[Role.ADMINISTRATOR])

    outsider.refresh_from_db()
    assert outsider.is_active  # still works in the other organisation
    assert client.get("/api/plans/", headers=bearer(here)).status_code == 401
    assert client.get("/api/plans/", headers=bearer(there)).status_code == 200
    revoked = ApiToken.objects.get(user=outsider, organisation=org)
    assert revoked.revoked_at is not None
    assert ApiToken.objects.get(user=outsider, organisation=other_org).revoked_at is None
    record = AuditLog.objects.get(object_id=str(revoked.pk), note=LEFT_NOTE)
    assert (record.actor, record.organisation) == (people[Role.ADMINISTRATOR], org)
    assert record.before["revoked_at"] is None and record.after["revoked_at"]

    # Coming back gives the person their access again, not their old token.
    membership_set(user=outsider, organisation=org, role=Role.VIEWER, by=people[Role.ADMINISTRATOR])
    assert client.get("/api/plans/", headers=bearer(here)).status_code == 401


def test_leaver_of_their_only_organisation_loses_every_token_and_revoked_ones_stay_as_they_were(
    client, org, people, token_for
):
    lead = people[Role.LEAD]
    raw = token_for(lead)
    earlier = ApiToken.objects.get(user=lead)
    from wellled.api.services import token_revoke

    token_revoke(token=earlier, by=lead)
    earlier.refresh_from_db()
    live = token_for(lead)
    leave(lead, org, by=people[Role.ADMINISTRATOR])
    assert client.get("/api/plans/", headers=bearer(live)).status_code == 401
    assert client.get("/api/plans/", headers=bearer(raw)).status_code == 401
    assert ApiToken.objects.get(pk=earlier.pk).revoked_at == earlier.revoked_at
    assert AuditLog.objects.filter(note=LEFT_NOTE).count() == 1


def test_refused_leaving_revokes_nothing(org, people, token_for):
    """The last administrator cannot leave; their tokens stay, as the membership does."""
    from django.core.exceptions import ValidationError

    admin = people[Role.ADMINISTRATOR]
    token_for(admin)
    other = people[Role.GOVERNANCE_EDITOR]
    membership_set(user=other, organisation=org, role=Role.ADMINISTRATOR, by=None)
    with pytest.raises(ValidationError):
        leave(admin, org, by=admin)  # nobody deactivates themselves
    assert ApiToken.objects.get(user=admin).revoked_at is None


def schema_urls(client, raw: str) -> list[tuple[str, str]]:
    """Every operation of the API's own schema, with made-up ids (authentication comes before any lookup)."""
    schema = json.loads(client.get("/api/schema/?format=json", headers=bearer(raw)).content)
    operations = [("GET", "/api/schema/")]
    for path, item in schema["paths"].items():
        url = re.sub(r"\{fmt\}", "pdf", path)
        url = re.sub(r"\{[^}]+\}", "1", url)
        operations += [(method.upper(), url) for method in item if method not in ("parameters", "servers")]
    return operations


def test_every_endpoint_answers_401_to_a_revoked_token(client, org, other_org, outsider, people, token_for):
    membership_set(user=outsider, organisation=org, role=Role.GOVERNANCE_EDITOR, by=None)
    revoked = token_for(outsider, organisation=org)
    live = token_for(people[Role.VIEWER])
    leave(outsider, org, by=people[Role.ADMINISTRATOR])
    operations = schema_urls(client, live)
    assert len(operations) > 30
    for method, url in operations:
        response = client.generic(method, url, "{}", content_type="application/json", headers=bearer(revoked))
        assert response.status_code == 401, (method, url, response.status_code)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer wl_\u0100bad",  # a character above U+00FF: no HTTP client can send it
        "Bearer \u2603",
        "\u2603",
        "Bearer wl_caf\u00e9_token",  # Latin-1 but not ASCII
        "Bearer",
        "Token",
        "Bearer wl_a wl_b",
        "Bearer  wl_a extra parts here",
        "Basic Zm9vOmJhcg==",
        "Token abcdef",
        "Bearer \x00",
        "bearer wl_" + "a" * 5000,
        "   ",
    ],
)
def test_malformed_authorization_header_answers_401(client, api_objects, header):
    response = client.get("/api/plans/", headers={"Authorization": header})
    assert response.status_code == 401, (header, response.status_code)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    response = client.post(
        "/api/plans/", "{}", content_type="application/json", headers={"Authorization": header}
    )
    assert response.status_code == 401


def test_malformed_header_answers_401_even_beside_a_signed_in_session(login, api_objects, viewer):
    client = login(viewer)
    assert client.get("/api/plans/", headers={"Authorization": "Bearer \u0100"}).status_code == 401
    assert client.get("/api/plans/").status_code == 200


def test_migration_revokes_the_live_tokens_of_people_who_left_before_tokens_ended_with_memberships(
    client, org, people, token_for
):
    """A leaver of the days before: their membership was ended without revoking their token."""
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("wellled.api.migrations.0002_revoke_tokens_of_ended_memberships")
    leaver, stayer = people[Role.LEAD], people[Role.VIEWER]
    left, stays = token_for(leaver), token_for(stayer)
    Membership.objects.filter(user=leaver).update(active=False)
    migration.revoke_tokens_of_leavers(apps, connection.schema_editor())
    Membership.objects.filter(user=leaver).update(active=True)  # invited back: the old token stays revoked
    assert client.get("/api/plans/", headers=bearer(left)).status_code == 401
    assert client.get("/api/plans/", headers=bearer(stays)).status_code == 200
    token = ApiToken.objects.get(user=leaver)
    record = AuditLog.objects.get(object_id=str(token.pk), note=LEFT_NOTE)
    assert record.organisation == org and record.after["revoked_at"]
    assert ApiToken.objects.get(user=stayer).revoked_at is None
