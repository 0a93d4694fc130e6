"""Statistical process control the Making Data Count way, in pure numpy.

`import wellled.spc` imports numpy only: no Django, no plotting or file-format libraries.
"""

from .batch import SPCWarning, spc, spc_batch
from .options import Annotation, SPCOptions
from .results import BatchResult, GroupSummary, Point, SPCResult
from .types import Assurance, ChartType, Direction, PointType, Rule, Variation

__all__ = [
    "Annotation",
    "Assurance",
    "BatchResult",
    "ChartType",
    "Direction",
    "GroupSummary",
    "Point",
    "PointType",
    "Rule",
    "SPCOptions",
    "SPCResult",
    "SPCWarning",
    "Variation",
    "spc",
    "spc_batch",
]
