"""The base of every form: text comes out free of characters that a Word or Excel paper could not hold."""

from __future__ import annotations

from django import forms

from .text import xml_safe


class TextForm(forms.Form):
    """A form whose cleaned text is safe for every output (see core.text); validation is otherwise unchanged."""

    def full_clean(self) -> None:
        super().full_clean()
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned:
            for name, value in cleaned.items():
                if isinstance(value, str):
                    cleaned[name] = xml_safe(value)
