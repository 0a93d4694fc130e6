"""Organisations, their structure, people, memberships with roles, delivery-status scales and the audit log."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from . import limits
from .choices import (
    OVERSIGHT_KINDS,
    PROVIDER_KINDS,
    AuditAction,
    OrganisationKind,
    Role,
    SpeakUpRole,
    UnitKind,
)
from .formatting import iso_minute
from .limits import LimitedTextField

# ODS codes are 3-5 upper-case letters and digits for trusts and their sites (NHS Organisation Data Service).
ODS_CODE_VALIDATOR = RegexValidator(r"^[A-Z0-9]{3,10}$", "Enter an ODS code of capital letters and digits.")
HEX_COLOUR_VALIDATOR = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as # and six hex digits.")


def shipped_or_own_unique(prefix: str) -> list[models.BaseConstraint]:
    """The keys of something shipped with Wellled or a trust's own (a framework, an accreditation scheme): each
    version of a key once among the shipped ones, and once in each organisation."""
    return [
        models.UniqueConstraint(
            fields=["key", "version"],
            condition=models.Q(organisation__isnull=True),
            name=f"{prefix}_shipped_unique",
        ),
        models.UniqueConstraint(fields=["organisation", "key", "version"], name=f"{prefix}_trust_unique"),
    ]


class User(AbstractUser):
    """A person who signs in (or is invited to); boards know them by their initials."""

    # Unlike Django's own user, no address is stored as NULL (so several people may have none, yet each address
    # belongs to one person): the type checker knows only Django's never-empty text.
    email = models.EmailField("e-mail address", unique=True, null=True, blank=True)  # type: ignore[assignment]
    initials = models.CharField(
        max_length=8, blank=True, help_text="How board papers show this person, e.g. DMc."
    )
    job_title = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [models.UniqueConstraint(Lower("email"), name="core_user_email_ci_unique")]

    def __str__(self) -> str:
        # Someone an import knew only by initials is shown by them, not by the username made up for them.
        return self.get_full_name() or self.initials or self.username

    @property
    def display_initials(self) -> str:
        """The initials boards use: the stored ones, else first letters of first and last name."""
        if self.initials:
            return self.initials
        letters = (self.first_name[:1] + self.last_name[:1]).upper()
        return letters or self.username[:3].upper()

    def save(self, *args, **kwargs):
        if self.email == "":
            self.email = None
        super().save(*args, **kwargs)


class Organisation(models.Model):
    """A trust (or an oversight body) identified by its ODS code; every piece of plan data belongs to one."""

    name = models.CharField(max_length=200)
    ods_code = models.CharField("ODS code", max_length=10, unique=True, validators=[ODS_CODE_VALIDATOR])
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.TRUST)
    created_at = models.DateTimeField(auto_now_add=True)
    two_factor_required = models.BooleanField(
        default=False,
        help_text="People who sign in with a Wellled password must also give a code from an app.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_oversight_body(self) -> bool:
        """An NHS England region or an integrated care board: it may hold a portfolio of trusts."""
        return self.kind in OVERSIGHT_KINDS


class OrganisationUnit(models.Model):
    """Part of an organisation's structure: a site, directorate, care group or service."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(max_length=20, choices=UnitKind.choices)
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=20, blank=True, help_text="ODS site code or local code.")

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "name"], name="core_unit_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display().lower()})"

    def clean(self) -> None:
        if self.parent is not None and self.parent.organisation_id != self.organisation_id:
            raise ValidationError({"parent": "The parent must belong to the same organisation."})


class Membership(models.Model):
    """A person's role in one organisation; a person may belong to several (an improvement director)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    # Held beside the role, never implied by it: an administrator is not a guardian (ADR 0054).
    speak_up_role = models.CharField(max_length=10, choices=SpeakUpRole.choices, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # A leaver's membership is ended, not deleted: their name stays on the history, their access goes.
    active = models.BooleanField(default=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="core_membership_unique")
        ]

    # Set on the viewer's membership that a portfolio lends (never saved): the oversight body it comes through.
    via: Organisation | None = None

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class PortfolioEntryQuerySet(models.QuerySet):
    def standing(self, on: datetime.date | None = None) -> PortfolioEntryQuerySet:
        """Entries that stand on the day (today by default): joined by then and not yet left. The one statement of
        "in the portfolio", for scoping, the body's pages, its requests and the demo alike."""
        on = on or timezone.localdate()
        return self.filter(models.Q(left_on__isnull=True) | models.Q(left_on__gt=on), joined_on__lte=on)


