"""A chart drawn once as SVG by the SPC renderer, put into a paper's formats: as ReportLab vector shapes for a
PDF (lines, paths and text, no picture), and rasterised to a PNG for Word, which takes pictures only (ADR 0053).

Only the SVG the SPC renderer writes (wellled.spc.render and its icons) is read: rect, line, path (M, L, H, V, Z),
polyline, circle, text and nested svg; title and desc are the chart's text alternative, said in words beside it
by every paper. Anything else is refused, so a change to the renderer cannot silently drop part of a chart."""

from __future__ import annotations

import math
import re
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from defusedxml import ElementTree
from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import (
    FILL_NON_ZERO,
    Drawing,
    Group,
    Line,
    Path,
    PolyLine,
    Rect,
    String,
    mmult,
    rotate,
    translate,
)
from reportlab.lib import colors
from reportlab.platypus import Flowable

SVG_NS = "{http://www.w3.org/2000/svg}"
SKIPPED = frozenset({"title", "desc"})  # the text alternative: not drawn
CIRCLE = SVG_NS + "circle"
CIRCLE_PAINT = ("fill", "stroke", "stroke-width", "stroke-dasharray", "opacity")  # what _stroke reads
# A quarter circle as one cubic Bézier curve: the control points lie 4(√2 − 1)/3 of the radius along the tangents.
KAPPA = 4 * (math.sqrt(2) - 1) / 3
# SVG's default font size (CSS 2.1's "medium"), used when an element names none.
DEFAULT_FONT_SIZE = 16.0
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"  # the PNG specification (ISO/IEC 15948), 5.2
# zlib's level for the Word picture: 3 packs a chart as small as the default (6) at about half its time, measured
# on the report's 60 charts (bench/ipr.py, ADR 0053).
PNG_COMPRESSION = 3
PICTURE_FONT = "sans-serif"  # fontconfig's choice when the chart names no family
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TRANSFORM = re.compile(r"(translate|rotate|scale)\(([^)]*)\)")


class ChartNotDrawn(ValueError):
    """The SVG has something the PDF's vector drawing does not know how to draw."""


@dataclass(frozen=True)
class ChartFonts:
    """The paper's fonts the chart's words are set in (the same as the paper's text, so every script prints)."""

    regular: str
    bold: str


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text or "")]


def _number(element, name: str, default: float = 0.0) -> float:
    found = _numbers(element.get(name))
    return found[0] if found else default


@lru_cache(maxsize=256)  # a chart uses a dozen colours, asked for hundreds of times
def _colour(value: str | None):
    """An SVG paint ('#005eb8', 'none', absent) as a ReportLab colour or None."""
    if value is None or value == "none":
        return None
    try:
        return colors.HexColor(value) if value.startswith("#") else colors.toColor(value)
    except (ValueError, AttributeError):
        raise ChartNotDrawn(f"The chart names a colour the PDF cannot draw: {value!r}.") from None


def _stroke(element) -> dict:
    """The stroke and fill of a shape, as ReportLab's keyword arguments."""
    dashes = _numbers(element.get("stroke-dasharray"))
    style = {
        "strokeColor": _colour(element.get("stroke")),
        "strokeWidth": _number(element, "stroke-width", 1.0),
        "fillColor": _colour(element.get("fill", "#000000")),
    }
    if dashes:
        style["strokeDashArray"] = dashes
    if element.get("opacity") is not None:
        style["fillOpacity"] = _number(element, "opacity", 1.0)
    return style


def _path(d: str, style: dict) -> Path:
    """An SVG path of straight lines (absolute M, L, H, V and Z: what the SPC renderer writes)."""
    path = Path(**style)
    tokens = _PATH_TOKEN.findall(d)
    x = y = 0.0
    command = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "Zz":
                path.closePath()
            elif command not in "MLHV":
                raise ChartNotDrawn(f"The chart has a path command the PDF cannot draw: {command!r}.")
            continue
        if command in "ML":
            x, y = float(tokens[i]), float(tokens[i + 1])
            i += 2
            (path.moveTo if command == "M" else path.lineTo)(x, y)
            command = "L" if command == "M" else command  # further pairs after M are lines
        elif command == "H":
            x = float(token)
            i += 1
            path.lineTo(x, y)
        elif command == "V":
            y = float(token)
            i += 1
            path.lineTo(x, y)
        else:
            raise ChartNotDrawn(f"The chart has a path command the PDF cannot draw: {command or token!r}.")
    return path


