"""One comparison view's own settings (measure, side, threshold, window…) from query parameters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rest_framework.exceptions import ValidationError

from coding.comparison.selectors.cooccurrence import DEFAULT_WINDOW, MAX_WINDOW, TURN_COUNTS
from coding.comparison.selectors.prevalence import DEFAULT_THRESHOLD, PREVALENCE_BASES
from coding.comparison.selectors.scope import bool_param, choice_param, int_param, last_param

SIDES = ("patient", "clinician", "both")
MEASURES = ("presence", "count", "coverage")

VIEWS = ("matrix", "prevalence", "process-outcome", "subgroups", "framework")


@dataclass(frozen=True)
class ViewSettings:
    """A comparison view's own settings, read from query parameters (defaults when absent)."""

    measure: str = "presence"
    side: str = "both"
    threshold: int = DEFAULT_THRESHOLD
    basis: str = "either"
    window: int = DEFAULT_WINDOW
    sub_codes: bool = False
    group_by: str = ""
    split: float | None = None
    turns: str = "participant"

    def as_dict(self) -> dict[str, Any]:
        return {
            "turns": self.turns,
            "measure": self.measure,
            "side": self.side,
            "threshold": self.threshold,
            "basis": self.basis,
            "window": self.window,
            "sub_codes": self.sub_codes,
            "group_by": self.group_by,
            "split": self.split,
        }


def view_settings(params: Mapping[str, Sequence[str]]) -> ViewSettings:
    """Bad values are a 400 that names the parameter and what it takes."""
    raw_split = last_param(params, "split")
    split: float | None = None
    if raw_split not in (None, ""):
        try:
            split = float(raw_split)
        except ValueError:
            raise ValidationError({"split": "Give the number to split at."}) from None
        if split != split or split in (float("inf"), float("-inf")):
            raise ValidationError({"split": "Give the number to split at."})
    group_by = last_param(params, "group_by") or ""
    if len(group_by) > 100:
        raise ValidationError({"group_by": "Too long."})
    return ViewSettings(
        measure=choice_param(params, "measure", MEASURES, "presence"),
        side=choice_param(params, "side", SIDES, "both"),
        threshold=int_param(params, "threshold", DEFAULT_THRESHOLD, 0, 100),
        basis=choice_param(params, "basis", PREVALENCE_BASES, "either"),
        window=int_param(params, "window", DEFAULT_WINDOW, 0, MAX_WINDOW),
        turns=choice_param(params, "turns", TURN_COUNTS, "participant"),
        sub_codes=bool_param(params, "sub_codes"),
        group_by=group_by,
        split=split,
    )