class PortfolioEntry(models.Model):
    """A trust in an oversight body's portfolio: while it is there, the body's people see the trust read-only."""

    oversight_body = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="portfolio_entries"
    )
    trust = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="overseen_by")
    joined_on = models.DateField(help_text="From this day the body's people see the trust.")
    left_on = models.DateField(
        null=True, blank=True, help_text="From this day they no longer do; empty while it stays."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = PortfolioEntryQuerySet.as_manager()

    class Meta:
        ordering = ["oversight_body__name", "trust__name"]
        verbose_name_plural = "portfolio entries"
        constraints = [
            models.UniqueConstraint(
                fields=["oversight_body", "trust"],
                condition=models.Q(left_on__isnull=True),
                name="core_portfolio_one_open_entry",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
                name="core_portfolio_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trust} in the portfolio of {self.oversight_body}"

    def clean(self) -> None:
        errors = {}
        if self.oversight_body_id and self.oversight_body.kind not in OVERSIGHT_KINDS:
            errors["oversight_body"] = "Only an oversight body or an integrated care board holds a portfolio."
        if self.trust_id and self.trust.kind not in PROVIDER_KINDS:
            errors["trust"] = "Only a trust can be in a portfolio."
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors["left_on"] = "A trust cannot leave a portfolio before it joined."
        if errors:
            raise ValidationError(errors)


class DeliveryStatus(models.Model):
    """One point of an organisation's delivery-status scale (G, A/G, A/R, R, optional blue)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="delivery_statuses")
    code = models.CharField(max_length=8)
    label = models.CharField(max_length=60)
    meaning = models.CharField(max_length=300)
    colour = models.CharField(max_length=7, validators=[HEX_COLOUR_VALIDATOR])
    text_colour = models.CharField(max_length=7, validators=[HEX_COLOUR_VALIDATOR], default="#212b32")
    rank = models.PositiveSmallIntegerField(
        help_text="Higher is better; used to tell improvement from worsening."
    )
    is_complete = models.BooleanField(default=False, help_text="The action is delivered at this status.")
    is_exception = models.BooleanField(
        default=False, help_text="Actions at this status lead the board paper."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-rank"]
        verbose_name_plural = "delivery statuses"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="core_status_unique_code"),
            models.UniqueConstraint(fields=["organisation", "rank"], name="core_status_unique_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.label})"


class AuditLogQuerySet(models.QuerySet):
    """Audit records can be added and read, never changed or removed in bulk."""

    def update(self, **kwargs):
        raise PermissionError("Audit records cannot be changed.")

    def delete(self):
        raise PermissionError("Audit records cannot be deleted.")


if TYPE_CHECKING:
    _ModelMixin = models.Model  # what the mixin is mixed into, for the type checker
else:
    _ModelMixin = object


class AppendOnly(_ModelMixin):
    """A record that is added and read, never changed or removed: history is not rewritten. Each model says, in
    `edit_refused` and `delete_refused`, what to do instead."""

    edit_refused = "This record cannot be changed."
    delete_refused = "This record cannot be deleted."

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(self.edit_refused)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(self.delete_refused)


class AuditLog(AppendOnly, models.Model):
    """Who changed what, when, in which organisation, with the object's state before and after."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    request_id = models.CharField(max_length=36, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"]),
            # An organisation's latest record in one index step, however long its history (the portfolio's cache
            # stamps, issue 24).
            models.Index(fields=["organisation", "id"], name="core_audit_org_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    edit_refused = "Audit records cannot be changed."
    delete_refused = "Audit records cannot be deleted."

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """The fields that differ between before and after, as (field, before, after)."""
        before, after = self.before or {}, self.after or {}
        keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
        return [(k, before.get(k), after.get(k)) for k in keys]


class WordTemplate(models.Model):
    """An organisation's own Word template (.docx): the board paper in Word takes its styles, page set-up and
    headers. One per organisation; uploading another replaces it."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="word_template")
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Word template {self.filename}"


class Invitation(models.Model):
    """A one-time link e-mailed to a person to set their password or sign in with their organisation's account.

    Only a SHA-256 digest of the link's token is kept, so the table cannot be used to sign in."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("e-mail address")
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.email}"

    def usable(self, now) -> bool:
        """Not used, not withdrawn, not expired."""
        return self.accepted_at is None and self.withdrawn_at is None and now < self.expires_at


class SingleSignOn(models.Model):
    """An organisation's OpenID Connect identity provider (Microsoft Entra ID, NHSmail...), set up by its
    administrator; the client secret is kept encrypted (core.secrets) and never shown again."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="single_sign_on")
    enabled = models.BooleanField(default=False)
    issuer = models.URLField("issuer URL", max_length=300)
    client_id = models.CharField("client ID", max_length=255)
    client_secret_encrypted = LimitedTextField(max_length=limits.ENCRYPTED_SECRET_CHARS, blank=True)
    allowed_domains = models.CharField(
        "allowed e-mail domains", max_length=500, help_text="Comma-separated, e.g. northmoor.nhs.uk, nhs.net"
    )
    new_person_role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Single sign-on for {self.organisation}"

    @property
    def provider_id(self) -> str:
        """The name allauth knows this provider by, and the part of the callback URL that names it."""
        return f"org-{self.organisation.ods_code.lower()}"

    @property
    def domains(self) -> list[str]:
        """The allowed e-mail domains, lower case."""
        return [d.strip().lower().lstrip("@") for d in self.allowed_domains.split(",") if d.strip()]

    def allows_email(self, email: str) -> bool:
        """True if the address is in one of the allowed domains (exactly: no sub-domains)."""
        domain = (email or "").rpartition("@")[2].strip().lower()
        return bool(domain) and domain in self.domains


class WorkerHeartbeat(models.Model):
    """The background worker's sign of life, written every few seconds: /health/ reads the newest, so a worker
    that died (or never started) shows as down rather than papers queueing for ever."""

    worker_id = models.CharField(max_length=64, unique=True)
    pid = models.PositiveIntegerField()
    host = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Worker {self.worker_id} on {self.host or 'this server'}"


class RecoveryCode(models.Model):
    """One of a person's one-time codes for signing in when their authenticator app is out of reach (ADR 0026):
    kept only as a salted SHA-256 of the code, used at most once, all replaced when new ones are made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the salt and the code, in hex.")
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "used_at"])]

    def __str__(self) -> str:
        return f"Recovery code of {self.user} ({'used' if self.used_at else 'unused'})"


class SecondFactorFailure(models.Model):
    """A wrong code at the second step of signing in, kept with the session and the address it came from, so the
    wait that follows falls on that session and address and never on the person's own sign-in from elsewhere."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    session = models.CharField(max_length=64, help_text="SHA-256 of the session's key, in hex.")
    address = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["user", "session", "at"]),
            models.Index(fields=["user", "address", "at"]),
        ]

    def __str__(self) -> str:
        return f"Wrong second-factor code for {self.user} at {iso_minute(self.at)}"
