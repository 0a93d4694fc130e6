"""The administrator's pages for people and roles, single sign-on and two-factor sign-in; the invitation link
and the sign-in code step that anyone with the link or password reaches (ADR 0024, 0025, 0026)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import selectors, services
from .choices import Role
from .forms import (
    DeactivateForm,
    PersonDetailsForm,
    PersonInviteForm,
    PersonMergeForm,
    PersonRoleForm,
    SetPasswordForm,
    SingleSignOnForm,
    TwoFactorRequirementForm,
)
from .holdings import Held, person_holdings
from .models import Membership
from .permissions import Permission, require, role_allows
from .sign_on import enabled_sign_ons
from .two_factor import has_two_factor
from .url_kit import site_url
from .view_kit import SignedInRequest, errors_apply, form_fields, form_page, initial_of, role, scope


def _admin(request: SignedInRequest) -> None:
    require(role(request), Permission.MANAGE_ORGANISATION)


def _member(request: SignedInRequest, pk: int) -> Membership:
    """The membership the URL names, in the current organisation only (404 otherwise), for administrators."""
    membership = selectors.member_get(pk=pk, **scope(request))
    _admin(request)
    return membership


def people_list(request: SignedInRequest) -> HttpResponse:
    """Everyone in the organisation with their role and whether they have signed in, and the leavers."""
    _admin(request)
    rows = list(
        selectors.members(**scope(request)).order_by("-active", "user__last_name", "user__first_name")
    )
    return render(
        request,
        "core/people_list.jinja",
        {"memberships": rows, "is_placeholder": services.is_placeholder},
    )


def person_invite(request: SignedInRequest) -> HttpResponse:
    """Invite someone by e-mail with a role."""
    _admin(request)
    form = PersonInviteForm(request.POST or None, initial={"role": Role.LEAD})
    return form_page(
        request,
        form,
        template="core/person_form.jinja",
        save=lambda data: services.person_invite(organisation=request.organisation, by=request.user, **data),
        success_url=lambda invitation: _detail_url(request, invitation.person),
        message=lambda invitation: f"Invitation sent to {invitation.email}.",
        context={"title": "Invite someone", "button": "Send the invitation"},
    )


def _detail_url(request: SignedInRequest, person) -> str:
    from django.urls import reverse

    membership = person.memberships.get(organisation=request.organisation)
    return reverse("person-detail", args=[membership.pk])


def person_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One person: their details, role, sign-in state and what an administrator can do about them."""
    membership = _member(request, pk)
    return render(
        request,
        "core/person_detail.jinja",
        {
            "membership": membership,
            "person": membership.user,
            "placeholder": services.is_placeholder(membership.user),
            "invitation": selectors.member_invitation(membership=membership, **scope(request)),
            "two_factor": has_two_factor(membership.user),
            "now": timezone.now(),
        },
    )


def _held(request: SignedInRequest, membership: Membership) -> tuple[list[Held], dict]:
    """The open work the person holds here, and the successor chooser's arguments: the people who can act for it
    (never the person themselves), with a suggestion preselected."""
    held = person_holdings(by=request.user, organisation=request.organisation, person=membership.user)
    if not held:
        return held, {}
    permissions = {h.holding.permission for h in held}
    people = selectors.people_who_can_act(**scope(request), permissions=permissions).exclude(
        pk=membership.user_id
    )
    return held, {"people": people, "held": held}


def _peer(people, person) -> int | None:
    """The successor to suggest: someone who can act in the same line of work (the same job title), if any."""
    if not person.job_title.strip():
        return None
    return people.filter(job_title__iexact=person.job_title.strip()).values_list("pk", flat=True).first()


def _handed_on(held: list[Held], successor) -> str:
    return f" Now with {successor}: {services.holdings_text(held)}." if held and successor else ""


def _hand_on_page(
    request: SignedInRequest, pk: int, *, form_class, initial, change, message, context
) -> HttpResponse:
    """A change that may leave the person's open work without an owner who can act: the page warns what they hold,
    asks who takes it on (people who can act only, a peer suggested), and makes the change and the hand-on in one
    service call, `change(membership, data, successor)`. The change's own: `initial(membership)`,
    `message(membership, held, successor)` and `context(membership, held)`."""
    membership = _member(request, pk)
    held, chooser = _held(request, membership)
    suggested = {"successor": _peer(chooser["people"], membership.user)} if chooser else {}
    form = form_class(
        request.POST or None,
        initial={"version": membership.version, **suggested, **initial(membership)},
        **chooser,
    )
    return form_page(
        request,
        form,
        template="core/person_form.jinja",
        save=lambda data: change(membership, data, data.get("successor")),
        success_url=lambda m: _detail_url(request, m.user),
        message=lambda m: message(m, held, form.cleaned_data.get("successor")),
        context={"membership": membership, "held": held, **context(membership, held)},
    )


