"""Our own drawings of the variation and assurance icons, as standalone SVG snippets.

They follow the MDC conventions (a ring in the icon's colour; H or L for high or low special
cause; P, F or ? for assurance) so anyone who knows MDC recognises them, but are drawn here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from .constants import COLOUR_COMMON_CAUSE, COLOUR_CONCERN, COLOUR_IMPROVEMENT, COLOUR_NEUTRAL
from .types import Assurance, Variation

VARIATION_TEXT = {
    Variation.COMMON_CAUSE: "Common cause variation",
    Variation.IMPROVEMENT_HIGH: "Special cause variation: improvement (high values)",
    Variation.IMPROVEMENT_LOW: "Special cause variation: improvement (low values)",
    Variation.CONCERN_HIGH: "Special cause variation: concern (high values)",
    Variation.CONCERN_LOW: "Special cause variation: concern (low values)",
    Variation.NEUTRAL_HIGH: "Special cause variation: neither improvement nor concern (high values)",
    Variation.NEUTRAL_LOW: "Special cause variation: neither improvement nor concern (low values)",
    Variation.TOO_FEW_POINTS: "Too few points for process limits",
}
ASSURANCE_TEXT = {
    Assurance.PASS: "Assurance: the process will consistently meet the target",
    Assurance.FAIL: "Assurance: the process will consistently miss the target",
    Assurance.HIT_OR_MISS: "Assurance: the process will hit and miss the target at random",
}
_NO_ASSURANCE_TEXT = "Assurance: no target"
# Short forms for table cells (board papers, spreadsheets), where the icon sits beside them.
VARIATION_SHORT = {
    Variation.COMMON_CAUSE: "Common cause",
    Variation.IMPROVEMENT_HIGH: "Improvement (high)",
    Variation.IMPROVEMENT_LOW: "Improvement (low)",
    Variation.CONCERN_HIGH: "Concern (high)",
    Variation.CONCERN_LOW: "Concern (low)",
    Variation.NEUTRAL_HIGH: "Special cause (high)",
    Variation.NEUTRAL_LOW: "Special cause (low)",
    Variation.TOO_FEW_POINTS: "Too few points",
}
ASSURANCE_SHORT = {
    Assurance.PASS: "Consistently passing",
    Assurance.FAIL: "Consistently failing",
    Assurance.HIT_OR_MISS: "Hit and miss",
}
NO_ASSURANCE_SHORT = "No target"


def too_few_text(n_points: int) -> str:
    """The words for a series too short for limits (Making Data Count: no limits from a short baseline)."""
    return f"{n_points} point{'' if n_points == 1 else 's'}: too few for process limits"


def variation_colour(variation: Variation) -> str:
    """The MDC colour of a variation icon."""
    if variation in (Variation.COMMON_CAUSE, Variation.TOO_FEW_POINTS):
        return COLOUR_COMMON_CAUSE
    if variation.value.startswith("improvement"):
        return COLOUR_IMPROVEMENT
    if variation.value.startswith("concern"):
        return COLOUR_CONCERN
    return COLOUR_NEUTRAL


def assurance_colour(assurance: Assurance | None) -> str:
    """The MDC colour of an assurance icon."""
    return {Assurance.PASS: COLOUR_IMPROVEMENT, Assurance.FAIL: COLOUR_CONCERN}.get(
        assurance,  # type: ignore[arg-type]
        COLOUR_COMMON_CAUSE,
    )


def _frame(body: str, label: str, size: float, x: float | None, y: float | None) -> str:
    pos = "" if x is None else f' x="{x:g}" y="{y:g}"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{pos} width="{size:g}" height="{size:g}" '
        f'viewBox="0 0 100 100" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def _dots(ys: Sequence[float], colours: Sequence[str]) -> str:
    xs = [22 + i * 9.3 for i in range(len(ys))]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    out = [f'<polyline points="{line}" fill="none" stroke="#768692" stroke-width="2"/>']
    out += [
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.2" fill="{c}"/>'
        for x, y, c in zip(xs, ys, colours, strict=True)
    ]
    return "".join(out)


def variation_icon_svg(
    variation: Variation | str, size: float = 48, *, x: float | None = None, y: float | None = None
) -> str:
    """A variation icon: ring in the MDC colour, a little run of dots, and H or L for special cause."""
    variation = Variation(variation)
    colour = variation_colour(variation)
    grey = COLOUR_COMMON_CAUSE
    body = [f'<circle cx="50" cy="50" r="45" fill="#ffffff" stroke="{colour}" stroke-width="7"/>']
    if variation is Variation.COMMON_CAUSE:
        body.append(_dots([60, 52, 64, 55, 62, 53, 60], [grey] * 7))
    elif variation is Variation.TOO_FEW_POINTS:  # a dashed ring and three dots: no limits, no verdict
        body[0] = body[0].replace('stroke-width="7"', 'stroke-width="7" stroke-dasharray="10 8"')
        body.append(_dots([58, 50, 56], [grey] * 3))
    else:
        high = variation.value.endswith("high")
        ys = [66, 70, 64, 58, 52, 46, 40] if high else [40, 36, 42, 48, 54, 60, 66]
        body.append(_dots(ys, [grey] * 3 + [colour] * 4))
        letter = "H" if high else "L"
        body.append(
            f'<text x="{36 if high else 64}" y="42" font-family="Arial, Helvetica, sans-serif" font-size="24" '
            f'font-weight="bold" fill="{colour}" text-anchor="middle">{letter}</text>'
        )
    return _frame("".join(body), VARIATION_TEXT[variation], size, x, y)


def assurance_icon_svg(
    assurance: Assurance | str | None, size: float = 48, *, x: float | None = None, y: float | None = None
) -> str:
    """An assurance icon: ring in the MDC colour, a dashed target line and P, F or ?."""
    a = None if assurance is None else Assurance(assurance)
    colour = assurance_colour(a)
    letter = {Assurance.PASS: "P", Assurance.FAIL: "F", Assurance.HIT_OR_MISS: "?"}.get(a, "")  # type: ignore[arg-type]
    body = [
        f'<circle cx="50" cy="50" r="45" fill="#ffffff" stroke="{colour}" stroke-width="7"/>',
        f'<line x1="20" y1="70" x2="80" y2="70" stroke="{colour}" stroke-width="4" stroke-dasharray="7 5"/>',
    ]
    if letter:
        body.append(
            f'<text x="50" y="58" font-family="Arial, Helvetica, sans-serif" font-size="44" font-weight="bold" '
            f'fill="{colour}" text-anchor="middle">{letter}</text>'
        )
    return _frame("".join(body), ASSURANCE_TEXT.get(a, _NO_ASSURANCE_TEXT), size, x, y)  # type: ignore[arg-type]
