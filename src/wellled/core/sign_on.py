"""Single sign-on with OpenID Connect through django-allauth (ADR 0024): each organisation's SingleSignOn becomes
an allauth app, and a person signed in by it is checked against the allowed e-mail domains, then found, linked or
created in that organisation by a service."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest
from django.shortcuts import render

from .crypto import SecretUnreadable, unseal
from .models import SingleSignOn
from .services import person_sign_on_join

PROVIDER = "openid_connect"
PROVIDER_ID_PREFIX = "org-"

REFUSED_DOMAIN = (
    "{email} cannot sign in to Wellled for {organisation}: its single sign-on accepts only addresses at "
    "{domains}. Sign in with your work account, or ask your Wellled administrator."
)
REFUSED_NO_EMAIL = (
    "Your organisation's account did not tell Wellled your e-mail address, so you cannot sign in."
)
REFUSED_INACTIVE = "Your access to Wellled has ended. Ask your Wellled administrator if you still need it."
REFUSED_FAILED = (
    "Signing in with your organisation's account did not work. Try again, or ask your administrator."
)


def sign_on_for_provider(provider_id: str) -> SingleSignOn | None:
    """The enabled single sign-on that an allauth provider id names ("org-" and the ODS code)."""
    if not provider_id.startswith(PROVIDER_ID_PREFIX):
        return None
    ods_code = provider_id[len(PROVIDER_ID_PREFIX) :].upper()
    return (
        SingleSignOn.objects.select_related("organisation")
        .filter(enabled=True, organisation__ods_code=ods_code)
        .first()
    )


def enabled_sign_ons() -> list[SingleSignOn]:
    """Every organisation's enabled single sign-on, for the sign-in page's buttons."""
    return list(
        SingleSignOn.objects.select_related("organisation")
        .filter(enabled=True)
        .order_by("organisation__name")
    )


def issuer_origins(sign_ons) -> list[str]:
    """scheme://host[:port] of each provider's issuer, for the sign-in page's content security policy."""
    from urllib.parse import urlsplit

    origins = []
    for sign_on in sign_ons:
        parts = urlsplit(sign_on.issuer)
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins


def social_app(sign_on: SingleSignOn):
    """The allauth app for one organisation's provider (never saved: the set-up lives in SingleSignOn)."""
    from allauth.socialaccount.models import SocialApp

    try:
        secret = unseal(sign_on.client_secret_encrypted)
    except SecretUnreadable:
        secret = ""
    return SocialApp(
        provider=PROVIDER,
        provider_id=sign_on.provider_id,
        name=sign_on.organisation.name,
        client_id=sign_on.client_id,
        secret=secret,
        settings={"server_url": sign_on.issuer, "oauth_pkce_enabled": True},
    )


def refuse(request: HttpRequest, message: str, status: int = 403):
    """The sign-in refused, in words, on Wellled's own page."""
    return render(request, "core/sign_on_refused.jinja", {"message": message}, status=status)


class SignOnAdapter(DefaultSocialAccountAdapter):
    """Apps from SingleSignOn rows; the domain check and the person's account from core's services."""

    def list_apps(self, request, provider=None, client_id=None):
        apps = []
        for sign_on in enabled_sign_ons():
            if provider and provider not in (PROVIDER, sign_on.provider_id):
                continue
            if client_id and client_id != sign_on.client_id:
                continue
            apps.append(social_app(sign_on))
        return apps

    def pre_social_login(self, request, sociallogin):
        sign_on = sign_on_for_provider(sociallogin.account.provider)
        if sign_on is None:
            raise ImmediateHttpResponse(refuse(request, REFUSED_FAILED, status=400))
        user = sociallogin.user
        email = (user.email or "") or next((a.email for a in sociallogin.email_addresses if a.email), "")
        if not email:
            raise ImmediateHttpResponse(refuse(request, REFUSED_NO_EMAIL))
        if not sign_on.allows_email(email):
            raise ImmediateHttpResponse(
                refuse(
                    request,
                    REFUSED_DOMAIN.format(
                        email=email,
                        organisation=sign_on.organisation.name,
                        domains=" or ".join(sign_on.domains),
                    ),
                )
            )
        person = person_sign_on_join(
            sign_on=sign_on,
            email=email,
            first_name=user.first_name or "",
            last_name=user.last_name or "",
            person=user if sociallogin.is_existing else None,
        )
        if not person.is_active:
            raise ImmediateHttpResponse(refuse(request, REFUSED_INACTIVE))
        if not sociallogin.is_existing:
            sociallogin.connect(request, person)

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        raise ImmediateHttpResponse(refuse(request, REFUSED_FAILED, status=400))

    def is_open_for_signup(self, request, sociallogin):
        return False  # pre_social_login has linked or created the person; nothing signs up by itself


class AccountAdapter(DefaultAccountAdapter):
    """No sign-up of one's own: people are invited, or arrive through their organisation's single sign-on."""

    def is_open_for_signup(self, request):
        return False

    def respond_user_inactive(self, request, user):
        return refuse(request, REFUSED_INACTIVE)

    def add_message(
        self, request, level, message_template=None, message_context=None, extra_tags="", message=None
    ):
        return None  # Wellled's pages say what happened in their own words
