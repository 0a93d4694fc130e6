"""System checks of stored data: text longer than today's limits (kept before the limits existed) is reported by
`wellled check --database default`, so an administrator can find and shorten it (docs/limits.md)."""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections
from django.db.models.functions import Length

from .limits import text_fields

OVERSIZED_TEXT = "W001"


@register(Tags.database)
def oversized_text_check(app_configs=None, databases=None, **kwargs):
    """One warning per field holding text over its limit: how many rows, and the first few ids."""
    if not databases:
        return []
    found = []
    for alias in databases:
        try:
            for model, field in text_fields():
                if model._meta.proxy or not model._meta.managed or not field.max_length:
                    continue
                rows = (
                    model._default_manager.using(alias)
                    .annotate(_length=Length(field.attname))
                    .filter(_length__gt=field.max_length)
                    .values_list("pk", flat=True)
                )
                ids = list(rows[:6])
                if ids:
                    count = rows.count()
                    shown = ", ".join(str(i) for i in ids[:5]) + (", …" if count > 5 else "")
                    found.append(
                        Warning(
                            f"{count} {model._meta.verbose_name_plural} have a {field.verbose_name} longer "
                            f"than {field.max_length:,} characters (ids {shown}).",
                            hint="They are kept and shown in full; edit them to fit, or export them first. "
                            "New text over the limit is refused (docs/limits.md).",
                            obj=f"{model._meta.label}.{field.name}",
                            id=f"wellled.{OVERSIZED_TEXT}",
                        )
                    )
        except DatabaseError:  # before the first migration there is nothing to check
            connections[alias].close()
            return []
    return found