def _circle(path: Path, cx: float, cy: float, r: float) -> None:
    """A circle added to a path as four Bézier quarters (a closed sub-path of its own)."""
    k = r * KAPPA
    path.moveTo(cx + r, cy)
    path.curveTo(cx + r, cy + k, cx + k, cy + r, cx, cy + r)
    path.curveTo(cx - k, cy + r, cx - r, cy + k, cx - r, cy)
    path.curveTo(cx - r, cy - k, cx - k, cy - r, cx, cy - r)
    path.curveTo(cx + k, cy - r, cx + r, cy - k, cx + r, cy)
    path.closePath()


def _unfilled(element) -> dict:
    """The stroke of a line or polyline without any fill: a chart's lines are drawn, never filled."""
    style = _stroke(element)
    style.pop("fillColor", None)
    style.pop("fillOpacity", None)
    return style


def _transform(text: str | None) -> tuple:
    """An SVG transform of translations, rotations and scalings as one affine matrix."""
    matrix: tuple = (1, 0, 0, 1, 0, 0)
    for name, arguments in _TRANSFORM.findall(text or ""):
        values = _numbers(arguments)
        if name == "translate":
            step = translate(values[0], values[1] if len(values) > 1 else 0)
        elif name == "rotate":
            step = rotate(values[0])
        else:
            step = (values[0], 0, 0, values[-1], 0, 0)
        matrix = mmult(matrix, step)
    return matrix


class _Reader:
    """Turns one SVG document into ReportLab shapes, in the SVG's own coordinates (y down)."""

    def __init__(self, fonts: ChartFonts):
        self.fonts = fonts

    def children(self, element, group: Group, inherited: dict) -> None:
        """Each child in turn; a run of circles painted alike (a chart's points) becomes one path of circles, not
        a shape each: the PDF draws it with one change of colour instead of one a point."""
        points: Path | None = None
        painted_as: tuple | None = None
        for child in element:
            if child.tag != CIRCLE:
                points = None
                self.element(child, group, inherited)
                continue
            paint = tuple(child.get(name) for name in CIRCLE_PAINT)
            if points is None or paint != painted_as:
                points, painted_as = Path(fillMode=FILL_NON_ZERO, **_stroke(child)), paint
                group.add(points)
            _circle(points, _number(child, "cx"), _number(child, "cy"), _number(child, "r"))

    def element(self, element, group: Group, inherited: dict) -> None:
        tag = element.tag.removeprefix(SVG_NS)
        attributes = {**inherited}
        for name in ("font-size", "font-weight", "fill", "text-anchor"):
            if element.get(name) is not None and tag in ("svg", "g"):
                attributes[name] = element.get(name)
        if tag in SKIPPED:
            return
        if tag == "svg":
            group.add(self.nested(element, attributes))
        elif tag == "g":
            inner = Group(transform=_transform(element.get("transform")))
            self.children(element, inner, attributes)
            group.add(inner)
        elif tag == "rect":
            group.add(
                Rect(
                    _number(element, "x"),
                    _number(element, "y"),
                    _number(element, "width"),
                    _number(element, "height"),
                    **_stroke(element),
                )
            )
        elif tag == "line":
            group.add(
                Line(
                    _number(element, "x1"),
                    _number(element, "y1"),
                    _number(element, "x2"),
                    _number(element, "y2"),
                    **_unfilled(element),
                )
            )
        elif tag == "polyline":
            group.add(PolyLine(_numbers(element.get("points")), **_unfilled(element)))
        elif tag == "path":
            group.add(_path(element.get("d", ""), _stroke(element)))
        elif tag == "text":
            group.add(self.text(element, attributes))
        else:
            raise ChartNotDrawn(f"The chart has an element the PDF cannot draw: <{tag}>.")

    def nested(self, element, inherited: dict) -> Group:
        """A nested svg (an SPC icon): placed at x, y and scaled from its viewBox to its width and height."""
        box = _numbers(element.get("viewBox")) or [
            0,
            0,
            _number(element, "width"),
            _number(element, "height"),
        ]
        sx = _number(element, "width", box[2]) / (box[2] or 1)
        sy = _number(element, "height", box[3]) / (box[3] or 1)
        inner = Group(
            transform=mmult(
                translate(_number(element, "x"), _number(element, "y")),
                (sx, 0, 0, sy, -box[0] * sx, -box[1] * sy),
            )
        )
        self.children(element, inner, inherited)
        return inner

    def text(self, element, inherited: dict) -> Group:
        """Words, set upright in the flipped chart: each string in its own group that turns y back up."""
        size = (
            float(_numbers(element.get("font-size", inherited.get("font-size")))[0])
            if (element.get("font-size") or inherited.get("font-size"))
            else DEFAULT_FONT_SIZE
        )
        bold = (element.get("font-weight") or inherited.get("font-weight")) == "bold"
        anchor = element.get("text-anchor") or inherited.get("text-anchor") or "start"
        place = mmult(
            translate(_number(element, "x"), _number(element, "y")), _transform(element.get("transform"))
        )
        upright = mmult(place, (1, 0, 0, -1, 0, 0))
        words = "".join(element.itertext())
        return Group(
            String(
                0,
                0,
                words,
                fontName=self.fonts.bold if bold else self.fonts.regular,
                fontSize=size,
                fillColor=_colour(element.get("fill") or inherited.get("fill") or "#000000"),
                textAnchor=anchor,
            ),
            transform=upright,
        )


