"""Model fields every app's records repeat, defined once: an optional link to another record, and the person who
did something to a record (issue 21)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from wellled.core.models import User

M = TypeVar("M", bound=models.Model)


def optional_link(
    to: type[M], *, related_name: str = "+", **options: Any
) -> models.ForeignKey[M | None, M | None]:
    """A link a record may leave empty; the record it points at cannot be deleted while something links to it."""
    return models.ForeignKey(
        to, on_delete=models.PROTECT, null=True, blank=True, related_name=related_name, **options
    )


def person_who() -> models.ForeignKey[User | None, User | None]:
    """The person who recorded, changed or sent something; kept when they leave, empty where the system acted."""
    return models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
