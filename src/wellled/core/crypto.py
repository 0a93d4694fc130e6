"""Secrets Wellled must keep but never show (an identity provider's client secret), sealed with Fernet.

The key is derived from WELLLED_SECRET_KEY, so a copy of the database alone does not reveal them; changing the
secret key means entering the client secrets again (docs/sso.md)."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

# Separates this use of the secret key from Django's own (signing, sessions), as HKDF's "info" would.
KEY_PURPOSE = b"wellled.core.crypto: sealed secrets v1"


class SecretUnreadable(ValueError):
    """The sealed value was written with another secret key (or was altered)."""


def _fernet() -> Fernet:
    digest = hashlib.sha256(KEY_PURPOSE + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(plain: str) -> str:
    """The text encrypted and authenticated, as ASCII for a text column."""
    return _fernet().encrypt(plain.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    """The text back; SecretUnreadable if it cannot be read with the current key."""
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise SecretUnreadable("The stored secret cannot be read: enter it again.") from exc