@contextmanager
def _unchecked() -> Iterator[None]:
    """ReportLab's check of every attribute set on a shape, off while a chart's shapes are made from the renderer's
    own numbers: it is a third of the time the PDF takes to draw them (bench/ipr.py), and checks nothing here."""
    was = rl_config.shapeChecking
    rl_config.shapeChecking = 0
    try:
        yield
    finally:
        rl_config.shapeChecking = was


def svg_drawing(svg: str, *, width: float, fonts: ChartFonts) -> Drawing:
    """The SVG chart as a ReportLab Drawing `width` points wide (its height in proportion): vector shapes, so the
    PDF's chart is sharp at any zoom and small, and its words are text."""
    root = ElementTree.fromstring(svg)
    if root.tag.removeprefix(SVG_NS) != "svg":
        raise ChartNotDrawn("The chart is not an SVG document.")
    box = _numbers(root.get("viewBox")) or [0, 0, _number(root, "width"), _number(root, "height")]
    ratio = width / (box[2] or 1)
    height = box[3] * ratio
    # One group flips the SVG's y-down coordinates to the PDF's y-up, scaled to the width asked for.
    chart = Group(transform=(ratio, 0, 0, -ratio, -box[0] * ratio, height + box[1] * ratio))
    inherited = {name: root.get(name) for name in ("font-size", "font-weight", "fill") if root.get(name)}
    with _unchecked():
        _Reader(fonts).children(root, chart, inherited)
    drawing = Drawing(width, height)
    drawing.add(chart)
    return drawing


