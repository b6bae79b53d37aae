"""The TF-IDF engine on generated corpora where the right answer is known, and the unit splitter."""

from __future__ import annotations

import random

import pytest

from coding.cocoder.engines import (
    AI_EXTRA_HINT,
    EngineUnavailable,
    Passage,
    TfidfEngine,
    engine_get,
)
from coding.cocoder.units import sentence_units, split_units, turn_units

FILLER = [f"word{i}" for i in range(400)]


def corpus(seed: int = 7, size: int = 300) -> list[Passage]:
    """Passages of random filler; every fifth also says distinctive words and carries PAIN;
    NOISE is put on a fifth of the passages at random, whatever they say."""
    rng = random.Random(seed)
    passages = []
    for i in range(size):
        words = [rng.choice(FILLER) for _ in range(15)]
        codes = set()
        if i % 5 == 0:
            words[rng.randrange(len(words))] = "my back aches and the pain keeps me awake"
            codes.add("PAIN")
        if rng.random() < 0.2:
            codes.add("NOISE")
        passages.append(Passage(" ".join(words), frozenset(codes)))
    return passages


def test_a_code_whose_passages_share_distinctive_words_is_learned() -> None:
    model = TfidfEngine().fit(corpus())
    assert "PAIN" in model.codes
    fresh = corpus(seed=99, size=100)
    suggested = model.suggest([p.text for p in fresh])
    hits = sum(("PAIN" in s) == ("PAIN" in p.codes) for s, p in zip(suggested, fresh, strict=True))
    assert hits == len(fresh)
    scores = model.predict(["the pain in my back aches", "word1 word2 word3"])
    assert scores[0]["PAIN"] > model.thresholds["PAIN"] > scores[1]["PAIN"]


def test_a_code_with_no_signal_is_not_suggested() -> None:
    model = TfidfEngine().fit(corpus())
    assert "NOISE" not in model.codes
    assert model.validation_kappa["NOISE"] is not None
    assert model.validation_kappa["NOISE"] < 0.2
    fresh = corpus(seed=5, size=100)
    assert not any("NOISE" in s for s in model.suggest([p.text for p in fresh]))


def test_a_fixed_threshold_applies_to_every_code_learned() -> None:
    model = TfidfEngine(threshold=0.5).fit(corpus())
    assert model.thresholds["PAIN"] == 0.5
    with pytest.raises(ValueError, match="between 0 and 1"):
        TfidfEngine(threshold=1.5).fit(corpus())


def test_codes_with_too_few_passages_and_empty_training_are_not_learned() -> None:
    passages = [*corpus(), Passage("a rare thing", frozenset({"RARE"}))]
    assert "RARE" not in TfidfEngine().fit(passages).codes
    empty = TfidfEngine().fit([])
    assert empty.codes == ()
    assert empty.suggest(["anything"]) == [set()]
    assert empty.predict(["anything"]) == [{}]


def test_engines_by_name() -> None:
    assert engine_get("tfidf").name == "tfidf"
    with pytest.raises(ValueError, match="Unknown engine 'bert'"):
        engine_get("bert")


def test_the_embedding_engine_without_the_extra_says_how_to_install_it() -> None:
    pytest.importorskip("sklearn")
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        with pytest.raises(EngineUnavailable) as raised:
            engine_get("embedding")
        assert str(raised.value) == AI_EXTRA_HINT
        assert "use --engine tfidf" in AI_EXTRA_HINT
    else:
        pytest.skip("the AI extra is installed here")


TEXT = "Int: How are you?\n\nPat: Fine. Well... not really! My knee hurts.\nIt's “bad.” Ok\n"


def test_sentences_stay_within_turns_and_leave_whitespace_out() -> None:
    first = TEXT.index("How")
    second = TEXT.index("Fine")
    turns = [(first, TEXT.index("\n")), (second, len(TEXT))]
    sentences = [TEXT[s:e] for s, e in sentence_units(TEXT, turns)]
    assert sentences == [
        "How are you?", "Fine.", "Well...", "not really!", "My knee hurts.", "It's “bad.”", "Ok",
    ]  # fmt: skip
    assert [TEXT[s:e] for s, e in turn_units(TEXT, turns)] == ["How are you?", TEXT[second:]]
    assert split_units("one. two", [], "sentence") == [(0, 4), (5, 8)]
    assert split_units("one. two", [], "turn") == [(0, 8)]
    with pytest.raises(ValueError, match="Unknown unit"):
        split_units(TEXT, turns, "word")
