"""Suggestion engines behind one small interface, and the TF-IDF engine.

An :class:`Engine` learns from passages (a text and the set of code keys it carries, possibly
none) and returns a :class:`Model`; the model scores units of text per code (0..1) and suggests
the codes whose score reaches the code's threshold. Everything runs in this process: no text
leaves the server, nothing is downloaded.

The TF-IDF engine: word uni- and bigram TF-IDF features and one logistic regression per code
(one-vs-rest, classes weighted by their frequency). A code's threshold is chosen by
cross-validation on the training passages (the one that maximises Cohen's kappa between the
cross-validated suggestions and the coding), or fixed; a code whose cross-validated kappa stays
below ``min_kappa``, or with fewer than ``min_positives`` coded passages, is not suggested.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from coding.analysis.agreement import binary_agreement_from_counts

ENGINES = ("tfidf", "embedding")
AI_EXTRA_HINT = (
    "The embedding engine is not part of this version of Healing (it is planned as an optional "
    "extra, CPU only, with its model inside a package): use --engine tfidf."
)


class EngineUnavailable(Exception):
    """The engine cannot run here (an optional extra is missing); the message says how to fix."""


@dataclass(frozen=True)
class Passage:
    """A unit of training text and the keys of the codes it carries (empty: coded with none)."""

    text: str
    codes: frozenset[str] = frozenset()


class Model(Protocol):
    """A trained engine: scores per code for units of text."""

    @property
    def codes(self) -> tuple[str, ...]: ...

    @property
    def thresholds(self) -> dict[str, float]: ...

    def predict(self, units: Sequence[str]) -> list[dict[str, float]]:
        """Each unit's score (0..1) for every code the model can suggest."""
        ...

    def suggest(self, units: Sequence[str]) -> list[set[str]]:
        """Each unit's suggested codes: those whose score reaches the code's threshold."""
        ...


class Engine(Protocol):
    name: str

    def fit(self, passages: Sequence[Passage]) -> Model: ...


@dataclass
class TfidfModel:
    """TF-IDF features and one linear classifier per code, kept as one weight matrix so that
    scoring many units is one sparse product."""

    vectorizer: TfidfVectorizer
    code_keys: tuple[str, ...]
    weights: np.ndarray  # codes x features
    intercepts: np.ndarray  # codes
    code_thresholds: dict[str, float] = field(default_factory=dict)
    validation_kappa: dict[str, float | None] = field(default_factory=dict)

    @property
    def codes(self) -> tuple[str, ...]:
        return self.code_keys

    @property
    def thresholds(self) -> dict[str, float]:
        return dict(self.code_thresholds)

    def _scores(self, units: Sequence[str]) -> np.ndarray:
        if not units or not self.code_keys:
            return np.zeros((len(units), len(self.code_keys)))
        features = self.vectorizer.transform(list(units))
        logits = features @ self.weights.T + self.intercepts
        return np.asarray(1.0 / (1.0 + np.exp(-logits)))

    def predict(self, units: Sequence[str]) -> list[dict[str, float]]:
        scores = self._scores(units)
        return [{key: float(row[k]) for k, key in enumerate(self.code_keys)} for row in scores]

    def suggest(self, units: Sequence[str]) -> list[set[str]]:
        scores = self._scores(units)
        active = [(k, key) for k, key in enumerate(self.code_keys) if key in self.code_thresholds]
        return [{key for k, key in active if row[k] >= self.code_thresholds[key]} for row in scores]


THRESHOLD_GRID = tuple(round(0.05 * step, 2) for step in range(1, 20))


def best_threshold(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float | None]:
    """The threshold on ``scores`` whose suggestions agree best with ``truth`` (Cohen's kappa of
    the 2x2 table, from the agreement module), and that kappa (None where undefined)."""
    best: tuple[float, float | None] = (0.5, None)
    positives = int(truth.sum())
    for threshold in THRESHOLD_GRID:
        said = scores >= threshold
        both = int(np.count_nonzero(said & truth))
        only_model = int(np.count_nonzero(said)) - both
        only_truth = positives - both
        neither = len(truth) - both - only_model - only_truth
        kappa = binary_agreement_from_counts(
            both=both, only_a=only_truth, only_b=only_model, neither=neither
        )["kappa"]
        if kappa is not None and (best[1] is None or kappa > best[1]):
            best = (threshold, kappa)
    return best