class _Painter:
    """Paints one SVG document on a cairo context (y down, as SVG): the same elements the PDF's shapes read."""

    def __init__(self, context, family: str):
        self.cairo = context
        self.family = family

    def children(self, element, inherited: dict) -> None:
        """Each child in turn; a run of circles painted alike (a chart's points) is filled as one path."""
        children = list(element)
        i = 0
        while i < len(children):
            child = children[i]
            if child.tag != CIRCLE:
                self.element(child, inherited)
                i += 1
                continue
            paint = tuple(child.get(name) for name in CIRCLE_PAINT)
            cr = self.cairo
            cr.save()
            while i < len(children) and children[i].tag == CIRCLE:
                if tuple(children[i].get(name) for name in CIRCLE_PAINT) != paint:
                    break
                circle = children[i]
                cr.new_sub_path()
                cr.arc(_number(circle, "cx"), _number(circle, "cy"), _number(circle, "r"), 0, 2 * math.pi)
                i += 1
            self.paint(child)
            cr.restore()

    def element(self, element, inherited: dict) -> None:
        tag = element.tag.removeprefix(SVG_NS)
        if tag in SKIPPED:
            return
        attributes = {**inherited}
        for name in ("font-size", "font-weight", "fill", "text-anchor"):
            if element.get(name) is not None and tag in ("svg", "g"):
                attributes[name] = element.get(name)
        cr = self.cairo
        cr.save()
        if tag == "svg":
            box = _numbers(element.get("viewBox")) or [
                0,
                0,
                _number(element, "width"),
                _number(element, "height"),
            ]
            cr.translate(_number(element, "x"), _number(element, "y"))
            cr.scale(
                _number(element, "width", box[2]) / (box[2] or 1),
                _number(element, "height", box[3]) / (box[3] or 1),
            )
            cr.translate(-box[0], -box[1])
            self.children(element, attributes)
        elif tag == "g":
            cr.transform(_cairo_matrix(_transform(element.get("transform"))))
            self.children(element, attributes)
        elif tag == "rect":
            cr.rectangle(
                _number(element, "x"),
                _number(element, "y"),
                _number(element, "width"),
                _number(element, "height"),
            )
            self.paint(element)
        elif tag == "line":
            cr.move_to(_number(element, "x1"), _number(element, "y1"))
            cr.line_to(_number(element, "x2"), _number(element, "y2"))
            self.paint(element, fill=False)
        elif tag == "polyline":
            points = _numbers(element.get("points"))
            cr.move_to(points[0], points[1])
            for i in range(2, len(points) - 1, 2):
                cr.line_to(points[i], points[i + 1])
            self.paint(element, fill=False)
        elif tag == "path":
            self.path(element.get("d", ""))
            self.paint(element)
        elif tag == "text":
            self.text(element, attributes)
        else:
            cr.restore()
            raise ChartNotDrawn(f"The chart has an element the picture cannot draw: <{tag}>.")
        cr.restore()

    def path(self, d: str) -> None:
        cr = self.cairo
        shape = _path(d, {})
        points = iter(shape.points)
        for operator in shape.operators:  # ReportLab's: 0 move, 1 line, 3 close
            if operator == 0:
                cr.move_to(next(points), next(points))
            elif operator == 1:
                cr.line_to(next(points), next(points))
            else:
                cr.close_path()

    def paint(self, element, *, fill: bool = True) -> None:
        """Fill then stroke the current path as the element says (SVG's default fill is black)."""
        cr = self.cairo
        colour = _colour(element.get("fill", "#000000")) if fill else None
        stroke = _colour(element.get("stroke"))
        if colour is not None:
            cr.set_source_rgba(colour.red, colour.green, colour.blue, _number(element, "opacity", 1.0))
            cr.fill_preserve() if stroke is not None else cr.fill()
        if stroke is not None:
            cr.set_source_rgb(stroke.red, stroke.green, stroke.blue)
            cr.set_line_width(_number(element, "stroke-width", 1.0))
            cr.set_dash(_numbers(element.get("stroke-dasharray")))
            cr.stroke()
        cr.new_path()

    def text(self, element, inherited: dict) -> None:
        cr = self.cairo
        size_text = element.get("font-size") or inherited.get("font-size")
        bold = (element.get("font-weight") or inherited.get("font-weight")) == "bold"
        anchor = element.get("text-anchor") or inherited.get("text-anchor") or "start"
        colour = _colour(element.get("fill") or inherited.get("fill") or "#000000")
        words = "".join(element.itertext())
        cr.translate(_number(element, "x"), _number(element, "y"))
        cr.transform(_cairo_matrix(_transform(element.get("transform"))))
        cr.select_font_face(self.family, 0, 1 if bold else 0)  # cairo: slant normal, weight normal or bold
        cr.set_font_size(_numbers(size_text)[0] if size_text else DEFAULT_FONT_SIZE)
        advance = cr.text_extents(words)[4] if anchor != "start" else 0.0
        cr.move_to(-advance / 2 if anchor == "middle" else -advance if anchor == "end" else 0.0, 0)
        if colour is not None:
            cr.set_source_rgb(colour.red, colour.green, colour.blue)
        cr.show_text(words)


