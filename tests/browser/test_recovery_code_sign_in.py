"""In a real browser, with axe: a lead whose phone is out of reach signs in with a recovery code, which then
cannot be used again; their account page, reached from the header, says how many codes are left."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from tests.browser.helpers import check_accessibility
from tests.factories import PASSWORD

from wellled.core.second_factor import recovery_codes_make

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def password_step(page: Page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username or e-mail address").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")


def test_lead_signs_in_with_a_recovery_code_once_only(new_page, lead, plan):
    TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    codes = recovery_codes_make(user=lead, by=lead)
    page = new_page()

    password_step(page, lead)
    check_accessibility(page, "the authenticator code page")
    page.get_by_role("link", name="Use one of your recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with a recovery code")
    check_accessibility(page, "the recovery code page")
    page.get_by_label("One of your recovery codes").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_text("You signed in with a recovery code. You have 9 recovery codes left.")
    ).to_be_visible()

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_text("You have 9 unused recovery codes left.")).to_be_visible()
    check_accessibility(page, "the account page")

    page.goto("/accounts/logout/")
    page.get_by_role("button", name="Sign out of Wellled").click()
    password_step(page, lead)
    page.get_by_role("link", name="Use one of your recovery codes").click()
    page.get_by_label("One of your recovery codes").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("link", name="That is not one of your recovery codes, or it has already been used")
    ).to_be_visible()
    check_accessibility(page, "the recovery code page with an error")
    page.goto("/organisation/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
