"""A framework read as key questions, each with the statements (or KLOEs) scored under it."""

from __future__ import annotations

from dataclasses import dataclass

from wellled.frameworks.models import ElementKind, Framework, FrameworkElement

from ..choices import (
    KEY_QUESTIONS,
)

STATEMENT_KINDS = (ElementKind.QUALITY_STATEMENT, ElementKind.KLOE, ElementKind.ELEMENT)


@dataclass
class KeyQuestionDef:
    """A key question of a framework and the statements (or KLOEs) that make it up."""

    code: str
    name: str
    statements: list[FrameworkElement]


def framework_key_questions(framework: Framework) -> list[KeyQuestionDef]:
    """The framework's key questions with their statements; a framework of KLOEs alone is one well-led question."""
    elements = list(framework.elements.order_by("order"))
    key_questions = [e for e in elements if e.kind == ElementKind.KEY_QUESTION]
    if key_questions:
        return [
            KeyQuestionDef(
                kq.code, kq.name, [e for e in elements if e.parent_id == kq.pk and e.kind in STATEMENT_KINDS]
            )
            for kq in key_questions
        ]
    top = [e for e in elements if e.parent_id is None and e.kind in STATEMENT_KINDS]
    return [KeyQuestionDef("well_led", KEY_QUESTIONS["well_led"], top)] if top else []


def key_question_of(element: FrameworkElement) -> str:
    """The key question code a statement belongs to."""
    if element.parent is not None and element.parent.kind == ElementKind.KEY_QUESTION:
        return element.parent.code
    return "well_led"