def _cairo_matrix(matrix: tuple):
    import cairocffi

    return cairocffi.Matrix(*matrix)


class ChartOnce(Flowable):
    """A chart's vector shapes written into the PDF once, as a form (a PDF XObject of drawing operators, not a
    picture), and placed by reference wherever the paper shows the chart again (an exception, then its group)."""

    def __init__(self, drawing: Drawing, name: str):
        super().__init__()
        self.drawing = drawing
        self.name = name
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if not canvas.hasForm(self.name):
            canvas.beginForm(self.name, upperx=self.width, uppery=self.height)
            renderPDF.draw(self.drawing, canvas, 0, 0)
            canvas.endForm()
        canvas.doForm(self.name)


# Word's picture of a chart is painted at WORD_PICTURE_DPI for the width it prints at: enough for a chart's lines and
# 10-point words to print sharp (ADR 0064). The SPC renderer draws SVG_CHART_WIDTH units wide (spc.render.render_svg).
WORD_PICTURE_DPI = 150
SVG_CHART_WIDTH = 720
MM_PER_INCH = 25.4


def word_picture_scale(printed_mm: float, *, svg_width: float = SVG_CHART_WIDTH) -> float:
    """The `svg_png` scale that paints a chart printed `printed_mm` wide at WORD_PICTURE_DPI."""
    return printed_mm / MM_PER_INCH * WORD_PICTURE_DPI / svg_width


def svg_png(svg: str, *, scale: float) -> bytes:
    """The SVG chart as a PNG at `scale` times its size, painted straight on cairo (no SVG library's own pass
    over the document): for Word, which shows pictures only."""
    import cairocffi  # lazy: only the raster needs it

    root = ElementTree.fromstring(svg)
    if root.tag.removeprefix(SVG_NS) != "svg":
        raise ChartNotDrawn("The chart is not an SVG document.")
    width, height = _number(root, "width"), _number(root, "height")
    surface = cairocffi.ImageSurface(
        cairocffi.FORMAT_RGB24, max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))
    )
    context = cairocffi.Context(surface)
    context.set_source_rgb(1, 1, 1)
    context.paint()
    context.scale(scale, scale)
    family = (root.get("font-family") or PICTURE_FONT).split(",")[0].strip() or PICTURE_FONT
    box = _numbers(root.get("viewBox")) or [0, 0, width, height]
    context.scale(width / (box[2] or 1), height / (box[3] or 1))
    context.translate(-box[0], -box[1])
    _Painter(context, family).children(
        root, {name: root.get(name) for name in ("font-size", "fill") if root.get(name)}
    )
    surface.flush()
    return _png(surface)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(surface) -> bytes:
    """The painted surface as a PNG (RGB, 8 bits, no row filter): a chart is mostly flat colour, which zlib alone
    packs about as small as cairo's own writer does, in a third of its time (bench/ipr.py)."""
    width, height, stride = surface.get_width(), surface.get_height(), surface.get_stride()
    pixels = np.frombuffer(surface.get_data(), np.uint8).reshape(height, stride)[:, : width * 4]
    rows = np.empty((height, 1 + 3 * width), np.uint8)
    rows[:, 0] = 0  # each row starts with its filter type, 0 (none)
    rgb, bgrx = rows[:, 1:].reshape(height, width, 3), pixels.reshape(height, width, 4)
    for channel in range(3):  # BGRx to RGB a channel at a time: a quarter of the time of one reversed copy
        rgb[:, :, channel] = bgrx[:, :, 2 - channel]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits a sample, truecolour
    return b"".join(
        (
            PNG_SIGNATURE,
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), PNG_COMPRESSION)),
            _png_chunk(b"IEND", b""),
        )
    )
