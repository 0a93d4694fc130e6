"""Charts as hand-written SVG (fast, small, print-friendly) and PNG (through cairosvg, imported lazily).

Every piece of user text (titles, series names, annotations) is escaped. Each chart carries an
accessible name and description (role="img", <title>, <desc>, aria-labelledby) built from
`text_summary`, so screen readers and PDF tagging get the same facts as the picture.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter
from html import escape

import numpy as np

from .constants import (
    COLOUR_COMMON_CAUSE,
    COLOUR_CONCERN,
    COLOUR_IMPROVEMENT,
    COLOUR_LINE,
    COLOUR_NEUTRAL,
    COLOUR_TARGET,
    COLOUR_TEXT,
)
from .icons import ASSURANCE_TEXT, VARIATION_TEXT, assurance_icon_svg, too_few_text, variation_icon_svg
from .results import SPCResult
from .types import ChartType, Direction

POINT_COLOURS = (COLOUR_COMMON_CAUSE, COLOUR_IMPROVEMENT, COLOUR_CONCERN, COLOUR_NEUTRAL, COLOUR_NEUTRAL)
FONT = "Arial, Helvetica, sans-serif"
CHART_NAMES = {
    ChartType.XMR: "XmR chart",
    ChartType.RUN: "Run chart",
    ChartType.P: "p chart",
    ChartType.U: "u chart",
    ChartType.C: "c chart",
}
RULE_TEXT = {1: "outside the limits", 2: "in a trend", 3: "two of three near a limit", 4: "in a shift"}


def fmt_number(v: float) -> str:
    """A number with sensible precision for labels (thousands separated)."""
    if v is None or not math.isfinite(v):
        return "n/a"
    a = abs(v)
    digits = 0 if a >= 100 else 1 if a >= 10 else 2 if a >= 1 else 3
    text = f"{v:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _dates_to_py(dates: np.ndarray) -> list[dt.date]:
    return [d.astype("datetime64[D]").astype(dt.date) for d in dates]


def fmt_date(d: dt.date, monthly: bool | str) -> str:
    """A date as its series writes it: "Apr 2021" for monthly data, "2024" for calendar years (the 2024 staff
    survey), "2024/25" for financial years, else "5 Apr 2021"."""
    if monthly == YEARLY:
        return str(d.year)
    if monthly == FINANCIAL_YEARLY:
        return f"{d.year}/{(d.year + 1) % 100:02d}"
    return d.strftime("%b %Y") if monthly else f"{d.day} {d.strftime('%b %Y')}"


# How a series of yearly figures is dated: each 1 January (calendar years) or each 1 April (financial years).
YEARLY = "yearly"
FINANCIAL_YEARLY = "financial_yearly"


def _is_monthly(days: list[dt.date]) -> bool | str:
    """True for periods dated on their first day; YEARLY or FINANCIAL_YEARLY for one figure a year."""
    if len(days) < 2 or not all(d.day == 1 for d in days):
        return False
    one_a_year = len({d.year for d in days}) == len(days)
    if one_a_year and all(d.month == 1 for d in days):
        return YEARLY
    if one_a_year and all(d.month == 4 for d in days):
        return FINANCIAL_YEARLY
    return True


def text_summary(result: SPCResult, *, title: str | None = None) -> str:
    """A plain-text description of the chart: the accessible alternative to the picture."""
    days = _dates_to_py(result.dates)
    monthly = _is_monthly(days)
    n = len(result)
    parts = []
    name = title if title is not None else (str(result.series) if result.series is not None else None)
    head = f"{CHART_NAMES[result.options.chart]} of {n} point{'s' if n != 1 else ''}"
    if n:
        head += f" from {fmt_date(days[0], monthly)} to {fmt_date(days[-1], monthly)}"
    if len(result.groups) > 1:
        head += f", in {len(result.groups)} groups (the limits were recalculated)"
    parts.append(f"{name}: {head}." if name else f"{head}.")
    finite = np.flatnonzero(~np.isnan(result.values))
    if finite.size:
        i = int(finite[-1])
        on = "for" if monthly in (YEARLY, FINANCIAL_YEARLY) else "on"
        parts.append(f"Latest value {fmt_number(float(result.values[i]))} {on} {fmt_date(days[i], monthly)}.")
    g = result.groups[-1] if result.groups else None
    if g is not None:
        centre = "Median" if result.options.chart is ChartType.RUN else "Mean"
        line = f"{centre} {fmt_number(g.mean)}"
        if result.options.chart in (ChartType.P, ChartType.U):
            line += (
                f"; limits vary with the denominator (latest {fmt_number(float(result.lower_limit[-1]))} to "
            )
            line += f"{fmt_number(float(result.upper_limit[-1]))})"
        elif math.isfinite(g.lower_limit):
            line += f"; process limits {fmt_number(g.lower_limit)} to {fmt_number(g.upper_limit)}"
        parts.append(line + ".")
    d = result.options.improvement_direction
    parts.append(
        "Higher is better."
        if d is Direction.INCREASE
        else "Lower is better."
        if d is Direction.DECREASE
        else ""
    )
    if result.too_few_points:
        parts.append(too_few_text(result.n_points).capitalize() + ", so it is read as a run chart.")
    else:
        parts.append(VARIATION_TEXT[result.variation] + " at the latest point.")
    counts = Counter(int(c) for c in result.rule_code.tolist() if c)
    if counts:
        flagged = sum(counts.values())
        detail = ", ".join(f"{k} {RULE_TEXT[r]}" for r, k in sorted(counts.items()))
        parts.append(f"{flagged} point{'s' if flagged != 1 else ''} show special cause ({detail}).")
    else:
        parts.append("No point shows special cause.")
    if result.target is not None:
        parts.append(f"Target {fmt_number(result.target)}.")
        if result.assurance is not None:
            parts.append(ASSURANCE_TEXT[result.assurance] + ".")
    for a in result.annotations:
        day = a.date.astype("datetime64[D]").astype(dt.date)
        parts.append(f"Note on {fmt_date(day, monthly)}: {a.text}.")
    return " ".join(p for p in parts if p)


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(ticks, 1)
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def render_svg(
    result: SPCResult,
    *,
    title: str | None = None,
    width: int = 720,
    height: int = 380,
    icons: bool = True,
    legend: bool = True,
    id_prefix: str | None = None,
    y_label: str | None = None,
) -> str:
    """The chart as an SVG document (a string), with icons, target, annotations and text alternative."""
    title_text = (
        title if title is not None else (str(result.series) if result.series is not None else "SPC chart")
    )
    summary = text_summary(result, title=title_text)
    uid = id_prefix or "spc-" + hashlib.blake2s(summary.encode(), digest_size=5).hexdigest()
    left, right, top, bottom = 64, 18, 62, 54 if legend else 36
    x0, x1, y0, y1 = left, width - right, top, height - bottom
    n = len(result)
    t = (result.dates - result.dates[0]).astype("timedelta64[s]").astype(np.float64) if n else np.zeros(0)
    span_t = float(t[-1]) if n and t[-1] > 0 else 1.0
    pad = 0.03 * span_t if n > 1 else 0.5
    xs = x0 + (t + pad) / (span_t + 2 * pad) * (x1 - x0) if n > 1 else np.full(n, (x0 + x1) / 2)

    vals = result.values
    series_for_range = [vals, result.mean, result.lower_limit, result.upper_limit]
    finite = np.concatenate([a[np.isfinite(a)] for a in series_for_range])
    if result.target is not None:
        finite = np.append(finite, result.target)
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if hi - lo <= 0:
        lo, hi = lo - 1, hi + 1
    step = _nice_step(hi - lo)
    lo_t, hi_t = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if hi_t - lo_t <= 0:
        hi_t = lo_t + step

    def ys(v: np.ndarray | float) -> np.ndarray:
        return np.asarray(y1 - (np.asarray(v) - lo_t) / (hi_t - lo_t) * (y1 - y0))

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{uid}-title {uid}-desc" font-family="{FONT}">',
        f'<title id="{uid}-title">{escape(title_text)}</title>',
        f'<desc id="{uid}-desc">{escape(summary)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    # Grid and y axis labels.
    k = 0
    v = lo_t
    while v <= hi_t + step / 2 and k < 40:
        yy = float(ys(v))
        out.append(
            f'<line x1="{x0}" y1="{yy:.1f}" x2="{x1}" y2="{yy:.1f}" stroke="#e8edee" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{x0 - 6}" y="{yy + 4:.1f}" font-size="11" fill="{COLOUR_TEXT}" text-anchor="end">'
            f"{escape(fmt_number(v))}</text>"
        )
        v += step
        k += 1
    out.append(f'<line x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}" stroke="{COLOUR_LINE}" stroke-width="1"/>')
    if y_label:
        out.append(
            f'<text transform="translate(14 {(y0 + y1) / 2:.0f}) rotate(-90)" font-size="11" fill="{COLOUR_TEXT}" '
            f'text-anchor="middle">{escape(y_label)}</text>'
        )
    # x axis labels.
    days = _dates_to_py(result.dates)
    monthly = _is_monthly(days)
    if n:
        n_ticks = min(n, max(2, (x1 - x0) // 90))
        idx = sorted({round(i * (n - 1) / max(n_ticks - 1, 1)) for i in range(n_ticks)})
        for i in idx:
            out.append(
                f'<text x="{xs[i]:.1f}" y="{y1 + 16}" font-size="11" fill="{COLOUR_TEXT}" text-anchor="middle">'
                f"{escape(fmt_date(days[i], monthly))}</text>"
            )
    # Centre line, limits and two-sigma lines, stepped at rebases (per-point for p and u charts).
    bounds = np.flatnonzero(np.diff(result.group) != 0) + 1 if n else np.zeros(0, int)
    seg_edges = [0, *bounds.tolist(), n]
    for a, b in zip(seg_edges[:-1], seg_edges[1:], strict=True):
        for arr, style in (
            (result.upper_limit, f'stroke="{COLOUR_LINE}" stroke-width="1.4" stroke-dasharray="6 4"'),
            (result.lower_limit, f'stroke="{COLOUR_LINE}" stroke-width="1.4" stroke-dasharray="6 4"'),
            (result.mean, f'stroke="{COLOUR_TEXT}" stroke-width="1.6"'),
        ):
            path = _step_path(xs[a:b], ys(arr[a:b]), arr[a:b])
            if path:
                out.append(f'<path d="{path}" fill="none" {style}/>')
    if result.target is not None:
        ty = float(ys(result.target))
        out.append(
            f'<line x1="{x0}" y1="{ty:.1f}" x2="{x1}" y2="{ty:.1f}" stroke="{COLOUR_TARGET}" stroke-width="1.6" '
            f'stroke-dasharray="2 3"/>'
        )
        out.append(
            f'<text x="{x1 - 2}" y="{ty - 4:.1f}" font-size="10" fill="{COLOUR_TARGET}" text-anchor="end">'
            f"Target {escape(fmt_number(result.target))}</text>"
        )
    # Annotations: dashed vertical line and a label.
    if n:
        t_first = result.dates[0]
        for j, note in enumerate(result.annotations):
            secs = float((note.date - t_first) / np.timedelta64(1, "s"))
            if not -pad <= secs <= span_t + pad:
                continue
            ax = x0 + (secs + pad) / (span_t + 2 * pad) * (x1 - x0) if n > 1 else (x0 + x1) / 2
            ly = y0 + 11 + (j % 3) * 12
            anchor = "end" if ax > (x0 + x1) / 2 else "start"
            dx = -3 if anchor == "end" else 3
            out.append(
                f'<line x1="{ax:.1f}" y1="{y0}" x2="{ax:.1f}" y2="{y1}" stroke="{COLOUR_LINE}" '
                f'stroke-width="1" stroke-dasharray="3 3"/>'
            )
            tw = 5.6 * len(note.text) + 4
            rx = ax + dx - tw + 2 if anchor == "end" else ax + dx - 2
            out.append(
                f'<rect x="{rx:.1f}" y="{ly - 9}" width="{tw:.1f}" height="12" fill="#ffffff" opacity="0.85"/>'
            )
            out.append(
                f'<text x="{ax + dx:.1f}" y="{ly}" font-size="10" fill="{COLOUR_LINE}" text-anchor="{anchor}">'
                f"{escape(note.text)}</text>"
            )
    # Data line (broken at missing values) and points coloured by type.
    ok = ~np.isnan(vals)
    yv = ys(np.where(ok, vals, 0.0))
    run: list[str] = []
    lines: list[str] = []
    for i in range(n):
        if ok[i]:
            run.append(f"{xs[i]:.1f},{yv[i]:.1f}")
        elif run:
            lines.append(" ".join(run))
            run = []
    if run:
        lines.append(" ".join(run))
    for pts in lines:
        out.append(f'<polyline points="{pts}" fill="none" stroke="#768692" stroke-width="1.2"/>')
    r = 3.6 if n <= 120 else 2.4 if n <= 400 else 1.4
    codes = result.point_type_code.tolist()
    out.extend(
        f'<circle cx="{xs[i]:.1f}" cy="{yv[i]:.1f}" r="{r}" fill="{POINT_COLOURS[codes[i]]}"/>'
        for i in range(n)
        if ok[i]
    )
    # Title, icons and legend.
    sub = f"{CHART_NAMES[result.options.chart]} · {n} points"
    out.append(
        f'<text x="{x0 - 50}" y="24" font-size="16" font-weight="bold" fill="{COLOUR_TEXT}">{escape(title_text)}</text>'
    )
    out.append(f'<text x="{x0 - 50}" y="42" font-size="11" fill="#4c6272">{escape(sub)}</text>')
    if icons:
        size = 44
        out.append(variation_icon_svg(result.variation, size, x=width - right - 2 * size - 6, y=6))
        if result.target is not None and result.assurance is not None:
            out.append(assurance_icon_svg(result.assurance, size, x=width - right - size, y=6))
    if legend:
        out.append(_legend(x0 - 50, height - 14, result.target is not None, result.too_few_points))
    out.append("</svg>")
    return "".join(out)


def _step_path(xs: np.ndarray, ys: np.ndarray, raw: np.ndarray) -> str:
    """A path along one group's line: straight if constant, stepping between points otherwise."""
    ok = np.isfinite(raw)
    if not ok.any():
        return ""
    xs, yv, raw = xs[ok], np.asarray(ys)[ok], raw[ok]
    if len(xs) == 1:
        return f"M{xs[0] - 6:.1f},{yv[0]:.1f}H{xs[0] + 6:.1f}"
    if np.all(raw == raw[0]):
        return f"M{xs[0]:.1f},{yv[0]:.1f}H{xs[-1]:.1f}"
    mids = (xs[1:] + xs[:-1]) / 2
    parts = [f"M{xs[0]:.1f},{yv[0]:.1f}"]
    for i in range(1, len(xs)):
        parts.append(f"H{mids[i - 1]:.1f}V{yv[i]:.1f}")
    parts.append(f"H{xs[-1]:.1f}")
    return "".join(parts)


