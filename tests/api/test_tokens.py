"""Personal access tokens: shown once, stored only as a digest, made and revoked by their person on the API tokens
page or by `wellled token create`, shown with their last use, and audited."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from wellled.api.models import ApiToken
from wellled.api.services import token_create, token_revoke
from wellled.core.choices import Role
from wellled.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_token_is_stored_only_as_its_digest_when_made(org, viewer):
    token, raw = token_create(user=viewer, organisation=org, name="Power BI", by=viewer)
    assert raw.startswith(token.prefix + "_")
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert not ApiToken.objects.filter(digest__contains=raw.split("_", 2)[2]).exists()
    record = AuditLog.objects.get(object_id=str(token.pk), note="API token created")
    assert record.actor == viewer
    assert "digest" not in record.after
    assert raw not in str(record.after)


def test_token_is_refused_when_made_for_someone_else(org, viewer, editor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        token_create(user=viewer, organisation=org, name="Not mine", by=editor)


def test_token_is_refused_when_the_person_is_not_in_the_organisation(other_org, viewer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        token_create(user=viewer, organisation=other_org, name="Elsewhere", by=viewer)


def test_revoked_token_gets_401_when_used(client, org, viewer):
    token, raw = token_create(user=viewer, organisation=org, name="Excel", by=viewer)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/plans/", headers=headers).status_code == 200
    token_revoke(token=token, by=viewer)
    assert client.get("/api/plans/", headers=headers).status_code == 401
    assert AuditLog.objects.filter(object_id=str(token.pk), note="API token revoked").exists()


def test_made_up_token_gets_401_when_it_only_looks_like_one(client, org, viewer):
    token, raw = token_create(user=viewer, organisation=org, name="Excel", by=viewer)
    forged = raw[:-2] + ("aa" if not raw.endswith("aa") else "bb")
    assert client.get("/api/plans/", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    assert client.get("/api/plans/", headers={"Authorization": "Bearer"}).status_code == 401


def test_page_shows_a_new_token_once_and_then_its_last_use(login, client, viewer):
    page = login(viewer)
    made = page.post("/api-tokens/", {"name": "Power BI board dashboard"})
    assert made.status_code == 200
    token = ApiToken.objects.get(user=viewer)
    html = made.content.decode()
    start = html.index(token.prefix + "_")
    raw = html[start : html.index('"', start)]
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    listing = page.get("/api-tokens/").content.decode()
    assert raw not in listing
    assert "Power BI board dashboard" in listing and "Never" in listing
    page.get("/api/plans/", headers={"Authorization": f"Bearer {raw}"})
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "Never" not in page.get("/api-tokens/").content.decode()


def test_page_refuses_a_token_without_a_name(login, viewer):
    response = login(viewer).post("/api-tokens/", {"name": ""})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_page_revokes_only_the_persons_own_tokens(login, org, viewer, editor):
    theirs, _ = token_create(user=editor, organisation=org, name="Editor's", by=editor)
    mine, _ = token_create(user=viewer, organisation=org, name="Mine", by=viewer)
    page = login(viewer)
    assert page.post(f"/api-tokens/{theirs.pk}/revoke/").status_code == 404
    assert page.post(f"/api-tokens/{mine.pk}/revoke/").status_code == 302
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert (theirs.revoked_at, mine.revoked_at is not None) == (None, True)
    assert page.get(f"/api-tokens/{mine.pk}/revoke/").status_code == 405


def test_page_sends_anonymous_people_to_sign_in(client):
    response = client.get("/api-tokens/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_outsider_cannot_revoke_a_token_of_another_organisation(login, org, viewer, outsider):
    token, _ = token_create(user=viewer, organisation=org, name="Mine", by=viewer)
    assert login(outsider).post(f"/api-tokens/{token.pk}/revoke/").status_code == 404


def test_command_prints_a_working_token_once(client, org, people):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "--user", Role.LEAD, "--name", "Warehouse", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert client.get("/api/actions/", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert "shown once" in err.getvalue()
    listing = io.StringIO()
    call_command("token", "list", "--user", Role.LEAD, stdout=listing)
    assert ApiToken.objects.get().prefix in listing.getvalue()
    assert raw not in listing.getvalue()


def test_command_asks_for_the_organisation_when_the_person_is_in_several(org, other_org, outsider):
    from wellled.core.services import membership_set

    membership_set(user=outsider, organisation=org, role=Role.VIEWER, by=None)
    with pytest.raises(CommandError, match="--organisation"):
        call_command("token", "create", "--user", "outsider", stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command(
        "token",
        "create",
        "--user",
        "outsider",
        "--organisation",
        org.ods_code,
        stdout=out,
        stderr=io.StringIO(),
    )
    assert ApiToken.objects.get().organisation == org


def test_command_names_the_problem_when_the_user_is_unknown(db):
    with pytest.raises(CommandError, match="No one has the username"):
        call_command("token", "create", "--user", "nobody", stdout=io.StringIO(), stderr=io.StringIO())


def test_tokens_wait_for_two_factor_set_up_when_the_organisation_requires_it(login, org, people, viewer):
    """Someone who signed in with a password but has still to set up required two-factor sign-in can neither make
    a token nor use the API through their session."""
    from django.urls import reverse

    from wellled.core.services import two_factor_required_set

    two_factor_required_set(organisation=org, required=True, by=people[Role.ADMINISTRATOR])
    client = login(viewer)
    for url in ("/api-tokens/", "/api/plans/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("two-factor-setup"), url
    assert client.post("/api-tokens/", {"name": "Sneaky"}).status_code == 302
    assert not ApiToken.objects.exists()
