"""The second step of signing in, beyond the authenticator app itself (ADR 0026): recovery codes, and the wait
after wrong codes.

Recovery codes: ten one-time codes, shown once when made, kept as a salted SHA-256 each (they carry about 50 bits
of chance, far beyond guessing at the throttled rate below, so a slow password hash would only slow sign-in), each
usable once; making new ones voids the old. Making them and signing in with one are audited.

The wait: wrong codes are counted per session and per network address, never per person alone. Someone who has
learnt a password can make their own session and address wait, but cannot stop the person signing in from theirs
(issue 25). Starting a new session to dodge the wait still leaves the address's count, which allows more tries
before it slows, since many people can share one address (a trust's network).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .access import current_memberships
from .audit import audit_record, snapshot
from .choices import AuditAction
from .models import RecoveryCode, SecondFactorFailure, User

RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: a code is read off paper and typed. 31 letters, 10 of them: about 49.5 bits.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RECOVERY_CODE_LENGTH = 10

# Wrong codes a session, or an address, may make before each further one means waiting; the wait starts at
# FIRST_WAIT and doubles with each further wrong code, to at most LONGEST_WAIT. Wrong codes older than
# FAILURE_MEMORY are forgotten, and a right code forgets those of its session and address.
FREE_FAILURES_PER_SESSION = 3
FREE_FAILURES_PER_ADDRESS = 10
FIRST_WAIT = datetime.timedelta(seconds=30)
LONGEST_WAIT = datetime.timedelta(minutes=15)
FAILURE_MEMORY = datetime.timedelta(hours=1)


# Recovery codes ---------------------------------------------------------------------------------------------


def recovery_code_normalise(typed: str) -> str:
    """A code as stored: letters and digits only, lower case (people type spaces and dashes, any case)."""
    return "".join(character for character in typed.lower() if character.isascii() and character.isalnum())


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def sign_in_change_audit(person: User, note: str, *, by: User | None = None) -> None:
    """One audit record of a change to the person's sign-in, in each organisation they belong to."""
    for membership in current_memberships(user=person).select_related("organisation"):
        audit_record(
            by=by or person,
            organisation=membership.organisation,
            action=AuditAction.UPDATE,
            instance=person,
            before=snapshot(person),
            note=note,
        )


def recovery_codes_left(user: User) -> int:
    """How many of the person's recovery codes are still unused."""
    return RecoveryCode.objects.filter(user=user, used_at=None).count()


@transaction.atomic
def recovery_codes_make(*, user: User, by: User) -> list[str]:
    """Ten new recovery codes for the person (any earlier ones stop working); returns their text, shown once, as
    "abcde-fghjk". Only the person makes their own."""
    from django.core.exceptions import PermissionDenied

    if by.pk != user.pk:
        raise PermissionDenied("People make their own recovery codes.")
    User.objects.select_for_update().get(pk=user.pk)  # one set at a time, even from two tabs
    RecoveryCode.objects.filter(user=user).delete()
    now = timezone.now()
    codes, rows = [], []
    for _ in range(RECOVERY_CODE_COUNT):
        code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        salt = secrets.token_hex(16)
        rows.append(RecoveryCode(user=user, salt=salt, digest=_digest(salt, code), created_at=now))
        half = RECOVERY_CODE_LENGTH // 2
        codes.append(f"{code[:half]}-{code[half:]}")
    RecoveryCode.objects.bulk_create(rows)
    sign_in_change_audit(user, f"Made {RECOVERY_CODE_COUNT} new recovery codes (any earlier ones void)")
    return codes


@transaction.atomic
def recovery_code_use(*, user: User, typed: str) -> int | None:
    """Sign-in with a recovery code: if it is one of the person's unused codes, mark it used, audit it and return
    how many are left; else None. Every unused code is compared, in constant time, whatever matches."""
    code = recovery_code_normalise(typed)
    if len(code) != RECOVERY_CODE_LENGTH:
        return None
    match = None
    for row in RecoveryCode.objects.select_for_update().filter(user=user, used_at=None):
        if hmac.compare_digest(row.digest, _digest(row.salt, code)):
            match = row
    if match is None:
        return None
    match.used_at = timezone.now()
    match.save(update_fields=["used_at"])
    left = recovery_codes_left(user)
    sign_in_change_audit(user, f"Signed in with a recovery code ({left} left)")
    return left


def recovery_codes_remove(*, user: User) -> int:
    """Remove all the person's recovery codes (their second factor is being reset); the caller audits."""
    removed, _ = RecoveryCode.objects.filter(user=user).delete()
    return removed


# The wait after wrong codes -----------------------------------------------------------------------------------


def _wait_after(failures: list[datetime.datetime], free: int, now: datetime.datetime) -> float:
    """Seconds still to wait after these wrong codes (newest first), given how many are free."""
    beyond = len(failures) - free
    if beyond < 0:
        return 0.0
    wait = min(FIRST_WAIT * (2**beyond), LONGEST_WAIT)
    return max((failures[0] + wait - now).total_seconds(), 0.0)


@dataclass(frozen=True)
class Attempt:
    """Who is being signed in, from which session and network address."""

    user: User
    session_key: str | None
    address: str

    @property
    def session(self) -> str:
        return hashlib.sha256((self.session_key or "").encode()).hexdigest()

    @property
    def source(self) -> str:
        return (self.address or "")[:64]


def wrong_code_wait(attempt: Attempt) -> int:
    """Whole seconds before this session, from this address, may try another code for the person (0: now)."""
    now = timezone.now()
    recent = SecondFactorFailure.objects.filter(user=attempt.user, at__gte=now - FAILURE_MEMORY).order_by(
        "-at"
    )
    by_session = list(recent.filter(session=attempt.session).values_list("at", flat=True))
    by_address = list(recent.filter(address=attempt.source).values_list("at", flat=True))
    wait = max(
        _wait_after(by_session, FREE_FAILURES_PER_SESSION, now),
        _wait_after(by_address, FREE_FAILURES_PER_ADDRESS, now),
    )
    return math.ceil(wait)


def wrong_code_note(attempt: Attempt) -> None:
    """Count a wrong code against its session and address (bookkeeping, not a change to audit)."""
    now = timezone.now()
    SecondFactorFailure.objects.filter(at__lt=now - FAILURE_MEMORY).delete()
    SecondFactorFailure.objects.create(
        user=attempt.user, session=attempt.session, address=attempt.source, at=now
    )


def wrong_codes_forget(attempt: Attempt) -> None:
    """A right code: the session's and the address's wrong codes for the person no longer count."""
    SecondFactorFailure.objects.filter(user=attempt.user, session=attempt.session).delete()
    SecondFactorFailure.objects.filter(user=attempt.user, address=attempt.source).delete()
