"""The form of a committee's annual effectiveness review (ADR 0063): a rating and a comment for each question of
the framework file."""

from __future__ import annotations

from typing import Any

from wellled.core.forms import VersionedTextForm, choice_field, text_field

from ..selectors.effectiveness import RATINGS
from ..services.effectiveness import COMMENT_CHARS


class EffectivenessForm(VersionedTextForm):
    """One rating and one comment per question, named by the question's code."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = [q.code for q in questions]
        for q in questions:
            self.fields[f"rating_{q.code}"] = choice_field(
                f"{q.code} {q.name}: {q.question}",
                list(RATINGS.items()),
                radio=True,
                required=False,
            )
            self.fields[f"comment_{q.code}"] = text_field(
                f"{q.code} comment", rows=3, required=False, limit=COMMENT_CHARS
            )

    def answers(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            code: {"rating": data.get(f"rating_{code}") or "", "comment": data.get(f"comment_{code}") or ""}
            for code in self.codes
        }
