"""Writes for API tokens: created (the secret shown once) and revoked by their person, each audited."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wellled.core.audit import audit_record, snapshot
from wellled.core.choices import AuditAction
from wellled.core.models import Membership, Organisation, User
from wellled.core.service_kit import locked_get, membership_role

from .models import TOKEN_PREFIX, ApiToken, token_digest

# A token reads TOKEN_PREFIX + 8 visible characters + "_" + the secret. 32 random bytes (256 bits) make guessing
# hopeless, so one SHA-256 of the whole token, unsalted, is enough to store (as GitHub does for its tokens);
# a slow password hash would only slow every API request.
TOKEN_PREFIX_CHARACTERS = 8
TOKEN_SECRET_BYTES = 32
TOKEN_NAME_MAX = 100
# The digest is left out of audit records: it is not the secret, but nothing about a token needs it there.
AUDITED_TOKEN_FIELDS = ("id", "user_id", "organisation_id", "name", "prefix", "created_at", "revoked_at")


def _audited(token: ApiToken) -> dict:
    state = snapshot(token)
    return {name: state[name] for name in AUDITED_TOKEN_FIELDS}


@transaction.atomic
def token_create(
    *, user: User, organisation: Organisation, name: str, by: User | None, at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """Make a token for a person in one of their organisations; returns it with its text, which is shown once.

    Only the person makes their own tokens (`by=None` is `wellled token create` on the server)."""
    if by is not None and by.pk != user.pk:
        raise PermissionDenied("People create their own API tokens.")
    if not user.is_active or membership_role(user=user, organisation_id=organisation.pk) is None:
        raise ValidationError(f"{user} does not belong to {organisation.name}.")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter what the token is for, e.g. Power BI dashboard."})
    if len(name) > TOKEN_NAME_MAX:
        raise ValidationError({"name": f"Enter at most {TOKEN_NAME_MAX} characters."})
    visible = TOKEN_PREFIX + secrets.token_hex(TOKEN_PREFIX_CHARACTERS // 2)
    raw = f"{visible}_{secrets.token_urlsafe(TOKEN_SECRET_BYTES)}"
    token = ApiToken.objects.create(
        user=user,
        organisation=organisation,
        name=name,
        prefix=visible,
        digest=token_digest(raw),
        created_at=at or timezone.now(),
    )
    audit_record(
        by=by or user,
        organisation=organisation,
        action=AuditAction.CREATE,
        instance=token,
        after=_audited(token),
        note="API token created" if by is not None else "API token created on the command line",
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User, at: datetime.datetime | None = None) -> ApiToken:
    """Stop a token working for good; its record stays, with when it was revoked."""
    if by.pk != token.user_id:
        raise PermissionDenied("Only the token's own person can revoke it.")
    return _revoke(token, by=by, at=at or timezone.now(), note="API token revoked")


@transaction.atomic
def tokens_revoke_for_membership(*, membership: Membership, by: User | None) -> list[ApiToken]:
    """A membership has ended: every live token of its person for its organisation stops working for good, each
    revocation audited. Rejoining later does not bring them back (core.signals.membership_ended)."""
    now = timezone.now()
    live = ApiToken.objects.filter(
        user_id=membership.user_id, organisation_id=membership.organisation_id, revoked_at=None
    )
    return [
        _revoke(token, by=by, at=now, note="API token revoked: its person left the organisation")
        for token in live.order_by("pk")
    ]


def membership_ended_receiver(sender, *, membership: Membership, by: User | None, **kwargs) -> None:
    """Connected to core.signals.membership_ended in ApiConfig.ready."""
    tokens_revoke_for_membership(membership=membership, by=by)


def _revoke(token: ApiToken, *, by: User | None, at: datetime.datetime, note: str) -> ApiToken:
    token = locked_get(ApiToken, token.pk)
    if token.revoked_at is not None:
        return token
    before = _audited(token)
    token.revoked_at = at
    token.save(update_fields=["revoked_at"])
    audit_record(
        by=by,
        organisation=token.organisation,
        action=AuditAction.UPDATE,
        instance=token,
        before=before,
        after=_audited(token),
        note=note,
    )
    return token
