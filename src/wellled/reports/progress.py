"""Progress of long board-paper work, reported step by step to whoever is watching (a page, a terminal)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from .formats import FORMATS


@dataclass(frozen=True)
class Step:
    """One step of the work, with its share of the whole (the PDF takes longer than the rest together)."""

    label: str
    weight: int


@dataclass(frozen=True)
class Progress:
    """Where the work stands: 'Rendering Word (3 of 7)', 40% done."""

    number: int
    steps: int
    label: str
    percent: int

    @property
    def text(self) -> str:
        return f"{self.label} ({self.number} of {self.steps})"


ProgressCallback = Callable[[Progress], None]

# Shares (per cent) of the time each step takes when issuing a 500-action paper, measured with
# bench/issue_paper.py (6.7 s in all): the PDF is most of it. They only make the bar move at an honest pace.
FORMAT_WEIGHTS = {"pdf": 62, "docx": 4, "xlsx": 14, "csv": 1, "html": 1}
READ_WEIGHT = 15
STORE_WEIGHT = 3


def rendering_label(fmt: str) -> str:
    return f"Rendering {FORMATS[fmt].name}"


class Tracker:
    """Announce each step as it starts, with the share of the work done before it."""

    def __init__(self, steps: Sequence[Step], callback: ProgressCallback | None):
        self.steps = list(steps)
        self.callback = callback
        self.total = sum(step.weight for step in self.steps) or 1
        self.done_weight = 0
        self.number = 0

    def start(self, label: str) -> None:
        """The next step is starting (its label must be the next one planned)."""
        step = self.steps[self.number]
        if step.label != label:
            raise ValueError(f"Expected the step {step.label!r}, not {label!r}.")
        if self.number:
            self.done_weight += self.steps[self.number - 1].weight
        self.number += 1
        self._tell(Progress(self.number, len(self.steps), label, self.done_weight * 100 // self.total))

    def finish(self, label: str = "Finished") -> None:
        self._tell(Progress(len(self.steps), len(self.steps), label, 100))

    def _tell(self, progress: Progress) -> None:
        if self.callback is not None:
            self.callback(progress)


class TerminalProgress:
    """A progress bar on a terminal (redrawn in place), or one line per step when the output is a file or pipe."""

    WIDTH = 30

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, progress: Progress) -> None:
        filled = self.WIDTH * progress.percent // 100
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"[{bar}] {progress.percent:3d}% {progress.text}"
        if self.interactive:
            self._write("\r\x1b[2K" + line + ("\n" if progress.percent >= 100 else ""))
        else:
            self._write(line + "\n")
        self.stream.flush()

    def _write(self, text: str) -> None:
        if hasattr(self.stream, "ending"):  # a management command's OutputWrapper: no ending of its own
            writer: Any = self.stream
            writer.write(text, ending="")
        else:
            self.stream.write(text)
