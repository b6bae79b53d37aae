"""Dyad subsets picked by attributes, shared by every analysis page, endpoint and export.

A subset is written in query parameters as ``<entity>.<key>=<value>`` where entity is ``dyad``,
``clinician`` or ``patient`` (repeat a parameter to allow several values: they are OR-ed; different
attributes are AND-ed), plus ``clinician=<participant id>`` for one clinician's dyads. Values are
checked against the attribute's declared type, so ``dyad.years_together=3`` matches the number 3.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError

from interviews.attributes import JSONValue, coerce_attribute_value
from interviews.models import AttributeDefinition, Dyad, Participant, ParticipantRole, Study

ENTITY_PREFIXES = ("dyad", "clinician", "patient")


@dataclass(frozen=True)
class AttributeFilter:
    entity: str
    key: str
    label: str
    values: tuple[JSONValue, ...]

    @property
    def param(self) -> str:
        return f"{self.entity}.{self.key}"

    def q(self) -> Q:
        path = "attributes" if self.entity == "dyad" else f"{self.entity}__attributes"
        return Q(**{f"{path}__{self.key}__in": list(self.values)})


@dataclass(frozen=True)
class DyadSubset:
    """Which dyads an analysis runs on; empty means all of the study's dyads."""

    filters: tuple[AttributeFilter, ...] = ()
    clinician: Participant | None = None

    @property
    def is_all(self) -> bool:
        return not self.filters and self.clinician is None

    def apply(self, queryset: QuerySet[Dyad]) -> QuerySet[Dyad]:
        for attribute in self.filters:
            queryset = queryset.filter(attribute.q())
        if self.clinician is not None:
            queryset = queryset.filter(clinician=self.clinician)
        return queryset

    def dyads(self, study: Study) -> QuerySet[Dyad]:
        return self.apply(Dyad.objects.filter(study=study))

    def describe(self) -> str:
        if self.is_all:
            return "All dyads"
        parts = [f"{f.label} = {' or '.join(str(v) for v in f.values)}" for f in self.filters]
        if self.clinician is not None:
            parts.append(f"clinician {self.clinician.pseudonym}")
        return "Dyads where " + " and ".join(parts)

    def as_params(self) -> list[tuple[str, str]]:
        """The query parameters that give this subset back (for links and exports)."""
        params = [(f.param, _param_value(v)) for f in self.filters for v in f.values]
        if self.clinician is not None:
            params.append(("clinician", str(self.clinician.pk)))
        return params

    def as_dict(self) -> dict[str, object]:
        return {
            "description": self.describe(),
            "filters": {f.param: list(f.values) for f in self.filters},
            "clinician": self.clinician.pk if self.clinician else None,
        }


def _param_value(value: JSONValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def dyad_subset_from_params(
    *, study: Study, params: Mapping[str, Sequence[str]], ignore: Sequence[str] = ()
) -> DyadSubset:
    """Read a subset from query parameters; unknown attributes or bad values are a 400.

    ``params`` maps a name to its values (``request.query_params.lists()`` as a dict). Names
    without a dot other than ``clinician`` are not the subset's and are left alone.
    """
    definitions = {(d.entity, d.key): d for d in AttributeDefinition.objects.filter(study=study)}
    filters = []
    clinician = None
    for name, raw_values in params.items():
        if name in ignore:
            continue
        if name == "clinician":
            clinician = _clinician(study, raw_values)
            continue
        entity, dot, key = name.partition(".")
        if not dot or entity not in ENTITY_PREFIXES:
            continue
        definition = definitions.get((entity, key))
        if definition is None:
            raise ValidationError({name: f"The study has no {entity} attribute {key!r}."})
        values: list[JSONValue] = []
        for raw in raw_values:
            try:
                values.append(coerce_attribute_value(definition=definition, raw=raw))
            except DjangoValidationError as error:
                raise ValidationError({name: error.messages}) from None
        values = [v for v in values if v is not None]
        if values:
            filters.append(
                AttributeFilter(
                    entity=entity,
                    key=key,
                    label=definition.label or key,
                    values=tuple(dict.fromkeys(values)),
                )
            )
    filters.sort(key=lambda f: f.param)
    return DyadSubset(filters=tuple(filters), clinician=clinician)


def _clinician(study: Study, raw_values: Sequence[str]) -> Participant:
    raw = raw_values[-1] if raw_values else ""
    try:
        pk = int(raw)
    except ValueError:
        raise ValidationError({"clinician": "Give the clinician's participant id."}) from None
    clinician = Participant.objects.filter(
        study=study, pk=pk, role=ParticipantRole.CLINICIAN
    ).first()
    if clinician is None:
        raise ValidationError({"clinician": "The study has no clinician with this id."})
    return clinician
