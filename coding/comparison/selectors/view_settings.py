"""One comparison view's own settings (measure, side, threshold, window…) from query parameters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rest_framework.exceptions import ValidationError

from coding.comparison.selectors.cooccurrence import DEFAULT_WINDOW, MAX_WINDOW, TURN_COUNTS
from coding.comparison.selectors.prevalence import DEFAULT_THRESHOLD, PREVALENCE_BASES
from coding.comparison.selectors.relations import COOCCUR
from coding.comparison.selectors.scope import bool_param, choice_param, int_param, last_param

SIDES = ("patient", "clinician", "both")
MEASURES = ("presence", "count", "coverage")

VIEWS = (
    "matrix",
    "prevalence",
    "process-outcome",
    "subgroups",
    "framework",
    "relations",
    "crosstab",
    "words",
)
WORD_SOURCES = ("code", "perspective", "role")
DEFAULT_WORD_LIMIT = 50
MAX_WORD_LIMIT = 500


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
    cooccur: str = "overlap"
    count: str = "participant"
    attribute: str = ""
    source: str = "perspective"
    code: str = ""
    word: str = ""
    group: str = ""
    limit: int = DEFAULT_WORD_LIMIT

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
            "cooccur": self.cooccur,
            "count": self.count,
            "attribute": self.attribute,
            "source": self.source,
            "code": self.code,
            "word": self.word,
            "group": self.group,
            "limit": self.limit,
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
    texts = {}
    for name in ("attribute", "code", "word", "group"):
        texts[name] = (last_param(params, name) or "").strip()
        if len(texts[name]) > 100:
            raise ValidationError({name: "Too long."})
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
        cooccur=choice_param(params, "cooccur", COOCCUR, "overlap"),
        count=choice_param(params, "count", TURN_COUNTS, "participant"),
        source=choice_param(params, "source", WORD_SOURCES, "perspective"),
        limit=int_param(params, "limit", DEFAULT_WORD_LIMIT, 1, MAX_WORD_LIMIT),
        **texts,
    )
