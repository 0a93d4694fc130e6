"""The forms of a paper for an agenda item: what it is (upload, Wellled paper, verbal) and its cover sheet."""

from __future__ import annotations

from django import forms

from wellled.core.forms import VersionedTextForm, choice_field, text_field
from wellled.core.limits import COMMITTEE_COVER_CHARS

from ..choices import PaperSource
from ..models import Paper

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
    kind = choice_field("Wellled paper (issued today and frozen)", WELLLED_CHOICES, required=False)

    field_order = ["source", "file", "kind", "title", "summary", "considered_before", "assurance_sought"]

    def clean(self):
        data = super().clean() or {}
        if data.get("source") == PaperSource.UPLOAD and not data.get("file"):
            self.add_error("file", FILE_NEEDED)
        if data.get("source") == PaperSource.WELLLED and not data.get("kind"):
            self.add_error("kind", "Choose which Wellled paper to issue.")
        return data
