"""The forms of chair's reports, escalation, committee reviews of principal risks and linking risks (ADR 0062)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django import forms

from wellled.core.forms import (
    TextForm,
    VersionedTextForm,
    choice_field,
    date_field,
    model_choices,
    record_field,
    text_field,
)

from ..choices import AssuranceLevel
from ..models import ChairsReport, Escalation, RiskReview
from ..selectors.reports import Candidate

MATRIX = [
    (n, str(n)) for n in range(1, 6)
]  # the NHS 5 x 5 matrix's likelihood and consequence (risks.models.SCALE)


class ChairsReportForm(VersionedTextForm):
    """The chair's three sections (titled as the committee names them) and the alert candidates to add."""

    candidates = forms.MultipleChoiceField(
        label="Add to the first section",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="What Wellled found that the board may need to hear about.",
    )
    alert = text_field("Alert", rows=6, required=False, limit=(ChairsReport, "alert"))
    advise = text_field("Advise", rows=6, required=False, limit=(ChairsReport, "advise"))
    assure = text_field("Assure", rows=6, required=False, limit=(ChairsReport, "assure"))
    confirm = forms.BooleanField(
        label="I confirm this report as the committee's chair (it can then be issued to the board)",
        required=False,
    )

    def __init__(self, *args, titles: dict[str, str], candidates: Sequence[Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = {c.key: c for c in candidates}
        cast(forms.MultipleChoiceField, self.fields["candidates"]).choices = [
            (c.key, f"{c.kind}: {c.text}") for c in candidates
        ]
        self.fields["candidates"].label = f"Add to {titles['alert']}"
        for key, title in titles.items():
            self.fields[key].label = title

    def chosen(self) -> list[Candidate]:
        return [self.offered[k] for k in self.cleaned_data.get("candidates", []) if k in self.offered]


class IssueForm(VersionedTextForm):
    """Issue the confirmed report (only the version it was confirmed at)."""


class EscalationForm(TextForm):
    to_committee = record_field("Refer to", required_message="Choose the committee it is referred to")
    title = text_field(
        "What is referred", limit=(Escalation, "title"), required_message="Enter what is referred"
    )
    reason = text_field(
        "Why", rows=3, limit=(Escalation, "reason"), required_message="Say why the item is referred"
    )

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "to_committee", committees)


class RiskReviewForm(TextForm):
    committee = record_field("Committee", required_message="Choose the committee that reviewed it")
    risk = record_field("Principal risk", required_message="Choose the principal risk reviewed")
    reviewed_on = date_field("Reviewed on", required_message="Enter the date of the review")
    deep_dive = forms.BooleanField(label="A deep dive", required=False)
    assurance = choice_field(
        "Assurance the committee took",
        AssuranceLevel.choices,
        radio=True,
        required_message="Choose the level of assurance the committee took",
    )
    proposed_likelihood = choice_field(
        "Proposed likelihood",
        MATRIX,
        required=False,
        blank="No change proposed",
        coerce=int,
        empty_value=None,
    )
    proposed_consequence = choice_field(
        "Proposed consequence",
        MATRIX,
        required=False,
        blank="No change proposed",
        coerce=int,
        empty_value=None,
    )
    note = text_field("Note", rows=3, required=False, limit=(RiskReview, "note"))

    def __init__(self, *args, committees, risks, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "committee", committees)
        model_choices(self, "risk", risks, lambda r: f"{r.reference}: {r.title[:90]}")


class LinkRisksForm(TextForm):
    """One choice per lead committee text: the committee it means (the match chosen already), or none yet."""

    def __init__(self, *args, proposals, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = list(proposals)
        for n, proposal in enumerate(self.proposals):
            field = record_field(
                f"“{proposal.text}” ({proposal.risks} risk{'' if proposal.risks == 1 else 's'})"
            )
            field.queryset = committees
            field.empty_label = "No match: leave unlinked"
            self.fields[f"text_{n}"] = field
            if proposal.committee is not None:
                self.initial.setdefault(f"text_{n}", proposal.committee.pk)

    def chosen(self) -> dict:
        return {p.text: self.cleaned_data.get(f"text_{n}") for n, p in enumerate(self.proposals)}
