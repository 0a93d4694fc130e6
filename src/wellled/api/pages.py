"""The "API tokens" page: a person makes a token for the organisation they are working in (shown once), sees
their tokens with their last use, and revokes them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from wellled.core.forms import TextForm, text_field
from wellled.core.permissions import Permission, require
from wellled.core.view_kit import SignedInRequest, errors_apply, role, scope

from . import selectors, services


class TokenForm(TextForm):
    name = text_field(
        "What is the token for?",
        limit=services.TOKEN_NAME_MAX,
        help_text="For example, Power BI dashboard. You will see this name beside the token.",
        required_message="Enter what the token is for, for example Power BI dashboard.",
    )


@require_http_methods(["GET", "POST"])
def token_list(request: SignedInRequest) -> HttpResponse:
    """The person's tokens for this organisation, and the form to make one; a new token's text is shown once."""
    require(role(request), Permission.VIEW)
    person, organisation = request.user, request.organisation
    form = TokenForm(request.POST or None)
    new_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.token_create(
                user=person, organisation=organisation, name=form.cleaned_data["name"], by=person
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            form = TokenForm()
    tokens = list(selectors.tokens_for_user(**scope(request)))  # read here: templates never query
    return render(
        request,
        "api/tokens.jinja",
        {"form": form, "tokens": tokens, "new_token": new_token},
        status=400 if form.errors else 200,
    )


@require_POST
def token_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    """Revoke one of the person's own tokens: it stops working at once."""
    token = selectors.token_get(pk=pk, **scope(request))
    services.token_revoke(token=token, by=request.user)
    messages.success(request, f"The token {token.prefix}… ({token.name}) is revoked: it no longer works.")
    return redirect("api-tokens")
