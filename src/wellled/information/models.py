"""Information requests from the bodies a trust reports to, each answered once from what Wellled holds (ADR 0041).

A request belongs to the organisation that answers it (an oversight body for a trust of its portfolio, or a trust
for itself) and names what Wellled holds that answers it (its kind and parameters). Requests that ask the same
thing share a fingerprint; one frozen answer (an issued paper of kind `answer`) is shared with all of them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from wellled.core import limits
from wellled.core.fields import optional_link
from wellled.core.limits import LimitedTextField
from wellled.core.models import AppendOnly, Organisation, User
from wellled.reports.models import FrozenModel, IssuedPaper


class RequestKind(models.TextChoices):
    """What Wellled holds that answers a request: the parameters each kind takes are in `information.fingerprint`."""

    PLAN = "plan", "A plan's delivery position as at a date"
    MEASURES = "measures", "Measures with their SPC, as at a date"
    RATINGS = "ratings", "CQC ratings as at a date"
    RISKS = "risks", "Principal risks (the BAF) as at a date"
    PAPER = "paper", "An issued paper"
    WRITTEN = "written", "A written answer or a document"
    SPEAK_UP = "speak_up", "Freedom to Speak Up figures (suppressed) as at a date"
    # A committee's records (issue 22, ADR 0063).
    TERMS = "terms", "A committee's current terms of reference"
    MINUTES = "minutes", "A meeting's approved minutes (public part only)"
    CHAIRS_REPORT = "chairs_rpt", "A committee chair's report"


class RequestStatus(models.TextChoices):
    OPEN = "open"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"


class DeliveryMethod(models.TextChoices):
    SHARED = "shared", "Shared in Wellled"
    EMAIL = "email", "Sent by e-mail"


class InformationRequest(models.Model):
    """One body's request for information about a trust: who asked, what, by when, and what answers it."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation whose register holds the request and that answers it.",
    )
    subject = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The trust the request is about: the register's own trust, or a trust of its portfolio.",
    )
    asked_by_organisation = optional_link(
        Organisation,
        related_name="+",
        help_text="The body that asked, if it uses Wellled: the answer is shared with it in Wellled.",
    )
    asked_by_name = models.CharField(
        "body that asked",
        max_length=200,
        blank=True,
        help_text="A body outside Wellled, for example CQC or a commissioner.",
    )
    asked_by_email = models.EmailField(
        "their e-mail address", max_length=254, blank=True, help_text="Where the answer is sent."
    )
    their_reference = models.CharField(max_length=100, blank=True)
    question = LimitedTextField("what they asked", max_length=limits.INFORMATION_REQUEST_CHARS)
    received_on = models.DateField()
    due_on = models.DateField("due by")
    kind = models.CharField("answered from", max_length=10, choices=RequestKind.choices)
    parameters = models.JSONField(help_text="What exactly, in the canonical form of information.fingerprint.")
    fingerprint = models.CharField(
        max_length=64,
        db_index=True,
        help_text="SHA-256 of subject, kind and parameters: the same thing asked.",
    )
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    answer = models.ForeignKey(
        "Answer", on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by_reuse = models.BooleanField(
        default=False, help_text="Answered with an answer produced for another request."
    )
    answer_job = models.ForeignKey(
        "reports.PaperJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The latest background job asked to produce the answer: the request's page shows its progress.",
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]

    def __str__(self) -> str:
        reference = f" ({self.their_reference})" if self.their_reference else ""
        return f"Request from {self.body_name}{reference}"

    @property
    def body_name(self) -> str:
        """The body that asked, by name (a Wellled organisation's own name, or the name typed)."""
        return (
            self.asked_by_organisation.name if self.asked_by_organisation is not None else self.asked_by_name
        )

    @property
    def overdue(self) -> bool:
        """Still open after its due date."""
        return self.status == RequestStatus.OPEN and self.due_on < timezone.localdate()


# A written answer runs to a few pages; a document is a policy or a report, not an archive (ten megabytes).
NARRATIVE_CHARS = 20_000
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class WrittenAnswer(models.Model):
    """What was written for a request (narrative) and any document given with it (a PDF or Word file, kept
    through Django's storage with its SHA-256): frozen into the answer that carries it, and reused with it."""

    request = models.ForeignKey(InformationRequest, on_delete=models.PROTECT, related_name="written_answers")
    narrative = LimitedTextField("written answer", blank=True, max_length=NARRATIVE_CHARS)
    document = models.FileField(upload_to="information/documents/", blank=True, max_length=300)
    document_name = models.CharField(max_length=200, blank=True)
    document_format = models.CharField(max_length=10, blank=True, help_text="pdf or docx")
    document_size = models.PositiveIntegerField(default=0)
    document_sha256 = models.CharField(max_length=64, blank=True)
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"Written answer to {self.request}"


class Answer(FrozenModel):
    """An answer produced once from Wellled's data and frozen: the issued paper (of kind `answer`) holds the
    snapshot, files and checksums; this row says what it answers, so requests asking the same thing can share it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=RequestKind.choices)
    parameters = models.JSONField()
    fingerprint = models.CharField(max_length=64, db_index=True)
    paper = models.OneToOneField(IssuedPaper, on_delete=models.PROTECT, related_name="information_answer")
    produced_for = models.ForeignKey(
        InformationRequest,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The request it was produced for; every other request it answers reused it.",
    )
    produced_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    produced_at = models.DateTimeField()
    written = models.ForeignKey(
        WrittenAnswer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_by",
        help_text="The narrative and document the answer carries, if any.",
    )

    class Meta:
        ordering = ["-produced_at", "-id"]

    def __str__(self) -> str:
        return str(self.paper.title)


class Delivery(AppendOnly, models.Model):
    """An answer given to one request: shared in Wellled with the body that asked, or e-mailed to it. A failed
    e-mail is recorded too (with the reason), and the request stays open."""

    edit_refused = "A delivery is a record of what was sent and is not changed."
    delete_refused = "A delivery is a record of what was sent and is kept."

    request = models.ForeignKey(InformationRequest, on_delete=models.PROTECT, related_name="deliveries")
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="deliveries")
    method = models.CharField(max_length=10, choices=DeliveryMethod.choices)
    shared_with = optional_link(Organisation, related_name="+")
    sent_to = models.EmailField(max_length=254, blank=True)
    succeeded = models.BooleanField(default=True)
    failure = models.CharField(max_length=300, blank=True, help_text="Why the e-mail could not be sent.")
    reused = models.BooleanField(default=False)
    delivered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    delivered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-delivered_at", "-id"]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        recipient = self.shared_with.name if self.shared_with is not None else self.sent_to
        return f"{self.get_method_display()} to {recipient}"
