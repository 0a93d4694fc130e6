"""System checks: text longer than today's limits (kept before the limits existed) is reported by
`wellled check --database default`, so an administrator can find and shorten it (docs/limits.md); a half-configured
object store for uploaded files by `wellled check`, naming the variable to set (docs/deployment.md)."""

from __future__ import annotations

from django.core.checks import Error, Tags, Warning, register
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


S3_HALF_CONFIGURED = "E002"
S3_ADDRESSING_STYLES = ("path", "virtual", "auto")
# The canned ACLs that keep an object private (AWS S3 "Canned ACL"), and "none" for a bucket with ACLs switched off.
S3_ACLS = ("private", "bucket-owner-full-control", "none")


def s3_missing(given: dict[str, str], wanted: bool) -> list[tuple[str, str]]:
    """(variable, why) for each thing a half-configured object store lacks; nothing when none is asked for.
    `given` is settings.S3_SETTINGS: the environment as read, the AWS_* fallbacks included."""
    if not wanted:
        return []
    missing = []
    if not given["bucket"]:
        missing.append(("WELLLED_S3_BUCKET", "the bucket that keeps the uploaded files"))
    if given["access_key"] and not given["secret_key"]:
        missing.append(("WELLLED_S3_SECRET_ACCESS_KEY", "the secret that goes with the access key id"))
    if given["secret_key"] and not given["access_key"]:
        missing.append(("WELLLED_S3_ACCESS_KEY_ID", "the access key id that goes with the secret"))
    if given["endpoint_url"] and not (given["access_key"] or given["secret_key"]):
        missing.append(
            (
                "WELLLED_S3_ACCESS_KEY_ID and WELLLED_S3_SECRET_ACCESS_KEY",
                "the credentials for the endpoint given",
            )
        )
    if given["addressing_style"] and given["addressing_style"] not in S3_ADDRESSING_STYLES:
        missing.append(("WELLLED_S3_ADDRESSING_STYLE", f"one of {', '.join(S3_ADDRESSING_STYLES)}"))
    if given.get("acl", "private") not in S3_ACLS:
        missing.append(("WELLLED_S3_ACL", f"one of {', '.join(S3_ACLS)}: the files are never public"))
    return missing


@register("storage")
def object_storage_check(app_configs=None, **kwargs):
    """A half-configured object store, reported by `wellled check` naming the variable to set. The store is not
    contacted: one that cannot be reached is said when a file is first stored or read (ADR 0058)."""
    from django.conf import settings

    return [
        Error(
            f"Object storage for uploaded files is half-configured: set {variable} ({why}).",
            hint='See docs/deployment.md, "Shared file storage"; or unset every WELLLED_S3_* variable to keep '
            "uploaded files in the local folder.",
            obj="settings.STORAGES",
            id=f"wellled.{S3_HALF_CONFIGURED}",
        )
        for variable, why in s3_missing(
            getattr(settings, "S3_SETTINGS", {}), getattr(settings, "S3_WANTED", False)
        )
    ]