@dataclass
class TfidfEngine:
    """TF-IDF + logistic regression per code. ``threshold`` None: chosen per code by
    ``folds``-fold cross-validation (codes below ``min_kappa`` are not suggested); a number:
    that threshold for every code learned."""

    threshold: float | None = None
    min_positives: int = 3
    min_kappa: float = 0.2
    folds: int = 3
    regularisation: float = 4.0
    seed: int = 2008
    name: str = "tfidf"

    def _classifier(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.regularisation, solver="liblinear", class_weight="balanced", max_iter=200
        )

    def fit(self, passages: Sequence[Passage]) -> TfidfModel:
        if self.threshold is not None and not 0 < self.threshold < 1:
            raise ValueError("The threshold must be between 0 and 1.")
        vectorizer = TfidfVectorizer(
            lowercase=True,
            strip_accents="unicode",
            ngram_range=(1, 2),
            sublinear_tf=True,
            min_df=1,
            max_features=200_000,
            dtype=np.float64,
        )
        texts = [p.text for p in passages]
        keys = sorted({key for p in passages for key in p.codes})
        if not texts or not any(t.strip() for t in texts):
            vectorizer.fit(["empty"])
            return TfidfModel(vectorizer, (), np.zeros((0, 1)), np.zeros(0))
        features = vectorizer.fit_transform(texts)
        learned: list[str] = []
        weights: list[np.ndarray] = []
        intercepts: list[float] = []
        thresholds: dict[str, float] = {}
        kappas: dict[str, float | None] = {}
        for key in keys:
            truth = np.fromiter((key in p.codes for p in passages), dtype=bool, count=len(texts))
            positives = int(truth.sum())
            if positives < self.min_positives or positives == len(truth):
                continue
            if self.threshold is None:
                threshold, kappa = self._validate(features, truth)
                kappas[key] = kappa
                if kappa is None or kappa < self.min_kappa:
                    continue
            else:
                threshold = self.threshold
            classifier = self._classifier().fit(features, truth)
            learned.append(key)
            weights.append(np.asarray(classifier.coef_[0]))
            intercepts.append(float(classifier.intercept_[0]))
            thresholds[key] = threshold
        n_features = features.shape[1]
        return TfidfModel(
            vectorizer=vectorizer,
            code_keys=tuple(learned),
            weights=np.vstack(weights) if weights else np.zeros((0, n_features)),
            intercepts=np.asarray(intercepts),
            code_thresholds=thresholds,
            validation_kappa=kappas,
        )

    def _validate(self, features: object, truth: np.ndarray) -> tuple[float, float | None]:
        """Cross-validated scores for every training passage, and the best threshold on them."""
        splits = min(self.folds, int(truth.sum()), int((~truth).sum()))
        if splits < 2:
            return 0.5, None
        scores = np.zeros(len(truth))
        folds = StratifiedKFold(n_splits=splits, shuffle=True, random_state=self.seed)
        for train, test in folds.split(np.zeros(len(truth)), truth):
            classifier = self._classifier().fit(features[train], truth[train])  # type: ignore[index]
            scores[test] = classifier.predict_proba(features[test])[:, 1]  # type: ignore[index]
        return best_threshold(scores, truth)


def engine_get(name: str, **options: float | int | None) -> Engine:
    """The engine called ``name``; :class:`EngineUnavailable` when it cannot run here and
    ValueError for an unknown name."""
    if name == "tfidf":
        return TfidfEngine(**options)  # type: ignore[arg-type]
    if name == "embedding":
        if importlib.util.find_spec("sentence_transformers") is None:
            raise EngineUnavailable(AI_EXTRA_HINT)
        raise EngineUnavailable(
            "The embedding engine is not part of this version of Healing yet; use --engine tfidf."
        )
    raise ValueError(f"Unknown engine {name!r}: use {' or '.join(ENGINES)}.")
