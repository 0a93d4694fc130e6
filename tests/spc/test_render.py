"""Charts: well-formed, accessible, escaped SVG; PNG bytes; icons usable on their own."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET  # noqa: S405 (parses our own SVG, not untrusted input)

import numpy as np
import pytest

from wellled.spc import Assurance, Variation, spc
from wellled.spc.icons import assurance_icon_svg, variation_icon_svg
from wellled.spc.render import render_png, render_svg, text_summary

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """Parse SVG we generated ourselves."""
    return ET.fromstring(svg)  # noqa: S314


def months(n: int) -> np.ndarray:
    return (np.datetime64("2020-01", "M") + np.arange(n)).astype("datetime64[D]")


@pytest.fixture
def result():
    v = [10, 12, 9, 11, 10, 12, 8, 11, 10, 9, 12, 10, 14, 15, 14, 16, 15, 14, 16, 17]
    return spc(v, months(20), target=13, rebase=["2021-01-01"], series='Ward "A" <north> & co',
               annotations={"2020-12-01": "new <b>triage</b> & process"}, warn=False)  # fmt: skip


def test_svg_is_well_formed_accessible_and_escaped(result) -> None:
    svg = render_svg(result)
    root = parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{NS}title")
    desc = root.find(f"{NS}desc")
    assert title.get("id") == title_id and desc.get("id") == desc_id
    assert title.text == 'Ward "A" <north> & co'
    assert "new <b>triage</b> & process" in desc.text
    assert "<b>" not in svg and "new &lt;b&gt;triage" in svg
    fills = {c.get("fill") for c in root.iter(f"{NS}circle")}
    assert {"#a6a6a6", "#00b0f0"} <= fills


def test_text_summary_mentions_the_facts(result) -> None:
    text = text_summary(result)
    assert "20 points" in text and "Jan 2020" in text and "2 groups" in text
    assert "Target 13" in text and "Assurance" in text


def test_png_is_png(result) -> None:
    png = render_png(result, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000


@pytest.mark.parametrize("variation", list(Variation))
def test_variation_icons_standalone(variation: Variation) -> None:
    svg = variation_icon_svg(variation, size=32)
    root = parse(svg)
    assert root.get("width") == "32" and root.find(f"{NS}title").text
    letters = "".join(t.text or "" for t in root.iter(f"{NS}text"))
    assert letters == (
        ""
        if variation in (Variation.COMMON_CAUSE, Variation.TOO_FEW_POINTS)
        else "H"
        if variation.value.endswith("high")
        else "L"
    )


@pytest.mark.parametrize(("assurance", "letter"), [(Assurance.PASS, "P"), (Assurance.FAIL, "F"),
                                                   (Assurance.HIT_OR_MISS, "?"), (None, "")])  # fmt: skip
def test_assurance_icons_standalone(assurance: Assurance | None, letter: str) -> None:
    root = parse(assurance_icon_svg(assurance, size=40))
    assert "".join(t.text or "" for t in root.iter(f"{NS}text")) == letter


def test_charts_without_limits_or_with_missing_values_render() -> None:
    for r in (
        spc([5.0], months(1), warn=False),
        spc([3.0] * 14, months(14), warn=False),
        spc([1, 2, None, 4, 5, 3, 2, 4, 5, 3, 2, 4, 5], months(13), chart="run", warn=False),
        spc([3, 4, 2, 5, 3], months(5), denominators=[10, 12, 9, 11, 10], chart="p", warn=False),
    ):
        parse(render_svg(r, title="t"))


def test_hundred_charts_quickly(result) -> None:
    start = time.perf_counter()
    for _ in range(100):
        render_svg(result)
    assert time.perf_counter() - start < 5  # the benchmark target is 1 s; leave room for slow CI
