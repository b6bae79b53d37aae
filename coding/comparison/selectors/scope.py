"""The comparison's scope (the layer and the dyad subset it runs on) and its query parameters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rest_framework.exceptions import ValidationError

from coding.analysis.measures import layer_label
from coding.analysis.subsets import DyadSubset, dyad_subset_from_params
from coding.selectors import LayerChoice, default_layer_for, layer_choice
from interviews.models import Membership, Study
from interviews.selectors import Access

# Parameters that are the comparison's own, not a dyad subset's.
OWN_PARAMS = (
    "layer",
    "coder",
    "measure",
    "side",
    "threshold",
    "basis",
    "window",
    "turns",
    "sub_codes",
    "group_by",
    "split",
    "format",
    "view",
    # code relations, the code × attribute crosstab, word frequencies
    "cooccur",
    "count",
    "attribute",
    "source",
    "code",
    "word",
    "group",
    "limit",
)


@dataclass(frozen=True)
class Scope:
    """What an analysis ran on: the study, the layer (and its label) and the dyad subset."""

    study: Study
    layer: LayerChoice
    layer_label: str
    subset: DyadSubset
    layer_defaulted: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "layer": {**self.layer.as_dict(), "label": self.layer_label},
            "subset": self.subset.as_dict(),
        }

    def as_params(self) -> list[tuple[str, str]]:
        """The query parameters that give this scope back (for links and exports)."""
        params = [("layer", self.layer.name)]
        if self.layer.name == "coder" and self.layer.coder_id is not None:
            params.append(("coder", str(self.layer.coder_id)))
        return params + self.subset.as_params()


def coder_names(*, study: Study) -> dict[int, str]:
    """Members who code (lead or coder), by user id, named for the layer control. One query."""
    rows = (
        Membership.objects.filter(study=study, role__in=["lead", "coder"])
        .order_by("user__username")
        .values_list("user_id", "user__username", "user__first_name", "user__last_name")
    )
    return {row[0]: (f"{row[2]} {row[3]}".strip() or row[1]) for row in rows}


def comparison_scope(
    *,
    study: Study,
    access: Access,
    user: Any,
    params: Mapping[str, Sequence[str]],
    names: dict[int, str] | None = None,
) -> Scope:
    """The layer and dyad subset asked for in query parameters, checked against what the user may
    see (blind coding: a coder may not pick another coder's layer or ``all``).

    Without ``layer`` the default layer is used: ``best`` (per interview, the consensus where
    complete, else the union of coders; a blinded coder's own codings instead of the union).
    Bad values raise ValidationError (a 400); a refused layer PermissionDenied.
    """
    from django.core.exceptions import ValidationError as DjangoValidationError

    name = last_param(params, "layer")
    coder = last_param(params, "coder")
    if name and name.startswith("coder:"):  # the page's layer menu: one value per coder
        name, coder = "coder", name.partition(":")[2]
    defaulted = not name
    if defaulted:
        layer = default_layer_for(access=access, user=user)
    else:
        try:
            layer = layer_choice(name=name, coder=coder, user=user, access=access)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        if layer.name == "mine":
            layer = LayerChoice("coder", user.pk)
    names = names if names is not None else coder_names(study=study)
    given_coder = layer.coder_id if layer.name == "coder" else _int_or_none(coder)
    if (layer.name == "coder" or coder) and given_coder not in names:
        # Not a silent empty layer: the coder must be a member of the study who codes.
        raise ValidationError({"coder": ["No member of this study who codes has this id."]})
    subset = dyad_subset_from_params(study=study, params=params, ignore=OWN_PARAMS)
    label = layer_label(layer, names)
    return Scope(
        study=study, layer=layer, layer_label=label, subset=subset, layer_defaulted=defaulted
    )


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def last_param(params: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = params.get(name) or []
    return values[-1] if values else None


def choice_param(
    params: Mapping[str, Sequence[str]], name: str, choices: Sequence[str], default: str
) -> str:
    value = last_param(params, name) or default
    if value not in choices:
        raise ValidationError({name: f"Unknown {name} {value!r}: use one of {', '.join(choices)}."})
    return value


def int_param(
    params: Mapping[str, Sequence[str]], name: str, default: int, low: int, high: int
) -> int:
    raw = last_param(params, name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: f"Give a whole number from {low} to {high}."}) from None
    if not low <= value <= high:
        raise ValidationError({name: f"Give a whole number from {low} to {high}."})
    return value


def bool_param(params: Mapping[str, Sequence[str]], name: str) -> bool:
    raw = (last_param(params, name) or "").lower()
    if raw in ("", "0", "false", "no"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ValidationError({name: "Use 1 or 0."})
