"""Forms for quality improvement: shape only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from wellled.core.forms import (
    TextForm,
    VersionedTextForm,
    choice_field,
    date_field,
    model_choices,
    record_field,
    records_field,
    text_field,
    workbook_field,
)

from .choices import MeasureRole, PDSADecision, ProjectStatus
from .models import ChangeIdea, Driver, PDSACycle, QIProject


class ProjectForm(VersionedTextForm):
    """Starts a project, or (opened on one, with its version) edits it."""

    title = text_field("Title", limit=(QIProject, "title"), required_message="Enter the project's title")
    aim = text_field(
        "Aim",
        limit=(QIProject, "aim"),
        rows=3,
        help_text="What will improve, by how much, for whom, and by when.",
        required_message="Enter the project's aim",
    )
    aim_measure = record_field(
        "Measure the aim is read from (optional)",
        help_text="Its latest value says whether the aim is met.",
    )
    aim_baseline = forms.FloatField(
        label="Baseline (optional)", required=False, help_text="Where the measure stood at the start."
    )
    aim_goal = forms.FloatField(
        label="Goal (optional)", required=False, help_text="The value the aim is to reach."
    )
    aim_by = date_field("Goal to be reached by (optional)", required=False)
    status = choice_field("Status", ProjectStatus.choices, initial=ProjectStatus.ACTIVE)
    started_on = date_field("Started on", initial=timezone.localdate)
    lead = record_field("Project lead")
    sponsor = record_field("Executive sponsor")
    team = records_field("Team (optional)", ticks=True)

    def __init__(self, *args, people, measures, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead", "sponsor", "team"):
            model_choices(self, name, people)
        model_choices(self, "aim_measure", measures)


class DriverForm(TextForm):
    text = text_field("Driver", limit=(Driver, "text"), required_message="Enter the driver")
    parent = record_field("Under primary driver (leave empty for a new primary driver)")

    def __init__(self, *args, primaries, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "parent", primaries)


class ChangeIdeaForm(TextForm):
    text = text_field("Change idea", limit=(ChangeIdea, "text"), required_message="Enter the change idea")


class MeasureLinkForm(TextForm):
    measure = record_field("Measure", required=True)
    role = choice_field("Kind of measure", MeasureRole.choices, radio=True)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "measure", measures)


class PDSAForm(TextForm):
    title = text_field(
        "Short name of the test",
        limit=(PDSACycle, "title"),
        help_text="Printed on the charts of the project's measures.",
        required_message="Enter a short name for the test",
    )
    change_idea = record_field("Change idea tested (optional)")
    started_on = date_field("Test started on", initial=timezone.localdate)
    plan = text_field(
        "Plan",
        limit=(PDSACycle, "plan"),
        rows=3,
        help_text="What will be tried, where, by whom, and when.",
        required_message="Enter the plan",
    )
    prediction = text_field(
        "Prediction",
        limit=(PDSACycle, "prediction"),
        rows=2,
        help_text="What you expect to happen, and why.",
        required_message="Enter your prediction",
    )

    def __init__(self, *args, ideas, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "change_idea", ideas)


class PDSAProgressForm(VersionedTextForm):
    do = text_field("Do: what happened", limit=(PDSACycle, "do"), rows=3, required=False)
    study = text_field(
        "Study: what the data show against the prediction", limit=(PDSACycle, "study"), rows=3, required=False
    )
    act = choice_field("Act: the decision", PDSADecision.choices, required=False, radio=True)
    act_notes = text_field(
        "What happens next (optional)", limit=(PDSACycle, "act_notes"), rows=2, required=False
    )
    ended_on = date_field("Test ended on (optional)", required=False)


class ProjectsImportForm(TextForm):
    file = workbook_field(
        "QI projects workbook (.xlsx or .csv)",
        help_text="Download the projects, change them in Excel and bring the workbook back.",
    )
