"""Identifying text (names, contact details, free text) sealed at rest with core.crypto, so a copy of the database
reveals no one (ADR 0054). Empty stays empty: an anonymous case has no identity to seal."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

from django.conf import settings

from wellled.core.crypto import seal, unseal

# 20 random bytes as base32: 160 bits, far beyond guessing at the route's rate limit, short enough to copy down.
CASE_KEY_BYTES = 20


def sealed(text: str) -> str:
    """The text sealed, or "" for no text."""
    return seal(text) if text else ""


def opened(stored: str) -> str:
    """Sealed text back as the guardian typed it, or "" for none."""
    return unseal(stored) if stored else ""


def sealed_json(value: dict[str, Any]) -> str:
    """A small record (a name and contact details, characteristics) sealed as one value, or "" if it is empty."""
    kept = {k: v for k, v in value.items() if v}
    return seal(json.dumps(kept, sort_keys=True)) if kept else ""


def opened_json(stored: str) -> dict[str, Any]:
    return json.loads(unseal(stored)) if stored else {}


def case_key_new() -> str:
    """A new case key for the anonymous route, grouped in fours to copy down; shown once, never stored."""
    raw = secrets.token_bytes(CASE_KEY_BYTES)
    text = base64.b32encode(raw).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def key_digest(key: str) -> str:
    """What is kept of a case key: a keyed hash of it, spaces, dashes and case ignored (so a copied key still works)."""
    normal = "".join(ch for ch in key.upper() if ch.isalnum())
    return hmac.new(
        settings.SECRET_KEY.encode(), b"ftsu-case-key:" + normal.encode(), hashlib.sha256
    ).hexdigest()


def address_digest(address: str) -> str:
    """A client address kept only as a keyed hash, for the route's rate limit, never as the address."""
    return hmac.new(
        settings.SECRET_KEY.encode(), b"ftsu-address:" + address.encode(), hashlib.sha256
    ).hexdigest()
