"""A check of stored actions: references that a spreadsheet export could not bring back (e.g. 'QS', 'W1 a', made
before the form and the importer agreed) are reported by `wellled check --database default`, never changed."""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections

REFERENCE_RULE = "W002"


@register(Tags.database)
def references_check(app_configs=None, databases=None, **kwargs):
    from .models import REFERENCE_RE, Action

    found = []
    for alias in databases or []:
        try:
            rows = (
                Action.objects.using(alias)
                .exclude(reference__regex=REFERENCE_RE)
                .values_list("pk", flat=True)
            )
            ids = list(rows[:6])
            count = rows.count() if ids else 0
        except DatabaseError:  # before the first migration there is nothing to check
            connections[alias].close()
            continue
        if ids:
            shown = ", ".join(str(i) for i in ids[:5]) + (", …" if count > 5 else "")
            found.append(
                Warning(
                    f"{count} actions have a reference a spreadsheet export could not bring back (ids {shown}).",
                    hint="Give each a reference with a number and no spaces (for example QS1) when next edited.",
                    obj="plans.Action.reference",
                    id=f"wellled.{REFERENCE_RULE}",
                )
            )
    return found
