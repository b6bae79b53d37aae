"""Code relations, the code × attribute crosstab and word frequencies, each figure compared
with a brute-force reference over the raw codings, turns and text of generated studies
(tests/comparison/generated.py)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from rest_framework.exceptions import ValidationError

from coding.comparison.selectors.base import comparison_base
from coding.comparison.selectors.crosstab import code_attribute_crosstab
from coding.comparison.selectors.relations import code_relations
from coding.comparison.selectors.words import (
    keyword_in_context,
    word_frequencies,
    word_param,
)
from coding.comparison.services import stop_words_parse, study_stop_words_set
from coding.comparison.stopwords import ENGLISH_STOP_WORDS
from coding.selectors import LayerChoice
from healing.audit.models import AuditEvent
from interviews.speakers.services import speaker_role_set
from tests.comparison.generated import (
    merged,
    passages,
    raw,
    reference_relations,
    words_of,
)
from tests.comparison.test_selectors import scope

pytestmark = pytest.mark.django_db

LAYERS = [("all", None), ("consensus", None), ("best", None), ("coder", "coder")]


def _layer(gen: dict[str, Any], name: str, who: str | None) -> tuple[LayerChoice, int | None]:
    coder_id = gen["users"][who].pk if who else None
    return LayerChoice(name, coder_id), coder_id


@pytest.mark.parametrize(("layer_name", "who"), LAYERS)
@pytest.mark.parametrize(
    ("cooccur", "window", "count"),
    [("overlap", 0, "participant"), ("turn", 0, "participant"), ("within", 1, "participant"),
     ("within", 2, "all"), ("within", 0, "participant")],
)  # fmt: skip
@pytest.mark.parametrize("sub_codes", [False, True])
def test_relations_match_the_reference(
    gen: dict[str, Any],
    layer_name: str,
    who: str | None,
    cooccur: str,
    window: int,
    count: str,
    sub_codes: bool,
    django_assert_num_queries: Any,
) -> None:
    layer, coder_id = _layer(gen, layer_name, who)
    base = comparison_base(scope=scope(gen["study"], layer))
    # The one query of the table (the base's are counted apart).
    with django_assert_num_queries(1):
        relations = code_relations(
            base=base, cooccur=cooccur, window=window, count=count, sub_codes=sub_codes
        )
    data = raw(gen["study"], layer_name, coder_id)
    ids = [f.code.id for f in relations.codes]
    n, pairs = reference_relations(data, ids, cooccur, window, count)
    assert {f.code.id: f.passages for f in relations.codes} == {c: n.get(c, 0) for c in ids}
    got = {(a.code.id, b.code.id): (cell.n12, cell.dyads) for a, b, cell in relations.pairs()}
    expected = {
        (a, b) if ids.index(a) < ids.index(b) else (b, a): value for (a, b), value in pairs.items()
    }
    assert {k: v for k, v in got.items() if v[0]} == expected
    assert any(v[0] for v in got.values())  # the study does have co-occurrences
    for a, b, cell in relations.pairs():
        n12, n1, n2 = cell.n12, a.passages, b.passages
        if n12 and n1 + n2 - n12 > 0:
            assert cell.c == pytest.approx(n12 / (n1 + n2 - n12))
        assert cell.out_of_range == (n12 > min(n1, n2))


def test_c_coefficient_as_atlas_ti_defines_it() -> None:
    from coding.comparison.selectors.relations import PairCell

    # ATLAS.ti's manual: 100 and 10 quotations, 5 co-occurrences: c = 5 / 105.
    cell = PairCell(n12=5, dyads=1, n1=100, n2=10)
    assert cell.c == pytest.approx(0.047619, abs=1e-6)
    assert cell.unequal
    assert not cell.out_of_range
    # One passage meeting two of the other code's: n12 = 2 > min(n1, n2) = 1, c = 2.
    wide = PairCell(n12=2, dyads=1, n1=1, n2=2)
    assert wide.c == 2
    assert wide.out_of_range
    assert PairCell(n12=3, dyads=1, n1=1, n2=2).c is None  # denominator 0
    assert PairCell(n12=0, dyads=0, n1=3, n2=0).c == 0.0


def _covered(data: Any, interview: int, code_id: int) -> int:
    return sum(e - s for s, e in passages(data, interview, code_id))


@pytest.mark.parametrize(("layer_name", "who"), LAYERS)
@pytest.mark.parametrize("basis", ["either", "patient", "clinician", "both"])
@pytest.mark.parametrize(
    "attribute", ["dyad.years", "dyad.since", "dyad.weekly", "clinician.type", "patient.age"]
)
def test_crosstab_matches_the_reference(
    gen: dict[str, Any], layer_name: str, who: str | None, basis: str, attribute: str,
    django_assert_num_queries: Any,
) -> None:  # fmt: skip
    layer, coder_id = _layer(gen, layer_name, who)
    base = comparison_base(scope=scope(gen["study"], layer))
    with django_assert_num_queries(1):  # the attribute's definition
        crosstab = code_attribute_crosstab(base=base, attribute=attribute, basis=basis)
    data = raw(gen["study"], layer_name, coder_id)
    entity, key = attribute.split(".")

    def shown(value: Any) -> str:
        if value is None or value == "":
            return "(no value)"
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    columns: dict[str, set[int]] = {}
    for dyad_id, attrs in data.dyads.items():
        columns.setdefault(shown(attrs[entity].get(key)), set()).add(dyad_id)
    assert {c.label: set(c.dyad_ids) for c in crosstab.columns} == columns
    sides = ("patient", "clinician") if basis in ("either", "both") else (basis,)
    for node, cells in zip(crosstab.codes, crosstab.cells, strict=True):
        for column, cell in zip(crosstab.columns, cells, strict=True):
            with_code = covered = length = 0
            for dyad_id in column.dyad_ids:
                own = [i for i, d in data.dyad_of.items() if d == dyad_id]
                present = {
                    side: any(
                        passages(data, i, node.id) for i in own if data.perspective[i] == side
                    )
                    for side in ("patient", "clinician")
                }
                if basis == "either":
                    with_code += present["patient"] or present["clinician"]
                elif basis == "both":
                    with_code += present["patient"] and present["clinician"]
                else:
                    with_code += present[basis]
                for i in own:
                    if data.perspective[i] in sides:
                        covered += _covered(data, i, node.id)
                        length += len(data.texts[i])
            assert (cell.dyads_with, cell.dyads, cell.covered, cell.length) == (
                with_code, len(column.dyad_ids), covered, length,
            ), (node.key, column.label)  # fmt: skip


def test_crosstab_bins_many_numbers_and_refuses_unknown_attributes(gen: dict[str, Any]) -> None:
    from interviews.models import Dyad

    for n, dyad in enumerate(Dyad.objects.filter(study=gen["study"]).order_by("label")):
        dyad.attributes = {**dyad.attributes, "years": n * 3}
        dyad.save()
    from coding.comparison.selectors import crosstab as module

    base = comparison_base(scope=scope(gen["study"], LayerChoice("all")))
    old = module.MAX_VALUES
    module.MAX_VALUES = 3
    try:
        table = code_attribute_crosstab(base=base, attribute="dyad.years")
    finally:
        module.MAX_VALUES = old
    assert "bins" in table.how
    assert [c.label for c in table.columns] == ["0", "3", "6", "9", "12"]
    assert sum(len(c.dyad_ids) for c in table.columns) == 5
    with pytest.raises(ValidationError):
        code_attribute_crosstab(base=base, attribute="dyad.nope")
    with pytest.raises(ValidationError):
        code_attribute_crosstab(base=base, attribute="nonsense")


def _reference_words(data: Any, source: str, code_id: int | None) -> dict[str, Counter[str]]:
    groups: dict[str, Counter[str]] = {}
    for interview, text in data.texts.items():
        side = data.perspective[interview]
        if source == "code":
            assert code_id is not None
            covered = set()
            for s, e in passages(data, interview, code_id):
                covered |= set(range(s, e))
            for word, s, e in words_of(text):
                if covered & set(range(s, e)):
                    groups.setdefault(side, Counter())[word] += 1
        else:
            for _index, start, end, role in data.turns[interview]:
                group = side if source == "perspective" else role
                groups.setdefault(group, Counter()).update(
                    w for w, _, _ in words_of(text[start:end])
                )
    return groups


@pytest.mark.parametrize(("layer_name", "who"), LAYERS)
@pytest.mark.parametrize("source", ["code", "perspective", "role"])
def test_word_frequencies_match_the_reference(
    gen: dict[str, Any], layer_name: str, who: str | None, source: str
) -> None:
    layer, coder_id = _layer(gen, layer_name, who)
    base = comparison_base(scope=scope(gen["study"], layer))
    for key in ("VAL", "OUT.TRUST") if source == "code" else (None,):
        frequencies = word_frequencies(base=base, source=source, code_key=key, limit=500)
        data = raw(gen["study"], layer_name, coder_id)
        code_id = next((n.id for n in base.tree.nodes if n.key == key), None)
        expected = _reference_words(data, source, code_id)
        groups = frequencies.groups
        assert frequencies.totals == [sum(expected.get(g, Counter()).values()) for g in groups]
        kept = Counter[str]()
        for counter in expected.values():
            kept.update({w: n for w, n in counter.items() if w not in ENGLISH_STOP_WORDS})
        assert {r.word: r.total for r in frequencies.rows} == dict(kept)
        for row in frequencies.rows:
            assert row.counts == [expected.get(g, Counter())[row.word] for g in groups]
        # Emoji, digits and stop words are never words; accents and apostrophes are kept.
        words = {r.word for r in frequencies.rows}
        assert not words & {"😀", "2019", "the", "and", "she", "don't"}
        if source != "code":
            assert {"café", "naïve", "okafor's", "trust"} <= words


def test_words_cache_is_keyed_by_text_and_turns(
    gen: dict[str, Any], lead: Any, django_assert_max_num_queries: Any
) -> None:
    base = comparison_base(scope=scope(gen["study"], LayerChoice("all")))
    first = word_frequencies(base=base, source="role")
    assert not first.cached
    # Warm: the stop words, the interviews, the turns' signatures.
    with django_assert_max_num_queries(3):
        again = word_frequencies(base=base, source="role")
    assert again.cached
    assert again.rows == first.rows
    # A corrected speaker role is counted afresh: "Pat" becomes a clinician.
    interview = next(i for i in gen["interviews"] if i.perspective == "patient")
    speaker_role_set(interview=interview, speaker="Pat", role="clinician", actor=lead)
    after = word_frequencies(base=base, source="role")
    assert not after.cached
    data = raw(gen["study"], "all")
    expected = _reference_words(data, "role", None)
    assert after.totals == [sum(expected.get(g, Counter()).values()) for g in after.groups]
    assert after.totals != first.totals


def test_study_stop_words(gen: dict[str, Any], lead: Any) -> None:
    base = comparison_base(scope=scope(gen["study"], LayerChoice("all")))
    before = {r.word for r in word_frequencies(base=base, source="perspective", limit=500).rows}
    assert {"trust", "doctor"} <= before
    words = stop_words_parse("Trust, doctor\nDOCTOR; care")
    assert words == ["care", "doctor", "trust"]
    study_stop_words_set(study=gen["study"], words=words, actor=lead)
    assert AuditEvent.objects.filter(object_type="stop_words").count() == 1
    study_stop_words_set(study=gen["study"], words=words, actor=lead)  # the same: no record
    assert AuditEvent.objects.filter(object_type="stop_words").count() == 1
    after = word_frequencies(base=base, source="perspective", limit=500)
    assert not {"trust", "doctor", "care"} & {r.word for r in after.rows}
    assert after.extra_stop_words == words
    with pytest.raises(ValidationError):
        stop_words_parse("fine 😀 2019")


@pytest.mark.parametrize("source", ["code", "perspective", "role"])
def test_keyword_in_context_matches_the_reference(gen: dict[str, Any], source: str) -> None:
    base = comparison_base(scope=scope(gen["study"], LayerChoice("all")))
    data = raw(gen["study"], "all")
    code_id = next(n.id for n in base.tree.nodes if n.key == "VAL")
    groups = {"code": ["", "patient"], "perspective": ["", "clinician"],
              "role": ["", "interviewer", "patient"]}[source]  # fmt: skip
    for word in ("trust", "okafor's", "café", "hope"):
        for group in groups:
            kwic = keyword_in_context(
                base=base, source=source, word=word_param(word), group=group, code_key="VAL"
            )
            expected = set()
            for interview, text in data.texts.items():
                side = data.perspective[interview]
                if source == "code":
                    if group and side != group:
                        continue
                    covered = set()
                    for s, e in passages(data, interview, code_id):
                        covered |= set(range(s, e))
                    expected |= {
                        (interview, s, e) for w, s, e in words_of(text)
                        if w == word and covered & set(range(s, e))
                    }  # fmt: skip
                    continue
                for _i, start, end, role in data.turns[interview]:
                    if group and group != (side if source == "perspective" else role):
                        continue
                    expected |= {
                        (interview, s, e) for w, s, e in words_of(text[start:end], start)
                        if w == word
                    }  # fmt: skip
            got = {(line.interview, line.start, line.end) for line in kwic.lines}
            assert got == expected, (word, group)
            assert kwic.total == len(expected)
            for line in kwic.lines:
                text = data.texts[line.interview]
                assert text[line.start : line.end] == line.match
                assert line.link == f"/interviews/{line.interview}/#span-{line.start}-{line.end}"
    with pytest.raises(ValidationError):
        word_param("two words")
    with pytest.raises(ValidationError):
        keyword_in_context(base=base, source="role", word="trust", group="nobody")


def test_merged_reference_joins_touching_spans() -> None:
    assert merged([(5, 9), (0, 5), (12, 14), (13, 20)]) == [(0, 9), (12, 20)]
