"""The History page's reading of audit records: field labels instead of column names, a related object's name
instead of its id, a choice's label instead of its code. Related names are fetched in one query per model."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from .formatting import long_date
from .models import AuditLog

# Bookkeeping that changes on every save and says nothing to a reader.
HIDDEN_FIELDS = frozenset({"id", "version", "updated_at"})
EMPTY = "—"


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    record: AuditLog
    lines: tuple[ChangeLine, ...]


def _fields(model: type[models.Model] | None) -> dict[str, models.Field]:
    if model is None:
        return {}
    fields: dict[str, models.Field] = {f.attname: f for f in model._meta.concrete_fields}
    fields.update({f.name: f for f in model._meta.many_to_many})
    return fields


def history_rows(records: Iterable[AuditLog]) -> list[HistoryRow]:
    """Each record with its changed fields in words, newest first as given."""
    records = list(records)
    wanted: dict[type[models.Model], set] = defaultdict(set)
    per_record = []
    for record in records:
        fields = _fields(record.content_type.model_class())
        changes = [(name, old, new) for name, old, new in record.changes if name not in HIDDEN_FIELDS]
        per_record.append((fields, changes))
        for name, old, new in changes:
            field = fields.get(name)
            if field is not None and field.is_relation and field.related_model is not None:
                for value in (old, new):
                    ids = value if isinstance(value, list) else [value]
                    wanted[field.related_model].update(v for v in ids if v not in (None, ""))
    names = {
        model: {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=ids)}
        for model, ids in wanted.items()
    }

    def show(field: models.Field | None, value) -> str:
        if value in (None, "", []):
            return EMPTY
        if field is not None and field.is_relation and field.related_model is not None:
            known = names.get(field.related_model, {})
            ids = value if isinstance(value, list) else [value]
            return ", ".join(known.get(v, f"#{v} (removed)") for v in ids)
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(field, models.DateTimeField):
            try:
                moment = timezone.localtime(datetime.datetime.fromisoformat(str(value)))
            except ValueError:
                return str(value)
            return long_date(moment)
        if isinstance(field, models.DateField):
            try:
                day = datetime.date.fromisoformat(str(value))
            except ValueError:
                return str(value)
            return long_date(day)
        return str(value)

    rows = []
    for record, (fields, changes) in zip(records, per_record, strict=True):
        lines = []
        for name, old, new in changes:
            field = fields.get(name)
            label = str(field.verbose_name).capitalize() if field is not None else name.replace("_", " ")
            lines.append(ChangeLine(label=label, before=show(field, old), after=show(field, new)))
        rows.append(HistoryRow(record=record, lines=tuple(lines)))
    return rows
