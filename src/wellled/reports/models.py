"""Issued board papers (frozen: never changed once stored), their files, and the jobs that issue them."""

from __future__ import annotations

import hashlib

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from wellled.core import limits
from wellled.core.fields import optional_link
from wellled.core.formatting import long_date
from wellled.core.limits import LimitedTextField
from wellled.core.models import AppendOnly, Organisation, User
from wellled.plans.models import Plan, ReportingCycle

FROZEN_MESSAGE = "An issued board paper cannot be changed or deleted."


class PaperKind(models.TextChoices):
    """Which paper an issued paper (or a job) is: a plan's board paper, or a paper of the whole organisation rather
    than a plan: the board assurance framework (risks app, ADR 0030), an answer to an information request
    (information app, ADR 0041) or the integrated performance report (ADR 0036)."""

    BOARD = "board", "Board paper"
    BAF = "baf", "Board assurance framework"
    ANSWER = "answer", "Answer to an information request"  # information app, ADR 0041
    IPR = "ipr", "Integrated performance report"


class FrozenQuerySet(models.QuerySet):
    """Issued papers and their files can be added and read, never changed or removed in bulk."""

    def update(self, **kwargs):
        raise PermissionError(FROZEN_MESSAGE)

    def delete(self):
        raise PermissionError(FROZEN_MESSAGE)


class FrozenModel(models.Model):
    """A row written once: save() refuses an existing row and delete() always refuses (as AuditLog does)."""

    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise PermissionError(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(FROZEN_MESSAGE)


class IssuedPaper(FrozenModel):
    """A board paper as issued to the board: the JSON snapshot of everything it said, with its checksum."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=PaperKind.choices, default=PaperKind.BOARD)
    plan = optional_link(
        Plan,
        related_name="issued_papers",
        help_text="The plan of a board paper; empty for a paper of the whole organisation (the BAF).",
    )
    cycle = optional_link(ReportingCycle, related_name="+")
    as_at = models.DateField("position as at")
    title = models.CharField(max_length=300)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    data = models.JSONField(encoder=DjangoJSONEncoder, help_text="The BoardPaper (reports.snapshot).")
    data_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON of data.")
    # The front-page figures, kept beside the snapshot so the list of papers need not read every snapshot.
    total = models.PositiveIntegerField()
    counts = models.JSONField(encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-as_at", "-issued_at", "-id"]
        indexes = [models.Index(fields=["plan", "as_at"])]

    def __str__(self) -> str:
        return f"{self.title}, position as at {long_date(self.as_at)}"

    @property
    def withdrawn(self):
        """The paper's withdrawal (reason, who, when), or None while it stands (ADR 0034)."""
        try:
            return self.withdrawal
        except models.ObjectDoesNotExist:
            return None

    @property
    def data_intact(self) -> bool:
        """True if the snapshot still matches the checksum taken when it was issued."""
        from .snapshot import checksum

        return checksum(self.data) == self.data_sha256


class IssuedPaperFile(FrozenModel):
    """One format of an issued paper, byte for byte as issued, with its size and SHA-256 (ADR 0009)."""

    paper = models.ForeignKey(IssuedPaper, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=10)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["paper", "id"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "format"], name="reports_file_one_per_format")
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def intact(self) -> bool:
        """True if the stored bytes still have the size and checksum they were issued with."""
        content = bytes(self.content)
        return len(content) == self.size and hashlib.sha256(content).hexdigest() == self.sha256


class PaperWithdrawal(AppendOnly, models.Model):
    """An issued paper withdrawn, with the reason: the paper is kept as issued, marked withdrawn, and left out of
    "latest" and of comparisons (ADR 0034). Never changed or removed."""

    paper = models.OneToOneField(IssuedPaper, on_delete=models.PROTECT, related_name="withdrawal")
    reason = LimitedTextField(
        max_length=limits.WITHDRAWAL_REASON_CHARS,
    )
    withdrawn_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Withdrawal of {self.paper}"

    edit_refused = "A withdrawal cannot be changed; the paper stays withdrawn."
    delete_refused = "A withdrawal cannot be undone; issue the paper again instead."


class JobState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "In progress"
    DONE = "done", "Finished"
    FAILED = "failed"


class PaperJob(models.Model):
    """Issuing one paper in the background: what it is for, who asked, and how far it has got."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=PaperKind.choices, default=PaperKind.BOARD)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="paper_jobs")
    cycle = models.ForeignKey(
        ReportingCycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    as_at = models.DateField("position as at")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    step = models.CharField(max_length=120, blank=True, help_text='e.g. "Rendering Word (3 of 7)".')
    step_number = models.PositiveSmallIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)
    error = LimitedTextField(max_length=limits.JOB_ERROR_CHARS, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Written every few seconds while the job runs: a stale one means the worker died.",
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(
        max_length=64, blank=True, help_text="The background task's id, if it has one."
    )
    paper = models.OneToOneField(
        IssuedPaper, on_delete=models.PROTECT, null=True, blank=True, related_name="job"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Issuing {self.plan or self.get_kind_display()} as at {long_date(self.as_at)}: {self.get_state_display().lower()}"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def progress_token(self) -> str:
        """Changes whenever what the progress page shows changes (the page asks again only for a new token)."""
        return f"{self.state}-{self.step_number}-{self.percent}"
