"""Quality improvement projects: aim, team, driver diagram, the measures they watch and their PDSA cycles."""

from __future__ import annotations

from django.db import models

from wellled.core.fields import optional_link
from wellled.core.formatting import long_date
from wellled.core.limits import LimitedTextField
from wellled.core.models import Organisation, User
from wellled.measures.models import Annotation, Measure
from wellled.plans.models import Action, Finding

from .choices import MeasureRole, PDSADecision, ProjectStatus

TEXT_LIMIT = (
    4000  # characters in an aim or a PDSA step: a paragraph or two, as a project board would write it
)


class QIProject(models.Model):
    """A quality improvement project: what it aims to improve, by how much and by when, and who runs it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="qi_projects")
    title = models.CharField(max_length=200)
    aim = LimitedTextField(
        max_length=TEXT_LIMIT, help_text="What will improve, by how much, for whom, by when."
    )
    aim_measure = optional_link(
        Measure, related_name="qi_aims", help_text="The measure the aim is read from (its latest value)."
    )
    aim_baseline = models.FloatField(null=True, blank=True, help_text="Where the measure stood at the start.")
    aim_goal = models.FloatField(null=True, blank=True, help_text="The value the aim is to reach.")
    aim_by = models.DateField(null=True, blank=True, help_text="The date the goal is to be reached by.")
    lead = optional_link(User, related_name="qi_projects_led")
    sponsor = optional_link(User, related_name="qi_projects_sponsored")
    team = models.ManyToManyField(User, blank=True, related_name="qi_projects")
    status = models.CharField(max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE)
    started_on = models.DateField()
    actions = models.ManyToManyField(Action, blank=True, related_name="qi_projects")
    findings = models.ManyToManyField(Finding, blank=True, related_name="qi_projects")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="improvement_project_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class DiagramEntry(models.Model):
    """A line of the driver diagram, in its place among its siblings."""

    text = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class Driver(DiagramEntry):
    """A primary driver (no parent) or a secondary driver (under a primary one) of the driver diagram."""

    project = models.ForeignKey(QIProject, on_delete=models.CASCADE, related_name="drivers")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )

    @property
    def is_primary(self) -> bool:
        return self.parent_id is None


class ChangeIdea(DiagramEntry):
    """A change to test, hung on the driver it is meant to move."""

    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, related_name="change_ideas")


class ProjectMeasure(models.Model):
    """A Wellled measure the project watches, as its outcome, process or balancing measure."""

    project = models.ForeignKey(QIProject, on_delete=models.CASCADE, related_name="project_measures")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="qi_links")
    role = models.CharField(max_length=10, choices=MeasureRole.choices)

    class Meta:
        ordering = ["role", "measure__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "measure"], name="improvement_measure_once_per_project"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.get_role_display().lower()})"


class PDSACycle(models.Model):
    """One plan-do-study-act cycle testing a change; its start is marked on every chart the project watches."""

    project = models.ForeignKey(QIProject, on_delete=models.CASCADE, related_name="pdsa_cycles")
    change_idea = models.ForeignKey(
        ChangeIdea, on_delete=models.SET_NULL, null=True, blank=True, related_name="pdsa_cycles"
    )
    title = models.CharField(max_length=120, help_text="A short name, printed on the charts.")
    plan = LimitedTextField(max_length=TEXT_LIMIT, help_text="What will be tried, where, by whom, when.")
    prediction = LimitedTextField(max_length=TEXT_LIMIT, help_text="What you expect to happen, and why.")
    do = LimitedTextField(max_length=TEXT_LIMIT, blank=True, help_text="What happened when it was tried.")
    study = LimitedTextField(
        max_length=TEXT_LIMIT, blank=True, help_text="What the data show against the prediction."
    )
    act = models.CharField(
        max_length=10, choices=PDSADecision.choices, blank=True, default=PDSADecision.UNDECIDED
    )
    act_notes = LimitedTextField(max_length=TEXT_LIMIT, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    annotations = models.ManyToManyField(Annotation, blank=True, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"PDSA “{self.title}” from {long_date(self.started_on)}"
