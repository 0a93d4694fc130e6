"""Single sign-on against a real OpenID Connect provider (node's oidc-provider, started by the suite), driven
without a browser: the person a sign-in finds or creates, in which organisation and role, and who is refused."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
import requests
from django.urls import reverse
from tests.sso_provider import start_provider

from wellled.core.choices import Role
from wellled.core.models import Invitation, Membership, User
from wellled.core.service_kit import AS_IT_STANDS
from wellled.core.services import person_deactivate, person_invite, single_sign_on_set

TESTSERVER = "http://testserver"


@pytest.fixture
def provider(org):
    process, running = start_provider(
        redirect_uris=[f"{TESTSERVER}/accounts/oidc/org-{org.ods_code.lower()}/login/callback/"]
    )
    try:
        yield running
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sign_on(org, people, provider):
    return single_sign_on_set(
        organisation=org,
        by=people[Role.ADMINISTRATOR],
        expected_version=AS_IT_STANDS,
        enabled=True,
        issuer=provider.issuer,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        allowed_domains="northmoor.nhs.uk, example.org",
        new_person_role=Role.VIEWER,
    )


def sso_sign_in(client, provider, login: str):
    """Press the sign-in button, sign in at the provider as `login`, come back: the callback's response."""
    start = client.post("/accounts/oidc/org-znt01/login/", {"process": "login"})
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer)
    browser = requests.Session()
    url, page = follow(browser, start["Location"], provider)
    action = re.search(r'action="([^"]+)"', page.text).group(1)
    answer = browser.post(
        urljoin(url, action), data={"prompt": "login", "login": login, "password": "x"}, allow_redirects=False
    )
    url, page = follow(browser, urljoin(url, answer.headers["Location"]), provider)
    assert url.startswith(f"{TESTSERVER}/accounts/oidc/"), url
    return client.get(url.removeprefix(TESTSERVER))


def follow(browser, url, provider):
    """Follow the provider's redirects until a page of its own, or a redirect back to Wellled."""
    while url.startswith(provider.issuer):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code in (302, 303):
            url = urljoin(url, response.headers["Location"])
            continue
        return url, response
    return url, None


@pytest.mark.django_db
def test_invited_person_signing_in_is_the_same_account_and_the_invitation_is_used(
    client, org, people, sign_on, provider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = person_invite(
            organisation=org,
            by=people[Role.ADMINISTRATOR],
            email="Rui.Costa@northmoor.nhs.uk",
            role=Role.LEAD,
        )
    response = sso_sign_in(client, provider, "rui.costa@northmoor.nhs.uk")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    person = User.objects.get(email__iexact="rui.costa@northmoor.nhs.uk")
    assert person.pk == invitation.person_id and person.last_login is not None
    assert Membership.objects.get(user=person).role == Role.LEAD  # the invited role, not the newcomer one
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is not None
    assert client.get("/organisation/").status_code == 200


@pytest.mark.django_db
def test_person_of_another_organisation_gets_a_membership_on_their_one_account(
    client, org, other_org, outsider, sign_on, provider
):
    response = sso_sign_in(client, provider, outsider.email)
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=outsider.email).count() == 1
    assert dict(outsider.memberships.values_list("organisation__ods_code", "role")) == {
        "ZST01": Role.ADMINISTRATOR,
        "ZNT01": Role.VIEWER,
    }


@pytest.mark.django_db
def test_leaver_is_refused_when_their_identity_provider_still_signs_them_in(
    client, org, people, sign_on, provider
):
    lead = people[Role.LEAD]
    membership = Membership.objects.get(user=lead)
    person_deactivate(
        membership=membership, by=people[Role.ADMINISTRATOR], expected_version=membership.version
    )
    response = sso_sign_in(client, provider, lead.email)
    assert response.status_code == 403
    assert "Your access to Wellled has ended" in response.content.decode()
    assert not Membership.objects.get(pk=membership.pk).active
    assert client.get("/organisation/").status_code == 302


@pytest.mark.django_db
def test_sign_on_that_is_switched_off_cannot_be_used(client, org, people, sign_on, provider):
    sign_on.enabled = False
    sign_on.save()
    assert client.post("/accounts/oidc/org-znt01/login/", {"process": "login"}).status_code == 404
    assert "Sign in with your" not in client.get("/accounts/login/").content.decode()