def _legend(x: float, y: float, target: bool, too_few: bool = False) -> str:
    """The chart's key; a series too short for limits has no limits and no verdict, so its points are just points
    (Making Data Count: never "common cause" before a 12-point baseline)."""
    items = (
        [("dot", COLOUR_COMMON_CAUSE, "Figure"), ("solid", COLOUR_TEXT, "Centre line")]
        if too_few
        else [
            ("dot", COLOUR_COMMON_CAUSE, "Common cause"),
            ("dot", COLOUR_IMPROVEMENT, "Improvement"),
            ("dot", COLOUR_CONCERN, "Concern"),
            ("dot", COLOUR_NEUTRAL, "Neither"),
            ("solid", COLOUR_TEXT, "Centre line"),
            ("dash", COLOUR_LINE, "Limits"),
        ]
    )
    if target:
        items.append(("dot-dash", COLOUR_TARGET, "Target"))
    out = []
    cx = x
    for kind, colour, label in items:
        if kind == "dot":
            out.append(f'<circle cx="{cx + 4:.0f}" cy="{y - 4}" r="4" fill="{colour}"/>')
            w = 12
        else:
            dash = {"solid": "", "dash": ' stroke-dasharray="6 4"', "dot-dash": ' stroke-dasharray="2 3"'}[
                kind
            ]
            out.append(
                f'<line x1="{cx:.0f}" y1="{y - 4}" x2="{cx + 18:.0f}" y2="{y - 4}" stroke="{colour}" stroke-width="1.6"{dash}/>'
            )
            w = 24
        out.append(f'<text x="{cx + w:.0f}" y="{y}" font-size="10.5" fill="{COLOUR_TEXT}">{label}</text>')
        cx += w + 6.1 * len(label) + 16
    return "".join(out)


def render_png(result: SPCResult, *, scale: float = 2.0, **kwargs: object) -> bytes:
    """The chart as PNG bytes (rendered from the SVG by cairosvg at `scale` for crisp output)."""
    import cairosvg  # lazy: only PNG output needs it

    svg = render_svg(result, **kwargs)  # type: ignore[arg-type]
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale)
    assert isinstance(png, bytes)
    return png
