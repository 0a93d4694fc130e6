"""In a real browser, with axe: a viewer makes an API token from the page linked at the foot of every page, sees it
once, uses it, and revokes it; the API's documentation page works under the site's content security policy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in

from wellled.api.models import ApiToken

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_viewer_makes_uses_and_revokes_an_api_token(new_page, viewer, plan):
    page = new_page()
    sign_in(page, viewer)
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_text("You have no API tokens for")).to_be_visible()
    check_accessibility(page, "the API tokens page")

    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("link", name="Enter what the token is for")).to_be_visible()
    check_accessibility(page, "the API tokens page with an error")

    page.get_by_label("What is the token for?").fill("Power BI board dashboard")
    page.get_by_role("button", name="Make the token").click()
    raw = page.get_by_label("Your new token, shown once").input_value()
    assert re.fullmatch(r"wl_[0-9a-f]{8}_[A-Za-z0-9_-]{40,}", raw)
    expect(page.get_by_role("cell", name="Power BI board dashboard", exact=True)).to_be_visible()
    check_accessibility(page, "the API tokens page showing a new token")

    api = page.context.request
    answer = api.get("/api/plans/", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status == 200 and plan.name in answer.text()

    page.goto("/api-tokens/")
    assert raw not in page.content()
    expect(page.get_by_role("cell", name="Never", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Revoke the token for Power BI board dashboard").click()
    expect(page.get_by_text("is revoked: it no longer works")).to_be_visible()
    check_accessibility(page, "the API tokens page after revoking")
    assert ApiToken.objects.get().revoked_at is not None
    assert api.get("/api/plans/", headers={"Authorization": f"Bearer {raw}"}).status == 401


def test_api_documentation_page_works_under_the_content_security_policy(new_page, viewer):
    page = new_page()
    sign_in(page, viewer, accessibility=False)
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .title")).to_contain_text("Wellled API")
    expect(page.get_by_text("/api/actions/{id}/progress-updates/").first).to_be_visible()
