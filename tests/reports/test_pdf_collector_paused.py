"""A paper is laid out with Python's cyclic garbage collector paused (issue 24: its collections cost a fifth of a
board paper's time), and the collector runs again afterwards, whether the layout succeeded or failed."""

from __future__ import annotations

import gc
import io

import pytest
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from wellled.reports.pdf_layout import build_naming_text


class Recorder(Flowable):
    """Notes whether the collector was running when ReportLab measured it; fails the layout if asked."""

    def __init__(self, seen: list[bool], fail: bool = False):
        super().__init__()
        self.seen, self.fail = seen, fail

    def wrap(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        self.seen.append(gc.isenabled())
        if self.fail:
            raise RuntimeError("cannot lay this out")
        return 10, 10

    def draw(self) -> None:
        pass


def test_collector_is_paused_while_a_paper_is_laid_out_and_runs_again_after():
    assert gc.isenabled()
    seen: list[bool] = []
    build_naming_text(SimpleDocTemplate(io.BytesIO()), [Paragraph("A paper"), Recorder(seen)])
    assert seen and not any(seen)
    assert gc.isenabled()


def test_collector_runs_again_when_a_paper_cannot_be_laid_out():
    seen: list[bool] = []
    with pytest.raises(RuntimeError):
        build_naming_text(SimpleDocTemplate(io.BytesIO()), [Recorder(seen, fail=True)])
    assert seen == [False]
    assert gc.isenabled()


def test_collector_stays_paused_when_it_was_paused_before_the_layout():
    gc.disable()
    try:
        build_naming_text(SimpleDocTemplate(io.BytesIO()), [Recorder([])])
        assert not gc.isenabled()
    finally:
        gc.enable()
