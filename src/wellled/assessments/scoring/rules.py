"""The settings of a scoring run: the rounding rule and which limiters are switched on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from .errors import ScoringError
from .rounding import DEFAULT_ROUNDING, RoundingRule


@dataclass(frozen=True)
class ScoringRules:
    """Settings for scoring, defaulting to the domain notes' reading of CQC's method.

    - `rounding`: the rule at band edges (CQC's is not known; default half up to a whole percent).
    - `requirement_notice_caps`: a breach with a requirement notice holds the key question at
      requires improvement at best. On by default: CQC says this is what normally happens.
    - `warning_notice_caps`: a warning notice makes the key question inadequate. On by default, as above.
    - `statement_scored_one_caps`: a statement scored 1 holds the key question at requires improvement
      at best, even in the good band. UNCONFIRMED in the domain notes, so off by default.
    """

    rounding: RoundingRule = DEFAULT_ROUNDING
    requirement_notice_caps: bool = True
    warning_notice_caps: bool = True
    statement_scored_one_caps: bool = False

    def __post_init__(self) -> None:
        """Accept the rounding rule by its key and refuse settings of the wrong type."""
        object.__setattr__(self, "rounding", RoundingRule.parse(self.rounding))
        for f in fields(self):
            if f.name != "rounding" and not isinstance(getattr(self, f.name), bool):
                raise ScoringError(
                    f"scoring rule {f.name} must be true or false, not {getattr(self, f.name)!r}"
                )

    def to_dict(self) -> dict[str, Any]:
        """The settings as plain JSON-ready values, for storing with an assessment."""
        data = asdict(self)
        data["rounding"] = self.rounding.value
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoringRules:
        """Settings from `to_dict` output; unknown keys are refused so a typo is not silently ignored."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ScoringError(f"unknown scoring rule(s): {', '.join(unknown)}")
        return cls(**dict(data))


DEFAULT_RULES = ScoringRules()
