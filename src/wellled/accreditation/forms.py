"""Forms for ward accreditation: shape only; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from wellled.core import limits
from wellled.core.forms import TextForm, VersionForm, date_field, model_choices, text_field, workbook_field

from .choices import PanelDecision
from .scheme import SAMPLE_SEPARATOR, Scheme, sample_parse
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
    """One radio group (and an evidence box) per standard of the audit's scheme; a sampled standard asks instead
    how many records met it of how many were checked."""

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
                if standard.sample is not None:
                    self._sample_fields(standard, answer)
                    self.standards.append((domain, standard, answer, evidence))
                    self.fields[evidence] = text_field(
                        f"What you saw for {standard.code} (optional)",
                        limit=EVIDENCE_LIMIT,
                        rows=2,
                        required=False,
                    )
                    continue
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

    def _sample_fields(self, standard, answer: str) -> None:
        """Two whole numbers for a sampled standard, filled from a stored answer such as "8/10"."""
        rule = standard.sample
        stored = sample_parse(str(self.initial.get(answer, "")))
        essential = "Essential standard. " if standard.essential else ""
        self.fields[f"{answer}_met"] = forms.IntegerField(
            label=f"{standard.code}: {standard.text} Records meeting the standard",
            required=False,
            min_value=0,
            initial=stored[0] if stored else None,
            help_text=f"{essential}Sampled standard: {standard.evidence or 'records chosen at random'}.",
        )
        self.fields[f"{answer}_checked"] = forms.IntegerField(
            label=f"{standard.code}: records checked",
            required=False,
            min_value=1,
            initial=stored[1] if stored else rule.records,
            help_text=f"The scheme asks for {rule.records}.",
        )

    def clean(self):
        data = super().clean() or {}
        for _, standard, answer, _ in self.standards:
            met, checked = data.get(f"{answer}_met"), data.get(f"{answer}_checked")
            if standard.sample is not None and met is not None and checked is not None and met > checked:
                self.add_error(
                    f"{answer}_met", f"{standard.code}: no more records can meet it than were checked."
                )
        return data

    def answers(self) -> dict[str, str]:
        answers = {}
        for _, standard, answer, _ in self.standards:
            if standard.sample is None:
                answers[standard.code] = self.cleaned_data.get(answer) or ""
                continue
            met, checked = self.cleaned_data.get(f"{answer}_met"), self.cleaned_data.get(f"{answer}_checked")
            answers[standard.code] = (
                f"{met}{SAMPLE_SEPARATOR}{checked}" if met is not None and checked else ""
            )
        return answers

    def evidence(self) -> dict[str, str]:
        return {s.code: self.cleaned_data.get(e) or "" for _, s, _, e in self.standards}


class AuditCompleteForm(VersionForm):
    """The button that completes an audit, with the version of the answers it completes."""


class AuditDecisionForm(VersionForm):
    """The accreditation panel's decision on a completed audit: award (the proposed level or a lower one), defer
    or decline, the reason and the day the panel met."""

    decision = forms.ChoiceField(
        label="The panel's decision",
        choices=[(code, label) for code, label in PanelDecision.choices if code != PanelDecision.PENDING],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose award, defer or decline"},
    )
    level = forms.ChoiceField(label="Level awarded", required=False, help_text="Only when the panel awards.")
    decision_reason = text_field(
        "The panel's reason",
        limit=limits.WARD_VISIT_SUMMARY_CHARS,
        rows=3,
        required_message="Give the panel's reason for its decision",
    )
    decided_on = date_field(
        "Date of the panel", required_message="Enter the date of the panel", initial=timezone.localdate
    )

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        levels = list(audit.scheme.scheme.levels)
        codes = [level.code for level in levels]
        start = codes.index(audit.level_code) if audit.level_code in codes else len(levels)
        self.fields["level"].choices = [(level.code, level.name) for level in levels[start:]]  # type: ignore[attr-defined]
        self.fields["level"].initial = audit.level_code


class FindingActionForm(TextForm):
    """Raise a ward action from one of the audit's findings, on one of the trust's plans."""

    standard = forms.ChoiceField(label="Finding (a standard not fully met)")
    plan: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Plan the action belongs to", queryset=None, empty_label="Choose a plan"
    )
    title = text_field(
        "The action (optional: the standard's words if left empty)",
        limit=limits.ACTION_TITLE_CHARS,
        rows=2,
        required=False,
    )
    due_date = date_field("Due by (optional)", required=False)

    def __init__(self, *args, findings, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [  # type: ignore[attr-defined]
            (standard.code, f"{standard.code}: {standard.text} ({answer})") for standard, answer in findings
        ]
        model_choices(self, "plan", plans)


class WardsImportForm(TextForm):
    file = workbook_field(
        "Wards workbook (.xlsx, or .csv for wards alone)",
        help_text="Export the wards, change them in Excel and bring the workbook back.",
    )
