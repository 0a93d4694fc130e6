"""Audit records written in bulk follow the rules of single ones: inside the transaction, one per object."""

import pytest
from django.db import transaction

from wellled.core.audit import AuditEntry, audit_record_many
from wellled.core.choices import AuditAction
from wellled.core.models import AuditLog


@pytest.mark.django_db(transaction=True)
def test_bulk_audit_records_are_refused_outside_a_transaction_and_written_inside_one(org, editor):
    entries = [AuditEntry(AuditAction.UPDATE, org, before={"name": "Old"}, note="Bulk test")]
    with pytest.raises(RuntimeError):
        audit_record_many(by=editor, organisation=org, entries=entries)
    assert not AuditLog.objects.filter(note="Bulk test").exists()
    with transaction.atomic():
        assert audit_record_many(by=editor, organisation=org, entries=entries) == 1
    record = AuditLog.objects.get(note="Bulk test")
    assert (record.actor, record.organisation, record.action) == (editor, org, "update")
    assert record.before == {"name": "Old"} and record.after["name"] == org.name and record.created_at
