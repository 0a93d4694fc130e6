"""Forms for ward accreditation: shape only; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from wellled.core.forms import TextForm, VersionForm, date_field, model_choices, text_field

from .scheme import Scheme
from .services import EVIDENCE_LIMIT


class AuditStartForm(TextForm):
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Ward or team", queryset=None, empty_label="Choose a ward or team"
    )
    scheme: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Accreditation scheme", queryset=None, empty_label=None
    )
    audited_on = date_field(
        "Date of the audit visit",
        required_message="Enter the date of the audit visit",
        initial=timezone.localdate,
    )

    def __init__(self, *args, wards, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "unit", wards)
        model_choices(self, "scheme", schemes)


class AuditAnswersForm(VersionForm):
    """One radio group (and an evidence box) per standard of the audit's scheme."""

    summary = forms.CharField(
        label="Summary for the ward (optional)", required=False, max_length=4000, widget=forms.Textarea
    )

    def __init__(self, *args, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(option.code, option.label) for option in scheme.answers]
        self.standards = []
        for domain in scheme.domains:
            for standard in domain.standards:
                answer = f"answer_{standard.code}"
                evidence = f"evidence_{standard.code}"
                self.fields[answer] = forms.ChoiceField(
                    label=f"{standard.code}: {standard.text}",
                    choices=choices,
                    required=False,
                    widget=forms.RadioSelect,
                    help_text=("Essential standard. " if standard.essential else "")
                    + (f"Evidence: {standard.evidence}" if standard.evidence else ""),
                )
                self.fields[evidence] = text_field(
                    f"What you saw for {standard.code} (optional)",
                    limit=EVIDENCE_LIMIT,
                    rows=2,
                    required=False,
                )
                self.standards.append((domain, standard, answer, evidence))

    def answers(self) -> dict[str, str]:
        return {s.code: self.cleaned_data.get(a) or "" for _, s, a, _ in self.standards}

    def evidence(self) -> dict[str, str]:
        return {s.code: self.cleaned_data.get(e) or "" for _, s, _, e in self.standards}


class AuditCompleteForm(VersionForm):
    """The button that completes an audit, with the version of the answers it completes."""


class WardsImportForm(TextForm):
    file = forms.FileField(
        label="Wards workbook (.xlsx, or .csv for wards alone)",
        error_messages={"required": "Choose the workbook to import"},
        help_text="Export the wards, change them in Excel and bring the workbook back.",
    )
