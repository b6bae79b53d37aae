"""The filters of retrieved segments and search, read from query parameters.

Where a passage is (``PlaceFilters``: dyads, perspective, the role of the turn it starts in, dyad
and person attributes) is shared by retrieved segments, search and coding queries; what it is
(``SegmentFilters``: codes, coder, layer, text, memo) is the segments' own. The parameter names
are the API's contract (docs/retrieval.md):

- ``dyad=<label>`` (repeat for several), ``perspective=patient|clinician``,
  ``role=patient|clinician|interviewer|other``;
- ``attr.<key>`` for a dyad attribute, ``attr.clinician.<key>`` / ``attr.patient.<key>`` for a
  person's, each as ``=`` (equals), ``__in=`` (comma-separated), ``__gte=`` and ``__lte=``
  (numbers and dates);
- ``code=<key>`` (repeat), ``descendants=true|false`` (default true), ``coder=<username>``,
  ``layer=best|consensus|all|mine|coder``, ``text=``, ``memo=true|false``, ``context=<chars>``.

Every bad value is a ValidationError (a 400) naming the parameter; nothing is silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from rest_framework.exceptions import PermissionDenied, ValidationError

from coding.models import Code
from coding.selectors import LAYER_NAMES, LayerChoice, default_layer_for, layer_choice
from interviews.attributes import JSONValue, coerce_attribute_value
from interviews.models import (
    AttributeDefinition,
    AttributeType,
    Dyad,
    Membership,
    Perspective,
    Study,
    TurnRole,
)
from interviews.selectors import Access

ATTRIBUTE_PREFIX = "attr."
ORDERED_TYPES = (AttributeType.INTEGER, AttributeType.DECIMAL, AttributeType.DATE)
PERSPECTIVES = (Perspective.PATIENT, Perspective.CLINICIAN)
ROLES = tuple(TurnRole.values)
DEFAULT_CONTEXT = 200
MAX_CONTEXT = 5000
OPERATOR_SYMBOLS = {"eq": "=", "in": "is one of", "gte": "≥", "lte": "≤"}


@dataclass(frozen=True)
class AttributeCondition:
    """One attribute condition: ``entity`` dyad, clinician or patient; ``operator`` eq, in, gte
    or lte; ``values`` as stored (coerced to the attribute's type)."""

    entity: str
    key: str
    label: str
    operator: str
    values: tuple[JSONValue, ...]

    @property
    def param(self) -> str:
        base = ATTRIBUTE_PREFIX + (
            self.key if self.entity == "dyad" else f"{self.entity}.{self.key}"
        )
        return base if self.operator == "eq" else f"{base}__{self.operator}"

    def q(self, prefix: str = "") -> Q:
        """The condition on dyads (``prefix`` leads from another model to the dyad)."""
        path = (
            f"{prefix}attributes" if self.entity == "dyad" else f"{prefix}{self.entity}__attributes"
        )
        lookup = {"eq": "in", "in": "in", "gte": "gte", "lte": "lte"}[self.operator]
        value: Any = list(self.values) if lookup == "in" else self.values[0]
        return Q(**{f"{path}__{self.key}__{lookup}": value})

    def describe(self) -> str:
        shown = " or ".join(str(v) for v in self.values)
        who = "" if self.entity == "dyad" else f"{self.entity}'s "
        return f"{who}{self.label} {OPERATOR_SYMBOLS[self.operator]} {shown}"

    def as_params(self) -> list[tuple[str, str]]:
        if self.operator == "in":
            return [(self.param, ",".join(_param_text(v) for v in self.values))]
        return [(self.param, _param_text(v)) for v in self.values]


@dataclass(frozen=True)
class PlaceFilters:
    """Where a passage is: which dyads (by label and attributes), which side, and the role of
    the speaker turn it starts in. Empty filters mean everywhere in the study."""

    dyads: tuple[str, ...] = ()
    perspective: str = ""
    role: str = ""
    attributes: tuple[AttributeCondition, ...] = ()

    def dyad_q(self, prefix: str = "") -> Q:
        """Conditions on dyads (label and attributes); ``prefix`` leads to the dyad."""
        q = Q()
        if self.dyads:
            q &= Q(**{f"{prefix}label__in": list(self.dyads)})
        for condition in self.attributes:
            q &= condition.q(prefix)
        return q

    def interview_q(self, prefix: str = "") -> Q:
        """Conditions on interviews (dyad and perspective; not the role, which is per turn)."""
        q = self.dyad_q(f"{prefix}dyad__")
        if self.perspective:
            q &= Q(**{f"{prefix}perspective": self.perspective})
        return q

    def describe(self) -> list[str]:
        parts = []
        if self.dyads:
            parts.append("dyad " + " or ".join(self.dyads))
        if self.perspective:
            parts.append(f"{self.perspective}s' interviews")
        if self.role:
            parts.append(f"said by the {self.role}")
        parts += [condition.describe() for condition in self.attributes]
        return parts

    def as_params(self) -> list[tuple[str, str]]:
        params = [("dyad", label) for label in self.dyads]
        if self.perspective:
            params.append(("perspective", self.perspective))
        if self.role:
            params.append(("role", self.role))
        for condition in self.attributes:
            params += condition.as_params()
        return params


@dataclass(frozen=True)
class CodeChoice:
    """The codes asked for, and every code that counts as one of them (sub-codes included
    when ``descendants``)."""

    keys: tuple[str, ...] = ()
    descendants: bool = True
    ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_all(self) -> bool:
        return not self.keys


@dataclass(frozen=True)
class SegmentFilters:
    """Which coded segments: where (``place``), which codes, whose, in which layer, containing
    which text, with or without a memo; ``context`` characters of text shown on each side."""

    place: PlaceFilters
    codes: CodeChoice
    layer: LayerChoice
    layer_defaulted: bool = True
    coder_id: int | None = None
    coder_username: str = ""
    text: str = ""
    memo: bool | None = None
    context: int = DEFAULT_CONTEXT

    def describe(self) -> list[str]:
        parts = []
        if self.codes.keys:
            codes = " or ".join(self.codes.keys)
            parts.append(f"code {codes}" + (" with sub-codes" if self.codes.descendants else ""))
        parts += self.place.describe()
        if self.coder_username:
            parts.append(f"coded by {self.coder_username}")
        if self.text:
            parts.append(f"quote contains “{self.text}”")
        if self.memo is not None:
            parts.append("with a memo" if self.memo else "without a memo")
        return parts

    def as_params(self, *, context: bool = True) -> list[tuple[str, str]]:
        """The query parameters that give these filters back (links, exports, the form)."""
        params = [("code", key) for key in self.codes.keys]
        if self.codes.keys and not self.codes.descendants:
            params.append(("descendants", "false"))
        params += self.place.as_params()
        if not self.layer_defaulted:
            params.append(("layer", self.layer.name))
        if self.coder_username:
            params.append(("coder", self.coder_username))
        if self.text:
            params.append(("text", self.text))
        if self.memo is not None:
            params.append(("memo", "true" if self.memo else "false"))
        if context and self.context != DEFAULT_CONTEXT:
            params.append(("context", str(self.context)))
        return params


def _param_text(value: JSONValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _last(params: Mapping[str, Sequence[str]], name: str) -> str:
    values = [v for v in params.get(name) or [] if v != ""]
    return values[-1].strip() if values else ""


def bool_value(params: Mapping[str, Sequence[str]], name: str, default: bool | None) -> bool | None:
    raw = _last(params, name).lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValidationError({name: "Use true or false."})


def context_value(params: Mapping[str, Sequence[str]]) -> int:
    raw = _last(params, "context")
    if not raw:
        return DEFAULT_CONTEXT
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError(
            {"context": f"Give a whole number from 0 to {MAX_CONTEXT}."}
        ) from None
    if not 0 <= value <= MAX_CONTEXT:
        raise ValidationError({"context": f"Give a whole number from 0 to {MAX_CONTEXT}."})
    return value


def place_filters_from_params(*, study: Study, params: Mapping[str, Sequence[str]]) -> PlaceFilters:
    """Dyads, perspective, role and attribute conditions; unknown dyads or attributes, bad
    values and ranges on unordered types are a 400. Two queries (dyad labels, definitions),
    none when not filtered by them."""
    labels = tuple(dict.fromkeys(v.strip() for v in params.get("dyad") or [] if v.strip()))
    if labels:
        known = set(
            Dyad.objects.filter(study=study, label__in=labels).values_list("label", flat=True)
        )
        unknown = [label for label in labels if label not in known]
        if unknown:
            raise ValidationError({"dyad": f"The study has no dyad {unknown[0]!r}."})
    perspective = _last(params, "perspective")
    if perspective and perspective not in PERSPECTIVES:
        raise ValidationError({"perspective": "Use patient or clinician."})
    role = _last(params, "role")
    if role and role not in ROLES:
        raise ValidationError({"role": f"Use one of {', '.join(ROLES)}."})
    names = [name for name in params if name.startswith(ATTRIBUTE_PREFIX)]
    conditions: list[AttributeCondition] = []
    if names:
        definitions = {
            (d.entity, d.key): d for d in AttributeDefinition.objects.filter(study=study)
        }
        for name in sorted(names):
            condition = _attribute_condition(name, params[name], definitions)
            if condition is not None:
                conditions.append(condition)
    return PlaceFilters(
        dyads=labels, perspective=perspective, role=role, attributes=tuple(conditions)
    )


def _attribute_condition(
    name: str,
    raw_values: Sequence[str],
    definitions: Mapping[tuple[str, str], AttributeDefinition],
) -> AttributeCondition | None:
    path, given, operator = name[len(ATTRIBUTE_PREFIX) :].partition("__")
    operator = operator or "eq"
    if given and operator not in ("in", "gte", "lte"):
        raise ValidationError(
            {name: "Use attr.<key>=, attr.<key>__in=, attr.<key>__gte= or attr.<key>__lte=."}
        )
    entity, dot, key = path.partition(".")
    if not dot:
        entity, key = "dyad", path
    if entity not in ("dyad", "clinician", "patient"):
        raise ValidationError({name: "Use attr.<key>, attr.clinician.<key> or attr.patient.<key>."})
    definition = definitions.get((entity, key))
    if definition is None:
        raise ValidationError({name: f"The study has no {entity} attribute {key!r}."})
    if operator in ("gte", "lte") and definition.type not in ORDERED_TYPES:
        raise ValidationError(
            {
                name: f"{definition.label or key} is {definition.get_type_display().lower()}: "
                "ranges are for numbers and dates."
            }
        )
    texts = [v for v in raw_values if v.strip() != ""]
    if operator == "in":
        texts = [part for v in texts for part in v.split(",") if part.strip()]
    if not texts:
        return None
    if operator in ("gte", "lte"):
        texts = texts[-1:]
    values: list[JSONValue] = []
    for text in texts:
        try:
            value = coerce_attribute_value(definition=definition, raw=text.strip())
        except DjangoValidationError as error:
            raise ValidationError({name: error.messages}) from None
        if value is not None:
            values.append(value)
    return AttributeCondition(
        entity=entity,
        key=key,
        label=definition.label or key,
        operator=operator,
        values=tuple(dict.fromkeys(values)),
    )


def code_choice(*, study: Study, keys: Sequence[str], descendants: bool) -> CodeChoice:
    """The codes with these keys in the study's codebook (a 400 names an unknown key), with
    their sub-codes at any depth when ``descendants``. One query."""
    keys = tuple(dict.fromkeys(k.strip() for k in keys if k.strip()))
    if not keys:
        return CodeChoice(descendants=descendants)
    rows = list(Code.objects.filter(codebook__study=study).values_list("id", "key", "parent_id"))
    by_key = {key: pk for pk, key, _ in rows}
    unknown = [key for key in keys if key not in by_key]
    if unknown:
        raise ValidationError({"code": f"The codebook has no code {unknown[0]!r}."})
    ids = {by_key[key] for key in keys}
    if descendants:
        children: dict[int, list[int]] = {}
        for pk, _, parent in rows:
            if parent is not None:
                children.setdefault(parent, []).append(pk)
        todo = list(ids)
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in ids:
                    ids.add(child)
                    todo.append(child)
    return CodeChoice(keys=keys, descendants=descendants, ids=frozenset(ids))


def coder_and_layer(
    *,
    study: Study,
    access: Access,
    user: Any,
    layer_name: str,
    coder_username: str,
) -> tuple[LayerChoice, bool, int | None]:
    """The layer to read, whether it was defaulted, and the coder the segments are restricted
    to. ``coder`` alone reads that coder's layer; with a layer, it keeps that coder's codings in
    it. Blind coding: a blinded coder may name only themselves. One query for a named coder."""
    coder_id = None
    if coder_username:
        coder_id = (
            Membership.objects.filter(study=study, user__username=coder_username)
            .values_list("user_id", flat=True)
            .first()
        )
        if coder_id is None:
            coder_id = (
                get_user_model()
                .objects.filter(username=coder_username, codings__interview__dyad__study=study)
                .values_list("pk", flat=True)
                .first()
            )
        if coder_id is None:
            raise ValidationError(
                {"coder": f"No one named {coder_username!r} codes in this study."}
            )
        if coder_id != user.pk and not access.sees_other_coders:
            raise PermissionDenied(
                "Blind coding is on: you see only your own codings until the lead reveals."
            )
    if layer_name and layer_name not in LAYER_NAMES:
        raise ValidationError(
            {"layer": f"Unknown layer {layer_name!r}: use one of {', '.join(LAYER_NAMES)}."}
        )
    if not layer_name:
        if coder_id is not None:
            return LayerChoice("coder", coder_id), True, coder_id
        return default_layer_for(access=access, user=user), True, None
    if layer_name == "coder" and coder_id is None:
        raise ValidationError({"coder": "Name the coder (coder=<username>) with layer=coder."})
    try:
        layer = layer_choice(name=layer_name, coder=coder_id, user=user, access=access)
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from None
    return layer, False, coder_id


def segment_filters_from_params(
    *, study: Study, access: Access, user: Any, params: Mapping[str, Sequence[str]]
) -> SegmentFilters:
    """Every filter of retrieved segments from query parameters (``request.query_params`` as
    a dict of lists). At most five queries, none for a filter not given."""
    place = place_filters_from_params(study=study, params=params)
    descendants = bool_value(params, "descendants", True)
    codes = code_choice(study=study, keys=params.get("code") or [], descendants=bool(descendants))
    layer, defaulted, coder_id = coder_and_layer(
        study=study,
        access=access,
        user=user,
        layer_name=_last(params, "layer"),
        coder_username=_last(params, "coder"),
    )
    text = _last(params, "text")
    if len(text) > 500:
        raise ValidationError({"text": "Search for at most 500 characters."})
    return SegmentFilters(
        place=place,
        codes=codes,
        layer=layer,
        layer_defaulted=defaulted,
        coder_id=coder_id,
        coder_username=_last(params, "coder") if coder_id is not None else "",
        text=text,
        memo=bool_value(params, "memo", None),
        context=context_value(params),
    )
