"""The forms of a paper for an agenda item: what it is (upload, Wellled paper, verbal) and its cover sheet."""

from __future__ import annotations

from django import forms

from wellled.core.formatting import long_date
from wellled.core.forms import VersionedTextForm, choice_field, record_field, text_field
from wellled.core.limits import COMMITTEE_COVER_CHARS

from ..choices import PaperSource
from ..models import Paper
from ..selectors.packs import ATTACHABLE_SHOWN

WELLLED_CHOICES = [("baf", "Board assurance framework"), ("ipr", "Integrated performance report")]
FILE_NEEDED = "Choose the PDF or Word file to upload."


class CoverForm(VersionedTextForm):
    """A paper's title and cover sheet; its purpose and risks come from the agenda item."""

    title = text_field(
        "Title", limit=(Paper, "title"), required=False, help_text="Left blank: the item's title."
    )
    summary = text_field("Summary", limit=COMMITTEE_COVER_CHARS, rows=4, required=False)
    considered_before = text_field(
        "Where it was considered before", limit=COMMITTEE_COVER_CHARS, rows=2, required=False
    )
    assurance_sought = text_field("Assurance sought", limit=COMMITTEE_COVER_CHARS, rows=2, required=False)


class PaperForm(CoverForm):
    """A new paper for an agenda item."""

    source = choice_field("The paper is", PaperSource.choices, radio=True, initial=PaperSource.UPLOAD)
    file = forms.FileField(label="PDF or Word file (for an upload)", required=False)
    kind = choice_field(
        "Wellled paper (issued today and frozen)", WELLLED_CHOICES, required=False, blank="None"
    )
    issued = record_field(
        "Or a paper already issued (a plan's delivery paper, the BAF, the IPR)",
        help_text="The most recent issued papers of the trust, newest first.",
    )

    field_order = [
        "source",
        "file",
        "kind",
        "issued",
        "title",
        "summary",
        "considered_before",
        "assurance_sought",
    ]

    def __init__(self, *args, issued, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["issued"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = issued
        field.choices = [
            ("", "None"),
            *((p.pk, f"{p.title} (issued {long_date(p.issued_at)})") for p in issued[:ATTACHABLE_SHOWN]),
        ]

    def clean(self):
        data = super().clean() or {}
        if data.get("source") == PaperSource.UPLOAD and not data.get("file"):
            self.add_error("file", FILE_NEEDED)
        if data.get("source") == PaperSource.WELLLED and not (data.get("kind") or data.get("issued")):
            self.add_error("kind", "Choose which Wellled paper to issue, or one already issued.")
        return data