def person_role(request: SignedInRequest, pk: int) -> HttpResponse:
    """Change the person's role in this organisation; a role that cannot hold their open work (a viewer) hands it
    on, in the same step, to the successor chosen here."""
    return _hand_on_page(
        request,
        pk,
        form_class=PersonRoleForm,
        initial=lambda m: {"role": m.role},
        change=lambda m, data, successor: services.person_role_set(
            membership=m,
            role=data["role"],
            by=request.user,
            expected_version=data["version"],
            successor=successor,
        ),
        message=lambda m, held, successor: (
            f"{m.user} is now {m.get_role_display().lower()}."
            + _handed_on([h for h in held if not role_allows(m.role, h.holding.permission)], successor)
        ),
        context=lambda m, held: {
            "title": f"Role of {m.user}",
            "button": "Save the role",
            "held_text": f"{m.user} holds open work here. A viewer cannot hold it: if you make them a viewer, it "
            "goes to the person you choose below, in the same step. Another role keeps it theirs.",
        },
    )


def person_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """Complete or correct the person's details; an imported lead known only by initials gets a name and an
    e-mail address here, and an invitation."""
    membership = _member(request, pk)
    person = membership.user
    placeholder = services.is_placeholder(person)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email or "",
        "initials": person.initials or person.display_initials,
        "job_title": person.job_title,
        "version": person.version,
        "send_invitation": placeholder,
    }
    form = PersonDetailsForm(request.POST or None, initial=initial)
    if not placeholder:
        del form.fields["send_invitation"]

    def save(data):
        send = data.pop("send_invitation", False)
        version = data.pop("version")
        updated = services.person_update(
            person=person,
            organisation=request.organisation,
            by=request.user,
            expected_version=version,
            **data,
        )
        if send:
            services.invitation_send(organisation=request.organisation, person=updated, by=request.user)
        return updated

    return form_page(
        request,
        form,
        template="core/person_form.jinja",
        save=save,
        success_url=lambda p: _detail_url(request, p),
        message=lambda p: (
            f"{p}'s details saved."
            + (
                f" Invitation sent to {p.email}."
                if request.POST.get("send_invitation") and placeholder
                else ""
            )
        ),
        context={
            "title": f"Set up {person}" if placeholder else f"Details of {person}",
            "button": "Save",
            "membership": membership,
        },
    )


