"""The one exception the scoring engine raises for input it cannot score."""

from __future__ import annotations


class ScoringError(ValueError):
    """Input the engine cannot score; the message names the statement, category or rating at fault."""
