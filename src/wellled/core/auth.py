"""Sign in with a username or an e-mail address."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User


class UsernameOrEmailBackend(ModelBackend):
    """Authenticate against the username or, case-insensitively, the e-mail address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_person(username)
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not reveal accounts
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def find_person(login: str) -> User | None:
    """The person a sign-in names: by username or e-mail address, ignoring case and surrounding spaces."""
    login = (login or "").strip()
    if not login:
        return None
    return User.objects.filter(Q(username__iexact=login) | Q(email__iexact=login)).order_by("pk").first()


def signin_username(request, credentials: dict | None = None) -> str:
    """The name a sign-in lockout counts against (django-axes AXES_USERNAME_CALLABLE): the person's own username
    whichever way they typed it (any case, e-mail address), so 'Lead', ' lead' and their e-mail share one count."""
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get("username", "")
    person = find_person(typed or "")
    return person.username if person is not None else (typed or "").strip().casefold()


def client_address(request) -> str:
    """The client's address for the sign-in lockout (django-axes AXES_CLIENT_IP_CALLABLE).

    Without a proxy, the connection's own address: a forwarded-for header could be forged. Behind
    WELLLED_PROXY_COUNT proxies, each appends the address it saw to X-Forwarded-For, so the client is that many
    entries from the right; anything further left was written by the client and is not trusted.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "WELLLED_PROXY_COUNT", 0)
    if not proxies:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return chain[-proxies] if len(chain) >= proxies else remote


def address_failures(request) -> int:
    """Failed sign-ins from the request's address within the cool-off, whatever usernames they tried (from
    django-axes's failure log): a password sprayed across many usernames shows here (ADR 0023)."""
    from axes.models import AccessFailureLog
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessFailureLog.objects.filter(
        ip_address=client_address(request), attempt_time__gte=since
    ).count()


def address_slowed(request) -> bool:
    """True once an address has made WELLLED_SIGNIN_ADDRESS_FAILURE_LIMIT failed sign-ins within the cool-off."""
    return address_failures(request) >= settings.WELLLED_SIGNIN_ADDRESS_FAILURE_LIMIT
