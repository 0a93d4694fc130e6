"""A person's open actions, listed for reassignment (a leaver's, usually): administrators only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from wellled.core.forms import TextForm, model_choices, record_field
from wellled.core.permissions import Permission, require
from wellled.core.selectors import member_get, people_who_can_act
from wellled.core.view_kit import SignedInRequest, role, scope

from . import selectors, services


class ReassignForm(TextForm):
    to = record_field(
        "Give these actions to", required=True, error_messages={"required": "Choose who takes them on"}
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "to", people, lambda p: f"{p} ({p.display_initials})")


def person_actions(request: SignedInRequest, pk: int) -> HttpResponse:
    """The open actions the person leads or co-leads, and a form to give them all to someone else."""
    membership = member_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_ORGANISATION)
    person = membership.user
    actions = list(selectors.actions_led_open(person=person, **scope(request)))
    form = ReassignForm(
        request.POST or None,
        people=people_who_can_act(**scope(request), permissions=[Permission.UPDATE_OWN_ACTION]).exclude(
            pk=person.pk
        ),
    )
    if request.method == "POST" and form.is_valid():
        to = form.cleaned_data["to"]
        count = services.actions_lead_reassign(actions=actions, person=person, to=to, by=request.user)
        messages.success(
            request, f"{count} open action{'s' if count != 1 else ''} of {person} now with {to}."
        )
        return redirect("person-actions", pk=membership.pk)
    return render(
        request,
        "plans/person_actions.jinja",
        {"membership": membership, "person": person, "actions": actions, "form": form},
    )
