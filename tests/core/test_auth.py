"""Signing in and out, and access that follows the person's memberships from one request to the next."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from tests.factories import PASSWORD

from wellled.core.choices import Role
from wellled.core.models import Membership
from wellled.core.services import person_create

SIGN_IN_ERROR = "Enter a correct username or e-mail address and password"


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})


def signed_in_as(client: Client):
    """Who the next request is served for: a username, or None when it is sent to sign in."""
    response = client.get("/organisation/")
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
        return None
    return response.wsgi_request.user.username


def csrf_client() -> Client:
    """A browser that, like a real one, gets no free pass on CSRF."""
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    return client


@pytest.mark.django_db
def test_sign_in_succeeds_when_the_username_and_password_are_right(client, lead):
    response = sign_in(client, "lead")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert signed_in_as(client) == "lead"


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["lead@example.org", "LEAD@Example.ORG", "  lead@example.org "])
def test_sign_in_succeeds_when_the_email_address_is_typed_in_any_case(client, lead, typed):
    assert sign_in(client, typed).status_code == 302
    assert signed_in_as(client) == "lead"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,password",
    [("lead", "wrong-password-123"), ("nobody", PASSWORD), ("lead@example.org", ""), ("", "")],
)
def test_sign_in_shows_the_error_summary_when_the_details_are_wrong(client, lead, username, password):
    response = sign_in(client, username, password)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and SIGN_IN_ERROR in body
    assert 'href="#id_username"' in body
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_invited_person_cannot_sign_in_when_they_have_not_set_a_password(client, org):
    invited = person_create(
        username="invited", by=None, organisation=org, role=Role.LEAD, email="invited@example.org"
    )
    assert not invited.has_usable_password()
    for password in ["", "!", invited.password, PASSWORD]:
        response = sign_in(client, "invited", password)
        assert response.status_code == 200 and SIGN_IN_ERROR in response.content.decode()
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_deactivated_person_cannot_sign_in_when_their_password_is_right(client, lead):
    lead.is_active = False
    lead.save()
    assert sign_in(client, "lead").status_code == 200
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_sign_in_does_not_redirect_off_site_when_next_points_elsewhere(client, lead):
    response = sign_in(client, "lead", next="https://evil.example/steal")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    client.logout()
    response = sign_in(client, "lead", next="/plans/")
    assert response["Location"] == "/plans/"


@pytest.mark.django_db
def test_sign_in_starts_a_new_session_when_it_succeeds(client, lead):
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    sign_in(client, "lead")
    assert client.session.session_key != before


@pytest.mark.django_db
def test_sign_in_is_refused_when_the_form_has_no_csrf_token(lead):
    client = csrf_client()
    assert sign_in(client, "lead").status_code == 403
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_sign_out_asks_for_confirmation_when_opened_by_get(login, lead):
    client = login(lead)
    response = client.get("/accounts/logout/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<form method="post" action="/accounts/logout/">' in body and "csrfmiddlewaretoken" in body
    assert signed_in_as(client) == "lead"


@pytest.mark.django_db
def test_sign_out_is_refused_when_posted_without_the_csrf_token(lead):
    client = csrf_client()
    token = client.cookies["csrftoken"].value
    assert sign_in(client, "lead", csrfmiddlewaretoken=token).status_code == 302
    assert client.post("/accounts/logout/").status_code == 403
    assert signed_in_as(client) == "lead"


@pytest.mark.django_db
def test_sign_out_ends_the_session_when_posted_with_the_csrf_token(lead):
    client = csrf_client()
    assert sign_in(client, "lead", csrfmiddlewaretoken=client.cookies["csrftoken"].value).status_code == 302
    page = client.get("/accounts/logout/").content.decode()  # the confirmation form carries the token
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_person_loses_access_on_the_next_request_when_removed_from_their_organisation(login, lead, plan):
    client = login(lead)
    url = reverse("plan-detail", args=[plan.pk])
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=lead).delete()
    response = client.get(url)
    assert response.status_code == 403
    assert "You do not belong to an organisation yet" in response.content.decode()
    assert plan.name not in response.content.decode()


def test_repeated_failures_lock_that_username_from_that_address_for_a_while(client, lead, settings):
    """After the failure limit the right password is refused too, with a message saying how long to wait; another
    person at the same address, and the same person from elsewhere, are not affected (ADR 0014)."""
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert SIGN_IN_ERROR in sign_in(client, lead.username, "wrong password").content.decode()
    assert sign_in(client, lead.username, "wrong password").status_code == 429  # the limit-th failure locks
    refused = sign_in(client, lead.username)
    assert refused.status_code == 429
    assert "Too many sign-in attempts with this username. Wait 15 minutes" in refused.content.decode()
    assert signed_in_as(client) is None
    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    assert sign_in(elsewhere, lead.username).status_code == 302 and signed_in_as(elsewhere) == lead.username
    forged = Client(HTTP_X_FORWARDED_FOR="198.51.100.7")  # a forged header does not move the address
    assert sign_in(forged, lead.username).status_code == 429


def test_a_successful_sign_in_clears_the_earlier_failures(client, lead, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, lead.username, "wrong password")
    assert sign_in(client, lead.username).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, lead.username, "wrong password")
    assert sign_in(client, lead.username).status_code == 302


def test_the_lockout_counts_against_the_person_however_their_name_is_typed(client, lead, settings):
    for typed in ("lead", "LEAD", " Lead ", lead.email.upper()):
        sign_in(client, typed, "wrong password")
    assert (
        sign_in(client, "Lead", "wrong password").status_code == 429
    )  # the fifth failure, all the same person
    assert sign_in(client, lead.email).status_code == 429


def test_behind_a_proxy_the_lockout_takes_the_address_the_proxy_saw_not_one_the_client_wrote(rf, settings):
    from wellled.core.auth import client_address

    request = rf.post(
        "/accounts/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )
    settings.WELLLED_PROXY_COUNT = 0
    assert client_address(request) == "127.0.0.1"
    settings.WELLLED_PROXY_COUNT = 1
    assert (
        client_address(request) == "198.51.100.7"
    )  # the proxy appended the real client; the first was forged
    assert client_address(rf.post("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
