"""The longest text each field takes, whoever supplies it (a form, an import, the API): one table, read by the
models (so every service's `full_clean()` enforces it), by the forms (which take their `max_length` from the
model) and by the imports (which check each cell against it and name the row and column). See docs/limits.md.

One-line fields are `CharField`s whose `max_length` is the limit. Longer text is a `LimitedTextField`: a
`TextField` that validates its length like a `CharField` does, without a fixed-width column in the database.
"""

from __future__ import annotations

from typing import Any

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

# Excel's largest cell (Microsoft, "Excel specifications and limits": 32,767 characters). No workbook Excel saved
# holds a longer cell, so a longer one is refused while the file is read, before it becomes data.
SPREADSHEET_CELL_CHARS = 32_767

# Paragraph-length text. A board paper shows each in full, so each must fit a few pages of A4 (ADR 0021).
PLAN_DESCRIPTION_CHARS = 4_000
SECTION_PURPOSE_CHARS = 2_000  # a workstream's purpose, printed under its heading in every paper
WITHDRAWAL_REASON_CHARS = 2_000  # why an issued paper was withdrawn
ACTION_TITLE_CHARS = 2_000
SUCCESS_MEASURE_CHARS = 2_000
ASSURANCE_EVIDENCE_CHARS = 4_000
FINDING_TEXT_CHARS = 4_000
PROGRESS_NARRATIVE_CHARS = 6_000
MEASURE_DEFINITION_CHARS = 4_000
MEASURE_COMMENTARY_CHARS = 2_000  # each of what the chart shows, why, what next (performance report)
QI_TEXT_CHARS = 4_000  # a QI project's aim, a PDSA cycle's plan, prediction, do, study and act
WARD_VISIT_SUMMARY_CHARS = 4_000
RISK_DESCRIPTION_CHARS = 4_000  # a risk's cause, event, effect and its gaps in control and in assurance
RISK_STATUS_REASON_CHARS = 2_000  # why a risk is tolerated or closed
RISK_CONTROL_CHARS = 2_000  # a control, or the source of an assurance on it (one row of the BAF each)
RISK_REVIEW_CHARS = 6_000  # what a risk review found, as long as a progress update's narrative
OVERSIGHT_NOTE_CHARS = 4_000  # a note on a trust's oversight status, or an oversight body's note on a trust
EXIT_CRITERION_CHARS = 4_000  # what an exit criterion asks of the trust
EXIT_JUDGEMENT_CHARS = 4_000  # the reasons for a judgement of an exit criterion
IMPROVEMENT_BOARD_ATTENDEES_CHARS = 2_000  # who came to an improvement board meeting
IMPROVEMENT_BOARD_MINUTES_CHARS = (
    10_000  # an improvement board meeting's notes or minutes, or an agenda item's
)
INFORMATION_REQUEST_CHARS = 4_000  # what a body asked for, in its own words (information requests)
ASSESSMENT_SUMMARY_CHARS = 10_000
STATEMENT_NARRATIVE_CHARS = 10_000
REVIEW_COMMENT_CHARS = 4_000
SPEAK_UP_TEXT_CHARS = (
    6_000  # a speak-up concern, a journal entry, an outcome or learning, before it is sealed
)
SPEAK_UP_BOARD_TEXT_CHARS = 4_000  # the guardian's themes, learning or actions written for the board report
FRAMEWORK_DESCRIPTION_CHARS = 10_000
# Committees (issue 22): a committee's terms of reference, agenda items, cover sheets, minutes and decisions.
COMMITTEE_TERMS_CHARS = 10_000  # one part of the terms of reference: purpose, duties, membership, reporting
COMMITTEE_COVER_CHARS = (
    4_000  # one part of a paper's cover sheet: summary, where considered, assurance sought
)
COMMITTEE_MINUTE_CHARS = 10_000  # the minute of one agenda item
COMMITTEE_DECISION_CHARS = 2_000  # a decision, an escalation's reason, a deferral's reason, a declaration
COMMITTEE_REPORT_CHARS = 6_000  # one section of a chair's report (alert, advise or assure)
# Written by Wellled itself, not by a person, but bounded all the same.
JOB_ERROR_CHARS = 4_000
ENCRYPTED_SECRET_CHARS = 2_000  # a client secret of at most 500 characters, sealed (core.secrets)
RATING_WORKING_CHARS = 20_000

TOO_LONG = "This can be at most %(limit_value)s characters long; it has %(show_value)s. Shorten it."


@deconstructible
class TextLimitValidator(validators.MaxLengthValidator):
    """MaxLengthValidator with figures written with thousands separators, as people read them."""

    message = TOO_LONG

    def __call__(self, value):
        length, limit = self.clean(value), self.limit_value
        if self.compare(length, limit):
            params = {"limit_value": f"{limit:,}", "show_value": f"{length:,}", "value": ""}
            raise ValidationError(self.message, code=self.code, params=params)


class LimitedTextField(models.TextField):
    """A TextField with a required `max_length` that is validated (a plain TextField only hints it to forms)."""

    def __init__(self, *args: Any, max_length: int, **kwargs: Any):
        kwargs["max_length"] = max_length
        super().__init__(*args, **kwargs)

    @cached_property
    def validators(self):
        return [*super().validators, TextLimitValidator(self.max_length)]


def limit_of(model: type[models.Model], name: str) -> int:
    """The most characters the model's field takes: forms and imports ask here rather than repeat the figure."""
    limit = getattr(model._meta.get_field(name), "max_length", None)
    if not limit:
        raise LookupError(f"{model.__name__}.{name} has no length limit")
    return int(limit)


def too_long(text: str, limit: int) -> str | None:
    """The message for text over a limit (for imports, which name the row and column before it), else None."""
    if len(text) <= limit:
        return None
    return f"This is {len(text):,} characters long, more than the {limit:,} allowed. Shorten it."


def fields_clean(instance: models.Model, names: list[str]) -> None:
    """Validate only these fields (their limits, choices, validators): for a write that changes nothing else."""
    instance.clean_fields(exclude=[f.name for f in instance._meta.fields if f.name not in names])


def text_fields(
    app_labels: tuple[str, ...] = (
        "core",
        "frameworks",
        "plans",
        "measures",
        "assessments",
        "reports",
        "accreditation",
        "improvement",
        "risks",
        "oversight",
        "information",
    ),
):
    """(model, field) for every text field of our apps, for the documented table and the check of stored data."""
    from django.apps import apps

    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.CharField | models.TextField) and field.concrete:
                    yield model, field
