"""Frameworks as data: the well-led KLOEs, CQC's quality statements, or a trust's own framework."""

from django.db import models

from wellled.core import limits
from wellled.core.limits import LimitedTextField
from wellled.core.models import Organisation, shipped_or_own_unique


class ElementKind(models.TextChoices):
    KEY_QUESTION = "key_question", "Key question"
    QUALITY_STATEMENT = "quality_statement", "Quality statement"
    KLOE = "kloe", "Key line of enquiry"
    ELEMENT = "element"


class Framework(models.Model):
    """A versioned framework; shipped ones belong to no organisation, a trust's own to that trust."""

    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=40)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="frameworks"
    )
    rating_scale = models.JSONField(default=list, blank=True)
    evidence_categories = models.JSONField(default=list, blank=True)
    description = LimitedTextField(max_length=limits.FRAMEWORK_DESCRIPTION_CHARS, blank=True)
    source_checksum = models.CharField(max_length=64, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "version"]
        constraints = shipped_or_own_unique("fw")

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class FrameworkElement(models.Model):
    """A key question, quality statement or KLOE, with our own short description."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="elements")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(max_length=20, choices=ElementKind.choices)
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    question = models.CharField(max_length=400, blank=True)
    description = LimitedTextField(max_length=limits.FRAMEWORK_DESCRIPTION_CHARS, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="fw_element_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"