@require_POST
def person_invitation_send(request: SignedInRequest, pk: int) -> HttpResponse:
    """Send the invitation again (the earlier link stops working)."""
    membership = _member(request, pk)
    try:
        invitation = services.invitation_send(
            organisation=request.organisation, person=membership.user, by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Invitation sent to {invitation.email}.")
    return redirect("person-detail", pk=membership.pk)


@require_POST
def person_two_factor_reset(request: SignedInRequest, pk: int) -> HttpResponse:
    """Remove the person's authenticator app (they lost their phone)."""
    membership = _member(request, pk)
    try:
        services.two_factor_reset(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"{membership.user} signs in with their password alone until they set up a new app."
        )
    return redirect("person-detail", pk=membership.pk)


def person_merge(request: SignedInRequest, pk: int) -> HttpResponse:
    """An imported placeholder is someone already here: merge it into them."""
    membership = _member(request, pk)
    people = selectors.organisation_people(**scope(request)).exclude(pk=membership.user_id)
    form = PersonMergeForm(request.POST or None, people=people)
    return form_page(
        request,
        form,
        template="core/person_form.jinja",
        save=lambda data: services.person_merge(
            placeholder=membership.user, into=data["into"], organisation=request.organisation, by=request.user
        ),
        success_url=lambda person: _detail_url(request, person),
        message=lambda person: f"{membership.user} merged into {person}: everything they led is now theirs.",
        context={
            "title": f"Merge {membership.user} into someone already here",
            "button": "Merge",
            "membership": membership,
            "lead_text": "Use this when an import named someone by initials who already has an account here. "
            "Every action they lead moves to the person you choose; the placeholder is removed from the "
            "organisation and its history kept.",
        },
    )


def person_deactivate(request: SignedInRequest, pk: int) -> HttpResponse:
    """A leaver: see what they still hold, choose who takes it on, then end their membership in one step (their
    history stays; no cycle awaits them and no reminder goes to them afterwards)."""
    return _hand_on_page(
        request,
        pk,
        form_class=DeactivateForm,
        initial=lambda m: {},
        change=lambda m, data, successor: services.person_deactivate(
            membership=m, by=request.user, expected_version=data["version"], successor=successor
        ),
        message=lambda m, held, successor: f"{m.user} has been deactivated." + _handed_on(held, successor),
        context=lambda m, held: {
            "title": f"Deactivate {m.user}",
            "button": "Deactivate and hand on their work" if held else "Deactivate",
            "warning": True,
            "held_text": f"{m.user} still holds open work here. It all goes to the person you choose below, in "
            "the same step, and they are no longer awaited in any reporting cycle or sent reminders.",
            "lead_text": f"{m.user} will no longer be able to use Wellled for {request.organisation.name}. Their "
            "name stays on everything they did.",
        },
    )


def single_sign_on(request: SignedInRequest) -> HttpResponse:
    """Set up the organisation's OpenID Connect provider; the client secret is never shown back."""
    _admin(request)
    current = selectors.single_sign_on_get(**scope(request))
    initial = (
        initial_of(current, form_fields(SingleSignOnForm))
        if current is not None
        else {"new_person_role": Role.VIEWER}
    )
    form = SingleSignOnForm(request.POST or None, initial=initial)
    response = form_page(
        request,
        form,
        template="core/single_sign_on.jinja",
        save=lambda data: services.single_sign_on_set(
            organisation=request.organisation, by=request.user, expected_version=data.pop("version"), **data
        ),
        success_url=lambda s: "/organisation/sign-on/",
        message="Single sign-on saved.",
        context={
            "current": current,
            "callback_url": _callback_url(request, current),
            "two_factor_form": TwoFactorRequirementForm(
                initial={"required": request.organisation.two_factor_required}
            ),
        },
    )
    return response


def _callback_url(request: SignedInRequest, current) -> str:
    """The redirect URI to register with the identity provider."""
    provider_id = f"org-{request.organisation.ods_code.lower()}"
    return site_url(f"/accounts/oidc/{provider_id}/login/callback/")


@require_POST
def two_factor_requirement(request: SignedInRequest) -> HttpResponse:
    """Require (or stop requiring) two-factor sign-in for Wellled passwords in this organisation."""
    _admin(request)
    form = TwoFactorRequirementForm(request.POST)
    form.is_valid()
    required = bool(form.cleaned_data.get("required"))
    services.two_factor_required_set(organisation=request.organisation, required=required, by=request.user)
    messages.success(
        request,
        "People who sign in with a Wellled password must now give a code from an authenticator app."
        if required
        else "A code from an authenticator app is no longer required.",
    )
    return redirect("single-sign-on")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation: set a password, or sign in with the organisation's account."""
    invitation = services.invitation_find(token=token)
    if invitation is None:
        raise Http404("Not found.")
    usable = invitation.usable(timezone.now()) and invitation.person.is_active
    sign_on = next(
        (
            s
            for s in enabled_sign_ons()
            if s.organisation_id == invitation.organisation_id and s.allows_email(invitation.email)
        ),
        None,
    )
    has_password = invitation.person.has_usable_password()
    form = SetPasswordForm(request.POST or None)
    # Where the organisation signs this address in with its own account, that is the only way offered.
    if request.method == "POST" and usable and not has_password and sign_on is None and form.is_valid():
        try:
            services.invitation_accept(token=token, password=form.cleaned_data["password"])
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, "Your password is set. Sign in with your e-mail address and it.")
            return redirect("login")
    from .middleware import policy_with_form_targets
    from .sign_on import issuer_origins

    response = render(
        request,
        "core/invitation.jinja",
        {
            "invitation": invitation,
            "usable": usable,
            "sign_on": sign_on,
            "has_password": has_password,
            "form": form,
        },
        status=200 if usable else 410,
    )
    response["Content-Security-Policy"] = policy_with_form_targets(
        issuer_origins([sign_on] if sign_on else [])
    )
    return response
