"""The view kit every app's pages are built from: the person's scope and role, the form page (a refusal from the
service goes back onto the form with what was typed; success says so and redirects) and the History page."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from wellled.core import view_kit
from wellled.core.choices import Role
from wellled.core.models import Membership
from wellled.core.service_kit import ConcurrentEditError
from wellled.plans import services as plan_services

pytestmark = pytest.mark.django_db


class NameForm(forms.Form):
    name = forms.CharField()
    version = forms.IntegerField(required=False)


def _request(method: str, user, organisation, data: dict | None = None):
    factory = RequestFactory()
    request = factory.post("/", data or {}) if method == "POST" else factory.get("/")
    request.user = user
    request.organisation = organisation
    request.membership = Membership.objects.filter(user=user, organisation=organisation).first()
    request._messages = CookieStorage(request)
    return request


@pytest.fixture
def rendered(monkeypatch):
    """What the form page would show: the template and its context, without rendering the whole layout."""
    shown: dict = {}

    def render(request, template, context, **kwargs):
        shown.update(template=template, context=context)
        return "rendered"

    monkeypatch.setattr(view_kit, "render", render)
    return shown


# Scope and role -----------------------------------------------------------------------------------------------


def test_scope_is_who_is_asking_in_which_organisation(org, editor):
    request = _request("GET", editor, org)
    assert view_kit.scope(request) == {"user": editor, "organisation": org}


def test_role_is_the_membership_role_or_none(org, other_org, editor):
    assert view_kit.role(_request("GET", editor, org)) == Role.GOVERNANCE_EDITOR
    assert view_kit.role(_request("GET", editor, other_org)) is None


# Errors onto forms --------------------------------------------------------------------------------------------


def test_errors_apply_puts_field_errors_on_fields_and_the_rest_on_the_form():
    form = NameForm({"name": "x"})
    form.is_valid()
    view_kit.errors_apply(
        form, ValidationError({"name": "Choose another name.", "elsewhere": "Not a field."})
    )
    assert form.errors["name"] == ["Choose another name."]
    assert form.non_field_errors() == ["Not a field."]
    plain = NameForm({"name": "x"})
    plain.is_valid()
    view_kit.errors_apply(plain, ValidationError("The whole thing is wrong."))
    assert plain.non_field_errors() == ["The whole thing is wrong."]


def test_stale_refuse_keeps_what_was_typed_and_carries_the_current_version(plan):
    form = NameForm({"name": "My new name", "version": "1"})
    form.is_valid()
    plan.version = 7
    view_kit.stale_refuse(form, ConcurrentEditError(plan))
    assert form.data["name"] == "My new name"
    assert form.data["version"] == 7
    assert "changed by someone else" in form.non_field_errors()[0]


# The form page ------------------------------------------------------------------------------------------------


def _page(request, save, **kwargs):
    form = NameForm(request.POST or None, initial={"name": "Current"})
    return view_kit.form_page(
        request,
        form,
        template="some/form.jinja",
        save=save,
        success_url=lambda result: f"/done/{result}/",
        message=lambda result: f"Saved {result}.",
        **kwargs,
    )


def test_form_page_shows_the_form_without_saving_on_get(org, editor, rendered):
    calls = []
    _page(_request("GET", editor, org), calls.append, context={"title": "Edit"})
    assert calls == []
    assert rendered["template"] == "some/form.jinja"
    assert rendered["context"]["title"] == "Edit"
    assert rendered["context"]["form"].initial == {"name": "Current"}


def test_form_page_saves_says_so_and_redirects(org, editor, rendered):
    request = _request("POST", editor, org, {"name": "New", "version": "3"})
    response = _page(request, lambda data: data["name"].upper())
    assert response.status_code == 302
    assert response.url == "/done/NEW/"
    assert [str(m) for m in get_messages(request)] == ["Saved NEW."]
    assert rendered == {}


def test_form_page_shows_an_invalid_form_without_calling_the_service(org, editor, rendered):
    calls = []
    _page(_request("POST", editor, org, {"name": ""}), calls.append)
    assert calls == []
    assert rendered["context"]["form"].errors["name"]


def test_form_page_puts_the_service_refusal_on_the_form(org, editor, rendered):
    def refuse(data):
        raise ValidationError({"name": "Your organisation already has one with this name."})

    request = _request("POST", editor, org, {"name": "Taken"})
    _page(request, refuse)
    form = rendered["context"]["form"]
    assert form.errors["name"] == ["Your organisation already has one with this name."]
    assert form.data["name"] == "Taken"
    assert list(get_messages(request)) == []


def test_form_page_refuses_a_stale_save_keeping_the_entries(org, editor, plan, rendered):
    plan.version = 9

    def stale(data):
        raise ConcurrentEditError(plan)

    _page(_request("POST", editor, org, {"name": "Mine", "version": "8"}), stale)
    form = rendered["context"]["form"]
    assert form.data["name"] == "Mine"
    assert form.data["version"] == 9
    assert "changed by someone else" in form.non_field_errors()[0]


def test_form_page_lets_a_page_show_the_latest_position_when_stale(org, editor, plan, rendered):
    """The progress update page replaces the form and reads its context only after the refresh."""
    latest = {"position": "old"}

    def stale(data):
        raise ConcurrentEditError(plan)

    def on_stale(form, exc):
        latest["position"] = "new"
        replaced = NameForm({"name": form.data["name"], "version": "9"})
        replaced.is_valid()
        replaced.add_error(None, "Read the latest position below.")
        return replaced

    _page(
        _request("POST", editor, org, {"name": "Mine", "version": "8"}),
        stale,
        on_stale=on_stale,
        context=lambda: {"position": latest["position"]},
    )
    assert rendered["context"]["position"] == "new"
    assert rendered["context"]["form"].non_field_errors() == ["Read the latest position below."]


# The History page ---------------------------------------------------------------------------------------------


def test_history_page_lists_the_objects_audit_records_in_the_organisation(org, editor, plan, rendered):
    plan_services.plan_update(plan=plan, by=editor, expected_version=plan.version, name="Renamed plan")
    view_kit.history_page(_request("GET", editor, org), plan, title="History of the plan", back_url="/back/")
    context = rendered["context"]
    assert rendered["template"] == "core/history.jinja"
    assert (context["object"], context["title"], context["back_url"]) == (
        plan,
        "History of the plan",
        "/back/",
    )
    records = list(context["records"])
    assert records
    assert {str(r.object_id) for r in records} == {str(plan.pk)}
    assert all(r.organisation_id == org.pk for r in records)


def test_history_page_shows_nothing_to_another_organisation(other_org, outsider, plan, rendered):
    """Views fetch the object in scope first (404); even handed another organisation's object, no records."""
    view_kit.history_page(_request("GET", outsider, other_org), plan, title="t", back_url="/")
    assert list(rendered["context"]["records"]) == []
