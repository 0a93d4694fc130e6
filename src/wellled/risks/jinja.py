"""Template helpers for risks, registered in wellled.jinja2: a risk score as a tag (number, band in words and
colour, so colour is never the only signal)."""

from __future__ import annotations

from markupsafe import Markup

from .convention import convention


def risk_score_tag(
    score: int | None, likelihood: int | None = None, consequence: int | None = None
) -> Markup:
    """'20 Extreme' on the band's colour, with 'likelihood 4 × consequence 5' when the parts are given."""
    if not score:
        return Markup('<span class="wl-risk-score wl-risk-score--none">—</span>')
    band = convention().band(score)
    parts = f" ({likelihood} × {consequence})" if likelihood and consequence else ""
    return Markup(
        '<span class="wl-risk-score" style="background:{bg};color:{fg}"><strong>{score}</strong> {label}{parts}</span>'
    ).format(bg=band.colour, fg=band.text_colour, score=score, label=band.label, parts=parts)


def risk_globals() -> dict:
    return {"risk_score_tag": risk_score_tag}
