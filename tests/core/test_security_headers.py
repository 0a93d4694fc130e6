"""Signed-in pages carry a strict content security policy that still lets the NHS.UK template's script run."""

import base64
import hashlib
import re

import pytest


@pytest.mark.django_db
def test_csp_allows_exactly_the_inline_scripts_the_page_contains_when_rendered(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", response.content.decode(), re.S)
    assert inline, "the NHS.UK template adds a one-line inline script"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src, "an inline script would be blocked by the policy"
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_signed_in_pages_are_not_cached_when_served(login, viewer):
    client = login(viewer)
    response = client.get("/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_user_text_is_escaped_when_shown_on_the_plan_page(login, editor, plan):
    from wellled.plans.models import Action
    from wellled.plans.services import action_update

    action = Action.objects.filter(plan=plan).first()
    action_update(
        action=action, by=editor, expected_version=action.version, title="<script>alert(1)</script>"
    )
    response = login(editor).get(f"/plans/{plan.pk}/")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
