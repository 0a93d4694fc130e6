"""The "Your account" page: the signed-in person's own details, organisations and roles, two-factor sign-in with
their recovery codes, their API tokens and the e-mails Wellled sends them (issue 27)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .second_factor import recovery_codes_left
from .two_factor import has_two_factor
from .view_kit import SignedInRequest

# What Wellled e-mails people, and when; none can be turned off yet, so the page says which reach this person.
EMAILS = (
    (
        "Reminders to record progress",
        "While a reporting cycle is open, on the actions you lead that still await "
        "an update: sent when a governance editor chases the leads who have not updated.",
    ),
    (
        "Reminders of overdue risk reviews",
        "For the risks you own or handle that are past their review date: sent "
        "when a risk manager sends the reminders.",
    ),
    (
        "Invitations",
        "When an administrator adds you to an organisation in Wellled: a link to set up your sign-in.",
    ),
    (
        "Two-factor sign-in reset",
        "When an administrator resets your two-factor sign-in, so that you know at once.",
    ),
)


@require_GET
def account(request: SignedInRequest) -> HttpResponse:
    """The person's own account; every change is made on the page each section links to."""
    person = request.user
    own = request.workplaces.own
    two_factor = has_two_factor(person)
    return render(
        request,
        "core/account.jinja",
        {
            "person": person,
            "memberships": own,
            "lent": request.workplaces.lent,
            "password": person.has_usable_password(),
            "two_factor": two_factor,
            "two_factor_required": [m.organisation for m in own if m.organisation.two_factor_required],
            "codes_left": recovery_codes_left(person) if two_factor else 0,
            "emails": EMAILS,
        },
    )
