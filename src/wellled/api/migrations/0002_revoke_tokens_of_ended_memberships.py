"""Tokens end with the membership (docs/api.md). Before, a leaver's token was only refused while their membership
stayed ended, and worked again if they were invited back: revoke, once, every live token whose person is no longer
an active, current member of its organisation, each with an audit record as the service writes."""

from django.db import migrations
from django.utils import timezone

NOTE = "API token revoked: its person left the organisation"
AUDITED = ("id", "user_id", "organisation_id", "name", "prefix", "created_at", "revoked_at")


def revoke_tokens_of_leavers(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    Membership = apps.get_model("core", "Membership")
    AuditLog = apps.get_model("core", "AuditLog")
    ContentType = apps.get_model("contenttypes", "ContentType")
    now = timezone.now()
    content_type = None
    for token in ApiToken.objects.filter(revoked_at=None).order_by("pk"):
        member = Membership.objects.filter(
            user_id=token.user_id, organisation_id=token.organisation_id, active=True, user__is_active=True
        ).exists()
        if member:
            continue
        before = {name: getattr(token, name) for name in AUDITED}
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        if content_type is None:
            content_type, _ = ContentType.objects.get_or_create(app_label="api", model="apitoken")
        AuditLog.objects.create(
            actor=None,
            organisation_id=token.organisation_id,
            action="update",
            content_type=content_type,
            object_id=str(token.pk),
            object_repr=f"API token {token.prefix}… ({token.name})"[:300],
            before=before,
            after={**before, "revoked_at": now},
            note=NOTE,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("core", "0006_portfolio_entries"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(revoke_tokens_of_leavers, migrations.RunPython.noop)]
