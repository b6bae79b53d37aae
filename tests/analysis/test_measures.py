"""The per interview × code measures, against figures worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.exceptions import ValidationError

from coding.analysis.measures import code_tree, interview_code_stats
from coding.analysis.subsets import dyad_subset_from_params
from coding.selectors import LayerChoice
from coding.services import coding_create
from interviews.models import AttributeDefinition, Dyad
from tests.factories import code, make_interview

TEXT = "Patient: " + "abcdefghij" * 9 + "\n"


@pytest.fixture
def coded(study: Any, coder: Any, coder2: Any) -> Any:
    interview = make_interview(study=study, text=TEXT)
    offset = interview.text.index("abc")
    att, con = code(study, "VAL.PRES.ATT"), code(study, "VAL.CON")
    for who, span_code, start, end in [
        (coder, att, 0, 10),
        (coder, att, 5, 15),  # overlaps the first: the union is [0, 15)
        (coder, con, 20, 30),
        (coder2, att, 5, 15),  # the same span as coder's: one passage in the union
    ]:
        coding_create(
            interview=interview, code=span_code, coder=who, start=offset + start, end=offset + end
        )
    return interview


def by_key(study: Any, stats: list[Any]) -> dict[str, tuple[int, int]]:
    keys = {node.id: node.key for node in code_tree(study=study).nodes}
    return {keys[s.code_id]: (s.passages, s.covered) for s in stats}


def test_union_of_coders_rolls_sub_codes_up_without_double_counting(
    study: Any, coded: Any, django_assert_num_queries: Any
) -> None:
    tree = code_tree(study=study)
    with django_assert_num_queries(1):
        stats = interview_code_stats(study=study, layer=LayerChoice("all"), tree=tree)
    assert by_key(study, stats) == {
        "VAL.PRES.ATT": (2, 15),
        "VAL.PRES": (2, 15),
        "VAL.CON": (1, 10),
        "VAL": (3, 25),
    }
    assert {s.length for s in stats} == {len(coded.text)}
    assert stats[0].coverage == pytest.approx(stats[0].covered / len(coded.text))


def test_one_coder_and_no_roll_up(study: Any, coded: Any, coder2: Any) -> None:
    one = interview_code_stats(study=study, layer=LayerChoice("coder", coder2.pk))
    assert by_key(study, one) == {"VAL.PRES.ATT": (1, 10), "VAL.PRES": (1, 10), "VAL": (1, 10)}
    flat = interview_code_stats(study=study, layer=LayerChoice("all"), roll_up=False)
    assert by_key(study, flat) == {"VAL.PRES.ATT": (2, 15), "VAL.CON": (1, 10)}
    assert interview_code_stats(study=study, layer=LayerChoice("consensus")) == []


def test_dyad_subset_by_typed_attribute(study: Any, coded: Any) -> None:
    AttributeDefinition.objects.create(
        study=study, entity="dyad", key="years", label="Years together", type="integer"
    )
    Dyad.objects.filter(pk=coded.dyad_id).update(attributes={"years": 3})
    subset = dyad_subset_from_params(study=study, params={"dyad.years": ["3"]})
    assert subset.describe() == "Dyads where Years together = 3"
    assert interview_code_stats(study=study, layer=LayerChoice("all"), dyads=subset.dyads(study))
    other = dyad_subset_from_params(study=study, params={"dyad.years": ["4"]})
    assert (
        interview_code_stats(study=study, layer=LayerChoice("all"), dyads=other.dyads(study)) == []
    )
    with pytest.raises(ValidationError, match="no dyad attribute"):
        dyad_subset_from_params(study=study, params={"dyad.nope": ["1"]})
    with pytest.raises(ValidationError, match="not a valid"):
        dyad_subset_from_params(study=study, params={"dyad.years": ["three"]})
