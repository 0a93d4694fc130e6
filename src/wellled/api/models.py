"""Personal access tokens for the REST API: stored as a SHA-256 digest, shown once, tied to a person and an
organisation (ADR 0027)."""

from __future__ import annotations

import hashlib

from django.db import models

from wellled.core.models import Organisation, User

# Every token starts so: people and secret scanners can tell a Wellled token at a glance.
TOKEN_PREFIX = "wl_"  # noqa: S105 (the visible start of every token, not a secret)


def token_digest(raw: str) -> str:
    """The stored form of a token: SHA-256 of its whole text, in hex."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A person's access token for one organisation; it acts as that person with their current role there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. Power BI dashboard.")
    prefix = models.CharField(
        max_length=16, unique=True, help_text="The token's visible start, so a person can tell tokens apart."
    )
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the whole token, in hex.")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "organisation"])]

    def __str__(self) -> str:
        return f"API token {self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
