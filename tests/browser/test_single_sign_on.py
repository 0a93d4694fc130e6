"""In a real browser against a real OpenID Connect provider (node's oidc-provider, started by the suite): the
administrator sets up single sign-on in the product; someone new signs in with their organisation's account and
arrives in the right organisation with the role chosen for newcomers; they sign out; an address outside the
allowed domains is refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.sso_provider import oidc_provider  # noqa: F401 (the fixture)

from wellled.core.choices import Role
from wellled.core.models import AuditLog, Membership, SingleSignOn, User

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def provider_sign_in(page, login: str) -> None:
    """The provider's own (development) sign-in page: any login, any password."""
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()


def test_first_sign_in_creates_the_person_and_a_wrong_domain_is_refused(new_page, people, org, oidc_provider):  # noqa: F811
    admin = people[Role.ADMINISTRATOR]
    page = new_page()
    sign_in(page, admin)
    page.goto("/organisation/sign-on/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on and two-factor sign-in")
    check_accessibility(page, "the single sign-on page")
    page.get_by_label("Let people sign in with this provider").check()
    page.get_by_label("Issuer URL").fill(oidc_provider.issuer)
    page.get_by_label("Client ID").fill(oidc_provider.client_id)
    page.get_by_label("Client secret").fill(oidc_provider.client_secret)
    page.get_by_label("Allowed e-mail domains").fill("northmoor.nhs.uk")
    page.get_by_label("Lead", exact=True).check()
    page.get_by_role("button", name="Save single sign-on").click()
    expect(page.locator(".nhsuk-notification-banner, [role=status]").first).to_contain_text(
        "Single sign-on saved."
    )
    assert oidc_provider.client_secret not in page.content()  # never shown back
    sign_on = SingleSignOn.objects.get(organisation=org)
    assert sign_on.enabled and oidc_provider.client_secret not in sign_on.client_secret_encrypted

    newcomer = new_page()
    newcomer.goto("/accounts/login/")
    check_accessibility(newcomer, "the sign-in page with single sign-on")
    newcomer.get_by_role("button", name="Sign in with your Northmoor Test Trust account").click()
    provider_sign_in(newcomer, "nadia.hussain@northmoor.nhs.uk")
    expect(newcomer).not_to_have_url(re.compile(r"/accounts/"))
    expect(newcomer.get_by_role("heading", level=1)).to_be_visible()
    check_accessibility(newcomer, "the dashboard after single sign-on")
    person = User.objects.get(email="nadia.hussain@northmoor.nhs.uk")
    assert (person.first_name, person.last_name) == ("Nadia", "Hussain")
    assert not person.has_usable_password()
    membership = Membership.objects.get(user=person)
    assert (membership.organisation, membership.role, membership.active) == (org, Role.LEAD, True)
    assert AuditLog.objects.filter(object_id=str(membership.pk), note="Joined by single sign-on").exists()
    newcomer.goto("/organisation/")
    expect(newcomer.get_by_role("cell", name="Nadia Hussain", exact=True)).to_be_visible()

    newcomer.goto("/accounts/logout/")
    newcomer.get_by_role("button", name="Sign out of Wellled").click()
    expect(newcomer).to_have_url(re.compile(r"/accounts/login/"))
    newcomer.goto("/organisation/")
    expect(newcomer).to_have_url(re.compile(r"/accounts/login/\?next="))

    # Signing in again links to the same person (no second account).
    newcomer.get_by_role("button", name="Sign in with your Northmoor Test Trust account").click()
    if newcomer.locator("input[name=login]").count():
        provider_sign_in(newcomer, "nadia.hussain@northmoor.nhs.uk")
    expect(newcomer).not_to_have_url(re.compile(r"/accounts/"))
    assert User.objects.filter(email__iexact="nadia.hussain@northmoor.nhs.uk").count() == 1

    stranger = new_page()
    stranger.goto("/accounts/login/")
    stranger.get_by_role("button", name="Sign in with your Northmoor Test Trust account").click()
    provider_sign_in(stranger, "sam.jones@elsewhere.example")
    expect(stranger.get_by_role("heading", level=1)).to_have_text("You cannot sign in")
    expect(stranger.get_by_text("accepts only addresses at northmoor.nhs.uk")).to_be_visible()
    check_accessibility(stranger, "the refusal page")
    assert not User.objects.filter(email="sam.jones@elsewhere.example").exists()
    stranger.goto("/organisation/")
    expect(stranger).to_have_url(re.compile(r"/accounts/login/"))
